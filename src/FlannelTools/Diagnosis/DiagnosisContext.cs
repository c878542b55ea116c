namespace FlannelTools.Diagnosis
{
    /// <summary>What the checks read: this node's tables, the cluster's nodes, which node is this one, and the expected UDP port.</summary>
    internal sealed class DiagnosisContext
    {
        /// <summary>flannel's VXLAN port on Linux (the kernel's historical one, not IANA's).</summary>
        public const int LinuxPort = 8472;

        /// <summary>IANA's VXLAN port, the one Windows nodes use.</summary>
        public const int WindowsPort = 4789;

        /// <summary>The lowest VNI Windows nodes accept.</summary>
        public const int WindowsMinimumVni = 4096;

        public DiagnosisContext(NodeState state, IReadOnlyList<FlannelNode> nodes, FlannelNode localNode, int? port = null, FlannelNetConf netConf = null, string netConfUnreadReason = null)
        {
            NetConf = netConf ?? state?.NetConf;
            NetConfUnreadReason = NetConf == null ? netConfUnreadReason ?? state?.WhyNotRead(HostParts.NetConf)?.Reason : null;
            State = state ?? throw new ArgumentNullException(nameof(state));
            Nodes = nodes ?? throw new ArgumentNullException(nameof(nodes));
            LocalNode = localNode ?? throw new ArgumentNullException(nameof(localNode));
            ClusterVni = AnnouncedVni(nodes, localNode);
            Port = port ?? NetConf?.EffectivePort ?? DefaultPort(ClusterVni);
        }

        private DiagnosisContext(IReadOnlyList<FlannelNode> nodes)
        {
            State = new NodeState();
            Nodes = nodes ?? throw new ArgumentNullException(nameof(nodes));
            ClusterVni = AnnouncedVni(nodes, null);
            Port = DefaultPort(ClusterVni);
        }

        /// <summary>
        /// The context of the checks of what the nodes announce (ClusterChecks) when they are run once for the whole cluster:
        /// no node's tables, no local node (the findings' LocalNode is null), the VNI most nodes announce.
        /// </summary>
        public static DiagnosisContext ForAnnouncements(IReadOnlyList<FlannelNode> nodes) => new DiagnosisContext(nodes);

        /// <summary>flannel's net-conf.json: given to the cmdlet (-NetConf, or read from the ConfigMap), else the node's copy; null when none was read.</summary>
        public FlannelNetConf NetConf { get; }

        /// <summary>Why NetConf is null, when something said why (kubectl's error, a file that is not there).</summary>
        public string NetConfUnreadReason { get; }

        public NodeState State { get; }

        public IReadOnlyList<FlannelNode> Nodes { get; }

        /// <summary>The node whose tables are checked; null in the context of the cluster's announcements alone.</summary>
        public FlannelNode LocalNode { get; }

        /// <summary>The VNI the cluster announces: this node's, else the one most nodes announce; null when no node announces one (older flannel).</summary>
        public int? ClusterVni { get; }

        /// <summary>The UDP port the VTEP should use (no annotation carries it): -Port, else net-conf.json's, else the default for the VNI.</summary>
        public int Port { get; }

        /// <summary>The other nodes flannel programs a VXLAN path to: the VXLAN backend and a pod subnet.</summary>
        public IEnumerable<FlannelNode> Peers =>
            Nodes.Where(n => !IsLocal(n) && IsVxlan(n) && (n.PodCidr != null || n.PodCidrs.Length > 0));

        /// <summary>The overlays this node runs: IPv4, IPv6 or both.</summary>
        public IEnumerable<OverlayFamily> Families =>
            new[] { OverlayFamily.IPv4, OverlayFamily.IPv6 }.Where(f => f.AppliesTo(State, LocalNode));

        /// <summary>8472, or 4789 when the VNI is one Windows nodes accept (a cluster with Windows nodes runs VNI 4096 on port 4789).</summary>
        public static int DefaultPort(int? vni) => vni >= WindowsMinimumVni ? WindowsPort : LinuxPort;

        public static int? AnnouncedVni(IReadOnlyList<FlannelNode> nodes, FlannelNode localNode) =>
            localNode?.Vni ?? nodes.Where(n => n.Vni.HasValue).GroupBy(n => n.Vni.Value).OrderByDescending(g => g.Count()).ThenBy(g => g.Key)
                .Select(g => (int?)g.Key).FirstOrDefault();

        public static bool IsVxlan(FlannelNode node) => string.Equals(node.BackendType, "vxlan", StringComparison.OrdinalIgnoreCase);

        public bool IsLocal(FlannelNode node) => LocalNode != null && string.Equals(node.Name, LocalNode.Name, StringComparison.Ordinal);

        public static bool SameAddress(string left, string right) =>
            IpAddressValue.TryParse(left, out IpAddressValue a) && IpAddressValue.TryParse(right, out IpAddressValue b) && a == b;

        public Finding Passed(string check, string node, string expected, string actual, string message) =>
            new Finding(check, FindingSeverity.Information, node, expected, actual, message, null, LocalNode?.Name);

        public Finding Warning(string check, string node, string expected, string actual, string message, string remedy) =>
            new Finding(check, FindingSeverity.Warning, node, expected, actual, message, remedy, LocalNode?.Name);

        /// <summary>The Actual of a finding whose input was not read.</summary>
        public const string NotReadText = "not read";

        /// <summary>A check that could not look; Message says what was missing or could not be judged.</summary>
        public Finding Unknown(string check, string node, string expected, string actual, string message) =>
            new Finding(check, FindingSeverity.Unknown, node, expected, actual, message, null, LocalNode?.Name);

        /// <summary>
        /// The Unknown finding of a check whose host-layer part is missing: the reason the node gave when it was looked for
        /// and not read, else that it was not collected.
        /// </summary>
        public Finding NotRead(string check, string part, string expected)
        {
            UnreadPart unread = State.WhyNotRead(part);
            string why = unread != null ? part + " could not be read on the node: " + unread.Reason : part + " was not collected";
            return Unknown(check, LocalNode.Name, expected, NotReadText,
                "Not checked: " + why + ". Read the node with Get-FlannelNodeState live, or with the collector (collect-flannel-state.sh) of this module's version.");
        }

        public Finding Error(string check, string node, string expected, string actual, string message, string remedy) =>
            new Finding(check, FindingSeverity.Error, node, expected, actual, message, remedy, LocalNode?.Name);
    }
}
