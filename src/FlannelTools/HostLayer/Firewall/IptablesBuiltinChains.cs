namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>
    /// The hook, type and priority iptables gives its built-in chains when it registers them (net/ipv4/netfilter's
    /// iptable_*.c, and iptables-nft's base chains at the same priorities): raw -300, mangle -150, nat PREROUTING and
    /// OUTPUT -100 (dstnat), filter 0, security 50, nat INPUT and POSTROUTING 100 (srcnat).
    /// </summary>
    internal static class IptablesBuiltinChains
    {
        /// <summary>Sets Hook, Type and Priority of a built-in chain; false when <paramref name="name"/> is no built-in chain of <paramref name="table"/>.</summary>
        public static bool Describe(string table, string name, FirewallChain chain)
        {
            string hook = HookOf(name);
            if (hook == null || !TableHas(table, name))
            {
                return false;
            }
            chain.Hook = hook;
            switch (table)
            {
                case "raw":
                    chain.Type = "filter";
                    chain.Priority = -300;
                    break;
                case "mangle":
                    chain.Type = name == "OUTPUT" ? "route" : "filter";
                    chain.Priority = -150;
                    break;
                case "nat":
                    chain.Type = "nat";
                    chain.Priority = name == "PREROUTING" || name == "OUTPUT" ? -100 : 100;
                    break;
                case "security":
                    chain.Type = "filter";
                    chain.Priority = 50;
                    break;
                default:
                    chain.Type = "filter";
                    chain.Priority = 0;
                    break;
            }
            return true;
        }

        public static bool IsBuiltin(string table, string name) => HookOf(name) != null && TableHas(table, name);

        private static string HookOf(string name)
        {
            switch (name)
            {
                case "PREROUTING":
                    return "prerouting";
                case "INPUT":
                    return "input";
                case "FORWARD":
                    return "forward";
                case "OUTPUT":
                    return "output";
                case "POSTROUTING":
                    return "postrouting";
                default:
                    return null;
            }
        }

        private static bool TableHas(string table, string name)
        {
            switch (table)
            {
                case "filter":
                case "security":
                    return name == "INPUT" || name == "FORWARD" || name == "OUTPUT";
                case "nat":
                    return name != "FORWARD";
                case "raw":
                    return name == "PREROUTING" || name == "OUTPUT";
                case "mangle":
                    return true;
                default:
                    return false;
            }
        }
    }
}
