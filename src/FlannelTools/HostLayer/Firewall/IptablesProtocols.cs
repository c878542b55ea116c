namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>
    /// Protocol names as iptables-save writes them. <c>iptables -L -n</c> (1.8) prints the number (<c>17</c>, <c>0</c> for
    /// any), older versions the name; both read to the name -save writes, so the two forms read to one condition.
    /// </summary>
    internal static class IptablesProtocols
    {
        private static readonly Dictionary<string, string> Names = new Dictionary<string, string>
        {
            ["0"] = "all", ["1"] = "icmp", ["2"] = "igmp", ["4"] = "ipencap", ["6"] = "tcp", ["17"] = "udp", ["33"] = "dccp", ["41"] = "ipv6",
            ["47"] = "gre", ["50"] = "esp", ["51"] = "ah", ["58"] = "ipv6-icmp", ["103"] = "pim", ["112"] = "vrrp", ["132"] = "sctp", ["135"] = "mh", ["136"] = "udplite",
            ["icmpv6"] = "ipv6-icmp",
        };

        public static string NameOf(string protocol)
        {
            if (protocol == null)
            {
                return null;
            }
            string lower = protocol.ToLowerInvariant();
            return Names.TryGetValue(lower, out string name) ? name : lower;
        }
    }
}
