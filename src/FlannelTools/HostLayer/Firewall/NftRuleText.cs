namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>
    /// Reads one nft rule (<c>iifname "eth0" udp dport 8472 counter drop</c>) into conditions and an action. A condition
    /// it has no field for is kept as <see cref="RuleField.Other"/> with its text; a statement it does not know makes the
    /// rule unjudgeable. <c>udp dport</c> and the like also add the protocol nft implies (<c>meta l4proto udp</c>), and
    /// <c>ip</c>/<c>ip6</c> selectors the network family. Named services (<c>http</c>) become their port numbers.
    /// </summary>
    internal static class NftRuleText
    {
        private static readonly HashSet<string> TransportProtocols = new HashSet<string>(StringComparer.Ordinal) { "tcp", "udp", "udplite", "sctp", "dccp" };

        private static readonly HashSet<string> Operators = new HashSet<string>(StringComparer.Ordinal) { "==", "!=", "<", ">", "<=", ">=", "eq", "ne", "lt", "gt", "le", "ge" };

        private static readonly HashSet<string> BinaryOperators = new HashSet<string>(StringComparer.Ordinal) { "&", "|", "^", "<<", ">>", "and", "or", "xor", "lshift", "rshift" };

        // The meta keys nft writes without "meta" (mark only in older versions).
        private static readonly HashSet<string> BareMetaKeys = new HashSet<string>(StringComparer.Ordinal) { "iif", "oif", "iifname", "oifname", "iifgroup", "oifgroup", "mark" };

        // Selectors of two words whose first word names a header.
        private static readonly HashSet<string> Headers = new HashSet<string>(StringComparer.Ordinal)
        {
            "ip", "ip6", "tcp", "udp", "udplite", "sctp", "dccp", "th", "icmp", "icmpv6", "igmp", "ether", "vlan", "arp", "ah", "esp", "comp", "dst", "frag", "hbh", "mh", "rt", "rt0", "rt2", "srh", "gre", "vxlan",
        };

        private static readonly Dictionary<string, string> Services = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            { "ftp", "21" }, { "ssh", "22" }, { "telnet", "23" }, { "smtp", "25" }, { "domain", "53" }, { "bootps", "67" }, { "bootpc", "68" },
            { "http", "80" }, { "ntp", "123" }, { "snmp", "161" }, { "bgp", "179" }, { "https", "443" }, { "isakmp", "500" }, { "syslog", "514" },
            { "dhcpv6-client", "546" }, { "dhcpv6-server", "547" }, { "ipsec-nat-t", "4500" }, { "vxlan", "4789" },
        };

        public static ParsedRule Parse(string text)
        {
            var rule = new ParsedRule { Text = text };
            List<string> tokens = NftSyntax.Words(text ?? string.Empty);
            int i = 0;
            while (i < tokens.Count)
            {
                int start = i;
                if (TryStatement(tokens, ref i, rule))
                {
                    continue;
                }
                if (TryCondition(tokens, ref i, rule))
                {
                    continue;
                }
                rule.Action = RuleAction.Unknown;
                rule.Unjudgeable = "unknown statement '" + string.Join(" ", tokens.Skip(start)) + "'";
                break;
            }
            return rule;
        }

        private static bool TryStatement(List<string> tokens, ref int i, ParsedRule rule)
        {
            string word = tokens[i];
            switch (word)
            {
                case "accept":
                    rule.Action = RuleAction.Accept;
                    i++;
                    return true;
                case "drop":
                    rule.Action = RuleAction.Drop;
                    i++;
                    return true;
                case "return":
                    rule.Action = RuleAction.Return;
                    i++;
                    return true;
                case "continue":
                    rule.Action = RuleAction.Continue;
                    i++;
                    return true;
                case "jump":
                case "goto":
                    rule.Action = word == "jump" ? RuleAction.Jump : RuleAction.Goto;
                    rule.TargetChain = At(tokens, i + 1);
                    i += 2;
                    return true;
                case "reject":
                    rule.Action = RuleAction.Reject;
                    rule.ActionOptions = TakeOptions(tokens, ref i);
                    return true;
                case "masquerade":
                    rule.Action = RuleAction.Masquerade;
                    rule.ActionOptions = TakeOptions(tokens, ref i);
                    return true;
                case "snat":
                    rule.Action = RuleAction.Snat;
                    rule.ActionOptions = TakeOptions(tokens, ref i);
                    return true;
                case "dnat":
                    rule.Action = RuleAction.Dnat;
                    rule.ActionOptions = TakeOptions(tokens, ref i);
                    return true;
                case "redirect":
                    rule.Action = RuleAction.Redirect;
                    rule.ActionOptions = TakeOptions(tokens, ref i);
                    return true;
                case "notrack":
                    i++;
                    return true;
                case "counter":
                    i++;
                    if (At(tokens, i) == "name")
                    {
                        i += 2;
                    }
                    while (At(tokens, i) == "packets" || At(tokens, i) == "bytes")
                    {
                        i += 2;
                    }
                    return true;
                case "comment":
                    i += 2;
                    return true;
                case "log":
                    i++;
                    while (new[] { "prefix", "level", "group", "snaplen", "queue-threshold", "flags" }.Contains(At(tokens, i)))
                    {
                        i += 2;
                    }
                    return true;
                case "limit":
                case "quota":
                    // A limit or quota matches only part of the packets: a condition, and one the model cannot judge.
                    int begin = i;
                    i++;
                    while (i < tokens.Count && !IsStatementWord(tokens[i]))
                    {
                        i++;
                    }
                    rule.Matches.Add(new RuleMatch(RuleField.Other, null, text: string.Join(" ", tokens.Skip(begin).Take(i - begin))));
                    return true;
                case "xt":
                    string kind = At(tokens, i + 1);
                    string xt = string.Join(" ", tokens.Skip(i).Take(3));
                    i += 3;
                    if (kind == "target")
                    {
                        rule.Action = RuleAction.Unknown;
                        rule.Unjudgeable = xt + ": an iptables-nft target that nft shows only by name";
                    }
                    else
                    {
                        rule.Matches.Add(new RuleMatch(RuleField.Other, null, text: xt));
                    }
                    return true;
                case "#":
                    rule.Action = RuleAction.Unknown;
                    rule.Unjudgeable = string.Join(" ", tokens.Skip(i + 1));
                    i = tokens.Count;
                    return true;
                case "queue":
                    rule.Action = RuleAction.Unknown;
                    int q = i;
                    TakeOptions(tokens, ref i);
                    rule.Unjudgeable = string.Join(" ", tokens.Skip(q).Take(i - q)) + ": the verdict is a userspace program's";
                    return true;
                case "mark":
                    if (At(tokens, i + 1) == "set")
                    {
                        int m = i;
                        i += 2;
                        TakeValue(tokens, ref i);
                        rule.MarkOperation = string.Join(" ", tokens.Skip(m).Take(i - m));
                        return true;
                    }
                    return false;
                default:
                    return false;
            }
        }

        /// <summary>A selector, an optional operator, and a value, a set, a verdict map, or <c>set</c> (a mangle).</summary>
        private static bool TryCondition(List<string> tokens, ref int i, ParsedRule rule)
        {
            int start = i;
            var selectors = new List<string>();
            string selector = TakeSelector(tokens, ref i);
            if (selector == null)
            {
                i = start;
                return false;
            }
            selectors.Add(selector);
            while (At(tokens, i) == ".")
            {
                i++;
                string next = TakeSelector(tokens, ref i);
                if (next == null)
                {
                    i = start;
                    return false;
                }
                selectors.Add(next);
            }
            bool masked = false;
            string markMask = null;
            if (selectors.Count == 1 && selector == "meta mark" && (At(tokens, i) == "&" || At(tokens, i) == "and") && At(tokens, i + 1) != null)
            {
                markMask = Mark(tokens[i + 1]);
                i += 2;
            }
            while (i < tokens.Count && BinaryOperators.Contains(tokens[i]))
            {
                masked = true;
                i += 2;
            }
            if (At(tokens, i) == "set")
            {
                i++;
                TakeValue(tokens, ref i);
                string mangle = string.Join(" ", tokens.Skip(start).Take(i - start));
                if (selectors.Count == 1 && (selector == "meta mark" || selector == "ct mark"))
                {
                    rule.MarkOperation = mangle;
                }
                return true;
            }
            if (At(tokens, i) == "vmap")
            {
                i++;
                string map = At(tokens, i++);
                RuleField mapField = selectors.Count == 1 && !masked ? FieldOf(selector) : RuleField.Other;
                rule.MapField = mapField;
                if (map != null && map.StartsWith("@", StringComparison.Ordinal))
                {
                    rule.MapSetName = map.Substring(1);
                }
                else if (map != null && map.StartsWith("{", StringComparison.Ordinal))
                {
                    foreach (string entry in NftSyntax.Items(map.Substring(1, map.Length - 2), ','))
                    {
                        rule.MapEntries.Add(MapEntry(entry, mapField));
                    }
                }
                return true;
            }
            bool negated = false;
            string op = At(tokens, i);
            if (op != null && Operators.Contains(op))
            {
                negated = op == "!=" || op == "ne";
                i++;
                if (op != "==" && op != "eq" && !negated)
                {
                    // An ordering (<, >) the fields' value lists cannot hold.
                    TakeValue(tokens, ref i);
                    rule.Matches.Add(new RuleMatch(RuleField.Other, null, text: string.Join(" ", tokens.Skip(start).Take(i - start))));
                    return true;
                }
            }
            string value = At(tokens, i);
            if (value == null)
            {
                i = start;
                return false;
            }
            i++;
            string conditionText = string.Join(" ", tokens.Skip(start).Take(i - start));
            RuleField field = selectors.Count == 1 && !masked ? FieldOf(selector) : RuleField.Other;
            AddImplied(selectors, rule, conditionText);
            if (field == RuleField.Other)
            {
                rule.Matches.Add(new RuleMatch(RuleField.Other, null, negated, text: conditionText));
            }
            else if (value.StartsWith("@", StringComparison.Ordinal))
            {
                rule.Matches.Add(new RuleMatch(field, null, negated, value.Substring(1), conditionText));
            }
            else
            {
                IReadOnlyList<string> values = Values(value, field);
                if (markMask != null)
                {
                    values = values.Select(v => v + "/" + markMask).ToList();
                }
                rule.Matches.Add(new RuleMatch(field, values, negated, text: conditionText));
            }
            return true;
        }

        /// <summary><c>udp dport</c> implies <c>meta l4proto udp</c>; <c>ip saddr</c> implies <c>meta nfproto ipv4</c>.</summary>
        private static void AddImplied(List<string> selectors, ParsedRule rule, string conditionText)
        {
            foreach (string selector in selectors)
            {
                string header = selector.Split(' ')[0];
                if (TransportProtocols.Contains(header) || header == "icmp" || header == "icmpv6")
                {
                    string proto = header == "icmpv6" ? "ipv6-icmp" : header;
                    AddImplied(rule, RuleField.L4Proto, proto, conditionText);
                }
                if (header == "ip")
                {
                    AddImplied(rule, RuleField.NetworkFamily, "ipv4", conditionText);
                }
                else if (header == "ip6")
                {
                    AddImplied(rule, RuleField.NetworkFamily, "ipv6", conditionText);
                }
            }
        }

        private static void AddImplied(ParsedRule rule, RuleField field, string value, string conditionText)
        {
            if (!rule.Matches.Any(m => m.Field == field && !m.Negated && m.Values.Count == 1 && m.Values[0] == value))
            {
                rule.Matches.Add(new RuleMatch(field, new[] { value }, text: conditionText));
            }
        }

        private static string TakeSelector(List<string> tokens, ref int i)
        {
            string word = At(tokens, i);
            if (word == null)
            {
                return null;
            }
            if (word == "meta" && At(tokens, i + 1) != null)
            {
                string key = tokens[i + 1];
                i += 2;
                return "meta " + (key == "mark" ? "mark" : key);
            }
            if (BareMetaKeys.Contains(word))
            {
                i++;
                return "meta " + word;
            }
            if (word == "ct")
            {
                int j = i + 1;
                var parts = new List<string> { "ct" };
                while (At(tokens, j) == "original" || At(tokens, j) == "reply" || At(tokens, j) == "ip" || At(tokens, j) == "ip6")
                {
                    parts.Add(tokens[j++]);
                }
                if (At(tokens, j) == null)
                {
                    return null;
                }
                parts.Add(tokens[j]);
                i = j + 1;
                return string.Join(" ", parts);
            }
            if (word == "fib")
            {
                int j = i + 1;
                var parts = new List<string> { "fib" };
                while (At(tokens, j) != null && At(tokens, j + 1) == ".")
                {
                    parts.Add(tokens[j]);
                    parts.Add(".");
                    j += 2;
                }
                if (At(tokens, j) == null || At(tokens, j + 1) == null)
                {
                    return null;
                }
                parts.Add(tokens[j]);
                parts.Add(tokens[j + 1]);
                i = j + 2;
                return string.Join(" ", parts);
            }
            if (word == "tcp" && At(tokens, i + 1) == "option" && At(tokens, i + 2) != null)
            {
                int j = i + 3;
                if (At(tokens, j) != null && !Operators.Contains(tokens[j]) && tokens[j] != "set" && tokens[j] != "exists" && tokens[j] != "missing")
                {
                    j++;
                }
                string option = string.Join(" ", tokens.Skip(i).Take(j - i));
                i = j;
                return option;
            }
            if (Headers.Contains(word) && At(tokens, i + 1) != null && !IsStatementWord(tokens[i + 1]))
            {
                string selector = word + " " + tokens[i + 1];
                i += 2;
                return selector;
            }
            if (word.StartsWith("@", StringComparison.Ordinal) && word.Count(c => c == ',') == 2)
            {
                i++;
                return word;
            }
            return null;
        }

        private static RuleField FieldOf(string selector)
        {
            switch (selector)
            {
                case "meta l4proto":
                case "ip protocol":
                    return RuleField.L4Proto;
                case "meta nfproto":
                    return RuleField.NetworkFamily;
                case "ip saddr":
                case "ip6 saddr":
                    return RuleField.SourceAddress;
                case "ip daddr":
                case "ip6 daddr":
                    return RuleField.DestinationAddress;
                case "meta iifname":
                case "meta iif":
                    return RuleField.InInterface;
                case "meta oifname":
                case "meta oif":
                    return RuleField.OutInterface;
                case "ct state":
                    return RuleField.CtState;
                case "ct status":
                    return RuleField.CtStatus;
                case "meta mark":
                    return RuleField.Mark;
                case "fib daddr type":
                    return RuleField.DestinationAddressType;
                case "fib saddr oif":
                case "fib saddr . iif oif":
                case "fib saddr . mark oif":
                case "fib saddr . mark . iif oif":
                    return RuleField.ReversePathRoute;
                case "fib saddr type":
                    return RuleField.SourceAddressType;
                case "meta pkttype":
                    return RuleField.PacketType;
            }
            string[] words = selector.Split(' ');
            if (words.Length == 2 && (TransportProtocols.Contains(words[0]) || words[0] == "th"))
            {
                if (words[1] == "sport")
                {
                    return RuleField.SourcePort;
                }
                if (words[1] == "dport")
                {
                    return RuleField.DestinationPort;
                }
            }
            return RuleField.Other;
        }

        private static IReadOnlyList<string> Values(string value, RuleField field)
        {
            IEnumerable<string> items = value.StartsWith("{", StringComparison.Ordinal)
                ? NftSyntax.Items(value.Substring(1, value.Length - 2), ',')
                : field == RuleField.CtState || field == RuleField.CtStatus || field == RuleField.PacketType ? value.Split(',') : new[] { value };
            return items.Select(v => Normalize(v.Trim(), field)).ToList();
        }

        private static string Normalize(string value, RuleField field)
        {
            switch (field)
            {
                case RuleField.InInterface:
                case RuleField.OutInterface:
                    return value.Trim('"');
                case RuleField.SourcePort:
                case RuleField.DestinationPort:
                    return string.Join("-", value.Split('-').Select(p => Services.TryGetValue(p, out string number) ? number : p));
                case RuleField.Mark:
                    return Mark(value);
                case RuleField.CtState:
                case RuleField.CtStatus:
                case RuleField.L4Proto:
                case RuleField.NetworkFamily:
                case RuleField.PacketType:
                case RuleField.DestinationAddressType:
                case RuleField.SourceAddressType:
                    return value.ToLowerInvariant();
                default:
                    return value;
            }
        }

        /// <summary><c>0x00004000</c> and <c>16384</c> as <c>0x4000</c>, the way iptables-save writes a mark.</summary>
        private static string Mark(string value)
        {
            ulong number;
            bool hex = value.StartsWith("0x", StringComparison.OrdinalIgnoreCase);
            if (hex ? ulong.TryParse(value.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out number)
                    : ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out number))
            {
                return "0x" + number.ToString("x", CultureInfo.InvariantCulture);
            }
            return value;
        }

        private static VerdictMapEntry MapEntry(string entry, RuleField field)
        {
            int colon = entry.LastIndexOf(" : ", StringComparison.Ordinal);
            string key = colon >= 0 ? entry.Substring(0, colon).Trim() : entry;
            string verdict = colon >= 0 ? entry.Substring(colon + 3).Trim() : string.Empty;
            string[] words = verdict.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            RuleAction action;
            switch (words.Length > 0 ? words[0] : string.Empty)
            {
                case "accept": action = RuleAction.Accept; break;
                case "drop": action = RuleAction.Drop; break;
                case "return": action = RuleAction.Return; break;
                case "continue": action = RuleAction.Continue; break;
                case "jump": action = RuleAction.Jump; break;
                case "goto": action = RuleAction.Goto; break;
                default: action = RuleAction.Unknown; break;
            }
            IReadOnlyList<string> keys = field == RuleField.Other ? new[] { key } : Values(key, field);
            return new VerdictMapEntry(keys, action, words.Length > 1 && (action == RuleAction.Jump || action == RuleAction.Goto) ? words[1] : null);
        }

        /// <summary>The words after a verdict (<c>with icmpx admin-prohibited</c>, <c>to 10.0.0.1:53</c>, <c>fully-random</c>) up to a comment.</summary>
        private static string TakeOptions(List<string> tokens, ref int i)
        {
            i++;
            int start = i;
            while (i < tokens.Count && tokens[i] != "comment")
            {
                i++;
            }
            return i > start ? string.Join(" ", tokens.Skip(start).Take(i - start)) : null;
        }

        /// <summary>A value, and any <c>| 0x4000</c> / <c>or 0x4000</c> that combines it with another.</summary>
        private static void TakeValue(List<string> tokens, ref int i)
        {
            if (At(tokens, i) == "meta" || At(tokens, i) == "ct")
            {
                i += 2;
            }
            else
            {
                i++;
            }
            while (i + 1 < tokens.Count && BinaryOperators.Contains(tokens[i]))
            {
                i += 2;
            }
        }

        private static bool IsStatementWord(string word)
        {
            switch (word)
            {
                case "accept": case "drop": case "return": case "continue": case "jump": case "goto": case "reject":
                case "masquerade": case "snat": case "dnat": case "redirect": case "notrack": case "counter": case "comment":
                case "log": case "limit": case "quota": case "queue": case "xt":
                    return true;
                default:
                    return false;
            }
        }

        private static string At(List<string> tokens, int i) => i >= 0 && i < tokens.Count ? tokens[i] : null;
    }
}
