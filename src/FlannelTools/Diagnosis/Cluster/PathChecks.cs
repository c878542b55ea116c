namespace FlannelTools.Diagnosis
{
    /// <summary>
    /// Path MTU across nodes: a sender's VTEP MTU plus VXLAN's encapsulation (50 bytes over IPv4: 20 IP + 8 UDP + 8 VXLAN +
    /// 14 Ethernet; 70 over IPv6) must fit the receiver's underlay MTU, or the sender's full-size packets are fragmented or
    /// dropped on the way in (node2's underlay 1400 and VTEP 1350 are right for node2 alone, while its peers send 1450).
    /// Per-node MTUs are allowed by design (flannel-io/flannel#463), so it is a Warning: one per receiver, its senders
    /// as AffectedNodes; the per-pair findings come with -Detail.
    /// </summary>
    internal sealed class PathMtuCheck : ClusterCheck
    {
        public override string Name => "PathMtu";

        /// <summary>The receiver's underlay MTU for the family: its VTEP's underlay device's MTU; null when not read.</summary>
        public static int? UnderlayMtu(CheckedNode node, OverlayFamily family)
        {
            Vtep vtep = family.VtepOf(node.State);
            return vtep?.UnderlayDevice == null ? null : node.State.FindInterface(vtep.UnderlayDevice)?.Mtu;
        }

        public static int? VtepMtu(CheckedNode node, OverlayFamily family) => family.VtepOf(node.State)?.Mtu;

        public override IEnumerable<Finding> Run(ClusterContext c)
        {
            foreach (OverlayFamily family in new[] { OverlayFamily.IPv4, OverlayFamily.IPv6 })
            {
                var senders = c.Checked.Where(n => VtepMtu(n, family) != null).ToList();
                foreach (CheckedNode receiver in c.Checked)
                {
                    int? underlay = UnderlayMtu(receiver, family);
                    if (underlay == null || family.PodCidrOf(receiver.Node) == null)
                    {
                        continue;
                    }
                    var tooBig = senders.Where(s => s != receiver && VtepMtu(s, family).Value + family.EncapsulationOverhead > underlay.Value).ToList();
                    if (tooBig.Count == 0)
                    {
                        continue;
                    }
                    int fits = underlay.Value - family.EncapsulationOverhead;
                    string device = family.VtepOf(receiver.State).UnderlayDevice;
                    var names = tooBig.Select(s => s.Name).ToList();
                    string mtus = string.Join(", ", tooBig.GroupBy(s => VtepMtu(s, family).Value).OrderByDescending(g => g.Key)
                        .Select(g => Text(g.Key) + " on " + Text(g.Count())));
                    var remedies = tooBig.Select(s => Remedies.LinkMtu(family.VtepOf(s.State).Name, fits)).Distinct(StringComparer.Ordinal).ToList();
                    Finding finding = c.Finding(Name, FindingSeverity.Warning, receiver.Name,
                        "senders' VTEP MTU + " + Text(family.EncapsulationOverhead) + " at most " + receiver.Name + "'s " + device + " MTU " + Text(underlay.Value),
                        ClusterContext.NameList(names) + " send " + family + " VXLAN of up to " + Text(tooBig.Max(s => VtepMtu(s, family).Value) + family.EncapsulationOverhead) + " bytes",
                        ClusterContext.NameList(names) + " (" + Text(names.Count) + " nodes; VTEP MTU " + mtus + ") send full-size pod packets in " + family + " VXLAN packets larger than " +
                        receiver.Name + "'s underlay " + device + " carries (MTU " + Text(underlay.Value) + "), so they are fragmented on the way or dropped: TCP is mostly saved by the MSS " +
                        receiver.Name + "'s pods advertise, UDP (large DNS answers) and host traffic are not. Lower the senders' VTEP MTU to " + Text(fits) +
                        " (net-conf.json's Backend MTU for all, then restart flannel so the pods get it), or raise " + receiver.Name + "'s underlay MTU.",
                        string.Join("\n", remedies), names);
                    finding.Family = family.Version;
                    yield return finding;
                    foreach (CheckedNode sender in tooBig)
                    {
                        int mtu = VtepMtu(sender, family).Value;
                        var detail = new Finding(Name, FindingSeverity.Warning, receiver.Name, "at most " + Text(underlay.Value) + " (" + receiver.Name + "'s " + device + ")",
                            Text(mtu + family.EncapsulationOverhead) + " (" + family.VtepOf(sender.State).Name + " " + Text(mtu) + " + " + Text(family.EncapsulationOverhead) + ")",
                            sender.Name + "'s " + family.VtepOf(sender.State).Name + " MTU " + Text(mtu) + " plus " + Text(family.EncapsulationOverhead) + " bytes of VXLAN exceeds " + receiver.Name +
                            "'s underlay MTU " + Text(underlay.Value) + ": its full-size pod packets to " + receiver.Name + " are fragmented or dropped.",
                            Remedies.LinkMtu(family.VtepOf(sender.State).Name, fits), sender.Name) { Family = family.Version };
                        c.Fold(detail, finding, sender.Name, receiver.Name, family.Version);
                    }
                }
            }
        }

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>One VNI and one UDP port on every node's VTEP: nodes on different ones drop each other's packets.</summary>
    internal sealed class VniPortCheck : ClusterCheck
    {
        public override string Name => "OneVni";

        public override IEnumerable<Finding> Run(ClusterContext c)
        {
            foreach (OverlayFamily family in new[] { OverlayFamily.IPv4, OverlayFamily.IPv6 })
            {
                var vteps = c.Checked.Select(n => (Node: n, Vtep: family.VtepOf(n.State))).Where(p => p.Vtep != null).ToList();
                Finding vni = Disagreement(c, family, "OneVni", "VNI", vteps.Where(p => p.Vtep.Vni != null).Select(p => (p.Node.Name, p.Vtep.Vni.Value)).ToList(),
                    "set one \"VNI\" in net-conf.json for every node (Windows nodes need 4096 or more, with \"Port\": 4789) and restart flannel on the others");
                if (vni != null)
                {
                    yield return vni;
                }
                Finding port = Disagreement(c, family, "OnePort", "UDP port", vteps.Where(p => p.Vtep.Port != null).Select(p => (p.Node.Name, p.Vtep.Port.Value)).ToList(),
                    "set one \"Port\" in net-conf.json for every node (8472 on Linux, 4789 with Windows nodes) and restart flannel on the others");
                if (port != null)
                {
                    yield return port;
                }
            }
        }

        private static Finding Disagreement(ClusterContext c, OverlayFamily family, string check, string what, List<(string Node, int Value)> values, string fix)
        {
            var groups = values.GroupBy(v => v.Value).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).ToList();
            if (groups.Count < 2)
            {
                return null;
            }
            var minority = groups.Skip(1).SelectMany(g => g).Select(v => v.Node).OrderBy(n => n, StringComparer.Ordinal).ToList();
            string tally = string.Join(", ", groups.Select(g => what + " " + g.Key.ToString(CultureInfo.InvariantCulture) + " on " +
                (g.Count() <= 3 ? string.Join(", ", g.Select(v => v.Node)) : g.Count().ToString(CultureInfo.InvariantCulture) + " nodes")));
            var finding = c.Finding(check, FindingSeverity.Error, minority.Count == 1 ? minority[0] : null,
                "one " + what + " on every " + family + " VTEP (" + what + " " + groups[0].Key.ToString(CultureInfo.InvariantCulture) + ", as most nodes)", tally,
                "The nodes' " + family + " VTEPs do not share one " + what + " (" + tally + "): nodes on different ones drop each other's VXLAN packets. " +
                ClusterContext.NameList(minority) + " differ from most: " + fix + ".", null, minority, family.ToString());
            finding.Family = family.Version;
            return finding;
        }
    }
}
