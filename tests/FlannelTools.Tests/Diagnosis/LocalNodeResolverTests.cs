using System.IO;
using System.Linq;
using FlannelTools.Cluster;
using FlannelTools.Diagnosis;
using FlannelTools.NodeTables;
using FlannelTools.Tests.NodeTables;
using Xunit;

namespace FlannelTools.Tests.Diagnosis
{
    public class LocalNodeResolverTests
    {
        [Fact]
        public void Finds_the_node_whose_public_ip_is_the_vteps_local_address()
        {
            var s = new Scenario();
            Assert.Equal("node1", LocalNodeResolver.Resolve(s.State(), s.Nodes, null).Node.Name);
        }

        [Fact]
        public void A_name_wins_and_an_unknown_name_is_node_not_found()
        {
            var s = new Scenario();
            Assert.Equal("node2", LocalNodeResolver.Resolve(s.State(), s.Nodes, "NODE2").Node.Name);
            LocalNodeResolution missing = LocalNodeResolver.Resolve(s.State(), s.Nodes, "node9");
            Assert.Null(missing.Node);
            Assert.Equal("NodeNotFound", missing.ErrorId);
        }

        [Fact]
        public void Two_nodes_with_the_vteps_address_ask_for_a_name()
        {
            var s = new Scenario();
            s.SetNode(Scenario.Node("node2", "10.244.2.0/24", "192.168.0.12", Scenario.Node2Mac));

            LocalNodeResolution r = LocalNodeResolver.Resolve(s.State(), s.Nodes, null);
            Assert.Null(r.Node);
            Assert.Equal("LocalNodeAmbiguous", r.ErrorId);
            Assert.Contains("-Name", r.Message);
        }

        [Fact]
        public void Without_a_matching_address_the_host_name_is_used_and_else_it_is_not_found()
        {
            var s = new Scenario();
            s.Nodes = s.Nodes.Select(n => Scenario.Node(n.Name == "node1" ? "vm" : n.Name, n.PodCidr, "10.0.0.1", n.VtepMac)).ToList();
            Assert.Equal("vm", LocalNodeResolver.Resolve(s.State(), s.Nodes.Take(2).ToList(), null).Node?.Name ?? "ambiguous");

            s.Nodes = s.Nodes.Select(n => Scenario.Node(n.Name + "x", n.PodCidr, "10.0.0." + n.Name.Length, n.VtepMac)).ToList();
            Assert.Equal("LocalNodeNotFound", LocalNodeResolver.Resolve(s.State(), s.Nodes, null).ErrorId);
        }

        [Fact]
        public void The_labs_real_node1_passes_every_check_against_the_labs_real_nodes()
        {
            var lines = NodeStateData.Lines("healthy/node1.state");
            FlannelTools.NodeState state = NodeStateReader.ReadDocument(lines, new TextOrigin("node1.state"), new NodeStateBuilder());
            var nodes = new FlannelNodeParser().Parse(File.ReadAllText(NodeStateData.PathOf("../cluster/nodes-healthy.json"))).Nodes;

            LocalNodeResolution local = LocalNodeResolver.Resolve(state, nodes, null);
            var findings = NodeDiagnosis.Tables(new DiagnosisContext(state, nodes, local.Node));

            Assert.Equal("node1", local.Node.Name);
            Assert.All(findings, f => Assert.Equal(FindingSeverity.Information, f.Severity));
            Assert.Equal(16, findings.Count);
        }

        [Fact]
        public void A_state_from_a_collector_without_the_host_layer_is_one_unknown_host_layer_finding_never_a_pass()
        {
            var lines = NodeStateData.Lines("healthy/node1.state");
            FlannelTools.NodeState state = NodeStateReader.ReadDocument(lines, new TextOrigin("node1.state"), new NodeStateBuilder());
            var nodes = new FlannelNodeParser().Parse(File.ReadAllText(NodeStateData.PathOf("../cluster/nodes-healthy.json"))).Nodes;

            var findings = NodeDiagnosis.Run(new DiagnosisContext(state, nodes, LocalNodeResolver.Resolve(state, nodes, null).Node));

            Finding unknown = Assert.Single(findings, f => f.Severity != FindingSeverity.Information);
            Assert.Equal(("HostLayer", FindingSeverity.Unknown, "node1"), (unknown.Check, unknown.Severity, unknown.Node));
        }
    }
}
