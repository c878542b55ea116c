namespace FlannelTools
{
    /// <summary>
    /// One ordered pair of nodes and one overlay family, as Test-FlannelCluster -Matrix sees it: whether From's route,
    /// neighbour and FDB entry for To agree with what To announces and with To's own VTEP, and whether From's VTEP MTU
    /// fits To's underlay. Each is Passed, Failed or Unknown (text, as Finding.Severity), and FindingIds names the
    /// findings behind a failure.
    /// </summary>
    public sealed class NodePair
    {
        internal NodePair(string from, string to, string family, string route, string neighbor, string fdb, string pathMtu, string status, TextList findingIds)
        {
            From = from;
            To = to;
            Family = family;
            Route = route;
            Neighbor = neighbor;
            Fdb = fdb;
            PathMtu = pathMtu;
            Status = status;
            FindingIds = findingIds;
        }

        /// <summary>The sending node: whose tables hold the entries.</summary>
        public string From { get; }

        /// <summary>The receiving node: whose announcement and VTEP they must match.</summary>
        public string To { get; }

        /// <summary>IPv4 or IPv6.</summary>
        public string Family { get; }

        /// <summary>From's route to To's pod subnet (flannel's, or DirectRouting's).</summary>
        public string Route { get; }

        /// <summary>From's neighbour entry for To's VTEP address against To's announced VtepMAC and To's own VTEP MAC (Passed when DirectRouting needs none).</summary>
        public string Neighbor { get; }

        /// <summary>From's FDB entry for To's VtepMAC against To's public IP, and To's VTEP being there to receive (Passed when DirectRouting needs none).</summary>
        public string Fdb { get; }

        /// <summary>From's VTEP MTU plus VXLAN's 50 bytes (70 over IPv6) against To's underlay MTU.</summary>
        public string PathMtu { get; }

        /// <summary>Failed when any part failed (or To's packet filter drops From's VXLAN), else Unknown when any part could not be looked at, else Passed.</summary>
        public string Status { get; }

        /// <summary>The Ids of the findings behind a failure or an Unknown: the roll-up first, then the per-node findings folded into it.</summary>
        public TextList FindingIds { get; }

        public override string ToString() => From + " -> " + To + " " + Family + ": " + Status;
    }

    /// <summary>The words of a NodePair's parts.</summary>
    internal static class PairStatus
    {
        public const string Passed = "Passed";
        public const string Failed = "Failed";
        public const string Unknown = "Unknown";
    }
}
