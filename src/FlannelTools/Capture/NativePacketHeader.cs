using System.Runtime.InteropServices;

namespace FlannelTools.Capture
{
    /// <summary>
    /// libpcap's <c>struct pcap_pkthdr</c> as the platform lays it out (the same three layouts SharpPcap's
    /// PcapHeader knows), read and written in place so that a record costs no allocation.
    /// </summary>
    internal static unsafe class NativePacketHeader
    {
        private static readonly bool Is32BitTimeval =
            IntPtr.Size == 4 || RuntimeInformation.IsOSPlatform(OSPlatform.Windows);
        private static readonly bool IsMacOS = RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        /// <summary>Bytes of the timeval (the caplen field follows it).</summary>
        internal static readonly int TimevalSize = Is32BitTimeval ? 8 : 16;

        /// <summary>Size of the whole header: timeval, caplen, len.</summary>
        internal static readonly int Size = TimevalSize + 8;

        internal static void Read(IntPtr header, out long seconds, out long fraction, out int capturedLength, out int wireLength)
        {
            byte* p = (byte*)header;
            if (Is32BitTimeval)
            {
                seconds = *(int*)p;
                fraction = *(int*)(p + 4);
            }
            else if (IsMacOS)
            {
                seconds = *(long*)p;
                fraction = *(int*)(p + 8);
            }
            else
            {
                seconds = *(long*)p;
                fraction = *(long*)(p + 8);
            }
            capturedLength = *(int*)(p + TimevalSize);
            wireLength = *(int*)(p + TimevalSize + 4);
        }

        /// <summary>Writes caplen and len (all <c>pcap_offline_filter</c> reads) into a header buffer.</summary>
        internal static void WriteLengths(byte* header, int capturedLength, int wireLength)
        {
            *(int*)(header + TimevalSize) = capturedLength;
            *(int*)(header + TimevalSize + 4) = wireLength;
        }
    }
}
