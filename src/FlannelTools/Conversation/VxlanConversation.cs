using FlannelTools.Conversation;

namespace FlannelTools
{
    /// <summary>
    /// One inner conversation carried by VXLAN in one capture, both directions together, as Wireshark's
    /// Conversations window shows one: TCP and UDP by the two endpoints' address and port, other IP by the
    /// two addresses and the protocol, anything else by the two inner MACs and the EtherType.
    /// A is the side that sent the conversation's first frame; the fields named as on a VxlanFrame are those of
    /// the frames from A to B.
    /// </summary>
    public sealed class VxlanConversation
    {
        /// <summary>The capture file, as on its frames.</summary>
        public string Path { get; internal set; }

        /// <summary>VXLAN Network Identifier; null when the VXLAN header was cut.</summary>
        public int? Vni { get; internal set; }

        /// <summary>TCP, UDP, ICMP, ICMPv6, or the protocol number; null when the inner packets are not IP.</summary>
        public string InnerProtocol => IsIp ? IpProtocol.Name(Protocol) : null;

        /// <summary>The inner EtherType (0x0806 ARP, …) of a conversation that is not IP; null for IP.</summary>
        public int? InnerEtherType { get; internal set; }

        /// <summary>A's inner IP address; null when the inner packets are not IP.</summary>
        public string InnerSourceAddress => IsIp ? InnerSourceIp.ToString() : null;

        /// <summary>A's TCP or UDP port; null for other protocols.</summary>
        public int? InnerSourcePort { get; internal set; }

        /// <summary>B's inner IP address; null when the inner packets are not IP.</summary>
        public string InnerDestinationAddress => IsIp ? InnerDestinationIp.ToString() : null;

        /// <summary>B's TCP or UDP port; null for other protocols.</summary>
        public int? InnerDestinationPort { get; internal set; }

        /// <summary>The outer source (A's node) of the first frame from A to B.</summary>
        public string OuterSourceAddress => OuterSourceIp.ToString();

        /// <summary>The outer destination (B's node) of the first frame from A to B.</summary>
        public string OuterDestinationAddress => OuterDestinationIp.ToString();

        /// <summary>The VXLAN UDP port of the first frame from A to B.</summary>
        public int OuterDestinationPort { get; internal set; }

        public long FramesAToB { get; internal set; }

        public long FramesBToA { get; internal set; }

        /// <summary>On-the-wire bytes of the frames from A to B, outer headers included.</summary>
        public long BytesAToB { get; internal set; }

        public long BytesBToA { get; internal set; }

        /// <summary>Number of the conversation's first frame in the capture.</summary>
        public long FirstFrame { get; internal set; }

        public long LastFrame { get; internal set; }

        /// <summary>The earliest frame's time, as a VxlanFrame's Timestamp (ISO 8601, UTC).</summary>
        public string Start { get; internal set; }

        /// <summary>The latest frame's time, as a VxlanFrame's Timestamp (ISO 8601, UTC).</summary>
        public string End { get; internal set; }

        /// <summary>Seconds from Start to End.</summary>
        public double Duration { get; internal set; }

        /// <summary>The distinct inner source MACs of the frames from A to B (A's VTEP), in the order seen; text 'aa:..,bb:..'.</summary>
        public TextList InnerSourceMacs { get; internal set; }

        /// <summary>The distinct inner destination MACs of the frames from A to B (B's VTEP as A's node knew it); more than one when it changed.</summary>
        public TextList InnerDestinationMacs { get; internal set; }

        /// <summary>The TCP flags seen in either direction, e.g. <c>SYN,FIN,PSH,ACK</c>; null for other protocols.</summary>
        public string TcpFlagsSeen { get; internal set; }

        /// <summary>What keys the conversation: ports, addresses or MACs (or nothing, when the inner headers are cut).</summary>
        internal ConversationKind Kind { get; set; }

        /// <summary>The inner IP protocol number; 0 when the inner packets are not IP.</summary>
        internal byte Protocol { get; set; }

        internal IpAddressValue InnerSourceIp { get; set; }

        internal IpAddressValue InnerDestinationIp { get; set; }

        internal IpAddressValue OuterSourceIp { get; set; }

        internal IpAddressValue OuterDestinationIp { get; set; }

        /// <summary>One line: <c>TCP 10.244.1.178:42344 ↔ 10.244.2.101:80, 7→ 6←</c>.</summary>
        public string Summary => string.Format(CultureInfo.InvariantCulture, "{0} {1} \u2194 {2}, {3}\u2192 {4}\u2190",
            Label, EndpointA, EndpointB, FramesAToB, FramesBToA);

        /// <summary>A as the table shows it: address:port, address, or MAC.</summary>
        private string EndpointA => Endpoint(InnerSourceIp, InnerSourcePort, InnerSourceMacs, OuterSourceIp);

        private string EndpointB => Endpoint(InnerDestinationIp, InnerDestinationPort, InnerDestinationMacs, OuterDestinationIp);

        public override string ToString() => Summary;

        private bool IsIp => Kind == ConversationKind.Ports || Kind == ConversationKind.Addresses;

        private string Label
        {
            get
            {
                switch (Kind)
                {
                    case ConversationKind.Ports:
                    case ConversationKind.Addresses:
                        return IpProtocol.Name(Protocol);
                    case ConversationKind.Macs:
                        return InnerEtherType == EtherType.Arp ? "ARP" : "EtherType 0x" + InnerEtherType.Value.ToString("x4", CultureInfo.InvariantCulture);
                    default:
                        return "VXLAN (inner headers cut)";
                }
            }
        }

        private string Endpoint(IpAddressValue inner, int? port, TextList macs, IpAddressValue outer)
        {
            switch (Kind)
            {
                case ConversationKind.Ports:
                    string address = inner.ToString();
                    return (inner.Version == 6 ? "[" + address + "]" : address) + ":" + port.Value.ToString(CultureInfo.InvariantCulture);
                case ConversationKind.Addresses:
                    return inner.ToString();
                case ConversationKind.Macs:
                    return macs.Count > 0 ? macs[0] : null;
                default:
                    return outer.ToString();
            }
        }
    }
}
