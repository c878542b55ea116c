# The module's contract: the output types' property names and types, and the cmdlets the manifest exports.
# The tables below are typed out from issue 2, not generated: renaming, retyping, adding or removing a property or a
# cmdlet fails here until the table is changed with it, deliberately.

BeforeDiscovery {
    # The tables name the module's own types (node state), so the module is loaded before they are read.
    Import-Module (Join-Path $PSScriptRoot ../../FlannelTools.psd1) -Force
    # Output type -> its public properties, in the issue's order. A cmdlet's [OutputType] must have a table here.
    $Contract = [ordered]@{
        'FlannelTools.VxlanFrame' = [ordered]@{
            Path                    = [string]
            FrameNumber             = [long]
            Timestamp               = [string]           # ISO 8601 text, UTC, with the capture's fraction of a second
            Length                  = [int]
            CapturedLength          = [int]
            IsTruncated             = [bool]
            OuterSourceMac          = [string]
            OuterDestinationMac     = [string]
            OuterSourceAddress      = [string]
            OuterDestinationAddress = [string]
            OuterSourcePort         = [int]
            OuterDestinationPort    = [int]
            OuterVlan               = [Nullable[int]]
            Vni                     = [Nullable[int]]
            InnerSourceMac          = [string]
            InnerDestinationMac     = [string]
            InnerEtherType          = [Nullable[int]]
            InnerSourceAddress      = [string]
            InnerDestinationAddress = [string]
            InnerProtocol           = [string]
            InnerSourcePort         = [Nullable[int]]
            InnerDestinationPort    = [Nullable[int]]
            TcpFlags                = [string]
            Info                    = [string]
        }
        # Get-VxlanConversation (the mission's conversation table); A is the side that sent the first frame
        'FlannelTools.VxlanConversation' = [ordered]@{
            Path                    = [string]
            Vni                     = [Nullable[int]]
            InnerProtocol           = [string]           # null when the inner packets are not IP, as on a frame
            InnerEtherType          = [Nullable[int]]    # the key of a non-IP conversation; null for IP
            InnerSourceAddress      = [string]           # A
            InnerSourcePort         = [Nullable[int]]
            InnerDestinationAddress = [string]           # B
            InnerDestinationPort    = [Nullable[int]]
            OuterSourceAddress      = [string]           # of the first frame from A to B
            OuterDestinationAddress = [string]
            OuterDestinationPort    = [int]
            FramesAToB              = [long]
            FramesBToA              = [long]
            BytesAToB               = [long]             # on the wire
            BytesBToA               = [long]
            FirstFrame              = [long]
            LastFrame               = [long]
            Start                   = [string]           # text as a frame's Timestamp
            'End'                   = [string]   # quoted: a bare End is a script block's keyword
            Duration                = [double]           # seconds
            InnerSourceMacs         = [FlannelTools.TextList]   # text 'aa:..,bb:..' for Export-Csv
            InnerDestinationMacs    = [FlannelTools.TextList]
            TcpFlagsSeen            = [string]
            Summary                 = [string]
        }
        # issue 6
        'FlannelTools.FlannelNode' = [ordered]@{
            Name                   = [string]
            PodCidr                = [string]
            PodCidrs               = [string[]]
            InternalAddress        = [string]
            PublicAddress          = [string]           # the public-ip annotation as it stands
            PublicAddressOverwrite = [string]
            PublicAddressV6        = [string]
            BackendType            = [string]
            VtepMac                = [string]
            VtepMacV6              = [string]
            Vni                    = [Nullable[int]]    # null when backend-data has no VNI (older flannel)
            KubeSubnetManager      = [bool]
            Ready                  = [Nullable[bool]]   # null when the node has no Ready condition
            NetworkUnavailable     = [Nullable[bool]]   # issue 11: null when the node has no NetworkUnavailable condition
            Annotations            = [System.Collections.Specialized.OrderedDictionary]   # the raw flannel annotations, by name
        }
        # issue 9: Get-FlannelNetConf
        'FlannelTools.FlannelNetConf' = [ordered]@{
            Network        = [string]
            IPv6Network    = [string]
            EnableIPv4     = [bool]                     # true unless net-conf.json says false
            EnableIPv6     = [bool]
            EnableNFTables = [bool]
            BackendType    = [string]                   # udp when net-conf.json has no Backend, as flannel takes it
            Vni            = [int]                      # 1 when not set
            Port           = [int]                      # as written; 0 when not set
            EffectivePort  = [int]                      # Port, or 8472 when it is 0
            Mtu            = [Nullable[int]]            # Backend.MTU, the outer MTU; null when not set
            Gbp            = [bool]
            Learning       = [bool]
            DirectRouting  = [bool]
            Source         = [string]                   # a file, or configmap NAMESPACE/NAME
        }
        # issue 6: Test-FlannelNode
        'FlannelTools.Finding' = [ordered]@{
            Check     = [string]
            Severity  = [string]    # Error, Warning, Information (passed), Unknown (could not look): text, so it compares as a word after remoting and in CSV
            Node      = [string]    # the remote node concerned (the node itself for its VTEP)
            Expected  = [string]
            Actual    = [string]
            Message   = [string]
            Remedy    = [string]    # ip neigh replace / bridge fdb replace / bridge fdb del …, to run on LocalNode
            LocalNode = [string]    # the node whose tables were checked; null for Test-FlannelCluster's findings about the cluster
            Capture   = [FlannelTools.TextList]    # the capture files whose frames prove it (Test-VxlanCapture); empty otherwise
            Id        = [string]    # issue 11: LOCALNODE/CHECK/NODE, cluster/CHECK/…: what a NodePair's FindingIds name
            AffectedNodes = [FlannelTools.TextList]   # issue 11: the nodes a roll-up concerns; empty otherwise
        }
        # issue 11: Test-FlannelCluster -Matrix, one ordered pair and family; the parts are words, as Finding.Severity
        'FlannelTools.NodePair' = [ordered]@{
            From       = [string]
            To         = [string]
            Family     = [string]                   # IPv4, IPv6
            Route      = [string]                   # Passed, Failed, Unknown
            Neighbor   = [string]
            Fdb        = [string]
            PathMtu    = [string]
            Status     = [string]
            FindingIds = [FlannelTools.TextList]    # the Finding Ids behind a failure, the roll-up first
        }
        # issue 4: node state (the nested types too: Resolve-OverlayPath and Test-FlannelNode read them by name)
        'FlannelTools.FdbEntry' = [ordered]@{
            MacAddress  = [string]
            Destination = [string]
            Device      = [string]
            Flags       = [FlannelTools.TextList]    # text form 'self,permanent' for Export-Csv
            State       = [string]
            Vni         = [Nullable[int]]
            Port        = [Nullable[int]]
            Vlan        = [Nullable[int]]
            Via         = [string]
            Master      = [string]
            Source      = [string]
        }
        'FlannelTools.NodeState' = [ordered]@{
            Vtep             = [FlannelTools.Vtep]
            VtepV6           = [FlannelTools.Vtep]
            VxlanDevices     = [System.Collections.ObjectModel.ReadOnlyCollection[FlannelTools.Vtep]]
            Interfaces       = [System.Collections.ObjectModel.ReadOnlyCollection[FlannelTools.Interface]]
            Routes           = [System.Collections.ObjectModel.ReadOnlyCollection[FlannelTools.Route]]
            Neighbors        = [System.Collections.ObjectModel.ReadOnlyCollection[FlannelTools.Neighbor]]
            Fdb              = [System.Collections.ObjectModel.ReadOnlyCollection[FlannelTools.FdbEntry]]
            # issue 9, the host layer: each part null when not read (NotRead says why), never taken as empty
            Sysctls          = [System.Collections.ObjectModel.ReadOnlyCollection[FlannelTools.Sysctl]]
            FirewallChains   = [System.Collections.ObjectModel.ReadOnlyCollection[FlannelTools.FirewallChain]]
            FirewallRules    = [System.Collections.ObjectModel.ReadOnlyCollection[FlannelTools.FirewallRule]]
            FirewallSets     = [System.Collections.ObjectModel.ReadOnlyCollection[FlannelTools.FirewallSet]]
            FirewallBackends = [System.Collections.ObjectModel.ReadOnlyCollection[string]]
            Offloads         = [System.Collections.ObjectModel.ReadOnlyCollection[FlannelTools.Offload]]
            Counters         = [System.Collections.ObjectModel.ReadOnlyCollection[FlannelTools.NetCounter]]
            PreStackPrograms = [System.Collections.ObjectModel.ReadOnlyCollection[FlannelTools.PreStackProgram]]
            KernelRelease    = [string]
            SubnetEnv        = [FlannelTools.SubnetEnv]
            NetConf          = [FlannelTools.FlannelNetConf]
            ReadParts        = [FlannelTools.TextList]
            NotRead          = [System.Collections.ObjectModel.ReadOnlyCollection[FlannelTools.UnreadPart]]
            HostName         = [string]
            CollectedAt      = [Nullable[datetime]]
            Source           = [string]
        }
        'FlannelTools.Sysctl' = [ordered]@{
            Name   = [string]               # net.ipv4.conf.flannel/1.rp_filter: a device's dot as '/', as sysctl writes it
            Value  = [string]
            Source = [string]
        }
        'FlannelTools.FirewallChain' = [ordered]@{
            Backend  = [string]             # nftables, iptables-nft, iptables-legacy
            Family   = [string]
            Table    = [string]
            Name     = [string]
            'Type'   = [string]
            Hook     = [string]             # null for a regular chain
            Priority = [Nullable[int]]
            Policy   = [string]
            Device   = [string]
            Packets  = [Nullable[long]]
            Bytes    = [Nullable[long]]
            Source   = [string]
            IsBaseChain = [bool]
        }
        'FlannelTools.FirewallRule' = [ordered]@{
            Backend  = [string]
            Family   = [string]
            Table    = [string]
            Chain    = [string]
            Position = [int]
            Text     = [string]             # nft syntax, or the iptables-save line without [p:b]
            Handle   = [Nullable[long]]
            Comment  = [string]
            Packets  = [Nullable[long]]
            Bytes    = [Nullable[long]]
            Source   = [string]
        }
        'FlannelTools.FirewallSet' = [ordered]@{
            Backend  = [string]
            Family   = [string]
            Table    = [string]
            Name     = [string]
            'Type'   = [string]
            MapsTo   = [string]
            Flags    = [FlannelTools.TextList]
            Elements = [FlannelTools.TextList]
            Source   = [string]
        }
        'FlannelTools.Offload' = [ordered]@{
            Device  = [string]
            Feature = [string]              # ethtool -k's name: tx-checksum-ip-generic
            Enabled = [bool]
            Fixed   = [bool]
            Source  = [string]
        }
        'FlannelTools.NetCounter' = [ordered]@{
            Group  = [string]               # Udp, Udp6 (global, cumulative), link (per device)
            Device = [string]
            Name   = [string]
            Value  = [long]
            Source = [string]
        }
        'FlannelTools.PreStackProgram' = [ordered]@{
            Device  = [string]
            Kind    = [string]
            Program = [string]
            Source  = [string]
        }
        'FlannelTools.UnreadPart' = [ordered]@{
            Part   = [string]
            Reason = [string]
            Absent = [bool]                 # the thing is not there (a file), as opposed to a tool missing or refused
        }
        'FlannelTools.SubnetEnv' = [ordered]@{
            Path        = [string]
            Network     = [string]
            Subnet      = [string]          # FLANNEL_SUBNET as written: the subnet's first address, 10.244.1.1/24
            IPv6Network = [string]
            IPv6Subnet  = [string]
            Mtu         = [Nullable[int]]
            IpMasq      = [Nullable[bool]]
            Entries     = [FlannelTools.TextList]
            Source      = [string]
        }
        'FlannelTools.Vtep' = [ordered]@{
            Name           = [string]
            MacAddress     = [string]
            Mtu            = [Nullable[int]]
            Vni            = [Nullable[int]]
            Port           = [Nullable[int]]
            LocalAddress   = [string]
            UnderlayDevice = [string]
            Learning       = [Nullable[bool]]
            State          = [string]
            Source         = [string]
        }
        'FlannelTools.Interface' = [ordered]@{
            Index      = [Nullable[int]]
            Name       = [string]
            Kind       = [string]
            MacAddress = [string]
            Mtu        = [Nullable[int]]
            State      = [string]
            Flags      = [FlannelTools.TextList]
            Master     = [string]
            Addresses  = [FlannelTools.TextList]
            Source     = [string]
        }
        'FlannelTools.Route' = [ordered]@{
            Family          = [string]
            'Type'          = [string]   # quoted: a bare Type after a type literal does not parse
            Destination     = [string]
            Gateway         = [string]
            GatewayUnresolved = [bool]
            Device          = [string]
            Flags           = [FlannelTools.TextList]
            Metric          = [Nullable[int]]
            Scope           = [string]
            Protocol        = [string]
            PreferredSource = [string]
            Source          = [string]
        }
        'FlannelTools.Neighbor' = [ordered]@{
            Address    = [string]
            MacAddress = [string]
            Device     = [string]
            State      = [string]
            Flags      = [FlannelTools.TextList]
            Source     = [string]
        }
        # issue 5: the header fields carry VxlanFrame's names (and types, but nullable where a lookup can fail)
        'FlannelTools.OverlayPath' = [ordered]@{
            InnerSourceAddress      = [string]
            InnerDestinationAddress = [string]
            InnerSourceMac          = [string]
            InnerDestinationMac     = [string]
            OuterSourceAddress      = [string]
            OuterDestinationAddress = [string]
            OuterSourceMac          = [string]
            OuterDestinationMac     = [string]
            Vni                     = [Nullable[int]]
            OuterDestinationPort    = [Nullable[int]]
            EgressDevice            = [string]
            Kind                    = [string]                      # Overlay, LocalBridge, Direct, Underlay
            Status                  = [string]                      # Resolved, Incomplete
            FailedStep              = [FlannelTools.OverlayStep]         # null when Resolved
            Steps                   = [System.Collections.ObjectModel.ReadOnlyCollection[FlannelTools.OverlayStep]]
            Observed                = [Nullable[int]]                    # null without -Frame
            Mismatches              = [System.Collections.ObjectModel.ReadOnlyCollection[FlannelTools.OverlayMismatch]]
            HostName                = [string]
        }
        'FlannelTools.OverlayStep' = [ordered]@{
            Number      = [int]
            Table       = [string]    # route, neighbor, fdb, interface
            Entry       = [string]    # as ip / bridge print it
            Field       = [string]
            Value       = [string]
            Outcome     = [string]                       # Ok, Warning, Assumed, Failed
            Explanation = [string]
        }
        'FlannelTools.OverlayMismatch' = [ordered]@{
            Field            = [string]
            Predicted        = [string]
            Observed         = [string]
            Frames           = [int]
            FirstFrameNumber = [long]
        }
    }
    $typeCases = @(foreach ($typeName in $Contract.Keys) { @{ TypeName = $typeName; Expected = $Contract[$typeName] } })
}

BeforeAll {
    $ManifestPath = Join-Path $PSScriptRoot ../../FlannelTools.psd1
    Import-Module $ManifestPath -Force
    # the module's own manifest, which the package carries as it is
    $ModuleManifestPath = Join-Path $PSScriptRoot ../../src/FlannelTools/FlannelTools.psd1
    $Manifest = Import-PowerShellDataFile -LiteralPath $ModuleManifestPath
    $Assembly = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'FlannelTools' -and $_.Location })
    $Assembly.Count | Should -Be 1 -Because 'importing FlannelTools.psd1 loads FlannelTools.dll once'
    $Assembly = $Assembly[0]
    # The cmdlets compiled into the assembly: public, not abstract, with [Cmdlet].
    $CompiledCmdlets = @($Assembly.GetTypes() |
            Where-Object { $_.IsPublic -and -not $_.IsAbstract -and $_.IsDefined([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object {
                $attribute = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
                [pscustomobject]@{ Name = "$($attribute.VerbName)-$($attribute.NounName)"; Type = $_ }
            })
}

Describe 'Output type <TypeName>' -ForEach $typeCases {
    BeforeAll {
        $type = $Assembly.GetType($TypeName)
    }

    It 'is a public type of FlannelTools.dll' {
        $type | Should -Not -BeNullOrEmpty
        $type.IsPublic | Should -BeTrue
    }

    It 'has exactly the contract''s property names' {
        $actual = @($type.GetProperties([System.Reflection.BindingFlags]'Public, Instance').Name | Sort-Object -CaseSensitive)
        $actual -join ', ' | Should -BeExactly (@($Expected.Keys | Sort-Object -CaseSensitive) -join ', ')
    }

    It 'has the contract''s type for each property' {
        $wrong = foreach ($name in $Expected.Keys) {
            $property = $type.GetProperty($name)
            if ($property -and $property.PropertyType -ne $Expected[$name]) { "$name is $($property.PropertyType), not $($Expected[$name])" }
        }
        $wrong | Should -BeNullOrEmpty
    }

    It 'has readable properties only' {
        @($type.GetProperties([System.Reflection.BindingFlags]'Public, Instance') | Where-Object { -not $_.CanRead }).Name | Should -BeNullOrEmpty
    }
}

Describe 'Output types' -ForEach @(@{ ContractTypes = @($Contract.Keys) }) {
    It 'has a contract table for every [OutputType] of every cmdlet' {
        $declared = @($CompiledCmdlets.Type | ForEach-Object { $_.GetCustomAttributes([System.Management.Automation.OutputTypeAttribute], $true) } |
                ForEach-Object { $_.Type } | ForEach-Object { if ($_.Type) { $_.Type.FullName } else { $_.Name } } | Sort-Object -Unique)
        $declared | Should -Not -BeNullOrEmpty
        @($declared | Where-Object { $_ -cnotin $ContractTypes }) | Should -BeNullOrEmpty -Because 'each output type needs its property table in Contract.Tests.ps1'
    }
}

Describe 'Public surface' {
    # Typed out, not generated: the cmdlets, the transformation attributes users put on their own parameters, the
    # output types and the types of their properties. Parsers, readers, decoders and the like are internal; making a
    # type public (a promise to users) fails here until it is added to this list, deliberately.
    It 'exports exactly the cmdlets, their transformation attributes and the output types' {
        $expected = @(
            'FlannelTools.Commands.GetFlannelFdbCommand'
            'FlannelTools.Commands.GetFlannelNetConfCommand'
            'FlannelTools.Commands.GetFlannelNodeCommand'
            'FlannelTools.Commands.GetFlannelNodeStateCommand'
            'FlannelTools.Commands.GetVxlanConversationCommand'
            'FlannelTools.Commands.GetVxlanFrameCommand'
            'FlannelTools.Commands.ResolveOverlayPathCommand'
            'FlannelTools.Commands.TestFlannelNodeCommand'
            'FlannelTools.Commands.TestFlannelClusterCommand'
            'FlannelTools.Commands.TestVxlanCaptureCommand'
            # the cmdlets' base classes: a public cmdlet needs a public base
            'FlannelTools.Commands.FileCommand'
            'FlannelTools.Commands.CaptureFilterCommand'
            'FlannelTools.Commands.FlannelNetConfTransformationAttribute'
            'FlannelTools.Commands.FlannelNodeTransformationAttribute'
            'FlannelTools.Commands.NodeStateTransformationAttribute'
            'FlannelTools.VxlanFrame'
            'FlannelTools.VxlanConversation'
            'FlannelTools.TextList'
            'FlannelTools.FlannelNode'
            'FlannelTools.FlannelNetConf'
            'FlannelTools.Finding'
            'FlannelTools.NodePair'
            'FlannelTools.NodeState'
            'FlannelTools.Vtep'
            'FlannelTools.Interface'
            'FlannelTools.Route'
            'FlannelTools.Neighbor'
            'FlannelTools.FdbEntry'
            'FlannelTools.Sysctl'
            'FlannelTools.FirewallChain'
            'FlannelTools.FirewallRule'
            'FlannelTools.FirewallSet'
            'FlannelTools.Offload'
            'FlannelTools.NetCounter'
            'FlannelTools.PreStackProgram'
            'FlannelTools.SubnetEnv'
            'FlannelTools.UnreadPart'
            'FlannelTools.OverlayPath'
            'FlannelTools.OverlayStep'
            'FlannelTools.OverlayMismatch'
        )
        @($Assembly.GetExportedTypes().FullName | Sort-Object -CaseSensitive) -join "`n" |
            Should -BeExactly (@($expected | Sort-Object -CaseSensitive) -join "`n")
    }

}

Describe 'Module manifest' {
    It 'exports each cmdlet by name, without wildcards' {
        $Manifest.CmdletsToExport | Should -Not -BeNullOrEmpty
        @($Manifest.CmdletsToExport | Where-Object { [System.Management.Automation.WildcardPattern]::ContainsWildcardCharacters($_) }) | Should -BeNullOrEmpty
    }

    It 'exports exactly the cmdlets compiled into FlannelTools.dll' {
        @($Manifest.CmdletsToExport | Sort-Object) -join ', ' | Should -BeExactly (@($CompiledCmdlets.Name | Sort-Object) -join ', ')
    }

    It 'makes exactly those cmdlets available on import' {
        @((Get-Module FlannelTools).ExportedCmdlets.Keys | Sort-Object) -join ', ' | Should -BeExactly (@($CompiledCmdlets.Name | Sort-Object) -join ', ')
    }

    It 'declares FormatsToProcess and TypesToProcess, and their files exist beside the manifest in src and in the package' {
        foreach ($root in (Split-Path -Parent $ModuleManifestPath), (Join-Path $PSScriptRoot ../../out/FlannelTools)) {
            foreach ($key in 'FormatsToProcess', 'TypesToProcess') {
                $Manifest[$key] | Should -Not -BeNullOrEmpty -Because "the manifest declares $key"
                foreach ($file in $Manifest[$key]) { Join-Path $root $file | Should -Exist }
            }
        }
    }
}
