namespace FlannelTools.Decoding
{
    internal enum IpReadResult : byte
    {
        Ok,
        Cut,
        Malformed,
    }

    /// <summary>The parts of an IPv4 or IPv6 header (with IPv6 extension headers walked) the decoder needs.</summary>
    internal struct IpHeader
    {
        public IpAddressValue Source;
        public IpAddressValue Destination;
        /// <summary>The upper-layer protocol after any extension headers.</summary>
        public byte Protocol;
        public int PayloadOffset;
        /// <summary>
        /// Payload bytes as the header gives them (Ethernet padding excluded), as Wireshark counts lengths:
        /// a snap length may have cut the frame before the payload's end.
        /// </summary>
        public int PayloadLength;
        public bool IsFragment;
        public bool IsLaterFragment;
        public uint FragmentId;
        /// <summary>Where a fragment's payload belongs in its datagram, in bytes.</summary>
        public int FragmentOffset;

        public static IpReadResult Read(ReadOnlySpan<byte> frame, int offset, ushort etherType, out IpHeader ip)
        {
            ip = default;
            if (etherType == EtherType.IPv4)
            {
                return ReadIPv4(frame, offset, ref ip);
            }
            if (etherType == EtherType.IPv6)
            {
                return ReadIPv6(frame, offset, ref ip);
            }
            return IpReadResult.Malformed;
        }

        private static IpReadResult ReadIPv4(ReadOnlySpan<byte> frame, int offset, ref IpHeader ip)
        {
            if (frame.Length < offset + 20)
            {
                return IpReadResult.Cut;
            }
            ReadOnlySpan<byte> header = frame.Slice(offset);
            int headerLength = (header[0] & 0x0f) * 4;
            if (header[0] >> 4 != 4 || headerLength < 20)
            {
                return IpReadResult.Malformed;
            }
            int totalLength = BinaryPrimitives.ReadUInt16BigEndian(header.Slice(2));
            if (totalLength < headerLength)
            {
                // TCP segmentation offload captures a 0 total length on the sending host; take what was captured.
                totalLength = totalLength == 0 ? header.Length : -1;
                if (totalLength < 0)
                {
                    return IpReadResult.Malformed;
                }
            }
            if (header.Length < headerLength)
            {
                return IpReadResult.Cut;
            }
            ushort fragment = BinaryPrimitives.ReadUInt16BigEndian(header.Slice(6));
            int fragmentOffset = fragment & 0x1fff;
            bool moreFragments = (fragment & 0x2000) != 0;
            ip.IsFragment = moreFragments || fragmentOffset != 0;
            ip.IsLaterFragment = fragmentOffset != 0;
            ip.FragmentOffset = fragmentOffset * 8;
            ip.FragmentId = BinaryPrimitives.ReadUInt16BigEndian(header.Slice(4));
            ip.Protocol = header[9];
            ip.Source = IpAddressValue.FromIPv4(header.Slice(12));
            ip.Destination = IpAddressValue.FromIPv4(header.Slice(16));
            ip.PayloadOffset = offset + headerLength;
            ip.PayloadLength = totalLength - headerLength;
            return IpReadResult.Ok;
        }

        private static IpReadResult ReadIPv6(ReadOnlySpan<byte> frame, int offset, ref IpHeader ip)
        {
            if (frame.Length < offset + 40)
            {
                return IpReadResult.Cut;
            }
            ReadOnlySpan<byte> header = frame.Slice(offset);
            if (header[0] >> 4 != 6)
            {
                return IpReadResult.Malformed;
            }
            int payloadLength = BinaryPrimitives.ReadUInt16BigEndian(header.Slice(4));
            if (payloadLength == 0)
            {
                payloadLength = header.Length - 40;
            }
            int declaredEnd = offset + 40 + payloadLength;
            int end = Math.Min(declaredEnd, frame.Length);
            ip.Source = IpAddressValue.FromIPv6(header.Slice(8));
            ip.Destination = IpAddressValue.FromIPv6(header.Slice(24));
            byte next = header[6];
            int position = offset + 40;
            while (true)
            {
                switch (next)
                {
                    case IpProtocol.HopByHop:
                    case IpProtocol.Routing:
                    case IpProtocol.DestinationOptions:
                        if (frame.Length < position + 2)
                        {
                            return IpReadResult.Cut;
                        }
                        next = frame[position];
                        position += (frame[position + 1] + 1) * 8;
                        continue;
                    case 51: // Authentication Header
                        if (frame.Length < position + 2)
                        {
                            return IpReadResult.Cut;
                        }
                        next = frame[position];
                        position += (frame[position + 1] + 2) * 4;
                        continue;
                    case IpProtocol.Fragment:
                        if (frame.Length < position + 8)
                        {
                            return IpReadResult.Cut;
                        }
                        ushort fragment = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(position + 2));
                        ip.IsFragment = true;
                        ip.IsLaterFragment = (fragment >> 3) != 0;
                        ip.FragmentOffset = (fragment >> 3) * 8;
                        ip.FragmentId = BinaryPrimitives.ReadUInt32BigEndian(frame.Slice(position + 4));
                        next = frame[position];
                        position += 8;
                        if (ip.IsLaterFragment)
                        {
                            ip.Protocol = next;
                            ip.PayloadOffset = position;
                            ip.PayloadLength = Math.Max(0, declaredEnd - position);
                            return IpReadResult.Ok;
                        }
                        continue;
                }
                break;
            }
            if (position > end)
            {
                return frame.Length < position ? IpReadResult.Cut : IpReadResult.Malformed;
            }
            ip.Protocol = next;
            ip.PayloadOffset = position;
            ip.PayloadLength = declaredEnd - position;
            return IpReadResult.Ok;
        }
    }
}
