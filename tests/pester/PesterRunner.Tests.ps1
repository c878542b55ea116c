# tests/Invoke-PesterTests.ps1, the runner build.ps1 -Task Test uses, on a test file of its own: a skipped test is
# counted as skipped, and with CI set it fails the run.

BeforeAll {
    $Runner = Join-Path $PSScriptRoot '../Invoke-PesterTests.ps1'
    $PesterManifest = (Get-Module Pester).Path
    $TestFile = Join-Path $TestDrive 'OneSkipped.Tests.ps1'
    Set-Content -LiteralPath $TestFile -Value @'
Describe 'one passed, one skipped' {
    It 'passes' { 1 | Should -Be 1 }
    It 'is skipped' { Set-ItResult -Skipped -Because 'it could not look' }
}
'@
    function Invoke-Runner([string] $CI) {
        $resultPath = Join-Path $TestDrive "result-$CI.json"
        $saved = $env:CI
        $env:CI = $CI
        try { $null = & ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -File $Runner -PesterManifest $PesterManifest -ResultPath $resultPath -TestPath $TestFile }
        finally { $env:CI = $saved }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Counts = Get-Content -LiteralPath $resultPath -Raw | ConvertFrom-Json }
    }
}

Describe 'Invoke-PesterTests.ps1' {
    It 'counts a skipped test as skipped, not passed, and exits 0 without CI' {
        $run = Invoke-Runner -CI ''

        $run.ExitCode | Should -Be 0
        $run.Counts.Passed | Should -Be 1
        $run.Counts.Skipped | Should -Be 1
        $run.Counts.Failed | Should -Be 0
    }

    It 'fails the run on a skipped test when CI is set' {
        $run = Invoke-Runner -CI 'true'

        $run.ExitCode | Should -Be 1
        $run.Counts.Passed | Should -Be 1
        $run.Counts.Failed | Should -Be 1
        $run.Counts.Skipped | Should -Be 0
    }
}
