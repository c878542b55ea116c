namespace FlannelTools.NodeTables
{
    /// <summary>
    /// net-tools' text forms, as the walkthrough used them: <c>route -n</c> (and <c>route -n -A inet6</c>),
    /// <c>netstat -rn</c>, and <c>arp -n</c> / <c>arp -e</c> / <c>arp -i DEV</c> (and <c>arp -a</c>, <c>arp -na</c>).
    /// Of <c>route</c> without <c>-n</c>, <c>default</c> and <c>*</c> are read, and a gateway name is kept as
    /// <see cref="FlannelTools.Route.GatewayUnresolved"/>; a destination name, or an arp address name, is a problem:
    /// a name is not an address.
    /// </summary>
    internal static class NetToolsParser
    {
        public static ParseResult<Route> ParseRoutes(IEnumerable<string> lines, TextOrigin origin, int firstLineNumber = 1) =>
            LineTable.Parse(lines, origin, firstLineNumber, ParseRoute);

        public static ParseResult<Neighbor> ParseNeighbors(IEnumerable<string> lines, TextOrigin origin, int firstLineNumber = 1) =>
            LineTable.Parse(lines, origin, firstLineNumber, ParseNeighbor);

        /// <summary>True for a header line of <c>route -n</c>.</summary>
        public static bool IsRouteHeader(string line)
        {
            string trimmed = line.TrimStart();
            return trimmed.StartsWith("Kernel IP", StringComparison.Ordinal) || trimmed.StartsWith("Destination ", StringComparison.Ordinal);
        }

        /// <summary>True for the column header of <c>netstat -rn</c>, <c>Destination Gateway Genmask Flags MSS Window irtt Iface</c>.</summary>
        public static bool IsNetstatHeader(string line)
        {
            var t = new Tokens(line);
            return t.Count == 8 && t[0] == "Destination" && t[4] == "MSS" && t[5] == "Window";
        }

        /// <summary>
        /// One <c>route -n</c> line, <c>Destination Gateway Genmask Flags Metric Ref Use Iface</c>, or of
        /// <c>route -n -A inet6</c>, <c>Destination Next-Hop Flag Met Ref Use If</c>; null for a header.
        /// </summary>
        /// <exception cref="FormatException">The line is not a route this parser understands.</exception>
        public static Route ParseRoute(string line, string source) => ParseRoute(line, source, netstat: false);

        /// <summary>One <c>route -n</c> or <c>netstat -rn</c> line; <paramref name="warn"/> hears of a redacted gateway, whose route is kept.</summary>
        public static Route ParseRoute(string line, string source, bool netstat, Action<string> warn)
        {
            _warn = warn;
            try
            {
                return ParseRoute(line, source, netstat);
            }
            finally
            {
                _warn = null;
            }
        }

        [ThreadStatic]
        private static Action<string> _warn;

        /// <summary>
        /// One <c>route -n</c> line, or with <paramref name="netstat"/> one <c>netstat -rn</c> line
        /// (<c>Destination Gateway Genmask Flags MSS Window irtt Iface</c>: no metric); null for a header.
        /// </summary>
        /// <exception cref="FormatException">The line is not a route this parser understands.</exception>
        public static Route ParseRoute(string line, string source, bool netstat)
        {
            if (IsRouteHeader(line))
            {
                return null;
            }
            var t = new Tokens(line);
            if (t.Count == 8)
            {
                Route route = ParseIPv4Route(t, source);
                if (netstat)
                {
                    route.Metric = null;
                }
                return route;
            }
            if (t.Count == 7 && t[0].IndexOf(':') >= 0)
            {
                return ParseIPv6Route(t, source);
            }
            throw new FormatException("not a route -n line (Destination Gateway Genmask Flags Metric Ref Use Iface)");
        }

        private static Route ParseIPv4Route(Tokens t, string source)
        {
            // route without -n prints 'default' for 0.0.0.0, '*' for no gateway (older net-tools), and names where it can.
            string destination = t[0] == "default" ? "0.0.0.0" : t[0];
            if (!IpPrefix.TryFromNetmask(destination, t[2], out IpPrefix prefix))
            {
                if (Tokens.IsRedacted(destination))
                {
                    throw new FormatException("a redacted destination '" + t[0] + "': the route is left out");
                }
                throw new FormatException("'" + t[0] + "' with mask '" + t[2] + "' is not a destination (route without -n prints network names; use route -n)");
            }
            string gateway;
            bool unresolved = false;
            if (t[1] == "*")
            {
                gateway = null;
            }
            else if (IpAddressValue.TryParse(t[1], out IpAddressValue address))
            {
                gateway = address.ToString() == "0.0.0.0" ? null : address.ToString();
            }
            else if (Tokens.IsRedacted(t[1]))
            {
                gateway = t[1];
                unresolved = true;
                _warn?.Invoke("a redacted gateway '" + t[1] + "': the route is kept, its next hop is unresolved");
            }
            else if (Regex.IsMatch(t[1], @"^[A-Za-z0-9_][A-Za-z0-9_.-]*$", RegexOptions.CultureInvariant))
            {
                // A host name (route without -n): kept as printed, not an address.
                gateway = t[1];
                unresolved = true;
            }
            else
            {
                throw new FormatException("'" + t[1] + "' is not an IP address (gateway)");
            }
            Route route = NewRoute("inet", prefix, gateway, t[3], t[4], t[7], source);
            route.GatewayUnresolved = unresolved;
            return route;
        }

        private static Route ParseIPv6Route(Tokens t, string source)
        {
            if (!IpPrefix.TryParse(t[0], out IpPrefix prefix))
            {
                throw new FormatException("'" + t[0] + "' is not a destination prefix");
            }
            string gateway = Tokens.AddressText(t[1], "next hop");
            Route route = NewRoute("inet6", prefix, gateway == "::" ? null : gateway, t[2], t[3], t[6], source);
            if (route.Device == "lo" && route.Gateway == null)
            {
                // /proc/net/ipv6_route lists the local table too: the node's own addresses, on lo.
                route.Type = "local";
            }
            return route;
        }

        private static Route NewRoute(string family, IpPrefix prefix, string gateway, string flags, string metric, string device, string source)
        {
            if (!Regex.IsMatch(flags, "^[A-Za-z!]+$", RegexOptions.CultureInvariant) || flags.IndexOf('U') < 0 && flags.IndexOf('!') < 0)
            {
                throw new FormatException("'" + flags + "' are not route flags (U, G, H …)");
            }
            if (!int.TryParse(metric, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int metricValue))
            {
                throw new FormatException("'" + metric + "' is not a metric");
            }
            return new Route
            {
                Family = family,
                Type = flags.IndexOf('!') >= 0 ? "unreachable" : "unicast",
                Destination = prefix.Length == 0 ? "default" : new IpPrefix(prefix.Address, prefix.Length).ToString(),
                Gateway = gateway,
                Device = device == "-" ? null : device,
                Metric = metricValue,
                Source = source,
            };
        }

        private static readonly Regex BsdArp = new Regex(@"^\S+ \((?<address>[^)]+)\) at (?<mac><incomplete>|\S+)(?: \[(?<hwtype>[^\]]*)\])?(?<flags>(?: (?:PERM|PUB))*) on (?<device>\S+)\s*$",
            RegexOptions.CultureInvariant);

        /// <summary>
        /// One <c>arp -n</c> line, <c>Address HWtype HWaddress Flags Mask Iface</c> (the Mask column may be blank or
        /// absent), or one <c>arp -a</c> line, <c>? (10.244.2.0) at ee:81:17:b0:fd:7b [ether] PERM on flannel.1</c>;
        /// null for a header or arp's "no match found".
        /// </summary>
        /// <exception cref="FormatException">The line is not a neighbour entry this parser understands.</exception>
        public static Neighbor ParseNeighbor(string line, string source)
        {
            string trimmed = line.Trim();
            if (trimmed.StartsWith("Address ", StringComparison.Ordinal) || trimmed.StartsWith("arp: in ", StringComparison.Ordinal))
            {
                return null;
            }
            Match bsd = BsdArp.Match(trimmed);
            if (bsd.Success)
            {
                bool incomplete = bsd.Groups["mac"].Value == "<incomplete>";
                string flagWords = bsd.Groups["flags"].Value;
                return new Neighbor
                {
                    Address = Tokens.AddressText(bsd.Groups["address"].Value, "arp -a address"),
                    MacAddress = incomplete ? null : Tokens.Mac(bsd.Groups["mac"].Value, "arp -a"),
                    Device = bsd.Groups["device"].Value,
                    State = incomplete ? "INCOMPLETE" : flagWords.Contains("PERM") ? "PERMANENT" : "VALID",
                    Flags = new TextList(flagWords.Contains("PUB") ? new[] { "proxy" } : null),
                    Source = source,
                };
            }
            var t = new Tokens(trimmed);
            if (t.Count == 3 && t[1] == "(incomplete)")
            {
                return new Neighbor { Address = Tokens.AddressText(t[0], "arp address"), Device = t[2], State = "INCOMPLETE", Source = source };
            }
            if (t.Count != 5 && t.Count != 6)
            {
                throw new FormatException("not an arp -n line (Address HWtype HWaddress Flags Mask Iface)");
            }
            string flags = t[3];
            if (!Regex.IsMatch(flags, "^[CMP]+$", RegexOptions.CultureInvariant))
            {
                throw new FormatException("'" + flags + "' are not arp flags (C, M, P)");
            }
            return new Neighbor
            {
                Address = Tokens.AddressText(t[0], "arp address; arp without -n prints names"),
                MacAddress = Tokens.Mac(t[2], "HWaddress"),
                Device = t[t.Count - 1],
                State = flags.IndexOf('M') >= 0 ? "PERMANENT" : flags.IndexOf('C') >= 0 ? "VALID" : "INCOMPLETE",
                Flags = new TextList(flags.IndexOf('P') >= 0 ? new[] { "proxy" } : null),
                Source = source,
            };
        }
    }
}
