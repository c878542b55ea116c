#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests, packages and demonstrates FlannelTools.
.DESCRIPTION
    Tasks:
      Build    compile the module into out/FlannelTools (what ./FlannelTools.psd1 loads), with its help
      Test     build, then run every test (xunit and Pester); ends with 'N passed, N failed'
      Demo     build, then decode samples/walkthrough.pcap into the walkthrough's table
      Package  build, then check out/FlannelTools is a self-contained module and zip it
      Lab      build, bring the lab up (tests/lab/lab.sh, root), replay the walkthrough, decode
               node1's capture with Get-VxlanFrame, and tear the lab down
    On Debian as root the tasks install the Debian packages they need (libpcap0.8 for the module;
    tcpdump, tshark and friends for the tests) when they are missing.
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Demo', 'Package', 'Lab')]
    [string] $Task = 'Build',
    [ValidateSet('Release', 'Debug')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0
$Root = $PSScriptRoot
$OutDir = Join-Path $Root 'out'
$ModuleDir = Join-Path $OutDir 'FlannelTools'
$TestResultsDir = Join-Path $OutDir 'test-results'
$PesterVersion = '6.2.0'
$TestDebianPackages = @('tcpdump', 'tshark', 'wireshark-common', 'tcpreplay', 'nftables', 'iproute2', 'net-tools', 'iputils-ping', 'curl', 'procps', 'python3', 'iptables', 'ethtool')

function Write-Step([string] $Message) { Write-Host "==> $Message" -ForegroundColor Cyan }

function Invoke-Native {
    param([string] $FilePath, [string[]] $ArgumentList)
    & $FilePath @ArgumentList
    if ($LASTEXITCODE -ne 0) { throw "$FilePath $($ArgumentList -join ' ') failed with exit code $LASTEXITCODE" }
}

function Test-IsDebianRoot {
    $IsLinux -and (Test-Path /etc/debian_version) -and ((& id -u) -eq '0')
}

$script:AptUpdated = $false
function Install-DebianPackage([string[]] $Package) {
    if (-not $script:AptUpdated) {
        Write-Step 'apt-get update'
        Invoke-Native apt-get @('update', '-qq')
        $script:AptUpdated = $true
    }
    Write-Step "apt-get install $($Package -join ' ')"
    $env:DEBIAN_FRONTEND = 'noninteractive'
    Invoke-Native apt-get (@('install', '-y', '-qq', '--no-install-recommends') + $Package)
}

function Test-DebianPackage([string] $Package) {
    $status = & dpkg-query -W -f '${Status}' $Package 2>$null
    $LASTEXITCODE -eq 0 -and "$status" -match 'install ok installed'
}

function Assert-Libpcap {
    if ($IsWindows) {
        if (-not (Test-Path (Join-Path $env:SystemRoot 'System32\Npcap\wpcap.dll'))) {
            throw 'FlannelTools reads captures through libpcap: install Npcap (https://npcap.com) first.'
        }
        return
    }
    if ($IsMacOS) { return }
    $found = (& ldconfig -p 2>$null) -match 'libpcap\.so'
    if ($found) { return }
    if (Test-IsDebianRoot) { Install-DebianPackage @('libpcap0.8'); return }
    throw 'FlannelTools reads captures through libpcap: install it first (Debian/Ubuntu: apt-get install libpcap0.8; Fedora: dnf install libpcap).'
}

function Install-TestDependency {
    if (-not $IsLinux) { return }
    if (Test-IsDebianRoot) {
        $missing = @($TestDebianPackages | Where-Object { -not (Test-DebianPackage $_) })
        if ($missing) { Install-DebianPackage $missing }
    }
    Write-Step "Pester $PesterVersion from NuGet"
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tests/deps/TestDependencies.csproj'), '--nologo', '-v', 'quiet')
}

function Get-PesterManifest {
    $nugetRoot = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $manifest = Join-Path $nugetRoot "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) { throw "Pester $PesterVersion is not in the NuGet cache ($manifest): run the Test task, which restores it." }
    $manifest
}

function Invoke-Build {
    Assert-Libpcap
    Write-Step "dotnet publish src/FlannelTools ($Configuration)"
    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/FlannelTools/FlannelTools.csproj'), '-c', $Configuration, '-o', $ModuleDir, '--nologo', '-v', 'quiet')
    # PowerShellStandard's reference assembly is for compiling only; the host supplies the real one.
    Remove-Item (Join-Path $ModuleDir 'System.Management.Automation.dll') -ErrorAction SilentlyContinue
    Remove-Item (Join-Path $ModuleDir '*.deps.json') -ErrorAction SilentlyContinue
    Copy-Item (Join-Path $Root 'src/FlannelTools/Formats/*.ps1xml') $ModuleDir
    $toolsDir = Join-Path $Root 'tools'
    Get-ChildItem $toolsDir -Filter '*.sh' -ErrorAction SilentlyContinue | Copy-Item -Destination $ModuleDir
    $manifest = Get-Content (Join-Path $Root 'FlannelTools.psd1') -Raw
    $manifest = $manifest.Replace('out/FlannelTools/', '').Replace('src/FlannelTools/Formats/', '')
    Set-Content -Path (Join-Path $ModuleDir 'FlannelTools.psd1') -Value $manifest -NoNewline
    $helpScript = Join-Path $toolsDir 'New-MamlHelp.ps1'
    if (Test-Path $helpScript) {
        Write-Step 'help (MAML from the XML documentation)'
        Invoke-Native dotnet @('pwsh', '-NoProfile', '-NonInteractive', '-File', $helpScript,
            '-AssemblyPath', (Join-Path $ModuleDir 'FlannelTools.dll'),
            '-DocumentationPath', (Join-Path $ModuleDir 'FlannelTools.xml'),
            '-OutputPath', (Join-Path $ModuleDir 'en-US/FlannelTools.dll-Help.xml'))
    }
    # The help refers to docs/ (the walkthrough, the guides, a page per cmdlet), so it ships beside the help. The XML
    # documentation stays out of the package, in out/, where Help.Tests makes docs/<Cmdlet>.md from it again.
    Copy-Item (Join-Path $Root 'docs') (Join-Path $ModuleDir 'docs') -Recurse
    Move-Item (Join-Path $ModuleDir 'FlannelTools.xml') (Join-Path $OutDir 'FlannelTools.xml') -Force
}

function Get-TrxCount([string] $Directory) {
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($trx in Get-ChildItem $Directory -Filter '*.trx' -ErrorAction SilentlyContinue) {
        $counters = ([xml](Get-Content $trx.FullName -Raw)).TestRun.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        $skipped += [int]$counters.notExecuted
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

function Invoke-Test {
    Install-TestDependency
    Invoke-Build
    if (Test-Path $TestResultsDir) { Remove-Item $TestResultsDir -Recurse -Force }
    $null = New-Item -ItemType Directory $TestResultsDir

    Write-Step 'xunit'
    & dotnet test (Join-Path $Root 'FlannelTools.sln') -c $Configuration --nologo --logger 'trx;LogFileName=xunit.trx' --results-directory $TestResultsDir
    $xunitExit = $LASTEXITCODE
    $xunit = Get-TrxCount $TestResultsDir
    if ($xunitExit -ne 0 -and $xunit.Failed -eq 0) { $xunit.Failed = 1; Write-Warning 'dotnet test failed without a test result (build error?).' }

    Write-Step 'Pester'
    $pesterResult = Join-Path $TestResultsDir 'pester.json'
    & dotnet pwsh -NoProfile -NonInteractive -File (Join-Path $Root 'tests/Invoke-PesterTests.ps1') -PesterManifest (Get-PesterManifest) -ResultPath $pesterResult
    $pesterExit = $LASTEXITCODE
    $pester = if (Test-Path $pesterResult) { Get-Content $pesterResult -Raw | ConvertFrom-Json } else { [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } }
    if ($pesterExit -ne 0 -and $pester.Failed -eq 0) { $pester.Failed = 1; Write-Warning "The Pester run exited with $pesterExit without a failed test." }

    $passed = $xunit.Passed + $pester.Passed
    $failed = $xunit.Failed + $pester.Failed
    $skipped = $xunit.Skipped + $pester.Skipped
    Write-Host "xunit: $($xunit.Passed) passed, $($xunit.Failed) failed, $($xunit.Skipped) skipped; Pester: $($pester.Passed) passed, $($pester.Failed) failed, $($pester.Skipped) skipped"
    if ($skipped -gt 0) { Write-Host "$skipped skipped (not counted as passed)" }
    Write-Host "$passed passed, $failed failed"
    if ($failed -gt 0) { exit 1 }
}

function Invoke-Demo {
    Invoke-Build
    Write-Step 'Get-VxlanFrame samples/walkthrough.pcap'
    $demo = {
        Import-Module ./FlannelTools.psd1
        $frames = Get-VxlanFrame ./samples/walkthrough.pcap
        $frames | Format-Table | Out-String -Width 160 | Write-Host
        $request = $frames | Where-Object { $_.InnerSourceAddress -eq '10.244.1.178' -and $_.InnerDestinationAddress -eq '10.244.2.101' } | Select-Object -First 1
        Write-Host "The walkthrough's table, from frame $($request.FrameNumber) (node1's pod to node2's pod):"
        @(
            [pscustomobject]@{ Header = 'outer'; 'src IP' = $request.OuterSourceAddress; 'src MAC' = $request.OuterSourceMac; 'dst IP' = $request.OuterDestinationAddress; 'dst MAC' = $request.OuterDestinationMac }
            [pscustomobject]@{ Header = 'inner'; 'src IP' = $request.InnerSourceAddress; 'src MAC' = $request.InnerSourceMac; 'dst IP' = $request.InnerDestinationAddress; 'dst MAC' = $request.InnerDestinationMac }
        ) | Format-Table | Out-String -Width 160 | Write-Host
    }
    Push-Location $Root
    try { Invoke-Native dotnet @('pwsh', '-NoProfile', '-NonInteractive', '-Command', $demo.ToString()) } finally { Pop-Location }
}

function Invoke-Lab {
    Install-TestDependency
    Invoke-Build
    $lab = Join-Path $Root 'tests/lab/lab.sh'
    $prefix = "ftdemo$PID"
    $capture = Join-Path ([IO.Path]::GetTempPath()) "$prefix-eth0-node1.pcap"
    try {
        Write-Step "lab up (namespaces $prefix-*)"
        Invoke-Native bash @($lab, 'up', '--prefix', $prefix)
        Write-Step 'walkthrough: tcpdump on node1 eth0 while node1''s pod runs curl 10.244.2.101'
        Invoke-Native bash @($lab, 'walkthrough', '--prefix', $prefix, '--out', $capture)
        Write-Step "Get-VxlanFrame $capture"
        $show = "Import-Module ./FlannelTools.psd1; Get-VxlanFrame '$capture' | Format-Table | Out-String -Width 160; Get-VxlanFrame '$capture' | Format-Table -View Mac | Out-String -Width 160"
        Invoke-Native dotnet @('pwsh', '-NoProfile', '-NonInteractive', '-Command', $show)
    }
    finally {
        Write-Step 'lab down'
        & bash $lab down --prefix $prefix
        Remove-Item $capture -ErrorAction SilentlyContinue
    }
}

function Invoke-Package {
    Invoke-Build
    Write-Step 'check the packaged module'
    if (Test-Path (Join-Path $ModuleDir 'System.Management.Automation.dll')) { throw 'The package must not ship System.Management.Automation.dll.' }
    $check = "Import-Module '$ModuleDir' -ErrorAction Stop; (Get-Command -Module FlannelTools).Name -join ', '"
    Invoke-Native dotnet @('pwsh', '-NoProfile', '-NonInteractive', '-Command', $check)
    $version = (Import-PowerShellDataFile (Join-Path $ModuleDir 'FlannelTools.psd1')).ModuleVersion
    $zip = Join-Path $OutDir "FlannelTools-$version.zip"
    Compress-Archive -Path $ModuleDir -DestinationPath $zip -Force
    Write-Host "Module folder: $ModuleDir"
    Write-Host "Archive: $zip"
}

Push-Location $Root
try {
    switch ($Task) {
        'Build' { Invoke-Build }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Package' { Invoke-Package }
        'Lab' { Invoke-Lab }
    }
}
finally {
    Pop-Location
}
