using System.Linq;
using FlannelTools.Diagnosis;
using Xunit;

namespace FlannelTools.Tests.Diagnosis
{
    public class ClusterChecksTests
    {
        [Theory]
        [InlineData("PublicAddressUnique")]
        [InlineData("VtepMacAnnounced")]
        [InlineData("PodCidrOverlap")]
        [InlineData("VniConsistent")]
        public void Passes_on_a_healthy_cluster(string check)
        {
            Finding f = new Scenario().Run().Single(x => x.Check == check);
            Assert.Equal(FindingSeverity.Information, f.Severity);
        }

        [Fact]
        public void Two_nodes_announcing_one_public_ip_are_an_error_for_each()
        {
            var s = new Scenario();
            s.SetNode(Scenario.Node("master", "10.244.0.0/24", "192.168.0.13", Scenario.MasterMac));
            var f = ClusterChecks.PublicAddressUnique(s.Context()).ToList();

            Assert.Equal(new[] { "master", "node2" }, f.Select(x => x.Node).OrderBy(n => n));
            Assert.All(f, x => Assert.Equal(FindingSeverity.Error, x.Severity));
            Assert.Contains("192.168.0.13", f[0].Message);
        }

        [Fact]
        public void A_vxlan_node_without_a_vtep_mac_is_an_error()
        {
            var s = new Scenario();
            s.SetNode(Scenario.Node("node2", "10.244.2.0/24", "192.168.0.13", null));

            Finding f = Assert.Single(s.Problems().Where(x => x.Severity == FindingSeverity.Error));
            Assert.Equal(("VtepMacAnnounced", FindingSeverity.Error, "node2"), (f.Check, f.Severity, f.Node));
        }

        [Fact]
        public void Overlapping_pod_subnets_are_an_error_for_each_node()
        {
            var s = new Scenario();
            s.SetNode(Scenario.Node("master", "10.244.0.0/16", "192.168.0.11", Scenario.MasterMac));
            var f = ClusterChecks.PodCidrOverlap(s.Context()).ToList();

            Assert.Equal(3, f.Count);
            Assert.All(f, x => Assert.Equal(FindingSeverity.Error, x.Severity));
            Assert.Contains("node2 10.244.2.0/24", f.Single(x => x.Node == "master").Actual);
        }

        [Fact]
        public void A_windows_vni_among_linux_ones_is_named_as_the_windows_linux_mismatch()
        {
            var s = new Scenario();
            s.Nodes.Add(Scenario.Node("win1", "10.244.3.0/24", "192.168.0.14", "00:15:5d:00:00:14", 4096));

            Finding f = ClusterChecks.VniConsistent(s.Context()).Single();
            Assert.Equal(("win1", FindingSeverity.Error, "VNI 1", "VNI 4096"), (f.Node, f.Severity, f.Expected, f.Actual));
            Assert.Contains("Windows", f.Message);
            Assert.Contains("4789", f.Message);
        }

        [Fact]
        public void Nodes_announcing_no_vni_are_not_a_mismatch()
        {
            var s = new Scenario();
            s.Nodes = s.Nodes.Select(n => Scenario.Node(n.Name, n.PodCidr, n.PublicAddress, n.VtepMac, null)).ToList();

            Assert.Empty(s.Problems());
        }
    }
}
