namespace FlannelTools.Capture
{
    /// <summary>
    /// Reads pcapng in plain code, as gopacket's pcapgo does: Section Header blocks in either byte order (a new
    /// section resets the interfaces), Interface Description blocks (link type, snaplen, if_tsresol in both its
    /// power-of-10 and power-of-2 forms, if_tsoffset; interfaces of different link types in one file), Enhanced
    /// Packet, Simple Packet and the obsolete Packet block; every other block is skipped. Blocks are parsed in
    /// place in the read buffer: nothing is allocated per record. A cut or malformed block throws a
    /// <see cref="CaptureException"/> naming the file and the last good frame.
    /// </summary>
    internal sealed class PcapNgReader : ICaptureReader
    {
        internal const uint BlockSectionHeader = 0x0A0D0D0A;
        internal const uint BlockInterfaceDescription = 1;
        internal const uint BlockPacket = 2;
        internal const uint BlockSimplePacket = 3;
        internal const uint BlockEnhancedPacket = 6;
        internal const uint ByteOrderMagic = 0x1A2B3C4D;
        private const int BlockHeaderLength = 8;
        private const int MinimumSectionHeaderLength = 28;
        private const int MaxBlockLength = 16 * 1024 * 1024; // libpcap's limit too

        private readonly CaptureFileBuffer _buffer;
        private readonly List<Interface> _interfaces = new List<Interface>();
        private bool _bigEndian;
        private int _section;
        private long _frames;
        private uint _blockType;
        private int _blockLength;
        private bool _replayBlock;

        /// <summary>
        /// Reads from <paramref name="stream"/>, whose first four bytes, <paramref name="magic"/>, were already read,
        /// up to the first Interface Description block: its if_tsresol gives <see cref="TimestampDigits"/>.
        /// </summary>
        /// <exception cref="CaptureException">TruncatedRecord or MalformedRecord: a block before the first interface cannot be read.</exception>
        internal PcapNgReader(string name, Stream stream, ReadOnlySpan<byte> magic)
        {
            Name = name;
            Length = stream.Length;
            _buffer = new CaptureFileBuffer(stream, magic);
            TimestampDigits = 6;
            while (_interfaces.Count == 0)
            {
                if (!ReadBlock(out ReadOnlySpan<byte> body))
                {
                    IsEnd = true;
                    break;
                }
                if (IsPacket(_blockType))
                {
                    // A packet before any interface: TryReadNext reports it as the first frame's problem.
                    _replayBlock = true;
                    break;
                }
                Process(body, out _);
                if (_interfaces.Count > 0)
                {
                    TimestampDigits = _interfaces[0].TimestampDigits;
                }
            }
        }

        public string Name { get; }

        /// <summary>From the first interface's if_tsresol: 6 for microseconds or coarser, else 9.</summary>
        public int TimestampDigits { get; }

        public long BytesRead => _buffer.Position;

        public long Length { get; }

        public bool IsEnd { get; private set; }

        public bool TryReadNext(out CapturedRecord record)
        {
            record = default;
            while (!IsEnd)
            {
                ReadOnlySpan<byte> body;
                if (_replayBlock)
                {
                    _replayBlock = false;
                    body = _buffer.Peek(_blockLength).Slice(BlockHeaderLength, _blockLength - 12);
                }
                else if (!ReadBlock(out body))
                {
                    IsEnd = true;
                    return false;
                }
                if (Process(body, out record))
                {
                    return true;
                }
            }
            return false;
        }

        public void Dispose() => _buffer.Dispose();

        private static bool IsPacket(uint type) =>
            type == BlockEnhancedPacket || type == BlockSimplePacket || type == BlockPacket;

        /// <summary>Takes in the block just read; true when it is a packet, then <paramref name="record"/> is set.</summary>
        private bool Process(ReadOnlySpan<byte> body, out CapturedRecord record)
        {
            record = default;
            switch (_blockType)
            {
                case BlockSectionHeader:
                    _interfaces.Clear();
                    _section++;
                    return false;
                case BlockInterfaceDescription:
                    _interfaces.Add(ParseInterface(body));
                    return false;
                case BlockEnhancedPacket:
                    record = EnhancedPacket(body, legacy: false);
                    return true;
                case BlockPacket:
                    record = EnhancedPacket(body, legacy: true);
                    return true;
                case BlockSimplePacket:
                    record = SimplePacket(body);
                    return true;
                default:
                    return false;
            }
        }

        private CapturedRecord EnhancedPacket(ReadOnlySpan<byte> body, bool legacy)
        {
            // EPB: interface id (32), ts high, ts low, captured length, original length, data.
            // PB (obsolete): interface id (16), drops count (16), then the same.
            if (body.Length < 20)
            {
                throw Malformed($"a {(legacy ? "Packet" : "Enhanced Packet")} block of {body.Length + 12} bytes is too short");
            }
            int ifId = legacy ? U16(body, 0) : (int)Math.Min(U32(body, 0), int.MaxValue);
            ulong units = ((ulong)U32(body, 4) << 32) | U32(body, 8);
            uint capLen = U32(body, 12);
            uint wireLen = U32(body, 16);
            if (ifId >= _interfaces.Count)
            {
                throw Malformed($"frame {_frames + 1} names interface {ifId}, but section {_section} describes {_interfaces.Count}");
            }
            if (capLen > (uint)(body.Length - 20))
            {
                throw Malformed($"frame {_frames + 1} has a captured length of {capLen} bytes, more than its block holds");
            }
            Interface iface = _interfaces[ifId];
            iface.ToUnixTime(units, out long seconds, out uint nanoseconds);
            _frames++;
            return new CapturedRecord(body.Slice(20, (int)capLen), iface.LinkType, ifId,
                seconds, nanoseconds, (int)Math.Min(wireLen, int.MaxValue));
        }

        private CapturedRecord SimplePacket(ReadOnlySpan<byte> body)
        {
            if (body.Length < 4)
            {
                throw Malformed($"a Simple Packet block of {body.Length + 12} bytes is too short");
            }
            if (_interfaces.Count == 0)
            {
                throw Malformed($"frame {_frames + 1} is a Simple Packet block before any interface of section {_section}");
            }
            Interface iface = _interfaces[0];
            uint wireLen = U32(body, 0);
            long capLen = Math.Min(wireLen, body.Length - 4);
            if (iface.SnapLength > 0)
            {
                capLen = Math.Min(capLen, iface.SnapLength);
            }
            _frames++;
            // A Simple Packet block has no time stamp.
            return new CapturedRecord(body.Slice(4, (int)capLen), iface.LinkType, 0, 0, 0,
                (int)Math.Min(wireLen, int.MaxValue));
        }

        private Interface ParseInterface(ReadOnlySpan<byte> body)
        {
            if (body.Length < 8)
            {
                throw Malformed($"an Interface Description block of {body.Length + 12} bytes is too short");
            }
            var iface = Interface.Create(U16(body, 0), U32(body, 4));
            if (!ParseInterfaceOptions(body.Slice(8), _bigEndian, ref iface, out string problem))
            {
                throw Malformed(problem);
            }
            iface.Prepare();
            return iface;
        }

        /// <summary>
        /// Moves past the previous block and reads the next whole block into the buffer, checking its lengths.
        /// False at a clean end of the file.
        /// </summary>
        private bool ReadBlock(out ReadOnlySpan<byte> body)
        {
            body = default;
            _buffer.Advance(_blockLength);
            _blockLength = 0;
            int got = _buffer.Fill(12);
            if (got == 0)
            {
                return false;
            }
            if (got < BlockHeaderLength)
            {
                throw Truncated($"it ends inside a block header ({got} of {BlockHeaderLength} bytes)");
            }
            ReadOnlySpan<byte> head = _buffer.Peek(got);
            uint rawType = BinaryPrimitives.ReadUInt32LittleEndian(head);
            if (rawType == BlockSectionHeader)
            {
                if (got < 12)
                {
                    throw Truncated("it ends inside a Section Header block");
                }
                uint magic = BinaryPrimitives.ReadUInt32LittleEndian(head.Slice(8));
                if (magic == ByteOrderMagic)
                {
                    _bigEndian = false;
                }
                else if (magic == BinaryPrimitives.ReverseEndianness(ByteOrderMagic))
                {
                    _bigEndian = true;
                }
                else
                {
                    throw Malformed($"a Section Header block has the byte-order magic 0x{magic:x8}");
                }
                _blockType = BlockSectionHeader;
            }
            else
            {
                _blockType = _bigEndian ? BinaryPrimitives.ReverseEndianness(rawType) : rawType;
            }
            uint length = U32(head, 4);
            int minimum = _blockType == BlockSectionHeader ? MinimumSectionHeaderLength : 12;
            if (length < minimum || length % 4 != 0 || length > MaxBlockLength)
            {
                throw Malformed(_blockType == BlockSectionHeader
                    ? $"a Section Header block has the length {length}"
                    : $"a block of type 0x{_blockType:x8} has the length {length}");
            }
            got = _buffer.Fill((int)length);
            if (got < length)
            {
                throw Truncated($"it ends inside a block of {length} bytes ({got} of them are there)");
            }
            ReadOnlySpan<byte> block = _buffer.Peek((int)length);
            uint trailer = U32(block, (int)length - 4);
            if (trailer != length)
            {
                throw Malformed($"a block's trailing length {trailer} differs from its leading length {length}");
            }
            _blockLength = (int)length;
            body = block.Slice(BlockHeaderLength, (int)length - 12);
            if (_blockType == BlockSectionHeader && U16(body, 4) != 1)
            {
                throw Malformed($"a Section Header block has the version {U16(body, 4)}.{U16(body, 6)}, not 1.x");
            }
            return true;
        }

        private uint U32(ReadOnlySpan<byte> b, int offset) => ReadU32(b.Slice(offset), _bigEndian);

        private int U16(ReadOnlySpan<byte> b, int offset) => ReadU16(b.Slice(offset), _bigEndian);

        private static uint ReadU32(ReadOnlySpan<byte> b, bool bigEndian) => bigEndian
            ? BinaryPrimitives.ReadUInt32BigEndian(b)
            : BinaryPrimitives.ReadUInt32LittleEndian(b);

        private static int ReadU16(ReadOnlySpan<byte> b, bool bigEndian) => bigEndian
            ? BinaryPrimitives.ReadUInt16BigEndian(b)
            : BinaryPrimitives.ReadUInt16LittleEndian(b);

        private CaptureException Truncated(string detail)
        {
            IsEnd = true;
            return new CaptureException(CaptureErrorKind.TruncatedRecord, string.Format(CultureInfo.InvariantCulture,
                "The capture file '{0}' ends in the middle of a block after frame {1}: {2}.", Name, _frames, detail));
        }

        private CaptureException Malformed(string detail)
        {
            IsEnd = true;
            return new CaptureException(CaptureErrorKind.MalformedRecord, string.Format(CultureInfo.InvariantCulture,
                "The capture file '{0}' has a malformed block after frame {1}: {2}.", Name, _frames, detail));
        }

        /// <summary>Reads an IDB's options into <paramref name="iface"/>.</summary>
        internal static bool ParseInterfaceOptions(ReadOnlySpan<byte> options, bool bigEndian, ref Interface iface, out string problem)
        {
            problem = null;
            int offset = 0;
            while (offset + 4 <= options.Length)
            {
                int code = ReadU16(options.Slice(offset), bigEndian);
                int length = ReadU16(options.Slice(offset + 2), bigEndian);
                offset += 4;
                if (code == 0)
                {
                    break; // opt_endofopt
                }
                if (offset + length > options.Length)
                {
                    problem = $"an Interface Description option {code} of {length} bytes runs past its block";
                    return false;
                }
                if (code == 9 && length >= 1) // if_tsresol
                {
                    byte r = options[offset];
                    int exponent = r & 0x7f;
                    bool power2 = (r & 0x80) != 0;
                    if ((power2 && exponent > 63) || (!power2 && exponent > 19))
                    {
                        problem = $"an interface has the time stamp resolution 0x{r:x2}, beyond what a 64-bit time stamp holds";
                        return false;
                    }
                    iface.ResolutionExponent = exponent;
                    iface.PowerOf2 = power2;
                }
                else if (code == 14 && length >= 8) // if_tsoffset
                {
                    iface.TimestampOffset = bigEndian
                        ? BinaryPrimitives.ReadInt64BigEndian(options.Slice(offset))
                        : BinaryPrimitives.ReadInt64LittleEndian(options.Slice(offset));
                }
                offset += (length + 3) & ~3;
            }
            return true;
        }

        internal struct Interface
        {
            public int LinkType;
            public uint SnapLength;
            /// <summary>if_tsresol: 10^-n, or 2^-n when <see cref="PowerOf2"/>. The default is 10^-6.</summary>
            public int ResolutionExponent;
            public bool PowerOf2;
            /// <summary>if_tsoffset: seconds to add to every time stamp.</summary>
            public long TimestampOffset;
            private ulong _perSecond;
            private ulong _nanosecondFactor;
            private ulong _nanosecondDivisor;

            public static Interface Create(int linkType, uint snapLength) =>
                new Interface { LinkType = linkType, SnapLength = snapLength, ResolutionExponent = 6 };

            public int TimestampDigits => PowerOf2
                ? (ResolutionExponent <= 20 ? 6 : 9)
                : (ResolutionExponent <= 6 ? 6 : 9);

            /// <summary>Precomputes the time stamp conversion once the options are read.</summary>
            public void Prepare()
            {
                if (PowerOf2)
                {
                    return;
                }
                _perSecond = Pow10(ResolutionExponent);
                _nanosecondFactor = ResolutionExponent <= 9 ? Pow10(9 - ResolutionExponent) : 1;
                _nanosecondDivisor = ResolutionExponent <= 9 ? 1 : Pow10(ResolutionExponent - 9);
            }

            public void ToUnixTime(ulong units, out long seconds, out uint nanoseconds)
            {
                ulong whole, rest;
                if (PowerOf2)
                {
                    int n = ResolutionExponent; // 0..63
                    whole = units >> n;
                    rest = units & ((1UL << n) - 1);
                    nanoseconds = n <= 34
                        ? (uint)((rest * 1_000_000_000UL) >> n)
                        : (uint)decimal.Floor(rest * 1_000_000_000m / (1UL << n));
                }
                else
                {
                    whole = units / _perSecond;
                    rest = units % _perSecond;
                    nanoseconds = (uint)(rest * _nanosecondFactor / _nanosecondDivisor);
                }
                seconds = (long)whole + TimestampOffset;
            }

            private static ulong Pow10(int n)
            {
                ulong v = 1;
                for (int i = 0; i < n; i++)
                {
                    v *= 10;
                }
                return v;
            }
        }
    }
}
