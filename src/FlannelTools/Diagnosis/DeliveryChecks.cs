namespace FlannelTools.Diagnosis
{
    /// <summary>
    /// The Delivery check: where packets between pods of two nodes stop, from several captures taken at overlapping
    /// times (on several nodes, or several interfaces of one node: a <c>-i any</c> capture shows the VTEP and the
    /// bridge beside the underlay). Each packet is followed through the points of its path, the sender's bridge, its
    /// VTEP and its underlay, then the receiver's underlay, VTEP and bridge; the first point after the last one it was
    /// seen at, that a capture covered at that time and where it is missing, names the segment that lost it.
    /// Packets are matched by what survives the path (inner addresses, ports and protocol, with the TCP sequence,
    /// acknowledgement, flags and length, else the IPv4 ID, else a hash of the payload), never by time alone; clock
    /// offsets between captures are estimated from matched packets, or assumed within a tolerance when none match.
    /// </summary>
    internal sealed class DeliveryChecks
    {
        /// <summary>The check's name.</summary>
        public const string Delivery = "Delivery";

        private const int FramesNamed = 5;

        private readonly List<(IpPrefix Subnet, string Node)> _subnets = new List<(IpPrefix, string)>();
        private readonly Dictionary<IpAddressValue, string> _publicAddresses = new Dictionary<IpAddressValue, string>();
        private readonly PortSet _ports;
        private readonly long _tolerance;
        private readonly IReadOnlyList<NodeState> _states;
        private readonly List<DeliveryCapture> _captures = new List<DeliveryCapture>();

        /// <param name="nodes">Every node of the cluster.</param>
        /// <param name="ports">The UDP ports read as VXLAN.</param>
        /// <param name="clockTolerance">How far the nodes' clocks may differ when no packet matched between two captures.</param>
        /// <param name="states">Node states taken on the capturing nodes (same boot), to name SLL2 interface indexes; may be empty.</param>
        public DeliveryChecks(IReadOnlyList<FlannelNode> nodes, PortSet ports, TimeSpan clockTolerance, IReadOnlyList<NodeState> states = null)
        {
            foreach (FlannelNode node in nodes)
            {
                foreach (IpPrefix? subnet in new[] { OverlayFamily.IPv4.PodCidrOf(node), OverlayFamily.IPv6.PodCidrOf(node) })
                {
                    if (subnet.HasValue)
                    {
                        _subnets.Add((subnet.Value, node.Name));
                    }
                }
                foreach (string address in new[] { node.PublicAddress, node.PublicAddressV6 })
                {
                    if (IpAddressValue.TryParse(address, out IpAddressValue a) && !_publicAddresses.ContainsKey(a))
                    {
                        _publicAddresses.Add(a, node.Name);
                    }
                }
            }
            _ports = ports;
            _tolerance = clockTolerance.Ticks * 100;
            _states = states ?? Array.Empty<NodeState>();
        }

        /// <summary>Number of captures begun.</summary>
        public int Captures => _captures.Count;

        /// <summary>Starts one capture: its records go to the returned recorder's <see cref="DeliveryCapture.Add"/>.</summary>
        public DeliveryCapture Begin(string name, string path)
        {
            var capture = new DeliveryCapture(this, name, path);
            _captures.Add(capture);
            return capture;
        }

        internal string OwnerOfPodAddress(IpAddressValue address)
        {
            string owner = null;
            int longest = -1;
            foreach (var (subnet, node) in _subnets)
            {
                if (subnet.Contains(address) && subnet.Length > longest)
                {
                    owner = node;
                    longest = subnet.Length;
                }
            }
            return owner;
        }

        internal string OwnerOfPublicAddress(IpAddressValue address) => _publicAddresses.TryGetValue(address, out string node) ? node : null;

        internal PortSet Ports => _ports;

        /// <summary>The Delivery findings over every capture begun; none unless two or more captures were read.</summary>
        public IReadOnlyList<Finding> Findings()
        {
            var findings = new List<Finding>();
            if (_captures.Count < 2)
            {
                return findings;
            }
            foreach (DeliveryCapture c in _captures)
            {
                c.Identify();
                if (c.Node == null && c.Records > 0)
                {
                    string why = c.Ambiguous != null
                        ? "its VXLAN frames are all between " + string.Join(" and ", c.Ambiguous) + ", an Ethernet capture does not say which end it was, and no -NodeState of theirs " +
                          "has an interface with a MAC only one end's frames carry; a -i any capture does say (its packet types), and so does traffic with a third node"
                        : "none of its frames is VXLAN to or from a node's public IP";
                    findings.Add(new Finding(Delivery, FindingSeverity.Unknown, null, "the capturing node's public IP in every VXLAN frame",
                        "no node shown by the frames of " + c.Name,
                        "Could not tell which node " + c.Name + " was taken on (" + why + "): it was left out of the Delivery check, and no packet is said to be missing from it.",
                        null, null, new[] { c.Path }));
                }
            }
            List<DeliveryCapture> placed = _captures.Where(c => c.Node != null && c.Records > 0).ToList();
            EstimateClocks(placed);
            var packets = new Dictionary<PacketKey, PacketTrail>();
            foreach (DeliveryCapture c in placed)
            {
                foreach (Observation o in c.Observations)
                {
                    string sender = OwnerOfPodAddress(o.Key.Source);
                    string receiver = OwnerOfPodAddress(o.Key.Destination);
                    if (sender == null || receiver == null || sender == receiver)
                    {
                        continue;
                    }
                    Stage? stage = c.StageOf(in o, sender, receiver);
                    if (stage == null)
                    {
                        continue;
                    }
                    if (!packets.TryGetValue(o.Key, out PacketTrail trail))
                    {
                        trail = new PacketTrail(sender, receiver);
                        packets.Add(o.Key, trail);
                    }
                    trail.See(stage.Value, c, o.Frame, o.Time - c.Offset);
                }
            }
            var breaks = new Dictionary<(string, string, Stage, Stage), Break>();
            var unproven = new Dictionary<(string, string, Stage), Break>();
            foreach (PacketTrail trail in packets.Values)
            {
                int last = trail.LastSeen;
                long time = trail.TimeAt((Stage)last);
                DeliveryCapture lastCapture = trail.CaptureAt((Stage)last);
                for (int s = last + 1; s <= (int)Stage.ReceiverBridge; s++)
                {
                    var stage = (Stage)s;
                    string node = stage <= Stage.SenderUnderlay ? trail.Sender : trail.Receiver;
                    List<DeliveryCapture> covering = placed.Where(c => c.Node == node && c.Covers(stage)).ToList();
                    if (covering.Count == 0)
                    {
                        continue;
                    }
                    DeliveryCapture judged = covering.FirstOrDefault(c => c.Window(time, lastCapture, _tolerance));
                    if (judged == null)
                    {
                        var key = (trail.Sender, trail.Receiver, stage);
                        if (!unproven.TryGetValue(key, out Break u))
                        {
                            u = new Break(lastCapture, covering[0]);
                            unproven.Add(key, u);
                        }
                        u.Add(trail.FrameAt((Stage)last));
                        break;
                    }
                    var breakKey = (trail.Sender, trail.Receiver, (Stage)last, stage);
                    if (!breaks.TryGetValue(breakKey, out Break b))
                    {
                        b = new Break(lastCapture, judged);
                        breaks.Add(breakKey, b);
                    }
                    b.Add(trail.FrameAt((Stage)last));
                    break;
                }
            }
            foreach (var pair in breaks.OrderBy(p => p.Key.Item1, StringComparer.Ordinal).ThenBy(p => p.Key.Item2, StringComparer.Ordinal).ThenBy(p => p.Key.Item4))
            {
                findings.Add(Describe(pair.Key.Item1, pair.Key.Item2, pair.Key.Item3, pair.Key.Item4, pair.Value));
            }
            foreach (var pair in unproven.Where(u => !breaks.Keys.Any(b => b.Item1 == u.Key.Item1 && b.Item2 == u.Key.Item2)))
            {
                Break u = pair.Value;
                findings.Add(new Finding(Delivery, FindingSeverity.Unknown, pair.Key.Item2, "a capture covering the time the packets were sent",
                    Plural(u.Count, "packet") + " last seen in " + u.Seen.Name + " (" + u.Describe() + "), outside the time " + u.Missing.Name + " covers",
                    "In " + u.Seen.Name + ", " + Plural(u.Count, "packet") + " from " + pair.Key.Item1 + " to " + pair.Key.Item2 + " are not in " + u.Missing.Name +
                    ", but that capture does not cover the time they were sent" + ClockNote(u.Seen, u.Missing) + ": whether they arrived is unproven, and no drop is claimed.",
                    null, null, new[] { u.Seen.Path, u.Missing.Path }));
            }
            return findings;
        }

        private Finding Describe(string sender, string receiver, Stage seen, Stage missing, Break b)
        {
            string where = StageText(seen, sender, receiver, b.Seen);
            string expected = StageText(missing, sender, receiver, b.Missing);
            string cause;
            string about = receiver;
            string local = receiver;
            switch (missing)
            {
                case Stage.SenderVtep:
                    cause = "dropped by " + sender + "'s forwarding (a FORWARD rule or policy, or ip_forward off)";
                    about = sender;
                    local = sender;
                    break;
                case Stage.SenderUnderlay:
                    cause = sender + " has no FDB or neighbour entry for " + receiver + ", or an output or egress rule drops them";
                    about = sender;
                    local = sender;
                    break;
                case Stage.ReceiverUnderlay:
                    cause = "lost between the nodes: a firewall, a security group, an XDP program, frames too large for the path, or a hypervisor that takes the VXLAN port for itself (flannel-io/flannel#2388, #423)";
                    local = null;
                    break;
                case Stage.ReceiverVtep:
                    cause = "dropped before decapsulation: by " + receiver + "'s input firewall on the VXLAN port, for a bad checksum (the Checksum check), for a port or VNI " + receiver +
                        " has no device for (an ICMP port unreachable back proves it), or for a stale VtepMAC (the frame is not for this VTEP)";
                    break;
                default:
                    cause = "dropped by " + receiver + "'s forwarding: a FORWARD policy, rule or REJECT (flannel-io/flannel#799), or ARP on cni0 that goes unanswered";
                    break;
            }
            string message = Plural(b.Count, "packet") + " from " + sender + "'s pods to " + receiver + "'s were seen at " + where + " in " + b.Seen.Name + " (" + b.Describe() +
                ") and never at " + expected + " in " + b.Missing.Name + ClockNote(b.Seen, b.Missing) + ": " + cause + ".";
            return new Finding(Delivery, FindingSeverity.Error, about, "the packets at " + expected,
                Plural(b.Count, "packet") + " last seen at " + where + " (" + b.Seen.Name + " " + b.Describe() + "), none at " + expected + " (" + b.Missing.Name + ")",
                message, null, local, b.Seen == b.Missing ? new[] { b.Seen.Path } : new[] { b.Seen.Path, b.Missing.Path });
        }

        private string ClockNote(DeliveryCapture a, DeliveryCapture b)
        {
            if (a == b)
            {
                return string.Empty;
            }
            if (a.Component != b.Component)
            {
                return " (no packet matched between the captures: their clocks were assumed to agree within " +
                    (_tolerance / 1e9).ToString("0.###", CultureInfo.InvariantCulture) + " s, and only packets inside that margin of " + b.Name + "'s time were judged)";
            }
            return " (clock offset of " + b.Name + " estimated from matched packets: " +
                ((b.Offset - a.Offset) / 1e9).ToString("+0.000000;-0.000000", CultureInfo.InvariantCulture) + " s)";
        }

        private string StageText(Stage stage, string sender, string receiver, DeliveryCapture capture)
        {
            switch (stage)
            {
                case Stage.SenderBridge: return sender + "'s bridge or pod veth" + capture.InterfaceNote(stage);
                case Stage.SenderVtep: return sender + "'s VTEP" + capture.InterfaceNote(stage);
                case Stage.SenderUnderlay: return sender + "'s underlay (leaving)";
                case Stage.ReceiverUnderlay: return receiver + "'s underlay (arriving)";
                case Stage.ReceiverVtep: return receiver + "'s VTEP" + capture.InterfaceNote(stage);
                default: return receiver + "'s bridge or pod veth" + capture.InterfaceNote(stage);
            }
        }

        /// <summary>Each capture's clock offset from the first placed one, through packets both saw; captures with no such path keep 0, assumed.</summary>
        private static void EstimateClocks(List<DeliveryCapture> captures)
        {
            if (captures.Count == 0)
            {
                return;
            }
            var first = new List<Dictionary<PacketKey, long>>();
            foreach (DeliveryCapture c in captures)
            {
                var times = new Dictionary<PacketKey, long>();
                foreach (Observation o in c.Observations)
                {
                    if (!times.ContainsKey(o.Key))
                    {
                        times.Add(o.Key, o.Time);
                    }
                }
                first.Add(times);
            }
            var done = new bool[captures.Count];
            var queue = new Queue<int>();
            foreach (int start in Enumerable.Range(0, captures.Count))
            {
                if (done[start])
                {
                    continue;
                }
                done[start] = true;
                captures[start].Offset = 0;
                captures[start].Component = start;
                queue.Enqueue(start);
                while (queue.Count > 0)
                {
                    int a = queue.Dequeue();
                    for (int b = 0; b < captures.Count; b++)
                    {
                        if (a == b)
                        {
                            continue;
                        }
                        List<long> differences = first[a].Where(p => first[b].ContainsKey(p.Key)).Select(p => first[b][p.Key] - p.Value).OrderBy(d => d).ToList();
                        if (differences.Count == 0 || done[b])
                        {
                            continue;
                        }
                        done[b] = true;
                        captures[b].Offset = captures[a].Offset + differences[differences.Count / 2];
                        captures[b].Component = start;
                        queue.Enqueue(b);
                    }
                }
            }
        }

        private static string Plural(long count, string noun) =>
            count.ToString(CultureInfo.InvariantCulture) + " " + noun + (count == 1 ? string.Empty : "s");

        /// <summary>The points of a packet's path between pods of two nodes, in order.</summary>
        internal enum Stage
        {
            SenderBridge = 0,
            SenderVtep,
            SenderUnderlay,
            ReceiverUnderlay,
            ReceiverVtep,
            ReceiverBridge,
        }

        /// <summary>Where one packet was seen: per point, the first capture, frame and time (reference clock).</summary>
        private sealed class PacketTrail
        {
            private readonly DeliveryCapture[] _captures = new DeliveryCapture[6];
            private readonly long[] _frames = new long[6];
            private readonly long[] _times = new long[6];

            public PacketTrail(string sender, string receiver)
            {
                Sender = sender;
                Receiver = receiver;
            }

            public string Sender { get; }

            public string Receiver { get; }

            public int LastSeen { get; private set; } = -1;

            public void See(Stage stage, DeliveryCapture capture, long frame, long time)
            {
                int s = (int)stage;
                if (_captures[s] == null)
                {
                    _captures[s] = capture;
                    _frames[s] = frame;
                    _times[s] = time;
                }
                LastSeen = Math.Max(LastSeen, s);
            }

            public DeliveryCapture CaptureAt(Stage stage) => _captures[(int)stage];

            public long FrameAt(Stage stage) => _frames[(int)stage];

            public long TimeAt(Stage stage) => _times[(int)stage];
        }

        /// <summary>Packets lost in one segment: the capture they were last seen in, with frames, and the capture they are missing from.</summary>
        private sealed class Break
        {
            private readonly List<long> _frames = new List<long>();

            public Break(DeliveryCapture seen, DeliveryCapture missing)
            {
                Seen = seen;
                Missing = missing;
            }

            public DeliveryCapture Seen { get; }

            public DeliveryCapture Missing { get; }

            public long Count { get; private set; }

            public void Add(long frame)
            {
                if (_frames.Count < FramesNamed)
                {
                    _frames.Add(frame);
                }
                Count++;
            }

            public string Describe()
            {
                List<long> sorted = _frames.OrderBy(f => f).ToList();
                return (Count == 1 ? "frame " : "frames ") + string.Join(", ", sorted.Select(n => n.ToString(CultureInfo.InvariantCulture))) +
                    (Count > sorted.Count ? ", … (" + Count.ToString(CultureInfo.InvariantCulture) + " packets)" : string.Empty);
            }
        }

        internal NodeState StateOf(string node)
        {
            IpAddressValue? address = _publicAddresses.Where(p => p.Value == node).Select(p => (IpAddressValue?)p.Key).FirstOrDefault();
            if (address == null)
            {
                return null;
            }
            // An interface's address is "192.168.0.13/24": the address before the length, not the prefix's network.
            return _states.FirstOrDefault(s => s.Interfaces.Any(i => i.Addresses.Any(a =>
                IpAddressValue.TryParse(a.Split('/')[0], out IpAddressValue v) && v == address.Value)));
        }
    }

    /// <summary>What identifies one packet along its path: the inner 5-tuple, and the TCP sequence, acknowledgement, flags and length, or the IPv4 ID, or a payload hash.</summary>
    internal readonly record struct PacketKey(IpAddressValue Source, IpAddressValue Destination, byte Protocol, ushort SourcePort, ushort DestinationPort, uint Sequence, uint Acknowledgement, uint Detail);

    /// <summary>One pod packet in one capture.</summary>
    internal readonly record struct Observation(PacketKey Key, long Frame, long Time, bool Vxlan, bool Outgoing, int InterfaceIndex, IpAddressValue OuterSource, IpAddressValue OuterDestination);

    /// <summary>The pod packets of one capture, with where and when it was taken.</summary>
    internal sealed class DeliveryCapture
    {
        private readonly DeliveryChecks _checks;
        private readonly Dictionary<string, int> _nodeVotes = new Dictionary<string, int>();
        private long _vxlanFrames;
        private readonly HashSet<ulong> _macs = new HashSet<ulong>();
        private bool _cooked;
        private long _first = long.MaxValue;
        private long _last = long.MinValue;

        internal DeliveryCapture(DeliveryChecks checks, string name, string path)
        {
            _checks = checks;
            Name = name;
            Path = path;
        }

        public string Name { get; }

        public string Path { get; }

        public long Records { get; private set; }

        /// <summary>The node the capture was taken on; null until <see cref="Identify"/>, and when no frame shows it.</summary>
        public string Node { get; private set; }

        internal List<Observation> Observations { get; } = new List<Observation>();

        /// <summary>This capture's clock minus the reference capture's, in ns.</summary>
        internal long Offset { get; set; }

        /// <summary>
        /// Captures linked by matched packets share a component, and their offsets are estimated; between components the
        /// clocks are assumed to agree within the tolerance.
        /// </summary>
        internal int Component { get; set; }

        /// <summary>Reads one record (any record: its time widens the window the capture covers).</summary>
        public void Add(in FlannelTools.Capture.CapturedRecord record, long frameNumber)
        {
            Records++;
            long time = record.Seconds * 1_000_000_000 + record.Nanoseconds;
            _first = Math.Min(_first, time);
            _last = Math.Max(_last, time);
            ReadOnlySpan<byte> data = record.Data;
            var scratch = default(VxlanHeaders);
            if (!LinkType.IsSupported(record.LinkType) || !LinkLayer.TryRead(data, record.LinkType, ref scratch, out ushort etherType, out int offset))
            {
                return;
            }
            bool outgoing = false;
            int index = -1;
            int packetType = -1;
            if (record.LinkType == LinkType.LinuxSll2 && data.Length >= 20)
            {
                _cooked = true;
                index = BinaryPrimitives.ReadInt32BigEndian(data.Slice(4));
                packetType = data[10];
            }
            else if (record.LinkType == LinkType.LinuxSll && data.Length >= 16)
            {
                _cooked = true;
                packetType = BinaryPrimitives.ReadUInt16BigEndian(data);
            }
            outgoing = packetType == PacketOutgoing;
            if (packetType == PacketOtherHost)
            {
                // Flooded by the underlay's switch to a MAC not this node's: neither sent nor received here.
                return;
            }
            if ((etherType != EtherType.IPv4 && etherType != EtherType.IPv6) || IpHeader.Read(data, offset, etherType, out IpHeader ip) != IpReadResult.Ok)
            {
                return;
            }
            if (ip.Protocol == IpProtocol.Udp && !ip.IsFragment && TransportPorts.TryRead(data, ip.PayloadOffset, out _, out ushort port) && _checks.Ports.Contains(port))
            {
                _vxlanFrames++;
                if (_cooked)
                {
                    // The packet type says which end of the frame this node is.
                    Vote(_checks.OwnerOfPublicAddress(outgoing ? ip.Source : ip.Destination), null);
                }
                else
                {
                    Vote(_checks.OwnerOfPublicAddress(ip.Source), _checks.OwnerOfPublicAddress(ip.Destination));
                    if (_macs.Count < 64)
                    {
                        _macs.Add(scratch.OuterSourceMac);
                        _macs.Add(scratch.OuterDestinationMac);
                    }
                }
                int inner = ip.PayloadOffset + UdpHeader.Length + VxlanHeader.Length;
                if (EthernetHeader.TryRead(data, inner, out EthernetHeader ethernet) && (ethernet.EtherType == EtherType.IPv4 || ethernet.EtherType == EtherType.IPv6) &&
                    IpHeader.Read(data, ethernet.PayloadOffset, ethernet.EtherType, out IpHeader innerIp) == IpReadResult.Ok &&
                    TryKey(data, ethernet.PayloadOffset, in innerIp, out PacketKey key))
                {
                    Observations.Add(new Observation(key, frameNumber, time, true, outgoing, index, ip.Source, ip.Destination));
                }
                return;
            }
            if (TryKey(data, offset, in ip, out PacketKey bare) && _checks.OwnerOfPodAddress(ip.Source) != null && _checks.OwnerOfPodAddress(ip.Destination) != null)
            {
                Observations.Add(new Observation(bare, frameNumber, time, false, outgoing, index, default, default));
            }
        }

        private void Vote(string a, string b)
        {
            foreach (string node in a == b ? new[] { a } : new[] { a, b })
            {
                if (node != null)
                {
                    _nodeVotes[node] = _nodeVotes.TryGetValue(node, out int n) ? n + 1 : 1;
                }
            }
        }

        /// <summary>
        /// The node: whose public IP every VXLAN frame carries (as source or destination; in a cooked capture, the end
        /// its packet type gives). Where two nodes qualify (frames between two nodes only), the node whose node state
        /// has an interface with a MAC the frames carry; else none: ambiguous.
        /// </summary>
        internal void Identify()
        {
            List<string> candidates = _nodeVotes.Where(v => v.Value == _vxlanFrames).Select(v => v.Key).OrderBy(n => n, StringComparer.Ordinal).ToList();
            if (candidates.Count > 1)
            {
                Ambiguous = candidates;
                candidates = candidates.Where(n => _checks.StateOf(n)?.Interfaces.Any(i => MacAddress.TryParse(i.MacAddress, out ulong mac) && _macs.Contains(mac)) == true).ToList();
            }
            Node = candidates.Count == 1 ? candidates[0] : null;
        }

        /// <summary>The nodes a capture could have been taken on, when its frames alone do not tell.</summary>
        internal List<string> Ambiguous { get; private set; }

        /// <summary>Underlay for every capture with VXLAN; the VTEP and the bridge for a cooked (<c>-i any</c>) capture, whose packet types give each frame's direction.</summary>
        internal bool Covers(DeliveryChecks.Stage stage) =>
            stage == DeliveryChecks.Stage.SenderUnderlay || stage == DeliveryChecks.Stage.ReceiverUnderlay ? _vxlanFrames > 0 || _cooked : _cooked;

        /// <summary>The point of a packet seen here, from the frame's kind, the node and, for an inner frame of a cooked capture, its direction.</summary>
        internal DeliveryChecks.Stage? StageOf(in Observation o, string sender, string receiver)
        {
            if (o.Vxlan)
            {
                if (_checks.OwnerOfPublicAddress(o.OuterSource) == Node && Node == sender)
                {
                    return DeliveryChecks.Stage.SenderUnderlay;
                }
                if (_checks.OwnerOfPublicAddress(o.OuterDestination) == Node && Node == receiver)
                {
                    return DeliveryChecks.Stage.ReceiverUnderlay;
                }
                return null;
            }
            if (!_cooked)
            {
                return null;
            }
            if (Node == sender)
            {
                return o.Outgoing ? DeliveryChecks.Stage.SenderVtep : DeliveryChecks.Stage.SenderBridge;
            }
            if (Node == receiver)
            {
                return o.Outgoing ? DeliveryChecks.Stage.ReceiverBridge : DeliveryChecks.Stage.ReceiverVtep;
            }
            return null;
        }

        /// <summary>
        /// Whether this capture was running when a packet seen at <paramref name="time"/> (reference clock) in
        /// <paramref name="seen"/> should have reached it: inside its window, less the tolerance at both ends when the
        /// clocks were assumed, less the time to arrive at its end otherwise.
        /// </summary>
        internal bool Window(long time, DeliveryCapture seen, long tolerance)
        {
            long start = _first - Offset;
            long end = _last - Offset;
            long margin = seen.Component == Component ? 0 : tolerance;
            return time >= start + margin && time <= end - Math.Max(margin, seen == this ? 0 : LatencyMargin);
        }

        private const int PacketOtherHost = 3;
        private const int PacketOutgoing = 4;

        /// <summary>0.1 s in ns: the time a packet may take to reach the next point of its path.</summary>
        private const long LatencyMargin = 100_000_000;

        /// <summary>
        /// " (flannel.1)" or " (cni0)": the VTEP or the bridge as a node state of this node names it (the interfaces a
        /// -i any capture's indexes stand for on that node and boot); nothing without one.
        /// </summary>
        internal string InterfaceNote(DeliveryChecks.Stage stage)
        {
            NodeState state = Node == null ? null : _checks.StateOf(Node);
            bool vtep = stage == DeliveryChecks.Stage.SenderVtep || stage == DeliveryChecks.Stage.ReceiverVtep;
            Interface named = state?.Interfaces.FirstOrDefault(i => i.Kind == (vtep ? "vxlan" : "bridge"));
            return named == null ? string.Empty : " (" + named.Name + ")";
        }

        /// <summary>The identity of the IP packet at <paramref name="offset"/>; false for a later fragment or a cut transport header.</summary>
        private static bool TryKey(ReadOnlySpan<byte> data, int offset, in IpHeader ip, out PacketKey key)
        {
            key = default;
            if (ip.IsLaterFragment)
            {
                return false;
            }
            uint id = ip.Source.Version == 4 ? (uint)BinaryPrimitives.ReadUInt16BigEndian(data.Slice(offset + 4)) : 0u;
            int transport = ip.PayloadOffset;
            if (ip.Protocol == IpProtocol.Tcp)
            {
                if (data.Length < transport + TcpHeader.MinimumLength)
                {
                    return false;
                }
                ushort sourcePort = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(transport));
                ushort destinationPort = BinaryPrimitives.ReadUInt16BigEndian(data.Slice(transport + 2));
                uint sequence = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(transport + 4));
                uint acknowledgement = BinaryPrimitives.ReadUInt32BigEndian(data.Slice(transport + 8));
                int flags = data[transport + 13] & 0x07;
                int length = Math.Max(0, ip.PayloadLength - (data[transport + 12] >> 4) * 4);
                key = new PacketKey(ip.Source, ip.Destination, ip.Protocol, sourcePort, destinationPort, sequence, acknowledgement, (uint)(flags << 24 | (length & 0xffffff)));
                return true;
            }
            ushort sPort = 0, dPort = 0;
            if (ip.Protocol == IpProtocol.Udp && !TransportPorts.TryRead(data, transport, out sPort, out dPort))
            {
                return false;
            }
            uint detail = id;
            if (detail == 0)
            {
                // The kernel's DF packets and IPv6 carry no ID: a hash of what follows the IP header identifies them.
                uint hash = 2166136261;
                int end = Math.Min(data.Length, transport + Math.Min(ip.PayloadLength, 256));
                for (int i = transport; i < end; i++)
                {
                    hash = (hash ^ data[i]) * 16777619;
                }
                detail = hash | 0x80000000;
            }
            key = new PacketKey(ip.Source, ip.Destination, ip.Protocol, sPort, dPort, 0, 0, detail);
            return true;
        }
    }
}
