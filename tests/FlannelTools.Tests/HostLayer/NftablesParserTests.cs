using System.Collections.Generic;
using System.Linq;
using FlannelTools.HostLayer.Firewall;
using FlannelTools.NodeTables;
using Xunit;

namespace FlannelTools.Tests.HostLayer
{
    public class NftablesParserTests
    {
        public static IEnumerable<object[]> Rulesets => new[]
        {
            new object[] { "input-drop-8472" },
            new object[] { "forward-policy-drop" },
            new object[] { "flannel-nftables" },
            new object[] { "firewalld" },
            new object[] { "sets-and-maps" },
            new object[] { "iptables-nft" },
        };

        private static string ChainText(FirewallChain c) =>
            string.Join("|", c.Backend, c.Family, c.Table, c.Name, c.Type, c.Hook, c.Priority, c.Policy);

        private static string RuleText(FirewallRule r) =>
            string.Join("|", r.Family, r.Table, r.Chain, r.Position, r.Text, r.Comment, r.Packets, r.Bytes);

        [Theory]
        [MemberData(nameof(Rulesets))]
        public void Json_and_text_of_the_same_ruleset_give_the_same_chains_rules_and_sets(string ruleset)
        {
            FirewallParseResult json = NftData.Read(ruleset + ".json");
            FirewallParseResult text = NftData.Read(ruleset + ".txt");
            Assert.Empty(json.Problems);
            Assert.Empty(text.Problems);
            Assert.NotEmpty(json.Chains);
            Assert.Equal(text.Chains.Select(ChainText), json.Chains.Select(ChainText));
            Assert.Equal(text.Sets.Select(s => s.ToString() + " " + s.Type + " " + s.MapsTo + " " + s.Flags),
                json.Sets.Select(s => s.ToString() + " " + s.Type + " " + s.MapsTo + " " + s.Flags));
            // iptables-nft's xt matches and targets are opaque in JSON; nft's text shows them translated.
            Assert.Equal(text.Rules.Count, json.Rules.Count);
            for (int i = 0; i < json.Rules.Count; i++)
            {
                if (!json.Rules[i].Text.Contains("xt "))
                {
                    Assert.Equal(RuleText(text.Rules[i]), RuleText(json.Rules[i]));
                }
            }
        }
    }
}
