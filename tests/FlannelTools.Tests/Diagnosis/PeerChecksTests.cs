using System.Linq;
using FlannelTools.Diagnosis;
using Xunit;

namespace FlannelTools.Tests.Diagnosis
{
    public class PeerChecksTests
    {
        [Fact]
        public void A_healthy_node_has_no_problem_and_passes_every_route_neighbour_and_fdb_check()
        {
            var s = new Scenario();

            Assert.Empty(s.Problems());
            var passed = s.Run().Where(f => f.Check == "Route" || f.Check == "Neighbor" || f.Check == "Fdb").ToList();
            Assert.Equal(6, passed.Count);
            Assert.All(passed, f => Assert.Equal(FindingSeverity.Information, f.Severity));
            Assert.All(passed, f => Assert.Equal("node1", f.LocalNode));
            Assert.Equal(new[] { "master", "node2" }, passed.Select(f => f.Node).Distinct().OrderBy(n => n));
        }

        [Fact]
        public void A_stale_vtep_mac_is_an_error_naming_the_node_both_macs_and_the_commands_that_mend_it()
        {
            var s = new Scenario();
            s.SetNode(Scenario.Node("node2", "10.244.2.0/24", "192.168.0.13", "5a:00:00:00:00:02"));

            var problems = s.Problems();

            Finding neighbor = problems.Single(f => f.Check == "Neighbor");
            Assert.Equal(FindingSeverity.Error, neighbor.Severity);
            Assert.Equal("node2", neighbor.Node);
            Assert.Contains(Scenario.Node2Mac, neighbor.Message);
            Assert.Contains("5a:00:00:00:00:02", neighbor.Message);
            Assert.Equal("ip neigh replace 10.244.2.0 lladdr 5a:00:00:00:00:02 dev flannel.1 nud permanent", neighbor.Remedy);
            Finding fdb = problems.Single(f => f.Check == "Fdb");
            Assert.Equal(FindingSeverity.Error, fdb.Severity);
            Assert.Equal("bridge fdb replace 5a:00:00:00:00:02 dev flannel.1 dst 192.168.0.13 self permanent", fdb.Remedy);
            Assert.Contains(Scenario.Node2Mac, fdb.Message);
            Finding stale = problems.Single(f => f.Check == "StaleFdb");
            Assert.Equal(FindingSeverity.Warning, stale.Severity);
            Assert.Equal("node2", stale.Node);
            Assert.Equal("bridge fdb del ee:81:17:b0:fd:7b dev flannel.1 self", stale.Remedy);
            Assert.Equal(3, problems.Count);
        }

        [Fact]
        public void A_missing_neighbour_entry_is_an_error()
        {
            var s = new Scenario();
            s.Remove(s.Neighbors, "10.244.2.0 ");

            Finding f = Assert.Single(s.Problems());
            Assert.Equal(("Neighbor", FindingSeverity.Error, "node2", "no entry"), (f.Check, f.Severity, f.Node, f.Actual));
            Assert.Equal("ip neigh replace 10.244.2.0 lladdr ee:81:17:b0:fd:7b dev flannel.1 nud permanent", f.Remedy);
        }

        [Fact]
        public void A_neighbour_entry_that_is_not_permanent_is_a_warning()
        {
            var s = new Scenario();
            s.Replace(s.Neighbors, "10.244.2.0 ", "10.244.2.0 dev flannel.1 lladdr ee:81:17:b0:fd:7b REACHABLE");

            Finding f = Assert.Single(s.Problems());
            Assert.Equal(("Neighbor", FindingSeverity.Warning), (f.Check, f.Severity));
        }

        [Fact]
        public void A_missing_fdb_entry_is_an_error()
        {
            var s = new Scenario();
            s.Remove(s.Fdb, "dst 192.168.0.13");

            Finding f = Assert.Single(s.Problems());
            Assert.Equal(("Fdb", FindingSeverity.Error, "node2", "no entry"), (f.Check, f.Severity, f.Node, f.Actual));
            Assert.Equal("bridge fdb replace ee:81:17:b0:fd:7b dev flannel.1 dst 192.168.0.13 self permanent", f.Remedy);
        }

        [Fact]
        public void An_fdb_entry_to_the_wrong_host_is_an_error()
        {
            var s = new Scenario();
            s.Replace(s.Fdb, "dst 192.168.0.13", "ee:81:17:b0:fd:7b dev flannel.1 dst 192.168.0.11 self permanent");

            Finding f = Assert.Single(s.Problems());
            Assert.Equal(("Fdb", FindingSeverity.Error, "node2"), (f.Check, f.Severity, f.Node));
            Assert.Contains("192.168.0.11", f.Actual);
            Assert.Equal("bridge fdb replace ee:81:17:b0:fd:7b dev flannel.1 dst 192.168.0.13 self permanent", f.Remedy);
        }

        [Fact]
        public void A_missing_route_is_an_error_saying_where_the_packets_go_instead()
        {
            var s = new Scenario();
            s.Remove(s.Routes, "10.244.2.0/24");

            Finding f = Assert.Single(s.Problems());
            Assert.Equal(("Route", FindingSeverity.Error, "node2"), (f.Check, f.Severity, f.Node));
            Assert.Contains("default via 192.168.0.1 dev eth0", f.Actual);
            Assert.Equal("ip route replace 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink", f.Remedy);
        }

        [Fact]
        public void A_route_through_another_device_is_an_error()
        {
            var s = new Scenario();
            s.Replace(s.Routes, "10.244.2.0/24", "10.244.2.0/24 dev eth0 scope link");

            Finding f = Assert.Single(s.Problems());
            Assert.Equal(("Route", FindingSeverity.Error), (f.Check, f.Severity));
            Assert.Equal("10.244.2.0/24 dev eth0 scope link", f.Actual);
        }

        [Fact]
        public void A_direct_route_via_the_public_ip_is_recognised_as_direct_routing_without_neighbour_or_fdb()
        {
            var s = new Scenario();
            s.Replace(s.Routes, "10.244.2.0/24", "10.244.2.0/24 via 192.168.0.13 dev eth0");
            s.Remove(s.Neighbors, "10.244.2.0 ");
            s.Remove(s.Fdb, "dst 192.168.0.13");

            Assert.Empty(s.Problems());
            Finding f = s.Run().Single(x => x.Check == "Route" && x.Node == "node2");
            Assert.Equal(FindingSeverity.Information, f.Severity);
            Assert.Contains("DirectRouting", f.Message);
            Assert.DoesNotContain(s.Run(), x => (x.Check == "Neighbor" || x.Check == "Fdb") && x.Node == "node2");
        }

        [Fact]
        public void Nodes_on_another_backend_or_without_a_pod_subnet_are_not_peers()
        {
            var s = new Scenario();
            s.Nodes.Add(Scenario.Node("gw1", "10.244.7.0/24", "192.168.0.17", null, backend: "host-gw"));
            s.Nodes.Add(Scenario.Node("new1", null, "192.168.0.18", "5a:00:00:00:00:18"));

            Assert.Empty(s.Problems());
        }
    }
}
