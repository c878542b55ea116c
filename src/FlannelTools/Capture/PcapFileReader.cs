namespace FlannelTools.Capture
{
    /// <summary>
    /// Reads a classic pcap file in plain code, as gopacket's pcapgo does: micro- and nanosecond magic in either
    /// byte order, a 24-byte file header, then 16-byte record headers each followed by the captured bytes.
    /// Records are handed out as spans over the read buffer: nothing is allocated per record. A record length
    /// beyond what a record can hold is a <see cref="CaptureException"/> naming the frame (not an allocation of
    /// gigabytes), and a file cut mid-record is one naming the last good frame; neither looks like a clean end.
    /// </summary>
    internal sealed class PcapFileReader : ICaptureReader
    {
        internal const uint MicrosecondMagic = 0xA1B2C3D4;
        internal const uint NanosecondMagic = 0xA1B23C4D;
        private const int FileHeaderLength = 24;
        private const int RecordHeaderLength = 16;

        /// <summary>Wireshark's and libpcap's usual bound on a record (WTAP_MAX_PACKET_SIZE_STANDARD).</summary>
        private const int StandardMaxRecordLength = 262144;

        /// <summary>The bound for files whose snapshot length is larger (libpcap's own largest, for D-Bus).</summary>
        private const int LargestRecordLength = 128 * 1024 * 1024;

        private readonly CaptureFileBuffer _buffer;
        private readonly bool _bigEndian;
        private readonly uint _fractionToNanoseconds;
        private readonly int _maxRecordLength;
        private long _frames;

        /// <summary>Reads from <paramref name="stream"/>, whose first four bytes, <paramref name="magic"/>, were already read.</summary>
        /// <exception cref="CaptureException">TruncatedRecord or MalformedRecord: the file header is cut or not pcap's.</exception>
        internal PcapFileReader(string name, Stream stream, ReadOnlySpan<byte> magic)
        {
            Name = name;
            Length = stream.Length;
            _buffer = new CaptureFileBuffer(stream, magic);
            uint littleEndianMagic = BinaryPrimitives.ReadUInt32LittleEndian(magic);
            _bigEndian = littleEndianMagic != MicrosecondMagic && littleEndianMagic != NanosecondMagic;
            uint fileMagic = _bigEndian ? BinaryPrimitives.ReadUInt32BigEndian(magic) : littleEndianMagic;
            TimestampDigits = fileMagic == NanosecondMagic ? 9 : 6;
            _fractionToNanoseconds = fileMagic == NanosecondMagic ? 1u : 1000u;
            int got = _buffer.Fill(FileHeaderLength);
            if (got < FileHeaderLength)
            {
                throw new CaptureException(CaptureErrorKind.TruncatedRecord, string.Format(CultureInfo.InvariantCulture,
                    "The capture file '{0}' cannot be read (it ends inside its header, after frame 0): {1} of the {2} bytes of a pcap file header.",
                    name, got, FileHeaderLength));
            }
            ReadOnlySpan<byte> header = _buffer.Peek(FileHeaderLength);
            int major = U16(header, 4);
            if (major != 2)
            {
                throw new CaptureException(CaptureErrorKind.MalformedRecord, string.Format(CultureInfo.InvariantCulture,
                    "The capture file '{0}' cannot be read: its pcap version is {1}.{2}, not 2.x.", name, major, U16(header, 6)));
            }
            SnapLength = U32(header, 16);
            // The upper bits of the link type field carry the FCS length (LT_FCS_LENGTH); the type is below them.
            LinkType = (int)(U32(header, 20) & 0x03FFFFFF);
            _maxRecordLength = SnapLength <= StandardMaxRecordLength ? StandardMaxRecordLength : (int)Math.Min(SnapLength, LargestRecordLength);
            _buffer.Advance(FileHeaderLength);
        }

        public string Name { get; }

        /// <summary>6 for the microsecond magic, 9 for the nanosecond one.</summary>
        public int TimestampDigits { get; }

        /// <summary>The file's link type (LINKTYPE_ value), the same for every record.</summary>
        public int LinkType { get; }

        /// <summary>The snapshot length the file header gives.</summary>
        public uint SnapLength { get; }

        public long BytesRead => _buffer.Position;

        public long Length { get; }

        public bool IsEnd { get; private set; }

        public bool TryReadNext(out CapturedRecord record)
        {
            record = default;
            if (IsEnd)
            {
                return false;
            }
            int got = _buffer.Fill(RecordHeaderLength);
            if (got == 0)
            {
                IsEnd = true;
                return false;
            }
            long frame = _frames + 1;
            if (got < RecordHeaderLength)
            {
                throw Truncated(string.Format(CultureInfo.InvariantCulture,
                    "it ends inside the record header of frame {0} ({1} of {2} bytes)", frame, got, RecordHeaderLength));
            }
            ReadOnlySpan<byte> header = _buffer.Peek(RecordHeaderLength);
            uint seconds = U32(header, 0);
            uint fraction = U32(header, 4);
            uint capturedLength = U32(header, 8);
            uint wireLength = U32(header, 12);
            if (capturedLength > (uint)_maxRecordLength)
            {
                IsEnd = true;
                throw new CaptureException(CaptureErrorKind.MalformedRecord, string.Format(CultureInfo.InvariantCulture,
                    "The capture file '{0}' has a malformed record after frame {1}: frame {2} has a captured length of {3} bytes, more than the {4} a record of this file can hold (snapshot length {5}).",
                    Name, _frames, frame, capturedLength, _maxRecordLength, SnapLength));
            }
            int recordLength = RecordHeaderLength + (int)capturedLength;
            got = _buffer.Fill(recordLength);
            if (got < recordLength)
            {
                throw Truncated(string.Format(CultureInfo.InvariantCulture,
                    "it ends inside frame {0} ({1} of its {2} captured bytes)", frame, got - RecordHeaderLength, capturedLength));
            }
            ReadOnlySpan<byte> data = _buffer.Peek(recordLength).Slice(RecordHeaderLength);
            _buffer.Advance(recordLength);
            _frames = frame;
            long nanoseconds = (long)fraction * _fractionToNanoseconds;
            record = new CapturedRecord(data, LinkType, 0, seconds + nanoseconds / 1_000_000_000,
                (uint)(nanoseconds % 1_000_000_000), (int)Math.Min(wireLength, int.MaxValue));
            return true;
        }

        public void Dispose() => _buffer.Dispose();

        private uint U32(ReadOnlySpan<byte> b, int offset) => _bigEndian
            ? BinaryPrimitives.ReadUInt32BigEndian(b.Slice(offset))
            : BinaryPrimitives.ReadUInt32LittleEndian(b.Slice(offset));

        private int U16(ReadOnlySpan<byte> b, int offset) => _bigEndian
            ? BinaryPrimitives.ReadUInt16BigEndian(b.Slice(offset))
            : BinaryPrimitives.ReadUInt16LittleEndian(b.Slice(offset));

        private CaptureException Truncated(string detail)
        {
            IsEnd = true;
            return new CaptureException(CaptureErrorKind.TruncatedRecord, string.Format(CultureInfo.InvariantCulture,
                "The capture file '{0}' ends in the middle of a record after frame {1}: {2}.", Name, _frames, detail));
        }
    }
}
