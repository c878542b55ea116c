namespace FlannelTools.Diagnosis
{
    /// <summary>
    /// Every ordered pair A→B of VXLAN nodes, per family, read off the findings already made: A's Route, Neighbor and Fdb
    /// finding for B (DirectRouting as flannel decides it: a route via B's public IP needs no neighbour or FDB entry), B's
    /// own VTEP (its MAC, that it exists, its local address, VNI and port), B's packet filter for VXLAN, and the path MTU.
    /// Each lookup is a dictionary's, so the pairs stream in time linear in their number.
    /// </summary>
    internal static class PairMatrix
    {
        private static readonly string[] ReceiverVtepChecks = { "VtepPresent", "VtepLocalAddress", "VtepPort", "VtepVni" };

        public static IEnumerable<NodePair> Pairs(ClusterResult result)
        {
            ClusterContext c = result.Context;
            var vxlan = c.Nodes.Where(DiagnosisContext.IsVxlan).OrderBy(n => n.Name, StringComparer.Ordinal).ToList();
            Finding missing = result.ClusterFindings.FirstOrDefault(f => f.Check == "Coverage" && f.Severity == FindingSeverity.Unknown);
            var unannounced = result.ClusterFindings.Where(f => f.Check == "VtepMacAnnounced" && f.Severity == FindingSeverity.Error && f.Node != null)
                .GroupBy(f => f.Node, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            foreach (FlannelNode from in vxlan)
            {
                CheckedNode a = c.Find(from.Name);
                foreach (FlannelNode to in vxlan)
                {
                    if (to.Name == from.Name)
                    {
                        continue;
                    }
                    CheckedNode b = c.Find(to.Name);
                    foreach (OverlayFamily family in new[] { OverlayFamily.IPv4, OverlayFamily.IPv6 })
                    {
                        if (family.PodCidrOf(to) == null || !(a != null ? a.Context.Families.Contains(family) : family.VtepMacOf(from) != null))
                        {
                            continue;
                        }
                        yield return Pair(result, a, from, b, to, family, missing, unannounced);
                    }
                }
            }
        }

        private static NodePair Pair(ClusterResult result, CheckedNode a, FlannelNode from, CheckedNode b, FlannelNode to, OverlayFamily family,
            Finding missing, Dictionary<string, Finding> unannounced)
        {
            var ids = new List<string>();
            string route, neighbor, fdb;
            if (a == null)
            {
                route = neighbor = fdb = PairStatus.Unknown;
                Add(result, ids, missing);
            }
            else if (family.VtepOf(a.State) == null)
            {
                Finding present = a.Find("VtepPresent", a.Name, family.Version);
                route = neighbor = fdb = present != null && present.Severity == FindingSeverity.Error ? PairStatus.Failed : PairStatus.Unknown;
                Add(result, ids, present);
            }
            else
            {
                Finding routeFinding = a.Find("Route", to.Name, family.Version);
                route = Part(result, ids, routeFinding);
                bool direct = routeFinding != null && routeFinding.Severity == FindingSeverity.Information && PeerChecks.FindDirectRoute(a.Context, family, to) != null;
                if (direct)
                {
                    neighbor = fdb = PairStatus.Passed;
                }
                else if (family.VtepMacOf(to) == null)
                {
                    neighbor = fdb = PairStatus.Failed;
                    Add(result, ids, unannounced.TryGetValue(to.Name, out Finding none) ? none : null);
                }
                else
                {
                    neighbor = Part(result, ids, a.Find("Neighbor", to.Name, family.Version));
                    fdb = Part(result, ids, a.Find("Fdb", to.Name, family.Version));
                }
                if (!direct && b != null)
                {
                    // B's own VTEP: the MAC A's entries name must be the one B's device has, and the device must be there to receive.
                    neighbor = Worse(neighbor, Receiver(result, ids, b.Find("VtepMac", b.Name, family.Version)));
                    foreach (string check in ReceiverVtepChecks)
                    {
                        fdb = Worse(fdb, Receiver(result, ids, b.Find(check, b.Name, family.Version)));
                    }
                }
            }

            string pathMtu = PairStatus.Unknown;
            if (a != null && b != null && PathMtuCheck.VtepMtu(a, family) is int mtu && PathMtuCheck.UnderlayMtu(b, family) is int underlay)
            {
                pathMtu = mtu + family.EncapsulationOverhead > underlay ? PairStatus.Failed : PairStatus.Passed;
                if (pathMtu == PairStatus.Failed)
                {
                    result.Context.PairFindings.TryGetValue(("PathMtu", a.Name, b.Name, family.Version), out Finding tooBig);
                    Add(result, ids, tooBig);
                }
            }

            string status = Worse(Worse(route, neighbor), fdb);
            if (b == null)
            {
                status = Worse(status, PairStatus.Unknown);
                Add(result, ids, missing);
            }
            else if (new[] { from.Name, b.Name, null }.Select(n => b.Find("VxlanPortOpen", n, null)).FirstOrDefault(f => f != null && f.Severity == FindingSeverity.Error) is Finding port)
            {
                // B's packet filter drops A's VXLAN: the entries are right, the packets still do not arrive.
                status = PairStatus.Failed;
                Add(result, ids, port);
            }
            status = Worse(status, pathMtu == PairStatus.Failed ? PairStatus.Failed : PairStatus.Passed);
            return new NodePair(from.Name, to.Name, family.ToString(), route, neighbor, fdb, pathMtu, status, new TextList(ids.Distinct(StringComparer.Ordinal)));
        }

        /// <summary>An Error is a failure; a Warning or a pass is not (the path works); Unknown or no finding is Unknown.</summary>
        private static string Part(ClusterResult result, List<string> ids, Finding finding)
        {
            if (finding == null || finding.Severity == FindingSeverity.Unknown)
            {
                Add(result, ids, finding);
                return PairStatus.Unknown;
            }
            if (finding.Severity == FindingSeverity.Error)
            {
                Add(result, ids, finding);
                return PairStatus.Failed;
            }
            return PairStatus.Passed;
        }

        /// <summary>A receiver's own check: its Error fails the pair; anything else leaves it as it is.</summary>
        private static string Receiver(ClusterResult result, List<string> ids, Finding finding)
        {
            if (finding != null && finding.Severity == FindingSeverity.Error)
            {
                Add(result, ids, finding);
                return PairStatus.Failed;
            }
            return PairStatus.Passed;
        }

        private static string Worse(string a, string b) =>
            a == PairStatus.Failed || b == PairStatus.Failed ? PairStatus.Failed : a == PairStatus.Unknown || b == PairStatus.Unknown ? PairStatus.Unknown : PairStatus.Passed;

        /// <summary>The finding's roll-up first (what is shown without -Detail), then the finding.</summary>
        private static void Add(ClusterResult result, List<string> ids, Finding finding)
        {
            if (finding == null)
            {
                return;
            }
            Finding into = result.FoldedInto(finding);
            if (into?.Id != null)
            {
                ids.Add(into.Id);
            }
            if (finding.Id != null)
            {
                ids.Add(finding.Id);
            }
        }
    }
}
