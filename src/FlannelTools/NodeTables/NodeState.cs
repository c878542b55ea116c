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

        private ReadOnlyCollection<Interface> _interfaces = new ReadOnlyCollection<Interface>(new Interface[0]);
        private ReadOnlyCollection<Route> _routes = new ReadOnlyCollection<Route>(new Route[0]);
        private ReadOnlyCollection<Neighbor> _neighbors = new ReadOnlyCollection<Neighbor>(new Neighbor[0]);
        private ReadOnlyCollection<FdbEntry> _fdb = new ReadOnlyCollection<FdbEntry>(new FdbEntry[0]);

        // Lookups by key, made on first use and dropped when a table is replaced, so that checking a node against N peers
        // costs N lookups, not N scans of tables that grow with N.
        private Dictionary<string, Interface> _interfaceIndex;
        private Dictionary<(string Family, IpPrefix Network), Route> _exactRouteIndex;
        private RouteTable _routeTable;
        private Dictionary<IpAddressValue, List<Neighbor>> _neighborIndex;
        private Dictionary<string, List<FdbEntry>> _fdbIndex;

        public ReadOnlyCollection<Interface> Interfaces
        {
            get => _interfaces;
            internal set { _interfaces = value; _interfaceIndex = null; }
        }

        /// <summary>The main table's IPv4 and IPv6 routes.</summary>
        public ReadOnlyCollection<Route> Routes
        {
            get => _routes;
            internal set { _routes = value; _exactRouteIndex = null; _routeTable = null; }
        }

        public ReadOnlyCollection<Neighbor> Neighbors
        {
            get => _neighbors;
            internal set { _neighbors = value; _neighborIndex = null; }
        }

        public ReadOnlyCollection<FdbEntry> Fdb
        {
            get => _fdb;
            internal set { _fdb = value; _fdbIndex = null; }
        }

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
            // The routes by their network, and the prefix lengths there are, longest first: a lookup tries each length once.
            RouteTable table = _routeTable;
            if (table == null)
            {
                table = new RouteTable();
                foreach (Route route in Routes)
                {
                    IpPrefix prefix = route.GetPrefix();
                    if (prefix.Address.IsEmpty)
                    {
                        continue;
                    }
                    Add(table.ByNetwork, new IpPrefix(prefix.Address.Masked(prefix.Length), prefix.Length), route);
                    table.Lengths.Add((prefix.Version, prefix.Length));
                }
                table.Ordered = table.Lengths.OrderByDescending(l => l.Length).ToList();
                _routeTable = table;
            }
            foreach (var (version, length) in table.Ordered)
            {
                if (version != target.Version || !table.ByNetwork.TryGetValue(new IpPrefix(target.Masked(length), length), out List<Route> candidates))
                {
                    continue;
                }
                // the lowest metric; the first of equal ones
                Route best = candidates[0];
                foreach (Route route in candidates)
                {
                    if ((route.Metric ?? 0) < (best.Metric ?? 0))
                    {
                        best = route;
                    }
                }
                return best;
            }
            return null;
        }

        private sealed class RouteTable
        {
            public readonly Dictionary<IpPrefix, List<Route>> ByNetwork = new Dictionary<IpPrefix, List<Route>>();
            public readonly HashSet<(int Version, int Length)> Lengths = new HashSet<(int, int)>();
            public List<(int Version, int Length)> Ordered;
        }

        /// <summary>The neighbour entry of the address (on the device, when one is given), or null.</summary>
        public Neighbor FindNeighbor(string address, string device = null)
        {
            if (!IpAddressValue.TryParse(address, out IpAddressValue target))
            {
                return null;
            }
            Dictionary<IpAddressValue, List<Neighbor>> index = _neighborIndex;
            if (index == null)
            {
                index = new Dictionary<IpAddressValue, List<Neighbor>>();
                foreach (Neighbor n in Neighbors)
                {
                    if (IpAddressValue.TryParse(n.Address, out IpAddressValue a))
                    {
                        Add(index, a, n);
                    }
                }
                _neighborIndex = index;
            }
            return index.TryGetValue(target, out List<Neighbor> entries) ? entries.FirstOrDefault(n => device == null || n.Device == device) : null;
        }

        /// <summary>The FDB entries of the MAC (on the device, when one is given); a unicast MAC has at most one per device.</summary>
        public IReadOnlyList<FdbEntry> FindFdb(string macAddress, string device = null)
        {
            string mac = MacAddress.Normalize(macAddress);
            Dictionary<string, List<FdbEntry>> index = _fdbIndex;
            if (index == null)
            {
                index = new Dictionary<string, List<FdbEntry>>(StringComparer.Ordinal);
                foreach (FdbEntry e in Fdb)
                {
                    if (e.MacAddress != null)
                    {
                        Add(index, e.MacAddress, e);
                    }
                }
                _fdbIndex = index;
            }
            return mac != null && index.TryGetValue(mac, out List<FdbEntry> entries)
                ? entries.Where(e => device == null || e.Device == device).ToList()
                : (IReadOnlyList<FdbEntry>)new FdbEntry[0];
        }

        /// <summary>The first forwarding (unicast) route of the family whose destination is exactly the prefix (host bits aside), or null.</summary>
        internal Route FindExactRoute(string family, IpPrefix prefix)
        {
            Dictionary<(string, IpPrefix), Route> index = _exactRouteIndex;
            if (index == null)
            {
                index = new Dictionary<(string, IpPrefix), Route>();
                foreach (Route route in Routes)
                {
                    IpPrefix p = route.GetPrefix();
                    if (route.Type != "unicast" || p.Address.IsEmpty)
                    {
                        continue;
                    }
                    var key = (route.Family, new IpPrefix(p.Address.Masked(p.Length), p.Length));
                    if (!index.ContainsKey(key))
                    {
                        index[key] = route;
                    }
                }
                _exactRouteIndex = index;
            }
            return prefix.Address.IsEmpty ? null : index.TryGetValue((family, new IpPrefix(prefix.Address.Masked(prefix.Length), prefix.Length)), out Route found) ? found : null;
        }

        public Interface FindInterface(string name)
        {
            Dictionary<string, Interface> index = _interfaceIndex;
            if (index == null)
            {
                index = new Dictionary<string, Interface>(StringComparer.Ordinal);
                foreach (Interface i in Interfaces)
                {
                    if (i.Name != null && !index.ContainsKey(i.Name))
                    {
                        index[i.Name] = i;
                    }
                }
                _interfaceIndex = index;
            }
            return name != null && index.TryGetValue(name, out Interface found) ? found : null;
        }

        private static void Add<TKey, TValue>(Dictionary<TKey, List<TValue>> index, TKey key, TValue value)
        {
            if (!index.TryGetValue(key, out List<TValue> list))
            {
                index[key] = list = new List<TValue>(1);
            }
            list.Add(value);
        }

        /// <summary>A sysctl's value by its dotted name (a device's dot written as '/', as sysctl does); null when not read or not present.</summary>
        public string GetSysctl(string name) => Sysctls?.FirstOrDefault(s => s.Name == name)?.Value;

        /// <summary>Why a host-layer part is missing: the UnreadPart when it was looked for and not read, else null (read, or never collected).</summary>
        public UnreadPart WhyNotRead(string part) => NotRead.FirstOrDefault(p => p.Part == part);

        /// <summary>The VTEPs the node has: the IPv4 one, then the IPv6 one.</summary>
        public IEnumerable<Vtep> GetVteps() => new[] { Vtep, VtepV6 }.Where(v => v != null);

        public override string ToString() => "NodeState " + (HostName ?? string.Empty) + " (" + Source + ")";
    }
}
