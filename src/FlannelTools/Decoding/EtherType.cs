namespace FlannelTools.Decoding
{
    internal static class EtherType
    {
        public const ushort IPv4 = 0x0800;
        public const ushort Arp = 0x0806;
        public const ushort Vlan = 0x8100;
        public const ushort IPv6 = 0x86dd;
        public const ushort ProviderBridging = 0x88a8;
        public const ushort QinQ = 0x9100;

        public static bool IsVlanTag(ushort type) => type == Vlan || type == ProviderBridging || type == QinQ;
    }

    internal static class IpProtocol
    {
        public const byte HopByHop = 0;
        public const byte Icmp = 1;
        public const byte Tcp = 6;
        public const byte Udp = 17;
        public const byte Routing = 43;
        public const byte Fragment = 44;
        public const byte Icmpv6 = 58;
        public const byte DestinationOptions = 60;

        public static string Name(byte protocol)
        {
            switch (protocol)
            {
                case Icmp: return "ICMP";
                case Tcp: return "TCP";
                case Udp: return "UDP";
                case Icmpv6: return "ICMPv6";
                case 47: return "GRE";
                case 50: return "ESP";
                case 51: return "AH";
                case 132: return "SCTP";
                default: return protocol.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
