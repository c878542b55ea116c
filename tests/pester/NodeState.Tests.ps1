# Get-FlannelFdb and Get-FlannelNodeState as users meet them: files, piped native output, pasted text, warnings,
# errors, CSV, Clixml and remoting depth, and live inside a lab node's network namespace.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../FlannelTools.psd1) -Force
    $script:Data = Join-Path $PSScriptRoot ../data/nodestate
    $script:Walkthrough = @{
        RouteText    = '10.244.2.0 10.244.2.0 255.255.255.0 UG 0 0 0 flannel.1'
        NeighborText = '10.244.2.0 ether ee:81:17:b0:fd:7b CM flannel.1', '192.168.0.13 ether 0a:d2:1d:9d:dc:f7 C eth0'
        FdbText      = 'ee:81:17:b0:fd:7b dst 192.168.0.13 self permanent'
    }
    function Use-NodeState {
        # What the cmdlets that consume a NodeState (Resolve-OverlayPath, Test-FlannelNode) declare.
        param([Parameter(Mandatory)] [FlannelTools.Commands.NodeStateTransformation()] [FlannelTools.NodeState] $NodeState)
        $NodeState
    }
}

Describe 'Get-FlannelFdb' {
    It 'reads a file piped from Get-ChildItem rather than parsing its name' {
        Copy-Item (Join-Path $Data healthy/node1/bridge-fdb.txt) TestDrive:/node1.fdb
        $entries = @(Get-ChildItem TestDrive:/node1.fdb | Get-FlannelFdb)
        $entries.Count | Should -Be 14
        $entry = $entries | Where-Object MacAddress -eq 'ee:81:17:b0:fd:7b'
        $entry.Destination | Should -Be '192.168.0.13'
        $entry.Device | Should -Be 'flannel.1'
        $entry.Source | Should -Match 'node1\.fdb:13$'
        $entry.PSObject.TypeNames[0] | Should -Be 'FlannelTools.FdbEntry'
    }

    It 'gives lines printed without a device the one -Device names, and keeps them' {
        $entries = @(Get-Content (Join-Path $Data node1-extra/bridge-s-fdb-dev-flannel.1.txt) | Get-FlannelFdb -Device flannel.1)
        $entries.Count | Should -Be 2
        $entries.Device | Should -Be @('flannel.1', 'flannel.1')
        @(Get-Content (Join-Path $Data node1-extra/bridge-s-fdb-dev-flannel.1.txt) | Get-FlannelFdb -Device cni0).Count | Should -Be 2
    }

    It 'collects JSON piped line by line and filters by MAC in any notation and by destination' {
        $json = Get-Content (Join-Path $Data healthy/node1/bridge-j-fdb.json)
        $entry = @($json | Get-FlannelFdb -MacAddress 'EE-81-17-B0-FD-7B')
        $entry.Count | Should -Be 1
        $entry[0].Destination | Should -Be '192.168.0.13'
        @($json | Get-FlannelFdb -Destination 192.168.0.11).MacAddress | Should -Be '02:f1:a4:00:00:0b'
    }

    It 'splits one string holding several lines' {
        $text = Get-Content (Join-Path $Data healthy/node1/bridge-fdb.txt) -Raw
        @(Get-FlannelFdb -InputObject $text -Device flannel.1).Count | Should -Be 2
    }

    It 'warns about an unreadable line with its number and text, and still emits the others' {
        $lines = 'ee:81:17:b0:fd:7b dev flannel.1 dst 192.168.0.13 self permanent', 'garbage here', '02:f1:a4:00:00:0b dev flannel.1 dst 192.168.0.11 self permanent'
        $entries = @($lines | Get-FlannelFdb -WarningVariable warnings -WarningAction SilentlyContinue)
        $entries.Count | Should -Be 2
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -Match "InputObject:2: .*'garbage here'"
    }

    It 'says with -Verbose how many lines were read and skipped' {
        $verbose = 'ee:81:17:b0:fd:7b dst 192.168.0.13 self permanent', 'bad' | Get-FlannelFdb -Verbose -WarningAction SilentlyContinue 4>&1 |
            Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
        "$verbose" | Should -Match '2 lines read, 1 skipped, 1 entries emitted'
    }

    It 'exports Flags to CSV as words, not a type name' {
        'aa:bb:cc:dd:ee:ff dev vxlan0 dst 10.0.0.2 self extern_learn permanent' | Get-FlannelFdb | Export-Csv TestDrive:/fdb.csv
        (Import-Csv TestDrive:/fdb.csv).Flags | Should -Be 'self,extern_learn'
    }

    It 'writes PathNotFound for a missing file and still reads the others' {
        Copy-Item (Join-Path $Data healthy/node1/bridge-fdb.txt) TestDrive:/a.fdb
        $entries = @(Get-FlannelFdb -LiteralPath TestDrive:/missing.fdb, TestDrive:/a.fdb -ErrorVariable errors -ErrorAction SilentlyContinue)
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        $entries.Count | Should -Be 14
    }

    Context 'a file given where the device name goes (position 0)' {
        BeforeAll {
            # ip and bridge stand-ins first on PATH: each run is recorded, so a test can tell whether iproute2 was asked.
            $bin = Join-Path $TestDrive 'iproute2'
            $null = New-Item -ItemType Directory -Path $bin
            $script:IprouteLog = Join-Path $TestDrive 'iproute2.log'
            foreach ($tool in 'ip', 'bridge') {
                Set-Content -LiteralPath (Join-Path $bin $tool) -Value "#!/bin/sh`necho `"$tool `$*`" >> '$IprouteLog'`necho '[]'"
                & chmod +x (Join-Path $bin $tool)
            }
            $script:SavedPath = $env:PATH
            $env:PATH = $bin + [IO.Path]::PathSeparator + $env:PATH
            Copy-Item (Join-Path $Data healthy/node1/bridge-fdb.txt) (Join-Path $TestDrive 'good.fdb')
        }
        AfterAll { $env:PATH = $SavedPath }
        BeforeEach { Remove-Item -LiteralPath $IprouteLog -ErrorAction SilentlyContinue }

        It 'refuses Get-FlannelFdb good.fdb with FileGivenAsName, saying to use -Path, before ip or bridge runs' {
            Push-Location $TestDrive
            try { $err = { Get-FlannelFdb good.fdb } | Should -Throw -ErrorId 'FileGivenAsName,FlannelTools.Commands.GetFlannelFdbCommand' -PassThru }
            finally { Pop-Location }
            $err.Exception.Message | Should -Match 'use -Path good\.fdb'
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $err.TargetObject | Should -Be 'good.fdb'
            $IprouteLog | Should -Not -Exist
        }

        It 'reads the file with -Path, and takes -Device good.fdb as a device''s name (iproute2 is asked)' {
            Push-Location $TestDrive
            try {
                @(Get-FlannelFdb -Path good.fdb).Count | Should -Be 14
                $IprouteLog | Should -Not -Exist
                @(Get-FlannelFdb -Device good.fdb) | Should -BeNullOrEmpty
            }
            finally { Pop-Location }
            @(Get-Content -LiteralPath $IprouteLog) | Should -Contain 'bridge -j fdb show'
        }
    }

    It 'writes one FileNotText error for a binary file (a capture given as an FDB file), not a warning per line, and reads the others' {
        Copy-Item (Join-Path $PSScriptRoot ../../samples/walkthrough.pcap) TestDrive:/capture.fdb
        Copy-Item (Join-Path $Data healthy/node1/bridge-fdb.txt) TestDrive:/b.fdb
        $entries = @(Get-FlannelFdb -LiteralPath TestDrive:/capture.fdb, TestDrive:/b.fdb -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errors -ErrorAction SilentlyContinue)
        @($warnings).Count | Should -Be 0
        @($errors).Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'FileNotText,FlannelTools.Commands.GetFlannelFdbCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        $errors[0].TargetObject | Should -BeLike '*capture.fdb'
        "$($errors[0])" | Should -Match 'is not text'
        $entries.Count | Should -Be 14
    }

    It 'warns once, naming it, of a 0-byte file; reads a UTF-16 file with its byte order mark as text' {
        $empty = Join-Path $TestDrive 'empty.fdb'
        [IO.File]::WriteAllBytes($empty, [byte[]]@())
        $out = @(Get-FlannelFdb -LiteralPath $empty -WarningVariable warnings -WarningAction SilentlyContinue -ErrorVariable errors -ErrorAction SilentlyContinue)
        $out | Should -BeNullOrEmpty
        @($errors).Count | Should -Be 0
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -Be "${empty}: the file is empty (0 bytes): there is nothing to read."
        $utf16 = Join-Path $TestDrive 'utf16.fdb'
        [IO.File]::WriteAllText($utf16, (Get-Content -Raw (Join-Path $Data healthy/node1/bridge-fdb.txt)), [Text.Encoding]::Unicode)
        @(Get-FlannelFdb -LiteralPath $utf16).Count | Should -Be 14
    }

    It 'refuses a -MacAddress that is not a MAC' {
        { 'x' | Get-FlannelFdb -MacAddress 'zz' } | Should -Throw -ErrorId 'InvalidMacAddress,FlannelTools.Commands.GetFlannelFdbCommand'
    }
}

Describe 'Get-FlannelNodeState' {
    It 'reads the collector''s document: VTEP, devices, routes, neighbours, FDB' {
        $state = Get-FlannelNodeState -Path (Join-Path $Data healthy/node1.state)
        $state.PSObject.TypeNames[0] | Should -Be 'FlannelTools.NodeState'
        $state.Vtep.Name | Should -Be 'flannel.1'
        $state.Vtep.MacAddress | Should -Be '32:73:d8:d1:e9:78'
        $state.Vtep.LocalAddress | Should -Be '192.168.0.12'
        $state.Vtep.Vni | Should -Be 1
        $state.Vtep.Port | Should -Be 8472
        $state.Vtep.Learning | Should -BeFalse
        $state.FindRoute('10.244.2.101').Gateway | Should -Be '10.244.2.0'
        $state.CollectedAt | Should -BeOfType [datetime]
        ($state.Routes | Where-Object Destination -eq '10.244.2.0/24').Flags | Should -Be 'onlink'
    }

    It 'names the file that is not a collector document and reads the next one' {
        Set-Content TestDrive:/notes.txt 'hello'
        $states = @(Get-FlannelNodeState -LiteralPath TestDrive:/notes.txt, (Join-Path $Data dualstack-4096/node1.state) -ErrorVariable errors -ErrorAction SilentlyContinue)
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'FileNotNodeState,*'
        $states.Count | Should -Be 1
        $states[0].VtepV6.Name | Should -Be 'flannel-v6.4096'
    }

    It 'builds a state from the walkthrough''s pasted lines whose lookups give its headers' {
        $state = Get-FlannelNodeState @Walkthrough -LinkText (Get-Content (Join-Path $Data healthy/node1/ip-d-link.txt)) -AddressText (Get-Content (Join-Path $Data healthy/node1/ip-addr.txt))
        $route = $state.FindRoute('10.244.2.101')
        $next = $state.FindNeighbor($route.Gateway, $route.Device)
        $next.MacAddress | Should -Be 'ee:81:17:b0:fd:7b'
        $fdb = $state.FindFdb($next.MacAddress, 'flannel.1')
        $fdb.Destination | Should -Be '192.168.0.13'
        $state.FindNeighbor($fdb.Destination, 'eth0').MacAddress | Should -Be '0a:d2:1d:9d:dc:f7'
        $state.FindInterface('eth0').MacAddress | Should -Be '9e:66:01:47:0d:72'
        $state.Vtep.MacAddress | Should -Be '32:73:d8:d1:e9:78'
    }

    It 'warns with the parameter and line number of a bad pasted line, and keeps the good ones' {
        $state = Get-FlannelNodeState -RouteText 'default via 192.168.0.1 dev eth0', 'nonsense' -WarningVariable warnings -WarningAction SilentlyContinue
        @($state.Routes).Count | Should -Be 1
        "$warnings" | Should -Match "-RouteText:2: .*'nonsense'"
    }

    It 'shows routes, neighbours and the FDB in tables like ip route, ip neigh and bridge fdb' {
        $state = Get-FlannelNodeState -Path (Join-Path $Data healthy/node1.state)
        ($state.Routes | Out-String -Width 200) | Should -Match '10\.244\.2\.0/24\s+10\.244\.2\.0\s+flannel\.1'
        ($state.Neighbors | Out-String -Width 200) | Should -Match '10\.244\.2\.0\s+flannel\.1\s+ee:81:17:b0:fd:7b\s+PERMANENT'
        ($state.Fdb | Out-String -Width 200) | Should -Match 'ee:81:17:b0:fd:7b\s+flannel\.1\s+192\.168\.0\.13\s+self\s+permanent'
    }

    Context 'serialization' {
        BeforeAll {
            $script:State = Get-FlannelNodeState -Path (Join-Path $Data dualstack-4096/node1.state)
        }

        It 'keeps routes as objects through remoting''s depth 1, and a NodeState parameter takes them back' {
            $back = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($State, 1))
            $back.PSObject.TypeNames[0] | Should -Be 'Deserialized.FlannelTools.NodeState'
            $back.Routes[1].Destination | Should -Be $State.Routes[1].Destination
            $rebuilt = Use-NodeState -NodeState $back
            $rebuilt | Should -BeOfType [FlannelTools.NodeState]
            $rebuilt.FindRoute('fd10:244:2::101').Device | Should -Be 'flannel-v6.4096'
            $rebuilt.Fdb.Count | Should -Be $State.Fdb.Count
            ($rebuilt.Routes | Where-Object Destination -eq '10.244.2.0/24').Flags | Should -Be 'onlink'
            $rebuilt.VtepV6.LocalAddress | Should -Be 'fd00::12'
        }

        It 'survives Export-Clixml and Import-Clixml' {
            $State | Export-Clixml TestDrive:/state.xml
            $imported = Import-Clixml TestDrive:/state.xml
            ($imported | Out-String) | Should -Match 'flannel\.4096 vni 4096 port 4789'
            $rebuilt = Use-NodeState -NodeState $imported
            $rebuilt.CollectedAt | Should -Be $State.CollectedAt
            @($rebuilt.Neighbors | ForEach-Object ToString) | Should -Be @($State.Neighbors | ForEach-Object ToString)
            @($rebuilt.Interfaces.Addresses | ForEach-Object ToString) | Should -Be @($State.Interfaces.Addresses | ForEach-Object ToString)
        }
    }
}

Describe 'Live inside a lab node' {
    BeforeAll {
        $script:Skip = $null
        $script:Prefix = "nst$PID"
        $lab = Join-Path $PSScriptRoot ../lab/lab.sh
        $reason = if (-not $IsLinux) { 'the lab needs Linux' } elseif ((& id -u) -ne '0') { 'the lab needs root' }
        if (-not $reason) {
            $out = & bash $lab up --prefix $Prefix --nodes 3 --out (Join-Path $TestDrive lab) 2>&1
            if ($LASTEXITCODE -ne 0) { $reason = "the lab did not start: $(($out | Select-Object -Last 1))" }
        }
        if ($reason) {
            if ($env:CI) { throw "Lab test cannot run in CI: $reason" }
            $script:Skip = $reason
            return
        }
        $script:LabInfo = Get-Content (Join-Path $TestDrive lab/lab.json) -Raw | ConvertFrom-Json
        $namespace = (& bash $lab ns --prefix $Prefix node1).Trim()
        $script:Probe = Join-Path $TestDrive probe.ps1
        Set-Content $Probe @"
Import-Module '$((Resolve-Path (Join-Path $PSScriptRoot ../../FlannelTools.psd1)).Path)'
`$state = Get-FlannelNodeState -HostName node1
[pscustomobject]@{ State = `$state; Fdb = @(Get-FlannelFdb); FdbEth0 = @(Get-FlannelFdb eth0) } | ConvertTo-Json -Depth 6
"@
        $dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
        $json = & ip netns exec $namespace $dotnet (Join-Path $PSHOME pwsh.dll) -NoProfile -NonInteractive -File $Probe 2>&1
        if ($LASTEXITCODE -ne 0) { throw "pwsh inside $namespace failed: $json" }
        $script:Live = ($json -join "`n") | ConvertFrom-Json
    }

    AfterAll {
        if ($Prefix) { & bash (Join-Path $PSScriptRoot ../lab/lab.sh) down --prefix $Prefix 2>&1 | Out-Null }
    }

    It 'reads node1''s VTEP as the lab created it' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        $node1 = $LabInfo.nodeList | Where-Object name -eq node1
        $Live.State.HostName | Should -Be 'node1'
        $Live.State.Source | Should -Be 'live'
        $Live.State.Vtep.Name | Should -Be 'flannel.1'
        $Live.State.Vtep.MacAddress | Should -Be $node1.vtepMac
        $Live.State.Vtep.LocalAddress | Should -Be $node1.ip
        $Live.State.Vtep.Port | Should -Be 8472
        $Live.State.Vtep.Learning | Should -BeFalse
    }

    It 'reads the neighbour, FDB entry and route flannel programmed for every other node' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        foreach ($peer in $LabInfo.nodeList | Where-Object name -ne node1) {
            $vtepAddress = $peer.podCIDR -replace '/24$'
            $neighbor = $Live.State.Neighbors | Where-Object { $_.Address -eq $vtepAddress -and $_.Device -eq 'flannel.1' }
            $neighbor.MacAddress | Should -Be $peer.vtepMac
            $neighbor.State | Should -Be 'PERMANENT'
            $fdb = $Live.Fdb | Where-Object MacAddress -eq $peer.vtepMac
            $fdb.Destination | Should -Be $peer.ip
            $fdb.Device | Should -Be 'flannel.1'
            $route = $Live.State.Routes | Where-Object Destination -eq $peer.podCIDR
            $route.Gateway | Should -Be $vtepAddress
            $route.Flags | Should -Be @('onlink')
        }
    }

    It 'lists by default only the FDB of flannel''s VXLAN devices, and others with -Device' {
        if ($Skip) { Set-ItResult -Skipped -Because $Skip; return }
        @($Live.Fdb.Device | Sort-Object -Unique) | Should -Be @('flannel.1')
        @($Live.Fdb).Count | Should -Be (@($LabInfo.nodeList).Count - 1)
        @($Live.FdbEth0.Device | Sort-Object -Unique) | Should -Be @('eth0')
    }
}

Describe 'Pasted terminal text (prompts, commands, separators)' {
    It 'reads a piped FDB paste that starts with a CentOS prompt: both entries, on the command''s device, a Verbose note and no warning' {
        $lines = Get-Content (Join-Path $Data pasted/fdb-centos-prompt.txt)
        $entries = @($lines | Get-FlannelFdb -WarningVariable warnings -Verbose 4>&1 -WarningAction SilentlyContinue)
        $verbose = @($entries | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        $fdb = @($entries | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] })
        $fdb.MacAddress | Should -Be @('ee:81:17:b0:fd:7b', '02:f1:a4:00:00:0b')
        $fdb.Device | Should -Be @('flannel.1', 'flannel.1')
        $warnings | Should -BeNullOrEmpty
        ($verbose.Message -match 'shell prompt with the command ''bridge fdb show dev flannel.1''').Count | Should -Be 1
    }

    It 'reads the same paste from a file' {
        Copy-Item (Join-Path $Data pasted/fdb-centos-prompt.txt) TestDrive:/pasted.fdb
        $entries = @(Get-FlannelFdb -Path TestDrive:/pasted.fdb -WarningVariable warnings -WarningAction SilentlyContinue)
        $entries.Count | Should -Be 2
        $warnings | Should -BeNullOrEmpty
    }

    It 'reads JSON piped after a $ prompt: it is still JSON, its lines without dev take the command''s device' {
        $lines = @('$ bridge -s -j fdb show dev flannel.1') + (Get-Content (Join-Path $Data node1-extra/bridge-s-j-fdb-dev-flannel.1.json))
        $entries = @($lines | Get-FlannelFdb -WarningVariable warnings -WarningAction SilentlyContinue)
        $entries.MacAddress | Should -Be @('ee:81:17:b0:fd:7b', '02:f1:a4:00:00:0b')
        $entries.Device | Should -Be @('flannel.1', 'flannel.1')
        $warnings | Should -BeNullOrEmpty
    }

    It 'reads every -*Text paste with its prompt: routes, neighbours over a multi-host loop, links, FDB' {
        $state = Get-FlannelNodeState -HostName node1 -WarningVariable warnings -WarningAction SilentlyContinue `
            -RouteText (Get-Content (Join-Path $Data pasted/route-n-grep-ubuntu-prompt.txt)) `
            -NeighborText (Get-Content (Join-Path $Data pasted/neigh-multi-host.txt)) `
            -LinkText (Get-Content (Join-Path $Data pasted/ip-d-link-gentoo-prompt.txt)) `
            -FdbText (Get-Content (Join-Path $Data pasted/fdb-centos-prompt.txt))
        $warnings | Should -BeNullOrEmpty
        $state.Vtep.Vni | Should -Be 1
        $state.FindRoute('10.244.2.101').Gateway | Should -Be '10.244.2.0'
        $state.Neighbors.Count | Should -Be 4
        $state.Fdb.Count | Should -Be 2
    }
}

Describe 'Get-FlannelNodeState from the pipeline' {
    It 'reads Get-Content''s lines of a collector document as one state, and Get-ChildItem''s file as one state' {
        $file = Join-Path $Data healthy/node1.state
        $fromLines = @(Get-Content $file | Get-FlannelNodeState -ErrorVariable errors -ErrorAction SilentlyContinue)
        $errors | Should -BeNullOrEmpty
        $fromLines.Count | Should -Be 1
        $fromLines[0].Vtep.MacAddress | Should -Be '32:73:d8:d1:e9:78'
        $fromLines[0].Fdb.Count | Should -BeGreaterThan 0
        $fromFile = @(Get-ChildItem $file | Get-FlannelNodeState -WarningVariable warnings -WarningAction SilentlyContinue)
        $warnings | Should -BeNullOrEmpty
        $fromFile.Count | Should -Be 1
        $fromFile[0].Source | Should -BeLike '*node1.state'
    }

    It 'starts a new state at each collector header: two documents piped give two states' {
        $lines = (Get-Content (Join-Path $Data healthy/node1.state)) + (Get-Content (Join-Path $Data healthy/node2.state))
        $states = @($lines | Get-FlannelNodeState)
        $states.Count | Should -Be 2
        $states[0].Vtep.MacAddress | Should -Be '32:73:d8:d1:e9:78'
        $states[1].Vtep.MacAddress | Should -Not -Be '32:73:d8:d1:e9:78'
    }

    It 'starts a new state at each === host === separator, named by it, with the command before the loop' {
        $states = @(Get-Content (Join-Path $Data pasted/neigh-multi-host.txt) | Get-FlannelNodeState -WarningVariable warnings -WarningAction SilentlyContinue)
        $warnings | Should -BeNullOrEmpty
        $states.HostName | Should -Be @('node1', 'node2')
        $states[0].Neighbors.Address | Should -Be @('10.244.2.0', '10.244.0.0')
        $states[1].Neighbors.Address | Should -Be @('10.244.0.0', '10.244.1.0')
    }

    It 'reads a piped paste whose prompt names the command' {
        $state = Get-Content (Join-Path $Data pasted/fdb-centos-prompt.txt) | Get-FlannelNodeState -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -BeNullOrEmpty
        @($state).Count | Should -Be 1
        $state.Fdb.MacAddress | Should -Be @('ee:81:17:b0:fd:7b', '02:f1:a4:00:00:0b')
    }

    It 'warns once about an empty pipeline and emits nothing' {
        $states = @(@() | Get-FlannelNodeState -WarningVariable warnings -WarningAction SilentlyContinue)
        $states.Count | Should -Be 0
        @($warnings).Count | Should -Be 1
    }
}

Describe 'A collector document cut in the middle' {
    BeforeAll {
        $script:Full = Join-Path $Data healthy/node1.state
        $text = [IO.File]::ReadAllText($Full)
        # Cut inside the neigh section's output, before its '#@ exit' (as a dropped ssh session leaves it).
        $bytes = [Text.Encoding]::UTF8.GetByteCount($text.Substring(0, $text.IndexOf('#@ section ip -j neigh show') + 40))
        $script:Cut = Join-Path $TestDrive cut.state
        & head -c $bytes $Full > $Cut
    }

    It 'is a TruncatedDocument error naming the last section read, and no NodeState, from -Path' {
        $states = @(Get-FlannelNodeState -Path $Cut, $Full -ErrorVariable errors -ErrorAction SilentlyContinue)
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'TruncatedDocument,*'
        $errors[0].TargetObject | Should -Be $Cut
        $errors[0].Exception.Message | Should -Match 'ip -j neigh show'
        $states.Count | Should -Be 1
        $states[0].Source | Should -Be (Resolve-Path $Full).ProviderPath
    }

    It 'is the same error from the pipeline' {
        $states = @(Get-Content $Cut | Get-FlannelNodeState -ErrorVariable errors -ErrorAction SilentlyContinue)
        $states.Count | Should -Be 0
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'TruncatedDocument,*'
        $errors[0].Exception.Message | Should -Match 'ip -j neigh show'
    }

    It 'ends a document of the collector with #@ end; one cut before it is truncated, naming its last section' {
        $collector = Join-Path $PSScriptRoot ../../tools/collect-flannel-state.sh
        $lines = @(& sh $collector --tables)
        $lines[-1] | Should -Be '#@ end'
        $whole = @($lines | Get-FlannelNodeState -ErrorVariable errors -ErrorAction SilentlyContinue)
        $errors | Should -BeNullOrEmpty
        $whole.Count | Should -Be 1
        # Cut after the last section's '#@ exit': complete sections, but no '#@ end'; a later document has one.
        $cut = $lines[0..($lines.Count - 2)]
        $states = @(($cut + $lines) | Get-FlannelNodeState -ErrorVariable errors -ErrorAction SilentlyContinue)
        $states.Count | Should -Be 1
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'TruncatedDocument,*'
        $errors[0].Exception.Message | Should -Match 'bridge'
    }

    It 'still reads a document of the older collector (no #@ end) whose last section is complete' {
        $state = Get-Content $Full | Get-FlannelNodeState -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -BeNullOrEmpty
        $state.Fdb.Count | Should -BeGreaterThan 0
    }
}

Describe 'A warning about a very long line' {
    It 'quotes at most 200 characters of it, and still names its line' {
        $long = 'x' * 100000
        $w = @()
        $null = $long | Get-FlannelFdb -WarningVariable +w -WarningAction SilentlyContinue
        $null = ('ee:81:17:b0:fd:7b dst ' + $long) | Get-FlannelFdb -WarningVariable +w -WarningAction SilentlyContinue
        $null = Get-FlannelNodeState -RouteText $long -FdbText ('aa:bb:cc:dd:ee:ff ' + $long) -LinkText $long -SysctlText $long `
            -WarningVariable +w -WarningAction SilentlyContinue
        $null = @('[root@node1 ~]# ip route', $long) | Get-FlannelNodeState -WarningVariable +w -WarningAction SilentlyContinue
        $w.Count | Should -Be 7
        foreach ($warning in $w) {
            ([regex]::Matches($warning.Message, 'x{2,}') | Measure-Object -Property Length -Sum).Sum | Should -BeLessOrEqual 200 -Because $warning.Message.Substring(0, 80)
            $warning.Message | Should -Match ':[12]: '
            $warning.Message | Should -Match '100,?000 characters'
        }
    }
}

Describe 'Get-FlannelNodeState from piped output pasted without its command' {
    It 'tells the table from the content of <File>' -ForEach @(
        @{ File = 'route-n.txt'; Table = 'Routes' }
        @{ File = 'ip-route.txt'; Table = 'Routes' }
        @{ File = 'ip-j-route.json'; Table = 'Routes' }
        @{ File = 'ip-neigh.txt'; Table = 'Neighbors' }
        @{ File = 'arp-n.txt'; Table = 'Neighbors' }
        @{ File = 'bridge-fdb.txt'; Table = 'Fdb' }
        @{ File = 'bridge-j-fdb.json'; Table = 'Fdb' }
        @{ File = 'ip-d-link.txt'; Table = 'Interfaces' }
        @{ File = 'ip-j-d-link.json'; Table = 'Interfaces' }
        @{ File = 'ip-addr.txt'; Table = 'Interfaces' }
        @{ File = 'ip-j-addr.json'; Table = 'Interfaces' }
        @{ File = 'ip-j-neigh.json'; Table = 'Neighbors' }
        @{ File = 'ip-6-route.txt'; Table = 'Routes' }
        @{ File = 'ip-j-6-route.json'; Table = 'Routes' }
    ) {
        $state = Get-Content (Join-Path $Data healthy/node1/$File) | Get-FlannelNodeState -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -BeNullOrEmpty
        @($state).Count | Should -Be 1
        $state.$Table.Count | Should -BeGreaterThan 0
        foreach ($other in @('Routes', 'Neighbors', 'Fdb', 'Interfaces') -ne $Table) { $state.$other.Count | Should -Be 0 -Because $other }
    }

    It 'warns about output that no table reads, and names its line' {
        $state = @('hello world', 'more text') | Get-FlannelNodeState -WarningVariable warnings -WarningAction SilentlyContinue
        @($warnings).Count | Should -Be 1
        $warnings[0].Message | Should -Match 'InputObject:1: output with no command'
    }
}
