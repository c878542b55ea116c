# Collecting node states over SSH on a real lab (tests/lab/lab.sh up --ssh: Debian's sshd in every node's namespace):
# Get-FlannelNodeState -SshHost and PowerShell remoting (Invoke-Command -HostName), run from the admin side, which
# is the underlay's namespace (192.168.0.1): every packet stays inside the lab.
BeforeDiscovery {
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    $script:SkipLab = Test-LabSkipped
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Import-Module (Join-Path $PSScriptRoot 'Lab.psm1') -Force
    Import-Module (Join-Path (Get-RepoRoot) 'FlannelTools.psd1') -Force

    # What a state holds of the node's tables, as text: equal for two states of the same tables, whichever way they came.
    # The neighbour entry of the admin side (192.168.0.1, on eth0) is left out: the SSH connection itself makes it.
    function Get-TableText($State) {
        [pscustomobject]@{
            Vtep = "$($State.Vtep)"
            Interfaces = @($State.Interfaces | ForEach-Object { "$_" } | Sort-Object)
            Routes = @($State.Routes | ForEach-Object { "$_" } | Sort-Object)
            Neighbors = @($State.Neighbors | Where-Object Address -ne '192.168.0.1' | ForEach-Object { "$_" } | Sort-Object)
            Fdb = @($State.Fdb | ForEach-Object { "$_" } | Sort-Object)
            Sysctls = @($State.Sysctls | ForEach-Object { "$_" } | Where-Object { $_ -notmatch 'conntrack_count' } | Sort-Object)
            SubnetEnv = "$($State.SubnetEnv.Subnet)"
        } | ConvertTo-Json -Depth 3
    }

    function Get-ErrorSummary($Errors) {
        @($Errors | ForEach-Object { [pscustomobject]@{ Id = ($_.FullyQualifiedErrorId -split ',')[0]; Target = "$($_.TargetObject)"; Message = "$($_.Exception.Message)" } })
    }
}

Describe 'Node states over SSH from the admin side of a lab' -Skip:$SkipLab {
    BeforeAll {
        $script:Prefix = "fts$PID"
        $script:Lab = Start-Lab -Prefix $Prefix -Option '--ssh', '--out', (Join-Path $TestDrive 'state')
        # a host-layer fault, found from the admin side below
        $null = Invoke-Lab fault --prefix $Prefix ip-forward-off node1
        $script:Local = @{}
        foreach ($node in $Lab.nodeList) { $Local[$node.name] = Get-FlannelNodeState -Path $node.nodeState }
        $ssh = $Lab.ssh
        $script:Hosts = @($Lab.nodeList | ForEach-Object { "ssh://$($ssh.user)@$($_.ip):$($ssh.port)" })
        $results = Join-Path $TestDrive 'admin.xml'
        $labScript = Join-Path (Get-RepoRoot) 'tests/lab/lab.sh'
        $nodesJson = Join-Path (Split-Path $Lab.netConf) nodes.json
        # One PowerShell on the admin side does every step (its start costs seconds): each step's output and errors
        # are saved for the tests below.
        $null = Invoke-PwshInLab -Prefix $Prefix -Node underlay -WorkingDirectory $TestDrive -TimeoutSeconds 180 -Script @"
`$ErrorActionPreference = 'Continue'
`$hosts = '$($Hosts -join "','")'
`$options = 'IdentityFile=$($ssh.identityFile)', 'UserKnownHostsFile=$($ssh.knownHostsFile)'
`$nodes = Get-FlannelNode -Path '$nodesJson'
`$r = [ordered]@{}
`$r.All = @(Get-FlannelNodeState -SshHost `$hosts -SshOption `$options -ErrorVariable e -ErrorAction SilentlyContinue); `$r.AllErrors = @(`$e)
`$r.Sudo = @(Get-FlannelNodeState -SshHost `$hosts[1] -SshOption `$options -Sudo -ErrorVariable e -ErrorAction SilentlyContinue); `$r.SudoErrors = @(`$e)
`$r.Findings = @(foreach (`$state in `$r.All) { Test-FlannelNode -NodeState `$state -Node `$nodes -NetConf (Get-FlannelNetConf -Path '$($Lab.netConf)') })
`$r.Cluster = @(`$r.All | Test-FlannelCluster -Node `$nodes -NetConf (Get-FlannelNetConf -Path '$($Lab.netConf)') -ErrorVariable e -ErrorAction SilentlyContinue); `$r.ClusterErrors = @(`$e)
`$r.Remote = @(Invoke-Command -HostName $(($Lab.nodeList.ip) -join ', ') -Port $($ssh.port) -UserName $($ssh.user) -KeyFilePath '$($ssh.identityFile)' ``
    -Options @{ UserKnownHostsFile = '$($ssh.knownHostsFile)' } -ScriptBlock { Import-Module `$using:Module; Get-FlannelNodeState } -ErrorVariable e -ErrorAction SilentlyContinue)
`$r.RemoteErrors = @(`$e)
`$r.RemoteCluster = @(`$r.Remote | Test-FlannelCluster -Node `$nodes -NetConf (Get-FlannelNetConf -Path '$($Lab.netConf)') -ErrorVariable e -ErrorAction SilentlyContinue); `$r.RemoteClusterErrors = @(`$e)
& bash '$labScript' fault --prefix $Prefix sshd-stop master
`$r.Stopped = @(Get-FlannelNodeState -SshHost `$hosts -SshOption `$options -TimeoutSec 20 -ErrorVariable e -ErrorAction SilentlyContinue); `$r.StoppedErrors = @(`$e)
`$r.Bad = @(Get-FlannelNodeState -SshHost 'root@$($Lab.nodeList[1].ip):$($ssh.port)', 'ssh://$($Lab.nodeList[2].ip):2223', `$hosts[2] -SshOption `$options -ErrorVariable e -ErrorAction SilentlyContinue)
`$r.BadErrors = @(`$e)
[pscustomobject]`$r | Export-Clixml -Depth 4 -Path '$results'
"@
        $script:Admin = Import-Clixml $results
    }
    AfterAll { Stop-Lab -Prefix $Prefix }

    It 'collects one state from every node, whose Source names the host and whose HostName is the node''s' {
        Get-ErrorSummary $Admin.AllErrors | Should -BeNullOrEmpty
        $Admin.All.Count | Should -Be 3
        for ($i = 0; $i -lt 3; $i++) {
            $Admin.All[$i].Source | Should -Be $Hosts[$i]
            $Admin.All[$i].HostName | Should -Be $Lab.nodeList[$i].name
        }
    }

    It 'holds the same tables and host layer as the collector run inside each node' {
        for ($i = 0; $i -lt 3; $i++) {
            $name = $Lab.nodeList[$i].name
            Get-TableText $Admin.All[$i] | Should -Be (Get-TableText $Local[$name]) -Because "$name's tables over SSH"
            $Admin.All[$i].Vtep.MacAddress | Should -Be $Lab.nodeList[$i].vtepMac
            @($Admin.All[$i].NotRead) | Should -BeNullOrEmpty
        }
    }

    It 'runs the collector under sudo -n with -Sudo' {
        Get-ErrorSummary $Admin.SudoErrors | Should -BeNullOrEmpty
        $Admin.Sudo.Count | Should -Be 1
        $Admin.Sudo[0].HostName | Should -Be 'node1'
        # sudo resets the environment: the node's subnet.env is not where the lab's sshd told the collector
        @($Admin.Sudo[0].Routes | ForEach-Object { "$_" } | Sort-Object) | Should -Be @($Local.node1.Routes | ForEach-Object { "$_" } | Sort-Object)
        @($Admin.Sudo[0].FirewallRules).Count | Should -BeGreaterThan 5
    }

    It 'finds the host-layer fault of node1 from the admin side, and nothing wrong on the other nodes' {
        $errors = @($Admin.Findings | Where-Object Severity -eq 'Error')
        @($errors | ForEach-Object LocalNode | Sort-Object -Unique) | Should -Be 'node1'
        @($errors | Where-Object Check -eq 'IpForwarding').Count | Should -BeGreaterThan 0
        @($Admin.Findings | Where-Object { $_.LocalNode -ne 'node1' -and $_.Severity -ne 'Passed' }) | Should -BeNullOrEmpty
    }

    It 'gives through PowerShell remoting (Invoke-Command -HostName) the states the collector gives inside each node' {
        Get-ErrorSummary $Admin.RemoteErrors | Should -BeNullOrEmpty
        $Admin.Remote.Count | Should -Be 3
        foreach ($state in $Admin.Remote) {
            $node = $Lab.nodeList | Where-Object ip -eq $state.PSComputerName
            $state.PSObject.TypeNames[0] | Should -Be 'Deserialized.FlannelTools.NodeState'
            $state.HostName | Should -Be $node.name
            Get-TableText $state | Should -Be (Get-TableText $Local[$node.name]) -Because "$($node.name)'s tables through remoting"
        }
    }

    It 'gives Test-FlannelCluster what it needs to find node1''s fault, whether the states came over SSH or through remoting' {
        foreach ($way in 'Cluster', 'RemoteCluster') {
            Get-ErrorSummary $Admin."$($way)Errors" | Should -BeNullOrEmpty
            $problems = @($Admin.$way | Where-Object Severity -ne 'Passed')
            @($problems | Where-Object { $_.Check -eq 'IpForwarding' -and $_.Severity -eq 'Error' -and $_.LocalNode -eq 'node1' }).Count | Should -BeGreaterThan 0 -Because $way
            @($problems | Where-Object LocalNode -ne 'node1') | Should -BeNullOrEmpty -Because "only node1 has a fault ($way)"
        }
    }

    It 'gives one error naming the host whose sshd is stopped, and the others'' states' {
        $errors = Get-ErrorSummary $Admin.StoppedErrors
        $errors.Count | Should -Be 1
        $errors[0].Id | Should -Be 'SshFailed'
        $errors[0].Target | Should -Be $Hosts[0]
        $errors[0].Message | Should -Match 'Connection refused'
        @($Admin.Stopped.Source) | Should -Be $Hosts[1], $Hosts[2]
    }

    It 'names a host written as host:port and a port nobody listens on, and still reads the good host' {
        $errors = Get-ErrorSummary $Admin.BadErrors
        @($errors.Id) | Should -Be 'InvalidSshHost', 'SshFailed'
        $errors[0].Target | Should -Be "root@$($Lab.nodeList[1].ip):$($Lab.ssh.port)"
        $errors[1].Target | Should -Be "ssh://$($Lab.nodeList[2].ip):2223"
        @($Admin.Bad.Source) | Should -Be $Hosts[2]
    }
}
