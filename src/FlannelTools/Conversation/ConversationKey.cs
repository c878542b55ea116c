namespace FlannelTools.Conversation
{
    /// <summary>What identifies a conversation, from the deepest inner header a frame has.</summary>
    internal enum ConversationKind : byte
    {
        /// <summary>TCP or UDP: the two endpoints' address and port, and the protocol.</summary>
        Ports = 1,
        /// <summary>IP without ports (ICMP, other protocols, later fragments, a cut transport header): the two addresses and the protocol.</summary>
        Addresses,
        /// <summary>Not IP (ARP, LLDP, …): the two inner MACs and the EtherType.</summary>
        Macs,
        /// <summary>The inner Ethernet header is cut or missing: the two outer addresses.</summary>
        Outer,
    }

    /// <summary>
    /// A conversation's identity, the same for both directions: the two endpoints are held in a fixed order
    /// (the lower first), so a frame and its reply find the same key. A value with no references, made from
    /// the decoded headers without allocating.
    /// </summary>
    internal readonly struct ConversationKey : IEquatable<ConversationKey>
    {
        public readonly ConversationKind Kind;
        public readonly bool HasVni;
        public readonly uint Vni;
        /// <summary>The IP protocol (Ports, Addresses) or the inner EtherType (Macs).</summary>
        public readonly ushort Protocol;
        public readonly IpAddressValue LowAddress;
        public readonly IpAddressValue HighAddress;
        public readonly ushort LowPort;
        public readonly ushort HighPort;
        public readonly ulong LowMac;
        public readonly ulong HighMac;

        private ConversationKey(ConversationKind kind, bool hasVni, uint vni, ushort protocol,
            IpAddressValue lowAddress, IpAddressValue highAddress, ushort lowPort, ushort highPort, ulong lowMac, ulong highMac)
        {
            Kind = kind;
            HasVni = hasVni;
            Vni = vni;
            Protocol = protocol;
            LowAddress = lowAddress;
            HighAddress = highAddress;
            LowPort = lowPort;
            HighPort = highPort;
            LowMac = lowMac;
            HighMac = highMac;
        }

        /// <summary>
        /// The key of a VXLAN frame's conversation; <paramref name="sourceIsLow"/> says whether the frame's source
        /// is the key's low endpoint, which gives the frame's direction.
        /// </summary>
        public static ConversationKey Of(in VxlanHeaders h, out bool sourceIsLow)
        {
            bool hasVni = h.Has(HeaderFields.Vxlan);
            uint vni = hasVni ? h.Vni : 0;
            if (h.Has(HeaderFields.InnerIp))
            {
                if (h.Has(HeaderFields.InnerPorts))
                {
                    int order = Compare(h.InnerSourceAddress, h.InnerDestinationAddress);
                    sourceIsLow = order < 0 || (order == 0 && h.InnerSourcePort <= h.InnerDestinationPort);
                    return sourceIsLow
                        ? new ConversationKey(ConversationKind.Ports, hasVni, vni, h.InnerProtocol, h.InnerSourceAddress, h.InnerDestinationAddress, h.InnerSourcePort, h.InnerDestinationPort, 0, 0)
                        : new ConversationKey(ConversationKind.Ports, hasVni, vni, h.InnerProtocol, h.InnerDestinationAddress, h.InnerSourceAddress, h.InnerDestinationPort, h.InnerSourcePort, 0, 0);
                }
                sourceIsLow = Compare(h.InnerSourceAddress, h.InnerDestinationAddress) <= 0;
                return sourceIsLow
                    ? new ConversationKey(ConversationKind.Addresses, hasVni, vni, h.InnerProtocol, h.InnerSourceAddress, h.InnerDestinationAddress, 0, 0, 0, 0)
                    : new ConversationKey(ConversationKind.Addresses, hasVni, vni, h.InnerProtocol, h.InnerDestinationAddress, h.InnerSourceAddress, 0, 0, 0, 0);
            }
            if (h.Has(HeaderFields.InnerEthernet))
            {
                sourceIsLow = h.InnerSourceMac <= h.InnerDestinationMac;
                return sourceIsLow
                    ? new ConversationKey(ConversationKind.Macs, hasVni, vni, h.InnerEtherType, default, default, 0, 0, h.InnerSourceMac, h.InnerDestinationMac)
                    : new ConversationKey(ConversationKind.Macs, hasVni, vni, h.InnerEtherType, default, default, 0, 0, h.InnerDestinationMac, h.InnerSourceMac);
            }
            sourceIsLow = Compare(h.OuterSourceAddress, h.OuterDestinationAddress) <= 0;
            return sourceIsLow
                ? new ConversationKey(ConversationKind.Outer, hasVni, vni, 0, h.OuterSourceAddress, h.OuterDestinationAddress, 0, 0, 0, 0)
                : new ConversationKey(ConversationKind.Outer, hasVni, vni, 0, h.OuterDestinationAddress, h.OuterSourceAddress, 0, 0, 0, 0);
        }

        private static int Compare(in IpAddressValue a, in IpAddressValue b)
        {
            if (a.Version != b.Version)
            {
                return a.Version < b.Version ? -1 : 1;
            }
            if (a.High != b.High)
            {
                return a.High < b.High ? -1 : 1;
            }
            return a.Low == b.Low ? 0 : a.Low < b.Low ? -1 : 1;
        }

        public bool Equals(ConversationKey other) =>
            Kind == other.Kind && Vni == other.Vni && HasVni == other.HasVni && Protocol == other.Protocol &&
            LowPort == other.LowPort && HighPort == other.HighPort &&
            LowAddress.Equals(other.LowAddress) && HighAddress.Equals(other.HighAddress) &&
            LowMac == other.LowMac && HighMac == other.HighMac;

        public override bool Equals(object obj) => obj is ConversationKey other && Equals(other);

        public override int GetHashCode()
        {
            unchecked
            {
                ulong hash = LowAddress.Low * 31 + HighAddress.Low;
                hash = hash * 31 + LowAddress.High + HighAddress.High;
                hash = hash * 31 + ((ulong)LowPort << 16 | HighPort);
                hash = hash * 31 + (LowMac ^ HighMac);
                hash = hash * 31 + ((ulong)Vni << 24 | (ulong)Protocol << 8 | (byte)Kind);
                return (int)(hash ^ hash >> 32);
            }
        }
    }
}
