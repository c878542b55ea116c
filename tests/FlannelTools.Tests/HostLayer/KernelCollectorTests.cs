using System.Collections.Generic;
using System.Linq;
using FlannelTools.HostLayer;
using FlannelTools.NodeTables;
using Xunit;

namespace FlannelTools.Tests.HostLayer
{
    /// <summary>
    /// The collector's document end to end: collector-a.state is <c>ip netns exec hlkern-a dash tools/collect-flannel-state.sh
    /// --subnet-env /nonexistent</c> after make.sh configured hlkern-a; collector-missing-tools.state is hand-written (the
    /// absent and malformed case: ethtool, tc, ip and nft missing, exit 127).
    /// </summary>
    public class KernelCollectorTests
    {
        private static (FlannelTools.NodeState State, IReadOnlyList<ParseProblem> Problems) Read(string file)
        {
            var builder = new NodeStateBuilder();
            FlannelTools.NodeState state = NodeStateReader.ReadDocument(KernelData.Lines(file), new TextOrigin(file), builder);
            return (state, builder.Problems);
        }

        [Fact]
        public void The_collectors_sysctls_are_the_values_set_in_the_namespace()
        {
            (FlannelTools.NodeState s, IReadOnlyList<ParseProblem> problems) = Read("collector-a.state");
            Assert.Empty(problems);
            Assert.Equal("1", s.GetSysctl("net.ipv4.ip_forward"));
            Assert.Equal("2", s.GetSysctl("net.ipv4.conf.flannel/1.rp_filter"));
            Assert.Equal("1", s.GetSysctl("net.ipv4.conf.va.rp_filter"));
            Assert.Equal("1", s.GetSysctl("bridge.cni0.nf_call_iptables"));
            Assert.Equal("32768 60999", s.GetSysctl("net.ipv4.ip_local_port_range"));
            Assert.StartsWith("collector-a.state:", s.Sysctls.First().Source);
        }

        [Fact]
        public void The_collectors_offloads_are_the_vteps_and_the_default_routes_device_with_the_changes_made()
        {
            FlannelTools.NodeState s = Read("collector-a.state").State;
            Assert.Equal(new[] { "flannel.1", "va" }, s.Offloads.Select(o => o.Device).Distinct().OrderBy(d => d));
            Assert.False(s.Offloads.Single(o => o.Device == "flannel.1" && o.Feature == "tx-checksum-ip-generic").Enabled);
            Assert.False(s.Offloads.Single(o => o.Device == "va" && o.Feature == "tx-checksumming").Enabled);
            Assert.True(s.Offloads.Single(o => o.Device == "flannel.1" && o.Feature == "rx-checksumming").Enabled);
        }

        [Fact]
        public void The_collectors_counters_hold_the_udp_groups_and_the_devices_drops()
        {
            FlannelTools.NodeState s = Read("collector-a.state").State;
            // hlkern-a sent the 3 datagrams to b's closed port; the 4 with a bad checksum went through a raw socket
            Assert.Equal(3, s.Counters.Single(c => c.Group == "Udp" && c.Name == "OutDatagrams").Value);
            Assert.Contains(s.Counters, c => c.Group == "Udp6" && c.Name == "InCsumErrors");
            Assert.Equal(5, s.Counters.Single(c => c.Group == "link" && c.Device == "va" && c.Name == "rx_dropped").Value);
        }

        [Fact]
        public void The_collectors_pre_stack_programs_are_the_xdp_program_and_the_three_tc_filters()
        {
            FlannelTools.NodeState s = Read("collector-a.state").State;
            Assert.Equal(new[] { "flannel.1 tc ingress", "va tc egress", "va tc ingress", "va xdpgeneric" },
                s.PreStackPrograms.Select(p => p.Device + " " + p.Kind).OrderBy(k => k));
            Assert.Contains("name tc_drop", s.PreStackPrograms.Single(p => p.Device == "flannel.1").Program);
            Assert.EndsWith("name xdp_pass", s.PreStackPrograms.Single(p => p.Kind == "xdpgeneric").Program);
        }

        [Fact]
        public void The_collectors_kernel_release_and_parts_are_read_and_the_absent_subnet_env_is_not()
        {
            FlannelTools.NodeState s = Read("collector-a.state").State;
            Assert.Matches(@"^[0-9]+\.[0-9]+", s.KernelRelease);
            foreach (string part in new[] { HostParts.KernelRelease, HostParts.Sysctls, HostParts.Offloads, HostParts.UdpCounters, HostParts.LinkCounters, HostParts.TcFilters })
            {
                Assert.Contains(part, s.ReadParts);
            }
            UnreadPart subnetEnv = Assert.Single(s.NotRead);
            Assert.Equal((HostParts.SubnetEnv, true), (subnetEnv.Part, subnetEnv.Absent));
            Assert.Contains("No such file or directory", subnetEnv.Reason);
            Assert.Null(s.SubnetEnv);
        }

        [Fact]
        public void Missing_tools_make_their_parts_not_read_with_the_reason_and_their_properties_null()
        {
            FlannelTools.NodeState s = Read("collector-missing-tools.state").State;
            Assert.Null(s.Offloads);
            Assert.Null(s.PreStackPrograms);
            Assert.Null(s.FirewallRules);
            Assert.Equal("ethtool: not found", s.WhyNotRead(HostParts.Offloads).Reason);
            Assert.False(s.WhyNotRead(HostParts.Offloads).Absent);
            Assert.Equal("tc: not found", s.WhyNotRead(HostParts.TcFilters).Reason);
            Assert.Equal("ip: not found", s.WhyNotRead(HostParts.LinkCounters).Reason);
            Assert.Equal("nft: not found", s.WhyNotRead(HostParts.Nftables).Reason);
            Assert.False(s.WhyNotRead(HostParts.SubnetEnv).Absent);
            Assert.DoesNotContain(HostParts.Offloads, s.ReadParts);
        }

        [Fact]
        public void Malformed_lines_of_read_parts_are_problems_with_the_documents_line_numbers_and_the_rest_is_read()
        {
            (FlannelTools.NodeState s, IReadOnlyList<ParseProblem> problems) = Read("collector-missing-tools.state");
            Assert.Equal("6.1.0-18-amd64", s.KernelRelease);
            Assert.Equal(new[] { "net.ipv4.ip_forward = 1", "net.ipv4.conf.all.rp_filter = 0" }, s.Sysctls.Select(x => x.ToString()));
            Assert.Equal(new[] { 10, 16 }, problems.Select(p => p.LineNumber));
            Assert.All(problems, p => Assert.Equal("collector-missing-tools.state", p.Origin));
            // the Udp line of 8 values under 9 names is unreadable; the snmp6 counters are still read
            Assert.DoesNotContain(s.Counters, c => c.Group == "Udp");
            Assert.Equal(1, s.Counters.Single(c => c.Group == "Udp6" && c.Name == "InCsumErrors").Value);
            Assert.Contains(HostParts.UdpCounters, s.ReadParts);
        }

        [Fact]
        public void An_ethtool_without_json_falls_back_to_text_and_the_offloads_are_read()
        {
            var lines = new List<string>
            {
                "#@ flannel-state 1",
                "#@ section ethtool --json -k va",
                "",
                "#@ exit 1",
                "#@ stderr ethtool: bad command line argument(s)",
                "#@ section ethtool -k va",
            };
            lines.AddRange(KernelData.Lines("ethtool-k-va.txt"));
            lines.Add("#@ exit 0");
            var builder = new NodeStateBuilder();
            FlannelTools.NodeState s = NodeStateReader.ReadDocument(lines, new TextOrigin("fallback"), builder);
            Assert.Empty(builder.Problems);
            Assert.Null(s.WhyNotRead(HostParts.Offloads));
            Assert.False(s.Offloads.Single(o => o.Feature == "tx-checksumming").Enabled);
            Assert.Equal("fallback:8", s.Offloads.First().Source);
        }
    }
}
