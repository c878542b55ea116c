# Brings the lab (tests/lab/lab.sh: real namespaces, real kernel VXLAN devices) up and down for the Pester
# tests, and runs PowerShell inside a lab node's namespace, where libpcap and iproute2 see that node.

$script:LabScript = (Resolve-Path (Join-Path $PSScriptRoot '../lab/lab.sh')).Path
$script:ModuleManifest = (Resolve-Path (Join-Path $PSScriptRoot '../../FlannelTools.psd1')).Path

<#
.SYNOPSIS
    Why a lab cannot run here, or $null when it can.
#>
function Get-LabUnavailableReason {
    if (-not $IsLinux) { return 'the lab needs Linux network namespaces' }
    if ((& id -u) -ne '0') { return 'the lab needs root (network namespaces, VXLAN devices)' }
    foreach ($tool in 'ip', 'tcpdump', 'python3') {
        if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) { return "the lab needs $tool" }
    }
    $probe = "ftprobe$PID"
    & ip netns add $probe 2>$null
    if ($LASTEXITCODE -ne 0) { return 'ip netns add is not allowed here' }
    & ip netns delete $probe 2>$null
    $null
}

<#
.SYNOPSIS
    In CI ($env:CI set) a lab that cannot start is a failure; elsewhere its tests are skipped with one line saying why.
#>
function Test-LabSkipped {
    $reason = Get-LabUnavailableReason
    if ($reason -and -not $env:CI) {
        Write-Host "Skipping the lab tests: $reason."
        return $true
    }
    $false
}

function Invoke-Lab {
    param([Parameter(Mandatory, ValueFromRemainingArguments)] [string[]] $Arguments)
    $output = & bash $script:LabScript @Arguments 2>&1
    if ($LASTEXITCODE -ne 0) { throw "lab.sh $($Arguments -join ' ') failed (exit $LASTEXITCODE): $($output -join "`n")" }
    $output | Where-Object { $_ -is [string] }
}

function Start-Lab {
    param([Parameter(Mandatory)] [string] $Prefix, [string[]] $Option = @())
    $reason = Get-LabUnavailableReason
    if ($reason) { throw "The lab cannot start: $reason." }
    $null = Invoke-Lab (@('up', '--prefix', $Prefix) + $Option)
    Invoke-Lab info --prefix $Prefix | Out-String | ConvertFrom-Json
}

function Stop-Lab {
    param([Parameter(Mandatory)] [string] $Prefix)
    & bash $script:LabScript down --prefix $Prefix 2>&1 | Out-Null
}

function Get-LabNamespace {
    param([Parameter(Mandatory)] [string] $Prefix, [Parameter(Mandatory)] [string] $Target)
    Invoke-Lab ns --prefix $Prefix $Target
}

<#
.SYNOPSIS
    The MAC address of a device in a lab node, read from the kernel.
#>
function Get-LabDeviceMac {
    param([Parameter(Mandatory)] [string] $Prefix, [Parameter(Mandatory)] [string] $Node, [Parameter(Mandatory)] [string] $Device)
    $namespace = Get-LabNamespace -Prefix $Prefix -Target $Node
    (& ip -n $namespace -j link show dev $Device | ConvertFrom-Json).address
}

<#
.SYNOPSIS
    Starts PowerShell with the module imported inside a lab node's network namespace, running the given script.
    The script sees $Module (the manifest path). Returns the process and the paths of its output and error output.
#>
function Start-PwshInLab {
    param(
        [Parameter(Mandatory)] [string] $Prefix,
        [Parameter(Mandatory)] [string] $Node,
        [Parameter(Mandatory)] [string] $Script,
        [Parameter(Mandatory)] [string] $WorkingDirectory
    )
    $namespace = Get-LabNamespace -Prefix $Prefix -Target $Node
    $scriptPath = Join-Path $WorkingDirectory "script-$([guid]::NewGuid().ToString('n')).ps1"
    Set-Content -Path $scriptPath -Value ("`$ErrorActionPreference = 'Stop'`n`$Module = '$script:ModuleManifest'`nImport-Module `$Module`n" + $Script)
    $pwsh = Join-Path $PSHOME 'pwsh.dll'
    $process = Start-Process -FilePath ip -ArgumentList @('netns', 'exec', $namespace, 'dotnet', $pwsh, '-NoProfile', '-NonInteractive', '-File', $scriptPath) `
        -WorkingDirectory $WorkingDirectory -RedirectStandardOutput "$scriptPath.out" -RedirectStandardError "$scriptPath.err" -PassThru
    [pscustomobject]@{ Process = $process; OutputPath = "$scriptPath.out"; ErrorPath = "$scriptPath.err" }
}

<#
.SYNOPSIS
    Runs a script inside a lab node's namespace and returns what it wrote to standard output; throws with its error output on failure.
#>
function Invoke-PwshInLab {
    param(
        [Parameter(Mandatory)] [string] $Prefix,
        [Parameter(Mandatory)] [string] $Node,
        [Parameter(Mandatory)] [string] $Script,
        [Parameter(Mandatory)] [string] $WorkingDirectory,
        [int] $TimeoutSeconds = 120
    )
    $started = Start-PwshInLab -Prefix $Prefix -Node $Node -Script $Script -WorkingDirectory $WorkingDirectory
    Wait-PwshInLab $started -TimeoutSeconds $TimeoutSeconds
}

<#
.SYNOPSIS
    Waits for PowerShell started by Start-PwshInLab and returns its standard output; throws with its error output on failure.
#>
function Wait-PwshInLab {
    param([Parameter(Mandatory, Position = 0)] $Started, [int] $TimeoutSeconds = 120)
    if (-not $Started.Process.WaitForExit($TimeoutSeconds * 1000)) {
        $Started.Process.Kill($true)
        throw "PowerShell in the lab did not finish within $TimeoutSeconds s."
    }
    $out = Get-Content $Started.OutputPath -Raw -ErrorAction SilentlyContinue
    $err = Get-Content $Started.ErrorPath -Raw -ErrorAction SilentlyContinue
    if ($Started.Process.ExitCode -ne 0) { throw "PowerShell in the lab failed (exit $($Started.Process.ExitCode)): $err $out" }
    $out
}

<#
.SYNOPSIS
    Whether lab.sh traffic gets through (curl from node1's pod to node2's by default): a failure is $false, not an error.
#>
function Test-LabTraffic {
    param(
        [Parameter(Mandatory)] [string] $Prefix,
        [string] $Kind = 'curl',
        [string] $From = 'node1',
        [string] $To = 'node2',
        [int] $TimeoutSeconds = 2
    )
    & bash $script:LabScript traffic --prefix $Prefix $Kind --from $From --to $To --timeout $TimeoutSeconds *> $null
    $LASTEXITCODE -eq 0
}

<#
.SYNOPSIS
    Runs a shell command line (a finding's Remedy, say) with sh -c inside a lab node's namespace and returns its output;
    throws with that output when it fails.
#>
function Invoke-LabShell {
    param([Parameter(Mandatory)] [string] $Prefix, [Parameter(Mandatory)] [string] $Node, [Parameter(Mandatory)] [string] $Command)
    $namespace = Get-LabNamespace -Prefix $Prefix -Target $Node
    $output = & ip netns exec $namespace sh -c $Command 2>&1
    if ($LASTEXITCODE -ne 0) { throw "sh -c '$Command' in $Node failed (exit $LASTEXITCODE): $($output -join "`n")" }
    $output | ForEach-Object { "$_" }
}

<#
.SYNOPSIS
    A lab node's Udp counters (InCsumErrors, InErrors, NoPorts, ...) from /proc/net/snmp in its namespace, by name.
#>
function Get-LabUdpCounter {
    param([Parameter(Mandatory)] [string] $Prefix, [Parameter(Mandatory)] [string] $Node)
    $namespace = Get-LabNamespace -Prefix $Prefix -Target $Node
    $names, $values = @(& ip netns exec $namespace cat /proc/net/snmp | Where-Object { $_ -like 'Udp: *' }) |
        ForEach-Object { , ($_ -split '\s+' | Select-Object -Skip 1) }
    $counters = [ordered]@{}
    for ($i = 0; $i -lt $names.Count; $i++) { $counters[$names[$i]] = [long]$values[$i] }
    [pscustomobject]$counters
}

function Wait-Until {
    param([Parameter(Mandatory)] [scriptblock] $Condition, [int] $TimeoutSeconds = 30, [string] $What = 'the condition')
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "Timed out after $TimeoutSeconds s waiting for $What." }
        Start-Sleep -Milliseconds 100
    }
}

Export-ModuleMember -Function Get-LabUnavailableReason, Test-LabSkipped, Invoke-Lab, Start-Lab, Stop-Lab, Get-LabNamespace,
    Get-LabDeviceMac, Start-PwshInLab, Invoke-PwshInLab, Wait-PwshInLab, Wait-Until, Test-LabTraffic, Invoke-LabShell, Get-LabUdpCounter
