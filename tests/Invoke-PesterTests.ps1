<#
.SYNOPSIS
    Runs the Pester tests with the Pester that build.ps1 restored from NuGet, and writes the counts as JSON.
    A run that breaks (Pester itself, or a test file that does not parse) counts as a failure, never as nothing.
    With CI set, a test that was skipped or not run counts as failed: CI must not pass on tests that did not run.
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ResultPath,
    [string[]] $TestPath = @(Join-Path $PSScriptRoot 'pester')
)
$ErrorActionPreference = 'Stop'
try {
    Import-Module $PesterManifest -Force
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = $TestPath
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $configuration
    $failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    $skipped = $result.SkippedCount + $result.NotRunCount
    if ($env:CI -and $env:CI -notin 'false', '0' -and $skipped -gt 0) {
        foreach ($test in @($result.Skipped) + @($result.NotRun)) { Write-Host "Skipped with CI set, so failed: $($test.ExpandedPath)" }
        $failed += $skipped
        $skipped = 0
    }
    [pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $skipped } |
        ConvertTo-Json | Set-Content -Path $ResultPath
    if ($failed -gt 0) { exit 1 }
}
catch {
    Write-Host "The Pester run broke: $_"
    [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } | ConvertTo-Json | Set-Content -Path $ResultPath
    exit 1
}
