using System;
using System.Globalization;
using SharpPcap;
using SharpPcap.LibPcap;

namespace FlannelTools.Capture
{
    /// <summary>
    /// Reads a pcap file, or a pcapng file whose interfaces share one link type, through libpcap
    /// (SharpPcap's <see cref="CaptureFileReaderDevice"/>) at nanosecond resolution. Records are handed out
    /// as spans over libpcap's own buffer: nothing is allocated per record. A read that libpcap ends with an
    /// error (a file cut mid-record, a malformed record) throws a <see cref="CaptureException"/> naming the
    /// file and the last good frame; it never looks like a clean end.
    /// </summary>
    internal sealed class PcapFileReader : ICaptureReader
    {
        private readonly CaptureFileReaderDevice _device;
        private readonly long _fractionToNanoseconds;
        private readonly int _recordOverhead;
        private long _frames;
        private bool _disposed;

        /// <summary>Opens <paramref name="path"/> with libpcap. Prefer <see cref="CaptureFile.Open"/>, which checks the file first.</summary>
        /// <param name="path">The capture file.</param>
        /// <param name="timestampDigits">6 or 9: what the file records (from its magic, or its first interface's if_tsresol).</param>
        public PcapFileReader(string path, int timestampDigits = 6)
        {
            Name = path ?? throw new ArgumentNullException(nameof(path));
            TimestampDigits = timestampDigits;
            try
            {
                Length = new System.IO.FileInfo(path).Length;
                _device = new CaptureFileReaderDevice(path);
                _device.Open(new DeviceConfiguration { TimestampResolution = TimestampResolution.Nanosecond });
                LinkType = (int)_device.LinkType;
                // libpcap older than 1.5.1 cannot scale to nanoseconds: then it hands out microseconds.
                _fractionToNanoseconds = _device.TimestampResolution == TimestampResolution.Nanosecond ? 1 : 1000;
            }
            catch (PcapException e)
            {
                _device?.Dispose();
                throw OpenError(path, e.Message, e);
            }
            catch (Exception e) when (LibpcapLoader.IsMissing(e))
            {
                _device?.Dispose();
                throw LibpcapLoader.MissingError(e);
            }
            bool isPcapNg = CaptureFile.ReadMagic(path) == CaptureFile.PcapNgMagic;
            _recordOverhead = isPcapNg ? 32 : 16;
            BytesRead = isPcapNg ? 0 : 24;
        }

        public string Name { get; }

        public int TimestampDigits { get; }

        /// <summary>The file's link type (LINKTYPE_ value), the same for every record.</summary>
        public int LinkType { get; }

        /// <summary>Approximate: the sizes of the records read plus their headers.</summary>
        public long BytesRead { get; private set; }

        public long Length { get; }

        public bool IsEnd { get; private set; }

        /// <summary>Records handed out so far (the frame number of the last one).</summary>
        public long FramesRead => _frames;

        public unsafe bool TryReadNext(out CapturedRecord record)
        {
            record = default;
            if (IsEnd)
            {
                return false;
            }
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(PcapFileReader));
            }
            while (true)
            {
                IntPtr header = IntPtr.Zero, data = IntPtr.Zero;
                // pcap_next_ex straight away: PcapDevice.GetNextPacket would do the same call but allocate a
                // PcapHeader and a PosixTimeval (a decimal) for every record.
                int status = _device.GetNextPacketPointers(ref header, ref data);
                switch ((GetPacketStatus)status)
                {
                    case GetPacketStatus.PacketRead:
                        NativePacketHeader.Read(header, out long seconds, out long fraction, out int capLen, out int wireLen);
                        _frames++;
                        BytesRead += capLen + _recordOverhead;
                        record = new CapturedRecord(
                            new ReadOnlySpan<byte>((void*)data, capLen), LinkType, 0, seconds,
                            (uint)(fraction * _fractionToNanoseconds), wireLen);
                        return true;
                    case GetPacketStatus.NoRemainingPackets:
                        IsEnd = true;
                        BytesRead = Length;
                        return false;
                    case GetPacketStatus.ReadTimeout:
                        continue; // not returned for files; read again rather than end early
                    default:
                        IsEnd = true;
                        throw ReadError(Name, _frames, _device.LastError);
                }
            }
        }

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                _device.Dispose();
            }
        }

        internal static CaptureException ReadError(string path, long lastGoodFrame, string libpcapMessage)
        {
            bool truncated = libpcapMessage != null && libpcapMessage.IndexOf("truncated", StringComparison.OrdinalIgnoreCase) >= 0;
            string what = truncated ? "ends in the middle of a record" : "has a malformed record";
            return new CaptureException(
                truncated ? CaptureErrorKind.TruncatedRecord : CaptureErrorKind.MalformedRecord,
                string.Format(CultureInfo.InvariantCulture, "The capture file '{0}' {1} after frame {2}: {3}",
                    path, what, lastGoodFrame, libpcapMessage));
        }

        private static CaptureException OpenError(string path, string libpcapMessage, Exception inner)
        {
            const string prefix = "Unable to open offline adapter: ";
            string message = libpcapMessage.StartsWith(prefix, StringComparison.Ordinal)
                ? libpcapMessage.Substring(prefix.Length) : libpcapMessage;
            bool truncated = message.IndexOf("truncated", StringComparison.OrdinalIgnoreCase) >= 0;
            return new CaptureException(
                truncated ? CaptureErrorKind.TruncatedRecord : CaptureErrorKind.MalformedRecord,
                string.Format(CultureInfo.InvariantCulture, "The capture file '{0}' cannot be read{1}: {2}",
                    path, truncated ? " (it ends inside its header, after frame 0)" : "", message), inner);
        }
    }
}
