using FlannelTools.HostLayer.Firewall;

namespace FlannelTools.Diagnosis
{
    /// <summary>
    /// The command that adds an accept where the packet filter drops flannel's traffic, written for the tool that owns
    /// the deciding rule: firewall-cmd for firewalld, ufw for ufw, iptables-legacy or iptables-nft for iptables rules of
    /// that backend, nft only for native nftables tables (never into firewalld's or iptables-nft's). The accept goes
    /// into the chain that holds the drop, ahead of it, so it ends that same base chain's walk with an accept.
    /// </summary>
    internal static class FirewallRemedies
    {
        private static readonly string[] IptablesBuiltInChains = { "INPUT", "FORWARD", "OUTPUT", "PREROUTING", "POSTROUTING" };

        private static readonly string[] IptablesTables = { "filter", "nat", "mangle", "raw", "security" };

        /// <summary>Opens UDP port (the VXLAN port) where the verdict's chain drops it.</summary>
        public static string OpenUdpPort(NodeState state, ChainVerdict verdict, int port, bool ipv6)
        {
            string p = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            FirewallChain chain = verdict.DecidingChain ?? verdict.BaseChain;
            switch (Owner(state, chain, verdict.ByPolicy))
            {
                case "firewalld":
                    return "firewall-cmd --permanent --add-port=" + p + "/udp && firewall-cmd --reload";
                case "ufw":
                    return "ufw allow " + p + "/udp";
                case "nft":
                    return "nft insert rule " + chain.Family + " " + chain.Table + " " + chain.Name + " udp dport " + p + " accept";
                default:
                    return Iptables(chain, verdict, ipv6) + " -p udp --dport " + p + " -j ACCEPT";
            }
        }

        /// <summary>Accepts the cluster's pod network in the forward chain that drops it (or jumps to flannel's FLANNEL-FWD there, when that chain accepts the packet).</summary>
        public static string AcceptForward(NodeState state, FirewallEvaluator evaluator, ChainVerdict verdict, string network, bool ipv6, PacketProbe probe)
        {
            FirewallChain chain = verdict.DecidingChain ?? verdict.BaseChain;
            switch (Owner(state, chain, verdict.ByPolicy))
            {
                case "firewalld":
                    return "firewall-cmd --permanent --zone=trusted --add-source=" + network + " && firewall-cmd --reload";
                case "ufw":
                    return "ufw route allow from " + network + " && ufw route allow to " + network;
                case "nft":
                    string prefix = "nft insert rule " + chain.Family + " " + chain.Table + " " + chain.Name + " " + (ipv6 ? "ip6" : "ip");
                    return prefix + " saddr " + network + " accept && " + prefix + " daddr " + network + " accept";
                default:
                    string insert = Iptables(chain, verdict, ipv6);
                    FirewallChain flannel = evaluator.FindChain(chain.Backend, chain.Family, chain.Table, "FLANNEL-FWD");
                    if (flannel != null && flannel != chain && evaluator.SurelyAccepts(flannel, probe, verdict.Hook))
                    {
                        return insert + " -j FLANNEL-FWD";
                    }
                    return insert + " -s " + network + " -j ACCEPT && " + insert + " -d " + network + " -j ACCEPT";
            }
        }

        /// <summary>firewalld, ufw, nft (a native nftables table), or iptables (either backend, including iptables-nft's tables as nft shows them).</summary>
        public static string Owner(NodeState state, FirewallChain chain, bool byPolicy)
        {
            if (chain.Backend == FirewallBackend.Nftables)
            {
                if (chain.Table == "firewalld")
                {
                    return "firewalld";
                }
                return IsIptablesNftTable(state, chain) ? "iptables" : "nft";
            }
            bool sameTable(FirewallChain c) => c.Backend == chain.Backend && c.Family == chain.Family && c.Table == chain.Table;
            if (chain.Name.StartsWith("ufw-", StringComparison.Ordinal) ||
                (byPolicy && state.FirewallChains.Any(c => sameTable(c) && c.Name.StartsWith("ufw-", StringComparison.Ordinal))))
            {
                return "ufw";
            }
            // firewalld's iptables backend (before 0.6, and FirewallBackend=iptables) dispatches through these chains.
            if (state.FirewallChains.Any(c => sameTable(c) && (c.Name == "INPUT_ZONES" || c.Name == "FORWARD_IN_ZONES")))
            {
                return "firewalld";
            }
            return "iptables";
        }

        /// <summary>A table iptables-nft made, as nft lists it: an iptables table name in ip or ip6 holding iptables' built-in chain names.</summary>
        public static bool IsIptablesNftTable(NodeState state, FirewallChain chain) =>
            (chain.Family == "ip" || chain.Family == "ip6") && IptablesTables.Contains(chain.Table) &&
            state.FirewallChains.Any(c => c.Backend == chain.Backend && c.Family == chain.Family && c.Table == chain.Table && IptablesBuiltInChains.Contains(c.Name));

        private static string Iptables(FirewallChain chain, ChainVerdict verdict, bool ipv6)
        {
            string tool = (ipv6 ? "ip6tables" : "iptables") + (chain.Backend == FirewallBackend.IptablesLegacy ? "-legacy" : "-nft");
            int position = verdict.ByPolicy || verdict.Rule == null ? 1 : verdict.Rule.Position;
            return tool + (chain.Table != "filter" ? " -t " + chain.Table : string.Empty) + " -I " + chain.Name + " " +
                   position.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
