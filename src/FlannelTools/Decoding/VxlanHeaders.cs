namespace FlannelTools.Decoding
{
    /// <summary>What the decoder made of one captured frame.</summary>
    internal enum DecodeStatus : byte
    {
        /// <summary>Not a UDP datagram to a VXLAN port (or not IP at all): not ours to report.</summary>
        NotVxlan = 0,
        /// <summary>A VXLAN frame; <see cref="VxlanHeaders.Problem"/> says whether any header was cut or malformed.</summary>
        Vxlan,
        /// <summary>A non-first IP fragment: its headers are in the first fragment.</summary>
        LaterFragment,
        /// <summary>The capture's link type is not one the decoder reads.</summary>
        UnsupportedLinkType,
    }

    /// <summary>Why a VXLAN frame's headers are incomplete.</summary>
    internal enum DecodeProblem : byte
    {
        None = 0,
        VxlanHeaderCut,
        VxlanFlagsInvalid,
        InnerEthernetCut,
        InnerNetworkHeaderCut,
        InnerNetworkHeaderMalformed,
        InnerTransportHeaderCut,
        InnerTransportHeaderMalformed,
    }

    /// <summary>Which of the optional header fields a frame has.</summary>
    [System.Flags]
    internal enum HeaderFields : ushort
    {
        None = 0,
        OuterSourceMac = 1,
        OuterDestinationMac = 2,
        OuterVlan = 4,
        Vxlan = 8,
        InnerEthernet = 16,
        InnerIp = 32,
        InnerPorts = 64,
        TcpFlags = 128,
        Icmp = 256,
        Arp = 512,
        /// <summary>The inner IP packet is a later fragment: its transport header is in the first one.</summary>
        InnerFragment = 1024,
        /// <summary>The inner IP packet is the first fragment of a longer one.</summary>
        InnerFirstFragment = 2048,
        /// <summary>The inner UDP datagram goes to a VXLAN port and carries a VXLAN header again (VXLAN in VXLAN).</summary>
        NestedVxlan = 4096,
    }

    /// <summary>
    /// The fixed header stack of a VXLAN frame (link layer, VLAN tags, outer IP, UDP, VXLAN,
    /// inner Ethernet, inner IP, inner TCP/UDP/ICMP), read straight from the frame's bytes.
    /// A value type with no references, so decoding and filtering allocate nothing: the layer
    /// readers (<see cref="EthernetHeader"/>, <see cref="IpHeader"/>, <see cref="VxlanHeader"/>, …) fill it in place.
    /// </summary>
    internal struct VxlanHeaders
    {
        public DecodeStatus Status;
        public DecodeProblem Problem;
        public HeaderFields Fields;

        public ulong OuterSourceMac;
        public ulong OuterDestinationMac;
        /// <summary>The outermost 802.1Q/802.1ad tag's VLAN id.</summary>
        public ushort OuterVlan;
        public IpAddressValue OuterSourceAddress;
        public IpAddressValue OuterDestinationAddress;
        /// <summary>IPv4 identification or IPv6 fragment identification, to match later fragments.</summary>
        public uint OuterFragmentId;
        public bool OuterIsFirstFragment;
        public ushort OuterSourcePort;
        public ushort OuterDestinationPort;

        public byte VxlanFlags;
        public uint Vni;

        public ulong InnerSourceMac;
        public ulong InnerDestinationMac;
        public ushort InnerEtherType;
        public IpAddressValue InnerSourceAddress;
        public IpAddressValue InnerDestinationAddress;
        public byte InnerProtocol;
        public ushort InnerSourcePort;
        public ushort InnerDestinationPort;
        /// <summary>TCP flag bits (FIN 0x01 … CWR 0x80, NS 0x100).</summary>
        public ushort TcpFlags;
        public byte IcmpType;
        public byte IcmpCode;
        public ushort ArpOperation;
        public IpAddressValue ArpSenderAddress;
        public IpAddressValue ArpTargetAddress;

        /// <summary>The inner IP fragment's identification, offset (bytes) and payload length, as its header gives them.</summary>
        public uint InnerFragmentId;
        public int InnerFragmentOffset;
        public int InnerFragmentLength;

        /// <summary>The VNI of a VXLAN header inside the inner UDP datagram (VXLAN in VXLAN).</summary>
        public uint NestedVni;

        /// <summary>
        /// Offset of the inner TCP or UDP payload within the frame, and its length as the headers give it
        /// (for Info); the capture may hold fewer of its bytes.
        /// </summary>
        public int InnerPayloadOffset;
        public int InnerPayloadLength;

        public bool Has(HeaderFields field) => (Fields & field) == field;

        /// <summary>Records why the headers stop where they do; a cut header says more than flags without the VNI bit.</summary>
        internal void SetProblem(DecodeProblem problem)
        {
            if (Problem == DecodeProblem.None || Problem == DecodeProblem.VxlanFlagsInvalid)
            {
                Problem = problem;
            }
        }
    }
}
