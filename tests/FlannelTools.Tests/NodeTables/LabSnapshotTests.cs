using System.Collections.Generic;
using System.Linq;
using FlannelTools.NodeTables;
using Xunit;

namespace FlannelTools.Tests.NodeTables
{
    /// <summary>Every form of the lab's real node1 tables (tests/data/nodestate) reads to the same entries.</summary>
    public class LabSnapshotTests
    {
        private static FlannelTools.NodeState Read(System.Action<NodeStateBuilder> add)
        {
            var b = new NodeStateBuilder();
            add(b);
            Assert.Empty(b.Problems);
            return b.Build(null, null, null);
        }

        private static List<string> Lines(string file) => NodeStateData.Lines(file).ToList();

        [Theory]
        [InlineData("healthy")]
        [InlineData("dualstack-4096")]
        public void Ip_route_text_and_json_give_the_same_routes(string lab)
        {
            var text = Read(b =>
            {
                b.AddRoutes(Lines(lab + "/node1/ip-route.txt"), new TextOrigin("t"));
                b.AddRoutes(Lines(lab + "/node1/ip-6-route.txt"), new TextOrigin("t6"), 1, "inet6");
            });
            var json = Read(b =>
            {
                b.AddRoutes(Lines(lab + "/node1/ip-j-route.json"), new TextOrigin("j"));
                b.AddRoutes(Lines(lab + "/node1/ip-j-6-route.json"), new TextOrigin("j6"), 1, "inet6");
            });
            Assert.Equal(text.Routes.Select(r => r.Family + " " + r), json.Routes.Select(r => r.Family + " " + r));
            Assert.Contains(json.Routes, r => r.Destination == "10.244.2.0/24" && r.Gateway == "10.244.2.0" && r.Flags.Has("onlink"));
        }

        [Fact]
        public void Route_n_gives_the_ipv4_routes_of_ip_route_without_what_it_cannot_show()
        {
            var ip = Read(b => b.AddRoutes(Lines("healthy/node1/ip-route.txt"), new TextOrigin("t")));
            var net = Read(b => b.AddRoutes(Lines("healthy/node1/route-n.txt"), new TextOrigin("n")));
            Assert.Equal(ip.Routes.Select(r => (r.Destination, r.Gateway, r.Device)), net.Routes.Select(r => (r.Destination, r.Gateway, r.Device)));
        }

        [Fact]
        public void Ip_neigh_json_and_arp_give_the_same_neighbours()
        {
            var text = Read(b => b.AddNeighbors(Lines("healthy/node1/ip-neigh.txt"), new TextOrigin("t")));
            var json = Read(b => b.AddNeighbors(Lines("healthy/node1/ip-j-neigh.json"), new TextOrigin("j")));
            var arp = Read(b => b.AddNeighbors(Lines("healthy/node1/arp-n.txt"), new TextOrigin("a")));
            Assert.Equal(text.Neighbors.Select(n => n.ToString()), json.Neighbors.Select(n => n.ToString()));
            Assert.Equal(text.Neighbors.Select(n => (n.Address, n.MacAddress, n.Device)).OrderBy(n => n.Address),
                arp.Neighbors.Select(n => (n.Address, n.MacAddress, n.Device)).OrderBy(n => n.Address));
            Assert.Equal("ee:81:17:b0:fd:7b", arp.FindNeighbor("10.244.2.0", "flannel.1").MacAddress);
        }

        [Theory]
        [InlineData("healthy")]
        [InlineData("dualstack-4096")]
        public void Bridge_fdb_text_and_json_give_the_same_entries(string lab)
        {
            var text = Read(b => b.AddFdb(Lines(lab + "/node1/bridge-fdb.txt"), new TextOrigin("t")));
            var json = Read(b => b.AddFdb(Lines(lab + "/node1/bridge-j-fdb.json"), new TextOrigin("j")));
            Assert.Equal(text.Fdb.Select(e => e.ToString()), json.Fdb.Select(e => e.ToString()));
            Assert.Contains(json.Fdb, e => e.Master == "cni0" && e.State == null);
        }

        [Theory]
        [InlineData("healthy", "flannel.1", 1, 8472)]
        [InlineData("dualstack-4096", "flannel.4096", 4096, 4789)]
        public void Link_and_addr_text_and_json_give_the_same_devices_and_vtep(string lab, string vtep, int vni, int port)
        {
            var text = Read(b =>
            {
                b.AddLinks(Lines(lab + "/node1/ip-d-link.txt"), new TextOrigin("l"));
                b.AddLinks(Lines(lab + "/node1/ip-addr.txt"), new TextOrigin("a"));
            });
            var json = Read(b =>
            {
                b.AddLinks(Lines(lab + "/node1/ip-j-d-link.json"), new TextOrigin("l"));
                b.AddLinks(Lines(lab + "/node1/ip-j-addr.json"), new TextOrigin("a"));
            });
            Assert.Equal(text.Interfaces.Select(i => (i.Name, i.Kind, i.MacAddress, i.Mtu, i.Master, i.Addresses.ToString())),
                json.Interfaces.Select(i => (i.Name, i.Kind, i.MacAddress, i.Mtu, i.Master, i.Addresses.ToString())));
            foreach (var s in new[] { text, json })
            {
                Assert.Equal((vtep, vni, port, "192.168.0.12", "eth0", "32:73:d8:d1:e9:78", 1450, false),
                    (s.Vtep.Name, s.Vtep.Vni.Value, s.Vtep.Port.Value, s.Vtep.LocalAddress, s.Vtep.UnderlayDevice, s.Vtep.MacAddress, s.Vtep.Mtu.Value, s.Vtep.Learning.Value));
                Assert.Equal("9e:66:01:47:0d:72", s.FindInterface("eth0").MacAddress);
                Assert.Contains("192.168.0.12/24", s.FindInterface("eth0").Addresses);
            }
        }

        [Fact]
        public void The_collector_document_holds_what_the_lab_programmed()
        {
            var b = new NodeStateBuilder();
            FlannelTools.NodeState s = NodeStateReader.ReadDocument(NodeStateData.Lines("dualstack-4096/node1.state"), new TextOrigin("node1.state"), b);
            Assert.Empty(b.Problems);
            Assert.Equal("flannel-v6.4096", s.VtepV6.Name);
            Assert.Equal(("fd00::12", 1430, 4789), (s.VtepV6.LocalAddress, s.VtepV6.Mtu.Value, s.VtepV6.Port.Value));
            Assert.NotNull(s.CollectedAt);
            Assert.False(string.IsNullOrEmpty(s.HostName));
            // node1 -> node2 over IPv4 and IPv6: route, neighbour, FDB, as flannel programs them.
            Route r4 = s.FindRoute("10.244.2.101");
            Assert.Equal("ee:81:17:b0:fd:7b", s.FindNeighbor(r4.Gateway, r4.Device).MacAddress);
            Assert.Equal("192.168.0.13", s.FindFdb("ee:81:17:b0:fd:7b", "flannel.4096").Single().Destination);
            Route r6 = s.FindRoute("fd10:244:2::101");
            Assert.Equal(("fd10:244:2::/64", "fd10:244:2::", "flannel-v6.4096"), (r6.Destination, r6.Gateway, r6.Device));
            string mac6 = s.FindNeighbor(r6.Gateway, r6.Device).MacAddress;
            Assert.Equal("fd00::13", s.FindFdb(mac6, "flannel-v6.4096").Single().Destination);
            Assert.StartsWith("node1.state:", s.Routes[0].Source);
        }

        [Fact]
        public void A_failed_section_of_the_document_is_a_problem_and_the_rest_is_read()
        {
            var lines = new List<string>
            {
                "#@ flannel-state 1", "#@ host node9",
                "#@ section ip -j neigh show", "", "#@ exit 255", "#@ stderr Cannot open netlink socket: Permission denied",
                "#@ section ip neigh show", "10.244.2.0 dev flannel.1 lladdr ee:81:17:b0:fd:7b PERMANENT", "#@ exit 0",
            };
            var b = new NodeStateBuilder();
            FlannelTools.NodeState s = NodeStateReader.ReadDocument(lines, new TextOrigin("n9"), b);
            Assert.Equal("node9", s.HostName);
            Assert.Single(s.Neighbors);
            Assert.Contains("Permission denied", Assert.Single(b.Problems).Message);
            Assert.Equal("n9:8", s.Neighbors[0].Source);
        }
    }
}
