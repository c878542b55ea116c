using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using FlannelTools.Diagnosis;
using FlannelTools.HostLayer.Firewall;
using FlannelTools.HostLayer;
using Xunit;

namespace FlannelTools.Tests.Diagnosis
{
    /// <summary>node1 of the walkthrough lab: flannel.1 MTU 1450 VNI 1 port 8472, cni0 10.244.1.1/24, podCIDR 10.244.1.0/24, cluster 10.244.0.0/16.</summary>
    public class FlannelConfigChecksTests
    {
        private readonly Scenario _scenario = new Scenario();

        private SubnetEnv _subnetEnv = new SubnetEnv
        {
            Path = "/run/flannel/subnet.env", Network = "10.244.0.0/16", Subnet = "10.244.1.1/24", Mtu = 1450, IpMasq = true, Source = "subnet.env:1",
        };

        private FlannelNetConf _netConf = new FlannelNetConf { Network = "10.244.0.0/16", BackendType = "vxlan", Source = "configmap kube-flannel/kube-flannel-cfg" };

        private List<string> _bridgeAddresses = new List<string> { "10.244.1.1/24", "fe80::1/64" };

        private List<FirewallChain> _chains = new List<FirewallChain>
        {
            new FirewallChain { Backend = FirewallBackend.IptablesNft, Family = "ip", Table = "nat", Name = "FLANNEL-POSTRTG" },
            new FirewallChain { Backend = FirewallBackend.IptablesNft, Family = "ip", Table = "filter", Name = "FLANNEL-FWD" },
        };

        private List<UnreadPart> _notRead = new List<UnreadPart>();

        private bool _withBridge = true;

        private IReadOnlyList<Finding> Run(string check = null)
        {
            FlannelTools.NodeState state = _scenario.State();
            var interfaces = state.Interfaces.ToList();
            if (_withBridge)
            {
                interfaces.Add(new Interface { Name = "cni0", Kind = "bridge", Mtu = 1450, Addresses = new TextList(_bridgeAddresses) });
            }
            state.Interfaces = new ReadOnlyCollection<Interface>(interfaces);
            state.SubnetEnv = _subnetEnv;
            state.FirewallChains = _chains == null ? null : new ReadOnlyCollection<FirewallChain>(_chains);
            state.NotRead = new ReadOnlyCollection<UnreadPart>(_notRead);
            var context = new DiagnosisContext(state, _scenario.Nodes, _scenario.Nodes.Single(n => n.Name == "node1"), null, _netConf,
                _netConf == null ? "No net-conf.json was found through kubectl" : null);
            IReadOnlyList<Finding> findings = FlannelConfigChecks.Run(context).ToList();
            return check == null ? findings : findings.Where(f => f.Check == check).ToList();
        }

        private Finding One(string check) => Assert.Single(Run(check));

        [Fact]
        public void The_healthy_walkthrough_node_passes_every_check_and_nothing_is_unknown()
        {
            IReadOnlyList<Finding> findings = Run();

            Assert.All(findings, f => Assert.Equal(FindingSeverity.Information, f.Severity));
            Assert.Equal(
                new[] { "SubnetEnvPresent", "SubnetEnvSubnet", "BridgeAddress", "SubnetEnvMtu", "SubnetEnvNetwork", "SubnetEnvIpMasq", "NetConfBackend", "NetConfVni", "NetConfPort", "NetConfDirectRouting", "NetConfIPv6", "NetConfMtu", "NetConfNetwork" },
                findings.Select(f => f.Check).Distinct().ToArray());
        }

        [Fact]
        public void A_missing_subnet_env_on_a_node_that_runs_pods_is_the_CNI_plugin_s_loadFlannelSubnetEnv_failure()
        {
            _subnetEnv = null;
            _notRead.Add(new UnreadPart(HostParts.SubnetEnv, "cat: /run/flannel/subnet.env: No such file or directory", absent: true));

            Finding finding = One("SubnetEnvPresent");

            Assert.Equal(FindingSeverity.Error, finding.Severity);
            Assert.Contains("loadFlannelSubnetEnv failed", finding.Message);
            Assert.Contains("cni0 carries 10.244.1.1/24", finding.Message);
            Assert.Contains("flannel", finding.Remedy);
            Assert.DoesNotContain(Run(), f => f.Check == "SubnetEnvSubnet");
        }

        [Fact]
        public void A_missing_subnet_env_on_a_node_without_pods_is_unknown_not_an_error()
        {
            _subnetEnv = null;
            _withBridge = false;
            _notRead.Add(new UnreadPart(HostParts.SubnetEnv, "No such file or directory", absent: true));

            Assert.Equal(FindingSeverity.Unknown, One("SubnetEnvPresent").Severity);
        }

        [Fact]
        public void A_subnet_env_that_could_not_be_read_is_unknown_with_the_node_s_reason()
        {
            _subnetEnv = null;
            _notRead.Add(new UnreadPart(HostParts.SubnetEnv, "Permission denied", absent: false));

            Finding finding = One("SubnetEnvPresent");

            Assert.Equal(FindingSeverity.Unknown, finding.Severity);
            Assert.Contains("Permission denied", finding.Message);
        }

        [Fact]
        public void A_FLANNEL_SUBNET_outside_the_node_s_podCIDR_is_an_error()
        {
            _subnetEnv.Subnet = "10.244.5.1/24";

            Finding finding = One("SubnetEnvSubnet");

            Assert.Equal(FindingSeverity.Error, finding.Severity);
            Assert.Equal("FLANNEL_SUBNET=10.244.1.1/24", finding.Expected);
            Assert.Contains("10.244.1.0/24", finding.Message);
        }

        [Fact]
        public void A_FLANNEL_SUBNET_of_another_length_is_an_error_even_inside_the_podCIDR()
        {
            _subnetEnv.Subnet = "10.244.1.1/25";

            Assert.Equal(FindingSeverity.Error, One("SubnetEnvSubnet").Severity);
        }

        [Fact]
        public void A_node_the_cluster_gives_no_podCIDR_makes_the_subnet_check_unknown()
        {
            _scenario.SetNode(Scenario.Node("node1", null, "192.168.0.12", Scenario.Node1Mac));

            Assert.Equal(FindingSeverity.Unknown, One("SubnetEnvSubnet").Severity);
        }

        [Fact]
        public void A_cni0_with_another_address_is_the_bridge_plugin_s_already_has_an_IP_address_error()
        {
            _bridgeAddresses = new List<string> { "10.244.5.1/24" };

            Finding finding = One("BridgeAddress");

            Assert.Equal(FindingSeverity.Error, finding.Severity);
            Assert.Contains("already has an IP address different from 10.244.1.1/24", finding.Message);
            Assert.Equal("ip link delete cni0", finding.Remedy);
        }

        [Fact]
        public void No_cni0_or_no_address_read_on_it_is_unknown()
        {
            _bridgeAddresses = new List<string>();
            Assert.Equal(FindingSeverity.Unknown, One("BridgeAddress").Severity);

            _withBridge = false;
            Assert.Equal(FindingSeverity.Unknown, One("BridgeAddress").Severity);
        }

        [Fact]
        public void A_FLANNEL_MTU_above_the_VTEP_s_is_an_error_and_below_it_a_warning()
        {
            _subnetEnv.Mtu = 1500;
            Finding above = One("SubnetEnvMtu");
            Assert.Equal(FindingSeverity.Error, above.Severity);
            Assert.Equal("FLANNEL_MTU=1450", above.Expected);

            _subnetEnv.Mtu = 1400;
            Assert.Equal(FindingSeverity.Warning, One("SubnetEnvMtu").Severity);
        }

        [Fact]
        public void On_a_dual_stack_node_flannel_v6_20_below_FLANNEL_MTU_is_normal()
        {
            _scenario.Links.Add("6: flannel-v6.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1430 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000");
            _scenario.Links.Add("    link/ether 02:f1:a6:00:00:0c brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ");
            _scenario.Links.Add("    vxlan id 1 local fd00::12 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ");
            _netConf.EnableIPv6 = true;

            Finding mtu = One("SubnetEnvMtu");
            Assert.Equal(FindingSeverity.Information, mtu.Severity);
            Assert.Contains("20 lower", mtu.Message);
            Assert.All(Run("NetConfMtu"), f => Assert.Equal(FindingSeverity.Information, f.Severity));
            Assert.Equal(FindingSeverity.Information, One("NetConfIPv6").Severity);
        }

        [Fact]
        public void A_FLANNEL_NETWORK_that_leaves_a_node_s_subnet_out_names_that_node()
        {
            _subnetEnv.Network = "10.244.0.0/23";

            Finding finding = One("SubnetEnvNetwork");

            Assert.Equal(FindingSeverity.Error, finding.Severity);
            Assert.Contains("node2 10.244.2.0/24", finding.Message);
            Assert.DoesNotContain("master", finding.Message);
        }

        [Fact]
        public void FLANNEL_IPMASQ_true_without_flannel_s_masquerade_chain_is_a_warning()
        {
            _chains.RemoveAll(c => c.Name == "FLANNEL-POSTRTG");

            Assert.Equal(FindingSeverity.Warning, One("SubnetEnvIpMasq").Severity);
        }

        [Fact]
        public void Flannel_s_nft_postrtg_chain_counts_as_its_masquerade_rules()
        {
            _chains = new List<FirewallChain> { new FirewallChain { Backend = FirewallBackend.Nftables, Family = "ip", Table = "flannel-ipv4", Name = "postrtg", Hook = "postrouting" } };

            Assert.Equal(FindingSeverity.Information, One("SubnetEnvIpMasq").Severity);
        }

        [Fact]
        public void FLANNEL_IPMASQ_false_with_flannel_s_masquerade_chain_is_a_warning()
        {
            _subnetEnv.IpMasq = false;

            Assert.Equal(FindingSeverity.Warning, One("SubnetEnvIpMasq").Severity);
        }

        [Fact]
        public void Masquerade_rules_not_read_are_unknown_and_a_backend_not_read_keeps_a_missing_chain_unknown()
        {
            _chains = null;
            _notRead.Add(new UnreadPart(HostParts.IptablesLegacy, "iptables-legacy-save: not found", absent: false));
            Assert.Equal(FindingSeverity.Unknown, One("SubnetEnvIpMasq").Severity);

            _chains = new List<FirewallChain>();
            Finding finding = One("SubnetEnvIpMasq");
            Assert.Equal(FindingSeverity.Unknown, finding.Severity);
            Assert.Contains("IptablesLegacy", finding.Message);
        }

        [Fact]
        public void Without_a_net_conf_the_net_conf_checks_are_one_unknown_with_the_reason()
        {
            _netConf = null;

            Finding finding = Assert.Single(Run(), f => f.Check.StartsWith("NetConf"));

            Assert.Equal(FindingSeverity.Unknown, finding.Severity);
            Assert.Contains("No net-conf.json was found through kubectl", finding.Message);
            Assert.Contains("NetConfVni", finding.Message);
        }

        [Fact]
        public void A_backend_other_than_vxlan_is_an_error_on_a_node_with_a_VTEP()
        {
            _netConf.BackendType = "host-gw";

            Assert.Equal(FindingSeverity.Error, One("NetConfBackend").Severity);
        }

        [Fact]
        public void A_VNI_or_port_the_VTEP_does_not_have_is_an_error()
        {
            _netConf.Vni = 2;
            _netConf.Port = 4789;

            Finding vni = One("NetConfVni");
            Finding port = One("NetConfPort");
            Assert.Equal(FindingSeverity.Error, vni.Severity);
            Assert.Contains("flannel.1 VNI 1", vni.Actual);
            Assert.Equal(FindingSeverity.Error, port.Severity);
            Assert.Contains("dstport 8472", port.Actual);
        }

        [Fact]
        public void Port_0_means_8472()
        {
            _netConf.Port = 0;

            Assert.Equal(FindingSeverity.Information, One("NetConfPort").Severity);
        }

        [Fact]
        public void DirectRouting_on_expects_a_direct_route_to_each_peer_on_the_underlay_subnet()
        {
            _netConf.DirectRouting = true;
            Assert.All(Run("NetConfDirectRouting"), f => Assert.Equal(FindingSeverity.Warning, f.Severity));

            _scenario.Replace(_scenario.Routes, "10.244.2.0/24", "10.244.2.0/24 via 192.168.0.13 dev eth0 ");
            List<Finding> findings = Run("NetConfDirectRouting").ToList();
            Assert.Equal(FindingSeverity.Information, findings.Single(f => f.Node == "node2").Severity);
            Finding master = findings.Single(f => f.Node == "master");
            Assert.Equal(FindingSeverity.Warning, master.Severity);
            Assert.Equal("ip route replace 10.244.0.0/24 via 192.168.0.11 dev eth0", master.Remedy);
        }

        [Fact]
        public void DirectRouting_on_expects_the_VTEP_for_a_peer_behind_a_gateway()
        {
            _netConf.DirectRouting = true;
            _scenario.SetNode(Scenario.Node("node2", "10.244.2.0/24", "172.16.0.13", Scenario.Node2Mac));

            Assert.Equal(FindingSeverity.Information, Run("NetConfDirectRouting").Single(f => f.Node == "node2").Severity);
        }

        [Fact]
        public void DirectRouting_off_with_a_direct_route_is_a_warning()
        {
            _scenario.Replace(_scenario.Routes, "10.244.2.0/24", "10.244.2.0/24 via 192.168.0.13 dev eth0 ");

            List<Finding> findings = Run("NetConfDirectRouting").ToList();
            Assert.Equal(FindingSeverity.Warning, findings.Single(f => f.Node == "node2").Severity);
            Assert.Equal(FindingSeverity.Information, findings.Single(f => f.Node == "master").Severity);
        }

        [Fact]
        public void A_peer_whose_public_IP_has_no_route_is_unknown_for_DirectRouting()
        {
            _scenario.Remove(_scenario.Routes, "default via");
            _scenario.SetNode(Scenario.Node("node2", "10.244.2.0/24", "172.16.0.13", Scenario.Node2Mac));

            Assert.Equal(FindingSeverity.Unknown, Run("NetConfDirectRouting").Single(f => f.Node == "node2").Severity);
        }

        [Fact]
        public void EnableIPv6_without_a_flannel_v6_VTEP_is_an_error()
        {
            _netConf.EnableIPv6 = true;

            Assert.Equal(FindingSeverity.Error, One("NetConfIPv6").Severity);
        }

        [Fact]
        public void Backend_MTU_gives_the_VTEP_MTU_minus_50()
        {
            _netConf.Mtu = 1500;
            Finding passed = One("NetConfMtu");
            Assert.Equal(FindingSeverity.Information, passed.Severity);
            Assert.StartsWith("1450 ", passed.Expected);

            _netConf.Mtu = 1400;
            Finding differs = One("NetConfMtu");
            Assert.Equal(FindingSeverity.Warning, differs.Severity);
            Assert.StartsWith("1350 ", differs.Expected);
        }

        [Fact]
        public void A_Network_without_the_node_s_podCIDR_is_the_error_flanneld_exits_with()
        {
            _netConf.Network = "10.245.0.0/16";

            Finding finding = One("NetConfNetwork");

            Assert.Equal(FindingSeverity.Error, finding.Severity);
            Assert.Contains("exits at start", finding.Message);
            Assert.Contains("doesn't contain \"10.244.1.0/24\" PodCIDR of the \"node1\" node", finding.Message);
            Assert.Equal("kubectl -n kube-flannel edit configmap kube-flannel-cfg", finding.Remedy);
        }

        [Fact]
        public void No_VTEP_makes_the_VNI_and_port_checks_unknown()
        {
            _scenario.Links.RemoveRange(2, 3);

            Assert.Equal(FindingSeverity.Unknown, One("NetConfVni").Severity);
            Assert.Equal(FindingSeverity.Unknown, One("NetConfPort").Severity);
            Assert.Equal(FindingSeverity.Unknown, One("SubnetEnvMtu").Severity);
        }
    }
}
