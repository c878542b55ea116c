using FlannelTools.Conversation;

namespace FlannelTools.Diagnosis
{
    /// <summary>
    /// Checks of the VXLAN frames of one capture against what the cluster announces: each frame between pods of two nodes
    /// must carry the receiving node's VtepMAC as inner destination and the sending node's as inner source, go to the
    /// receiving node's public IP, in the cluster's VNI, to the cluster's UDP port, unfragmented; and every conversation
    /// between pods of two nodes must be answered. What the tables cannot show (a firewall dropping UDP 8472) shows here
    /// as traffic that goes out and never comes back.
    /// Frames are added from their decoded headers; nothing is allocated per frame except for a new kind of problem.
    /// </summary>
    internal sealed class CaptureChecks
    {
        private const int FramesNamed = 5;

        private readonly string _capture;
        private readonly string[] _path;
        private readonly List<(IpPrefix Subnet, NodeView Node)> _subnets = new List<(IpPrefix, NodeView)>();
        private readonly Dictionary<IpAddressValue, NodeView> _owners = new Dictionary<IpAddressValue, NodeView>();
        private readonly Dictionary<ProblemKey, FrameList> _problems = new Dictionary<ProblemKey, FrameList>();
        private readonly List<ProblemKey> _problemsInOrder = new List<ProblemKey>();
        private readonly ConversationTable _conversations;
        private readonly long[] _checksumClasses = new long[5];
        private bool _checksumsAdded;
        private readonly int? _clusterVni;
        private readonly int[] _ports;
        private readonly string _vtep;
        private readonly string _vtepV6;
        private long _frames;

        /// <param name="capture">The capture's file name, for the messages.</param>
        /// <param name="nodes">Every node of the cluster, as Get-FlannelNode reads them.</param>
        /// <param name="ports">The UDP ports the cluster's VTEPs use; null or empty: <see cref="DiagnosisContext.DefaultPort"/> of the cluster's VNI.</param>
        /// <param name="path">The capture's path, for <see cref="Finding.Capture"/>; null: <paramref name="capture"/>.</param>
        public CaptureChecks(string capture, IReadOnlyList<FlannelNode> nodes, IReadOnlyCollection<int> ports = null, string path = null)
        {
            _capture = capture;
            _path = new[] { path ?? capture };
            foreach (FlannelNode node in nodes ?? throw new ArgumentNullException(nameof(nodes)))
            {
                var view = new NodeView(node);
                foreach (IpPrefix? subnet in new[] { OverlayFamily.IPv4.PodCidrOf(node), OverlayFamily.IPv6.PodCidrOf(node) })
                {
                    if (subnet.HasValue)
                    {
                        _subnets.Add((subnet.Value, view));
                    }
                }
            }
            _clusterVni = DiagnosisContext.AnnouncedVni(nodes, null);
            _ports = ports != null && ports.Count > 0 ? ports.Distinct().OrderBy(p => p).ToArray() : new[] { DiagnosisContext.DefaultPort(_clusterVni) };
            _vtep = OverlayFamily.IPv4.VtepNameFor(_clusterVni);
            _vtepV6 = OverlayFamily.IPv6.VtepNameFor(_clusterVni);
            _conversations = new ConversationTable(capture, 6);
        }

        /// <summary>The checks, in the order findings come out.</summary>
        public static readonly IReadOnlyList<string> Checks = new[]
        {
            "InnerDestinationMac", "InnerSourceMac", "OuterDestinationAddress", "Vni", "OuterDestinationPort", "Fragmentation", Checksum, "Reply",
        };

        /// <summary>The check of the frames' checksums (<see cref="AddChecksums"/>).</summary>
        public const string Checksum = "Checksum";

        /// <summary>Number of VXLAN frames added.</summary>
        public long Frames => _frames;

        /// <summary>Checks one VXLAN frame (status <see cref="DecodeStatus.Vxlan"/>).</summary>
        public void Add(in VxlanHeaders h, long frameNumber, long seconds, uint nanoseconds, int wireLength)
        {
            _frames++;
            _conversations.Add(in h, frameNumber, seconds, nanoseconds, wireLength);
            bool ip = h.Has(HeaderFields.InnerIp);
            NodeView sender = ip ? Owner(h.InnerSourceAddress) : null;
            NodeView receiver = ip ? Owner(h.InnerDestinationAddress) : null;
            if (sender != null && receiver != null && ReferenceEquals(sender, receiver))
            {
                // Pods of one node talk over its bridge, not VXLAN: such a frame is not flannel's.
                return;
            }
            int version = ip ? h.InnerSourceAddress.Version : 0;
            if (receiver != null && h.Has(HeaderFields.InnerEthernet))
            {
                ulong? announced = receiver.Mac(version);
                if (announced.HasValue && h.InnerDestinationMac != announced.Value)
                {
                    Note(new ProblemKey("InnerDestinationMac", receiver, sender, version, h.InnerDestinationMac, default), frameNumber);
                }
            }
            if (sender != null && h.Has(HeaderFields.InnerEthernet))
            {
                ulong? announced = sender.Mac(version);
                if (announced.HasValue && h.InnerSourceMac != announced.Value)
                {
                    Note(new ProblemKey("InnerSourceMac", sender, receiver, version, h.InnerSourceMac, default), frameNumber);
                }
            }
            if (receiver != null)
            {
                IpAddressValue? expected = receiver.PublicAddress(version);
                if (expected.HasValue && h.OuterDestinationAddress != expected.Value)
                {
                    Note(new ProblemKey("OuterDestinationAddress", receiver, sender, version, 0, h.OuterDestinationAddress), frameNumber);
                }
            }
            if (_clusterVni.HasValue && h.Has(HeaderFields.Vxlan) && h.Vni != (uint)_clusterVni.Value)
            {
                Note(new ProblemKey("Vni", receiver, sender, version, h.Vni, default), frameNumber);
            }
            if (Array.IndexOf(_ports, (int)h.OuterDestinationPort) < 0)
            {
                Note(new ProblemKey("OuterDestinationPort", receiver, sender, version, h.OuterDestinationPort, default), frameNumber);
            }
            if (h.OuterIsFirstFragment)
            {
                Note(new ProblemKey("Fragmentation", receiver, sender, version, 0, default), frameNumber);
            }
        }

        /// <summary>
        /// Judges one VXLAN frame's checksums (after <see cref="Add"/> of the same frame): the transmit offload's artefact is
        /// counted, never blamed; an outer UDP checksum still wrong with the inner one complete is the VXLAN checksum bug,
        /// noted for the pair of nodes whose public IPs the frame goes between.
        /// </summary>
        public void AddChecksums(in VxlanHeaders h, in FrameChecksums checksums, long frameNumber)
        {
            _checksumsAdded = true;
            ChecksumClass verdict = Checksums.Classify(in checksums);
            _checksumClasses[(int)verdict]++;
            if (verdict == ChecksumClass.OuterWrong || verdict == ChecksumClass.OtherWrong)
            {
                NodeView sender = ByPublicAddress(h.OuterSourceAddress);
                NodeView receiver = ByPublicAddress(h.OuterDestinationAddress);
                int version = h.Has(HeaderFields.InnerIp) ? h.InnerSourceAddress.Version : h.OuterSourceAddress.Version;
                Note(new ProblemKey(Checksum, sender, receiver, version, (ulong)verdict, default), frameNumber);
            }
        }

        /// <summary>The check of a capture without any VXLAN frame: nothing else could be checked in it, so nothing else passes.</summary>
        public const string NoVxlanFrames = "NoVxlanFrames";

        /// <summary>
        /// Every problem found, and with <paramref name="includePassed"/> one Information finding per check that found none.
        /// A capture without VXLAN frames gives only a NoVxlanFrames Warning, naming <paramref name="records"/> (the records
        /// read) and <paramref name="reason"/> (the first problem of a record, such as a link type not read; or null).
        /// </summary>
        public IReadOnlyList<Finding> Findings(bool includePassed, long records = 0, string reason = null)
        {
            if (_frames == 0)
            {
                return new[]
                {
                    Found(NoVxlanFrames, FindingSeverity.Warning, null, "VXLAN frames",
                        "0 VXLAN frames in " + Plural(records, "record") + " of " + _capture,
                        _capture + " holds no VXLAN frame (UDP to 8472, 4789 or -Port): nothing was checked" + (reason == null ? "." : "; " + reason),
                        null, null),
                };
            }
            var findings = _problemsInOrder.Select(k => Describe(k, _problems[k])).Concat(Replies()).ToList();
            if (_checksumsAdded && findings.All(f => f.Check != Checksum) && OnlyOffload)
            {
                findings.Add(Found(Checksum, FindingSeverity.Information, null, "checksums the frames' receivers verify",
                    Plural(_checksumClasses[(int)ChecksumClass.Offload], "frame") + " with the transmit offload's unfinished checksums in " + _capture,
                    "In " + _capture + ", every VXLAN frame carries checksums the kernel left to the device (the inner TCP/UDP checksum holds only the pseudo-header sum, " +
                    "and the outer UDP checksum validates once it is filled in): normal where checksums are offloaded, but the checksums cannot be judged in this capture.",
                    null, null));
            }
            if (_checksumsAdded && findings.All(f => f.Check != Checksum) && NoneJudged)
            {
                // Not looked at is not passed: said in every mode, as the other checks' Unknowns are.
                findings.Add(ChecksumsNotJudged());
            }
            if (includePassed)
            {
                foreach (string check in Checks.Where(c => findings.All(f => f.Check != c)))
                {
                    findings.Add(Passed(check));
                }
            }
            return findings.OrderBy(f => IndexOf(f.Check)).ToList();
        }

        private Finding ChecksumsNotJudged() =>
            Found(Checksum, FindingSeverity.Unknown, null, null, "0 of " + Plural(_frames, "VXLAN frame") + " in " + _capture + " judged",
                "No VXLAN frame of " + _capture + " could be judged (each cut before the end of what its checksums cover, fragmented, or longer than the MTU): the checksums were not checked.",
                null, null);

        private bool NoneJudged =>
            _checksumClasses[(int)ChecksumClass.Valid] + _checksumClasses[(int)ChecksumClass.Offload] == 0;

        private bool OnlyOffload =>
            _checksumClasses[(int)ChecksumClass.Offload] > 0 && _checksumClasses[(int)ChecksumClass.Valid] == 0 &&
            _checksumClasses[(int)ChecksumClass.OuterWrong] == 0 && _checksumClasses[(int)ChecksumClass.OtherWrong] == 0;

        private NodeView ByPublicAddress(IpAddressValue address) =>
            _subnets.Select(s => s.Node).FirstOrDefault(n => n.PublicAddress(address.Version) == address);

        private static int IndexOf(string check) => ((IList<string>)Checks).IndexOf(check);

        private NodeView Owner(IpAddressValue address)
        {
            if (_owners.TryGetValue(address, out NodeView owner))
            {
                return owner;
            }
            int longest = -1;
            foreach (var (subnet, node) in _subnets)
            {
                if (subnet.Contains(address) && subnet.Length > longest)
                {
                    owner = node;
                    longest = subnet.Length;
                }
            }
            _owners.Add(address, owner);
            return owner;
        }

        private void Note(ProblemKey key, long frameNumber)
        {
            if (!_problems.TryGetValue(key, out FrameList frames))
            {
                frames = new FrameList();
                _problems.Add(key, frames);
                _problemsInOrder.Add(key);
            }
            frames.Add(frameNumber);
        }

        /// <summary>One Warning per pair of nodes whose pods' conversations got no answer.</summary>
        private IEnumerable<Finding> Replies()
        {
            var unanswered = new List<(NodeView From, NodeView To, VxlanConversation Conversation)>();
            foreach (VxlanConversation c in _conversations.ToConversations())
            {
                if (c.FramesBToA > 0 || c.InnerSourceAddress == null || !ExpectsAnswer(c))
                {
                    continue;
                }
                IpAddressValue.TryParse(c.InnerSourceAddress, out IpAddressValue a);
                IpAddressValue.TryParse(c.InnerDestinationAddress, out IpAddressValue b);
                NodeView from = Owner(a);
                NodeView to = Owner(b);
                if (from != null && to != null && !ReferenceEquals(from, to))
                {
                    unanswered.Add((from, to, c));
                }
            }
            foreach (var pair in unanswered.GroupBy(u => (u.From, u.To)))
            {
                VxlanConversation first = pair.First().Conversation;
                int count = pair.Count();
                long frames = pair.Sum(u => u.Conversation.FramesAToB);
                string from = pair.Key.From.Name;
                string to = pair.Key.To.Name;
                yield return Found("Reply", FindingSeverity.Warning, to, "frames back from " + to,
                    Plural(count, "conversation") + " from " + from + " to " + to + " with no frame back (" + Plural(frames, "frame") + "): " + first.Summary + (count > 1 ? ", …" : string.Empty),
                    "In " + _capture + ", traffic from " + from + " to " + to + " gets no answer: UDP " + first.OuterDestinationPort.ToString(CultureInfo.InvariantCulture) +
                    " may be dropped on " + to + " or on the way (" + first.Summary + ", from frame " + first.FirstFrame.ToString(CultureInfo.InvariantCulture) + ").",
                    null, from);
            }
        }

        /// <summary>Conversations that must see a frame back: TCP that opened with a SYN, UDP, ICMP.</summary>
        private static bool ExpectsAnswer(VxlanConversation c)
        {
            switch (c.InnerProtocol)
            {
                case "TCP":
                    return c.TcpFlagsSeen != null && c.TcpFlagsSeen.Split(',').Contains("SYN");
                case "UDP":
                case "ICMP":
                case "ICMPv6":
                    return true;
                default:
                    return false;
            }
        }

        private Finding Describe(ProblemKey k, FrameList frames)
        {
            string from = k.Other?.Name;
            string fromText = from ?? "an unknown node";
            string about = k.Node?.Name;
            string aboutText = about ?? "an unknown node";
            string inCapture = "In " + _capture + ", " + Plural(frames.Count, "frame");
            switch (k.Check)
            {
                case "InnerDestinationMac":
                {
                    // Node is the receiver, Other the sender: the sender's neighbour entry gave the MAC.
                    int version = k.Version;
                    string announced = MacAddress.ToText(k.Node.Mac(version).Value);
                    string seen = MacAddress.ToText(k.Value);
                    IpPrefix? subnet = k.Node.Subnet(version);
                    string vtep = VtepName(version);
                    string publicAddress = k.Node.PublicAddress(version)?.ToString();
                    string remedy = subnet == null ? null
                        : Remedies.NeighborReplace(subnet.Value.Address.ToString(), announced, vtep) +
                          (publicAddress == null ? string.Empty : "; " + Remedies.FdbReplace(announced, vtep, publicAddress));
                    return Found(k.Check, FindingSeverity.Error, about, announced, seen + " in " + frames.Describe(),
                        inCapture + " from " + fromText + " to " + about + "'s pods carry inner destination MAC " + seen + ", but " + about +
                        " announces VtepMAC " + announced + ": " + fromText + "'s neighbour entry for " + about + " is stale (a stale VtepMAC), and " + about +
                        "'s VTEP drops these frames.", from == null ? null : remedy, from);
                }
                case "InnerSourceMac":
                {
                    int version = k.Version;
                    string announced = MacAddress.ToText(k.Node.Mac(version).Value);
                    string seen = MacAddress.ToText(k.Value);
                    return Found(k.Check, FindingSeverity.Error, about, announced, seen + " in " + frames.Describe(),
                        inCapture + " from " + about + "'s pods" + (from == null ? string.Empty : " to " + from + "'s") + " carry inner source MAC " + seen + ", but " + about +
                        " announces VtepMAC " + announced + ": " + about + "'s VTEP has a MAC other than the one it announces (udev's MACAddressPolicy, or a flannel restart), so the other nodes' replies go to a MAC it does not have.",
                        Remedies.LinkAddress(VtepName(version), announced), about);
                }
                case "OuterDestinationAddress":
                {
                    int version = k.Version;
                    string expected = k.Node.PublicAddress(version)?.ToString();
                    string actual = k.Address.ToString();
                    NodeView instead = _subnets.Select(s => s.Node).FirstOrDefault(n => n.PublicAddress(k.Address.Version) == k.Address);
                    string announced = MacAddress.ToText(k.Node.Mac(version) ?? 0);
                    return Found(k.Check, FindingSeverity.Error, about, expected, actual + " in " + frames.Describe(),
                        inCapture + " from " + fromText + " to " + about + "'s pods go to " + actual + (instead == null ? string.Empty : " (" + instead.Name + "'s public IP)") +
                        ", not to " + about + "'s public IP " + expected + ": " + fromText + "'s FDB entry for " + about + "'s VtepMAC points elsewhere, so " + about + " never receives them.",
                        from == null || k.Node.Mac(version) == null ? null : Remedies.FdbReplace(announced, VtepName(version), expected), from);
                }
                case "Vni":
                {
                    string vni = k.Value.ToString(CultureInfo.InvariantCulture);
                    string cluster = _clusterVni.Value.ToString(CultureInfo.InvariantCulture);
                    return Found(k.Check, FindingSeverity.Error, from, cluster, vni + " in " + frames.Describe(),
                        inCapture + " from " + fromText + " to " + aboutText + " carry VNI " + vni + ", but the cluster announces VNI " + cluster +
                        ": a VTEP drops frames of another VNI (every node must run the same VNI; Windows nodes accept only VNI 4096 or more, on port 4789).", null, from);
                }
                case "OuterDestinationPort":
                {
                    string port = k.Value.ToString(CultureInfo.InvariantCulture);
                    string expected = string.Join(", ", _ports.Select(p => p.ToString(CultureInfo.InvariantCulture)));
                    return Found(k.Check, FindingSeverity.Error, from, expected, port + " in " + frames.Describe(),
                        inCapture + " from " + fromText + " to " + aboutText + " go to UDP port " + port + ", but the cluster's VTEPs use " + expected +
                        ": the receiving VTEP never sees them (flannel on Linux uses 8472; Windows nodes, and a VNI of 4096 or more, 4789).", null, from);
                }
                case Checksum:
                    return DescribeChecksum(k, frames);
                default:
                    return Found(k.Check, FindingSeverity.Warning, from, "no fragments", "first fragments in " + frames.Describe(),
                        inCapture + " of VXLAN from " + fromText + " to " + aboutText + " were split into IP fragments on the underlay: the pods' MTU leaves no room for VXLAN's 50 bytes " +
                        "(70 over IPv6) on the underlay's MTU; set flannel's and the pods' MTU to the underlay MTU minus 50, or raise the underlay MTU.", null, from);
            }
        }

        /// <summary>Node is the sender (outer source), Other the receiver (outer destination); Value the <see cref="ChecksumClass"/>.</summary>
        private Finding DescribeChecksum(ProblemKey k, FrameList frames)
        {
            string sender = k.Node?.Name;
            string senderText = sender ?? "an unknown node";
            string receiverText = k.Other?.Name ?? "an unknown node";
            string inCapture = "In " + _capture + ", " + Plural(frames.Count, "VXLAN frame") + " from " + senderText + " to " + receiverText;
            if ((ChecksumClass)k.Value == ChecksumClass.OtherWrong)
            {
                return Found(Checksum, FindingSeverity.Warning, sender, "valid IPv4 header and inner TCP/UDP checksums", "wrong checksums in " + frames.Describe(),
                    inCapture + " carry a wrong IPv4 header checksum or a wrong inner TCP/UDP checksum that is not the offload's pseudo-header sum: " +
                    "they were corrupted on the way or by the sender, and the receiver drops them.", null, sender);
            }
            string vtep = VtepName(k.Version);
            string disable = "ethtool -K " + vtep + " tx-checksum-ip-generic off";
            string persistent = "printf '%s\\n' 'ACTION==\"add\", SUBSYSTEM==\"net\", KERNEL==\"" + vtep + "\", RUN+=\"/usr/sbin/ethtool -K " + vtep +
                " tx-checksum-ip-generic off\"' > /etc/udev/rules.d/90-flannel-checksum.rules";
            return Found(Checksum, FindingSeverity.Error, sender, "an outer UDP checksum valid once the inner one is complete",
                "outer UDP checksum wrong, inner complete, in " + frames.Describe(),
                inCapture + " carry an outer UDP checksum that is wrong although the inner checksum is complete: the VXLAN checksum bug " +
                "(flannel-io/flannel#1279, #1863; k3s-io/k3s#2013): the receiver's kernel drops them as 'UDP: bad checksum' (Udp InCsumErrors in /proc/net/snmp). " +
                "Turn off " + vtep + "'s transmit checksum offload on " + senderText + ", the sending node (the udev rule keeps it off when flannel recreates " + vtep + ").",
                sender == null ? null : disable + "; " + persistent, sender);
        }

        private Finding Passed(string check)
        {
            string frames = Plural(_frames, "VXLAN frame");
            string message;
            switch (check)
            {
                case "InnerDestinationMac": message = "Every frame to a node's pods carries that node's VtepMAC as inner destination."; break;
                case "InnerSourceMac": message = "Every frame from a node's pods carries that node's VtepMAC as inner source."; break;
                case "OuterDestinationAddress": message = "Every frame to a node's pods goes to that node's public IP."; break;
                case "Vni": message = _clusterVni.HasValue ? "Every frame carries the cluster's VNI." : "No node announces a VNI (older flannel): the VNI was not checked."; break;
                case "OuterDestinationPort": message = "Every frame goes to the cluster's UDP port."; break;
                case "Fragmentation": message = "No VXLAN frame was split into IP fragments."; break;
                case Checksum:
                    if (NoneJudged)
                    {
                        return ChecksumsNotJudged();
                    }
                    message = "Every VXLAN frame captured whole carries valid checksums, or the transmit offload's unfinished ones (" +
                        Plural(_checksumClasses[(int)ChecksumClass.NotJudged], "frame") + " not judged).";
                    break;
                default: message = "Every conversation between pods of two nodes got frames back."; break;
            }
            string expected = check == "Vni" ? _clusterVni?.ToString(CultureInfo.InvariantCulture)
                : check == "OuterDestinationPort" ? string.Join(", ", _ports.Select(p => p.ToString(CultureInfo.InvariantCulture))) : null;
            return Found(check, FindingSeverity.Information, null, expected, frames + " in " + _capture, message, null, null);
        }

        /// <summary>A finding proven by this capture's frames.</summary>
        private Finding Found(string check, string severity, string node, string expected, string actual, string message, string remedy, string localNode) =>
            new Finding(check, severity, node, expected, actual, message, remedy, localNode, _path);

        private string VtepName(int version) => version == 6 ? _vtepV6 : _vtep;

        private static string Plural(long count, string noun) =>
            count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");

        /// <summary>A node as the checks need it: VtepMACs, public IPs and pod subnets parsed once.</summary>
        private sealed class NodeView
        {
            private readonly ulong? _mac;
            private readonly ulong? _macV6;
            private readonly IpAddressValue? _public;
            private readonly IpAddressValue? _publicV6;
            private readonly IpPrefix? _subnet;
            private readonly IpPrefix? _subnetV6;

            public NodeView(FlannelNode node)
            {
                Name = node.Name;
                _mac = MacAddress.TryParse(node.VtepMac, out ulong mac) ? mac : (ulong?)null;
                _macV6 = MacAddress.TryParse(node.VtepMacV6, out ulong macV6) ? macV6 : (ulong?)null;
                _public = IpAddressValue.TryParse(node.PublicAddress, out IpAddressValue p) ? p : (IpAddressValue?)null;
                _publicV6 = IpAddressValue.TryParse(node.PublicAddressV6, out IpAddressValue p6) ? p6 : (IpAddressValue?)null;
                _subnet = OverlayFamily.IPv4.PodCidrOf(node);
                _subnetV6 = OverlayFamily.IPv6.PodCidrOf(node);
            }

            public string Name { get; }

            public ulong? Mac(int version) => version == 6 ? _macV6 : _mac;

            public IpAddressValue? PublicAddress(int version) => version == 6 ? _publicV6 : _public;

            public IpPrefix? Subnet(int version) => version == 6 ? _subnetV6 : _subnet;
        }

        /// <summary>
        /// One kind of problem: the check, the node it is about, the other node of the frames, the IP version of their
        /// inner packets (which VtepMAC, public IP and pod subnet apply), and the value seen.
        /// </summary>
        private readonly record struct ProblemKey(string Check, NodeView Node, NodeView Other, int Version, ulong Value, IpAddressValue Address);

        /// <summary>The first few frame numbers of a problem, and how many frames it has.</summary>
        private sealed class FrameList
        {
            private readonly List<long> _first = new List<long>(FramesNamed);

            public long Count { get; private set; }

            public void Add(long frameNumber)
            {
                if (_first.Count < FramesNamed)
                {
                    _first.Add(frameNumber);
                }
                Count++;
            }

            /// <summary><c>frames 5, 6, 8, 9, 11, … (12 frames)</c>.</summary>
            public string Describe() =>
                (Count == 1 ? "frame " : "frames ") + string.Join(", ", _first.Select(n => n.ToString(CultureInfo.InvariantCulture))) +
                (Count > _first.Count ? ", … (" + Count.ToString(CultureInfo.InvariantCulture) + " frames)" : string.Empty);
        }
    }
}
