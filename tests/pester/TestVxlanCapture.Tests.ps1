# Test-VxlanCapture as users meet it: the walkthrough's capture against the lab's real nodes.json, paths, errors, the
# stand-in kubectl for the default -Node; and real captures on node1 of a lab whose faults each show on the wire.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    $script:SkipLab = Test-LabSkipped
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot ../../FlannelTools.psd1) -Force
    $RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot ../..)).Path
    $LabDir = Join-Path $RepoRoot 'tests/lab'
    $Walkthrough = Join-Path $RepoRoot 'samples/walkthrough.pcap'
    $HealthyNodes = Get-FlannelNode -Path (Join-Path $RepoRoot 'tests/data/cluster/nodes-healthy.json')
    $Checks = 'InnerDestinationMac', 'InnerSourceMac', 'OuterDestinationAddress', 'Vni', 'OuterDestinationPort', 'Fragmentation', 'Checksum', 'Reply'
}

Describe 'Test-VxlanCapture on the walkthrough''s capture' {
    It 'finds nothing wrong, says once that the sender''s offloaded checksums cannot be judged, and -Quiet says $true' {
        $findings = @(Test-VxlanCapture $Walkthrough -Node $HealthyNodes)
        $findings.Count | Should -Be 1
        $findings[0].Check | Should -Be 'Checksum'
        $findings[0].Severity | Should -Be 'Information'
        $findings[0].Actual | Should -Be '13 frames with the transmit offload''s unfinished checksums in walkthrough.pcap'
        $findings[0].Capture | Should -Be $Walkthrough
        Test-VxlanCapture $Walkthrough -Node $HealthyNodes -Quiet | Should -BeExactly $true
    }

    It 'shows every check that passed with -IncludePassed, as Information' {
        $all = @(Test-VxlanCapture $Walkthrough -Node $HealthyNodes -IncludePassed)

        $all.Check | Should -Be $Checks
        $all.Severity | Sort-Object -Unique | Should -Be 'Information'
        $all[0].Actual | Should -Be '13 VXLAN frames in walkthrough.pcap'
        $all[0] | Should -BeOfType FlannelTools.Finding
    }

    It 'reports node2''s VtepMAC when the cluster announces another one, with the frames, and -Quiet says $false' {
        $nodes = $HealthyNodes | ForEach-Object {
            if ($_.Name -ne 'node2') { return $_ }
            [FlannelTools.FlannelNode]::new($_.Name, $_.PodCidr, $_.PodCidrs, $_.InternalAddress, $_.PublicAddress, $_.PublicAddressOverwrite,
                $_.PublicAddressV6, $_.BackendType, '5a:00:00:00:00:0d', $_.VtepMacV6, $_.Vni, $_.KubeSubnetManager, $_.Ready, $_.Annotations)
        }

        $error2 = Test-VxlanCapture $Walkthrough -Node $nodes | Where-Object Check -eq 'InnerDestinationMac'

        $error2.Severity | Should -Be 'Error'
        $error2.Node | Should -Be 'node2'
        $error2.Expected | Should -Be '5a:00:00:00:00:0d'
        $error2.Actual | Should -Match '^ee:81:17:b0:fd:7b in frames 3, 5, 6, 9, 11, … \(7 frames\)$'
        $error2.Capture | Should -Be $Walkthrough
        Test-VxlanCapture $Walkthrough -Node $nodes -Quiet | Should -BeExactly $false
    }

    It 'reports the frames each node sent to another port than -Port' {
        $findings = @(Test-VxlanCapture $Walkthrough -Node $HealthyNodes -Port 4789 | Where-Object Severity -ne 'Information')

        $findings.Check | Sort-Object -Unique | Should -Be 'OuterDestinationPort'
        $findings.Node | Sort-Object | Should -Be @('node1', 'node2')
        $findings.Expected | Sort-Object -Unique | Should -Be '4789'
        $findings.Actual | ForEach-Object { $_ | Should -Match '^8472 in frames ' }
    }

    It 'takes wildcards, -LiteralPath and Get-ChildItem output' {
        Copy-Item $Walkthrough (Join-Path $TestDrive 'a[1].pcap')
        Copy-Item $Walkthrough (Join-Path $TestDrive 'b.pcap')

        @(Test-VxlanCapture (Join-Path $TestDrive '*.pcap') -Node $HealthyNodes -IncludePassed | Where-Object Check -ne 'Delivery').Count | Should -Be 16
        @(Test-VxlanCapture -LiteralPath (Join-Path $TestDrive 'a[1].pcap') -Node $HealthyNodes -IncludePassed).Count | Should -Be 8
        @(Get-ChildItem $TestDrive -Filter *.pcap | Test-VxlanCapture -Node $HealthyNodes -IncludePassed | Where-Object Check -notin 'Checksum', 'Delivery').Actual | Sort-Object -Unique |
            Should -Be @('13 VXLAN frames in a[1].pcap', '13 VXLAN frames in b.pcap')
    }

    It 'writes an error for a file that is not a capture and checks the others' {
        $bad = Join-Path $TestDrive 'not-a-capture.pcap'
        Set-Content -LiteralPath $bad -Value 'this is not a capture'

        $out = @(Test-VxlanCapture $bad, $Walkthrough -Node $HealthyNodes -IncludePassed -ErrorVariable problems -ErrorAction SilentlyContinue)

        $problems.FullyQualifiedErrorId | Should -Be 'FileNotCapture,FlannelTools.Commands.TestVxlanCaptureCommand'
        $out.Count | Should -Be 8
    }

    It 'reads the nodes through kubectl when no -Node is given' {
        $saved = @{ PATH = $env:PATH; FLANNEL_LAB_NODES = $env:FLANNEL_LAB_NODES; FLANNEL_LAB_KUBECTL_LOG = $env:FLANNEL_LAB_KUBECTL_LOG }
        $env:PATH = $LabDir + [IO.Path]::PathSeparator + $env:PATH
        $env:FLANNEL_LAB_NODES = Join-Path $RepoRoot 'tests/data/cluster/nodes-healthy.json'
        $env:FLANNEL_LAB_KUBECTL_LOG = Join-Path $TestDrive 'kubectl.log'
        try { $quiet = Test-VxlanCapture $Walkthrough -Quiet }
        finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }

        Get-Content (Join-Path $TestDrive 'kubectl.log') | Should -Be 'get nodes -o json'
        $quiet | Should -BeExactly $true
    }

    It 'pins the cluster: -Context and -Kubeconfig reach kubectl' {
        $saved = @{ PATH = $env:PATH; FLANNEL_LAB_NODES = $env:FLANNEL_LAB_NODES; FLANNEL_LAB_KUBECTL_LOG = $env:FLANNEL_LAB_KUBECTL_LOG }
        $env:PATH = $LabDir + [IO.Path]::PathSeparator + $env:PATH
        $env:FLANNEL_LAB_NODES = Join-Path $RepoRoot 'tests/data/cluster/nodes-healthy.json'
        $env:FLANNEL_LAB_KUBECTL_LOG = Join-Path $TestDrive 'pinned-kubectl.log'
        try { $quiet = Test-VxlanCapture $Walkthrough -Context prod -Kubeconfig /etc/k/prod.conf -Quiet }
        finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }

        $log = @(Get-Content (Join-Path $TestDrive 'pinned-kubectl.log'))
        $log.Count | Should -Be 1
        $log[0] | Should -Match '^get nodes -o json'
        $log[0] | Should -Match '--context prod'
        $log[0] | Should -Match '--kubeconfig /etc/k/prod.conf'
        $quiet | Should -BeExactly $true
    }

    It 'writes kubectl''s error, not a terminating one, when kubectl fails and no -Node is given' {
        $saved = @{ PATH = $env:PATH; FLANNEL_LAB_KUBECTL_FAIL = $env:FLANNEL_LAB_KUBECTL_FAIL }
        $env:PATH = $LabDir + [IO.Path]::PathSeparator + $env:PATH
        $env:FLANNEL_LAB_KUBECTL_FAIL = '1'
        try {
            $out = @(Test-VxlanCapture $Walkthrough -ErrorVariable problems -ErrorAction SilentlyContinue)
            $quiet = @(Test-VxlanCapture $Walkthrough -Quiet -ErrorVariable quietProblems -ErrorAction SilentlyContinue)
        }
        finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }

        $out | Should -BeNullOrEmpty
        $problems.FullyQualifiedErrorId | Should -Be 'KubectlFailed,FlannelTools.Commands.TestVxlanCaptureCommand'
        $quietProblems.FullyQualifiedErrorId | Should -Be 'KubectlFailed,FlannelTools.Commands.TestVxlanCaptureCommand'
        $quiet.Count | Should -Be 1
        $quiet[0] | Should -BeExactly $false
    }
}

Describe 'Test-VxlanCapture -Between: one node pair of a capture on the underlay of a three-node lab' {
    BeforeAll { $Underlay = Join-Path $RepoRoot 'tests/data/lab/three-node-underlay.pcap' }

    It 'checks only the frames between the two addresses, as many as tshark''s ip.host==A && ip.host==B' {
        $expected = @(tshark -r $Underlay -n -d 'udp.port==8472,vxlan' -Y 'vxlan && ip.host==192.168.0.11 && ip.host==192.168.0.13' -T fields -e frame.number)
        $expected.Count | Should -Be 4
        (Test-VxlanCapture $Underlay -Node $HealthyNodes -IncludePassed)[0].Actual | Should -Be '16 VXLAN frames in three-node-underlay.pcap'
        (Test-VxlanCapture $Underlay -Node $HealthyNodes -IncludePassed -Between 192.168.0.13, 192.168.0.11)[0].Actual | Should -Be "$($expected.Count) VXLAN frames in three-node-underlay.pcap"
    }

    It 'refuses one address as a parameter error naming -Between' {
        { Test-VxlanCapture $Underlay -Node $HealthyNodes -Between 192.168.0.13 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,FlannelTools.Commands.TestVxlanCaptureCommand'
    }
}

Describe 'Test-VxlanCapture -Quiet: one [bool] per call, $true only when every capture was read and checked' {
    BeforeAll {
        $CaptureData = Join-Path $RepoRoot 'tests/data/capture'
        $NoVxlan = Join-Path $CaptureData 'no-vxlan.pcap'
        $UnknownLink = Join-Path $CaptureData 'unknown-link.pcap'

        # One call with -Quiet: its output, and the ids of the errors it wrote (none may be statement-terminating).
        function Invoke-Quiet([hashtable] $Splat) {
            $values = @(Test-VxlanCapture @Splat -Node $HealthyNodes -Quiet -ErrorVariable problems -ErrorAction SilentlyContinue)
            [pscustomobject]@{ Values = $values; Ids = @($problems | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*' }) }
        }
    }

    It 'says $true once for two healthy captures' {
        $r = Invoke-Quiet @{ Path = $Walkthrough, $Walkthrough }
        $r.Values.Count | Should -Be 1
        $r.Values[0] | Should -BeExactly $true
        $r.Ids | Should -BeNullOrEmpty
    }

    It 'says $false for <Case>, after <Id>' -ForEach @(
        @{ Case = 'a capture with no VXLAN frames'; Id = $null; Path = 'tests/data/capture/no-vxlan.pcap' }
        @{ Case = 'a link type it cannot read'; Id = $null; Path = 'tests/data/capture/unknown-link.pcap' }
        @{ Case = 'a missing file'; Id = 'PathNotFound'; Path = 'tests/data/capture/missing.pcap' }
        @{ Case = 'a file that is not a capture'; Id = 'FileNotCapture'; Path = 'tests/data/capture/not-a-capture.pcap' }
        @{ Case = 'a directory'; Id = 'PathIsDirectory'; Path = 'tests/data/capture' }
        @{ Case = 'a wildcard that matches nothing'; Id = 'PathNotFound'; Path = 'tests/data/capture/nothing-here-*.pcap' }
        @{ Case = 'a capture cut inside a record'; Id = 'TruncatedRecord'; Path = 'tests/data/capture/truncated.pcap' }
    ) {
        $r = Invoke-Quiet @{ Path = (Join-Path $RepoRoot $Path), $Walkthrough }
        $r.Values.Count | Should -Be 1
        $r.Values[0] | Should -BeExactly $false
        if ($Id) { $r.Ids | Should -Be $Id } else { $r.Ids | Should -BeNullOrEmpty }
    }

    It 'says $false when nothing is piped in' {
        $values = @(@() | Test-VxlanCapture -Node $HealthyNodes -Quiet)
        $values.Count | Should -Be 1
        $values[0] | Should -BeExactly $false
    }

    It 'reports a capture with no VXLAN frames as one NoVxlanFrames Warning, with or without -IncludePassed' {
        foreach ($splat in @{}, @{ IncludePassed = $true }) {
            $findings = @(Test-VxlanCapture $NoVxlan -Node $HealthyNodes @splat)
            $findings.Count | Should -Be 1
            $findings[0].Check | Should -Be 'NoVxlanFrames'
            $findings[0].Severity | Should -Be 'Warning'
            $findings[0].Actual | Should -Be '0 VXLAN frames in 4 records of no-vxlan.pcap'
        }
    }

    It 'names the link type it cannot read in the NoVxlanFrames warning' {
        $finding = Test-VxlanCapture $UnknownLink -Node $HealthyNodes -IncludePassed
        $finding.Check | Should -Be 'NoVxlanFrames'
        $finding.Message | Should -Match 'nothing was checked; Frame 1: link type LINKTYPE 105 \(interface 0\) is not one FlannelTools decodes'
    }
}

Describe 'Test-VxlanCapture on the checksums of real lab captures (tests/data/wire)' {
    BeforeAll {
        $Wire = Join-Path $RepoRoot 'tests/data/wire'
        $WireNodes = Get-FlannelNode -Path (Join-Path $Wire 'nodes.json')
    }

    It 'names the VXLAN checksum bug on <Name>, with the sender''s ethtool and udev remedy' -ForEach @(
        @{ Name = 'bug-node2-eth0.pcap'; Frames = 'frames 3, 4' }    # received: lab.sh fault checksum node1, made for real
        @{ Name = 'bug-node1-eth0.pcap'; Frames = 'frames 3, 4' }    # the same frames as node1 sent them
        @{ Name = 'outer-wrong-node1-eth0.pcap'; Frames = 'frames 3, 6' }    # completed copy, outer UDP checksum of 3 and 6 edited
    ) {
        $path = Join-Path $Wire $Name
        $finding = @(Test-VxlanCapture $path -Node $WireNodes | Where-Object Check -eq 'Checksum')

        $finding.Count | Should -Be 1
        $finding.Severity | Should -Be 'Error'
        $finding.Node | Should -Be 'node1'
        $finding.LocalNode | Should -Be 'node1'
        $finding.Actual | Should -Be "outer UDP checksum wrong, inner complete, in $Frames"
        $finding.Message | Should -Match 'from node1 to node2 carry an outer UDP checksum that is wrong although the inner checksum is complete: the VXLAN checksum bug'
        $finding.Remedy | Should -BeLike 'ethtool -K flannel.1 tx-checksum-ip-generic off; *KERNEL=="flannel.1", RUN+="/usr/sbin/ethtool -K flannel.1 tx-checksum-ip-generic off"*/etc/udev/rules.d/*'
        $finding.Capture | Should -Be $path
        Test-VxlanCapture $path -Node $WireNodes -Quiet | Should -BeExactly $false
    }

    It 'never blames the transmit offload''s unfinished checksums on <Name>: one Information finding' -ForEach @(
        @{ Name = 'offload-node1-eth0.pcap' }    # the sender's eth0
        @{ Name = 'offload-node2-any.pcap' }     # the receiver's every interface (-i any), the same traffic
    ) {
        $findings = @(Test-VxlanCapture (Join-Path $Wire $Name) -Node $WireNodes)

        $findings.Count | Should -Be 1
        $findings[0].Check | Should -Be 'Checksum'
        $findings[0].Severity | Should -Be 'Information'
        $findings[0].Message | Should -Match 'the checksums cannot be judged in this capture'
    }

    It 'passes the checksums of the completed copy with -IncludePassed, and says nothing without it' {
        $path = Join-Path $Wire 'completed-node1-eth0.pcap'
        @(Test-VxlanCapture $path -Node $WireNodes) | Should -BeNullOrEmpty
        $passed = Test-VxlanCapture $path -Node $WireNodes -IncludePassed | Where-Object Check -eq 'Checksum'
        $passed.Severity | Should -Be 'Information'
        $passed.Message | Should -Match '^Every VXLAN frame captured whole carries valid checksums'
    }

    It 'claims no drop between two Ethernet captures that do not say which end they were taken at, and says so' {
        $findings = @(Test-VxlanCapture (Join-Path $Wire 'bug-node1-eth0.pcap'), (Join-Path $Wire 'bug-node2-eth0.pcap') -Node $WireNodes |
            Where-Object Check -eq 'Delivery')

        $findings.Severity | Should -Be @('Unknown', 'Unknown')
        $findings[0].Message | Should -Match '^Could not tell which node bug-node1-eth0\.pcap was taken on \(its VXLAN frames are all between node1 and node2'
    }

    It 'gives no Delivery finding for one capture alone' {
        @(Test-VxlanCapture (Join-Path $Wire 'offload-node2-any.pcap') -Node $WireNodes | Where-Object Check -eq 'Delivery') | Should -BeNullOrEmpty
    }

    It 'says the checksums were not judged (Unknown) when every frame is cut before their end' {
        $cut = Test-VxlanCapture (Join-Path $RepoRoot 'tests/data/lab/snap96.pcap') -Node $WireNodes -IncludePassed | Where-Object Check -eq 'Checksum'
        $cut.Severity | Should -Be 'Unknown'
        $cut.Actual | Should -Match '^0 of \d+ VXLAN frames in snap96\.pcap judged$'
    }

    It 'says so without -IncludePassed too, and -Quiet is then $false: checksums not looked at are not a pass' {
        $cut = @(Test-VxlanCapture (Join-Path $RepoRoot 'tests/data/lab/snap96.pcap') -Node $WireNodes | Where-Object Check -eq 'Checksum')
        $cut.Severity | Should -Be @('Unknown')
        Test-VxlanCapture (Join-Path $RepoRoot 'tests/data/lab/snap96.pcap') -Node $WireNodes -Quiet | Should -BeExactly $false
    }

    It 'gives $false with -Quiet when a Delivery finding is Unknown (which node a capture was taken on is unproven)' {
        Test-VxlanCapture (Join-Path $Wire 'bug-node1-eth0.pcap'), (Join-Path $Wire 'bug-node2-eth0.pcap') -Node $WireNodes -Quiet | Should -BeExactly $false
    }
}

Describe 'Test-VxlanCapture on real captures of a lab with faults' -Skip:$SkipLab {
    BeforeAll {
        $Prefix = "tvc$PID"
        $StateDir = Join-Path $TestDrive 'state'
        $null = Start-Lab -Prefix $Prefix -Option @('--out', $StateDir)

        # A capture on node1's eth0 of curl from node1's pod to node2's, and the nodes as the cluster announces them then.
        function Read-Capture([string] $Round, [string] $Traffic = 'curl') {
            $capture = Join-Path $TestDrive "$Round.pcap"
            $null = Invoke-Lab capture --prefix $Prefix --out $capture --traffic $Traffic --count 2 --timeout 2 --allow-fail
            $nodesCopy = Join-Path $TestDrive "$Round-nodes.json"
            Copy-Item -LiteralPath (Join-Path $StateDir 'nodes.json') -Destination $nodesCopy
            [pscustomobject]@{ Path = $capture; Nodes = Get-FlannelNode -Path $nodesCopy }
        }

        # Each fault is added to the ones before (faults last until the lab goes down); each round's checks show what it added.
        $Healthy = Read-Capture healthy
        $null = Invoke-Lab fault --prefix $Prefix drop-udp node2
        $DropUdp = Read-Capture drop-udp
        $null = Invoke-Lab fault --prefix $Prefix wrong-fdb-dst node1 node2
        $WrongFdb = Read-Capture wrong-fdb-dst
        $null = Invoke-Lab fault --prefix $Prefix stale-vtepmac node2 --mac 5a:00:00:00:00:0d
        $Stale = Read-Capture stale-vtepmac
        $null = Invoke-Lab fault --prefix $Prefix mtu node1
        $Mtu = Read-Capture mtu bigping
    }

    AfterAll { Stop-Lab -Prefix $Prefix }

    It 'finds no Error in the healthy lab''s capture' {
        @(Test-VxlanCapture $Healthy.Path -Node $Healthy.Nodes | Where-Object Severity -ne 'Information') | Should -BeNullOrEmpty
        Test-VxlanCapture $Healthy.Path -Node $Healthy.Nodes -Quiet | Should -BeExactly $true
    }

    It 'warns that traffic from node1 to node2 gets no answer when node2 drops UDP 8472' {
        $findings = @(Test-VxlanCapture $DropUdp.Path -Node $DropUdp.Nodes)

        $findings.Severity | Should -Not -Contain 'Error'
        $reply = $findings | Where-Object Check -eq 'Reply'
        $reply.Severity | Should -Be 'Warning'
        $reply.Node | Should -Be 'node2'
        $reply.LocalNode | Should -Be 'node1'
        $reply.Message | Should -Match 'traffic from node1 to node2 gets no answer: UDP 8472 may be dropped on node2 or on the way \(TCP 10\.244\.1\.178:\d+ ↔ 10\.244\.2\.101:80, '
    }

    It 'reports frames for node2 sent to master''s IP when node1''s FDB entry points there' {
        $finding = Test-VxlanCapture $WrongFdb.Path -Node $WrongFdb.Nodes | Where-Object Check -eq 'OuterDestinationAddress'

        $finding.Severity | Should -Be 'Error'
        $finding.Node | Should -Be 'node2'
        $finding.Expected | Should -Be '192.168.0.13'
        $finding.Actual | Should -Match '^192\.168\.0\.11 in frames? '
        $finding.Remedy | Should -BeExactly 'bridge fdb replace ee:81:17:b0:fd:7b dev flannel.1 dst 192.168.0.13 self permanent'
    }

    It 'reports node2''s stale VtepMAC with the MAC on the wire and the MAC announced' {
        $finding = Test-VxlanCapture $Stale.Path -Node $Stale.Nodes | Where-Object Check -eq 'InnerDestinationMac'

        $finding.Severity | Should -Be 'Error'
        $finding.Node | Should -Be 'node2'
        $finding.Expected | Should -Be '5a:00:00:00:00:0d'
        $finding.Actual | Should -Match '^ee:81:17:b0:fd:7b in frames? \d'
        $finding.Message | Should -Match 'carry inner destination MAC ee:81:17:b0:fd:7b, but node2 announces VtepMAC 5a:00:00:00:00:0d'
        $finding.Remedy | Should -Match '^ip neigh replace 10\.244\.2\.0 lladdr 5a:00:00:00:00:0d dev flannel\.1 nud permanent'
        Test-VxlanCapture $Stale.Path -Node $Stale.Nodes -Quiet | Should -BeExactly $false
    }

    It 'warns of VXLAN frames fragmented on node1''s underlay when its eth0 MTU is below flannel''s 1450 + 50' {
        $finding = Test-VxlanCapture $Mtu.Path -Node $Mtu.Nodes | Where-Object Check -eq 'Fragmentation'

        $finding.Severity | Should -Be 'Warning'
        $finding.Node | Should -Be 'node1'
        $finding.Actual | Should -Match '^first fragments in frames \d'
        $finding.Message | Should -Match 'from node1 to node2 were split into IP fragments on the underlay'
    }
}

Describe 'Test-VxlanCapture -Delivery: where packets stop, from captures on both nodes at once' -Skip:$SkipLab {
    BeforeAll {
        $Prefix = "dlv$PID"
        $StateDir = Join-Path $TestDrive 'state'
        $null = Start-Lab -Prefix $Prefix -Option @('--out', $StateDir)
        $Nodes = Get-FlannelNode -Path (Join-Path $StateDir 'nodes.json')
        $States = 'node1', 'node2' | ForEach-Object { Get-FlannelNodeState -Path (Join-Path $StateDir "$_/node.state") }

        # -i any on node1 and node2 at once while node1's pod calls node2's; master's pod calls node2's before and
        # after, so node2's captures show it was listening even when nothing of node1's arrives.
        function Read-Delivery([string] $Round) {
            $n1 = Join-Path $TestDrive "$Round-node1-any.pcap"
            $n2 = Join-Path $TestDrive "$Round-node2-any.pcap"
            $null = Invoke-Lab capture --prefix $Prefix --at "node1:any:$n1" --at "node2:any:$n2" --traffic 'curl:master:node2,curl,udp,curl:master:node2' `
                --count 1 --timeout 1 --allow-fail
            @(Test-VxlanCapture $n1, $n2 -Node $Nodes -NodeState $States -ClockTolerance 0.5 | Where-Object Check -eq 'Delivery')
        }

        $Healthy = Read-Delivery healthy
        $null = Invoke-Lab fault --prefix $Prefix underlay-drop node1 node2
        $Underlay = Read-Delivery underlay-drop
        $null = Invoke-Lab exec --prefix $Prefix underlay nft delete table bridge flannel_lab_underlay
        $null = Invoke-Lab fault --prefix $Prefix nft-input-drop node2
        $InputDrop = Read-Delivery nft-input-drop
        $null = Invoke-Lab exec --prefix $Prefix node2 nft delete table inet flannel_lab
        $null = Invoke-Lab fault --prefix $Prefix nft-forward-drop node2
        $ForwardDrop = Read-Delivery nft-forward-drop
    }

    AfterAll { Stop-Lab -Prefix $Prefix }

    It 'gives no Delivery finding for the healthy lab' {
        $Healthy | Should -BeNullOrEmpty
    }

    It 'names the segment between the nodes when the underlay drops node1''s VXLAN to node2' {
        $f = @($Underlay | Where-Object { $_.Message -like '*from node1''s pods to node2''s*' })
        $f.Count | Should -Be 1
        $f[0].Severity | Should -Be 'Error'
        $f[0].Node | Should -Be 'node2'
        $f[0].Message | Should -Match "were seen at node1's underlay \(leaving\) in underlay-drop-node1-any\.pcap \(frames? \d.*\) and never at node2's underlay \(arriving\) in underlay-drop-node2-any\.pcap"
        $f[0].Message | Should -Match 'clocks were assumed to agree within 0\.5 s'
        $f[0].Message | Should -Match 'lost between the nodes'
        $f[0].Capture.Count | Should -Be 2
    }

    It 'names the segment before decapsulation when node2''s input firewall drops UDP 8472' {
        $f = @($InputDrop | Where-Object { $_.Message -like '*from node1''s pods to node2''s*' })
        $f.Count | Should -Be 1
        $f[0].LocalNode | Should -Be 'node2'
        $f[0].Message | Should -Match "were seen at node2's underlay \(arriving\) in nft-input-drop-node2-any\.pcap \(frames? \d.*\) and never at node2's VTEP \(flannel\.1\)"
        $f[0].Message | Should -Match 'dropped before decapsulation: by node2''s input firewall on the VXLAN port'
    }

    It 'names the receiver''s forwarding when node2''s forward policy drops the decapsulated packets' {
        $f = @($ForwardDrop | Where-Object { $_.Message -like '*from node1''s pods to node2''s*' })
        $f.Count | Should -Be 1
        $f[0].Message | Should -Match "were seen at node2's VTEP \(flannel\.1\) in nft-forward-drop-node2-any\.pcap \(frames? \d.*\) and never at node2's bridge or pod veth"
        $f[0].Message | Should -Match 'dropped by node2''s forwarding: a FORWARD policy'
    }

    It 'gives each of the three faults its own text' {
        $texts = $Underlay, $InputDrop, $ForwardDrop | ForEach-Object { ($_ | Where-Object { $_.Message -like '*from node1''s pods*' }).Message -replace '\(frames? [^)]*\)' -replace '\S+\.pcap' }
        @($texts | Sort-Object -Unique).Count | Should -Be 3
    }
}
