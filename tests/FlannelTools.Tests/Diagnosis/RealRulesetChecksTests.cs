using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlannelTools.Diagnosis;
using FlannelTools.NodeTables;
using Xunit;

namespace FlannelTools.Tests.Diagnosis
{
    /// <summary>
    /// The firewall checks on rulesets the real tools printed (tests/data/hostlayer/nft and iptables), read through the
    /// collector's sections into node1 of the walkthrough's lab: parser, rule reader, evaluator and check together.
    /// </summary>
    public class RealRulesetChecksTests
    {
        private static readonly string[] Cni0 =
        {
            "4: cni0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1450 qdisc noqueue state UP group default qlen 1000",
            "    link/ether 5e:1f:93:3a:6b:21 brd ff:ff:ff:ff:ff:ff",
            "    inet 10.244.1.1/24 scope global cni0",
            "       valid_lft forever preferred_lft forever",
        };

        private static string[] Data(string file) =>
            File.ReadAllLines(Path.Combine(System.AppContext.BaseDirectory, "data", "hostlayer", file));

        /// <summary>node1 with the given collector sections (command, file); each backend not given is read and empty.</summary>
        private static (List<Finding> Findings, IReadOnlyList<ParseProblem> Problems) Check(string check, params (string Command, string[] Lines)[] sections)
        {
            var s = new Scenario();
            var builder = new NodeStateBuilder();
            builder.AddLinks(s.Links, new TextOrigin("link"));
            builder.AddLinks(Cni0, new TextOrigin("addr"));
            builder.AddRoutes(s.Routes, new TextOrigin("route"));
            builder.AddNeighbors(s.Neighbors, new TextOrigin("neigh"));
            builder.AddFdb(s.Fdb, new TextOrigin("fdb"));
            var given = sections.Select(x => x.Command).ToList();
            foreach (string command in new[] { "nft -j list ruleset", "iptables-nft-save -c", "iptables-legacy-save -c" }.Where(c => !given.Contains(c)))
            {
                builder.Host.AddSection(command, new string[0], new TextOrigin("empty"), 1, 0, null);
            }
            foreach (var (command, lines) in sections)
            {
                builder.Host.AddSection(command, lines, new TextOrigin(command), 1, 0, null);
            }
            FlannelTools.NodeState state = builder.Build("node1", null, "test");
            var context = new DiagnosisContext(state, s.Nodes, s.Nodes.Single(n => n.Name == "node1"));
            return (FirewallChecks.Run(context).Where(f => f.Check == check).ToList(), builder.Problems);
        }

        [Fact]
        public void A_real_nft_input_drop_of_udp_8472_closes_the_vxlan_port_and_its_remedy_inserts_an_accept_into_that_chain()
        {
            var (findings, problems) = Check("VxlanPortOpen", ("nft -j list ruleset", Data("nft/input-drop-8472.json")));

            Assert.Empty(problems);
            Finding error = Assert.Single(findings);
            Assert.Equal(FindingSeverity.Error, error.Severity);
            Assert.Contains("inet flannel_lab input", error.Actual);
            Assert.Equal("nft insert rule inet flannel_lab input udp dport 8472 accept", error.Remedy);
        }

        [Fact]
        public void The_same_ruleset_cut_short_is_not_read_and_the_port_is_unknown_never_open()
        {
            string whole = string.Join("\n", Data("nft/input-drop-8472.json"));
            string[] cut = { whole.Substring(0, whole.Length / 2) };

            var (findings, problems) = Check("VxlanPortOpen", ("nft -j list ruleset", cut));

            Assert.NotEmpty(problems);
            Assert.NotEmpty(findings);
            Assert.All(findings, f => Assert.Equal(FindingSeverity.Unknown, f.Severity));
            Assert.Contains(findings, f => f.Message.Contains("could not be parsed"));
        }

        [Fact]
        public void Rhels_reject_ahead_of_flannels_forward_rules_blocks_pod_traffic()
        {
            var (findings, _) = Check("ForwardFilter", ("iptables-legacy-save -c", Data("iptables/rhel7.iptables-legacy-save-c.txt")));

            Assert.Contains(findings, f => f.Severity == FindingSeverity.Error && f.Actual.Contains("REJECT --reject-with icmp-host-prohibited"));
            Assert.All(findings.Where(f => f.Severity == FindingSeverity.Error), f => Assert.StartsWith("iptables-legacy -I FORWARD", f.Remedy));
        }

        [Fact]
        public void Dockers_forward_policy_drop_beside_flannels_forward_rules_lets_pod_traffic_pass()
        {
            var (findings, _) = Check("ForwardFilter", ("iptables-nft-save -c", Data("iptables/docker.iptables-nft-save-c.txt")));

            Assert.NotEmpty(findings);
            Assert.All(findings, f => Assert.Equal(FindingSeverity.Information, f.Severity));
        }

        [Fact]
        public void A_legacy_input_drop_that_nft_cannot_see_closes_the_port_and_the_split_backends_are_a_warning()
        {
            string[] split = Data("iptables/split.iptables-legacy-save-c.txt");
            var (port, _) = Check("VxlanPortOpen", ("iptables-legacy-save -c", split), ("iptables-nft-save -c", Data("iptables/split.iptables-nft-save-c.txt")));
            var (backends, _) = Check("FirewallBackends", ("iptables-legacy-save -c", split), ("iptables-nft-save -c", Data("iptables/split.iptables-nft-save-c.txt")));

            Assert.Contains(port, f => f.Severity == FindingSeverity.Error && f.Remedy != null && f.Remedy.StartsWith("iptables-legacy -I INPUT"));
            Assert.Contains(backends, f => f.Severity == FindingSeverity.Warning);
        }

        [Fact]
        public void A_firewalld_zone_that_allows_udp_8472_opens_the_vxlan_port()
        {
            var (findings, problems) = Check("VxlanPortOpen", ("nft -j list ruleset", Data("nft/firewalld.json")));

            Assert.Empty(problems);
            Assert.NotEmpty(findings);
            Assert.All(findings, f => Assert.Equal(FindingSeverity.Information, f.Severity));
        }

        [Fact]
        public void The_same_firewalld_zone_without_its_8472_rule_rejects_vxlan_and_the_remedy_is_firewall_cmd()
        {
            string[] withoutPort = Data("nft/firewalld.txt").Where(l => l.Trim() != "udp dport 8472 accept").ToArray();
            Assert.NotEqual(Data("nft/firewalld.txt").Length, withoutPort.Length);

            var (findings, problems) = Check("VxlanPortOpen", ("nft list ruleset", withoutPort));

            Assert.Empty(problems);
            Finding error = Assert.Single(findings);
            Assert.True(error.Severity == FindingSeverity.Error, error.Actual + " / " + error.Message);
            Assert.Contains("reject", error.Actual);
            Assert.StartsWith("firewall-cmd --permanent --add-port=8472/udp", error.Remedy);
        }
    }
}
