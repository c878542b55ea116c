namespace FlannelTools.Capture
{
    /// <summary>Sees every record a <see cref="VxlanFrameReader"/> reads, VXLAN or not, with its frame number.</summary>
    internal delegate void RecordObserver(in CapturedRecord record, long frameNumber);

    /// <summary>
    /// Reads records from a capture, decodes each, applies the BPF expression and the frame filter,
    /// and hands out VXLAN frames and the warnings about frames it could not fully decode.
    /// Every record is counted, so frame numbers are Wireshark's.
    /// </summary>
    internal sealed class VxlanFrameReader
    {
        private readonly ICaptureReader _reader;
        private readonly PortSet _ports;
        private readonly FrameFilter _filter;
        private readonly BpfFilter _bpf;
        private readonly VxlanFragmentTracker _fragments = new VxlanFragmentTracker();
        private readonly HashSet<int> _unsupportedLinkTypesReported = new HashSet<int>();
        private VxlanHeaders _headers;
        private FrameChecksums _checksums;

        public VxlanFrameReader(ICaptureReader reader, PortSet ports, FrameFilter filter, BpfFilter bpf)
        {
            _reader = reader;
            _ports = ports;
            _filter = filter ?? FrameFilter.None;
            _bpf = bpf;
        }

        /// <summary>Number of records read so far; the number of the last record read.</summary>
        public long FrameNumber { get; private set; }

        public bool IsEnd => _reader.IsEnd;

        /// <summary>
        /// Reads one record. Returns false at the end of the source. Otherwise <paramref name="frame"/>
        /// is the VXLAN frame to emit (or null), and <paramref name="warning"/> a warning naming the frame (or null);
        /// both are null for a record that is not VXLAN, filtered out, or a live read that timed out.
        /// </summary>
        public bool Read(out VxlanFrame frame, out string warning)
        {
            frame = null;
            if (!ReadRecord(out CapturedRecord record, out bool isFrame, out warning))
            {
                return false;
            }
            if (isFrame)
            {
                frame = new VxlanFrame(_reader.Name, FrameNumber, record.Seconds, record.Nanoseconds, _reader.TimestampDigits,
                    record.WireLength, record.Data.Length, in _headers, HttpFirstLine.Read(record.Data, in _headers));
            }
            return true;
        }

        /// <summary>
        /// Reads one record as <see cref="Read"/> does, but makes no object, for code that aggregates frames:
        /// when <paramref name="isFrame"/> is true, <see cref="Headers"/>, <see cref="FrameNumber"/>, <see cref="Seconds"/>,
        /// <see cref="Nanoseconds"/> and <see cref="WireLength"/> describe the VXLAN frame that passed the filters.
        /// </summary>
        public bool ReadHeaders(out bool isFrame, out string warning)
        {
            if (!ReadRecord(out CapturedRecord record, out isFrame, out warning))
            {
                return false;
            }
            if (isFrame)
            {
                if (VerifyChecksums)
                {
                    _checksums = Checksums.Verify(record.Data, record.LinkType, _ports);
                }
                Seconds = record.Seconds;
                Nanoseconds = record.Nanoseconds;
                WireLength = record.WireLength;
            }
            return true;
        }

        /// <summary>When set, called with every record read, before it is decoded.</summary>
        public RecordObserver Observer { get; set; }

        /// <summary>When set, <see cref="ReadHeaders"/> also verifies each VXLAN frame's checksums, into <see cref="ChecksumVerdicts"/>.</summary>
        public bool VerifyChecksums { get; set; }

        /// <summary>The checksums of the last frame <see cref="ReadHeaders"/> handed out, with <see cref="VerifyChecksums"/> set.</summary>
        public ref readonly FrameChecksums ChecksumVerdicts => ref _checksums;

        /// <summary>The headers of the last frame <see cref="ReadHeaders"/> handed out; valid until the next read.</summary>
        public ref readonly VxlanHeaders Headers => ref _headers;

        /// <summary>UTC seconds since the Unix epoch of the last frame <see cref="ReadHeaders"/> handed out.</summary>
        public long Seconds { get; private set; }

        public uint Nanoseconds { get; private set; }

        /// <summary>On-the-wire length of the last frame <see cref="ReadHeaders"/> handed out.</summary>
        public int WireLength { get; private set; }

        /// <summary>Digits of a second the source records: 6 or 9.</summary>
        public int TimestampDigits => _reader.TimestampDigits;

        /// <summary>
        /// Reads and decodes one record; <paramref name="isFrame"/> is true when it is a VXLAN frame that passed the
        /// filters, its headers in <see cref="Headers"/>. Returns false at the end of the source.
        /// </summary>
        private bool ReadRecord(out CapturedRecord record, out bool isFrame, out string warning)
        {
            if (!DecodeRecord(out record, out isFrame, out warning))
            {
                return false;
            }
            if (record.Data.Length > record.WireLength)
            {
                string lengths = DecodeProblemText.CapturedLongerThanOriginalWarning(FrameNumber, record.Data.Length, record.WireLength);
                warning = warning == null ? lengths : lengths + " " + warning;
            }
            return true;
        }

        private bool DecodeRecord(out CapturedRecord record, out bool isFrame, out string warning)
        {
            isFrame = false;
            warning = null;
            if (!_reader.TryReadNext(out record))
            {
                return !_reader.IsEnd;
            }
            FrameNumber++;
            Observer?.Invoke(in record, FrameNumber);
            ReadOnlySpan<byte> data = record.Data;
            if (_bpf != null && !_bpf.Matches(record.LinkType, data, record.WireLength))
            {
                return true;
            }
            VxlanDecoder.Decode(data, record.LinkType, _ports, ref _headers);
            switch (_headers.Status)
            {
                case DecodeStatus.NotVxlan:
                    return true;
                case DecodeStatus.UnsupportedLinkType:
                    if (_unsupportedLinkTypesReported.Add(record.LinkType))
                    {
                        warning = DecodeProblemText.UnsupportedLinkTypeWarning(FrameNumber, record.LinkType, record.InterfaceId);
                    }
                    return true;
                case DecodeStatus.LaterFragment:
                    warning = _fragments.DescribeLaterFragment(FrameNumber, in _headers);
                    return true;
            }
            _fragments.Add(in _headers);
            if (!_filter.Matches(in _headers))
            {
                return true;
            }
            if (_headers.Problem != DecodeProblem.None)
            {
                warning = DecodeProblemText.Warning(FrameNumber, _headers.Problem, data.Length, record.WireLength);
            }
            isFrame = true;
            return true;
        }
    }
}
