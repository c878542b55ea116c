namespace FlannelTools.Decoding
{
    /// <summary>The LINKTYPE_ values (tcpdump.org/linktypes.html) the decoder reads.</summary>
    internal static class LinkType
    {
        public const int Null = 0;
        public const int Ethernet = 1;
        public const int RawDlt12 = 12;
        public const int RawDlt14 = 14;
        public const int Raw = 101;
        public const int LinuxSll = 113;
        public const int IPv4 = 228;
        public const int IPv6 = 229;
        public const int LinuxSll2 = 276;

        public static bool IsSupported(int linkType) =>
            linkType == Null || linkType == Ethernet || linkType == RawDlt12 || linkType == RawDlt14 || linkType == Raw ||
            linkType == LinuxSll || linkType == LinuxSll2 || linkType == IPv4 || linkType == IPv6;

        public static string Name(int linkType)
        {
            switch (linkType)
            {
                case Null: return "NULL";
                case Ethernet: return "EN10MB";
                case RawDlt12:
                case RawDlt14:
                case Raw: return "RAW";
                case LinuxSll: return "LINUX_SLL";
                case LinuxSll2: return "LINUX_SLL2";
                case IPv4: return "IPV4";
                case IPv6: return "IPV6";
                default: return "LINKTYPE " + linkType.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }
        }
    }
}
