using System.Collections.Generic;
using System.Linq;
using FlannelTools.Diagnosis;
using FlannelTools.HostLayer;
using Xunit;

namespace FlannelTools.Tests.Diagnosis
{
    public class HostChecksTests
    {
        private static Finding Single(IEnumerable<Finding> findings, string severity)
        {
            List<Finding> matching = findings.Where(f => f.Severity == severity).ToList();
            Assert.Single(matching);
            return matching[0];
        }

        private static void AllPassed(IReadOnlyCollection<Finding> findings, string check)
        {
            Assert.NotEmpty(findings);
            Assert.All(findings, f =>
            {
                Assert.Equal(check, f.Check);
                Assert.Equal(FindingSeverity.Information, f.Severity);
                Assert.Equal("node1", f.LocalNode);
            });
        }

        [Fact]
        public void The_healthy_node1_as_the_collector_read_it_raises_no_error_warning_or_unknown()
        {
            var s = new HostScenario();

            List<Finding> findings = s.Run(HostChecks.Run);

            Assert.DoesNotContain(findings, f => f.Severity != FindingSeverity.Information);
            Assert.Equal(new[] { "BridgeNetfilter", "Conntrack", "IpForwarding", "PreStackDrop", "ReversePath", "UdpChecksumErrors", "VtepDrops", "VxlanPortShared" },
                findings.Select(f => f.Check).Distinct().OrderBy(n => n, System.StringComparer.Ordinal));
        }

        // IpForwarding

        [Fact]
        public void Ip_forward_on_and_every_device_forwarding_passes()
        {
            var s = new HostScenario();

            List<Finding> findings = s.Run(HostChecks.IpForwarding);

            AllPassed(findings, "IpForwarding");
            Assert.Equal("node1", Assert.Single(findings).Node);
        }

        [Fact]
        public void Ip_forward_off_is_an_error_whose_remedy_sets_it_now_and_in_sysctl_d()
        {
            var s = new HostScenario();
            s.Set("net.ipv4.ip_forward", "0");

            Finding error = Single(s.Run(HostChecks.IpForwarding), FindingSeverity.Error);

            Assert.Equal("IpForwarding", error.Check);
            Assert.Equal("node1", error.Node);
            Assert.Contains("net.ipv4.ip_forward = 0", error.Actual);
            Assert.Contains("sysctl -w net.ipv4.ip_forward=1", error.Remedy);
            Assert.Contains("/etc/sysctl.d/", error.Remedy);
            Assert.Contains("net.ipv4.ip_forward = 1", error.Remedy);
        }

        [Theory]
        [InlineData("net.ipv4.conf.flannel/1.forwarding", "flannel.1")]
        [InlineData("net.ipv4.conf.cni0.forwarding", "cni0")]
        [InlineData("net.ipv4.conf.eth0.forwarding", "eth0")]
        public void A_device_set_not_to_forward_after_ip_forward_is_an_error_naming_its_key(string key, string device)
        {
            var s = new HostScenario();
            s.Set(key, "0");

            Finding error = Single(s.Run(HostChecks.IpForwarding), FindingSeverity.Error);

            Assert.Equal("node1", error.Node);
            Assert.Contains(key + " = 0", error.Actual);
            Assert.Contains(device, error.Message);
            Assert.Contains("sysctl -w " + key + "=1", error.Remedy);
        }

        [Fact]
        public void A_device_of_no_concern_to_flannel_not_forwarding_is_not_judged()
        {
            var s = new HostScenario();
            s.Set("net.ipv4.conf.eth0p.forwarding", "0");

            AllPassed(s.Run(HostChecks.IpForwarding), "IpForwarding");
        }

        [Fact]
        public void Sysctls_that_could_not_be_read_make_ip_forwarding_unknown_with_the_reason()
        {
            var s = new HostScenario();
            s.Unread(HostParts.Sysctls, "sh: /proc/sys: Permission denied");

            Finding unknown = Assert.Single(s.Run(HostChecks.IpForwarding));

            Assert.Equal(FindingSeverity.Unknown, unknown.Severity);
            Assert.Equal("IpForwarding", unknown.Check);
            Assert.Contains("Permission denied", unknown.Message);
        }

        [Fact]
        public void Ip_forward_absent_from_the_sysctls_read_is_unknown_not_passed()
        {
            var s = new HostScenario();
            s.Set("net.ipv4.ip_forward", null);

            Finding unknown = Single(s.Run(HostChecks.IpForwarding), FindingSeverity.Unknown);

            Assert.Contains("net.ipv4.ip_forward", unknown.Message);
            Assert.DoesNotContain(s.Run(HostChecks.IpForwarding), f => f.Severity == FindingSeverity.Information);
        }

        [Fact]
        public void An_ipv6_only_node_needs_ipv6_forwarding_and_not_ip_forward()
        {
            var s = new HostScenario();
            s.UseIPv6(keepIPv4: false);
            s.Set("net.ipv4.ip_forward", "0");
            s.Set("net.ipv6.conf.all.forwarding", "1");

            AllPassed(s.Run(HostChecks.IpForwarding), "IpForwarding");

            s.Set("net.ipv6.conf.all.forwarding", "0");
            Finding error = Single(s.Run(HostChecks.IpForwarding), FindingSeverity.Error);
            Assert.Contains("sysctl -w net.ipv6.conf.all.forwarding=1", error.Remedy);
            Assert.Contains("accept_ra", error.Message);
        }

        [Fact]
        public void A_dual_stack_node_without_ipv6_forwarding_is_an_error_for_ipv6_only()
        {
            var s = new HostScenario();
            s.UseIPv6(keepIPv4: true);

            Finding error = Single(s.Run(HostChecks.IpForwarding), FindingSeverity.Error);

            Assert.Contains("net.ipv6.conf.all.forwarding = 0", error.Actual);
            Assert.DoesNotContain("ip_forward", error.Remedy);
        }

        // BridgeNetfilter

        [Fact]
        public void Bridge_nf_call_iptables_on_passes_although_cni0_has_its_own_setting_off()
        {
            var s = new HostScenario();

            AllPassed(s.Run(HostChecks.BridgeNetfilter), "BridgeNetfilter");
        }

        [Fact]
        public void Without_br_netfilter_the_bridge_keys_are_absent_and_services_break_for_same_node_pods()
        {
            var s = new HostScenario();
            s.Sysctls.RemoveAll(k => k.Name.StartsWith("net.bridge."));

            Finding warning = Single(s.Run(HostChecks.BridgeNetfilter), FindingSeverity.Warning);

            Assert.Equal("BridgeNetfilter", warning.Check);
            Assert.Equal("node1", warning.Node);
            Assert.Contains("br_netfilter", warning.Message);
            Assert.Contains("cni0", warning.Message);
            Assert.StartsWith("modprobe br_netfilter", warning.Remedy);
            Assert.Contains("sysctl -w net.bridge.bridge-nf-call-iptables=1", warning.Remedy);
        }

        [Fact]
        public void Bridge_nf_call_iptables_off_and_the_bridge_off_too_is_a_warning()
        {
            var s = new HostScenario();
            s.Set("net.bridge.bridge-nf-call-iptables", "0");

            Finding warning = Single(s.Run(HostChecks.BridgeNetfilter), FindingSeverity.Warning);

            Assert.Contains("bridge.cni0.nf_call_iptables = 0", warning.Actual);
            Assert.Contains("sysctl -w net.bridge.bridge-nf-call-iptables=1", warning.Remedy);
            Assert.DoesNotContain("modprobe", warning.Remedy);
        }

        [Fact]
        public void Bridge_nf_call_iptables_off_globally_but_on_for_cni0_passes()
        {
            var s = new HostScenario();
            s.Set("net.bridge.bridge-nf-call-iptables", "0");
            s.Set("bridge.cni0.nf_call_iptables", "1");

            AllPassed(s.Run(HostChecks.BridgeNetfilter), "BridgeNetfilter");
        }

        [Fact]
        public void A_dual_stack_node_with_ip6tables_off_on_the_bridge_gets_a_warning_for_ipv6_alone()
        {
            var s = new HostScenario();
            s.UseIPv6(keepIPv4: true);
            s.Set("net.bridge.bridge-nf-call-ip6tables", "0");

            List<Finding> findings = s.Run(HostChecks.BridgeNetfilter);

            Finding warning = Single(findings, FindingSeverity.Warning);
            Assert.Contains("sysctl -w net.bridge.bridge-nf-call-ip6tables=1", warning.Remedy);
            Assert.Single(findings, f => f.Severity == FindingSeverity.Information);
        }

        [Fact]
        public void Bridge_netfilter_is_unknown_when_the_sysctls_were_not_read()
        {
            var s = new HostScenario();
            s.Unread(HostParts.Sysctls, "exit 1");

            Assert.Equal(FindingSeverity.Unknown, Assert.Single(s.Run(HostChecks.BridgeNetfilter)).Severity);
        }

        // ReversePath

        [Fact]
        public void Rp_filter_off_on_the_vtep_and_the_underlay_passes_for_both()
        {
            var s = new HostScenario();

            List<Finding> findings = s.Run(HostChecks.ReversePath);

            AllPassed(findings, "ReversePath");
            Assert.Equal(2, findings.Count);
        }

        [Fact]
        public void All_strict_with_the_device_at_0_is_strict_and_a_pod_route_elsewhere_makes_it_drop()
        {
            var s = new HostScenario();
            s.Set("net.ipv4.conf.all.rp_filter", "1");
            s.Tables.Replace(s.Tables.Routes, "10.244.2.0/24", "10.244.2.0/24 via 192.168.0.1 dev eth0 ");

            List<Finding> findings = s.Run(HostChecks.ReversePath);

            Finding warning = Single(findings, FindingSeverity.Warning);
            Assert.Equal("node2", warning.Node);
            Assert.Contains("flannel.1", warning.Message);
            Assert.Contains("eth0", warning.Message);
            Assert.Contains("net.ipv4.conf.all.rp_filter = 1", warning.Message);
            Assert.StartsWith("sysctl -w net.ipv4.conf.flannel/1.rp_filter=2", warning.Remedy);
        }

        [Fact]
        public void Strict_filtering_where_every_reply_leaves_the_way_it_came_is_information_that_says_strict()
        {
            var s = new HostScenario();
            s.Set("net.ipv4.conf.all.rp_filter", "1");

            List<Finding> findings = s.Run(HostChecks.ReversePath);

            AllPassed(findings, "ReversePath");
            Assert.All(findings, f => Assert.Contains("strict", f.Message));
        }

        [Theory]
        [InlineData("0", "2")]
        [InlineData("1", "2")]
        [InlineData("2", "0")]
        public void Loose_filtering_in_all_or_the_device_wins_over_strict_and_passes(string all, string device)
        {
            var s = new HostScenario();
            s.Set("net.ipv4.conf.all.rp_filter", all);
            s.Set("net.ipv4.conf.flannel/1.rp_filter", device);
            s.Tables.Replace(s.Tables.Routes, "10.244.2.0/24", "10.244.2.0/24 via 192.168.0.1 dev eth0 ");

            Finding vtep = s.Run(HostChecks.ReversePath).Single(f => f.Actual.Contains("flannel/1"));

            Assert.Equal(FindingSeverity.Information, vtep.Severity);
            Assert.DoesNotContain("strict", vtep.Message);
        }

        [Fact]
        public void A_strict_underlay_drops_vxlan_from_a_peer_whose_public_ip_is_routed_through_another_device()
        {
            var s = new HostScenario();
            s.Set("net.ipv4.conf.eth0.rp_filter", "1");
            s.Tables.Routes.Add("192.168.0.13 via 10.0.0.1 dev eth1 ");

            Finding warning = Single(s.Run(HostChecks.ReversePath), FindingSeverity.Warning);

            Assert.Equal("node2", warning.Node);
            Assert.Contains("192.168.0.13", warning.Message);
            Assert.Contains("eth1", warning.Message);
            Assert.StartsWith("sysctl -w net.ipv4.conf.eth0.rp_filter=2", warning.Remedy);
        }

        [Fact]
        public void A_directrouting_peer_whose_pod_route_is_via_eth0_is_harmless_under_strict_filtering_on_both_devices()
        {
            var s = new HostScenario();
            s.Set("net.ipv4.conf.all.rp_filter", "1");
            s.Tables.Replace(s.Tables.Routes, "10.244.2.0/24", "10.244.2.0/24 via 192.168.0.13 dev eth0 ");

            List<Finding> findings = s.Run(HostChecks.ReversePath);

            AllPassed(findings, "ReversePath");
            Assert.Equal(2, findings.Count);
        }

        [Fact]
        public void Reverse_path_is_unknown_when_the_vteps_rp_filter_was_not_read()
        {
            var s = new HostScenario();
            s.Set("net.ipv4.conf.flannel/1.rp_filter", null);

            Finding unknown = Single(s.Run(HostChecks.ReversePath), FindingSeverity.Unknown);

            Assert.Contains("flannel.1", unknown.Message);
        }

        [Fact]
        public void Reverse_path_is_unknown_when_no_sysctl_was_read()
        {
            var s = new HostScenario();
            s.Unread(HostParts.Sysctls, "exit 1");

            Assert.Equal(FindingSeverity.Unknown, Assert.Single(s.Run(HostChecks.ReversePath)).Severity);
        }

        // UdpChecksumErrors

        [Fact]
        public void No_udp_checksum_error_since_boot_passes()
        {
            var s = new HostScenario();

            Finding passed = Assert.Single(s.Run(HostChecks.UdpChecksumErrors));

            Assert.Equal(FindingSeverity.Information, passed.Severity);
            Assert.Equal("UdpChecksumErrors", passed.Check);
        }

        [Fact]
        public void Udp_checksum_errors_received_are_a_warning_that_names_them_global_and_cumulative_and_points_at_the_senders()
        {
            var s = new HostScenario();
            s.SetCounter("Udp", null, "InCsumErrors", 42);

            Finding warning = Assert.Single(s.Run(HostChecks.UdpChecksumErrors));

            Assert.Equal(FindingSeverity.Warning, warning.Severity);
            Assert.Equal("node1", warning.Node);
            Assert.Contains("42", warning.Actual);
            Assert.Contains("the sender is the node to fix", warning.Message);
            Assert.Contains("global", warning.Message);
            Assert.Contains("since boot", warning.Message);
            Assert.Contains("ChecksumOffload", warning.Message);
        }

        [Fact]
        public void Udp6_checksum_errors_count_on_a_node_with_an_ipv6_overlay()
        {
            var s = new HostScenario();
            s.UseIPv6(keepIPv4: true);
            s.SetCounter("Udp6", null, "InCsumErrors", 7);

            Finding warning = Single(s.Run(HostChecks.UdpChecksumErrors), FindingSeverity.Warning);

            Assert.StartsWith("Udp6", warning.Actual);
        }

        [Fact]
        public void Udp_counters_not_read_are_unknown_naming_the_part()
        {
            var s = new HostScenario();
            s.Unread(HostParts.UdpCounters, "cat: /proc/net/snmp: No such file or directory");

            Finding unknown = Assert.Single(s.Run(HostChecks.UdpChecksumErrors));

            Assert.Equal(FindingSeverity.Unknown, unknown.Severity);
            Assert.Contains(HostParts.UdpCounters, unknown.Message);
        }

        // PreStackDrop

        [Fact]
        public void No_program_on_the_underlay_passes()
        {
            var s = new HostScenario();

            AllPassed(s.Run(HostChecks.PreStackDrop), "PreStackDrop");
        }

        [Fact]
        public void An_xdp_program_on_the_underlay_is_a_warning_naming_it_and_how_to_detach_it()
        {
            var s = new HostScenario();
            s.Programs.Add(new PreStackProgram { Device = "eth0", Kind = "xdp xdpgeneric", Program = "xdp_drop_udp id 42", Source = "test" });

            Finding warning = Assert.Single(s.Run(HostChecks.PreStackDrop));

            Assert.Equal(FindingSeverity.Warning, warning.Severity);
            Assert.Contains("xdp_drop_udp", warning.Message);
            Assert.Contains("before any capture", warning.Message);
            Assert.Equal("ip link set dev eth0 xdpgeneric off", warning.Remedy);
        }

        [Fact]
        public void A_tc_ingress_filter_on_the_underlay_is_a_warning_that_a_capture_still_sees_the_packet()
        {
            var s = new HostScenario();
            s.Programs.Add(new PreStackProgram { Device = "eth0", Kind = "tc ingress", Program = "u32 match udp dport 8472 action drop", Source = "test" });

            Finding warning = Assert.Single(s.Run(HostChecks.PreStackDrop));

            Assert.Equal(FindingSeverity.Warning, warning.Severity);
            Assert.Contains("tcpdump shows", warning.Message);
            Assert.Equal("tc filter del dev eth0 ingress", warning.Remedy);
        }

        [Fact]
        public void A_tc_filter_on_a_device_other_than_the_underlay_is_not_judged()
        {
            var s = new HostScenario();
            s.Programs.Add(new PreStackProgram { Device = "cni0", Kind = "tc egress", Program = "bpf cilium", Source = "test" });

            AllPassed(s.Run(HostChecks.PreStackDrop), "PreStackDrop");
        }

        [Fact]
        public void Pre_stack_programs_are_unknown_when_neither_link_details_nor_tc_were_read()
        {
            var s = new HostScenario();
            s.Unread(HostParts.LinkCounters, "ip: not found");
            s.Unread(HostParts.TcFilters, "tc: not found");

            Assert.Equal(FindingSeverity.Unknown, Assert.Single(s.Run(HostChecks.PreStackDrop)).Severity);
        }

        [Fact]
        public void Tc_missing_while_xdp_was_read_leaves_the_underlay_unknown_rather_than_clean()
        {
            var s = new HostScenario();
            s.Unread(HostParts.TcFilters, "tc: not found");

            Finding unknown = Assert.Single(s.Run(HostChecks.PreStackDrop));

            Assert.Equal(FindingSeverity.Unknown, unknown.Severity);
            Assert.Contains("tc: not found", unknown.Message);
        }

        // VxlanPortShared

        private static HostScenario WithDevice(string name)
        {
            var s = new HostScenario();
            string[] lines = HostScenario.DataLines("node1-vxlan-devices.txt");
            int start = System.Array.FindIndex(lines, l => l.Contains(": " + name + ":"));
            s.Tables.Links.AddRange(lines.Skip(start).Take(3));
            return s;
        }

        [Fact]
        public void Flannels_vtep_alone_on_its_port_passes()
        {
            var s = new HostScenario();

            AllPassed(s.Run(HostChecks.VxlanPortShared), "VxlanPortShared");
        }

        [Fact]
        public void A_leftover_flannel_device_of_another_vni_on_the_port_is_a_warning_with_ip_link_del()
        {
            HostScenario s = WithDevice("flannel.4");

            Finding warning = Assert.Single(s.Run(HostChecks.VxlanPortShared));

            Assert.Equal(FindingSeverity.Warning, warning.Severity);
            Assert.Equal("node1", warning.Node);
            Assert.Contains("flannel.4", warning.Message);
            Assert.Equal("ip link del flannel.4", warning.Remedy);
        }

        [Fact]
        public void A_leftover_flannel_device_with_flannels_vni_on_the_port_is_an_error_naming_it()
        {
            HostScenario s = WithDevice("flannel.9");

            Finding error = Assert.Single(s.Run(HostChecks.VxlanPortShared));

            Assert.Equal(FindingSeverity.Error, error.Severity);
            Assert.Contains("flannel.9", error.Message);
            Assert.Contains("Address already in use", error.Message);
            Assert.Equal("ip link del flannel.9", error.Remedy);
        }

        [Fact]
        public void A_metadata_mode_device_of_another_tool_on_the_port_is_a_warning_without_a_flannel_remedy()
        {
            HostScenario s = WithDevice("cilium_vxlan");

            Finding warning = Assert.Single(s.Run(HostChecks.VxlanPortShared));

            Assert.Equal(FindingSeverity.Warning, warning.Severity);
            Assert.Contains("cilium_vxlan", warning.Message);
            Assert.Null(warning.Remedy);
        }

        [Theory]
        [InlineData("vxlan4789")]
        [InlineData("vx6")]
        public void A_vxlan_device_on_another_port_or_of_the_other_address_family_is_fine(string name)
        {
            HostScenario s = WithDevice(name);

            AllPassed(s.Run(HostChecks.VxlanPortShared), "VxlanPortShared");
        }

        // Conntrack

        [Fact]
        public void A_conntrack_table_far_from_full_passes()
        {
            var s = new HostScenario();

            AllPassed(s.Run(HostChecks.Conntrack), "Conntrack");
        }

        [Fact]
        public void A_conntrack_table_above_nine_tenths_is_a_warning_that_raises_the_max()
        {
            var s = new HostScenario();
            s.Set("net.netfilter.nf_conntrack_count", "240000");

            Finding warning = Assert.Single(s.Run(HostChecks.Conntrack));

            Assert.Equal(FindingSeverity.Warning, warning.Severity);
            Assert.Contains("table full, dropping packet", warning.Message);
            Assert.StartsWith("sysctl -w net.netfilter.nf_conntrack_max=524288", warning.Remedy);
        }

        [Fact]
        public void A_conntrack_table_just_under_nine_tenths_passes()
        {
            var s = new HostScenario();
            s.Set("net.netfilter.nf_conntrack_count", "235000");

            AllPassed(s.Run(HostChecks.Conntrack), "Conntrack");
        }

        [Fact]
        public void Without_the_conntrack_module_there_is_no_table_to_fill_and_it_says_so()
        {
            var s = new HostScenario();
            s.Set("net.netfilter.nf_conntrack_count", null);
            s.Set("net.netfilter.nf_conntrack_max", null);

            Finding passed = Assert.Single(s.Run(HostChecks.Conntrack));

            Assert.Equal(FindingSeverity.Information, passed.Severity);
            Assert.Contains("not loaded", passed.Message);
        }

        [Fact]
        public void Conntrack_is_unknown_when_the_sysctls_were_not_read()
        {
            var s = new HostScenario();
            s.Unread(HostParts.Sysctls, "exit 1");

            Assert.Equal(FindingSeverity.Unknown, Assert.Single(s.Run(HostChecks.Conntrack)).Severity);
        }

        // VtepDrops

        [Fact]
        public void A_vtep_that_dropped_nothing_passes()
        {
            var s = new HostScenario();

            AllPassed(s.Run(HostChecks.VtepDrops), "VtepDrops");
        }

        [Fact]
        public void Tx_dropped_on_the_vtep_is_information_naming_the_missing_fdb_entry_and_cumulative()
        {
            var s = new HostScenario();
            s.SetCounter("link", "flannel.1", "tx_dropped", 9);

            Finding note = Assert.Single(s.Run(HostChecks.VtepDrops));

            Assert.Equal(FindingSeverity.Information, note.Severity);
            Assert.Contains("FDB entry", note.Message);
            Assert.Contains("cumulative", note.Message);
        }

        [Fact]
        public void Tx_carrier_errors_on_the_vtep_are_a_warning_that_it_had_no_route()
        {
            var s = new HostScenario();
            s.SetCounter("link", "flannel.1", "tx_carrier_errors", 3);

            Finding warning = Assert.Single(s.Run(HostChecks.VtepDrops));

            Assert.Equal(FindingSeverity.Warning, warning.Severity);
            Assert.Contains("route", warning.Message);
            Assert.Contains("cumulative", warning.Message);
        }

        [Fact]
        public void Vtep_drops_are_unknown_when_the_link_counters_were_not_read()
        {
            var s = new HostScenario();
            s.Unread(HostParts.LinkCounters, "ip: not found");

            Assert.Equal(FindingSeverity.Unknown, Assert.Single(s.Run(HostChecks.VtepDrops)).Severity);
        }
    }
}
