using System.Collections.Specialized;

namespace FlannelTools
{
    /// <summary>
    /// One Kubernetes node as flannel announces it through its node annotations: the pod subnet, the public IP
    /// the other nodes send VXLAN to, and the VTEP MAC and VNI they program into their neighbour and FDB entries.
    /// Addresses, prefixes and MACs are canonical text (<c>192.168.0.13</c>, <c>10.244.2.0/24</c>,
    /// <c>ee:81:17:b0:fd:7b</c>); a field the node does not announce is null.
    /// </summary>
    public sealed class FlannelNode
    {
        public FlannelNode(string name, string podCidr, IReadOnlyList<string> podCidrs, string internalAddress,
            string publicAddress, string publicAddressOverwrite, string publicAddressV6, string backendType,
            string vtepMac, string vtepMacV6, int? vni, bool kubeSubnetManager, bool? ready, OrderedDictionary annotations)
        {
            Name = name;
            PodCidr = podCidr;
            PodCidrs = podCidrs == null ? new string[0] : new List<string>(podCidrs).ToArray();
            InternalAddress = internalAddress;
            PublicAddress = publicAddress;
            PublicAddressOverwrite = publicAddressOverwrite;
            PublicAddressV6 = publicAddressV6;
            BackendType = backendType;
            VtepMac = vtepMac;
            VtepMacV6 = vtepMacV6;
            Vni = vni;
            KubeSubnetManager = kubeSubnetManager;
            Ready = ready;
            var copy = new OrderedDictionary();
            if (annotations != null)
            {
                foreach (System.Collections.DictionaryEntry entry in annotations)
                {
                    copy.Add(entry.Key, entry.Value);
                }
            }
            Annotations = copy.AsReadOnly();
        }

        /// <summary>The node's name (metadata.name).</summary>
        public string Name { get; }

        /// <summary>The node's pod subnet (spec.podCIDR), the subnet flannel routes to it: <c>10.244.2.0/24</c>.</summary>
        public string PodCidr { get; }

        /// <summary>Every pod subnet of the node (spec.podCIDRs): the IPv4 and the IPv6 one on a dual-stack cluster.</summary>
        public string[] PodCidrs { get; }

        /// <summary>The node's first InternalIP (status.addresses).</summary>
        public string InternalAddress { get; }

        /// <summary>
        /// The public-ip annotation as it stands: the underlay address the other nodes put in their FDB entries
        /// for this node. A node with a public-ip-overwrite copies the overwrite here itself.
        /// </summary>
        public string PublicAddress { get; }

        /// <summary>The public-ip-overwrite annotation: an address an administrator set for the node, which flannel copies into public-ip.</summary>
        public string PublicAddressOverwrite { get; }

        /// <summary>The public-ipv6 annotation (dual-stack and IPv6 clusters).</summary>
        public string PublicAddressV6 { get; }

        /// <summary>The backend-type annotation: <c>vxlan</c>, <c>host-gw</c>, <c>wireguard</c>, …</summary>
        public string BackendType { get; }

        /// <summary>The VtepMAC of the backend-data annotation: the MAC of the node's flannel.&lt;VNI&gt; device that the other nodes program.</summary>
        public string VtepMac { get; }

        /// <summary>The VtepMAC of the backend-v6-data annotation: the MAC of the node's flannel-v6.&lt;VNI&gt; device.</summary>
        public string VtepMacV6 { get; }

        /// <summary>The VNI of the backend-data annotation; null when it has none (flannel before VNI was announced wrote only VtepMAC).</summary>
        public int? Vni { get; }

        /// <summary>True when flannel runs with the Kubernetes subnet manager (the kube-subnet-manager annotation is <c>true</c>).</summary>
        public bool KubeSubnetManager { get; }

        /// <summary>The node's Ready condition: true when True, false when False or Unknown, null when the node has none.</summary>
        public bool? Ready { get; }

        /// <summary>The node's NetworkUnavailable condition (flannel sets it False, reason FlannelIsUp, when it starts): true when True, null when the node has none.</summary>
        public bool? NetworkUnavailable { get; internal set; }

        /// <summary>The node's flannel annotations, raw, by name (sorted); read-only.</summary>
        public OrderedDictionary Annotations { get; }

        public override string ToString() => Name;
    }
}
