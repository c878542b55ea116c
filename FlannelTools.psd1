@{
    # For working in the repository: `Import-Module ./FlannelTools.psd1` loads the built module, out/FlannelTools
    # (build.ps1 -Task Build), whose own manifest is src/FlannelTools/FlannelTools.psd1. Only the version is repeated
    # here (a manifest must have one); the cmdlets, formats and types come from the built module.
    ModuleVersion = '0.1.0'
    NestedModules = @('out/FlannelTools/FlannelTools.psd1')
}
