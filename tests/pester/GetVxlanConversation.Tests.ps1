BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $root = Get-RepoRoot
    $readable = @(Get-ChildItem (Join-Path $root 'samples'), (Join-Path $root 'tests/data/lab'), (Join-Path $root 'tests/data/capture') -Recurse -File -Include '*.pcap', '*.pcapng' |
            Where-Object Name -NotMatch 'truncated|empty|not-a-capture|no-vxlan|unknown-link' |
            ForEach-Object { @{ Name = $_.FullName.Substring($root.Length + 1); Path = $_.FullName } })
    # Every capture read either way; tshark compared where its conversation statistics count the same frames: not where
    # IP fragments are reassembled (tshark counts a reassembled packet once), headers are cut by the snap length, or
    # VXLAN is nested in VXLAN (tshark counts the innermost conversations).
    $script:PipelineCases = $readable
    $script:TsharkCases = @($readable | Where-Object { $_.Name -match '^(samples|tests/data/lab)/' -and $_.Name -notmatch 'frag|snaplen|snap96|nested' })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path (Get-RepoRoot) 'FlannelTools.psd1') -Force
    $script:Sample = Join-Path (Get-RepoRoot) 'samples/walkthrough.pcap'

    <#
        tshark -q -z conv,<kind> with VXLAN decoded: one object per conversation line. tshark's left side is the one
        that sent the first frame (our A); its '<-' columns count B to A and its '->' columns A to B.
        A line reads: 10.244.1.178:42344  <-> 10.244.2.101:80   6 948 bytes   7 896 bytes   13 1844 bytes   0.000047000   0.0143
    #>
    function Get-TsharkConversation([string] $Path, [ValidateSet('tcp', 'udp', 'ip', 'ipv6')] [string] $Kind) {
        # Only VXLAN frames: a capture on 'any' also holds the pods' packets on cni0 and the veths.
        $lines = & tshark -r $Path -n -q -d 'udp.port==8472,vxlan' -d 'udp.port==4789,vxlan' -z "conv,$Kind,vxlan" 2>$null
        if ($LASTEXITCODE -ne 0) { throw "tshark failed on $Path" }
        foreach ($line in $lines) {
            if ($line -match '^(?<a>\S+)\s+<->\s+(?<b>\S+)\s+(?<fba>\d+)\s+(?<bba>\d+)\s+(?<uba>\S+)\s+(?<fab>\d+)\s+(?<bab>\d+)\s+(?<uab>\S+)\s+\d+\s+\d+\s+\S+\s+(?<start>[\d.]+)\s+(?<duration>[\d.]+)\s*$') {
                [pscustomobject]@{
                    A          = $Matches.a
                    B          = $Matches.b
                    FramesAToB = [long]$Matches.fab
                    FramesBToA = [long]$Matches.fba
                    # tshark writes kB beyond 9999 bytes; then only the frames are compared.
                    BytesAToB  = if ($Matches.uab -eq 'bytes') { [long]$Matches.bab }
                    BytesBToA  = if ($Matches.uba -eq 'bytes') { [long]$Matches.bba }
                    Duration   = [double]$Matches.duration
                }
            }
        }
    }

    # The endpoint text tshark writes: address:port (IPv6 without brackets), or the address alone.
    function Get-Endpoint($Conversation, [switch] $B) {
        $address, $port = if ($B) { $Conversation.InnerDestinationAddress, $Conversation.InnerDestinationPort } else { $Conversation.InnerSourceAddress, $Conversation.InnerSourcePort }
        if ($null -ne $port) { "${address}:$port" } else { $address }
    }

    # Every property as text, so two runs compare with one -Be.
    function ConvertTo-Row($Conversation) {
        ($Conversation.PSObject.Properties | ForEach-Object { "$($_.Name)=$($_.Value)" }) -join '; '
    }
}

Describe 'Get-VxlanConversation' {
    Context 'the walkthrough' {
        BeforeAll {
            $script:conversations = @(Get-VxlanConversation $Sample)
            $script:curl = $conversations[0]
        }

        It 'finds the curl as one TCP conversation, A the client pod that sent the SYN' {
            $conversations.Count | Should -Be 1
            $curl.PSObject.TypeNames[0] | Should -Be 'FlannelTools.VxlanConversation'
            $curl.InnerProtocol | Should -Be 'TCP'
            $curl.InnerSourceAddress | Should -Be '10.244.1.178'
            $curl.InnerDestinationAddress | Should -Be '10.244.2.101'
            $curl.InnerDestinationPort | Should -Be 80
            $curl.Summary | Should -Match '^TCP 10\.244\.1\.178:\d+ ↔ 10\.244\.2\.101:80, 7→ 6←$'
        }

        It 'carries the walkthrough''s outer addresses and VTEP MACs from A to B' {
            $curl.Vni | Should -Be 1
            $curl.OuterSourceAddress | Should -Be '192.168.0.12'
            $curl.OuterDestinationAddress | Should -Be '192.168.0.13'
            $curl.OuterDestinationPort | Should -Be 8472
            "$($curl.InnerSourceMacs)" | Should -Be '32:73:d8:d1:e9:78'
            "$($curl.InnerDestinationMacs)" | Should -Be 'ee:81:17:b0:fd:7b'
        }

        It 'counts what Get-VxlanFrame shows: frames, wire bytes, first and last frame, times and TCP flags' {
            $frames = @(Get-VxlanFrame $Sample)
            $aToB = @($frames | Where-Object InnerSourceAddress -eq '10.244.1.178')
            $bToA = @($frames | Where-Object InnerSourceAddress -eq '10.244.2.101')
            $curl.FramesAToB | Should -Be $aToB.Count
            $curl.FramesBToA | Should -Be $bToA.Count
            $curl.BytesAToB | Should -Be ($aToB | Measure-Object Length -Sum).Sum
            $curl.BytesBToA | Should -Be ($bToA | Measure-Object Length -Sum).Sum
            $curl.FirstFrame | Should -Be $frames[0].FrameNumber
            $curl.LastFrame | Should -Be $frames[-1].FrameNumber
            $curl.Start | Should -Be $frames[0].Timestamp
            $curl.End | Should -Be $frames[-1].Timestamp
            $curl.Duration | Should -Be ((([datetime]$frames[-1].Timestamp) - ([datetime]$frames[0].Timestamp)).TotalSeconds)
            $curl.TcpFlagsSeen | Should -Be 'SYN,FIN,PSH,ACK'
        }
    }

    Context 'agrees with tshark''s conversation statistics' {
        It 'counts the TCP and UDP conversations in <Name> as tshark -z conv,tcp and conv,udp do' -ForEach $TsharkCases {
            $ours = @(Get-VxlanConversation -LiteralPath $Path | Where-Object InnerProtocol -in 'TCP', 'UDP')
            # conv,udp also lists the outer VXLAN datagrams: those are not inner conversations.
            $theirs = @(@(Get-TsharkConversation $Path tcp) + @(Get-TsharkConversation $Path udp) | Where-Object { $_.A -notmatch ':(8472|4789)$' -and $_.B -notmatch ':(8472|4789)$' })
            $theirs.Count | Should -BeGreaterThan 0 -Because 'every lab capture carries a TCP or UDP conversation'
            $ours.Count | Should -Be $theirs.Count
            foreach ($t in $theirs) {
                $match = @($ours | Where-Object { (Get-Endpoint $_) -eq $t.A -and (Get-Endpoint $_ -B) -eq $t.B })
                $match.Count | Should -Be 1 -Because "tshark has $($t.A) <-> $($t.B), A first"
                $match[0].FramesAToB | Should -Be $t.FramesAToB
                $match[0].FramesBToA | Should -Be $t.FramesBToA
                if ($null -ne $t.BytesAToB) { $match[0].BytesAToB | Should -Be $t.BytesAToB }
                if ($null -ne $t.BytesBToA) { $match[0].BytesBToA | Should -Be $t.BytesBToA }
                $match[0].Duration | Should -BeGreaterOrEqual ($t.Duration - 0.00005)
                $match[0].Duration | Should -BeLessOrEqual ($t.Duration + 0.00005)
            }
        }

        It 'counts the frames between each pair of pods in <Name> as tshark -z conv,ip and conv,ipv6 do' -ForEach $TsharkCases {
            $ours = @(Get-VxlanConversation -LiteralPath $Path | Where-Object InnerSourceAddress)
            $nodes = @(Get-VxlanFrame -LiteralPath $Path | ForEach-Object { $_.OuterSourceAddress; $_.OuterDestinationAddress } | Sort-Object -Unique)
            # tshark's IP conversations hold the outer ones (and the underlay's own) too: only the pods' are compared.
            $theirs = @(@(Get-TsharkConversation $Path ip) + @(Get-TsharkConversation $Path ipv6) | Where-Object { $_.A -notin $nodes -and $_.B -notin $nodes -and $_.B -notmatch '^ff02:' })
            $pairs = @($ours | ForEach-Object { (@($_.InnerSourceAddress, $_.InnerDestinationAddress) | Sort-Object) -join ' ' } | Sort-Object -Unique)
            $pairs.Count | Should -Be $theirs.Count
            foreach ($t in $theirs) {
                $ofPair = @($ours | Where-Object { ($_.InnerSourceAddress -eq $t.A -and $_.InnerDestinationAddress -eq $t.B) -or ($_.InnerSourceAddress -eq $t.B -and $_.InnerDestinationAddress -eq $t.A) })
                $fromA = ($ofPair | ForEach-Object { if ($_.InnerSourceAddress -eq $t.A) { $_.FramesAToB } else { $_.FramesBToA } } | Measure-Object -Sum).Sum
                $fromB = ($ofPair | ForEach-Object { if ($_.InnerSourceAddress -eq $t.A) { $_.FramesBToA } else { $_.FramesAToB } } | Measure-Object -Sum).Sum
                $fromA | Should -Be $t.FramesAToB -Because "tshark counts $($t.FramesAToB) frames from $($t.A) to $($t.B)"
                $fromB | Should -Be $t.FramesBToA -Because "tshark counts $($t.FramesBToA) frames from $($t.B) to $($t.A)"
            }
        }
    }

    Context 'frames from the pipeline' {
        It 'gives for Get-VxlanFrame <Name> | Get-VxlanConversation what -Path gives' -ForEach $PipelineCases {
            $fromPath = @(Get-VxlanConversation -LiteralPath $Path -WarningAction SilentlyContinue | ForEach-Object { ConvertTo-Row $_ })
            $fromFrames = @(Get-VxlanFrame -LiteralPath $Path -WarningAction SilentlyContinue | Get-VxlanConversation | ForEach-Object { ConvertTo-Row $_ })
            $fromPath.Count | Should -BeGreaterThan 0
            $fromFrames | Should -Be $fromPath
        }

        It 'takes -Frame by name, an array of frames' {
            $frames = @(Get-VxlanFrame $Sample)
            (Get-VxlanConversation -Frame $frames).Summary | Should -Be (Get-VxlanConversation $Sample).Summary
        }

        It 'counts only the frames Where-Object lets through' {
            $c = @(Get-VxlanFrame $Sample | Where-Object TcpFlags -ne 'ACK' | Get-VxlanConversation)
            $c.Count | Should -Be 1
            $c[0].FramesAToB + $c[0].FramesBToA | Should -Be @(Get-VxlanFrame $Sample | Where-Object TcpFlags -ne 'ACK').Count
        }

        It 'keeps the conversations of each capture apart, by the frames'' Path' {
            Copy-Item $Sample (Join-Path $TestDrive 'copy.pcap')
            $c = @(Get-VxlanFrame $Sample, (Join-Path $TestDrive 'copy.pcap') | Get-VxlanConversation)
            $c.Count | Should -Be 2
            $c.Path | Split-Path -Leaf | Should -Be @('walkthrough.pcap', 'copy.pcap')
            $c[1].FramesAToB | Should -Be $c[0].FramesAToB
        }

        It 'applies -Vni, -HostAddress and -InnerAddress to piped frames too' {
            @(Get-VxlanFrame $Sample | Get-VxlanConversation -Vni 2).Count | Should -Be 0
            @(Get-VxlanFrame $Sample | Get-VxlanConversation -HostAddress 192.168.0.99).Count | Should -Be 0
            @(Get-VxlanFrame $Sample | Get-VxlanConversation -InnerAddress 10.244.2.101).Count | Should -Be 1
        }
    }

    Context 'paths and filters' {
        BeforeAll {
            Copy-Item $Sample (Join-Path $TestDrive 'one.pcap')
            Copy-Item $Sample (Join-Path $TestDrive 'two.pcap')
        }

        It 'gives each capture file its own conversations, wildcards expanded' {
            Push-Location $TestDrive
            try { $c = @(Get-VxlanConversation *.pcap) } finally { Pop-Location }
            $c.Count | Should -Be 2
            @($c.Path | Split-Path -Leaf) | Should -Be @('one.pcap', 'two.pcap')
        }

        It 'reads files piped from Get-ChildItem through -LiteralPath (PSPath)' {
            @(Get-ChildItem $TestDrive -Filter '*.pcap' | Get-VxlanConversation).Count | Should -Be 2
        }

        It 'counts only the frames the filters keep: <Filter>' -ForEach @(
            @{ Filter = '-Vni 2'; Arguments = @{ Vni = 2 }; Expected = 0 }
            @{ Filter = '-Vni 1'; Arguments = @{ Vni = 1 }; Expected = 1 }
            @{ Filter = '-HostAddress 192.168.0.99'; Arguments = @{ HostAddress = '192.168.0.99' }; Expected = 0 }
            @{ Filter = '-InnerAddress 10.244.2.101'; Arguments = @{ InnerAddress = '10.244.2.101' }; Expected = 1 }
            @{ Filter = '-InnerAddress 10.244.9.9'; Arguments = @{ InnerAddress = '10.244.9.9' }; Expected = 0 }
            @{ Filter = '-Port 4789'; Arguments = @{ Port = 4789 }; Expected = 0 }
        ) {
            @(Get-VxlanConversation $Sample @Arguments).Count | Should -Be $Expected
        }

        It 'counts with -Between only the conversations of that node pair, read or piped, as tshark''s ip.host==A && ip.host==B' {
            $underlay = Get-TestDataPath 'lab/three-node-underlay.pcap'
            $expected = @(tshark -r $underlay -n -d 'udp.port==8472,vxlan' -Y 'vxlan && ip.host==192.168.0.12 && ip.host==192.168.0.13' -T fields -e frame.number)
            $expected.Count | Should -Be 8
            @(Get-VxlanConversation $underlay).Count | Should -Be 4
            foreach ($c in @(Get-VxlanConversation $underlay -Between 192.168.0.13, 192.168.0.12), @(Get-VxlanFrame $underlay | Get-VxlanConversation -Between 192.168.0.12, 192.168.0.13)) {
                @($c).Count | Should -Be 2
                @($c | Sort-Object InnerProtocol).InnerProtocol | Should -Be @('ICMP', 'UDP')
                ($c | Measure-Object -Property FramesAToB -Sum).Sum + ($c | Measure-Object -Property FramesBToA -Sum).Sum | Should -Be $expected.Count
                @($c | Where-Object { "$($_.InnerSourceAddress)", "$($_.InnerDestinationAddress)" -contains '10.244.0.10' }).Count | Should -Be 0
            }
        }

        It 'takes A from the first frame the BPF -Filter keeps, with Wireshark''s frame numbers' {
            $c = @(Get-VxlanConversation $Sample -Filter 'src host 192.168.0.13')
            $c.Count | Should -Be 1
            $c[0].InnerSourceAddress | Should -Be '10.244.2.101'
            $c[0].FramesBToA | Should -Be 0
            $expected = @(tshark -r $Sample -Y 'ip.src == 192.168.0.13 && udp.dstport == 8472' -T fields -e frame.number | ForEach-Object { [long]$_ })
            $c[0].FramesAToB | Should -Be $expected.Count
            $c[0].FirstFrame | Should -Be $expected[0]
            $c[0].LastFrame | Should -Be $expected[-1]
        }
    }

    Context 'bad input, as Get-VxlanFrame reports it' {
        BeforeAll {
            $script:good = Join-Path $TestDrive 'good.pcap'
            Copy-Item $Sample $good
            $script:empty = Join-Path $TestDrive 'empty.pcap'
            $null = New-Item -ItemType File $empty
            $script:text = Join-Path $TestDrive 'notes.pcap'
            Set-Content $text 'this is not a capture'
            $bytes = [IO.File]::ReadAllBytes($Sample)
            $script:cut = Join-Path $TestDrive 'cut.pcap'
            [IO.File]::WriteAllBytes($cut, $bytes[0..($bytes.Length - 30)])
        }

        It 'writes <Id> for <Case> with the path as target, and still reads the next file' -ForEach @(
            @{ Case = 'a missing file'; Id = 'PathNotFound'; File = 'missing.pcap'; Category = 'ObjectNotFound' }
            @{ Case = 'an empty file'; Id = 'EmptyFile'; File = 'empty.pcap'; Category = 'InvalidData' }
            @{ Case = 'a text file'; Id = 'FileNotCapture'; File = 'notes.pcap'; Category = 'InvalidData' }
        ) {
            $target = Join-Path $TestDrive $File
            $c = @(Get-VxlanConversation -LiteralPath $target, $good -ErrorVariable errors -ErrorAction SilentlyContinue)
            $null = Get-VxlanFrame -LiteralPath $target -ErrorVariable frameErrors -ErrorAction SilentlyContinue
            $c.Count | Should -Be 1
            $c[0].Path | Should -Be $good
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
            $errors[0].CategoryInfo.Category | Should -Be $Category
            $errors[0].TargetObject | Should -Be $target
            $errors[0].Exception.Message | Should -Be $frameErrors[0].Exception.Message
        }

        It 'writes PathNotFound for a -Path that resolves to nothing, and still reads the others' {
            $c = @(Get-VxlanConversation (Join-Path $TestDrive 'missing.pcap'), $good -ErrorVariable errors -ErrorAction SilentlyContinue)
            $c.Count | Should -Be 1
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
        }

        It 'writes TruncatedRecord naming tshark''s last frame, and the conversations of the frames before the cut, for <Name>' -ForEach @(
            @{ Name = 'the sample less its last 29 bytes' }
            @{ Name = 'tests/data/lab/truncated-header.pcap'; File = 'truncated-header.pcap' }
            @{ Name = 'tests/data/lab/truncated-data.pcap'; File = 'truncated-data.pcap' }
        ) {
            $path = if ($File) { Join-Path (Get-RepoRoot) "tests/data/lab/$File" } else { $cut }
            # tshark reads the file up to the cut: the frames it numbers, and among them those it decodes as VXLAN.
            $read = @(tshark -r $path -n -T fields -e frame.number 2>$null | ForEach-Object { [long]$_ })
            $vxlan = @(tshark -r $path -n -d 'udp.port==8472,vxlan' -Y vxlan -T fields -e frame.number 2>$null | ForEach-Object { [long]$_ })
            $read.Count | Should -BeGreaterThan 0

            $c = @(Get-VxlanConversation -LiteralPath $path -ErrorVariable errors -ErrorAction SilentlyContinue)

            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'TruncatedRecord,*'
            $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
            $errors[0].TargetObject | Should -Be $path
            $errors[0].Exception.Message | Should -Match "after frame $($read[-1])\b" -Because "tshark's last frame before the cut is $($read[-1])"
            [long]($c | Measure-Object FramesAToB -Sum).Sum + [long]($c | Measure-Object FramesBToA -Sum).Sum | Should -Be $vxlan.Count
            if ($vxlan) {
                $c.Count | Should -Be 1
                $c[0].FirstFrame | Should -Be $vxlan[0]
                $c[0].LastFrame | Should -Be $vxlan[-1]
            }
            else { $c | Should -BeNullOrEmpty }
        }

        It 'warns about each frame whose headers are cut, as Get-VxlanFrame does, and still counts it' {
            $snap = Join-Path (Get-RepoRoot) 'tests/data/lab/snaplen60.pcap'
            $c = @(Get-VxlanConversation -LiteralPath $snap -WarningVariable warnings -WarningAction SilentlyContinue)
            $frames = @(Get-VxlanFrame -LiteralPath $snap -WarningVariable frameWarnings -WarningAction SilentlyContinue)
            $warnings.Count | Should -BeGreaterThan 0
            @($warnings.Message) | Should -Be @($frameWarnings.Message)
            ($c | Measure-Object FramesAToB -Sum).Sum + ($c | Measure-Object FramesBToA -Sum).Sum | Should -Be $frames.Count
        }

        It 'rejects an -InnerAddress that is not an address with InvalidAddress' {
            { Get-VxlanConversation $Sample -InnerAddress 'not-an-ip' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidAddress,FlannelTools.Commands.GetVxlanConversationCommand'
        }

        It 'writes InvalidFilter for a BPF expression that does not compile' {
            $null = Get-VxlanConversation $Sample -Filter 'udp port' -ErrorVariable errors -ErrorAction SilentlyContinue
            $errors.Count | Should -Be 1
            $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidFilter,*'
        }
    }

    Context 'text forms' {
        BeforeAll {
            # The walkthrough with node2's flannel.1 given a new MAC halfway: from frame 9 on, node1's frames go to the new MAC.
            $bytes = [IO.File]::ReadAllBytes($Sample)
            $old = [byte[]](0xee, 0x81, 0x17, 0xb0, 0xfd, 0x7b)
            $new = [byte[]](0x6a, 0x1c, 0x00, 0x00, 0x00, 0x02)
            $ninth = (Get-VxlanFrame $Sample | Where-Object FrameNumber -ge 9 | Select-Object -First 1)
            # pcap: 24-byte file header, then 16-byte record headers; find frame 9's offset by walking the records.
            $offset = 24
            for ($n = 1; $n -lt $ninth.FrameNumber; $n++) { $offset += 16 + [BitConverter]::ToInt32($bytes, $offset + 8) }
            for ($i = $offset; $i -le $bytes.Length - 6; $i++) {
                if ([Linq.Enumerable]::SequenceEqual([byte[]]$bytes[$i..($i + 5)], $old)) { [Array]::Copy($new, 0, $bytes, $i, 6) }
            }
            $script:changed = Join-Path $TestDrive 'vtep-changed.pcap'
            [IO.File]::WriteAllBytes($changed, $bytes)
            $script:conversation = Get-VxlanConversation $changed
        }

        It 'lists each VTEP MAC that node1''s frames went to, in the order seen' {
            @($conversation.InnerDestinationMacs) | Should -Be @('ee:81:17:b0:fd:7b', '6a:1c:00:00:00:02')
            @($conversation.InnerSourceMacs) | Should -Be @('32:73:d8:d1:e9:78')
        }

        It 'exports the MAC lists to CSV as aa:..,bb:.. and the rest as text' {
            $csv = Join-Path $TestDrive 'conversations.csv'
            $conversation | Export-Csv $csv
            $row = Import-Csv $csv
            $row.InnerDestinationMacs | Should -Be 'ee:81:17:b0:fd:7b,6a:1c:00:00:00:02'
            $row.InnerSourceMacs | Should -Be '32:73:d8:d1:e9:78'
            $row.Start | Should -Match '^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$'
            $row.Summary | Should -Be $conversation.Summary
            Get-Content $csv -Raw | Should -Not -Match 'System\.|FlannelTools\.'
        }

        It 'converts to JSON with the MAC lists as arrays of text' {
            $json = $conversation | ConvertTo-Json | ConvertFrom-Json -DateKind String
            @($json.InnerDestinationMacs) | Should -Be @('ee:81:17:b0:fd:7b', '6a:1c:00:00:00:02')
            $json.InnerSourceAddress | Should -Be '10.244.1.178'
            $json.Start | Should -Be $conversation.Start
        }

        It 'shows VNI, protocol, A, B, the frames each way and the duration in the default table view' {
            $table = Get-VxlanConversation $Sample | Format-Table | Out-String -Width 120
            $table | Should -Match 'VNI\s+Protocol\s+A\s+B\s+A→B\s+B→A\s+Duration'
            $table | Should -Match '1 TCP\s+10\.244\.1\.178:\d+\s+10\.244\.2\.101:80\s+7\s+6\s+0\.0143'
        }

        It 'shows the same table for conversations read back from Export-Clixml' {
            $xml = Join-Path $TestDrive 'conversations.xml'
            Get-VxlanConversation $Sample | Export-Clixml $xml
            $table = Import-Clixml $xml | Format-Table | Out-String -Width 120
            $table | Should -Match '1 TCP\s+10\.244\.1\.178:\d+\s+10\.244\.2\.101:80\s+7\s+6\s+0\.0143'
        }

        It 'shows every field in the list view' {
            $list = $conversation | Format-List | Out-String -Width 200
            foreach ($name in 'Summary', 'Path', 'Vni', 'InnerProtocol', 'InnerSourceAddress', 'InnerSourcePort', 'InnerDestinationAddress', 'InnerDestinationPort',
                'OuterSourceAddress', 'OuterDestinationAddress', 'OuterDestinationPort', 'FramesAToB', 'FramesBToA', 'BytesAToB', 'BytesBToA',
                'FirstFrame', 'LastFrame', 'Start', 'End', 'Duration', 'InnerSourceMacs', 'InnerDestinationMacs', 'TcpFlagsSeen') {
                $list | Should -Match "(?m)^$name\s*:"
            }
            $list | Should -Match 'InnerDestinationMacs\s*: ee:81:17:b0:fd:7b,6a:1c:00:00:00:02'
        }
    }
}
