using System.Runtime.InteropServices;
using SharpPcap.LibPcap;

namespace FlannelTools.Capture
{
    /// <summary>
    /// libpcap's <c>pcap_get_selectable_fd</c> on SharpPcap's public <see cref="PcapDevice.Handle"/>: the descriptor
    /// a live capture can be poll()ed on. SharpPcap has already loaded libpcap by its soname when a device is open;
    /// asking for the same soname here gets that library, not another copy.
    /// </summary>
    internal static class SelectableFileDescriptor
    {
        /// <summary>The descriptor, or -1 where libpcap has none (Windows) or cannot be found under a known name.</summary>
        internal static int Of(PcapHandle handle)
        {
            // The names SharpPcap's own resolver tries on Linux, most specific first.
            Func<PcapHandle, int>[] candidates = { Debian, Soname1, Unversioned };
            foreach (Func<PcapHandle, int> candidate in candidates)
            {
                try
                {
                    return candidate(handle);
                }
                catch (Exception e) when (e is DllNotFoundException || e is EntryPointNotFoundException)
                {
                }
            }
            return -1;
        }

        private static int Debian(PcapHandle handle) => GetSelectableFdDebian(handle);

        private static int Soname1(PcapHandle handle) => GetSelectableFdSoname1(handle);

        private static int Unversioned(PcapHandle handle) => GetSelectableFd(handle);

        [DllImport("libpcap.so.0.8", EntryPoint = "pcap_get_selectable_fd")]
        private static extern int GetSelectableFdDebian(PcapHandle p);

        [DllImport("libpcap.so.1", EntryPoint = "pcap_get_selectable_fd")]
        private static extern int GetSelectableFdSoname1(PcapHandle p);

        [DllImport("libpcap", EntryPoint = "pcap_get_selectable_fd")]
        private static extern int GetSelectableFd(PcapHandle p);
    }
}
