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
    $Checks = 'InnerDestinationMac', 'InnerSourceMac', 'OuterDestinationAddress', 'Vni', 'OuterDestinationPort', 'Fragmentation', 'Reply'
}

Describe 'Test-VxlanCapture on the walkthrough''s capture' {
    It 'finds nothing wrong, and -Quiet says $true' {
        @(Test-VxlanCapture $Walkthrough -Node $HealthyNodes) | Should -BeNullOrEmpty
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
        Test-VxlanCapture $Walkthrough -Node $nodes -Quiet | Should -BeExactly $false
    }

    It 'reports the frames each node sent to another port than -Port' {
        $findings = @(Test-VxlanCapture $Walkthrough -Node $HealthyNodes -Port 4789)

        $findings.Check | Sort-Object -Unique | Should -Be 'OuterDestinationPort'
        $findings.Node | Sort-Object | Should -Be @('node1', 'node2')
        $findings.Expected | Sort-Object -Unique | Should -Be '4789'
        $findings.Actual | ForEach-Object { $_ | Should -Match '^8472 in frames ' }
    }

    It 'takes wildcards, -LiteralPath and Get-ChildItem output' {
        Copy-Item $Walkthrough (Join-Path $TestDrive 'a[1].pcap')
        Copy-Item $Walkthrough (Join-Path $TestDrive 'b.pcap')

        @(Test-VxlanCapture (Join-Path $TestDrive '*.pcap') -Node $HealthyNodes -IncludePassed).Count | Should -Be 14
        @(Test-VxlanCapture -LiteralPath (Join-Path $TestDrive 'a[1].pcap') -Node $HealthyNodes -IncludePassed).Count | Should -Be 7
        @(Get-ChildItem $TestDrive -Filter *.pcap | Test-VxlanCapture -Node $HealthyNodes -IncludePassed).Actual | Sort-Object -Unique |
            Should -Be @('13 VXLAN frames in a[1].pcap', '13 VXLAN frames in b.pcap')
    }

    It 'writes an error for a file that is not a capture and checks the others' {
        $bad = Join-Path $TestDrive 'not-a-capture.pcap'
        Set-Content -LiteralPath $bad -Value 'this is not a capture'

        $out = @(Test-VxlanCapture $bad, $Walkthrough -Node $HealthyNodes -IncludePassed -ErrorVariable problems -ErrorAction SilentlyContinue)

        $problems.FullyQualifiedErrorId | Should -Be 'FileNotCapture,FlannelTools.Commands.TestVxlanCaptureCommand'
        $out.Count | Should -Be 7
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
        @(Test-VxlanCapture $Healthy.Path -Node $Healthy.Nodes) | Should -BeNullOrEmpty
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
