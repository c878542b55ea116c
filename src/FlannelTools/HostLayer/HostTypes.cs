namespace FlannelTools
{
    /// <summary>One kernel setting of the node's network namespace, as <c>sysctl</c> prints it: <c>net.ipv4.ip_forward = 1</c>.</summary>
    public sealed class Sysctl
    {
        /// <summary>The dotted name (<c>net.ipv4.conf.flannel/1.rp_filter</c> keeps the device's dot as sysctl writes it: a slash).</summary>
        public string Name { get; internal set; }

        public string Value { get; internal set; }

        public string Source { get; internal set; }

        public override string ToString() => Name + " = " + Value;
    }

    /// <summary>One offload feature of a device, as <c>ethtool -k DEV</c> prints it: <c>tx-checksum-ip-generic: on</c>.</summary>
    public sealed class Offload
    {
        public string Device { get; internal set; }

        /// <summary>The feature's name: tx-checksum-ip-generic, tx-udp_tnl-segmentation, generic-receive-offload, …</summary>
        public string Feature { get; internal set; }

        public bool Enabled { get; internal set; }

        /// <summary>The driver does not let it be changed (ethtool's <c>[fixed]</c>).</summary>
        public bool Fixed { get; internal set; }

        public string Source { get; internal set; }

        public override string ToString() => Device + " " + Feature + ": " + (Enabled ? "on" : "off") + (Fixed ? " [fixed]" : string.Empty);
    }

    /// <summary>
    /// One counter of the node: a protocol counter of /proc/net/snmp or snmp6 (Group <c>Udp</c>, <c>Udp6</c>; Device null),
    /// or a device's statistic from <c>ip -s -j link</c> (Group <c>link</c>; Name rx_dropped, tx_dropped, tx_carrier_errors, …).
    /// The counters are cumulative since boot (devices: since they were created).
    /// </summary>
    public sealed class NetCounter
    {
        public string Group { get; internal set; }

        public string Device { get; internal set; }

        public string Name { get; internal set; }

        public long Value { get; internal set; }

        public string Source { get; internal set; }

        public override string ToString() =>
            (Device != null ? Device + " " : string.Empty) + Group + " " + Name + " " + Value.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A program that sees the underlay's packets before the IP stack (and before a capture on the host): XDP, or a tc filter.</summary>
    public sealed class PreStackProgram
    {
        public string Device { get; internal set; }

        /// <summary><c>xdp</c> (with its mode: xdpgeneric, xdpdrv, xdpoffload), <c>tc ingress</c> or <c>tc egress</c>.</summary>
        public string Kind { get; internal set; }

        /// <summary>The program's name or id, or the filter as tc printed it.</summary>
        public string Program { get; internal set; }

        public string Source { get; internal set; }

        public override string ToString() => Device + " " + Kind + " " + Program;
    }

    /// <summary>A part of a node's host layer that was looked for and could not be read, with why. Never taken as empty.</summary>
    public sealed class UnreadPart
    {
        internal UnreadPart(string part, string reason, bool absent)
        {
            Part = part;
            Reason = reason;
            Absent = absent;
        }

        /// <summary>One of <see cref="HostParts"/>' names: Sysctls, Nftables, IptablesNft, IptablesLegacy, Offloads, …</summary>
        public string Part { get; }

        /// <summary>What the node said: <c>nft: not found</c>, <c>Permission denied</c>, <c>exit 1</c>.</summary>
        public string Reason { get; }

        /// <summary>The thing itself does not exist on the node (a file that is not there), as opposed to a tool missing or refused.</summary>
        public bool Absent { get; }

        public override string ToString() => Part + ": " + Reason;
    }
}
