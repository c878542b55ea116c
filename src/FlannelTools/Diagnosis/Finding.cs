namespace FlannelTools
{
    /// <summary>
    /// One result of one check of a node's flannel dataplane against what the cluster announces, for one remote node
    /// (or the node itself, or the cluster): what was expected, what was found, and the command that would mend it.
    /// </summary>
    public sealed class Finding
    {
        internal Finding(string check, string severity, string node, string expected, string actual, string message, string remedy, string localNode, IEnumerable<string> capture = null)
        {
            Check = check;
            Severity = severity;
            Node = node;
            Expected = expected;
            Actual = actual;
            Message = message;
            Remedy = remedy;
            LocalNode = localNode;
            Capture = capture == null ? TextList.Empty : new TextList(capture);
        }

        /// <summary>What was checked: Route, Neighbor, Fdb, VtepMac, PublicAddressUnique, …</summary>
        public string Check { get; }

        /// <summary>Error, Warning, Information (passed) or Unknown (could not look: Message says why).</summary>
        public string Severity { get; }

        /// <summary>The node the finding is about: the remote node of a route, neighbour or FDB entry, the node itself for its VTEP, a node of the cluster for the cluster checks; null for a leftover no node owns.</summary>
        public string Node { get; }

        /// <summary>What flannel would have programmed, or what the cluster should announce.</summary>
        public string Expected { get; }

        /// <summary>What the node's tables or the cluster's annotations hold.</summary>
        public string Actual { get; }

        /// <summary>One sentence a person can act on.</summary>
        public string Message { get; }

        /// <summary>The command that would mend it on the checked node (<c>ip neigh replace …</c>, <c>bridge fdb replace …</c>); null when no command on the node can.</summary>
        public string Remedy { get; }

        /// <summary>The node whose tables were checked: where Remedy is to be run; null for a finding about the whole cluster.</summary>
        public string LocalNode { get; }

        /// <summary>The capture file or files whose frames prove the finding (Test-VxlanCapture); empty for a finding from a node's tables or the cluster.</summary>
        public TextList Capture { get; }

        /// <summary>
        /// The finding's name within one run, the same for the same input: <c>LOCALNODE/CHECK/NODE</c> for a node's check
        /// (<c>#2</c> appended to the second of one name), <c>cluster/CHECK/…</c> for Test-FlannelCluster's own findings.
        /// A NodePair's FindingIds name the findings behind it this way.
        /// </summary>
        public string Id { get; internal set; }

        /// <summary>The nodes a finding about many nodes concerns (Test-FlannelCluster's roll-ups: the holders of stale entries, a broken node's peers); empty otherwise.</summary>
        public TextList AffectedNodes { get; internal set; } = TextList.Empty;

        /// <summary>The table entry a leftover finding is about (an address or a MAC), for grouping one node's leftovers on many nodes.</summary>
        internal string Subject { get; set; }

        /// <summary>The overlay family (4 or 6) of a VTEP or peer check; null for the others.</summary>
        internal int? Family { get; set; }

        public override string ToString() => Severity + " " + Check + (Node != null ? " " + Node : string.Empty) + ": " + Message;
    }
}
