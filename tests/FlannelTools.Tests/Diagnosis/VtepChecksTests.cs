using System.Linq;
using FlannelTools.Diagnosis;
using Xunit;

namespace FlannelTools.Tests.Diagnosis
{
    public class VtepChecksTests
    {
        [Theory]
        [InlineData("VtepPresent")]
        [InlineData("VtepMac")]
        [InlineData("VtepVni")]
        [InlineData("VtepPort")]
        [InlineData("VtepLocalAddress")]
        [InlineData("VtepMtu")]
        public void Passes_on_a_healthy_node(string check)
        {
            Finding f = new Scenario().Run().Single(x => x.Check == check);
            Assert.Equal((FindingSeverity.Information, "node1"), (f.Severity, f.Node));
        }

        [Fact]
        public void A_vtep_mac_other_than_the_announced_one_is_an_error_with_the_command_that_sets_it_back()
        {
            var s = new Scenario();
            s.Replace(s.Links, "link/ether 32:73", "    link/ether 5a:00:00:00:00:01 brd ff:ff:ff:ff:ff:ff");

            Finding f = Assert.Single(s.Problems());
            Assert.Equal(("VtepMac", FindingSeverity.Error, Scenario.Node1Mac, "5a:00:00:00:00:01"), (f.Check, f.Severity, f.Expected, f.Actual));
            Assert.Contains("MACAddressPolicy", f.Message);
            Assert.Equal("ip link set dev flannel.1 address 32:73:d8:d1:e9:78", f.Remedy);
        }

        [Fact]
        public void A_vni_other_than_the_clusters_is_an_error()
        {
            var s = new Scenario();
            s.Replace(s.Links, "vxlan id 1 ", "    vxlan id 4096 local 192.168.0.12 dev eth0 dstport 8472 nolearning");

            Finding f = Assert.Single(s.Problems());
            Assert.Equal(("VtepVni", FindingSeverity.Error, "1", "4096"), (f.Check, f.Severity, f.Expected, f.Actual));
        }

        [Fact]
        public void A_port_other_than_the_expected_one_is_an_error()
        {
            Finding f = Assert.Single(new Scenario().Problems(port: 4789));
            Assert.Equal(("VtepPort", FindingSeverity.Error, "4789", "8472"), (f.Check, f.Severity, f.Expected, f.Actual));
        }

        [Fact]
        public void The_port_expected_by_default_is_4789_when_the_cluster_runs_a_windows_vni()
        {
            var s = new Scenario();
            s.Nodes = s.Nodes.Select(n => Scenario.Node(n.Name, n.PodCidr, n.PublicAddress, n.VtepMac, 4096)).ToList();
            s.Replace(s.Links, "vxlan id 1 ", "    vxlan id 4096 local 192.168.0.12 dev eth0 dstport 8472 nolearning");

            Finding f = Assert.Single(s.Problems());
            Assert.Equal(("VtepPort", "4789", "8472"), (f.Check, f.Expected, f.Actual));
        }

        [Fact]
        public void A_local_address_other_than_the_public_ip_is_an_error()
        {
            var s = new Scenario();
            s.SetNode(Scenario.Node("node1", "10.244.1.0/24", "203.0.113.12", Scenario.Node1Mac, internalAddress: "192.168.0.12"));

            Finding f = Assert.Single(s.Problems());
            Assert.Equal(("VtepLocalAddress", FindingSeverity.Error, "203.0.113.12", "192.168.0.12"), (f.Check, f.Severity, f.Expected, f.Actual));
        }

        [Fact]
        public void With_a_public_ip_overwrite_the_local_address_is_the_internal_address()
        {
            var s = new Scenario();
            s.SetNode(Scenario.Node("node1", "10.244.1.0/24", "203.0.113.12", Scenario.Node1Mac, internalAddress: "192.168.0.12", overwrite: "203.0.113.12"));

            Assert.Empty(s.Problems());
        }

        [Fact]
        public void An_mtu_without_room_for_vxlan_on_the_underlay_is_an_error()
        {
            var s = new Scenario();
            s.Replace(s.Links, "eth0@if4", "2: eth0@if4: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1400 qdisc noqueue state UP mode DEFAULT group default qlen 1000");

            Finding f = Assert.Single(s.Problems());
            Assert.Equal(("VtepMtu", FindingSeverity.Error, "1450"), (f.Check, f.Severity, f.Actual));
            Assert.StartsWith("at most 1350", f.Expected);
            Assert.Equal("ip link set dev flannel.1 mtu 1350", f.Remedy);
        }

        [Fact]
        public void A_missing_vtep_is_one_error_and_nothing_else_of_the_overlay_is_checked()
        {
            var s = new Scenario();
            s.Links.RemoveRange(2, 3);

            var problems = s.Problems();
            Finding f = Assert.Single(problems);
            Assert.Equal(("VtepPresent", FindingSeverity.Error, "flannel.1"), (f.Check, f.Severity, f.Expected));
        }
    }
}
