# Test-FlannelNode on the host layer of a real lab (tests/lab): every node carries flannel's own packet filter rules,
# its subnet.env and the cluster's net-conf.json as flanneld and kube-flannel.yml write them. Each host-layer fault
# breaks the pods' traffic (curl), is named by its check on the node that has it, and the finding's Remedy, run in that
# node's namespace, restores the traffic. The healthy lab (iptables mode, nftables mode, dual-stack, and Docker's
# FORWARD policy DROP beside FLANNEL-FWD) gives no Error, no Warning and no Unknown.
# One lab goes through its faults in turn: each round's remedy removes the fault before the next one is made (the
# lab's own remedy stands in where no finding gives one, so that one missing check does not fail the rounds after it).

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    $script:SkipLab = Test-LabSkipped

    # The faults on node1, in the order they are made; LabRemedy is what the lab's README says restores the traffic.
    # The legacy rounds come after the nft ones: from legacy-input-drop on, node1 has rules in both backends.
    $script:FirewallFaults = @(
        @{ Fault = 'nft-input-drop'; Live = $true; Check = 'VxlanPortOpen'
            LabRemedy = 'nft insert rule inet flannel_lab input udp dport 8472 accept' }
        @{ Fault = 'nft-forward-drop'; Live = $false; Check = 'ForwardFilter'
            LabRemedy = 'nft insert rule inet flannel_lab_fwd forward ip saddr 10.244.0.0/16 accept; nft insert rule inet flannel_lab_fwd forward ip daddr 10.244.0.0/16 accept' }
        @{ Fault = 'reject-forward'; Live = $false; Check = 'ForwardFilter'; LabRemedy = 'iptables-nft -I FORWARD 1 -j FLANNEL-FWD' }
        @{ Fault = 'ip-forward-off'; Live = $false; Check = 'IpForwarding'; LabRemedy = 'sysctl -qw net.ipv4.ip_forward=1' }
        @{ Fault = 'legacy-input-drop'; Live = $false; Check = 'VxlanPortOpen'; LabRemedy = 'iptables-legacy -I INPUT 1 -p udp --dport 8472 -j ACCEPT' }
        @{ Fault = 'legacy-forward-drop'; Live = $false; Check = 'ForwardFilter'; AlsoWarning = 'FirewallBackends'
            LabRemedy = 'iptables-legacy -I FORWARD 1 -s 10.244.0.0/16 -j ACCEPT; iptables-legacy -I FORWARD 1 -d 10.244.0.0/16 -j ACCEPT' }
    )
    # Wrong or missing subnet.env on node1: what the finding must name as right (in Expected or Remedy).
    $script:SubnetEnvFaults = @(
        @{ Option = @('--missing'); Check = 'SubnetEnvPresent'; Right = 'subnet\.env' }
        @{ Option = @('--subnet', '10.244.9.1/24'); Check = 'SubnetEnvSubnet'; Right = '10\.244\.1\.1/24' }
        @{ Option = @('--mtu', '1500'); Check = 'SubnetEnvMtu'; Right = '1450' }
    )
    $script:HealthyVariants = @(
        @{ Variant = 'nftables'; Option = @('--nftables') }
        @{ Variant = 'dual-stack'; Option = @('--dual-stack') }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot ../../FlannelTools.psd1) -Force

    # The collector's document that lab.sh wrote for the node (DIR/<node>/node.state: tables, host layer, its
    # subnet.env, net-conf.json), checked against the lab's nodes.json and net-conf.json. Warnings from reading it are
    # kept (on the lab's real output there should be none), and so is the error of a cmdlet that failed.
    function Get-LabFinding {
        param([Parameter(Mandatory)] $Lab, [Parameter(Mandatory)] [string] $Node)
        $paths = $Lab.nodeList | Where-Object name -eq $Node
        $result = [pscustomobject]@{ ReadWarnings = @(); Findings = @(); Error = $null }
        try {
            $state = Get-FlannelNodeState -Path $paths.nodeState -WarningVariable readWarnings -WarningAction SilentlyContinue
            $result.ReadWarnings = @($readWarnings | ForEach-Object { "$_" })
            $result.Findings = @(Test-FlannelNode -NodeState $state -Node (Get-FlannelNode -Path (Join-Path (Split-Path $Lab.netConf) nodes.json)) `
                    -Name $Node -NetConf (Get-FlannelNetConf -Path $Lab.netConf) -IncludePassed)
        }
        catch { $result.Error = "$_" }
        $result
    }

    # Test-FlannelNode run live inside the node's namespace, as a user runs it there, on the lab's subnet.env and
    # net-conf.json; started now, read with Receive-LiveFinding.
    function Start-LiveFinding {
        param([Parameter(Mandatory)] $Lab, [Parameter(Mandatory)] [string] $Node, [Parameter(Mandatory)] [string] $Round)
        $paths = $Lab.nodeList | Where-Object name -eq $Node
        $out = Join-Path $TestDrive "$Round-$Node-live.xml"
        $started = Start-PwshInLab -Prefix $Lab.prefix -Node $Node -WorkingDirectory $TestDrive -Script @"
`$nodes = Get-FlannelNode -Path '$(Join-Path (Split-Path $Lab.netConf) nodes.json)'
Test-FlannelNode -Node `$nodes -NetConf (Get-FlannelNetConf -Path '$($Lab.netConf)') -SubnetEnvPath '$($paths.subnetEnv)' -Name $Node -IncludePassed |
    Export-Clixml '$out'
"@
        [pscustomobject]@{ Started = $started; Path = $out }
    }

    function Receive-LiveFinding {
        param([Parameter(Mandatory)] $Live)
        $null = Wait-PwshInLab $Live.Started -TimeoutSeconds 120
        @(Import-Clixml $Live.Path)
    }

    function Get-Problem { param($Findings) @($Findings | Where-Object Severity -ne 'Information') }

    function Format-Finding { param($Findings) @($Findings | ForEach-Object { "$($_.Severity) $($_.Check) $($_.Node): $($_.Message)" }) -join '; ' }

    # Both ways between node1's and node2's pods.
    function Test-PodTraffic {
        param([Parameter(Mandatory)] [string] $Prefix, [int] $TimeoutSeconds = 2)
        (Test-LabTraffic -Prefix $Prefix -TimeoutSeconds $TimeoutSeconds) -and
            (Test-LabTraffic -Prefix $Prefix -From node2 -To node1 -TimeoutSeconds $TimeoutSeconds)
    }

    # One fault on Node: make it, see the traffic, diagnose, run the finding's Remedy there, see the traffic again and
    # diagnose again. Errors of the cmdlets are kept for the assertions; the lab's remedy keeps the next round honest.
    function Invoke-FaultRound {
        param([Parameter(Mandatory)] $Lab, [Parameter(Mandatory)] [hashtable] $Case, [string] $Node = 'node1')
        $prefix = $Lab.prefix
        $round = [ordered]@{ Broken = $null; Ping = $null; Read = $null; Live = $null; LiveError = $null
            Finding = $null; RemedyError = $null; Restored = $null; After = $null }
        $null = Invoke-Lab fault --prefix $prefix $Case.Fault $Node
        $round.Broken = -not (Test-LabTraffic -Prefix $prefix)
        if ($Case.Ping) { $round.Ping = Test-LabTraffic -Prefix $prefix -Kind ping }
        $live = if ($Case.Live) { Start-LiveFinding -Lab $Lab -Node $Node -Round $Case.Fault }
        $round.Read = Get-LabFinding -Lab $Lab -Node $Node
        if ($live) {
            try { $round.Live = Receive-LiveFinding $live } catch { $round.LiveError = "$_" }
        }
        $round.Finding = @($round.Read.Findings | Where-Object { $_.Check -eq $Case.Check -and $_.Severity -eq 'Error' }) | Select-Object -First 1
        if ($round.Finding.Remedy) {
            try { $null = Invoke-LabShell -Prefix $prefix -Node $Node -Command $round.Finding.Remedy } catch { $round.RemedyError = "$_" }
            $round.Restored = Test-PodTraffic -Prefix $prefix -TimeoutSeconds 5
            $null = Invoke-Lab state --prefix $prefix
            $round.After = Get-LabFinding -Lab $Lab -Node $Node
        }
        if (-not $round.Restored) { $null = Invoke-LabShell -Prefix $prefix -Node $Node -Command $Case.LabRemedy }
        [pscustomobject]$round
    }
}

Describe 'Test-FlannelNode on the host layer of a real lab (iptables mode), fault by fault' -Skip:$SkipLab -ForEach @(
    @{ FirewallFaults = $FirewallFaults; SubnetEnvFaults = $SubnetEnvFaults }
) {
    BeforeAll {
        $Lab = Start-Lab -Prefix "hlt$PID" -Option @('--out', (Join-Path $TestDrive 'state'))
        $Prefix = $Lab.prefix
        $Healthy = @{ Traffic = Test-PodTraffic -Prefix $Prefix }
        $healthyLive = Start-LiveFinding -Lab $Lab -Node node1 -Round healthy
        foreach ($node in 'master', 'node1', 'node2') { $Healthy[$node] = Get-LabFinding -Lab $Lab -Node $node }
        try { $Healthy.Live = Receive-LiveFinding $healthyLive } catch { $Healthy.LiveError = "$_" }

        # Docker's FORWARD policy on node2, which keeps it for the rest of the run: flannel's FLANNEL-FWD accepts first.
        $null = Invoke-Lab fault --prefix $Prefix docker-forward-drop node2
        $Docker = @{ Traffic = Test-PodTraffic -Prefix $Prefix }
        $Docker.Read = Get-LabFinding -Lab $Lab -Node node2

        $Rounds = @{}
        foreach ($case in $FirewallFaults) { $Rounds[$case.Fault] = Invoke-FaultRound -Lab $Lab -Case $case }

        # subnet.env and net-conf.json: wrong files leave the running pods' traffic alone; writing the file back
        # (what each finding's remedy asks for) removes the finding.
        $subnetEnv = ($Lab.nodeList | Where-Object name -eq node1).subnetEnv
        $flannelSubnetEnv = Get-Content -LiteralPath $subnetEnv -Raw
        $flannelNetConf = Get-Content -LiteralPath $Lab.netConf -Raw
        $FileRounds = @{}
        foreach ($case in $SubnetEnvFaults + @(@{ Fault = 'netconf-port'; Check = 'NetConfPort'; Right = '8472' })) {
            $key = if ($case.Fault) { $case.Fault } else { $case.Check }
            $round = [ordered]@{ Traffic = $null; Read = $null; After = $null }
            if ($case.Fault) { $null = Invoke-Lab fault --prefix $Prefix netconf-port }
            else { $null = Invoke-Lab (@('fault', '--prefix', $Prefix, 'subnet-env', 'node1') + $case.Option) }
            $round.Traffic = Test-PodTraffic -Prefix $Prefix
            $round.Read = Get-LabFinding -Lab $Lab -Node node1
            Set-Content -LiteralPath $subnetEnv -Value $flannelSubnetEnv -NoNewline
            Set-Content -LiteralPath $Lab.netConf -Value $flannelNetConf -NoNewline
            $null = Invoke-Lab state --prefix $Prefix
            $round.After = Get-LabFinding -Lab $Lab -Node node1
            $FileRounds[$key] = [pscustomobject]$round
        }

        # Last, as its receiver's counters stay raised: the checksum bug, node1 sending, node2 receiving.
        $csumBefore = (Get-LabUdpCounter -Prefix $Prefix -Node node2).InCsumErrors
        $Checksum = Invoke-FaultRound -Lab $Lab -Case @{ Fault = 'checksum'; Check = 'ChecksumOffload'; Ping = $true
            LabRemedy = 'ethtool -K flannel.1 tx-checksum-ip-generic off' }
        $ChecksumCounter = @{ Before = $csumBefore; After = (Get-LabUdpCounter -Prefix $Prefix -Node node2).InCsumErrors }
        # node2's document again, now that it has counted the packets it dropped (the counters are cumulative)
        $null = Invoke-Lab state --prefix $Prefix
        $ChecksumReceiver = Get-LabFinding -Lab $Lab -Node node2
    }

    AfterAll { Stop-Lab -Prefix $Prefix }

    Context 'healthy' {
        It 'carries pod traffic both ways' {
            $Healthy.Traffic | Should -BeTrue
        }

        It 'reads each node''s collector document without a warning' {
            foreach ($node in 'master', 'node1', 'node2') {
                $Healthy[$node].ReadWarnings | Should -BeNullOrEmpty -Because "$node's document is the real tools' output"
            }
        }

        It 'gives no Error, no Warning and no Unknown on any node' {
            foreach ($node in 'master', 'node1', 'node2') {
                $Healthy[$node].Error | Should -BeNullOrEmpty
                $problems = Get-Problem $Healthy[$node].Findings
                $problems | Should -BeNullOrEmpty -Because "$node is healthy ($(Format-Finding $problems))"
                foreach ($check in 'VxlanPortOpen', 'ForwardFilter', 'IpForwarding', 'ChecksumOffload', 'SubnetEnvPresent', 'NetConfPort') {
                    $Healthy[$node].Findings.Check | Should -Contain $check -Because "-IncludePassed shows the host layer's $check as passed on $node"
                }
            }
        }

        It 'gives the same checks live in node1''s namespace as from its collector document' {
            $Healthy.LiveError | Should -BeNullOrEmpty
            Get-Problem $Healthy.Live | Should -BeNullOrEmpty
            @($Healthy.Live | ForEach-Object { "$($_.Check) $($_.Node) $($_.Severity)" } | Sort-Object) |
                Should -Be @($Healthy.node1.Findings | ForEach-Object { "$($_.Check) $($_.Node) $($_.Severity)" } | Sort-Object)
        }

        It 'stays healthy with Docker''s FORWARD policy DROP beside flannel''s FLANNEL-FWD (node2)' {
            $Docker.Traffic | Should -BeTrue
            $Docker.Read.Error | Should -BeNullOrEmpty
            $problems = Get-Problem $Docker.Read.Findings
            $problems | Should -BeNullOrEmpty -Because "FLANNEL-FWD accepts the Network first ($(Format-Finding $problems))"
        }
    }

    Context '<Fault> on node1' -ForEach $FirewallFaults {
        BeforeAll { $Round = $Rounds[$Fault] }

        It 'breaks the pods'' traffic' {
            $Round.Broken | Should -BeTrue
        }

        It 'is named as a <Check> Error' {
            $Round.Read.Error | Should -BeNullOrEmpty
            $Round.Read.ReadWarnings | Should -BeNullOrEmpty
            $Round.Finding | Should -Not -BeNullOrEmpty -Because "node1's findings were: $(Format-Finding (Get-Problem $Round.Read.Findings))"
            $Round.Finding.LocalNode | Should -Be 'node1'
            if ($AlsoWarning) {
                @($Round.Read.Findings | Where-Object { $_.Check -eq $AlsoWarning -and $_.Severity -eq 'Warning' }).Count | Should -Be 1
            }
        }

        if ($Live) {
            It 'is named the same live in node1''s namespace' {
                $Round.LiveError | Should -BeNullOrEmpty
                @($Round.Live | Where-Object { $_.Check -eq $Check -and $_.Severity -eq 'Error' }).Count | Should -Be 1
            }
        }

        It 'is mended by the finding''s Remedy, run in node1''s namespace' {
            $Round.Finding.Remedy | Should -Not -BeNullOrEmpty
            $Round.RemedyError | Should -BeNullOrEmpty
            $Round.Restored | Should -BeTrue
            $Round.After.Error | Should -BeNullOrEmpty
            @($Round.After.Findings | Where-Object { $_.Check -eq $Check -and $_.Severity -eq 'Error' }) | Should -BeNullOrEmpty
        }
    }

    Context 'subnet.env <Check>' -ForEach $SubnetEnvFaults {
        BeforeAll { $Round = $FileRounds[$Check] }

        It 'leaves the running pods'' traffic alone' {
            $Round.Traffic | Should -BeTrue
        }

        It 'is named as a <Check> Error that says what is right' {
            $Round.Read.Error | Should -BeNullOrEmpty
            $finding = @($Round.Read.Findings | Where-Object { $_.Check -eq $Check -and $_.Severity -eq 'Error' })
            $finding.Count | Should -Be 1 -Because "node1's findings were: $(Format-Finding (Get-Problem $Round.Read.Findings))"
            "$($finding[0].Expected) $($finding[0].Remedy)" | Should -Match $Right
        }

        It 'is gone once flanneld''s subnet.env is written back' {
            $Round.After.Error | Should -BeNullOrEmpty
            @($Round.After.Findings | Where-Object Check -like 'SubnetEnv*' | Where-Object Severity -ne 'Information') | Should -BeNullOrEmpty
        }
    }

    Context 'net-conf.json with another Port than the devices''' {
        BeforeAll { $Round = $FileRounds['netconf-port'] }

        It 'leaves the running pods'' traffic alone' {
            $Round.Traffic | Should -BeTrue
        }

        It 'is a NetConfPort Error that names the devices'' port' {
            $Round.Read.Error | Should -BeNullOrEmpty
            $finding = @($Round.Read.Findings | Where-Object { $_.Check -eq 'NetConfPort' -and $_.Severity -eq 'Error' })
            $finding.Count | Should -Be 1 -Because "node1's findings were: $(Format-Finding (Get-Problem $Round.Read.Findings))"
            "$($finding[0].Expected) $($finding[0].Actual) $($finding[0].Message)" | Should -Match '8472'
            "$($finding[0].Expected) $($finding[0].Actual) $($finding[0].Message)" | Should -Match '4789'
        }

        It 'is gone once net-conf.json is written back' {
            $Round.After.Error | Should -BeNullOrEmpty
            @($Round.After.Findings | Where-Object { $_.Check -eq 'NetConfPort' -and $_.Severity -ne 'Information' }) | Should -BeNullOrEmpty
        }
    }

    Context 'the VXLAN checksum bug on node1' {
        It 'breaks TCP between the pods while ping still passes' {
            $Checksum.Broken | Should -BeTrue
            $Checksum.Ping | Should -BeTrue
        }

        It 'raises the receiver''s Udp InCsumErrors' {
            $ChecksumCounter.After | Should -BeGreaterThan $ChecksumCounter.Before
        }

        It 'is a ChecksumOffload Error on the sender, node1' {
            $Checksum.Read.Error | Should -BeNullOrEmpty
            $Checksum.Finding | Should -Not -BeNullOrEmpty -Because "node1's findings were: $(Format-Finding (Get-Problem $Checksum.Read.Findings))"
            $Checksum.Finding.Remedy | Should -Match 'ethtool -K flannel\.1 tx-checksum-ip-generic off'
        }

        It 'is a UdpChecksumErrors Warning on the receiver, node2' {
            $ChecksumReceiver.Error | Should -BeNullOrEmpty
            @($ChecksumReceiver.Findings | Where-Object { $_.Check -eq 'UdpChecksumErrors' -and $_.Severity -eq 'Warning' }).Count | Should -Be 1
        }

        It 'is mended by the finding''s Remedy, run in node1''s namespace' {
            $Checksum.RemedyError | Should -BeNullOrEmpty
            $Checksum.Restored | Should -BeTrue
            @($Checksum.After.Findings | Where-Object { $_.Check -eq 'ChecksumOffload' -and $_.Severity -eq 'Error' }) | Should -BeNullOrEmpty
        }
    }
}

Describe 'Test-FlannelNode on a healthy <Variant> lab' -Skip:$SkipLab -ForEach $HealthyVariants {
    BeforeAll {
        $Lab = Start-Lab -Prefix "hl$($Variant.Substring(0, 1))$PID" -Option ($Option + @('--out', (Join-Path $TestDrive "state-$Variant")))
        $Prefix = $Lab.prefix
        $Traffic = Test-PodTraffic -Prefix $Prefix
        $Read = @{}
        foreach ($node in 'master', 'node1', 'node2') { $Read[$node] = Get-LabFinding -Lab $Lab -Node $node }
        if ($Variant -eq 'nftables') {
            # flannel's nft accept ends only its own base chain: Docker's iptables-nft policy DROP still drops.
            $DockerRound = Invoke-FaultRound -Lab $Lab -Case @{ Fault = 'docker-forward-drop'; Check = 'ForwardFilter'
                LabRemedy = 'iptables-nft -I FORWARD 1 -s 10.244.0.0/16 -j ACCEPT' }
        }
    }

    AfterAll { Stop-Lab -Prefix $Prefix }

    It 'carries pod traffic both ways' {
        $Traffic | Should -BeTrue
    }

    It 'gives no Error, no Warning and no Unknown on any node, and reads the documents without a warning' {
        foreach ($node in 'master', 'node1', 'node2') {
            $Read[$node].Error | Should -BeNullOrEmpty
            $Read[$node].ReadWarnings | Should -BeNullOrEmpty
            $problems = Get-Problem $Read[$node].Findings
            $problems | Should -BeNullOrEmpty -Because "$node is healthy ($(Format-Finding $problems))"
            $Read[$node].Findings | Should -Not -BeNullOrEmpty
        }
    }

    if ($Variant -eq 'nftables') {
        It 'breaks with Docker''s FORWARD policy DROP, names it a ForwardFilter Error, and is mended by its Remedy' {
            $DockerRound.Broken | Should -BeTrue
            $DockerRound.Read.Error | Should -BeNullOrEmpty
            $DockerRound.Finding | Should -Not -BeNullOrEmpty -Because "node1's findings were: $(Format-Finding (Get-Problem $DockerRound.Read.Findings))"
            $DockerRound.RemedyError | Should -BeNullOrEmpty
            $DockerRound.Restored | Should -BeTrue
        }
    }
}
