using System.Management.Automation;

namespace FlannelTools.Commands
{
    /// <summary>
    /// A cmdlet that reads capture files (-Path is its first position and takes paths from the pipeline) and picks
    /// frames by -Port, -Vni, -HostAddress, -Between, -InnerAddress and -Filter: they are made into a PortSet and a FrameFilter
    /// before the first record.
    /// </summary>
    public abstract class CaptureFilterCommand : FileCommand
    {
        /// <summary>Capture files to read; wildcards are expanded.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public sealed override string[] Path { get; set; }

        /// <summary>UDP destination ports that carry VXLAN. Default: 8472 and 4789.</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public virtual int[] Port { get; set; }

        /// <summary>Keeps only frames with one of these VXLAN Network Identifiers.</summary>
        [Parameter]
        [ValidateRange(0, 16777215)]
        public int[] Vni { get; set; }

        /// <summary>Keeps only frames whose outer source or destination address is one of these (node addresses).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] HostAddress { get; set; }

        /// <summary>Keeps only frames between these two node addresses: the outer source is one and the outer destination the other, either way round (Wireshark's ip.host==A &amp;&amp; ip.host==B). Exactly two different addresses.</summary>
        [Parameter]
        [ValidateAddressPair]
        public string[] Between { get; set; }

        /// <summary>Keeps only frames whose inner source or destination address is one of these (pod addresses).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] InnerAddress { get; set; }

        /// <summary>A libpcap (BPF) filter expression applied to the outer frame, such as 'udp port 8472' or 'vlan and host 192.168.0.13'. From files, every record is still counted, so frame numbers stay those of the whole capture; live, it is the kernel's filter.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public virtual string Filter { get; set; }

        /// <summary>-Port, or the default VXLAN ports.</summary>
        private protected PortSet Ports { get; private set; }

        /// <summary>-Vni, -HostAddress, -Between and -InnerAddress.</summary>
        private protected FrameFilter FrameFilter { get; private set; }

        /// <summary>An address that does not parse stops the cmdlet with InvalidAddress: nothing it would output is right.</summary>
        protected override void BeginProcessing()
        {
            Ports = new PortSet(Port ?? PortSet.DefaultVxlanPorts);
            FrameFilter = new FrameFilter(Vni, ParseAddresses(HostAddress, nameof(HostAddress)), ParseAddresses(InnerAddress, nameof(InnerAddress)),
                ValidateAddressPairAttribute.Parse(Between));
        }

        private List<IpAddressValue> ParseAddresses(string[] texts, string parameterName)
        {
            var addresses = new List<IpAddressValue>();
            foreach (string text in texts ?? Array.Empty<string>())
            {
                if (!IpAddressValue.TryParse(text, out IpAddressValue address))
                {
                    ThrowTerminatingError(CommandErrors.InvalidAddress.Record(text, "-" + parameterName + ": '" + text + "' is not an IPv4 or IPv6 address."));
                }
                addresses.Add(address);
            }
            return addresses;
        }
    }
}
