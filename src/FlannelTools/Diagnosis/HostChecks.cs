namespace FlannelTools.Diagnosis
{
    /// <summary>
    /// Checks of the node's kernel settings and counters that flannel's VXLAN path depends on: forwarding, bridge
    /// netfilter, reverse-path filtering, UDP checksum errors, programs ahead of the IP stack on the underlay, other
    /// VXLAN devices on flannel's port, the conntrack table, and the VTEP's drop counters.
    /// </summary>
    internal static class HostChecks
    {
        /// <summary>Where a remedy's sysctl setting is made persistent (systemd-sysctl and procps read the same key forms).</summary>
        public const string SysctlFile = "/etc/sysctl.d/90-flannel.conf";

        /// <summary>Above this share of nf_conntrack_max the table is close to full.</summary>
        public const double ConntrackFullShare = 0.9;

        public static IEnumerable<Finding> Run(DiagnosisContext c) =>
            IpForwarding(c).Concat(BridgeNetfilter(c)).Concat(ReversePath(c)).Concat(UdpChecksumErrors(c)).Concat(PreStackDrop(c))
                .Concat(VxlanPortShared(c)).Concat(Conntrack(c)).Concat(VtepDrops(c));

        /// <summary>
        /// net.ipv4.ip_forward on an IPv4 overlay, net.ipv6.conf.all.forwarding on an IPv6 one, and the IPv4 per-device
        /// forwarding of the VTEP, the bridge and the underlay: IPv4 forwards a packet only when the device it arrived on
        /// forwards, and a device can be set to 0 after ip_forward set them all to 1.
        /// </summary>
        public static IEnumerable<Finding> IpForwarding(DiagnosisContext c)
        {
            const string check = "IpForwarding";
            List<OverlayFamily> families = c.Families.ToList();
            if (families.Count == 0)
            {
                yield break;
            }
            var keys = new List<string>();
            if (families.Contains(OverlayFamily.IPv4))
            {
                keys.Add("net.ipv4.ip_forward");
            }
            if (families.Contains(OverlayFamily.IPv6))
            {
                keys.Add("net.ipv6.conf.all.forwarding");
            }
            string expected = string.Join(", ", keys.Select(k => k + " = 1"));
            if (c.State.Sysctls == null)
            {
                yield return c.NotRead(check, HostParts.Sysctls, expected);
                yield break;
            }
            var findings = new List<Finding>();
            var good = new List<string>();
            foreach (string key in keys)
            {
                string value = c.State.GetSysctl(key);
                if (!TryParseSetting(value, out int on))
                {
                    findings.Add(c.Unknown(check, c.LocalNode.Name, key + " = 1", Shown(key, value),
                        "Not checked: " + (value == null ? key + " is not among the sysctls read." : key + " has a value this check cannot judge.")));
                    continue;
                }
                if (on != 0)
                {
                    good.Add(key + " = " + value);
                    continue;
                }
                bool v6 = key.StartsWith("net.ipv6.", StringComparison.Ordinal);
                findings.Add(c.Error(check, c.LocalNode.Name, key + " = 1", key + " = " + value,
                    c.LocalNode.Name + " does not forward " + (v6 ? "IPv6" : "IPv4") + " (" + key + " = 0), so no packet passes between its pods and the VTEP: " +
                    "pod-to-pod traffic across nodes fails both ways." +
                    (v6 ? " On a node that takes its IPv6 address or default route from router advertisements, set accept_ra = 2 on the underlay first: with forwarding on, accept_ra = 1 ignores them." :
                        " Setting ip_forward sets every device's forwarding too."),
                    SysctlRemedy(key, "1")));
            }
            Vtep vtep = c.State.Vtep;
            if (families.Contains(OverlayFamily.IPv4) && vtep != null)
            {
                var devices = new List<(string Device, string Carries)>
                {
                    (vtep.Name, "the other nodes' pods' packets to this node's pods (decapsulated on " + vtep.Name + ")"),
                };
                string bridge = BridgeOf(c, OverlayFamily.IPv4);
                if (bridge != null)
                {
                    devices.Add((bridge, "this node's pods' packets to every other node"));
                }
                if (vtep.UnderlayDevice != null)
                {
                    devices.Add((vtep.UnderlayDevice, "DirectRouting peers' pod packets, and Service (NodePort) traffic from outside the node to pods"));
                }
                foreach ((string device, string carries) in devices.GroupBy(d => d.Device).Select(g => g.First()))
                {
                    string key = ConfKey(device, "forwarding");
                    string value = c.State.GetSysctl(key);
                    if (!TryParseSetting(value, out int on))
                    {
                        continue;
                    }
                    if (on != 0)
                    {
                        good.Add(key + " = " + value);
                        continue;
                    }
                    findings.Add(c.Error(check, c.LocalNode.Name, key + " = 1", key + " = " + value,
                        device + " does not forward (" + key + " = 0): IPv4 forwards a packet only when the device it arrived on forwards, so " + carries +
                        " are dropped, whatever net.ipv4.ip_forward says. Something set it after ip_forward (which sets every device).",
                        SysctlRemedy(key, "1")));
                }
            }
            if (findings.Count == 0)
            {
                findings.Add(c.Passed(check, c.LocalNode.Name, expected, string.Join(", ", good), c.LocalNode.Name + " forwards packets between its pods and the VTEP."));
            }
            foreach (Finding finding in findings)
            {
                yield return finding;
            }
        }

        /// <summary>
        /// Bridge netfilter: without br_netfilter, or with bridge-nf-call-iptables off both globally and on the bridge,
        /// packets between two pods on the same bridge never reach iptables, so kube-proxy's Service NAT misses them.
        /// </summary>
        public static IEnumerable<Finding> BridgeNetfilter(DiagnosisContext c)
        {
            const string check = "BridgeNetfilter";
            foreach (OverlayFamily family in c.Families)
            {
                string tool = family == OverlayFamily.IPv4 ? "iptables" : "ip6tables";
                string globalKey = "net.bridge.bridge-nf-call-" + tool;
                string bridge = BridgeOf(c, family);
                string bridgeKey = bridge == null ? null : "bridge." + bridge + ".nf_call_" + tool;
                string expected = globalKey + " = 1" + (bridgeKey == null ? string.Empty : " or " + bridgeKey + " = 1");
                if (c.State.Sysctls == null)
                {
                    yield return c.NotRead(check, HostParts.Sysctls, expected);
                    yield break;
                }
                string global = c.State.GetSysctl(globalKey);
                string own = bridgeKey == null ? null : c.State.GetSysctl(bridgeKey);
                string actual = Shown(globalKey, global) + (bridgeKey == null ? string.Empty : ", " + Shown(bridgeKey, own));
                string onBridge = bridge == null ? "on a bridge (cni0 appears with the node's first pod)" : "on " + bridge;
                string consequence = "so packets between two pods " + onBridge + " are not seen by " + tool + ", and kube-proxy's Service NAT is not applied to them: " +
                    "a pod that calls a Service whose endpoint is on the same node gets no answer, or one from the wrong address.";
                if (global == null)
                {
                    yield return c.Warning(check, c.LocalNode.Name, expected, actual,
                        "br_netfilter is not loaded (" + globalKey + " does not exist), " + consequence,
                        "modprobe br_netfilter; sysctl -w " + globalKey + "=1; echo br_netfilter > /etc/modules-load.d/br_netfilter.conf; " +
                        "echo '" + globalKey + " = 1' >> " + SysctlFile);
                    continue;
                }
                if (!TryParseSetting(global, out int globalOn) || (own != null && !TryParseSetting(own, out _)))
                {
                    yield return c.Unknown(check, c.LocalNode.Name, expected, actual, "Not checked: a bridge netfilter setting has a value this check cannot judge.");
                    continue;
                }
                if (globalOn != 0)
                {
                    yield return c.Passed(check, c.LocalNode.Name, expected, actual, "Bridged pod traffic passes " + tool + " (br_netfilter, " + globalKey + " = 1), so kube-proxy's Service NAT applies to it.");
                    continue;
                }
                if (own != null && TryParseSetting(own, out int ownOn) && ownOn != 0)
                {
                    yield return c.Passed(check, c.LocalNode.Name, expected, actual, bridge + " passes its packets to " + tool + " by its own setting (" + bridgeKey + " = 1), although " + globalKey + " is 0.");
                    continue;
                }
                yield return c.Warning(check, c.LocalNode.Name, expected, actual,
                    globalKey + " is 0" + (bridgeKey == null ? string.Empty : own == null ? " and " + bridge + " has no setting of its own" : " and so is " + bridgeKey) + ", " + consequence,
                    SysctlRemedy(globalKey, "1"));
            }
        }

        /// <summary>
        /// Reverse-path filtering on the VTEP and the underlay. The kernel takes the larger of conf/all and the device's value;
        /// strict (1) drops a packet whose source the node would not answer through the device it came in on.
        /// </summary>
        public static IEnumerable<Finding> ReversePath(DiagnosisContext c)
        {
            const string check = "ReversePath";
            Vtep vtep = c.State.Vtep;
            if (vtep == null || !c.Families.Contains(OverlayFamily.IPv4))
            {
                yield break;
            }
            const string allKey = "net.ipv4.conf.all.rp_filter";
            if (c.State.Sysctls == null)
            {
                yield return c.NotRead(check, HostParts.Sysctls, "rp_filter 0 or 2 on " + vtep.Name + (vtep.UnderlayDevice == null ? string.Empty : " and " + vtep.UnderlayDevice));
                yield break;
            }
            List<FlannelNode> peers = c.Peers.Where(p => OverlayFamily.IPv4.PodCidrOf(p).HasValue).ToList();
            var devices = new List<string> { vtep.Name };
            if (vtep.UnderlayDevice != null && vtep.UnderlayDevice != vtep.Name)
            {
                devices.Add(vtep.UnderlayDevice);
            }
            foreach (string device in devices)
            {
                string key = ConfKey(device, "rp_filter");
                string expected = key + ": 0 or 2, or 1 with every reply leaving through " + device;
                string allText = c.State.GetSysctl(allKey);
                string ownText = c.State.GetSysctl(key);
                string actual = Shown(allKey, allText) + ", " + Shown(key, ownText);
                if (!TryParseSetting(allText, out int all) || !TryParseSetting(ownText, out int own) || all > 2 || own > 2)
                {
                    yield return c.Unknown(check, c.LocalNode.Name, expected, actual,
                        "Not checked: " + (allText == null || ownText == null ? "rp_filter of all and " + device + " was not among the sysctls read." : "an rp_filter value this check cannot judge."));
                    continue;
                }
                int effective = Math.Max(all, own);
                if (effective != 1)
                {
                    yield return c.Passed(check, c.LocalNode.Name, expected, actual,
                        device + "'s reverse-path filter is " + (effective == 0 ? "off" : "loose (2: any route back will do)") + ", so it drops no overlay packet.");
                    continue;
                }
                var misrouted = new List<(FlannelNode Peer, string Source, Route Reply)>();
                foreach (FlannelNode peer in peers)
                {
                    IpPrefix subnet = OverlayFamily.IPv4.PodCidrOf(peer).Value;
                    bool direct = PeerChecks.FindDirectRoute(c, OverlayFamily.IPv4, peer) != null;
                    // Pod packets arrive decapsulated on the VTEP from VXLAN peers, and as they are on the underlay from DirectRouting peers.
                    if ((device == vtep.Name) != direct)
                    {
                        Route reply = c.State.FindRoute(subnet.Address.ToString());
                        if (reply?.Device != device)
                        {
                            misrouted.Add((peer, peer.Name + "'s pods (" + subnet + ")", reply));
                        }
                    }
                    string publicAddress = peer.PublicAddress;
                    if (device == vtep.UnderlayDevice && publicAddress != null)
                    {
                        Route reply = c.State.FindRoute(publicAddress);
                        if (reply?.Device != device)
                        {
                            misrouted.Add((peer, peer.Name + "'s VXLAN packets (from " + publicAddress + ")", reply));
                        }
                    }
                }
                string why = all == 1 && own != 1
                    ? allKey + " = 1 makes it strict: the kernel takes the larger of all and the device, so lowering " + key + " to 0 does not help; 2 (loose) does, being the larger."
                    : key + " = 1 makes it strict.";
                if (misrouted.Count == 0)
                {
                    yield return c.Passed(check, c.LocalNode.Name, expected, actual,
                        device + "'s reverse-path filter is strict, but harmless here: the node's routes send every peer's replies back through " + device +
                        ". A route that moves (a second uplink, a changed DirectRouting) would make it drop silently. " + why);
                    continue;
                }
                foreach ((FlannelNode peer, string source, Route reply) in misrouted)
                {
                    yield return c.Warning(check, peer.Name, expected, actual + "; reply route: " + (reply?.ToString() ?? "none"),
                        device + "'s strict reverse-path filter drops " + source + " arriving on " + device + ", because the route back " +
                        (reply == null ? "does not exist" : "leaves through " + reply.Device) + ". " + why,
                        SysctlRemedy(key, "2"));
                }
            }
        }

        /// <summary>
        /// The receiver's side of the VXLAN checksum bug: UDP datagrams dropped for a bad checksum. The counters are the
        /// whole node's UDP, cumulative since boot; the sender is the node to fix.
        /// </summary>
        public static IEnumerable<Finding> UdpChecksumErrors(DiagnosisContext c)
        {
            const string check = "UdpChecksumErrors";
            List<string> groups = c.Families.Select(f => f == OverlayFamily.IPv4 ? "Udp" : "Udp6").DefaultIfEmpty("Udp").ToList();
            string expected = string.Join(", ", groups.Select(g => g + " InCsumErrors 0"));
            List<NetCounter> udp = c.State.Counters?.Where(n => n.Device == null && groups.Contains(n.Group)).ToList();
            if (udp == null || udp.Count == 0)
            {
                yield return c.NotRead(check, HostParts.UdpCounters, expected);
                yield break;
            }
            var clean = new List<string>();
            foreach (string group in groups)
            {
                NetCounter errors = udp.FirstOrDefault(n => n.Group == group && n.Name == "InCsumErrors");
                if (errors == null)
                {
                    yield return c.Unknown(check, c.LocalNode.Name, group + " InCsumErrors 0", DiagnosisContext.NotReadText,
                        "Not checked: the " + group + " counters read hold no InCsumErrors (" + (udp.Any(n => n.Group == group) ? "a kernel older than 3.10 does not count it" : "the " + group + " counters were not read") + ").");
                    continue;
                }
                if (errors.Value == 0)
                {
                    clean.Add(group + " InCsumErrors 0");
                    continue;
                }
                string counter = group + "InCsumErrors";
                yield return c.Warning(check, c.LocalNode.Name, group + " InCsumErrors 0", group + " InCsumErrors " + errors.Value.ToString(CultureInfo.InvariantCulture),
                    "Checksum errors received; the sender is the node to fix: " + c.LocalNode.Name + " dropped " + errors.Value.ToString(CultureInfo.InvariantCulture) +
                    " UDP datagrams with a bad checksum. The counter is global (all UDP on the node, not only VXLAN) and cumulative since boot: run `nstat " + counter +
                    "` twice to see whether it still rises. A VXLAN sender whose outer packets are NATed while the NIC fills in the inner checksum sends exactly these: " +
                    "see the ChecksumOffload check on the other nodes (Test-FlannelNode there; the whole-cluster check correlates receivers with senders).",
                    null);
            }
            if (clean.Count == groups.Count)
            {
                yield return c.Passed(check, c.LocalNode.Name, expected, string.Join(", ", clean), c.LocalNode.Name + " has received no UDP datagram with a bad checksum since boot.");
            }
        }

        /// <summary>
        /// XDP programs and tc filters on the underlay: they see flannel's UDP before the IP stack and its packet filter,
        /// so a drop of UDP 8472 there shows in no rule and no counter the other checks read.
        /// </summary>
        public static IEnumerable<Finding> PreStackDrop(DiagnosisContext c)
        {
            const string check = "PreStackDrop";
            List<Vtep> vteps = c.State.GetVteps().ToList();
            if (vteps.Count == 0)
            {
                yield break;
            }
            List<string> underlays = vteps.Select(v => v.UnderlayDevice).Where(d => d != null).Distinct().ToList();
            if (underlays.Count == 0)
            {
                yield return c.Unknown(check, c.LocalNode.Name, "no XDP program or tc filter on the underlay", "no underlay device",
                    "Not checked: the VTEP names no underlay device (no 'dev' in its vxlan line), so the device to look at is not known.");
                yield break;
            }
            string expected = "no XDP program or tc filter on " + string.Join(", ", underlays);
            string unread = new[] { HostParts.LinkCounters, HostParts.TcFilters }.FirstOrDefault(p => IsMissing(c.State, p));
            if (c.State.PreStackPrograms == null)
            {
                yield return c.NotRead(check, unread ?? HostParts.LinkCounters, expected);
                yield break;
            }
            List<PreStackProgram> found = c.State.PreStackPrograms.Where(p => underlays.Contains(p.Device)).ToList();
            foreach (PreStackProgram program in found)
            {
                bool xdp = program.Kind != null && program.Kind.StartsWith("xdp", StringComparison.Ordinal);
                bool egress = program.Kind != null && program.Kind.EndsWith("egress", StringComparison.Ordinal);
                string sees = xdp ? "sees every packet before the IP stack and before any capture on the host (tcpdump does not see what it drops)"
                    : egress ? "sees every outgoing packet after the packet filter and before any capture on the host"
                    : "sees every incoming packet after a capture (tcpdump shows the packet arriving) but before the IP stack and its packet filter";
                yield return c.Warning(check, c.LocalNode.Name, expected, program.ToString(),
                    program.Device + " has " + (xdp ? "an XDP program" : "a tc filter") + " (" + program.Kind + " " + program.Program + "), which " + sees +
                    ". If it drops UDP " + c.Port.ToString(CultureInfo.InvariantCulture) + " nothing else shows it. Find what installed it; remove it only if nothing needs it.",
                    xdp ? "ip link set dev " + program.Device + " " + XdpMode(program.Kind) + " off" : "tc filter del dev " + program.Device + (egress ? " egress" : " ingress"));
            }
            if (found.Count > 0)
            {
                yield break;
            }
            if (unread != null)
            {
                yield return c.NotRead(check, unread, expected);
                yield break;
            }
            yield return c.Passed(check, c.LocalNode.Name, expected, "none", "No XDP program or tc filter sees " + string.Join(", ", underlays) + "'s packets ahead of the IP stack.");
        }

        /// <summary>
        /// Other VXLAN devices on the VTEP's UDP port and address family. Devices with the same receive flags share one
        /// socket and the kernel delivers by VNI; it refuses a second device of the same VNI there, so one with the same VNI
        /// differs in its flags (gbp, external) and needs a socket of its own on the port: only one of the two can be up.
        /// </summary>
        public static IEnumerable<Finding> VxlanPortShared(DiagnosisContext c)
        {
            const string check = "VxlanPortShared";
            foreach (Vtep vtep in c.State.GetVteps())
            {
                int port = vtep.Port ?? c.Port;
                string portText = port.ToString(CultureInfo.InvariantCulture);
                string expected = "no other VXLAN device on UDP " + portText;
                if (!c.State.VxlanDevices.Any(d => d.Name == vtep.Name))
                {
                    yield return c.Unknown(check, c.LocalNode.Name, expected, DiagnosisContext.NotReadText,
                        "Not checked: the node's VXLAN devices were not read with their details (ip -d link).");
                    continue;
                }
                int family = FamilyOf(vtep.LocalAddress);
                List<Vtep> sharing = c.State.VxlanDevices
                    .Where(d => d.Name != vtep.Name && d.Port == port && (d.LocalAddress == null || family == 0 || FamilyOf(d.LocalAddress) == family))
                    .ToList();
                if (sharing.Count == 0)
                {
                    yield return c.Passed(check, c.LocalNode.Name, expected, "none", vtep.Name + " is the only VXLAN device on UDP " + portText + ".");
                    continue;
                }
                foreach (Vtep other in sharing)
                {
                    bool flannels = other.Name.StartsWith("flannel.", StringComparison.Ordinal) || other.Name.StartsWith("flannel-v6.", StringComparison.Ordinal);
                    string remedy = flannels ? "ip link del " + other.Name : null;
                    string owner = flannels ? " It is a leftover of flannel." : " Remove it with the tool that made it, if it is no longer used.";
                    bool otherUp = other.State != null && other.State != "DOWN";
                    string socket = " needs a UDP socket of its own on " + portText + ", and whichever of the two is brought up second fails with 'Address already in use'" +
                        (otherUp ? ": " + other.Name + " is up and holds the port." : ": " + other.Name + " is down now, but if it comes up first (after a reboot, or `ip link set up`) flannel's VTEP cannot.");
                    if (other.Vni.HasValue && other.Vni == vtep.Vni)
                    {
                        yield return c.Error(check, c.LocalNode.Name, expected, other.ToString(),
                            other.Name + " has flannel's VNI " + other.Vni.Value.ToString(CultureInfo.InvariantCulture) + " on UDP " + portText +
                            ". The kernel allows that only with other receive flags (gbp, external), so it" + socket + owner, remedy);
                    }
                    else if (other.Vni == 0)
                    {
                        yield return c.Warning(check, c.LocalNode.Name, expected, other.ToString(),
                            other.Name + " is a metadata-mode VXLAN device ('external', as Cilium makes cilium_vxlan) on UDP " + portText + ": it takes every VNI and" + socket + owner, remedy);
                    }
                    else
                    {
                        yield return c.Warning(check, c.LocalNode.Name, expected, other.ToString(),
                            other.Name + " (VNI " + (other.Vni?.ToString(CultureInfo.InvariantCulture) ?? "unknown") + ") shares UDP " + portText + " with " + vtep.Name +
                            ". The kernel delivers by VNI, so it is harmless only while its VNI differs from flannel's (" + (vtep.Vni?.ToString(CultureInfo.InvariantCulture) ?? "unknown") +
                            "): a node still sending that VNI (an old VNI) reaches it instead of flannel." + owner, remedy);
                    }
                }
            }
        }

        /// <summary>The conntrack table: at nf_conntrack_max the kernel drops new flows ("nf_conntrack: table full, dropping packet").</summary>
        public static IEnumerable<Finding> Conntrack(DiagnosisContext c)
        {
            const string check = "Conntrack";
            const string countKey = "net.netfilter.nf_conntrack_count";
            const string maxKey = "net.netfilter.nf_conntrack_max";
            string expected = countKey + " below " + (ConntrackFullShare * 100).ToString(CultureInfo.InvariantCulture) + "% of " + maxKey;
            if (c.State.Sysctls == null)
            {
                yield return c.NotRead(check, HostParts.Sysctls, expected);
                yield break;
            }
            string countText = c.State.GetSysctl(countKey);
            string maxText = c.State.GetSysctl(maxKey);
            string actual = Shown(countKey, countText) + ", " + Shown(maxKey, maxText);
            if (countText == null && maxText == null)
            {
                yield return c.Passed(check, c.LocalNode.Name, expected, actual, "nf_conntrack is not loaded (neither key exists), so there is no conntrack table to fill.");
                yield break;
            }
            if (!long.TryParse(countText, NumberStyles.None, CultureInfo.InvariantCulture, out long count) ||
                !long.TryParse(maxText, NumberStyles.None, CultureInfo.InvariantCulture, out long max) || max == 0)
            {
                yield return c.Unknown(check, c.LocalNode.Name, expected, actual, "Not checked: the conntrack count and max were not both read as numbers.");
                yield break;
            }
            if (count <= max * ConntrackFullShare)
            {
                yield return c.Passed(check, c.LocalNode.Name, expected, actual, "The conntrack table holds " + Percent(count, max) + " of its maximum.");
                yield break;
            }
            string larger = (max * 2).ToString(CultureInfo.InvariantCulture);
            yield return c.Warning(check, c.LocalNode.Name, expected, actual,
                "The conntrack table holds " + Percent(count, max) + " of nf_conntrack_max: at the maximum the kernel drops every new flow (\"nf_conntrack: table full, dropping packet\" in the kernel log), " +
                "pod traffic included. kube-proxy sets the maximum at its start from conntrack.maxPerCore; raise that too, or it lowers the value again.",
                SysctlRemedy(maxKey, larger));
        }

        /// <summary>
        /// The VTEP's transmit counters: tx_dropped rises when it has no FDB entry for a MAC, tx_carrier_errors when it has
        /// no route to a peer's public IP. Both are cumulative since the device was created.
        /// </summary>
        public static IEnumerable<Finding> VtepDrops(DiagnosisContext c)
        {
            const string check = "VtepDrops";
            foreach (Vtep vtep in c.State.GetVteps())
            {
                const string expected = "tx_dropped 0, tx_carrier_errors 0";
                List<NetCounter> counters = c.State.Counters?.Where(n => n.Group == "link" && n.Device == vtep.Name).ToList();
                if (counters == null || counters.Count == 0)
                {
                    yield return c.NotRead(check, HostParts.LinkCounters, vtep.Name + " " + expected);
                    continue;
                }
                long dropped = counters.FirstOrDefault(n => n.Name == "tx_dropped")?.Value ?? 0;
                long carrier = counters.FirstOrDefault(n => n.Name == "tx_carrier_errors")?.Value ?? 0;
                string actual = vtep.Name + " tx_dropped " + dropped.ToString(CultureInfo.InvariantCulture) + ", tx_carrier_errors " + carrier.ToString(CultureInfo.InvariantCulture);
                if (carrier > 0)
                {
                    yield return c.Warning(check, c.LocalNode.Name, expected, actual,
                        vtep.Name + " failed to send " + carrier.ToString(CultureInfo.InvariantCulture) + " packets for want of a route to the destination's public IP (tx_carrier_errors, cumulative since " +
                        vtep.Name + " was created): a peer's public IP was unreachable over the underlay at some time. Run `ip route get <public IP>` for each peer.", null);
                }
                if (dropped > 0)
                {
                    yield return c.Passed(check, c.LocalNode.Name, expected, actual,
                        vtep.Name + " dropped " + dropped.ToString(CultureInfo.InvariantCulture) + " packets for which it had no FDB entry (tx_dropped, cumulative since " + vtep.Name +
                        " was created). A few are normal (its IPv6 multicast, entries flannel had not yet written); a count that keeps rising while the Fdb checks pass points at a MAC that no node announces.");
                }
                if (carrier == 0 && dropped == 0)
                {
                    yield return c.Passed(check, c.LocalNode.Name, expected, actual, vtep.Name + " has dropped no packet for want of an FDB entry or a route.");
                }
            }
        }

        /// <summary>The sysctl name of a per-device IPv4 setting; a dot in the device's name is written '/', as sysctl does.</summary>
        internal static string ConfKey(string device, string setting) => "net.ipv4.conf." + device.Replace('.', '/') + "." + setting;

        /// <summary>Sets a sysctl now and in a sysctl.d file (read at boot, and by systemd's udev rule when a device such as flannel.1 reappears).</summary>
        internal static string SysctlRemedy(string key, string value) =>
            "sysctl -w " + key + "=" + value + "; echo '" + key + " = " + value + "' >> " + SysctlFile;

        /// <summary>The device of the route to this node's own pod subnet: the bridge its pods hang on (cni0).</summary>
        private static string BridgeOf(DiagnosisContext c, OverlayFamily family)
        {
            IpPrefix? subnet = family.PodCidrOf(c.LocalNode);
            string vtepName = family.VtepOf(c.State)?.Name;
            string device = subnet == null
                ? null
                : c.State.Routes.FirstOrDefault(r => r.Family == family.RouteFamily && r.Type == "unicast" && r.Device != vtepName && PeerChecks.Same(r.GetPrefix(), subnet.Value))?.Device;
            return device ?? c.State.FindInterface("cni0")?.Name;
        }

        private static bool TryParseSetting(string value, out int setting) =>
            int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out setting);

        private static string Shown(string key, string value) => key + (value == null ? " absent" : " = " + value);

        private static bool IsMissing(NodeState state, string part) =>
            state.WhyNotRead(part) != null || (state.ReadParts.Count > 0 && !state.ReadParts.Has(part));

        private static int FamilyOf(string address) => IpAddressValue.TryParse(address, out IpAddressValue value) ? value.Version : 0;

        /// <summary>iproute2's word for the XDP mode a program is attached in (xdpgeneric, xdpdrv, xdpoffload), which detaching it takes.</summary>
        private static string XdpMode(string kind) =>
            kind.Split(' ').LastOrDefault(w => w.StartsWith("xdp", StringComparison.Ordinal)) ?? "xdp";

        private static string Percent(long count, long max) => (count * 100 / max).ToString(CultureInfo.InvariantCulture) + "%";
    }
}
