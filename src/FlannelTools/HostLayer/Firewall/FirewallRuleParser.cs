namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>Reads a <see cref="FirewallRule"/>'s Text into conditions and an action, by its backend's syntax.</summary>
    internal static class FirewallRuleParser
    {
        public static ParsedRule Parse(FirewallRule rule) =>
            rule.Backend == FirewallBackend.Nftables ? NftRuleText.Parse(rule.Text) : IptablesRuleText.Parse(rule.Text);
    }
}
