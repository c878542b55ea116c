namespace FlannelTools.Decoding
{
    /// <summary>An inner ARP packet: Ethernet/IPv4 ARP only (hardware type 1, protocol 0x0800, lengths 6 and 4).</summary>
    internal static class ArpPacket
    {
        public const int Length = 28;

        public static void ReadInner(ReadOnlySpan<byte> frame, int offset, ref VxlanHeaders h)
        {
            if (frame.Length < offset + Length)
            {
                h.SetProblem(DecodeProblem.InnerNetworkHeaderCut);
                return;
            }
            ReadOnlySpan<byte> arp = frame.Slice(offset);
            if (BinaryPrimitives.ReadUInt16BigEndian(arp) != 1 || BinaryPrimitives.ReadUInt16BigEndian(arp.Slice(2)) != EtherType.IPv4 || arp[4] != 6 || arp[5] != 4)
            {
                return;
            }
            h.ArpOperation = BinaryPrimitives.ReadUInt16BigEndian(arp.Slice(6));
            h.ArpSenderAddress = IpAddressValue.FromIPv4(arp.Slice(14));
            h.ArpTargetAddress = IpAddressValue.FromIPv4(arp.Slice(24));
            h.Fields |= HeaderFields.Arp;
        }
    }
}
