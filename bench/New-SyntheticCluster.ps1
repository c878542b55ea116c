<#
.SYNOPSIS
    Writes N synthetic node states the way the lab's collector documents look, and the cluster's nodes.json, so the
    cluster benchmark needs no cluster.
.DESCRIPTION
    The template is a real lab document (bench/data/lab-node1.state: `lab.sh up`, then node1's DIR/node1/node.state,
    host layer included: sysctls, counters, nft and iptables rulesets, ethtool, subnet.env, net-conf.json). Node i
    (n0, n1, …) gets the template with node1's identity swapped for its own: underlay address 172.16.X.Y/16 (eth0),
    pod subnet 10.A.B.0/24 in the Network 10.0.0.0/8 (the template's 10.244.0.0/16 rewritten in every rule and file),
    VtepMAC 02:f1:a4:…, eth0 MAC 02:f1:e0:…, host name n<i>; its route, neighbour and FDB tables are written anew with
    flannel's three entries for every other node, as flanneld programs them. nodes.json is a kubectl get nodes -o json
    List with flannel's annotations for every node.
    -StaleVtepMac K gives node nK a new VTEP MAC that it announces while every other node keeps the old one (issue 11's
    n7 case). -Only K writes the document of node nK alone (with all N-1 peers), for one node's check of a large cluster.
.EXAMPLE
    dotnet pwsh bench/New-SyntheticCluster.ps1 -Count 300 -OutDirectory bench/.work/cluster300 -StaleVtepMac 7
#>
param(
    [Parameter(Mandatory)] [ValidateRange(2, 60000)] [int] $Count,
    [Parameter(Mandatory)] [string] $OutDirectory,
    [int] $StaleVtepMac = -1,
    [int] $Only = -1,
    [string] $Template = (Join-Path $PSScriptRoot 'data/lab-node1.state')
)
$ErrorActionPreference = 'Stop'
$null = New-Item -ItemType Directory -Force -Path $OutDirectory
$lines = [IO.File]::ReadAllLines((Resolve-Path $Template))

function Get-Hex([int] $value) { '{0:x2}:{1:x2}:{2:x2}' -f (($value -shr 16) -band 255), (($value -shr 8) -band 255), ($value -band 255) }
function Get-NodeAddress([int] $i) { "172.16.$([math]::Floor($i / 254)).$($i % 254 + 1)" }
function Get-SubnetPrefix([int] $i) { "10.$(1 + [math]::Floor($i / 256)).$($i % 256)." }
function Get-VtepMac([int] $i) { "02:f1:a4:$(Get-Hex $i)" }
function Get-NewVtepMac([int] $i) { "5a:f1:a4:$(Get-Hex $i)" }

# What each node announces (the stale node announces its new MAC).
$announced = [string[]]::new($Count)
for ($i = 0; $i -lt $Count; $i++) { $announced[$i] = if ($i -eq $StaleVtepMac) { Get-NewVtepMac $i } else { Get-VtepMac $i } }

function Find-Section([string] $name) {
    $index = [array]::IndexOf($lines, "#@ section $name")
    if ($index -lt 0) { throw "The template has no section '$name'." }
    $index + 1
}
$routeLine = Find-Section 'ip -j route show'
$neighLine = Find-Section 'ip -j neigh show'
$fdbLine = Find-Section 'bridge -j fdb show'
# The template's FDB entries that are not flannel's (the bridges' and veths' own) stay.
$localFdb = @($lines[$fdbLine] | ConvertFrom-Json | Where-Object { $_.ifname -ne 'flannel.1' } | ForEach-Object { $_ | ConvertTo-Json -Compress })

$first = if ($Only -ge 0) { $Only } else { 0 }
$last = if ($Only -ge 0) { $Only } else { $Count - 1 }
for ($i = $first; $i -le $last; $i++) {
    $address = Get-NodeAddress $i
    $prefix = Get-SubnetPrefix $i
    $ownMac = $announced[$i]
    $routes = [Text.StringBuilder]::new('[{"dst":"default","gateway":"172.16.255.254","dev":"eth0","flags":[]}')
    $neighbors = [Text.StringBuilder]::new('[')
    $fdb = [Text.StringBuilder]::new('[' + ($localFdb -join ','))
    for ($j = 0; $j -lt $Count; $j++) {
        if ($j -eq $i) {
            $null = $routes.Append(',{"dst":"' + $prefix + '0/24","dev":"cni0","protocol":"kernel","scope":"link","prefsrc":"' + $prefix + '1","flags":[]}')
            continue
        }
        $peerPrefix = Get-SubnetPrefix $j
        # every other node still holds the stale node's old MAC
        $held = if ($j -eq $StaleVtepMac) { Get-VtepMac $j } else { $announced[$j] }
        $null = $routes.Append(',{"dst":"' + $peerPrefix + '0/24","gateway":"' + $peerPrefix + '0","dev":"flannel.1","flags":["onlink"]}')
        $null = $neighbors.Append('{"dst":"' + $peerPrefix + '0","dev":"flannel.1","lladdr":"' + $held + '","state":["PERMANENT"]},')
        $null = $fdb.Append(',{"mac":"' + $held + '","ifname":"flannel.1","dst":"' + (Get-NodeAddress $j) + '","flags":["self"],"state":"permanent"}')
    }
    $null = $routes.Append(',{"dst":"172.16.0.0/16","dev":"eth0","protocol":"kernel","scope":"link","prefsrc":"' + $address + '","flags":[]}]')
    $null = $neighbors.Append('{"dst":"172.16.255.254","dev":"eth0","lladdr":"4e:17:96:46:79:29","state":["STALE"]}]')
    $null = $fdb.Append(']')

    $document = [string[]]$lines.Clone()
    $document[$routeLine] = $routes.ToString()
    $document[$neighLine] = $neighbors.ToString()
    $document[$fdbLine] = $fdb.ToString()
    $text = ($document -join "`n") + "`n"
    $text = $text.Replace('#@ host vm', "#@ host n$i").
        Replace('"addr": "10.244.0.0", "len": 16', '"addr": "10.0.0.0", "len": 8').Replace('10.244.0.0/16', '10.0.0.0/8').
        Replace('10.244.1.', $prefix).
        Replace('"local":"192.168.0.12","prefixlen":24,"broadcast":"192.168.0.255"', '"local":"' + $address + '","prefixlen":16,"broadcast":"172.16.255.255"').
        Replace('192.168.0.12', $address).
        Replace('32:73:d8:d1:e9:78', $ownMac).Replace('9e:66:01:47:0d:72', "02:f1:e0:$(Get-Hex $i)")
    [IO.File]::WriteAllText((Join-Path $OutDirectory "n$i.state"), $text)
}

# kubectl get nodes -o json, with flannel's annotations
$items = for ($i = 0; $i -lt $Count; $i++) {
    $address = Get-NodeAddress $i
    [ordered]@{
        apiVersion = 'v1'; kind = 'Node'
        metadata   = [ordered]@{
            name        = "n$i"
            annotations = [ordered]@{
                'flannel.alpha.coreos.com/backend-data'        = '{"VNI":1,"VtepMAC":"' + $announced[$i] + '"}'
                'flannel.alpha.coreos.com/backend-type'        = 'vxlan'
                'flannel.alpha.coreos.com/kube-subnet-manager' = 'true'
                'flannel.alpha.coreos.com/public-ip'           = $address
            }
        }
        spec       = [ordered]@{ podCIDR = "$(Get-SubnetPrefix $i)0/24"; podCIDRs = @("$(Get-SubnetPrefix $i)0/24") }
        status     = [ordered]@{
            addresses  = @([ordered]@{ address = $address; type = 'InternalIP' }, [ordered]@{ address = "n$i"; type = 'Hostname' })
            conditions = @(
                [ordered]@{ reason = 'FlannelIsUp'; status = 'False'; type = 'NetworkUnavailable' }
                [ordered]@{ reason = 'KubeletReady'; status = 'True'; type = 'Ready' })
        }
    }
}
[IO.File]::WriteAllText((Join-Path $OutDirectory 'nodes.json'), ([ordered]@{ apiVersion = 'v1'; kind = 'List'; items = @($items) } | ConvertTo-Json -Depth 10))
$netConf = [array]::IndexOf($lines, ($lines | Where-Object { $_ -like '#@ section cat */net-conf.json' } | Select-Object -First 1))
$netConfText = for ($k = $netConf + 1; $lines[$k] -notlike '#@ exit*'; $k++) { $lines[$k] }
[IO.File]::WriteAllText((Join-Path $OutDirectory 'net-conf.json'), (($netConfText -join "`n").Replace('10.244.0.0/16', '10.0.0.0/8') + "`n"))
