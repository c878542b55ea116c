namespace FlannelTools.Diagnosis
{
    /// <summary>The cluster's announcements (public IPs, VtepMACs, pod subnets, VNIs), checked once for the whole cluster rather than once per node.</summary>
    internal sealed class AnnouncementCheck : ClusterCheck
    {
        public override string Name => "PublicAddressUnique";

        public override IEnumerable<Finding> Run(ClusterContext c) => NodeDiagnosis.Announcements(DiagnosisContext.ForAnnouncements(c.Nodes));
    }

    /// <summary>
    /// Which nodes were looked at: every node on the VXLAN backend needs a state (else it is Unknown, never passed), a
    /// state must be some node's (else a Warning), and two states of one node are a Warning naming both (the newer is used).
    /// </summary>
    internal sealed class CoverageCheck : ClusterCheck
    {
        public override string Name => "Coverage";

        public override IEnumerable<Finding> Run(ClusterContext c)
        {
            var missing = c.Nodes.Where(n => DiagnosisContext.IsVxlan(n) && c.Find(n.Name) == null).Select(n => n.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
            if (missing.Count > 0)
            {
                yield return c.Finding(Name, FindingSeverity.Unknown, missing.Count == 1 ? missing[0] : null, "a state of every VXLAN node",
                    "no state of " + ClusterContext.NameList(missing),
                    "Not checked: no state was given for " + ClusterContext.NameList(missing) + " (" + Count(missing.Count, "node") + " of the cluster's " +
                    Count(c.Nodes.Count(DiagnosisContext.IsVxlan), "VXLAN node") + "), so their tables and the paths to them are unknown: collect them too " +
                    "(Get-FlannelNodeState, or collect-flannel-state.sh on each node).", null, missing, "missing");
            }
            foreach (SetAsideState aside in c.SetAside.Where(s => s.NodeName == null))
            {
                yield return c.Finding(Name, FindingSeverity.Warning, aside.State.HostName, "a state of a node of the cluster", aside.Describe(),
                    "The state " + aside.Describe() + " is of no node of the cluster, so it was not checked: " + aside.Reason, null, null, aside.State.Source ?? aside.State.HostName);
            }
            foreach (SetAsideState aside in c.SetAside.Where(s => s.NodeName != null))
            {
                CheckedNode used = c.Find(aside.NodeName);
                yield return c.Finding("DuplicateState", FindingSeverity.Warning, aside.NodeName, "one state per node",
                    "two states: " + Describe(used.State) + " and " + aside.Describe(),
                    "Two states are of " + aside.NodeName + ": " + Describe(used.State) + " (used: " + aside.Reason + ") and " + aside.Describe() + " (set aside).", null,
                    new[] { aside.NodeName });
            }
            var unavailable = c.Nodes.Where(n => n.NetworkUnavailable == true).Select(n => n.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
            if (unavailable.Count > 0)
            {
                yield return c.Finding("NetworkUnavailable", FindingSeverity.Error, unavailable.Count == 1 ? unavailable[0] : null, "NetworkUnavailable False (FlannelIsUp)",
                    "NetworkUnavailable True on " + ClusterContext.NameList(unavailable),
                    "Kubernetes marks " + ClusterContext.NameList(unavailable) + " NetworkUnavailable, so no pod is scheduled there: flannel sets the condition False when it " +
                    "starts on a node, so it has not started, or could not, there. See the flannel pod's log on each.", null, unavailable, "NetworkUnavailable");
            }
            if (missing.Count == 0 && c.SetAside.Count == 0)
            {
                yield return c.Finding(Name, FindingSeverity.Information, null, "a state of every VXLAN node", Count(c.Checked.Count, "node") + " checked",
                    "Every node on the VXLAN backend was given and checked, once.", null);
            }
        }

        private static string Describe(NodeState state) => (state.HostName ?? "a state") + " (" + (state.Source ?? "no source") + ")";

        private static string Count(int count, string noun) => count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");
    }
}
