using System.Runtime.CompilerServices;

namespace FlannelTools.Decoding
{
    /// <summary>
    /// An Ethernet II header with its VLAN tags. The one reader for the outer frame of an Ethernet
    /// capture and for the inner frame a VXLAN header carries.
    /// </summary>
    internal struct EthernetHeader
    {
        public const int Length = 14;

        public ulong Destination;
        public ulong Source;
        /// <summary>The EtherType after any VLAN tags.</summary>
        public ushort EtherType;
        /// <summary>The outermost tag's VLAN id; -1 when untagged.</summary>
        public int Vlan;
        public int PayloadOffset;

        /// <summary>Returns false when the header or one of its tags is cut short.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool TryRead(ReadOnlySpan<byte> frame, int offset, out EthernetHeader ethernet)
        {
            ethernet = default;
            if (frame.Length < offset + Length)
            {
                return false;
            }
            ReadOnlySpan<byte> header = frame.Slice(offset);
            ethernet.Destination = MacAddress.Read(header);
            ethernet.Source = MacAddress.Read(header.Slice(6));
            ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(header.Slice(12));
            int payload = offset + Length;
            bool whole = VlanTags.TrySkip(frame, ref payload, ref etherType, out ethernet.Vlan);
            ethernet.EtherType = etherType;
            ethernet.PayloadOffset = payload;
            return whole;
        }
    }
}
