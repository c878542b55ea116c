using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlannelTools.Cluster;
using FlannelTools.Diagnosis;
using FlannelTools.NodeTables;
using FlannelTools.Tests.NodeTables;
using Xunit;

namespace FlannelTools.Tests.Diagnosis
{
    /// <summary>
    /// The healthy lab's three nodes as collector documents: node1.state and node2.state as the collector printed them
    /// (tests/data/nodestate/healthy), and master's made from node1's by swapping the two nodes' addresses, subnets and
    /// MACs (the lab wires every node alike, so master's tables are node1's with master and node1 exchanged). Each test
    /// edits a document's text or the nodes to make one fault.
    /// </summary>
    internal sealed class LabCluster
    {
        private static readonly (string Node1, string Master)[] Swaps =
        {
            ("192.168.0.12", "192.168.0.11"),
            ("10.244.1.", "10.244.0."),
            ("32:73:d8:d1:e9:78", "02:f1:a4:00:00:0b"),
            ("9e:66:01:47:0d:72", "02:f1:e0:00:00:0b"),
        };

        public Dictionary<string, string> Documents { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["master"] = MasterFromNode1(NodeStateData.Text("healthy/node1.state")),
            ["node1"] = NodeStateData.Text("healthy/node1.state"),
            ["node2"] = NodeStateData.Text("healthy/node2.state"),
        };

        public List<FlannelNode> Nodes { get; set; } =
            new FlannelNodeParser().Parse(File.ReadAllText(NodeStateData.PathOf("../cluster/nodes-healthy.json"))).Nodes.ToList();

        public static string MasterFromNode1(string text)
        {
            for (int i = 0; i < Swaps.Length; i++)
            {
                text = text.Replace(Swaps[i].Node1, "\u0001" + i + "\u0001").Replace(Swaps[i].Master, Swaps[i].Node1).Replace("\u0001" + i + "\u0001", Swaps[i].Master);
            }
            return text;
        }

        /// <summary>Replaces text in one node's document; the text must be there.</summary>
        public void Edit(string node, string text, string with)
        {
            Assert.Contains(text, Documents[node]);
            Documents[node] = Documents[node].Replace(text, with);
        }

        /// <summary>The node as announced, with another VtepMAC (flannel restarted with a new VTEP, its peers not told).</summary>
        public void Announce(string name, string vtepMac)
        {
            FlannelNode n = Nodes.Single(x => x.Name == name);
            Nodes[Nodes.IndexOf(n)] = new FlannelNode(n.Name, n.PodCidr, n.PodCidrs, n.InternalAddress, n.PublicAddress, n.PublicAddressOverwrite,
                n.PublicAddressV6, n.BackendType, vtepMac, n.VtepMacV6, n.Vni, n.KubeSubnetManager, n.Ready, null);
        }

        public static FlannelTools.NodeState Read(string text, string source)
        {
            var builder = new NodeStateBuilder();
            FlannelTools.NodeState state = NodeStateReader.ReadDocument(text.Split('\n').Select(l => l.TrimEnd('\r')).ToList(), new TextOrigin(source), builder);
            Assert.Empty(builder.Problems);
            state.Source = source;
            return state;
        }

        public List<FlannelTools.NodeState> States(params string[] names) =>
            (names.Length == 0 ? Documents.Keys.ToArray() : names).Select(n => Read(Documents[n], n + ".state")).ToList();

        public ClusterResult Run(params string[] names) => ClusterDiagnosis.Run(new ClusterInput(States(names), Nodes));

        /// <summary>What the cmdlet shows by default: no passed checks, no per-peer finding folded into a roll-up.</summary>
        public static List<Finding> Shown(ClusterResult result, bool detail = false) => result.Findings(detail, includePassed: false).ToList();
    }
}
