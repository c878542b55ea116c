#Requires -Version 7.2
<#
.SYNOPSIS
    Benchmarks Get-VxlanFrame against tcpdump, tshark and a bare libpcap (SharpPcap) read loop on a capture of
    at least one million VXLAN frames taken from real lab traffic, and appends the figures to bench/RESULTS.md.

.DESCRIPTION
    1. Capture (cached in -WorkDir, default bench/.work, not committed): brings up a lab of its own
       (tests/lab/lab.sh up), captures node1's eth0 (udp port 8472) while a ping flood, a flood of larger
       pings, curls and UDP echoes run between the pods, takes the lab down, then `mergecap -a -F pcap`
       copies of that capture until there are at least -Frames frames (big.pcap), and 10 copies of big.pcap
       (big10.pcap) for the memory test.
    2. Builds the module (build.ps1 -Task Build) and imports a snapshot of out/FlannelTools copied into
       -WorkDir, so a build by someone else in the middle of a run does not change what is measured.
    3. In this one session, times (median of -Repeat runs, page cache warm):
         Get-VxlanFrame -Path big.pcap | Measure-Object      (the target)
         Get-VxlanConversation -Path big.pcap                (the aggregation over the same decoder)
         tshark -r big.pcap -d udp.port==8472,vxlan -T fields -e <8 columns> > /dev/null
         tcpdump -nn -e -r big.pcap -T vxlan > /dev/null
         a bare SharpPcap CaptureFileReaderDevice.GetNextPacket loop (the floor)
       plus profile stages that show where Get-VxlanFrame's time goes.
    4. Peak memory (Maximum resident set size from /usr/bin/time -v) of Get-VxlanFrame | Measure-Object
       in a new `dotnet pwsh` process, for big.pcap and big10.pcap.
    5. Prints the ratios against the targets and appends a dated section to bench/RESULTS.md.

.EXAMPLE
    dotnet pwsh bench/Invoke-Benchmark.ps1
#>
[CmdletBinding()]
param(
    # Minimum number of VXLAN frames in big.pcap.
    [int] $Frames = 1000000,
    # Where the captures and the module snapshot are kept between runs.
    [string] $WorkDir = (Join-Path $PSScriptRoot '.work'),
    # Timed runs of each in-session measurement (the median is reported).
    [int] $Repeat = 5,
    # Timed runs of tshark (slow: one is enough to be 20x off).
    [int] $TsharkRepeat = 1,
    # Throw the cached captures away and capture again.
    [switch] $Recapture,
    # Use out/FlannelTools as it is instead of running build.ps1 -Task Build.
    [switch] $SkipBuild,
    # Skip the separate-process peak memory measurements.
    [switch] $SkipMemory,
    # Do not append to bench/RESULTS.md.
    [switch] $NoResults
)

Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'
$Root = Split-Path $PSScriptRoot -Parent
$Lab = Join-Path $Root 'tests/lab/lab.sh'
$Inv = [Globalization.CultureInfo]::InvariantCulture

function Say([string] $Text) { Write-Host "bench: $Text" }

function Invoke-Bash([string] $Script) {
    & bash -c $Script
    if ($LASTEXITCODE -ne 0) { throw "bash failed (exit $LASTEXITCODE): $Script" }
}

function Get-FrameCount([string] $File) {
    # capinfos -c -M: "Number of packets:   100244"
    $line = & capinfos -c -M $File | Select-String 'Number of packets'
    [long](($line.Line -split ':')[1].Trim())
}

foreach ($tool in 'tcpdump', 'tshark', 'mergecap', 'editcap', 'capinfos', 'bash', 'ip') {
    if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { throw "$tool is missing (tcpdump, tshark and wireshark-common are needed)" }
}
if (-not $SkipMemory -and -not (Test-Path /usr/bin/time)) {
    if ((id -u) -eq '0' -and (Get-Command apt-get -ErrorAction SilentlyContinue)) {
        Say 'installing Debian package time (for /usr/bin/time -v)'
        Invoke-Bash 'DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null'
    } else { throw '/usr/bin/time is missing: apt-get install time' }
}

New-Item -ItemType Directory -Force -Path $WorkDir | Out-Null
$WorkDir = (Resolve-Path $WorkDir).ProviderPath
$Base = Join-Path $WorkDir 'lab.pcap'
$Big = Join-Path $WorkDir 'big.pcap'
$Big10 = Join-Path $WorkDir 'big10.pcap'
$BigNg = Join-Path $WorkDir 'big.pcapng'
$MetaFile = Join-Path $WorkDir 'captures.json'

# ------------------------------------------------------------------ 1. captures
function New-LabCapture {
    $prefix = 'bench' + $PID
    Say "capturing lab traffic (lab prefix $prefix)"
    $bashScript = @'
set -euo pipefail
lab=$1 prefix=$2 out=$3 err=$4
L() { bash "$lab" "$@"; }
L up --prefix "$prefix" >/dev/null
trap 'L down --prefix "$prefix" >/dev/null 2>&1 || true' EXIT
ns=$(L ns --prefix "$prefix" node1)
dst=$(L info --prefix "$prefix" | python3 -c 'import json,sys; d=json.load(sys.stdin); print([n for n in d["nodeList"] if n["name"]=="node2"][0]["pods"][0]["ip"])')
rm -f "$out"
ip netns exec "$ns" tcpdump -i eth0 -U -n -Z root -w "$out" udp port 8472 </dev/null >/dev/null 2>"$err" &
cap=$!
for i in $(seq 100); do grep -q 'listening on' "$err" 2>/dev/null && break; sleep 0.05; done
# A few seconds of pod-to-pod traffic across the tunnel: small and large ping floods, HTTP, UDP.
L exec --prefix "$prefix" node1-pod1 ping -q -f -c 40000 -s 56 "$dst" >/dev/null
L exec --prefix "$prefix" node1-pod1 ping -q -f -c 10000 -s 1200 "$dst" >/dev/null
for i in $(seq 100); do L exec --prefix "$prefix" node1-pod1 curl -sS -o /dev/null "http://$dst/"; done
L traffic --prefix "$prefix" udp --count 200 >/dev/null
sleep 0.5
kill -INT "$cap"; wait "$cap" || true
grep -E 'captured|dropped' "$err" >&2 || true
'@
    & bash -c $bashScript bench $Lab $prefix "$Base.tmp" (Join-Path $WorkDir 'tcpdump.err')
    if ($LASTEXITCODE) { throw "lab capture failed (exit $LASTEXITCODE)" }
    Move-Item -Force "$Base.tmp" $Base
}

$meta = if ((Test-Path $MetaFile) -and -not $Recapture) { Get-Content $MetaFile -Raw | ConvertFrom-Json } else { $null }
if ($Recapture -or -not $meta -or -not (Test-Path $Base) -or -not (Test-Path $Big) -or -not (Test-Path $Big10) -or -not (Test-Path $BigNg) -or $meta.BigFrames -lt $Frames) {
    if ($Recapture -or -not (Test-Path $Base)) { New-LabCapture }
    $baseFrames = Get-FrameCount $Base
    if ($baseFrames -lt 1000) { throw "lab capture $Base has only $baseFrames frames" }
    $copies = [int][Math]::Ceiling($Frames / $baseFrames)
    Say "lab capture: $baseFrames frames; big.pcap = $copies copies (mergecap -a)"
    & mergecap -a -F pcap -w $Big @(1..$copies | ForEach-Object { $Base })
    if ($LASTEXITCODE) { throw 'mergecap failed' }
    Say 'big10.pcap = 10 copies of big.pcap'
    & mergecap -a -F pcap -w $Big10 @(1..10 | ForEach-Object { $Big })
    if ($LASTEXITCODE) { throw 'mergecap failed' }
    Say 'big.pcapng = big.pcap as pcapng (editcap -F pcapng)'
    & editcap -F pcapng $Big $BigNg
    if ($LASTEXITCODE) { throw 'editcap failed' }
    $meta = [pscustomobject]@{
        LabFrames = $baseFrames; Copies = $copies
        BigFrames = Get-FrameCount $Big; Big10Frames = Get-FrameCount $Big10
        Captured  = (Get-Item $Base).LastWriteTimeUtc.ToString('o')
    }
    $meta | ConvertTo-Json | Set-Content $MetaFile
} else {
    Say "reusing captures in $WorkDir (-Recapture to take them again)"
}
$bigFrames = [long]$meta.BigFrames
$big10Frames = [long]$meta.Big10Frames
$bigBytes = (Get-Item $Big).Length
$big10Bytes = (Get-Item $Big10).Length
Say ("big.pcap {0:N0} frames ({1:N0} MB), big10.pcap {2:N0} frames ({3:N0} MB)" -f $bigFrames, ($bigBytes / 1MB), $big10Frames, ($big10Bytes / 1MB))

# ------------------------------------------------------------------ 2. module
if (-not $SkipBuild) {
    Say 'building (build.ps1 -Task Build)'
    & dotnet pwsh -NoProfile -File (Join-Path $Root 'build.ps1') -Task Build | Out-Null
    if ($LASTEXITCODE) { throw "build failed (exit $LASTEXITCODE)" }
}
$ModuleSrc = Join-Path $Root 'out/FlannelTools'
$ModuleDir = Join-Path $WorkDir 'module/FlannelTools'
if (Test-Path $ModuleDir) { Remove-Item -Recurse -Force $ModuleDir }
New-Item -ItemType Directory -Force -Path $ModuleDir | Out-Null
Copy-Item -Recurse -Path (Join-Path $ModuleSrc '*') -Destination $ModuleDir
$Manifest = Join-Path $ModuleDir 'FlannelTools.psd1'
Import-Module $Manifest -Force
$commit = (& git -C $Root rev-parse --short HEAD)
$dirtySrc = @(& git -C $Root status --porcelain -- src).Count
$dllHash = (Get-FileHash (Join-Path $ModuleDir 'FlannelTools.dll') -Algorithm SHA256).Hash.Substring(0, 12).ToLowerInvariant()
$buildConfig = ([Reflection.Assembly]::LoadFile((Join-Path $ModuleDir 'FlannelTools.dll')).GetCustomAttributes([Reflection.AssemblyConfigurationAttribute], $false) | Select-Object -First 1).Configuration
Say "module: commit $commit, $dirtySrc uncommitted paths under src/, FlannelTools.dll sha256 $dllHash ($buildConfig)"

# ------------------------------------------------------------------ helpers compiled inline
$sharpPcapDll = Join-Path $ModuleDir 'SharpPcap.dll'
# The module's DLLs are netstandard2.0 (PacketDotNet net472): compile against the runtime's facades.
$refDir = Join-Path $PSHOME 'ref'   # the reference assemblies Add-Type compiles against
$facades = ([PSObject].Assembly.Location), (Join-Path $refDir 'netstandard.dll'), (Join-Path $refDir 'System.Memory.dll'), (Join-Path $refDir 'mscorlib.dll'), (Join-Path $ModuleDir 'PacketDotNet.dll')
Add-Type -ReferencedAssemblies (@($sharpPcapDll) + $facades) -TypeDefinition @'
using SharpPcap;
using SharpPcap.LibPcap;
public static class BenchFloor
{
    // The floor: libpcap reads each record through SharpPcap and nothing else happens.
    public static long Count(string path)
    {
        var dev = new CaptureFileReaderDevice(path);
        dev.Open();
        long n = 0;
        PacketCapture p;
        GetPacketStatus s;
        while ((s = dev.GetNextPacket(out p)) == GetPacketStatus.PacketRead) n++;
        dev.Close();
        if (s == GetPacketStatus.Error) throw new System.Exception("read error after " + n + " packets: " + dev.LastError);
        return n;
    }
}
// The PowerShell floor: a cmdlet that writes the same object N times, nothing read or made.
[System.Management.Automation.Cmdlet("Invoke", "BenchEmit")]
public sealed class InvokeBenchEmitCommand : System.Management.Automation.PSCmdlet
{
    [System.Management.Automation.Parameter(Mandatory = true, Position = 0)]
    public long Count { get; set; }
    protected override void ProcessRecord()
    {
        var o = new object();
        for (long i = 0; i < Count; i++) WriteObject(o);
    }
}
'@ -PassThru | Select-Object -First 1 | ForEach-Object { Import-Module -Assembly $_.Assembly }

# Profile stages over the module's internal reader and decoder, compiled as FlannelTools.Bench, the name the
# module's InternalsVisibleTo admits (Add-Type cannot name its assembly); compiled separately, as that API may move.
$profileTypes = $true
$stageSource = @'
using System;
using System.Management.Automation;
using FlannelTools;
using FlannelTools.Capture;
using FlannelTools.Decoding;
public static class BenchStages
{
    // The module's capture reader alone (CaptureFile.Open, TryReadNext).
    public static long Read(string path)
    {
        long n = 0;
        using (ICaptureReader r = CaptureFile.Open(path))
        {
            CapturedRecord rec;
            while (r.TryReadNext(out rec) || !r.IsEnd) n++;
        }
        return n;
    }
    // Reader + VxlanDecoder.Decode into the struct: no object per frame.
    public static long Decode(string path)
    {
        long n = 0;
        var ports = new PortSet(PortSet.DefaultVxlanPorts);
        var h = new VxlanHeaders();
        using (ICaptureReader r = CaptureFile.Open(path))
        {
            CapturedRecord rec;
            while (r.TryReadNext(out rec) || !r.IsEnd)
            {
                VxlanDecoder.Decode(rec.Data, rec.LinkType, ports, ref h);
                if (h.Status == DecodeStatus.Vxlan) n++;
            }
        }
        return n;
    }
    // VxlanFrameReader.Read: decode, filter and make the VxlanFrame objects, without PowerShell.
    public static long Frames(string path)
    {
        long n = 0;
        using (ICaptureReader r = CaptureFile.Open(path))
        {
            var fr = new VxlanFrameReader(r, new PortSet(PortSet.DefaultVxlanPorts), FrameFilter.None, null);
            VxlanFrame f; string w;
            while (fr.Read(out f, out w)) if (f != null) n++;
        }
        return n;
    }
}
'@
try {
    $stageReferences = @((Join-Path $ModuleDir 'FlannelTools.dll'), $sharpPcapDll) + $facades + (Get-ChildItem $refDir -Filter *.dll).FullName |
        Select-Object -Unique | ForEach-Object { [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile($_) }
    $stageOptions = [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary).
        WithOptimizationLevel([Microsoft.CodeAnalysis.OptimizationLevel]::Release)
    $stageCompilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create('FlannelTools.Bench',
        [Microsoft.CodeAnalysis.SyntaxTree[]]@([Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText($stageSource)),
        [Microsoft.CodeAnalysis.MetadataReference[]]@($stageReferences), $stageOptions)
    $stageImage = [IO.MemoryStream]::new()
    $emitted = $stageCompilation.Emit($stageImage)
    if (-not $emitted.Success) { throw (@($emitted.Diagnostics | Where-Object Severity -eq 'Error' | Select-Object -First 3 | ForEach-Object ToString) -join '; ') }
    $BenchStages = [Reflection.Assembly]::Load($stageImage.ToArray()).GetType('BenchStages')
} catch {
    $profileTypes = $false
    Say "profile stages not compiled (the module's reader/decoder API differs): $($_.Exception.Message.Split("`n")[0])"
}

function Measure-Median([int] $Runs, [scriptblock] $Body) {
    $times = foreach ($i in 1..$Runs) {
        [GC]::Collect(); [GC]::WaitForPendingFinalizers()
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $script:lastCount = & $Body
        $sw.Stop()
        $sw.Elapsed.TotalSeconds
    }
    $sorted = @($times | Sort-Object)
    [pscustomobject]@{ Median = $sorted[[int][Math]::Floor(($sorted.Count - 1) / 2)]; Min = $sorted[0]; Max = $sorted[-1]; Runs = $sorted.Count; Count = $script:lastCount }
}

# ------------------------------------------------------------------ 3. throughput
Invoke-Bash "cat '$Big' > /dev/null"   # page cache warm for everyone
$results = [ordered]@{}
$tsharkFields = 'frame.number', 'eth.src', 'eth.dst', 'ip.src', 'ip.dst', 'udp.srcport', 'udp.dstport', 'vxlan.vni'
$tsharkCmd = "tshark -r '$Big' -d udp.port==8472,vxlan -T fields " + (($tsharkFields | ForEach-Object { "-e $_" }) -join ' ')
$tcpdumpCmd = "tcpdump -nn -e -r '$Big' -T vxlan"

# Warm-up (JIT, the module, the floor's libpcap): the small lab capture, then one full pass over big.pcap whose time is kept
# apart: the first large run in a session is 0.2-1 s slower while .NET's tiered JIT recompiles the hot paths.
$null = Get-VxlanFrame -Path $Base | Measure-Object
$null = Get-VxlanConversation -Path $Base
$null = [BenchFloor]::Count($Base)
Say 'warm-up: Get-VxlanFrame -Path big.pcap | Measure-Object (timed apart)'
$warmup = Measure-Median 1 { (Get-VxlanFrame -Path $Big | Measure-Object).Count }

Say "Get-VxlanFrame -Path big.pcap | Measure-Object  (x$Repeat)"
$results['Get-VxlanFrame | Measure-Object'] = Measure-Median $Repeat { (Get-VxlanFrame -Path $Big | Measure-Object).Count }
Say "Get-VxlanFrame -Path big.pcapng | Measure-Object  (x$Repeat)"
$results['Get-VxlanFrame big.pcapng | Measure-Object'] = Measure-Median $Repeat { (Get-VxlanFrame -Path $BigNg | Measure-Object).Count }
Say "Get-VxlanConversation -Path big.pcap  (x$Repeat)"
# Counted: the frames in all the conversations, which must be every VXLAN frame of the file.
$results['Get-VxlanConversation'] = Measure-Median $Repeat {
    $conversations = @(Get-VxlanConversation -Path $Big)
    [long](($conversations | Measure-Object FramesAToB -Sum).Sum + ($conversations | Measure-Object FramesBToA -Sum).Sum) }
Say "tcpdump -nn -e -r big.pcap -T vxlan > /dev/null  (x$Repeat)"
$results['tcpdump -nn -e -T vxlan'] = Measure-Median $Repeat { & bash -c "$tcpdumpCmd > /dev/null 2>/dev/null"; if ($LASTEXITCODE) { throw 'tcpdump failed' }; $null }
Say "tshark -T fields (8 columns) | wc -l  (x$TsharkRepeat)"
$results['tshark -T fields (8 columns)'] = Measure-Median $TsharkRepeat { [long](& bash -c "$tsharkCmd 2>/dev/null | wc -l") }
Say "bare SharpPcap GetNextPacket loop  (x$Repeat)"
$results['SharpPcap read loop (floor)'] = Measure-Median $Repeat { [BenchFloor]::Count($Big) }

# Profile: where Get-VxlanFrame's time goes.
$stages = [ordered]@{}
Say 'profile stages'
if ($profileTypes) {
    $stages['module reader only (CaptureFile.TryReadNext)'] = Measure-Median $Repeat { $BenchStages::Read($Big) }
    $stages['reader + VxlanDecoder.Decode (no objects)'] = Measure-Median $Repeat { $BenchStages::Decode($Big) }
    $stages['VxlanFrameReader.Read (objects, no PowerShell)'] = Measure-Median $Repeat { $BenchStages::Frames($Big) }
}
$stages['PowerShell floor: C# cmdlet writing one object N times | Measure-Object'] = Measure-Median $Repeat { (Invoke-BenchEmit $bigFrames | Measure-Object).Count }
$stages['Get-VxlanFrame > $null'] = Measure-Median $Repeat { Get-VxlanFrame -Path $Big > $null; $null }
$stages['Get-VxlanFrame | Measure-Object, $ProgressPreference SilentlyContinue'] = Measure-Median $Repeat {
    $ProgressPreference = 'SilentlyContinue'; (Get-VxlanFrame -Path $Big | Measure-Object).Count }

$stages['Get-VxlanFrame | Measure-Object, first run in the session (warm-up, not in the median)'] = $warmup
foreach ($set in $results, $stages) {
    foreach ($k in @($set.Keys)) {
        $r = $set[$k]
        $r | Add-Member Fps ([Math]::Round($bigFrames / $r.Median))
    }
}
$gvf = $results['Get-VxlanFrame | Measure-Object']
if ($gvf.Count -ne $bigFrames) { Write-Warning "Get-VxlanFrame counted $($gvf.Count) frames, the file has $bigFrames" }
$tsh = $results['tshark -T fields (8 columns)']
if ($tsh.Count -ne $bigFrames) { Write-Warning "tshark printed $($tsh.Count) lines, the file has $bigFrames frames" }
$flr = $results['SharpPcap read loop (floor)']
$gvc = $results['Get-VxlanConversation']
if ($gvc.Count -ne $bigFrames) { Write-Warning "Get-VxlanConversation counted $($gvc.Count) frames in its conversations, the file has $bigFrames" }
if ($flr.Count -ne $bigFrames) { Write-Warning "the floor loop counted $($flr.Count) packets, the file has $bigFrames" }
$vsTcpdump = $gvf.Fps / $results['tcpdump -nn -e -T vxlan'].Fps
$vsTshark = $gvf.Fps / $tsh.Fps
$vsFloor = $gvf.Median / $flr.Median
$conversationVsFloor = $gvc.Median / $flr.Median
$gvfNg = $results['Get-VxlanFrame big.pcapng | Measure-Object']
if ($gvfNg.Count -ne $bigFrames) { Write-Warning "Get-VxlanFrame counted $($gvfNg.Count) frames in big.pcapng, the file has $bigFrames" }

# ------------------------------------------------------------------ 4. peak memory
function Measure-PeakRss([string] $File) {
    $cmd = "Import-Module '$Manifest'; `$ProgressPreference = 'SilentlyContinue'; (Get-VxlanFrame -Path '$File' | Measure-Object).Count"
    $out = & /usr/bin/time -v dotnet pwsh -NoProfile -NonInteractive -Command $cmd 2>&1
    if ($LASTEXITCODE) { throw "peak-memory run failed: $($out -join "`n")" }
    $kb = [long](($out | Select-String 'Maximum resident set size').Line -replace '\D', '')
    $count = [long](($out | Where-Object { $_ -is [string] -and $_ -match '^\d+$' } | Select-Object -First 1))
    $secs = ($out | Select-String 'Elapsed \(wall clock\)').Line -replace '^.*\): ', ''
    [pscustomobject]@{ File = Split-Path $File -Leaf; MaxRssMB = [Math]::Round($kb / 1024, 1); Count = $count; Wall = $secs }
}
$mem = @()
if (-not $SkipMemory) {
    Say 'peak memory: separate dotnet pwsh processes under /usr/bin/time -v'
    Invoke-Bash "cat '$Big10' > /dev/null"
    $sample = Join-Path $Root 'samples/walkthrough.pcap'
    if (Test-Path $sample) { $mem += Measure-PeakRss $sample }   # the fixed cost: pwsh + module on a tiny file
    $mem += Measure-PeakRss $Big
    $mem += Measure-PeakRss $Big10
}
$m1 = $mem | Where-Object File -eq 'big.pcap'
$m10 = $mem | Where-Object File -eq 'big10.pcap'
$memRatio = if ($m1 -and $m10) { $m10.MaxRssMB / $m1.MaxRssMB } else { $null }

# ------------------------------------------------------------------ 5. report
function Pass([bool] $ok) { if ($ok) { 'met' } else { 'MISSED' } }
$targets = @(
    [pscustomobject]@{ Target = 'Get-VxlanFrame vs tcpdump (frames/s)'; Goal = '>= 2x'; Measured = '{0:N2}x' -f $vsTcpdump; Result = Pass ($vsTcpdump -ge 2) }
    [pscustomobject]@{ Target = 'Get-VxlanFrame vs tshark (frames/s)'; Goal = '>= 20x'; Measured = '{0:N2}x' -f $vsTshark; Result = Pass ($vsTshark -ge 20) }
    [pscustomobject]@{ Target = 'Get-VxlanConversation vs the bare libpcap read loop (time)'; Goal = '<= 1x'; Measured = '{0:N2}x' -f $conversationVsFloor; Result = Pass ($conversationVsFloor -le 1) }
    [pscustomobject]@{ Target = 'peak memory, 10x file / 1x file'; Goal = '<= 1.3x'; Measured = if ($null -ne $memRatio) { '{0:N2}x' -f $memRatio } else { 'not measured' }; Result = if ($null -ne $memRatio) { Pass ($memRatio -le 1.3) } else { '-' } }
)

function Row($name, $r) { '| {0} | {1:N3} | {2:N3} / {3:N3} | {4:N0} | {5} |' -f $name, $r.Median, $r.Min, $r.Max, $r.Fps, $(if ($null -eq $r.Count) { '-' } else { '{0:N0}' -f $r.Count }) }

$cpu = ((& lscpu) | Select-String '^Model name:').Line -replace '^Model name:\s*', ''
$memTotal = [Math]::Round(([long]((Get-Content /proc/meminfo | Select-String '^MemTotal').Line -replace '\D', '')) / 1MB, 1)
$os = ((Get-Content /etc/os-release | Select-String '^PRETTY_NAME=').Line -replace '^PRETTY_NAME=|"', '')
$libpcap = ((& tcpdump --version 2>&1) | Select-String 'libpcap version').Line
$tcpdumpVer = ((& tcpdump --version 2>&1) | Select-String 'tcpdump version').Line
$tsharkVer = (& tshark --version | Select-Object -First 1)
$now = [DateTime]::UtcNow

$md = [Collections.Generic.List[string]]::new()
$md.Add('')
$md.Add("## $($now.ToString('yyyy-MM-dd HH:mm', $Inv)) UTC")
$md.Add('')
$md.Add("- Machine: $cpu, $([Environment]::ProcessorCount) cores, $memTotal GiB RAM; $os, kernel $(uname -r)")
$md.Add("- .NET $([Runtime.InteropServices.RuntimeInformation]::FrameworkDescription -replace '^\.NET ', '') (SDK $(dotnet --version)), PowerShell $($PSVersionTable.PSVersion), $libpcap; $tcpdumpVer; $tsharkVer")
$md.Add("- Module: commit $commit ($dirtySrc uncommitted paths under src/ at run time), FlannelTools.dll sha256 $dllHash…, $buildConfig build")
$md.Add("- Capture: $($meta.LabFrames) frames of lab traffic on node1 eth0 (udp port 8472: ping floods of 56 and 1200 bytes, 100 curls, 200 UDP echoes), ``mergecap -a`` x$($meta.Copies) = big.pcap **$('{0:N0}' -f $bigFrames) frames** ($('{0:N0}' -f ($bigBytes / 1MB)) MB); big10.pcap $('{0:N0}' -f $big10Frames) frames ($('{0:N0}' -f ($big10Bytes / 1MB)) MB)")
$md.Add('')
$md.Add("Throughput on big.pcap, one PowerShell session after Import-Module, page cache warm; seconds are the median of $Repeat runs (tshark: $TsharkRepeat).")
$md.Add('')
$md.Add('| Reader | s (median) | s (min / max) | frames/s | frames counted |')
$md.Add('|---|---:|---:|---:|---:|')
foreach ($k in $results.Keys) { $md.Add((Row ($k -replace '(?<!\\)\|', '\|') $results[$k])) }
$md.Add('')
$md.Add('Profile (where Get-VxlanFrame''s time goes):')
$md.Add('')
$md.Add('| Stage | s (median) | s (min / max) | frames/s | count |')
$md.Add('|---|---:|---:|---:|---:|')
foreach ($k in $stages.Keys) { $md.Add((Row ($k -replace '(?<!\\)\|', '\|') $stages[$k])) }
$md.Add('')
if ($mem) {
    $md.Add('Peak memory of `dotnet pwsh -c "Import-Module …; Get-VxlanFrame -Path FILE | Measure-Object"` (`/usr/bin/time -v`, Maximum resident set size):')
    $md.Add('')
    $md.Add('| File | max RSS (MB) | frames | wall |')
    $md.Add('|---|---:|---:|---:|')
    foreach ($m in $mem) { $md.Add(('| {0} | {1:N1} | {2:N0} | {3} |' -f $m.File, $m.MaxRssMB, $m.Count, $m.Wall)) }
    $md.Add('')
}
$md.Add('| Target | Goal | Measured | Result |')
$md.Add('|---|---|---|---|')
foreach ($t in $targets) { $md.Add(('| {0} | {1} | {2} | {3} |' -f $t.Target, $t.Goal, $t.Measured, $t.Result)) }
$md.Add('')
$md.Add(('Get-VxlanFrame | Measure-Object takes {0:N1}x the floor''s time.' -f $vsFloor))
$md.Add(('Get-VxlanConversation takes {0:N2}x the floor''s time.' -f $conversationVsFloor))

Write-Host ''
Write-Host ($md -join "`n")
if (-not $NoResults) {
    $resultsFile = Join-Path $PSScriptRoot 'RESULTS.md'
    if (-not (Test-Path $resultsFile)) {
        Set-Content $resultsFile "# Benchmark results`n`nAppended by ``bench/Invoke-Benchmark.ps1``, newest last. See bench/README.md for what is measured."
    }
    Add-Content $resultsFile ($md -join "`n")
    Say "appended to $resultsFile"
}
