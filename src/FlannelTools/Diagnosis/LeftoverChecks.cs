namespace FlannelTools.Diagnosis
{
    /// <summary>
    /// Entries on the VTEP that no node accounts for any more. flannel deletes a node's entries only when the node goes,
    /// so after a VtepMAC change the old MAC's FDB entry stays: harmless, a Warning.
    /// </summary>
    internal static class LeftoverChecks
    {
        /// <summary>Neighbour entries on the VTEP for an address that is no other node's subnet address.</summary>
        public static IEnumerable<Finding> StaleNeighbor(DiagnosisContext c, OverlayFamily family, Vtep vtep)
        {
            var addresses = new HashSet<IpAddressValue>(c.Nodes.Where(n => !c.IsLocal(n)).Select(family.PodCidrOf).Where(p => p.HasValue).Select(p => p.Value.Address));
            foreach (FlannelTools.Neighbor entry in c.State.Neighbors.Where(n => n.Device == vtep.Name))
            {
                if (IpAddressValue.TryParse(entry.Address, out IpAddressValue address) && !addresses.Contains(address))
                {
                    Finding finding = c.Warning("StaleNeighbor", null, "no entry", entry.ToString(),
                        "The neighbour entry for " + entry.Address + " on " + vtep.Name + " belongs to no node's pod subnet: a leftover of a node that is gone.",
                        Remedies.NeighborDelete(entry.Address, vtep.Name));
                    finding.Subject = address.ToString();
                    yield return finding;
                }
            }
        }

        /// <summary>FDB entries on the VTEP for a MAC no node announces (the old MAC after a VtepMAC change, or a node that is gone).</summary>
        public static IEnumerable<Finding> StaleFdb(DiagnosisContext c, OverlayFamily family, Vtep vtep)
        {
            var announced = new HashSet<string>(c.Nodes.Select(family.VtepMacOf).Where(m => m != null));
            foreach (FdbEntry entry in c.State.Fdb.Where(e => e.Device == vtep.Name && !announced.Contains(MacAddress.Normalize(e.MacAddress))))
            {
                FlannelNode owner = entry.Destination == null ? null : c.Nodes.FirstOrDefault(n => DiagnosisContext.SameAddress(family.PublicAddressOf(n), entry.Destination));
                Finding finding = c.Warning("StaleFdb", owner?.Name, "no entry", entry.ToString(),
                    "The FDB entry for " + entry.MacAddress + " on " + vtep.Name + " is for a MAC no node announces" +
                    (owner != null ? " (" + owner.Name + " announces " + (family.VtepMacOf(owner) ?? "none") + " now): a leftover of its old VtepMAC, harmless." : ": a leftover, harmless."),
                    Remedies.FdbDelete(entry.MacAddress, vtep.Name));
                // A gone node's FDB entry goes with its neighbour entry (the same MAC), so both group under its subnet address.
                string mac = MacAddress.Normalize(entry.MacAddress);
                finding.Subject = owner == null
                    ? c.State.Neighbors.FirstOrDefault(n => n.Device == vtep.Name && MacAddress.Normalize(n.MacAddress) == mac)?.Address ?? mac
                    : null;
                yield return finding;
            }
        }

        /// <summary>Routes on the VTEP to a subnet no node owns (the kernel's own prefix and link-local routes aside).</summary>
        public static IEnumerable<Finding> StaleRoute(DiagnosisContext c, OverlayFamily family, Vtep vtep)
        {
            var subnets = new HashSet<IpPrefix>(c.Nodes.Select(family.PodCidrOf).Where(p => p.HasValue).Select(p => Network(p.Value)));
            foreach (Route route in c.State.Routes.Where(r => r.Family == family.RouteFamily && r.Device == vtep.Name && r.Protocol != "kernel"))
            {
                IpPrefix prefix = route.GetPrefix();
                if (prefix.Address.IsEmpty || !subnets.Contains(Network(prefix)))
                {
                    Finding finding = c.Warning("StaleRoute", null, "no route", route.ToString(),
                        "The route to " + route.Destination + " through " + vtep.Name + " is to a subnet no node owns: a leftover of a node that is gone.",
                        Remedies.RouteDelete(route.Destination, vtep.Name));
                    finding.Subject = prefix.Address.IsEmpty ? route.Destination : prefix.Address.ToString();
                    yield return finding;
                }
            }
        }

        private static IpPrefix Network(IpPrefix prefix) => new IpPrefix(prefix.Address.Masked(prefix.Length), prefix.Length);
    }
}
