namespace FlannelTools.Overlay
{
    /// <summary>
    /// The headers of one captured VXLAN frame that a path predicts, whatever form the frame came in: a VxlanFrame,
    /// a deserialized one, or a row of Import-Csv.
    /// </summary>
    internal sealed class CapturedHeaders
    {
        public long FrameNumber { get; set; }

        public string InnerSourceAddress { get; set; }

        public string InnerDestinationAddress { get; set; }

        public string InnerSourceMac { get; set; }

        public string InnerDestinationMac { get; set; }

        public string OuterSourceAddress { get; set; }

        public string OuterDestinationAddress { get; set; }

        public string OuterSourceMac { get; set; }

        public string OuterDestinationMac { get; set; }

        public int? Vni { get; set; }

        public int? OuterDestinationPort { get; set; }

        public static CapturedHeaders From(VxlanFrame frame) => new CapturedHeaders
        {
            FrameNumber = frame.FrameNumber,
            InnerSourceAddress = frame.InnerSourceAddress,
            InnerDestinationAddress = frame.InnerDestinationAddress,
            InnerSourceMac = frame.InnerSourceMac,
            InnerDestinationMac = frame.InnerDestinationMac,
            OuterSourceAddress = frame.OuterSourceAddress,
            OuterDestinationAddress = frame.OuterDestinationAddress,
            OuterSourceMac = frame.OuterSourceMac,
            OuterDestinationMac = frame.OuterDestinationMac,
            Vni = frame.Vni,
            OuterDestinationPort = frame.OuterDestinationPort,
        };
    }
}
