namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>What a ruleset parser read: chains, rules and sets of one backend, and the lines it could not read.</summary>
    internal sealed class FirewallParseResult
    {
        /// <summary>The backend the text came from (for plain iptables-save, told by its header: <c>(nf_tables)</c> or <c>(legacy)</c>, legacy when it says neither).</summary>
        public string Backend { get; set; }

        public List<FirewallChain> Chains { get; } = new List<FirewallChain>();

        public List<FirewallRule> Rules { get; } = new List<FirewallRule>();

        public List<FirewallSet> Sets { get; } = new List<FirewallSet>();

        public List<ParseProblem> Problems { get; } = new List<ParseProblem>();

        public int LinesRead { get; set; }
    }
}
