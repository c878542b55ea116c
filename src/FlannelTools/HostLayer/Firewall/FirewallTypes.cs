namespace FlannelTools
{
    /// <summary>
    /// A chain of the node's packet filter. A base chain (Hook set) sees packets on its hook in the order of Priority; a
    /// regular chain is reached only by jump or goto. iptables' built-in chains are base chains at the priorities
    /// iptables gives them (raw -300, mangle -150, nat prerouting -100, filter 0, nat postrouting 100).
    /// </summary>
    public sealed class FirewallChain
    {
        /// <summary>nftables, iptables-nft or iptables-legacy.</summary>
        public string Backend { get; internal set; }

        /// <summary>ip, ip6, inet, bridge, arp, netdev (iptables: ip; ip6tables: ip6).</summary>
        public string Family { get; internal set; }

        public string Table { get; internal set; }

        public string Name { get; internal set; }

        /// <summary>filter, nat, route; null for a regular chain.</summary>
        public string Type { get; internal set; }

        /// <summary>prerouting, input, forward, output, postrouting, ingress; null for a regular chain.</summary>
        public string Hook { get; internal set; }

        public int? Priority { get; internal set; }

        /// <summary>accept or drop for a base chain; null for a regular chain.</summary>
        public string Policy { get; internal set; }

        /// <summary>The device of a netdev ingress chain.</summary>
        public string Device { get; internal set; }

        public long? Packets { get; internal set; }

        public long? Bytes { get; internal set; }

        public string Source { get; internal set; }

        public bool IsBaseChain => Hook != null;

        public override string ToString() =>
            Backend + " " + Family + " " + Table + " " + Name + (Hook != null ? " (" + Hook + " " + Priority + " policy " + Policy + ")" : string.Empty);
    }

    /// <summary>
    /// One rule, in its chain's order (Position from 1). Text is the rule as its own tool prints it: nft's syntax for
    /// nftables (<c>udp dport 8472 counter packets 3 bytes 420 drop</c> without the counter's values), the
    /// <c>iptables-save</c> line for iptables (<c>-A INPUT -p udp -m udp --dport 8472 -j DROP</c>, without <c>[p:b]</c>).
    /// </summary>
    public sealed class FirewallRule
    {
        public string Backend { get; internal set; }

        public string Family { get; internal set; }

        public string Table { get; internal set; }

        public string Chain { get; internal set; }

        public int Position { get; internal set; }

        public string Text { get; internal set; }

        /// <summary>nft's handle; null for iptables.</summary>
        public long? Handle { get; internal set; }

        public string Comment { get; internal set; }

        public long? Packets { get; internal set; }

        public long? Bytes { get; internal set; }

        public string Source { get; internal set; }

        public override string ToString() => Backend + " " + Family + " " + Table + " " + Chain + " #" + Position + ": " + Text;
    }

    /// <summary>A named nftables set or map, which rules refer to as <c>@name</c>.</summary>
    public sealed class FirewallSet
    {
        public string Backend { get; internal set; }

        public string Family { get; internal set; }

        public string Table { get; internal set; }

        public string Name { get; internal set; }

        /// <summary>ipv4_addr, ipv6_addr, inet_service, ifname, inet_proto, or a concatenation (<c>ipv4_addr . inet_service</c>).</summary>
        public string Type { get; internal set; }

        /// <summary>For a map, what the keys map to (<c>verdict</c>); null for a set.</summary>
        public string MapsTo { get; internal set; }

        public TextList Flags { get; internal set; } = TextList.Empty;

        /// <summary>The elements as nft prints them (<c>10.244.0.0/16</c>, <c>8472</c>, <c>1000-2000</c>); a map's as <c>key : value</c>.</summary>
        public TextList Elements { get; internal set; } = TextList.Empty;

        public string Source { get; internal set; }

        public override string ToString() => Family + " " + Table + " @" + Name + " { " + string.Join(", ", Elements) + " }";
    }
}
