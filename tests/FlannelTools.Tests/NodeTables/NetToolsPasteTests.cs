using System.Linq;
using FlannelTools.NodeTables;
using Xunit;

namespace FlannelTools.Tests.NodeTables
{
    /// <summary>net-tools' other forms as pasted (tests/data/nodestate/pasted): netstat -rn, arp -e, arp -na.</summary>
    public class NetToolsPasteTests
    {
        private static FlannelTools.NodeState Read(string file, System.Action<NodeStateBuilder, System.Collections.Generic.IList<string>> add, out NodeStateBuilder b)
        {
            b = new NodeStateBuilder();
            add(b, NodeStateData.Lines("pasted/" + file).ToList());
            return b.Build(null, null, file);
        }

        [Fact]
        public void Netstat_rn_gives_the_routes_of_route_n_without_taking_mss_for_a_metric()
        {
            FlannelTools.NodeState s = Read("netstat-rn.txt", (b, l) => b.AddRoutes(l, new TextOrigin("pasted")), out NodeStateBuilder builder);
            Assert.Equal(new[] { ("default", "192.168.0.1", "eth0"), ("10.244.0.0/24", "10.244.0.0", "flannel.1"), ("10.244.1.0/24", null, "cni0"),
                                 ("10.244.2.0/24", "10.244.2.0", "flannel.1"), ("192.168.0.0/24", null, "eth0") },
                s.Routes.Select(r => (r.Destination, r.Gateway, r.Device)));
            Assert.All(s.Routes, r => Assert.Null(r.Metric));
            Assert.DoesNotContain(builder.Problems, p => !p.IsNote);
        }

        [Fact]
        public void Route_n_still_reads_its_metric_column()
        {
            var b = new NodeStateBuilder();
            b.AddRoutes(NodeStateData.Lines("healthy/node1/route-n.txt").ToList(), new TextOrigin("route-n"));
            Assert.All(b.Build(null, null, null).Routes, r => Assert.Equal(0, r.Metric));
        }

        [Theory]
        [InlineData("arp-e.txt")]
        [InlineData("arp-na.txt")]
        public void Arp_e_and_arp_na_give_the_overlay_and_underlay_neighbours(string file)
        {
            FlannelTools.NodeState s = Read(file, (b, l) => b.AddNeighbors(l, new TextOrigin("pasted")), out NodeStateBuilder builder);
            Assert.Equal(new[] { ("10.244.2.0", "ee:81:17:b0:fd:7b", "flannel.1", "PERMANENT"), ("192.168.0.1", "2e:50:fc:57:11:1c", "eth0", "VALID"),
                                 ("10.244.0.0", "02:f1:a4:00:00:0b", "flannel.1", "PERMANENT") },
                s.Neighbors.Select(n => (n.Address, n.MacAddress, n.Device, n.State)));
            Assert.DoesNotContain(builder.Problems, p => !p.IsNote);
        }
            private static FlannelTools.NodeState Routes(string file, out NodeStateBuilder b) =>
            Read(file, (builder, l) => builder.AddRoutes(l, new TextOrigin("pasted")), out b);

        [Fact]
        public void Route_without_n_keeps_default_and_the_gateway_name_marked_unresolved_and_drops_a_network_name_with_a_warning()
        {
            FlannelTools.NodeState s = Routes("route-names.txt", out NodeStateBuilder b);
            Route def = s.Routes[0];
            Assert.Equal(("default", "gateway", true, "eth0"), (def.Destination, def.Gateway, def.GatewayUnresolved, def.Device));
            Assert.Equal(5, s.Routes.Count);
            Assert.All(s.Routes.Skip(1), r => Assert.False(r.GatewayUnresolved));
            Assert.DoesNotContain(b.Problems, p => !p.IsNote);

            FlannelTools.NodeState named = Routes("route-names-networks.txt", out NodeStateBuilder nb);
            Assert.DoesNotContain(named.Routes, r => r.Destination == "10.244.2.0/24");
            ParseProblem warning = Assert.Single(nb.Problems, p => !p.IsNote);
            Assert.Equal(7, warning.LineNumber);
            Assert.Contains("node2-pods", warning.Line);
        }

        [Fact]
        public void Route_without_n_star_gateway_is_a_connected_route_and_a_redacted_gateway_is_kept_unresolved_with_a_warning()
        {
            FlannelTools.NodeState s = Routes("route-names-redacted.txt", out NodeStateBuilder b);
            Assert.Equal(5, s.Routes.Count);
            Route redacted = s.Routes.Single(r => r.Destination == "10.244.2.0/24");
            Assert.Equal(("10.xx.xx.0", true), (redacted.Gateway, redacted.GatewayUnresolved));
            Route star = s.Routes.Single(r => r.Destination == "192.168.0.0/24");
            Assert.Null(star.Gateway);
            ParseProblem warning = Assert.Single(b.Problems, p => !p.IsNote);
            Assert.Equal(7, warning.LineNumber);
            Assert.Contains("redacted gateway", warning.Message);
        }

        [Fact]
        public void Ip_route_with_a_redacted_gateway_keeps_the_route_and_a_redacted_destination_drops_the_line_each_with_a_warning()
        {
            FlannelTools.NodeState s = Routes("ip-route-redacted.txt", out NodeStateBuilder b);
            Assert.Equal(new[] { "default", "10.244.1.0/24", "10.244.2.0/24", "192.168.0.0/24" }, s.Routes.Select(r => r.Destination));
            Assert.Equal(("192.168.xx.1", true, "inet"), (s.Routes[0].Gateway, s.Routes[0].GatewayUnresolved, s.Routes[0].Family));
            var warnings = b.Problems.Where(p => !p.IsNote).ToList();
            Assert.Equal(new[] { 2, 3 }, warnings.Select(w => w.LineNumber));
            Assert.Contains("redacted gateway", warnings[0].Message);
            Assert.Contains("redacted destination", warnings[1].Message);
        }

        [Theory]
        [InlineData("10.xx.xx.1", true)]
        [InlineData("*.*.*.1", true)]
        [InlineData("192.168.X.0/24", true)]
        [InlineData("10.244.2.0", false)]
        [InlineData("gateway", false)]
        [InlineData("*", false)]
        public void Redacted_addresses_are_told_from_addresses_and_names(string text, bool redacted) =>
            Assert.Equal(redacted, Tokens.IsRedacted(text));
    }
}
