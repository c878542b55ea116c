namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>The packet-filter backends a node's rules are read from, as <see cref="FirewallChain.Backend"/> writes them.</summary>
    internal static class FirewallBackend
    {
        /// <summary>Native nftables tables (<c>nft list ruleset</c>): firewalld's, flannel's own with EnableNFTables, the administrator's.</summary>
        public const string Nftables = "nftables";

        /// <summary>iptables rules kept in nf_tables (<c>iptables-nft-save</c>); <c>nft</c> shows their matches only as opaque xt expressions.</summary>
        public const string IptablesNft = "iptables-nft";

        /// <summary>iptables rules in the kernel's legacy xtables (<c>iptables-legacy-save</c>), invisible to nft.</summary>
        public const string IptablesLegacy = "iptables-legacy";
    }
}
