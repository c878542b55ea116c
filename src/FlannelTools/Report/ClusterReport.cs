using System.Net;
using FlannelTools.Diagnosis;

namespace FlannelTools.Report
{
    /// <summary>One ordered pair of nodes (From sends to To) as the report draws it: its worst status over the families, and the parts that failed.</summary>
    internal sealed class ReportPair
    {
        public ReportPair(string from, string to, string status, IReadOnlyList<string> checks) => (From, To, Status, Checks) = (from, to, status, checks);

        public string From { get; }
        public string To { get; }

        /// <summary>Passed, Failed or Unknown (<see cref="PairStatus"/>).</summary>
        public string Status { get; }

        /// <summary>The parts (Route, Neighbor, Fdb, PathMtu) that are not Passed, when the status is not Passed.</summary>
        public IReadOnlyList<string> Checks { get; }
    }

    /// <summary>
    /// Writes one self-contained HTML page of a cluster check: the cluster map (a box per node and an edge per pair coloured
    /// by the pair's status; a heat map of the pairs, rows send and columns receive, past <see cref="MaxMapNodes"/> nodes),
    /// the findings sorted by severity with their evidence and remedies, and for each failed pair the outer and inner headers
    /// its packets would carry. Inline CSS and SVG only: no script, no font or file from anywhere else.
    /// </summary>
    internal static class ClusterReport
    {
        public const int MaxMapNodes = 30;
        private const int MaxEncapsulationTables = 20;

        private const string Passed = PairStatus.Passed;
        private const string Failed = PairStatus.Failed;
        private const string Unknown = PairStatus.Unknown;

        private static readonly string[] SeverityOrder = { FindingSeverity.Error, FindingSeverity.Warning, FindingSeverity.Unknown, FindingSeverity.Information };

        private static int Rank(string severity)
        {
            int i = Array.IndexOf(SeverityOrder, severity);
            return i < 0 ? SeverityOrder.Length : i;
        }

        /// <summary>The report's pairs from the pair matrix (<see cref="PairMatrix"/>, every family): per ordered pair, the worst status, and the parts that are not Passed.</summary>
        public static List<ReportPair> Pairs(IEnumerable<NodePair> matrix)
        {
            string[] order = { Failed, Unknown, Passed };
            return matrix.GroupBy(p => (p.From, p.To)).Select(g =>
            {
                string status = order[g.Min(p => Math.Max(0, Array.IndexOf(order, p.Status)))];
                var parts = new List<string>();
                foreach (NodePair p in g.Where(p => p.Status != Passed))
                {
                    foreach ((string name, string value) in new[] { ("Route", p.Route), ("Neighbor", p.Neighbor), ("Fdb", p.Fdb), ("PathMtu", p.PathMtu) })
                    {
                        if (value != Passed && !parts.Contains(name))
                        {
                            parts.Add(name + (value == Unknown ? " unknown" : string.Empty));
                        }
                    }
                }
                return new ReportPair(g.Key.From, g.Key.To, status, parts);
            }).ToList();
        }

        /// <summary>The page, for the nodes, the findings (any order) and the pairs' statuses.</summary>
        public static string Write(string title, IReadOnlyList<FlannelNode> nodes, IEnumerable<Finding> findings, IReadOnlyList<ReportPair> pairs,
            DateTime generatedAt, int port = 8472)
        {
            List<Finding> sorted = findings.OrderBy(f => Rank(f.Severity)).ThenBy(f => f.LocalNode ?? string.Empty, StringComparer.Ordinal)
                .ThenBy(f => f.Check, StringComparer.Ordinal).ThenBy(f => f.Node ?? string.Empty, StringComparer.Ordinal).ToList();
            var html = new StringBuilder();
            html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>").Append(E(title)).Append("</title>\n<style>\n")
                .Append(Css).Append("</style>\n</head>\n<body>\n");
            html.Append("<h1>").Append(E(title)).Append("</h1>\n<p class=\"meta\">")
                .Append(E(generatedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture))).Append(" · ")
                .Append(nodes.Count.ToString(CultureInfo.InvariantCulture)).Append(" nodes · ");
            foreach (string severity in SeverityOrder)
            {
                int count = sorted.Count(f => f.Severity == severity);
                html.Append("<span class=\"sev ").Append(severity.ToLowerInvariant()).Append("\">").Append(count.ToString(CultureInfo.InvariantCulture))
                    .Append(' ').Append(severity).Append("</span> ");
            }
            int failedPairs = pairs.Count(p => p.Status == Failed);
            html.Append("· <span id=\"failed-pairs\">").Append(failedPairs.ToString(CultureInfo.InvariantCulture)).Append(" of ")
                .Append(pairs.Count.ToString(CultureInfo.InvariantCulture)).Append(" pairs failed</span></p>\n");

            var nodeErrors = new HashSet<string>(sorted.Where(f => f.Severity == FindingSeverity.Error && f.LocalNode != null && (f.Node == null || f.Node == f.LocalNode) && f.AffectedNodes.Count == 0)
                .Select(f => f.LocalNode));
            html.Append("<section id=\"map\">\n<h2>Cluster map</h2>\n");
            if (nodes.Count <= MaxMapNodes)
            {
                WriteMap(html, nodes, pairs, nodeErrors);
            }
            else
            {
                WriteHeatMap(html, nodes, pairs);
            }
            html.Append("<p class=\"legend\"><span class=\"key passed\"></span>Passed <span class=\"key failed\"></span>Failed " +
                "<span class=\"key unknown\"></span>Unknown (not checked) · a red node box: an error on the node itself</p>\n</section>\n");

            html.Append("<section id=\"findings\">\n<h2>Findings</h2>\n");
            if (sorted.Count == 0)
            {
                html.Append("<p>No findings.</p>\n");
            }
            else
            {
                html.Append("<table class=\"findings\">\n<thead><tr><th>Severity</th><th>Check</th><th>On node</th><th>About</th><th>What is wrong</th><th>Evidence</th><th>Remedy</th></tr></thead>\n<tbody>\n");
                foreach (Finding f in sorted)
                {
                    html.Append("<tr class=\"").Append(E(f.Severity.ToLowerInvariant())).Append("\"><td class=\"sev ").Append(E(f.Severity.ToLowerInvariant())).Append("\">")
                        .Append(E(f.Severity)).Append("</td><td class=\"check\">").Append(E(f.Check)).Append("</td><td class=\"on\">").Append(E(f.LocalNode ?? "cluster"))
                        .Append("</td><td>").Append(E(f.Node ?? string.Empty));
                    if (f.AffectedNodes.Count > 0)
                    {
                        html.Append("<div class=\"affected\">").Append(f.AffectedNodes.Count.ToString(CultureInfo.InvariantCulture)).Append(" nodes: ")
                            .Append(E(string.Join(", ", f.AffectedNodes))).Append("</div>");
                    }
                    html.Append("</td><td>").Append(E(f.Message)).Append("</td><td>");
                    if (f.Expected != null)
                    {
                        html.Append("<div><b>expected</b> <code>").Append(E(f.Expected)).Append("</code></div>");
                    }
                    if (f.Actual != null)
                    {
                        html.Append("<div><b>actual</b> <code>").Append(E(f.Actual)).Append("</code></div>");
                    }
                    html.Append("</td><td>");
                    if (!string.IsNullOrEmpty(f.Remedy))
                    {
                        html.Append("<pre>").Append(E(f.Remedy)).Append("</pre>");
                    }
                    html.Append("</td></tr>\n");
                }
                html.Append("</tbody>\n</table>\n");
            }
            html.Append("</section>\n");

            List<ReportPair> broken = pairs.Where(p => p.Status == Failed).ToList();
            if (broken.Count > 0)
            {
                html.Append("<section id=\"encapsulation\">\n<h2>The headers of a broken pair</h2>\n<p>What a packet from a pod of the first node to a pod of " +
                    "the second carries, from what the nodes announce (docs/walkthrough.md draws the same table from a capture).</p>\n");
                Dictionary<string, FlannelNode> byName = nodes.GroupBy(n => n.Name).ToDictionary(g => g.Key, g => g.First());
                foreach (ReportPair pair in broken.Take(MaxEncapsulationTables))
                {
                    WriteEncapsulation(html, byName[pair.From], byName[pair.To], pair, port);
                }
                if (broken.Count > MaxEncapsulationTables)
                {
                    html.Append("<p>").Append((broken.Count - MaxEncapsulationTables).ToString(CultureInfo.InvariantCulture)).Append(" more broken pairs are not drawn.</p>\n");
                }
                html.Append("</section>\n");
            }
            html.Append("</body>\n</html>\n");
            return html.ToString();
        }

        private static void WriteMap(StringBuilder html, IReadOnlyList<FlannelNode> nodes, IReadOnlyList<ReportPair> pairs, HashSet<string> nodeErrors)
        {
            const double boxWidth = 200, boxHeight = 74;
            int n = nodes.Count;
            double radius = n <= 1 ? 0 : Math.Max(170, n * (boxWidth + 20) / (2 * Math.PI));
            double width = 2 * radius + boxWidth + 40, height = 2 * radius + boxHeight + 40;
            var centre = new Dictionary<string, (double X, double Y)>();
            for (int i = 0; i < n; i++)
            {
                double angle = -Math.PI / 2 + 2 * Math.PI * i / n;
                centre[nodes[i].Name] = (width / 2 + radius * Math.Cos(angle), height / 2 + radius * Math.Sin(angle));
            }
            html.Append("<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").Append(F(width)).Append(' ').Append(F(height))
                .Append("\" width=\"").Append(F(Math.Min(width, 1300))).Append("\" role=\"img\" aria-label=\"cluster map\">\n");
            // one edge per unordered pair, coloured by the worse of its two directions
            for (int i = 0; i < n; i++)
            {
                for (int j = i + 1; j < n; j++)
                {
                    ReportPair there = pairs.FirstOrDefault(p => p.From == nodes[i].Name && p.To == nodes[j].Name);
                    ReportPair back = pairs.FirstOrDefault(p => p.From == nodes[j].Name && p.To == nodes[i].Name);
                    string status = Worse(there?.Status, back?.Status);
                    var a = centre[nodes[i].Name];
                    var b = centre[nodes[j].Name];
                    string checks = string.Join(", ", (there?.Checks ?? new string[0]).Concat(back?.Checks ?? new string[0]).Distinct());
                    html.Append("<line class=\"edge ").Append(status.ToLowerInvariant()).Append("\" x1=\"").Append(F(a.X)).Append("\" y1=\"").Append(F(a.Y))
                        .Append("\" x2=\"").Append(F(b.X)).Append("\" y2=\"").Append(F(b.Y)).Append("\"><title>")
                        .Append(E(nodes[i].Name + " → " + nodes[j].Name + ": " + (there?.Status ?? Unknown) + "; " + nodes[j].Name + " → " + nodes[i].Name + ": " +
                            (back?.Status ?? Unknown) + (checks.Length > 0 ? " (" + checks + ")" : string.Empty)))
                        .Append("</title></line>\n");
                }
            }
            foreach (FlannelNode node in nodes)
            {
                var c = centre[node.Name];
                double x = c.X - boxWidth / 2, y = c.Y - boxHeight / 2;
                html.Append("<g class=\"node").Append(nodeErrors.Contains(node.Name) ? " error" : string.Empty).Append("\">")
                    .Append("<rect x=\"").Append(F(x)).Append("\" y=\"").Append(F(y)).Append("\" width=\"").Append(F(boxWidth)).Append("\" height=\"")
                    .Append(F(boxHeight)).Append("\" rx=\"6\"/>");
                string[] lines = { node.Name, node.PublicAddress ?? "no public-ip", node.PodCidr ?? "no pod subnet", node.VtepMac ?? "no VtepMAC" };
                for (int k = 0; k < lines.Length; k++)
                {
                    html.Append("<text x=\"").Append(F(x + 10)).Append("\" y=\"").Append(F(y + 18 + k * 16)).Append("\"")
                        .Append(k == 0 ? " class=\"name\"" : string.Empty).Append('>').Append(E(lines[k])).Append("</text>");
                }
                html.Append("</g>\n");
            }
            html.Append("</svg>\n");
        }

        private static void WriteHeatMap(StringBuilder html, IReadOnlyList<FlannelNode> nodes, IReadOnlyList<ReportPair> pairs)
        {
            int n = nodes.Count;
            double cell = Math.Max(4, Math.Min(14, 1100.0 / n));
            double label = 120;
            double size = label + n * cell + 10;
            var status = pairs.ToDictionary(p => (p.From, p.To));
            html.Append("<p>").Append(n.ToString(CultureInfo.InvariantCulture)).Append(" nodes: every pair, rows send, columns receive.</p>\n")
                .Append("<svg class=\"heatmap\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ").Append(F(size)).Append(' ').Append(F(size))
                .Append("\" width=\"").Append(F(Math.Min(size, 1300))).Append("\" role=\"img\" aria-label=\"pair heat map\">\n");
            for (int i = 0; i < n; i++)
            {
                html.Append("<text class=\"row\" x=\"").Append(F(label - 4)).Append("\" y=\"").Append(F(label + i * cell + cell * 0.8)).Append("\" font-size=\"")
                    .Append(F(Math.Max(4, cell - 2))).Append("\">").Append(E(nodes[i].Name)).Append("</text>");
                html.Append("<text class=\"col\" transform=\"translate(").Append(F(label + i * cell + cell * 0.8)).Append(' ').Append(F(label - 4))
                    .Append(") rotate(-90)\" font-size=\"").Append(F(Math.Max(4, cell - 2))).Append("\">").Append(E(nodes[i].Name)).Append("</text>\n");
            }
            for (int i = 0; i < n; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    string s = i == j ? "self" : status.TryGetValue((nodes[i].Name, nodes[j].Name), out ReportPair p) ? p.Status.ToLowerInvariant() : "unknown";
                    html.Append("<rect class=\"cell ").Append(s).Append("\" x=\"").Append(F(label + j * cell)).Append("\" y=\"").Append(F(label + i * cell))
                        .Append("\" width=\"").Append(F(cell)).Append("\" height=\"").Append(F(cell)).Append("\">");
                    if (i != j)
                    {
                        html.Append("<title>").Append(E(nodes[i].Name + " → " + nodes[j].Name + ": " + s)).Append("</title>");
                    }
                    html.Append("</rect>");
                }
                html.Append('\n');
            }
            html.Append("</svg>\n");
        }

        private static void WriteEncapsulation(StringBuilder html, FlannelNode from, FlannelNode to, ReportPair pair, int port)
        {
            string vni = (to.Vni ?? from.Vni)?.ToString(CultureInfo.InvariantCulture) ?? "?";
            html.Append("<div class=\"pair\"><h3>").Append(E(from.Name + " → " + to.Name)).Append(" <span class=\"checks\">")
                .Append(E(string.Join(", ", pair.Checks))).Append("</span></h3>\n<table class=\"encap\">\n<thead><tr><th>Header</th><th>src IP</th><th>src MAC</th><th>dst IP</th><th>dst MAC</th></tr></thead>\n<tbody>\n")
                .Append("<tr><td>outer</td><td>").Append(E(from.PublicAddress ?? "?")).Append("</td><td>").Append(E(from.Name + "'s underlay device"))
                .Append("</td><td>").Append(E(to.PublicAddress ?? "?")).Append("</td><td>").Append(E(to.Name + "'s underlay device (or the gateway's)"))
                .Append("</td></tr>\n<tr><td>VXLAN</td><td colspan=\"4\">UDP to port ").Append(port.ToString(CultureInfo.InvariantCulture)).Append(", VNI ").Append(E(vni))
                .Append("</td></tr>\n<tr><td>inner</td><td>").Append(E("a pod of " + (from.PodCidr ?? "?"))).Append("</td><td>").Append(E(from.VtepMac ?? "?"))
                .Append("</td><td>").Append(E("a pod of " + (to.PodCidr ?? "?"))).Append("</td><td>").Append(E(to.VtepMac ?? "?"))
                .Append("</td></tr>\n</tbody>\n</table></div>\n");
        }

        private static string Worse(string a, string b)
        {
            string[] order = { Failed, Unknown, Passed };
            int ia = a == null ? 1 : Array.IndexOf(order, a), ib = b == null ? 1 : Array.IndexOf(order, b);
            return order[Math.Min(ia, ib)];
        }

        private static string E(string text) => WebUtility.HtmlEncode(text ?? string.Empty);

        private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

        private const string Css = @"body { font: 14px/1.4 sans-serif; color: #1a1a1a; margin: 24px; max-width: 1352px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 18px; border-bottom: 1px solid #ccc; padding-bottom: 4px; margin-top: 28px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.meta { color: #555; }
.sev { font-weight: bold; }
.sev.error { color: #b00020; } .sev.warning { color: #a05a00; } .sev.unknown { color: #555; } .sev.information { color: #1b6e20; }
svg text { font: 12px sans-serif; fill: #1a1a1a; }
svg text.name { font-weight: bold; }
.node rect { fill: #f4f7fb; stroke: #4a6a8a; stroke-width: 1.5; }
.node.error rect { fill: #fde7ea; stroke: #b00020; stroke-width: 2.5; }
.edge { stroke-width: 3; }
.edge.passed, .cell.passed { stroke: #2e7d32; fill: #2e7d32; }
.edge.failed, .cell.failed { stroke: #c62828; fill: #c62828; }
.edge.unknown, .cell.unknown { stroke: #9e9e9e; fill: #9e9e9e; stroke-dasharray: 6 4; }
.cell { stroke: #fff !important; stroke-width: 0.5; stroke-dasharray: none !important; }
.cell.self { fill: #eee; }
.heatmap text.row { text-anchor: end; }
.legend .key { display: inline-block; width: 14px; height: 10px; margin: 0 4px 0 12px; }
.key.passed { background: #2e7d32; } .key.failed { background: #c62828; } .key.unknown { background: #9e9e9e; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #ccc; padding: 4px 6px; text-align: left; vertical-align: top; }
th { background: #eef1f4; }
tr.error td:first-child { border-left: 4px solid #c62828; }
tr.warning td:first-child { border-left: 4px solid #ef6c00; }
table.findings td { overflow-wrap: anywhere; }
table.findings td.sev, table.findings td.check, table.findings td.on { white-space: nowrap; overflow-wrap: normal; }
table.encap { width: auto; } table.encap td { font-family: monospace; }
code, pre { font-family: monospace; font-size: 12px; }
pre { white-space: pre-wrap; margin: 0; background: #f6f6f6; padding: 4px; }
.affected { color: #555; font-size: 12px; }
.checks { color: #b00020; font-weight: normal; font-size: 13px; }
@media print { body { margin: 0; max-width: none; font-size: 11px; } tr, .pair, svg { break-inside: avoid; } h2 { break-after: avoid; } }
";
    }
}
