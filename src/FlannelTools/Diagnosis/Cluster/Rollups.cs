namespace FlannelTools.Diagnosis
{
    /// <summary>
    /// Root causes across nodes, in both directions. One node's per-peer findings repeated on many nodes are one cause:
    /// <list type="bullet">
    /// <item>EntriesForNode: what most nodes hold for one node disagrees with what it announces (a VtepMAC that changed,
    /// n7's new MAC that 299 peers do not know): one finding about that node, its holders as AffectedNodes.</item>
    /// <item>EntriesOnNode: one node holds wrong or missing entries for most of its peers (its flanneld is dead or stuck):
    /// one finding about that node, its peers as AffectedNodes.</item>
    /// <item>StaleEntries: the same leftover (a gone node's route, neighbour and FDB entry, or a node's old VtepMAC) on
    /// several nodes: one Warning, the holders as AffectedNodes.</item>
    /// </list>
    /// A roll-up needs two nodes or more, and more than half of those that could have had the fault: a single broken
    /// pair stays a per-peer finding.
    /// </summary>
    internal sealed class Rollups
    {
        public const string EntriesForNode = "EntriesForNode";
        public const string EntriesOnNode = "EntriesOnNode";
        public const string StaleEntries = "StaleEntries";

        private static readonly HashSet<string> PeerChecks = new HashSet<string>(StringComparer.Ordinal) { "Route", "Neighbor", "Fdb" };
        private static readonly HashSet<string> LeftoverChecks = new HashSet<string>(StringComparer.Ordinal) { "StaleNeighbor", "StaleFdb", "StaleRoute" };

        private readonly ClusterContext _c;
        private readonly Dictionary<Finding, Finding> _absorbedBy = new Dictionary<Finding, Finding>();
        private readonly List<Finding> _rollups = new List<Finding>();

        private Rollups(ClusterContext c) => _c = c;

        /// <summary>The roll-up findings, in the order made.</summary>
        public IReadOnlyList<Finding> Findings => _rollups;

        /// <summary>The roll-up a per-node finding was folded into, or null.</summary>
        public Finding AbsorbedBy(Finding finding) => _absorbedBy.TryGetValue(finding, out Finding rollup) ? rollup : null;

        public static Rollups Make(ClusterContext c)
        {
            var rollups = new Rollups(c);
            rollups.Build();
            return rollups;
        }

        private static bool IsProblem(Finding f) => f.Severity == FindingSeverity.Error || f.Severity == FindingSeverity.Warning;

        private void Build()
        {
            // Who checked whom: the Route check runs for every peer with a pod subnet, so it counts the pairs looked at.
            var holdersOf = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            var peersOf = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
            var failures = new List<Finding>();
            var leftovers = new List<Finding>();
            foreach (CheckedNode node in _c.Checked)
            {
                foreach (Finding f in node.Findings)
                {
                    if (f.Check == "Route" && f.Node != null)
                    {
                        Add(holdersOf, f.Node, node.Name);
                        Add(peersOf, node.Name, f.Node);
                    }
                    if (PeerChecks.Contains(f.Check) && f.Node != null && IsProblem(f))
                    {
                        failures.Add(f);
                    }
                    else if (LeftoverChecks.Contains(f.Check) && IsProblem(f))
                    {
                        leftovers.Add(f);
                    }
                }
            }

            var forNode = new Dictionary<string, Finding>(StringComparer.Ordinal);
            foreach (var group in failures.GroupBy(f => f.Node, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var holders = group.Select(f => f.LocalNode).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToList();
                int looked = holdersOf.TryGetValue(group.Key, out HashSet<string> all) ? all.Count : holders.Count;
                if (holders.Count >= 2 && holders.Count * 2 > looked)
                {
                    // The old VtepMAC's FDB entry on the holders goes with it, and so does the command that deletes it.
                    var oldMac = leftovers.Where(f => f.Check == "StaleFdb" && f.Node == group.Key && holders.Contains(f.LocalNode)).ToList();
                    forNode[group.Key] = Fold(group.Concat(oldMac).ToList(), EntriesForNodeFinding(group.Key, group.ToList(), holders, looked, Remedy(group.Concat(oldMac).ToList())));
                }
            }

            foreach (var group in failures.Where(f => !_absorbedBy.ContainsKey(f)).GroupBy(f => f.LocalNode, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var peers = group.Select(f => f.Node).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToList();
                int looked = peersOf.TryGetValue(group.Key, out HashSet<string> all) ? all.Count : peers.Count;
                if (peers.Count >= 2 && peers.Count * 2 > looked)
                {
                    Fold(group.ToList(), EntriesOnNodeFinding(group.Key, group.ToList(), peers, looked));
                }
            }

            foreach (var group in leftovers.Where(f => !_absorbedBy.ContainsKey(f))
                         .GroupBy(f => f.Subject ?? (f.Node != null ? "old VtepMAC of " + f.Node : f.Actual), StringComparer.Ordinal)
                         .OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                var holders = group.Select(f => f.LocalNode).Distinct(StringComparer.Ordinal).OrderBy(n => n, StringComparer.Ordinal).ToList();
                if (holders.Count >= 2)
                {
                    Fold(group.ToList(), StaleEntriesFinding(group.Key, group.ToList(), holders));
                }
            }
        }

        private Finding Fold(List<Finding> findings, Finding rollup)
        {
            rollup.Id = "cluster/" + rollup.Check + "/" + (rollup.Node ?? rollup.Subject);
            _rollups.Add(rollup);
            foreach (Finding f in findings)
            {
                Absorb(f, rollup);
            }
            return rollup;
        }

        private void Absorb(Finding finding, Finding rollup) => _absorbedBy[finding] = rollup;

        private Finding EntriesForNodeFinding(string name, List<Finding> findings, List<string> holders, int looked, string remedy)
        {
            FlannelNode announcer = _c.Nodes.FirstOrDefault(n => n.Name == name);
            CheckedNode own = _c.Find(name);
            string announced = announcer == null ? string.Empty : " (VtepMAC " + (announcer.VtepMac ?? announcer.VtepMacV6 ?? "none") + ", public IP " +
                (announcer.PublicAddress ?? announcer.PublicAddressV6 ?? "none") + ")";
            string vtepMac = own?.State.Vtep?.MacAddress ?? own?.State.VtepV6?.MacAddress;
            string ownNote = own == null || vtepMac == null
                ? string.Empty
                : MacAddress.Normalize(vtepMac) == MacAddress.Normalize(announcer?.VtepMac ?? announcer?.VtepMacV6)
                    ? "; " + name + "'s own VTEP has the MAC it announces, so the holders' entries are what is stale"
                    : "; " + name + "'s own VTEP has " + MacAddress.Normalize(vtepMac) + ", another MAC again (its VtepMac finding)";
            string severity = findings.Any(f => f.Severity == FindingSeverity.Error) ? FindingSeverity.Error : FindingSeverity.Warning;
            return _c.Finding(EntriesForNode, severity, name, "every node's entries for " + name + " as it announces them",
                holders.Count.ToString(CultureInfo.InvariantCulture) + " of " + looked.ToString(CultureInfo.InvariantCulture) + " nodes disagree (" + Tally(findings) + ")",
                ClusterContext.NameList(holders) + " (" + holders.Count.ToString(CultureInfo.InvariantCulture) + " of the " + looked.ToString(CultureInfo.InvariantCulture) +
                " nodes that program " + name + ") hold entries for " + name + " that disagree with what it announces" + announced + ownNote + ". On " + findings[0].LocalNode + ": " +
                findings[0].Message + " Run the remedies on each of them, or restart flanneld there so that it programs " + name + " again.",
                remedy, holders);
        }

        private Finding EntriesOnNodeFinding(string name, List<Finding> findings, List<string> peers, int looked)
        {
            string severity = findings.Any(f => f.Severity == FindingSeverity.Error) ? FindingSeverity.Error : FindingSeverity.Warning;
            var finding = _c.Finding(EntriesOnNode, severity, name, "entries on " + name + " for each peer as the peer announces them",
                peers.Count.ToString(CultureInfo.InvariantCulture) + " of " + looked.ToString(CultureInfo.InvariantCulture) + " peers wrong (" + Tally(findings) + ")",
                name + " holds wrong or missing entries for " + peers.Count.ToString(CultureInfo.InvariantCulture) + " of its " + looked.ToString(CultureInfo.InvariantCulture) +
                " peers (" + ClusterContext.NameList(peers) + "): one node wrong about most of the cluster is its own flanneld not " +
                "programming (dead, stuck, or its watch of the nodes stopped). See the log of the flannel pod on " + name + " and restart it, or run the remedies on " + name + ". " +
                "First: " + findings[0].Message,
                Remedy(findings), peers);
            return new Finding(finding.Check, finding.Severity, finding.Node, finding.Expected, finding.Actual, finding.Message, finding.Remedy, name, finding.Capture) { AffectedNodes = finding.AffectedNodes };
        }

        private Finding StaleEntriesFinding(string key, List<Finding> findings, List<string> holders)
        {
            string owner = findings.Select(f => f.Node).FirstOrDefault(n => n != null);
            string kinds = string.Join(", ", findings.Select(f => f.Check switch { "StaleRoute" => "route", "StaleNeighbor" => "neighbour entry", _ => "FDB entry" })
                .Distinct().OrderBy(k => k, StringComparer.Ordinal));
            return _c.Finding(StaleEntries, FindingSeverity.Warning, owner, "no entry", holders.Count.ToString(CultureInfo.InvariantCulture) + " nodes hold " + kinds + " for " + key,
                ClusterContext.NameList(holders) + " hold the same leftover for " + key + " (" + kinds + ")" +
                (owner != null ? ": " + owner + "'s old VtepMAC, which it no longer announces; harmless." : ", which no node announces: entries of a node that is gone; harmless unless its subnet is given to a new node.") +
                " Run the remedies on each of them to clean up.",
                Remedy(findings), holders, owner == null ? key : null);
        }

        private static string Tally(List<Finding> findings) =>
            string.Join(", ", findings.GroupBy(f => f.Check, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => g.Key + " on " + g.Select(f => f.LocalNode).Distinct(StringComparer.Ordinal).Count().ToString(CultureInfo.InvariantCulture)));

        /// <summary>Each distinct command once, a line each, in the order met.</summary>
        private static string Remedy(List<Finding> findings)
        {
            var lines = findings.Select(f => f.Remedy).Where(r => r != null).Distinct(StringComparer.Ordinal).ToList();
            return lines.Count == 0 ? null : string.Join("\n", lines);
        }

        private static void Add(Dictionary<string, HashSet<string>> map, string key, string value)
        {
            if (!map.TryGetValue(key, out HashSet<string> set))
            {
                map[key] = set = new HashSet<string>(StringComparer.Ordinal);
            }
            set.Add(value);
        }
    }
}
