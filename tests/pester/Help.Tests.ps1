# Every exported cmdlet has help made from its doc comments (tools/New-MamlHelp.ps1, run by build.ps1): a synopsis,
# a description, at least one example, and a description of every parameter. docs/<Cmdlet>.md is made from the same
# doc comments and must be what the generator makes of them now, so the reference pages and Get-Help cannot drift;
# every example of the help is shown on its page. The README and docs/ link only to files that exist in the
# repository, and the help's related links to pages that ship in the module's folder. docs/walkthrough.md's table is
# the sample capture's.

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

Describe 'The reference pages in docs/' {
    BeforeAll {
        $root = (Resolve-Path (Join-Path $PSScriptRoot ../..)).ProviderPath
        $generated = Join-Path $TestDrive 'docs'
        $cmdletNames = @(Get-Command -Module FlannelTools -CommandType Cmdlet | ForEach-Object Name | Sort-Object)
        $regenerate = 'dotnet pwsh -NoProfile -File tools/New-MamlHelp.ps1 -AssemblyPath out/FlannelTools/FlannelTools.dll -DocumentationPath out/FlannelTools.xml -MarkdownPath docs'
        Push-Location $root
        try {
            $generatorOutput = & dotnet pwsh -NoProfile -NonInteractive -File tools/New-MamlHelp.ps1 -AssemblyPath out/FlannelTools/FlannelTools.dll `
                -DocumentationPath out/FlannelTools.xml -MarkdownPath $generated 2>&1
            $generatorExit = $LASTEXITCODE
        }
        finally { Pop-Location }
    }

    It 'is made again from the doc comments of the built module' {
        $generatorExit | Should -Be 0 -Because ($generatorOutput -join "`n")
        @(Get-ChildItem $generated -Filter *.md).BaseName | Sort-Object | Should -Be $cmdletNames
    }

    It 'has the page of <Name> that its doc comments make (docs/<Name>.md)' -ForEach $cmdletCases {
        $committed = Join-Path $root "docs/$Name.md"
        Test-Path -LiteralPath $committed | Should -BeTrue -Because "docs/ holds one page per cmdlet; run: $regenerate"
        $want = @((Get-Content -LiteralPath (Join-Path $generated "$Name.md") -Raw) -replace "`r`n", "`n" -split "`n")
        $have = @((Get-Content -LiteralPath $committed -Raw) -replace "`r`n", "`n" -split "`n")
        $line = 0
        while ($line -lt $want.Count -and $line -lt $have.Count -and $want[$line] -ceq $have[$line]) { $line++ }
        if ($line -lt $want.Count -or $line -lt $have.Count) {
            $wanted = if ($line -lt $want.Count) { $want[$line] } else { '(end of page)' }
            $found = if ($line -lt $have.Count) { $have[$line] } else { '(end of page)' }
            throw "docs/$Name.md differs from its doc comments at line $($line + 1): it reads '$found' where they make '$wanted'. Run: $regenerate"
        }
    }

    It 'has no page of a cmdlet the module does not have' {
        $pages = @(Get-ChildItem (Join-Path $root docs) -Filter *.md | Where-Object { (Get-Content $_.FullName -TotalCount 2) -contains 'external help file: FlannelTools.dll-Help.xml' })
        @($pages.BaseName | Sort-Object) | Should -Be $cmdletNames
    }
}

Describe 'Example <Number> of <Name>' -ForEach $exampleCases -AllowNullOrEmptyForEach {
    It 'is shown on docs/<Name>.md as a PowerShell block' {
        $page = (Get-Content -LiteralPath (Join-Path $PSScriptRoot ../../docs/$Name.md) -Raw -ErrorAction Stop) -replace "`r`n", "`n"
        $block = "``````powershell`n$($Code -replace "`r`n", "`n")`n``````"
        $page.Contains($block) | Should -BeTrue -Because "the page of each cmdlet shows its help's examples: '$Code' is not a block of docs/$Name.md"
    }
}

Describe 'Links of the README and docs/' {
    BeforeDiscovery {
        $repository = (Resolve-Path (Join-Path $PSScriptRoot ../..)).ProviderPath
        $pageCases = @(@(Get-Item (Join-Path $repository README.md)) + @(Get-ChildItem (Join-Path $repository docs) -Filter *.md -Recurse) |
                ForEach-Object { @{ Page = [System.IO.Path]::GetRelativePath($repository, $_.FullName); FullName = $_.FullName } })
    }

    It '<Page> links only to files in the repository' -ForEach $pageCases {
        $repository = (Resolve-Path (Join-Path $PSScriptRoot ../..)).ProviderPath
        $text = Get-Content -LiteralPath $FullName -Raw
        # Fenced code is output and commands, not links.
        $text = [regex]::Replace($text, '(?ms)^```.*?^```', '')
        $broken = foreach ($match in [regex]::Matches($text, '\]\(([^)\s]+)\)')) {
            $target = $match.Groups[1].Value -replace '#.*$', ''
            if (-not $target -or $target -match '^[a-z]+:') { continue }
            $resolved = [System.IO.Path]::GetFullPath((Join-Path (Split-Path -Parent $FullName) $target))
            if (-not $resolved.StartsWith($repository + [System.IO.Path]::DirectorySeparatorChar) -or -not (Test-Path -LiteralPath $resolved)) { $match.Groups[1].Value }
        }
        @($broken) | Should -BeNullOrEmpty -Because "$Page links to files that the repository holds"
    }

    It 'README.md is a landing page of at most 250 lines' {
        @(Get-Content -LiteralPath (Join-Path $PSScriptRoot ../../README.md)).Count | Should -BeLessOrEqual 250
    }
}

Describe 'Related links of <Name>' -ForEach $cmdletCases {
    It 'name the walkthrough and pages that ship in the module''s folder' {
        $help = Get-TestHelp $Name
        # The folder the cmdlets are loaded from (out/FlannelTools), which is what the package ships, not the repository.
        $moduleBase = Split-Path -Parent (Get-Command $Name).ImplementingType.Assembly.Location
        $uris = @($help.relatedLinks.navigationLink | Where-Object { $_ -and $_.uri } | ForEach-Object uri)
        $uris | Should -Not -BeNullOrEmpty -Because "$Name's help points to the walkthrough and the guides it belongs to"
        $uris | Should -Contain 'docs/walkthrough.md' -Because "$Name's help speaks of the walkthrough, and names the page that has it"
        foreach ($uri in $uris) {
            Test-Path -LiteralPath (Join-Path $moduleBase $uri) | Should -BeTrue -Because "$Name's help links to $uri, which the module's folder must hold"
        }
        # The pages its text names (the walkthrough, in the descriptions of the cmdlets and their output types) ship too.
        $text = $help | Out-String -Width 400
        foreach ($page in [regex]::Matches($text, 'docs/[\w.-]+\.md') | ForEach-Object Value | Sort-Object -Unique) {
            Test-Path -LiteralPath (Join-Path $moduleBase $page) | Should -BeTrue -Because "$Name's help names $page, which the module's folder must hold"
        }
    }
}

Describe 'docs/walkthrough.md' {
    It 'has the outer and inner headers of the sample''s first request as Get-VxlanFrame decodes them' {
        $frame = Get-VxlanFrame -Path (Join-Path $PSScriptRoot ../../samples/walkthrough.pcap) | Where-Object FrameNumber -eq 3
        $rows = @{}
        foreach ($line in Get-Content -LiteralPath (Join-Path $PSScriptRoot ../../docs/walkthrough.md)) {
            $cells = @($line.Trim().Trim('|').Split('|') | ForEach-Object Trim)
            if ($cells.Count -eq 5 -and $cells[0] -in 'outer', 'inner') { $rows[$cells[0]] = $cells[1..4] }
        }
        $rows['outer'] | Should -Be @($frame.OuterSourceAddress, $frame.OuterSourceMac, $frame.OuterDestinationAddress, $frame.OuterDestinationMac)
        $rows['inner'] | Should -Be @($frame.InnerSourceAddress, $frame.InnerSourceMac, $frame.InnerDestinationAddress, $frame.InnerDestinationMac)
    }
}
