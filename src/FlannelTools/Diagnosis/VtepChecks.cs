namespace FlannelTools.Diagnosis
{
    /// <summary>Checks of the node's own VTEP against what the node announces and the cluster runs.</summary>
    internal static class VtepChecks
    {
        /// <summary>The VXLAN device exists; without it nothing else of the overlay can be checked.</summary>
        public static IEnumerable<Finding> VtepPresent(DiagnosisContext c, OverlayFamily family)
        {
            Vtep vtep = family.VtepOf(c.State);
            string expected = family.VtepNameFor(c.ClusterVni);
            if (vtep == null)
            {
                yield return c.Error("VtepPresent", c.LocalNode.Name, expected, "no VXLAN device",
                    c.LocalNode.Name + " announces " + family + " VtepMAC " + family.VtepMacOf(c.LocalNode) + " but has no VXLAN device " + expected +
                    ": flannel is not running there or could not create it; see its log.", null);
                yield break;
            }
            yield return c.Passed("VtepPresent", c.LocalNode.Name, expected, vtep.Name, "The VTEP " + vtep.Name + " exists.");
        }

        /// <summary>The VTEP's MAC is the VtepMAC the node announces; else every other node sends to a MAC it no longer has (systemd-udev's MACAddressPolicy, or a restart of flannel before 0.24.1).</summary>
        public static IEnumerable<Finding> VtepMac(DiagnosisContext c, OverlayFamily family, Vtep vtep)
        {
            string announced = family.VtepMacOf(c.LocalNode);
            string actual = MacAddress.Normalize(vtep.MacAddress);
            if (announced == null || actual == null)
            {
                yield break;
            }
            if (announced != actual)
            {
                yield return c.Error("VtepMac", c.LocalNode.Name, announced, actual,
                    c.LocalNode.Name + "'s " + vtep.Name + " has MAC " + actual + " but announces VtepMAC " + announced +
                    ", so the other nodes' packets to its pods are addressed to a MAC it no longer has: set the announced MAC back, " +
                    "and keep systemd-udev from changing it (MACAddressPolicy=none for flannel* in a .link file), or restart flannel so it announces the new one.",
                    Remedies.LinkAddress(vtep.Name, announced));
                yield break;
            }
            yield return c.Passed("VtepMac", c.LocalNode.Name, announced, actual, vtep.Name + " has the MAC " + c.LocalNode.Name + " announces.");
        }

        /// <summary>The VTEP's VNI is the one the cluster announces.</summary>
        public static IEnumerable<Finding> VtepVni(DiagnosisContext c, OverlayFamily family, Vtep vtep)
        {
            if (c.ClusterVni == null || vtep.Vni == null)
            {
                yield break;
            }
            string expected = Text(c.ClusterVni.Value);
            string actual = Text(vtep.Vni.Value);
            if (vtep.Vni != c.ClusterVni)
            {
                yield return c.Error("VtepVni", c.LocalNode.Name, expected, actual,
                    vtep.Name + " runs VNI " + actual + " but the cluster announces VNI " + expected + ": the VNI comes from net-conf.json (\"VNI\"); " +
                    "Windows nodes accept only VNI 4096 or more on UDP port 4789.", null);
                yield break;
            }
            yield return c.Passed("VtepVni", c.LocalNode.Name, expected, actual, vtep.Name + " runs the cluster's VNI " + actual + ".");
        }

        /// <summary>The VTEP's UDP port is the expected one (no annotation carries it: -Port, else 8472, or 4789 for a VNI of 4096 or more).</summary>
        public static IEnumerable<Finding> VtepPort(DiagnosisContext c, OverlayFamily family, Vtep vtep)
        {
            if (vtep.Port == null)
            {
                yield break;
            }
            string expected = Text(c.Port);
            string actual = Text(vtep.Port.Value);
            if (vtep.Port != c.Port)
            {
                yield return c.Error("VtepPort", c.LocalNode.Name, expected, actual,
                    vtep.Name + " sends and listens on UDP port " + actual + " but " + expected + " was expected: every node needs the same port " +
                    "(net-conf.json \"Port\"; Windows nodes use 4789 with VNI 4096 or more).", null);
                yield break;
            }
            yield return c.Passed("VtepPort", c.LocalNode.Name, expected, actual, vtep.Name + " uses UDP port " + actual + ".");
        }

        /// <summary>
        /// The VTEP's local address is the node's public IP, or its internal address when a public-ip-overwrite is set
        /// (the overwrite is what the others send to; the VTEP keeps the address flannel picked on the node).
        /// </summary>
        public static IEnumerable<Finding> VtepLocalAddress(DiagnosisContext c, OverlayFamily family, Vtep vtep)
        {
            FlannelNode node = c.LocalNode;
            bool overwritten = family.Version == 4 && node.PublicAddressOverwrite != null;
            string expected = overwritten ? node.InternalAddress : family.PublicAddressOf(node);
            if (expected == null || vtep.LocalAddress == null)
            {
                yield break;
            }
            if (!DiagnosisContext.SameAddress(expected, vtep.LocalAddress))
            {
                yield return c.Error("VtepLocalAddress", node.Name, expected, vtep.LocalAddress,
                    vtep.Name + " sends from " + vtep.LocalAddress + " but " + node.Name + (overwritten
                        ? "'s internal address (it has a public-ip-overwrite) is " + expected
                        : " announces public IP " + expected + ", where the other nodes send its VXLAN packets") +
                    ": flannel picked another interface or address than the one announced (flannel's --iface or --public-ip).", null);
                yield break;
            }
            yield return c.Passed("VtepLocalAddress", node.Name, expected, vtep.LocalAddress, vtep.Name + " sends from " + vtep.LocalAddress + ".");
        }

        /// <summary>The VTEP's MTU leaves room for VXLAN on the underlay device: at most its MTU minus 50 (minus 70 over IPv6).</summary>
        public static IEnumerable<Finding> VtepMtu(DiagnosisContext c, OverlayFamily family, Vtep vtep)
        {
            int? underlayMtu = vtep.UnderlayDevice == null ? null : c.State.FindInterface(vtep.UnderlayDevice)?.Mtu;
            if (vtep.Mtu == null || underlayMtu == null)
            {
                yield break;
            }
            int maximum = underlayMtu.Value - family.EncapsulationOverhead;
            string expected = "at most " + Text(maximum) + " (" + vtep.UnderlayDevice + " " + Text(underlayMtu.Value) + " - " + Text(family.EncapsulationOverhead) + ")";
            string actual = Text(vtep.Mtu.Value);
            if (vtep.Mtu > maximum)
            {
                yield return c.Error("VtepMtu", c.LocalNode.Name, expected, actual,
                    vtep.Name + "'s MTU " + actual + " leaves no room for the " + Text(family.EncapsulationOverhead) + " bytes of VXLAN on " + vtep.UnderlayDevice +
                    " (MTU " + Text(underlayMtu.Value) + "), so full-size pod packets are fragmented or dropped: lower it, and restart flannel so the pods get the new MTU too (subnet.env FLANNEL_MTU).",
                    Remedies.LinkMtu(vtep.Name, maximum));
                yield break;
            }
            yield return c.Passed("VtepMtu", c.LocalNode.Name, expected, actual, vtep.Name + "'s MTU " + actual + " fits " + vtep.UnderlayDevice + "'s " + Text(underlayMtu.Value) + ".");
        }

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
