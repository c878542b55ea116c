#Requires -Version 7.2
<#
.SYNOPSIS
    Builds, tests, packages and demonstrates FlannelTools.
.DESCRIPTION
    Tasks:
      Build      compile the module into out/FlannelTools (what ./FlannelTools.psd1 loads), with its help; installs nothing
      Bootstrap  install what the other tasks need when it is missing: on Debian as root, libpcap0.8 (live capture
                 and -Filter) and the tests' packages (tcpdump, tshark and friends); Pester from NuGet
      Test       bootstrap, build, then run every test (xunit and Pester); ends with 'N passed, N failed'.
                 With CI set, a skipped test fails the run
      Demo       bootstrap the module's own needs (libpcap0.8), build, then decode samples/walkthrough.pcap into
                 the walkthrough's table
      Package    build, then check out/FlannelTools is a self-contained module and zip it
      Lab        bootstrap, build, bring the lab up (tests/lab/lab.sh, root), replay the walkthrough, decode
                 node1's capture with Get-VxlanFrame, and tear the lab down
.EXAMPLE
    dotnet tool restore && dotnet pwsh ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Bootstrap', 'Test', 'Demo', 'Package', 'Lab')]
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
# What the tests and the lab run, on a Debian that has only the .NET SDK (CI's machine): tcpdump; tshark, and
# mergecap/capinfos/editcap (wireshark-common); tcpreplay/tcprewrite; nft; ip, bridge, ss (iproute2); route, arp
# (net-tools); ping; curl; ps, sysctl (procps); python3 (lab.sh); iptables with its legacy and nft tools; ethtool;
# strace (Libpcap.Tests watches which files the capture cmdlets open); the OpenSSH server and client and sudo (the lab's
# sshd in every node, Get-FlannelNodeState -SshHost and -Sudo, PowerShell remoting over SSH); chromium (Report.Tests
# renders Test-FlannelCluster's -HtmlPath page headless).
# unshare, mount, mknod, realpath and timeout come with every Debian (util-linux, coreutils).
$TestDebianPackages = @('tcpdump', 'tshark', 'wireshark-common', 'tcpreplay', 'nftables', 'iproute2', 'net-tools', 'iputils-ping', 'curl', 'procps', 'python3', 'iptables', 'ethtool', 'strace',
    'openssh-server', 'openssh-client', 'sudo', 'chromium')

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
    # A package's service (openssh-server's sshd on port 22) must not start on the machine: only the lab starts an sshd,
    # inside its namespaces. Where the system has no policy-rc.d (containers usually have one), one denies it for this install.
    $policy = '/usr/sbin/policy-rc.d'
    $ownPolicy = -not (Test-Path $policy)
    if ($ownPolicy) { Set-Content -Path $policy -Value "#!/bin/sh`n# FlannelTools build.ps1: no service starts during its install`nexit 101"; & chmod 755 $policy }
    try { Invoke-Native apt-get (@('install', '-y', '-qq', '--no-install-recommends') + $Package) }
    finally { if ($ownPolicy) { Remove-Item $policy -Force } }
}

function Test-DebianPackage([string] $Package) {
    $status = & dpkg-query -W -f '${Status}' $Package 2>$null
    $LASTEXITCODE -eq 0 -and "$status" -match 'install ok installed'
}

# libpcap is for live capture and -Filter; elsewhere, say so and go on: reading capture files does not need it.
function Install-Libpcap {
    if ($IsWindows) {
        if (-not (Test-Path (Join-Path $env:SystemRoot 'System32\Npcap\wpcap.dll'))) {
            Write-Warning 'Live capture and -Filter need Npcap (https://npcap.com); it is not installed.'
        }
        return
    }
    if ($IsMacOS) { return }
    $found = (& ldconfig -p 2>$null) -match 'libpcap\.so'
    if ($found) { return }
    if (Test-IsDebianRoot) { Install-DebianPackage @('libpcap0.8'); return }
    Write-Warning 'Live capture and -Filter need libpcap, which is not installed (Debian/Ubuntu: apt-get install libpcap0.8; Fedora: dnf install libpcap).'
}

function Install-TestDependency {
    if ($IsLinux -and (Test-IsDebianRoot)) {
        $missing = @($TestDebianPackages | Where-Object { -not (Test-DebianPackage $_) })
        if ($missing) { Install-DebianPackage $missing }
    }
    Write-Step "Pester $PesterVersion from NuGet"
    Invoke-Native dotnet @('restore', (Join-Path $Root 'tests/deps/TestDependencies.csproj'), '--nologo', '-v', 'quiet')
}

<#
.SYNOPSIS
    Installs what is missing: the module's own needs, and with -Tests also the tests' packages and Pester.
    Only this task and the tasks that call it (Test, Demo, Lab) install anything; Build never does.
#>
function Invoke-Bootstrap([switch] $Tests) {
    Install-Libpcap
    if ($Tests) { Install-TestDependency }
}

function Get-PesterManifest {
    $nugetRoot = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages' }
    $manifest = Join-Path $nugetRoot "pester/$PesterVersion/tools/Pester.psd1"
    if (-not (Test-Path $manifest)) { throw "Pester $PesterVersion is not in the NuGet cache ($manifest): run the Test task, which restores it." }
    $manifest
}

function Invoke-Build {
    Write-Step "dotnet publish src/FlannelTools ($Configuration)"
    if (Test-Path $ModuleDir) { Remove-Item $ModuleDir -Recurse -Force }
    Invoke-Native dotnet @('publish', (Join-Path $Root 'src/FlannelTools/FlannelTools.csproj'), '-c', $Configuration, '-o', $ModuleDir, '--nologo', '-v', 'quiet')
    # PowerShellStandard's reference assembly is for compiling only; the host supplies the real one.
    Remove-Item (Join-Path $ModuleDir 'System.Management.Automation.dll') -ErrorAction SilentlyContinue
    Remove-Item (Join-Path $ModuleDir '*.deps.json') -ErrorAction SilentlyContinue
    $null = New-Item -ItemType Directory (Join-Path $ModuleDir 'Formats')
    Copy-Item (Join-Path $Root 'src/FlannelTools/Formats/*.ps1xml') (Join-Path $ModuleDir 'Formats')
    Copy-Item (Join-Path $Root 'src/FlannelTools/FlannelTools.psd1') $ModuleDir
    $toolsDir = Join-Path $Root 'tools'
    Get-ChildItem $toolsDir -Filter '*.sh' -ErrorAction SilentlyContinue | Copy-Item -Destination $ModuleDir
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

function Test-IsCI { [bool]$env:CI -and $env:CI -notin 'false', '0' }

function Get-TrxCount([string] $Directory) {
    $passed = 0; $failed = 0; $skipped = 0
    foreach ($trx in Get-ChildItem $Directory -Filter '*.trx' -ErrorAction SilentlyContinue) {
        $run = ([xml](Get-Content $trx.FullName -Raw)).TestRun
        $counters = $run.ResultSummary.Counters
        $passed += [int]$counters.passed
        $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
        # A skipped xunit test is a result whose outcome is NotExecuted; the summary's notExecuted counter stays 0.
        $notExecuted = @($run.Results.UnitTestResult | Where-Object { $_.outcome -eq 'NotExecuted' })
        if ((Test-IsCI) -and $notExecuted.Count -gt 0) {
            # CI must not pass on tests that did not run: each skipped one counts as failed.
            foreach ($result in $notExecuted) { Write-Host "Skipped with CI set, so failed: $($result.testName)" }
            $failed += $notExecuted.Count
        }
        else { $skipped += $notExecuted.Count }
    }
    [pscustomobject]@{ Passed = $passed; Failed = $failed; Skipped = $skipped }
}

function Invoke-Test {
    Invoke-Bootstrap -Tests
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
    Invoke-Bootstrap
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
    Invoke-Bootstrap -Tests
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
        'Bootstrap' { Invoke-Bootstrap -Tests }
        'Test' { Invoke-Test }
        'Demo' { Invoke-Demo }
        'Package' { Invoke-Package }
        'Lab' { Invoke-Lab }
    }
}
finally {
    Pop-Location
}
