namespace FlannelTools
{
    /// <summary>
    /// A node's dataplane as the walkthrough (docs/walkthrough.md) reads it: the VTEP, the devices, the main routing table, the neighbour
    /// table and the FDB. The lookups answer the walkthrough's questions as the kernel would.
    /// </summary>
    public sealed class NodeState
    {
        /// <summary>flannel's IPv4 VTEP (<c>flannel.&lt;VNI&gt;</c>, else the first VXLAN device with an IPv4 local address).</summary>
        public Vtep Vtep { get; internal set; }

        /// <summary>flannel's IPv6 VTEP (<c>flannel-v6.&lt;VNI&gt;</c>) on a dual-stack node.</summary>
        public Vtep VtepV6 { get; internal set; }

        /// <summary>Every VXLAN device of the node, flannel's and others (a leftover flannel.&lt;oldVNI&gt;, cilium_vxlan), with their VNI and UDP port.</summary>
        public ReadOnlyCollection<Vtep> VxlanDevices { get; internal set; } = new ReadOnlyCollection<Vtep>(new Vtep[0]);

        public ReadOnlyCollection<Interface> Interfaces { get; internal set; } = new ReadOnlyCollection<Interface>(new Interface[0]);

        /// <summary>The main table's IPv4 and IPv6 routes.</summary>
        public ReadOnlyCollection<Route> Routes { get; internal set; } = new ReadOnlyCollection<Route>(new Route[0]);

        public ReadOnlyCollection<Neighbor> Neighbors { get; internal set; } = new ReadOnlyCollection<Neighbor>(new Neighbor[0]);

        public ReadOnlyCollection<FdbEntry> Fdb { get; internal set; } = new ReadOnlyCollection<FdbEntry>(new FdbEntry[0]);

        /// <summary>The kernel settings of the node's network namespace that flannel depends on (forwarding, rp_filter, bridge netfilter, conntrack, neighbour thresholds); null when not read.</summary>
        public ReadOnlyCollection<Sysctl> Sysctls { get; internal set; }

        /// <summary>The packet filter's chains in every backend read (nftables, iptables-nft, iptables-legacy); null when no backend was read.</summary>
        public ReadOnlyCollection<FirewallChain> FirewallChains { get; internal set; }

        /// <summary>The packet filter's rules, in each chain's order; null when no backend was read.</summary>
        public ReadOnlyCollection<FirewallRule> FirewallRules { get; internal set; }

        /// <summary>nftables' named sets and maps; null when no backend was read.</summary>
        public ReadOnlyCollection<FirewallSet> FirewallSets { get; internal set; }

        /// <summary>The backends that were read and hold at least one table: nftables, iptables-nft, iptables-legacy.</summary>
        public ReadOnlyCollection<string> FirewallBackends { get; internal set; }

        /// <summary>The offload features of the VTEPs and the underlay (ethtool -k); null when not read.</summary>
        public ReadOnlyCollection<Offload> Offloads { get; internal set; }

        /// <summary>The Udp/Udp6 counters of /proc/net/snmp and snmp6, and the devices' error and drop counters; null when not read.</summary>
        public ReadOnlyCollection<NetCounter> Counters { get; internal set; }

        /// <summary>XDP programs and tc filters on the node's devices; null when not read.</summary>
        public ReadOnlyCollection<PreStackProgram> PreStackPrograms { get; internal set; }

        /// <summary><c>uname -r</c>; null when not read.</summary>
        public string KernelRelease { get; internal set; }

        /// <summary>flannel's /run/flannel/subnet.env; null when not read (see NotRead: a file that is not there is Absent).</summary>
        public SubnetEnv SubnetEnv { get; internal set; }

        /// <summary>flannel's net-conf.json, where the node holds a copy; null when not read.</summary>
        public FlannelNetConf NetConf { get; internal set; }

        /// <summary>The host-layer parts that were read (see <see cref="HostParts"/>).</summary>
        public TextList ReadParts { get; internal set; } = TextList.Empty;

        /// <summary>The host-layer parts that were looked for and could not be read, each with the reason.</summary>
        public ReadOnlyCollection<UnreadPart> NotRead { get; internal set; } = new ReadOnlyCollection<UnreadPart>(new UnreadPart[0]);

        /// <summary>The node's host name (inside a network namespace, the machine's).</summary>
        public string HostName { get; internal set; }

        /// <summary>When the tables were read (UTC); null when the text does not say.</summary>
        public DateTime? CollectedAt { get; internal set; }

        /// <summary><c>live</c>, or the file or parameters the state was read from.</summary>
        public string Source { get; internal set; }

        /// <summary>
        /// The route the kernel would pick for the address: the longest matching prefix, then the lowest metric,
        /// among routes that forward (unicast); null when none matches.
        /// </summary>
        public Route FindRoute(string address)
        {
            if (!IpAddressValue.TryParse(address, out IpAddressValue target))
            {
                return null;
            }
            Route best = null;
            int bestLength = -1;
            foreach (Route route in Routes)
            {
                IpPrefix prefix = route.GetPrefix();
                if (prefix.Address.IsEmpty || !prefix.Contains(target))
                {
                    continue;
                }
                if (prefix.Length > bestLength || (prefix.Length == bestLength && (route.Metric ?? 0) < (best.Metric ?? 0)))
                {
                    best = route;
                    bestLength = prefix.Length;
                }
            }
            return best;
        }

        /// <summary>The neighbour entry of the address (on the device, when one is given), or null.</summary>
        public Neighbor FindNeighbor(string address, string device = null)
        {
            if (!IpAddressValue.TryParse(address, out IpAddressValue target))
            {
                return null;
            }
            return Neighbors.FirstOrDefault(n =>
                (device == null || n.Device == device) && IpAddressValue.TryParse(n.Address, out IpAddressValue a) && a == target);
        }

        /// <summary>The FDB entries of the MAC (on the device, when one is given); a unicast MAC has at most one per device.</summary>
        public IReadOnlyList<FdbEntry> FindFdb(string macAddress, string device = null)
        {
            string mac = MacAddress.Normalize(macAddress);
            return Fdb.Where(e => e.MacAddress == mac && (device == null || e.Device == device)).ToList();
        }

        public Interface FindInterface(string name) => Interfaces.FirstOrDefault(i => i.Name == name);

        /// <summary>A sysctl's value by its dotted name (a device's dot written as '/', as sysctl does); null when not read or not present.</summary>
        public string GetSysctl(string name) => Sysctls?.FirstOrDefault(s => s.Name == name)?.Value;

        /// <summary>Why a host-layer part is missing: the UnreadPart when it was looked for and not read, else null (read, or never collected).</summary>
        public UnreadPart WhyNotRead(string part) => NotRead.FirstOrDefault(p => p.Part == part);

        /// <summary>The VTEPs the node has: the IPv4 one, then the IPv6 one.</summary>
        public IEnumerable<Vtep> GetVteps() => new[] { Vtep, VtepV6 }.Where(v => v != null);

        public override string ToString() => "NodeState " + (HostName ?? string.Empty) + " (" + Source + ")";
    }
}
