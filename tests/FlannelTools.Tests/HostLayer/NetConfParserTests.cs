using System.Linq;
using FlannelTools.HostLayer.FlannelConfig;
using FlannelTools.NodeTables;
using Xunit;

namespace FlannelTools.Tests.HostLayer
{
    public class NetConfParserTests
    {
        private static ParseResult<FlannelNetConf> Parse(params string[] lines) => NetConfParser.Parse(lines, new TextOrigin("net-conf.json"), 1);

        [Fact]
        public void Reads_kube_flannel_yml_net_conf_json_with_flannel_defaults_for_what_it_leaves_out()
        {
            ParseResult<FlannelNetConf> result = NetConfParser.Parse(FlannelConfigData.Lines("net-conf.json"), new TextOrigin("net-conf.json"), 1);

            Assert.Empty(result.Problems);
            FlannelNetConf netConf = Assert.Single(result.Entries);
            Assert.Equal("10.244.0.0/16", netConf.Network);
            Assert.Equal("vxlan", netConf.BackendType);
            Assert.False(netConf.EnableNFTables);
            Assert.True(netConf.EnableIPv4);
            Assert.False(netConf.EnableIPv6);
            Assert.Equal(1, netConf.Vni);
            Assert.Equal(0, netConf.Port);
            Assert.Equal(8472, netConf.EffectivePort);
            Assert.Null(netConf.Mtu);
            Assert.False(netConf.DirectRouting);
        }

        [Fact]
        public void Matches_member_names_in_any_case_as_Go_encoding_json_does()
        {
            FlannelNetConf netConf = Assert.Single(Parse(
                "{ \"network\": \"10.42.0.0/16\", \"ipv6network\": \"fd42::/48\", \"enableipv6\": true, \"ENABLENFTABLES\": true,",
                "  \"backend\": { \"type\": \"vxlan\", \"vni\": 4096, \"port\": 4789, \"mtu\": 1400, \"gbp\": true, \"learning\": true, \"directrouting\": true } }").Entries);

            Assert.Equal("10.42.0.0/16", netConf.Network);
            Assert.Equal("fd42::/48", netConf.IPv6Network);
            Assert.True(netConf.EnableIPv6);
            Assert.True(netConf.EnableNFTables);
            Assert.Equal("vxlan", netConf.BackendType);
            Assert.Equal(4096, netConf.Vni);
            Assert.Equal(4789, netConf.EffectivePort);
            Assert.Equal(1400, netConf.Mtu);
            Assert.True(netConf.Gbp);
            Assert.True(netConf.Learning);
            Assert.True(netConf.DirectRouting);
        }

        [Fact]
        public void An_exact_match_wins_over_one_that_differs_in_case()
        {
            FlannelNetConf netConf = Assert.Single(Parse("{ \"network\": \"10.1.0.0/16\", \"Network\": \"10.244.0.0/16\", \"Backend\": { \"Type\": \"vxlan\" } }").Entries);

            Assert.Equal("10.244.0.0/16", netConf.Network);
        }

        [Fact]
        public void EnableIPv4_false_turns_the_IPv4_default_off()
        {
            FlannelNetConf netConf = Assert.Single(Parse("{ \"EnableIPv4\": false, \"EnableIPv6\": true, \"IPv6Network\": \"fd10:244::/32\", \"Backend\": { \"Type\": \"vxlan\" } }").Entries);

            Assert.False(netConf.EnableIPv4);
            Assert.True(netConf.EnableIPv6);
            Assert.Null(netConf.Network);
        }

        [Fact]
        public void Without_a_Backend_flannel_runs_the_udp_backend()
        {
            Assert.Equal("udp", Assert.Single(Parse("{ \"Network\": \"10.244.0.0/16\" }").Entries).BackendType);
        }

        [Fact]
        public void A_null_leaves_flannel_s_default()
        {
            FlannelNetConf netConf = Assert.Single(Parse("{ \"EnableIPv4\": null, \"Backend\": { \"Type\": \"vxlan\", \"VNI\": null } }").Entries);

            Assert.True(netConf.EnableIPv4);
            Assert.Equal(1, netConf.Vni);
        }

        [Theory]
        [InlineData("\"VNI\": \"2\"", "VNI")]
        [InlineData("\"Port\": 8472.5", "Port")]
        [InlineData("\"DirectRouting\": \"true\"", "DirectRouting")]
        public void A_value_of_the_wrong_type_is_a_problem_on_its_line_and_the_rest_is_read(string member, string name)
        {
            ParseResult<FlannelNetConf> result = Parse("{", "  \"Network\": \"10.244.0.0/16\",", "  \"Backend\": {", "    \"Type\": \"vxlan\",", "    " + member, "  }", "}");

            ParseProblem problem = Assert.Single(result.Problems);
            Assert.Equal(5, problem.LineNumber);
            Assert.Contains(name, problem.Message);
            FlannelNetConf netConf = Assert.Single(result.Entries);
            Assert.Equal("10.244.0.0/16", netConf.Network);
            Assert.Equal("vxlan", netConf.BackendType);
        }

        [Theory]
        [InlineData("\"Network\": \"10.244.0.0\"")]
        [InlineData("\"Network\": \"fd10::/64\"")]
        [InlineData("\"Network\": \"not a network\"")]
        public void A_Network_that_is_not_an_IPv4_prefix_is_a_problem(string member)
        {
            ParseResult<FlannelNetConf> result = Parse("{ " + member + ", \"Backend\": { \"Type\": \"vxlan\" } }");

            Assert.Contains("Network", Assert.Single(result.Problems).Message);
            Assert.Null(Assert.Single(result.Entries).Network);
        }

        [Fact]
        public void Text_that_is_not_JSON_is_one_problem_naming_the_line_and_no_entry()
        {
            ParseResult<FlannelNetConf> result = Parse("{", "  \"Network\": \"10.244.0.0/16\"", "  \"Backend\": {}", "}");

            ParseProblem problem = Assert.Single(result.Problems);
            Assert.Equal(3, problem.LineNumber);
            Assert.Equal("\"Backend\": {}", problem.Line);
            Assert.Empty(result.Entries);
        }

        [Fact]
        public void A_Backend_that_is_not_an_object_is_a_problem()
        {
            ParseResult<FlannelNetConf> result = Parse("{ \"Network\": \"10.244.0.0/16\", \"Backend\": \"vxlan\" }");

            Assert.Contains("Backend", Assert.Single(result.Problems).Message);
            Assert.Null(Assert.Single(result.Entries).BackendType);
        }

        [Fact]
        public void A_JSON_array_is_not_a_net_conf()
        {
            ParseResult<FlannelNetConf> result = Parse("[1, 2]");

            Assert.Single(result.Problems);
            Assert.Empty(result.Entries);
        }
    }
}
