using System.Management.Automation;
using FlannelTools.Completion;
using System.Net;
using FlannelTools.Diagnosis;

namespace FlannelTools.Commands
{
    /// <summary>Compares a node's VTEP, routes, neighbour and FDB entries, packet filter, kernel settings and flannel's files with what flannel needs there given the cluster, and reports every difference.</summary>
    /// <seealso href="docs/walkthrough.md">The walkthrough: from a capture to the FDB entry</seealso>
    /// <seealso href="docs/diagnosis.md">Diagnosis: the checks of Test-FlannelNode and Test-VxlanCapture</seealso>
    /// <seealso href="docs/host-layer.md">The host layer: packet filter, kernel settings, flannel's files</seealso>
    /// <seealso href="docs/fleet.md">The whole cluster from one machine</seealso>
    /// <seealso href="docs/scheduled-use.md">Scheduled checks</seealso>
    /// <seealso cref="GetFlannelNodeStateCommand"/>
    /// <seealso cref="GetFlannelNodeCommand"/>
    /// <seealso cref="TestVxlanCaptureCommand"/>
    /// <remarks>
    /// Test-FlannelNode reads one node's tables (-NodeState; default: the local node, live, as Get-FlannelNodeState reads
    /// it) and the cluster's nodes (-Node, from the pipeline too; default: Get-FlannelNode through kubectl), and emits one
    /// FlannelTools.Finding per check and node concerned: Check, Severity (Error, Warning, Unknown, Information), Node, Expected,
    /// Actual, Message, Remedy (the command that would mend it, run on the checked node) and LocalNode (the checked node).
    /// <para/>
    /// The checks: for each other node on the VXLAN backend, the route to its pod subnet (Route; a route via its public
    /// IP is recognised as flannel's DirectRouting), the neighbour entry of its subnet address (Neighbor: present,
    /// permanent, with the VtepMAC it announces) and the FDB entry of that MAC (Fdb: present, sent to its public IP);
    /// leftovers on the VTEP (StaleNeighbor, StaleFdb, StaleRoute: Warnings); the node's own VTEP (VtepPresent; VtepMac,
    /// the MAC the node announces; VtepVni; VtepPort, -Port or else 8472, or 4789 when the cluster's VNI is 4096 or more;
    /// VtepLocalAddress; VtepMtu, at most the underlay MTU minus 50, minus 70 over IPv6); and the cluster
    /// (PublicAddressUnique, VtepMacAnnounced, PodCidrOverlap, VniConsistent). Dual-stack nodes are checked for both
    /// families.
    /// <para/>
    /// Errors, Warnings and Unknowns are emitted; -IncludePassed adds the checks that passed (Information). -Quiet emits
    /// only $true (every check looked, and none found an Error) or $false. Nodes piped in are collected and checked together at the end. Deserialized
    /// NodeState and FlannelNode objects (Import-Clixml, $using:, Invoke-Command) are accepted.
    /// <para/>
    /// The node checked is -Name, else the node whose public IP or internal address is the VTEP's local address, else the
    /// one named as the host; when that cannot be told, the error asks for -Name.
    /// <para/>
    /// The host layer, where the state carries it (live, or the collector's document): the packet filter in every
    /// backend (nftables, iptables-nft, iptables-legacy) judged for flannel's own packets (VxlanPortOpen: a VXLAN packet
    /// from each peer's public IP to the VTEP's address on the cluster's port, accepted on input by every base chain;
    /// ForwardFilter: pod traffic between remote pod subnets and local pods, both ways, through every forward base
    /// chain; FirewallBackends: rules in both legacy and nf_tables; FlannelRules: flannel's own tables and chains);
    /// ChecksumOffload (a NAT rule over the outer VXLAN packets with tx-checksum-ip-generic on, the "63-second"
    /// bug) and UdpChecksumErrors (the receiver's counter); IpForwarding, BridgeNetfilter, ReversePath, Conntrack,
    /// PreStackDrop (XDP or tc on the underlay), VxlanPortShared; subnet.env (SubnetEnvPresent, SubnetEnvSubnet,
    /// BridgeAddress, SubnetEnvMtu, SubnetEnvNetwork, SubnetEnvIpMasq) and net-conf.json against the node (NetConfBackend,
    /// NetConfVni, NetConfPort, NetConfDirectRouting, NetConfIPv6, NetConfMtu, NetConfNetwork). A check whose input
    /// was not read, or holds a rule it cannot judge, is Unknown (Severity Unknown, with the reason), never passed; a
    /// state without any host layer (an older collector, pasted tables) gets one Unknown HostLayer finding. Remedies
    /// are printed for the tool that owns the rule (firewall-cmd, ufw, iptables-legacy/iptables-nft, nft), never run.
    /// <para/>
    /// What stays invisible from a node: a cloud security group or a hypervisor dropping UDP 8472, and the other nodes'
    /// tables (run it on each node). Test-FlannelNode only reads; it never changes the node.
    /// </remarks>
    /// <example>
    /// <code>Test-FlannelNode</code>
    /// <para>Checks the local node against the cluster of the current kubectl context and lists what is wrong.</para>
    /// </example>
    /// <example>
    /// <code>if (-not (Test-FlannelNode -Quiet)) { Test-FlannelNode | Export-Csv -Path /var/log/flannel-findings.csv -Append }</code>
    /// <para>In a scheduled script: records the findings only when some check fails.</para>
    /// </example>
    /// <example>
    /// <code>Test-FlannelNode -NodeState (Get-FlannelNodeState -Path node1.state) -Node (Get-FlannelNode -Path nodes.json)</code>
    /// <para>Checks node1 on the admin box, from what the collector printed on node1 and a saved kubectl get nodes -o json.</para>
    /// </example>
    /// <example>
    /// <code>Get-FlannelNode -Path nodes.json | Test-FlannelNode -NodeState (Import-Clixml node1.xml) -IncludePassed | Format-Table Severity, Check, Node, Actual</code>
    /// <para>Shows every check, passed ones too, for a node state saved with Export-Clixml.</para>
    /// </example>
    /// <example>
    /// <code>Test-FlannelNode -NetConf (Get-FlannelNetConf -Path net-conf.json) | Where-Object Check -in VxlanPortOpen, ForwardFilter, ChecksumOffload</code>
    /// <para>Checks the local node with the cluster's net-conf.json from a file, and shows only the packet-filter findings.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "FlannelNode")]
    [OutputType(typeof(Finding))]
    public sealed class TestFlannelNodeCommand : PSCmdlet, IDisposable
    {
        private readonly StopSignal _stop = new StopSignal();
        private readonly List<FlannelNode> _nodes = new List<FlannelNode>();
        private bool _nodesGiven;

        /// <summary>The node's tables, from Get-FlannelNodeState (also deserialized, from Import-Clixml or remoting). Default: the local node's, read live.</summary>
        [Parameter(Position = 0)]
        [NodeStateTransformation]
        [ValidateNotNull]
        public NodeState NodeState { get; set; }

        /// <summary>Every node of the cluster, from Get-FlannelNode (also deserialized); from the pipeline they are collected and checked together. Default: Get-FlannelNode through kubectl.</summary>
        [Parameter(ValueFromPipeline = true)]
        [FlannelNodeTransformation]
        [ValidateNotNull]
        public FlannelNode[] Node { get; set; }

        /// <summary>The name of the node the tables are from. Default: the node whose public IP or internal address is the VTEP's local address, else the host name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NodeNameCompleter))]
        public string Name { get; set; }

        /// <summary>The UDP port the VTEP should use (no annotation carries it). Default: 8472, or 4789 when the cluster's VNI is 4096 or more.</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; }

        /// <summary>flannel's net-conf.json, from Get-FlannelNetConf (also deserialized). Default: the node's copy where the state holds one, else the kube-flannel-cfg ConfigMap through kubectl when -Node is not given.</summary>
        [Parameter]
        [FlannelNetConfTransformation]
        [ValidateNotNull]
        public FlannelNetConf NetConf { get; set; }

        /// <summary>Live (no -NodeState): the subnet.env flanneld writes (default /run/flannel/subnet.env).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string SubnetEnvPath { get; set; }

        /// <summary>Live (no -NodeState): a copy of net-conf.json on the node.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string NetConfPath { get; set; }

        /// <summary>The kubeconfig context kubectl reads the cluster's nodes and flannel's ConfigMap from, when -Node or -NetConf is not given: a scheduled script pins its cluster with it.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(KubeContextCompleter))]
        public string Context { get; set; }

        /// <summary>The kubeconfig file kubectl reads, when -Node or -NetConf is not given.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Kubeconfig { get; set; }

        /// <summary>Emits the checks that passed too, with Severity Information.</summary>
        [Parameter]
        public SwitchParameter IncludePassed { get; set; }

        /// <summary>
        /// Emits exactly one value: $true when every check looked and none found an Error, else $false (an Unknown check is
        /// not a pass). What stops the checks (kubectl failing, no local node, the tables unreadable) is a non-terminating
        /// error followed by $false, so <c>if (-not (Test-FlannelNode -Quiet))</c> takes its branch.
        /// </summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void ProcessRecord()
        {
            if (Node != null)
            {
                _nodesGiven = true;
                _nodes.AddRange(Node.Where(n => n != null));
            }
        }

        protected override void EndProcessing()
        {
            if (!_nodesGiven && MyInvocation.ExpectingInput)
            {
                // Piped objects that are not nodes must not turn into a check against whatever cluster kubectl points at.
                CannotCheck(CommandErrors.NoPipedNodes.Record(null,
                    "Nothing piped in was a node: pipe Get-FlannelNode's output (or nodes saved with Export-Clixml), or give -Node."));
                return;
            }
            if (!_nodesGiven)
            {
                IReadOnlyList<FlannelNode> read = KubectlNodes.TryRead(this, Context, Kubeconfig, _stop.Token, out ErrorRecord kubectlError);
                if (kubectlError != null)
                {
                    CannotCheck(kubectlError);
                    return;
                }
                _nodes.AddRange(read);
            }
            if (_stop.IsStopping)
            {
                return;
            }
            if (_nodes.Count == 0)
            {
                CannotCheck(CommandErrors.NoNodes.Record(null, "No nodes to compare with: give the cluster's nodes with -Node (Get-FlannelNode)."));
                return;
            }
            NodeState state = NodeState ?? ReadLiveState();
            if (state == null)
            {
                if (!_stop.IsStopping && Quiet)
                {
                    WriteObject(false);
                }
                return;
            }
            LocalNodeResolution local = LocalNodeResolver.Resolve(state, _nodes, Name);
            if (local.Node == null)
            {
                CannotCheck(CommandErrors.ById(local.ErrorId).Record(Name ?? state.HostName, local.Message));
                return;
            }
            WriteVerbose("Checking " + local.Node.Name + " (" + local.Message + ") against " + _nodes.Count + " nodes.");
            FlannelNetConf netConf = NetConf;
            string netConfReason = null;
            if (netConf == null && state.NetConf == null && !_nodesGiven)
            {
                netConf = KubectlNetConf.Read(this, Context, Kubeconfig, _stop.Token, out netConfReason);
            }
            var context = new DiagnosisContext(state, _nodes, local.Node, MyInvocation.BoundParameters.ContainsKey(nameof(Port)) ? Port : (int?)null,
                netConf, netConfReason ?? (_nodesGiven && NetConf == null && state.NetConf == null ? "give it with -NetConf (Get-FlannelNetConf)" : null));
            IReadOnlyList<Finding> findings = NodeDiagnosis.Run(context);
            if (Quiet)
            {
                WriteObject(findings.All(f => f.Severity != FindingSeverity.Error && f.Severity != FindingSeverity.Unknown));
                return;
            }
            foreach (Finding finding in findings.Where(f => IncludePassed || f.Severity != FindingSeverity.Information))
            {
                WriteObject(finding);
            }
        }

        protected override void StopProcessing() => _stop.Stop();

        public void Dispose() => _stop.Dispose();

        /// <summary>What stops the checks is an error the script can go on from; with -Quiet, the one value is $false.</summary>
        private void CannotCheck(ErrorRecord error)
        {
            WriteError(error);
            if (Quiet)
            {
                WriteObject(false);
            }
        }

        private NodeState ReadLiveState()
        {
            var builder = new NodeStateBuilder();
            NodeState state = NodeTableCommandHelper.ReadLiveState(this, builder, Dns.GetHostName(), _stop.Token, hostLayer: true,
                SubnetEnvPath == null ? null : GetUnresolvedProviderPathFromPSPath(SubnetEnvPath),
                NetConfPath == null ? null : GetUnresolvedProviderPathFromPSPath(NetConfPath), terminating: false);
            NodeTableCommandHelper.WriteProblems(this, builder.Problems);
            return state;
        }
    }
}
