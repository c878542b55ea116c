using System.Globalization;
using System.Linq;
using System.Threading;
using FlannelTools.NodeTables;
using Xunit;

namespace FlannelTools.Tests.NodeTables
{
    public class WalkthroughLineTests
    {
        private static readonly TextOrigin Pasted = new TextOrigin("pasted");

        [Fact]
        public void RouteN_line_of_the_walkthrough_is_the_route_to_node2s_pod_subnet()
        {
            Route route = NetToolsParser.ParseRoute("10.244.2.0 10.244.2.0 255.255.255.0 UG 0 0 0 flannel.1", "pasted:1");
            Assert.Equal("10.244.2.0/24", route.Destination);
            Assert.Equal("10.244.2.0", route.Gateway);
            Assert.Equal("flannel.1", route.Device);
            Assert.Equal("inet", route.Family);
            Assert.Equal(0, route.Metric);
            Assert.Empty(route.Flags);
        }

        [Fact]
        public void Arp_line_of_the_walkthrough_is_a_permanent_entry_on_flannel1()
        {
            Neighbor n = NetToolsParser.ParseNeighbor("10.244.2.0 ether ee:81:17:b0:fd:7b CM flannel.1", "pasted:1");
            Assert.Equal(("10.244.2.0", "ee:81:17:b0:fd:7b", "flannel.1", "PERMANENT"), (n.Address, n.MacAddress, n.Device, n.State));
        }

        [Fact]
        public void Underlay_arp_line_of_the_walkthrough_is_a_valid_entry_on_eth0()
        {
            Neighbor n = NetToolsParser.ParseNeighbor("192.168.0.13 ether 0a:d2:1d:9d:dc:f7 C eth0", "pasted:1");
            Assert.Equal(("192.168.0.13", "0a:d2:1d:9d:dc:f7", "eth0", "VALID"), (n.Address, n.MacAddress, n.Device, n.State));
        }

        [Fact]
        public void Fdb_line_of_the_walkthrough_has_no_device_and_takes_the_default()
        {
            FdbEntry e = IprouteTextParser.ParseFdbEntry("ee:81:17:b0:fd:7b dst 192.168.0.13 self permanent", "pasted:1");
            Assert.Equal(("ee:81:17:b0:fd:7b", "192.168.0.13", null, "permanent"), (e.MacAddress, e.Destination, e.Device, e.State));
            Assert.Equal("self", e.Flags.ToString());
            Assert.Equal("flannel.1", IprouteTextParser.ParseFdbEntry("ee:81:17:b0:fd:7b dst 192.168.0.13 self permanent", "x", "flannel.1").Device);
        }

        [Fact]
        public void The_four_lines_make_a_state_whose_lookups_give_the_walkthroughs_headers()
        {
            var b = new NodeStateBuilder();
            b.AddRoutes(new[] { "10.244.2.0 10.244.2.0 255.255.255.0 UG 0 0 0 flannel.1" }, Pasted);
            b.AddNeighbors(new[] { "10.244.2.0 ether ee:81:17:b0:fd:7b CM flannel.1", "192.168.0.13 ether 0a:d2:1d:9d:dc:f7 C eth0" }, Pasted);
            b.AddFdb(new[] { "ee:81:17:b0:fd:7b dst 192.168.0.13 self permanent" }, Pasted, 1, "flannel.1");
            FlannelTools.NodeState s = b.Build(null, null, "pasted");
            Route route = s.FindRoute("10.244.2.101");
            Neighbor next = s.FindNeighbor(route.Gateway, route.Device);
            FdbEntry fdb = s.FindFdb(next.MacAddress, "flannel.1").Single();
            Assert.Equal("ee:81:17:b0:fd:7b", next.MacAddress);
            Assert.Equal("192.168.0.13", fdb.Destination);
            Assert.Equal("0a:d2:1d:9d:dc:f7", s.FindNeighbor(fdb.Destination, "eth0").MacAddress);
            Assert.Empty(b.Problems);
        }
    }

    public class MalformedLineTests
    {
        private static readonly TextOrigin Pasted = new TextOrigin("node1.txt");

        // Found by afl (issue 12): a device index past int's range threw OverflowException out of the link parser.
        [Fact]
        public void A_device_line_whose_index_is_out_of_range_is_a_problem_and_the_next_device_is_still_read()
        {
            var lines = new[]
            {
                "30000000000000000000: f: <BROADCAST,UP> mtu 1500 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000",
                "    link/ether 02:f1:a4:00:00:0b brd ff:ff:ff:ff:ff:ff",
                "7: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default",
            };

            ParseResult<Interface> r = IprouteTextParser.ParseLinks(lines, Pasted, new System.Collections.Generic.List<Vtep>());

            Assert.Contains("out of range", Assert.Single(r.Problems, p => p.LineNumber == 1).Message);
            Assert.Equal((7, "flannel.1"), (r.Entries.Single().Index, r.Entries.Single().Name));
        }

        [Theory]
        [InlineData("10.244.2.0 10.244.2.0 255.255.255.0 UG 0 0 0")]          // truncated: no Iface
        [InlineData("10.244.2.0 10.244.2.0 255.255.0.255 UG 0 0 0 flannel.1")]  // non-contiguous mask
        [InlineData("default 10.244.2.0 255.255.255.0 UG 0 0 0 flannel.1")]    // names (route without -n) go to ip route: not a route either
        [InlineData("10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink bogus")]
        [InlineData("10.244.2.0/33 via 10.244.2.0 dev flannel.1")]
        [InlineData("10.244.2.0/24 via")]
        [InlineData("10.244.2.0/24 via 10.244.2.0 dev flannel.1 table local")]
        public void An_unreadable_route_line_is_a_problem_and_the_next_line_is_still_read(string bad)
        {
            var b = new NodeStateBuilder();
            b.AddRoutes(new[] { bad, "10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink" }, Pasted);
            FlannelTools.NodeState s = b.Build(null, null, null);
            Assert.Single(s.Routes);
            Assert.Equal("10.244.0.0/24", s.Routes[0].Destination);
            ParseProblem p = Assert.Single(b.Problems);
            Assert.Equal(1, p.LineNumber);
            Assert.Equal(bad, p.Line);
            Assert.StartsWith("node1.txt:1: ", p.ToString());
            Assert.Equal(2, b.LinesRead);
        }

        [Theory]
        [InlineData("10.244.2.0 dev flannel.1 lladdr ee:81:17:b0:fd")]            // truncated MAC
        [InlineData("10.244.2.0 dev flannel.1 lladdr ee:81:17:b0:fd:7b")]         // no state: truncated
        [InlineData("10.244.2.0 dev flannel.1 lladdr ee:81:17:b0:fd:7b WEIRD")]
        [InlineData("_gateway ether 4e:17:96:46:79:29 C eth0")]                    // arp without -n
        [InlineData("10.244.2.0 ether ee:81:17:b0:fd:7b XY flannel.1")]
        [InlineData("10.244.2.0 ether ee:81:17:b0:fd:7b")]
        public void An_unreadable_neighbour_line_is_a_problem_not_an_entry(string bad)
        {
            var b = new NodeStateBuilder();
            b.AddNeighbors(new[] { "Address HWtype HWaddress Flags Mask Iface", bad, "10.244.0.0 dev flannel.1 lladdr 02:f1:a4:00:00:0b PERMANENT" }, Pasted);
            FlannelTools.NodeState s = b.Build(null, null, null);
            Assert.Equal("10.244.0.0", Assert.Single(s.Neighbors).Address);
            Assert.Equal(2, Assert.Single(b.Problems).LineNumber);
        }

        [Theory]
        [InlineData("ee:81:17:b0:fd dst 192.168.0.13 self permanent")]
        [InlineData("ee:81:17:b0:fd:7b dst 192.168.0.")]
        [InlineData("ee:81:17:b0:fd:7b dst")]
        [InlineData("ee:81:17:b0:fd:7b dev flannel.1 dst 192.168.0.13 self permanent frobnicate")]
        [InlineData("Deleted ee:81:17:b0:fd:7b dev flannel.1 dst 192.168.0.13 self permanent")]
        public void An_unreadable_fdb_line_is_a_problem_not_an_entry(string bad)
        {
            ParseResult<FdbEntry> r = IprouteTextParser.ParseFdb(new[] { bad, "02:f1:a4:00:00:0b dev flannel.1 dst 192.168.0.11 self permanent" }, Pasted);
            Assert.Equal("192.168.0.11", Assert.Single(r.Entries).Destination);
            Assert.Equal(1, Assert.Single(r.Problems).LineNumber);
        }

        [Fact]
        public void Truncated_json_is_one_problem_and_no_entries()
        {
            string json = NodeStateData.Text("healthy/node1/bridge-j-fdb.json");
            ParseResult<FdbEntry> r = IprouteJsonParser.ParseFdb(json.Substring(0, json.Length / 2), Pasted);
            Assert.Empty(r.Entries);
            Assert.Contains("Not valid JSON", Assert.Single(r.Problems).Message);
        }

        [Fact]
        public void A_json_element_without_a_mac_is_a_problem_and_the_others_are_read()
        {
            ParseResult<FdbEntry> r = IprouteJsonParser.ParseFdb(
                "[{\"ifname\":\"flannel.1\",\"dst\":\"192.168.0.13\"},{\"mac\":\"02:f1:a4:00:00:0b\",\"ifname\":\"flannel.1\",\"dst\":\"192.168.0.11\",\"flags\":[\"self\"],\"state\":\"permanent\"}]", Pasted);
            Assert.Single(r.Entries);
            Assert.Contains("FDB entry 1", Assert.Single(r.Problems).Message);
        }
    }

    public class FdbFormTests
    {
        [Theory]
        [InlineData("aa:bb:cc:dd:ee:ff dev vxlan0 dst 10.0.0.2 port 4789 vni 4096 via eth1 self permanent", "vxlan0", "self", "permanent")]
        [InlineData("aa:bb:cc:dd:ee:ff dev swp1 vlan 100 master br0 extern_learn offload sticky", "swp1", "extern_learn,offload,sticky", null)]
        [InlineData("aa:bb:cc:dd:ee:ff dev swp1 master br0 static", "swp1", "", "static")]
        [InlineData("aa:bb:cc:dd:ee:ff dev swp1 self master router stale", "swp1", "self,master,router", "stale")]
        [InlineData("00:00:00:00:00:00 dev flannel.1 dst 192.168.0.13 src_vni 1 nhid 5 link-netnsid 0 self permanent", "flannel.1", "self", "permanent")]
        public void Reads_every_kernels_flag_words(string line, string device, string flags, string state)
        {
            FdbEntry e = IprouteTextParser.ParseFdbEntry(line, "t:1");
            Assert.Equal(device, e.Device);
            Assert.Equal(flags, e.Flags.ToString());
            Assert.Equal(state, e.State);
        }

        [Fact]
        public void Reads_vni_port_vlan_via_and_master()
        {
            FdbEntry a = IprouteTextParser.ParseFdbEntry("aa:bb:cc:dd:ee:ff dev vxlan0 dst 10.0.0.2 port 4789 vni 4096 via eth1 self permanent", "t:1");
            Assert.Equal((4789, 4096, "eth1"), (a.Port.Value, a.Vni.Value, a.Via));
            FdbEntry b = IprouteTextParser.ParseFdbEntry("AA-BB-CC-DD-EE-FF dev swp1 vlan 100 master br0 extern_learn", "t:1");
            Assert.Equal(("aa:bb:cc:dd:ee:ff", 100, "br0"), (b.MacAddress, b.Vlan.Value, b.Master));
        }

        [Fact]
        public void Statistics_form_and_its_json_give_the_same_entries()
        {
            ParseResult<FdbEntry> text = IprouteTextParser.ParseFdb(NodeStateData.Lines("node1-extra/bridge-s-fdb-dev-flannel.1.txt"), new TextOrigin("t"), 1, "flannel.1");
            ParseResult<FdbEntry> json = IprouteJsonParser.ParseFdb(NodeStateData.Text("node1-extra/bridge-s-j-fdb-dev-flannel.1.json"), new TextOrigin("j"), 1, "flannel.1");
            Assert.Empty(text.Problems);
            Assert.Empty(json.Problems);
            Assert.Equal(new[] { "ee:81:17:b0:fd:7b dev flannel.1 dst 192.168.0.13 self permanent", "02:f1:a4:00:00:0b dev flannel.1 dst 192.168.0.11 self permanent" },
                text.Entries.Select(e => e.ToString()));
            Assert.Equal(text.Entries.Select(e => e.ToString()), json.Entries.Select(e => e.ToString()));
        }
    }

    public class NeighborFormTests
    {
        [Fact]
        public void Incomplete_entries_have_no_mac_in_every_form()
        {
            foreach (string file in new[] { "node1-extra/ip-neigh.txt", "node1-extra/arp-n.txt", "node1-extra/arp-a.txt", "node1-extra/ip-j-neigh.json" })
            {
                var b = new NodeStateBuilder();
                b.AddNeighbors(NodeStateData.Lines(file), new TextOrigin(file));
                FlannelTools.NodeState s = b.Build(null, null, null);
                Assert.Empty(b.Problems);
                Neighbor n = s.FindNeighbor("192.168.0.99", "eth0");
                Assert.Equal("INCOMPLETE", n.State);
                Assert.Null(n.MacAddress);
                Assert.Equal("PERMANENT", s.FindNeighbor("10.244.2.0", "flannel.1").State);
                Assert.Equal("ee:81:17:b0:fd:7b", s.FindNeighbor("10.244.2.0").MacAddress);
            }
        }

        [Fact]
        public void Ip_neigh_router_flag_and_state_are_kept()
        {
            Neighbor n = IprouteTextParser.ParseNeighbor("fd00::13 dev eth0 lladdr 0a:d2:1d:9d:dc:f7 router REACHABLE", "t:1");
            Assert.Equal(("router", "REACHABLE"), (n.Flags.ToString(), n.State));
        }
    }

    public class RouteFormTests
    {
        [Fact]
        public void Route_n_inet6_reads_prefixes_and_next_hops()
        {
            var b = new NodeStateBuilder();
            b.AddRoutes(NodeStateData.Lines("node1-extra/route-n-inet6.txt"), new TextOrigin("r6"));
            Assert.Empty(b.Problems);
            FlannelTools.NodeState s = b.Build(null, null, null);
            Assert.All(s.Routes, r => Assert.Equal("inet6", r.Family));
            Assert.Contains(s.Routes, r => r.Destination == "fe80::/64" && r.Device == "flannel.1" && r.Gateway == null && r.Metric == 256);
        }

        [Fact]
        public void Longest_prefix_then_lowest_metric_wins()
        {
            var b = new NodeStateBuilder();
            b.AddRoutes(new[]
            {
                "default via 192.168.0.1 dev eth0",
                "10.244.0.0/16 dev cni0 metric 5",
                "10.244.2.0/24 via 10.244.2.0 dev flannel.1 metric 100 onlink",
                "10.244.2.0/24 via 10.244.2.0 dev flannel.2 metric 10 onlink",
                "unreachable 10.99.0.0/16",
            }, new TextOrigin("t"));
            FlannelTools.NodeState s = b.Build(null, null, null);
            Assert.Equal("flannel.2", s.FindRoute("10.244.2.101").Device);
            Assert.Equal("cni0", s.FindRoute("10.244.7.1").Device);
            Assert.Equal("eth0", s.FindRoute("8.8.8.8").Device);
            Assert.Equal("unreachable", s.FindRoute("10.99.1.1").Type);
            Assert.Null(s.FindRoute("fd00::1"));
        }

        [Fact]
        public void Ipv6_default_is_told_apart_by_its_gateway()
        {
            Route r = IprouteTextParser.ParseRoute("default via fd00::1 dev eth0 metric 1024 pref medium", "t:1");
            Assert.Equal(("inet6", "default", "fd00::1", 1024), (r.Family, r.Destination, r.Gateway, r.Metric.Value));
            Assert.Equal("fd10:244:1::/128", IprouteTextParser.ParseRoute("fd10:244:1:: dev flannel-v6.4096 proto kernel metric 256 pref medium", "t:1").Destination);
        }
    }

    public class CultureTests
    {
        [Fact]
        public void Parses_the_same_under_tr_TR()
        {
            CultureInfo saved = CultureInfo.CurrentCulture;
            CultureInfo savedUi = CultureInfo.CurrentUICulture;
            try
            {
                CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = new CultureInfo("tr-TR");
                var b = new NodeStateBuilder();
                FlannelTools.NodeState s = NodeStateReader.ReadDocument(NodeStateData.Lines("dualstack-4096/node1.state"), new TextOrigin("n"), b);
                Assert.Empty(b.Problems);
                Assert.Equal("flannel.4096", s.Vtep.Name);
                Assert.Equal(4096, s.Vtep.Vni);
                Assert.Equal("fd00::12", s.VtepV6.LocalAddress);
                Assert.Equal("INCOMPLETE", NetToolsParser.ParseNeighbor("192.168.0.99 (incomplete) eth0", "t").State);
                Assert.Equal("10.244.2.0/24", NetToolsParser.ParseRoute("10.244.2.0 10.244.2.0 255.255.255.0 UG 0 0 0 flannel.1", "t").Destination);
                Assert.Equal("FAILED", IprouteTextParser.ParseNeighbor("10.1.1.1 dev eth0 FAILED", "t").State);
                Assert.Equal("flannel.4096 vxlan id 4096 local 192.168.0.12 dev eth0 dstport 4789", s.Vtep.ToString());
            }
            finally
            {
                CultureInfo.CurrentCulture = saved;
                CultureInfo.CurrentUICulture = savedUi;
            }
        }
    }
}
