using System.Linq;
using FlannelTools.HostLayer;
using FlannelTools.NodeTables;
using Xunit;

namespace FlannelTools.Tests.HostLayer
{
    /// <summary>
    /// Where iptables-legacy-save is missing the collector prints /proc/net/ip_tables_names instead. The lines are what a
    /// fresh namespace printed here: nothing, then "filter" and "nat" after <c>iptables-legacy -t nat -L; iptables-legacy -L</c>.
    /// </summary>
    public class LegacyTableNamesTests
    {
        private static FlannelTools.NodeState Read(string[] lines, int exitCode = 0, string[] errors = null)
        {
            var builder = new NodeStateBuilder();
            builder.Host.AddSection("cat /proc/net/ip_tables_names", lines, new TextOrigin("node.state"), 1, exitCode, errors);
            return builder.Build("node1", null, "node.state");
        }

        [Fact]
        public void No_legacy_tables_in_the_kernel_is_the_legacy_backend_read_and_empty()
        {
            FlannelTools.NodeState state = Read(new string[0]);
            Assert.Contains(HostParts.IptablesLegacy, state.ReadParts);
            Assert.Null(state.WhyNotRead(HostParts.IptablesLegacy));
            Assert.Empty(state.FirewallBackends);
        }

        [Fact]
        public void A_kernel_without_the_legacy_module_has_no_file_and_no_legacy_tables()
        {
            FlannelTools.NodeState state = Read(new string[0], 1, new[] { "cat: /proc/net/ip_tables_names: No such file or directory" });
            Assert.Contains(HostParts.IptablesLegacy, state.ReadParts);
        }

        [Fact]
        public void Legacy_tables_that_no_tool_on_the_node_can_read_make_the_legacy_backend_not_read_naming_them()
        {
            FlannelTools.NodeState state = Read(new[] { "filter", "nat" });
            UnreadPart unread = state.WhyNotRead(HostParts.IptablesLegacy);
            Assert.NotNull(unread);
            Assert.Contains("filter, nat", unread.Reason);
            Assert.Contains("iptables-legacy-save is not installed", unread.Reason);
            Assert.DoesNotContain(HostParts.IptablesLegacy, state.ReadParts);
            Assert.Null(state.FirewallRules);
        }

        [Fact]
        public void A_list_that_could_not_be_read_is_not_taken_for_no_tables()
        {
            FlannelTools.NodeState state = Read(new string[0], 1, new[] { "cat: /proc/net/ip_tables_names: Permission denied" });
            Assert.Equal("cat: /proc/net/ip_tables_names: Permission denied", state.WhyNotRead(HostParts.IptablesLegacy).Reason);
        }
    }
}
