# Test-FlannelCluster -HtmlPath on a real lab (a stale VtepMAC on node2, forwarding off on node1), rendered in headless
# Chromium (Debian's chromium): the DOM it builds names every node and every failing check, and its screenshot is not blank.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    $script:SkipLab = Test-LabSkipped
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    Import-Module (Join-Path (Get-RepoRoot) 'FlannelTools.psd1') -Force

    # Chromium as root needs --no-sandbox; its profile goes to the test's own folder.
    function Invoke-Chromium([string[]] $Arguments) {
        $chromium = (Get-Command chromium -CommandType Application -ErrorAction Stop | Select-Object -First 1).Source
        $profileDir = Join-Path $TestDrive "chromium-$([guid]::NewGuid().ToString('n'))"
        $output = & $chromium --headless --no-sandbox --disable-gpu --no-first-run "--user-data-dir=$profileDir" @Arguments 2>$null
        if ($LASTEXITCODE -ne 0) { throw "chromium $($Arguments -join ' ') failed (exit $LASTEXITCODE)" }
        $output -join "`n"
    }

    # The distinct byte values of a PNG's pixel rows (its IDAT chunks, inflated): a blank page gives one or two.
    function Get-PngPixelByteCount([string] $Path) {
        $bytes = [IO.File]::ReadAllBytes($Path)
        $data = [IO.MemoryStream]::new()
        $at = 8
        while ($at -lt $bytes.Length) {
            $length = ([int]$bytes[$at] -shl 24) -bor ([int]$bytes[$at + 1] -shl 16) -bor ([int]$bytes[$at + 2] -shl 8) -bor [int]$bytes[$at + 3]
            $type = [Text.Encoding]::ASCII.GetString($bytes, $at + 4, 4)
            if ($type -eq 'IDAT') { $data.Write($bytes, $at + 8, $length) }
            $at += 12 + $length
        }
        $data.Position = 0
        $pixels = [IO.MemoryStream]::new()
        ([IO.Compression.ZLibStream]::new($data, [IO.Compression.CompressionMode]::Decompress)).CopyTo($pixels)
        $seen = [Collections.Generic.HashSet[byte]]::new()
        foreach ($b in $pixels.ToArray()) { $null = $seen.Add($b) }
        $seen.Count
    }
}

Describe 'The HTML report of Test-FlannelCluster, rendered in Chromium' -Skip:$SkipLab {
    BeforeAll {
        $script:Prefix = "ftr$PID"
        $script:Lab = Start-Lab -Prefix $Prefix -Option '--out', (Join-Path $TestDrive 'state')
        $null = Invoke-Lab fault --prefix $Prefix stale-vtepmac node2 --mac 5a:00:00:00:00:0d
        $null = Invoke-Lab fault --prefix $Prefix ip-forward-off node1
        $script:Lab = Invoke-Lab info --prefix $Prefix | Out-String | ConvertFrom-Json
        $nodes = Get-FlannelNode -Path (Join-Path (Split-Path $Lab.netConf) nodes.json)
        $states = @($Lab.nodeList | ForEach-Object { Get-FlannelNodeState -Path $_.nodeState })
        $script:Report = Join-Path $TestDrive 'report.html'
        $script:Findings = @($states | Test-FlannelCluster -Node $nodes -NetConf (Get-FlannelNetConf -Path $Lab.netConf) -HtmlPath $Report)
        $script:Dom = Invoke-Chromium '--dump-dom', ([Uri]::new($Report).AbsoluteUri)
        $script:Png = Join-Path $TestDrive 'report.png'
        $null = Invoke-Chromium "--screenshot=$Png", '--window-size=1400,1200', '--hide-scrollbars', ([Uri]::new($Report).AbsoluteUri)
    }
    AfterAll { Stop-Lab -Prefix $Prefix }

    It 'is written beside the findings, which it does not change' {
        Test-Path $Report | Should -BeTrue
        @($Findings | Where-Object Severity -eq 'Error').Count | Should -BeGreaterThan 1
    }

    It 'loads nothing from anywhere else: no script, no stylesheet, no image, no font' {
        $html = Get-Content $Report -Raw
        $html | Should -Not -Match '<script|<link|<img|<iframe|@import|url\(|\b(src|href)\s*='
    }

    It 'has, in the DOM Chromium builds, a box for every node with its public IP, pod subnet and VtepMAC' {
        foreach ($node in $Lab.nodeList) {
            $Dom | Should -Match ">$([regex]::Escape($node.name))</text>"
            $Dom | Should -Match ">$([regex]::Escape($node.ip))</text>"
            $Dom | Should -Match ">$([regex]::Escape($node.podCIDR))</text>"
            $Dom | Should -Match ">$([regex]::Escape($node.vtepMac))</text>"
        }
        $node2 = $Lab.nodeList | Where-Object name -eq node2
        $node2.vtepMac | Should -Be '5a:00:00:00:00:0d'
    }

    It 'names every failing check, and draws the broken pairs red and node1 as a node with an error of its own' {
        foreach ($check in @($Findings | Where-Object Severity -in 'Error', 'Warning', 'Unknown' | ForEach-Object Check | Sort-Object -Unique)) {
            $Dom | Should -Match "<td class=`"check`">$check</td>" -Because "$check failed"
        }
        $Dom | Should -Match '<td class="check">EntriesForNode</td>'
        $Dom | Should -Match '<td class="check">IpForwarding</td>'
        $Dom | Should -Match '<line class="edge failed"'
        $Dom | Should -Match '<g class="node error">.*?>node1</text>'
        $Dom | Should -Match '<h3>master → node2 '
        $Dom | Should -Match '<h3>node1 → node2 '
    }

    It 'renders at 1400 px to a screenshot that is not blank' {
        (Get-Item $Png).Length | Should -BeGreaterThan 10000
        Get-PngPixelByteCount $Png | Should -BeGreaterThan 50
    }
}
