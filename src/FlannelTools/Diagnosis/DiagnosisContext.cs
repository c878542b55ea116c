using System;
using System.Collections.Generic;
using System.Linq;
using FlannelTools.Addressing;

namespace FlannelTools.Diagnosis
{
    /// <summary>What the checks read: this node's tables, the cluster's nodes, which node is this one, and the expected UDP port.</summary>
    public sealed class DiagnosisContext
    {
        /// <summary>flannel's VXLAN port on Linux (the kernel's historical one, not IANA's).</summary>
        public const int LinuxPort = 8472;

        /// <summary>IANA's VXLAN port, the one Windows nodes use.</summary>
        public const int WindowsPort = 4789;

        /// <summary>The lowest VNI Windows nodes accept.</summary>
        public const int WindowsMinimumVni = 4096;

        public DiagnosisContext(NodeState state, IReadOnlyList<FlannelNode> nodes, FlannelNode localNode, int? port = null)
        {
            State = state ?? throw new ArgumentNullException(nameof(state));
            Nodes = nodes ?? throw new ArgumentNullException(nameof(nodes));
            LocalNode = localNode ?? throw new ArgumentNullException(nameof(localNode));
            ClusterVni = AnnouncedVni(nodes, localNode);
            Port = port ?? DefaultPort(ClusterVni);
        }

        public NodeState State { get; }

        public IReadOnlyList<FlannelNode> Nodes { get; }

        public FlannelNode LocalNode { get; }

        /// <summary>The VNI the cluster announces: this node's, else the one most nodes announce; null when no node announces one (older flannel).</summary>
        public int? ClusterVni { get; }

        /// <summary>The UDP port the VTEP should use (no annotation carries it).</summary>
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

        public bool IsLocal(FlannelNode node) => string.Equals(node.Name, LocalNode.Name, StringComparison.Ordinal);

        public static bool SameAddress(string left, string right) =>
            IpAddressValue.TryParse(left, out IpAddressValue a) && IpAddressValue.TryParse(right, out IpAddressValue b) && a == b;

        public Finding Passed(string check, string node, string expected, string actual, string message) =>
            new Finding(check, FindingSeverity.Information, node, expected, actual, message, null, LocalNode.Name);

        public Finding Warning(string check, string node, string expected, string actual, string message, string remedy) =>
            new Finding(check, FindingSeverity.Warning, node, expected, actual, message, remedy, LocalNode.Name);

        public Finding Error(string check, string node, string expected, string actual, string message, string remedy) =>
            new Finding(check, FindingSeverity.Error, node, expected, actual, message, remedy, LocalNode.Name);
    }
}
