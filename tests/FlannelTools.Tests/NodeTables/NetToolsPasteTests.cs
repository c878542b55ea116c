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
    }
}
