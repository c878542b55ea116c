# Test-FlannelCluster as users meet it: the committed lab snapshots (input, errors, -Quiet, deserialized states), and
# a real lab whose collector documents (DIR/<node>/node.state, host layer included) are checked from the admin side:
# the healthy lab is silent, and node2's new VTEP MAC is one Error about node2, not one per peer entry.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    $script:SkipLab = Test-LabSkipped
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot ../../FlannelTools.psd1) -Force
    $RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot ../..)).Path
    $HealthyNodesJson = Join-Path $RepoRoot 'tests/data/cluster/nodes-healthy.json'
    $Snapshots = @(Get-FlannelNodeState -Path (Join-Path $RepoRoot 'tests/data/nodestate/healthy/node1.state'), (Join-Path $RepoRoot 'tests/data/nodestate/healthy/node2.state'))
}

Describe 'Test-FlannelCluster on the committed lab snapshots' {
    It 'checks each piped state with LocalNode set, names the node without a state as Unknown, and -Quiet says $false' {
        $nodes = Get-FlannelNode -Path $HealthyNodesJson
        $findings = @($Snapshots | Test-FlannelCluster -Node $nodes)

        # master has no state; node1's and node2's snapshots carry no host layer
        @($findings | ForEach-Object { "$($_.Severity) $($_.Check) $($_.Node) $($_.LocalNode)" }) | Should -Be @(
            'Unknown Coverage master ', 'Unknown HostLayer node1 node1', 'Unknown HostLayer node2 node2')
        $findings[0].AffectedNodes | Should -Be @('master')
        @($Snapshots | Test-FlannelCluster -Node $nodes -Quiet) | Should -Be @($false)

        $passed = @($Snapshots | Test-FlannelCluster -Node $nodes -IncludePassed | Where-Object Check -eq 'Neighbor')
        ($passed | ForEach-Object { "$($_.LocalNode)->$($_.Node)" } | Sort-Object) | Should -Be @('node1->master', 'node1->node2', 'node2->master', 'node2->node1')
    }

    It 'takes states deserialized at depth 1, piped or as -NodeState, as live ones' {
        $nodes = Get-FlannelNode -Path $HealthyNodesJson
        $deserialized = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($Snapshots, 1))
        $deserialized[0].PSObject.TypeNames | Should -Contain 'Deserialized.FlannelTools.NodeState'
        $original = @(Test-FlannelCluster -NodeState $Snapshots -Node $nodes -IncludePassed | ForEach-Object { "$($_.Id) $_" })

        @($deserialized | Test-FlannelCluster -Node $nodes -IncludePassed | ForEach-Object { "$($_.Id) $_" }) | Should -Be $original
        @(Test-FlannelCluster -NodeState $deserialized -Node $nodes -IncludePassed | ForEach-Object { "$($_.Id) $_" }) | Should -Be $original
    }

    It 'writes one NoNodeStates error for an empty input, and -Quiet then writes exactly one $false' {
        $nodes = Get-FlannelNode -Path $HealthyNodesJson
        $out = @(@() | Test-FlannelCluster -Node $nodes -ErrorVariable failed -ErrorAction SilentlyContinue)
        $quiet = @(@() | Test-FlannelCluster -Node $nodes -Quiet -ErrorVariable quietFailed -ErrorAction SilentlyContinue)

        $out | Should -BeNullOrEmpty
        $failed.Count | Should -Be 1
        $failed[0].FullyQualifiedErrorId | Should -Be 'NoNodeStates,FlannelTools.Commands.TestFlannelClusterCommand'
        $failed[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $quiet | Should -Be @($false)
        $quiet[0] | Should -BeOfType [bool]
        $quietFailed.Count | Should -Be 1
    }

    It 'streams the pairs that are not Passed with -Matrix, every pair with -IncludePassed, as rows for Export-Csv' {
        $nodes = Get-FlannelNode -Path $HealthyNodesJson
        $pairs = @($Snapshots | Test-FlannelCluster -Node $nodes -Matrix)

        # master has no state: the four pairs from and to it are Unknown; node1<->node2 passed
        ($pairs | ForEach-Object { "$($_.From)->$($_.To) $($_.Status)" } | Sort-Object) | Should -Be @(
            'master->node1 Unknown', 'master->node2 Unknown', 'node1->master Unknown', 'node2->master Unknown')
        $pairs[0].FindingIds | Should -Be @('cluster/Coverage/master')
        $all = @($Snapshots | Test-FlannelCluster -Node $nodes -Matrix -IncludePassed)
        $all.Count | Should -Be 6
        ($all | Where-Object { $_.From -eq 'node1' -and $_.To -eq 'node2' }).Status | Should -Be 'Passed'
        $csv = @($all | ConvertTo-Csv | ConvertFrom-Csv)
        $csv[0].PSObject.Properties.Name | Should -Be @('From', 'To', 'Family', 'Route', 'Neighbor', 'Fdb', 'PathMtu', 'Status', 'FindingIds')
        ($pairs | Format-Table | Out-String -Width 200) | Should -Match 'From\s+To\s+Family\s+Route\s+Neighbor\s+Fdb\s+PathMtu\s+Status\s+FindingIds'
    }

    It 'warns of two states of one node, naming both, and uses the newer' {
        $nodes = Get-FlannelNode -Path $HealthyNodesJson
        $older = Join-Path $TestDrive 'node1-older.state'
        (Get-Content -Raw (Join-Path $RepoRoot 'tests/data/nodestate/healthy/node1.state')).Replace('#@ time 2026-11-25T17:42:31Z', '#@ time 2026-11-25T09:00:00Z') |
            Set-Content -NoNewline -LiteralPath $older
        $findings = @(@($Snapshots[0], (Get-FlannelNodeState -Path $older), $Snapshots[1]) | Test-FlannelCluster -Node $nodes -WarningVariable warned -WarningAction SilentlyContinue)

        $duplicate = @($findings | Where-Object Check -eq 'DuplicateState')
        $duplicate.Count | Should -Be 1
        $duplicate[0].Message | Should -Match 'node1\.state'
        $duplicate[0].Message | Should -Match 'node1-older\.state\) \(set aside\)'
        $warned.Count | Should -Be 1
        "$($warned[0])" | Should -Match 'node1-older\.state'
    }
}

Describe 'Test-FlannelCluster on a real lab, from the admin side' -Skip:$SkipLab {
    BeforeAll {
        $Prefix = "cl$PID"
        $StateDir = Join-Path $TestDrive 'state'
        $null = Start-Lab -Prefix $Prefix -Option @('--out', $StateDir)

        # What the collector printed on each node (lab.sh state runs collect-flannel-state.sh in every namespace).
        function Read-LabCluster {
            $states = foreach ($node in 'master', 'node1', 'node2') { Get-FlannelNodeState -Path (Join-Path $StateDir "$node/node.state") }
            [pscustomobject]@{
                States  = @($states)
                Nodes   = @(Get-FlannelNode -Path (Join-Path $StateDir 'nodes.json'))
                NetConf = Get-FlannelNetConf -Path (Join-Path $StateDir 'net-conf.json')
            }
        }
        $Healthy = Read-LabCluster
        $null = Invoke-Lab fault --prefix $Prefix stale-vtepmac node2 --mac 5a:00:00:00:00:0d
        $StaleMac = Read-LabCluster
    }

    AfterAll { Stop-Lab -Prefix $Prefix }

    It 'is silent on the healthy lab, host layer included, and -Quiet says $true' {
        @($Healthy.States | Test-FlannelCluster -Node $Healthy.Nodes -NetConf $Healthy.NetConf) | Should -BeNullOrEmpty
        @($Healthy.States | Test-FlannelCluster -Node $Healthy.Nodes -NetConf $Healthy.NetConf -Quiet) | Should -Be @($true)
        $passed = @($Healthy.States | Test-FlannelCluster -Node $Healthy.Nodes -NetConf $Healthy.NetConf -IncludePassed)
        @($passed | Where-Object Check -eq 'VxlanPortOpen' | ForEach-Object LocalNode | Sort-Object -Unique) | Should -Be @('master', 'node1', 'node2')
    }

    It 'reports node2''s new VTEP MAC as one Error about node2 with master and node1 affected, and the per-peer findings with -Detail' {
        $findings = @($StaleMac.States | Test-FlannelCluster -Node $StaleMac.Nodes -NetConf $StaleMac.NetConf)

        $findings.Count | Should -Be 1 -Because ($findings | Out-String)
        $findings[0].Check | Should -Be 'EntriesForNode'
        $findings[0].Severity | Should -Be 'Error'
        $findings[0].Node | Should -Be 'node2'
        $findings[0].AffectedNodes | Should -Be @('master', 'node1')
        $findings[0].Remedy -split "`n" | Should -Contain 'ip neigh replace 10.244.2.0 lladdr 5a:00:00:00:00:0d dev flannel.1 nud permanent'
        @($StaleMac.States | Test-FlannelCluster -Node $StaleMac.Nodes -NetConf $StaleMac.NetConf -Quiet) | Should -Be @($false)

        $detail = @($StaleMac.States | Test-FlannelCluster -Node $StaleMac.Nodes -NetConf $StaleMac.NetConf -Detail | Where-Object Check -in 'Neighbor', 'Fdb')
        ($detail | ForEach-Object { "$($_.LocalNode) $($_.Check) $($_.Node)" } | Sort-Object) | Should -Be @(
            'master Fdb node2', 'master Neighbor node2', 'node1 Fdb node2', 'node1 Neighbor node2')
    }

    It 'names the failing pairs with -Matrix, the roll-up first among the findings behind them' {
        $pairs = @($StaleMac.States | Test-FlannelCluster -Node $StaleMac.Nodes -NetConf $StaleMac.NetConf -Matrix)

        ($pairs | ForEach-Object { "$($_.From)->$($_.To) $($_.Route) $($_.Neighbor) $($_.Fdb) $($_.PathMtu) $($_.Status)" }) | Should -Be @(
            'master->node2 Passed Failed Failed Passed Failed', 'node1->node2 Passed Failed Failed Passed Failed')
        $pairs[0].FindingIds[0] | Should -Be 'cluster/EntriesForNode/node2'
        $pairs[0].FindingIds | Should -Contain 'master/Neighbor/node2'
    }

    It 'mends the fault with the roll-up''s remedy run on each affected node' {
        $rollup = @($StaleMac.States | Test-FlannelCluster -Node $StaleMac.Nodes -NetConf $StaleMac.NetConf)[0]
        Test-LabTraffic -Prefix $Prefix | Should -BeFalse -Because 'node1 sends to the MAC node2 no longer has'
        foreach ($node in $rollup.AffectedNodes) {
            foreach ($command in $rollup.Remedy -split "`n") { $null = Invoke-LabShell -Prefix $Prefix -Node $node -Command $command }
        }
        Test-LabTraffic -Prefix $Prefix -TimeoutSeconds 5 | Should -BeTrue
    }

    It 'finds node2''s smaller underlay as one PathMtu Warning about node2, master and node1 the senders, though node2 alone is right' {
        # node2: eth0 1400 and flannel.1 1350 (node2's own arithmetic is right); master and node1 send 1450 + 50.
        $null = Invoke-Lab fault --prefix $Prefix mtu node2 --mtu 1400
        $null = Invoke-LabShell -Prefix $Prefix -Node node2 -Command 'ip link set dev flannel.1 mtu 1350'
        $null = Invoke-Lab fault --prefix $Prefix subnet-env node2 --mtu 1350
        $lab = Read-LabCluster
        $findings = @($lab.States | Test-FlannelCluster -Node $lab.Nodes -NetConf $lab.NetConf | Where-Object Severity -ne 'Information')

        $findings.Count | Should -Be 1 -Because ($findings | Out-String)
        $mtu = @($findings | Where-Object Check -eq 'PathMtu')
        $mtu.Count | Should -Be 1
        $mtu[0].Node | Should -Be 'node2'
        $mtu[0].AffectedNodes | Should -Be @('master', 'node1')
        $mtu[0].Remedy | Should -BeExactly 'ip link set dev flannel.1 mtu 1350'
        @($findings | Where-Object Check -eq 'VtepMtu') | Should -BeNullOrEmpty -Because 'node2''s VTEP fits its own underlay'
        $pairs = @($lab.States | Test-FlannelCluster -Node $lab.Nodes -NetConf $lab.NetConf -Matrix | Where-Object PathMtu -eq 'Failed')
        ($pairs | ForEach-Object { "$($_.From)->$($_.To)" }) | Should -Be @('master->node2', 'node1->node2')
    }
}
