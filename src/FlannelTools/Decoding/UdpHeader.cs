namespace FlannelTools.Decoding
{
    /// <summary>
    /// The 8-byte UDP header. The outer one is read for its ports (<see cref="TransportPorts"/>); the inner one
    /// also says where its payload is, and whether that payload is VXLAN again (VXLAN in VXLAN).
    /// </summary>
    internal static class UdpHeader
    {
        public const int Length = 8;

        /// <summary>Reads the header at <c>offset</c>; <c>datagramLength</c> is the IP payload length the inner IP header gives.</summary>
        public static void ReadInner(ReadOnlySpan<byte> frame, int offset, int datagramLength, PortSet vxlanPorts, ref VxlanHeaders h)
        {
            if (!TransportPorts.TryRead(frame, offset, out h.InnerSourcePort, out h.InnerDestinationPort))
            {
                h.SetProblem(DecodeProblem.InnerTransportHeaderCut);
                return;
            }
            h.Fields |= HeaderFields.InnerPorts;
            h.InnerPayloadOffset = offset + Length;
            h.InnerPayloadLength = Math.Max(0, datagramLength - Length);
            if (frame.Length < offset + Length)
            {
                h.SetProblem(DecodeProblem.InnerTransportHeaderCut);
                return;
            }
            if (vxlanPorts.Contains(h.InnerDestinationPort) && VxlanHeader.TryRead(frame, offset + Length, out _, out uint vni))
            {
                h.NestedVni = vni;
                h.Fields |= HeaderFields.NestedVxlan;
            }
        }
    }
}
