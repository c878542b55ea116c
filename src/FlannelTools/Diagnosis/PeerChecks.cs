namespace FlannelTools.Diagnosis
{
    /// <summary>
    /// Checks of what flannel programs on this node for each other node: in flannel's order, the neighbour entry
    /// (the remote VTEP's MAC for its subnet address), the FDB entry (that MAC to the remote public IP) and the route.
    /// </summary>
    internal static class PeerChecks
    {
        /// <summary>
        /// The route flannel installs for the peer when DirectRouting is on and the peer shares the underlay subnet: its pod
        /// subnet via its public IP (no neighbour or FDB entry then); null when the route is not of that form.
        /// </summary>
        public static Route FindDirectRoute(DiagnosisContext c, OverlayFamily family, FlannelNode peer)
        {
            Route route = FindExactRoute(c.State, family, peer);
            string publicAddress = family.PublicAddressOf(peer);
            return route != null && publicAddress != null && DiagnosisContext.SameAddress(route.Gateway, publicAddress) ? route : null;
        }

        /// <summary>The route to the peer's pod subnet: <c>10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink</c>, or DirectRouting's.</summary>
        public static IEnumerable<Finding> Route(DiagnosisContext c, OverlayFamily family, Vtep vtep, FlannelNode peer)
        {
            IpPrefix subnet = family.PodCidrOf(peer).Value;
            string gateway = subnet.Address.ToString();
            string expected = subnet + " via " + gateway + " dev " + vtep.Name + " onlink";
            Route direct = FindDirectRoute(c, family, peer);
            if (direct != null)
            {
                yield return c.Passed("Route", peer.Name, expected, direct.ToString(),
                    "The route to " + peer.Name + "'s pods goes via its public IP (flannel's DirectRouting to a node on the same underlay subnet): no neighbour or FDB entry is needed.");
                yield break;
            }
            Route route = FindExactRoute(c.State, family, peer);
            string remedy = Remedies.RouteReplace(subnet.ToString(), gateway, vtep.Name);
            if (route == null)
            {
                Route instead = c.State.FindRoute(gateway);
                yield return c.Error("Route", peer.Name, expected, instead == null ? "no route" : "no route; " + gateway + " matches " + instead,
                    c.LocalNode.Name + " has no route to " + peer.Name + "'s pod subnet " + subnet +
                    (instead == null ? ", so packets to its pods are dropped." : ", so packets to its pods follow " + instead + " instead of the VXLAN device."), remedy);
                yield break;
            }
            // The kernel refuses a gateway that is not on the VTEP's link without onlink, so gateway and device decide;
            // route -n does not print the flag.
            if (!DiagnosisContext.SameAddress(route.Gateway, gateway) || route.Device != vtep.Name)
            {
                yield return c.Error("Route", peer.Name, expected, route.ToString(),
                    "The route to " + peer.Name + "'s pod subnet " + subnet + " is " + route + ", not via " + gateway + " on " + vtep.Name + ", so its pods' packets are not encapsulated for " + peer.Name + ".", remedy);
                yield break;
            }
            yield return c.Passed("Route", peer.Name, expected, route.ToString(), "The route to " + peer.Name + "'s pods goes through " + vtep.Name + ".");
        }

        /// <summary>The neighbour entry of the peer's subnet address on the VTEP: present, permanent, with the VtepMAC the peer announces.</summary>
        public static IEnumerable<Finding> Neighbor(DiagnosisContext c, OverlayFamily family, Vtep vtep, FlannelNode peer)
        {
            string address = family.PodCidrOf(peer).Value.Address.ToString();
            string announced = family.VtepMacOf(peer);
            string expected = address + " dev " + vtep.Name + " lladdr " + announced + " PERMANENT";
            string remedy = Remedies.NeighborReplace(address, announced, vtep.Name);
            FlannelTools.Neighbor entry = c.State.FindNeighbor(address, vtep.Name);
            if (entry == null)
            {
                yield return c.Error("Neighbor", peer.Name, expected, "no entry",
                    c.LocalNode.Name + " has no neighbour entry for " + address + " on " + vtep.Name + ", so it cannot address packets to " + peer.Name + "'s VTEP (" + announced + ").", remedy);
                yield break;
            }
            string mac = MacAddress.Normalize(entry.MacAddress);
            if (mac == null)
            {
                yield return c.Error("Neighbor", peer.Name, expected, entry.ToString(),
                    "The neighbour entry for " + peer.Name + "'s VTEP address " + address + " has no MAC (" + entry.State + "), so packets to its pods are dropped.", remedy);
                yield break;
            }
            if (mac != announced)
            {
                yield return c.Error("Neighbor", peer.Name, expected, entry.ToString(),
                    "The neighbour entry for " + peer.Name + " (" + address + " on " + vtep.Name + ") has the old MAC " + mac + " but " + peer.Name + " announces VtepMAC " + announced +
                    ", so packets to " + peer.Name + "'s pods go to a MAC its VTEP no longer has and vanish (a stale VtepMAC).", remedy);
                yield break;
            }
            if (!IsPermanent(entry.State))
            {
                yield return c.Warning("Neighbor", peer.Name, expected, entry.ToString(),
                    "The neighbour entry for " + peer.Name + " is " + entry.State + ", not PERMANENT as flannel writes it: the kernel may age it out.", remedy);
                yield break;
            }
            yield return c.Passed("Neighbor", peer.Name, expected, entry.ToString(), address + " resolves to " + peer.Name + "'s VtepMAC " + mac + ".");
        }

        /// <summary>The FDB entry of the peer's VtepMAC on the VTEP: present, with the peer's public IP as destination.</summary>
        public static IEnumerable<Finding> Fdb(DiagnosisContext c, OverlayFamily family, Vtep vtep, FlannelNode peer)
        {
            string announced = family.VtepMacOf(peer);
            string publicAddress = family.PublicAddressOf(peer);
            if (publicAddress == null)
            {
                yield break;
            }
            string expected = announced + " dev " + vtep.Name + " dst " + publicAddress + " self permanent";
            string remedy = Remedies.FdbReplace(announced, vtep.Name, publicAddress);
            FdbEntry entry = c.State.FindFdb(announced, vtep.Name).FirstOrDefault();
            if (entry == null)
            {
                FdbEntry old = c.State.Fdb.FirstOrDefault(e => e.Device == vtep.Name && DiagnosisContext.SameAddress(e.Destination, publicAddress));
                yield return c.Error("Fdb", peer.Name, expected, old == null ? "no entry" : "no entry; " + old,
                    c.LocalNode.Name + " has no FDB entry for " + peer.Name + "'s VtepMAC " + announced + " on " + vtep.Name +
                    (old == null
                        ? ", so it does not know where to send VXLAN for " + peer.Name + "."
                        : "; the entry for " + publicAddress + " still has the old MAC " + old.MacAddress + " (a stale VtepMAC)."), remedy);
                yield break;
            }
            if (!DiagnosisContext.SameAddress(entry.Destination, publicAddress))
            {
                yield return c.Error("Fdb", peer.Name, expected, entry.ToString(),
                    "The FDB entry for " + peer.Name + "'s VtepMAC " + announced + " sends to " + (entry.Destination ?? "no destination") + ", but " + peer.Name +
                    "'s public IP is " + publicAddress + ", so its VXLAN packets go to the wrong host.", remedy);
                yield break;
            }
            if (entry.State != "permanent")
            {
                yield return c.Warning("Fdb", peer.Name, expected, entry.ToString(),
                    "The FDB entry for " + peer.Name + " is " + (entry.State ?? "learned") + ", not permanent as flannel writes it: the kernel may age it out.", remedy);
                yield break;
            }
            yield return c.Passed("Fdb", peer.Name, expected, entry.ToString(), announced + " is sent to " + peer.Name + "'s public IP " + publicAddress + ".");
        }

        private static Route FindExactRoute(NodeState state, OverlayFamily family, FlannelNode peer)
        {
            return state.FindExactRoute(family.RouteFamily, family.PodCidrOf(peer).Value);
        }

        internal static bool Same(IpPrefix route, IpPrefix subnet) =>
            !route.Address.IsEmpty && route.Length == subnet.Length && subnet.Contains(route.Address);

        private static bool IsPermanent(string state) => state != null && state.Split(',').Contains("PERMANENT");
    }
}
