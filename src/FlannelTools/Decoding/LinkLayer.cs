namespace FlannelTools.Decoding
{
    /// <summary>
    /// Reads the link-layer header of a captured frame (Ethernet with any number of VLAN tags, Linux
    /// cooked v1/v2, BSD loopback, raw IP) and says which network protocol follows and where.
    /// </summary>
    internal static class LinkLayer
    {
        private const int SllHeaderLength = 16;
        private const int Sll2HeaderLength = 20;

        /// <summary>Returns false when the header is cut short or the link type is not one this reads.</summary>
        public static bool TryRead(ReadOnlySpan<byte> frame, int linkType, ref VxlanHeaders h, out ushort etherType, out int offset)
        {
            etherType = 0;
            offset = 0;
            switch (linkType)
            {
                case LinkType.Ethernet:
                    if (!EthernetHeader.TryRead(frame, 0, out EthernetHeader ethernet))
                    {
                        return false;
                    }
                    h.OuterDestinationMac = ethernet.Destination;
                    h.OuterSourceMac = ethernet.Source;
                    h.Fields |= HeaderFields.OuterDestinationMac | HeaderFields.OuterSourceMac;
                    SetOuterVlan(ethernet.Vlan, ref h);
                    etherType = ethernet.EtherType;
                    offset = ethernet.PayloadOffset;
                    return true;

                case LinkType.LinuxSll:
                    if (frame.Length < SllHeaderLength)
                    {
                        return false;
                    }
                    ReadCookedAddress(BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(4)), frame.Slice(6), ref h);
                    etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(14));
                    offset = SllHeaderLength;
                    return SkipVlanTags(frame, ref h, ref etherType, ref offset);

                case LinkType.LinuxSll2:
                    if (frame.Length < Sll2HeaderLength)
                    {
                        return false;
                    }
                    ReadCookedAddress(frame[11], frame.Slice(12), ref h);
                    etherType = BinaryPrimitives.ReadUInt16BigEndian(frame);
                    offset = Sll2HeaderLength;
                    return SkipVlanTags(frame, ref h, ref etherType, ref offset);

                case LinkType.Null:
                    if (frame.Length < 4)
                    {
                        return false;
                    }
                    // The family is in the capturing host's byte order; 2 is AF_INET everywhere, IPv6 varies by OS.
                    uint family = BinaryPrimitives.ReadUInt32LittleEndian(frame);
                    if (family > 0xffff)
                    {
                        family = BinaryPrimitives.ReadUInt32BigEndian(frame);
                    }
                    offset = 4;
                    etherType = family == 2 ? EtherType.IPv4 : family == 10 || family == 24 || family == 28 || family == 30 ? EtherType.IPv6 : (ushort)0;
                    return true;

                case LinkType.Raw:
                case LinkType.RawDlt12:
                case LinkType.RawDlt14:
                case LinkType.IPv4:
                case LinkType.IPv6:
                    if (frame.Length < 1)
                    {
                        return false;
                    }
                    int version = frame[0] >> 4;
                    etherType = version == 4 ? EtherType.IPv4 : version == 6 ? EtherType.IPv6 : (ushort)0;
                    return true;

                default:
                    return false;
            }
        }

        private static void ReadCookedAddress(int addressLength, ReadOnlySpan<byte> address, ref VxlanHeaders h)
        {
            // A cooked capture records only the sender's link-layer address (the destination MAC is unknown);
            // a 6-byte address is a MAC for Ethernet and loopback devices alike, as Wireshark reads it.
            if (addressLength == 6)
            {
                h.OuterSourceMac = MacAddress.Read(address);
                h.Fields |= HeaderFields.OuterSourceMac;
            }
        }

        private static bool SkipVlanTags(ReadOnlySpan<byte> frame, ref VxlanHeaders h, ref ushort etherType, ref int offset)
        {
            bool whole = VlanTags.TrySkip(frame, ref offset, ref etherType, out int vlan);
            SetOuterVlan(vlan, ref h);
            return whole;
        }

        private static void SetOuterVlan(int vlan, ref VxlanHeaders h)
        {
            if (vlan >= 0)
            {
                h.OuterVlan = (ushort)vlan;
                h.Fields |= HeaderFields.OuterVlan;
            }
        }
    }
}
