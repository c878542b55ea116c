using System.Runtime.CompilerServices;

namespace FlannelTools.Decoding
{
    /// <summary>
    /// The source and destination ports that open a TCP segment and a UDP datagram alike. Read on
    /// their own so that a snap length cutting the rest of the header still yields them, as Wireshark does.
    /// </summary>
    internal static class TransportPorts
    {
        public const int Length = 4;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static bool TryRead(ReadOnlySpan<byte> frame, int offset, out ushort source, out ushort destination)
        {
            if (frame.Length < offset + Length)
            {
                source = 0;
                destination = 0;
                return false;
            }
            source = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset));
            destination = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset + 2));
            return true;
        }
    }
}
