namespace FlannelTools.NodeTables
{
    /// <summary>
    /// Gathers the tables of one node from any mix of forms (JSON, iproute2 text, net-tools text) and makes the
    /// <see cref="NodeState"/>. Each Add method picks the parser from the text itself: JSON when the first non-blank
    /// character is '[' or '{', else the text form its lines have.
    /// </summary>
    internal sealed class NodeStateBuilder
    {
        private readonly List<Interface> _interfaces = new List<Interface>();
        private readonly List<Vtep> _vteps = new List<Vtep>();
        private readonly List<Route> _routes = new List<Route>();
        private readonly List<Neighbor> _neighbors = new List<Neighbor>();
        private readonly List<FdbEntry> _fdb = new List<FdbEntry>();

        private readonly List<ParseProblem> _problems = new List<ParseProblem>();
        private int _linesRead;

        /// <summary>The host layer: sysctls, packet filter, offloads, counters, flannel's files.</summary>
        internal FlannelTools.HostLayer.HostLayerBuilder Host { get; } = new FlannelTools.HostLayer.HostLayerBuilder();

        public IReadOnlyList<ParseProblem> Problems => _problems.Concat(Host.Problems).ToList();

        public int LinesRead => _linesRead + Host.LinesRead;

        public int LinesSkipped => Problems.Count;

        public static bool IsJson(IEnumerable<string> lines)
        {
            foreach (string line in lines)
            {
                string trimmed = line?.TrimStart(' ', '\t', '\r', '\n', '\uFEFF');
                if (!string.IsNullOrEmpty(trimmed))
                {
                    return trimmed[0] == '[' || trimmed[0] == '{';
                }
            }
            return false;
        }

        /// <summary><c>ip -d link show</c>, <c>ip link show</c> or <c>ip addr show</c>, text or JSON; merged by device name.</summary>
        public void AddLinks(IList<string> lines, TextOrigin origin, int firstLineNumber = 1)
        {
            var vteps = new List<Vtep>();
            ParseResult<Interface> result = IsJson(lines)
                ? IprouteJsonParser.ParseLinks(string.Join("\n", lines), origin, vteps, FirstContentLine(lines, firstLineNumber))
                : IprouteTextParser.ParseLinks(lines, origin, vteps, firstLineNumber);
            Take(result, null);
            foreach (Interface device in result.Entries)
            {
                Interface known = _interfaces.FirstOrDefault(d => d.Name == device.Name);
                if (known == null)
                {
                    _interfaces.Add(device);
                    continue;
                }
                known.Index = known.Index ?? device.Index;
                known.Kind = known.Kind ?? device.Kind;
                known.MacAddress = known.MacAddress ?? device.MacAddress;
                known.Mtu = known.Mtu ?? device.Mtu;
                known.State = known.State ?? device.State;
                known.Master = known.Master ?? device.Master;
                if (known.Flags.Count == 0)
                {
                    known.Flags = device.Flags;
                }
                if (device.Addresses.Count > 0)
                {
                    known.Addresses = new TextList(known.Addresses.Concat(device.Addresses).Distinct());
                }
            }
            foreach (Vtep vtep in vteps)
            {
                int at = _vteps.FindIndex(v => v.Name == vtep.Name);
                if (at < 0)
                {
                    _vteps.Add(vtep);
                }
                else if (_vteps[at].Vni == null)
                {
                    _vteps[at] = vtep;
                }
            }
        }

        /// <summary><c>ip route</c>, <c>ip -6 route</c>, <c>route -n</c> (also <c>-A inet6</c>), or <c>ip -j route</c>.</summary>
        public void AddRoutes(IList<string> lines, TextOrigin origin, int firstLineNumber = 1, string defaultFamily = "inet")
        {
            if (IsJson(lines))
            {
                Take(IprouteJsonParser.ParseRoutes(string.Join("\n", lines), origin, FirstContentLine(lines, firstLineNumber), defaultFamily), _routes);
                return;
            }
            Take(LineTable.Parse(lines, origin, firstLineNumber, (line, source) =>
                IsNetToolsRoute(line) ? NetToolsParser.ParseRoute(line, source) : IprouteTextParser.ParseRoute(line, source, defaultFamily)), _routes);
        }

        /// <summary><c>ip neigh</c>, <c>arp -n</c>, <c>arp -i DEV</c>, <c>arp -a</c>, or <c>ip -j neigh</c>.</summary>
        public void AddNeighbors(IList<string> lines, TextOrigin origin, int firstLineNumber = 1)
        {
            if (IsJson(lines))
            {
                Take(IprouteJsonParser.ParseNeighbors(string.Join("\n", lines), origin, FirstContentLine(lines, firstLineNumber)), _neighbors);
                return;
            }
            Take(LineTable.Parse(lines, origin, firstLineNumber, (line, source) =>
                IsIprouteNeighbor(line) ? IprouteTextParser.ParseNeighbor(line, source) : NetToolsParser.ParseNeighbor(line, source)), _neighbors);
        }

        /// <summary><c>bridge fdb show</c> (also <c>-s</c>) or <c>bridge -j fdb show</c>.</summary>
        public void AddFdb(IList<string> lines, TextOrigin origin, int firstLineNumber = 1, string defaultDevice = null)
        {
            Take(IsJson(lines)
                ? IprouteJsonParser.ParseFdb(string.Join("\n", lines), origin, FirstContentLine(lines, firstLineNumber), defaultDevice)
                : IprouteTextParser.ParseFdb(lines, origin, firstLineNumber, defaultDevice), _fdb);
        }

        public void AddProblem(ParseProblem problem) => _problems.Add(problem);

        public NodeState Build(string hostName, DateTime? collectedAt, string source)
        {
            var state = new NodeState
            {
                HostName = hostName,
                CollectedAt = collectedAt,
                Source = source,
                Vtep = PickVtep(v6: false),
                VtepV6 = PickVtep(v6: true),
                VxlanDevices = new ReadOnlyCollection<Vtep>(_vteps.ToList()),
                Interfaces = new ReadOnlyCollection<Interface>(_interfaces.ToList()),
                Routes = new ReadOnlyCollection<Route>(_routes.ToList()),
                Neighbors = new ReadOnlyCollection<Neighbor>(_neighbors.ToList()),
                Fdb = new ReadOnlyCollection<FdbEntry>(_fdb.ToList()),
            };
            Host.Apply(state);
            return state;
        }

        /// <summary>flannel's device by its name (<c>flannel.N</c>, <c>flannel-v6.N</c>) first, else any VXLAN device of that family.</summary>
        private Vtep PickVtep(bool v6)
        {
            bool IsV6(Vtep v) => v.Name.StartsWith("flannel-v6.", StringComparison.Ordinal) || (v.LocalAddress?.IndexOf(':') ?? -1) >= 0;
            IEnumerable<Vtep> family = _vteps.Where(v => IsV6(v) == v6);
            return family.FirstOrDefault(v => IprouteTextParser.FlannelDeviceName.IsMatch(v.Name)) ?? family.FirstOrDefault();
        }

        private static bool IsNetToolsRoute(string line)
        {
            if (NetToolsParser.IsRouteHeader(line))
            {
                return true;
            }
            var t = new Tokens(line);
            return (t.Count == 8 && t[0].IndexOf('/') < 0 && t[0] != "default" && FlannelTools.Addressing.IpAddressValue.TryParse(t[2], out _) &&
                    System.Text.RegularExpressions.Regex.IsMatch(t[3], "^[A-Za-z!]+$")) ||
                   (t.Count == 7 && t[0].IndexOf('/') > 0 && t[1].IndexOf(':') >= 0 && System.Text.RegularExpressions.Regex.IsMatch(t[2], "^[A-Za-z!]+$"));
        }

        private static bool IsIprouteNeighbor(string line)
        {
            var t = new Tokens(line);
            return t.Count >= 2 && (t[1] == "dev" || t[1] == "lladdr" || line.Contains(" lladdr "));
        }

        private void Take<T>(ParseResult<T> result, List<T> into)
        {
            _linesRead += result.LinesRead;
            _problems.AddRange(result.Problems);
            into?.AddRange(result.Entries);
        }

        private static int FirstContentLine(IList<string> lines, int firstLineNumber)
        {
            for (int i = 0; i < lines.Count; i++)
            {
                if (!string.IsNullOrWhiteSpace(lines[i]))
                {
                    return firstLineNumber + i;
                }
            }
            return firstLineNumber;
        }
    }
}
