namespace FlannelTools.Decoding
{
    /// <summary>
    /// The cmdlet's -Vni, -HostAddress and -InnerAddress, tested against decoded header values
    /// before any object is made. An empty list matches everything.
    /// </summary>
    internal sealed class FrameFilter
    {
        private readonly uint[] _vnis;
        private readonly IpAddressValue[] _hostAddresses;
        private readonly IpAddressValue[] _innerAddresses;

        public FrameFilter(IEnumerable<int> vnis = null, IEnumerable<IpAddressValue> hostAddresses = null, IEnumerable<IpAddressValue> innerAddresses = null)
        {
            _vnis = (vnis ?? Enumerable.Empty<int>()).Select(v => (uint)v).ToArray();
            _hostAddresses = (hostAddresses ?? Enumerable.Empty<IpAddressValue>()).ToArray();
            _innerAddresses = (innerAddresses ?? Enumerable.Empty<IpAddressValue>()).ToArray();
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
