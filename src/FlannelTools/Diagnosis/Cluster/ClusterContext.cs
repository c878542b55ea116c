namespace FlannelTools.Diagnosis
{
    /// <summary>What Test-FlannelCluster is given: the nodes' states, the cluster's nodes, and what Test-FlannelNode takes besides.</summary>
    internal sealed class ClusterInput
    {
        public ClusterInput(IReadOnlyList<NodeState> states, IReadOnlyList<FlannelNode> nodes, FlannelNetConf netConf = null, string netConfUnreadReason = null, int? port = null)
        {
            States = states ?? throw new ArgumentNullException(nameof(states));
            Nodes = nodes ?? throw new ArgumentNullException(nameof(nodes));
            NetConf = netConf;
            NetConfUnreadReason = netConfUnreadReason;
            Port = port;
        }

        public IReadOnlyList<NodeState> States { get; }

        public IReadOnlyList<FlannelNode> Nodes { get; }

        /// <summary>net-conf.json for every node; null: each state's own copy.</summary>
        public FlannelNetConf NetConf { get; }

        public string NetConfUnreadReason { get; }

        public int? Port { get; }
    }

    /// <summary>One node of the cluster whose state was given: the state used, its context, and every finding of its own checks (passed ones too).</summary>
    internal sealed class CheckedNode
    {
        public CheckedNode(FlannelNode node, NodeState state, DiagnosisContext context, IReadOnlyList<Finding> findings)
        {
            Node = node;
            State = state;
            Context = context;
            Findings = findings;
        }

        public FlannelNode Node { get; }

        public NodeState State { get; }

        public DiagnosisContext Context { get; }

        public IReadOnlyList<Finding> Findings { get; }

        public string Name => Node.Name;

        private Dictionary<(string Check, string Node, int? Family), Finding> _index;

        /// <summary>This node's finding of a check about a node (for a family, or null for any), or null: found in constant time, for the pairs.</summary>
        public Finding Find(string check, string node, int? family)
        {
            if (_index == null)
            {
                var index = new Dictionary<(string, string, int?), Finding>();
                foreach (Finding f in Findings)
                {
                    var key = (f.Check, f.Node, f.Family);
                    if (!index.ContainsKey(key))
                    {
                        index[key] = f;
                    }
                    if (f.Family != null && !index.ContainsKey((f.Check, f.Node, null)))
                    {
                        index[(f.Check, f.Node, null)] = f;
                    }
                }
                _index = index;
            }
            return _index.TryGetValue((check, node, family), out Finding found) ? found : null;
        }
    }

    /// <summary>A state that could not be used: not matched to a node, or a second state of a node (the older one).</summary>
    internal sealed class SetAsideState
    {
        public SetAsideState(NodeState state, string nodeName, string reason)
        {
            State = state;
            NodeName = nodeName;
            Reason = reason;
        }

        public NodeState State { get; }

        /// <summary>The node it was matched to (a duplicate); null when it matched none.</summary>
        public string NodeName { get; }

        public string Reason { get; }

        public string Describe() => (State.HostName ?? "a state") + " (" + (State.Source ?? "no source") + ")";
    }

    /// <summary>What the cluster checks read: the nodes announced, the ones checked with their findings, and the states set aside.</summary>
    internal sealed class ClusterContext
    {
        private readonly Dictionary<string, CheckedNode> _byName;

        public ClusterContext(IReadOnlyList<FlannelNode> nodes, IReadOnlyList<CheckedNode> checkedNodes, IReadOnlyList<SetAsideState> setAside)
        {
            Nodes = nodes;
            Checked = checkedNodes;
            SetAside = setAside;
            _byName = checkedNodes.ToDictionary(n => n.Name, StringComparer.Ordinal);
        }

        public IReadOnlyList<FlannelNode> Nodes { get; }

        /// <summary>The nodes whose state was given and matched, in the order of their names.</summary>
        public IReadOnlyList<CheckedNode> Checked { get; }

        public IReadOnlyList<SetAsideState> SetAside { get; }

        /// <summary>Findings a cluster check made per pair and folded into one of its own (PathMtu per sender): shown with -Detail.</summary>
        public List<Finding> Folded { get; } = new List<Finding>();

        /// <summary>The finding of a cluster check each folded finding went into.</summary>
        public Dictionary<Finding, Finding> FoldedInto { get; } = new Dictionary<Finding, Finding>();

        /// <summary>The folded per-pair findings of a cluster check, by (check, from, to, family).</summary>
        public Dictionary<(string Check, string From, string To, int Family), Finding> PairFindings { get; } = new Dictionary<(string, string, string, int), Finding>();

        public void Fold(Finding detail, Finding into, string from, string to, int family)
        {
            Folded.Add(detail);
            FoldedInto[detail] = into;
            PairFindings[(detail.Check, from, to, family)] = detail;
        }

        public CheckedNode Find(string name) => name != null && _byName.TryGetValue(name, out CheckedNode node) ? node : null;

        public Finding Finding(string check, string severity, string node, string expected, string actual, string message, string remedy,
            IEnumerable<string> affected = null, string subject = null)
        {
            var finding = new Finding(check, severity, node, expected, actual, message, remedy, null)
            {
                AffectedNodes = new TextList(affected ?? Enumerable.Empty<string>()),
                Subject = subject,
            };
            return finding;
        }

        /// <summary>Names for a message: all of them up to ten, else the first ten and how many more.</summary>
        public static string NameList(IReadOnlyCollection<string> names) =>
            names.Count <= 10
                ? string.Join(", ", names)
                : string.Join(", ", names.Take(10)) + " and " + (names.Count - 10).ToString(CultureInfo.InvariantCulture) + " more";
    }

    /// <summary>One check across nodes: reads every checked node's state and findings, and writes findings about the cluster (LocalNode null).</summary>
    internal abstract class ClusterCheck
    {
        /// <summary>The Check of its findings, or the first of them.</summary>
        public abstract string Name { get; }

        public abstract IEnumerable<Finding> Run(ClusterContext c);
    }
}
