using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlannelTools.NodeTables;
using Xunit;

namespace FlannelTools.Tests.NodeTables
{
    /// <summary>
    /// Real lab output pasted as a terminal shows it: a prompt and the command before it (tests/data/nodestate/pasted).
    /// The prompt and command lines are notes, never warnings, and the entries after them are read.
    /// </summary>
    public class PastedTextTests
    {
        private static IList<string> Lines(string file) => NodeStateData.Lines("pasted/" + file).ToList();

        private static List<ParseProblem> Warnings(NodeStateBuilder b) => b.Problems.Where(p => !p.IsNote).ToList();

        private static List<ParseProblem> Notes(NodeStateBuilder b) => b.Problems.Where(p => p.IsNote).ToList();

        [Fact]
        public void A_centos_prompt_before_bridge_fdb_show_is_not_json_and_both_entries_are_read_on_the_device_of_the_command()
        {
            IList<string> lines = Lines("fdb-centos-prompt.txt");
            Assert.False(NodeStateBuilder.IsJson(lines));
            var b = new NodeStateBuilder();
            b.AddFdb(lines, new TextOrigin("pasted"));
            FlannelTools.NodeState s = b.Build(null, null, "pasted");
            Assert.Equal(new[] { ("ee:81:17:b0:fd:7b", "192.168.0.13", "flannel.1"), ("02:f1:a4:00:00:0b", "192.168.0.11", "flannel.1") },
                s.Fdb.Select(e => (e.MacAddress, e.Destination, e.Device)));
            Assert.Empty(Warnings(b));
            Assert.Equal(new[] { 1, 4 }, Notes(b).Select(n => n.LineNumber));
            Assert.Contains("bridge fdb show dev flannel.1", Notes(b)[0].Message);
            Assert.Equal(0, b.LinesSkipped);
        }

        [Fact]
        public void An_explicit_device_wins_over_the_pasted_command()
        {
            ParseResult<FdbEntry> r = NodeStateBuilder.ParseFdb(Lines("fdb-centos-prompt.txt"), new TextOrigin("pasted"), 1, "flannel.9");
            Assert.All(r.Entries, e => Assert.Equal("flannel.9", e.Device));
        }

        [Fact]
        public void An_ubuntu_prompt_with_grep_and_a_comment_before_route_n_keeps_both_overlay_routes()
        {
            var b = new NodeStateBuilder();
            b.AddRoutes(Lines("route-n-grep-ubuntu-prompt.txt"), new TextOrigin("pasted"));
            FlannelTools.NodeState s = b.Build(null, null, "pasted");
            Assert.Equal(new[] { ("10.244.0.0/24", "10.244.0.0", "flannel.1"), ("10.244.2.0/24", "10.244.2.0", "flannel.1") },
                s.Routes.Select(r => (r.Destination, r.Gateway, r.Device)));
            Assert.Empty(Warnings(b));
            Assert.Single(Notes(b));
        }

        [Fact]
        public void A_dollar_prompt_before_ip_json_pretty_is_still_json_and_every_route_is_read()
        {
            IList<string> lines = Lines("ip-json-pretty-route.txt");
            Assert.True(NodeStateBuilder.IsJson(lines));
            var b = new NodeStateBuilder();
            b.AddRoutes(lines, new TextOrigin("pasted"));
            FlannelTools.NodeState s = b.Build(null, null, "pasted");
            Assert.Equal(new[] { "default", "10.244.0.0/24", "10.244.1.0/24", "10.244.2.0/24", "192.168.0.0/24" }, s.Routes.Select(r => r.Destination));
            Assert.Equal("192.168.0.1", s.Routes[0].Gateway);
            Assert.Empty(Warnings(b));
            Assert.Single(Notes(b));
        }

        [Fact]
        public void A_gentoo_prompt_before_ip_d_link_show_keeps_the_vtep()
        {
            var b = new NodeStateBuilder();
            b.AddLinks(Lines("ip-d-link-gentoo-prompt.txt"), new TextOrigin("pasted"));
            FlannelTools.NodeState s = b.Build(null, null, "pasted");
            Assert.Equal(("flannel.1", 1, "192.168.0.12", 8472), (s.Vtep.Name, s.Vtep.Vni, s.Vtep.LocalAddress, s.Vtep.Port));
            Assert.Empty(Warnings(b));
        }

        [Fact]
        public void A_bare_hash_prompt_before_arp_n_keeps_both_entries()
        {
            var b = new NodeStateBuilder();
            b.AddNeighbors(Lines("arp-n-bare-prompt.txt"), new TextOrigin("pasted"));
            FlannelTools.NodeState s = b.Build(null, null, "pasted");
            Assert.Equal(new[] { "10.244.2.0", "10.244.0.0" }, s.Neighbors.Select(n => n.Address));
            Assert.Empty(Warnings(b));
        }

        [Fact]
        public void A_multi_host_loop_is_a_note_per_separator_and_every_hosts_entries_are_read()
        {
            var b = new NodeStateBuilder();
            b.AddNeighbors(Lines("neigh-multi-host.txt"), new TextOrigin("pasted"));
            FlannelTools.NodeState s = b.Build(null, null, "pasted");
            Assert.Equal(4, s.Neighbors.Count);
            Assert.Empty(Warnings(b));
            Assert.Equal(new[] { 1, 2, 5 }, Notes(b).Select(n => n.LineNumber));
            Assert.Contains("node2", Notes(b)[2].Message);
        }

        [Theory]
        [InlineData("[root@node1 ~]# route -n |grep 10.244.2.0", "route -n")]
        [InlineData("[centos@ip-10-0-0-5 flannel]$ bridge fdb show dev flannel.1", "bridge fdb show dev flannel.1")]
        [InlineData("root@node1:~# ip neigh show # after the ping", "ip neigh show")]
        [InlineData("ubuntu@k8s-worker-1:/etc/cni$ sudo arp -n", "sudo arp -n")]
        [InlineData("node1 ~ # ip route", "ip route")]
        [InlineData("$ ip -j route", "ip -j route")]
        [InlineData("# bridge fdb show", "bridge fdb show")]
        [InlineData("ip route | grep flannel   # node1", "ip route")]
        [InlineData("[root@node1 ~]#", "")]
        public void Prompt_shapes_and_command_lines_are_terminal_lines_with_their_command(string line, string command)
        {
            Assert.True(TerminalText.IsTerminalLine(line, out string what));
            Assert.NotNull(what);
            Assert.Equal(command, TerminalText.CommandOf(line));
        }

        [Theory]
        [InlineData("=== node1 ===", "node1")]
        [InlineData("----- k8s-worker-2 -----", "k8s-worker-2")]
        [InlineData("#### node3", "node3")]
        public void Multi_host_separators_are_terminal_lines_naming_the_host(string line, string host)
        {
            Assert.True(TerminalText.IsTerminalLine(line, out string what));
            Assert.Contains(host, what);
            Assert.Null(TerminalText.CommandOf(line));
        }

        [Fact]
        public void No_line_of_the_real_lab_snapshots_is_taken_for_a_prompt()
        {
            var files = Directory.GetFiles(NodeStateData.PathOf("."), "*", SearchOption.AllDirectories)
                .Where(f => !f.Contains(Path.DirectorySeparatorChar + "pasted" + Path.DirectorySeparatorChar) && !f.EndsWith(".md") && !f.EndsWith(".state") && !f.EndsWith("lab.json"))
                .ToList();
            Assert.True(files.Count >= 30, "snapshots found: " + files.Count);
            var taken = files.SelectMany(f => File.ReadAllLines(f).Where(l => TerminalText.IsTerminalLine(l, out _)).Select(l => Path.GetFileName(f) + ": " + l)).ToList();
            Assert.Empty(taken);
        }

        [Fact]
        public void A_json_line_that_starts_with_a_bracket_is_not_a_prompt()
        {
            Assert.False(TerminalText.IsTerminalLine("[{\"dst\":\"default\",\"gateway\":\"192.168.0.1\",\"dev\":\"eth0\",\"flags\":[]}]", out _));
            Assert.False(TerminalText.IsTerminalLine("[ {", out _));
        }
    }
}
