using System.Runtime.CompilerServices;

namespace FlannelTools.Decoding
{
    /// <summary>
    /// The 802.1Q and 802.1ad (QinQ) tags between a link-layer header and its payload: steps over
    /// each 4-byte tag (TCI, then the EtherType of what follows) and keeps the outermost VLAN id.
    /// </summary>
    internal static class VlanTags
    {
        public const int TagLength = 4;

        /// <summary>
        /// Steps over the tags at <paramref name="offset"/> while <paramref name="etherType"/> names one.
        /// <paramref name="outermostVlan"/> is the first tag's VLAN id, -1 when untagged.
        /// Returns false when a tag is cut short.
        /// </summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool TrySkip(ReadOnlySpan<byte> frame, ref int offset, ref ushort etherType, out int outermostVlan)
        {
            outermostVlan = -1;
            while (EtherType.IsVlanTag(etherType))
            {
                if (frame.Length < offset + TagLength)
                {
                    return false;
                }
                ushort tci = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset));
                if (outermostVlan < 0)
                {
                    outermostVlan = tci & 0x0fff;
                }
                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset + 2));
                offset += TagLength;
            }
            return true;
        }
    }
}
