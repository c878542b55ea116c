@{
    # The repository-root manifest loads the build output (build.ps1 -Task Build) as a nested module, so
    # Get-Help finds out/FlannelTools/en-US beside the DLL; the packaged
    # module (build.ps1 -Task Package) carries a copy of this file with the folders stripped.
    NestedModules        = @('out/FlannelTools/FlannelTools.dll')
    ModuleVersion        = '0.1.0'
    GUID                 = '3ab7af86-9b0f-4511-a003-dac6f26b5e1c'
    Author               = 'FlannelTools contributors'
    CompanyName          = 'FlannelTools'
    Copyright            = '(c) FlannelTools contributors. MIT License.'
    Description          = 'Diagnoses Kubernetes pod networks on flannel''s VXLAN backend: decodes underlay captures into typed VXLAN frames (outer and inner headers), reads a node''s routes, neighbours and FDB, and explains how each header of a cross-node packet is derived.'
    PowerShellVersion    = '7.2'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('src/FlannelTools/Formats/FlannelTools.Format.ps1xml', 'src/FlannelTools/Formats/NodeState.Format.ps1xml', 'src/FlannelTools/Formats/Cluster.Format.ps1xml', 'src/FlannelTools/Formats/Diagnosis.Format.ps1xml', 'src/FlannelTools/Formats/Conversation.Format.ps1xml', 'src/FlannelTools/Formats/Overlay.Format.ps1xml', 'src/FlannelTools/Formats/HostLayer.Format.ps1xml')
    TypesToProcess       = @('src/FlannelTools/Formats/FlannelTools.Types.ps1xml', 'src/FlannelTools/Formats/NodeState.Types.ps1xml', 'src/FlannelTools/Formats/Overlay.Types.ps1xml')
    CmdletsToExport      = @(
        'Get-VxlanFrame'
        'Get-VxlanConversation'
        'Get-FlannelFdb'
        'Get-FlannelNodeState'
        'Get-FlannelNode'
        'Get-FlannelNetConf'
        'Test-FlannelNode'
        'Resolve-OverlayPath'
        'Test-VxlanCapture'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('flannel', 'vxlan', 'kubernetes', 'network', 'pcap', 'packet-capture', 'cni', 'Linux', 'PSEdition_Core')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'Get-VxlanFrame: VXLAN frames from pcap and pcapng captures.'
        }
    }
}
