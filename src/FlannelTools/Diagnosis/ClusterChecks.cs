namespace FlannelTools.Diagnosis
{
    /// <summary>Checks of what the nodes announce, whatever node they are run on.</summary>
    internal static class ClusterChecks
    {
        /// <summary>Two nodes announcing the same public IP: the others send VXLAN for both to one address (the NAT-address mistake).</summary>
        public static IEnumerable<Finding> PublicAddressUnique(DiagnosisContext c)
        {
            const string check = "PublicAddressUnique";
            var shared = c.Nodes.Where(DiagnosisContext.IsVxlan)
                .SelectMany(n => new[] { (Node: n, Address: n.PublicAddress), (Node: n, Address: n.PublicAddressV6) })
                .Where(p => IpAddressValue.TryParse(p.Address, out _))
                .GroupBy(p => Parse(p.Address))
                .Where(g => g.Count() > 1)
                .ToList();
            foreach (var group in shared)
            {
                foreach (var (node, address) in group)
                {
                    string others = string.Join(", ", group.Where(p => p.Node != node).Select(p => p.Node.Name));
                    yield return c.Error(check, node.Name, "a public IP of its own", address + ", also announced by " + others,
                        node.Name + " announces public IP " + address + " as " + others + " does, so the other nodes send VXLAN for all of them to one address: " +
                        "give each node its own address (flannel's --public-ip or --iface, or the public-ip-overwrite annotation).", null);
                }
            }
            if (shared.Count == 0)
            {
                yield return c.Passed(check, null, "a public IP per node", "no public IP announced twice", "Every node announces a public IP of its own.");
            }
        }

        /// <summary>A node on the VXLAN backend without a VtepMAC: the other nodes cannot program a neighbour or FDB entry for it.</summary>
        public static IEnumerable<Finding> VtepMacAnnounced(DiagnosisContext c)
        {
            const string check = "VtepMacAnnounced";
            bool any = false;
            foreach (FlannelNode node in c.Nodes.Where(DiagnosisContext.IsVxlan))
            {
                if (OverlayFamily.IPv4.VtepMacOf(node) == null && OverlayFamily.IPv6.VtepMacOf(node) == null)
                {
                    any = true;
                    yield return c.Error(check, node.Name, "a VtepMAC in backend-data", "no VtepMAC",
                        node.Name + " has backend-type vxlan but announces no VtepMAC, so no node can reach its pods: see flannel's log on " + node.Name + ".", null);
                }
            }
            if (!any)
            {
                yield return c.Passed(check, null, "a VtepMAC on every VXLAN node", "every VXLAN node announces one", "Every node on the VXLAN backend announces its VtepMAC.");
            }
        }

        /// <summary>Pod subnets that overlap: the routes to them conflict.</summary>
        public static IEnumerable<Finding> PodCidrOverlap(DiagnosisContext c)
        {
            const string check = "PodCidrOverlap";
            var subnets = c.Nodes
                .SelectMany(n => n.PodCidrs.Concat(new[] { n.PodCidr }).Distinct().Select(t => (Node: n, Ok: IpPrefix.TryParse(t, out IpPrefix p), Prefix: p)))
                .Where(s => s.Ok)
                .ToList();
            bool any = false;
            // Prefixes nest or are disjoint, so sorted by network (shorter first) some two overlap only if two neighbours do:
            // a cluster of thousands of nodes is cleared in n log n; only one with an overlap is looked at pair by pair.
            var sorted = subnets.Select(x => new IpPrefix(x.Prefix.Address.Masked(x.Prefix.Length), x.Prefix.Length))
                .OrderBy(p => p.Version).ThenBy(p => p.Address.High).ThenBy(p => p.Address.Low).ThenBy(p => p.Length).ToList();
            bool mayOverlap = false;
            for (int i = 1; i < sorted.Count && !mayOverlap; i++)
            {
                mayOverlap = Overlap(sorted[i - 1], sorted[i]);
            }
            foreach (var subnet in mayOverlap ? subnets : subnets.Take(0))
            {
                var overlapping = subnets.Where(o => o.Node != subnet.Node && Overlap(o.Prefix, subnet.Prefix)).ToList();
                if (overlapping.Count > 0)
                {
                    any = true;
                    string others = string.Join(", ", overlapping.Select(o => o.Node.Name + " " + o.Prefix));
                    yield return c.Error(check, subnet.Node.Name, "a pod subnet no other node's overlaps", subnet.Prefix + ", overlapping " + others,
                        subnet.Node.Name + "'s pod subnet " + subnet.Prefix + " overlaps " + others + ": the node's podCIDR must be its own (kube-controller-manager's --cluster-cidr, or the node's spec.podCIDR).", null);
                }
            }
            if (!any)
            {
                yield return c.Passed(check, null, "disjoint pod subnets", subnets.Count.ToString(CultureInfo.InvariantCulture) + " disjoint pod subnets", "No two nodes' pod subnets overlap.");
            }
        }

        /// <summary>Nodes announcing different VNIs cannot reach each other; a Windows node among Linux ones is the usual cause.</summary>
        public static IEnumerable<Finding> VniConsistent(DiagnosisContext c)
        {
            const string check = "VniConsistent";
            var announcing = c.Nodes.Where(n => DiagnosisContext.IsVxlan(n) && n.Vni.HasValue).ToList();
            if (c.ClusterVni == null)
            {
                yield return c.Passed(check, null, "one VNI", "no VNI announced", "No node announces a VNI (flannel before VNI was announced wrote only the VtepMAC), so VNIs are not compared.");
                yield break;
            }
            int vni = c.ClusterVni.Value;
            bool any = false;
            foreach (FlannelNode node in announcing.Where(n => n.Vni != vni))
            {
                any = true;
                bool windows = (node.Vni >= DiagnosisContext.WindowsMinimumVni) != (vni >= DiagnosisContext.WindowsMinimumVni);
                yield return c.Error(check, node.Name, "VNI " + Text(vni), "VNI " + Text(node.Vni.Value),
                    node.Name + " announces VNI " + Text(node.Vni.Value) + " and " + (c.LocalNode != null ? c.LocalNode.Name + " expects " : "most nodes announce ") + Text(vni) + ": nodes on different VNIs drop each other's packets" +
                    (windows
                        ? "; this is the Windows/Linux mismatch: Windows nodes accept only VNI 4096 or more on UDP port 4789, so set \"VNI\": 4096 and \"Port\": 4789 in every node's net-conf.json."
                        : "; set one VNI in every node's net-conf.json."), null);
            }
            if (!any)
            {
                yield return c.Passed(check, null, "one VNI", "VNI " + Text(vni), "Every node that announces a VNI announces " + Text(vni) + ".");
            }
        }

        private static bool Overlap(IpPrefix a, IpPrefix b) => a.Contains(b.Address) || b.Contains(a.Address);

        private static IpAddressValue Parse(string text)
        {
            IpAddressValue.TryParse(text, out IpAddressValue value);
            return value;
        }

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
