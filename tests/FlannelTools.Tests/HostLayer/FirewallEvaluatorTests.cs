using System.Linq;
using FlannelTools.HostLayer.Firewall;
using Xunit;
using static FlannelTools.Tests.HostLayer.TestRuleset;

namespace FlannelTools.Tests.HostLayer
{
    public class FirewallEvaluatorTests
    {
        [Fact]
        public void An_accept_ends_only_its_own_base_chain_so_a_drop_in_another_base_chain_on_the_hook_wins()
        {
            var r = new TestRuleset();
            FirewallChain early = r.Base(Nft, "inet", "mine", "input", "input", -10);
            r.Rule(early, "udp dport 8472 accept", RuleAction.Accept, null, M(RuleField.L4Proto, "udp"), M(RuleField.DestinationPort, "8472"));
            FirewallChain late = r.Base(Nft, "inet", "other", "input", "input", 10);
            FirewallRule drop = r.Rule(late, "udp dport 8472 drop", RuleAction.Drop, null, M(RuleField.L4Proto, "udp"), M(RuleField.DestinationPort, "8472"));

            FilterVerdict verdict = r.Evaluator().Filter(Vxlan());

            Assert.Equal(PacketFate.Dropped, verdict.Fate);
            Assert.Same(drop, verdict.Deciding.Rule);
            Assert.Equal(new[] { PacketFate.Accepted, PacketFate.Dropped }, verdict.Chains.Select(c => c.Fate));
        }

        [Fact]
        public void Base_chains_are_met_by_priority_whatever_order_they_were_read_in()
        {
            var r = new TestRuleset();
            r.Base(Nft, "inet", "b", "input", "input", 50);
            r.Base(Nft, "inet", "a", "input", "input", -50);
            r.Base(Legacy, "ip", "filter", "INPUT", "input", 0);

            FilterVerdict verdict = r.Evaluator().Filter(Vxlan());

            Assert.Equal(new[] { "a", "filter", "b" }, verdict.Chains.Select(c => c.BaseChain.Table));
            Assert.Equal(PacketFate.Accepted, verdict.Fate);
        }

        [Fact]
        public void A_legacy_INPUT_drop_closes_the_port_that_an_nftables_chain_accepts()
        {
            var r = new TestRuleset();
            FirewallChain nft = r.Base(Nft, "inet", "filter", "input", "input", 0, "drop");
            r.Rule(nft, "udp dport 8472 accept", RuleAction.Accept, null, M(RuleField.L4Proto, "udp"), M(RuleField.DestinationPort, "8472"));
            FirewallChain input = r.Base(Legacy, "ip", "filter", "INPUT", "input", 0);
            FirewallRule drop = r.Rule(input, "-A INPUT -p udp -m udp --dport 8472 -j DROP", RuleAction.Drop, null, M(RuleField.L4Proto, "udp"), M(RuleField.DestinationPort, "8472"));

            FilterVerdict verdict = r.Evaluator().Filter(Vxlan());

            Assert.Equal(PacketFate.Dropped, verdict.Fate);
            Assert.Same(drop, verdict.Deciding.Rule);
            Assert.Single(verdict.Blocking);
        }

        [Fact]
        public void A_drop_in_a_regular_chain_reached_by_jump_decides_and_names_that_chain()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Legacy, "ip", "filter", "INPUT", "input", 0);
            FirewallChain custom = r.Regular(input, "CUSTOM");
            r.Rule(input, "-A INPUT -j CUSTOM", RuleAction.Jump, "CUSTOM");
            r.Rule(input, "-A INPUT -j ACCEPT", RuleAction.Accept);
            FirewallRule drop = r.Rule(custom, "-A CUSTOM -p udp -j DROP", RuleAction.Drop, null, M(RuleField.L4Proto, "udp"));

            FilterVerdict verdict = r.Evaluator().Filter(Vxlan());

            Assert.Equal(PacketFate.Dropped, verdict.Fate);
            Assert.Same(drop, verdict.Deciding.Rule);
            Assert.Equal("CUSTOM", verdict.Deciding.DecidingChain.Name);
            Assert.Equal("INPUT", verdict.Deciding.BaseChain.Name);
        }

        [Fact]
        public void A_chain_jumped_to_that_returns_lets_the_next_rule_of_the_caller_decide()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Legacy, "ip", "filter", "INPUT", "input", 0, "DROP");
            FirewallChain custom = r.Regular(input, "CUSTOM");
            r.Rule(input, "-A INPUT -j CUSTOM", RuleAction.Jump, "CUSTOM");
            FirewallRule accept = r.Rule(input, "-A INPUT -p udp --dport 8472 -j ACCEPT", RuleAction.Accept, null, M(RuleField.L4Proto, "udp"), M(RuleField.DestinationPort, "8472"));
            r.Rule(custom, "-A CUSTOM -s 192.168.0.0/24 -j RETURN", RuleAction.Return, null, M(RuleField.SourceAddress, "192.168.0.0/24"));
            r.Rule(custom, "-A CUSTOM -j DROP", RuleAction.Drop);

            FilterVerdict verdict = r.Evaluator().Filter(Vxlan());

            Assert.Equal(PacketFate.Accepted, verdict.Fate);
            Assert.Same(accept, verdict.Chains.Single().Rule);
            Assert.Equal(PacketFate.Dropped, r.Evaluator().Filter(Vxlan("10.0.0.9")).Fate);
        }

        [Fact]
        public void A_goto_that_falls_off_its_chain_returns_past_the_rest_of_the_base_chain_to_its_policy()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Nft, "inet", "t", "input", "input", 0, "drop");
            FirewallChain zone = r.Regular(input, "zone");
            r.Rule(input, "goto zone", RuleAction.Goto, "zone");
            r.Rule(input, "accept", RuleAction.Accept);
            r.Rule(zone, "tcp dport 22 accept", RuleAction.Accept, null, M(RuleField.L4Proto, "tcp"), M(RuleField.DestinationPort, "22"));

            FilterVerdict verdict = r.Evaluator().Filter(Vxlan());

            Assert.Equal(PacketFate.Dropped, verdict.Fate);
            Assert.True(verdict.Deciding.ByPolicy);
            Assert.Null(verdict.Deciding.Rule);
        }

        [Fact]
        public void A_verdict_map_on_the_input_device_dispatches_to_the_zone_that_drops()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Nft, "inet", "firewalld", "filter_INPUT", "input", 10);
            FirewallChain zone = r.Regular(input, "filter_IN_public");
            var dispatch = new ParsedRule { MapField = RuleField.InInterface };
            dispatch.MapEntries.Add(new VerdictMapEntry(new[] { "eth0" }, RuleAction.Jump, "filter_IN_public"));
            r.Rule(input, "iifname vmap { \"eth0\" : jump filter_IN_public }", dispatch);
            FirewallRule reject = r.Rule(zone, "reject with icmpx admin-prohibited", RuleAction.Reject);

            Assert.Same(reject, r.Evaluator().Filter(Vxlan()).Deciding.Rule);
            Assert.Equal(PacketFate.Rejected, r.Evaluator().Filter(Vxlan()).Fate);
            Assert.Equal(PacketFate.Accepted, r.Evaluator().Filter(Vxlan(inInterface: "eth1")).Fate);
        }

        [Fact]
        public void A_named_verdict_map_is_looked_up_in_the_rules_table()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Nft, "inet", "t", "input", "input", 0);
            r.Regular(input, "from_lan");
            r.Set(input, "zones", "ifname", "\"eth0\" : drop", "\"eth1\" : jump from_lan");
            r.Rule(input, "iifname vmap @zones", new ParsedRule { MapField = RuleField.InInterface, MapSetName = "zones" });

            Assert.Equal(PacketFate.Dropped, r.Evaluator().Filter(Vxlan()).Fate);
            Assert.Equal(PacketFate.Accepted, r.Evaluator().Filter(Vxlan(inInterface: "eth1")).Fate);
        }

        [Fact]
        public void A_named_set_of_ports_and_ranges_decides_whether_the_drop_matches()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Nft, "inet", "t", "input", "input", 0);
            r.Set(input, "blocked", "inet_service", "53", "8000-8999");
            r.Rule(input, "udp dport @blocked drop", RuleAction.Drop, null, M(RuleField.L4Proto, "udp"), InSet(RuleField.DestinationPort, "blocked"));

            Assert.Equal(PacketFate.Dropped, r.Evaluator().Filter(Vxlan()).Fate);
            PacketProbe other = Vxlan();
            other.DestinationPort = 4789;
            Assert.Equal(PacketFate.Accepted, r.Evaluator().Filter(other).Fate);
        }

        [Fact]
        public void A_named_set_of_prefixes_matches_the_source_address()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Nft, "ip", "t", "input", "input", 0);
            r.Set(input, "banned", "ipv4_addr", "10.0.0.0/8", "192.168.0.13");
            r.Rule(input, "ip saddr @banned drop", RuleAction.Drop, null, InSet(RuleField.SourceAddress, "banned"));

            Assert.Equal(PacketFate.Dropped, r.Evaluator().Filter(Vxlan()).Fate);
            Assert.Equal(PacketFate.Accepted, r.Evaluator().Filter(Vxlan("192.168.0.11")).Fate);
        }

        [Fact]
        public void A_set_that_was_not_read_makes_a_deciding_rule_unknown()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Legacy, "ip", "filter", "INPUT", "input", 0);
            FirewallRule drop = r.Rule(input, "-A INPUT -m set --match-set blocklist src -j DROP", RuleAction.Drop, null, InSet(RuleField.SourceAddress, "blocklist"));

            FilterVerdict verdict = r.Evaluator().Filter(Vxlan());

            Assert.Equal(PacketFate.Unknown, verdict.Fate);
            Assert.Same(drop, verdict.Deciding.Rule);
        }

        [Fact]
        public void A_condition_it_cannot_judge_ahead_of_a_drop_makes_the_verdict_unknown_and_names_the_rule()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(IptNft, "ip", "filter", "INPUT", "input", 0, "DROP");
            FirewallRule hashlimit = r.Rule(input, "-A INPUT -m hashlimit --hashlimit-upto 10/sec --hashlimit-name x -j ACCEPT", RuleAction.Accept, null, Other("-m hashlimit --hashlimit-upto 10/sec"));

            FilterVerdict verdict = r.Evaluator().Filter(Vxlan());

            Assert.Equal(PacketFate.Unknown, verdict.Fate);
            Assert.Same(hashlimit, verdict.Deciding.Rule);
            Assert.Equal("-m hashlimit --hashlimit-upto 10/sec", verdict.Deciding.Unjudged);
            Assert.Contains("iptables-nft ip filter INPUT #1", verdict.Deciding.DecidedBy);
        }

        [Fact]
        public void A_condition_it_cannot_judge_on_a_drop_makes_the_verdict_unknown()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Nft, "inet", "t", "input", "input", 0);
            FirewallRule drop = r.Rule(input, "socket transparent 1 drop", RuleAction.Drop, null, Other("socket transparent 1"));

            FilterVerdict verdict = r.Evaluator().Filter(Vxlan());

            Assert.Equal(PacketFate.Unknown, verdict.Fate);
            Assert.Same(drop, verdict.Deciding.Rule);
        }

        [Fact]
        public void A_condition_it_cannot_judge_does_not_matter_when_both_ways_lead_to_the_same_verdict()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Nft, "inet", "t", "input", "input", 0);
            r.Rule(input, "socket transparent 1 accept", RuleAction.Accept, null, Other("socket transparent 1"));
            r.Rule(input, "log prefix \"in \"", RuleAction.Continue);

            Assert.Equal(PacketFate.Accepted, r.Evaluator().Filter(Vxlan()).Fate);
        }

        [Fact]
        public void A_statement_it_cannot_judge_on_a_matching_rule_makes_the_verdict_unknown()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Nft, "inet", "t", "input", "input", 0);
            FirewallRule queue = r.Rule(input, "udp dport 8472 queue num 1", new ParsedRule { Action = RuleAction.Unknown }, M(RuleField.DestinationPort, "8472"));
            r.Rule(input, "tcp dport 22 ct helper set \"x\"", new ParsedRule { Unjudgeable = "ct helper set" }, M(RuleField.L4Proto, "tcp"));

            FilterVerdict verdict = r.Evaluator().Filter(Vxlan());

            Assert.Equal(PacketFate.Unknown, verdict.Fate);
            Assert.Same(queue, verdict.Deciding.Rule);
        }

        [Fact]
        public void A_source_port_condition_only_some_ports_meet_may_match_a_packet_from_any_port()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Nft, "inet", "t", "input", "input", 0);
            FirewallRule drop = r.Rule(input, "udp sport 1024-2048 drop", RuleAction.Drop, null, M(RuleField.L4Proto, "udp"), M(RuleField.SourcePort, "1024-2048"));

            FilterVerdict verdict = r.Evaluator().Filter(Vxlan());

            Assert.Equal(PacketFate.Unknown, verdict.Fate);
            Assert.Same(drop, verdict.Deciding.Rule);
            Assert.Equal(PacketFate.Dropped, r.Evaluator().Filter(new PacketProbe
            {
                L4Proto = "udp", SourceAddress = "192.168.0.13", DestinationAddress = "192.168.0.12", SourcePort = 1500, DestinationPort = 8472, InInterface = "eth0",
            }).Fate);
        }

        [Fact]
        public void A_source_port_range_of_every_port_matches_a_packet_from_any_port()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Nft, "inet", "t", "input", "input", 0);
            r.Rule(input, "udp sport 1-65535 drop", RuleAction.Drop, null, M(RuleField.L4Proto, "udp"), M(RuleField.SourcePort, "1-65535"));

            Assert.Equal(PacketFate.Dropped, r.Evaluator().Filter(Vxlan()).Fate);
        }

        [Fact]
        public void A_drop_of_invalid_conntrack_state_does_not_touch_a_new_packet()
        {
            var r = new TestRuleset();
            FirewallChain forward = r.Base(Legacy, "ip", "filter", "FORWARD", "forward", 0);
            r.Rule(forward, "-A FORWARD -m conntrack --ctstate INVALID -j DROP", RuleAction.Drop, null, M(RuleField.CtState, "invalid"));
            FirewallRule tracked = r.Rule(forward, "-A FORWARD -m conntrack --ctstate NEW,RELATED -j REJECT", RuleAction.Reject, null, M(RuleField.CtState, "new", "related"));
            PacketProbe probe = Vxlan();
            probe.Path = PacketProbe.ForwardedPath;

            Assert.Same(tracked, r.Evaluator().Filter(probe).Deciding.Rule);
        }

        [Theory]
        [InlineData("veth*", "vethab12", true)]
        [InlineData("veth+", "vethab12", true)]
        [InlineData("veth+", "eth0", false)]
        [InlineData("cni0", "cni0", true)]
        [InlineData("cni0", "cni01", false)]
        public void An_interface_name_matches_exactly_or_as_a_prefix_wildcard(string pattern, string device, bool matches)
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Nft, "inet", "t", "input", "input", 0);
            r.Rule(input, "iifname \"" + pattern + "\" drop", RuleAction.Drop, null, M(RuleField.InInterface, pattern));

            Assert.Equal(matches ? PacketFate.Dropped : PacketFate.Accepted, r.Evaluator().Filter(Vxlan(inInterface: device)).Fate);
        }

        [Fact]
        public void A_negated_output_device_matches_a_packet_delivered_to_the_host()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Legacy, "ip", "filter", "INPUT", "input", 0);
            r.Rule(input, "-A INPUT ! -o docker0 -j DROP", RuleAction.Drop, null, Not(RuleField.OutInterface, "docker0"));

            Assert.Equal(PacketFate.Dropped, r.Evaluator().Filter(Vxlan()).Fate);
        }

        [Fact]
        public void An_IPv4_address_condition_in_an_inet_table_never_matches_an_IPv6_packet_even_negated()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Nft, "inet", "t", "input", "input", 0);
            r.Rule(input, "ip saddr != 10.0.0.0/8 drop", RuleAction.Drop, null, Not(RuleField.SourceAddress, "10.0.0.0/8"));
            var probe = new PacketProbe { Family = "ip6", L4Proto = "udp", SourceAddress = "fd00::13", DestinationAddress = "fd00::12", DestinationPort = 8472, InInterface = "eth0" };

            Assert.Equal(PacketFate.Accepted, r.Evaluator().Filter(probe).Fate);
            Assert.Equal(PacketFate.Dropped, r.Evaluator().Filter(Vxlan()).Fate);
        }

        [Fact]
        public void An_address_range_matches_the_addresses_between_its_ends()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Nft, "ip", "t", "input", "input", 0);
            r.Rule(input, "ip saddr 192.168.0.10-192.168.0.12 drop", RuleAction.Drop, null, M(RuleField.SourceAddress, "192.168.0.10-192.168.0.12"));

            Assert.Equal(PacketFate.Dropped, r.Evaluator().Filter(Vxlan("192.168.0.11")).Fate);
            Assert.Equal(PacketFate.Accepted, r.Evaluator().Filter(Vxlan("192.168.0.13")).Fate);
        }

        [Fact]
        public void A_mark_set_earlier_in_the_chain_is_what_a_later_mark_match_sees()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Legacy, "ip", "filter", "INPUT", "input", 0);
            r.Rule(input, "-A INPUT -p udp -j MARK --set-xmark 0x4000/0x4000", new ParsedRule { MarkOperation = "--set-xmark 0x4000/0x4000" }, M(RuleField.L4Proto, "udp"));
            r.Rule(input, "-A INPUT -m mark --mark 0x4000/0x4000 -j DROP", RuleAction.Drop, null, M(RuleField.Mark, "0x4000/0x4000"));

            Assert.Equal(PacketFate.Dropped, r.Evaluator().Filter(Vxlan()).Fate);
        }

        [Theory]
        [InlineData("--set-xmark 0x4000/0x0", 0x4000u, 0x0u)]          // iptables-save's form of --xor-mark 0x4000
        [InlineData("--set-xmark 0x4000/0x4000", 0x0u, 0x4000u)]       // iptables-save's form of --or-mark / --set-mark 0x4000/0x4000
        [InlineData("--set-xmark 0x0/0x4000", 0x4001u, 0x1u)]
        [InlineData("meta mark set meta mark ^ 0x00004000", 0x4000u, 0x0u)] // nft's print of "meta mark set meta mark xor 0x4000"
        [InlineData("meta mark set 0x00000010", 0x4000u, 0x10u)]
        public void A_mark_operation_computes_the_new_mark_as_the_kernel_does(string operation, uint before, uint after)
        {
            Assert.Equal(after, FirewallEvaluator.ApplyMark(operation, before));
        }

        [Fact]
        public void A_mark_operation_it_cannot_read_leaves_the_mark_unknown()
        {
            Assert.Null(FirewallEvaluator.ApplyMark("meta mark set ct mark", 0));
        }

        [Fact]
        public void The_nftables_copy_of_a_table_iptables_nft_save_read_is_judged_once_from_iptables_nft()
        {
            var r = new TestRuleset();
            FirewallChain copy = r.Base(Nft, "ip", "filter", "INPUT", "input", 0);
            r.Rule(copy, "meta l4proto udp udp dport 8472 counter xt target \"REJECT\"", new ParsedRule { Unjudgeable = "xt target REJECT" });
            FirewallChain input = r.Base(IptNft, "ip", "filter", "INPUT", "input", 0);
            FirewallRule reject = r.Rule(input, "-A INPUT -p udp -m udp --dport 8472 -j REJECT --reject-with icmp-port-unreachable", RuleAction.Reject, null,
                M(RuleField.L4Proto, "udp"), M(RuleField.DestinationPort, "8472"));

            FilterVerdict verdict = r.Evaluator().Filter(Vxlan());

            Assert.Equal(PacketFate.Rejected, verdict.Fate);
            Assert.Same(reject, verdict.Deciding.Rule);
            Assert.Single(verdict.Chains);
        }

        [Fact]
        public void Without_iptables_nft_save_the_nftables_copy_of_an_iptables_nft_table_is_judged_as_nft_shows_it()
        {
            var r = new TestRuleset();
            FirewallChain copy = r.Base(Nft, "ip", "filter", "INPUT", "input", 0);
            FirewallRule xt = r.Rule(copy, "meta l4proto udp udp dport 8472 counter xt target \"REJECT\"", new ParsedRule { Unjudgeable = "xt target REJECT" });

            FilterVerdict verdict = r.Evaluator().Filter(Vxlan());

            Assert.Equal(PacketFate.Unknown, verdict.Fate);
            Assert.Same(xt, verdict.Deciding.Rule);
        }

        [Fact]
        public void A_nat_base_chain_does_not_filter()
        {
            var r = new TestRuleset();
            FirewallChain nat = r.Base(Nft, "ip", "nat", "input", "input", 100, type: "nat");
            r.Rule(nat, "udp dport 8472 drop", RuleAction.Drop, null, M(RuleField.DestinationPort, "8472"));

            FilterVerdict verdict = r.Evaluator().Filter(Vxlan());

            Assert.Equal(PacketFate.Accepted, verdict.Fate);
            Assert.Empty(verdict.Chains);
        }

        [Fact]
        public void A_raw_PREROUTING_drop_stops_a_packet_before_its_input_hook()
        {
            var r = new TestRuleset();
            FirewallChain raw = r.Base(IptNft, "ip", "raw", "PREROUTING", "prerouting", -300);
            FirewallRule drop = r.Rule(raw, "-A PREROUTING -p udp -m udp --dport 8472 -j DROP", RuleAction.Drop, null, M(RuleField.L4Proto, "udp"), M(RuleField.DestinationPort, "8472"));

            Assert.Same(drop, r.Evaluator().Filter(Vxlan()).Deciding.Rule);
        }

        [Fact]
        public void A_netdev_ingress_chain_sees_only_its_own_device()
        {
            var r = new TestRuleset();
            FirewallChain ingress = r.Base(Nft, "netdev", "t", "in", "ingress", 0);
            ingress.Device = "eth0";
            r.Rule(ingress, "udp dport 8472 drop", RuleAction.Drop, null, M(RuleField.L4Proto, "udp"), M(RuleField.DestinationPort, "8472"));

            Assert.Equal(PacketFate.Dropped, r.Evaluator().Filter(Vxlan()).Fate);
            Assert.Equal(PacketFate.Accepted, r.Evaluator().Filter(Vxlan(inInterface: "eth1")).Fate);
        }

        [Fact]
        public void A_masquerade_on_postrouting_rewrites_the_nodes_own_outer_vxlan_packet()
        {
            var r = new TestRuleset();
            FirewallChain post = r.Base(Legacy, "ip", "nat", "POSTROUTING", "postrouting", 100, type: "nat");
            r.Rule(post, "-A POSTROUTING -s 10.244.0.0/16 -d 10.244.0.0/16 -j RETURN", RuleAction.Return, null, M(RuleField.SourceAddress, "10.244.0.0/16"), M(RuleField.DestinationAddress, "10.244.0.0/16"));
            FirewallRule masquerade = r.Rule(post, "-A POSTROUTING -o eth0 -p udp -m udp --dport 8472 -j MASQUERADE --random-fully", RuleAction.Masquerade, null,
                M(RuleField.OutInterface, "eth0"), M(RuleField.L4Proto, "udp"), M(RuleField.DestinationPort, "8472"));
            var outer = new PacketProbe { L4Proto = "udp", SourceAddress = "192.168.0.12", DestinationAddress = "192.168.0.13", DestinationPort = 8472, OutInterface = "eth0", Path = PacketProbe.SentPath };

            FilterVerdict verdict = r.Evaluator().Translation(outer);

            Assert.Equal(PacketFate.Translated, verdict.Fate);
            Assert.Same(masquerade, verdict.Deciding.Rule);
            Assert.Equal(PacketFate.Accepted, r.Evaluator().Filter(outer).Fate);
        }

        [Fact]
        public void A_chain_that_surely_accepts_a_probe_is_told_apart_from_one_that_may_not()
        {
            var r = new TestRuleset();
            FirewallChain forward = r.Base(IptNft, "ip", "filter", "FORWARD", "forward", 0, "DROP");
            FirewallChain flannel = r.Regular(forward, "FLANNEL-FWD");
            r.Rule(flannel, "-A FLANNEL-FWD -s 10.244.0.0/16 -j ACCEPT", RuleAction.Accept, null, M(RuleField.SourceAddress, "10.244.0.0/16"));
            var pod = new PacketProbe { L4Proto = "tcp", SourceAddress = "10.244.2.2", DestinationAddress = "10.244.1.2", InInterface = "flannel.1", OutInterface = "cni0", Path = PacketProbe.ForwardedPath };
            var outside = new PacketProbe { L4Proto = "tcp", SourceAddress = "172.16.0.2", DestinationAddress = "10.244.1.2", InInterface = "eth0", OutInterface = "cni0", Path = PacketProbe.ForwardedPath };

            Assert.True(r.Evaluator().SurelyAccepts(flannel, pod, "forward"));
            Assert.False(r.Evaluator().SurelyAccepts(flannel, outside, "forward"));
        }
    }
}
