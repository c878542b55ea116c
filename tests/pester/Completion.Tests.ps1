# Tab completion of parameter values, through TabExpansion2 as the console asks for it: -InterfaceName from the
# kernel's interfaces (/sys/class/net, no libpcap loaded), -Device from the namespace's VXLAN devices, -Name from
# kubectl's nodes (the lab's kubectl stand-in; nothing, and soon, when kubectl hangs), -Context from the kubeconfig
# files real kubectl wrote (tests/data/cluster/kubeconfig.*).

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../FlannelTools.psd1) -Force
    $Repository = (Resolve-Path (Join-Path $PSScriptRoot ../..)).Path
    $ClusterData = Join-Path $Repository tests/data/cluster
    $StandIn = Join-Path $Repository tests/lab

    function Get-Completion([string] $Line) {
        @((TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText)
    }

    # Sets environment variables for the script block only.
    function Invoke-WithEnvironment([hashtable] $Environment, [scriptblock] $Script) {
        $saved = @{}
        foreach ($name in $Environment.Keys) {
            $saved[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, $Environment[$name])
        }
        try { & $Script } finally { foreach ($name in $saved.Keys) { [Environment]::SetEnvironmentVariable($name, $saved[$name]) } }
    }
}

Describe '-InterfaceName and -Device completion in a namespace with real devices' -Skip:(-not $IsLinux) {
    BeforeAll {
        # A namespace of our own with a VXLAN device as flannel makes it, a second VXLAN device, and a veth
        # pair that are not VXLAN. Nothing is sent: no address is even assigned.
        $Namespace = "ftcomp$PID"
        $made = $true
        & ip netns add $Namespace 2>$null; if ($LASTEXITCODE -ne 0) { $made = $false }
        if ($made) {
            & ip -n $Namespace link add flannel.1 type vxlan id 1 dstport 8472 nolearning
            & ip -n $Namespace link add flannel.4096 type vxlan id 4096 dstport 4789 nolearning
            & ip -n $Namespace link add veth0 type veth peer name veth1
            $Kernel = @(& ip -n $Namespace -j link show | ConvertFrom-Json | ForEach-Object ifname | Sort-Object)
            $KernelVxlan = @(& ip -n $Namespace -j -d link show type vxlan | ConvertFrom-Json | ForEach-Object ifname | Sort-Object)
            # A new PowerShell inside the namespace (its /sys/class/net is the namespace's), reporting the completions
            # and whether libpcap got loaded to make them.
            $script = Join-Path $TestDrive 'complete.ps1'
            Set-Content $script @"
Import-Module '$(Join-Path $Repository FlannelTools.psd1)'
function c([string] `$l) { @((TabExpansion2 -inputScript `$l -cursorColumn `$l.Length).CompletionMatches | ForEach-Object CompletionText) }
[pscustomobject]@{
    All = c 'Get-VxlanFrame -InterfaceName '
    Prefixed = c 'Get-VxlanFrame -InterfaceName fl'
    Devices = c 'Get-FlannelFdb -Device '
    DevicesPrefixed = c 'Get-FlannelFdb flannel.4'
    Libpcap = [bool](Get-Content /proc/self/maps | Select-String -SimpleMatch 'libpcap')
} | ConvertTo-Json -Compress
"@
            $Result = & ip netns exec $Namespace (Get-Command dotnet).Source (Join-Path $PSHOME pwsh.dll) -NoProfile -NonInteractive -File $script | ConvertFrom-Json
        }
    }

    AfterAll { & ip netns delete $Namespace 2>$null }

    It 'offers every interface the kernel lists in the namespace, sorted' {
        $made | Should -BeTrue -Because 'the test needs a network namespace of its own'
        $Result.All | Should -Be ($Kernel | Sort-Object { $_ } -Culture ([cultureinfo]::InvariantCulture))
        $Result.All | Should -Contain 'flannel.1'
        $Result.All | Should -Contain 'lo'
    }

    It 'offers only the interfaces that begin with what was typed' {
        $Result.Prefixed | Should -Be @('flannel.1', 'flannel.4096')
    }

    It 'loads no libpcap to list interfaces' {
        $Result.Libpcap | Should -BeFalse
    }

    It 'offers -Device from the VXLAN devices only, also at position 0' {
        $Result.Devices | Should -Be $KernelVxlan
        $Result.All | Should -Contain 'veth0'
        $Result.Devices | Should -Not -Contain 'veth0'
        $Result.DevicesPrefixed | Should -Be @('flannel.4096')
    }
}

Describe '-Name completion from kubectl' {
    BeforeAll {
        $NodesJson = Join-Path $ClusterData nodes-healthy.json
        $Names = @((Get-Content $NodesJson -Raw | ConvertFrom-Json).items.metadata.name | Sort-Object)
        $Log = Join-Path $TestDrive 'kubectl.log'
        $Environment = @{ PATH = "$StandIn$([IO.Path]::PathSeparator)$env:PATH"; FLANNEL_LAB_NODES = $NodesJson; FLANNEL_LAB_KUBECTL_LOG = $Log }
    }

    It 'offers the cluster''s node names for Get-FlannelNode and Test-FlannelNode' {
        $names | Should -HaveCount 3
        Invoke-WithEnvironment $Environment { Get-Completion 'Get-FlannelNode -Name ' } | Should -Be $Names
        Invoke-WithEnvironment $Environment { Get-Completion 'Get-FlannelNode no' } | Should -Be @($Names | Where-Object { $_ -like 'no*' })
        Invoke-WithEnvironment $Environment { Get-Completion 'Test-FlannelNode -Name m' } | Should -Be @('master')
    }

    It 'asks the cluster of the -Context and -Kubeconfig typed on the same line' {
        Remove-Item $Log -ErrorAction SilentlyContinue
        $kubeconfig = Join-Path $ClusterData kubeconfig.yaml
        $null = Invoke-WithEnvironment $Environment { Get-Completion "Get-FlannelNode -Context prod -Kubeconfig $kubeconfig -Name " }
        Get-Content $Log | Should -Be "get nodes -o json --context prod --kubeconfig $kubeconfig"
    }

    It 'offers nothing when kubectl fails' {
        $failing = $Environment.Clone(); $failing['FLANNEL_LAB_KUBECTL_FAIL'] = '1'
        Invoke-WithEnvironment $failing { Get-Completion 'Get-FlannelNode -Name ' } | Should -BeNullOrEmpty
    }

    It 'gives up on a kubectl that does not answer, offering nothing instead of hanging Tab' {
        $slow = New-Item -ItemType Directory -Path (Join-Path $TestDrive 'slow') -Force
        # A kubectl that waits, as one does for an API server that drops packets.
        Set-Content (Join-Path $slow kubectl) "#!/bin/sh`nexec sleep 60"
        & chmod +x (Join-Path $slow kubectl)
        $watch = [Diagnostics.Stopwatch]::StartNew()
        Invoke-WithEnvironment @{ PATH = "$($slow.FullName)$([IO.Path]::PathSeparator)$env:PATH" } { Get-Completion 'Get-FlannelNode -Name ' } | Should -BeNullOrEmpty
        # Not a timing test: the kubectl above never answers, so returning at all shows the wait is bounded.
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 30
    }
}

Describe '-Context completion from the kubeconfig' {
    BeforeAll {
        $Yaml = Join-Path $ClusterData kubeconfig.yaml
        $Json = Join-Path $ClusterData kubeconfig.json
    }

    It 'offers the contexts of the -Kubeconfig typed on the line, quoting a name with a space' {
        Get-Completion "Get-FlannelNode -Kubeconfig $Yaml -Context " | Should -Be @("'lab admin'", 'prod', 'staging')
        Get-Completion "Test-VxlanCapture x.pcap -Kubeconfig $Yaml -Context st" | Should -Be @('staging')
    }

    It 'reads every file of $KUBECONFIG, YAML and JSON, as kubectl merges them' {
        $both = "$Yaml$([IO.Path]::PathSeparator)$Json"
        Invoke-WithEnvironment @{ KUBECONFIG = $both } { Get-Completion 'Get-FlannelNetConf -Context ' } | Should -Be @('edge-east', "'lab admin'", 'prod', 'staging')
        Invoke-WithEnvironment @{ KUBECONFIG = $both } { Get-Completion 'Test-FlannelNode -Context e' } | Should -Be @('edge-east')
        Invoke-WithEnvironment @{ KUBECONFIG = $both } { Get-Completion 'Test-FlannelCluster -Context p' } | Should -Be @('prod')
    }

    It 'offers nothing for a kubeconfig that is missing or not a kubeconfig' {
        Get-Completion "Get-FlannelNode -Kubeconfig $(Join-Path $TestDrive 'none') -Context " | Should -BeNullOrEmpty
        Get-Completion "Get-FlannelNode -Kubeconfig $(Join-Path $ClusterData nodes-healthy.json) -Context " | Should -BeNullOrEmpty
    }
}
