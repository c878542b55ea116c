using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using FlannelTools.Diagnosis;
using FlannelTools.HostLayer.Firewall;
using FlannelTools.HostLayer;
using FlannelTools.Tests.HostLayer;
using Xunit;
using static FlannelTools.Tests.HostLayer.TestRuleset;

namespace FlannelTools.Tests.Diagnosis
{
    public class FirewallChecksTests
    {
        private static readonly RuleMatch Udp = M(RuleField.L4Proto, "udp");
        private static readonly RuleMatch Vxlan = M(RuleField.DestinationPort, "8472");

        /// <summary>node1 of the walkthrough's lab (with cni0 10.244.1.1/24) carrying the ruleset; the rest of the host layer as given.</summary>
        private static List<Finding> Run(TestRuleset r, string check, FlannelNetConf netConf = null, IEnumerable<Offload> offloads = null, params string[] readParts)
        {
            var s = new Scenario();
            FlannelTools.NodeState state = s.State();
            state.Interfaces = new ReadOnlyCollection<Interface>(state.Interfaces.Concat(new[] { new Interface { Name = "cni0", Addresses = new TextList(new[] { "10.244.1.1/24" }) } }).ToList());
            r.ApplyTo(state, readParts);
            if (offloads != null)
            {
                state.Offloads = new ReadOnlyCollection<Offload>(offloads.ToList());
            }
            var c = new DiagnosisContext(state, s.Nodes, s.Nodes.Single(n => n.Name == "node1"), null, netConf);
            return FirewallChecks.Run(c, rule => r.Parsed[rule]).Where(f => f.Check == check).ToList();
        }

        private static void AssertAllPassed(List<Finding> findings)
        {
            Assert.NotEmpty(findings);
            Assert.All(findings, f => Assert.Equal(FindingSeverity.Information, f.Severity));
        }

        [Fact]
        public void An_nft_input_drop_of_udp_8472_is_one_error_for_all_peers_whose_remedy_really_opens_the_port()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Nft, "inet", "filter", "input", "input", 0);
            r.Rule(input, "udp dport 8472 drop", RuleAction.Drop, null, Udp, Vxlan);

            Finding error = Assert.Single(Run(r, "VxlanPortOpen"));

            Assert.Equal(FindingSeverity.Error, error.Severity);
            Assert.Null(error.Node);
            Assert.Contains("master", error.Message);
            Assert.Contains("node2", error.Message);
            Assert.Contains("nftables inet filter input #1: udp dport 8472 drop", error.Actual);
            Assert.Equal("nft insert rule inet filter input udp dport 8472 accept", error.Remedy);

            // What nft insert does: the accept becomes the chain's first rule.
            var mended = new TestRuleset();
            FirewallChain again = mended.Base(Nft, "inet", "filter", "input", "input", 0);
            mended.Rule(again, "udp dport 8472 accept", RuleAction.Accept, null, Udp, Vxlan);
            mended.Rule(again, "udp dport 8472 drop", RuleAction.Drop, null, Udp, Vxlan);
            AssertAllPassed(Run(mended, "VxlanPortOpen"));
        }

        [Fact]
        public void A_legacy_INPUT_drop_beside_an_nft_accept_is_an_error_with_an_iptables_legacy_insert_ahead_of_it()
        {
            var r = new TestRuleset();
            FirewallChain nft = r.Base(Nft, "inet", "filter", "input", "input", 0, "drop");
            r.Rule(nft, "udp dport 8472 accept", RuleAction.Accept, null, Udp, Vxlan);
            FirewallChain input = r.Base(Legacy, "ip", "filter", "INPUT", "input", 0);
            r.Rule(input, "-A INPUT -p tcp -m tcp --dport 22 -j ACCEPT", RuleAction.Accept, null, M(RuleField.L4Proto, "tcp"), M(RuleField.DestinationPort, "22"));
            r.Rule(input, "-A INPUT -p udp -m udp --dport 8472 -j DROP", RuleAction.Drop, null, Udp, Vxlan);

            Finding error = Assert.Single(Run(r, "VxlanPortOpen"));

            Assert.Equal(FindingSeverity.Error, error.Severity);
            Assert.Equal("iptables-legacy -I INPUT 2 -p udp --dport 8472 -j ACCEPT", error.Remedy);
        }

        [Fact]
        public void An_INPUT_policy_drop_gets_an_accept_at_the_head_of_that_chain_in_its_own_backend()
        {
            var r = new TestRuleset();
            r.Base(IptNft, "ip", "filter", "INPUT", "input", 0, "DROP");

            Finding error = Assert.Single(Run(r, "VxlanPortOpen"));

            Assert.Contains("policy DROP", error.Actual);
            Assert.Equal("iptables-nft -I INPUT 1 -p udp --dport 8472 -j ACCEPT", error.Remedy);
        }

        [Fact]
        public void A_drop_in_firewalld_is_mended_with_firewall_cmd_never_nft()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Nft, "inet", "firewalld", "filter_INPUT", "input", 10);
            r.Rule(input, "reject with icmpx admin-prohibited", RuleAction.Reject);

            Finding error = Assert.Single(Run(r, "VxlanPortOpen"));

            Assert.Equal("firewall-cmd --permanent --add-port=8472/udp && firewall-cmd --reload", error.Remedy);
            Assert.Contains("rejected", error.Message);
        }

        [Fact]
        public void A_policy_drop_where_ufw_manages_the_table_is_mended_with_ufw()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Legacy, "ip", "filter", "INPUT", "input", 0, "DROP");
            r.Regular(input, "ufw-before-input");
            r.Rule(input, "-A INPUT -j ufw-before-input", RuleAction.Jump, "ufw-before-input");

            Assert.Equal("ufw allow 8472/udp", Assert.Single(Run(r, "VxlanPortOpen")).Remedy);
        }

        [Fact]
        public void A_drop_in_an_nft_view_of_an_iptables_nft_table_is_mended_with_iptables_nft()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Nft, "ip", "filter", "INPUT", "input", 0);
            r.Rule(input, "meta l4proto udp udp dport 8472 counter drop", RuleAction.Drop, null, Udp, Vxlan);

            Assert.Equal("iptables-nft -I INPUT 1 -p udp --dport 8472 -j ACCEPT", Assert.Single(Run(r, "VxlanPortOpen", null, null, HostParts.Nftables, HostParts.IptablesLegacy)).Remedy);
        }

        [Fact]
        public void A_drop_of_one_peer_names_that_peer_and_the_other_passes()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(Nft, "inet", "filter", "input", "input", 0);
            r.Rule(input, "ip saddr 192.168.0.13 drop", RuleAction.Drop, null, M(RuleField.SourceAddress, "192.168.0.13"));

            List<Finding> findings = Run(r, "VxlanPortOpen");

            Assert.Equal("node2", Assert.Single(findings, f => f.Severity == FindingSeverity.Error).Node);
            Assert.Equal("master", Assert.Single(findings, f => f.Severity == FindingSeverity.Information).Node);
        }

        [Fact]
        public void A_condition_it_cannot_judge_ahead_of_a_policy_drop_is_unknown_naming_the_rule_never_passed()
        {
            var r = new TestRuleset();
            FirewallChain input = r.Base(IptNft, "ip", "filter", "INPUT", "input", 0, "DROP");
            r.Rule(input, "-A INPUT -m recent --rcheck --name vxlan -j ACCEPT", RuleAction.Accept, null, Other("-m recent --rcheck --name vxlan"));

            Finding unknown = Assert.Single(Run(r, "VxlanPortOpen"));

            Assert.Equal(FindingSeverity.Unknown, unknown.Severity);
            Assert.Contains("iptables-nft ip filter INPUT #1: -A INPUT -m recent --rcheck --name vxlan -j ACCEPT", unknown.Message);
        }

        [Fact]
        public void No_packet_filter_read_is_unknown_for_each_part_not_read()
        {
            var s = new Scenario();
            var c = new DiagnosisContext(s.State(), s.Nodes, s.Nodes.Single(n => n.Name == "node1"));

            List<Finding> findings = FirewallChecks.Run(c).Where(f => f.Check == "VxlanPortOpen").ToList();

            Assert.Equal(new[] { HostParts.Nftables, HostParts.IptablesNft, HostParts.IptablesLegacy }.Length, findings.Count);
            Assert.All(findings, f => Assert.Equal(FindingSeverity.Unknown, f.Severity));
            Assert.Contains(findings, f => f.Message.Contains(HostParts.IptablesLegacy));
        }

        [Fact]
        public void Legacy_iptables_not_read_while_nft_passes_the_port_is_unknown_not_passed()
        {
            var r = new TestRuleset();
            r.Base(Nft, "inet", "filter", "input", "input", 0);

            Finding unknown = Assert.Single(Run(r, "VxlanPortOpen", null, null, HostParts.Nftables));

            Assert.Equal(FindingSeverity.Unknown, unknown.Severity);
            Assert.Contains(HostParts.IptablesLegacy, unknown.Message);
        }

        private static TestRuleset DockerForward(bool rejectFirst = false, bool kubeForward = false)
        {
            var r = new TestRuleset();
            FirewallChain forward = r.Base(IptNft, "ip", "filter", "FORWARD", "forward", 0, "DROP");
            FirewallChain user = r.Regular(forward, "DOCKER-USER");
            FirewallChain flannel = r.Regular(forward, "FLANNEL-FWD");
            if (rejectFirst)
            {
                r.Rule(forward, "-A FORWARD -j REJECT --reject-with icmp-host-prohibited", new ParsedRule { Action = RuleAction.Reject, ActionOptions = "--reject-with icmp-host-prohibited" });
            }
            if (kubeForward)
            {
                FirewallChain kube = r.Regular(forward, "KUBE-FORWARD");
                r.Rule(forward, "-A FORWARD -m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD", RuleAction.Jump, "KUBE-FORWARD");
                r.Rule(kube, "-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP", RuleAction.Drop, null, M(RuleField.CtState, "invalid"));
                r.Rule(kube, "-A KUBE-FORWARD -m mark --mark 0x4000/0x4000 -j ACCEPT", RuleAction.Accept, null, M(RuleField.Mark, "0x4000/0x4000"));
            }
            r.Rule(forward, "-A FORWARD -j DOCKER-USER", RuleAction.Jump, "DOCKER-USER");
            r.Rule(forward, "-A FORWARD -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT", RuleAction.Accept, null, M(RuleField.OutInterface, "docker0"), M(RuleField.CtState, "related", "established"));
            r.Rule(forward, "-A FORWARD -i docker0 ! -o docker0 -j ACCEPT", RuleAction.Accept, null, M(RuleField.InInterface, "docker0"), Not(RuleField.OutInterface, "docker0"));
            r.Rule(forward, "-A FORWARD -j FLANNEL-FWD", RuleAction.Jump, "FLANNEL-FWD");
            r.Rule(user, "-A DOCKER-USER -j RETURN", RuleAction.Return);
            r.Rule(flannel, "-A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment \"flanneld forward\" -j ACCEPT", RuleAction.Accept, null, M(RuleField.SourceAddress, "10.244.0.0/16"));
            r.Rule(flannel, "-A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment \"flanneld forward\" -j ACCEPT", RuleAction.Accept, null, M(RuleField.DestinationAddress, "10.244.0.0/16"));
            return r;
        }

        [Fact]
        public void Dockers_FORWARD_policy_drop_with_flannels_FLANNEL_FWD_in_place_is_silent()
        {
            List<Finding> findings = Run(DockerForward(), "ForwardFilter");

            AssertAllPassed(findings);
            Assert.Equal(4, findings.Count);
        }

        [Fact]
        public void Kube_proxys_drop_of_invalid_packets_does_not_count_against_new_pod_traffic()
        {
            AssertAllPassed(Run(DockerForward(kubeForward: true), "ForwardFilter"));
        }

        [Fact]
        public void A_REJECT_ahead_of_FLANNEL_FWD_is_an_error_both_ways_mended_by_a_jump_to_FLANNEL_FWD_ahead_of_it()
        {
            List<Finding> findings = Run(DockerForward(rejectFirst: true), "ForwardFilter");

            Assert.Equal(2, findings.Count);
            Assert.All(findings, f => Assert.Equal(FindingSeverity.Error, f.Severity));
            Assert.All(findings, f => Assert.Null(f.Node));
            Assert.All(findings, f => Assert.Equal("iptables-nft -I FORWARD 1 -j FLANNEL-FWD", f.Remedy));
            Assert.Contains(findings, f => f.Message.StartsWith("Forwarded pod traffic from the pods of all peers"));
            Assert.Contains(findings, f => f.Message.StartsWith("Forwarded pod traffic from local pods (cni0)"));
        }

        [Fact]
        public void An_nft_forward_policy_drop_gets_accepts_for_the_cluster_network_in_that_chain()
        {
            var r = new TestRuleset();
            r.Base(Nft, "inet", "mine", "forward", "forward", 0, "drop");

            List<Finding> findings = Run(r, "ForwardFilter", new FlannelNetConf { Network = "10.244.0.0/16" });

            Assert.Equal(2, findings.Count);
            Assert.All(findings, f => Assert.Equal(
                "nft insert rule inet mine forward ip saddr 10.244.0.0/16 accept && nft insert rule inet mine forward ip daddr 10.244.0.0/16 accept", f.Remedy));
        }

        [Fact]
        public void Without_net_conf_the_forward_remedy_accepts_the_shortest_prefix_holding_every_nodes_subnet()
        {
            var r = new TestRuleset();
            r.Base(Legacy, "ip", "filter", "FORWARD", "forward", 0, "DROP");

            Finding error = Run(r, "ForwardFilter").First();

            Assert.Equal("iptables-legacy -I FORWARD 1 -s 10.244.0.0/22 -j ACCEPT && iptables-legacy -I FORWARD 1 -d 10.244.0.0/22 -j ACCEPT", error.Remedy);
        }

        [Fact]
        public void A_forward_drop_of_traffic_from_the_vtep_names_only_that_direction()
        {
            var r = new TestRuleset();
            FirewallChain forward = r.Base(Nft, "inet", "mine", "forward", "forward", 0);
            r.Rule(forward, "iifname \"flannel.1\" drop", RuleAction.Drop, null, M(RuleField.InInterface, "flannel.1"));

            List<Finding> findings = Run(r, "ForwardFilter");

            Finding error = Assert.Single(findings, f => f.Severity == FindingSeverity.Error);
            Assert.StartsWith("Forwarded pod traffic from the pods of all peers", error.Message);
            Assert.Equal(2, findings.Count(f => f.Severity == FindingSeverity.Information));
        }

        [Fact]
        public void In_nft_mode_a_missing_flannel_ipv4_table_is_an_error_and_its_presence_passes()
        {
            var conf = new FlannelNetConf { EnableNFTables = true };
            var r = new TestRuleset();
            r.Base(Nft, "inet", "filter", "forward", "forward", 0);

            Finding missing = Assert.Single(Run(r, "FlannelRules", conf));
            Assert.Equal(FindingSeverity.Error, missing.Severity);
            Assert.Contains("spec.nodeName=node1", missing.Remedy);
            Assert.Contains("restarts", missing.Message);

            r.Base(Nft, "ip", "flannel-ipv4", "forward", "forward", 0);
            Assert.Equal(FindingSeverity.Information, Assert.Single(Run(r, "FlannelRules", conf)).Severity);
        }

        [Fact]
        public void In_iptables_mode_FLANNEL_FWD_jumped_to_from_FORWARD_passes_and_one_not_jumped_to_is_a_warning()
        {
            Assert.Equal(FindingSeverity.Information, Assert.Single(Run(DockerForward(), "FlannelRules")).Severity);

            var r = new TestRuleset();
            FirewallChain forward = r.Base(Legacy, "ip", "filter", "FORWARD", "forward", 0);
            r.Regular(forward, "FLANNEL-FWD");
            Finding warning = Assert.Single(Run(r, "FlannelRules"));
            Assert.Equal(FindingSeverity.Warning, warning.Severity);
            Assert.Equal("iptables-legacy -A FORWARD -j FLANNEL-FWD", warning.Remedy);
        }

        [Fact]
        public void Rules_in_both_iptables_legacy_and_nf_tables_are_a_warning_naming_what_each_holds()
        {
            TestRuleset r = DockerForward();
            r.Base(Legacy, "ip", "filter", "FORWARD", "forward", 0, "DROP");

            Finding warning = Assert.Single(Run(r, "FirewallBackends"));

            Assert.Equal(FindingSeverity.Warning, warning.Severity);
            Assert.Contains("iptables-legacy ip filter (0 rules, FORWARD policy DROP)", warning.Message);
            Assert.Contains("iptables-nft ip filter (7 rules, FORWARD policy DROP)", warning.Message);
        }

        [Fact]
        public void Rules_in_one_backend_only_pass_the_backends_check()
        {
            Assert.Equal(FindingSeverity.Information, Assert.Single(Run(DockerForward(), "FirewallBackends")).Severity);
        }

        private static TestRuleset OuterMasquerade()
        {
            var r = new TestRuleset();
            FirewallChain post = r.Base(Legacy, "ip", "nat", "POSTROUTING", "postrouting", 100, type: "nat");
            r.Rule(post, "-A POSTROUTING -o eth0 -p udp -m udp --dport 8472 -j MASQUERADE --random-fully", new ParsedRule { Action = RuleAction.Masquerade, ActionOptions = "--random-fully" },
                M(RuleField.OutInterface, "eth0"), Udp, Vxlan);
            return r;
        }

        private static Offload[] ChecksumOffload(bool on) =>
            new[] { new Offload { Device = "flannel.1", Feature = "tx-checksum-ip-generic", Enabled = on } };

        [Fact]
        public void A_masquerade_of_outer_vxlan_with_the_vteps_checksum_offload_on_is_an_error_with_the_ethtool_remedy()
        {
            Finding error = Assert.Single(Run(OuterMasquerade(), "ChecksumOffload", null, ChecksumOffload(true)));

            Assert.Equal(FindingSeverity.Error, error.Severity);
            Assert.Equal("ethtool -K flannel.1 tx-checksum-ip-generic off", error.Remedy);
            Assert.Contains("MASQUERADE --random-fully", error.Message);
            Assert.Contains("TSO/GSO", error.Message);
            Assert.Contains("InCsumErrors", error.Message);
            Assert.Contains("ACTION==\"add\", SUBSYSTEM==\"net\", KERNEL==\"flannel.*\", RUN+=\"/usr/sbin/ethtool -K %k tx-checksum-ip-generic off\"", error.Message);
        }

        [Fact]
        public void A_masquerade_of_outer_vxlan_with_the_offload_off_passes()
        {
            Assert.Equal(FindingSeverity.Information, Assert.Single(Run(OuterMasquerade(), "ChecksumOffload", null, ChecksumOffload(false))).Severity);
        }

        [Fact]
        public void A_masquerade_of_outer_vxlan_with_offloads_not_read_is_unknown()
        {
            Assert.Equal(FindingSeverity.Unknown, Assert.Single(Run(OuterMasquerade(), "ChecksumOffload")).Severity);
        }

        [Fact]
        public void A_masquerade_of_pod_traffic_only_is_no_trigger()
        {
            var r = new TestRuleset();
            FirewallChain post = r.Base(Legacy, "ip", "nat", "POSTROUTING", "postrouting", 100, type: "nat");
            r.Rule(post, "-A POSTROUTING -s 10.244.0.0/16 ! -d 224.0.0.0/4 -j MASQUERADE --random-fully", RuleAction.Masquerade, null,
                M(RuleField.SourceAddress, "10.244.0.0/16"), Not(RuleField.DestinationAddress, "224.0.0.0/4"));

            Assert.Equal(FindingSeverity.Information, Assert.Single(Run(r, "ChecksumOffload", null, ChecksumOffload(true))).Severity);
        }

        private static TestRuleset KubePostrouting(bool clearsMark)
        {
            var r = new TestRuleset();
            FirewallChain post = r.Base(IptNft, "ip", "nat", "POSTROUTING", "postrouting", 100, type: "nat");
            FirewallChain kube = r.Regular(post, "KUBE-POSTROUTING");
            r.Rule(post, "-A POSTROUTING -m comment --comment \"kubernetes postrouting rules\" -j KUBE-POSTROUTING", RuleAction.Jump, "KUBE-POSTROUTING");
            r.Rule(kube, "-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN", RuleAction.Return, null, Not(RuleField.Mark, "0x4000/0x4000"));
            if (clearsMark)
            {
                r.Rule(kube, "-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0", new ParsedRule { MarkOperation = "--set-xmark 0x4000/0x0" });
            }
            r.Rule(kube, "-A KUBE-POSTROUTING -m comment --comment \"kubernetes service traffic requiring SNAT\" -j MASQUERADE --random-fully", RuleAction.Masquerade);
            return r;
        }

        [Fact]
        public void Kube_proxys_masquerade_that_keeps_mark_0x4000_with_the_offload_on_is_an_error()
        {
            Finding error = Assert.Single(Run(KubePostrouting(clearsMark: false), "ChecksumOffload", null, ChecksumOffload(true)));

            Assert.Equal(FindingSeverity.Error, error.Severity);
            Assert.Contains("kubernetes#92035", error.Message);
        }

        [Fact]
        public void Kube_proxys_masquerade_that_clears_mark_0x4000_first_is_no_trigger()
        {
            Assert.Equal(FindingSeverity.Information, Assert.Single(Run(KubePostrouting(clearsMark: true), "ChecksumOffload", null, ChecksumOffload(true))).Severity);
        }
    }
}
