<#
.SYNOPSIS
    Times Test-FlannelCluster on 300 synthetic nodes (reading the 300 collector documents and the whole check, in one
    process) and Test-FlannelNode on one node of a 5,000-node cluster, and appends the figures to bench/RESULTS.md.
.DESCRIPTION
    The states are written by bench/New-SyntheticCluster.ps1 from a real lab document (bench/data/lab-node1.state) into
    bench/.work/ (not committed): 300 nodes with 299 peers each, node n7 with a new VTEP MAC its peers do not know
    (issue 11's case: the answer must be one Error), and the document of one node of 5,000. Targets (issue 11): 300
    nodes read and checked in at most 6 s; one node's check among 5,000 in at most 1 s. A benchmark, not a test:
    nothing fails; the machine's load average is recorded with the figures, since other work on the machine counts.
#>
param(
    [string] $WorkDir = (Join-Path $PSScriptRoot '.work/cluster'),
    [int] $Repeat = 3,
    [switch] $SkipBuild,
    [switch] $NoResults
)
$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot
if (-not $SkipBuild) { & dotnet pwsh (Join-Path $root 'build.ps1') -Task Build | Out-Null }
$cluster = Join-Path $WorkDir 'n300'
$large = Join-Path $WorkDir 'n5000'
if (-not (Test-Path (Join-Path $cluster 'nodes.json'))) { & (Join-Path $PSScriptRoot 'New-SyntheticCluster.ps1') -Count 300 -OutDirectory $cluster -StaleVtepMac 7 }
if (-not (Test-Path (Join-Path $large 'nodes.json'))) { & (Join-Path $PSScriptRoot 'New-SyntheticCluster.ps1') -Count 5000 -Only 0 -OutDirectory $large }

Import-Module (Join-Path $root 'FlannelTools.psd1') -Force
$nodes = Get-FlannelNode -Path (Join-Path $cluster 'nodes.json')
$netConf = Get-FlannelNetConf -Path (Join-Path $cluster 'net-conf.json')
$files = @(Get-ChildItem (Join-Path $cluster '*.state'))

function Measure-Median([scriptblock] $Block) {
    $times = foreach ($i in 1..$Repeat) { (Measure-Command $Block).TotalSeconds }
    $sorted = @($times | Sort-Object)
    [pscustomobject]@{ Median = $sorted[[math]::Floor($sorted.Count / 2)]; Min = $sorted[0]; Max = $sorted[-1] }
}

# warm-up: the JIT's first pass over the readers and the checks
$null = $files | Select-Object -First 5 | Get-FlannelNodeState | Test-FlannelCluster -Node $nodes -NetConf $netConf -WarningAction SilentlyContinue

$read = Measure-Median { $script:states = $files | Get-FlannelNodeState }
$check = Measure-Median { $script:findings = @($script:states | Test-FlannelCluster -Node $nodes -NetConf $netConf) }
$both = Measure-Median { $script:findings = @($files | Get-FlannelNodeState | Test-FlannelCluster -Node $nodes -NetConf $netConf) }
$pairs = Measure-Median { $script:pairCount = @($script:states | Test-FlannelCluster -Node $nodes -NetConf $netConf -Matrix -IncludePassed).Count }

$largeNodes = Get-FlannelNode -Path (Join-Path $large 'nodes.json')
$largeNetConf = Get-FlannelNetConf -Path (Join-Path $large 'net-conf.json')
$largeState = Get-FlannelNodeState -Path (Join-Path $large 'n0.state')
$null = Test-FlannelNode -NodeState $largeState -Node $largeNodes -NetConf $largeNetConf
$one = Measure-Median { $script:largeFindings = @(Test-FlannelNode -NodeState $largeState -Node $largeNodes -NetConf $largeNetConf) }

$errors = @($findings | Where-Object Severity -eq 'Error')
$rows = @(
    "| reading 300 documents (Get-FlannelNodeState) | $('{0:N2}' -f $read.Median) | $('{0:N2}' -f $read.Min) / $('{0:N2}' -f $read.Max) | |"
    "| checking them (Test-FlannelCluster) | $('{0:N2}' -f $check.Median) | $('{0:N2}' -f $check.Min) / $('{0:N2}' -f $check.Max) | $($findings.Count) finding(s): $(@($errors | ForEach-Object { "$($_.Check) $($_.Node)" }) -join ', ') |"
    "| **reading + checking, one pipeline** (target 6 s) | **$('{0:N2}' -f $both.Median)** | $('{0:N2}' -f $both.Min) / $('{0:N2}' -f $both.Max) | |"
    "| -Matrix -IncludePassed | $('{0:N2}' -f $pairs.Median) | $('{0:N2}' -f $pairs.Min) / $('{0:N2}' -f $pairs.Max) | $pairCount pairs |"
    "| **Test-FlannelNode, one node of 5,000** (target 1 s) | **$('{0:N2}' -f $one.Median)** | $('{0:N2}' -f $one.Min) / $('{0:N2}' -f $one.Max) | $($largeFindings.Count) finding(s) |"
)
$cpu = (Get-Content /proc/cpuinfo | Where-Object { $_ -like 'model name*' } | Select-Object -First 1) -replace '^model name\s*:\s*', ''
$cores = @(Get-Content /proc/cpuinfo | Where-Object { $_ -like 'processor*' }).Count
$load = (Get-Content /proc/loadavg) -split ' ' | Select-Object -First 3
$commit = (& git -C $root rev-parse --short HEAD)
$dirty = @(& git -C $root status --porcelain -- src).Count
$section = @(
    ''
    "## $((Get-Date).ToUniversalTime().ToString('yyyy-MM-dd HH:mm')) UTC: Test-FlannelCluster at scale (bench/Invoke-ClusterBenchmark.ps1)"
    ''
    "- Machine: $cpu, $cores cores; load average $($load -join ' ') when the run ended (other work on the machine counts in these figures)"
    "- Module: commit $commit ($dirty uncommitted paths under src/), out/FlannelTools as build.ps1 -Task Build lays it out (Release); PowerShell $($PSVersionTable.PSVersion)"
    "- Input: bench/New-SyntheticCluster.ps1 from bench/data/lab-node1.state: 300 collector documents (299 peers each, host layer included), n7 with a new VTEP MAC; one document of a 5,000-node cluster"
    ''
    "Seconds, median of $Repeat runs in one PowerShell session after a warm-up:"
    ''
    '| what | s (median) | s (min / max) | result |'
    '|---|---:|---:|---|'
) + $rows
$section | ForEach-Object { Write-Host $_ }
if (-not $NoResults) { Add-Content -Path (Join-Path $PSScriptRoot 'RESULTS.md') -Value $section }
