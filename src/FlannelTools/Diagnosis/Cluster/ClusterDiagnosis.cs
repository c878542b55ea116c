namespace FlannelTools.Diagnosis
{
    /// <summary>What Test-FlannelCluster found: the checked nodes with their own findings, the findings about the cluster, and the roll-ups.</summary>
    internal sealed class ClusterResult
    {
        public ClusterResult(ClusterContext context, IReadOnlyList<Finding> clusterFindings, Rollups rollups)
        {
            Context = context;
            ClusterFindings = clusterFindings;
            Rollups = rollups;
        }

        public ClusterContext Context { get; }

        /// <summary>The findings of the cluster checks (announcements, coverage, …), passed ones too.</summary>
        public IReadOnlyList<Finding> ClusterFindings { get; }

        public Rollups Rollups { get; }

        /// <summary>
        /// The findings to show: the cluster's, then the roll-ups, then each node's own (by node name). A per-node finding
        /// folded into a roll-up comes only with <paramref name="detail"/>; passed checks only with <paramref name="includePassed"/>.
        /// </summary>
        public IEnumerable<Finding> Findings(bool detail, bool includePassed)
        {
            IEnumerable<Finding> all = ClusterFindings.Concat(Rollups.Findings)
                .Concat(detail ? Context.Folded : Enumerable.Empty<Finding>())
                .Concat(Context.Checked.SelectMany(n => n.Findings.Where(f => detail || Rollups.AbsorbedBy(f) == null)));
            return all.Where(f => includePassed || f.Severity != FindingSeverity.Information);
        }

        /// <summary>Every finding, the folded per-node ones too.</summary>
        public IEnumerable<Finding> AllFindings => ClusterFindings.Concat(Rollups.Findings).Concat(Context.Folded).Concat(Context.Checked.SelectMany(n => n.Findings));

        /// <summary>The finding a per-node or per-pair finding was folded into (a roll-up, or a cluster check's own), or null.</summary>
        public Finding FoldedInto(Finding finding) =>
            Rollups.AbsorbedBy(finding) ?? (Context.FoldedInto.TryGetValue(finding, out Finding into) ? into : null);

        /// <summary>Every ordered pair of VXLAN nodes and family, streamed.</summary>
        public IEnumerable<NodePair> Pairs() => PairMatrix.Pairs(this);

        /// <summary>True when every VXLAN node was checked and no check found an Error or could not look (Unknown).</summary>
        public bool Healthy => Context.Checked.Count > 0 && AllFindings.All(f => f.Severity != FindingSeverity.Error && f.Severity != FindingSeverity.Unknown);
    }

    /// <summary>
    /// Test-FlannelCluster's core: matches each state to its node, runs every check Test-FlannelNode runs on each node
    /// (the cluster's announcements once), then the checks across nodes and the roll-ups.
    /// </summary>
    internal static class ClusterDiagnosis
    {
        /// <summary>The checks across nodes, in the order their findings come.</summary>
        public static IReadOnlyList<ClusterCheck> Checks { get; } = new ClusterCheck[]
        {
            new CoverageCheck(),
            new AnnouncementCheck(),
            new VniPortCheck(),
            new PathMtuCheck(),
        };

        public static ClusterResult Run(ClusterInput input, CancellationToken cancel = default)
        {
            ClusterContext context = Match(input, cancel);
            var clusterFindings = new List<Finding>();
            foreach (ClusterCheck check in Checks)
            {
                cancel.ThrowIfCancellationRequested();
                clusterFindings.AddRange(check.Run(context));
            }
            FindingIds.Assign(clusterFindings);
            FindingIds.Assign(context.Folded);
            return new ClusterResult(context, clusterFindings, Rollups.Make(context));
        }

        /// <summary>Each state to its node (LocalNodeResolver, as Test-FlannelNode tells it); two of one node: the newer is used.</summary>
        private static ClusterContext Match(ClusterInput input, CancellationToken cancel)
        {
            var setAside = new List<SetAsideState>();
            var chosen = new Dictionary<string, (FlannelNode Node, NodeState State, int Order)>(StringComparer.Ordinal);
            int order = 0;
            foreach (NodeState state in input.States)
            {
                order++;
                LocalNodeResolution local = LocalNodeResolver.Resolve(state, input.Nodes, null);
                if (local.Node == null)
                {
                    setAside.Add(new SetAsideState(state, null, local.Message));
                    continue;
                }
                if (!chosen.TryGetValue(local.Node.Name, out var earlier))
                {
                    chosen[local.Node.Name] = (local.Node, state, order);
                    continue;
                }
                bool newer = (state.CollectedAt ?? DateTime.MinValue) >= (earlier.State.CollectedAt ?? DateTime.MinValue);
                NodeState used = newer ? state : earlier.State;
                NodeState dropped = newer ? earlier.State : state;
                string why = used.CollectedAt != null && used.CollectedAt != dropped.CollectedAt
                    ? "collected " + used.CollectedAt.Value.ToString("u", CultureInfo.InvariantCulture) + ", the newer"
                    : "given later, and neither is newer by its collection time";
                setAside.Add(new SetAsideState(dropped, local.Node.Name, why));
                chosen[local.Node.Name] = (local.Node, used, order);
            }
            var checkedNodes = new List<CheckedNode>();
            foreach (var entry in chosen.Values.OrderBy(e => e.Node.Name, StringComparer.Ordinal))
            {
                cancel.ThrowIfCancellationRequested();
                var diagnosis = new DiagnosisContext(entry.State, input.Nodes, entry.Node, input.Port, input.NetConf, input.NetConfUnreadReason);
                checkedNodes.Add(new CheckedNode(entry.Node, entry.State, diagnosis, FindingIds.Assign(NodeDiagnosis.Node(diagnosis))));
            }
            return new ClusterContext(input.Nodes, checkedNodes, setAside);
        }
    }
}
