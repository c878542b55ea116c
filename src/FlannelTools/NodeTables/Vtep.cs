namespace FlannelTools
{
    /// <summary>
    /// A VXLAN device (flannel's VTEP), as <c>ip -d link show</c> prints it:
    /// <c>vxlan id 1 local 192.168.0.12 dev eth0 dstport 8472 nolearning</c>.
    /// </summary>
    public sealed class Vtep
    {
        public string Name { get; internal set; }

        /// <summary>The VTEP's MAC: the inner source MAC of what it sends, announced by flannel as VtepMAC.</summary>
        public string MacAddress { get; internal set; }

        public int? Mtu { get; internal set; }

        /// <summary>The VXLAN Network Identifier (<c>id</c>).</summary>
        public int? Vni { get; internal set; }

        /// <summary>The UDP destination port (<c>dstport</c>).</summary>
        public int? Port { get; internal set; }

        /// <summary>The outer source address (<c>local</c>).</summary>
        public string LocalAddress { get; internal set; }

        /// <summary>The underlay device (<c>dev</c>) the encapsulated packets leave through.</summary>
        public string UnderlayDevice { get; internal set; }

        /// <summary>Whether the device learns remote MACs from received packets; flannel creates it with <c>nolearning</c>.</summary>
        public bool? Learning { get; internal set; }

        /// <summary>The operational state: UP, DOWN, UNKNOWN (a VXLAN device that is up reports UNKNOWN).</summary>
        public string State { get; internal set; }

        /// <summary>Where the device was read: <c>live</c>, or a file (or parameter) and line number.</summary>
        public string Source { get; internal set; }

        public override string ToString() =>
            Name + " vxlan id " + Vni?.ToString(CultureInfo.InvariantCulture) + " local " + LocalAddress +
            " dev " + UnderlayDevice + " dstport " + Port?.ToString(CultureInfo.InvariantCulture);
    }
}
