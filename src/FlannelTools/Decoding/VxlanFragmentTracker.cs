namespace FlannelTools.Decoding
{
    /// <summary>
    /// Remembers the first fragments of outer IP datagrams that carried VXLAN, so the warning for a later
    /// fragment can say whether its VXLAN headers were decoded at the first one or are lost.
    /// </summary>
    internal sealed class VxlanFragmentTracker
    {
        // Bounded, so memory does not grow with the file; a later fragment's first one is rarely far behind.
        private const int MaxTrackedFragments = 65536;

        private readonly HashSet<(IpAddressValue, IpAddressValue, uint)> _firstFragments = new HashSet<(IpAddressValue, IpAddressValue, uint)>();

        /// <summary>Notes a decoded VXLAN frame; only a first fragment is kept.</summary>
        public void Add(in VxlanHeaders h)
        {
            if (!h.OuterIsFirstFragment)
            {
                return;
            }
            if (_firstFragments.Count >= MaxTrackedFragments)
            {
                _firstFragments.Clear();
            }
            _firstFragments.Add((h.OuterSourceAddress, h.OuterDestinationAddress, h.OuterFragmentId));
        }

        /// <summary>The warning for a later fragment (<see cref="DecodeStatus.LaterFragment"/>), naming the frame.</summary>
        public string DescribeLaterFragment(long frameNumber, in VxlanHeaders h)
        {
            bool known = _firstFragments.Contains((h.OuterSourceAddress, h.OuterDestinationAddress, h.OuterFragmentId));
            return string.Format(CultureInfo.InvariantCulture,
                known
                    ? "Frame {0}: later IP fragment (id 0x{3:x}) of a VXLAN frame from {1} to {2}; its headers are decoded at the first fragment."
                    : "Frame {0}: later IP fragment (id 0x{3:x}) of a UDP datagram from {1} to {2} whose first fragment is not in the capture; if it carried VXLAN, its headers are lost.",
                frameNumber, h.OuterSourceAddress, h.OuterDestinationAddress, h.OuterFragmentId);
        }
    }
}
