namespace FlannelTools.NodeTables
{
    /// <summary>
    /// iproute2's text forms: <c>ip route</c>, <c>ip neigh</c>, <c>bridge fdb show</c> (also <c>-s</c>), and
    /// <c>ip link show</c> / <c>ip -d link show</c> / <c>ip addr show</c>. A line is read only when every word of it
    /// is understood; anything else is a problem, never a guessed entry.
    /// </summary>
    internal static class IprouteTextParser
    {
        private static readonly HashSet<string> RouteTypes = new HashSet<string>(StringComparer.Ordinal)
            { "unicast", "local", "broadcast", "multicast", "unreachable", "blackhole", "prohibit", "throw", "anycast", "nat" };

        private static readonly HashSet<string> RouteFlags = new HashSet<string>(StringComparer.Ordinal)
            { "onlink", "linkdown", "dead", "pervasive", "offload", "trap", "rt_offload", "rt_trap", "rt_offload_failed", "notify" };

        // Route attributes iproute2 prints that a flannel diagnosis does not need: read and left out.
        private static readonly HashSet<string> RouteValueKeywords = new HashSet<string>(StringComparer.Ordinal)
            { "pref", "expires", "mtu", "advmss", "rtt", "rttvar", "reordering", "window", "cwnd", "ssthresh", "realms", "rto_min",
              "initcwnd", "initrwnd", "quickack", "congctl", "features", "hoplimit", "fastopen_no_cookie", "error", "nhid", "tos", "dsfield", "weight" };

        private static readonly HashSet<string> NeighborStates = new HashSet<string>(StringComparer.Ordinal)
            { "PERMANENT", "NOARP", "REACHABLE", "STALE", "NONE", "INCOMPLETE", "DELAY", "PROBE", "FAILED" };

        private static readonly HashSet<string> NeighborFlags = new HashSet<string>(StringComparer.Ordinal)
            { "router", "proxy", "extern_learn", "offload", "managed", "extern_valid" };

        internal static readonly HashSet<string> FdbFlags = new HashSet<string>(StringComparer.Ordinal)
            { "self", "router", "extern_learn", "offload", "master", "sticky", "locked" };

        private static readonly HashSet<string> FdbStates = new HashSet<string>(StringComparer.Ordinal)
            { "permanent", "static", "stale" };

        private static readonly HashSet<string> FdbKeywords = new HashSet<string>(StringComparer.Ordinal)
            { "dev", "vlan", "src_vni", "dst", "port", "vni", "via", "link-netnsid", "nhid", "used", "master" };

        public static ParseResult<Route> ParseRoutes(IEnumerable<string> lines, TextOrigin origin, int firstLineNumber = 1, string defaultFamily = "inet") =>
            LineTable.Parse<Route>(lines, origin, firstLineNumber, (line, source, warn) => ParseRoute(line, source, defaultFamily, warn));

        public static ParseResult<Neighbor> ParseNeighbors(IEnumerable<string> lines, TextOrigin origin, int firstLineNumber = 1) =>
            LineTable.Parse(lines, origin, firstLineNumber, ParseNeighbor);

        public static ParseResult<FdbEntry> ParseFdb(IEnumerable<string> lines, TextOrigin origin, int firstLineNumber = 1, string defaultDevice = null) =>
            LineTable.Parse(lines, origin, firstLineNumber, (line, source) => ParseFdbEntry(line, source, defaultDevice));

        /// <summary>One <c>ip route</c> line; the family of <c>default</c> without a gateway is <paramref name="defaultFamily"/>.</summary>
        /// <exception cref="FormatException">The line is not a route this parser understands.</exception>
        public static Route ParseRoute(string line, string source, string defaultFamily = "inet", Action<string> warn = null)
        {
            if (line.Length > 0 && char.IsWhiteSpace(line[0]) && line.TrimStart().StartsWith("nexthop", StringComparison.Ordinal))
            {
                throw new FormatException("a nexthop of a multipath route; multipath routes are not read");
            }
            var t = new Tokens(line);
            var route = new Route { Source = source };
            string first = t.Next();
            if (RouteTypes.Contains(first))
            {
                route.Type = first;
                first = t.Next() ?? throw new FormatException("a route type without a destination");
            }
            route.Destination = Tokens.Prefix(first, out int version);
            var flags = new List<string>();
            while (!t.AtEnd)
            {
                string word = t.Next();
                switch (word)
                {
                    case "via":
                        string via = t.Value(word);
                        if (via == "inet" || via == "inet6")
                        {
                            via = t.Value(word);
                        }
                        if (Tokens.IsRedacted(via))
                        {
                            // The poster hid the gateway: the route is kept, its next hop unknown.
                            route.Gateway = via;
                            route.GatewayUnresolved = true;
                            warn?.Invoke("a redacted gateway '" + via + "': the route is kept, its next hop is unresolved");
                        }
                        else
                        {
                            route.Gateway = Tokens.AddressText(via, "via");
                        }
                        break;
                    case "dev": route.Device = t.Value(word); break;
                    case "proto": route.Protocol = t.Value(word); break;
                    case "scope": route.Scope = t.Value(word); break;
                    case "src": route.PreferredSource = t.Address(word); break;
                    case "metric": route.Metric = t.Integer(word); break;
                    case "table":
                        string table = t.Value(word);
                        if (table != "main")
                        {
                            throw new FormatException("a route of table '" + table + "', not of the main table");
                        }
                        break;
                    case "nexthop":
                        throw new FormatException("a multipath route; multipath routes are not read");
                    case "lock":
                        break;
                    default:
                        if (RouteFlags.Contains(word))
                        {
                            flags.Add(word);
                        }
                        else if (RouteValueKeywords.Contains(word))
                        {
                            t.Value(word);
                        }
                        else
                        {
                            throw new FormatException("not a route: unknown word '" + word + "'");
                        }
                        break;
                }
            }
            route.Flags = new TextList(flags);
            if (version == 0 && route.Gateway != null && !route.GatewayUnresolved)
            {
                version = route.Gateway.IndexOf(':') >= 0 ? 6 : 4;
            }
            route.Family = version == 6 ? "inet6" : version == 4 ? "inet" : defaultFamily;
            return route;
        }

        /// <summary>One <c>ip neigh</c> line (also <c>ip -s neigh</c>).</summary>
        /// <exception cref="FormatException">The line is not a neighbour entry this parser understands.</exception>
        public static Neighbor ParseNeighbor(string line, string source)
        {
            var t = new Tokens(line);
            var neighbor = new Neighbor { Source = source, Address = Tokens.AddressText(t.Next(), "neighbour address") };
            var flags = new List<string>();
            var states = new List<string>();
            while (!t.AtEnd)
            {
                string word = t.Next();
                switch (word)
                {
                    case "dev": neighbor.Device = t.Value(word); break;
                    case "lladdr": neighbor.MacAddress = Tokens.Mac(t.Value(word), "lladdr"); break;
                    case "used":
                    case "probes":
                    case "protocol":
                        t.Value(word);
                        break;
                    default:
                        if (NeighborFlags.Contains(word))
                        {
                            flags.Add(word);
                        }
                        else if (NeighborStates.Contains(word))
                        {
                            states.Add(word);
                        }
                        else
                        {
                            throw new FormatException("not a neighbour entry: unknown word '" + word + "'");
                        }
                        break;
                }
            }
            if (states.Count == 0)
            {
                throw new FormatException("a neighbour entry without a state");
            }
            neighbor.Flags = new TextList(flags);
            neighbor.State = string.Join(",", states);
            return neighbor;
        }

        /// <summary>
        /// One <c>bridge fdb show</c> line (also <c>bridge -s fdb show</c>); a line printed without <c>dev</c>
        /// (<c>bridge fdb show dev X</c>) takes <paramref name="defaultDevice"/>.
        /// </summary>
        /// <exception cref="FormatException">The line is not an FDB entry this parser understands.</exception>
        public static FdbEntry ParseFdbEntry(string line, string source, string defaultDevice = null)
        {
            var t = new Tokens(line);
            var entry = new FdbEntry { Source = source, Device = defaultDevice, MacAddress = Tokens.Mac(t.Next(), "the entry's MAC") };
            var flags = new List<string>();
            while (!t.AtEnd)
            {
                string word = t.Next();
                switch (word)
                {
                    case "dev": entry.Device = t.Value(word); break;
                    case "vlan": entry.Vlan = t.Integer(word); break;
                    case "dst": entry.Destination = t.Address(word); break;
                    case "port": entry.Port = t.Integer(word); break;
                    case "vni": entry.Vni = t.Integer(word); break;
                    case "via": entry.Via = t.Value(word); break;
                    case "src_vni":
                    case "link-netnsid":
                    case "nhid":
                        t.Integer(word);
                        break;
                    case "used":
                        // bridge -s prints "used 99/105" (seconds since used/updated), or "used 99/ 105".
                        string counters = t.Value(word);
                        if (counters.EndsWith("/", StringComparison.Ordinal))
                        {
                            t.Value(word);
                        }
                        break;
                    case "master":
                        string next = t.Peek();
                        if (next == null || FdbFlags.Contains(next) || FdbStates.Contains(next) || FdbKeywords.Contains(next) || next.StartsWith("state=", StringComparison.Ordinal))
                        {
                            flags.Add(word);
                        }
                        else
                        {
                            entry.Master = t.Next();
                        }
                        break;
                    default:
                        if (FdbFlags.Contains(word))
                        {
                            flags.Add(word);
                        }
                        else if (FdbStates.Contains(word) || word.StartsWith("state=", StringComparison.Ordinal))
                        {
                            entry.State = word;
                        }
                        else
                        {
                            throw new FormatException("not an FDB entry: unknown word '" + word + "'");
                        }
                        break;
                }
            }
            entry.Flags = new TextList(flags);
            return entry;
        }

        private static readonly Regex LinkHeader = new Regex(@"^(\d+):\s+([^:\s@]+)(@\S+)?:\s+<([^>]*)>(.*)$", RegexOptions.CultureInvariant);

        /// <summary>
        /// <c>ip link show</c>, <c>ip -d link show</c> or <c>ip addr show</c> text: a header line per device
        /// (<c>2: eth0@if4: &lt;BROADCAST,…&gt; mtu 1500 … state UP …</c>) and indented lines below it.
        /// VXLAN details (<c>-d</c>) become a <see cref="FlannelTools.Vtep"/> in <paramref name="vteps"/>.
        /// </summary>
        public static ParseResult<Interface> ParseLinks(IEnumerable<string> lines, TextOrigin origin, List<Vtep> vteps, int firstLineNumber = 1)
        {
            var result = new ParseResult<Interface>();
            Interface current = null;
            Vtep vtep = null;
            bool skipStatistics = false;
            var addresses = new List<string>();
            void Finish()
            {
                if (current == null)
                {
                    return;
                }
                current.Addresses = new TextList(addresses);
                addresses.Clear();
                if (vtep != null)
                {
                    vtep.MacAddress = current.MacAddress;
                    vtep.Mtu = current.Mtu;
                    vtep.State = current.State;
                    vteps.Add(vtep);
                }
                result.Entries.Add(current);
                current = null;
                vtep = null;
            }
            foreach (var (raw, lineNumber) in LineTable.EntryLines(lines, origin, firstLineNumber, result.Problems))
            {
                result.LinesRead++;
                string line = raw.TrimEnd('\r');
                try
                {
                    if (!char.IsWhiteSpace(line[0]))
                    {
                        Finish();
                        current = ParseLinkHeader(line, origin.SourceOf(lineNumber));
                        continue;
                    }
                    if (current == null)
                    {
                        throw new FormatException("an indented line before any device line");
                    }
                    if (skipStatistics)
                    {
                        skipStatistics = false;
                        continue;
                    }
                    var t = new Tokens(line);
                    string word = t.Next();
                    switch (word)
                    {
                        case "link/ether":
                            current.MacAddress = Tokens.Mac(t.Value(word), word);
                            break;
                        case "inet":
                        case "inet6":
                            string address = t.Value(word);
                            if (!FlannelTools.Addressing.IpPrefix.TryParse(address, out FlannelTools.Addressing.IpPrefix prefix))
                            {
                                throw new FormatException("'" + address + "' is not an address with a prefix length");
                            }
                            addresses.Add(prefix.ToString());
                            break;
                        case "RX:":
                        case "TX:":
                            skipStatistics = true;
                            break;
                        case "vxlan":
                            current.Kind = word;
                            vtep = ParseVxlanDetails(t, current);
                            break;
                        default:
                            if (current.Kind == null && Regex.IsMatch(word, "^[a-z][a-z0-9_]*$", RegexOptions.CultureInvariant) &&
                                !word.EndsWith("_slave", StringComparison.Ordinal) && !LinkDetailWords.Contains(word))
                            {
                                current.Kind = word;
                            }
                            break;
                    }
                }
                catch (FormatException e)
                {
                    result.Problems.Add(new ParseProblem(origin.Name, lineNumber, line.Trim(), e.Message));
                }
            }
            Finish();
            foreach (Interface device in result.Entries.Where(d => d.Kind == null && FlannelDeviceName.IsMatch(d.Name)))
            {
                // Without -d the VXLAN details are missing; the device is still flannel's VTEP by its name.
                if (!vteps.Any(v => v.Name == device.Name))
                {
                    vteps.Add(new Vtep { Name = device.Name, MacAddress = device.MacAddress, Mtu = device.Mtu, State = device.State, Source = device.Source });
                }
            }
            return result;
        }

        internal static readonly Regex FlannelDeviceName = new Regex(@"^flannel(-v6)?\.\d+$", RegexOptions.CultureInvariant);

        // Indented words of ip link/addr output that are not a link kind.
        private static readonly HashSet<string> LinkDetailWords = new HashSet<string>(StringComparer.Ordinal)
            { "valid_lft", "altname", "alias", "prop", "vf", "link", "addrgenmode" };

        private static Interface ParseLinkHeader(string line, string source)
        {
            Match m = LinkHeader.Match(line);
            if (!m.Success)
            {
                throw new FormatException("not a device line ('N: name: <FLAGS> mtu …')");
            }
            if (!int.TryParse(m.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out int index))
            {
                throw new FormatException("the device index '" + m.Groups[1].Value + "' is out of range");
            }
            var device = new Interface
            {
                Source = source,
                Index = index,
                Name = m.Groups[2].Value,
                Flags = new TextList(m.Groups[4].Value.Split(',')),
            };
            var t = new Tokens(m.Groups[5].Value);
            while (!t.AtEnd)
            {
                string word = t.Next();
                switch (word)
                {
                    case "mtu": device.Mtu = t.Integer(word); break;
                    case "master": device.Master = t.Value(word); break;
                    case "state": device.State = t.Value(word); break;
                    case "qdisc":
                    case "mode":
                    case "group":
                    case "qlen":
                    case "link-netns":
                    case "link-netnsid":
                        t.Value(word);
                        break;
                }
            }
            return device;
        }

        private static Vtep ParseVxlanDetails(Tokens t, Interface device)
        {
            var vtep = new Vtep { Name = device.Name, Source = device.Source, Learning = true };
            while (!t.AtEnd)
            {
                string word = t.Next();
                switch (word)
                {
                    case "id": vtep.Vni = t.Integer(word); break;
                    case "local": vtep.LocalAddress = t.Address(word); break;
                    case "dev": vtep.UnderlayDevice = t.Value(word); break;
                    case "dstport": vtep.Port = t.Integer(word); break;
                    case "nolearning": vtep.Learning = false; break;
                    case "learning": vtep.Learning = true; break;
                }
            }
            if (vtep.Vni == null)
            {
                throw new FormatException("VXLAN details without 'id'");
            }
            return vtep;
        }
    }
}
