using FlannelTools.Addressing;
using FlannelTools.Conversation;
using FlannelTools.Decoding;

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
        private readonly ConversationKind _kind;
        private readonly byte _protocol;
        private readonly IpAddressValue _innerSource;
        private readonly IpAddressValue _innerDestination;
        private readonly IpAddressValue _outerSource;
        private readonly IpAddressValue _outerDestination;

        internal VxlanConversation(string path, ConversationKind kind, int? vni, byte protocol, int? innerEtherType,
            IpAddressValue innerSource, int? innerSourcePort, IpAddressValue innerDestination, int? innerDestinationPort,
            IpAddressValue outerSource, IpAddressValue outerDestination, int outerDestinationPort,
            long framesAToB, long framesBToA, long bytesAToB, long bytesBToA, long firstFrame, long lastFrame,
            string start, string end, double duration, TextList innerSourceMacs, TextList innerDestinationMacs, string tcpFlagsSeen)
        {
            Path = path;
            _kind = kind;
            Vni = vni;
            _protocol = protocol;
            InnerEtherType = innerEtherType;
            _innerSource = innerSource;
            InnerSourcePort = innerSourcePort;
            _innerDestination = innerDestination;
            InnerDestinationPort = innerDestinationPort;
            _outerSource = outerSource;
            _outerDestination = outerDestination;
            OuterDestinationPort = outerDestinationPort;
            FramesAToB = framesAToB;
            FramesBToA = framesBToA;
            BytesAToB = bytesAToB;
            BytesBToA = bytesBToA;
            FirstFrame = firstFrame;
            LastFrame = lastFrame;
            Start = start;
            End = end;
            Duration = duration;
            InnerSourceMacs = innerSourceMacs;
            InnerDestinationMacs = innerDestinationMacs;
            TcpFlagsSeen = tcpFlagsSeen;
        }

        /// <summary>The capture file, as on its frames.</summary>
        public string Path { get; }

        /// <summary>VXLAN Network Identifier; null when the VXLAN header was cut.</summary>
        public int? Vni { get; }

        /// <summary>TCP, UDP, ICMP, ICMPv6, or the protocol number; null when the inner packets are not IP.</summary>
        public string InnerProtocol => IsIp ? IpProtocol.Name(_protocol) : null;

        /// <summary>The inner EtherType (0x0806 ARP, …) of a conversation that is not IP; null for IP.</summary>
        public int? InnerEtherType { get; }

        /// <summary>A's inner IP address; null when the inner packets are not IP.</summary>
        public string InnerSourceAddress => IsIp ? _innerSource.ToString() : null;

        /// <summary>A's TCP or UDP port; null for other protocols.</summary>
        public int? InnerSourcePort { get; }

        /// <summary>B's inner IP address; null when the inner packets are not IP.</summary>
        public string InnerDestinationAddress => IsIp ? _innerDestination.ToString() : null;

        /// <summary>B's TCP or UDP port; null for other protocols.</summary>
        public int? InnerDestinationPort { get; }

        /// <summary>The outer source (A's node) of the first frame from A to B.</summary>
        public string OuterSourceAddress => _outerSource.ToString();

        /// <summary>The outer destination (B's node) of the first frame from A to B.</summary>
        public string OuterDestinationAddress => _outerDestination.ToString();

        /// <summary>The VXLAN UDP port of the first frame from A to B.</summary>
        public int OuterDestinationPort { get; }

        public long FramesAToB { get; }

        public long FramesBToA { get; }

        /// <summary>On-the-wire bytes of the frames from A to B, outer headers included.</summary>
        public long BytesAToB { get; }

        public long BytesBToA { get; }

        /// <summary>Number of the conversation's first frame in the capture.</summary>
        public long FirstFrame { get; }

        public long LastFrame { get; }

        /// <summary>The earliest frame's time, as a VxlanFrame's Timestamp (ISO 8601, UTC).</summary>
        public string Start { get; }

        /// <summary>The latest frame's time, as a VxlanFrame's Timestamp (ISO 8601, UTC).</summary>
        public string End { get; }

        /// <summary>Seconds from Start to End.</summary>
        public double Duration { get; }

        /// <summary>The distinct inner source MACs of the frames from A to B (A's VTEP), in the order seen; text 'aa:..,bb:..'.</summary>
        public TextList InnerSourceMacs { get; }

        /// <summary>The distinct inner destination MACs of the frames from A to B (B's VTEP as A's node knew it); more than one when it changed.</summary>
        public TextList InnerDestinationMacs { get; }

        /// <summary>The TCP flags seen in either direction, e.g. <c>SYN,FIN,PSH,ACK</c>; null for other protocols.</summary>
        public string TcpFlagsSeen { get; }

        /// <summary>One line: <c>TCP 10.244.1.178:42344 ↔ 10.244.2.101:80, 7→ 6←</c>.</summary>
        public string Summary => string.Format(CultureInfo.InvariantCulture, "{0} {1} \u2194 {2}, {3}\u2192 {4}\u2190",
            Label, EndpointA, EndpointB, FramesAToB, FramesBToA);

        /// <summary>A as the table shows it: address:port, address, or MAC.</summary>
        private string EndpointA => Endpoint(_innerSource, InnerSourcePort, InnerSourceMacs, _outerSource);

        private string EndpointB => Endpoint(_innerDestination, InnerDestinationPort, InnerDestinationMacs, _outerDestination);

        public override string ToString() => Summary;

        private bool IsIp => _kind == ConversationKind.Ports || _kind == ConversationKind.Addresses;

        private string Label
        {
            get
            {
                switch (_kind)
                {
                    case ConversationKind.Ports:
                    case ConversationKind.Addresses:
                        return IpProtocol.Name(_protocol);
                    case ConversationKind.Macs:
                        return InnerEtherType == EtherType.Arp ? "ARP" : "EtherType 0x" + InnerEtherType.Value.ToString("x4", CultureInfo.InvariantCulture);
                    default:
                        return "VXLAN (inner headers cut)";
                }
            }
        }

        private string Endpoint(IpAddressValue inner, int? port, TextList macs, IpAddressValue outer)
        {
            switch (_kind)
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
