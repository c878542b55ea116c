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

        private static FirewallChain Chain(FirewallParseResult r, string table, string name) => Assert.Single(r.Chains, c => c.Table == table && c.Name == name);

        [Theory]
        [InlineData("input-drop-8472.json")]
        [InlineData("input-drop-8472.txt")]
        public void A_drop_of_udp_8472_in_an_input_chain_is_read_with_its_counter(string file)
        {
            FirewallParseResult r = NftData.Read(file);
            Assert.Equal(FirewallBackend.Nftables, r.Backend);
            FirewallChain input = Chain(r, "flannel_lab", "input");
            Assert.Equal(("inet", "filter", "input", 0, "accept"), (input.Family, input.Type, input.Hook, input.Priority.Value, input.Policy));
            FirewallRule drop = r.Rules[0];
            Assert.Equal((1, "input", "udp dport 8472 counter drop comment \"drop flannel vxlan\"", "drop flannel vxlan"), (drop.Position, drop.Chain, drop.Text, drop.Comment));
            // capture.sh sent three 34-byte VXLAN datagrams and two pings (84 bytes each) into the namespace.
            Assert.Equal((3L, 102L), (drop.Packets.Value, drop.Bytes.Value));
            Assert.Equal((2, "counter", 2L, 168L), (r.Rules[1].Position, r.Rules[1].Text, r.Rules[1].Packets.Value, r.Rules[1].Bytes.Value));
            Assert.Equal(file.EndsWith(".json"), r.Rules[0].Handle != null);
        }

        [Fact]
        public void Priorities_written_by_name_and_offset_become_numbers_by_family()
        {
            FirewallParseResult r = NftData.Read("forward-policy-drop.txt");
            FirewallChain forward = Chain(r, "lab_forward", "forward");
            Assert.Equal((-5, "drop"), (forward.Priority.Value, forward.Policy));
            Assert.Equal(-175, Chain(r, "lab_forward", "prerouting").Priority);
            // In the bridge family filter is -200 and dstnat -300 (nft(8)).
            Assert.Equal(-190, Chain(r, "lab_bridge", "forward").Priority);
            Assert.Equal(-300, Chain(r, "lab_bridge", "prerouting").Priority);
            FirewallChain ingress = Chain(r, "lab_ingress", "ingress");
            Assert.Equal(("netdev", "ingress", -500, "hlnft-va"), (ingress.Family, ingress.Hook, ingress.Priority.Value, ingress.Device));
            Assert.Equal(3L, r.Rules.Single(x => x.Table == "lab_ingress").Packets);
            FirewallParseResult firewalld = NftData.Read("firewalld.txt");
            Assert.Equal(-140, Chain(firewalld, "firewalld", "mangle_PREROUTING").Priority);
            Assert.Equal(-90, Chain(firewalld, "firewalld", "nat_PREROUTING").Priority);
            Assert.Equal(110, Chain(firewalld, "firewalld", "nat_POSTROUTING").Priority);
            Assert.Equal(10, Chain(firewalld, "firewalld", "filter_INPUT").Priority);
        }

        // Found by the fuzz harness (issue 12): a counter or handle past a 64-bit number threw OverflowException out of the parser.
        [Fact]
        public void A_counter_past_a_64_bit_number_is_a_problem_on_its_line_and_the_rule_is_still_read()
        {
            var lines = new[]
            {
                "table ip filter {",
                "\tchain input {",
                "\t\ttype filter hook input priority filter; policy accept;",
                "\t\tudp dport 8472 counter packets 99999999999999999999 bytes 12 accept # handle 4",
                "\t}",
                "}",
            };

            FirewallParseResult result = NftablesParser.Parse(lines, new TextOrigin("pasted"), 1);

            Assert.Contains("packet count '99999999999999999999' is out of range", Assert.Single(result.Problems, p => p.LineNumber == 4).Message);
            FirewallRule rule = Assert.Single(result.Rules);
            Assert.Equal(("udp dport 8472 counter accept", (long?)null, (long?)12, (long?)4), (rule.Text, rule.Packets, rule.Bytes, rule.Handle));
        }

        [Fact]
        public void The_netdev_chains_device_comes_only_from_the_text_form()
        {
            // nft 1.0.6's JSON leaves a netdev chain's "dev" out; the text's "device" line has it.
            Assert.Null(Chain(NftData.Read("forward-policy-drop.json"), "lab_ingress", "ingress").Device);
        }

        [Theory]
        [InlineData("flannel-nftables.json")]
        [InlineData("flannel-nftables.txt")]
        public void Flannels_own_tables_have_the_forward_accepts_and_the_masquerade_chain(string file)
        {
            FirewallParseResult r = NftData.Read(file);
            Assert.Equal(new[] { "ip flannel-ipv4 forward", "ip flannel-ipv4 postrtg", "ip6 flannel-ipv6 forward", "ip6 flannel-ipv6 postrtg" },
                r.Chains.Select(c => c.Family + " " + c.Table + " " + c.Name));
            FirewallChain postrtg = Chain(r, "flannel-ipv4", "postrtg");
            Assert.Equal(("nat", "postrouting", 100), (postrtg.Type, postrtg.Hook, postrtg.Priority.Value));
            Assert.Equal(new[] { "ip saddr 10.244.0.0/16 accept", "ip daddr 10.244.0.0/16 accept" },
                r.Rules.Where(x => x.Table == "flannel-ipv4" && x.Chain == "forward").Select(x => x.Text));
            FirewallRule last = r.Rules.Last(x => x.Table == "flannel-ipv6");
            Assert.Equal((6, "ip6 saddr != fd00:10:244::/56 ip6 daddr fd00:10:244::/56 masquerade fully-random"), (last.Position, last.Text));
            Assert.Null(last.Packets);
        }

        [Theory]
        [InlineData("firewalld.json")]
        [InlineData("firewalld.txt")]
        public void Firewalld_input_ends_in_a_reject_and_dispatches_to_its_zone(string file)
        {
            FirewallParseResult r = NftData.Read(file);
            Assert.Equal(26, r.Chains.Count);
            Assert.Equal(new[] { "ct state { established, related } accept", "ct status dnat accept", "iifname \"lo\" accept", "ct state invalid drop",
                    "jump filter_INPUT_POLICIES", "reject with icmpx admin-prohibited" },
                r.Rules.Where(x => x.Chain == "filter_INPUT").Select(x => x.Text));
            Assert.Equal(new[] { "iifname \"eth0\" goto filter_IN_public", "goto filter_IN_public" },
                r.Rules.Where(x => x.Chain == "filter_INPUT_ZONES").Select(x => x.Text));
            Assert.Empty(r.Sets);
        }

        [Theory]
        [InlineData("sets-and-maps.json")]
        [InlineData("sets-and-maps.txt")]
        public void Named_sets_and_verdict_maps_are_read_with_their_elements(string file)
        {
            FirewallParseResult r = NftData.Read(file);
            FirewallSet nets = Assert.Single(r.Sets, s => s.Name == "cluster_nets");
            Assert.Equal(("ipv4_addr", null, "interval"), (nets.Type, nets.MapsTo, nets.Flags.ToString()));
            Assert.Equal(new[] { "10.96.0.0/12", "10.244.0.0/16" }, nets.Elements);
            Assert.Equal(new[] { "1000-2000", "30000-32767" }, r.Sets.Single(s => s.Name == "node_ports").Elements);
            FirewallSet vteps = r.Sets.Single(s => s.Name == "vtep_endpoints");
            Assert.Equal("ipv4_addr . inet_service", vteps.Type);
            Assert.Equal(new[] { "192.168.50.2 . 8472", "192.168.50.3 . 8472" }, vteps.Elements);
            FirewallSet dispatch = r.Sets.Single(s => s.Name == "zone_dispatch");
            Assert.Equal(("ifname", "verdict"), (dispatch.Type, dispatch.MapsTo));
            Assert.Equal(new[] { "\"eth0\" : jump zone_public", "\"cni0\" : goto zone_pods", "\"flannel.1\" : accept" }, dispatch.Elements);
            Assert.Equal(new[] { "10.244.0.0/16 : accept", "192.0.2.0/24 : drop" }, r.Sets.Single(s => s.Name == "source_verdicts").Elements);
        }

        [Theory]
        [InlineData("iptables-nft.json")]
        [InlineData("iptables-nft.txt")]
        public void Iptables_nft_tables_are_read_as_nft_shows_them(string file)
        {
            FirewallParseResult r = NftData.Read(file);
            Assert.Equal(new[] { "ip filter INPUT", "ip filter FORWARD", "ip nat POSTROUTING" }, r.Chains.Select(c => c.Family + " " + c.Table + " " + c.Name));
            Assert.Equal(("udp dport 8472 counter drop", 3L), (r.Rules[0].Text, r.Rules[0].Packets.Value));
            string expected = file.EndsWith(".json") ? "counter xt target \"MASQUERADE\"" : "counter masquerade fully-random";
            Assert.Equal(expected, r.Rules.Single(x => x.Chain == "POSTROUTING").Text);
        }

        private static FirewallParseResult Parse(params string[] lines) => NftablesParser.Parse(lines, new TextOrigin("pasted"), 10);

        [Fact]
        public void Truncated_json_is_one_problem_on_its_line()
        {
            string json = NftData.Lines("input-drop-8472.json")[0];
            FirewallParseResult r = Parse(json.Substring(0, json.Length / 2));
            ParseProblem problem = Assert.Single(r.Problems);
            Assert.Equal(("pasted", 10), (problem.Origin, problem.LineNumber));
            Assert.Contains("Not valid JSON", problem.Message);
            Assert.Empty(r.Chains);
        }

        [Fact]
        public void Json_that_is_not_a_ruleset_is_a_problem()
        {
            FirewallParseResult r = Parse("", "{\"routes\": []}");
            Assert.Equal(11, Assert.Single(r.Problems).LineNumber);
            Assert.Contains("not an nft ruleset", r.Problems[0].Message);
        }

        [Fact]
        public void Unreadable_json_elements_are_problems_and_the_rest_is_read()
        {
            string json = NftData.Lines("input-drop-8472.json")[0];
            string broken = json.Replace("{\"chain\": {", "{\"bogus\": 1}, {\"rule\": {\"family\": \"inet\"}}, {\"chain\": {");
            FirewallParseResult r = Parse(broken);
            Assert.Equal(2, r.Problems.Count);
            Assert.Contains("unknown ruleset object 'bogus'", r.Problems[0].Message);
            Assert.Contains("a rule without", r.Problems[1].Message);
            Assert.Single(r.Chains);
            Assert.Equal(2, r.Rules.Count);
        }

        [Fact]
        public void A_text_line_outside_any_table_is_a_problem_with_its_line_number()
        {
            var lines = new List<string> { "chain input {" };
            lines.AddRange(NftData.Lines("input-drop-8472.txt"));
            FirewallParseResult r = NftablesParser.Parse(lines, new TextOrigin("pasted"), 1);
            ParseProblem problem = Assert.Single(r.Problems);
            Assert.Equal((1, "chain input {"), (problem.LineNumber, problem.Line));
            Assert.Equal(2, r.Rules.Count);
        }

        [Fact]
        public void Unknown_lines_in_a_table_and_a_bad_priority_are_problems_and_the_rest_is_read()
        {
            FirewallParseResult r = Parse(
                "table ip t {",
                "\tfrobnicate 3",
                "\tchain c {",
                "\t\ttype filter hook input priority sideways; policy drop;",
                "\t\tudp dport 8472 frobnicate drop",
                "\t}",
                "}");
            Assert.Equal(new[] { 11, 13 }, r.Problems.Select(p => p.LineNumber));
            FirewallChain c = Assert.Single(r.Chains);
            Assert.Equal(("input", "drop", (int?)null), (c.Hook, c.Policy, c.Priority));
            // A rule with a statement nft would not print is still a rule; NftRuleText marks it unjudgeable.
            Assert.Equal(RuleAction.Unknown, NftRuleText.Parse(Assert.Single(r.Rules).Text).Action);
        }

        [Fact]
        public void Text_that_ends_inside_a_table_is_a_problem()
        {
            string[] lines = NftData.Lines("input-drop-8472.txt");
            FirewallParseResult r = NftablesParser.Parse(lines.Take(4).ToList(), new TextOrigin("cut"), 1);
            Assert.Contains("ends inside table inet flannel_lab", Assert.Single(r.Problems).Message);
            Assert.Single(r.Rules);
        }
    }
}
