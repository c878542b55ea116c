<#
.SYNOPSIS
    Runs the Pester tests with the Pester that build.ps1 restored from NuGet, and writes the counts as JSON.
    A run that breaks (Pester itself, or a test file that does not parse) counts as a failure, never as nothing.
#>
param(
    [Parameter(Mandatory)] [string] $PesterManifest,
    [Parameter(Mandatory)] [string] $ResultPath
)
$ErrorActionPreference = 'Stop'
try {
    Import-Module $PesterManifest -Force
    $configuration = New-PesterConfiguration
    $configuration.Run.Path = Join-Path $PSScriptRoot 'pester'
    $configuration.Run.PassThru = $true
    $configuration.Output.Verbosity = 'Detailed'
    $result = Invoke-Pester -Configuration $configuration
    $failed = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    [pscustomobject]@{ Passed = $result.PassedCount; Failed = $failed; Skipped = $result.SkippedCount + $result.NotRunCount } |
        ConvertTo-Json | Set-Content -Path $ResultPath
    if ($failed -gt 0) { exit 1 }
}
catch {
    Write-Host "The Pester run broke: $_"
    [pscustomobject]@{ Passed = 0; Failed = 1; Skipped = 0 } | ConvertTo-Json | Set-Content -Path $ResultPath
    exit 1
}
