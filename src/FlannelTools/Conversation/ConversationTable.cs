namespace FlannelTools.Conversation
{
    /// <summary>
    /// The conversations of one capture, as Wireshark's Conversations window counts them but over the inner
    /// headers of VXLAN frames: one entry per inner conversation, whichever direction a frame goes.
    /// Adding a frame reads its decoded header value and allocates nothing unless the frame starts a new
    /// conversation or brings a MAC the conversation had not seen, so memory grows with the conversations, not the frames.
    /// </summary>
    internal sealed class ConversationTable
    {
        private readonly string _path;
        private readonly int _timestampDigits;
        private readonly Dictionary<ConversationKey, Entry> _entries = new Dictionary<ConversationKey, Entry>();
        private readonly List<Entry> _inOrderSeen = new List<Entry>();
        // Consecutive frames mostly belong to one conversation: compare with the last key before hashing.
        private ConversationKey _lastKey;
        private Entry _last;

        /// <param name="path">The capture the frames come from, for the conversations' Path.</param>
        /// <param name="timestampDigits">Digits of a second the capture records (6 or 9), for Start and End.</param>
        public ConversationTable(string path, int timestampDigits)
        {
            _path = path;
            _timestampDigits = timestampDigits;
        }

        /// <summary>Number of conversations so far.</summary>
        public int Count => _inOrderSeen.Count;

        /// <summary>Counts one VXLAN frame into its conversation.</summary>
        /// <param name="h">The frame's decoded headers (status <see cref="DecodeStatus.Vxlan"/>).</param>
        /// <param name="frameNumber">The frame's number in the capture.</param>
        /// <param name="seconds">Capture time, UTC seconds since the Unix epoch.</param>
        /// <param name="nanoseconds">Capture time, nanoseconds within the second.</param>
        /// <param name="wireLength">The frame's length on the wire.</param>
        public void Add(in VxlanHeaders h, long frameNumber, long seconds, uint nanoseconds, int wireLength)
        {
            ConversationKey key = ConversationKey.Of(in h, out bool sourceIsLow);
            Entry entry;
            if (_last != null && key.Equals(_lastKey))
            {
                entry = _last;
            }
            else if (!_entries.TryGetValue(key, out entry))
            {
                entry = new Entry(key, frameNumber, seconds, nanoseconds);
                _entries.Add(key, entry);
                _inOrderSeen.Add(entry);
            }
            _lastKey = key;
            _last = entry;
            entry.Add(in h, sourceIsLow, frameNumber, seconds, nanoseconds, wireLength);
        }

        /// <summary>The conversations, in the order of their first frames.</summary>
        public IEnumerable<VxlanConversation> ToConversations() =>
            _inOrderSeen.OrderBy(e => e.FirstFrame).Select(e => e.ToConversation(_path, _timestampDigits));

        /// <summary>The frames of one direction (the key's low endpoint to its high one, or back).</summary>
        private struct Direction
        {
            public long Frames;
            public long Bytes;
            public long FirstFrame;
            public IpAddressValue OuterSourceAddress;
            public IpAddressValue OuterDestinationAddress;
            public ushort OuterDestinationPort;
            public MacSet SourceMacs;
            public MacSet DestinationMacs;

            public void Add(in VxlanHeaders h, long frameNumber, int wireLength)
            {
                if (Frames == 0 || frameNumber < FirstFrame)
                {
                    FirstFrame = frameNumber;
                    OuterSourceAddress = h.OuterSourceAddress;
                    OuterDestinationAddress = h.OuterDestinationAddress;
                    OuterDestinationPort = h.OuterDestinationPort;
                }
                Frames++;
                Bytes += wireLength;
                if (h.Has(HeaderFields.InnerEthernet))
                {
                    SourceMacs.Add(h.InnerSourceMac);
                    DestinationMacs.Add(h.InnerDestinationMac);
                }
            }
        }

        /// <summary>Distinct MACs in the order first seen; the first held inline, as most conversations see one.</summary>
        private struct MacSet
        {
            private bool _any;
            private ulong _first;
            private List<ulong> _more;

            public void Add(ulong mac)
            {
                if (!_any)
                {
                    _first = mac;
                    _any = true;
                }
                else if (mac != _first && (_more == null || !_more.Contains(mac)))
                {
                    (_more ?? (_more = new List<ulong>())).Add(mac);
                }
            }

            public TextList ToTextList()
            {
                if (!_any)
                {
                    return TextList.Empty;
                }
                var macs = new List<string> { MacAddress.ToText(_first) };
                if (_more != null)
                {
                    macs.AddRange(_more.Select(MacAddress.ToText));
                }
                return new TextList(macs);
            }
        }

        private sealed class Entry
        {
            private readonly ConversationKey _key;
            private Direction _lowToHigh;
            private Direction _highToLow;
            private long _startSeconds;
            private uint _startNanoseconds;
            private long _endSeconds;
            private uint _endNanoseconds;
            private ushort _tcpFlags;
            private bool _anyTcpFlags;

            public Entry(ConversationKey key, long frameNumber, long seconds, uint nanoseconds)
            {
                _key = key;
                FirstFrame = LastFrame = frameNumber;
                _startSeconds = _endSeconds = seconds;
                _startNanoseconds = _endNanoseconds = nanoseconds;
            }

            public long FirstFrame { get; private set; }

            public long LastFrame { get; private set; }

            public void Add(in VxlanHeaders h, bool sourceIsLow, long frameNumber, long seconds, uint nanoseconds, int wireLength)
            {
                if (sourceIsLow)
                {
                    _lowToHigh.Add(in h, frameNumber, wireLength);
                }
                else
                {
                    _highToLow.Add(in h, frameNumber, wireLength);
                }
                if (frameNumber < FirstFrame)
                {
                    FirstFrame = frameNumber;
                }
                if (frameNumber > LastFrame)
                {
                    LastFrame = frameNumber;
                }
                // Earliest and latest time, as Wireshark takes them: a merged capture need not be in time order.
                if (seconds < _startSeconds || (seconds == _startSeconds && nanoseconds < _startNanoseconds))
                {
                    _startSeconds = seconds;
                    _startNanoseconds = nanoseconds;
                }
                if (seconds > _endSeconds || (seconds == _endSeconds && nanoseconds > _endNanoseconds))
                {
                    _endSeconds = seconds;
                    _endNanoseconds = nanoseconds;
                }
                if (h.Has(HeaderFields.TcpFlags))
                {
                    _tcpFlags |= h.TcpFlags;
                    _anyTcpFlags = true;
                }
            }

            public VxlanConversation ToConversation(string path, int timestampDigits)
            {
                // A is the side that sent the conversation's first frame.
                bool aIsLow = _lowToHigh.Frames > 0 && (_highToLow.Frames == 0 || _lowToHigh.FirstFrame < _highToLow.FirstFrame);
                Direction aToB = aIsLow ? _lowToHigh : _highToLow;
                Direction bToA = aIsLow ? _highToLow : _lowToHigh;
                var k = _key;
                bool ip = k.Kind == ConversationKind.Ports || k.Kind == ConversationKind.Addresses;
                bool ports = k.Kind == ConversationKind.Ports;
                return new VxlanConversation
                {
                    Path = path,
                    Kind = k.Kind,
                    Vni = k.HasVni ? (int)k.Vni : (int?)null,
                    Protocol = ip ? (byte)k.Protocol : (byte)0,
                    InnerEtherType = k.Kind == ConversationKind.Macs ? k.Protocol : (int?)null,
                    InnerSourceIp = ip ? (aIsLow ? k.LowAddress : k.HighAddress) : default,
                    InnerSourcePort = ports ? (aIsLow ? k.LowPort : k.HighPort) : (int?)null,
                    InnerDestinationIp = ip ? (aIsLow ? k.HighAddress : k.LowAddress) : default,
                    InnerDestinationPort = ports ? (aIsLow ? k.HighPort : k.LowPort) : (int?)null,
                    OuterSourceIp = aToB.OuterSourceAddress,
                    OuterDestinationIp = aToB.OuterDestinationAddress,
                    OuterDestinationPort = aToB.OuterDestinationPort,
                    FramesAToB = aToB.Frames,
                    FramesBToA = bToA.Frames,
                    BytesAToB = aToB.Bytes,
                    BytesBToA = bToA.Bytes,
                    FirstFrame = FirstFrame,
                    LastFrame = LastFrame,
                    Start = VxlanFrame.FormatTimestamp(_startSeconds, _startNanoseconds, timestampDigits),
                    End = VxlanFrame.FormatTimestamp(_endSeconds, _endNanoseconds, timestampDigits),
                    Duration = (_endSeconds - _startSeconds) + ((long)_endNanoseconds - _startNanoseconds) / 1e9,
                    InnerSourceMacs = aToB.SourceMacs.ToTextList(),
                    InnerDestinationMacs = aToB.DestinationMacs.ToTextList(),
                    TcpFlagsSeen = _anyTcpFlags ? VxlanFrame.FormatTcpFlags(_tcpFlags, ",") : null,
                };
            }
        }
    }
}
