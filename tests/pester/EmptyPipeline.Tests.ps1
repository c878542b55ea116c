# An empty pipeline (@() | Cmdlet, or a Where-Object that kept nothing) never calls ProcessRecord: every cmdlet that
# takes pipeline input says once, in EndProcessing, that nothing came, instead of ending silently as if all were read.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../FlannelTools.psd1) -Force
    $RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot ../..)).Path
    $Walkthrough = Join-Path $RepoRoot 'samples/walkthrough.pcap'
    $HealthyNodes = Get-FlannelNode -Path (Join-Path $RepoRoot 'tests/data/cluster/nodes-healthy.json')
    $Node1State = Get-FlannelNodeState -Path (Join-Path $RepoRoot 'tests/data/nodestate/healthy/node1.state')
}

Describe 'An empty pipeline' {
    It 'is one warning naming <Cmdlet>, and no output' -ForEach @(
        @{ Cmdlet = 'Get-VxlanFrame'; Arguments = @{} }
        @{ Cmdlet = 'Get-VxlanConversation'; Arguments = @{} }
        @{ Cmdlet = 'Test-VxlanCapture'; Arguments = @{} }
        @{ Cmdlet = 'Get-FlannelFdb'; Arguments = @{} }
        @{ Cmdlet = 'Get-FlannelNode'; Arguments = @{} }
        @{ Cmdlet = 'Get-FlannelNetConf'; Arguments = @{} }
        @{ Cmdlet = 'Resolve-OverlayPath'; Arguments = @{} }
    ) {
        # Arguments that keep the cmdlet from reading anything else: saved nodes and node state, not kubectl or the kernel.
        if ($Cmdlet -eq 'Test-VxlanCapture') { $Arguments.Node = $HealthyNodes }
        if ($Cmdlet -eq 'Resolve-OverlayPath') { $Arguments.NodeState = $Node1State }
        $out = @(@() | & $Cmdlet @Arguments -WarningVariable warnings -WarningAction SilentlyContinue)
        $out | Should -BeNullOrEmpty
        @($warnings).Count | Should -Be 1
        "$($warnings[0])" | Should -Be "Nothing was piped to ${Cmdlet}: the pipeline ended without any input, so nothing was read."
    }

    It 'is the same warning when a filter before the cmdlet kept nothing, and no warning when something came' {
        $none = @(Get-VxlanFrame $Walkthrough | Where-Object Vni -eq 99 | Get-VxlanConversation -WarningVariable empty -WarningAction SilentlyContinue)
        $none | Should -BeNullOrEmpty
        @($empty).Count | Should -Be 1
        $some = @(Get-VxlanFrame $Walkthrough | Get-VxlanConversation -WarningVariable full -WarningAction SilentlyContinue)
        $some.Count | Should -Be 1
        @($full).Count | Should -Be 0
        @(Get-Item $Walkthrough | Get-VxlanFrame -WarningVariable file -WarningAction SilentlyContinue).Count | Should -Be 13
        @($file).Count | Should -Be 0
    }

    It 'gives Test-VxlanCapture -Quiet $false with the warning: nothing was checked' {
        @(@() | Test-VxlanCapture -Node $HealthyNodes -Quiet -WarningAction SilentlyContinue) | Should -Be @($false)
    }
}
