namespace FlannelTools.Diagnosis
{
    /// <summary>Runs every check: the cluster's announcements, the node's VTEP, each other node's path, leftovers, and the host layer (packet filter, kernel settings, flannel's files).</summary>
    internal static class NodeDiagnosis
    {
        /// <summary>Every finding, passed checks (Information) included; the caller filters.</summary>
        public static IReadOnlyList<Finding> Run(DiagnosisContext c) => FindingIds.Assign(Tables(c).Concat(HostLayer(c)).ToList());

        /// <summary>The checks of the cluster's announcements and the node's dataplane tables: VTEP, routes, neighbours, FDB, leftovers.</summary>
        public static IReadOnlyList<Finding> Tables(DiagnosisContext c) => Announcements(c).Concat(NodeTables(c)).ToList();

        /// <summary>What the nodes announce, whatever node is checked (Test-FlannelCluster runs these once, not once per node).</summary>
        public static IEnumerable<Finding> Announcements(DiagnosisContext c) =>
            ClusterChecks.PublicAddressUnique(c)
                .Concat(ClusterChecks.VtepMacAnnounced(c))
                .Concat(ClusterChecks.PodCidrOverlap(c))
                .Concat(ClusterChecks.VniConsistent(c));

        /// <summary>Every check of the node itself: its dataplane tables and its host layer.</summary>
        public static IReadOnlyList<Finding> Node(DiagnosisContext c) => NodeTables(c).Concat(HostLayer(c)).ToList();

        /// <summary>The node's dataplane tables: its VTEP, its route, neighbour and FDB entry for each peer, and leftovers.</summary>
        public static IReadOnlyList<Finding> NodeTables(DiagnosisContext c)
        {
            var findings = new List<Finding>();
            if (!DiagnosisContext.IsVxlan(c.LocalNode) && c.State.Vtep == null && c.State.VtepV6 == null)
            {
                findings.Add(c.Warning("Backend", c.LocalNode.Name, "vxlan", c.LocalNode.BackendType ?? "none",
                    c.LocalNode.Name + " announces backend " + (c.LocalNode.BackendType ?? "none") + " and has no VXLAN device: Test-FlannelNode checks the VXLAN backend only.", null));
                return findings;
            }
            foreach (OverlayFamily family in c.Families)
            {
                int first = findings.Count;
                findings.AddRange(FamilyTables(c, family));
                for (int i = first; i < findings.Count; i++)
                {
                    findings[i].Family = family.Version;
                }
            }
            return findings;
        }

        /// <summary>The VTEP and peer checks of one overlay family.</summary>
        private static List<Finding> FamilyTables(DiagnosisContext c, OverlayFamily family)
        {
            var findings = new List<Finding>();
            {
                List<Finding> present = VtepChecks.VtepPresent(c, family).ToList();
                findings.AddRange(present);
                Vtep vtep = family.VtepOf(c.State);
                if (vtep == null)
                {
                    return findings;
                }
                findings.AddRange(VtepChecks.VtepMac(c, family, vtep));
                findings.AddRange(VtepChecks.VtepVni(c, family, vtep));
                findings.AddRange(VtepChecks.VtepPort(c, family, vtep));
                findings.AddRange(VtepChecks.VtepLocalAddress(c, family, vtep));
                findings.AddRange(VtepChecks.VtepMtu(c, family, vtep));
                foreach (FlannelNode peer in c.Peers.Where(p => family.PodCidrOf(p).HasValue))
                {
                    findings.AddRange(PeerChecks.Route(c, family, vtep, peer));
                    if (family.VtepMacOf(peer) == null || PeerChecks.FindDirectRoute(c, family, peer) != null)
                    {
                        continue;
                    }
                    findings.AddRange(PeerChecks.Neighbor(c, family, vtep, peer));
                    findings.AddRange(PeerChecks.Fdb(c, family, vtep, peer));
                }
                findings.AddRange(LeftoverChecks.StaleNeighbor(c, family, vtep));
                findings.AddRange(LeftoverChecks.StaleFdb(c, family, vtep));
                findings.AddRange(LeftoverChecks.StaleRoute(c, family, vtep));
            }
            return findings;
        }

        /// <summary>
        /// The host-layer checks. A state that carries no host layer at all (an older collector, text of the tables only)
        /// gets one Unknown HostLayer finding instead of one Unknown per check.
        /// </summary>
        public static IEnumerable<Finding> HostLayer(DiagnosisContext c)
        {
            var findings = FirewallChecks.Run(c).Concat(HostChecks.Run(c)).Concat(FlannelConfigChecks.Run(c)).ToList();
            if (c.State.ReadParts.Count > 0 || c.State.NotRead.Count > 0)
            {
                return findings;
            }
            var looked = findings.Where(f => f.Actual != DiagnosisContext.NotReadText).ToList();
            looked.Insert(0, c.Unknown("HostLayer", c.LocalNode.Name, "the node's packet filter, kernel settings and flannel's files", DiagnosisContext.NotReadText,
                "Not checked: the node state holds none of the host layer (packet filter, sysctls, offloads, counters, subnet.env), so a firewall or " +
                "forwarding fault would go unseen. Read the node live with Get-FlannelNodeState, or with this module's collect-flannel-state.sh."));
            return looked;
        }
    }
}
