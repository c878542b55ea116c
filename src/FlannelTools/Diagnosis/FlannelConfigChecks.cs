using FlannelTools.HostLayer.Firewall;

namespace FlannelTools.Diagnosis
{
    /// <summary>
    /// flannel's own configuration against the node: subnet.env (which flanneld writes for the CNI plugin) against the
    /// node's podCIDR, cni0, the VTEP and the masquerade rules; and net-conf.json (what flanneld was told) against the
    /// VTEP flanneld made of it.
    /// </summary>
    internal static class FlannelConfigChecks
    {
        private const string SubnetEnvPath = "/run/flannel/subnet.env";

        /// <summary>The checks of net-conf.json, which one Unknown names when no net-conf.json was read.</summary>
        private static readonly string[] NetConfCheckNames =
            { "NetConfBackend", "NetConfVni", "NetConfPort", "NetConfDirectRouting", "NetConfIPv6", "NetConfMtu", "NetConfNetwork" };

        public static IEnumerable<Finding> Run(DiagnosisContext c) => SubnetEnvChecks(c).Concat(NetConfChecks(c));

        public static IEnumerable<Finding> SubnetEnvChecks(DiagnosisContext c)
        {
            SubnetEnv env = c.State.SubnetEnv;
            if (env == null)
            {
                yield return SubnetEnvPresent(c);
                yield break;
            }
            yield return c.Passed("SubnetEnvPresent", c.LocalNode.Name, SubnetEnvPath, env.Path ?? env.Source,
                "flannel's subnet.env is there for the CNI plugin (" + (env.Path ?? env.Source) + ").");
            foreach (Finding f in SubnetEnvSubnet(c, env).Concat(BridgeAddress(c, env)))
            {
                yield return f;
            }
            yield return SubnetEnvMtu(c, env);
            foreach (Finding f in SubnetEnvNetwork(c, env))
            {
                yield return f;
            }
            yield return SubnetEnvIpMasq(c, env);
        }

        public static IEnumerable<Finding> NetConfChecks(DiagnosisContext c)
        {
            FlannelNetConf netConf = c.NetConf;
            if (netConf == null)
            {
                yield return c.Unknown("NetConf", c.LocalNode.Name, "flannel's net-conf.json", DiagnosisContext.NotReadText,
                    "Not checked (" + string.Join(", ", NetConfCheckNames) + "): no net-conf.json was read" +
                    (c.NetConfUnreadReason != null ? ": " + c.NetConfUnreadReason.TrimEnd('.') : string.Empty) +
                    ". Give it with -NetConf (Get-FlannelNetConf).");
                yield break;
            }
            yield return NetConfBackend(c, netConf);
            foreach (Finding f in NetConfVni(c, netConf)
                         .Concat(NetConfPort(c, netConf))
                         .Concat(NetConfDirectRouting(c, netConf))
                         .Concat(NetConfIPv6(c, netConf))
                         .Concat(NetConfMtu(c, netConf))
                         .Concat(NetConfNetwork(c, netConf)))
            {
                yield return f;
            }
        }

        /// <summary>subnet.env was not read: missing on a node that runs pods is the CNI plugin's "loadFlannelSubnetEnv failed".</summary>
        private static Finding SubnetEnvPresent(DiagnosisContext c)
        {
            UnreadPart unread = c.State.WhyNotRead(HostParts.SubnetEnv);
            if (unread == null || !unread.Absent)
            {
                return c.NotRead("SubnetEnvPresent", HostParts.SubnetEnv, SubnetEnvPath);
            }
            string pods = PodEvidence(c);
            if (pods == null)
            {
                return c.Unknown("SubnetEnvPresent", c.LocalNode.Name, SubnetEnvPath, "absent",
                    "flannel's subnet.env is not there (" + unread.Reason + "), but the node shows no pods yet (no cni0 bridge with a pod subnet address, no veth on it), " +
                    "so no pod has failed for it: flanneld writes it once it holds its lease. If pods stay ContainerCreating, check flanneld on " + c.LocalNode.Name + ".");
            }
            return c.Error("SubnetEnvPresent", c.LocalNode.Name, SubnetEnvPath, "absent",
                "flannel's subnet.env is not there (" + unread.Reason + ") while the node runs pods (" + pods + "): the flannel CNI plugin fails every new pod with " +
                "\"loadFlannelSubnetEnv failed: open " + SubnetEnvPath + ": no such file or directory\". flanneld writes the file once it has its lease: check that flanneld runs on " +
                c.LocalNode.Name + " and read its log.", RestartFlannel(c));
        }

        /// <summary>FLANNEL_SUBNET (and FLANNEL_IPV6_SUBNET) hold the network of the node's podCIDR as the cluster announces it.</summary>
        private static IEnumerable<Finding> SubnetEnvSubnet(DiagnosisContext c, SubnetEnv env)
        {
            foreach (OverlayFamily family in new[] { OverlayFamily.IPv4, OverlayFamily.IPv6 })
            {
                string key = family.Version == 4 ? "FLANNEL_SUBNET" : "FLANNEL_IPV6_SUBNET";
                string written = family.Version == 4 ? env.Subnet : env.IPv6Subnet;
                IpPrefix? podCidr = family.PodCidrOf(c.LocalNode);
                if (written == null && podCidr == null)
                {
                    continue;
                }
                if (written == null)
                {
                    yield return c.Error("SubnetEnvSubnet", c.LocalNode.Name, key + "=" + FirstAddress(podCidr.Value), "no " + key,
                        "subnet.env has no " + key + " though the cluster gives " + c.LocalNode.Name + " the " + family + " podCIDR " + podCidr.Value +
                        ": the CNI plugin gives pods no " + family + " address. flanneld writes " + key + " when its net-conf.json enables " + family + ".", RestartFlannel(c));
                    continue;
                }
                IpPrefix.TryParse(written, out IpPrefix subnet);
                if (podCidr == null)
                {
                    yield return c.Unknown("SubnetEnvSubnet", c.LocalNode.Name, "the node's " + family + " podCIDR", key + "=" + written,
                        "The cluster announces no " + family + " podCIDR for " + c.LocalNode.Name + ", so " + key + "=" + written + " cannot be checked against it.");
                    continue;
                }
                if (subnet.Length == podCidr.Value.Length && podCidr.Value.Contains(subnet.Address))
                {
                    yield return c.Passed("SubnetEnvSubnet", c.LocalNode.Name, key + "=" + FirstAddress(podCidr.Value), key + "=" + written,
                        key + " " + written + " is in " + c.LocalNode.Name + "'s podCIDR " + podCidr.Value + ".");
                    continue;
                }
                yield return c.Error("SubnetEnvSubnet", c.LocalNode.Name, key + "=" + FirstAddress(podCidr.Value), key + "=" + written,
                    "subnet.env's " + key + " " + written + " is not " + c.LocalNode.Name + "'s podCIDR " + podCidr.Value +
                    ": new pods get addresses the other nodes route elsewhere, so their traffic does not come back. subnet.env is stale or written by another flanneld; " +
                    "flanneld rewrites it when it starts.", RestartFlannel(c));
            }
        }

        /// <summary>cni0 carries FLANNEL_SUBNET's first address, which the bridge plugin gives it (and refuses pods when it carries another).</summary>
        private static IEnumerable<Finding> BridgeAddress(DiagnosisContext c, SubnetEnv env)
        {
            foreach (string written in new[] { env.Subnet, env.IPv6Subnet }.Where(s => s != null))
            {
                IpPrefix.TryParse(written, out IpPrefix expected);
                string familyText = expected.Version == 4 ? "IPv4" : "IPv6";
                Interface bridge = c.State.FindInterface("cni0");
                if (bridge == null)
                {
                    yield return c.Unknown("BridgeAddress", c.LocalNode.Name, "cni0 " + written, "no cni0",
                        "The node has no cni0 bridge: the bridge plugin creates it with the first pod, so there is no address to check yet.");
                    continue;
                }
                List<IpPrefix> addresses = bridge.Addresses
                    .Select(a => IpPrefix.TryParse(a, out IpPrefix p) ? p : (IpPrefix?)null)
                    .Where(p => p.HasValue && p.Value.Version == expected.Version && !IsLinkLocal(p.Value))
                    .Select(p => p.Value).ToList();
                if (addresses.Count == 0)
                {
                    yield return c.Unknown("BridgeAddress", c.LocalNode.Name, "cni0 " + written, "no " + familyText + " address",
                        "cni0 shows no " + familyText + " address: the node's addresses were not read (ip addr), or the bridge has none yet.");
                    continue;
                }
                if (addresses.Contains(expected))
                {
                    yield return c.Passed("BridgeAddress", c.LocalNode.Name, "cni0 " + written, "cni0 " + string.Join(" ", addresses),
                        "cni0 carries subnet.env's " + written + ", the pods' gateway.");
                    continue;
                }
                yield return c.Error("BridgeAddress", c.LocalNode.Name, "cni0 " + written, "cni0 " + string.Join(" ", addresses),
                    "cni0 carries " + string.Join(" ", addresses) + ", not subnet.env's " + written + ": the bridge plugin refuses every new pod with " +
                    "\"failed to set bridge addr: \\\"cni0\\\" already has an IP address different from " + written + "\" (the node's subnet changed; cni0 kept the old one). " +
                    "Deleting cni0 lets the bridge plugin create it again with the right address at the next pod; the pods on it lose their network until they are recreated.",
                    "ip link delete cni0");
            }
        }

        /// <summary>FLANNEL_MTU, the pods' MTU, is the VTEP's; flannel-v6's is 20 lower on a dual-stack node (the kernel's cap for VXLAN over IPv6).</summary>
        private static Finding SubnetEnvMtu(DiagnosisContext c, SubnetEnv env)
        {
            Vtep vtep = c.State.Vtep ?? c.State.VtepV6;
            if (env.Mtu == null)
            {
                return c.Error("SubnetEnvMtu", c.LocalNode.Name, "FLANNEL_MTU=" + (vtep?.Mtu?.ToString(CultureInfo.InvariantCulture) ?? "the VTEP's MTU"), "no FLANNEL_MTU",
                    "subnet.env has no FLANNEL_MTU line, which flanneld always writes: the file is not flanneld's, or was cut short.", RestartFlannel(c));
            }
            if (vtep?.Mtu == null)
            {
                return c.Unknown("SubnetEnvMtu", c.LocalNode.Name, "FLANNEL_MTU = the VTEP's MTU", "FLANNEL_MTU=" + Text(env.Mtu.Value),
                    "The node has no VTEP whose MTU was read, so FLANNEL_MTU " + Text(env.Mtu.Value) + " cannot be checked against it.");
            }
            // flanneld writes the IPv4 VTEP's MTU; on an IPv6-only node the kernel caps flannel-v6 20 below it.
            int expected = vtep.Mtu.Value;
            bool v6Only = vtep == c.State.VtepV6;
            bool matches = env.Mtu == expected || (v6Only && env.Mtu == expected + 20);
            string actual = "FLANNEL_MTU=" + Text(env.Mtu.Value);
            string v6Note = c.State.Vtep != null && c.State.VtepV6?.Mtu != null
                ? " " + c.State.VtepV6.Name + "'s MTU " + Text(c.State.VtepV6.Mtu.Value) + (c.State.VtepV6.Mtu == env.Mtu - 20 ? " is 20 lower, as the kernel caps VXLAN over IPv6: normal." : ".")
                : string.Empty;
            if (matches)
            {
                return c.Passed("SubnetEnvMtu", c.LocalNode.Name, "FLANNEL_MTU=" + Text(expected), actual,
                    "The pods' MTU (FLANNEL_MTU " + Text(env.Mtu.Value) + ") fits " + vtep.Name + " (MTU " + Text(expected) + ")." + v6Note);
            }
            if (env.Mtu > expected)
            {
                return c.Error("SubnetEnvMtu", c.LocalNode.Name, "FLANNEL_MTU=" + Text(expected), actual,
                    "The pods get MTU " + Text(env.Mtu.Value) + " (FLANNEL_MTU) but " + vtep.Name + "'s MTU is " + Text(expected) +
                    ": full-size pod packets to other nodes are too big for the VTEP and are dropped (TCP stalls after the handshake). flanneld writes the VTEP's MTU when it starts; restart it, then recreate the pods.",
                    RestartFlannel(c));
            }
            return c.Warning("SubnetEnvMtu", c.LocalNode.Name, "FLANNEL_MTU=" + Text(expected), actual,
                "The pods get MTU " + Text(env.Mtu.Value) + " (FLANNEL_MTU), below " + vtep.Name + "'s " + Text(expected) + ": traffic passes, in smaller packets than it could. " +
                "subnet.env is older than the VTEP; flanneld rewrites it when it starts.", RestartFlannel(c));
        }

        /// <summary>FLANNEL_NETWORK (FLANNEL_IPV6_NETWORK) contains every node's pod subnet.</summary>
        private static IEnumerable<Finding> SubnetEnvNetwork(DiagnosisContext c, SubnetEnv env)
        {
            foreach (OverlayFamily family in new[] { OverlayFamily.IPv4, OverlayFamily.IPv6 })
            {
                string key = family.Version == 4 ? "FLANNEL_NETWORK" : "FLANNEL_IPV6_NETWORK";
                string written = family.Version == 4 ? env.Network : env.IPv6Network;
                string subnet = family.Version == 4 ? env.Subnet : env.IPv6Subnet;
                var nodes = c.Nodes.Select(n => (node: n, cidr: family.PodCidrOf(n))).Where(n => n.cidr.HasValue).ToList();
                if (written == null)
                {
                    if (subnet != null)
                    {
                        yield return c.Error("SubnetEnvNetwork", c.LocalNode.Name, key, "no " + key,
                            "subnet.env has " + (family.Version == 4 ? "FLANNEL_SUBNET" : "FLANNEL_IPV6_SUBNET") + " but no " + key + ", which flanneld writes with it: the file is not flanneld's.", RestartFlannel(c));
                    }
                    continue;
                }
                IpPrefix.TryParse(written, out IpPrefix network);
                if (nodes.Count == 0)
                {
                    yield return c.Unknown("SubnetEnvNetwork", c.LocalNode.Name, key + " containing every node's pod subnet", key + "=" + written,
                        "No node announces a " + family + " pod subnet, so " + key + " cannot be checked against them.");
                    continue;
                }
                var outside = nodes.Where(n => !Contains(network, n.cidr.Value)).ToList();
                if (outside.Count == 0)
                {
                    yield return c.Passed("SubnetEnvNetwork", c.LocalNode.Name, key + " containing every node's pod subnet", key + "=" + written,
                        key + " " + written + " contains the pod subnets of all " + Text(nodes.Count) + " nodes.");
                    continue;
                }
                string list = string.Join(", ", outside.Select(n => n.node.Name + " " + n.cidr.Value));
                yield return c.Error("SubnetEnvNetwork", c.LocalNode.Name, key + " containing every node's pod subnet", key + "=" + written,
                    key + " " + written + " does not contain the pod subnets of " + list + ": this node treats their pods as outside the pod network, " +
                    "so its pods' packets to them are masqueraded and flannel's FORWARD accept rules (for " + written + ") do not cover them. " +
                    "subnet.env or net-conf.json's Network is not the cluster's.", RestartFlannel(c));
            }
        }

        /// <summary>FLANNEL_IPMASQ=true agrees with flannel's masquerade rules: FLANNEL-POSTRTG (iptables) or the postrtg chain of flannel's nft tables.</summary>
        private static Finding SubnetEnvIpMasq(DiagnosisContext c, SubnetEnv env)
        {
            const string check = "SubnetEnvIpMasq";
            if (env.IpMasq == null)
            {
                return c.Unknown(check, c.LocalNode.Name, "FLANNEL_IPMASQ=true or false", "no FLANNEL_IPMASQ",
                    "subnet.env has no FLANNEL_IPMASQ line (flanneld always writes one), so flannel's masquerade setting is not known.");
            }
            string actual = "FLANNEL_IPMASQ=" + (env.IpMasq.Value ? "true" : "false");
            string[] firewallParts = { HostParts.Nftables, HostParts.IptablesNft, HostParts.IptablesLegacy };
            if (c.State.FirewallChains == null)
            {
                UnreadPart unread = firewallParts.Select(c.State.WhyNotRead).FirstOrDefault(p => p != null);
                return c.Unknown(check, c.LocalNode.Name, "flannel's masquerade rules " + (env.IpMasq.Value ? "present" : "absent"), DiagnosisContext.NotReadText,
                    "Not checked: the node's packet filter " + (unread != null ? "could not be read: " + unread.Reason : "was not collected") + ".");
            }
            var families = new List<string>();
            if (env.Subnet != null)
            {
                families.Add("ip");
            }
            if (env.IPv6Subnet != null)
            {
                families.Add("ip6");
            }
            List<FirewallChain> masquerade = c.State.FirewallChains.Where(IsFlannelMasquerade).ToList();
            List<string> missing = families.Where(f => !masquerade.Any(m => m.Family == f)).ToList();
            string found = masquerade.Count == 0 ? "no masquerade chain of flannel's" : string.Join(", ", masquerade.Select(m => m.Backend + " " + m.Family + " " + m.Table + " " + m.Name));
            if (env.IpMasq.Value && missing.Count == 0)
            {
                return c.Passed(check, c.LocalNode.Name, "flannel's masquerade rules present", found, "FLANNEL_IPMASQ=true and flannel's masquerade rules are there (" + found + ").");
            }
            if (!env.IpMasq.Value && masquerade.Count == 0)
            {
                return c.Passed(check, c.LocalNode.Name, "no masquerade rules of flannel's", found, "FLANNEL_IPMASQ=false and no masquerade rules of flannel's are there.");
            }
            UnreadPart notRead = firewallParts.Select(c.State.WhyNotRead).FirstOrDefault(p => p != null);
            if (env.IpMasq.Value && notRead != null)
            {
                return c.Unknown(check, c.LocalNode.Name, "flannel's masquerade rules present", found,
                    "Not checked: flannel's masquerade chain was not found in the rules that were read, but " + notRead.Part + " could not be read (" + notRead.Reason + "), and it may be there.");
            }
            if (env.IpMasq.Value)
            {
                return c.Warning(check, c.LocalNode.Name, "flannel's masquerade rules present", found,
                    actual + " but flannel's masquerade chain (FLANNEL-POSTRTG, or postrtg in flannel's nft tables) is missing for " +
                    string.Join(" and ", missing.Select(f => f == "ip" ? "IPv4" : "IPv6")) + ": pods' traffic to outside the pod network leaves with the pod's address, " +
                    "and the replies do not come back. flanneld restores its iptables rules every --iptables-resync seconds; in nft mode only a restart does.", RestartFlannel(c));
            }
            return c.Warning(check, c.LocalNode.Name, "no masquerade rules of flannel's", found,
                actual + " but flannel's masquerade rules are there (" + found + "): left by a flanneld that ran with --ip-masq, or subnet.env is not the running flanneld's.", null);
        }

        private static Finding NetConfBackend(DiagnosisContext c, FlannelNetConf netConf)
        {
            if (string.Equals(netConf.BackendType, "vxlan", StringComparison.OrdinalIgnoreCase))
            {
                return c.Passed("NetConfBackend", c.LocalNode.Name, "vxlan", netConf.BackendType, "net-conf.json (" + netConf.Source + ") runs the vxlan backend.");
            }
            string type = string.IsNullOrEmpty(netConf.BackendType) ? "none" : netConf.BackendType;
            return c.Error("NetConfBackend", c.LocalNode.Name, "vxlan", type,
                "net-conf.json (" + netConf.Source + ") gives the " + type + " backend, not vxlan" +
                (c.State.Vtep != null || c.State.VtepV6 != null ? ", yet the node has VXLAN devices: they are left from an earlier configuration, and flanneld does not keep their routes, neighbour and FDB entries." : "."), null);
        }

        private static IEnumerable<Finding> NetConfVni(DiagnosisContext c, FlannelNetConf netConf)
        {
            string expected = "VNI " + Text(netConf.Vni);
            return EachVtep(c, "NetConfVni", expected, vtep => vtep.Vni, (vtep, vni) =>
            {
                if (vni == netConf.Vni)
                {
                    return c.Passed("NetConfVni", c.LocalNode.Name, expected, "VNI " + Text(vni), vtep.Name + " has net-conf.json's VNI " + Text(vni) + ".");
                }
                return c.Error("NetConfVni", c.LocalNode.Name, expected, vtep.Name + " VNI " + Text(vni),
                    "net-conf.json gives VNI " + Text(netConf.Vni) + " but " + vtep.Name + " has VNI " + Text(vni) +
                    ": flanneld has not restarted since net-conf.json changed (it would make flannel." + Text(netConf.Vni) + "), or this net-conf.json is not the one it reads. " +
                    "Nodes on different VNIs drop each other's VXLAN packets.", RestartFlannel(c));
            });
        }

        private static IEnumerable<Finding> NetConfPort(DiagnosisContext c, FlannelNetConf netConf)
        {
            string expected = "port " + Text(netConf.EffectivePort) + (netConf.Port == 0 ? " (Port 0: the kernel's 8472)" : string.Empty);
            return EachVtep(c, "NetConfPort", expected, vtep => vtep.Port, (vtep, port) =>
            {
                if (port == netConf.EffectivePort)
                {
                    return c.Passed("NetConfPort", c.LocalNode.Name, expected, "dstport " + Text(port), vtep.Name + " uses net-conf.json's UDP port " + Text(port) + ".");
                }
                return c.Error("NetConfPort", c.LocalNode.Name, expected, vtep.Name + " dstport " + Text(port),
                    "net-conf.json gives UDP port " + Text(netConf.EffectivePort) + " but " + vtep.Name + " sends to and listens on " + Text(port) +
                    ": nodes whose flanneld started with the other port send VXLAN where this node does not listen. flanneld has not restarted since net-conf.json changed, or this is not the file it reads.",
                    RestartFlannel(c));
            });
        }

        /// <summary>
        /// DirectRouting true: flannel routes a peer's pods via the peer's public IP when <c>ip route get</c> reaches that IP
        /// without a gateway (the same underlay subnet), and through the VTEP otherwise. false: no peer has such a route.
        /// </summary>
        private static IEnumerable<Finding> NetConfDirectRouting(DiagnosisContext c, FlannelNetConf netConf)
        {
            const string check = "NetConfDirectRouting";
            foreach (OverlayFamily family in c.Families)
            {
                Vtep vtep = family.VtepOf(c.State);
                foreach (FlannelNode peer in c.Peers.Where(p => family.PodCidrOf(p).HasValue))
                {
                    string publicAddress = family.PublicAddressOf(peer);
                    Route direct = PeerChecks.FindDirectRoute(c, family, peer);
                    Route underlay = publicAddress == null ? null : c.State.FindRoute(publicAddress);
                    string actual = direct != null ? direct.ToString() : "no direct route";
                    if (underlay == null)
                    {
                        yield return c.Unknown(check, peer.Name, netConf.DirectRouting ? "a direct route where the public IP is on-link" : "no direct route", actual,
                            "The node has no route to " + peer.Name + "'s public IP " + (publicAddress ?? "(none announced)") + ", so flannel's DirectRouting rule (a peer reached without a gateway) cannot be applied.");
                        continue;
                    }
                    bool onLink = underlay.Gateway == null;
                    string subnet = family.PodCidrOf(peer).Value.ToString();
                    if (!netConf.DirectRouting)
                    {
                        yield return direct == null
                            ? c.Passed(check, peer.Name, "no direct route", actual, "DirectRouting is off and " + peer.Name + "'s pods are routed through " + (vtep?.Name ?? "the VTEP") + ".")
                            : c.Warning(check, peer.Name, "no direct route", actual,
                                "DirectRouting is off in net-conf.json, yet " + peer.Name + "'s pods are routed via its public IP (" + direct + "): left from a flanneld that ran with DirectRouting, or net-conf.json is not the one flanneld reads.",
                                vtep == null ? null : Remedies.RouteReplace(subnet, family.PodCidrOf(peer).Value.Address.ToString(), vtep.Name));
                        continue;
                    }
                    if (!onLink)
                    {
                        yield return direct == null
                            ? c.Passed(check, peer.Name, "through the VTEP (public IP via " + underlay.Gateway + ")", actual,
                                "DirectRouting is on, and " + peer.Name + "'s public IP " + publicAddress + " is reached via the gateway " + underlay.Gateway + ", so flannel routes its pods through the VTEP.")
                            : c.Warning(check, peer.Name, "through the VTEP (public IP via " + underlay.Gateway + ")", actual,
                                peer.Name + "'s pods are routed via its public IP, but that IP is reached via the gateway " + underlay.Gateway + ", not on-link: flannel would route them through the VTEP.", null);
                        continue;
                    }
                    yield return direct != null
                        ? c.Passed(check, peer.Name, subnet + " via " + publicAddress, actual, "DirectRouting is on and " + peer.Name + " shares the underlay subnet: its pods are routed via its public IP.")
                        : c.Warning(check, peer.Name, subnet + " via " + publicAddress, actual,
                            "DirectRouting is on and " + peer.Name + "'s public IP " + publicAddress + " is on-link (" + underlay + "), so flannel would route its pods via that IP, not through the VTEP; " +
                            "traffic still passes over VXLAN. flanneld has not applied DirectRouting (not restarted since net-conf.json changed?).",
                            "ip route replace " + subnet + " via " + publicAddress + " dev " + underlay.Device);
                }
            }
        }

        private static IEnumerable<Finding> NetConfIPv6(DiagnosisContext c, FlannelNetConf netConf)
        {
            Vtep v6 = c.State.VtepV6;
            string expected = netConf.EnableIPv6 ? "a flannel-v6 VTEP" : "no flannel-v6 VTEP";
            string actual = v6 != null ? v6.Name : "no flannel-v6 VTEP";
            if (netConf.EnableIPv6 == (v6 != null))
            {
                yield return c.Passed("NetConfIPv6", c.LocalNode.Name, expected, actual,
                    "EnableIPv6 is " + (netConf.EnableIPv6 ? "true and the node has " + v6.Name : "false and the node has no flannel-v6 VTEP") + ".");
                yield break;
            }
            yield return netConf.EnableIPv6
                ? c.Error("NetConfIPv6", c.LocalNode.Name, expected, actual,
                    "net-conf.json enables IPv6 but the node has no flannel-v6 VTEP: flanneld did not make it (no IPv6 address on the underlay, or no IPv6 podCIDR for the node), so its pods have no IPv6 path to other nodes.",
                    RestartFlannel(c))
                : c.Warning("NetConfIPv6", c.LocalNode.Name, expected, actual,
                    "net-conf.json does not enable IPv6, yet the node has " + v6.Name + ": left from a dual-stack configuration; flanneld does not keep its routes, neighbour and FDB entries.",
                    "ip link delete " + v6.Name);
        }

        /// <summary>
        /// flannel makes each VTEP with MTU Backend.MTU - 50 (pkg/backend/vxlan/device.go), Backend.MTU defaulting to the
        /// underlay's; the kernel caps it at the underlay's MTU - 50, or - 70 for flannel-v6 over IPv6.
        /// </summary>
        private static IEnumerable<Finding> NetConfMtu(DiagnosisContext c, FlannelNetConf netConf)
        {
            foreach (OverlayFamily family in new[] { OverlayFamily.IPv4, OverlayFamily.IPv6 })
            {
                Vtep vtep = family.VtepOf(c.State);
                if (vtep == null)
                {
                    continue;
                }
                int? underlay = vtep.UnderlayDevice == null ? null : c.State.FindInterface(vtep.UnderlayDevice)?.Mtu;
                int? outer = netConf.Mtu ?? underlay;
                if (vtep.Mtu == null || outer == null)
                {
                    yield return c.Unknown("NetConfMtu", c.LocalNode.Name, netConf.Mtu != null ? "Backend.MTU " + Text(netConf.Mtu.Value) + " - 50" : "the underlay's MTU - 50",
                        vtep.Mtu == null ? "MTU not read" : "underlay MTU not read",
                        "Not checked: " + (vtep.Mtu == null ? vtep.Name + "'s MTU was not read." : "net-conf.json sets no Backend.MTU, and " + vtep.Name + "'s underlay device's MTU was not read."));
                    continue;
                }
                int expected = Math.Min(outer.Value - 50, (underlay ?? outer.Value) - family.EncapsulationOverhead);
                string from = (netConf.Mtu != null ? "Backend.MTU " + Text(netConf.Mtu.Value) : vtep.UnderlayDevice + "'s MTU " + Text(outer.Value) + " (no Backend.MTU)") + " - 50" +
                              (expected < outer.Value - 50 ? ", capped by the kernel at " + vtep.UnderlayDevice + "'s " + Text(underlay ?? outer.Value) + " - " + Text(family.EncapsulationOverhead) : string.Empty);
                string expectedText = Text(expected) + " (" + from + ")";
                if (vtep.Mtu == expected)
                {
                    yield return c.Passed("NetConfMtu", c.LocalNode.Name, expectedText, Text(vtep.Mtu.Value), vtep.Name + "'s MTU is what net-conf.json gives: " + expectedText + ".");
                    continue;
                }
                yield return c.Warning("NetConfMtu", c.LocalNode.Name, expectedText, Text(vtep.Mtu.Value),
                    vtep.Name + "'s MTU is " + Text(vtep.Mtu.Value) + ", not " + expectedText + ": flanneld has not made the VTEP from this net-conf.json (not restarted since it changed, or another file), " +
                    "and the pods get FLANNEL_MTU from the flanneld that runs.", RestartFlannel(c));
            }
        }

        /// <summary>Network (IPv6Network) contains the node's podCIDR; flanneld exits at start otherwise (pkg/subnet/kube/kube.go).</summary>
        private static IEnumerable<Finding> NetConfNetwork(DiagnosisContext c, FlannelNetConf netConf)
        {
            foreach (OverlayFamily family in new[] { OverlayFamily.IPv4, OverlayFamily.IPv6 })
            {
                bool enabled = family.Version == 4 ? netConf.EnableIPv4 : netConf.EnableIPv6;
                string key = family.Version == 4 ? "Network" : "IPv6Network";
                string written = family.Version == 4 ? netConf.Network : netConf.IPv6Network;
                if (!enabled)
                {
                    continue;
                }
                IpPrefix? podCidr = family.PodCidrOf(c.LocalNode);
                if (podCidr == null)
                {
                    yield return c.Unknown("NetConfNetwork", c.LocalNode.Name, key + " containing the node's podCIDR", key + " " + (written ?? "not set"),
                        "The cluster announces no " + family + " podCIDR for " + c.LocalNode.Name + " (flanneld waits for one), so net-conf.json's " + key + " cannot be checked against it.");
                    continue;
                }
                if (written != null && IpPrefix.TryParse(written, out IpPrefix network) && Contains(network, podCidr.Value))
                {
                    yield return c.Passed("NetConfNetwork", c.LocalNode.Name, key + " containing " + podCidr.Value, key + " " + written,
                        "net-conf.json's " + key + " " + written + " contains " + c.LocalNode.Name + "'s podCIDR " + podCidr.Value + ".");
                    continue;
                }
                string flannelSays = "subnet \"" + (written ?? string.Empty) + "\" specified in the flannel net config doesn't contain \"" + podCidr.Value + "\"" +
                                     (family.Version == 6 ? " IPv6" : string.Empty) + " PodCIDR of the \"" + c.LocalNode.Name + "\" node";
                yield return c.Error("NetConfNetwork", c.LocalNode.Name, key + " containing " + podCidr.Value, key + " " + (written ?? "not set"),
                    "net-conf.json's " + key + " " + (written ?? "(not set)") + " does not contain " + c.LocalNode.Name + "'s podCIDR " + podCidr.Value +
                    ": flanneld exits at start (\"" + flannelSays + "\"), so its pod restarts in a crash loop. Set " + key +
                    " to the cluster's pod network (kube-controller-manager's --cluster-cidr) in net-conf.json.", EditNetConf(netConf));
            }
        }

        /// <summary>
        /// Runs <paramref name="judge"/> for each VTEP (flannel.N, flannel-v6.N) whose value was read; Unknown when the
        /// node has no VTEP or the value was not read.
        /// </summary>
        private static IEnumerable<Finding> EachVtep(DiagnosisContext c, string check, string expected, Func<Vtep, int?> value, Func<Vtep, int, Finding> judge)
        {
            List<Vtep> vteps = c.State.GetVteps().ToList();
            if (vteps.Count == 0)
            {
                yield return c.Unknown(check, c.LocalNode.Name, expected, "no VTEP", "The node has no flannel VTEP to check net-conf.json against.");
                yield break;
            }
            foreach (Vtep vtep in vteps)
            {
                int? read = value(vtep);
                yield return read == null
                    ? c.Unknown(check, c.LocalNode.Name, expected, DiagnosisContext.NotReadText, "Not checked: " + vtep.Name + "'s VXLAN details were not read (ip -d link).")
                    : judge(vtep, read.Value);
            }
        }

        /// <summary>What shows the node runs pods: cni0 with an address in the node's pod subnet, or veths on cni0; null when nothing does.</summary>
        private static string PodEvidence(DiagnosisContext c)
        {
            Interface bridge = c.State.FindInterface("cni0");
            int ports = c.State.Interfaces.Count(i => i.Master == "cni0");
            if (ports > 0)
            {
                return Text(ports) + " veth" + (ports == 1 ? string.Empty : "s") + " on cni0";
            }
            if (bridge == null)
            {
                return null;
            }
            IpPrefix?[] podCidrs = { OverlayFamily.IPv4.PodCidrOf(c.LocalNode), OverlayFamily.IPv6.PodCidrOf(c.LocalNode) };
            string podAddress = bridge.Addresses.FirstOrDefault(a =>
                IpPrefix.TryParse(a, out IpPrefix p) && podCidrs.Any(cidr => cidr.HasValue && cidr.Value.Contains(p.Address)));
            return podAddress != null ? "cni0 carries " + podAddress : null;
        }

        /// <summary>Restarting flannel's pod on the node makes flanneld rewrite subnet.env and re-create its VTEP from net-conf.json.</summary>
        private static string RestartFlannel(DiagnosisContext c) =>
            "kubectl -n " + FlannelNamespace(c.NetConf) + " delete pod -l app=flannel --field-selector spec.nodeName=" + c.LocalNode.Name;

        private static string EditNetConf(FlannelNetConf netConf) =>
            netConf.Source != null && netConf.Source.StartsWith("configmap ", StringComparison.Ordinal) && netConf.Source.IndexOf('/') > 0
                ? "kubectl -n " + FlannelNamespace(netConf) + " edit configmap " + netConf.Source.Substring(netConf.Source.IndexOf('/') + 1)
                : null;

        /// <summary>The namespace of the ConfigMap net-conf.json came from (<c>configmap NS/NAME</c>), else kube-flannel's.</summary>
        private static string FlannelNamespace(FlannelNetConf netConf)
        {
            string source = netConf?.Source;
            const string prefix = "configmap ";
            if (source != null && source.StartsWith(prefix, StringComparison.Ordinal) && source.IndexOf('/') > prefix.Length)
            {
                return source.Substring(prefix.Length, source.IndexOf('/') - prefix.Length);
            }
            return "kube-flannel";
        }

        private static bool Contains(IpPrefix network, IpPrefix subnet) => network.Length <= subnet.Length && network.Contains(subnet.Address);

        /// <summary>The prefix's first address after the network's, with the length, as flannel's subnet.env writes FLANNEL_SUBNET.</summary>
        private static string FirstAddress(IpPrefix prefix)
        {
            byte[] bytes = prefix.Address.ToIPAddress().GetAddressBytes();
            int bits = prefix.Length;
            for (int i = 0; i < bytes.Length; i++)
            {
                int keep = Math.Max(0, Math.Min(8, bits - i * 8));
                bytes[i] &= (byte)(0xff << (8 - keep));
            }
            for (int i = bytes.Length - 1, carry = 1; i >= 0 && carry > 0; i--)
            {
                int sum = bytes[i] + carry;
                bytes[i] = (byte)sum;
                carry = sum >> 8;
            }
            IpAddressValue address = IpAddressValue.FromIPAddress(new System.Net.IPAddress(bytes));
            return new IpPrefix(address, prefix.Length).ToString();
        }

        private static bool IsLinkLocal(IpPrefix prefix) =>
            prefix.Version == 6 && prefix.Address.ToIPAddress().IsIPv6LinkLocal;

        private static bool IsFlannelMasquerade(FirewallChain chain) =>
            chain.Name == "FLANNEL-POSTRTG" ||
            (chain.Backend == FirewallBackend.Nftables && (chain.Table == "flannel-ipv4" || chain.Table == "flannel-ipv6") && chain.Name == "postrtg");

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
    }
}
