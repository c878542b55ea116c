# Every exported cmdlet has help made from its doc comments (tools/New-MamlHelp.ps1, run by build.ps1): a synopsis,
# a description, at least one example, and a description of every parameter; and every example is one the README
# shows (issue 2: "at least one example taken from the README").

BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot ../../FlannelTools.psd1) -Force
    $commonParameters = [System.Management.Automation.Cmdlet]::CommonParameters
    $cmdlets = @(Get-Command -Module FlannelTools -CommandType Cmdlet | Sort-Object Name)

    $cmdletCases = @($cmdlets | ForEach-Object { @{ Name = $_.Name } })
    $parameterCases = @(foreach ($cmdlet in $cmdlets) {
            foreach ($parameter in $cmdlet.Parameters.Keys | Where-Object { $_ -notin $commonParameters } | Sort-Object) {
                @{ Name = $cmdlet.Name; Parameter = $parameter }
            }
        })
    $exampleCases = @(foreach ($cmdlet in $cmdlets) {
            $number = 0
            foreach ($example in @((Get-Help $cmdlet.Name).examples.example)) {
                if ($null -eq $example) { continue }
                $number++
                @{ Name = $cmdlet.Name; Number = $number; Code = ([string]$example.code).Trim() }
            }
        })
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../FlannelTools.psd1) -Force

    function Get-TestHelp([string] $Name) {
        $help = Get-Help $Name -Full
        # Without a help file Get-Help makes a stand-in from the syntax: not help.
        $help.PSObject.TypeNames | Should -Contain 'MamlCommandHelpInfo' -Because "$Name needs help from out/FlannelTools/en-US/FlannelTools.dll-Help.xml, found by Get-Help"
        $help
    }
}

Describe 'Help of <Name>' -ForEach $cmdletCases {
    It 'has a synopsis' {
        $help = Get-TestHelp $Name
        "$($help.Synopsis)".Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has a description' {
        $help = Get-TestHelp $Name
        ($help.description.Text -join "`n").Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example, each with its command and what it does' {
        $help = Get-TestHelp $Name
        $examples = @($help.examples.example | Where-Object { $null -ne $_ })
        $examples.Count | Should -BeGreaterThan 0
        foreach ($example in $examples) {
            "$($example.code)".Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title.Trim(' -')) needs a command"
            ($example.remarks.Text -join "`n").Trim() | Should -Not -BeNullOrEmpty -Because "$($example.title.Trim(' -')) needs to say what it does"
        }
    }
}

Describe 'Help of <Name> -<Parameter>' -ForEach $parameterCases {
    It 'describes the parameter' {
        $help = Get-TestHelp $Name
        $entry = @($help.parameters.parameter | Where-Object { $_.name -eq $Parameter })
        $entry.Count | Should -Be 1 -Because "the help of $Name lists -$Parameter once"
        ($entry[0].description.Text -join "`n").Trim() | Should -Not -BeNullOrEmpty
    }
}

Describe 'Example <Number> of <Name>' -ForEach $exampleCases -AllowNullOrEmptyForEach {
    It 'is shown in README.md' {
        $readme = (Get-Content -LiteralPath (Join-Path $PSScriptRoot ../../README.md) -Raw -ErrorAction Stop) -replace "`r`n", "`n"
        $readme.Contains(($Code -replace "`r`n", "`n")) | Should -BeTrue -Because "the README shows the cmdlets in use and the help's examples are taken from it: '$Code' is not in README.md"
    }
}
