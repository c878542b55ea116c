namespace FlannelTools
{
    /// <summary>
    /// flannel's <c>/run/flannel/subnet.env</c>, which flanneld writes for the CNI plugin:
    /// <c>FLANNEL_NETWORK=10.244.0.0/16</c>, <c>FLANNEL_SUBNET=10.244.1.1/24</c>, <c>FLANNEL_MTU=1450</c>, <c>FLANNEL_IPMASQ=true</c>.
    /// An IPv6-only cluster writes only the IPv6 lines.
    /// </summary>
    public sealed class SubnetEnv
    {
        public string Path { get; internal set; }

        /// <summary>FLANNEL_NETWORK: the cluster's IPv4 pod network.</summary>
        public string Network { get; internal set; }

        /// <summary>FLANNEL_SUBNET: the first address of the node's IPv4 pod subnet with its length (<c>10.244.1.1/24</c>).</summary>
        public string Subnet { get; internal set; }

        public string IPv6Network { get; internal set; }

        public string IPv6Subnet { get; internal set; }

        public int? Mtu { get; internal set; }

        public bool? IpMasq { get; internal set; }

        /// <summary>Every KEY=VALUE line as written, in order.</summary>
        public TextList Entries { get; internal set; } = TextList.Empty;

        public string Source { get; internal set; }

        public override string ToString() => "subnet.env " + Subnet + (IPv6Subnet != null ? " " + IPv6Subnet : string.Empty) + " mtu " + Mtu;
    }

    /// <summary>
    /// flannel's <c>net-conf.json</c> (the <c>kube-flannel-cfg</c> ConfigMap, or a file): the cluster's pod networks and the
    /// backend. Keys are read case-insensitively, as flannel reads them; defaults are flannel's (EnableIPv4 true, VNI 1,
    /// Port 0 meaning 8472).
    /// </summary>
    public sealed class FlannelNetConf
    {
        public string Network { get; internal set; }

        public string IPv6Network { get; internal set; }

        public bool EnableIPv4 { get; internal set; } = true;

        public bool EnableIPv6 { get; internal set; }

        public bool EnableNFTables { get; internal set; }

        /// <summary>Backend.Type: vxlan, host-gw, wireguard, udp, …</summary>
        public string BackendType { get; internal set; }

        /// <summary>Backend.VNI; 1 when not set.</summary>
        public int Vni { get; internal set; } = 1;

        /// <summary>Backend.Port as written; 0 when not set, which flannel takes as the kernel's default, 8472.</summary>
        public int Port { get; internal set; }

        /// <summary>The UDP port the VTEPs use: Port, or 8472 when it is 0.</summary>
        public int EffectivePort => Port == 0 ? 8472 : Port;

        /// <summary>Backend.MTU: the underlay (outer) MTU flannel sizes the VTEP from (the VTEP gets MTU - 50); null when not set.</summary>
        public int? Mtu { get; internal set; }

        public bool Gbp { get; internal set; }

        public bool Learning { get; internal set; }

        public bool DirectRouting { get; internal set; }

        /// <summary>Where it was read: a file, <c>configmap kube-flannel/kube-flannel-cfg</c>, or a parameter.</summary>
        public string Source { get; internal set; }

        public override string ToString() =>
            "net-conf " + Network + (IPv6Network != null ? " " + IPv6Network : string.Empty) + " " + BackendType + " VNI " + Vni + " port " + EffectivePort;
    }
}
