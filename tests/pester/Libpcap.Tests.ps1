# Reading capture files needs no native library: the module's own readers read pcap and pcapng, and libpcap is loaded
# only for live capture and -Filter. A child pwsh runs the capture cmdlets under strace, which lists every file the
# process and its threads open; libpcap's shared object among them means it was loaded.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $script:RepoRoot = Get-RepoRoot
    if (-not (Get-Command strace -CommandType Application -ErrorAction SilentlyContinue)) {
        throw 'These tests watch the files a process opens with strace: install it (Debian package strace).'
    }

    # Runs $Script in a child pwsh that imported the built module; returns its output and the libpcap files it opened.
    function Invoke-Traced([string] $Script) {
        $scriptPath = Join-Path $TestDrive "child-$([guid]::NewGuid().ToString('N')).ps1"
        $log = "$scriptPath.strace"
        Set-Content $scriptPath ("`$ErrorActionPreference = 'Stop'`nImport-Module '$(Join-Path $RepoRoot 'FlannelTools.psd1')'`n" + $Script)
        $output = & strace -f -qq -e trace=openat -o $log ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $scriptPath 2>&1
        if ($LASTEXITCODE -ne 0) { throw "the traced pwsh failed ($LASTEXITCODE): $output" }
        $opened = @(Get-Content $log | Where-Object { $_ -match 'openat\(.*"([^"]*)"' -and $_ -notmatch '= -1 ENOENT' } | ForEach-Object { $Matches[1] })
        [pscustomobject]@{
            Output  = @($output | ForEach-Object { "$_" })
            Opened  = $opened
            Libpcap = @($opened | Where-Object { (Split-Path $_ -Leaf) -like 'libpcap.so*' })
        }
    }

    $data = Join-Path $RepoRoot 'tests/data'
    $script:Captures = @(
        (Join-Path $data 'lab/eth.pcap'),               # pcap, microseconds
        (Join-Path $data 'lab/eth-nano.pcap'),          # pcap, nanoseconds
        (Join-Path $data 'lab/eth-dumpcap.pcapng'),     # pcapng written by dumpcap
        (Join-Path $data 'lab/mixed-eth-sll2.pcapng'),  # pcapng, two interfaces of two link types
        (Join-Path $data 'capture/variants.pcapng')     # pcapng, big-endian section, SPB, obsolete PB
    ) | ForEach-Object { "'$_'" }
    $script:Nodes = Join-Path $data 'cluster/nodes-healthy.json'
    $script:Walkthrough = Join-Path $RepoRoot 'samples/walkthrough.pcap'
}

Describe 'Reading capture files' {
    It 'loads no libpcap in Get-VxlanFrame, Get-VxlanConversation and Test-VxlanCapture on pcap and pcapng files' {
        $run = Invoke-Traced @"
`$files = @($($Captures -join ', '))
'frames=' + @(Get-VxlanFrame -LiteralPath `$files).Count
'conversations=' + @(Get-VxlanConversation -LiteralPath `$files).Count
'findings=' + @(Test-VxlanCapture -LiteralPath '$Walkthrough' -Node (Get-FlannelNode -Path '$Nodes') -IncludePassed).Count
"@
        # the cmdlets really read the files: frames, conversations and findings came out
        $run.Output | Where-Object { $_ -match '^frames=(\d+)$' } | ForEach-Object { [int]$Matches[1] } | Should -BeGreaterThan 0
        $run.Output | Where-Object { $_ -match '^conversations=(\d+)$' } | ForEach-Object { [int]$Matches[1] } | Should -BeGreaterThan 0
        $run.Output | Where-Object { $_ -match '^findings=(\d+)$' } | ForEach-Object { [int]$Matches[1] } | Should -BeGreaterThan 0
        # and strace saw the captures opened, so it watched the threads that read them
        $run.Opened | Should -Contain (Join-Path $RepoRoot 'tests/data/lab/eth.pcap')
        $run.Libpcap | Should -BeNullOrEmpty
    }

    It 'loads libpcap for -Filter, which BPF compiles' {
        $run = Invoke-Traced "'frames=' + @(Get-VxlanFrame -LiteralPath $($Captures[0]) -Filter 'udp port 8472').Count"
        $run.Output | Should -Contain 'frames=12'
        $run.Libpcap | Should -Not -BeNullOrEmpty
    }
}
