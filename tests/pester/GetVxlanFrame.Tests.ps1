BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $root = Get-RepoRoot
    # Every readable capture in the repository is checked against tshark; files made broken on purpose are tested below.
    $script:OracleCases = @(Get-ChildItem (Join-Path $root 'samples'), (Join-Path $root 'tests/data') -Recurse -File -Include '*.pcap', '*.pcapng' |
            Where-Object Name -NotMatch 'truncated|cut|empty|not-a-capture|no-vxlan|unknown-link' |
            ForEach-Object { @{ Name = $_.FullName.Substring($root.Length + 1); Path = $_.FullName } })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-RepoRoot) 'FlannelTools.psd1') -Force
    $script:Sample = Join-Path (Get-RepoRoot) 'samples/walkthrough.pcap'
}

Describe 'Get-VxlanFrame' {
    Context 'the walkthrough' {
        BeforeAll {
            $script:frames = @(Get-VxlanFrame $Sample)
            $script:request = $frames | Where-Object { $_.InnerSourceAddress -eq '10.244.1.178' -and $_.InnerDestinationAddress -eq '10.244.2.101' } | Select-Object -First 1
        }

        It 'reproduces the walkthrough''s outer headers: the two nodes'' eth0' {
            $request.OuterSourceAddress | Should -Be '192.168.0.12'
            $request.OuterSourceMac | Should -Be '9e:66:01:47:0d:72'
            $request.OuterDestinationAddress | Should -Be '192.168.0.13'
            $request.OuterDestinationMac | Should -Be '0a:d2:1d:9d:dc:f7'
        }

        It 'reproduces the walkthrough''s inner headers: the pods'' IPs with the two flannel.1 MACs' {
            $request.InnerSourceMac | Should -Be '32:73:d8:d1:e9:78'
            $request.InnerDestinationMac | Should -Be 'ee:81:17:b0:fd:7b'
        }

        It 'finds VXLAN on flannel''s port 8472 with VNI 1 and no set-up' {
            $request.OuterDestinationPort | Should -Be 8472
            $request.Vni | Should -Be 1
        }

        It 'sees both directions of the curl, SYN first' {
            $frames[0].TcpFlags | Should -Be 'SYN'
            $frames[0].Info | Should -Match '^TCP \d+ → 80 \[SYN\]$'
            @($frames | Where-Object InnerSourceAddress -eq '10.244.2.101').Count | Should -BeGreaterThan 0
            @($frames | Where-Object Info -like 'HTTP GET /*').Count | Should -Be 1
        }

        It 'emits typed FlannelTools.VxlanFrame objects' {
            $request.PSObject.TypeNames[0] | Should -Be 'FlannelTools.VxlanFrame'
            $request.Path | Should -Be (Resolve-Path $Sample).Path
        }
    }

    Context 'agrees with tshark, field by field' {
        It 'decodes <Name> as tshark -d udp.port==8472,vxlan does' -ForEach $OracleCases {
            $frames = @(Get-VxlanFrame -LiteralPath $Path -WarningAction SilentlyContinue)
            $expected = @(Get-TsharkVxlanFrame -Path $Path)
            $expected.Count | Should -BeGreaterThan 0 -Because 'every test capture holds VXLAN frames'
            Compare-WithTshark -Frame $frames -Expected $expected | Should -BeNullOrEmpty
        }
    }

    Context 'frames tshark decodes further than their first VXLAN header' {
        BeforeAll {
            # tshark's fields for each VXLAN frame, every occurrence (outer first), IP fragments left alone.
            function Get-TsharkField([string] $Path, [string[]] $Field) {
                $arguments = @('-r', $Path, '-n', '-o', 'ip.defragment:FALSE', '-d', 'udp.port==8472,vxlan', '-Y', 'vxlan',
                    '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,', '-e', 'frame.number')
                foreach ($f in $Field) { $arguments += @('-e', $f) }
                foreach ($line in (& tshark @arguments 2>$null)) {
                    $columns = $line -split "`t"
                    $row = @{ FrameNumber = [long]$columns[0] }
                    for ($i = 0; $i -lt $Field.Count; $i++) { $row[$Field[$i]] = [string[]]@($columns[$i + 1] -split ',' | Where-Object { $_ -ne '' }) }
                    [pscustomobject]$row
                }
            }
        }

        It 'keeps the inner TCP ports of a snap length that cuts the TCP header after them (tcpdump -s 96), as tshark shows them' {
            $path = Get-TestDataPath 'lab/snap96.pcap'
            $frames = @(Get-VxlanFrame -LiteralPath $path -WarningVariable warnings -WarningAction SilentlyContinue)
            $expected = @(Get-TsharkField $path 'tcp.srcport', 'tcp.dstport' | Where-Object { $_.'tcp.srcport'.Count })
            $expected.Count | Should -BeGreaterThan 0
            foreach ($e in $expected) {
                $frame = $frames | Where-Object FrameNumber -eq $e.FrameNumber
                $frame.IsTruncated | Should -BeTrue
                $frame.InnerSourcePort | Should -Be ([int]$e.'tcp.srcport'[0])
                $frame.InnerDestinationPort | Should -Be ([int]$e.'tcp.dstport'[0])
                $frame.TcpFlags | Should -BeNullOrEmpty -Because 'the flags are past the snap length'
                $frame.Info | Should -Be "TCP $($e.'tcp.srcport'[0]) → $($e.'tcp.dstport'[0]) [inner transport header cut short]"
                @($warnings | Where-Object { "$_" -match "Frame $($e.FrameNumber): inner transport header cut short" }).Count | Should -Be 1
            }
        }

        It 'gives a cut inner UDP datagram the length its headers give, as tshark does' {
            $path = Get-TestDataPath 'lab/snap96.pcap'
            $frames = @(Get-VxlanFrame -LiteralPath $path -WarningAction SilentlyContinue)
            $expected = @(Get-TsharkField $path 'udp.srcport', 'udp.dstport', 'udp.length' | Where-Object { $_.'udp.length'.Count -eq 2 })
            $expected.Count | Should -BeGreaterThan 0
            foreach ($e in $expected) {
                $frame = $frames | Where-Object FrameNumber -eq $e.FrameNumber
                $frame.IsTruncated | Should -BeTrue
                $frame.Info | Should -Be "UDP $($e.'udp.srcport'[1]) → $($e.'udp.dstport'[1]) Len=$([int]$e.'udp.length'[1] - 8)"
            }
        }

        It 'shows VXLAN in VXLAN as VXLAN in Info, with the inner VNI tshark reads' {
            $path = Get-TestDataPath 'lab/nested-vxlan.pcap'
            $frames = @(Get-VxlanFrame -LiteralPath $path)
            $expected = @(Get-TsharkField $path 'vxlan.vni')
            $expected.Count | Should -BeGreaterThan 0
            $frames.FrameNumber | Should -Be $expected.FrameNumber
            foreach ($e in $expected) {
                $e.'vxlan.vni'.Count | Should -Be 2 -Because 'each frame carries VXLAN in VXLAN'
                $frame = $frames | Where-Object FrameNumber -eq $e.FrameNumber
                $frame.Vni | Should -Be ([int]$e.'vxlan.vni'[0])
                $frame.Info | Should -Be "VXLAN VNI $($e.'vxlan.vni'[1])"
            }
        }

        It 'gives an inner IP fragment''s Info the fragment''s own payload length and offset, as Wireshark shows them (<Name>)' -TestCases @(
            @{ Name = 'lab/frag-udp.pcap'; Protocol = 'UDP' }
            @{ Name = 'lab/frag-inner-outer.pcap'; Protocol = 'ICMP' }
        ) {
            $path = Get-TestDataPath $Name
            $frames = @(Get-VxlanFrame -LiteralPath $path -WarningAction SilentlyContinue)
            # the inner IP header is the second; ip.frag_offset is in 8-byte units, as the header holds it
            $expected = @(Get-TsharkField $path 'ip.len', 'ip.hdr_len', 'ip.frag_offset', 'ip.id', 'ip.flags.mf' |
                Where-Object { $_.'ip.len'.Count -eq 2 -and ($_.'ip.flags.mf'[1] -eq '1' -or $_.'ip.frag_offset'[1] -ne '0') })
            $expected.Count | Should -BeGreaterThan 2
            foreach ($e in $expected) {
                $frame = $frames | Where-Object FrameNumber -eq $e.FrameNumber
                $length = [int]$e.'ip.len'[1] - [int]$e.'ip.hdr_len'[1]
                $id = $e.'ip.id'[1] -replace '^0x', ''
                $frame.Info | Should -Be "$Protocol fragment (off=$(8 * [int]$e.'ip.frag_offset'[1]), ID=$id) Len=$length"
            }
        }
    }

    Context 'paths' {
        BeforeAll {
            Copy-Item $Sample (Join-Path $TestDrive 'one.pcap')
            Copy-Item $Sample (Join-Path $TestDrive 'two.pcap')
            Copy-Item $Sample (Join-Path $TestDrive '[literal].pcap')
            $script:perFile = @(Get-VxlanFrame $Sample).Count
        }

        It 'expands wildcards relative to the current location' {
            Push-Location $TestDrive
            try { $frames = @(Get-VxlanFrame [ot]*.pcap) } finally { Pop-Location }
            $frames.Count | Should -Be (2 * $perFile)
            @($frames.Path | Sort-Object -Unique | Split-Path -Leaf) | Should -Be @('one.pcap', 'two.pcap')
        }

        It 'reads files piped from Get-ChildItem through -LiteralPath (PSPath)' {
            $frames = @(Get-ChildItem $TestDrive -Filter '*.pcap' | Where-Object Name -ne '[literal].pcap' | Get-VxlanFrame)
            $frames.Count | Should -Be (2 * $perFile)
        }

        It 'takes -LiteralPath as written, brackets and all' {
            @(Get-VxlanFrame -LiteralPath (Join-Path $TestDrive '[literal].pcap')).Count | Should -Be $perFile
        }

        It 'resolves PSDrive paths through the provider' {
            $null = New-PSDrive -Name FtCaptures -PSProvider FileSystem -Root $TestDrive
            try { @(Get-VxlanFrame FtCaptures:/one.pcap).Count | Should -Be $perFile } finally { Remove-PSDrive FtCaptures }
        }

        It 'writes PathNotFound for a missing file and still reads the others' {
            $frames = @(Get-VxlanFrame (Join-Path $TestDrive 'missing.pcap'), (Join-Path $TestDrive 'one.pcap') -ErrorVariable errors -ErrorAction SilentlyContinue)
            $frames.Count | Should -Be $perFile
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
            $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        }
    }

    Context 'bad input' {
        BeforeAll {
            $script:empty = Join-Path $TestDrive 'empty.pcap'
            $null = New-Item -ItemType File $empty
            $script:text = Join-Path $TestDrive 'notes.pcap'
            Set-Content $text 'this is not a capture'
            $script:good = Join-Path $TestDrive 'good.pcap'
            Copy-Item $Sample $good
            $script:perFile = @(Get-VxlanFrame $Sample).Count
            $bytes = [IO.File]::ReadAllBytes($Sample)
            $script:cut = Join-Path $TestDrive 'cut.pcap'
            [IO.File]::WriteAllBytes($cut, $bytes[0..($bytes.Length - 30)])
        }

        It 'writes <Id> for <Case> with the path as target, and still reads the next file' -ForEach @(
            @{ Case = 'an empty file'; Id = 'EmptyFile'; File = 'empty.pcap' }
            @{ Case = 'a text file'; Id = 'FileNotCapture'; File = 'notes.pcap' }
        ) {
            $target = Join-Path $TestDrive $File
            $frames = @(Get-VxlanFrame -LiteralPath $target, $good -ErrorVariable errors -ErrorAction SilentlyContinue)
            $frames.Count | Should -Be $perFile
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $errors[0].TargetObject | Should -Be $target
        }

        It 'writes TruncatedRecord naming the last good frame for a file cut mid-record, after every frame before the cut' {
            $frames = @(Get-VxlanFrame -LiteralPath $cut -ErrorVariable errors -ErrorAction SilentlyContinue)
            $frames.Count | Should -Be ($perFile - 1)
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'TruncatedRecord,*'
            $lastGood = (tshark -r $Sample -T fields -e frame.number | Select-Object -Last 1) - 1
            $errors[0].Exception.Message | Should -Match "frame $lastGood\b"
        }

        It 'writes TruncatedRecord after the frames tshark reads, for <File> (<Cut>)' -ForEach @(
            @{ File = 'truncated-header.pcap'; Cut = 'cut 8 bytes into the second record''s header' }
            @{ File = 'truncated-data.pcap'; Cut = 'cut inside the last record''s data' }
        ) {
            $path = Get-TestDataPath "lab/$File"
            # tshark reads the same file up to the cut: the frames it numbers, and among them those it decodes as VXLAN.
            $read = @(tshark -r $path -n -T fields -e frame.number 2>$null | ForEach-Object { [long]$_ })
            $vxlan = @(tshark -r $path -n -d 'udp.port==8472,vxlan' -Y vxlan -T fields -e frame.number 2>$null | ForEach-Object { [long]$_ })
            $read.Count | Should -BeGreaterThan 0

            $frames = @(Get-VxlanFrame -LiteralPath $path -ErrorVariable errors -ErrorAction SilentlyContinue)

            @($frames.FrameNumber) -join ',' | Should -Be ($vxlan -join ',')
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'TruncatedRecord,*'
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $errors[0].TargetObject | Should -Be $path
            $errors[0].Exception.Message | Should -Match "after frame $($read[-1])\b" -Because "tshark's last frame before the cut is $($read[-1])"
        }

        It 'still emits every frame whose inner headers the snap length cut, with a warning naming each frame' {
            $path = Get-TestDataPath 'lab/snaplen60.pcap'
            $frames = @(Get-VxlanFrame -LiteralPath $path -WarningVariable warnings -WarningAction SilentlyContinue)
            $expected = @(tshark -r $path -n -o ip.defragment:FALSE -Y 'udp.dstport == 8472' -T fields -e frame.number 2>$null | ForEach-Object { [long]$_ })
            $frames.FrameNumber | Should -Be $expected
            $frames | ForEach-Object { $_.IsTruncated | Should -BeTrue; $_.Vni | Should -Be 1; $_.InnerSourceAddress | Should -BeNullOrEmpty }
            $warnings.Count | Should -Be $expected.Count
            foreach ($n in $expected) { @($warnings | Where-Object { "$_" -match "Frame ${n}: inner Ethernet header cut short" }).Count | Should -Be 1 }
        }

        It 'warns about each later IP fragment of a tunnel packet, naming the frame, and decodes the packet at its first fragment' {
            $path = Get-TestDataPath 'lab/frag-outer.pcap'
            $frames = @(Get-VxlanFrame -LiteralPath $path -WarningVariable warnings -WarningAction SilentlyContinue)
            $later = @(tshark -r $path -n -o ip.defragment:FALSE -Y 'ip.frag_offset > 0' -T fields -e frame.number 2>$null | ForEach-Object { [long]$_ })
            $later.Count | Should -BeGreaterThan 0
            $warnings.Count | Should -Be $later.Count
            foreach ($n in $later) { @($warnings | Where-Object { "$_" -match "Frame ${n}: later IP fragment .* of a VXLAN frame" }).Count | Should -Be 1 }
            $frames.FrameNumber | Should -Not -Contain $later[0]
            $frames[0].InnerSourceAddress | Should -Be '10.244.1.178'
        }

        It 'rejects an -InnerAddress that is not an address with InvalidAddress' {
            { Get-VxlanFrame $Sample -InnerAddress 'not-an-ip' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidAddress,FlannelTools.Commands.GetVxlanFrameCommand'
        }

        It 'writes InvalidFilter for a BPF expression that does not compile, naming the file' {
            $null = Get-VxlanFrame $Sample -Filter 'udp port' -ErrorVariable errors -ErrorAction SilentlyContinue
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidFilter,*'
            $errors[0].Exception.Message | Should -Match 'walkthrough\.pcap|interface|link type'
        }
    }

    Context 'captures without VXLAN frames' {
        It 'finds no frame in tests/data/capture/no-vxlan.pcap, as tshark finds none' {
            $path = Join-Path (Get-RepoRoot) 'tests/data/capture/no-vxlan.pcap'
            @(Get-TsharkVxlanFrame -Path $path).Count | Should -Be 0
            @(& tshark -r $path 2>$null).Count | Should -Be 4
            @(Get-VxlanFrame -LiteralPath $path -WarningVariable warnings) | Should -BeNullOrEmpty
            $warnings | Should -BeNullOrEmpty
        }

        It 'warns once of the link type it does not read in tests/data/capture/unknown-link.pcap' {
            $path = Join-Path (Get-RepoRoot) 'tests/data/capture/unknown-link.pcap'
            @(Get-VxlanFrame -LiteralPath $path -WarningVariable warnings -WarningAction SilentlyContinue) | Should -BeNullOrEmpty
            @($warnings).Count | Should -Be 1
            "$($warnings[0])" | Should -Match 'LINKTYPE 105'
        }
    }

    Context 'live parameters' {
        It 'refuses -Duration <Duration> as a parameter error naming -Duration, before any capture starts' -ForEach @(
            @{ Duration = 0 }
            @{ Duration = -5 }
            @{ Duration = [TimeSpan]::Zero }
            @{ Duration = [TimeSpan]::FromSeconds(-1) }
        ) {
            $err = { Get-VxlanFrame -InterfaceName lo -Duration $Duration } | Should -Throw -ErrorId 'ParameterArgumentValidationError,FlannelTools.Commands.GetVxlanFrameCommand' -PassThru
            $err.Exception.Message | Should -Match "parameter 'Duration'"
            $err.Exception.Message | Should -Match 'not more than 0 seconds'
        }
    }

    Context 'stopping' {
        It 'stops when the pipeline is stopped (Ctrl+C), having emitted only the frames read so far' {
            $big = Join-Path $TestDrive 'big.pcap'
            & mergecap -a -w $big @(1..200 | ForEach-Object { $Sample })
            $total = @(Get-VxlanFrame $big).Count
            $ps = [powershell]::Create()
            $null = $ps.AddCommand('Import-Module').AddArgument((Join-Path (Get-RepoRoot) 'FlannelTools.psd1')).AddStatement()
            $null = $ps.AddCommand('Get-VxlanFrame').AddArgument($big).AddCommand('ForEach-Object').AddArgument({ Start-Sleep -Milliseconds 20; $_ })
            $noInput = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $noInput.Complete()
            $output = [System.Management.Automation.PSDataCollection[psobject]]::new()
            $null = $ps.BeginInvoke($noInput, $output)
            $deadline = [DateTime]::UtcNow.AddSeconds(30)
            while ($output.Count -lt 1 -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 20 }
            $ps.Stop()
            $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            $output.Count | Should -BeGreaterThan 0
            $output.Count | Should -BeLessThan $total
            $ps.Dispose()
        }
    }

    Context 'the node pair filter -Between, on the underlay of a three-node lab' {
        BeforeAll {
            $script:Underlay = Get-TestDataPath 'lab/three-node-underlay.pcap'
            # tshark's frame numbers for the walkthrough's own filter, ip.host==A && ip.host==B (ip.host matches the inner
            # headers too: the inner addresses are pods', in 10.244.0.0/16, so only the outer ones can match a node's).
            function Get-TsharkPair([string] $Path, [string] $A, [string] $B, [string] $Layer = 'ip') {
                $numbers = & tshark -r $Path -n -o ip.defragment:FALSE -d 'udp.port==8472,vxlan' -Y "vxlan && $Layer.addr==$A && $Layer.addr==$B" -T fields -e frame.number 2>$null
                if ($LASTEXITCODE -ne 0) { throw "tshark failed on $Path" }
                @($numbers | ForEach-Object { [long]$_ })
            }
        }

        It 'keeps the frames between <A> and <B>, either way, as tshark''s ip.host==A && ip.host==B (<Count> frames)' -ForEach @(
            @{ A = '192.168.0.12'; B = '192.168.0.13'; Count = 8 }
            @{ A = '192.168.0.12'; B = '192.168.0.11'; Count = 4 }
            @{ A = '192.168.0.11'; B = '192.168.0.13'; Count = 4 }
        ) {
            $expected = Get-TsharkPair $Underlay $A $B
            $expected.Count | Should -Be $Count
            $frames = @(Get-VxlanFrame $Underlay -Between $A, $B)
            @($frames.FrameNumber) | Should -Be $expected
            @($frames | Where-Object { "$($_.OuterSourceAddress)" -eq $A }).Count | Should -BeGreaterThan 0
            @($frames | Where-Object { "$($_.OuterSourceAddress)" -eq $B }).Count | Should -BeGreaterThan 0
            @(Get-VxlanFrame $Underlay -Between $B, $A).FrameNumber | Should -Be $expected
        }

        It 'keeps the pair of IPv6 outer addresses too' {
            $v6 = Get-TestDataPath 'lab/dualstack-v6.pcap'
            $expected = Get-TsharkPair $v6 'fd00::12' 'fd00::13' 'ipv6'
            $expected.Count | Should -BeGreaterThan 0
            @(Get-VxlanFrame $v6 -Between fd00::12, fd00::13).FrameNumber | Should -Be $expected
            @(Get-VxlanFrame $v6 -Between fd00::12, fd00::11).Count | Should -Be 0
        }

        It 'goes with the other filters: -Between and -Vni, -InnerAddress' {
            @(Get-VxlanFrame $Underlay -Between 192.168.0.12, 192.168.0.13 -Vni 2).Count | Should -Be 0
            # node2's pod is in both node1's and master's conversations; with the pair only node1's remain
            @(Get-VxlanFrame $Underlay -Between 192.168.0.12, 192.168.0.13 -InnerAddress 10.244.2.101).Count | Should -Be 8
            @(Get-VxlanFrame $Underlay -Between 192.168.0.11, 192.168.0.13 -InnerAddress 10.244.1.178).Count | Should -Be 0
        }

        It 'refuses <Case> as a parameter error naming -Between, before reading anything' -ForEach @(
            @{ Case = 'one address'; Between = @('192.168.0.12'); Message = '1 address given' }
            @{ Case = 'three addresses'; Between = @('192.168.0.12', '192.168.0.13', '192.168.0.11'); Message = '3 addresses given' }
            @{ Case = 'the same address twice'; Between = @('192.168.0.12', '192.168.0.12'); Message = 'same address twice' }
            @{ Case = 'a name'; Between = @('192.168.0.12', 'node2'); Message = "'node2' is not an IPv4 or IPv6 address" }
        ) {
            $err = { Get-VxlanFrame $Underlay -Between $Between } | Should -Throw -ErrorId 'ParameterArgumentValidationError,FlannelTools.Commands.GetVxlanFrameCommand' -PassThru
            $err.Exception.Message | Should -Match "parameter 'Between'"
            $err.Exception.Message | Should -Match ([regex]::Escape($Message))
        }
    }

    Context 'filters' {
        BeforeAll { $script:all = @(Get-VxlanFrame $Sample) }

        It 'keeps frames from other VNIs out when -Vni is given' {
            @(Get-VxlanFrame $Sample -Vni 2).Count | Should -Be 0
            @(Get-VxlanFrame $Sample -Vni 2, 1).Count | Should -Be $all.Count
        }

        It 'keeps only frames to or from a node with -HostAddress' {
            @(Get-VxlanFrame $Sample -HostAddress 192.168.0.13).Count | Should -Be $all.Count
            @(Get-VxlanFrame $Sample -HostAddress 192.168.0.99).Count | Should -Be 0
        }

        It 'keeps every frame with -HostAddress of both nodes of a pair, their frames with master too (what -Between is for)' {
            $underlay = Get-TestDataPath 'lab/three-node-underlay.pcap'
            @(Get-VxlanFrame $underlay -HostAddress 192.168.0.12, 192.168.0.13).Count | Should -Be 16
        }

        It 'keeps only frames to or from a pod with -InnerAddress' {
            @(Get-VxlanFrame $Sample -InnerAddress 10.244.2.101).Count | Should -Be @($all | Where-Object { $_.InnerSourceAddress -eq '10.244.2.101' -or $_.InnerDestinationAddress -eq '10.244.2.101' }).Count
            @(Get-VxlanFrame $Sample -InnerAddress 10.244.9.9).Count | Should -Be 0
        }

        It 'recognises VXLAN only on the -Port given' {
            @(Get-VxlanFrame $Sample -Port 4789).Count | Should -Be 0
            @(Get-VxlanFrame $Sample -Port 8472).Count | Should -Be $all.Count
        }

        It 'keeps Wireshark''s frame numbers under a BPF -Filter' {
            $filtered = @(Get-VxlanFrame $Sample -Filter 'src host 192.168.0.13')
            $expected = @(tshark -r $Sample -Y 'ip.src == 192.168.0.13 && udp.dstport == 8472' -T fields -e frame.number | ForEach-Object { [long]$_ })
            $filtered.Count | Should -BeGreaterThan 0
            $filtered.FrameNumber | Should -Be $expected
        }
    }

    Context 'text forms' {
        BeforeAll {
            $script:frames = @(Get-VxlanFrame $Sample)
            $script:first = $frames[0]
        }

        It 'writes the time as ISO 8601 UTC with the capture''s fraction of a second, equal to tshark''s epoch time' {
            $first.Timestamp | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$'
            $epoch = tshark -r $Sample -T fields -e frame.time_epoch -Y "frame.number == $($first.FrameNumber)"
            $expected = [DateTimeOffset]::FromUnixTimeSeconds([long]$epoch.Split('.')[0]).UtcDateTime.ToString('yyyy-MM-ddTHH:mm:ss', [cultureinfo]::InvariantCulture) + '.' + $epoch.Split('.')[1].Substring(0, 6) + 'Z'
            $first.Timestamp | Should -Be $expected
            "$($first.Timestamp)" | Should -Be $expected
            ([datetime]$first.Timestamp).ToUniversalTime().Ticks % [TimeSpan]::TicksPerSecond | Should -Be ([long]$epoch.Split('.')[1].Substring(0, 6) * 10)
        }

        It 'exports a CSV a person can read: MACs, addresses, flags and time as text' {
            $csv = Join-Path $TestDrive 'frames.csv'
            $frames | Where-Object InnerDestinationAddress -eq 10.244.2.101 | Export-Csv $csv
            $rows = @(Import-Csv $csv)
            $rows.Count | Should -BeGreaterThan 0
            $rows[0].OuterSourceMac | Should -Be '9e:66:01:47:0d:72'
            $rows[0].InnerDestinationAddress | Should -Be '10.244.2.101'
            $rows[0].Timestamp | Should -Match 'Z$'
            Get-Content $csv -Raw | Should -Not -Match 'System\.'
        }

        It 'converts to JSON with no nested address objects' {
            $text = $first | ConvertTo-Json
            $text | Should -Match ('"Timestamp": "' + [regex]::Escape($first.Timestamp) + '"')
            $json = $text | ConvertFrom-Json -DateKind String
            $json.OuterSourceAddress | Should -BeOfType [string]
            $json.OuterSourceAddress | Should -Be '192.168.0.12'
            $json.Timestamp | Should -Be $first.Timestamp
            $json.Vni | Should -Be 1
        }

        It 'shows the walkthrough''s columns in the default table view' {
            $table = $frames | Select-Object -First 2 | Format-Table | Out-String -Width 200
            $table | Should -Match 'No\.\s+Outer Source\s+Outer Destination\s+Inner Source\s+Inner Destination\s+VNI\s+Info'
            $table | Should -Match '192\.168\.0\.12\s+192\.168\.0\.13\s+10\.244\.1\.178\s+10\.244\.2\.101\s+1 TCP'
        }

        It 'shows every field in the list view' {
            $list = $first | Format-List | Out-String
            foreach ($name in 'FrameNumber', 'Timestamp', 'OuterSourceMac', 'OuterDestinationMac', 'OuterVlan', 'Vni', 'InnerSourceMac', 'InnerDestinationMac', 'InnerEtherType', 'InnerProtocol', 'TcpFlags', 'Info') {
                $list | Should -Match "(?m)^$name\s*:"
            }
            $list | Should -Match 'InnerEtherType\s*: 0x0800'
        }
    }
}
