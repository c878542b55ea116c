using System;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Text.RegularExpressions;
using FlannelTools;
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

        private static NodePair Pair(string from, string to, string status, string family = "IPv4", string neighbor = "Passed", string fdb = "Passed", string mtu = "Passed") =>
            new NodePair(from, to, family, "Passed", neighbor, fdb, mtu, status, TextList.Empty);

        // the matrix of the findings above: master and node1 hold node2's old MAC; node1's MTU is too large for master (Unknown here, to see it drawn)
        private static readonly NodePair[] Matrix =
        {
            Pair("master", "node1", "Passed"), Pair("master", "node2", "Failed", neighbor: "Failed", fdb: "Failed"),
            Pair("node1", "master", "Unknown", mtu: "Unknown"), Pair("node1", "node2", "Failed", neighbor: "Failed", fdb: "Failed"),
            Pair("node2", "master", "Passed"), Pair("node2", "node1", "Passed"),
        };

        [Fact]
        public void A_pair_is_the_worst_of_its_families_and_names_the_parts_that_did_not_pass()
        {
            List<ReportPair> pairs = ClusterReport.Pairs(new[]
            {
                Pair("a", "b", "Passed"), Pair("a", "b", "Failed", family: "IPv6", fdb: "Failed"),
                Pair("b", "a", "Unknown", mtu: "Unknown"), Pair("b", "a", "Passed", family: "IPv6"),
                Pair("c", "a", "Passed"),
            });

            Assert.Equal(3, pairs.Count);
            ReportPair ab = pairs.Single(p => p.From == "a" && p.To == "b");
            Assert.Equal("Failed", ab.Status);
            Assert.Equal(new[] { "Fdb" }, ab.Checks);
            ReportPair ba = pairs.Single(p => p.From == "b" && p.To == "a");
            Assert.Equal("Unknown", ba.Status);
            Assert.Equal(new[] { "PathMtu unknown" }, ba.Checks);
            Assert.Empty(pairs.Single(p => p.From == "c").Checks);
        }

        [Fact]
        public void The_page_is_self_contained_and_has_a_box_per_node_an_edge_per_pair_and_the_findings_by_severity()
        {
            string html = ClusterReport.Write("lab <check>", Nodes, Findings, ClusterReport.Pairs(Matrix), new DateTime(2026, 12, 2, 18, 0, 0, DateTimeKind.Utc));

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
            string html = ClusterReport.Write("x", Nodes, Findings, ClusterReport.Pairs(Matrix), DateTime.UtcNow, port: 4789);

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
            var matrix = nodes.SelectMany(a => nodes.Where(b => b != a).Select(b => Pair(a.Name, b.Name, a.Name == "n3" && b.Name == "n7" ? "Failed" : "Passed")));

            string html = ClusterReport.Write("x", nodes, new Finding[0], ClusterReport.Pairs(matrix), DateTime.UtcNow);

            Assert.DoesNotContain("<line class=\"edge", html);
            MatchCollection cells = Regex.Matches(html, "<rect class=\"cell (\\w+)\"");
            Assert.Equal(31 * 31, cells.Count);
            Assert.Equal("failed", cells[3 * 31 + 7].Groups[1].Value);
            Assert.Equal("passed", cells[7 * 31 + 3].Groups[1].Value);
            Assert.Equal(31, cells.Cast<Match>().Count(c => c.Groups[1].Value == "self"));
            Assert.Contains("1 of 930 pairs failed", html);
        }
    }
}
