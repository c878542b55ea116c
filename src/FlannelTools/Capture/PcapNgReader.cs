using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace FlannelTools.Capture
{
    /// <summary>
    /// A pcapng reader of its own, for what libpcap 1.10 refuses: interfaces with different link types in one
    /// file. Reads Section Header (either byte order; a new section resets the interfaces), Interface
    /// Description (link type, snaplen, if_tsresol in both its power-of-10 and power-of-2 forms, if_tsoffset),
    /// Enhanced Packet, Simple Packet and the obsolete Packet block, and skips every other block. One buffered
    /// FileStream and one reusable buffer: nothing is allocated per record. A cut or malformed block throws a
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
        private const int MaxBlockLength = 16 * 1024 * 1024; // libpcap's limit too

        private readonly FileStream _stream;
        private readonly List<Interface> _interfaces = new List<Interface>();
        private byte[] _buffer = new byte[64 * 1024];
        private bool _bigEndian;
        private bool _inSection;
        private int _section;
        private long _frames;
        private long _position;

        public PcapNgReader(string path)
        {
            Name = path ?? throw new ArgumentNullException(nameof(path));
            try
            {
                _stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.SequentialScan);
            }
            catch (FileNotFoundException e)
            {
                throw new CaptureException(CaptureErrorKind.FileNotFound, $"The capture file '{path}' does not exist.", e);
            }
            catch (DirectoryNotFoundException e)
            {
                throw new CaptureException(CaptureErrorKind.FileNotFound, $"The capture file '{path}' does not exist.", e);
            }
            Length = _stream.Length;
            ScanResult scan = Scan(_stream, out _);
            TimestampDigits = scan.FirstTimestampDigits;
            _stream.Position = 0;
        }

        public string Name { get; }

        /// <summary>From the first interface's if_tsresol: 6 for microseconds or coarser, else 9.</summary>
        public int TimestampDigits { get; }

        public long BytesRead => _position;

        public long Length { get; }

        public bool IsEnd { get; private set; }

        /// <summary>Records handed out so far (the frame number of the last one).</summary>
        public long FramesRead => _frames;

        public bool TryReadNext(out CapturedRecord record)
        {
            record = default;
            while (!IsEnd)
            {
                if (!ReadBlock(out uint type, out int bodyLength))
                {
                    IsEnd = true;
                    return false;
                }
                switch (type)
                {
                    case BlockSectionHeader:
                        _interfaces.Clear();
                        _section++;
                        break;
                    case BlockInterfaceDescription:
                        _interfaces.Add(ParseInterface(bodyLength));
                        break;
                    case BlockEnhancedPacket:
                        record = EnhancedPacket(bodyLength, legacy: false);
                        return true;
                    case BlockPacket:
                        record = EnhancedPacket(bodyLength, legacy: true);
                        return true;
                    case BlockSimplePacket:
                        record = SimplePacket(bodyLength);
                        return true;
                }
            }
            return false;
        }

        public void Dispose() => _stream.Dispose();

        private CapturedRecord EnhancedPacket(int bodyLength, bool legacy)
        {
            // EPB: interface id (32), ts high, ts low, captured length, original length, data.
            // PB (obsolete): interface id (16), drops count (16), then the same.
            if (bodyLength < 20)
            {
                throw Malformed($"a {(legacy ? "Packet" : "Enhanced Packet")} block of {bodyLength + 12} bytes is too short");
            }
            int ifId = legacy ? U16(0) : (int)Math.Min(U32(0), int.MaxValue);
            ulong units = ((ulong)U32(4) << 32) | U32(8);
            uint capLen = U32(12);
            uint wireLen = U32(16);
            if (ifId >= _interfaces.Count)
            {
                throw Malformed($"a packet block names interface {ifId}, but section {_section} describes {_interfaces.Count}");
            }
            if (capLen > (uint)(bodyLength - 20))
            {
                throw Malformed($"a packet block's captured length {capLen} exceeds its block");
            }
            Interface iface = _interfaces[ifId];
            iface.ToUnixTime(units, out long seconds, out uint nanoseconds);
            _frames++;
            return new CapturedRecord(new ReadOnlySpan<byte>(_buffer, 20, (int)capLen), iface.LinkType, ifId,
                seconds, nanoseconds, (int)Math.Min(wireLen, int.MaxValue));
        }

        private CapturedRecord SimplePacket(int bodyLength)
        {
            if (bodyLength < 4)
            {
                throw Malformed($"a Simple Packet block of {bodyLength + 12} bytes is too short");
            }
            if (_interfaces.Count == 0)
            {
                throw Malformed($"a Simple Packet block comes before any interface of section {_section}");
            }
            Interface iface = _interfaces[0];
            uint wireLen = U32(0);
            long capLen = Math.Min(wireLen, bodyLength - 4);
            if (iface.SnapLength > 0)
            {
                capLen = Math.Min(capLen, iface.SnapLength);
            }
            _frames++;
            // A Simple Packet block has no time stamp.
            return new CapturedRecord(new ReadOnlySpan<byte>(_buffer, 4, (int)capLen), iface.LinkType, 0, 0, 0,
                (int)Math.Min(wireLen, int.MaxValue));
        }

        private Interface ParseInterface(int bodyLength)
        {
            if (!_inSection)
            {
                throw Malformed("an Interface Description block comes before any Section Header block");
            }
            if (bodyLength < 8)
            {
                throw Malformed($"an Interface Description block of {bodyLength + 12} bytes is too short");
            }
            var iface = Interface.Create(U16(0), U32(4));
            if (!ParseInterfaceOptions(_buffer, 8, bodyLength, _bigEndian, ref iface, out string problem))
            {
                throw Malformed(problem);
            }
            iface.Prepare();
            return iface;
        }

        /// <summary>Reads the next block into the buffer (body at offset 0). False at a clean end of file.</summary>
        private bool ReadBlock(out uint type, out int bodyLength)
        {
            int got = ReadFully(_buffer, 0, 8);
            if (got == 0)
            {
                type = 0;
                bodyLength = 0;
                return false;
            }
            if (got < 8)
            {
                throw Truncated($"it ends inside a block header ({got} of 8 bytes)");
            }
            uint rawType = ReadU32(_buffer, 0, false);
            uint length;
            if (rawType == BlockSectionHeader)
            {
                if (ReadFully(_buffer, 8, 4) < 4)
                {
                    throw Truncated("it ends inside a Section Header block");
                }
                uint magic = ReadU32(_buffer, 8, false);
                if (magic == ByteOrderMagic)
                {
                    _bigEndian = false;
                }
                else if (magic == Swap(ByteOrderMagic))
                {
                    _bigEndian = true;
                }
                else
                {
                    throw Malformed($"a Section Header block has the byte-order magic 0x{magic:x8}");
                }
                _inSection = true;
                type = BlockSectionHeader;
                length = U32At(4);
                if (length < 28 || length % 4 != 0 || length > MaxBlockLength)
                {
                    throw Malformed($"a Section Header block has the length {length}");
                }
                // Keep the body at offset 0: the magic is its first field.
                EnsureBuffer((int)length);
                Buffer.BlockCopy(_buffer, 8, _buffer, 0, 4);
                ReadBody(4, (int)length - 12, length);
                bodyLength = (int)length - 12;
                int major = U16(4);
                if (major != 1)
                {
                    throw Malformed($"a Section Header block has the version {major}.{U16(6)}, not 1.x");
                }
                return true;
            }
            if (!_inSection)
            {
                throw Malformed("the file does not start with a Section Header block");
            }
            type = _bigEndian ? Swap(rawType) : rawType;
            length = U32At(4);
            if (length < 12 || length % 4 != 0 || length > MaxBlockLength)
            {
                throw Malformed($"a block of type 0x{type:x8} has the length {length}");
            }
            EnsureBuffer((int)length);
            ReadBody(0, (int)length - 12, length);
            bodyLength = (int)length - 12;
            return true;
        }

        /// <summary>Reads the rest of the body into the buffer from <paramref name="offset"/>, then the trailing length.</summary>
        private void ReadBody(int offset, int bodyLength, uint length)
        {
            int want = bodyLength - offset + 4;
            int got = ReadFully(_buffer, offset, want);
            if (got < want)
            {
                throw Truncated($"it ends inside a block of {length} bytes");
            }
            uint trailer = ReadU32(_buffer, bodyLength, _bigEndian);
            if (trailer != length)
            {
                throw Malformed($"a block's trailing length {trailer} differs from its leading length {length}");
            }
        }

        private uint U32At(int offset) => ReadU32(_buffer, offset, _bigEndian);

        private uint U32(int bodyOffset) => ReadU32(_buffer, bodyOffset, _bigEndian);

        private int U16(int bodyOffset) => ReadU16(_buffer, bodyOffset, _bigEndian);

        private void EnsureBuffer(int length)
        {
            if (_buffer.Length < length)
            {
                byte[] bigger = new byte[Math.Max(length, _buffer.Length * 2)];
                Buffer.BlockCopy(_buffer, 0, bigger, 0, 12);
                _buffer = bigger;
            }
        }

        private int ReadFully(byte[] buffer, int offset, int count)
        {
            int total = 0;
            while (total < count)
            {
                int n = _stream.Read(buffer, offset + total, count - total);
                if (n <= 0)
                {
                    break;
                }
                total += n;
            }
            _position += total;
            return total;
        }

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

        internal static uint Swap(uint v) =>
            (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);

        internal static uint ReadU32(byte[] b, int o, bool bigEndian) => bigEndian
            ? (uint)(b[o] << 24 | b[o + 1] << 16 | b[o + 2] << 8 | b[o + 3])
            : (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24);

        internal static int ReadU16(byte[] b, int o, bool bigEndian) => bigEndian
            ? b[o] << 8 | b[o + 1]
            : b[o] | b[o + 1] << 8;

        internal static long ReadI64(byte[] b, int o, bool bigEndian) => bigEndian
            ? (long)((ulong)ReadU32(b, o, true) << 32 | ReadU32(b, o + 4, true))
            : (long)((ulong)ReadU32(b, o + 4, false) << 32 | ReadU32(b, o, false));

        /// <summary>Reads an IDB's options (from <paramref name="offset"/> to <paramref name="end"/>) into <paramref name="iface"/>.</summary>
        internal static bool ParseInterfaceOptions(byte[] b, int offset, int end, bool bigEndian, ref Interface iface, out string problem)
        {
            problem = null;
            while (offset + 4 <= end)
            {
                int code = ReadU16(b, offset, bigEndian);
                int length = ReadU16(b, offset + 2, bigEndian);
                offset += 4;
                if (code == 0)
                {
                    break; // opt_endofopt
                }
                if (offset + length > end)
                {
                    problem = $"an Interface Description option {code} of {length} bytes runs past its block";
                    return false;
                }
                if (code == 9 && length >= 1) // if_tsresol
                {
                    byte r = b[offset];
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
                    iface.TimestampOffset = ReadI64(b, offset, bigEndian);
                }
                offset += (length + 3) & ~3;
            }
            return true;
        }

        internal struct ScanResult
        {
            /// <summary>Link types of the interfaces described before the first packet block.</summary>
            public bool MixedLinkTypes;
            public int FirstTimestampDigits;
            /// <summary>False when the scan met something it could not read (this reader reports it properly).</summary>
            public bool Readable;
        }

        /// <summary>
        /// Cheap look at the start of a pcapng file: the Interface Description blocks before its first packet
        /// block (where mergecap, dumpcap and tcpdump put them) or the first 1 MB, whichever ends first.
        /// </summary>
        internal static ScanResult Scan(Stream stream, out int firstLinkType)
        {
            var result = new ScanResult { FirstTimestampDigits = 6, Readable = true };
            firstLinkType = -1;
            byte[] header = new byte[12];
            byte[] body = new byte[256];
            bool bigEndian = false;
            bool sawInterface = false;
            long start = stream.Position;
            while (stream.Position - start < 1024 * 1024)
            {
                if (stream.Read(header, 0, 12) < 12)
                {
                    break;
                }
                uint type = ReadU32(header, 0, false);
                if (type == BlockSectionHeader)
                {
                    uint magic = ReadU32(header, 8, false);
                    if (magic != ByteOrderMagic && magic != Swap(ByteOrderMagic))
                    {
                        result.Readable = false;
                        break;
                    }
                    bigEndian = magic != ByteOrderMagic;
                }
                else if (bigEndian)
                {
                    type = Swap(type);
                }
                uint length = ReadU32(header, 4, bigEndian);
                if (length < 12 || length % 4 != 0 || length > MaxBlockLength)
                {
                    result.Readable = false;
                    break;
                }
                if (type == BlockEnhancedPacket || type == BlockSimplePacket || type == BlockPacket)
                {
                    break;
                }
                if (type == BlockInterfaceDescription)
                {
                    // the 4 body bytes already read are link type and reserved; read the rest
                    int bodyLength = (int)length - 12;
                    if (body.Length < bodyLength)
                    {
                        body = new byte[bodyLength];
                    }
                    Buffer.BlockCopy(header, 8, body, 0, 4);
                    if (bodyLength < 8 || stream.Read(body, 4, bodyLength - 4) < bodyLength - 4)
                    {
                        result.Readable = false;
                        break;
                    }
                    stream.Seek(4, SeekOrigin.Current);
                    int linkType = ReadU16(body, 0, bigEndian);
                    if (!sawInterface)
                    {
                        var iface = Interface.Create(linkType, 0);
                        if (!ParseInterfaceOptions(body, 8, bodyLength, bigEndian, ref iface, out _))
                        {
                            result.Readable = false;
                            break;
                        }
                        result.FirstTimestampDigits = iface.TimestampDigits;
                        firstLinkType = linkType;
                        sawInterface = true;
                    }
                    else if (linkType != firstLinkType)
                    {
                        result.MixedLinkTypes = true;
                    }
                    continue;
                }
                stream.Seek(length - 12, SeekOrigin.Current);
            }
            return result;
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
