# The walkthrough end to end on the kernel's real VXLAN dataplane (tests/lab/lab.sh), and live capture inside a node.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    $script:SkipLab = Test-LabSkipped
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    Import-Module (Join-Path (Get-RepoRoot) 'FlannelTools.psd1') -Force
}

Describe 'The walkthrough on a real flannel VXLAN dataplane' -Skip:$SkipLab {
    BeforeAll {
        $script:Prefix = "ftw$PID"
        $script:Lab = Start-Lab -Prefix $Prefix
        $script:Capture = Join-Path $TestDrive 'eth0-node1.pcap'
        $null = Invoke-Lab walkthrough --prefix $Prefix --out $Capture
        $script:frames = @(Get-VxlanFrame $Capture)
        $script:requests = @($frames | Where-Object InnerDestinationAddress -eq '10.244.2.101')
        $script:replies = @($frames | Where-Object InnerSourceAddress -eq '10.244.2.101')
    }
    AfterAll { Stop-Lab -Prefix $Prefix }

    It 'shows node1''s pod calling node2''s pod in both directions' {
        $requests.Count | Should -BeGreaterThan 2
        $replies.Count | Should -BeGreaterThan 2
        @($frames | Where-Object Info -like 'HTTP GET /*').Count | Should -Be 1
    }

    It 'has the two nodes'' eth0 as the outer headers of every request' {
        $requests | ForEach-Object {
            $_.OuterSourceAddress | Should -Be '192.168.0.12'
            $_.OuterSourceMac | Should -Be '9e:66:01:47:0d:72'
            $_.OuterDestinationAddress | Should -Be '192.168.0.13'
            $_.OuterDestinationMac | Should -Be '0a:d2:1d:9d:dc:f7'
            $_.OuterDestinationPort | Should -Be 8472
            $_.Vni | Should -Be 1
        }
    }

    It 'has the pods'' IPs with the two flannel.1 MACs as the inner headers, as the kernel''s devices have them' {
        $node1Vtep = Get-LabDeviceMac -Prefix $Prefix -Node node1 -Device flannel.1
        $node2Vtep = Get-LabDeviceMac -Prefix $Prefix -Node node2 -Device flannel.1
        $node1Vtep | Should -Be '32:73:d8:d1:e9:78'
        $node2Vtep | Should -Be 'ee:81:17:b0:fd:7b'
        $requests | ForEach-Object {
            $_.InnerSourceAddress | Should -Be '10.244.1.178'
            $_.InnerSourceMac | Should -Be $node1Vtep
            $_.InnerDestinationMac | Should -Be $node2Vtep
        }
        $replies | ForEach-Object {
            $_.InnerSourceMac | Should -Be $node2Vtep
            $_.InnerDestinationMac | Should -Be $node1Vtep
            $_.OuterSourceAddress | Should -Be '192.168.0.13'
        }
    }

    It 'decodes the lab capture as tshark does' {
        Compare-WithTshark -Frame $frames -Expected @(Get-TsharkVxlanFrame -Path $Capture) | Should -BeNullOrEmpty
    }

    Context 'live capture inside node1' {
        It 'emits frames from eth0 as they arrive, stops at -Count, and saves what it saw to -OutFile' {
            $pcap = Join-Path $TestDrive 'live-count.pcap'
            $json = Join-Path $TestDrive 'live-count.json'
            $started = Start-PwshInLab -Prefix $Prefix -Node node1 -WorkingDirectory $TestDrive -Script @"
Get-VxlanFrame -InterfaceName eth0 -Count 4 -Duration 60 -OutFile '$pcap' | ConvertTo-Json -Depth 1 | Set-Content '$json'
"@
            Wait-Until { Test-Path $pcap } -TimeoutSeconds 60 -What 'the live capture to open its -OutFile'
            $null = Invoke-Lab traffic --prefix $Prefix curl
            $null = Wait-PwshInLab $started -TimeoutSeconds 60
            $live = @(Get-Content $json -Raw | ConvertFrom-Json)
            $live.Count | Should -Be 4
            $live[0].OuterSourceAddress | Should -Be '192.168.0.12'
            $live[0].InnerSourceMac | Should -Be '32:73:d8:d1:e9:78'
            $live[0].InnerDestinationMac | Should -Be 'ee:81:17:b0:fd:7b'
            $live[0].Path | Should -Be 'eth0'
            $saved = @(Get-VxlanFrame -Path $pcap)
            $saved.Count | Should -BeGreaterOrEqual 4
            $saved[0..3].Timestamp | Should -Be $live.Timestamp
            $saved[0..3].InnerSourcePort | Should -Be $live.InnerSourcePort
        }

        It 'stops when the pipeline is stopped (Ctrl+C), having streamed the frames that arrived, and leaves a readable -OutFile' {
            $pcap = Join-Path $TestDrive 'live-stop.pcap'
            $result = Join-Path $TestDrive 'live-stop.json'
            $started = Start-PwshInLab -Prefix $Prefix -Node node1 -WorkingDirectory $TestDrive -Script @"
`$ps = [powershell]::Create().AddCommand('Import-Module').AddArgument(`$Module).AddStatement().AddCommand('Get-VxlanFrame').AddParameter('InterfaceName', 'eth0').AddParameter('OutFile', '$pcap')
`$output = [System.Management.Automation.PSDataCollection[psobject]]::new()
`$noInput = [System.Management.Automation.PSDataCollection[psobject]]::new()
`$noInput.Complete()
`$handle = `$ps.BeginInvoke(`$noInput, `$output)
`$deadline = [DateTime]::UtcNow.AddSeconds(60)
while (`$output.Count -lt 1 -and [DateTime]::UtcNow -lt `$deadline) { Start-Sleep -Milliseconds 50 }
`$streamed = `$output.Count
`$running = `$ps.InvocationStateInfo.State.ToString()
`$ps.Stop()
[pscustomobject]@{ Streamed = `$streamed; StateWhileStreaming = `$running; StateAfterStop = `$ps.InvocationStateInfo.State.ToString() } | ConvertTo-Json | Set-Content '$result'
"@
            Wait-Until { Test-Path $pcap } -TimeoutSeconds 60 -What 'the live capture to open its -OutFile'
            $null = Invoke-Lab traffic --prefix $Prefix curl
            $null = Wait-PwshInLab $started -TimeoutSeconds 90
            $outcome = Get-Content $result -Raw | ConvertFrom-Json
            $outcome.Streamed | Should -BeGreaterThan 0 -Because 'frames come out while the capture is still running'
            $outcome.StateWhileStreaming | Should -Be 'Running'
            $outcome.StateAfterStop | Should -Be 'Stopped'
            $saved = @(Get-VxlanFrame -Path $pcap -ErrorVariable readErrors)
            $readErrors | Should -BeNullOrEmpty
            $saved.Count | Should -BeGreaterThan 0
        }

        It 'takes -Duration in plain seconds, not ticks' {
            $output = Invoke-PwshInLab -Prefix $Prefix -Node node1 -WorkingDirectory $TestDrive -Script @'
$watch = [Diagnostics.Stopwatch]::StartNew()
$count = @(Get-VxlanFrame -InterfaceName eth0 -Duration 2).Count
"$count $($watch.Elapsed.TotalSeconds)"
'@
            $count, $seconds = "$output".Trim() -split ' '
            [int]$count | Should -Be 0 -Because 'nothing crossed the underlay'
            [double]$seconds | Should -BeGreaterOrEqual 2
        }

        It 'refuses to overwrite -OutFile without -Force' {
            $existing = Join-Path $TestDrive 'existing.pcap'
            Set-Content $existing 'keep me'
            $output = Invoke-PwshInLab -Prefix $Prefix -Node node1 -WorkingDirectory $TestDrive -Script @"
try { Get-VxlanFrame -InterfaceName eth0 -Count 1 -OutFile '$existing' } catch { `$_.FullyQualifiedErrorId + '|' + `$_.CategoryInfo.Category }
"@
            "$output".Trim() | Should -Be 'OutFileExists,FlannelTools.Commands.GetVxlanFrameCommand|ResourceExists'
            Get-Content $existing | Should -Be 'keep me'
        }
    }
}

Describe 'Windows-compatible VNI 4096 on port 4789, dual-stack, on a real dataplane' -Skip:$SkipLab {
    BeforeAll {
        $script:Prefix = "ftd$PID"
        $script:Lab = Start-Lab -Prefix $Prefix -Option '--vni', '4096', '--port', '4789', '--dual-stack'
        $script:V4Capture = Join-Path $TestDrive 'v4.pcap'
        $script:V6Capture = Join-Path $TestDrive 'v6.pcap'
        $null = Invoke-Lab capture --prefix $Prefix --out $V4Capture --traffic curl
        $null = Invoke-Lab capture --prefix $Prefix --out $V6Capture --traffic curl6 --v6
    }
    AfterAll { Stop-Lab -Prefix $Prefix }

    It 'decodes flannel.4096''s traffic on UDP 4789 with VNI 4096 and no -Port' {
        $requests = @(Get-VxlanFrame $V4Capture -InnerAddress 10.244.2.101 | Where-Object InnerDestinationAddress -eq '10.244.2.101')
        $requests.Count | Should -BeGreaterThan 0
        $requests | ForEach-Object {
            $_.Vni | Should -Be 4096
            $_.OuterDestinationPort | Should -Be 4789
            $_.InnerSourceMac | Should -Be (Get-LabDeviceMac -Prefix $Prefix -Node node1 -Device flannel.4096)
        }
    }

    It 'decodes IPv6 pods over the nodes'' IPv6 addresses through flannel-v6.4096' {
        $requests = @(Get-VxlanFrame $V6Capture | Where-Object InnerDestinationAddress -eq 'fd10:244:2::101')
        $requests.Count | Should -BeGreaterThan 0
        $node1Vtep6 = Get-LabDeviceMac -Prefix $Prefix -Node node1 -Device flannel-v6.4096
        $node2Vtep6 = Get-LabDeviceMac -Prefix $Prefix -Node node2 -Device flannel-v6.4096
        $requests | ForEach-Object {
            $_.OuterSourceAddress | Should -Be 'fd00::12'
            $_.OuterDestinationAddress | Should -Be 'fd00::13'
            $_.OuterSourceMac | Should -Be '9e:66:01:47:0d:72'
            $_.InnerSourceAddress | Should -Be 'fd10:244:1::178'
            $_.InnerSourceMac | Should -Be $node1Vtep6
            $_.InnerDestinationMac | Should -Be $node2Vtep6
            $_.Vni | Should -Be 4096
        }
    }

    It 'decodes both captures as tshark does' -ForEach @(@{ Name = 'v4.pcap' }, @{ Name = 'v6.pcap' }) {
        $path = Join-Path $TestDrive $Name
        Compare-WithTshark -Frame @(Get-VxlanFrame $path) -Expected @(Get-TsharkVxlanFrame -Path $path) | Should -BeNullOrEmpty
    }
}

Describe 'Get-VxlanFrame -InterfaceName errors' {
    It 'stops with InterfaceNotFound for an interface that does not exist' {
        { Get-VxlanFrame -InterfaceName 'ftnosuch0' -Count 1 -ErrorAction Stop } |
            Should -Throw -ErrorId 'InterfaceNotFound,FlannelTools.Commands.GetVxlanFrameCommand'
    }
}
