using FlannelTools.HostLayer.Firewall;

namespace FlannelTools.Diagnosis
{
    /// <summary>
    /// The node's packet filter against flannel's traffic: VXLAN from each peer on input, pod traffic both ways through
    /// forward, flannel's own rules, rules split across two backends, and the NAT that sets off the VXLAN checksum bug.
    /// </summary>
    internal static class FirewallChecks
    {
        private const string AllPeers = "all peers";

        public static IEnumerable<Finding> Run(DiagnosisContext c) => Run(c, null);

        /// <summary>The checks with the rule-text reader given (the tests' rules built in code).</summary>
        internal static IEnumerable<Finding> Run(DiagnosisContext c, Func<FirewallRule, ParsedRule> parse)
        {
            FirewallEvaluator evaluator = c.State.FirewallChains != null ? new FirewallEvaluator(c.State, parse) : null;
            return VxlanPortOpen(c, evaluator).Concat(ForwardFilter(c, evaluator)).Concat(FlannelRules(c, evaluator))
                .Concat(FirewallBackends(c, evaluator)).Concat(ChecksumOffload(c, evaluator)).ToList();
        }

        /// <summary>Would VXLAN from each peer's public IP to this VTEP's local address, on the cluster's port, from any source port, pass the input hook?</summary>
        internal static IEnumerable<Finding> VxlanPortOpen(DiagnosisContext c, FirewallEvaluator evaluator)
        {
            const string check = "VxlanPortOpen";
            string port = c.Port.ToString(CultureInfo.InvariantCulture);
            string expected = "udp dport " + port + " from every peer accepted on input";
            if (evaluator == null)
            {
                return NotReadParts(c, check, expected);
            }
            var findings = new List<Finding>();
            foreach (OverlayFamily family in c.Families)
            {
                Vtep vtep = family.VtepOf(c.State);
                List<FlannelNode> peers = c.Peers.Where(p => family.PublicAddressOf(p) != null).ToList();
                if (vtep == null || peers.Count == 0)
                {
                    continue;
                }
                string local = vtep.LocalAddress ?? family.PublicAddressOf(c.LocalNode);
                var verdicts = new List<KeyValuePair<FlannelNode, FilterVerdict>>();
                foreach (FlannelNode peer in peers)
                {
                    string source = family.PublicAddressOf(peer);
                    string device = vtep.UnderlayDevice ?? c.State.FindRoute(source)?.Device;
                    if (local == null || device == null)
                    {
                        findings.Add(c.Unknown(check, peer.Name, expected, "unknown",
                            "Not checked: " + vtep.Name + " has no " + (local == null ? "local address" : "underlay device") + " and no route tells it, so the VXLAN packet from " + peer.Name + " cannot be described."));
                        continue;
                    }
                    verdicts.Add(new KeyValuePair<FlannelNode, FilterVerdict>(peer, evaluator.Filter(WithCtStatus(evaluator, new PacketProbe
                    {
                        Family = family.Version == 4 ? "ip" : "ip6", L4Proto = "udp", SourceAddress = source, DestinationAddress = local,
                        DestinationPort = c.Port, InInterface = device, DestinationAddressType = "local", SourceAddressType = "unicast", Path = PacketProbe.ReceivedPath,
                    }))));
                }
                int total = verdicts.Count;
                findings.AddRange(Judged(c, family, check, expected, verdicts, total,
                    (v, names) => "VXLAN (UDP " + port + ") from " + names + " to " + local + " is " + FateWord(v.Fate) + " by " + v.DecidedBy +
                                  ", so " + c.LocalNode.Name + " never receives their pod traffic: pods there cannot reach pods here.",
                    (v, probe) => FirewallRemedies.OpenUdpPort(c.State, v, c.Port, family.Version == 6),
                    names => "VXLAN (UDP " + port + ") from " + names + " passes every input base chain."));
            }
            return findings;
        }

        /// <summary>Would a packet between a remote pod and a local pod pass every forward base chain, both ways?</summary>
        internal static IEnumerable<Finding> ForwardFilter(DiagnosisContext c, FirewallEvaluator evaluator)
        {
            const string check = "ForwardFilter";
            const string expected = "pod traffic to and from every peer's pods accepted on forward";
            if (evaluator == null)
            {
                return NotReadParts(c, check, expected);
            }
            var findings = new List<Finding>();
            foreach (OverlayFamily family in c.Families)
            {
                Vtep vtep = family.VtepOf(c.State);
                IpPrefix? localSubnet = family.PodCidrOf(c.LocalNode);
                List<FlannelNode> peers = c.Peers.Where(p => family.PodCidrOf(p).HasValue).ToList();
                if (vtep == null || localSubnet == null || peers.Count == 0)
                {
                    continue;
                }
                Interface bridge = c.State.Interfaces.FirstOrDefault(i => i.Addresses.Any(a => IpPrefix.TryParse(a, out IpPrefix p) && localSubnet.Value.Contains(p.Address)));
                if (bridge == null)
                {
                    findings.Add(c.Unknown(check, c.LocalNode.Name, expected, "no bridge",
                        "Not checked: no device of " + c.LocalNode.Name + " holds an address of its pod subnet " + localSubnet + " (cni0 appears with the first pod), so the device local pods are on is unknown."));
                    continue;
                }
                string network = ClusterNetwork(c, family);
                string localPod = HostOf(localSubnet.Value, 2);
                bool ipv6 = family.Version == 6;
                foreach (bool inbound in new[] { true, false })
                {
                    var verdicts = new List<KeyValuePair<FlannelNode, FilterVerdict>>();
                    foreach (FlannelNode peer in peers)
                    {
                        string remotePod = HostOf(family.PodCidrOf(peer).Value, 2);
                        string remoteDevice = PeerChecks.FindDirectRoute(c, family, peer)?.Device ?? vtep.Name;
                        verdicts.Add(new KeyValuePair<FlannelNode, FilterVerdict>(peer, evaluator.Filter(WithCtStatus(evaluator, new PacketProbe
                        {
                            Family = ipv6 ? "ip6" : "ip", L4Proto = "tcp",
                            SourceAddress = inbound ? remotePod : localPod, DestinationAddress = inbound ? localPod : remotePod,
                            InInterface = inbound ? remoteDevice : bridge.Name, OutInterface = inbound ? bridge.Name : remoteDevice,
                            DestinationAddressType = "unicast", SourceAddressType = "unicast", Path = PacketProbe.ForwardedPath,
                        }))));
                    }
                    string way = inbound ? "from the pods of " : "from local pods (" + bridge.Name + ") to the pods of ";
                    findings.AddRange(Judged(c, family, check, expected, verdicts, verdicts.Count,
                        (v, names) => "Forwarded pod traffic " + way + names + (inbound ? " to local pods (" + bridge.Name + ")" : string.Empty) + " is " + FateWord(v.Fate) +
                                      " by " + v.DecidedBy + ", ahead of any accept for the cluster network " + network + ": pods cannot reach each other across nodes.",
                        (v, probe) => FirewallRemedies.AcceptForward(c.State, evaluator, v, network, ipv6, probe),
                        names => "Pod traffic " + way + names + " passes every forward base chain."));
                }
            }
            return findings;
        }

        /// <summary>flannel's own rules: its nft tables in nft mode (no resync after a flush ruleset), else FLANNEL-FWD jumped to from FORWARD.</summary>
        internal static IEnumerable<Finding> FlannelRules(DiagnosisContext c, FirewallEvaluator evaluator)
        {
            const string check = "FlannelRules";
            bool nftMode = c.NetConf?.EnableNFTables ?? (c.State.FirewallChains?.Any(IsFlannelTable) ?? false);
            if (evaluator == null)
            {
                return NotReadParts(c, check, nftMode ? "flannel's nftables tables" : "flannel's FLANNEL-FWD chain");
            }
            var findings = new List<Finding>();
            foreach (OverlayFamily family in c.Families)
            {
                string ipFamily = family.Version == 4 ? "ip" : "ip6";
                if (nftMode)
                {
                    string table = family.Version == 4 ? "flannel-ipv4" : "flannel-ipv6";
                    string expected = "table " + ipFamily + " " + table;
                    if (!c.State.ReadParts.Has(HostParts.Nftables))
                    {
                        findings.Add(c.NotRead(check, HostParts.Nftables, expected));
                        continue;
                    }
                    List<FirewallChain> chains = c.State.FirewallChains.Where(ch => ch.Backend == FirewallBackend.Nftables && ch.Family == ipFamily && ch.Table == table).ToList();
                    if (chains.Count == 0)
                    {
                        findings.Add(c.Error(check, c.LocalNode.Name, expected, "no table " + table,
                            "flannel runs with EnableNFTables, but the nftables ruleset has no " + expected + ": its forward accepts and masquerade are gone (an 'nft flush ruleset'?), " +
                            "and flanneld in nft mode does not re-create them until it restarts.",
                            "kubectl -n kube-flannel delete pod -l app=flannel --field-selector spec.nodeName=" + c.LocalNode.Name));
                        continue;
                    }
                    findings.Add(c.Passed(check, c.LocalNode.Name, expected, expected + " (" + string.Join(", ", chains.Select(ch => ch.Name)) + ")", "flannel's nftables table is in place."));
                    continue;
                }
                string expectedFwd = "-A FORWARD -j FLANNEL-FWD (" + ipFamily + ")";
                List<FirewallChain> flannel = c.State.FirewallChains
                    .Where(ch => ch.Family == ipFamily && ch.Table == "filter" && ch.Name == "FLANNEL-FWD" && !evaluator.IsIptablesNftCopy(ch)).ToList();
                FirewallChain jumped = flannel.FirstOrDefault(ch => ForwardOf(c, ch) is FirewallChain forward && evaluator.RulesOf(forward).Any(r => JumpsTo(evaluator.ParsedRuleOf(r), "FLANNEL-FWD")));
                if (jumped != null)
                {
                    findings.Add(c.Passed(check, c.LocalNode.Name, expectedFwd, jumped.Backend + " " + ipFamily + " filter FORWARD jumps to FLANNEL-FWD", "flannel's FORWARD accept rules are in place."));
                }
                else if (flannel.Count > 0)
                {
                    FirewallChain chain = flannel[0];
                    string tool = (family.Version == 4 ? "iptables" : "ip6tables") + (chain.Backend == FirewallBackend.IptablesLegacy ? "-legacy" : "-nft");
                    findings.Add(c.Warning(check, c.LocalNode.Name, expectedFwd, "FLANNEL-FWD in " + chain.Backend + ", not jumped to from FORWARD",
                        "FLANNEL-FWD exists in " + chain.Backend + " but FORWARD does not jump to it, so flannel's accepts for its network are never consulted; flanneld re-adds the jump on its next resync unless it has stopped.",
                        tool + " -A FORWARD -j FLANNEL-FWD"));
                }
                else if (!c.State.ReadParts.Has(family.Version == 4 ? HostParts.IptablesLegacy : HostParts.Ip6tablesLegacy))
                {
                    findings.Add(c.NotRead(check, family.Version == 4 ? HostParts.IptablesLegacy : HostParts.Ip6tablesLegacy, expectedFwd));
                }
                else
                {
                    findings.Add(c.Passed(check, c.LocalNode.Name, expectedFwd, "no FLANNEL-FWD chain",
                        "No backend holds flannel's FLANNEL-FWD chain (flanneld keeps it in iptables mode): flanneld is not managing this node's forward rules. " +
                        "That matters only where a forward chain drops pod traffic, which ForwardFilter judges."));
                }
            }
            return findings;
        }

        /// <summary>Rules (or a drop policy) in both iptables-legacy and nf_tables: two rulesets that do not see each other (flannel#1317, #1679).</summary>
        internal static IEnumerable<Finding> FirewallBackends(DiagnosisContext c, FirewallEvaluator evaluator)
        {
            const string check = "FirewallBackends";
            const string expected = "rules in one backend only";
            if (evaluator == null)
            {
                return NotReadParts(c, check, expected);
            }
            string legacy = Holdings(c, evaluator, ch => ch.Backend == FirewallBackend.IptablesLegacy);
            string nfTables = Holdings(c, evaluator, ch => ch.Backend != FirewallBackend.IptablesLegacy);
            if (legacy != null && nfTables != null)
            {
                return new[]
                {
                    c.Warning(check, c.LocalNode.Name, expected, "iptables-legacy: " + legacy + "; nf_tables: " + nfTables,
                        "This node's packet filter is split: iptables-legacy holds " + legacy + ", and nf_tables holds " + nfTables + ". The kernel runs both, but each tool sees only its own, " +
                        "so a drop in one is invisible to whoever reads the other (flannel#1317, #1679). Make every component (kube-proxy, flanneld, the host's iptables) use the same backend.", null),
                };
            }
            List<string> unread = new[] { HostParts.Nftables, HostParts.IptablesLegacy }.Where(p => !c.State.ReadParts.Has(p)).ToList();
            if (unread.Count > 0)
            {
                return unread.Select(p => c.NotRead(check, p, expected)).ToList();
            }
            return new[] { c.Passed(check, c.LocalNode.Name, expected, legacy != null ? "iptables-legacy only" : nfTables != null ? "nf_tables only" : "no rules",
                (legacy ?? nfTables) == null ? "No backend holds a rule." : "The packet filter's rules are in one backend: " + (legacy ?? nfTables) + ".") };
        }

        /// <summary>
        /// The "63-second" VXLAN checksum bug, on the sender: a NAT of this node's outer VXLAN packets (or kube-proxy's
        /// masquerade that keeps mark 0x4000 through encapsulation) while the VTEP leaves the inner checksum to the NIC.
        /// </summary>
        internal static IEnumerable<Finding> ChecksumOffload(DiagnosisContext c, FirewallEvaluator evaluator)
        {
            const string check = "ChecksumOffload";
            string expected = "no NAT of outer VXLAN, or tx-checksum-ip-generic off on the VTEP";
            if (evaluator == null)
            {
                return NotReadParts(c, check, expected);
            }
            var findings = new List<Finding>();
            foreach (OverlayFamily family in c.Families)
            {
                Vtep vtep = family.VtepOf(c.State);
                if (vtep == null)
                {
                    continue;
                }
                string ipFamily = family.Version == 4 ? "ip" : "ip6";
                var triggers = new List<string>();
                ChainVerdict uncertain = null;
                string local = vtep.LocalAddress ?? family.PublicAddressOf(c.LocalNode);
                foreach (FlannelNode peer in c.Peers.Where(p => family.PublicAddressOf(p) != null))
                {
                    string destination = family.PublicAddressOf(peer);
                    FilterVerdict nat = evaluator.Translation(new PacketProbe
                    {
                        Family = ipFamily, L4Proto = "udp", SourceAddress = local, DestinationAddress = destination, DestinationPort = c.Port,
                        OutInterface = vtep.UnderlayDevice ?? c.State.FindRoute(destination)?.Device, DestinationAddressType = "unicast", SourceAddressType = "local",
                        PacketType = "host", Path = PacketProbe.SentPath,
                    });
                    if (nat.Fate == PacketFate.Translated && !triggers.Contains(nat.Deciding.DecidedBy))
                    {
                        triggers.Add(nat.Deciding.DecidedBy);
                    }
                    else if (nat.Fate == PacketFate.Unknown)
                    {
                        uncertain = uncertain ?? nat.Deciding;
                    }
                }
                foreach (FirewallChain chain in c.State.FirewallChains.Where(ch => ch.Name == "KUBE-POSTROUTING" && ch.Family == ipFamily && !evaluator.IsIptablesNftCopy(ch)))
                {
                    IReadOnlyList<FirewallRule> rules = evaluator.RulesOf(chain);
                    FirewallRule masquerade = rules.FirstOrDefault(r => evaluator.ParsedRuleOf(r).Action == RuleAction.Masquerade);
                    // kube-proxy since kubernetes#92035 clears 0x4000 before it masquerades, so the mark does not survive into the VXLAN packet.
                    bool clears = rules.Any(r => (FirewallEvaluator.ApplyMark(evaluator.ParsedRuleOf(r).MarkOperation, 0x4000) & 0x4000) == 0);
                    if (masquerade != null && !clears)
                    {
                        triggers.Add(masquerade + " (kube-proxy's masquerade without --xor-mark 0x4000, before kubernetes#92035: the mark survives encapsulation)");
                    }
                }
                if (triggers.Count == 0)
                {
                    if (uncertain != null)
                    {
                        findings.Add(c.Unknown(check, c.LocalNode.Name, expected, "cannot tell",
                            "Not checked: whether a NAT rule rewrites " + c.LocalNode.Name + "'s outer VXLAN packets depends on " + uncertain.DecidedBy + ": " + uncertain.Reason + "."));
                        continue;
                    }
                    List<Finding> unread = UnreadParts(c, family, check, expected, " could hold a NAT of the outer VXLAN packets").ToList();
                    findings.AddRange(unread.Count > 0 ? unread : new List<Finding>
                    {
                        c.Passed(check, c.LocalNode.Name, expected, "no NAT of outer VXLAN",
                            "No NAT rule rewrites " + c.LocalNode.Name + "'s outer VXLAN packets, so " + vtep.Name + "'s checksum offload cannot corrupt them."),
                    });
                    continue;
                }
                string trigger = string.Join("; ", triggers);
                if (c.State.Offloads == null)
                {
                    UnreadPart why = c.State.WhyNotRead(HostParts.Offloads);
                    findings.Add(c.Unknown(check, c.LocalNode.Name, expected, DiagnosisContext.NotReadText,
                        "Not checked: " + trigger + " rewrites outer VXLAN packets, but " + vtep.Name + "'s offloads were " + (why != null ? "not readable: " + why.Reason : "not collected") +
                        ", so whether the VXLAN checksum bug strikes cannot be told."));
                    continue;
                }
                Offload offload = c.State.Offloads.FirstOrDefault(o => o.Device == vtep.Name && o.Feature == "tx-checksum-ip-generic");
                if (offload == null)
                {
                    findings.Add(c.Unknown(check, c.LocalNode.Name, expected, "no tx-checksum-ip-generic for " + vtep.Name,
                        "Not checked: " + trigger + " rewrites outer VXLAN packets, but ethtool's features of " + vtep.Name + " were not read."));
                    continue;
                }
                if (!offload.Enabled)
                {
                    findings.Add(c.Passed(check, c.LocalNode.Name, expected, offload.ToString(),
                        trigger + " rewrites outer VXLAN packets, but " + vtep.Name + " computes its inner checksums itself (tx-checksum-ip-generic off), so they stay right."));
                    continue;
                }
                string pattern = family.Version == 4 ? "flannel.*" : "flannel-v6.*";
                findings.Add(c.Error(check, c.LocalNode.Name, expected, trigger + "; " + offload,
                    trigger + " rewrites " + c.LocalNode.Name + "'s outer VXLAN packets while " + vtep.Name + " leaves the inner checksum to the NIC (tx-checksum-ip-generic on): " +
                    "the outer UDP checksum comes out wrong, and the receiving nodes drop the packets and count them in Udp InCsumErrors (the '63-second' delays of flannel#1279). " +
                    "The remedy turns the offload off on " + vtep.Name + ", which also turns off TSO/GSO on it; it lasts until the device is re-created. To keep it, add a udev rule " +
                    "(/etc/udev/rules.d/90-flannel-checksum.rules): ACTION==\"add\", SUBSYSTEM==\"net\", KERNEL==\"" + pattern + "\", RUN+=\"/usr/sbin/ethtool -K %k tx-checksum-ip-generic off\"",
                    "ethtool -K " + vtep.Name + " tx-checksum-ip-generic off"));
            }
            return findings;
        }

        /// <summary>
        /// One finding per deciding rule: Node is the peer when one peer is concerned, null when every peer is; a rule that
        /// drops some of several peers gets one finding per peer. Every peer accepted is a pass, unless a backend was not read.
        /// </summary>
        private static IEnumerable<Finding> Judged(DiagnosisContext c, OverlayFamily family, string check, string expected,
            List<KeyValuePair<FlannelNode, FilterVerdict>> verdicts, int total,
            Func<ChainVerdict, string, string> message, Func<ChainVerdict, PacketProbe, string> remedy, Func<string, string> passed)
        {
            var findings = new List<Finding>();
            var blocked = verdicts.SelectMany(v => v.Value.Blocking.Select(b => new { Peer = v.Key, Chain = b, v.Value.Probe })).GroupBy(b => b.Chain.DecidedBy).ToList();
            foreach (var group in blocked)
            {
                ChainVerdict first = group.First().Chain;
                foreach (List<FlannelNode> peers in Split(group.Select(g => g.Peer).ToList(), total))
                {
                    string actual = FateWord(first.Fate) + " by " + first.DecidedBy;
                    findings.Add(c.Error(check, peers.Count == 1 ? peers[0].Name : null, expected, actual, message(first, Names(peers, total)), remedy(first, group.First().Probe)));
                }
            }
            var unknown = verdicts.Where(v => v.Value.Fate == PacketFate.Unknown).GroupBy(v => v.Value.Deciding.DecidedBy).ToList();
            foreach (var group in unknown)
            {
                ChainVerdict first = group.First().Value.Deciding;
                foreach (List<FlannelNode> peers in Split(group.Select(g => g.Key).ToList(), total))
                {
                    findings.Add(c.Unknown(check, peers.Count == 1 ? peers[0].Name : null, expected, "cannot judge " + first.DecidedBy,
                        "Not checked: for traffic of " + Names(peers, total) + ", " + first.DecidedBy + " decides, and " + first.Reason + ". Judge that rule by hand."));
                }
            }
            List<FlannelNode> accepted = verdicts.Where(v => v.Value.Fate == PacketFate.Accepted).Select(v => v.Key).ToList();
            if (accepted.Count == 0)
            {
                return findings;
            }
            List<Finding> unread = UnreadParts(c, family, check, expected, " could hold a drop of this traffic").ToList();
            if (unread.Count > 0)
            {
                findings.AddRange(unread);
                return findings;
            }
            findings.AddRange(accepted.Select(peer => c.Passed(check, peer.Name, expected, "accepted", passed(peer.Name))));
            return findings;
        }

        /// <summary>All the peers together when the group is every one of several; else one list per peer.</summary>
        private static IEnumerable<List<FlannelNode>> Split(List<FlannelNode> peers, int total) =>
            peers.Count == total && total > 1 ? new[] { peers } : peers.Select(p => new List<FlannelNode> { p });

        private static string Names(List<FlannelNode> peers, int total) =>
            peers.Count == total && total > 1 ? AllPeers + " (" + string.Join(", ", peers.Select(p => p.Name)) + ")" : string.Join(", ", peers.Select(p => p.Name));

        private static string FateWord(PacketFate fate) => fate == PacketFate.Rejected ? "rejected" : "dropped";

        /// <summary>The Unknown findings of backends that were not read while others were: each could hide what the check looks for.</summary>
        private static IEnumerable<Finding> UnreadParts(DiagnosisContext c, OverlayFamily family, string check, string expected, string couldHide)
        {
            // iptables-nft's rules are in nftables' ruleset too, so without iptables-nft-save they are still judged from nft's view.
            foreach (string part in new[] { HostParts.Nftables, family.Version == 4 ? HostParts.IptablesLegacy : HostParts.Ip6tablesLegacy })
            {
                if (c.State.ReadParts.Has(part))
                {
                    continue;
                }
                UnreadPart why = c.State.WhyNotRead(part);
                yield return c.Unknown(check, c.LocalNode.Name, expected, DiagnosisContext.NotReadText,
                    "Not fully checked: the rules read pass it, but " + part + (why != null ? " could not be read (" + why.Reason + ")" : " was not collected") + ", and" + couldHide + ".");
            }
        }

        /// <summary>
        /// The probe with the conntrack status its prerouting NAT gives it (dnat when a rule there rewrites its destination),
        /// so that firewalld's <c>ct status dnat accept</c> is judged rather than left unknown.
        /// </summary>
        private static PacketProbe WithCtStatus(FirewallEvaluator evaluator, PacketProbe probe)
        {
            FilterVerdict nat = evaluator.Translation(probe.OnPath(new[] { "prerouting" }));
            probe.CtStatus = nat.Fate == PacketFate.Translated ? new[] { "dnat" } : nat.Fate == PacketFate.Accepted ? new string[0] : null;
            return probe;
        }

        private static IEnumerable<Finding> NotReadParts(DiagnosisContext c, string check, string expected)
        {
            var parts = new List<string> { HostParts.Nftables, HostParts.IptablesNft, HostParts.IptablesLegacy };
            if (c.Families.Any(f => f.Version == 6))
            {
                parts.Add(HostParts.Ip6tablesNft);
                parts.Add(HostParts.Ip6tablesLegacy);
            }
            return parts.Where(p => !c.State.ReadParts.Has(p)).Select(p => c.NotRead(check, p, expected)).ToList();
        }

        private static bool JumpsTo(ParsedRule rule, string chain) =>
            (rule.Action == RuleAction.Jump || rule.Action == RuleAction.Goto) && rule.TargetChain == chain;

        private static bool IsFlannelTable(FirewallChain chain) =>
            chain.Backend == FirewallBackend.Nftables && (chain.Table == "flannel-ipv4" || chain.Table == "flannel-ipv6");

        private static FirewallChain ForwardOf(DiagnosisContext c, FirewallChain sameTable) =>
            c.State.FirewallChains.FirstOrDefault(ch => ch.Backend == sameTable.Backend && ch.Family == sameTable.Family && ch.Table == sameTable.Table && ch.Name == "FORWARD");

        /// <summary>What a backend holds, for the FirewallBackends warning: its tables' rule counts and drop policies; null when nothing.</summary>
        private static string Holdings(DiagnosisContext c, FirewallEvaluator evaluator, Func<FirewallChain, bool> backend)
        {
            var parts = new List<string>();
            foreach (IGrouping<string, FirewallChain> table in c.State.FirewallChains.Where(ch => backend(ch) && !evaluator.IsIptablesNftCopy(ch))
                         .GroupBy(ch => ch.Backend + " " + ch.Family + " " + ch.Table))
            {
                int rules = table.Sum(ch => evaluator.RulesOf(ch).Count);
                List<string> drops = table.Where(ch => ch.IsBaseChain && ch.Policy != null && !string.Equals(ch.Policy, "accept", StringComparison.OrdinalIgnoreCase))
                    .Select(ch => ch.Name + " policy " + ch.Policy).ToList();
                if (rules > 0 || drops.Count > 0)
                {
                    parts.Add(table.Key + " (" + rules.ToString(CultureInfo.InvariantCulture) + " rules" + (drops.Count > 0 ? ", " + string.Join(", ", drops) : string.Empty) + ")");
                }
            }
            return parts.Count > 0 ? string.Join(", ", parts) : null;
        }

        /// <summary>The cluster's pod network of the family: net-conf.json's, else subnet.env's, else the shortest prefix holding every node's pod subnet.</summary>
        private static string ClusterNetwork(DiagnosisContext c, OverlayFamily family)
        {
            string configured = family.Version == 4 ? c.NetConf?.Network ?? c.State.SubnetEnv?.Network : c.NetConf?.IPv6Network ?? c.State.SubnetEnv?.IPv6Network;
            if (configured != null)
            {
                return configured;
            }
            List<IpPrefix> subnets = c.Nodes.Select(family.PodCidrOf).Where(p => p.HasValue).Select(p => p.Value).ToList();
            IpPrefix covering = subnets[0];
            while (covering.Length > 0 && !subnets.All(s => covering.Contains(s.Address) && s.Length >= covering.Length))
            {
                covering = new IpPrefix(covering.Address, covering.Length - 1);
            }
            return new IpPrefix(IpAddressValue.FromIPAddress(HostAddress(covering, 0)), covering.Length).ToString();
        }

        /// <summary>The n-th address of the subnet (n = 2: a pod's, the bridge holding .1).</summary>
        private static string HostOf(IpPrefix subnet, int n) => HostAddress(subnet, n).ToString();

        private static System.Net.IPAddress HostAddress(IpPrefix subnet, int n)
        {
            byte[] bytes = subnet.Address.ToIPAddress().GetAddressBytes();
            for (int bit = subnet.Length; bit < bytes.Length * 8; bit++)
            {
                bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
            }
            bytes[bytes.Length - 1] |= (byte)n;
            return new System.Net.IPAddress(bytes);
        }
    }
}
