namespace FlannelTools.Decoding
{
    /// <summary>The inner TCP header: ports, flags, and where the segment's data starts.</summary>
    internal static class TcpHeader
    {
        public const int MinimumLength = 20;

        /// <summary>Reads the header at <c>offset</c>; <c>segmentLength</c> is the IP payload length the inner IP header gives.</summary>
        public static void ReadInner(ReadOnlySpan<byte> frame, int offset, int segmentLength, ref VxlanHeaders h)
        {
            if (!TransportPorts.TryRead(frame, offset, out h.InnerSourcePort, out h.InnerDestinationPort))
            {
                h.SetProblem(DecodeProblem.InnerTransportHeaderCut);
                return;
            }
            h.Fields |= HeaderFields.InnerPorts;
            if (frame.Length < offset + MinimumLength)
            {
                h.SetProblem(DecodeProblem.InnerTransportHeaderCut);
                return;
            }
            h.TcpFlags = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset + 12)) & 0x01ff);
            h.Fields |= HeaderFields.TcpFlags;
            int dataOffset = (frame[offset + 12] >> 4) * 4;
            if (dataOffset < MinimumLength)
            {
                h.SetProblem(DecodeProblem.InnerTransportHeaderMalformed);
                return;
            }
            h.InnerPayloadOffset = offset + dataOffset;
            h.InnerPayloadLength = Math.Max(0, segmentLength - dataOffset);
        }
    }
}
