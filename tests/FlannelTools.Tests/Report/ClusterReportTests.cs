using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Text.RegularExpressions;
using FlannelTools.Cluster;
using FlannelTools.Diagnosis;
using FlannelTools.NodeTables;
using FlannelTools.Report;
using Xunit;

namespace FlannelTools.Tests.Report
{
    public class ClusterReportTests
    {
        private static FlannelNode Node(string name, int index) =>
            new FlannelNode(name, "10.244." + index + ".0/24", new[] { "10.244." + index + ".0/24" }, "192.168.0." + (11 + index), "192.168.0." + (11 + index),
                null, null, "vxlan", "02:f1:a4:00:00:" + (11 + index).ToString("x2"), null, 1, true, true, new OrderedDictionary());

        private static readonly FlannelNode[] Nodes = { Node("master", 0), Node("node1", 1), Node("node2", 2) };

        // node2's VtepMAC changed: master and node1 hold the old one (one roll-up); node1's forwarding is off (its own fault, Node and LocalNode node1, as Test-FlannelCluster gives it)
        private static readonly Finding[] Findings =
        {
            new Finding("IpForwarding", "Error", "node1", "1", "0", "net.ipv4.ip_forward is 0 on node1 <off>.", "sysctl -w net.ipv4.ip_forward=1", "node1"),
            new Finding("EntriesForNode", "Error", "node2", "02:f1:a4:00:00:0d", "ee:81:17:b0:fd:7b", "2 nodes hold node2's old VtepMAC.", "ip neigh replace …", null)
                { AffectedNodes = new TextList(new[] { "master", "node1" }) },
            new Finding("PathMtu", "Warning", "master", "1450", "1400", "node1's VTEP MTU exceeds master's underlay.", null, "node1"),
            new Finding("Vtep", "Information", null, null, null, "The VTEP is there.", null, "master"),
        };

        private static string Status(IEnumerable<PairStatus> pairs, string from, string to) => pairs.Single(p => p.From == from && p.To == to).Status;

        [Fact]
        public void A_pair_fails_where_an_error_names_it_and_is_unknown_where_only_a_warning_does()
        {
            List<PairStatus> pairs = ClusterReport.Pairs(Nodes, Findings);

            Assert.Equal(6, pairs.Count);
            Assert.Equal("Failed", Status(pairs, "master", "node2"));
            Assert.Equal("Failed", Status(pairs, "node1", "node2"));
            Assert.Equal("Unknown", Status(pairs, "node1", "master"));
            Assert.Equal("Passed", Status(pairs, "node2", "master"));
            Assert.Equal("Passed", Status(pairs, "node2", "node1"));
            Assert.Equal("Passed", Status(pairs, "master", "node1"));
            Assert.Equal(new[] { "EntriesForNode" }, pairs.Single(p => p.From == "master" && p.To == "node2").Checks);
        }

        [Fact]
        public void A_node_that_could_not_be_checked_makes_its_pairs_unknown_never_passed()
        {
            var findings = new[] { new Finding("Coverage", "Unknown", "node2", null, null, "No state was given for node2.", null, null) };

            List<PairStatus> pairs = ClusterReport.Pairs(Nodes, findings);

            Assert.All(pairs.Where(p => p.From == "node2" || p.To == "node2"), p => Assert.Equal("Unknown", p.Status));
            Assert.Equal("Passed", Status(pairs, "master", "node1"));
        }

        [Fact]
        public void The_page_is_self_contained_and_has_a_box_per_node_an_edge_per_pair_and_the_findings_by_severity()
        {
            string html = ClusterReport.Write("lab <check>", Nodes, Findings, ClusterReport.Pairs(Nodes, Findings), new DateTime(2026, 12, 2, 18, 0, 0, DateTimeKind.Utc));

            Assert.StartsWith("<!DOCTYPE html>", html);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotMatch(new Regex(@"\b(src|href)\s*=|@import|url\(|<link", RegexOptions.IgnoreCase), html);
            Assert.Contains("<title>lab &lt;check&gt;</title>", html);
            Assert.Equal(3, Regex.Matches(html, "<g class=\"node").Count);
            Assert.Single(Regex.Matches(html, "<g class=\"node error\">"));
            foreach (FlannelNode node in Nodes)
            {
                Assert.Contains(">" + node.Name + "</text>", html);
                Assert.Contains(">" + node.PublicAddress + "</text>", html);
                Assert.Contains(">" + node.PodCidr + "</text>", html);
                Assert.Contains(">" + node.VtepMac + "</text>", html);
            }
            MatchCollection edges = Regex.Matches(html, "<line class=\"edge (\\w+)\"");
            Assert.Equal(new[] { "unknown", "failed", "failed" }, edges.Select(m => m.Groups[1].Value));
            MatchCollection rows = Regex.Matches(html, "<tr class=\"(\\w+)\"><td class=\"sev \\w+\">\\w+</td><td class=\"check\">(\\w+)</td>");
            Assert.Equal(new[] { "error:EntriesForNode", "error:IpForwarding", "warning:PathMtu", "information:Vtep" },
                rows.Select(m => m.Groups[1].Value + ":" + m.Groups[2].Value));
            Assert.Contains("net.ipv4.ip_forward is 0 on node1 &lt;off&gt;.", html);
            Assert.Contains("<pre>sysctl -w net.ipv4.ip_forward=1</pre>", html);
            Assert.Contains("2 nodes: master, node1", html);
            Assert.Contains("2 of 6 pairs failed", html);
        }

        [Fact]
        public void A_broken_pair_gets_its_outer_and_inner_headers()
        {
            string html = ClusterReport.Write("x", Nodes, Findings, ClusterReport.Pairs(Nodes, Findings), DateTime.UtcNow, port: 4789);

            Match pair = Regex.Match(html, "<h3>master → node2 .*?</table>", RegexOptions.Singleline);
            Assert.True(pair.Success);
            Assert.Matches("<tr><td>outer</td><td>192.168.0.11</td><td>[^<]*</td><td>192.168.0.13</td>", pair.Value);
            Assert.Contains("UDP to port 4789, VNI 1", pair.Value);
            Assert.Matches("<tr><td>inner</td><td>a pod of 10.244.0.0/24</td><td>02:f1:a4:00:00:0b</td><td>a pod of 10.244.2.0/24</td><td>02:f1:a4:00:00:0d</td>", pair.Value);
            Assert.Equal(2, Regex.Matches(html, "<div class=\"pair\">").Count);
        }

        [Fact]
        public void Past_thirty_nodes_the_pairs_are_a_heat_map_rows_send_columns_receive()
        {
            FlannelNode[] nodes = Enumerable.Range(0, 31).Select(i => Node("n" + i, i)).ToArray();
            var findings = new[] { new Finding("Fdb", "Error", "n7", null, null, "n3 holds a wrong FDB entry for n7.", null, "n3") };

            string html = ClusterReport.Write("x", nodes, findings, ClusterReport.Pairs(nodes, findings), DateTime.UtcNow);

            Assert.DoesNotContain("<line class=\"edge", html);
            MatchCollection cells = Regex.Matches(html, "<rect class=\"cell (\\w+)\"");
            Assert.Equal(31 * 31, cells.Count);
            Assert.Equal("failed", cells[3 * 31 + 7].Groups[1].Value);
            Assert.Equal("passed", cells[7 * 31 + 3].Groups[1].Value);
            Assert.Equal(31, cells.Cast<Match>().Count(c => c.Groups[1].Value == "self"));
        }
    }
}
