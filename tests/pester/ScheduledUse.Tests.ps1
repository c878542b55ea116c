# The scheduled-check template of docs/scheduled-use.md, run as written: the block is taken from the page itself and
# started as a scheduler starts it (pwsh -File, a new process), with the module found on PSModulePath as an installed
# module is. Its exit codes are what the page promises: 0 on a healthy lab node, 1 with a packet filter that drops
# UDP 8472 on that node, 2 when kubectl fails, when there is no kubectl, and when the module is missing.

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    $script:SkipLab = Test-LabSkipped
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    $Repository = (Resolve-Path (Join-Path $PSScriptRoot ../..)).Path
    $page = Get-Content (Join-Path $Repository docs/scheduled-use.md) -Raw
    $block = [regex]::Match($page, '(?ms)^```powershell\r?\n(# flannel-check\.ps1:.*?)^```')
    $Template = Join-Path $TestDrive 'flannel-check.ps1'
    if ($block.Success) { Set-Content -Path $Template -Value $block.Groups[1].Value }
    # The built module is out/FlannelTools: a folder named as the module, as Install-PSResource leaves it.
    $ModulePath = Join-Path $Repository out
    $Dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
    $Pwsh = Join-Path $PSHOME 'pwsh.dll'
    $StandIn = Join-Path $Repository tests/lab

    # Runs the template in a new PowerShell (inside a lab node's namespace when given), with the environment changed
    # only for that process; returns its exit code and what it wrote to standard error.
    function Invoke-Template {
        param([string[]] $Arguments, [hashtable] $Environment = @{}, [string] $Namespace)
        $saved = @{}
        $Environment['PSModulePath'] = if ($Environment.ContainsKey('PSModulePath')) { $Environment['PSModulePath'] } else { "$ModulePath$([IO.Path]::PathSeparator)$env:PSModulePath" }
        foreach ($name in $Environment.Keys) {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $Environment[$name])
        }
        $errorPath = Join-Path $TestDrive "stderr-$([guid]::NewGuid().ToString('n')).txt"
        try {
            $command = @($Dotnet, $Pwsh, '-NoProfile', '-NonInteractive', '-File', $Template) + $Arguments
            if ($Namespace) { $command = @('netns', 'exec', $Namespace) + $command; $null = & ip @command 2>$errorPath }
            else { $null = & $command[0] $command[1..($command.Count - 1)] 2>$errorPath }
            [pscustomobject]@{ ExitCode = $LASTEXITCODE; Error = (Get-Content $errorPath -Raw -ErrorAction SilentlyContinue) }
        }
        finally {
            foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) }
        }
    }
}

Describe 'The scheduled-check template in docs/scheduled-use.md' {
    It 'is on the page, as one powershell block that begins with # flannel-check.ps1' {
        $block.Success | Should -BeTrue
        $block.Groups[1].Value | Should -Match 'exit 2'
    }

    It 'exits 2 (could not check) when kubectl fails, naming kubectl''s error' {
        $run = Invoke-Template -Arguments @('-Name', 'node1', '-LogPath', (Join-Path $TestDrive 'kubectl-fails.csv')) -Environment @{
            PATH = "$StandIn$([IO.Path]::PathSeparator)$env:PATH"; FLANNEL_LAB_KUBECTL_FAIL = '1' }
        $run.ExitCode | Should -Be 2
        $run.Error | Should -Match 'could not check'
        $run.Error | Should -Match 'kubectl'
    }

    It 'exits 2 (could not check) when there is no kubectl on PATH' {
        $empty = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'empty-path') -Force
        $run = Invoke-Template -Arguments @('-Name', 'node1', '-LogPath', (Join-Path $TestDrive 'no-kubectl.csv')) -Environment @{ PATH = $empty.FullName }
        $run.ExitCode | Should -Be 2
        $run.Error | Should -Match 'kubectl'
    }

    It 'exits 2 (could not check) when the module is not installed' {
        $run = Invoke-Template -Arguments @('-LogPath', (Join-Path $TestDrive 'no-module.csv')) -Environment @{ PSModulePath = (Join-Path $TestDrive 'no-modules') }
        $run.ExitCode | Should -Be 2
        $run.Error | Should -Match 'FlannelTools'
    }
}

Describe 'The scheduled-check template on a lab node' -Skip:$SkipLab {
    BeforeAll {
        $Lab = Start-Lab -Prefix "su$PID" -Option @('--out', (Join-Path $TestDrive 'state'))
        $Prefix = $Lab.prefix
        $Node1 = $Lab.nodeList | Where-Object name -eq 'node1'
        $Namespace = Get-LabNamespace -Prefix $Prefix -Target node1
        $LabEnvironment = @{ PATH = "$StandIn$([IO.Path]::PathSeparator)$env:PATH"; FLANNEL_LAB_NODES = (Split-Path $Lab.netConf) }
        $Arguments = @('-Name', 'node1', '-SubnetEnvPath', $Node1.subnetEnv, '-NetConfPath', $Lab.netConf)
        $HealthyLog = Join-Path $TestDrive 'healthy.csv'
        $Healthy = Invoke-Template -Arguments ($Arguments + @('-LogPath', $HealthyLog)) -Environment $LabEnvironment.Clone() -Namespace $Namespace
        $null = Invoke-Lab fault --prefix $Prefix nft-input-drop node1
        $FaultLog = Join-Path $TestDrive 'fault.csv'
        $Fault = Invoke-Template -Arguments ($Arguments + @('-LogPath', $FaultLog)) -Environment $LabEnvironment.Clone() -Namespace $Namespace
    }

    AfterAll { Stop-Lab -Prefix $Prefix }

    It 'exits 0 on the healthy node and logs nothing' {
        $Healthy.Error | Should -BeNullOrEmpty
        $Healthy.ExitCode | Should -Be 0
        @(if (Test-Path $HealthyLog) { Import-Csv $HealthyLog }) | Should -BeNullOrEmpty
    }

    It 'exits 1 when the node''s input filter drops UDP 8472, and logs the VxlanPortOpen Error' {
        $Fault.ExitCode | Should -Be 1 -Because $Fault.Error
        $rows = @(Import-Csv $FaultLog)
        @($rows | Where-Object { $_.Check -eq 'VxlanPortOpen' -and $_.Severity -eq 'Error' }) | Should -HaveCount 1
        @($rows | Where-Object Severity -eq 'Information') | Should -BeNullOrEmpty
    }
}
