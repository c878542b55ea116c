namespace FlannelTools.Decoding
{
    /// <summary>
    /// The cmdlet's -Vni, -HostAddress, -Between and -InnerAddress, tested against decoded header values
    /// before any object is made. An empty list (no pair) matches everything.
    /// </summary>
    internal sealed class FrameFilter
    {
        private readonly uint[] _vnis;
        private readonly IpAddressValue[] _hostAddresses;
        private readonly IpAddressValue[] _innerAddresses;
        private readonly IpAddressValue[] _between;

        /// <param name="vnis">Frames with one of these VNIs.</param>
        /// <param name="hostAddresses">Frames whose outer source or destination is one of these.</param>
        /// <param name="innerAddresses">Frames whose inner source or destination is one of these.</param>
        /// <param name="between">Empty, or two addresses: frames whose outer source and destination are these two, either way round.</param>
        public FrameFilter(IEnumerable<int> vnis = null, IEnumerable<IpAddressValue> hostAddresses = null, IEnumerable<IpAddressValue> innerAddresses = null,
            IEnumerable<IpAddressValue> between = null)
        {
            _vnis = (vnis ?? Enumerable.Empty<int>()).Select(v => (uint)v).ToArray();
            _hostAddresses = (hostAddresses ?? Enumerable.Empty<IpAddressValue>()).ToArray();
            _innerAddresses = (innerAddresses ?? Enumerable.Empty<IpAddressValue>()).ToArray();
            _between = (between ?? Enumerable.Empty<IpAddressValue>()).ToArray();
            if (_between.Length != 0 && _between.Length != 2)
            {
                throw new ArgumentException("A node pair is two addresses, not " + _between.Length + ".", nameof(between));
            }
        }

        public static readonly FrameFilter None = new FrameFilter();

        /// <summary>
        /// False only when a header the filter needs is present and does not match: a frame whose
        /// header was cut short is kept (and warned about), never silently dropped.
        /// </summary>
        public bool Matches(in VxlanHeaders h)
        {
            if (_vnis.Length > 0 && h.Has(HeaderFields.Vxlan) && !Contains(_vnis, h.Vni))
            {
                return false;
            }
            if (_hostAddresses.Length > 0 && !Contains(_hostAddresses, h.OuterSourceAddress) && !Contains(_hostAddresses, h.OuterDestinationAddress))
            {
                return false;
            }
            if (_between.Length == 2 && !IsPair(h.OuterSourceAddress, h.OuterDestinationAddress))
            {
                return false;
            }
            if (_innerAddresses.Length > 0)
            {
                if (h.Has(HeaderFields.InnerIp))
                {
                    return Contains(_innerAddresses, h.InnerSourceAddress) || Contains(_innerAddresses, h.InnerDestinationAddress);
                }
                // Cut or malformed before the inner addresses: it may be the pod's, so it is kept (and warned about).
                return IsCutBeforeInnerAddresses(h.Problem);
            }
            return true;
        }

        private bool IsPair(IpAddressValue source, IpAddressValue destination) =>
            (source.Equals(_between[0]) && destination.Equals(_between[1])) || (source.Equals(_between[1]) && destination.Equals(_between[0]));

        private static bool IsCutBeforeInnerAddresses(DecodeProblem problem) =>
            problem == DecodeProblem.VxlanHeaderCut || problem == DecodeProblem.InnerEthernetCut ||
            problem == DecodeProblem.InnerNetworkHeaderCut || problem == DecodeProblem.InnerNetworkHeaderMalformed;

        private static bool Contains(uint[] values, uint value)
        {
            foreach (uint v in values)
            {
                if (v == value)
                {
                    return true;
                }
            }
            return false;
        }

        private static bool Contains(IpAddressValue[] values, IpAddressValue value)
        {
            foreach (IpAddressValue v in values)
            {
                if (v.Equals(value))
                {
                    return true;
                }
            }
            return false;
        }
    }
}
