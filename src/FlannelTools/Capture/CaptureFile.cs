using System;
using System.Globalization;
using System.IO;

namespace FlannelTools.Capture
{
    /// <summary>Opens a capture file with the right reader.</summary>
    internal static class CaptureFile
    {
        internal const uint PcapMicrosecondMagic = 0xA1B2C3D4;
        internal const uint PcapNanosecondMagic = 0xA1B23C4D;
        internal const uint PcapNgMagic = 0x0A0D0D0A;

        /// <summary>
        /// Opens a pcap (micro- or nanosecond, either byte order) or pcapng file. pcap, and pcapng whose
        /// interfaces share one link type, are read by libpcap (<see cref="PcapFileReader"/>); pcapng with
        /// several link types by <see cref="PcapNgReader"/>. If libpcap gives up on a pcapng part-way (a later
        /// interface of another link type, or anything else it refuses), reading carries on with
        /// <see cref="PcapNgReader"/> after the records already handed out, so none comes out twice.
        /// </summary>
        /// <exception cref="CaptureException">FileNotFound, EmptyFile, FileNotCapture, LibpcapMissing, or a first record that cannot be read.</exception>
        public static ICaptureReader Open(string path)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }
            uint magic = CheckedMagic(path);
            if (magic == PcapNgMagic)
            {
                PcapNgReader.ScanResult scan;
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096))
                {
                    scan = PcapNgReader.Scan(stream, out _);
                }
                if (scan.MixedLinkTypes || !scan.Readable)
                {
                    return new PcapNgReader(path);
                }
                PcapFileReader libpcap;
                try
                {
                    libpcap = new PcapFileReader(path, scan.FirstTimestampDigits);
                }
                catch (CaptureException e) when (e.Kind != CaptureErrorKind.LibpcapMissing)
                {
                    return new PcapNgReader(path);
                }
                return new PcapNgFallbackReader(libpcap);
            }
            int digits = magic == PcapNanosecondMagic ? 9 : 6;
            return new PcapFileReader(path, digits);
        }

        /// <summary>The first four bytes as a little-endian number, normalised so a byte-swapped pcap magic reads the same; 0 when shorter.</summary>
        internal static uint ReadMagic(string path)
        {
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 16))
            {
                byte[] b = new byte[4];
                int got = 0;
                while (got < 4)
                {
                    int n = stream.Read(b, got, 4 - got);
                    if (n <= 0)
                    {
                        return 0;
                    }
                    got += n;
                }
                uint le = (uint)(b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24);
                uint be = PcapNgReader.Swap(le);
                if (be == PcapMicrosecondMagic || be == PcapNanosecondMagic)
                {
                    return be;
                }
                return le;
            }
        }

        private static uint CheckedMagic(string path)
        {
            FileInfo info;
            try
            {
                info = new FileInfo(path);
            }
            catch (Exception e) when (e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                throw new CaptureException(CaptureErrorKind.FileNotFound, $"The capture file '{path}' does not exist: {e.Message}", e);
            }
            if (!info.Exists)
            {
                throw new CaptureException(CaptureErrorKind.FileNotFound,
                    Directory.Exists(path) ? $"'{path}' is a directory, not a capture file." : $"The capture file '{path}' does not exist.");
            }
            if (info.Length == 0)
            {
                throw new CaptureException(CaptureErrorKind.EmptyFile, $"The capture file '{path}' is empty.");
            }
            uint magic;
            try
            {
                magic = ReadMagic(path);
            }
            catch (UnauthorizedAccessException e)
            {
                throw new CaptureException(CaptureErrorKind.FileNotCapture, $"The capture file '{path}' cannot be read: {e.Message}", e);
            }
            if (magic != PcapMicrosecondMagic && magic != PcapNanosecondMagic && magic != PcapNgMagic)
            {
                throw new CaptureException(CaptureErrorKind.FileNotCapture, string.Format(CultureInfo.InvariantCulture,
                    "'{0}' is not a pcap or pcapng capture file (it starts with 0x{1}).", path, FirstBytes(path)));
            }
            return magic;
        }

        private static string FirstBytes(string path)
        {
            using (var stream = File.OpenRead(path))
            {
                byte[] b = new byte[4];
                int n = stream.Read(b, 0, 4);
                return BitConverter.ToString(b, 0, n).Replace("-", "").ToLowerInvariant();
            }
        }

        /// <summary>
        /// libpcap for a pcapng until it gives up; then <see cref="PcapNgReader"/> from the record after the
        /// last one handed out (libpcap and PcapNgReader count the same records: EPB, SPB, PB).
        /// </summary>
        private sealed class PcapNgFallbackReader : ICaptureReader
        {
            private PcapFileReader _libpcap;
            private PcapNgReader _own;

            internal PcapNgFallbackReader(PcapFileReader libpcap)
            {
                _libpcap = libpcap;
                Name = libpcap.Name;
                TimestampDigits = libpcap.TimestampDigits;
                Length = libpcap.Length;
            }

            public string Name { get; }
            public int TimestampDigits { get; }
            public long Length { get; }
            public long BytesRead => _own != null ? _own.BytesRead : _libpcap.BytesRead;
            public bool IsEnd => _own != null ? _own.IsEnd : _libpcap.IsEnd;

            public bool TryReadNext(out CapturedRecord record)
            {
                if (_own != null)
                {
                    return _own.TryReadNext(out record);
                }
                try
                {
                    return _libpcap.TryReadNext(out record);
                }
                catch (CaptureException)
                {
                    // libpcap refused something: a later interface of another link type, another section, or a
                    // damaged block. Our reader reads the first two and names the frame of the third itself.
                }
                long handedOut = _libpcap.FramesRead;
                _libpcap.Dispose();
                _own = new PcapNgReader(Name);
                for (long i = 0; i < handedOut; i++)
                {
                    if (!_own.TryReadNext(out _))
                    {
                        throw new CaptureException(CaptureErrorKind.MalformedRecord, string.Format(CultureInfo.InvariantCulture,
                            "The capture file '{0}' has {1} records for libpcap but only {2} for FlannelTools' pcapng reader.",
                            Name, handedOut, i));
                    }
                }
                return _own.TryReadNext(out record);
            }

            public void Dispose()
            {
                _libpcap?.Dispose();
                _own?.Dispose();
            }
        }
    }
}
