@{
    # The module's own manifest. Its paths are relative to the module's folder: build.ps1 copies this file as it is
    # into out/FlannelTools, beside FlannelTools.dll and the Formats folder.
    RootModule           = 'FlannelTools.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '3ab7af86-9b0f-4511-a003-dac6f26b5e1c'
    Author               = 'FlannelTools contributors'
    CompanyName          = 'FlannelTools'
    Copyright            = '(c) FlannelTools contributors. MIT License.'
    Description          = 'Diagnoses Kubernetes pod networks on flannel''s VXLAN backend: decodes underlay captures into typed VXLAN frames (outer and inner headers), reads a node''s routes, neighbours and FDB, and explains how each header of a cross-node packet is derived.'
    PowerShellVersion    = '7.2'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('Formats/FlannelTools.Format.ps1xml', 'Formats/NodeState.Format.ps1xml', 'Formats/Cluster.Format.ps1xml', 'Formats/Diagnosis.Format.ps1xml', 'Formats/Conversation.Format.ps1xml', 'Formats/Overlay.Format.ps1xml', 'Formats/HostLayer.Format.ps1xml')
    TypesToProcess       = @('Formats/FlannelTools.Types.ps1xml', 'Formats/NodeState.Types.ps1xml', 'Formats/Overlay.Types.ps1xml')
    CmdletsToExport      = @(
        'Get-VxlanFrame'
        'Get-VxlanConversation'
        'Get-FlannelFdb'
        'Get-FlannelNodeState'
        'Get-FlannelNode'
        'Get-FlannelNetConf'
        'Test-FlannelNode'
        'Test-FlannelCluster'
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
