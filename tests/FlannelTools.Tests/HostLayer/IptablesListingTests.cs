using System.Collections.Generic;
using System.Linq;
using FlannelTools.HostLayer.Firewall;
using Xunit;

namespace FlannelTools.Tests.HostLayer
{
    public class IptablesListingTests
    {
        /// <summary>Each -L listing beside the iptables-save of the same ruleset, captured one after the other with no packet between.</summary>
        public static IEnumerable<object[]> SameRuleset() => new[]
        {
            new object[] { "flannel.iptables-nft-save-c", "filter", "flannel.iptables-L-n-v", true },
            new object[] { "flannel.iptables-nft-save-c", "filter", "flannel.iptables-L-n-v-line-numbers", true },
            new object[] { "flannel.iptables-nft-save-c", "filter", "flannel.iptables-L-n", false },
            new object[] { "flannel.iptables-nft-save-c", "nat", "flannel.iptables-t-nat-L-n-v", true },
            new object[] { "flannel.ip6tables-nft-save-c", "filter", "flannel.ip6tables-L-n-v", true },
            new object[] { "flannel.ip6tables-nft-save-c", "nat", "flannel.ip6tables-t-nat-L-n-v", true },
            new object[] { "kube-proxy.iptables-nft-save-c", "filter", "kube-proxy.iptables-L-n-v", true },
            new object[] { "kube-proxy.iptables-nft-save-c", "nat", "kube-proxy.iptables-t-nat-L-n-v", true },
            new object[] { "docker.iptables-nft-save-c", "filter", "docker.iptables-L-n-v", true },
            new object[] { "rhel7.iptables-legacy-save-c", "filter", "rhel7.iptables-legacy-L-n-v", true },
            new object[] { "rhel7.iptables-legacy-save-c", "nat", "rhel7.iptables-legacy-t-nat-L-n-v", true },
            new object[] { "ufw.iptables-nft-save-c", "filter", "ufw.iptables-L-n-v", true },
            new object[] { "split.iptables-legacy-save-c", "filter", "split.iptables-legacy-L-n-v", true },
            new object[] { "vxlan-masquerade.iptables-nft-save-c", "nat", "vxlan-masquerade.iptables-t-nat-L-n-v", true },
            new object[] { "matches.iptables-nft-save-c", "filter", "matches.iptables-L-n-v", true },
            new object[] { "matches.iptables-nft-save-c", "nat", "matches.iptables-t-nat-L-n-v", true },
            new object[] { "matches.iptables-nft-save-c", "mangle", "matches.iptables-t-mangle-L-n-v", true },
            new object[] { "matches.iptables-nft-save-c", "raw", "matches.iptables-t-raw-L-n-v", true },
            new object[] { "matches.ip6tables-nft-save-c", "filter", "matches.ip6tables-L-n-v", true },
        };

        [Theory]
        [MemberData(nameof(SameRuleset))]
        public void A_listing_reads_to_the_chains_and_rule_meanings_of_the_save_of_the_same_ruleset(string save, string table, string listing, bool verbose)
        {
            FirewallParseResult saved = IptablesData.Parse(save);
            FirewallParseResult listed = IptablesData.Parse(listing);

            Assert.Empty(saved.Problems);
            Assert.Empty(listed.Problems);
            Assert.All(listed.Chains, c => Assert.Equal(table, c.Table));
            Assert.Equal(
                saved.Chains.Where(c => c.Table == table).Select(c => Describe(c, verbose)).OrderBy(d => d),
                listed.Chains.Select(c => Describe(c, verbose)).OrderBy(d => d));
            Assert.Equal(
                saved.Rules.Where(r => r.Table == table).Select(r => Describe(r, verbose)).OrderBy(d => d),
                listed.Rules.Select(r => Describe(r, verbose)).OrderBy(d => d));
        }

        // The base chains' policy counters are left out: iptables-nft-save prints [0:0] where -L -v counts the policy.
        private static string Describe(FirewallChain chain, bool verbose) =>
            string.Join("|", chain.Family, chain.Name, chain.Hook, chain.Type, chain.Priority, chain.Policy);

        private static string Describe(FirewallRule rule, bool verbose)
        {
            ParsedRule parsed = IptablesRuleText.Parse(rule.Text);
            string matches = string.Join(" & ", parsed.Matches.Select(m =>
                m.Field == RuleField.Other ? "Other" : m.Field + (m.Negated ? " != " : " = ") + (m.SetName != null ? "@" + m.SetName : string.Join(",", m.Values))));
            return string.Join("|", rule.Family, rule.Chain, rule.Position, verbose ? rule.Packets : null, verbose ? rule.Bytes : null, rule.Comment,
                matches, parsed.Action, parsed.TargetChain, parsed.ActionOptions, parsed.MarkOperation, parsed.Unjudgeable);
        }
    }
}
