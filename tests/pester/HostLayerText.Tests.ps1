# The host layer as users paste it and save it: Get-FlannelNodeState's -SysctlText, -FirewallText, -OffloadText,
# -SubnetEnvText and -NetConfText on what the real tools printed (tests/data/hostlayer), the parts a state holds and
# does not, bad input, and the round trip through Export-Clixml into Test-FlannelNode.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../FlannelTools.psd1) -Force
    $script:Data = Join-Path $PSScriptRoot ../data/hostlayer
    $script:NodeStateData = Join-Path $PSScriptRoot ../data/nodestate/healthy/node1
    $script:HealthyNodesJson = Join-Path $PSScriptRoot ../data/cluster/nodes-healthy.json
    function Get-Data([string] $File) { Get-Content -LiteralPath (Join-Path $Data $File) }

    # node1 of the walkthrough's lab from its own ip output, with the host-layer text given.
    function Get-Node1State {
        param([hashtable] $HostText = @{})
        Get-FlannelNodeState -LinkText (Get-Content (Join-Path $NodeStateData ip-d-link.txt)) -AddressText (Get-Content (Join-Path $NodeStateData ip-addr.txt)) `
            -RouteText (Get-Content (Join-Path $NodeStateData ip-route.txt)) -NeighborText (Get-Content (Join-Path $NodeStateData ip-neigh.txt)) `
            -FdbText (Get-Content (Join-Path $NodeStateData bridge-fdb.txt)) -HostName node1 @HostText
    }
}

Describe 'Get-FlannelNodeState with pasted host-layer text' {
    It 'reads nft list ruleset text and its JSON into the same chains and rules' {
        $text = Get-FlannelNodeState -FirewallText (Get-Data nft/input-drop-8472.txt)
        $json = Get-FlannelNodeState -FirewallText (Get-Data nft/input-drop-8472.json)

        $text.FirewallBackends | Should -Be 'nftables'
        $chain = $text.FirewallChains | Where-Object Name -eq 'input'
        ($chain.Table, $chain.Hook, $chain.Priority, $chain.Policy) | Should -Be @('flannel_lab', 'input', 0, 'accept')
        $rule = $text.FirewallRules | Where-Object Position -eq 1
        $rule.Text | Should -Match '^udp dport 8472 counter drop'
        $rule.Packets | Should -Be 3
        ($json.FirewallRules | ForEach-Object Text) | Should -Be ($text.FirewallRules | ForEach-Object Text)
    }

    It 'tells iptables-save of the legacy tool and iptables -vL apart by their text, and reads the same drop from both' {
        $save = Get-FlannelNodeState -FirewallText (Get-Data iptables/split.iptables-legacy-save-c.txt)
        $list = Get-FlannelNodeState -FirewallText (Get-Data iptables/split.iptables-legacy-L-n-v.txt)

        $save.FirewallBackends | Should -Be 'iptables-legacy'
        ($save.FirewallChains | Where-Object Name -eq 'FORWARD').Policy | Should -Be 'drop'
        ($list.FirewallChains | Where-Object Name -eq 'FORWARD').Policy | Should -Be 'drop'
        $saveDrop = $save.FirewallRules | Where-Object Chain -eq 'INPUT'
        $listDrop = $list.FirewallRules | Where-Object Chain -eq 'INPUT'
        $saveDrop.Text | Should -Be '-A INPUT -p udp -m udp --dport 8472 -j DROP'
        $listDrop.Packets | Should -Be $saveDrop.Packets
    }

    It 'reads ethtool -k text, naming the device from its Features line' {
        $state = Get-FlannelNodeState -OffloadText (Get-Data kernel/ethtool-k-flannel.1.txt)
        $offload = $state.Offloads | Where-Object Feature -eq 'tx-checksum-ip-generic'
        ($offload.Device, $offload.Enabled) | Should -Be @('flannel.1', $false)
        ($state.Offloads | Format-Table | Out-String) | Should -Match 'tx-checksum-ip-generic\s+off'
    }

    It 'reads sysctl -a lines, with a device''s dot written as a slash' {
        $state = Get-FlannelNodeState -SysctlText (Get-Data kernel/sysctl-a-filtered.txt)
        $state.GetSysctl('net.ipv4.conf.flannel/1.forwarding') | Should -Be '1'
        $state.ReadParts | Should -Contain 'Sysctls'
    }

    It 'reads subnet.env and net-conf.json as flanneld writes and kube-flannel.yml ships them' {
        $state = Get-FlannelNodeState -SubnetEnvText (Get-Data flannel/subnet.env) -NetConfText (Get-Data flannel/net-conf.json)
        ($state.SubnetEnv.Subnet, $state.SubnetEnv.Mtu, $state.SubnetEnv.IpMasq) | Should -Be @('10.244.1.1/24', 1450, $true)
        ($state.NetConf.Network, $state.NetConf.BackendType, $state.NetConf.EffectivePort) | Should -Be @('10.244.0.0/16', 'vxlan', 8472)
    }

    It 'leaves every part that was not given null, never empty, and lists none as not read' {
        $state = Get-FlannelNodeState -SubnetEnvText (Get-Data flannel/subnet.env)
        $state.FirewallRules | Should -BeNullOrEmpty
        $null -eq $state.FirewallRules | Should -BeTrue
        $null -eq $state.Sysctls | Should -BeTrue
        $state.ReadParts | Should -Be 'SubnetEnv'
        @($state.NotRead).Count | Should -Be 0
    }

    It 'warns with the parameter and line of a ruleset line it cannot read, and records the packet filter as not read' {
        $text = @(Get-Data nft/input-drop-8472.txt)
        $bad = $text[0..2] + 'udp dport 8472 counter drop' + '}' + 'garbage outside any table' + $text[3..($text.Count - 1)]
        $state = Get-FlannelNodeState -FirewallText $bad -WarningVariable warnings -WarningAction SilentlyContinue

        @($warnings).Count | Should -BeGreaterThan 0
        "$($warnings[0])" | Should -Match '^-FirewallText:\d+: '
        $unread = $state.NotRead | Where-Object Part -eq 'Nftables'
        $unread.Reason | Should -Match 'could not be parsed'
    }
}

Describe 'Test-FlannelNode on pasted host-layer text' {
    It 'names the nft drop of UDP 8472 in node1''s pasted ruleset, with the nft command that opens it' {
        $state = Get-Node1State @{ FirewallText = (Get-Data nft/input-drop-8472.txt) }
        $finding = @(Test-FlannelNode -NodeState $state -Node (Get-FlannelNode -Path $HealthyNodesJson) | Where-Object Check -eq VxlanPortOpen)

        @($finding | Where-Object Severity -eq 'Error').Count | Should -Be 1
        ($finding | Where-Object Severity -eq 'Error').Remedy | Should -BeExactly 'nft insert rule inet flannel_lab input udp dport 8472 accept'
    }

    It 'says Unknown, not passed, for the backends a pasted ruleset does not show' {
        $state = Get-Node1State @{ FirewallText = (Get-Data nft/forward-policy-drop.txt) }
        $findings = @(Test-FlannelNode -NodeState $state -Node (Get-FlannelNode -Path $HealthyNodesJson) -IncludePassed | Where-Object Check -eq VxlanPortOpen)

        $findings | Should -Not -BeNullOrEmpty
        @($findings | Where-Object Severity -eq 'Unknown').Count | Should -BeGreaterThan 0
        Test-FlannelNode -NodeState $state -Node (Get-FlannelNode -Path $HealthyNodesJson) -Quiet | Should -BeExactly $false
    }

    It 'gives the same findings from a state saved with Export-Clixml' {
        $state = Get-Node1State @{ FirewallText = (Get-Data iptables/rhel7.iptables-legacy-save-c.txt); SubnetEnvText = (Get-Data flannel/subnet.env) }
        $state | Export-Clixml -LiteralPath TestDrive:/node1.xml
        $back = Import-Clixml -LiteralPath TestDrive:/node1.xml
        $nodes = Get-FlannelNode -Path $HealthyNodesJson

        $back.PSObject.TypeNames | Should -Contain 'Deserialized.FlannelTools.NodeState'
        $original = @(Test-FlannelNode -NodeState $state -Node $nodes -IncludePassed | ForEach-Object ToString)
        $original | Where-Object { $_ -match '^Error ForwardFilter' } | Should -Not -BeNullOrEmpty
        @(Test-FlannelNode -NodeState $back -Node $nodes -IncludePassed | ForEach-Object ToString) | Should -Be $original
    }
}
