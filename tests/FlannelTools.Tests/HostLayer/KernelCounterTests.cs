using System.Linq;
using FlannelTools.HostLayer.Kernel;
using FlannelTools.NodeTables;
using Xunit;

namespace FlannelTools.Tests.HostLayer
{
    /// <summary>
    /// SnmpParser and LinkStatsParser on the counters of make.sh's traffic: 3 UDP datagrams to a closed port and 4 with a
    /// wrong checksum from hlkern-a to hlkern-b, 2 UDPv6 datagrams to a closed port of hlkern-b's ::1, 5 frames of an unknown EtherType to va.
    /// </summary>
    public class KernelCounterTests
    {
        private static long Counter(ParseResult<NetCounter> r, string group, string name, string device = null) =>
            r.Entries.Single(c => c.Group == group && c.Name == name && c.Device == device).Value;

        [Fact]
        public void Udp_datagrams_with_a_bad_checksum_count_as_in_csum_errors_and_in_errors()
        {
            ParseResult<NetCounter> r = SnmpParser.Parse(KernelData.Lines("proc-net-snmp-b.txt"), KernelData.Origin("snmp"), 1);
            Assert.Empty(r.Problems);
            Assert.Equal(4, Counter(r, "Udp", "InCsumErrors"));
            Assert.Equal(4, Counter(r, "Udp", "InErrors"));
            Assert.Equal(3, Counter(r, "Udp", "NoPorts"));
            Assert.Equal(0, Counter(r, "Udp", "RcvbufErrors"));
        }

        [Fact]
        public void Only_the_udp_group_of_proc_net_snmp_is_kept()
        {
            ParseResult<NetCounter> r = SnmpParser.Parse(KernelData.Lines("proc-net-snmp-b.txt"), KernelData.Origin("snmp"), 1);
            Assert.Equal(new[] { "Udp" }, r.Entries.Select(c => c.Group).Distinct());
            Assert.Contains(r.Entries, c => c.Name == "MemErrors");
            Assert.All(r.Entries, c => Assert.Null(c.Device));
            Assert.Equal(KernelData.Lines("proc-net-snmp-b.txt").Count(l => l.Trim().Length > 0), r.LinesRead);
        }

        [Fact]
        public void Snmp6_gives_the_udp6_counters_by_their_names_without_the_group()
        {
            ParseResult<NetCounter> r = SnmpParser.Parse(KernelData.Lines("proc-net-snmp6-b.txt"), KernelData.Origin("snmp6"), 1);
            Assert.Empty(r.Problems);
            Assert.Equal(new[] { "Udp6" }, r.Entries.Select(c => c.Group).Distinct());
            Assert.Equal(2, Counter(r, "Udp6", "NoPorts"));
            Assert.Equal(0, Counter(r, "Udp6", "InCsumErrors"));
            Assert.DoesNotContain(r.Entries, c => c.Name.StartsWith("Lite"));
        }

        [Fact]
        public void A_header_and_values_of_different_lengths_are_a_problem_and_the_other_groups_are_read()
        {
            ParseResult<NetCounter> r = SnmpParser.Parse(KernelData.Typed(
                "Udp: InDatagrams NoPorts InErrors",
                "Udp: 1 2",
                "Udp: InDatagrams NoPorts",
                "Udp: 5 x",
                "Udp6NoPorts 7",
                "Udp6InErrors",
                "Ip: Forwarding DefaultTTL",
                "Udp: 1 2"), new TextOrigin("typed"), 1);
            Assert.Equal(new[] { "Udp InDatagrams 5", "Udp6 NoPorts 7" }, r.Entries.Select(c => c.ToString()));
            Assert.Equal(new[] { 2, 4, 6, 7, 8 }, r.Problems.Select(p => p.LineNumber));
            Assert.Contains("3 names and 2 values", r.Problems[0].Message);
        }

        [Fact]
        public void Link_json_gives_each_devices_drops_named_with_their_direction()
        {
            ParseResult<NetCounter> r = LinkStatsParser.ParseCounters(KernelData.Lines("ip-s-j-d-link-a.json"), KernelData.Origin("j"), 1);
            Assert.Empty(r.Problems);
            Assert.Equal(5, Counter(r, "link", "rx_dropped", "va"));
            Assert.Equal(0, Counter(r, "link", "tx_carrier_errors", "va"));
            Assert.Equal(0, Counter(r, "link", "rx_over_errors", "flannel.1"));
            Assert.Equal(new[] { "lo", "va", "flannel.1", "cni0" }, r.Entries.Select(c => c.Device).Distinct());
        }

        [Fact]
        public void Link_text_gives_the_same_counts_as_the_json_under_the_jsons_names()
        {
            ParseResult<NetCounter> json = LinkStatsParser.ParseCounters(KernelData.Lines("ip-s-j-d-link-a.json"), KernelData.Origin("j"), 1);
            ParseResult<NetCounter> text = LinkStatsParser.ParseCounters(KernelData.Lines("ip-s-d-link-a.txt"), KernelData.Origin("t"), 1);
            Assert.Empty(text.Problems);
            // the text's "missed" column is rx_missed_errors, which the JSON leaves out without -s -s, as it leaves over_errors out of the text
            string[] both = { "rx_bytes", "rx_packets", "rx_errors", "rx_dropped", "rx_multicast", "tx_bytes", "tx_packets", "tx_errors", "tx_dropped", "tx_carrier_errors", "tx_collisions" };
            Assert.Equal(json.Entries.Where(c => both.Contains(c.Name)).Select(c => c.ToString()),
                text.Entries.Where(c => both.Contains(c.Name)).Select(c => c.ToString()));
            Assert.Equal(5, Counter(text, "link", "rx_dropped", "va"));
            Assert.Contains(text.Entries, c => c.Name == "rx_missed_errors");
        }

        [Fact]
        public void Link_text_counters_say_the_line_of_their_values()
        {
            string[] lines = KernelData.Lines("ip-s-d-link-a.txt");
            ParseResult<NetCounter> text = LinkStatsParser.ParseCounters(lines, KernelData.Origin("t"), 1);
            NetCounter drop = text.Entries.Single(c => c.Device == "va" && c.Name == "rx_dropped");
            int line = int.Parse(drop.Source.Substring(2));
            Assert.StartsWith("RX:", lines[line - 2].Trim());
            Assert.Contains(" 5 ", " " + lines[line - 1] + " ");
        }

        [Fact]
        public void Malformed_link_text_lines_are_problems_with_their_numbers_and_the_devices_after_them_are_read()
        {
            ParseResult<NetCounter> r = LinkStatsParser.ParseCounters(KernelData.Typed(
                "2: eth0: <BROADCAST,UP> mtu 1500 qdisc noqueue state UP",
                "    RX:  bytes packets errors dropped  missed   mcast",
                "          1.2k      12      0       0       0       0",
                "    TX:  bytes packets errors dropped carrier collsns",
                "          100       2      0       7",
                "garbage",
                "3: flannel.1: <BROADCAST,UP> mtu 1450 qdisc noqueue state UNKNOWN",
                "    RX:  bytes packets errors dropped  missed   mcast",
                "             0       0      0       3       0       0"), new TextOrigin("typed"), 1);
            Assert.Equal(new[] { 3, 5, 6 }, r.Problems.Select(p => p.LineNumber));
            Assert.Equal(12, Counter(r, "link", "rx_packets", "eth0"));
            Assert.Equal(3, Counter(r, "link", "rx_dropped", "flannel.1"));
            Assert.DoesNotContain(r.Entries, c => c.Name.StartsWith("tx_"));
        }

        [Fact]
        public void An_unknown_statistics_header_is_one_problem_its_values_line_goes_with_it_and_the_next_header_is_read()
        {
            ParseResult<NetCounter> r = LinkStatsParser.ParseCounters(KernelData.Typed(
                "2: eth0: <BROADCAST,UP> mtu 1500 qdisc noqueue state UP",
                "    RX:  bytes packets errors dropped  missed   sparkles",
                "          1200      12      0       0       0       0",
                "    TX:  bytes packets errors dropped carrier collsns",
                "          100       2      0       7       0       0"), new TextOrigin("typed"), 1);
            ParseProblem problem = Assert.Single(r.Problems);
            Assert.Equal(2, problem.LineNumber);
            Assert.Contains("'sparkles'", problem.Message);
            Assert.Equal(5, r.LinesRead);
            Assert.DoesNotContain(r.Entries, c => c.Name.StartsWith("rx_"));
            Assert.Equal(7, Counter(r, "link", "tx_dropped", "eth0"));
        }

        [Fact]
        public void Link_json_without_statistics_or_a_name_is_a_problem_per_device_and_bad_json_one_problem()
        {
            ParseResult<NetCounter> r = LinkStatsParser.ParseCounters(KernelData.Typed(
                "[{\"ifname\":\"eth0\"},{\"mtu\":1500},{\"ifname\":\"va\",\"stats64\":{\"rx\":{\"dropped\":4},\"tx\":{\"dropped\":\"x\"}}}]"),
                new TextOrigin("typed"), 3);
            Assert.Equal("va link rx_dropped 4", Assert.Single(r.Entries).ToString());
            Assert.Equal(3, r.Problems.Count);
            Assert.All(r.Problems, p => Assert.Equal(3, p.LineNumber));
            ParseResult<NetCounter> broken = LinkStatsParser.ParseCounters(KernelData.Typed("[{\"ifname\":"), new TextOrigin("typed"), 3);
            Assert.Single(broken.Problems);
            Assert.Empty(LinkStatsParser.ParseXdp(KernelData.Typed("[{\"ifname\":"), new TextOrigin("typed"), 3).Problems);
        }
    }
}
