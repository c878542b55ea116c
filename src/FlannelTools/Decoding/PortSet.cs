namespace FlannelTools.Decoding
{
    /// <summary>The UDP destination ports that carry VXLAN: flannel's 8472 on Linux, 4789 on Windows and at IANA.</summary>
    internal sealed class PortSet
    {
        public static readonly int[] DefaultVxlanPorts = { 8472, 4789 };

        private readonly bool[] _ports = new bool[65536];

        public PortSet(IEnumerable<int> ports)
        {
            foreach (int port in ports)
            {
                _ports[port] = true;
            }
        }

        public bool Contains(ushort port) => _ports[port];
    }
}
