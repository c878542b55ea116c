# Resolve-OverlayPath against the kernel: the headers it predicts from a node's live tables are the headers of the frames
# that node sends (captured on its eth0), and each lab fault breaks the step it should.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    $script:SkipLab = Test-LabSkipped
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    Import-Module (Join-Path (Get-RepoRoot) 'FlannelTools.psd1') -Force
    $script:HeaderFields = 'InnerSourceMac', 'InnerDestinationMac', 'OuterSourceAddress', 'OuterDestinationAddress',
        'OuterSourceMac', 'OuterDestinationMac', 'Vni', 'OuterDestinationPort'

    # Reads the nodes' tables live inside their namespaces (in parallel) and returns them as deserialized NodeStates, by node.
    function Get-LabNodeState([string[]] $Node, [string] $Tag) {
        $started = foreach ($name in $Node) {
            $file = Join-Path $TestDrive "$Tag-$name.clixml"
            @{ File = $file; Name = $name; Run = Start-PwshInLab -Prefix $Prefix -Node $name -WorkingDirectory $TestDrive -Script "Get-FlannelNodeState -HostName $name | Export-Clixml -LiteralPath '$file'" }
        }
        $states = @{}
        foreach ($s in $started) {
            $null = Wait-PwshInLab $s.Run -TimeoutSeconds 90
            $states[$s.Name] = Import-Clixml -LiteralPath $s.File
        }
        $states
    }

    function Get-LabPod([string] $Node, [int] $Index = 0) { ($Lab.nodeList | Where-Object name -eq $Node).pods[$Index] }
}

Describe 'Resolve-OverlayPath on a real flannel VXLAN dataplane' -Skip:$SkipLab {
    BeforeAll {
        $script:Prefix = "rop$PID"
        $script:Lab = Start-Lab -Prefix $Prefix -Option '--nodes', '4', '--pods', '2'
        $script:NodeNames = @($Lab.nodeList.name)
        $script:Pairs = @(foreach ($from in $NodeNames) {
                foreach ($to in $NodeNames | Where-Object { $_ -ne $from }) {
                    $capture = Join-Path $TestDrive "$from-$to.pcap"
                    $null = Invoke-Lab capture --prefix $Prefix --node $from --from $from --to $to --out $capture
                    @{ From = $from; To = $to; Source = (Get-LabPod $from).ip; Destination = (Get-LabPod $to).ip; Capture = $capture }
                }
            })
        # read after the traffic, so that the underlay neighbour entries exist
        $script:Healthy = Get-LabNodeState $NodeNames 'healthy'
    }
    AfterAll { Stop-Lab -Prefix $Prefix }

    It 'predicts, field by field, the headers of every frame each node sends to a pod on every other node' {
        $differences = foreach ($pair in $Pairs) {
            $frames = @(Get-VxlanFrame $pair.Capture)
            $sent = @($frames | Where-Object { $_.InnerSourceAddress -eq $pair.Source -and $_.InnerDestinationAddress -eq $pair.Destination })
            if ($sent.Count -eq 0) { "$($pair.From) -> $($pair.To): no frame captured"; continue }
            $path = Resolve-OverlayPath $pair.Source $pair.Destination -NodeState $Healthy[$pair.From] -Frame $frames
            if ("$($path.Kind)/$($path.Status)" -ne 'Overlay/Resolved') { "$($pair.From) -> $($pair.To): $($path.Kind)/$($path.Status) $($path.FailedStep)" }
            foreach ($frame in $sent) {
                foreach ($field in $HeaderFields) {
                    if ($null -eq $path.$field -or "$($path.$field)" -ne "$($frame.$field)") {
                        "$($pair.From) -> $($pair.To) frame $($frame.FrameNumber): $field predicted '$($path.$field)', captured '$($frame.$field)'"
                    }
                }
            }
            if ($path.Observed -ne $sent.Count -or @($path.Mismatches).Count) { "$($pair.From) -> $($pair.To): Observed $($path.Observed) of $($sent.Count), mismatches $($path.Mismatches)" }
        }
        $Pairs.Count | Should -Be 12
        $differences | Should -BeNullOrEmpty
    }

    It 'finds a pod on the same node across the bridge' {
        $path = Resolve-OverlayPath (Get-LabPod node1 0).ip (Get-LabPod node1 1).ip -NodeState $Healthy.node1
        $path.Kind | Should -Be 'LocalBridge'
        $path.Status | Should -Be 'Resolved'
        $path.EgressDevice | Should -Be 'cni0'
        $path.OuterDestinationAddress | Should -BeNullOrEmpty
    }

    It 'takes address pairs from a CSV file by property name, and frames deserialized' {
        $Pairs | ForEach-Object { [pscustomobject]@{ SourceAddress = $_.Source; DestinationAddress = $_.Destination; Node = $_.From } } |
            Where-Object Node -eq node1 | Export-Csv TestDrive:/pairs.csv
        Get-VxlanFrame (Join-Path $TestDrive 'node1-node2.pcap') | Export-Clixml TestDrive:/frames.clixml
        $paths = @(Import-Csv TestDrive:/pairs.csv | Resolve-OverlayPath -NodeState $Healthy.node1 -Frame (Import-Clixml TestDrive:/frames.clixml))
        $paths.Count | Should -Be 3
        $paths.Status | Sort-Object -Unique | Should -Be 'Resolved'
        $paths.OuterDestinationAddress | Should -Be @('192.168.0.11', '192.168.0.13', '192.168.0.14')
        ($paths | Where-Object InnerDestinationAddress -eq '10.244.2.101').Observed | Should -BeGreaterThan 2
    }

    It 'keeps Kind, Status and each step''s Outcome as words through Export-Clixml, ConvertTo-Json and Export-Csv' {
        $path = Resolve-OverlayPath 10.244.1.178 10.244.2.101 -NodeState $Healthy.node1
        $path | Export-Clixml TestDrive:/words.clixml
        $path | Export-Csv TestDrive:/words.csv
        $json = $path | ConvertTo-Json -Depth 3 | ConvertFrom-Json
        $csv = Import-Csv TestDrive:/words.csv
        foreach ($saved in (Import-Clixml TestDrive:/words.clixml), $json, $csv) {
            $saved.Kind | Should -BeExactly 'Overlay'
            $saved.Status | Should -BeExactly 'Resolved'
            @($saved | Where-Object Status -eq 'Resolved') | Should -HaveCount 1
        }
        @((Import-Clixml TestDrive:/words.clixml).Steps | Where-Object Outcome -eq 'Ok').Count | Should -Be @($path.Steps | Where-Object Outcome -eq 'Ok').Count
        @($json.Steps.Outcome | Sort-Object -Unique) | Should -Be @($path.Steps.Outcome | Sort-Object -Unique)
    }

    It 'prints every step of the path as a line of Format-List, also from a deserialized path' {
        $path = Resolve-OverlayPath 10.244.1.178 10.244.2.101 -NodeState $Healthy.node1
        $path | Export-Clixml TestDrive:/path.clixml
        foreach ($shown in $path, (Import-Clixml TestDrive:/path.clixml)) {
            $text = $shown | Format-List | Out-String -Width 400
            $text | Should -Match 'Steps\s+: 1 interface '
            foreach ($step in $path.Steps) { $text | Should -Match ([regex]::Escape($step.ToString())) }
            $text | Should -Not -Match '…|\.\.\.\}'
        }
        $path.Steps.Count | Should -Be 8
    }

    It 'reproduces the walkthrough''s table from its four lines with node1''s ip -d link show and ip addr show as text' {
        # quoted: a bare -d would bind to Invoke-Lab's -Debug
        $links = Invoke-Lab exec --prefix $Prefix node1 ip '-d' link show
        $addresses = Invoke-Lab exec --prefix $Prefix node1 ip addr show
        $state = Get-FlannelNodeState -RouteText '10.244.2.0  10.244.2.0  255.255.255.0  UG 0 0 0 flannel.1' `
            -NeighborText '10.244.2.0 ether ee:81:17:b0:fd:7b CM flannel.1', '192.168.0.13 ether 0a:d2:1d:9d:dc:f7 C eth0' `
            -FdbText 'ee:81:17:b0:fd:7b dst 192.168.0.13 self permanent' -LinkText $links -AddressText $addresses
        $path = Resolve-OverlayPath 10.244.1.178 10.244.2.101 -NodeState $state -WarningVariable warnings
        $table = $path | Select-Object InnerSourceAddress, InnerSourceMac, InnerDestinationAddress, InnerDestinationMac,
            OuterSourceAddress, OuterSourceMac, OuterDestinationAddress, OuterDestinationMac | ConvertTo-Json -Compress
        $table | Should -BeExactly (@{ InnerSourceAddress = '10.244.1.178'; InnerSourceMac = '32:73:d8:d1:e9:78'; InnerDestinationAddress = '10.244.2.101'
                InnerDestinationMac = 'ee:81:17:b0:fd:7b'; OuterSourceAddress = '192.168.0.12'; OuterSourceMac = '9e:66:01:47:0d:72'
                OuterDestinationAddress = '192.168.0.13'; OuterDestinationMac = '0a:d2:1d:9d:dc:f7' } |
            Select-Object InnerSourceAddress, InnerSourceMac, InnerDestinationAddress, InnerDestinationMac,
            OuterSourceAddress, OuterSourceMac, OuterDestinationAddress, OuterDestinationMac | ConvertTo-Json -Compress)
        $path.Status | Should -Be 'Resolved'
        ($path.Steps | Where-Object Outcome -eq Assumed).Explanation | Should -Match 'no route to 192\.168\.0\.13: assumed on eth0''s connected network 192\.168\.0\.12/24'
        ($path.Steps | Where-Object Table -eq route | Select-Object -First 1).Explanation | Should -Match 'onlink is unknown'
        $warnings | Should -BeNullOrEmpty
    }

    Context 'with the lab''s faults' {
        BeforeAll {
            $script:MasterBefore = $Healthy.master
            $null = Invoke-Lab fault --prefix $Prefix missing-fdb node1 node2
            $null = Invoke-Lab fault --prefix $Prefix missing-route node1 node3
            $null = Invoke-Lab fault --prefix $Prefix missing-neigh node2 node1
            $null = Invoke-Lab fault --prefix $Prefix wrong-fdb-dst node2 node3
            $null = Invoke-Lab fault --prefix $Prefix stale-vtepmac master
            $script:Faulty = Get-LabNodeState node1, node2, node3 'faulty'
            $script:Nodes = Get-FlannelNode -Path "/run/flannel-lab/$Prefix/state/nodes.json"
            $script:StaleCapture = Join-Path $TestDrive 'stale.pcap'
            $null = Invoke-Lab capture --prefix $Prefix --node master --from master --to node1 --out $StaleCapture --allow-fail --traffic ping --count 2
        }

        It '<Fault>: the first failing step is the <Table> lookup, naming <Names>' -ForEach @(
            @{ Fault = 'missing-fdb node1 node2'; From = 'node1'; To = 'node2'; Table = 'fdb'; Kind = 'Overlay'; Names = 'no FDB entry for ee:81:17:b0:fd:7b on flannel\.1' }
            @{ Fault = 'missing-route node1 node3'; From = 'node1'; To = 'node3'; Table = 'route'; Kind = 'Underlay'; Names = 'route 10\.244\.3\.0/24 via 10\.244\.3\.0 dev flannel\.1 onlink is missing' }
            @{ Fault = 'missing-neigh node2 node1'; From = 'node2'; To = 'node1'; Table = 'neighbor'; Kind = 'Overlay'; Names = 'no neighbour entry for 10\.244\.1\.0 on flannel\.1.*lladdr 32:73:d8:d1:e9:78' }
            @{ Fault = 'wrong-fdb-dst node2 node3'; From = 'node2'; To = 'node3'; Table = 'fdb'; Kind = 'Overlay'; Names = 'sends to 192\.168\.0\.11 \(master\), but 10\.244\.3\.0/24 belongs to node3, whose public-ip is 192\.168\.0\.14' }
            @{ Fault = 'stale-vtepmac master'; From = 'node3'; To = 'master'; Table = 'neighbor'; Kind = 'Overlay'; Names = 'gives 02:f1:a4:00:00:0b, but master.*announces VtepMAC' }
        ) {
            $path = Resolve-OverlayPath (Get-LabPod $From).ip (Get-LabPod $To).ip -NodeState $Faulty[$From] -Node $Nodes
            $path.Status | Should -Be 'Incomplete'
            $path.Kind | Should -Be $Kind
            $path.FailedStep.Table | Should -Be $Table
            $path.FailedStep.Explanation | Should -Match $Names
            @($path.Steps | Where-Object Outcome -eq Failed)[0] | Should -Be $path.FailedStep
            ($path | Format-List | Out-String -Width 400) | Should -Match '\[FAILED\]'
        }

        It 'still resolves a pair whose entries no fault touched' {
            $path = Resolve-OverlayPath (Get-LabPod node3).ip (Get-LabPod node1).ip -NodeState $Faulty.node3 -Node $Nodes
            $path.Status | Should -Be 'Resolved'
            $path.FailedStep | Should -BeNullOrEmpty
        }

        It 'says, with -Frame, which field of a capture differs from a prediction made before master''s VTEP was recreated' {
            $newMac = Get-LabDeviceMac -Prefix $Prefix -Node master -Device flannel.1
            $path = Resolve-OverlayPath 10.244.0.10 10.244.1.178 -NodeState $MasterBefore -Frame (Get-VxlanFrame $StaleCapture)
            $path.Status | Should -Be 'Resolved'
            $path.Observed | Should -Be 0
            $mismatch = @($path.Mismatches)
            $mismatch.Count | Should -Be 1
            $mismatch[0].Field | Should -Be 'InnerSourceMac'
            $mismatch[0].Predicted | Should -Be '02:f1:a4:00:00:0b'
            $mismatch[0].Observed | Should -Be $newMac
            $mismatch[0].Frames | Should -BeGreaterThan 0
        }
    }
}

Describe 'Resolve-OverlayPath over IPv6 on a dual-stack flannel VXLAN dataplane' -Skip:$SkipLab {
    BeforeAll {
        $script:Prefix = "ftr6$PID"
        $script:Lab = Start-Lab -Prefix $Prefix -Option '--dual-stack'
        $script:Capture6 = Join-Path $TestDrive 'node1-node2-v6.pcap'
        # node1's eth0 while node1's pod curls node2's pod over IPv6
        $null = Invoke-Lab capture --prefix $Prefix --out $Capture6 --traffic curl6 --v6
        # read after the traffic, so that the underlay neighbour entry of fd00::13 exists
        $script:State6 = (Get-LabNodeState node1 'dualstack').node1
        $script:Frames6 = @(Get-VxlanFrame $Capture6)
        $script:Sent6 = @($Frames6 | Where-Object { "$($_.InnerSourceAddress)" -eq 'fd10:244:1::178' -and "$($_.InnerDestinationAddress)" -eq 'fd10:244:2::101' })
        $script:Path6 = Resolve-OverlayPath fd10:244:1::178 fd10:244:2::101 -NodeState $State6 -Frame $Frames6
        $script:Expected6 = @{
            InnerSourceMac = Get-LabDeviceMac -Prefix $Prefix -Node node1 -Device flannel-v6.1
            InnerDestinationMac = Get-LabDeviceMac -Prefix $Prefix -Node node2 -Device flannel-v6.1
            OuterSourceAddress = 'fd00::12'
            OuterDestinationAddress = 'fd00::13'
            OuterSourceMac = Get-LabDeviceMac -Prefix $Prefix -Node node1 -Device eth0
            OuterDestinationMac = Get-LabDeviceMac -Prefix $Prefix -Node node2 -Device eth0
            Vni = '1'
            OuterDestinationPort = '8472'
        }
    }
    AfterAll { Stop-Lab -Prefix $Prefix }

    It 'resolves fd10:244:1::178 -> fd10:244:2::101 through flannel-v6.1' {
        $Path6.Status | Should -Be 'Resolved' -Because "$($Path6.FailedStep)"
        $Path6.Kind | Should -Be 'Overlay'
        $Path6.EgressDevice | Should -Be 'flannel-v6.1'
    }

    It 'predicts the header fields the kernel gives flannel-v6.1''s frames, read from its devices' {
        $Expected6.InnerSourceMac | Should -Not -BeNullOrEmpty
        $Expected6.InnerDestinationMac | Should -Not -BeNullOrEmpty
        $differences = foreach ($field in $HeaderFields) {
            if ("$($Path6.$field)" -ne $Expected6[$field]) { "$field predicted '$($Path6.$field)', expected '$($Expected6[$field])'" }
        }
        $differences | Should -BeNullOrEmpty
    }

    It 'predicts, field by field, the headers of every IPv6 frame node1 sends to node2''s pod' {
        $Sent6.Count | Should -BeGreaterThan 0 -Because 'the capture must hold node1-pod1 -> node2-pod1 IPv6 frames'
        $differences = foreach ($frame in $Sent6) {
            foreach ($field in $HeaderFields) {
                if ($null -eq $Path6.$field -or "$($Path6.$field)" -ne "$($frame.$field)") {
                    "frame $($frame.FrameNumber): $field predicted '$($Path6.$field)', captured '$($frame.$field)'"
                }
            }
        }
        $differences | Should -BeNullOrEmpty
    }

    It 'says with -Frame that the capture agrees' {
        $Path6.Observed | Should -BeGreaterThan 0
        $Path6.Observed | Should -Be $Sent6.Count
        @($Path6.Mismatches).Count | Should -Be 0 -Because "$($Path6.Mismatches)"
    }
}

Describe 'Resolve-OverlayPath without a lab' {
    BeforeAll {
        $script:State = Get-FlannelNodeState -Path (Join-Path (Get-TestDataPath nodestate) healthy/node1.state)
    }

    It 'writes InvalidAddressPair for a pair it cannot read, and resolves the others' {
        $paths = @('10.244.2.101', 'not-an-address', 'fd10:244:2::101' |
                ForEach-Object { [pscustomobject]@{ InnerSourceAddress = '10.244.1.178'; InnerDestinationAddress = $_ } } |
                Resolve-OverlayPath -NodeState $State -ErrorVariable problems -ErrorAction SilentlyContinue)
        $paths.Count | Should -Be 1
        $problems.Count | Should -Be 2
        $problems.FullyQualifiedErrorId | Should -Be @('InvalidAddressPair,FlannelTools.Commands.ResolveOverlayPathCommand', 'InvalidAddressPair,FlannelTools.Commands.ResolveOverlayPathCommand')
    }

    It 'does not take frames from the pipeline' {
        (Get-Command Resolve-OverlayPath).Parameters.Frame.Attributes.ValueFromPipeline | Should -Not -Contain $true
        (Get-Command Resolve-OverlayPath).Parameters.Frame.Attributes.ValueFromPipelineByPropertyName | Should -Not -Contain $true
    }
}
