namespace FlannelTools
{
    /// <summary>One network device of the node, as <c>ip addr show</c> prints it.</summary>
    public sealed class Interface
    {
        public int? Index { get; internal set; }

        public string Name { get; internal set; }

        /// <summary>The link kind: vxlan, bridge, veth …; null for a plain device (or when read without <c>-d</c>).</summary>
        public string Kind { get; internal set; }

        /// <summary>Canonical <c>aa:bb:cc:dd:ee:ff</c>; null for a device without one.</summary>
        public string MacAddress { get; internal set; }

        public int? Mtu { get; internal set; }

        /// <summary>The operational state: UP, DOWN, UNKNOWN, LOWERLAYERDOWN …</summary>
        public string State { get; internal set; }

        /// <summary>The link flags: BROADCAST, MULTICAST, UP, LOWER_UP, NO-CARRIER …</summary>
        public TextList Flags { get; internal set; } = TextList.Empty;

        /// <summary>The bridge this device is a port of.</summary>
        public string Master { get; internal set; }

        /// <summary>Addresses with their prefix length: <c>192.168.0.12/24</c>, <c>fd00::12/64</c>.</summary>
        public TextList Addresses { get; internal set; } = TextList.Empty;

        /// <summary>Where the device was read: <c>live</c>, or a file (or parameter) and line number.</summary>
        public string Source { get; internal set; }

        public override string ToString() =>
            Name + (Mtu.HasValue ? " mtu " + Mtu.Value.ToString(CultureInfo.InvariantCulture) : string.Empty) +
            (MacAddress != null ? " link/ether " + MacAddress : string.Empty) +
            (Addresses.Count > 0 ? " " + string.Join(" ", Addresses) : string.Empty);
    }
}
