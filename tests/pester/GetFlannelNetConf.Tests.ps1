# Get-FlannelNetConf as users meet it: flannel's own net-conf.json and its ConfigMap as files, the ConfigMap through
# kubectl (the lab's stand-in, tests/lab/kubectl), the errors when there is none (k3s included), and serialization.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../FlannelTools.psd1) -Force
    $RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot ../..)).Path
    $LabDir = Join-Path $RepoRoot 'tests/lab'

    function Get-FlannelData([string] $Name) { Join-Path $RepoRoot "tests/data/hostlayer/flannel/$Name" }

    function Get-KubectlLog { @(Get-Content -LiteralPath $env:FLANNEL_LAB_KUBECTL_LOG -ErrorAction SilentlyContinue) }
}

Describe 'Get-FlannelNetConf -Path' {
    It 'reads kube-flannel.yml''s net-conf.json with flannel''s defaults for what it leaves out' {
        $netConf = Get-FlannelNetConf -Path (Get-FlannelData 'net-conf.json')

        $netConf | Should -BeOfType ([FlannelTools.FlannelNetConf])
        $netConf.Network | Should -Be '10.244.0.0/16'
        $netConf.BackendType | Should -Be 'vxlan'
        $netConf.EnableIPv4 | Should -BeTrue
        $netConf.Vni | Should -Be 1
        $netConf.Port | Should -Be 0
        $netConf.EffectivePort | Should -Be 8472
        $netConf.Source | Should -Be (Get-FlannelData 'net-conf.json')
    }

    It 'reads the net-conf.json key of a saved kubectl get configmap -o json' {
        $netConf = Get-FlannelNetConf -Path (Get-FlannelData 'kube-flannel-cfg.json')

        $netConf.Network | Should -Be '10.244.0.0/16'
        $netConf.Source | Should -Be 'configmap kube-flannel/kube-flannel-cfg'
    }

    It 'gives one object per ConfigMap of a saved List' {
        $netConfs = @(Get-FlannelNetConf -Path (Get-FlannelData 'configmaps-app-flannel.json'))

        $netConfs.Source | Should -Be @('configmap kube-flannel/kube-flannel-cfg', 'configmap flannel/kube-flannel-cfg')
        $netConfs[1].Vni | Should -Be 4096
        $netConfs[1].EffectivePort | Should -Be 4789
    }

    It 'expands wildcards in -Path and takes -LiteralPath from Get-ChildItem' {
        Copy-Item (Get-FlannelData 'net-conf.json') (Join-Path $TestDrive 'a-net-conf.json')
        Copy-Item (Get-FlannelData 'kube-flannel-cfg.json') (Join-Path $TestDrive 'b-cm.json')

        @(Get-FlannelNetConf -Path (Join-Path $TestDrive '*.json')).Count | Should -Be 2
        @(Get-ChildItem $TestDrive -Filter '*.json' | Get-FlannelNetConf).Count | Should -Be 2
    }

    It 'matches keys in any case, as flanneld does' {
        $file = Join-Path $TestDrive 'lower.json'
        Set-Content -LiteralPath $file -Value '{ "network": "10.42.0.0/16", "backend": { "type": "vxlan", "vni": 4096, "port": 4789, "directrouting": true, "MTU": 1400 } }'

        $netConf = Get-FlannelNetConf -Path $file

        $netConf.Network | Should -Be '10.42.0.0/16'
        $netConf.Vni | Should -Be 4096
        $netConf.EffectivePort | Should -Be 4789
        $netConf.DirectRouting | Should -BeTrue
        $netConf.Mtu | Should -Be 1400
    }

    It 'warns, naming the file and line, of a value flanneld would refuse, and still returns the rest' {
        $file = Join-Path $TestDrive 'typed.json'
        Set-Content -LiteralPath $file -Value @('{', '  "Network": "10.244.0.0/16",', '  "Backend": { "Type": "vxlan", "VNI": "2" }', '}')

        $netConf = Get-FlannelNetConf -Path $file -WarningVariable warnings -WarningAction SilentlyContinue

        $netConf.Network | Should -Be '10.244.0.0/16'
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike "$($file):3:*VNI*"
    }

    It 'writes InvalidNetConfJson for a file that is not JSON, and still reads the other files' {
        $bad = Join-Path $TestDrive 'broken.json'
        Set-Content -LiteralPath $bad -Value '{ "Network": '

        $netConfs = @(Get-FlannelNetConf -Path $bad, (Get-FlannelData 'net-conf.json') -ErrorVariable errors -ErrorAction SilentlyContinue)

        $netConfs.Count | Should -Be 1
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidNetConfJson,*'
        $errors[0].TargetObject | Should -Be $bad
    }

    It 'writes NetConfKeyMissing for a ConfigMap without net-conf.json' {
        $file = Join-Path $TestDrive 'other-cm.json'
        Set-Content -LiteralPath $file -Value '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"coredns","namespace":"kube-system"},"data":{"Corefile":".:53"}}'

        $null = Get-FlannelNetConf -Path $file -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors[0].FullyQualifiedErrorId | Should -BeLike 'NetConfKeyMissing,*'
    }

    It 'writes PathNotFound for a path that matches nothing' {
        $null = Get-FlannelNetConf -Path (Join-Path $TestDrive 'nothing-*.json'), (Join-Path $TestDrive 'missing.json') -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors.FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
    }
}

Describe 'Get-FlannelNetConf through kubectl' {
    BeforeAll {
        $savedEnvironment = @{}
        foreach ($name in 'PATH', 'FLANNEL_LAB_NODES', 'FLANNEL_LAB_NETCONF', 'FLANNEL_LAB_NETCONF_NAMESPACE', 'FLANNEL_LAB_KUBECTL_LOG', 'FLANNEL_LAB_KUBECTL_FAIL') {
            $savedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name)
        }
        $env:PATH = $LabDir + [IO.Path]::PathSeparator + $env:PATH
        $env:FLANNEL_LAB_NODES = Join-Path $RepoRoot 'tests/data/cluster/nodes-healthy.json'
        $env:FLANNEL_LAB_KUBECTL_LOG = Join-Path $TestDrive 'kubectl.log'
    }

    AfterAll {
        foreach ($name in $savedEnvironment.Keys) { [Environment]::SetEnvironmentVariable($name, $savedEnvironment[$name]) }
    }

    BeforeEach {
        Remove-Item -LiteralPath $env:FLANNEL_LAB_KUBECTL_LOG -ErrorAction SilentlyContinue
        $env:FLANNEL_LAB_NETCONF = Get-FlannelData 'net-conf.json'
        $env:FLANNEL_LAB_NETCONF_NAMESPACE = $null
        $env:FLANNEL_LAB_KUBECTL_FAIL = $null
    }

    It 'reads kube-flannel-cfg in kube-flannel with one kubectl run' {
        $netConf = Get-FlannelNetConf

        $netConf.Network | Should -Be '10.244.0.0/16'
        $netConf.Source | Should -Be 'configmap kube-flannel/kube-flannel-cfg'
        Get-KubectlLog | Should -Be @('get configmap kube-flannel-cfg -n kube-flannel -o json')
    }

    It 'falls back to kube-system, then to the app=flannel label in any namespace (Helm)' {
        $env:FLANNEL_LAB_NETCONF_NAMESPACE = 'flannel'

        $netConf = Get-FlannelNetConf

        $netConf.Source | Should -Be 'configmap flannel/kube-flannel-cfg'
        Get-KubectlLog | Should -Be @(
            'get configmap kube-flannel-cfg -n kube-flannel -o json'
            'get configmap kube-flannel-cfg -n kube-system -o json'
            'get configmap -A -l app=flannel -o json')
    }

    It 'passes -Context and -Kubeconfig to every kubectl run' {
        $null = Get-FlannelNetConf -Context prod -Kubeconfig (Join-Path $TestDrive 'config')

        Get-KubectlLog | Should -Be @("get configmap kube-flannel-cfg -n kube-flannel -o json --context prod --kubeconfig $(Join-Path (Get-Item $TestDrive).FullName 'config')")
    }

    It 'stops with NetConfNotFound naming where it looked when no ConfigMap holds net-conf.json' {
        $env:FLANNEL_LAB_NETCONF = $null
        $env:FLANNEL_LAB_NODES = Join-Path $RepoRoot 'tests/data/cluster/nodes-healthy.json'

        $thrown = { Get-FlannelNetConf } | Should -Throw -ErrorId 'NetConfNotFound,FlannelTools.Commands.GetFlannelNetConfCommand' -PassThru

        $thrown.Exception.Message | Should -BeLike '*kube-flannel/kube-flannel-cfg*kube-system/kube-flannel-cfg*app=flannel*'
        (Get-KubectlLog)[-1] | Should -Be 'get nodes -o json'
    }

    It 'stops with K3sNetConfOnNodes on k3s, naming the file k3s writes on each node' {
        $env:FLANNEL_LAB_NETCONF = $null
        $nodes = Get-Content -Raw (Join-Path $RepoRoot 'tests/data/cluster/nodes-healthy.json') | ConvertFrom-Json
        foreach ($node in $nodes.items) { $node.status.nodeInfo.kubeletVersion = 'v1.30.4+k3s1' }
        $k3sNodes = Join-Path $TestDrive 'k3s-nodes.json'
        $nodes | ConvertTo-Json -Depth 20 | Set-Content -LiteralPath $k3sNodes
        $env:FLANNEL_LAB_NODES = $k3sNodes
        try {
            $thrown = { Get-FlannelNetConf } | Should -Throw -ErrorId 'K3sNetConfOnNodes,FlannelTools.Commands.GetFlannelNetConfCommand' -PassThru
        }
        finally { $env:FLANNEL_LAB_NODES = Join-Path $RepoRoot 'tests/data/cluster/nodes-healthy.json' }

        $thrown.Exception.Message | Should -BeLike '*k3s*/var/lib/rancher/k3s/agent/etc/flannel/net-conf.json*'
    }

    It 'stops with KubectlFailed carrying kubectl''s message when kubectl cannot reach the cluster' {
        $env:FLANNEL_LAB_KUBECTL_FAIL = 'You must be logged in to the server (Unauthorized)'

        $thrown = { Get-FlannelNetConf } | Should -Throw -ErrorId 'KubectlFailed,FlannelTools.Commands.GetFlannelNetConfCommand' -PassThru

        $thrown.Exception.Message | Should -BeLike '*Unauthorized*'
    }
}

Describe 'FlannelNetConf objects' {
    It 'export to CSV and JSON with their values as text' {
        $netConf = Get-FlannelNetConf -Path (Get-FlannelData 'net-conf.json')
        $csv = Join-Path $TestDrive 'netconf.csv'

        $netConf | Export-Csv -LiteralPath $csv -NoTypeInformation
        $row = Import-Csv -LiteralPath $csv
        $json = $netConf | ConvertTo-Json | ConvertFrom-Json

        $row.Network | Should -Be '10.244.0.0/16'
        $row.EffectivePort | Should -Be '8472'
        $row.BackendType | Should -Be 'vxlan'
        $json.Network | Should -Be '10.244.0.0/16'
        $json.Vni | Should -Be 1
        $json.EffectivePort | Should -Be 8472
        $json.EnableIPv4 | Should -BeTrue
    }
}
