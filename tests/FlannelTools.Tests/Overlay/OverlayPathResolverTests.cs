using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using FlannelTools.NodeTables;
using FlannelTools.Overlay;
using FlannelTools.Tests.NodeTables;
using Xunit;

namespace FlannelTools.Tests.Overlay
{
    /// <summary>Each lookup rule of path resolution, on the lab's real node1 tables and on small hand-made ones.</summary>
    public class OverlayPathResolverTests
    {
        private static readonly string[] Node1Links = NodeStateData.Lines("healthy/node1/ip-d-link.txt");
        private static readonly string[] Node1Addresses = NodeStateData.Lines("healthy/node1/ip-addr.txt");

        private static FlannelTools.NodeState State(string[] routes, string[] neighbors, string[] fdb)
        {
            var b = new NodeStateBuilder();
            b.AddLinks(Node1Links, new TextOrigin("link"));
            b.AddLinks(Node1Addresses, new TextOrigin("addr"));
            b.AddRoutes(routes, new TextOrigin("route"));
            b.AddNeighbors(neighbors, new TextOrigin("neigh"));
            b.AddFdb(fdb, new TextOrigin("fdb"), 1, "flannel.1");
            Assert.Empty(b.Problems);
            return b.Build("node1", null, "test");
        }

        private static readonly string[] Routes =
        {
            "default via 192.168.0.1 dev eth0",
            "10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1",
            "10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink",
            "192.168.0.0/24 dev eth0 proto kernel scope link src 192.168.0.12",
        };

        private static readonly string[] Neighbors =
        {
            "10.244.2.0 dev flannel.1 lladdr ee:81:17:b0:fd:7b PERMANENT",
            "192.168.0.13 dev eth0 lladdr 0a:d2:1d:9d:dc:f7 STALE",
            "192.168.0.1 dev eth0 lladdr 4e:17:96:46:79:29 REACHABLE",
        };

        private static readonly string[] Fdb = { "ee:81:17:b0:fd:7b dev flannel.1 dst 192.168.0.13 self permanent" };

        private static FlannelNode Node(string name, string cidr, string publicIp, string mac) =>
            new FlannelNode(name, cidr, new[] { cidr }, publicIp, publicIp, null, null, "vxlan", mac, null, 1, true, true, new OrderedDictionary());

        private static void AssertWalkthroughTable(OverlayPath p)
        {
            Assert.Equal(OverlayPathKind.Overlay, p.Kind);
            Assert.Equal(OverlayPathStatus.Resolved, p.Status);
            Assert.Equal("10.244.1.178", p.InnerSourceAddress);
            Assert.Equal("32:73:d8:d1:e9:78", p.InnerSourceMac);
            Assert.Equal("10.244.2.101", p.InnerDestinationAddress);
            Assert.Equal("ee:81:17:b0:fd:7b", p.InnerDestinationMac);
            Assert.Equal("192.168.0.12", p.OuterSourceAddress);
            Assert.Equal("9e:66:01:47:0d:72", p.OuterSourceMac);
            Assert.Equal("192.168.0.13", p.OuterDestinationAddress);
            Assert.Equal("0a:d2:1d:9d:dc:f7", p.OuterDestinationMac);
            Assert.Equal(1, p.Vni);
            Assert.Equal(8472, p.OuterDestinationPort);
            Assert.Equal("flannel.1", p.EgressDevice);
        }

        [Fact]
        public void Resolves_the_walkthrough_from_node1s_real_tables_in_the_kernels_order()
        {
            var b = new NodeStateBuilder();
            FlannelTools.NodeState s = NodeStateReader.ReadDocument(NodeStateData.Lines("healthy/node1.state"), new TextOrigin("node1.state"), b);
            OverlayPath p = OverlayPathResolver.Resolve(s, "10.244.1.178", "10.244.2.101");
            AssertWalkthroughTable(p);
            Assert.Equal(new[] { "interface", "route", "interface", "neighbor", "fdb", "route", "interface", "neighbor" }, p.Steps.Select(x => x.Table));
            Assert.All(p.Steps, x => Assert.Equal(OverlayStepOutcome.Ok, x.Outcome));
            Assert.Equal("10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink", p.Steps[1].Entry);
            Assert.Equal("10.244.2.0 dev flannel.1 lladdr ee:81:17:b0:fd:7b PERMANENT", p.Steps[3].Entry);
            Assert.Equal("ee:81:17:b0:fd:7b dev flannel.1 dst 192.168.0.13 self permanent", p.Steps[4].Entry);
            Assert.Contains("onlink", p.Steps[1].Explanation);
            Assert.Null(p.FailedStep);
        }

        [Fact]
        public void Resolves_the_walkthroughs_four_legacy_lines_assuming_onlink_and_the_underlay_network()
        {
            var b = new NodeStateBuilder();
            b.AddLinks(Node1Links, new TextOrigin("link"));
            b.AddLinks(Node1Addresses, new TextOrigin("addr"));
            b.AddRoutes(new[] { "10.244.2.0 10.244.2.0 255.255.255.0 UG 0 0 0 flannel.1" }, new TextOrigin("route -n"));
            b.AddNeighbors(new[] { "10.244.2.0 ether ee:81:17:b0:fd:7b CM flannel.1", "192.168.0.13 ether 0a:d2:1d:9d:dc:f7 C eth0" }, new TextOrigin("arp"));
            b.AddFdb(new[] { "ee:81:17:b0:fd:7b dst 192.168.0.13 self permanent" }, new TextOrigin("fdb"), 1, "flannel.1");
            OverlayPath p = OverlayPathResolver.Resolve(b.Build(null, null, null), "10.244.1.178", "10.244.2.101");
            AssertWalkthroughTable(p);
            Assert.Contains("onlink is unknown", p.Steps.Single(x => x.Entry != null && x.Entry.StartsWith("10.244.2.0/24")).Explanation);
            OverlayStep assumed = p.Steps.Single(x => x.Outcome == OverlayStepOutcome.Assumed);
            Assert.Equal("route", assumed.Table);
            Assert.Contains("192.168.0.12/24", assumed.Explanation);
        }

        [Fact]
        public void Takes_the_longest_prefix_then_the_lowest_metric()
        {
            var routes = Routes.Concat(new[]
            {
                "10.244.0.0/16 dev eth0 metric 1",
                "10.244.2.0/24 via 192.168.0.13 dev eth0 metric 200",
                "10.244.2.0/24 via 10.244.2.0 dev flannel.1 metric 5 onlink",
            }).Where(r => r != "10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink").ToArray();
            OverlayPath p = OverlayPathResolver.Resolve(State(routes, Neighbors, Fdb), "10.244.1.178", "10.244.2.101");
            Assert.Equal("10.244.2.0/24 via 10.244.2.0 dev flannel.1 metric 5 onlink", p.Steps[1].Entry);
            Assert.Contains("metric 5", p.Steps[1].Explanation);
            Assert.Equal(OverlayPathKind.Overlay, p.Kind);
        }

        [Theory]
        [InlineData("10.244.2.0 dev flannel.1 FAILED", "FAILED")]
        [InlineData("10.244.2.0 dev flannel.1 INCOMPLETE", "INCOMPLETE")]
        public void A_failed_or_incomplete_neighbour_is_not_a_mac(string neighbor, string state)
        {
            OverlayPath p = OverlayPathResolver.Resolve(State(Routes, new[] { neighbor }, Fdb), "10.244.1.178", "10.244.2.101");
            Assert.Equal(OverlayPathStatus.Incomplete, p.Status);
            Assert.Equal("neighbor", p.FailedStep.Table);
            Assert.Contains(state, p.FailedStep.Explanation);
            Assert.Null(p.InnerDestinationMac);
            Assert.Same(p.Steps.Last(), p.FailedStep);
        }

        [Theory]
        [InlineData("STALE")]
        [InlineData("REACHABLE")]
        public void A_learned_neighbour_on_the_vtep_is_used_with_a_warning(string state)
        {
            var neighbors = new[] { "10.244.2.0 dev flannel.1 lladdr ee:81:17:b0:fd:7b " + state }.Concat(Neighbors.Skip(1)).ToArray();
            OverlayPath p = OverlayPathResolver.Resolve(State(Routes, neighbors, Fdb), "10.244.1.178", "10.244.2.101");
            Assert.Equal(OverlayPathStatus.Resolved, p.Status);
            Assert.Equal("ee:81:17:b0:fd:7b", p.InnerDestinationMac);
            OverlayStep step = p.Steps.Single(x => x.Outcome == OverlayStepOutcome.Warning);
            Assert.Equal("neighbor", step.Table);
            Assert.Contains("permanent", step.Explanation);
        }

        [Fact]
        public void A_missing_neighbour_on_the_vtep_fails_naming_the_entry_flannel_programs()
        {
            var nodes = new[] { Node("node2", "10.244.2.0/24", "192.168.0.13", "ee:81:17:b0:fd:7b") };
            OverlayPath p = OverlayPathResolver.Resolve(State(Routes, Neighbors.Skip(1).ToArray(), Fdb), "10.244.1.178", "10.244.2.101", nodes);
            Assert.Equal("neighbor", p.FailedStep.Table);
            Assert.Contains("ip neigh replace 10.244.2.0 lladdr ee:81:17:b0:fd:7b dev flannel.1 nud permanent", p.FailedStep.Explanation);
        }

        [Fact]
        public void Without_an_fdb_entry_the_packet_is_dropped_as_flannel_programs_no_default_entry()
        {
            OverlayPath p = OverlayPathResolver.Resolve(State(Routes, Neighbors, new string[0]), "10.244.1.178", "10.244.2.101");
            Assert.Equal(OverlayPathStatus.Incomplete, p.Status);
            Assert.Equal("fdb", p.FailedStep.Table);
            Assert.Contains("ee:81:17:b0:fd:7b", p.FailedStep.Explanation);
            Assert.Contains("00:00:00:00:00:00", p.FailedStep.Explanation);
            Assert.Contains("tx_dropped", p.FailedStep.Explanation);
            Assert.Null(p.OuterDestinationAddress);
        }

        [Fact]
        public void An_all_zeros_default_entry_is_used_with_a_warning()
        {
            OverlayPath p = OverlayPathResolver.Resolve(State(Routes, Neighbors, new[] { "00:00:00:00:00:00 dev flannel.1 dst 192.168.0.13 self permanent" }),
                "10.244.1.178", "10.244.2.101");
            Assert.Equal(OverlayPathStatus.Resolved, p.Status);
            Assert.Equal("192.168.0.13", p.OuterDestinationAddress);
            Assert.Equal(OverlayStepOutcome.Warning, p.Steps.Single(x => x.Table == "fdb").Outcome);
        }

        [Fact]
        public void An_fdb_entry_to_another_node_than_the_subnets_owner_fails_with_minus_node()
        {
            var nodes = new[] { Node("node2", "10.244.2.0/24", "192.168.0.13", "ee:81:17:b0:fd:7b"), Node("master", "10.244.0.0/24", "192.168.0.11", "02:f1:a4:00:00:0b") };
            var fdb = new[] { "ee:81:17:b0:fd:7b dev flannel.1 dst 192.168.0.11 self permanent" };
            OverlayPath p = OverlayPathResolver.Resolve(State(Routes, Neighbors, fdb), "10.244.1.178", "10.244.2.101", nodes);
            Assert.Equal("fdb", p.FailedStep.Table);
            Assert.Contains("192.168.0.11 (master)", p.FailedStep.Explanation);
            Assert.Contains("node2, whose public-ip is 192.168.0.13", p.FailedStep.Explanation);
        }

        [Fact]
        public void A_neighbour_mac_the_owner_no_longer_announces_fails_with_minus_node()
        {
            var nodes = new[] { Node("node2", "10.244.2.0/24", "192.168.0.13", "5a:00:00:00:00:02") };
            OverlayPath p = OverlayPathResolver.Resolve(State(Routes, Neighbors, Fdb), "10.244.1.178", "10.244.2.101", nodes);
            Assert.Equal("neighbor", p.FailedStep.Table);
            Assert.Contains("5a:00:00:00:00:02", p.FailedStep.Explanation);
            Assert.Contains("stale", p.FailedStep.Explanation);
        }

        [Fact]
        public void A_remote_vtep_behind_an_underlay_gateway_takes_the_gateways_mac()
        {
            var routes = Routes.Concat(new[] { "192.168.7.0/24 via 192.168.0.1 dev eth0" }).ToArray();
            var fdb = new[] { "ee:81:17:b0:fd:7b dev flannel.1 dst 192.168.7.13 self permanent" };
            OverlayPath p = OverlayPathResolver.Resolve(State(routes, Neighbors, fdb), "10.244.1.178", "10.244.2.101");
            Assert.Equal("192.168.7.13", p.OuterDestinationAddress);
            Assert.Equal("4e:17:96:46:79:29", p.OuterDestinationMac);
            Assert.Contains("gateway 192.168.0.1", p.Steps[5].Explanation);
        }

        [Fact]
        public void A_missing_underlay_neighbour_is_a_warning_as_the_kernel_arps()
        {
            OverlayPath p = OverlayPathResolver.Resolve(State(Routes, Neighbors.Take(1).ToArray(), Fdb), "10.244.1.178", "10.244.2.101");
            Assert.Equal(OverlayPathStatus.Resolved, p.Status);
            Assert.Null(p.OuterDestinationMac);
            Assert.Contains("ARPs", p.Steps.Last().Explanation);
            Assert.Equal(OverlayStepOutcome.Warning, p.Steps.Last().Outcome);
        }

        [Fact]
        public void A_route_that_does_not_enter_the_vtep_is_underlay_and_names_flannels_missing_route()
        {
            var nodes = new[] { Node("node2", "10.244.2.0/24", "192.168.0.13", "ee:81:17:b0:fd:7b") };
            var routes = Routes.Where(r => !r.Contains("flannel.1")).ToArray();
            OverlayPath p = OverlayPathResolver.Resolve(State(routes, Neighbors, Fdb), "10.244.1.178", "10.244.2.101", nodes);
            Assert.Equal(OverlayPathKind.Underlay, p.Kind);
            Assert.Equal(OverlayPathStatus.Incomplete, p.Status);
            Assert.Equal("default via 192.168.0.1 dev eth0", p.FailedStep.Entry);
            Assert.Contains("10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink is missing", p.FailedStep.Explanation);
            Assert.Equal("eth0", p.EgressDevice);
        }

        [Fact]
        public void A_pod_on_the_same_node_is_across_the_local_bridge()
        {
            OverlayPath p = OverlayPathResolver.Resolve(State(Routes, Neighbors, Fdb), "10.244.1.178", "10.244.1.179");
            Assert.Equal(OverlayPathKind.LocalBridge, p.Kind);
            Assert.Equal(OverlayPathStatus.Resolved, p.Status);
            Assert.Equal("cni0", p.EgressDevice);
            Assert.Null(p.OuterDestinationAddress);
        }

        [Fact]
        public void A_directrouting_route_to_the_node_is_direct()
        {
            var nodes = new[] { Node("node2", "10.244.2.0/24", "192.168.0.13", "ee:81:17:b0:fd:7b") };
            var routes = Routes.Where(r => !r.Contains("flannel.1")).Concat(new[] { "10.244.2.0/24 via 192.168.0.13 dev eth0" }).ToArray();
            OverlayPath p = OverlayPathResolver.Resolve(State(routes, Neighbors, Fdb), "10.244.1.178", "10.244.2.101", nodes);
            Assert.Equal(OverlayPathKind.Direct, p.Kind);
            Assert.Equal(OverlayPathStatus.Resolved, p.Status);
            Assert.Equal("192.168.0.13 dev eth0 lladdr 0a:d2:1d:9d:dc:f7 STALE", p.Steps.Last().Entry);
            Assert.Null(p.InnerDestinationMac);
        }

        [Fact]
        public void Resolves_ipv6_through_flannel_v6_with_its_128_next_hop_and_the_vteps_vni_and_port()
        {
            var b = new NodeStateBuilder();
            FlannelTools.NodeState s = NodeStateReader.ReadDocument(NodeStateData.Lines("dualstack-4096/node1.state"), new TextOrigin("node1.state"), b);
            OverlayPath p = OverlayPathResolver.Resolve(s, "fd10:244:1::178", "fd10:244:2::101");
            Assert.Equal(OverlayPathStatus.Resolved, p.Status);
            Assert.Equal("flannel-v6.4096", p.EgressDevice);
            Assert.Equal(4096, p.Vni);
            Assert.Equal(4789, p.OuterDestinationPort);
            Assert.Equal(s.VtepV6.MacAddress, p.InnerSourceMac);
            Assert.Equal("02:f1:a6:00:00:0d", p.InnerDestinationMac);
            Assert.Equal("fd00::12", p.OuterSourceAddress);
            Assert.Equal("fd00::13", p.OuterDestinationAddress);
            Assert.Equal("9e:66:01:47:0d:72", p.OuterSourceMac);
            Assert.StartsWith("fd10:244:2:: dev flannel-v6.4096", p.Steps.Single(x => x.Table == "neighbor" && x.Field == "InnerDestinationMac").Entry);
            OverlayPath v4 = OverlayPathResolver.Resolve(s, "10.244.1.178", "10.244.2.101");
            Assert.Equal(4096, v4.Vni);
            Assert.Equal(4789, v4.OuterDestinationPort);
            Assert.Equal("flannel.4096", v4.EgressDevice);
        }

        [Fact]
        public void Compares_captured_frames_of_the_pair_field_by_field()
        {
            OverlayPath p = OverlayPathResolver.Resolve(State(Routes, Neighbors, Fdb), "10.244.1.178", "10.244.2.101");
            CapturedHeaders Frame(long n, string innerDstMac, string src = "10.244.1.178", string dst = "10.244.2.101") => new CapturedHeaders
            {
                FrameNumber = n, InnerSourceAddress = src, InnerDestinationAddress = dst, InnerSourceMac = "32:73:d8:d1:e9:78",
                InnerDestinationMac = innerDstMac, OuterSourceAddress = "192.168.0.12", OuterDestinationAddress = "192.168.0.13",
                OuterSourceMac = "9e:66:01:47:0d:72", OuterDestinationMac = "0a:d2:1d:9d:dc:f7", Vni = 1, OuterDestinationPort = 8472,
            };
            OverlayPathResolver.Compare(p, new[]
            {
                Frame(1, "ee:81:17:b0:fd:7b"), Frame(2, "EE-81-17-B0-FD-7B"), Frame(3, "5a:00:00:00:00:02"), Frame(5, "5a:00:00:00:00:02"),
                Frame(4, "5a:00:00:00:00:02", "10.244.2.101", "10.244.1.178"),
            });
            Assert.Equal(2, p.Observed);
            OverlayMismatch m = Assert.Single(p.Mismatches);
            Assert.Equal(("InnerDestinationMac", "ee:81:17:b0:fd:7b", "5a:00:00:00:00:02", 2, 3L), (m.Field, m.Predicted, m.Observed, m.Frames, m.FirstFrameNumber));
        }

        [Fact]
        public void A_step_prints_as_one_line_with_its_entry_field_and_reason()
        {
            OverlayPath p = OverlayPathResolver.Resolve(State(Routes, Neighbors, new string[0]), "10.244.1.178", "10.244.2.101");
            Assert.StartsWith("4 neighbor  10.244.2.0 dev flannel.1 lladdr ee:81:17:b0:fd:7b PERMANENT => InnerDestinationMac ee:81:17:b0:fd:7b: ", p.Steps[3].ToString());
            Assert.StartsWith("5 fdb       [FAILED] (no entry) => OuterDestinationAddress: no FDB entry", p.Steps[4].ToString());
        }
    }
}
