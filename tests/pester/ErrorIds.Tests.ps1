# One error id per condition, whichever cmdlet meets it: the table in Commands/CommandErrors.cs, docs/error-ids.md
# beside it, and the cmdlets that read files giving the same id for the same bad path.

BeforeDiscovery {
    $script:FileCmdletCases = @(
        @{ Name = 'Get-VxlanFrame'; Extra = @{} }
        @{ Name = 'Get-VxlanConversation'; Extra = @{} }
        @{ Name = 'Test-VxlanCapture'; Extra = @{ Node = 'nodes' } }
        @{ Name = 'Get-FlannelFdb'; Extra = @{} }
        @{ Name = 'Get-FlannelNodeState'; Extra = @{} }
        @{ Name = 'Get-FlannelNetConf'; Extra = @{} }
        @{ Name = 'Get-FlannelNode'; Extra = @{} }
    )
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../FlannelTools.psd1) -Force
    $script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot ../..)).Path
    $script:Nodes = Get-FlannelNode -Path (Join-Path $RepoRoot tests/data/cluster/nodes-healthy.json)
    $assembly = (Get-Command Get-VxlanFrame).ImplementingType.Assembly
    $script:Errors = $assembly.GetType('FlannelTools.Commands.CommandErrors', $true)
    $script:Table = @($Errors.GetProperty('All').GetValue($null))

    function Invoke-FileCmdlet([string] $Name, [hashtable] $Extra, [string] $LiteralPath) {
        $arguments = @{ LiteralPath = $LiteralPath }
        if ($Extra.Node) { $arguments.Node = $Nodes }
        $errors = $null
        $output = @(& $Name @arguments -ErrorVariable errors -ErrorAction SilentlyContinue)
        [pscustomobject]@{ Output = $output; Errors = @($errors) }
    }
}

Describe 'The table of error ids' {
    It 'is what docs/error-ids.md lists, row by row in the same order' {
        $rows = @(Get-Content -LiteralPath (Join-Path $RepoRoot docs/error-ids.md) | Where-Object { $_.StartsWith('| `') } | ForEach-Object {
                $_ | Should -Match '^\| `[A-Za-z0-9]+` \| [A-Za-z]+ \| .+ \| [A-Za-z, -]+ \|$' -Because 'a row is | `Id` | Category | Condition | Cmdlet, Cmdlet |'
                $cells = $_.Trim('|').Split('|') | ForEach-Object Trim
                '{0} | {1} | {2} | {3}' -f $cells[0].Trim('`'), $cells[1], ($cells[2..($cells.Count - 2)] -join '|'), $cells[-1]
            })
        $table = @($Table | ForEach-Object { '{0} | {1} | {2} | {3}' -f $_.Id, $_.Category, $_.Condition, ($_.Cmdlets -join ', ') })
        $rows.Count | Should -BeGreaterThan 30
        $rows | Should -Be $table
    }

    It 'names each id once, and only cmdlets the module exports' {
        $ids = @($Table.Id)
        @($ids | Select-Object -Unique).Count | Should -Be $ids.Count
        $exported = @((Get-Command -Module FlannelTools -CommandType Cmdlet).Name)
        foreach ($entry in $Table) {
            @($entry.Cmdlets).Count | Should -BeGreaterThan 0 -Because "$($entry.Id) is raised by some cmdlet"
            foreach ($cmdlet in $entry.Cmdlets) { $exported | Should -Contain $cmdlet -Because "$($entry.Id) names $cmdlet" }
        }
    }

    It 'has the entry of every error a capture reader raises' {
        $kinds = $assembly.GetType('FlannelTools.Capture.CaptureErrorKind', $true)
        $fromCapture = $Errors.GetMethod('FromCapture', [System.Reflection.BindingFlags]'Public, NonPublic, Static')
        foreach ($kind in [Enum]::GetValues($kinds)) {
            $exception = [Activator]::CreateInstance($assembly.GetType('FlannelTools.Capture.CaptureException', $true), @($kind, 'x', $null))
            $record = $fromCapture.Invoke($null, @($exception, (Join-Path $TestDrive 'none.pcap')))
            $entry = @($Table | Where-Object Id -eq $record.FullyQualifiedErrorId)
            $entry.Count | Should -Be 1 -Because "$kind is written as $($record.FullyQualifiedErrorId)"
            $record.CategoryInfo.Category | Should -Be $entry[0].Category
        }
    }

    It 'is the only place that makes an ErrorRecord' {
        $offenders = @(Get-ChildItem -Recurse -Filter *.cs (Join-Path $RepoRoot src/FlannelTools) |
                Where-Object { $_.FullName -notmatch '[\\/](obj|bin)[\\/]' -and $_.Name -ne 'CommandErrors.cs' } |
                Where-Object { (Get-Content -Raw -LiteralPath $_.FullName).Contains('new ErrorRecord(') } | ForEach-Object Name)
        $offenders | Should -BeNullOrEmpty
    }
}

Describe '<Name> on a bad path' -ForEach $FileCmdletCases {
    It 'writes PathIsDirectory, saying it is a directory, for a directory given as a file' {
        $result = Invoke-FileCmdlet $Name $Extra $TestDrive
        $result.Output | Should -BeNullOrEmpty
        $result.Errors.Count | Should -Be 1
        $result.Errors[0].FullyQualifiedErrorId | Should -Be "PathIsDirectory,FlannelTools.Commands.$($Name -replace '-')Command"
        $result.Errors[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
        $result.Errors[0].TargetObject | Should -Be (Get-Item $TestDrive).FullName
        $result.Errors[0].Exception.Message | Should -BeLike '*is a directory*'
    }

    It 'writes PathNotFound for a file that does not exist' {
        $missing = Join-Path $TestDrive 'missing.file'
        $result = Invoke-FileCmdlet $Name $Extra $missing
        $result.Errors.Count | Should -Be 1
        $result.Errors[0].FullyQualifiedErrorId | Should -Be "PathNotFound,FlannelTools.Commands.$($Name -replace '-')Command"
        $result.Errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $result.Errors[0].TargetObject | Should -Be $missing
    }
}
