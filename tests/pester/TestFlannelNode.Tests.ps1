# Test-FlannelNode as users meet it: the committed lab snapshots with edited copies of a real nodes.json (cluster
# checks), deserialized inputs, the stand-in kubectl for the default -Node, errors; and a real lab whose faults each
# make their check fail, read live inside the nodes' namespaces.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    $script:SkipLab = Test-LabSkipped
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot ../../FlannelTools.psd1) -Force
    $RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot ../..)).Path
    $LabDir = Join-Path $RepoRoot 'tests/lab'
    $HealthyNodesJson = Join-Path $RepoRoot 'tests/data/cluster/nodes-healthy.json'
    $Node1State = Get-FlannelNodeState -Path (Join-Path $RepoRoot 'tests/data/nodestate/healthy/node1.state')
    $Walkthrough = @{ master = '02:f1:a4:00:00:0b'; node1 = '32:73:d8:d1:e9:78'; node2 = 'ee:81:17:b0:fd:7b' }

    # A copy of the lab's real nodes.json with one node's annotations or spec changed.
    function New-EditedNodes {
        param([string] $Name, [scriptblock] $Edit)
        $list = Get-Content -LiteralPath $HealthyNodesJson -Raw | ConvertFrom-Json
        & $Edit ($list.items | Where-Object { $_.metadata.name -eq $Name })
        $path = Join-Path $TestDrive "nodes-$([guid]::NewGuid().ToString('n')).json"
        $list | ConvertTo-Json -Depth 20 | Set-Content -LiteralPath $path
        $path
    }

    function Get-Problem { param($Findings) @($Findings | Where-Object Severity -ne 'Information') }
}

Describe 'Test-FlannelNode on the lab''s real tables' {
    It 'finds nothing wrong in a healthy node''s tables, says Unknown for the host layer its snapshot lacks, and -Quiet says $false' {
        $nodes = Get-FlannelNode -Path $HealthyNodesJson

        $findings = @(Test-FlannelNode -NodeState $Node1State -Node $nodes)
        $findings.Count | Should -Be 1
        ($findings[0].Check, $findings[0].Severity, $findings[0].Node) | Should -Be @('HostLayer', 'Unknown', 'node1')
        Test-FlannelNode -NodeState $Node1State -Node $nodes -Quiet | Should -BeExactly $false -Because 'a node whose packet filter was not seen is not healthy'
    }

    It 'shows the checks that passed with -IncludePassed, as Information about node1, master and node2' {
        $all = @(Get-FlannelNode -Path $HealthyNodesJson | Test-FlannelNode -NodeState $Node1State -IncludePassed)

        $tables = @($all | Where-Object Check -ne 'HostLayer')
        $tables.Count | Should -Be 17
        $tables.Severity | Sort-Object -Unique | Should -Be 'Information'
        ($all | Where-Object Check -eq 'HostLayer').Severity | Should -Be 'Unknown'
        $all.LocalNode | Sort-Object -Unique | Should -Be 'node1'
        @($all | Where-Object Check -in 'Route', 'Neighbor', 'Fdb').Node | Sort-Object -Unique | Should -Be @('master', 'node2')
        ($all | Where-Object { $_.Check -eq 'Neighbor' -and $_.Node -eq 'node2' }).Actual | Should -Be '10.244.2.0 dev flannel.1 lladdr ee:81:17:b0:fd:7b PERMANENT'
    }

    It 'prints a table of Severity, Check, Node and Message, and a list with Expected, Actual and Remedy' {
        $path = New-EditedNodes node2 { param($n) $n.metadata.annotations.'flannel.alpha.coreos.com/backend-data' = '{"VNI":1,"VtepMAC":"5a:00:00:00:00:02"}' }
        $findings = Get-FlannelNode -Path $path | Test-FlannelNode -NodeState $Node1State

        ($findings | Format-Table | Out-String -Width 200) | Should -Match 'Severity\s+Check\s+Node\s+Message'
        $list = $findings | Where-Object Check -eq Neighbor | Format-List | Out-String -Width 200
        $list | Should -Match 'Expected\s+: 10\.244\.2\.0 dev flannel\.1 lladdr 5a:00:00:00:00:02 PERMANENT'
        $list | Should -Match 'Remedy\s+: ip neigh replace 10\.244\.2\.0 lladdr 5a:00:00:00:00:02 dev flannel\.1 nud permanent'
    }

    It 'reports <Case> from an edited copy of a real nodes.json' -TestCases @(
        @{ Case = 'two nodes announcing one public IP'; Name = 'master'; Check = 'PublicAddressUnique'; Nodes = @('master', 'node2')
            Edit = { param($n) $n.metadata.annotations.'flannel.alpha.coreos.com/public-ip' = '192.168.0.13' } }
        @{ Case = 'a VXLAN node without a VtepMac'; Name = 'node2'; Check = 'VtepMacAnnounced'; Nodes = @('node2')
            Edit = { param($n) $n.metadata.annotations.'flannel.alpha.coreos.com/backend-data' = '{"VNI":1}' } }
        @{ Case = 'overlapping pod CIDRs'; Name = 'master'; Check = 'PodCidrOverlap'; Nodes = @('master', 'node1', 'node2')
            Edit = { param($n) $n.spec.podCIDR = '10.244.0.0/16'; $n.spec.podCIDRs = @('10.244.0.0/16') } }
        @{ Case = 'a Windows VNI on one node'; Name = 'node2'; Check = 'VniConsistent'; Nodes = @('node2')
            Edit = { param($n) $n.metadata.annotations.'flannel.alpha.coreos.com/backend-data' = '{"VNI":4096,"VtepMAC":"ee:81:17:b0:fd:7b"}' } }
    ) {
        $path = New-EditedNodes $Name $Edit

        $findings = @(Get-FlannelNode -Path $path | Test-FlannelNode -NodeState $Node1State -Name node1 | Where-Object Check -eq $Check)

        $findings.Severity | Sort-Object -Unique | Should -Be 'Error'
        $findings.Node | Sort-Object | Should -Be $Nodes
        Test-FlannelNode -NodeState $Node1State -Node (Get-FlannelNode -Path $path) -Name node1 -Quiet | Should -BeExactly $false
    }

    It 'names the Windows/Linux mismatch for a VNI of 4096 among VNI 1' {
        $path = New-EditedNodes node2 { param($n) $n.metadata.annotations.'flannel.alpha.coreos.com/backend-data' = '{"VNI":4096,"VtepMAC":"ee:81:17:b0:fd:7b"}' }
        $finding = Get-FlannelNode -Path $path | Test-FlannelNode -NodeState $Node1State | Where-Object Check -eq VniConsistent
        $finding.Message | Should -Match 'Windows'
        $finding.Message | Should -Match '4789'
    }

    It 'checks the port given with -Port' {
        $finding = @(Test-FlannelNode -NodeState $Node1State -Node (Get-FlannelNode -Path $HealthyNodesJson) -Port 4789 | Where-Object Check -ne 'HostLayer')
        $finding.Count | Should -Be 1
        $finding[0].Check | Should -Be 'VtepPort'
        $finding[0].Expected | Should -Be '4789'
        $finding[0].Actual | Should -Be '8472'
    }

    It 'asks for -Name when two nodes have the VTEP''s address, and refuses a name no node has, as errors a script goes on from' {
        $path = New-EditedNodes node2 { param($n) $n.metadata.annotations.'flannel.alpha.coreos.com/public-ip' = '192.168.0.12' }
        $out = @(Test-FlannelNode -NodeState $Node1State -Node (Get-FlannelNode -Path $path) -ErrorVariable ambiguous -ErrorAction SilentlyContinue)
        $out | Should -BeNullOrEmpty
        $ambiguous[0].FullyQualifiedErrorId | Should -Be 'LocalNodeAmbiguous,FlannelTools.Commands.TestFlannelNodeCommand'
        $null = Test-FlannelNode -NodeState $Node1State -Node (Get-FlannelNode -Path $HealthyNodesJson) -Name node9 -ErrorVariable missing -ErrorAction SilentlyContinue
        $missing[0].FullyQualifiedErrorId | Should -Be 'NodeNotFound,FlannelTools.Commands.TestFlannelNodeCommand'
    }

    It 'with -Quiet writes exactly one $false after the error when it cannot tell which node it checks, so an if statement takes its branch' {
        $quiet = @(Test-FlannelNode -NodeState $Node1State -Node (Get-FlannelNode -Path $HealthyNodesJson) -Name node9 -Quiet -ErrorVariable missing -ErrorAction SilentlyContinue)
        $quiet.Count | Should -Be 1
        $quiet[0] | Should -BeOfType [bool]
        $quiet[0] | Should -BeFalse
        $missing[0].FullyQualifiedErrorId | Should -Be 'NodeNotFound,FlannelTools.Commands.TestFlannelNodeCommand'
        $branch = 'not taken'
        if (-not (Test-FlannelNode -NodeState $Node1State -Node (Get-FlannelNode -Path $HealthyNodesJson) -Name node9 -Quiet -ErrorAction SilentlyContinue)) { $branch = 'taken' }
        $branch | Should -Be 'taken'
    }

    It 'refuses piped objects that are not nodes instead of checking against the cluster kubectl points at' {
        $saved = @{ PATH = $env:PATH; FLANNEL_LAB_KUBECTL_LOG = $env:FLANNEL_LAB_KUBECTL_LOG }
        $env:PATH = $LabDir + [IO.Path]::PathSeparator + $env:PATH
        $env:FLANNEL_LAB_KUBECTL_LOG = Join-Path $TestDrive 'piped-kubectl.log'
        try {
            $quiet = @(Get-Process -Id $PID | Select-Object Name, Id | Test-FlannelNode -NodeState $Node1State -Quiet -ErrorVariable piped -ErrorAction SilentlyContinue)
            $empty = @(@() | Test-FlannelNode -NodeState $Node1State -ErrorVariable none -ErrorAction SilentlyContinue)
        }
        finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }

        $quiet | Should -Be @($false)
        @($piped.FullyQualifiedErrorId) | Should -Contain 'NoPipedNodes,FlannelTools.Commands.TestFlannelNodeCommand'
        $empty | Should -BeNullOrEmpty
        @($none.FullyQualifiedErrorId) | Should -Contain 'NoPipedNodes,FlannelTools.Commands.TestFlannelNodeCommand'
        Join-Path $TestDrive 'piped-kubectl.log' | Should -Not -Exist -Because 'kubectl is never asked when the pipeline held no node'
    }
}

Describe 'Test-FlannelNode inputs' {
    It 'takes a NodeState and FlannelNodes deserialized at depth 1, as remoting and $using: give them' {
        $nodes = Get-FlannelNode -Path $HealthyNodesJson
        $path = New-EditedNodes node2 { param($n) $n.metadata.annotations.'flannel.alpha.coreos.com/backend-data' = '{"VNI":1,"VtepMAC":"5a:00:00:00:00:02"}' }
        $edited = Get-FlannelNode -Path $path
        $state = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($Node1State, 1))
        $deserializedNodes = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($edited, 1))
        $state.PSObject.TypeNames | Should -Contain 'Deserialized.FlannelTools.NodeState'
        $deserializedNodes[0].PSObject.TypeNames | Should -Contain 'Deserialized.FlannelTools.FlannelNode'

        $fromDeserialized = @(Test-FlannelNode -NodeState $state -Node $deserializedNodes)
        $piped = @($deserializedNodes | Test-FlannelNode -NodeState $state)
        $original = @(Test-FlannelNode -NodeState $Node1State -Node $edited)

        $original.Count | Should -Be 4
        @($original | Where-Object Check -eq 'HostLayer').Count | Should -Be 1
        ($fromDeserialized | ForEach-Object ToString) | Should -Be ($original | ForEach-Object ToString)
        ($piped | ForEach-Object ToString) | Should -Be ($original | ForEach-Object ToString)
        @(Test-FlannelNode -NodeState $state -Node $nodes).Check | Should -Be 'HostLayer'
    }

    It 'emits findings that keep their views and compare by Severity after a round trip through Clixml' {
        $path = New-EditedNodes node2 { param($n) $n.metadata.annotations.'flannel.alpha.coreos.com/backend-data' = '{"VNI":1,"VtepMAC":"5a:00:00:00:00:02"}' }
        $file = Join-Path $TestDrive 'findings.xml'
        Get-FlannelNode -Path $path | Test-FlannelNode -NodeState $Node1State | Export-Clixml -LiteralPath $file

        $back = Import-Clixml -LiteralPath $file

        @($back | Where-Object Severity -eq 'Error').Count | Should -Be 2
        ($back | Format-Table | Out-String -Width 200) | Should -Match 'Severity\s+Check\s+Node\s+Message'
    }

    It 'reads the nodes through kubectl when no -Node is given' {
        $saved = @{ PATH = $env:PATH; FLANNEL_LAB_NODES = $env:FLANNEL_LAB_NODES; FLANNEL_LAB_KUBECTL_LOG = $env:FLANNEL_LAB_KUBECTL_LOG }
        $env:PATH = $LabDir + [IO.Path]::PathSeparator + $env:PATH
        $env:FLANNEL_LAB_NODES = New-EditedNodes node2 { param($n) $n.metadata.annotations.'flannel.alpha.coreos.com/public-ip' = '192.168.0.99' }
        $env:FLANNEL_LAB_KUBECTL_LOG = Join-Path $TestDrive 'kubectl.log'
        try { $findings = @(Test-FlannelNode -NodeState $Node1State) }
        finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }

        $log = @(Get-Content (Join-Path $TestDrive 'kubectl.log'))
        $log[0] | Should -Be 'get nodes -o json'
        $log[1..3] | Should -Be @('get configmap kube-flannel-cfg -n kube-flannel -o json', 'get configmap kube-flannel-cfg -n kube-system -o json', 'get configmap -A -l app=flannel -o json') -Because 'net-conf.json is looked for where flannel keeps it'
        $findings = @($findings | Where-Object Check -ne 'HostLayer')
        $findings.Count | Should -Be 1
        $findings[0].Check | Should -Be 'Fdb'
        $findings[0].Remedy | Should -BeExactly 'bridge fdb replace ee:81:17:b0:fd:7b dev flannel.1 dst 192.168.0.99 self permanent'
    }

    It 'writes kubectl''s error when kubectl fails and no -Node is given, and -Quiet then says $false once' {
        $saved = @{ PATH = $env:PATH; FLANNEL_LAB_KUBECTL_FAIL = $env:FLANNEL_LAB_KUBECTL_FAIL }
        $env:PATH = $LabDir + [IO.Path]::PathSeparator + $env:PATH
        $env:FLANNEL_LAB_KUBECTL_FAIL = '1'
        try {
            $out = @(Test-FlannelNode -NodeState $Node1State -ErrorVariable failed -ErrorAction SilentlyContinue)
            $quiet = @(Test-FlannelNode -NodeState $Node1State -Quiet -ErrorAction SilentlyContinue)
        }
        finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }

        $out | Should -BeNullOrEmpty
        $failed[0].FullyQualifiedErrorId | Should -Be 'KubectlFailed,FlannelTools.Commands.TestFlannelNodeCommand'
        $quiet | Should -Be @($false)
    }

    It 'pins the cluster: -Context and -Kubeconfig reach kubectl' {
        $saved = @{ PATH = $env:PATH; FLANNEL_LAB_NODES = $env:FLANNEL_LAB_NODES; FLANNEL_LAB_KUBECTL_LOG = $env:FLANNEL_LAB_KUBECTL_LOG }
        $env:PATH = $LabDir + [IO.Path]::PathSeparator + $env:PATH
        $env:FLANNEL_LAB_NODES = $HealthyNodesJson
        $env:FLANNEL_LAB_KUBECTL_LOG = Join-Path $TestDrive 'pinned-kubectl.log'
        try { $null = Test-FlannelNode -NodeState $Node1State -Context prod -Kubeconfig /etc/k/prod.conf }
        finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }

        $log = @(Get-Content (Join-Path $TestDrive 'pinned-kubectl.log'))
        $log | Should -Not -BeNullOrEmpty
        $log | ForEach-Object { $_ | Should -Match '--context prod' ; $_ | Should -Match '--kubeconfig /etc/k/prod.conf' }
        $log[0] | Should -Match '^get nodes -o json'
    }
}

Describe 'Test-FlannelNode on a real lab with faults' -Skip:$SkipLab {
    BeforeAll {
        $Prefix = "tfn$PID"
        $StateDir = Join-Path $TestDrive 'state'
        $null = Start-Lab -Prefix $Prefix -Option @('--out', $StateDir)
        $NodesJson = Join-Path $StateDir 'nodes.json'

        # stale-vtepmac node2 comes last and no other fault is made on node2: recreating its VTEP re-adds node2's own entries.
        # In each node's namespace at once: the live tables (Export-Clixml) and Test-FlannelNode run live there.
        function Read-Lab([string] $Round, [string[]] $Nodes = @('master', 'node1', 'node2')) {
            $nodesCopy = Join-Path $TestDrive "$Round-nodes.json"
            Copy-Item -LiteralPath $NodesJson -Destination $nodesCopy
            $started = foreach ($node in $Nodes) {
                Start-PwshInLab -Prefix $Prefix -Node $node -WorkingDirectory $TestDrive -Script @"
Get-FlannelNodeState -HostName $node -SubnetEnvPath '$StateDir/$node/subnet.env' | Export-Clixml '$TestDrive/$Round-$node-state.xml'
`$nodes = Get-FlannelNode -Path '$nodesCopy'
`$netConf = Get-FlannelNetConf -Path '$StateDir/net-conf.json'
Test-FlannelNode -Node `$nodes -NetConf `$netConf -SubnetEnvPath '$StateDir/$node/subnet.env' -IncludePassed | Export-Clixml '$TestDrive/$Round-$node-findings.xml'
Test-FlannelNode -Node `$nodes -NetConf `$netConf -SubnetEnvPath '$StateDir/$node/subnet.env' -Quiet | Export-Clixml '$TestDrive/$Round-$node-quiet.xml'
"@
            }
            foreach ($s in $started) { $null = Wait-PwshInLab $s -TimeoutSeconds 120 }
            $result = @{ Nodes = $nodesCopy }
            foreach ($node in $Nodes) {
                $result[$node] = [pscustomobject]@{
                    State    = Import-Clixml "$TestDrive/$Round-$node-state.xml"
                    Findings = @(Import-Clixml "$TestDrive/$Round-$node-findings.xml")
                    Quiet    = Import-Clixml "$TestDrive/$Round-$node-quiet.xml"
                }
            }
            $result
        }

        $Healthy = Read-Lab healthy
        $null = Invoke-Lab fault --prefix $Prefix drop-udp node1
        $DropUdp = Read-Lab drop-udp -Nodes node1
        $null = Invoke-Lab fault --prefix $Prefix missing-fdb node1 node2
        $null = Invoke-Lab fault --prefix $Prefix missing-route node1 master
        $null = Invoke-Lab fault --prefix $Prefix missing-neigh master node1
        $null = Invoke-Lab fault --prefix $Prefix wrong-fdb-dst node1 master
        $null = Invoke-Lab fault --prefix $Prefix mtu master
        $null = Invoke-Lab fault --prefix $Prefix stale-vtepmac node2 --mac 5a:00:00:00:00:0d
        $Faulted = Read-Lab faulted
    }

    AfterAll { Stop-Lab -Prefix $Prefix }

    It 'finds no Error on any healthy node, shows the passed checks as Information, and -Quiet says $true' {
        foreach ($node in 'master', 'node1', 'node2') {
            $Healthy[$node].Quiet | Should -BeExactly $true
            @($Healthy[$node].Findings | Where-Object Severity -ne 'Information') | Should -BeNullOrEmpty -Because "$node is healthy"
            @($Healthy[$node].Findings | Where-Object Check -in 'Route', 'Neighbor', 'Fdb', 'VxlanPortOpen', 'ForwardFilter', 'IpForwarding').Count | Should -BeGreaterThan 8
            ($Healthy[$node].Findings.LocalNode | Sort-Object -Unique) | Should -Be $node
        }
    }

    It 'gives the same findings from the exported live tables as live' {
        $fromFile = @(Test-FlannelNode -NodeState $Healthy.node1.State -Node (Get-FlannelNode -Path $Healthy.Nodes) -NetConf (Get-FlannelNetConf -Path (Join-Path $StateDir 'net-conf.json')) -IncludePassed)
        ($fromFile | ForEach-Object ToString) | Should -Be ($Healthy.node1.Findings | ForEach-Object ToString)
    }

    It 'sees UDP 8472 dropped by nftables, which the tables cannot show, as a VxlanPortOpen Error naming the rule' {
        $tables = 'Route', 'Neighbor', 'Fdb', 'VtepPresent', 'VtepMac', 'VtepVni', 'VtepPort', 'VtepLocalAddress', 'VtepMtu'
        ($DropUdp.node1.Findings | Where-Object Check -in $tables | ForEach-Object ToString) | Should -Be ($Healthy.node1.Findings | Where-Object Check -in $tables | ForEach-Object ToString)
        $finding = @($DropUdp.node1.Findings | Where-Object { $_.Check -eq 'VxlanPortOpen' -and $_.Severity -eq 'Error' })
        $finding.Count | Should -Be 1
        $finding[0].Message | Should -Match 'flannel_lab'
        $DropUdp.node1.Quiet | Should -BeExactly $false
    }

    It 'reports <Fault> on <On> as a <Check> Error about <About>' -TestCases @(
        @{ Fault = 'missing-fdb node1 node2'; On = 'node1'; Check = 'Fdb'; About = 'node2'; Remedy = 'bridge fdb replace 5a:00:00:00:00:0d dev flannel.1 dst 192.168.0.13 self permanent' }
        @{ Fault = 'missing-route node1 master'; On = 'node1'; Check = 'Route'; About = 'master'; Remedy = 'ip route replace 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink' }
        @{ Fault = 'missing-neigh master node1'; On = 'master'; Check = 'Neighbor'; About = 'node1'; Remedy = 'ip neigh replace 10.244.1.0 lladdr 32:73:d8:d1:e9:78 dev flannel.1 nud permanent' }
        @{ Fault = 'wrong-fdb-dst node1 master'; On = 'node1'; Check = 'Fdb'; About = 'master'; Remedy = 'bridge fdb replace 02:f1:a4:00:00:0b dev flannel.1 dst 192.168.0.11 self permanent' }
        @{ Fault = 'mtu master'; On = 'master'; Check = 'VtepMtu'; About = 'master'; Remedy = 'ip link set dev flannel.1 mtu 1350' }
    ) {
        $finding = @($Faulted[$On].Findings | Where-Object { $_.Check -eq $Check -and $_.Node -eq $About })
        $finding.Count | Should -Be 1
        $finding[0].Severity | Should -Be 'Error'
        $finding[0].Remedy | Should -BeExactly $Remedy
        $Faulted[$On].Quiet | Should -BeExactly $false
    }

    It 'reports the stale VtepMAC of node2 on master: the old and the announced MAC, and the commands that mend it' {
        $errors = @($Faulted.master.Findings | Where-Object { $_.Severity -eq 'Error' -and $_.Node -eq 'node2' })

        $neighbor = $errors | Where-Object Check -eq Neighbor
        $neighbor.Message | Should -Match ([regex]::Escape($Walkthrough.node2))
        $neighbor.Message | Should -Match '5a:00:00:00:00:0d'
        $neighbor.Remedy | Should -BeExactly 'ip neigh replace 10.244.2.0 lladdr 5a:00:00:00:00:0d dev flannel.1 nud permanent'
        $fdb = $errors | Where-Object Check -eq Fdb
        $fdb.Message | Should -Match ([regex]::Escape($Walkthrough.node2))
        $fdb.Remedy | Should -BeExactly 'bridge fdb replace 5a:00:00:00:00:0d dev flannel.1 dst 192.168.0.13 self permanent'
        $stale = $Faulted.master.Findings | Where-Object Check -eq StaleFdb
        $stale.Severity | Should -Be 'Warning'
        $stale.Remedy | Should -BeExactly "bridge fdb del $($Walkthrough.node2) dev flannel.1 self"
    }

    It 'reports node2''s own VTEP MAC as an Error while the cluster still announces the old one (the udev case)' {
        $finding = @(Test-FlannelNode -NodeState $Faulted.node2.State -Node (Get-FlannelNode -Path $Healthy.Nodes) | Where-Object Check -eq VtepMac)
        $finding.Count | Should -Be 1
        $finding[0].Severity | Should -Be 'Error'
        $finding[0].Expected | Should -Be $Walkthrough.node2
        $finding[0].Actual | Should -Be '5a:00:00:00:00:0d'
        $finding[0].Remedy | Should -BeExactly "ip link set dev flannel.1 address $($Walkthrough.node2)"
    }
}
