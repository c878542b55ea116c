# Get-FlannelNode as users meet it: kubectl (through the lab's stand-in, tests/lab/kubectl), files, pipeline input,
# warnings and errors, serialization, and a real lab's nodes compared with the lab's own VTEP devices.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot ../../FlannelTools.psd1) -Force
    $RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot ../..)).Path
    $LabDir = Join-Path $RepoRoot 'tests/lab'
    $LabScript = Join-Path $LabDir 'lab.sh'

    function Get-ClusterData([string] $Name) { Join-Path $RepoRoot "tests/data/cluster/$Name" }

    # What the lab's kubectl recorded: one line per run, its arguments quoted as bash's printf %q quotes them.
    function Get-KubectlLog { @(Get-Content -LiteralPath $env:FLANNEL_LAB_KUBECTL_LOG -ErrorAction SilentlyContinue) }

    $WalkthroughMacs = @{ master = '02:f1:a4:00:00:0b'; node1 = '32:73:d8:d1:e9:78'; node2 = 'ee:81:17:b0:fd:7b' }
}

Describe 'Get-FlannelNode through kubectl' {
    BeforeAll {
        $savedEnvironment = @{}
        foreach ($name in 'PATH', 'FLANNEL_LAB_NODES', 'FLANNEL_LAB_KUBECTL_LOG', 'FLANNEL_LAB_KUBECTL_FAIL') {
            $savedEnvironment[$name] = [Environment]::GetEnvironmentVariable($name)
        }
        $env:PATH = $LabDir + [IO.Path]::PathSeparator + $env:PATH
        $env:FLANNEL_LAB_NODES = Get-ClusterData 'nodes-healthy.json'
        $env:FLANNEL_LAB_KUBECTL_LOG = Join-Path $TestDrive 'kubectl.log'
    }

    AfterAll {
        foreach ($name in $savedEnvironment.Keys) { [Environment]::SetEnvironmentVariable($name, $savedEnvironment[$name]) }
    }

    BeforeEach {
        Remove-Item -LiteralPath $env:FLANNEL_LAB_KUBECTL_LOG -ErrorAction SilentlyContinue
        $env:FLANNEL_LAB_KUBECTL_FAIL = $null
    }

    It 'runs kubectl get nodes -o json once and returns one FlannelNode per node' {
        $nodes = @(Get-FlannelNode)

        $nodes.Name | Should -Be @('master', 'node1', 'node2')
        $nodes | ForEach-Object { $_ | Should -BeOfType ([FlannelTools.FlannelNode]) }
        ($nodes | Where-Object Name -eq 'node2').VtepMac | Should -Be 'ee:81:17:b0:fd:7b'
        Get-KubectlLog | Should -Be @('get nodes -o json')
    }

    It 'refuses a file given at position 0, where the node name goes, with FileGivenAsName before kubectl runs: <Call>' -ForEach @(
        @{ Call = 'Get-FlannelNode nodes.json'; Command = { Get-FlannelNode nodes.json }; Value = 'nodes.json' }
        @{ Call = 'Get-FlannelNode ./nodes.json -Context prod'; Command = { Get-FlannelNode ./nodes.json -Context prod }; Value = './nodes.json' }
        @{ Call = 'Get-FlannelNode node1, nodes.json'; Command = { Get-FlannelNode node1, nodes.json }; Value = 'nodes.json' }
    ) {
        Copy-Item (Get-ClusterData 'nodes-healthy.json') (Join-Path $TestDrive 'nodes.json')
        Push-Location $TestDrive
        try { $err = $Command | Should -Throw -ErrorId 'FileGivenAsName,FlannelTools.Commands.GetFlannelNodeCommand' -PassThru }
        finally { Pop-Location }
        $err.Exception.Message | Should -Match "use -Path $([regex]::Escape($Value))"
        $err.TargetObject | Should -Be $Value
        Get-KubectlLog | Should -BeNullOrEmpty
    }

    It 'takes the same value given by name (-Name nodes.json, -Na nodes.json) as a node''s name, and a name that is no file by position' {
        Copy-Item (Get-ClusterData 'nodes-healthy.json') (Join-Path $TestDrive 'nodes.json')
        Push-Location $TestDrive
        try {
            $null = Get-FlannelNode -Name nodes.json -ErrorVariable named -ErrorAction SilentlyContinue
            $null = Get-FlannelNode -Na nodes.json -ErrorVariable prefixed -ErrorAction SilentlyContinue
            $byPosition = @(Get-FlannelNode node1)
        }
        finally { Pop-Location }
        @($named.FullyQualifiedErrorId) | Should -Be @('NodeNotFound,FlannelTools.Commands.GetFlannelNodeCommand')
        @($prefixed.FullyQualifiedErrorId) | Should -Be @('NodeNotFound,FlannelTools.Commands.GetFlannelNodeCommand')
        $byPosition.Name | Should -Be 'node1'
        Get-KubectlLog | Should -Be @('get nodes -o json', 'get nodes -o json', 'get nodes -o json')
    }

    It 'passes -Context and -Kubeconfig to kubectl as arguments of their own, the kubeconfig as a full path' {
        $kubeconfig = Join-Path $TestDrive 'kube config'

        $null = Get-FlannelNode -Context 'prod east' -Kubeconfig $kubeconfig

        Get-KubectlLog | Should -Be @("get nodes -o json --context prod\ east --kubeconfig $($kubeconfig.Replace(' ', '\ '))")
    }

    It 'resolves a relative -Kubeconfig against the current location' {
        Push-Location $TestDrive
        try { $null = Get-FlannelNode -Kubeconfig ./config } finally { Pop-Location }

        Get-KubectlLog | Should -Be @("get nodes -o json --kubeconfig $(Join-Path (Get-Item $TestDrive).FullName 'config')")
    }

    It 'keeps only the nodes -Name matches, wildcards included' {
        (Get-FlannelNode -Name 'node*').Name | Should -Be @('node1', 'node2')
        (Get-FlannelNode -Name 'MASTER', 'node2').Name | Should -Be @('master', 'node2')
    }

    It 'writes NodeNotFound for a name without wildcards that no node has, and still returns the others' {
        $nodes = Get-FlannelNode -Name 'node9', 'node1' -ErrorVariable errors -ErrorAction SilentlyContinue

        $nodes.Name | Should -Be 'node1'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'NodeNotFound,*'
        $errors[0].TargetObject | Should -Be 'node9'
    }

    It 'stops with KubectlFailed carrying kubectl''s own message and exit code when kubectl fails' {
        $env:FLANNEL_LAB_KUBECTL_FAIL = 'You must be logged in to the server (Unauthorized)'

        $thrown = { Get-FlannelNode } | Should -Throw -ErrorId 'KubectlFailed,FlannelTools.Commands.GetFlannelNodeCommand' -PassThru

        $thrown.Exception.Message | Should -BeLike '*exit code 1*error: You must be logged in to the server (Unauthorized)*'
        $thrown.Exception.ExitCode | Should -Be 1
    }

    It 'drops client-go''s memcache.go lines from the KubectlFailed message of a real kubectl (or its recorded stderr where none is installed), with its whole stderr in ErrorDetails' {
        $realKubectl = Get-Command kubectl -CommandType Application -ErrorAction SilentlyContinue |
            Where-Object Source -NotLike "$LabDir*" | Select-Object -First 1
        $kubectlDir = if ($realKubectl) { Split-Path $realKubectl.Source } else {
            # Where no real kubectl is installed (a fresh machine), a stand-in replays what kubectl v1.32.4 printed
            # to stderr for this kubeconfig, recorded in tests/data/cluster/kubectl-no-server.stderr, and its exit code.
            $dir = Join-Path $TestDrive 'replay-bin'
            $null = New-Item -ItemType Directory -Path $dir -Force
            $recorded = Join-Path $RepoRoot 'tests/data/cluster/kubectl-no-server.stderr'
            Set-Content -LiteralPath (Join-Path $dir 'kubectl') -Value "#!/bin/sh`n/bin/cat '$recorded' >&2`nexit 1"
            & chmod +x (Join-Path $dir 'kubectl')
            $dir
        }
        $config = Join-Path $TestDrive 'no-server.conf'
        Set-Content -LiteralPath $config -Value "apiVersion: v1`nkind: Config"
        $savedPath = $env:PATH; $env:PATH = $kubectlDir
        # No server in the kubeconfig: kubectl tries localhost:8080 (loopback), and client-go logs each retry.
        try { $thrown = { Get-FlannelNode -Kubeconfig $config } | Should -Throw -ErrorId 'KubectlFailed,FlannelTools.Commands.GetFlannelNodeCommand' -PassThru }
        finally { $env:PATH = $savedPath }

        $thrown.Exception.Message | Should -Not -Match 'memcache\.go'
        $thrown.Exception.Message | Should -BeLike '*exit code 1: The connection to the server localhost:8080 was refused - did you specify the right host or port? (*'
        $thrown.ErrorDetails.Message | Should -Be $thrown.Exception.Message
        $thrown.ErrorDetails.RecommendedAction | Should -Match 'memcache\.go:\d+\] .*connection refused'
        $thrown.Exception.ExitCode | Should -Be 1
    }

    It 'reports kubectl''s message about a context that does not exist' {
        $env:FLANNEL_LAB_KUBECTL_FAIL = '1'

        $thrown = { Get-FlannelNode -Context 'nope' } | Should -Throw -ErrorId 'KubectlFailed,FlannelTools.Commands.GetFlannelNodeCommand' -PassThru

        $thrown.Exception.Message | Should -BeLike '*error: context "nope" does not exist*'
    }

    It 'stops with KubectlNotFound when kubectl is not installed' {
        # NativeCommand looks for kubectl in PATH only; to be sure, wherever kubectl is installed, each folder
        # that holds it (a system folder such as /usr/bin too) is covered, in a mount namespace of a child process, by
        # an overlay whose upper layer has a whiteout for kubectl: the child sees the folder without kubectl, as after
        # kubectl was removed. The child first checks that no kubectl is left to find.
        $systemFolders = @('/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin')
        $searched = @($savedEnvironment['PATH'] -split [IO.Path]::PathSeparator | Where-Object { $_ }) + $systemFolders
        $hide = @($searched | Where-Object { Get-Item -LiteralPath (Join-Path $_ 'kubectl') -Force -ErrorAction SilentlyContinue } |
                ForEach-Object { & realpath -- $_ } | Sort-Object -Unique)
        if ($hide -and ((& id -u) -ne '0' -or -not (Get-Command unshare -ErrorAction SilentlyContinue))) {
            Set-ItResult -Skipped -Because "kubectl is installed ($($hide -join ', ')) and hiding it needs root and unshare"; return
        }
        $pwshArguments = @([Environment]::GetCommandLineArgs()[0]) | Where-Object { $_ -like '*.dll' }
        $probe = "Import-Module '$RepoRoot/FlannelTools.psd1'; try { Get-FlannelNode; 'no error' } catch { `$_.FullyQualifiedErrorId; `$_.Exception.Message }"
        $childPath = $savedEnvironment['PATH']
        $hideAndRun = @'
top=$(mktemp -d) && mount -t tmpfs -o size=1m flannel-test "$top" || exit 97
i=0
for d in "$@"; do
    i=$((i + 1))
    mkdir "$top/upper$i" "$top/work$i" && mknod "$top/upper$i/kubectl" c 0 0 &&
        mount -t overlay flannel-test -o "lowerdir=$d,upperdir=$top/upper$i,workdir=$top/work$i" "$d" || exit 97
done
if command -v kubectl; then echo 'kubectl is still in PATH'; exit 98; fi
for d in /usr/local/sbin /usr/local/bin /usr/sbin /usr/bin /sbin /bin; do
    if [ -e "$d/kubectl" ] || [ -L "$d/kubectl" ]; then echo "kubectl is still in $d"; exit 98; fi
done
exec "$FT_HOST" $FT_DLL -NoProfile -NonInteractive -Command "$FT_PROBE"
'@
        $env:FT_HOST = [Environment]::ProcessPath; $env:FT_DLL = "$pwshArguments"; $env:FT_PROBE = $probe
        $savedPath = $env:PATH; $env:PATH = $childPath
        try {
            $output = if ($hide) { & unshare --mount --propagation private /bin/sh -c $hideAndRun sh @hide 2>&1 } else { & /bin/sh -c $hideAndRun sh 2>&1 }
        }
        finally { $env:PATH = $savedPath; $env:FT_HOST = $env:FT_DLL = $env:FT_PROBE = $null }

        $LASTEXITCODE | Should -Be 0 -Because "the child ran: $output"
        $output[0] | Should -Be 'KubectlNotFound,FlannelTools.Commands.GetFlannelNodeCommand'
        $output[1] | Should -BeLike 'kubectl was not found*Get-FlannelNode -Path nodes.json*'
    }

    It 'finds kubectl through PATH only: a PATH without it is KubectlNotFound, whatever /usr/bin holds' {
        $noKubectl = (New-Item -ItemType Directory -Path (Join-Path $TestDrive 'no-kubectl-here') -Force).FullName
        $savedPath = $env:PATH; $env:PATH = $noKubectl
        try {
            $thrown = { Get-FlannelNode } | Should -Throw -ErrorId 'KubectlNotFound,FlannelTools.Commands.GetFlannelNodeCommand' -PassThru
            # ip and bridge keep their fallback to the system folders (/usr/sbin, /sbin), often outside a user's PATH.
            $null = Get-FlannelFdb -ErrorVariable fdbErrors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        }
        finally { $env:PATH = $savedPath }

        $thrown.Exception.Message | Should -BeLike 'kubectl was not found on PATH. Install kubectl*'
        @($fdbErrors | Where-Object FullyQualifiedErrorId -like 'IprouteNotFound,*') | Should -BeNullOrEmpty
    }

    It 'reads kubectl''s output piped in line by line' {
        $nodes = kubectl get nodes -o json | Get-FlannelNode

        $nodes.Name | Should -Be @('master', 'node1', 'node2')
        $nodes.VtepMac | Should -Be @($WalkthroughMacs.master, $WalkthroughMacs.node1, $WalkthroughMacs.node2)
    }
}

Describe 'Get-FlannelNode -Path and -LiteralPath' {
    It 'reads a saved kubectl get nodes -o json' {
        $nodes = Get-FlannelNode -Path (Get-ClusterData 'nodes-healthy.json')

        $nodes.Name | Should -Be @('master', 'node1', 'node2')
        $node1 = $nodes | Where-Object Name -eq 'node1'
        $node1.PodCidr | Should -Be '10.244.1.0/24'
        $node1.PublicAddress | Should -Be '192.168.0.12'
        $node1.VtepMac | Should -Be '32:73:d8:d1:e9:78'
        $node1.Vni | Should -Be 1
        $node1.Ready | Should -BeTrue
    }

    It 'expands wildcards in -Path' {
        (Get-FlannelNode -Path (Get-ClusterData 'node?.json')).Name | Should -Be 'node2'
    }

    It 'reads files piped from Get-ChildItem and Get-Item' {
        (Get-ChildItem (Get-ClusterData 'node2.json') | Get-FlannelNode).Name | Should -Be 'node2'
        (Get-Item (Get-ClusterData 'node2.json') | Select-Object PSPath | Get-FlannelNode).Name | Should -Be 'node2'
    }

    It 'takes -LiteralPath as written and binds it by the PSPath property name' {
        $file = Join-Path $TestDrive 'nodes[1].json'
        Copy-Item -LiteralPath (Get-ClusterData 'node2.json') -Destination $file

        (Get-FlannelNode -LiteralPath $file).Name | Should -Be 'node2'
        ([pscustomobject]@{ PSPath = $file } | Get-FlannelNode -Name node2).Name | Should -Be 'node2'
    }

    It 'writes InvalidNodeJson for a file that is not a node document and reads the others' {
        $bad = Join-Path $TestDrive 'get-nodes.txt'
        Set-Content -LiteralPath $bad -Value 'NAME     STATUS   ROLES    AGE   VERSION'

        $nodes = Get-FlannelNode -Path $bad, (Get-ClusterData 'node2.json') -ErrorVariable errors -ErrorAction SilentlyContinue

        $nodes.Name | Should -Be 'node2'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidNodeJson,*'
        $errors[0].TargetObject | Should -Be $bad
    }

    It 'writes PathNotFound for a file that does not exist' {
        $null = Get-FlannelNode -Path (Join-Path $TestDrive 'missing.json') -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound,*'
    }
}

Describe 'Get-FlannelNode -InputObject' {
    It 'collects lines from Get-Content and reads them at the end' {
        $nodes = Get-Content (Get-ClusterData 'nodes-dual-stack.json') | Get-FlannelNode

        $nodes.Name | Should -Be @('master', 'node1', 'node2')
        ($nodes | Where-Object Name -eq 'node2').PodCidrs | Should -Be @('10.244.2.0/24', 'fd10:244:2::/64')
        ($nodes | Where-Object Name -eq 'node2').VtepMacV6 | Should -Be '02:f1:a6:00:00:0d'
    }

    It 'reads JSON text given as one string or as an array of lines' {
        (Get-Content (Get-ClusterData 'nodes-healthy.json') -Raw | Get-FlannelNode).Count | Should -Be 3
        (Get-FlannelNode -InputObject (Get-Content (Get-ClusterData 'nodes-healthy.json'))).Count | Should -Be 3
    }

    It 'reads documents piped one after the other' {
        $nodes = Get-Content (Get-ClusterData 'node2.json'), (Get-ClusterData 'nodes-healthy.json') -Raw | Get-FlannelNode

        $nodes.Name | Should -Be @('node2', 'master', 'node1', 'node2')
    }

    It 'reads the objects ConvertFrom-Json made of <Shape>' -TestCases @(
        @{ Shape = 'the List'; Make = { Get-Content $args[0] -Raw | ConvertFrom-Json } }
        @{ Shape = 'the List''s items'; Make = { (Get-Content $args[0] -Raw | ConvertFrom-Json).items } }
        @{ Shape = 'the List with -AsHashtable'; Make = { Get-Content $args[0] -Raw | ConvertFrom-Json -AsHashtable } }
    ) {
        $objects = & $Make (Get-ClusterData 'nodes-healthy.json')

        $nodes = $objects | Get-FlannelNode

        $nodes.Name | Should -Be @('master', 'node1', 'node2')
        $nodes.VtepMac | Should -Be @($WalkthroughMacs.master, $WalkthroughMacs.node1, $WalkthroughMacs.node2)
        $nodes.Ready | Should -Be @($true, $true, $true)
        ($nodes | Where-Object Name -eq 'node1').Annotations['flannel.alpha.coreos.com/public-ip'] | Should -Be '192.168.0.12'
    }

    It 'writes InvalidNodeJson for an object that is not a node and still returns the nodes' {
        $node = Get-Content (Get-ClusterData 'node2.json') -Raw | ConvertFrom-Json
        $pod = [pscustomobject]@{ kind = 'Pod'; metadata = [pscustomobject]@{ name = 'web' } }

        $nodes = $pod, $node | Get-FlannelNode -ErrorVariable errors -ErrorAction SilentlyContinue

        $nodes.Name | Should -Be 'node2'
        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidNodeJson,*'
        $errors[0].Exception.Message | Should -BeLike "*a 'Pod', not a Node*"
    }

    It 'writes InvalidNodeJson for text that is not JSON' {
        $null = 'NAME STATUS', 'node1 Ready' | Get-FlannelNode -ErrorVariable errors -ErrorAction SilentlyContinue

        $errors.Count | Should -Be 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'InvalidNodeJson,*'
        $errors[0].Exception.Message | Should -BeLike 'The input: Not valid JSON at line 1*'
    }
}

Describe 'Get-FlannelNode annotations' {
    It 'returns a node without flannel annotations with empty fields and a warning naming it' {
        $nodes = Get-FlannelNode -Path (Get-ClusterData 'nodes-without-annotations.json') -WarningVariable warnings -WarningAction SilentlyContinue

        $nodes.Name | Should -Be @('master', 'node1', 'node2', 'node3')
        $node3 = $nodes | Where-Object Name -eq 'node3'
        $node3.VtepMac | Should -BeNullOrEmpty
        $node3.PublicAddress | Should -BeNullOrEmpty
        $node3.Vni | Should -BeNullOrEmpty
        $node3.Ready | Should -BeFalse
        $node3.Annotations.Count | Should -Be 0
        $node3.PodCidr | Should -Be '10.244.3.0/24'
        $warnings.Count | Should -Be 1
        "$($warnings[0])" | Should -BeLike '*nodes-without-annotations.json: Node ''node3'' has no flannel annotations*'
    }

    It 'warns only about the nodes -Name keeps' {
        $null = Get-FlannelNode -Path (Get-ClusterData 'nodes-without-annotations.json') -Name node1 -WarningVariable warnings -WarningAction SilentlyContinue

        $warnings.Count | Should -Be 0
    }

    It 'leaves Vni empty when older flannel wrote only the VtepMAC' {
        $nodes = Get-FlannelNode -Path (Get-ClusterData 'nodes-old-backend-data.json') -WarningVariable warnings

        $nodes.Count | Should -Be 3
        foreach ($node in $nodes) { $node.Vni | Should -BeNullOrEmpty }
        $nodes.VtepMac | Should -Be @($WalkthroughMacs.master, $WalkthroughMacs.node1, $WalkthroughMacs.node2)
        $warnings.Count | Should -Be 0
    }

    It 'gives public-ip as it stands and public-ip-overwrite beside it' {
        $node2 = Get-FlannelNode -Path (Get-ClusterData 'nodes-public-ip-overwrite.json') -Name node2

        $node2.PublicAddress | Should -Be '203.0.113.13'
        $node2.PublicAddressOverwrite | Should -Be '203.0.113.13'
        $node2.InternalAddress | Should -Be '192.168.0.13'
    }

    It 'reads the annotations of flannel run with --kube-annotation-prefix given as -AnnotationPrefix' {
        $nodes = Get-FlannelNode -Path (Get-ClusterData 'nodes-custom-prefix.json') -AnnotationPrefix 'example.com/net' -WarningVariable warnings

        $nodes.VtepMac | Should -Be @($WalkthroughMacs.master, $WalkthroughMacs.node1, $WalkthroughMacs.node2)
        @($nodes[0].Annotations.Keys) | Should -Contain 'example.com/net-backend-data'
        $warnings.Count | Should -Be 0
    }

    It 'stops with InvalidAnnotationPrefix for a prefix flannel would not accept' {
        { Get-FlannelNode -Path (Get-ClusterData 'node2.json') -AnnotationPrefix 'Example/net' } | Should -Throw -ErrorId 'InvalidAnnotationPrefix,FlannelTools.Commands.GetFlannelNodeCommand'
    }

    It 'warns about each annotation that does not parse, naming the node' {
        $nodes = Get-FlannelNode -Path (Get-ClusterData 'nodes-malformed-annotations.json') -WarningVariable warnings -WarningAction SilentlyContinue

        $nodes.Count | Should -Be 3
        $warnings.Count | Should -Be 4
        ($warnings | Where-Object { "$_" -like '*''node2''*VtepMAC ''ee:81:17:b0:fd''*' }) | Should -Not -BeNullOrEmpty
    }
}

Describe 'FlannelNode across processes' {
    BeforeAll {
        $nodes = Get-FlannelNode -Path (Get-ClusterData 'nodes-dual-stack.json')
        $propertyNames = ([FlannelTools.FlannelNode].GetProperties().Name)

        # A parameter as Test-FlannelNode -Node declares it.
        function Get-TransformedNode {
            param([FlannelTools.Commands.FlannelNodeTransformation()] [FlannelTools.FlannelNode[]] $Node)
            , $Node
        }

        function Assert-SameNode($Actual, $Expected) {
            foreach ($name in $propertyNames | Where-Object { $_ -notin 'Annotations', 'PodCidrs' }) {
                $Actual.$name | Should -Be $Expected.$name -Because "$name survives"
            }
            @($Actual.PodCidrs) | Should -Be @($Expected.PodCidrs)
            foreach ($key in $Expected.Annotations.Keys) { $Actual.Annotations[$key] | Should -Be $Expected.Annotations[$key] }
            @($Actual.Annotations.Keys).Count | Should -Be @($Expected.Annotations.Keys).Count
        }
    }

    It 'survives Export-Clixml and Import-Clixml with its values, and keeps its table view' {
        $file = Join-Path $TestDrive 'nodes.xml'
        $nodes | Export-Clixml -LiteralPath $file

        $back = Import-Clixml -LiteralPath $file

        $back.Count | Should -Be 3
        $back[0].PSObject.TypeNames | Should -Contain 'Deserialized.FlannelTools.FlannelNode'
        for ($i = 0; $i -lt 3; $i++) { Assert-SameNode $back[$i] $nodes[$i] }
        $table = $back | Format-Table | Out-String -Width 120
        $table | Should -Match 'Name\s+PodCidr\s+PublicAddress\s+VtepMac\s+Vni\s+Ready'
        $table | Should -Match 'node2\s+10\.244\.2\.0/24\s+192\.168\.0\.13\s+ee:81:17:b0:fd:7b\s+1\s+True'
    }

    It 'converts to JSON as flat text, numbers and booleans: the properties and the annotations, nothing else' {
        $json = $nodes[2] | ConvertTo-Json | ConvertFrom-Json -AsHashtable

        @($json.Keys | Sort-Object) | Should -Be @($propertyNames | Sort-Object)
        $json.VtepMac | Should -Be 'ee:81:17:b0:fd:7b'
        $json.Vni | Should -Be 1
        $json.Ready | Should -BeTrue
        $json.PublicAddressOverwrite | Should -BeNullOrEmpty
        $json.PodCidrs | Should -Be @('10.244.2.0/24', 'fd10:244:2::/64')
        @($json.Annotations.Keys | Sort-Object) | Should -Be @($nodes[2].Annotations.Keys)
        foreach ($value in $json.Annotations.Values) { $value | Should -BeOfType ([string]) }
    }

    It 'becomes a FlannelNode again through FlannelNodeTransformation after <Case>' -TestCases @(
        @{ Case = 'PSSerializer at depth 1 (remoting)'; RoundTrip = { [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($args[0], 1)) } }
        @{ Case = 'Export-Clixml'; RoundTrip = { $f = Join-Path $TestDrive 't.xml'; $args[0] | Export-Clixml -LiteralPath $f; Import-Clixml -LiteralPath $f } }
    ) {
        $deserialized = & $RoundTrip $nodes
        @($deserialized)[0] | Should -Not -BeOfType ([FlannelTools.FlannelNode])

        $rebuilt = Get-TransformedNode -Node $deserialized

        $rebuilt.Count | Should -Be 3
        for ($i = 0; $i -lt 3; $i++) {
            $rebuilt[$i] | Should -BeOfType ([FlannelTools.FlannelNode])
            Assert-SameNode $rebuilt[$i] $nodes[$i]
        }
        @($rebuilt[0].Annotations.Keys) | Should -Be @($nodes[0].Annotations.Keys) -Because 'the annotations come back sorted by name'
    }

    It 'rebuilds a single deserialized node, and leaves live nodes as they are' {
        $one = [System.Management.Automation.PSSerializer]::Deserialize([System.Management.Automation.PSSerializer]::Serialize($nodes[1], 1))

        $single = Get-TransformedNode -Node $one
        $live = Get-TransformedNode -Node $nodes

        $single.Count | Should -Be 1
        $single[0] | Should -BeOfType ([FlannelTools.FlannelNode])
        $single[0].Name | Should -Be 'node1'
        $single[0].VtepMac | Should -Be $WalkthroughMacs.node1
        [object]::ReferenceEquals($live[0], $nodes[0]) | Should -BeTrue
    }
}

Describe 'Get-FlannelNode on a real lab' {
    BeforeAll {
        $labPrefix = 'gfn' + (Get-Random -Minimum 10000 -Maximum 99999)
        $labState = Join-Path $TestDrive 'lab-state'
        $labSkipReason = $null
        $labUp = $false
        $reason = if (-not $IsLinux) { 'the lab needs Linux network namespaces' }
        elseif ((& id -u) -ne '0') { 'the lab needs root (network namespaces)' }
        if (-not $reason) {
            $labOutput = & bash $LabScript up --prefix $labPrefix --out $labState 2>&1
            $labUp = $LASTEXITCODE -eq 0
            if (-not $labUp) { $reason = "lab.sh up failed: $(($labOutput | Select-Object -Last 3) -join ' ')" }
        }
        if ($reason) {
            if ($env:CI) { throw "The lab could not start (CI is set, so this fails): $reason" }
            $labSkipReason = $reason
        }
        else {
            $null = & bash $LabScript state --prefix $labPrefix --out $labState 2>&1
            $lab = Get-Content (Join-Path $labState 'lab.json') -Raw | ConvertFrom-Json
        }
    }

    AfterAll {
        if ($labUp) { $null = & bash $LabScript down --prefix $labPrefix 2>&1 }
    }

    It 'announces for each node the MAC its VTEP device really has' {
        if ($labSkipReason) { Set-ItResult -Skipped -Because $labSkipReason; return }
        # Each VTEP gets a MAC the lab never chose, as the kernel gives a new device a random one; the lab then reads
        # its nodes again. The kernel's MAC is read from sysfs in the node's namespace, not through iproute2 as the
        # lab reads it, and compared with what Get-FlannelNode and the raw annotation say.
        $kernelMac = @{}
        foreach ($labNode in $lab.nodeList) {
            $mac = '02:' + ((1..5 | ForEach-Object { '{0:x2}' -f (Get-Random -Maximum 256) }) -join ':')
            & ip -n $labNode.namespace link set dev $lab.devices.vtep address $mac
            $LASTEXITCODE | Should -Be 0
            $kernelMac[$labNode.name] = "$(& ip netns exec $labNode.namespace cat "/sys/class/net/$($lab.devices.vtep)/address")".Trim()
            $kernelMac[$labNode.name] | Should -Be $mac -Because 'the kernel took the new MAC'
        }
        $newState = Join-Path $TestDrive 'lab-state-new-macs'
        $null = & bash $LabScript state --prefix $labPrefix --out $newState 2>&1
        $LASTEXITCODE | Should -Be 0
        $document = Get-Content (Join-Path $newState 'nodes.json') -Raw | ConvertFrom-Json

        $nodes = Get-FlannelNode -Path (Join-Path $newState 'nodes.json')

        $nodes.Count | Should -Be $lab.nodeList.Count
        foreach ($node in $nodes) {
            $node.VtepMac | Should -Be $kernelMac[$node.Name] -Because "$($node.Name)'s $($lab.devices.vtep) has that MAC in sysfs"
            $annotation = ($document.items | Where-Object { $_.metadata.name -eq $node.Name }).metadata.annotations.'flannel.alpha.coreos.com/backend-data' | ConvertFrom-Json
            $annotation.VtepMAC | Should -Be $kernelMac[$node.Name] -Because 'the annotation announces the MAC the kernel has'
            $node.Vni | Should -Be $lab.vni
            $node.PublicAddress | Should -Be ($lab.nodeList | Where-Object name -eq $node.Name).ip
        }
    }

    It 'reads the same nodes through the lab''s kubectl' {
        if ($labSkipReason) { Set-ItResult -Skipped -Because $labSkipReason; return }
        $savedPath = $env:PATH; $savedNodes = $env:FLANNEL_LAB_NODES
        $env:PATH = $LabDir + [IO.Path]::PathSeparator + $env:PATH; $env:FLANNEL_LAB_NODES = $labState
        try { $fromKubectl = Get-FlannelNode } finally { $env:PATH = $savedPath; $env:FLANNEL_LAB_NODES = $savedNodes }

        $fromFile = Get-FlannelNode -Path (Join-Path $labState 'nodes.json')
        $fromKubectl.VtepMac | Should -Be $fromFile.VtepMac
        $fromKubectl.Name | Should -Be $fromFile.Name
    }
}
