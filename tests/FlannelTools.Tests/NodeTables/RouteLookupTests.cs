using FlannelTools.NodeTables;
using Xunit;

namespace FlannelTools.Tests.NodeTables
{
    /// <summary>
    /// NodeState.FindRoute as the kernel picks a route: the longest matching prefix, then the lowest metric, whatever
    /// order the table lists them in; IPv6 prefixes whose mask ends in the low 64 bits of the address.
    /// </summary>
    public class RouteLookupTests
    {
        private static FlannelTools.NodeState Table(params string[] routes)
        {
            var b = new NodeStateBuilder();
            b.AddRoutes(routes, new TextOrigin("t"));
            Assert.Empty(b.Problems);
            return b.Build(null, null, null);
        }

        [Theory]
        [InlineData("10.244.2.0/24 via 10.244.2.0 dev flannel.2 metric 10 onlink", "10.244.2.0/24 via 10.244.2.0 dev flannel.1 metric 100 onlink")]
        [InlineData("10.244.2.0/24 via 10.244.2.0 dev flannel.2 onlink", "10.244.2.0/24 via 10.244.2.0 dev flannel.1 metric 100 onlink")]
        [InlineData("fd10:244:2::/64 via fd10:244:2:: dev flannel.2 metric 1024 onlink", "fd10:244:2::/64 via fd10:244:2:: dev flannel.1 metric 2048 onlink")]
        public void Takes_the_lower_metric_when_it_is_listed_first(string lower, string higher)
        {
            FlannelTools.NodeState s = Table("default via 192.168.0.1 dev eth0", lower, higher);

            string address = lower.StartsWith("fd10") ? "fd10:244:2::65" : "10.244.2.101";
            Assert.Equal("flannel.2", s.FindRoute(address).Device);
        }

        [Theory]
        [InlineData("fd10:244:2::ab", "by96")]
        [InlineData("fd10:244:2::ffff:ffff", "by96")]
        [InlineData("fd10:244:2::1:0:ab", "by64")]
        [InlineData("fd10:244:2::8000:0:0", "by64")]
        [InlineData("fd10:244:2::100", "by120")]
        [InlineData("fd10:244:2::1ff", "by120")]
        [InlineData("fd10:244:2::ff", "by96")]
        [InlineData("fd10:244:2::200", "by96")]
        [InlineData("fd10:244:2::1:1ff", "by96")]
        public void Matches_ipv6_prefixes_of_96_and_120_bits_on_the_low_half_of_the_address(string address, string device)
        {
            FlannelTools.NodeState s = Table(
                "fd10:244:2::/64 dev by64 metric 1024",
                "fd10:244:2::/96 dev by96 metric 1024",
                "fd10:244:2::100/120 dev by120 metric 1024");

            Assert.Equal(device, s.FindRoute(address).Device);
        }
    }
}
