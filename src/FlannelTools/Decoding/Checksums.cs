namespace FlannelTools.Decoding
{
    /// <summary>What one checksum field holds, as Wireshark's checksum status says it (good, bad, not verified), and "none".</summary>
    internal enum ChecksumVerdict : byte
    {
        /// <summary>Not verified: the field is not there, or the frame was cut before the end of what it covers, or it is in a fragment.</summary>
        NotVerified = 0,
        Good,
        Bad,
        /// <summary>A UDP checksum of zero: no checksum (IPv4; over IPv6, RFC 6935 allows it for tunnels such as VXLAN).</summary>
        None,
    }

    /// <summary>What a VXLAN frame's checksums say, all together.</summary>
    internal enum ChecksumClass : byte
    {
        /// <summary>Cut before a checksummed byte, fragmented, longer than the MTU (a GRO super-frame), or without an outer checksum to judge.</summary>
        NotJudged = 0,
        Valid,
        /// <summary>
        /// The transmit offload's artefact: the inner TCP/UDP checksum holds only the pseudo-header sum, and the outer UDP
        /// checksum, computed over that, validates once the inner one is filled in. Normal where the kernel leaves
        /// checksums to the device; never an error.
        /// </summary>
        Offload,
        /// <summary>The VXLAN checksum bug's signature: the outer UDP checksum is wrong although the inner one is complete, or is still wrong once the inner one is filled in.</summary>
        OuterWrong,
        /// <summary>An IPv4 header checksum wrong, or an inner TCP/UDP checksum wrong that is not the offload's pseudo-header sum.</summary>
        OtherWrong,
    }

    /// <summary>The verdicts on one frame's checksums: the outer IP packet's (for a frame that is not VXLAN, its only IP packet) and, in a VXLAN frame, the inner packet's.</summary>
    internal struct FrameChecksums
    {
        public bool IsVxlan;
        /// <summary>IPv4 header checksum; NotVerified for IPv6, which has none.</summary>
        public ChecksumVerdict OuterIp;
        /// <summary>The outer UDP checksum of a VXLAN frame; the TCP or UDP checksum of a frame that is not VXLAN.</summary>
        public ChecksumVerdict OuterTransport;
        public byte OuterProtocol;
        public ChecksumVerdict InnerIp;
        public ChecksumVerdict InnerTransport;
        public byte InnerProtocol;
        /// <summary>The inner TCP/UDP checksum holds the pseudo-header sum only (CHECKSUM_PARTIAL, left to the device).</summary>
        public bool InnerPartial;
        /// <summary>With <see cref="InnerPartial"/>: the outer UDP checksum's verdict once the inner checksum is filled in.</summary>
        public ChecksumVerdict OuterWithInnerCompleted;
        /// <summary>The outer IP packet's length as its header gives it (0: not read).</summary>
        public int OuterIpLength;
    }

    /// <summary>
    /// Verifies the checksums of a captured frame: the outer IPv4 header, the outer UDP (or TCP) checksum, and in a
    /// VXLAN frame the inner IPv4 header and inner TCP/UDP checksums, each over the bytes it covers when the capture
    /// holds them all. Reads the frame's bytes in place and allocates nothing.
    /// </summary>
    internal static class Checksums
    {
        /// <summary>Longest outer IP packet judged: a longer one is a GRO super-frame (or beyond a 1500-byte underlay), whose checksums are partial by design.</summary>
        public const int LongestJudged = 1500;

        public static FrameChecksums Verify(ReadOnlySpan<byte> frame, int linkType, PortSet vxlanPorts)
        {
            var result = default(FrameChecksums);
            var scratch = default(VxlanHeaders);
            if (!LinkType.IsSupported(linkType) || !LinkLayer.TryRead(frame, linkType, ref scratch, out ushort etherType, out int offset))
            {
                return result;
            }
            if (!TryReadIp(frame, offset, etherType, out IpHeader outer, out result.OuterIp, out result.OuterIpLength))
            {
                return result;
            }
            result.OuterProtocol = outer.Protocol;
            if (outer.IsFragment || (outer.Protocol != IpProtocol.Tcp && outer.Protocol != IpProtocol.Udp) || result.OuterIpLength == 0)
            {
                return result;
            }
            int transport = outer.PayloadOffset;
            result.OuterTransport = Transport(frame, offset, outer, transport, out _, out _);
            if (outer.Protocol != IpProtocol.Udp || !TransportPorts.TryRead(frame, transport, out _, out ushort port) || !vxlanPorts.Contains(port))
            {
                return result;
            }
            result.IsVxlan = true;
            int innerEthernet = transport + UdpHeader.Length + VxlanHeader.Length;
            if (!EthernetHeader.TryRead(frame, innerEthernet, out EthernetHeader ethernet) ||
                !TryReadIp(frame, ethernet.PayloadOffset, ethernet.EtherType, out IpHeader inner, out result.InnerIp, out int innerLength) ||
                inner.IsFragment || innerLength == 0 || (inner.Protocol != IpProtocol.Tcp && inner.Protocol != IpProtocol.Udp))
            {
                return result;
            }
            result.InnerProtocol = inner.Protocol;
            result.InnerTransport = Transport(frame, ethernet.PayloadOffset, inner, inner.PayloadOffset, out bool partial, out ushort completed);
            result.InnerPartial = partial;
            if (partial && result.OuterTransport == ChecksumVerdict.Bad)
            {
                int field = inner.PayloadOffset + FieldOffset(inner.Protocol);
                ushort old = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(field));
                bool odd = ((field - transport) & 1) != 0;
                ulong sum = PseudoHeaderSum(frame, offset, outer, IpProtocol.Udp, outer.PayloadLength) + Sum(frame.Slice(transport, outer.PayloadLength), 0);
                sum += (ushort)~(odd ? Swap(old) : old);
                sum += odd ? Swap(completed) : completed;
                result.OuterWithInnerCompleted = Fold(sum) == 0xffff ? ChecksumVerdict.Good : ChecksumVerdict.Bad;
            }
            return result;
        }

        /// <summary>What a VXLAN frame's verdicts say together.</summary>
        public static ChecksumClass Classify(in FrameChecksums c)
        {
            if (!c.IsVxlan)
            {
                return ChecksumClass.NotJudged;
            }
            if (c.OuterIp == ChecksumVerdict.Bad || c.InnerIp == ChecksumVerdict.Bad)
            {
                return ChecksumClass.OtherWrong;
            }
            switch (c.OuterTransport)
            {
                case ChecksumVerdict.Good:
                case ChecksumVerdict.None:
                    if (c.InnerPartial)
                    {
                        return ChecksumClass.Offload;
                    }
                    return c.InnerTransport == ChecksumVerdict.Bad ? ChecksumClass.OtherWrong
                        : c.InnerTransport == ChecksumVerdict.NotVerified && c.OuterTransport == ChecksumVerdict.None ? ChecksumClass.NotJudged
                        : ChecksumClass.Valid;
                case ChecksumVerdict.Bad:
                    if (c.OuterIpLength > LongestJudged)
                    {
                        return ChecksumClass.NotJudged;
                    }
                    if (c.InnerPartial)
                    {
                        return c.OuterWithInnerCompleted == ChecksumVerdict.Good ? ChecksumClass.Offload : ChecksumClass.OuterWrong;
                    }
                    return c.InnerTransport == ChecksumVerdict.Good || c.InnerTransport == ChecksumVerdict.None ? ChecksumClass.OuterWrong
                        : c.InnerTransport == ChecksumVerdict.Bad ? ChecksumClass.OtherWrong
                        : ChecksumClass.NotJudged;
                default:
                    return ChecksumClass.NotJudged;
            }
        }

        private static bool TryReadIp(ReadOnlySpan<byte> frame, int offset, ushort etherType, out IpHeader ip, out ChecksumVerdict header, out int length)
        {
            header = ChecksumVerdict.NotVerified;
            length = 0;
            if ((etherType != EtherType.IPv4 && etherType != EtherType.IPv6) || IpHeader.Read(frame, offset, etherType, out ip) != IpReadResult.Ok)
            {
                ip = default;
                return false;
            }
            if (etherType == EtherType.IPv4)
            {
                int headerLength = (frame[offset] & 0x0f) * 4;
                header = Fold(Sum(frame.Slice(offset, headerLength), 0)) == 0xffff ? ChecksumVerdict.Good : ChecksumVerdict.Bad;
                // A total length of 0 is TCP segmentation offload's: the packet's real length is not on the wire.
                length = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset + 2));
            }
            else
            {
                length = 40 + BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset + 4));
                if (length == 40)
                {
                    length = 0;
                }
            }
            return true;
        }

        /// <summary>
        /// The TCP or UDP checksum at <paramref name="transport"/>; <paramref name="partial"/> when it holds the
        /// pseudo-header sum only, and <paramref name="completed"/> the value it should hold.
        /// </summary>
        private static ChecksumVerdict Transport(ReadOnlySpan<byte> frame, int ipOffset, in IpHeader ip, int transport, out bool partial, out ushort completed)
        {
            partial = false;
            completed = 0;
            int length = ip.PayloadLength;
            int field = transport + FieldOffset(ip.Protocol);
            if (length < FieldOffset(ip.Protocol) + 2 || frame.Length < transport + length)
            {
                return ChecksumVerdict.NotVerified;
            }
            ushort value = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(field));
            if (ip.Protocol == IpProtocol.Udp && value == 0)
            {
                return ChecksumVerdict.None;
            }
            ulong pseudo = PseudoHeaderSum(frame, ipOffset, ip, ip.Protocol, length);
            ulong sum = pseudo + Sum(frame.Slice(transport, length), 0);
            if (Fold(sum) == 0xffff)
            {
                return ChecksumVerdict.Good;
            }
            ushort pseudoFolded = Fold(pseudo);
            partial = value == pseudoFolded || (value == 0 && pseudoFolded == 0xffff) || (value == 0xffff && pseudoFolded == 0);
            completed = (ushort)~Fold(sum + (ushort)~value);
            if (ip.Protocol == IpProtocol.Udp && completed == 0)
            {
                completed = 0xffff;
            }
            return ChecksumVerdict.Bad;
        }

        private static int FieldOffset(byte protocol) => protocol == IpProtocol.Tcp ? 16 : 6;

        private static ulong PseudoHeaderSum(ReadOnlySpan<byte> frame, int ipOffset, in IpHeader ip, byte protocol, int length)
        {
            bool v4 = frame[ipOffset] >> 4 == 4;
            ulong sum = v4 ? Sum(frame.Slice(ipOffset + 12, 8), 0) : Sum(frame.Slice(ipOffset + 8, 32), 0);
            return sum + protocol + (ulong)(length >> 16) + (ulong)(length & 0xffff);
        }

        private static ulong Sum(ReadOnlySpan<byte> data, ulong sum)
        {
            int i = 0;
            for (; i + 1 < data.Length; i += 2)
            {
                sum += (ulong)((data[i] << 8) | data[i + 1]);
            }
            if (i < data.Length)
            {
                sum += (ulong)(data[i] << 8);
            }
            return sum;
        }

        private static ushort Fold(ulong sum)
        {
            while ((sum >> 16) != 0)
            {
                sum = (sum & 0xffff) + (sum >> 16);
            }
            return (ushort)sum;
        }

        private static ushort Swap(ushort value) => (ushort)((value >> 8) | (value << 8));
    }
}
