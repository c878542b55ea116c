using System.Management.Automation;
using FlannelTools.Completion;
using FlannelTools.Diagnosis;
using FlannelTools.Report;

namespace FlannelTools.Commands
{
    /// <summary>Checks every node's tables and the paths between every pair of nodes from the states of all of them, and reports each root cause once.</summary>
    /// <seealso href="docs/walkthrough.md">The walkthrough: from a capture to the FDB entry</seealso>
    /// <seealso href="docs/whole-cluster.md">The whole cluster: Test-FlannelCluster</seealso>
    /// <seealso href="docs/diagnosis.md">Diagnosis: the checks of Test-FlannelNode and Test-VxlanCapture</seealso>
    /// <seealso href="docs/fleet.md">The whole cluster from one machine</seealso>
    /// <seealso cref="TestFlannelNodeCommand"/>
    /// <seealso cref="GetFlannelNodeStateCommand"/>
    /// <seealso cref="GetFlannelNodeCommand"/>
    /// <remarks>
    /// Test-FlannelCluster collects the NodeStates piped in (from Get-FlannelNodeState, also deserialized ones from
    /// Import-Clixml or remoting) and the cluster's nodes (-Node; default: Get-FlannelNode through kubectl), matches each
    /// state to its node as Test-FlannelNode does (the VTEP's local address, else the host name), and then:
    /// <para/>
    /// Per node, it runs every check Test-FlannelNode runs (the host-layer checks too, where the state carries that
    /// layer) and emits the same FlannelTools.Finding objects, with LocalNode set to the node checked. The checks of
    /// what the nodes announce (PublicAddressUnique, VtepMacAnnounced, PodCidrOverlap, VniConsistent) run once for the
    /// cluster, with LocalNode null.
    /// <para/>
    /// Coverage: a node on the VXLAN backend without a state is one Unknown Coverage finding naming it (never a pass); a
    /// state of no node of the cluster is a Warning (Coverage) and a warning; two states of one node are a
    /// DuplicateState Warning naming both, and the newer one (by its collection time, else the later given) is used.
    /// <para/>
    /// Root causes are rolled up, in both directions, each into one finding whose AffectedNodes lists the nodes
    /// concerned and whose Remedy holds the commands to run on each: EntriesForNode (most nodes hold entries for one
    /// node that disagree with what it announces: a VtepMAC that changed), EntriesOnNode (one node holds wrong or
    /// missing entries for most of its peers: its flanneld is dead or stuck; LocalNode is that node), and StaleEntries
    /// (the same leftover on several nodes: a gone node's entries, or a node's old VtepMAC). A roll-up needs two nodes
    /// or more and more than half of those that could have the fault. The per-peer findings folded into a roll-up
    /// come only with -Detail. Every finding has an Id, the same for the same input.
    /// <para/>
    /// Across nodes: PathMtu (a sender's VTEP MTU plus 50 bytes of VXLAN, 70 over IPv6, above a receiver's underlay MTU:
    /// one Warning per receiver, its senders as AffectedNodes; per-node MTUs are allowed, flannel-io/flannel#463), OneVni
    /// and OnePort (the VTEPs' VNI and UDP port differ between nodes: an Error naming the nodes that differ from most),
    /// and NetworkUnavailable (nodes whose condition is True: flannel has not started there).
    /// <para/>
    /// -Matrix emits a FlannelTools.NodePair per ordered pair A→B and family instead: From, To, Family, Route, Neighbor,
    /// Fdb and PathMtu (each Passed, Failed or Unknown: A's entries for B against B's announcement and B's own VTEP, and
    /// DirectRouting's route via B's public IP as flannel makes it), Status, and FindingIds (the Ids of the findings behind
    /// a failure, the roll-up first). By default only the pairs that are not Passed; every pair with -IncludePassed.
    /// They stream, for Where-Object, Export-Csv and pivoting.
    /// <para/>
    /// Errors, Warnings and Unknowns are emitted; -IncludePassed adds the passed checks (Information). -Quiet emits
    /// exactly one [bool]: $true only when every node was given and checked and no check found an Error or could not
    /// look; what stops the checks (no state piped in, kubectl failing) is a non-terminating error followed by $false.
    /// Test-FlannelCluster only reads; it changes no node.
    /// </remarks>
    /// <example>
    /// <code>Get-ChildItem states/*.state | Get-FlannelNodeState | Test-FlannelCluster -Node (Get-FlannelNode -Path nodes.json)</code>
    /// <para>Checks the whole cluster from the collector's documents of every node and a saved kubectl get nodes -o json.</para>
    /// </example>
    /// <example>
    /// <code>Invoke-Command -HostName node1, node2, node3 { Get-FlannelNodeState } | Test-FlannelCluster</code>
    /// <para>Reads each node over PowerShell remoting and checks them together against the cluster kubectl points at.</para>
    /// </example>
    /// <example>
    /// <code>$states | Test-FlannelCluster -Node $nodes -Detail | Where-Object Check -in Neighbor, Fdb | Group-Object LocalNode</code>
    /// <para>Shows the per-peer findings behind the roll-ups, grouped by the node that holds them.</para>
    /// </example>
    /// <example>
    /// <code>$states | Test-FlannelCluster -Node $nodes -Matrix | Export-Csv broken-pairs.csv</code>
    /// <para>Writes every pair of nodes that is not Passed, with which part failed and the findings behind it, for a spreadsheet.</para>
    /// </example>
    /// <example>
    /// <code>if (-not ($states | Test-FlannelCluster -Node $nodes -Quiet)) { $states | Test-FlannelCluster -Node $nodes | Export-Csv findings.csv }</code>
    /// <para>In a scheduled script: records the findings only when something is wrong.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "FlannelCluster")]
    [OutputType(typeof(Finding))]
    [OutputType(typeof(NodePair))]
    public sealed class TestFlannelClusterCommand : PSCmdlet, IDisposable
    {
        private readonly StopSignal _stop = new StopSignal();
        private readonly List<NodeState> _states = new List<NodeState>();

        /// <summary>The nodes' tables, from Get-FlannelNodeState (also deserialized, from Import-Clixml or remoting); from the pipeline they are collected and checked together at the end.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true)]
        [NodeStateTransformation]
        [AllowNull]
        [AllowEmptyCollection]
        public NodeState[] NodeState { get; set; }

        /// <summary>Every node of the cluster, from Get-FlannelNode (also deserialized). Default: Get-FlannelNode through kubectl.</summary>
        [Parameter]
        [FlannelNodeTransformation]
        [ValidateNotNull]
        public FlannelNode[] Node { get; set; }

        /// <summary>flannel's net-conf.json for every node, from Get-FlannelNetConf (also deserialized). Default: each node's copy where its state holds one, else the kube-flannel-cfg ConfigMap through kubectl when -Node is not given.</summary>
        [Parameter]
        [FlannelNetConfTransformation]
        [ValidateNotNull]
        public FlannelNetConf NetConf { get; set; }

        /// <summary>The UDP port the VTEPs should use. Default: net-conf.json's, else 8472, or 4789 when the cluster's VNI is 4096 or more.</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int Port { get; set; }

        /// <summary>The kubeconfig context kubectl reads the nodes and flannel's ConfigMap from, when -Node or -NetConf is not given.</summary>
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

        /// <summary>Emits the per-peer findings folded into a roll-up too, beside the roll-up.</summary>
        [Parameter]
        public SwitchParameter Detail { get; set; }

        /// <summary>Emits a FlannelTools.NodePair per ordered pair of nodes and family instead of the findings: only the pairs that are not Passed, every pair with -IncludePassed. They stream.</summary>
        [Parameter]
        public SwitchParameter Matrix { get; set; }

        /// <summary>
        /// Emits exactly one value: $true when every node was given and checked and no check found an Error or could not
        /// look, else $false. What stops the checks is a non-terminating error followed by $false.
        /// </summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>Also writes the check as one self-contained HTML page (inline CSS and SVG, no script): the cluster map (a box per node with its public IP, pod subnet and VtepMAC, an edge per pair coloured by its status; a heat map of the pairs past 30 nodes), the findings by severity with their evidence and remedies, and the headers of each broken pair.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string HtmlPath { get; set; }

        protected override void ProcessRecord()
        {
            if (NodeState != null)
            {
                _states.AddRange(NodeState.Where(s => s != null));
            }
        }

        protected override void EndProcessing()
        {
            if (_states.Count == 0)
            {
                CannotCheck(CommandErrors.NoNodeStates.Record(null,
                    "No node state to check: pipe Get-FlannelNodeState's output for every node (or states saved with Export-Clixml), or give -NodeState."));
                return;
            }
            bool nodesGiven = Node != null;
            IReadOnlyList<FlannelNode> nodes;
            if (nodesGiven)
            {
                nodes = Node.Where(n => n != null).ToList();
            }
            else
            {
                nodes = KubectlNodes.TryRead(this, Context, Kubeconfig, _stop.Token, out ErrorRecord kubectlError);
                if (kubectlError != null)
                {
                    CannotCheck(kubectlError);
                    return;
                }
            }
            if (_stop.IsStopping)
            {
                return;
            }
            if (nodes.Count == 0)
            {
                CannotCheck(CommandErrors.NoNodes.Record(null, "No nodes to compare with: give the cluster's nodes with -Node (Get-FlannelNode)."));
                return;
            }
            FlannelNetConf netConf = NetConf;
            string netConfReason = null;
            if (netConf == null && _states.Any(s => s.NetConf == null))
            {
                if (nodesGiven)
                {
                    netConfReason = "give it with -NetConf (Get-FlannelNetConf)";
                }
                else
                {
                    netConf = KubectlNetConf.Read(this, Context, Kubeconfig, _stop.Token, out netConfReason);
                }
            }
            WriteVerbose("Checking " + _states.Count.ToString(CultureInfo.InvariantCulture) + " node states against " + nodes.Count.ToString(CultureInfo.InvariantCulture) + " nodes.");
            var input = new ClusterInput(_states, nodes, netConf, netConfReason, MyInvocation.BoundParameters.ContainsKey(nameof(Port)) ? Port : (int?)null);
            ClusterResult result;
            try
            {
                result = ClusterDiagnosis.Run(input, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsStopping)
            {
                return;
            }
            foreach (SetAsideState aside in result.Context.SetAside)
            {
                WriteWarning(aside.NodeName == null
                    ? "The state " + aside.Describe() + " is of no node of the cluster and was not checked: " + aside.Reason
                    : "Two states are of " + aside.NodeName + "; " + aside.Describe() + " was set aside, the other used (" + aside.Reason + ").");
            }
            if (HtmlPath != null)
            {
                WriteReport(nodes, result);
            }
            if (Quiet)
            {
                WriteObject(result.Healthy);
                return;
            }
            if (Matrix)
            {
                foreach (NodePair pair in result.Pairs())
                {
                    if (_stop.IsStopping)
                    {
                        return;
                    }
                    if (IncludePassed || pair.Status != PairStatus.Passed)
                    {
                        WriteObject(pair);
                    }
                }
                return;
            }
            foreach (Finding finding in result.Findings(Detail, IncludePassed))
            {
                WriteObject(finding);
            }
        }

        private void WriteReport(IReadOnlyList<FlannelNode> nodes, ClusterResult result)
        {
            string path = GetUnresolvedProviderPathFromPSPath(HtmlPath);
            List<FlannelNode> vxlan = nodes.Where(DiagnosisContext.IsVxlan).ToList();
            List<ReportPair> pairs = ClusterReport.Pairs(result.Pairs());
            string page = ClusterReport.Write("flannel cluster check", vxlan, result.Findings(Detail, IncludePassed), pairs, DateTime.UtcNow,
                MyInvocation.BoundParameters.ContainsKey(nameof(Port)) ? Port : 8472);
            try
            {
                File.WriteAllText(path, page, new UTF8Encoding(false));
                WriteVerbose("Wrote the report to " + path + ".");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                WriteError(CommandErrors.OutFileFailed.Record(path, "-HtmlPath '" + path + "' cannot be written: " + e.Message, e));
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
    }
}
