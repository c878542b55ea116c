using System.Linq;
using FlannelTools.HostLayer.Kernel;
using FlannelTools.NodeTables;
using Xunit;

namespace FlannelTools.Tests.HostLayer
{
    /// <summary>
    /// EthtoolParser on ethtool 6.1's output in hlkern-a after make.sh's <c>ethtool -K flannel.1 tx-checksum-ip-generic off</c>
    /// and <c>ethtool -K va tx off</c>.
    /// </summary>
    public class KernelEthtoolTests
    {
        private static Offload Feature(ParseResult<Offload> r, string name) => r.Entries.Single(o => o.Feature == name);

        [Theory]
        [InlineData("ethtool-k-flannel.1.txt")]
        [InlineData("ethtool-json-k-flannel.1.json")]
        public void Checksum_offload_turned_off_on_the_vtep_reads_as_off_and_not_fixed(string file)
        {
            ParseResult<Offload> r = EthtoolParser.Parse(KernelData.Lines(file), KernelData.Origin(file), 1, null);
            Assert.Empty(r.Problems);
            Offload csum = Feature(r, "tx-checksum-ip-generic");
            Assert.Equal(("flannel.1", false, false), (csum.Device, csum.Enabled, csum.Fixed));
            Offload v4 = Feature(r, "tx-checksum-ipv4");
            Assert.Equal((false, true), (v4.Enabled, v4.Fixed));
            Assert.True(Feature(r, "rx-checksumming").Enabled);
            Assert.False(Feature(r, "large-receive-offload").Enabled);
            Assert.True(Feature(r, "large-receive-offload").Fixed);
        }

        [Fact]
        public void Text_and_json_of_the_same_device_give_the_same_features()
        {
            ParseResult<Offload> text = EthtoolParser.Parse(KernelData.Lines("ethtool-k-va.txt"), KernelData.Origin("t"), 1, null);
            ParseResult<Offload> json = EthtoolParser.Parse(KernelData.Lines("ethtool-json-k-va.json"), KernelData.Origin("j"), 1, null);
            Assert.Empty(text.Problems);
            Assert.Empty(json.Problems);
            Assert.Equal(text.Entries.Select(o => o.ToString()).OrderBy(s => s), json.Entries.Select(o => o.ToString()).OrderBy(s => s));
            Assert.False(Feature(text, "tx-checksumming").Enabled);
            Assert.False(Feature(text, "tx-checksum-ip-generic").Enabled);
            Assert.False(Feature(json, "generic-receive-offload").Enabled);
        }

        [Fact]
        public void A_requested_but_inactive_segmentation_offload_is_off()
        {
            // "tx-tcp-segmentation: off [requested on]": tx off took TSO with it
            ParseResult<Offload> r = EthtoolParser.Parse(KernelData.Lines("ethtool-k-va.txt"), KernelData.Origin("t"), 1, null);
            Offload tso = Feature(r, "tx-tcp-segmentation");
            Assert.Equal((false, false), (tso.Enabled, tso.Fixed));
        }

        [Fact]
        public void The_json_features_say_the_line_their_name_is_on()
        {
            string[] lines = KernelData.Lines("ethtool-json-k-flannel.1.json");
            ParseResult<Offload> r = EthtoolParser.Parse(lines, KernelData.Origin("e.json"), 10, null);
            Offload csum = Feature(r, "tx-checksum-ip-generic");
            int index = System.Array.FindIndex(lines, l => l.Contains("\"tx-checksum-ip-generic\""));
            Assert.Equal("e.json:" + (10 + index), csum.Source);
        }

        [Fact]
        public void Text_without_a_features_header_takes_the_device_the_command_named()
        {
            string[] lines = KernelData.Lines("ethtool-k-va.txt").Skip(1).ToArray();
            ParseResult<Offload> named = EthtoolParser.Parse(lines, new TextOrigin("t"), 2, "eth0");
            Assert.Empty(named.Problems);
            Assert.All(named.Entries, o => Assert.Equal("eth0", o.Device));
            ParseResult<Offload> unnamed = EthtoolParser.Parse(lines, new TextOrigin("t"), 2, null);
            Assert.Empty(unnamed.Entries);
            Assert.Equal(lines.Count(l => l.Trim().Length > 0), unnamed.Problems.Count);
            Assert.Equal(2, unnamed.Problems[0].LineNumber);
        }

        [Fact]
        public void Malformed_text_lines_are_problems_with_their_numbers_and_the_rest_is_read()
        {
            ParseResult<Offload> r = EthtoolParser.Parse(KernelData.Typed(
                "Features for eth0:",
                "rx-checksumming: on",
                "tx-checksumming: maybe",
                "Cannot get device feature names: No such device",
                "\ttx-checksum-ip-generic: off [fixed]"), new TextOrigin("typed"), 1, null);
            Assert.Equal(new[] { "eth0 rx-checksumming: on", "eth0 tx-checksum-ip-generic: off [fixed]" }, r.Entries.Select(o => o.ToString()));
            Assert.Equal(new[] { 3, 4 }, r.Problems.Select(p => p.LineNumber));
            Assert.Contains("could not read", r.Problems[1].Message);
        }

        [Fact]
        public void Malformed_json_is_one_problem_and_a_feature_without_active_is_a_problem_of_its_own()
        {
            ParseResult<Offload> broken = EthtoolParser.Parse(KernelData.Typed("[ {", "\"ifname\": \"eth0\","), new TextOrigin("typed"), 7, null);
            Assert.Empty(broken.Entries);
            Assert.Equal(7, Assert.Single(broken.Problems).LineNumber);
            ParseResult<Offload> partial = EthtoolParser.Parse(KernelData.Typed(
                "[ {",
                "  \"ifname\": \"eth0\",",
                "  \"rx-checksumming\": { \"active\": true, \"fixed\": false, \"requested\": true },",
                "  \"tx-checksumming\": { \"fixed\": false }",
                "} ]"), new TextOrigin("typed"), 1, null);
            Assert.Equal("eth0 rx-checksumming: on", Assert.Single(partial.Entries).ToString());
            ParseProblem p = Assert.Single(partial.Problems);
            Assert.Equal((4, "tx-checksumming"), (p.LineNumber, p.Line));
        }
    }
}
