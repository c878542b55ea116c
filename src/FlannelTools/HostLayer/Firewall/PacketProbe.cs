namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>
    /// A packet the evaluator sends through the node's packet filter in thought: its headers, the devices it comes in on
    /// and goes out of, its conntrack state and mark, and the hooks it passes in order. A port left null is any port.
    /// </summary>
    internal sealed class PacketProbe
    {
        /// <summary>The hooks of a packet received for this host: a raw or mangle PREROUTING drop stops it as surely as an INPUT one.</summary>
        public static readonly IReadOnlyList<string> ReceivedPath = new[] { "ingress", "prerouting", "input" };

        /// <summary>The hooks of a packet the node routes between two devices.</summary>
        public static readonly IReadOnlyList<string> ForwardedPath = new[] { "ingress", "prerouting", "forward", "postrouting" };

        /// <summary>The hooks of a packet the node sends itself (the outer packet of its VTEP).</summary>
        public static readonly IReadOnlyList<string> SentPath = new[] { "output", "postrouting" };

        /// <summary>ip or ip6.</summary>
        public string Family { get; set; } = "ip";

        /// <summary>udp, tcp, icmp, …</summary>
        public string L4Proto { get; set; }

        public string SourceAddress { get; set; }

        public string DestinationAddress { get; set; }

        /// <summary>null: any source port (a condition on it then may or may not match).</summary>
        public int? SourcePort { get; set; }

        public int? DestinationPort { get; set; }

        /// <summary>The device the packet came in on; null for a packet the node sends itself.</summary>
        public string InInterface { get; set; }

        /// <summary>The device the packet leaves through; null for a packet delivered to the node.</summary>
        public string OutInterface { get; set; }

        /// <summary>new, established, related, invalid, untracked; null when it cannot be told.</summary>
        public string CtState { get; set; } = "new";

        /// <summary>
        /// The conntrack status bits a rule may ask for (<c>ct status dnat</c>, firewalld's accept of forwarded ports): dnat
        /// when a NAT rule on prerouting rewrote the destination. Empty for a packet nothing rewrote; null when it cannot be told.
        /// </summary>
        public IReadOnlyList<string> CtStatus { get; set; }

        /// <summary>The packet mark when it enters the first hook; null when it cannot be told.</summary>
        public uint? Mark { get; set; } = 0;

        /// <summary>What the routing table calls the destination (local for the node's own address, unicast for a pod elsewhere); null when not told.</summary>
        public string DestinationAddressType { get; set; }

        public string SourceAddressType { get; set; }

        /// <summary>The link-layer kind: host (unicast to this host), broadcast, multicast.</summary>
        public string PacketType { get; set; } = "host";

        /// <summary>The hooks the packet passes, in order (<see cref="ReceivedPath"/>, <see cref="ForwardedPath"/>, <see cref="SentPath"/>).</summary>
        public IReadOnlyList<string> Path { get; set; } = ReceivedPath;

        public bool IsIPv6 => Family == "ip6";

        /// <summary>The same packet on other hooks.</summary>
        public PacketProbe OnPath(IReadOnlyList<string> path)
        {
            var copy = (PacketProbe)MemberwiseClone();
            copy.Path = path;
            return copy;
        }

        public override string ToString() =>
            L4Proto + " " + SourceAddress + ":" + PortText(SourcePort) + " > " + DestinationAddress + ":" + PortText(DestinationPort) +
            (InInterface != null ? " iif " + InInterface : string.Empty) + (OutInterface != null ? " oif " + OutInterface : string.Empty) +
            (CtState != null ? " ct state " + CtState : string.Empty);

        private static string PortText(int? port) => port?.ToString(CultureInfo.InvariantCulture) ?? "any";
    }
}
