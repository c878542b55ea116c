namespace FlannelTools.Decoding
{
    /// <summary>The type and code that open an inner ICMP or ICMPv6 message.</summary>
    internal static class IcmpHeader
    {
        public static void ReadInner(ReadOnlySpan<byte> frame, int offset, ref VxlanHeaders h)
        {
            if (frame.Length < offset + 2)
            {
                h.SetProblem(DecodeProblem.InnerTransportHeaderCut);
                return;
            }
            h.IcmpType = frame[offset];
            h.IcmpCode = frame[offset + 1];
            h.Fields |= HeaderFields.Icmp;
        }
    }
}
