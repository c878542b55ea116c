# Ctrl+C stops every cmdlet the same way (CancellableCommand: one CancellationTokenSource, disposed with the cmdlet):
# a kubectl that hangs is ended, the cmdlet writes no error, and the pipeline is Stopped.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot ../../FlannelTools.psd1) -Force
    $script:CmdletCases = @(Get-Command -Module FlannelTools -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } })
    $script:KubectlCases = @(
        @{ Command = 'Get-FlannelNode'; Arguments = @{} }
        @{ Command = 'Get-FlannelNetConf'; Arguments = @{} }
        @{ Command = 'Test-VxlanCapture'; Arguments = @{ Path = 'walkthrough' } }
        @{ Command = 'Test-FlannelNode'; Arguments = @{} }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../FlannelTools.psd1) -Force
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot ../..)).Path
    $script:Walkthrough = Join-Path $RepoRoot samples/walkthrough.pcap
}

Describe 'Every cmdlet' {
    It '<Name> is disposed by PowerShell (IDisposable)' -ForEach $CmdletCases {
        [IDisposable].IsAssignableFrom((Get-Command $Name).ImplementingType) | Should -BeTrue
    }
}

Describe '<Command> stopped while kubectl hangs' -ForEach $KubectlCases {
    BeforeAll {
        $script:savedPath = $env:PATH
        $bin = Join-Path $TestDrive 'bin'
        $null = New-Item -ItemType Directory $bin
        $script:marker = Join-Path $TestDrive 'kubectl.pid'
        # A kubectl that says it started (its pid; exec keeps the pid for sleep) and then never answers.
        Set-Content (Join-Path $bin kubectl) "#!/bin/sh`necho `$`$ > '$marker'`nexec sleep 300`n"
        & chmod +x (Join-Path $bin kubectl)
        $env:PATH = $bin + [IO.Path]::PathSeparator + $env:PATH
    }

    AfterAll { $env:PATH = $savedPath }

    It 'ends kubectl, writes no error of its own and leaves the pipeline Stopped' {
        $ps = [powershell]::Create()
        $null = $ps.AddCommand('Import-Module').AddArgument((Join-Path $RepoRoot 'FlannelTools.psd1')).AddStatement()
        $null = $ps.AddCommand($Command)
        if ($Arguments.Path) { $null = $ps.AddParameter('Path', $Walkthrough) }
        $handle = $ps.BeginInvoke()
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not (Test-Path -LiteralPath $marker) -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        Test-Path -LiteralPath $marker | Should -BeTrue -Because "$Command runs kubectl"
        $kubectlPid = [int](Get-Content -LiteralPath $marker)

        $ps.Stop()

        $ps.InvocationStateInfo.State | Should -Be 'Stopped'
        # PowerShell itself records 'The pipeline has been stopped'; the cmdlet adds nothing (no KubectlFailed).
        @($ps.Streams.Error | Where-Object FullyQualifiedErrorId -Like '*,FlannelTools.*') | Should -BeNullOrEmpty
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while ((Test-Path "/proc/$kubectlPid") -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 50 }
        Test-Path "/proc/$kubectlPid" | Should -BeFalse -Because 'stopping the cmdlet ends the kubectl it started'
        $ps.Dispose()
    }
}
