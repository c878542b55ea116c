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
    
        [Fact]
        public void A_listing_without_a_backend_given_is_taken_for_iptables_nft()
        {
            Assert.Equal(FirewallBackend.IptablesNft, IptablesData.Parse("flannel.iptables-L-n-v").Backend);
        }

        [Fact]
        public void A_listing_whose_command_line_names_iptables_legacy_is_legacy_and_that_line_names_its_table()
        {
            var lines = new[] { "# iptables-legacy -t nat -L -n -v" }.Concat(IptablesData.Lines("rhel7.iptables-legacy-t-nat-L-n-v")).ToList();

            FirewallParseResult result = IptablesSaveParser.Parse(lines, new FlannelTools.NodeTables.TextOrigin("pasted"), 1, "ip", null);

            Assert.Equal(FirewallBackend.IptablesLegacy, result.Backend);
            Assert.All(result.Chains, c => Assert.Equal("nat", c.Table));
            Assert.Equal("pasted:2", result.Chains.First().Source);
        }

        [Fact]
        public void A_filter_and_a_nat_listing_pasted_one_after_the_other_are_two_tables()
        {
            var lines = IptablesData.Lines("flannel.iptables-L-n-v").Concat(IptablesData.Lines("flannel.iptables-t-nat-L-n-v")).ToList();

            FirewallParseResult result = IptablesSaveParser.Parse(lines, new FlannelTools.NodeTables.TextOrigin("pasted"), 1, "ip", FirewallBackend.IptablesNft);

            Assert.Empty(result.Problems);
            Assert.Equal("filter", result.Chains.Single(c => c.Name == "FLANNEL-FWD").Table);
            Assert.Equal("nat", result.Chains.Single(c => c.Name == "FLANNEL-POSTRTG").Table);
            Assert.Equal(100, result.Chains.Single(c => c.Name == "POSTROUTING").Priority);
        }

        [Fact]
        public void An_ip6tables_listing_is_family_ip6_from_its_addresses()
        {
            FirewallParseResult result = IptablesData.Parse("flannel.ip6tables-L-n-v", family: "ip");

            Assert.All(result.Chains, c => Assert.Equal("ip6", c.Family));
            Assert.Contains(result.Rules, r => r.Text == "-A FLANNEL-FWD -s fd10:244::/56 -m comment --comment \"flanneld forward\" -j ACCEPT");
        }

        [Fact]
        public void A_listing_row_becomes_the_rule_iptables_save_prints()
        {
            FirewallParseResult result = IptablesData.Parse("kube-proxy.iptables-t-nat-L-n-v");

            Assert.Contains(result.Rules, r => r.Text == "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN" && r.Packets == 3 && r.Bytes == 152);
            Assert.Contains(result.Rules, r => r.Text == "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0");
            Assert.Contains(result.Rules, r => r.Text == "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully");
            Assert.Contains(result.Rules, r => r.Text == "-A KUBE-SVC-TCOU7JCQXEZGVUNU ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p udp -m comment --comment \"kube-system/kube-dns:dns cluster IP\" -m udp --dport 53 -j KUBE-MARK-MASQ");
        }

        [Fact]
        public void Rounded_counters_are_read_in_thousands()
        {
            var lines = new[]
            {
                "Chain INPUT (policy DROP 12K packets, 3456K bytes)",
                " pkts bytes target     prot opt in     out     source               destination",
                " 597K   41M DROP       17   --  *      *       0.0.0.0/0            0.0.0.0/0            udp dpt:8472",
            };

            FirewallParseResult result = IptablesSaveParser.Parse(lines, new FlannelTools.NodeTables.TextOrigin("pasted"), 1, "ip", null);

            Assert.Equal((12000L, 3456000L, "drop"), (result.Chains.Single().Packets.Value, result.Chains.Single().Bytes.Value, result.Chains.Single().Policy));
            Assert.Equal((597000L, 41000000L), (result.Rules.Single().Packets.Value, result.Rules.Single().Bytes.Value));
            Assert.Equal("-A INPUT -p udp -m udp --dport 8472 -j DROP", result.Rules.Single().Text);
        }

        [Fact]
        public void Extras_the_reader_does_not_know_keep_the_rule_from_reading_as_unconditional()
        {
            var lines = new[]
            {
                "Chain FORWARD (policy ACCEPT)",
                "target     prot opt source               destination",
                "ACCEPT     0    --  0.0.0.0/0            0.0.0.0/0            owner UID match 1000",
            };

            FirewallParseResult result = IptablesSaveParser.Parse(lines, new FlannelTools.NodeTables.TextOrigin("pasted"), 1, "ip", null);
            ParsedRule rule = IptablesRuleText.Parse(result.Rules.Single().Text);

            Assert.Equal(RuleField.Other, rule.Matches.Single().Field);
            Assert.Contains("owner UID match 1000", rule.Matches.Single().Text);
            Assert.Equal(RuleAction.Accept, rule.Action);
        }

        [Fact]
        public void Unreadable_listing_lines_are_problems_and_the_rest_is_read()
        {
            var lines = new[]
            {
                "    0     0 ACCEPT     0    --  *      *       0.0.0.0/0            0.0.0.0/0",
                "Chain FORWARD (policy ACCEPT 0 packets, 0 bytes)",
                " pkts bytes target     prot opt in     out     source               destination",
                "    0     0 DROP       17   --  *      *",
                "    x     0 DROP       17   --  *      *       0.0.0.0/0            0.0.0.0/0",
                "    3   252 FLANNEL-FWD  0    --  *      *       0.0.0.0/0            0.0.0.0/0            /* flanneld forward */",
            };

            FirewallParseResult result = IptablesSaveParser.Parse(lines, new FlannelTools.NodeTables.TextOrigin("pasted"), 5, "ip", null);

            Assert.Equal(new[] { 5, 8, 9 }, result.Problems.Select(p => p.LineNumber));
            FirewallRule rule = result.Rules.Single();
            Assert.Equal((1, "flanneld forward", "pasted:10"), (rule.Position, rule.Comment, rule.Source));
        }

        // Found by the fuzz smoke (issue 12): a lone quote at the end of a row, or an empty quoted word, threw
        // IndexOutOfRangeException out of the parser.
        [Theory]
        [InlineData("\"", "\"")]
        [InlineData("\"\"", "")]
        [InlineData("udp dpt:8472 \"open", "\"open")]
        public void A_stray_or_empty_quote_in_a_row_is_unread_text_that_keeps_the_rule_conditional(string extras, string unread)
        {
            var lines = new[]
            {
                "Chain FORWARD (policy ACCEPT 0 packets, 0 bytes)",
                " pkts bytes target     prot opt in     out     source               destination",
                "    0     0 ACCEPT     0    --  docker0 *       0.0.0.0/0            0.0.0.0/0         " + extras,
            };

            FirewallParseResult result = IptablesSaveParser.Parse(lines, new FlannelTools.NodeTables.TextOrigin("pasted"), 1, "ip", null);
            ParsedRule rule = IptablesRuleText.Parse(result.Rules.Single().Text);

            Assert.Empty(result.Problems);
            Assert.Equal(RuleAction.Accept, rule.Action);
            Assert.Contains(rule.Matches, m => m.Field == RuleField.Other && m.Text.Contains("--text " + (unread.Length == 0 ? "" : unread.Substring(0, 1))));
        }
}
}
