namespace FlannelTools
{
    /// <summary>
    /// One VXLAN frame of a capture: the outer and inner headers of the walkthrough's table (docs/walkthrough.md).
    /// It keeps the decoded header values and makes their text only when a property is read,
    /// so emitting a frame costs one allocation.
    /// </summary>
    public sealed class VxlanFrame
    {
        private readonly VxlanHeaders _h;
        private readonly long _seconds;
        private readonly uint _nanoseconds;
        private readonly byte _timestampDigits;
        private readonly string _applicationLine;

        internal VxlanFrame(string path, long frameNumber, long seconds, uint nanoseconds, int timestampDigits,
            int length, int capturedLength, in VxlanHeaders headers, string applicationLine)
        {
            Path = path;
            FrameNumber = frameNumber;
            _seconds = seconds;
            _nanoseconds = nanoseconds;
            _timestampDigits = (byte)timestampDigits;
            Length = length;
            CapturedLength = capturedLength;
            _h = headers;
            _applicationLine = applicationLine;
        }

        /// <summary>The capture file, or the interface name for a live capture.</summary>
        public string Path { get; }

        /// <summary>1-based position of the record in the capture, as Wireshark numbers frames.</summary>
        public long FrameNumber { get; }

        /// <summary>
        /// UTC capture time in ISO 8601 with as many digits of a second as the capture records
        /// (6 or 9), e.g. <c>2026-11-25T16:54:46.123456Z</c>: text that sorts, survives CSV and JSON,
        /// and converts with <c>[datetime]</c>.
        /// </summary>
        public string Timestamp => FormatTimestamp(_seconds, _nanoseconds, _timestampDigits);

        /// <summary>Frame length on the wire.</summary>
        public int Length { get; }

        /// <summary>Bytes of the frame the capture holds.</summary>
        public int CapturedLength { get; }

        /// <summary>True when the capture holds fewer bytes than were on the wire (snap length).</summary>
        public bool IsTruncated => CapturedLength < Length;

        /// <summary>Null for a Linux cooked capture of a device without an Ethernet address.</summary>
        public string OuterSourceMac => _h.Has(HeaderFields.OuterSourceMac) ? MacAddress.ToText(_h.OuterSourceMac) : null;

        /// <summary>Null for a Linux cooked capture, which does not record it.</summary>
        public string OuterDestinationMac => _h.Has(HeaderFields.OuterDestinationMac) ? MacAddress.ToText(_h.OuterDestinationMac) : null;

        public string OuterSourceAddress => _h.OuterSourceAddress.ToString();

        public string OuterDestinationAddress => _h.OuterDestinationAddress.ToString();

        public int OuterSourcePort => _h.OuterSourcePort;

        public int OuterDestinationPort => _h.OuterDestinationPort;

        /// <summary>The outermost 802.1Q or 802.1ad tag's VLAN id; null when untagged.</summary>
        public int? OuterVlan => _h.Has(HeaderFields.OuterVlan) ? _h.OuterVlan : (int?)null;

        /// <summary>VXLAN Network Identifier; null when the VXLAN header was cut.</summary>
        public int? Vni => _h.Has(HeaderFields.Vxlan) ? (int)_h.Vni : (int?)null;

        public string InnerSourceMac => _h.Has(HeaderFields.InnerEthernet) ? MacAddress.ToText(_h.InnerSourceMac) : null;

        public string InnerDestinationMac => _h.Has(HeaderFields.InnerEthernet) ? MacAddress.ToText(_h.InnerDestinationMac) : null;

        /// <summary>The inner Ethernet frame's EtherType (0x0800 IPv4, 0x86dd IPv6, 0x0806 ARP, …).</summary>
        public int? InnerEtherType => _h.Has(HeaderFields.InnerEthernet) ? _h.InnerEtherType : (int?)null;

        public string InnerSourceAddress => _h.Has(HeaderFields.InnerIp) ? _h.InnerSourceAddress.ToString() : null;

        public string InnerDestinationAddress => _h.Has(HeaderFields.InnerIp) ? _h.InnerDestinationAddress.ToString() : null;

        /// <summary>TCP, UDP, ICMP, ICMPv6, or the protocol number; null when the inner packet is not IP.</summary>
        public string InnerProtocol => _h.Has(HeaderFields.InnerIp) ? IpProtocol.Name(_h.InnerProtocol) : null;

        public int? InnerSourcePort => _h.Has(HeaderFields.InnerPorts) ? _h.InnerSourcePort : (int?)null;

        public int? InnerDestinationPort => _h.Has(HeaderFields.InnerPorts) ? _h.InnerDestinationPort : (int?)null;

        /// <summary>The inner TCP segment's flags as Wireshark lists them, e.g. <c>SYN,ACK</c>.</summary>
        public string TcpFlags => _h.Has(HeaderFields.TcpFlags) ? FormatTcpFlags(_h.TcpFlags, ",") : null;

        /// <summary>A one-line summary in the spirit of Wireshark's Info column.</summary>
        public string Info => FormatInfo();

        /// <summary>The decoded header values, for code that aggregates frames without their text.</summary>
        internal VxlanHeaders Headers => _h;

        /// <summary>The capture time as the capture holds it, for code that aggregates frames without their text.</summary>
        internal long Seconds => _seconds;

        internal uint Nanoseconds => _nanoseconds;

        internal int TimestampDigits => _timestampDigits;

        public override string ToString() =>
            string.Format(CultureInfo.InvariantCulture, "{0} {1} -> {2} VNI {3} {4}", FrameNumber, OuterSourceAddress, OuterDestinationAddress, Vni, Info);

        internal static string FormatTimestamp(long seconds, uint nanoseconds, int digits)
        {
            DateTime time = UnixEpoch.AddSeconds(seconds);
            string fraction = nanoseconds.ToString("D9", CultureInfo.InvariantCulture).Substring(0, digits <= 0 || digits > 9 ? 9 : digits);
            return time.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "." + fraction + "Z";
        }

        private static readonly DateTime UnixEpoch = new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc);

        private static readonly string[] TcpFlagNames = { "FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "NS" };

        // Wireshark's order: SYN, FIN and RST first, then PSH, ACK, URG, ECE, CWR, NS.
        private static readonly int[] TcpFlagOrder = { 1, 0, 2, 3, 4, 5, 6, 7, 8 };

        internal static string FormatTcpFlags(ushort flags, string separator)
        {
            var text = new StringBuilder();
            foreach (int bit in TcpFlagOrder)
            {
                if ((flags & (1 << bit)) != 0)
                {
                    if (text.Length > 0)
                    {
                        text.Append(separator);
                    }
                    text.Append(TcpFlagNames[bit]);
                }
            }
            return text.ToString();
        }

        private string FormatInfo()
        {
            string summary = FormatInnerSummary();
            string problem = DecodeProblemText.Describe(_h.Problem);
            return problem == null ? summary : summary + " [" + problem + "]";
        }

        private string FormatInnerSummary()
        {
            if (!_h.Has(HeaderFields.Vxlan))
            {
                return "VXLAN";
            }
            if (!_h.Has(HeaderFields.InnerEthernet))
            {
                return "VXLAN VNI " + _h.Vni.ToString(CultureInfo.InvariantCulture);
            }
            if (_h.Has(HeaderFields.Arp))
            {
                return _h.ArpOperation == 1
                    ? "ARP Who has " + _h.ArpTargetAddress + "? Tell " + _h.ArpSenderAddress
                    : _h.ArpOperation == 2 ? "ARP " + _h.ArpSenderAddress + " is at " + InnerSourceMac : "ARP operation " + _h.ArpOperation.ToString(CultureInfo.InvariantCulture);
            }
            if (!_h.Has(HeaderFields.InnerIp))
            {
                return "EtherType 0x" + _h.InnerEtherType.ToString("x4", CultureInfo.InvariantCulture);
            }
            if (_h.Has(HeaderFields.InnerFragment) || _h.Has(HeaderFields.InnerFirstFragment))
            {
                // As Wireshark shows a fragment it has not reassembled, with the fragment's own payload length.
                return string.Format(CultureInfo.InvariantCulture, "{0} fragment (off={1}, ID={2}) Len={3}",
                    IpProtocol.Name(_h.InnerProtocol), _h.InnerFragmentOffset,
                    _h.InnerFragmentId.ToString(_h.InnerEtherType == EtherType.IPv6 ? "x8" : "x4", CultureInfo.InvariantCulture),
                    _h.InnerFragmentLength);
            }
            if (_h.Has(HeaderFields.NestedVxlan))
            {
                return "VXLAN VNI " + _h.NestedVni.ToString(CultureInfo.InvariantCulture);
            }
            if (_applicationLine != null)
            {
                return _applicationLine.StartsWith("HTTP/", StringComparison.Ordinal) ? _applicationLine : "HTTP " + _applicationLine;
            }
            switch (_h.InnerProtocol)
            {
                case IpProtocol.Tcp when _h.Has(HeaderFields.InnerPorts) && !_h.Has(HeaderFields.TcpFlags):
                    return string.Format(CultureInfo.InvariantCulture, "TCP {0} \u2192 {1}", _h.InnerSourcePort, _h.InnerDestinationPort);
                case IpProtocol.Tcp when _h.Has(HeaderFields.InnerPorts):
                    string tcp = string.Format(CultureInfo.InvariantCulture, "TCP {0} \u2192 {1} [{2}]", _h.InnerSourcePort, _h.InnerDestinationPort, FormatTcpFlags(_h.TcpFlags, ", "));
                    return _h.InnerPayloadLength > 0 ? tcp + " Len=" + _h.InnerPayloadLength.ToString(CultureInfo.InvariantCulture) : tcp;
                case IpProtocol.Udp when _h.Has(HeaderFields.InnerPorts):
                    return string.Format(CultureInfo.InvariantCulture, "UDP {0} \u2192 {1} Len={2}", _h.InnerSourcePort, _h.InnerDestinationPort, _h.InnerPayloadLength);
                case IpProtocol.Icmp when _h.Has(HeaderFields.Icmp):
                    return "ICMP " + DescribeIcmp(_h.IcmpType, _h.IcmpCode);
                case IpProtocol.Icmpv6 when _h.Has(HeaderFields.Icmp):
                    return "ICMPv6 " + DescribeIcmpv6(_h.IcmpType, _h.IcmpCode);
                default:
                    return IpProtocol.Name(_h.InnerProtocol);
            }
        }

        private static string DescribeIcmp(byte type, byte code)
        {
            switch (type)
            {
                case 0: return "echo reply";
                case 8: return "echo request";
                case 3: return code == 4 ? "destination unreachable (fragmentation needed)" : "destination unreachable (code " + code.ToString(CultureInfo.InvariantCulture) + ")";
                case 11: return "time exceeded";
                default: return "type " + type.ToString(CultureInfo.InvariantCulture) + " code " + code.ToString(CultureInfo.InvariantCulture);
            }
        }

        private static string DescribeIcmpv6(byte type, byte code)
        {
            switch (type)
            {
                case 128: return "echo request";
                case 129: return "echo reply";
                case 135: return "neighbor solicitation";
                case 136: return "neighbor advertisement";
                case 133: return "router solicitation";
                case 134: return "router advertisement";
                case 1: return "destination unreachable (code " + code.ToString(CultureInfo.InvariantCulture) + ")";
                case 2: return "packet too big";
                default: return "type " + type.ToString(CultureInfo.InvariantCulture) + " code " + code.ToString(CultureInfo.InvariantCulture);
            }
        }
    }
}
