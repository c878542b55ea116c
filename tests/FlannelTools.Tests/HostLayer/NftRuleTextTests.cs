using System.Linq;
using FlannelTools.HostLayer.Firewall;
using Xunit;

namespace FlannelTools.Tests.HostLayer
{
    /// <summary>Rules as the real nft printed them (each is looked up in the capture first, so none is hand-typed).</summary>
    public class NftRuleTextTests
    {
        private static ParsedRule Real(string file, string text)
        {
            FirewallRule rule = NftData.Read(file).Rules.FirstOrDefault(r => r.Text == text);
            Assert.True(rule != null, "no rule '" + text + "' in " + file);
            return NftRuleText.Parse(rule.Text);
        }

        private static RuleMatch Only(ParsedRule rule, RuleField field) => Assert.Single(rule.Matches, m => m.Field == field);

        [Fact]
        public void A_drop_of_udp_8472_is_a_destination_port_match_that_implies_udp()
        {
            ParsedRule rule = Real("input-drop-8472.txt", "udp dport 8472 counter drop comment \"drop flannel vxlan\"");
            Assert.Equal(RuleAction.Drop, rule.Action);
            Assert.Equal(new[] { "8472" }, Only(rule, RuleField.DestinationPort).Values);
            Assert.Equal(new[] { "udp" }, Only(rule, RuleField.L4Proto).Values);
            Assert.Equal(2, rule.Matches.Count);
            Assert.Null(rule.Unjudgeable);
        }

        [Fact]
        public void Flannels_masquerade_rule_has_a_negated_destination_and_the_fully_random_option()
        {
            ParsedRule rule = Real("flannel-nftables.txt", "ip saddr 10.244.0.0/16 ip daddr != 224.0.0.0/4 masquerade fully-random");
            Assert.Equal(RuleAction.Masquerade, rule.Action);
            Assert.Equal("fully-random", rule.ActionOptions);
            RuleMatch source = Only(rule, RuleField.SourceAddress);
            Assert.Equal(new[] { "10.244.0.0/16" }, source.Values);
            Assert.False(source.Negated);
            RuleMatch destination = Only(rule, RuleField.DestinationAddress);
            Assert.True(destination.Negated);
            Assert.Equal(new[] { "224.0.0.0/4" }, destination.Values);
            Assert.Equal(new[] { "ipv4" }, Only(rule, RuleField.NetworkFamily).Values);
        }

        [Fact]
        public void Flannels_mark_return_reads_the_mark_as_iptables_writes_it()
        {
            ParsedRule rule = Real("flannel-nftables.txt", "meta mark 0x00004000 return");
            Assert.Equal(RuleAction.Return, rule.Action);
            Assert.Equal(new[] { "0x4000" }, Only(rule, RuleField.Mark).Values);
        }

        [Fact]
        public void Firewalld_reject_at_the_end_of_filter_input_keeps_its_icmpx_type()
        {
            ParsedRule rule = Real("firewalld.txt", "reject with icmpx admin-prohibited");
            Assert.Equal(RuleAction.Reject, rule.Action);
            Assert.Equal("with icmpx admin-prohibited", rule.ActionOptions);
            Assert.Empty(rule.Matches);
        }

        [Fact]
        public void Firewalld_zone_dispatch_is_an_input_interface_match_with_a_jump()
        {
            ParsedRule rule = Real("firewalld.txt", "iifname \"eth0\" jump filter_IN_public");
            Assert.Equal(RuleAction.Jump, rule.Action);
            Assert.Equal("filter_IN_public", rule.TargetChain);
            Assert.Equal(new[] { "eth0" }, Only(rule, RuleField.InInterface).Values);
            ParsedRule zone = Real("firewalld.txt", "goto filter_IN_public");
            Assert.Equal(RuleAction.Goto, zone.Action);
            Assert.Empty(zone.Matches);
        }

        [Fact]
        public void Ct_state_in_braces_and_as_flags_read_to_the_same_states()
        {
            Assert.Equal(new[] { "established", "related" }, Only(Real("firewalld.txt", "ct state { established, related } accept"), RuleField.CtState).Values);
            Assert.Equal(new[] { "established", "related" }, Only(Real("forward-policy-drop.txt", "ct state established,related accept"), RuleField.CtState).Values);
            ParsedRule invalid = Real("firewalld.txt", "ct state invalid drop");
            Assert.Equal(new[] { "invalid" }, Only(invalid, RuleField.CtState).Values);
            Assert.Equal(RuleAction.Drop, invalid.Action);
        }

        [Fact]
        public void Ct_status_and_firewalds_rpfilter_lookup_are_conditions_of_their_own()
        {
            RuleMatch status = Only(Real("firewalld.txt", "ct status dnat accept"), RuleField.CtStatus);
            Assert.Equal(new[] { "dnat" }, status.Values);
            ParsedRule rpfilter = Real("firewalld.txt", "meta nfproto ipv6 fib saddr . mark . iif oif missing drop");
            Assert.Equal(new[] { "ipv6" }, Only(rpfilter, RuleField.NetworkFamily).Values);
            RuleMatch lookup = Only(rpfilter, RuleField.ReversePathRoute);
            Assert.Equal(new[] { "missing" }, lookup.Values);
            Assert.Equal("fib saddr . mark . iif oif missing", lookup.Text);
            Assert.Equal(RuleAction.Drop, rpfilter.Action);
        }

        [Theory]
        [InlineData("192.168.0.13", "eth0", 0u, false)]      // the peer's address routes back through eth0: not missing
        [InlineData("192.168.0.13", "flannel.1", 0u, true)]  // strict (. iif): the way back is eth0, not where it came in
        [InlineData("192.168.0.13", "eth0", 0x4000u, null)]  // a mark in the lookup is policy routing, not read
        public void Firewalds_rpfilter_lookup_is_judged_from_node1s_routes(string source, string inInterface, uint mark, bool? missing)
        {
            ParsedRule rpfilter = Real("firewalld.txt", "meta nfproto ipv6 fib saddr . mark . iif oif missing drop");
            var probe = new PacketProbe { Family = "ip", L4Proto = "udp", SourceAddress = source, InInterface = inInterface, DestinationAddress = "192.168.0.12" };
            var conditions = new RuleConditions(new FlannelTools.Tests.Diagnosis.Scenario().State(), probe, "prerouting");

            Tri result = conditions.Match(Only(rpfilter, RuleField.ReversePathRoute), new FirewallRule { Backend = FirewallBackend.Nftables }, mark);

            Assert.Equal(missing == null ? Tri.Maybe : missing.Value ? Tri.Yes : Tri.No, result);
        }

        [Fact]
        public void A_ct_state_verdict_map_has_an_entry_per_state()
        {
            ParsedRule rule = Real("sets-and-maps.txt", "ct state vmap { invalid : drop, established : accept, related : accept }");
            Assert.Equal(RuleField.CtState, rule.MapField);
            Assert.Equal(new[] { "invalid:Drop", "established:Accept", "related:Accept" },
                rule.MapEntries.Select(e => string.Join(",", e.Keys) + ":" + e.Action));
            Assert.Empty(rule.Matches);
        }

        [Fact]
        public void An_interface_verdict_map_names_its_target_chains_and_wildcards()
        {
            ParsedRule rule = Real("sets-and-maps.txt", "iifname vmap { \"hlnft-va\" : jump zone_public, \"veth*\" : goto zone_pods }");
            Assert.Equal(RuleField.InInterface, rule.MapField);
            Assert.Collection(rule.MapEntries,
                e => { Assert.Equal(new[] { "hlnft-va" }, e.Keys); Assert.Equal(RuleAction.Jump, e.Action); Assert.Equal("zone_public", e.TargetChain); },
                e => { Assert.Equal(new[] { "veth*" }, e.Keys); Assert.Equal(RuleAction.Goto, e.Action); Assert.Equal("zone_pods", e.TargetChain); });
        }

        [Fact]
        public void Named_maps_and_sets_are_referred_to_by_name()
        {
            ParsedRule map = Real("sets-and-maps.txt", "ip saddr vmap @source_verdicts");
            Assert.Equal(RuleField.SourceAddress, map.MapField);
            Assert.Equal("source_verdicts", map.MapSetName);
            ParsedRule set = Real("sets-and-maps.txt", "ip saddr @cluster_nets udp dport @vxlan_ports counter accept");
            Assert.Equal("cluster_nets", Only(set, RuleField.SourceAddress).SetName);
            Assert.Equal("vxlan_ports", Only(set, RuleField.DestinationPort).SetName);
            Assert.Equal(RuleAction.Accept, set.Action);
            Assert.Equal("ip saddr . udp dport @vtep_endpoints", Only(Real("sets-and-maps.txt", "ip saddr . udp dport @vtep_endpoints accept"), RuleField.Other).Text);
        }

        [Fact]
        public void Fib_daddr_type_is_the_destination_address_type_and_its_negation()
        {
            ParsedRule local = Real("sets-and-maps.txt", "fib daddr type local tcp dport @node_ports accept");
            Assert.Equal(new[] { "local" }, Only(local, RuleField.DestinationAddressType).Values);
            RuleMatch notLocal = Only(Real("sets-and-maps.txt", "fib daddr type != local drop"), RuleField.DestinationAddressType);
            Assert.True(notLocal.Negated);
        }

        [Fact]
        public void Protocol_sets_transport_header_ports_and_ranges_are_read()
        {
            ParsedRule th = Real("sets-and-maps.txt", "meta l4proto { tcp, udp } th dport 8472 accept");
            Assert.Equal(new[] { "tcp", "udp" }, Only(th, RuleField.L4Proto).Values);
            Assert.Equal(new[] { "8472" }, Only(th, RuleField.DestinationPort).Values);
            ParsedRule ports = Real("sets-and-maps.txt", "udp dport { 4789, 8472 } reject with icmp host-prohibited");
            Assert.Equal(new[] { "4789", "8472" }, Only(ports, RuleField.DestinationPort).Values);
            Assert.Equal("with icmp host-prohibited", ports.ActionOptions);
            ParsedRule range = Real("sets-and-maps.txt", "ip daddr != 10.0.0.1 iifname != \"lo\" tcp dport 80-90 log prefix \"lab http \" counter reject with tcp reset");
            Assert.Equal(new[] { "80-90" }, Only(range, RuleField.DestinationPort).Values);
            Assert.True(Only(range, RuleField.InInterface).Negated);
            Assert.True(Only(range, RuleField.DestinationAddress).Negated);
            Assert.Equal("with tcp reset", range.ActionOptions);
            ParsedRule sport = Real("sets-and-maps.txt", "ip protocol udp udp sport 53 accept");
            Assert.Equal(new[] { "53" }, Only(sport, RuleField.SourcePort).Values);
            Assert.Equal(new[] { "udp" }, Only(sport, RuleField.L4Proto).Values);
        }

        [Fact]
        public void Marks_set_by_a_rule_are_mark_operations_and_the_rule_continues()
        {
            ParsedRule set = Real("sets-and-maps.txt", "meta mark set 0x00004000 counter");
            Assert.Equal(RuleAction.Continue, set.Action);
            Assert.Equal("meta mark set 0x00004000", set.MarkOperation);
            Assert.Empty(set.Matches);
            Assert.Equal("meta mark set meta mark | 0x00004000", Real("sets-and-maps.txt", "meta mark set meta mark | 0x00004000").MarkOperation);
        }

        [Fact]
        public void Nat_statements_keep_their_addresses()
        {
            ParsedRule dnat = Real("sets-and-maps.txt", "ip daddr 10.96.0.10 udp dport 53 dnat ip to 10.244.1.5:53");
            Assert.Equal(RuleAction.Dnat, dnat.Action);
            Assert.Equal("ip to 10.244.1.5:53", dnat.ActionOptions);
            ParsedRule snat = Real("sets-and-maps.txt", "oifname \"hlnft-va\" ip saddr 10.244.0.0/16 snat ip to 192.168.50.1");
            Assert.Equal(RuleAction.Snat, snat.Action);
            Assert.Equal(new[] { "hlnft-va" }, Only(snat, RuleField.OutInterface).Values);
            Assert.Equal(RuleAction.Redirect, Real("sets-and-maps.txt", "tcp dport 8080 redirect to :80").Action);
            Assert.Equal("random,persistent", Real("sets-and-maps.txt", "ip saddr 10.244.0.0/16 masquerade random,persistent").ActionOptions);
            ParsedRule notrack = Real("sets-and-maps.txt", "udp dport 8472 notrack");
            Assert.Equal(RuleAction.Continue, notrack.Action);
        }

        [Fact]
        public void Limits_quotas_and_unknown_headers_are_other_conditions_never_dropped()
        {
            ParsedRule limit = Real("sets-and-maps.txt", "icmp type echo-request limit rate 10/second accept");
            Assert.Contains(limit.Matches, m => m.Field == RuleField.Other && m.Text == "icmp type echo-request");
            Assert.Contains(limit.Matches, m => m.Field == RuleField.Other && m.Text == "limit rate 10/second");
            Assert.Equal(RuleAction.Accept, limit.Action);
            ParsedRule quota = Real("sets-and-maps.txt", "udp dport 9999 quota 10 mbytes accept");
            Assert.Equal("quota 10 mbytes", Only(quota, RuleField.Other).Text);
            ParsedRule broadcast = Real("sets-and-maps.txt", "meta pkttype broadcast drop");
            Assert.Equal(new[] { "broadcast" }, Only(broadcast, RuleField.PacketType).Values);
            ParsedRule loopback = Real("sets-and-maps.txt", "iif \"lo\" oif \"lo\" continue");
            Assert.Equal(new[] { "lo" }, Only(loopback, RuleField.InInterface).Values);
            Assert.Equal(new[] { "lo" }, Only(loopback, RuleField.OutInterface).Values);
            Assert.Equal(RuleAction.Continue, loopback.Action);
        }

        [Fact]
        public void A_named_service_resolves_to_its_port_and_ipv6_addresses_imply_the_family()
        {
            // nft itself prints "tcp dport http" from the rule file as 80; a pasted rule may still say http.
            Assert.Equal(new[] { "80" }, Only(NftRuleText.Parse("tcp dport http accept"), RuleField.DestinationPort).Values);
            ParsedRule v6 = Real("sets-and-maps.txt", "ip6 saddr fe80::/10 ip6 daddr ff02::1 accept");
            Assert.Equal(new[] { "fe80::/10" }, Only(v6, RuleField.SourceAddress).Values);
            Assert.Equal(new[] { "ipv6" }, Only(v6, RuleField.NetworkFamily).Values);
        }

        [Fact]
        public void Iptables_nft_xt_parts_from_json_are_other_and_unknown()
        {
            var json = NftData.Read("iptables-nft.json");
            ParsedRule comment = NftRuleText.Parse(Assert.Single(json.Rules, r => r.Chain == "FORWARD").Text);
            Assert.Equal("xt match \"comment\"", Only(comment, RuleField.Other).Text);
            Assert.Equal(RuleAction.Accept, comment.Action);
            ParsedRule masquerade = NftRuleText.Parse(Assert.Single(json.Rules, r => r.Chain == "POSTROUTING").Text);
            Assert.Equal(RuleAction.Unknown, masquerade.Action);
            Assert.Contains("MASQUERADE", masquerade.Unjudgeable);
            // The same rules from nft's text: nft translates the xt target for display.
            var text = NftData.Read("iptables-nft.txt");
            Assert.Equal(RuleAction.Masquerade, NftRuleText.Parse(Assert.Single(text.Rules, r => r.Chain == "POSTROUTING").Text).Action);
        }

        [Fact]
        public void A_statement_it_does_not_know_makes_the_rule_unjudgeable()
        {
            // nft here cannot load a queue rule (no nft_queue in this kernel), so this one is typed: nft(8)'s syntax.
            ParsedRule queue = NftRuleText.Parse("udp dport 9999 queue flags bypass to 1");
            Assert.Equal(RuleAction.Unknown, queue.Action);
            Assert.Contains("queue", queue.Unjudgeable);
            ParsedRule unknown = NftRuleText.Parse("udp dport 8472 synproxy mss 1460 wscale 7");
            Assert.Equal(RuleAction.Unknown, unknown.Action);
            Assert.Equal("unknown statement 'synproxy mss 1460 wscale 7'", unknown.Unjudgeable);
            Assert.Equal(new[] { "8472" }, Only(unknown, RuleField.DestinationPort).Values);
            ParsedRule rendered = NftRuleText.Parse("udp dport 8472 # unknown expression tproxy");
            Assert.Equal(RuleAction.Unknown, rendered.Action);
            Assert.Equal("unknown expression tproxy", rendered.Unjudgeable);
        }

        [Fact]
        public void A_masked_mark_keeps_value_and_mask()
        {
            Assert.Equal(new[] { "0x10000/0x10000" }, Only(NftRuleText.Parse("meta mark & 0x00010000 == 0x00010000 accept"), RuleField.Mark).Values);
        }
    }
}
