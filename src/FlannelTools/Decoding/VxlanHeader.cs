using System.Runtime.CompilerServices;

namespace FlannelTools.Decoding
{
    /// <summary>
    /// The 8-byte VXLAN header (RFC 7348): flags, 24-bit VNI. What follows it is an Ethernet frame,
    /// read by <see cref="EthernetHeader"/> as the outer one is (gopacket's layers/vxlan.go hands it back the same way).
    /// </summary>
    internal static class VxlanHeader
    {
        public const int Length = 8;
        public const byte FlagVniValid = 0x08;

        /// <summary>Returns false when the header is cut short.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool TryRead(ReadOnlySpan<byte> frame, int offset, out byte flags, out uint vni)
        {
            if (frame.Length < offset + Length)
            {
                flags = 0;
                vni = 0;
                return false;
            }
            flags = frame[offset];
            vni = BinaryPrimitives.ReadUInt32BigEndian(frame.Slice(offset + 4)) >> 8;
            return true;
        }
    }
}
