namespace FlannelTools.NodeTables
{
    /// <summary>
    /// iproute2's JSON (<c>ip -j -d link show</c>, <c>ip -j addr show</c>, <c>ip -j route show</c>, <c>ip -j neigh show</c>,
    /// <c>bridge -j fdb show</c>). Text that is not JSON is one problem; an element that lacks what an entry needs is a
    /// problem naming its position, and the other elements are still read.
    /// </summary>
    internal static class IprouteJsonParser
    {
        public static ParseResult<FdbEntry> ParseFdb(string json, TextOrigin origin, int lineNumber = 1, string defaultDevice = null) =>
            ParseArray(json, origin, lineNumber, "FDB entry", element =>
            {
                var entry = new FdbEntry
                {
                    Source = origin.SourceOf(lineNumber),
                    MacAddress = Tokens.Mac(Required(element, "mac"), "mac"),
                    Device = JsonText.String(element, "ifname") ?? defaultDevice,
                    Destination = OptionalAddress(element, "dst"),
                    Vlan = (int?)JsonText.Integer(element, "vlan"),
                    Port = (int?)JsonText.Integer(element, "port"),
                    Vni = (int?)JsonText.Integer(element, "vni"),
                    Via = JsonText.String(element, "viaIfname") ?? JsonText.String(element, "via"),
                    Master = JsonText.String(element, "master"),
                    Flags = new TextList(Strings(element, "flags")),
                };
                string state = JsonText.String(element, "state");
                entry.State = string.IsNullOrEmpty(state) ? null : state;
                return entry;
            });

        public static ParseResult<Route> ParseRoutes(string json, TextOrigin origin, int lineNumber = 1, string defaultFamily = "inet") =>
            ParseArray(json, origin, lineNumber, "route", element =>
            {
                if (JsonText.Member(element, "nexthops") != null)
                {
                    throw new FormatException("a multipath route (" + JsonText.String(element, "dst") + "); multipath routes are not read");
                }
                string table = JsonText.String(element, "table");
                if (table != null && table != "main")
                {
                    throw new FormatException("a route of table '" + table + "', not of the main table");
                }
                var route = new Route
                {
                    Source = origin.SourceOf(lineNumber),
                    Type = JsonText.String(element, "type") ?? "unicast",
                    Destination = Tokens.Prefix(Required(element, "dst"), out int version),
                    Gateway = OptionalAddress(element, "gateway"),
                    Device = JsonText.String(element, "dev"),
                    Protocol = JsonText.String(element, "protocol"),
                    Scope = JsonText.String(element, "scope"),
                    PreferredSource = OptionalAddress(element, "prefsrc"),
                    Metric = (int?)JsonText.Integer(element, "metric"),
                    Flags = new TextList(Strings(element, "flags")),
                };
                if (version == 0 && route.Gateway != null)
                {
                    version = route.Gateway.IndexOf(':') >= 0 ? 6 : 4;
                }
                route.Family = version == 6 ? "inet6" : version == 4 ? "inet" : defaultFamily;
                return route;
            });

        public static ParseResult<Neighbor> ParseNeighbors(string json, TextOrigin origin, int lineNumber = 1) =>
            ParseArray(json, origin, lineNumber, "neighbour entry", element =>
            {
                string lladdr = JsonText.String(element, "lladdr");
                var flags = new[] { "router", "proxy", "extern_learn", "offload", "managed", "extern_valid" }
                    .Where(f => element is Dictionary<string, object> d && d.ContainsKey(f));
                List<string> states = Strings(element, "state");
                return new Neighbor
                {
                    Source = origin.SourceOf(lineNumber),
                    Address = Tokens.AddressText(Required(element, "dst"), "dst"),
                    Device = JsonText.String(element, "dev"),
                    MacAddress = lladdr == null ? null : Tokens.Mac(lladdr, "lladdr"),
                    State = states.Count == 0 ? throw new FormatException("a neighbour entry without a state") : string.Join(",", states),
                    Flags = new TextList(flags),
                };
            });

        /// <summary>
        /// <c>ip -j [-d] link show</c> or <c>ip -j addr show</c>: one device per element; VXLAN devices (with <c>-d</c>)
        /// also become a <see cref="Vtep"/> in <paramref name="vteps"/>.
        /// </summary>
        public static ParseResult<Interface> ParseLinks(string json, TextOrigin origin, List<Vtep> vteps, int lineNumber = 1) =>
            ParseArray(json, origin, lineNumber, "device", element =>
            {
                string name = Required(element, "ifname");
                object linkInfo = JsonText.Member(element, "linkinfo");
                string linkType = JsonText.String(element, "link_type");
                var device = new Interface
                {
                    Source = origin.SourceOf(lineNumber),
                    Index = (int?)JsonText.Integer(element, "ifindex"),
                    Name = name,
                    Kind = JsonText.String(linkInfo, "info_kind"),
                    MacAddress = linkType == "ether" && JsonText.String(element, "address") is string mac ? Tokens.Mac(mac, "address") : null,
                    Mtu = (int?)JsonText.Integer(element, "mtu"),
                    State = JsonText.String(element, "operstate"),
                    Flags = new TextList(Strings(element, "flags")),
                    Master = JsonText.String(element, "master"),
                    Addresses = new TextList(JsonText.Array(element, "addr_info").Select(AddressOf).Where(a => a != null)),
                };
                if (device.Kind == "vxlan")
                {
                    object data = JsonText.Member(linkInfo, "info_data");
                    bool? learning = JsonText.Boolean(data, "learning");
                    vteps.Add(new Vtep
                    {
                        Name = name,
                        MacAddress = device.MacAddress,
                        Mtu = device.Mtu,
                        State = device.State,
                        Vni = (int?)JsonText.Integer(data, "id"),
                        Port = (int?)JsonText.Integer(data, "port"),
                        LocalAddress = OptionalAddress(data, "local") ?? OptionalAddress(data, "local6"),
                        UnderlayDevice = JsonText.String(data, "link"),
                        Learning = learning,
                        Source = device.Source,
                    });
                }
                else if (device.Kind == null && linkInfo == null && IprouteTextParser.FlannelDeviceName.IsMatch(name) && JsonText.Member(element, "addr_info") == null)
                {
                    vteps.Add(new Vtep { Name = name, MacAddress = device.MacAddress, Mtu = device.Mtu, State = device.State, Source = device.Source });
                }
                return device;
            });

        private static string AddressOf(object info)
        {
            string local = JsonText.String(info, "local");
            long? length = JsonText.Integer(info, "prefixlen");
            if (local == null || length == null || !IpPrefix.TryParse(local + "/" + length.Value.ToString(CultureInfo.InvariantCulture), out IpPrefix prefix))
            {
                return null;
            }
            return prefix.ToString();
        }

        private static ParseResult<T> ParseArray<T>(string json, TextOrigin origin, int lineNumber, string what, Func<object, T> read)
        {
            var result = new ParseResult<T>();
            object document;
            try
            {
                document = JsonText.Parse(json);
            }
            catch (FormatException e)
            {
                result.LinesRead = 1;
                result.Problems.Add(new ParseProblem(origin.Name, lineNumber, null, e.Message));
                return result;
            }
            if (!(document is List<object> elements))
            {
                result.LinesRead = 1;
                result.Problems.Add(new ParseProblem(origin.Name, lineNumber, null, "the JSON is not an array of " + what + " objects"));
                return result;
            }
            for (int i = 0; i < elements.Count; i++)
            {
                result.LinesRead++;
                try
                {
                    if (!(elements[i] is Dictionary<string, object>))
                    {
                        throw new FormatException("not an object");
                    }
                    result.Entries.Add(read(elements[i]));
                }
                catch (FormatException e)
                {
                    result.Problems.Add(new ParseProblem(origin.Name, lineNumber, null,
                        string.Format(CultureInfo.InvariantCulture, "{0} {1} of the JSON array: {2}", what, i + 1, e.Message)));
                }
            }
            return result;
        }

        private static string Required(object element, string name) =>
            JsonText.String(element, name) ?? throw new FormatException("no '" + name + "'");

        private static string OptionalAddress(object element, string name) =>
            JsonText.String(element, name) is string text ? Tokens.AddressText(text, name) : null;

        private static List<string> Strings(object element, string name) =>
            JsonText.Array(element, name).OfType<string>().Where(s => s.Length > 0).ToList();
    }
}
