namespace FlannelTools.Diagnosis
{
    /// <summary>
    /// flannel's VXLAN overlay of one IP family: the VTEP device, and which of a node's announced fields the other nodes
    /// program for it (VtepMAC, public-ip and the IPv4 pod subnet; or VtepMAC of backend-v6-data, public-ipv6 and the IPv6 one).
    /// </summary>
    internal sealed class OverlayFamily
    {
        public static readonly OverlayFamily IPv4 = new OverlayFamily(4);
        public static readonly OverlayFamily IPv6 = new OverlayFamily(6);

        private OverlayFamily(int version) => Version = version;

        public int Version { get; }

        /// <summary>The family word of iproute2's routes: inet or inet6.</summary>
        public string RouteFamily => Version == 4 ? "inet" : "inet6";

        /// <summary>
        /// What VXLAN adds to a packet: 50 bytes over an IPv4 underlay (flannel's arithmetic), 70 over IPv6 (the kernel's cap
        /// for a VXLAN device over IPv6; flannel-v6 runs over the public IPv6 address).
        /// </summary>
        public int EncapsulationOverhead => Version == 4 ? 50 : 70;

        public Vtep VtepOf(NodeState state) => Version == 4 ? state.Vtep : state.VtepV6;

        /// <summary>The VTEP name flannel gives the device: flannel.&lt;VNI&gt; or flannel-v6.&lt;VNI&gt;.</summary>
        public string VtepNameFor(int? vni) => (Version == 4 ? "flannel." : "flannel-v6.") + (vni ?? 1).ToString(System.Globalization.CultureInfo.InvariantCulture);

        public string VtepMacOf(FlannelNode node) => MacAddress.Normalize(Version == 4 ? node.VtepMac : node.VtepMacV6);

        public string PublicAddressOf(FlannelNode node) => Version == 4 ? node.PublicAddress : node.PublicAddressV6;

        /// <summary>The node's pod subnet of this family (from podCIDRs, else podCIDR), or null.</summary>
        public IpPrefix? PodCidrOf(FlannelNode node)
        {
            foreach (string text in node.PodCidrs.Concat(new[] { node.PodCidr }))
            {
                if (IpPrefix.TryParse(text, out IpPrefix prefix) && prefix.Version == Version)
                {
                    return prefix;
                }
            }
            return null;
        }

        /// <summary>Whether this node runs this overlay: it has the VTEP or announces its MAC.</summary>
        public bool AppliesTo(NodeState state, FlannelNode localNode) => VtepOf(state) != null || VtepMacOf(localNode) != null;

        public override string ToString() => "IPv" + Version;
    }
}
