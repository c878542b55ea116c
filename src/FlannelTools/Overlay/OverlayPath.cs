namespace FlannelTools
{
    /// <summary>
    /// Where the sending node's tables send a packet: the values of <see cref="OverlayPath.Kind"/>, as text (text
    /// survives remoting and Export-Csv as a word, an enum does not).
    /// </summary>
    internal static class OverlayPathKind
    {
        /// <summary>Into the VTEP: encapsulated in VXLAN to the node that owns the destination.</summary>
        public const string Overlay = "Overlay";

        /// <summary>To a pod on the same node, across its bridge (cni0): nothing is encapsulated.</summary>
        public const string LocalBridge = "LocalBridge";

        /// <summary>flannel's DirectRouting: a route straight to the remote node over the underlay, not encapsulated.</summary>
        public const string Direct = "Direct";

        /// <summary>Anywhere else that does not enter the VTEP (a default route, no route at all).</summary>
        public const string Underlay = "Underlay";
    }

    /// <summary>The values of <see cref="OverlayPath.Status"/>, as text.</summary>
    internal static class OverlayPathStatus
    {
        /// <summary>Every lookup found its entry (some perhaps with a warning or an assumption).</summary>
        public const string Resolved = "Resolved";

        /// <summary>A lookup failed: <see cref="OverlayPath.FailedStep"/> names the missing or wrong entry.</summary>
        public const string Incomplete = "Incomplete";
    }

    /// <summary>
    /// The headers a node gives a packet from one pod address to another, derived from its routes, neighbours, FDB and
    /// VTEP as the walkthrough (docs/walkthrough.md) derives them, with every lookup as a step. The fields a VXLAN frame also has carry
    /// VxlanFrame's property names, so a path and captured frames line up in Compare-Object and Where-Object.
    /// A field the lookups could not determine is null.
    /// </summary>
    public sealed class OverlayPath
    {
        public string InnerSourceAddress { get; internal set; }

        public string InnerDestinationAddress { get; internal set; }

        /// <summary>The local VTEP's MAC.</summary>
        public string InnerSourceMac { get; internal set; }

        /// <summary>From the neighbour entry of the route's next hop on the VTEP.</summary>
        public string InnerDestinationMac { get; internal set; }

        /// <summary>The VTEP's local address.</summary>
        public string OuterSourceAddress { get; internal set; }

        /// <summary>From the FDB entry of the inner destination MAC.</summary>
        public string OuterDestinationAddress { get; internal set; }

        /// <summary>The underlay device's MAC.</summary>
        public string OuterSourceMac { get; internal set; }

        /// <summary>The underlay neighbour of the route to the remote VTEP address (its gateway's, through a gateway).</summary>
        public string OuterDestinationMac { get; internal set; }

        /// <summary>The VTEP's VNI (or the FDB entry's, when it names one).</summary>
        public int? Vni { get; internal set; }

        /// <summary>The VTEP's UDP port (or the FDB entry's, when it names one).</summary>
        public int? OuterDestinationPort { get; internal set; }

        /// <summary>The device the route sends the packet to: the VTEP (flannel.1) for Overlay, cni0 for LocalBridge, the underlay device for Direct.</summary>
        public string EgressDevice { get; internal set; }

        /// <summary>Overlay (into the VTEP), LocalBridge (a pod on the same node), Direct (DirectRouting over the underlay) or Underlay (anywhere else).</summary>
        public string Kind { get; internal set; }

        /// <summary>Resolved (every lookup found its entry) or Incomplete (FailedStep names the one that did not).</summary>
        public string Status { get; internal set; }

        /// <summary>The first step that failed; null when the path is Resolved.</summary>
        public OverlayStep FailedStep { get; internal set; }

        /// <summary>The lookups in the kernel's order.</summary>
        public ReadOnlyCollection<OverlayStep> Steps { get; internal set; } = new ReadOnlyCollection<OverlayStep>(new OverlayStep[0]);

        /// <summary>With -Frame: how many captured frames of this inner pair, in this direction, carry exactly the predicted headers; else null.</summary>
        public int? Observed { get; internal set; }

        /// <summary>With -Frame: the fields in which other frames of the pair differ from the prediction.</summary>
        public ReadOnlyCollection<OverlayMismatch> Mismatches { get; internal set; } = new ReadOnlyCollection<OverlayMismatch>(new OverlayMismatch[0]);

        /// <summary>The host name of the node state the path was resolved from.</summary>
        public string HostName { get; internal set; }

        public override string ToString() => InnerSourceAddress + " -> " + InnerDestinationAddress + " " + Kind + " " + Status;
    }
}
