namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>Whether a condition matches a probe: yes, no, or maybe (it cannot be told for this probe, or at all).</summary>
    internal enum Tri
    {
        No,
        Maybe,
        Yes,
    }

    /// <summary>Judges one rule condition against a probe packet on one hook, looking named sets up in the node's ruleset.</summary>
    internal sealed class RuleConditions
    {
        private static readonly Dictionary<string, string> ProtocolNumbers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["1"] = "icmp", ["6"] = "tcp", ["17"] = "udp", ["58"] = "ipv6-icmp", ["132"] = "sctp", ["136"] = "udplite", ["icmpv6"] = "ipv6-icmp",
        };

        private static readonly Dictionary<string, int> Services = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase)
        {
            ["ssh"] = 22, ["domain"] = 53, ["http"] = 80, ["https"] = 443, ["bootps"] = 67, ["bootpc"] = 68, ["ntp"] = 123,
        };

        private readonly NodeState _state;
        private readonly PacketProbe _probe;
        private readonly string _hook;

        public RuleConditions(NodeState state, PacketProbe probe, string hook)
        {
            _state = state;
            _probe = probe;
            _hook = hook;
        }

        /// <summary>
        /// Whether the condition matches, the rule's own backend and table telling which named set it means. A condition
        /// on the other IP version (<c>ip saddr</c> seen by an IPv6 packet in an inet table) does not match even when
        /// negated: nft's payload match needs the protocol it reads.
        /// </summary>
        public Tri Match(RuleMatch condition, FirewallRule rule, uint? mark)
        {
            IEnumerable<string> values = condition.Values;
            if (condition.SetName != null)
            {
                FirewallSet set = FindSet(rule, condition.SetName);
                if (set == null || set.Type == null || set.Type.IndexOf(" . ", StringComparison.Ordinal) >= 0)
                {
                    // An ipset (not read), a set not read, or a concatenation: its elements cannot be matched here.
                    return Tri.Maybe;
                }
                values = set.Elements;
            }
            List<string> texts = values.Select(Unquote).Where(v => v.Length > 0).ToList();
            Tri result;
            switch (condition.Field)
            {
                case RuleField.NetworkFamily:
                    result = Any(texts, v => Same(FamilyWord(v), _probe.IsIPv6 ? "ipv6" : "ipv4"));
                    break;
                case RuleField.L4Proto:
                    result = _probe.L4Proto == null ? Tri.Maybe : Any(texts, v => v == "all" || v == "0" || Same(Protocol(v), Protocol(_probe.L4Proto)));
                    break;
                case RuleField.SourceAddress:
                case RuleField.DestinationAddress:
                    string address = condition.Field == RuleField.SourceAddress ? _probe.SourceAddress : _probe.DestinationAddress;
                    if (!IpAddressValue.TryParse(address, out IpAddressValue probeAddress))
                    {
                        return Tri.Maybe;
                    }
                    if (texts.Count > 0 && texts.All(v => OtherVersion(v, probeAddress.Version)))
                    {
                        return Tri.No;
                    }
                    result = AnyTri(texts, v => AddressMatches(v, probeAddress));
                    break;
                case RuleField.SourcePort:
                case RuleField.DestinationPort:
                    int? port = condition.Field == RuleField.SourcePort ? _probe.SourcePort : _probe.DestinationPort;
                    result = AnyTri(texts, v => PortMatches(v, port));
                    break;
                case RuleField.InInterface:
                    result = InterfaceMatches(texts, _hook == "output" ? null : _probe.InInterface);
                    break;
                case RuleField.OutInterface:
                    // Before routing (ingress, prerouting) the packet has no output device yet.
                    result = InterfaceMatches(texts, _hook == "prerouting" || _hook == "ingress" || _hook == "input" ? null : _probe.OutInterface);
                    break;
                case RuleField.CtState:
                    result = _probe.CtState == null || _hook == "ingress" ? Tri.Maybe
                        : Any(texts.SelectMany(v => v.Split(',')), v => Same(v.Trim(), _probe.CtState));
                    break;
                case RuleField.ReversePathRoute:
                    result = ReversePath(condition, texts, mark);
                    break;
                case RuleField.CtStatus:
                    result = _probe.CtStatus == null || _hook == "ingress" ? Tri.Maybe
                        : Any(texts.SelectMany(v => v.Split(',')), v => _probe.CtStatus.Contains(v.Trim().ToLowerInvariant()));
                    break;
                case RuleField.Mark:
                    result = mark == null ? Tri.Maybe : AnyTri(texts, v => MarkMatches(v, mark.Value));
                    break;
                case RuleField.DestinationAddressType:
                    result = _probe.DestinationAddressType == null ? Tri.Maybe : Any(texts.SelectMany(v => v.Split(',')), v => Same(v, _probe.DestinationAddressType));
                    break;
                case RuleField.SourceAddressType:
                    result = _probe.SourceAddressType == null ? Tri.Maybe : Any(texts.SelectMany(v => v.Split(',')), v => Same(v, _probe.SourceAddressType));
                    break;
                case RuleField.PacketType:
                    result = _probe.PacketType == null ? Tri.Maybe : Any(texts, v => Same(PacketTypeWord(v), PacketTypeWord(_probe.PacketType)));
                    break;
                default:
                    return Tri.Maybe;
            }
            return condition.Negated ? Not(result) : result;
        }

        /// <summary>A named nftables set of the rule's table (nft sets belong to their table).</summary>
        public FirewallSet FindSet(FirewallRule rule, string name) =>
            _state.FirewallSets?.FirstOrDefault(s => s.Backend == rule.Backend && s.Family == rule.Family && s.Table == rule.Table && s.Name == name);

        /// <summary>
        /// The reverse-path lookup from the main table (what <see cref="NodeState.FindRoute"/> answers): a route back to
        /// the source exists, and with <c>. iif</c> it leaves through the device the packet came in on. A lookup keyed on a
        /// mark that is set is policy routing, which is not read: maybe.
        /// </summary>
        private Tri ReversePath(RuleMatch condition, List<string> texts, uint? mark)
        {
            string lookup = condition.Text ?? string.Empty;
            bool strict = lookup.IndexOf(". iif", StringComparison.Ordinal) >= 0;
            if (_probe.SourceAddress == null || (strict && _probe.InInterface == null) || _hook == "ingress" ||
                (lookup.IndexOf("mark", StringComparison.Ordinal) >= 0 && mark != 0) || texts.Count != 1)
            {
                return Tri.Maybe;
            }
            Route back = _state.FindRoute(_probe.SourceAddress);
            bool exists = back != null && back.Type == "unicast" && (!strict || back.Device == _probe.InInterface);
            switch (texts[0].ToLowerInvariant())
            {
                case "missing":
                    return exists ? Tri.No : Tri.Yes;
                case "exists":
                    return exists ? Tri.Yes : Tri.No;
                default:
                    return Tri.Maybe;
            }
        }

        private static Tri Not(Tri value) => value == Tri.Yes ? Tri.No : value == Tri.No ? Tri.Yes : Tri.Maybe;

        private static Tri Any(IEnumerable<string> values, Func<string, bool> matches) => values.Any(matches) ? Tri.Yes : Tri.No;

        private static Tri AnyTri(IEnumerable<string> values, Func<string, Tri> matches)
        {
            Tri best = Tri.No;
            foreach (string value in values)
            {
                Tri one = matches(value);
                if (one == Tri.Yes)
                {
                    return Tri.Yes;
                }
                if (one == Tri.Maybe)
                {
                    best = Tri.Maybe;
                }
            }
            return best;
        }

        private static bool Same(string left, string right) => string.Equals(left, right, StringComparison.OrdinalIgnoreCase);

        private static string Unquote(string value) => (value ?? string.Empty).Trim().Trim('"');

        private static string FamilyWord(string value) =>
            value == "ip" || value == "ip4" || value == "ipv4" ? "ipv4" : value == "ip6" || value == "ipv6" ? "ipv6" : value;

        private static string Protocol(string value) => ProtocolNumbers.TryGetValue(value, out string name) ? name : value.ToLowerInvariant();

        private static string PacketTypeWord(string value) => Same(value, "unicast") ? "host" : value.ToLowerInvariant();

        /// <summary>An address, a prefix (<c>10.244.0.0/16</c>) or a range (<c>10.0.0.1-10.0.0.9</c>).</summary>
        private static Tri AddressMatches(string value, IpAddressValue address)
        {
            int dash = value.IndexOf('-');
            if (dash > 0)
            {
                if (!IpAddressValue.TryParse(value.Substring(0, dash), out IpAddressValue low) || !IpAddressValue.TryParse(value.Substring(dash + 1), out IpAddressValue high))
                {
                    return Tri.Maybe;
                }
                if (low.Version != address.Version)
                {
                    return Tri.No;
                }
                return Compare(low, address) <= 0 && Compare(address, high) <= 0 ? Tri.Yes : Tri.No;
            }
            if (!IpPrefix.TryParse(value, out IpPrefix prefix))
            {
                return Tri.Maybe;
            }
            return prefix.Contains(address) ? Tri.Yes : Tri.No;
        }

        private static bool OtherVersion(string value, int version)
        {
            string first = value.Split('-')[0];
            return IpPrefix.TryParse(first, out IpPrefix prefix) && prefix.Version != version;
        }

        private static int Compare(IpAddressValue left, IpAddressValue right) =>
            left.High != right.High ? left.High.CompareTo(right.High) : left.Low.CompareTo(right.Low);

        /// <summary>A port, a range <c>a-b</c> or a service name; for any port (null), a condition only some ports meet may match.</summary>
        private static Tri PortMatches(string value, int? port)
        {
            string[] ends = value.Split(new[] { '-', ':' }, 2);
            if (!TryPort(ends[0], out int low) || !TryPort(ends.Length > 1 ? ends[1] : ends[0], out int high))
            {
                return Tri.Maybe;
            }
            if (port == null)
            {
                return low <= 1 && high >= 65535 ? Tri.Yes : Tri.Maybe;
            }
            return low <= port.Value && port.Value <= high ? Tri.Yes : Tri.No;
        }

        private static bool TryPort(string text, out int port)
        {
            text = text.Trim();
            if (text.Length == 0)
            {
                port = -1;
                return false;
            }
            if (Services.TryGetValue(text, out port))
            {
                return true;
            }
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535;
        }

        /// <summary>An interface name, or a prefix wildcard (<c>veth*</c> in nft, <c>veth+</c> in iptables); no device (null) matches no name.</summary>
        private static Tri InterfaceMatches(List<string> names, string device)
        {
            if (device == null)
            {
                return Tri.No;
            }
            return Any(names, name =>
                name.EndsWith("*", StringComparison.Ordinal) || name.EndsWith("+", StringComparison.Ordinal)
                    ? device.StartsWith(name.Substring(0, name.Length - 1), StringComparison.Ordinal)
                    : device == name);
        }

        /// <summary><c>value/mask</c> or a bare value (mask all ones), hex or decimal.</summary>
        private static Tri MarkMatches(string value, uint mark)
        {
            int slash = value.IndexOf('/');
            uint mask = uint.MaxValue;
            if (!FirewallEvaluator.TryReadNumber(slash < 0 ? value : value.Substring(0, slash), out uint expected) ||
                (slash >= 0 && !FirewallEvaluator.TryReadNumber(value.Substring(slash + 1), out mask)))
            {
                return Tri.Maybe;
            }
            return (mark & mask) == expected ? Tri.Yes : Tri.No;
        }
    }
}
