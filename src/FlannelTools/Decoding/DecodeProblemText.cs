namespace FlannelTools.Decoding
{
    /// <summary>The words for what the decoder could not read: in Info, and in the warning that names the frame.</summary>
    internal static class DecodeProblemText
    {
        /// <summary>The problem as Info shows it in brackets; null for none.</summary>
        public static string Describe(DecodeProblem problem)
        {
            switch (problem)
            {
                case DecodeProblem.None: return null;
                case DecodeProblem.VxlanHeaderCut: return "VXLAN header cut short";
                case DecodeProblem.VxlanFlagsInvalid: return "VXLAN flags lack the valid-VNI bit";
                case DecodeProblem.InnerEthernetCut: return "inner Ethernet header cut short";
                case DecodeProblem.InnerNetworkHeaderCut: return "inner network header cut short";
                case DecodeProblem.InnerNetworkHeaderMalformed: return "inner network header malformed";
                case DecodeProblem.InnerTransportHeaderCut: return "inner transport header cut short";
                case DecodeProblem.InnerTransportHeaderMalformed: return "inner TCP header malformed (data offset below 5)";
                default: return problem.ToString();
            }
        }

        /// <summary>The warning for a VXLAN frame whose headers stop early, naming the frame and how much of it was captured.</summary>
        public static string Warning(long frameNumber, DecodeProblem problem, int capturedLength, int wireLength) =>
            string.Format(CultureInfo.InvariantCulture, "Frame {0}: {1} ({2} of {3} bytes captured); {4}",
                frameNumber, Describe(problem), capturedLength, wireLength,
                problem == DecodeProblem.VxlanFlagsInvalid ? "decoded as VXLAN anyway, as Wireshark does." : "the fields after it are empty.");

        /// <summary>The warning for a record that holds more bytes than were on the wire: its header is damaged.</summary>
        public static string CapturedLongerThanOriginalWarning(long frameNumber, int capturedLength, int wireLength) =>
            string.Format(CultureInfo.InvariantCulture,
                "Frame {0}: its captured length {1} is more than its original length {2}; the record is damaged.",
                frameNumber, capturedLength, wireLength);

        /// <summary>The warning, given once per link type, for records of a link type the decoder does not read.</summary>
        public static string UnsupportedLinkTypeWarning(long frameNumber, int linkType, int interfaceId) =>
            string.Format(CultureInfo.InvariantCulture,
                "Frame {0}: link type {1} (interface {2}) is not one FlannelTools decodes; its frames are skipped.",
                frameNumber, LinkType.Name(linkType), interfaceId);
    }
}
