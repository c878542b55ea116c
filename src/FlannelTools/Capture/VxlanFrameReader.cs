using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;
using FlannelTools.Addressing;
using FlannelTools.Decoding;

namespace FlannelTools.Capture
{
    /// <summary>
    /// Reads records from a capture, decodes each, applies the BPF expression and the frame filter,
    /// and hands out VXLAN frames and the warnings about frames it could not fully decode.
    /// Every record is counted, so frame numbers are Wireshark's.
    /// </summary>
    internal sealed class VxlanFrameReader
    {
        private const int MaxApplicationLine = 80;
        private const int MaxTrackedFragments = 65536;

        private readonly ICaptureReader _reader;
        private readonly PortSet _ports;
        private readonly FrameFilter _filter;
        private readonly BpfFilter _bpf;
        private readonly HashSet<(IpAddressValue, IpAddressValue, uint)> _vxlanFirstFragments = new HashSet<(IpAddressValue, IpAddressValue, uint)>();
        private readonly HashSet<int> _unsupportedLinkTypesReported = new HashSet<int>();
        private VxlanHeaders _headers;

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
                    record.WireLength, record.Data.Length, in _headers, ReadApplicationLine(record.Data, in _headers));
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
                Seconds = record.Seconds;
                Nanoseconds = record.Nanoseconds;
                WireLength = record.WireLength;
            }
            return true;
        }

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
                string lengths = string.Format(CultureInfo.InvariantCulture,
                    "Frame {0}: its captured length {1} is more than its original length {2}; the record is damaged.",
                    FrameNumber, record.Data.Length, record.WireLength);
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
                        warning = string.Format(CultureInfo.InvariantCulture,
                            "Frame {0}: link type {1} (interface {2}) is not one FlannelTools decodes; its frames are skipped.",
                            FrameNumber, LinkType.Name(record.LinkType), record.InterfaceId);
                    }
                    return true;
                case DecodeStatus.LaterFragment:
                    warning = DescribeLaterFragment(in _headers);
                    return true;
            }
            if (_headers.OuterIsFirstFragment)
            {
                // Bounded, so memory does not grow with the file; a later fragment's first one is rarely far behind.
                if (_vxlanFirstFragments.Count >= MaxTrackedFragments)
                {
                    _vxlanFirstFragments.Clear();
                }
                _vxlanFirstFragments.Add((_headers.OuterSourceAddress, _headers.OuterDestinationAddress, _headers.OuterFragmentId));
            }
            if (!_filter.Matches(in _headers))
            {
                return true;
            }
            if (_headers.Problem != DecodeProblem.None)
            {
                warning = string.Format(CultureInfo.InvariantCulture, "Frame {0}: {1} ({2} of {3} bytes captured); {4}",
                    FrameNumber, VxlanFrame.DescribeProblem(_headers.Problem), data.Length, record.WireLength,
                    _headers.Problem == DecodeProblem.VxlanFlagsInvalid ? "decoded as VXLAN anyway, as Wireshark does." : "the fields after it are empty.");
            }
            isFrame = true;
            return true;
        }

        private string DescribeLaterFragment(in VxlanHeaders h)
        {
            bool known = _vxlanFirstFragments.Contains((h.OuterSourceAddress, h.OuterDestinationAddress, h.OuterFragmentId));
            return string.Format(CultureInfo.InvariantCulture,
                known
                    ? "Frame {0}: later IP fragment (id 0x{3:x}) of a VXLAN frame from {1} to {2}; its headers are decoded at the first fragment."
                    : "Frame {0}: later IP fragment (id 0x{3:x}) of a UDP datagram from {1} to {2} whose first fragment is not in the capture; if it carried VXLAN, its headers are lost.",
                FrameNumber, h.OuterSourceAddress, h.OuterDestinationAddress, h.OuterFragmentId);
        }

        /// <summary>The first line of an inner HTTP request or response, for Info; null for anything else.</summary>
        private static string ReadApplicationLine(ReadOnlySpan<byte> data, in VxlanHeaders h)
        {
            if (h.InnerProtocol != IpProtocol.Tcp || h.InnerPayloadLength < 8 || !h.Has(HeaderFields.InnerPorts))
            {
                return null;
            }
            ReadOnlySpan<byte> payload = data.Slice(h.InnerPayloadOffset, h.InnerPayloadLength);
            if (!StartsWithHttp(payload))
            {
                return null;
            }
            int end = 0;
            while (end < payload.Length && end < MaxApplicationLine && payload[end] != '\r' && payload[end] != '\n')
            {
                end++;
            }
            var line = new StringBuilder(end);
            for (int i = 0; i < end; i++)
            {
                byte b = payload[i];
                line.Append(b >= 0x20 && b < 0x7f ? (char)b : '.');
            }
            return line.ToString();
        }

        private static readonly byte[][] HttpStarts =
        {
            Encoding.ASCII.GetBytes("GET "), Encoding.ASCII.GetBytes("POST "), Encoding.ASCII.GetBytes("HEAD "),
            Encoding.ASCII.GetBytes("PUT "), Encoding.ASCII.GetBytes("DELETE "), Encoding.ASCII.GetBytes("OPTIONS "),
            Encoding.ASCII.GetBytes("PATCH "), Encoding.ASCII.GetBytes("HTTP/1."),
        };

        private static bool StartsWithHttp(ReadOnlySpan<byte> payload)
        {
            foreach (byte[] start in HttpStarts)
            {
                if (payload.StartsWith(start))
                {
                    return true;
                }
            }
            return false;
        }
    }
}
