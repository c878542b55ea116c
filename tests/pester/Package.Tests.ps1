# The package as build.ps1 makes it (out/FlannelTools), the repository-root manifest that loads it, and the package's
# round trip through a local PSResourceGet repository, as a user would install it from a gallery.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    $RepoRoot = Get-RepoRoot
    $ModuleManifestPath = Join-Path $RepoRoot 'src/FlannelTools/FlannelTools.psd1'
    $PackageDir = Join-Path $RepoRoot 'out/FlannelTools'
    $ModuleManifest = Import-PowerShellDataFile -LiteralPath $ModuleManifestPath
    $RepositoryName = "FlannelToolsTest$PID"
}

Describe 'The build' {
    # Restore records its warnings in each project's assets file, the ones the Build, Demo and Test tasks print.
    It 'restored <Project> with no NuGet warning: every package at the version asked for' -ForEach @(
        @{ Project = 'src/FlannelTools' }
        @{ Project = 'tests/FlannelTools.Tests' }
        @{ Project = 'tests/deps' }
    ) {
        $assets = Join-Path $RepoRoot "$Project/obj/project.assets.json"
        $assets | Should -Exist -Because 'the Test task restores it before the Pester tests run'
        $logs = @((Get-Content -LiteralPath $assets -Raw | ConvertFrom-Json).PSObject.Properties['logs'].Value | Where-Object { $_ })
        @($logs | ForEach-Object { "$($_.code): $($_.message)" }) | Should -BeNullOrEmpty
    }
}

Describe 'The package out/FlannelTools' {
    It 'carries the module''s own manifest, src/FlannelTools/FlannelTools.psd1, byte for byte' {
        $packaged = [IO.File]::ReadAllBytes((Join-Path $PackageDir 'FlannelTools.psd1'))
        $source = [IO.File]::ReadAllBytes($ModuleManifestPath)
        [Convert]::ToBase64String($packaged) | Should -BeExactly ([Convert]::ToBase64String($source))
    }

    It 'has every file its manifest names, and requires no other module' {
        $manifest = Test-ModuleManifest -Path (Join-Path $PackageDir 'FlannelTools.psd1') -ErrorAction Stop
        $manifest.Name | Should -Be 'FlannelTools'
        $manifest.RequiredModules | Should -BeNullOrEmpty -Because 'a dependency would send Publish-PSResource and Install-PSResource to look for it in a gallery'
        foreach ($file in @($ModuleManifest.RootModule) + $ModuleManifest.FormatsToProcess + $ModuleManifest.TypesToProcess) {
            Join-Path $PackageDir $file | Should -Exist
        }
    }
}

Describe 'The repository-root FlannelTools.psd1' {
    It 'loads the built module from out/FlannelTools as one module named FlannelTools, of the module''s version' {
        Import-Module (Join-Path $RepoRoot 'FlannelTools.psd1') -Force

        $loaded = @(Get-Module FlannelTools)
        $loaded.Count | Should -Be 1
        $loaded[0].Version | Should -Be ([version]$ModuleManifest.ModuleVersion)
        (Get-Command Get-VxlanFrame).DLL | Should -Be (Join-Path $PackageDir 'FlannelTools.dll')
        @($loaded[0].ExportedCmdlets.Keys | Sort-Object) -join ', ' | Should -BeExactly (@($ModuleManifest.CmdletsToExport | Sort-Object) -join ', ')
    }
}

Describe 'A local PSResourceGet repository' {
    BeforeAll {
        $repository = Join-Path $TestDrive 'repository'
        $saved = Join-Path $TestDrive 'saved'
        $null = New-Item -ItemType Directory $repository, $saved
        Register-PSResourceRepository -Name $RepositoryName -Uri $repository -Trusted
        # Publish, save and import in a child pwsh in a network namespace of its own, with no interface up: nothing
        # can reach a gallery, so a Publish-PSResource or Save-PSResource that tried (to resolve a dependency, say)
        # fails here. The child is also the clean session a user imports the saved module into.
        $roundTrip = {
            param($PackageDir, $RepositoryName, $Saved, $Capture)
            $ErrorActionPreference = 'Stop'
            Publish-PSResource -Path $PackageDir -Repository $RepositoryName
            Save-PSResource -Name FlannelTools -Repository $RepositoryName -Path $Saved -TrustRepository
            $env:PSModulePath = $Saved + [IO.Path]::PathSeparator + $env:PSModulePath
            Import-Module FlannelTools
            $module = Get-Module FlannelTools
            [pscustomobject]@{
                ModuleBase   = $module.ModuleBase
                Version      = "$($module.Version)"
                Cmdlets      = @($module.ExportedCmdlets.Keys | Sort-Object)
                FrameNumbers = @(Get-VxlanFrame -LiteralPath $Capture | ForEach-Object FrameNumber)
                HelpType     = (Get-Help Get-VxlanFrame).PSObject.TypeNames[0]
                FrameView    = (Get-VxlanFrame -LiteralPath $Capture | Select-Object -First 1 | Format-Table | Out-String -Width 200)
            } | ConvertTo-Json -Compress
        }
        $capture = Join-Path $RepoRoot 'samples/walkthrough.pcap'
        $script = "& { $roundTrip } '$PackageDir' '$RepositoryName' '$saved' '$capture'"
        $isolate = @(if ((& id -u) -eq '0') { '--net' } else { '--net', '--map-root-user' })
        $output = & unshare @isolate ([Environment]::ProcessPath) (Join-Path $PSHOME 'pwsh.dll') -NoProfile -NonInteractive -Command $script 2>&1
        $exitCode = $LASTEXITCODE
    }

    AfterAll {
        Unregister-PSResourceRepository -Name $RepositoryName -ErrorAction SilentlyContinue
    }

    It 'takes the package with Publish-PSResource, gives it back with Save-PSResource, and the saved module imports and decodes' {
        $exitCode | Should -Be 0 -Because "the round trip ran with no network: $output"
        Get-ChildItem $repository -Filter "FlannelTools.$($ModuleManifest.ModuleVersion).nupkg" | Should -HaveCount 1
        $result = @($output)[-1] | ConvertFrom-Json
        $result.ModuleBase | Should -Be (Join-Path $saved "FlannelTools/$($ModuleManifest.ModuleVersion)")
        $result.Version | Should -Be $ModuleManifest.ModuleVersion
        $result.Cmdlets -join ', ' | Should -BeExactly (@($ModuleManifest.CmdletsToExport | Sort-Object) -join ', ')
        $result.FrameNumbers -join ',' | Should -Be ((Get-TsharkVxlanFrame -Path $capture).FrameNumber -join ',') -Because 'the saved module decodes the frames tshark decodes'
        $result.HelpType | Should -BeLike 'MamlCommandHelpInfo*' -Because 'the help ships in the package'
        $result.FrameView | Should -Match 'Outer Source' -Because 'the format files ship in the package'
    }

    It 'saves the manifest as the module has it' {
        $savedManifest = Join-Path $saved "FlannelTools/$($ModuleManifest.ModuleVersion)/FlannelTools.psd1"
        Get-Content -LiteralPath $savedManifest -Raw | Should -BeExactly (Get-Content -LiteralPath $ModuleManifestPath -Raw)
    }
}

Describe 'After the round trip' {
    It 'left no repository registered' {
        Get-PSResourceRepository -Name $RepositoryName -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}
