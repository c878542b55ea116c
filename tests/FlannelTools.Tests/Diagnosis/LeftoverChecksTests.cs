using FlannelTools.Diagnosis;
using Xunit;

namespace FlannelTools.Tests.Diagnosis
{
    public class LeftoverChecksTests
    {
        [Fact]
        public void A_healthy_node_has_no_leftovers_and_ignores_the_kernels_own_routes()
        {
            var s = new Scenario();
            Assert.Empty(LeftoverChecks.StaleNeighbor(s.Context(), OverlayFamily.IPv4, s.State().Vtep));
            Assert.Empty(LeftoverChecks.StaleFdb(s.Context(), OverlayFamily.IPv4, s.State().Vtep));
            Assert.Empty(LeftoverChecks.StaleRoute(s.Context(), OverlayFamily.IPv4, s.State().Vtep));
            Assert.Empty(LeftoverChecks.StaleRoute(s.Context(), OverlayFamily.IPv6, s.State().Vtep));
        }

        [Fact]
        public void Entries_of_a_node_that_is_gone_are_warnings_with_the_commands_that_remove_them()
        {
            var s = new Scenario();
            s.Neighbors.Add("10.244.5.0 dev flannel.1 lladdr 5a:00:00:00:00:05 PERMANENT");
            s.Fdb.Add("5a:00:00:00:00:05 dev flannel.1 dst 192.168.0.15 self permanent");
            s.Routes.Add("10.244.5.0/24 via 10.244.5.0 dev flannel.1 onlink");

            var problems = s.Problems();

            Assert.Equal(3, problems.Count);
            Assert.All(problems, f => Assert.Equal(FindingSeverity.Warning, f.Severity));
            Assert.All(problems, f => Assert.Null(f.Node));
            Assert.Contains(problems, f => f.Check == "StaleNeighbor" && f.Remedy == "ip neigh del 10.244.5.0 dev flannel.1");
            Assert.Contains(problems, f => f.Check == "StaleFdb" && f.Remedy == "bridge fdb del 5a:00:00:00:00:05 dev flannel.1 self");
            Assert.Contains(problems, f => f.Check == "StaleRoute" && f.Remedy == "ip route del 10.244.5.0/24 dev flannel.1");
        }

        [Fact]
        public void The_old_macs_fdb_entry_after_a_mac_change_is_a_warning_naming_the_node()
        {
            var s = new Scenario();
            s.Fdb.Add("5a:00:00:00:00:02 dev flannel.1 dst 192.168.0.13 self permanent");

            Finding f = Assert.Single(s.Problems());
            Assert.Equal(("StaleFdb", FindingSeverity.Warning, "node2"), (f.Check, f.Severity, f.Node));
            Assert.Equal("bridge fdb del 5a:00:00:00:00:02 dev flannel.1 self", f.Remedy);
        }
    }
}
