using System.Collections.Generic;
using System.Linq;
using FlannelTools.Diagnosis;
using Xunit;

namespace FlannelTools.Tests.Diagnosis
{
    /// <summary>Test-FlannelCluster's core on the healthy lab's three collector documents, each test making one fault.</summary>
    public class ClusterDiagnosisTests
    {
        private const string Node2Mac = "ee:81:17:b0:fd:7b";
        private const string NewNode2Mac = "5a:00:00:00:00:0d";

        private static List<Finding> Problems(IEnumerable<Finding> findings) =>
            findings.Where(f => f.Severity != FindingSeverity.Information && f.Check != "HostLayer").ToList();

        [Fact]
        public void The_healthy_lab_has_no_problem_but_the_host_layer_its_snapshots_lack()
        {
            ClusterResult result = new LabCluster().Run();

            Assert.Equal(new[] { "master", "node1", "node2" }, result.Context.Checked.Select(n => n.Name));
            Assert.Empty(Problems(result.AllFindings));
            // The snapshots carry no host layer: one Unknown per node, so the cluster is not called healthy.
            Assert.Equal(new[] { "master", "node1", "node2" }, LabCluster.Shown(result).Where(f => f.Check == "HostLayer").Select(f => f.LocalNode));
            Assert.False(result.Healthy);
        }

        [Fact]
        public void Runs_every_per_node_check_with_local_node_set_and_the_announcements_once()
        {
            ClusterResult result = new LabCluster().Run();
            var all = result.AllFindings.ToList();

            // each node checks its route, neighbour and FDB entry for each of its two peers
            foreach (string local in new[] { "master", "node1", "node2" })
            {
                foreach (string check in new[] { "Route", "Neighbor", "Fdb" })
                {
                    Assert.Equal(2, all.Count(f => f.LocalNode == local && f.Check == check && f.Severity == FindingSeverity.Information));
                }
                Assert.Single(all, f => f.LocalNode == local && f.Check == "VtepMac");
            }
            Finding unique = Assert.Single(all, f => f.Check == "PublicAddressUnique");
            Assert.Null(unique.LocalNode);
        }

        [Fact]
        public void A_new_vtep_mac_that_the_peers_do_not_know_is_one_error_about_the_announcer_not_one_per_peer_entry()
        {
            var lab = new LabCluster();
            // node2 came back with a new VTEP MAC and announces it; master and node1 keep the old one.
            lab.Announce("node2", NewNode2Mac);
            lab.Edit("node2", Node2Mac, NewNode2Mac);

            ClusterResult result = lab.Run();
            List<Finding> shown = Problems(LabCluster.Shown(result));

            Finding rollup = Assert.Single(shown);
            Assert.Equal(("EntriesForNode", FindingSeverity.Error, "node2"), (rollup.Check, rollup.Severity, rollup.Node));
            Assert.Equal(new[] { "master", "node1" }, rollup.AffectedNodes);
            Assert.Contains("ip neigh replace 10.244.2.0 lladdr " + NewNode2Mac + " dev flannel.1 nud permanent", rollup.Remedy.Split('\n'));
            Assert.Contains("bridge fdb replace " + NewNode2Mac + " dev flannel.1 dst 192.168.0.13 self permanent", rollup.Remedy.Split('\n'));
            Assert.Contains("bridge fdb del " + Node2Mac + " dev flannel.1 self", rollup.Remedy.Split('\n'));
            Assert.Contains(Node2Mac, rollup.Message);

            // -Detail: the per-peer findings behind it, on each holder (neighbour, FDB, and the old MAC's FDB leftover)
            List<Finding> detail = Problems(LabCluster.Shown(result, detail: true));
            foreach (string holder in new[] { "master", "node1" })
            {
                Assert.Single(detail, f => f.LocalNode == holder && f.Check == "Neighbor" && f.Node == "node2" && f.Severity == FindingSeverity.Error);
                Assert.Single(detail, f => f.LocalNode == holder && f.Check == "Fdb" && f.Node == "node2" && f.Severity == FindingSeverity.Error);
                Assert.Single(detail, f => f.LocalNode == holder && f.Check == "StaleFdb" && f.Node == "node2");
            }
            Assert.Equal(7, detail.Count);
            Assert.False(result.Healthy);
        }

        [Fact]
        public void One_node_wrong_about_all_its_peers_is_one_error_about_that_node_with_its_peers_affected()
        {
            var lab = new LabCluster();
            // node1's flanneld never programmed its peers' neighbour entries.
            lab.Edit("node1", "{\"dst\":\"10.244.2.0\",\"dev\":\"flannel.1\",\"lladdr\":\"ee:81:17:b0:fd:7b\",\"state\":[\"PERMANENT\"]},", "");
            lab.Edit("node1", "{\"dst\":\"10.244.0.0\",\"dev\":\"flannel.1\",\"lladdr\":\"02:f1:a4:00:00:0b\",\"state\":[\"PERMANENT\"]},", "");

            ClusterResult result = lab.Run();
            Finding rollup = Assert.Single(Problems(LabCluster.Shown(result)));

            Assert.Equal(("EntriesOnNode", FindingSeverity.Error, "node1", "node1"), (rollup.Check, rollup.Severity, rollup.Node, rollup.LocalNode));
            Assert.Equal(new[] { "master", "node2" }, rollup.AffectedNodes);
            Assert.Equal(new[]
            {
                "ip neigh replace 10.244.0.0 lladdr 02:f1:a4:00:00:0b dev flannel.1 nud permanent",
                "ip neigh replace 10.244.2.0 lladdr ee:81:17:b0:fd:7b dev flannel.1 nud permanent",
            }, rollup.Remedy.Split('\n').OrderBy(r => r));
            Assert.Equal(2, Problems(LabCluster.Shown(result, detail: true)).Count(f => f.Check == "Neighbor" && f.LocalNode == "node1"));
        }

        [Fact]
        public void A_single_broken_pair_stays_a_per_peer_finding()
        {
            var lab = new LabCluster();
            lab.Edit("node1", "{\"dst\":\"10.244.2.0\",\"dev\":\"flannel.1\",\"lladdr\":\"ee:81:17:b0:fd:7b\",\"state\":[\"PERMANENT\"]},", "");

            Finding only = Assert.Single(Problems(LabCluster.Shown(lab.Run())));

            Assert.Equal(("Neighbor", "node2", "node1"), (only.Check, only.Node, only.LocalNode));
            Assert.Empty(only.AffectedNodes);
        }

        [Fact]
        public void A_deleted_nodes_entries_left_on_every_node_are_one_warning_with_the_holders_affected()
        {
            var lab = new LabCluster();
            // master left the cluster; node1 and node2 still hold its route, neighbour and FDB entry.
            lab.Nodes.RemoveAll(n => n.Name == "master");

            ClusterResult result = lab.Run("node1", "node2");
            Finding rollup = Assert.Single(Problems(LabCluster.Shown(result)));

            Assert.Equal(("StaleEntries", FindingSeverity.Warning), (rollup.Check, rollup.Severity));
            Assert.Equal(new[] { "node1", "node2" }, rollup.AffectedNodes);
            Assert.Contains("10.244.0.0", rollup.Message);
            Assert.Equal(new[]
            {
                "bridge fdb del 02:f1:a4:00:00:0b dev flannel.1 self",
                "ip neigh del 10.244.0.0 dev flannel.1",
                "ip route del 10.244.0.0/24 dev flannel.1",
            }, rollup.Remedy.Split('\n').OrderBy(r => r));
            Assert.Equal(6, Problems(LabCluster.Shown(result, detail: true)).Count(f => f.Check.StartsWith("Stale") && f.Check != "StaleEntries"));
        }

        [Fact]
        public void A_node_without_a_state_is_unknown_never_passed()
        {
            ClusterResult result = new LabCluster().Run("master", "node1");

            Finding coverage = Assert.Single(Problems(result.AllFindings));
            Assert.Equal(("Coverage", FindingSeverity.Unknown, "node2"), (coverage.Check, coverage.Severity, coverage.Node));
            Assert.Equal(new[] { "node2" }, coverage.AffectedNodes);
            Assert.False(result.Healthy);
        }

        [Fact]
        public void Two_states_of_one_node_are_a_warning_naming_both_and_the_newer_is_used()
        {
            var lab = new LabCluster();
            var states = lab.States();
            // an older collection of node1, given after the newer one, with node2's neighbour entry still missing
            string old = lab.Documents["node1"].Replace("#@ time 2026-11-25T17:42:31Z", "#@ time 2026-11-25T16:00:00Z")
                .Replace("{\"dst\":\"10.244.2.0\",\"dev\":\"flannel.1\",\"lladdr\":\"ee:81:17:b0:fd:7b\",\"state\":[\"PERMANENT\"]},", "");
            states.Add(LabCluster.Read(old, "node1-old.state"));

            ClusterResult result = ClusterDiagnosis.Run(new ClusterInput(states, lab.Nodes));
            Finding duplicate = Assert.Single(Problems(result.AllFindings));

            Assert.Equal(("DuplicateState", FindingSeverity.Warning, "node1"), (duplicate.Check, duplicate.Severity, duplicate.Node));
            Assert.Contains("node1.state", duplicate.Message);
            Assert.Contains("node1-old.state", duplicate.Message);
            Assert.Equal("node1.state", result.Context.Find("node1").State.Source);
        }

        [Fact]
        public void A_state_of_no_node_is_a_warning_and_the_others_are_still_checked()
        {
            var lab = new LabCluster();
            var states = lab.States();
            // a state whose VTEP address and host name are no node's
            states.Add(LabCluster.Read(lab.Documents["node2"].Replace("192.168.0.13", "192.168.0.99").Replace("#@ host vm", "#@ host stray"), "stray.state"));

            ClusterResult result = ClusterDiagnosis.Run(new ClusterInput(states, lab.Nodes));
            Finding stray = Assert.Single(Problems(result.AllFindings));

            Assert.Equal(("Coverage", FindingSeverity.Warning), (stray.Check, stray.Severity));
            Assert.Contains("stray.state", stray.Message);
            Assert.Equal(3, result.Context.Checked.Count);
        }

        [Fact]
        public void Every_finding_has_an_id_unique_in_the_run_and_the_same_for_the_same_input()
        {
            var lab = new LabCluster();
            lab.Announce("node2", NewNode2Mac);
            var first = lab.Run().AllFindings.Select(f => f.Id).ToList();
            var second = lab.Run().AllFindings.Select(f => f.Id).ToList();

            Assert.DoesNotContain(null, first);
            Assert.Equal(first.Count, first.Distinct().Count());
            Assert.Equal(first, second);
            Assert.Contains("node1/Neighbor/node2", first);
            Assert.Contains("cluster/EntriesForNode/node2", first);
        }

        [Fact]
        public void No_state_at_all_checks_nothing_and_is_not_healthy()
        {
            ClusterResult result = ClusterDiagnosis.Run(new ClusterInput(new FlannelTools.NodeState[0], new LabCluster().Nodes));

            Assert.Empty(result.Context.Checked);
            Assert.False(result.Healthy);
        }
    }
}
