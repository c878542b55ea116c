using System.Collections.Generic;
using System.Linq;
using FlannelTools.Diagnosis;
using FlannelTools.NodeTables;
using Xunit;

namespace FlannelTools.Tests.Diagnosis
{
    /// <summary>
    /// node1 of the walkthrough's cluster as the lab builds it (tables as ip and bridge print them, nodes as flannel
    /// annotates them), for each test to break one thing of.
    /// </summary>
    internal sealed class Scenario
    {
        public const string MasterMac = "02:f1:a4:00:00:0b";
        public const string Node1Mac = "32:73:d8:d1:e9:78";
        public const string Node2Mac = "ee:81:17:b0:fd:7b";

        public List<string> Links = new List<string>
        {
            "2: eth0@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc noqueue state UP mode DEFAULT group default qlen 1000",
            "    link/ether 9e:66:01:47:0d:72 brd ff:ff:ff:ff:ff:ff link-netns ns4a-underlay promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ",
            "5: flannel.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000",
            "    link/ether 32:73:d8:d1:e9:78 brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ",
            "    vxlan id 1 local 192.168.0.12 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ",
        };

        public List<string> Routes = new List<string>
        {
            "default via 192.168.0.1 dev eth0 ",
            "10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink ",
            "10.244.1.0/24 dev cni0 proto kernel scope link src 10.244.1.1 ",
            "10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink ",
            "192.168.0.0/24 dev eth0 proto kernel scope link src 192.168.0.12 ",
        };

        public List<string> Routes6 = new List<string>
        {
            "fe80::/64 dev flannel.1 proto kernel metric 256 pref medium",
        };

        public List<string> Neighbors = new List<string>
        {
            "10.244.2.0 dev flannel.1 lladdr ee:81:17:b0:fd:7b PERMANENT ",
            "10.244.0.0 dev flannel.1 lladdr 02:f1:a4:00:00:0b PERMANENT ",
            "192.168.0.13 dev eth0 lladdr 0a:d2:1d:9d:dc:f7 STALE ",
        };

        public List<string> Fdb = new List<string>
        {
            "33:33:00:00:00:01 dev eth0 self permanent",
            "ee:81:17:b0:fd:7b dev flannel.1 dst 192.168.0.13 self permanent",
            "02:f1:a4:00:00:0b dev flannel.1 dst 192.168.0.11 self permanent",
        };

        public List<FlannelNode> Nodes = new List<FlannelNode>
        {
            Node("master", "10.244.0.0/24", "192.168.0.11", MasterMac),
            Node("node1", "10.244.1.0/24", "192.168.0.12", Node1Mac),
            Node("node2", "10.244.2.0/24", "192.168.0.13", Node2Mac),
        };

        public static FlannelNode Node(string name, string podCidr, string publicAddress, string vtepMac, int? vni = 1,
            string backend = "vxlan", string internalAddress = null, string overwrite = null) =>
            new FlannelNode(name, podCidr, podCidr == null ? new string[0] : new[] { podCidr }, internalAddress ?? publicAddress, publicAddress, overwrite,
                null, backend, vtepMac, null, vni, true, true, null);

        public void SetNode(FlannelNode node) => Nodes[Nodes.FindIndex(n => n.Name == node.Name)] = node;

        public void Replace(List<string> lines, string containing, string with) =>
            lines[lines.FindIndex(l => l.Contains(containing))] = with;

        public void Remove(List<string> lines, string containing) => lines.RemoveAll(l => l.Contains(containing));

        public FlannelTools.NodeState State()
        {
            var builder = new NodeStateBuilder();
            builder.AddLinks(Links, new TextOrigin("link"));
            builder.AddRoutes(Routes, new TextOrigin("route"));
            builder.AddRoutes(Routes6, new TextOrigin("route6"), 1, "inet6");
            builder.AddNeighbors(Neighbors, new TextOrigin("neigh"));
            builder.AddFdb(Fdb, new TextOrigin("fdb"));
            Assert.Empty(builder.Problems);
            return builder.Build("vm", null, "test");
        }

        public DiagnosisContext Context(string localNode = "node1", int? port = null) =>
            new DiagnosisContext(State(), Nodes, Nodes.Single(n => n.Name == localNode), port);

        public IReadOnlyList<Finding> Run(string localNode = "node1", int? port = null) => NodeDiagnosis.Tables(Context(localNode, port));

        public IReadOnlyList<Finding> Problems(string localNode = "node1", int? port = null) =>
            Run(localNode, port).Where(f => f.Severity != FindingSeverity.Information).ToList();
    }
}
