using System.Collections.Generic;
using System.Linq;
using FlannelTools.Diagnosis;
using Xunit;

namespace FlannelTools.Tests.Diagnosis
{
    /// <summary>Test-FlannelCluster's pairs, path MTU, one VNI and port, and coverage, on the healthy lab's three collector documents.</summary>
    public class ClusterPairTests
    {
        private const string Eth0 = "\"ifname\":\"eth0\",\"flags\":[\"BROADCAST\",\"MULTICAST\",\"UP\",\"LOWER_UP\"],\"mtu\":";
        private const string Vtep = "\"ifname\":\"flannel.1\",\"flags\":[\"BROADCAST\",\"MULTICAST\",\"UP\",\"LOWER_UP\"],\"mtu\":";

        private static Dictionary<string, NodePair> Pairs(ClusterResult result) => result.Pairs().ToDictionary(p => p.From + "->" + p.To);

        private static string Parts(NodePair p) => string.Join(" ", p.Route, p.Neighbor, p.Fdb, p.PathMtu, p.Status);

        [Fact]
        public void The_healthy_lab_has_six_passed_pairs()
        {
            var pairs = new LabCluster().Run().Pairs().ToList();

            Assert.Equal(6, pairs.Count);
            Assert.All(pairs, p => Assert.Equal("Passed Passed Passed Passed Passed", Parts(p)));
            Assert.All(pairs, p => Assert.Equal("IPv4", p.Family));
            Assert.All(pairs, p => Assert.Empty(p.FindingIds));
        }

        [Fact]
        public void A_new_vtep_mac_fails_the_neighbour_and_fdb_of_the_pairs_to_it_with_the_roll_up_first()
        {
            var lab = new LabCluster();
            lab.Announce("node2", "5a:00:00:00:00:0d");
            lab.Edit("node2", "ee:81:17:b0:fd:7b", "5a:00:00:00:00:0d");

            var pairs = Pairs(lab.Run());

            Assert.Equal("Passed Failed Failed Passed Failed", Parts(pairs["node1->node2"]));
            Assert.Equal(new[] { "cluster/EntriesForNode/node2", "node1/Neighbor/node2", "node1/Fdb/node2" }, pairs["node1->node2"].FindingIds);
            Assert.Equal("Failed", pairs["master->node2"].Status);
            Assert.Equal(4, pairs.Values.Count(p => p.Status == "Passed"));
        }

        [Fact]
        public void The_receivers_own_vtep_mac_fails_the_pairs_whose_entries_agree_with_its_old_announcement()
        {
            var lab = new LabCluster();
            // udev gave node2's flannel.1 a new MAC; node2 still announces the old one, which its peers hold.
            lab.Edit("node2", "ee:81:17:b0:fd:7b", "5a:00:00:00:00:0d");

            var pairs = Pairs(lab.Run());

            Assert.Equal("Passed Failed Passed Passed Failed", Parts(pairs["master->node2"]));
            Assert.Equal(new[] { "node2/VtepMac/node2" }, pairs["master->node2"].FindingIds);
            Assert.Equal("Passed", pairs["node2->master"].Status);
        }

        [Fact]
        public void A_receiver_whose_underlay_is_smaller_than_its_peers_vtep_mtu_plus_50_is_one_path_mtu_warning()
        {
            var lab = new LabCluster();
            // node2: underlay 1400, VTEP 1350 (right for node2 alone); master and node1 send 1450 + 50.
            lab.Edit("node2", Eth0 + "1500", Eth0 + "1400");
            lab.Edit("node2", Vtep + "1450", Vtep + "1350");

            ClusterResult result = lab.Run();
            var problems = LabCluster.Shown(result).Where(f => f.Check != "HostLayer").ToList();

            Finding mtu = Assert.Single(problems);
            Assert.Equal(("PathMtu", FindingSeverity.Warning, "node2"), (mtu.Check, mtu.Severity, mtu.Node));
            Assert.Equal(new[] { "master", "node1" }, mtu.AffectedNodes);
            Assert.Equal("ip link set dev flannel.1 mtu 1350", mtu.Remedy);
            Assert.Contains("1400", mtu.Message);
            var pairs = Pairs(result);
            Assert.Equal("Passed Passed Passed Failed Failed", Parts(pairs["node1->node2"]));
            Assert.Equal(new[] { "cluster/PathMtu/node2", "node1/PathMtu/node2" }, pairs["node1->node2"].FindingIds);
            Assert.Equal("Passed", pairs["node2->node1"].PathMtu);
            // -Detail: one per sender
            Assert.Equal(new[] { "master", "node1" }, LabCluster.Shown(result, detail: true).Where(f => f.Check == "PathMtu" && f.LocalNode != null).Select(f => f.LocalNode));
        }

        [Fact]
        public void A_vtep_on_another_vni_is_one_error_naming_it()
        {
            var lab = new LabCluster();
            lab.Edit("node2", "\"info_data\":{\"id\":1,", "\"info_data\":{\"id\":2,");

            Finding vni = Assert.Single(lab.Run().ClusterFindings, f => f.Severity != FindingSeverity.Information && f.Check != "HostLayer");

            Assert.Equal(("OneVni", FindingSeverity.Error, "node2"), (vni.Check, vni.Severity, vni.Node));
            Assert.Equal(new[] { "node2" }, vni.AffectedNodes);
            Assert.Contains("VNI 2 on node2", vni.Actual);
        }

        [Fact]
        public void A_vtep_on_another_port_is_one_error_naming_it()
        {
            var lab = new LabCluster();
            lab.Edit("master", "\"port\":8472", "\"port\":4789");

            Finding port = Assert.Single(lab.Run().ClusterFindings, f => f.Check == "OnePort");

            Assert.Equal((FindingSeverity.Error, "master"), (port.Severity, port.Node));
        }

        [Fact]
        public void Pairs_from_and_to_a_node_without_a_state_are_unknown_never_passed()
        {
            var pairs = Pairs(new LabCluster().Run("master", "node1"));

            Assert.Equal(6, pairs.Count);
            Assert.Equal("Unknown Unknown Unknown Unknown Unknown", Parts(pairs["node2->master"]));
            Assert.Equal("Unknown", pairs["master->node2"].Status);
            Assert.Equal("Unknown", pairs["master->node2"].PathMtu);
            Assert.Equal(new[] { "cluster/Coverage/node2" }, pairs["master->node2"].FindingIds);
            Assert.Equal("Passed", pairs["master->node1"].Status);
        }

        [Fact]
        public void The_parser_reads_the_network_unavailable_condition()
        {
            string json = System.IO.File.ReadAllText(FlannelTools.Tests.NodeTables.NodeStateData.PathOf("../cluster/nodes-healthy.json"));
            int first = json.IndexOf("\"status\": \"False\",\n                        \"type\": \"NetworkUnavailable\"", System.StringComparison.Ordinal);
            Assert.True(first > 0);
            string edited = json.Substring(0, first) + "\"status\": \"True\"," + json.Substring(first + "\"status\": \"False\",".Length);

            var nodes = new FlannelTools.Cluster.FlannelNodeParser().Parse(edited).Nodes;

            Assert.Equal(new bool?[] { true, false, false }, nodes.Select(n => n.NetworkUnavailable));
        }

        [Fact]
        public void A_node_marked_network_unavailable_is_an_error_naming_it()
        {
            var lab = new LabCluster();
            Assert.All(lab.Nodes, n => Assert.False(n.NetworkUnavailable));
            lab.Nodes.Single(n => n.Name == "node1").NetworkUnavailable = true;

            Finding unavailable = Assert.Single(lab.Run().ClusterFindings, f => f.Check == "NetworkUnavailable");

            Assert.Equal((FindingSeverity.Error, "node1"), (unavailable.Severity, unavailable.Node));
        }
    }
}
