using System.Linq;
using FlannelTools.HostLayer.FlannelConfig;
using FlannelTools.NodeTables;
using Xunit;

namespace FlannelTools.Tests.HostLayer
{
    public class SubnetEnvParserTests
    {
        private static ParseResult<SubnetEnv> Parse(string[] lines, string origin = "subnet.env") =>
            SubnetEnvParser.Parse(lines, new TextOrigin(origin), 1, "/run/flannel/subnet.env");

        [Fact]
        public void Reads_the_four_lines_flanneld_writes_for_an_IPv4_node()
        {
            ParseResult<SubnetEnv> result = Parse(FlannelConfigData.Lines("subnet.env"));

            Assert.Empty(result.Problems);
            SubnetEnv env = Assert.Single(result.Entries);
            Assert.Equal("10.244.0.0/16", env.Network);
            Assert.Equal("10.244.1.1/24", env.Subnet);
            Assert.Equal(1450, env.Mtu);
            Assert.True(env.IpMasq);
            Assert.Null(env.IPv6Network);
            Assert.Null(env.IPv6Subnet);
            Assert.Equal("/run/flannel/subnet.env", env.Path);
            Assert.Equal(new[] { "FLANNEL_NETWORK=10.244.0.0/16", "FLANNEL_SUBNET=10.244.1.1/24", "FLANNEL_MTU=1450", "FLANNEL_IPMASQ=true" }, env.Entries);
        }

        [Fact]
        public void Reads_the_IPv6_lines_of_a_dual_stack_node_beside_the_IPv4_ones()
        {
            SubnetEnv env = Assert.Single(Parse(FlannelConfigData.Lines("subnet-dualstack.env")).Entries);

            Assert.Equal("10.244.1.1/24", env.Subnet);
            Assert.Equal("fd10:244::/32", env.IPv6Network);
            Assert.Equal("fd10:244:1::1/64", env.IPv6Subnet);
        }

        [Fact]
        public void An_IPv6_only_node_has_no_IPv4_network_or_subnet()
        {
            ParseResult<SubnetEnv> result = Parse(FlannelConfigData.Lines("subnet-ipv6only.env"));

            Assert.Empty(result.Problems);
            SubnetEnv env = Assert.Single(result.Entries);
            Assert.Null(env.Network);
            Assert.Null(env.Subnet);
            Assert.Equal("fd10:244:1::1/64", env.IPv6Subnet);
            Assert.Equal(1430, env.Mtu);
            Assert.False(env.IpMasq);
        }

        [Fact]
        public void Keeps_an_unknown_key_in_Entries_without_a_problem()
        {
            SubnetEnv env = Assert.Single(Parse(new[] { "FLANNEL_SUBNET=10.244.1.1/24", "FLANNEL_EXTRA=1" }).Entries);

            Assert.Contains("FLANNEL_EXTRA=1", env.Entries);
        }

        [Fact]
        public void A_line_without_an_equals_sign_is_a_problem_with_its_number_and_the_rest_is_read()
        {
            ParseResult<SubnetEnv> result = Parse(new[] { "FLANNEL_NETWORK=10.244.0.0/16", "garbage here", "FLANNEL_MTU=1450" }, "node1/subnet.env");

            ParseProblem problem = Assert.Single(result.Problems);
            Assert.Equal("node1/subnet.env", problem.Origin);
            Assert.Equal(2, problem.LineNumber);
            Assert.Equal("garbage here", problem.Line);
            SubnetEnv env = Assert.Single(result.Entries);
            Assert.Equal("10.244.0.0/16", env.Network);
            Assert.Equal(1450, env.Mtu);
        }

        [Theory]
        [InlineData("FLANNEL_SUBNET=10.244.1.1", "FLANNEL_SUBNET")]
        [InlineData("FLANNEL_SUBNET=fd10:244:1::1/64", "FLANNEL_SUBNET")]
        [InlineData("FLANNEL_IPV6_SUBNET=10.244.1.1/24", "FLANNEL_IPV6_SUBNET")]
        [InlineData("FLANNEL_MTU=large", "FLANNEL_MTU")]
        [InlineData("FLANNEL_IPMASQ=yes", "FLANNEL_IPMASQ")]
        public void A_known_key_with_a_value_the_CNI_plugin_cannot_use_is_a_problem_and_stays_unset(string line, string key)
        {
            ParseResult<SubnetEnv> result = Parse(new[] { line });

            ParseProblem problem = Assert.Single(result.Problems);
            Assert.Contains(key, problem.Message);
            SubnetEnv env = Assert.Single(result.Entries);
            Assert.Null(env.Subnet);
            Assert.Null(env.IPv6Subnet);
            Assert.Null(env.Mtu);
            Assert.Null(env.IpMasq);
        }

        [Fact]
        public void Comment_and_blank_lines_are_skipped()
        {
            ParseResult<SubnetEnv> result = Parse(new[] { "# written by hand", "", "FLANNEL_MTU=1450" });

            Assert.Empty(result.Problems);
            Assert.Equal(1, result.LinesRead);
            Assert.Equal(new[] { "FLANNEL_MTU=1450" }, Assert.Single(result.Entries).Entries.ToArray());
        }

        [Fact]
        public void An_empty_file_gives_no_subnet_env()
        {
            Assert.Empty(Parse(new string[0]).Entries);
        }
    }
}
