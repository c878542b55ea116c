namespace FlannelTools.HostLayer
{
    /// <summary>The names of the host layer's parts, as <see cref="UnreadPart.Part"/> and the checks' Unknown findings write them.</summary>
    internal static class HostParts
    {
        public const string Sysctls = "Sysctls";
        public const string Nftables = "Nftables";
        public const string IptablesNft = "IptablesNft";
        public const string Ip6tablesNft = "Ip6tablesNft";
        public const string IptablesLegacy = "IptablesLegacy";
        public const string Ip6tablesLegacy = "Ip6tablesLegacy";
        public const string Offloads = "Offloads";
        public const string KernelRelease = "KernelRelease";
        public const string UdpCounters = "UdpCounters";
        public const string LinkCounters = "LinkCounters";
        public const string TcFilters = "TcFilters";
        public const string SubnetEnv = "SubnetEnv";
        public const string NetConf = "NetConf";
    }
}
