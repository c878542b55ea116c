# Shared by the Pester tests: the tshark oracle, and where the test data lives.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path

function Get-RepoRoot { $script:RepoRoot }

function Get-TestDataPath([string] $Name) { Join-Path $script:RepoRoot "tests/data/$Name" }

<#
.SYNOPSIS
    What tshark decodes from a capture, frame by frame, in VxlanFrame's property names: the correctness oracle.
.DESCRIPTION
    tshark is told that the given UDP ports are VXLAN and not to reassemble IP fragments. A field that a frame
    has more than once (two Ethernet headers, two IP headers) is split into outer and inner by where it stands
    in frame.protocols relative to 'vxlan'.
#>
function Get-TsharkVxlanFrame {
    param(
        [Parameter(Mandatory)] [string] $Path,
        [int[]] $Port = @(8472, 4789)
    )
    $fields = 'frame.number', 'frame.protocols', 'eth.src', 'eth.dst', 'sll.src.eth', 'ip.src', 'ip.dst', 'ipv6.src', 'ipv6.dst',
        'udp.srcport', 'udp.dstport', 'tcp.srcport', 'tcp.dstport', 'vxlan.vni', 'vlan.id', 'ieee8021ad.id'
    $arguments = @('-r', $Path, '-n', '-o', 'ip.defragment:FALSE', '-o', 'ipv6.defragment:FALSE')
    foreach ($p in $Port) { $arguments += @('-d', "udp.port==$p,vxlan") }
    $arguments += @('-Y', 'vxlan', '-T', 'fields', '-E', 'separator=/t', '-E', 'occurrence=a', '-E', 'aggregator=,')
    foreach ($f in $fields) { $arguments += @('-e', $f) }
    $lines = & tshark @arguments 2>$null
    if ($LASTEXITCODE -ne 0) { throw "tshark failed on $Path (exit $LASTEXITCODE)" }
    foreach ($line in $lines) {
        $v = @{}
        $columns = $line -split "`t"
        for ($i = 0; $i -lt $fields.Count; $i++) {
            # [string[]] keeps a single occurrence an array (an if-statement's output would unroll it to a string)
            $v[$fields[$i]] = [string[]]$(if ($i -lt $columns.Count -and $columns[$i] -ne '') { $columns[$i] -split ',' })
        }
        $layers = @($v['frame.protocols'][0] -split ':')
        $vxlanAt = [array]::IndexOf($layers, 'vxlan')
        # absolute occurrence index (among the named layers) of the first one before (outer) or after (inner) vxlan
        $nth = {
            param([string[]] $names, [bool] $inner)
            $count = 0
            for ($i = 0; $i -lt $layers.Count; $i++) {
                if ($layers[$i] -in $names) {
                    if (($i -gt $vxlanAt) -eq $inner) { return @{ Index = $count; Layer = $layers[$i]; Position = $i } }
                    $count++
                }
            }
            $null
        }
        $pick = { param([string] $field, $occurrence) if ($null -ne $occurrence -and $occurrence.Index -lt $v[$field].Count) { $v[$field][$occurrence.Index] } }
        $outerEth = & $nth @('eth') $false
        $innerEth = & $nth @('eth') $true
        $outerIp = & $nth @('ip', 'ipv6') $false
        $innerIp = & $nth @('ip', 'ipv6') $true
        $ipIndex = { param($o) if ($o) { & $nth @($o.Layer) ($o.Position -gt $vxlanAt) } }
        $outerIpOfKind = & $ipIndex $outerIp
        $innerIpOfKind = & $ipIndex $innerIp
        $outerUdp = & $nth @('udp') $false
        # inner ports only when TCP/UDP follows the inner IP header directly (not a header quoted by ICMP)
        $innerL4 = if ($innerIp -and $innerIp.Position + 1 -lt $layers.Count -and $layers[$innerIp.Position + 1] -in 'tcp', 'udp') { & $nth @($layers[$innerIp.Position + 1]) $true }
        # the outermost tag: an 802.1ad S-tag is its own layer in Wireshark, an 802.1Q tag is 'vlan'
        $outerTag = & $nth @('vlan', 'ieee8021ad') $false
        $vlan = if ($outerTag) { & $nth @($outerTag.Layer) $false }
        [pscustomobject]@{
            FrameNumber             = [long]$v['frame.number'][0]
            OuterSourceMac          = if ($outerEth) { & $pick 'eth.src' $outerEth } elseif ($v['sll.src.eth'].Count) { $v['sll.src.eth'][0] }
            OuterDestinationMac     = & $pick 'eth.dst' $outerEth
            OuterSourceAddress      = & $pick "$($outerIp.Layer).src" $outerIpOfKind
            OuterDestinationAddress = & $pick "$($outerIp.Layer).dst" $outerIpOfKind
            OuterSourcePort         = [int](& $pick 'udp.srcport' $outerUdp)
            OuterDestinationPort    = [int](& $pick 'udp.dstport' $outerUdp)
            OuterVlan               = if ($vlan) { [int](& $pick "$($outerTag.Layer).id" $vlan) }
            Vni                     = [int]$v['vxlan.vni'][0]
            InnerSourceMac          = & $pick 'eth.src' $innerEth
            InnerDestinationMac     = & $pick 'eth.dst' $innerEth
            InnerSourceAddress      = if ($innerIp) { & $pick "$($innerIp.Layer).src" $innerIpOfKind }
            InnerDestinationAddress = if ($innerIp) { & $pick "$($innerIp.Layer).dst" $innerIpOfKind }
            InnerSourcePort         = if ($innerL4) { [int](& $pick "$($innerL4.Layer).srcport" $innerL4) }
            InnerDestinationPort    = if ($innerL4) { [int](& $pick "$($innerL4.Layer).dstport" $innerL4) }
        }
    }
}

$script:OracleProperties = 'FrameNumber', 'OuterSourceMac', 'OuterDestinationMac', 'OuterSourceAddress', 'OuterDestinationAddress',
    'OuterSourcePort', 'OuterDestinationPort', 'OuterVlan', 'Vni', 'InnerSourceMac', 'InnerDestinationMac',
    'InnerSourceAddress', 'InnerDestinationAddress', 'InnerSourcePort', 'InnerDestinationPort'

<#
.SYNOPSIS
    The differences between Get-VxlanFrame's frames and tshark's, one line per differing field; empty when they agree.
#>
function Compare-WithTshark {
    param([Parameter(Mandatory)] [object[]] $Frame, [Parameter(Mandatory)] [AllowEmptyCollection()] [object[]] $Expected)
    $differences = [System.Collections.Generic.List[string]]::new()
    $ours = @{}
    foreach ($f in $Frame) { $ours[[long]$f.FrameNumber] = $f }
    $theirs = @{}
    foreach ($e in $Expected) { $theirs[[long]$e.FrameNumber] = $e }
    foreach ($n in $theirs.Keys) { if (-not $ours.ContainsKey($n)) { $differences.Add("frame ${n}: tshark decodes VXLAN, Get-VxlanFrame emitted nothing") } }
    foreach ($n in $ours.Keys) { if (-not $theirs.ContainsKey($n)) { $differences.Add("frame ${n}: emitted by Get-VxlanFrame, not VXLAN to tshark") } }
    foreach ($n in $theirs.Keys | Where-Object { $ours.ContainsKey($_) } | Sort-Object) {
        foreach ($p in $script:OracleProperties) {
            $a = $ours[$n].$p; $b = $theirs[$n].$p
            if ("$a" -ne "$b") { $differences.Add("frame ${n}: $p is '$a', tshark says '$b'") }
        }
    }
    , $differences.ToArray()
}

Export-ModuleMember -Function Get-RepoRoot, Get-TestDataPath, Get-TsharkVxlanFrame, Compare-WithTshark
