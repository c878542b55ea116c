using System.Text.RegularExpressions;
using FlannelTools.Addressing;

namespace FlannelTools.NodeTables
{
    /// <summary>
    /// net-tools' text forms, as the walkthrough used them: <c>route -n</c> (and <c>route -n -A inet6</c>) and
    /// <c>arp -n</c> / <c>arp -i DEV</c> (and <c>arp -a</c>). Names instead of numbers (<c>route</c> or <c>arp</c>
    /// without <c>-n</c>) are problems: a name is not an address.
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

        /// <summary>
        /// One <c>route -n</c> line, <c>Destination Gateway Genmask Flags Metric Ref Use Iface</c>, or of
        /// <c>route -n -A inet6</c>, <c>Destination Next-Hop Flag Met Ref Use If</c>; null for a header.
        /// </summary>
        /// <exception cref="FormatException">The line is not a route this parser understands.</exception>
        public static Route ParseRoute(string line, string source)
        {
            if (IsRouteHeader(line))
            {
                return null;
            }
            var t = new Tokens(line);
            if (t.Count == 8)
            {
                return ParseIPv4Route(t, source);
            }
            if (t.Count == 7 && t[0].IndexOf(':') >= 0)
            {
                return ParseIPv6Route(t, source);
            }
            throw new FormatException("not a route -n line (Destination Gateway Genmask Flags Metric Ref Use Iface)");
        }

        private static Route ParseIPv4Route(Tokens t, string source)
        {
            if (!IpPrefix.TryFromNetmask(t[0], t[2], out IpPrefix prefix))
            {
                throw new FormatException("'" + t[0] + "' with mask '" + t[2] + "' is not a destination (route without -n prints names)");
            }
            string gateway = Tokens.AddressText(t[1], "gateway");
            return NewRoute("inet", prefix, gateway == "0.0.0.0" ? null : gateway, t[3], t[4], t[7], source);
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
