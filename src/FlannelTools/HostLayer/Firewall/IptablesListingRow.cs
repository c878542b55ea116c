namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>
    /// One rule row of <c>iptables -L -n [-v]</c>, turned into the rule iptables-save prints for it:
    /// <c>3 252 ACCEPT 17 -- cni0 * 10.244.0.0/16 0.0.0.0/0 udp dpt:8472</c> is
    /// <c>-A CHAIN -s 10.244.0.0/16 -i cni0 -p udp -m udp --dport 8472 -j ACCEPT</c>. The extras are read as each
    /// match and target prints them (<c>ctstate</c>, <c>mark match</c>, <c>ADDRTYPE match</c>, <c>match-set</c>,
    /// <c>PHYSDEV match</c>, <c>limit: avg</c>, <c>reject-with</c>, <c>MARK xor</c>, <c>random-fully</c>, <c>[goto]</c>, …);
    /// words it cannot place are kept as <c>-m unread --text "…"</c>, a match IptablesRuleText reads as Other, so a rule
    /// with a condition this reader did not understand is never taken for an unconditional one.
    /// </summary>
    internal sealed class IptablesListingRow
    {
        private static readonly Regex Word = new Regex(@"\S+", RegexOptions.CultureInvariant);

        private static readonly HashSet<string> PortProtocols = new HashSet<string>(StringComparer.Ordinal) { "tcp", "udp", "udplite", "sctp", "dccp" };

        private static readonly string[] TcpFlags = { "FIN", "SYN", "RST", "PSH", "ACK", "URG" };

        private readonly List<string> _matches = new List<string>();
        private readonly List<string> _targetOptions = new List<string>();
        private readonly List<string> _unread = new List<string>();

        private IptablesListingRow()
        {
        }

        public string Text { get; private set; }

        public string Target { get; private set; }

        public long? Packets { get; private set; }

        public long? Bytes { get; private set; }

        public bool IsIp6 { get; private set; }

        /// <summary>The row, or null with <paramref name="problem"/> saying why it is not one.</summary>
        public static IptablesListingRow Read(string line, bool numbered, bool verbose, string chain, out string problem)
        {
            problem = null;
            List<Match> words = Word.Matches(line).Cast<Match>().ToList();
            var row = new IptablesListingRow();
            int i = 0;
            int fixedColumns = (numbered ? 1 : 0) + (verbose ? 4 : 0) + 5;
            if (words.Count < fixedColumns - 1)
            {
                problem = "a truncated rule row (" + words.Count + " columns)";
                return null;
            }
            if (numbered && !int.TryParse(words[i++].Value, NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                problem = "the rule number is not a number";
                return null;
            }
            if (verbose)
            {
                row.Packets = IptablesListingParser.Counter(words[i++].Value);
                row.Bytes = IptablesListingParser.Counter(words[i++].Value);
                if (row.Packets == null || row.Bytes == null)
                {
                    problem = "the rule's counters are not numbers";
                    return null;
                }
            }
            // The target column is empty for a rule without -j: then the protocol stands where the target would.
            if (!IsOpt(words[i + 1].Value))
            {
                row.Target = words[i++].Value;
            }
            string protocol = words[i++].Value;
            string opt = IsOpt(words[i].Value) ? words[i++].Value : "--";
            string inInterface = "*";
            string outInterface = "*";
            if (verbose)
            {
                if (i + 2 > words.Count)
                {
                    problem = "a truncated rule row (no interfaces)";
                    return null;
                }
                inInterface = words[i++].Value;
                outInterface = words[i++].Value;
            }
            if (i + 2 > words.Count)
            {
                problem = "a truncated rule row (no source and destination)";
                return null;
            }
            string sourceAddress = words[i++].Value;
            string destinationAddress = words[i].Value;
            if (!IsAddress(sourceAddress) || !IsAddress(destinationAddress))
            {
                problem = "not a rule row ('" + sourceAddress + "' and '" + destinationAddress + "' are not a source and a destination)";
                return null;
            }
            string extras = line.Substring(words[i].Index + words[i].Length).Trim();
            row.IsIp6 = sourceAddress.IndexOf(':') >= 0 || destinationAddress.IndexOf(':') >= 0;

            var text = new List<string> { "-A", chain };
            row.AddAddress(text, "-s", sourceAddress);
            row.AddAddress(text, "-d", destinationAddress);
            AddInterface(text, "-i", inInterface);
            AddInterface(text, "-o", outInterface);
            string protocolName = IptablesProtocols.NameOf(protocol.TrimStart('!'));
            if (protocolName != "all")
            {
                if (protocol[0] == '!')
                {
                    text.Add("!");
                }
                text.Add("-p");
                text.Add(protocolName);
            }
            if (opt == "-f" || opt == "!f")
            {
                text.AddRange(opt == "!f" ? new[] { "!", "-f" } : new[] { "-f" });
            }
            bool isGoto = row.ReadExtras(extras);
            text.AddRange(row._matches);
            if (row._unread.Count > 0)
            {
                text.AddRange(new[] { "-m", "unread", "--text", string.Join(" ", row._unread) });
            }
            if (row.Target != null)
            {
                text.Add(isGoto ? "-g" : "-j");
                text.Add(row.Target == "CT" && row._targetOptions.Count == 1 && row._targetOptions[0] == "NOTRACK" ? "NOTRACK" : row.Target);
                if (!(row.Target == "CT" && row._targetOptions.Count == 1 && row._targetOptions[0] == "NOTRACK"))
                {
                    text.AddRange(row._targetOptions);
                }
            }
            row.Text = IptablesWords.Join(text);
            return row;
        }

        private static bool IsOpt(string word) => word == "--" || word == "-f" || word == "!f";

        private static bool IsAddress(string word)
        {
            string address = word.TrimStart('!');
            return address.Length > 0 && (address.IndexOf('.') >= 0 || address.IndexOf(':') >= 0) && address.All(c => Uri.IsHexDigit(c) || c == '.' || c == ':' || c == '/');
        }

        private void AddAddress(List<string> text, string option, string address)
        {
            bool negated = address[0] == '!';
            string value = address.TrimStart('!');
            if (!negated && (value == "0.0.0.0/0" || value == "::/0"))
            {
                return;
            }
            if (value.IndexOf('/') < 0)
            {
                value += value.IndexOf(':') >= 0 ? "/128" : "/32";
            }
            if (negated)
            {
                text.Add("!");
            }
            text.Add(option);
            text.Add(value);
        }

        private static void AddInterface(List<string> text, string option, string device)
        {
            if (device == "*")
            {
                return;
            }
            if (device[0] == '!')
            {
                text.Add("!");
                device = device.Substring(1);
            }
            text.Add(option);
            text.Add(device);
        }

        /// <summary>Reads the extras column into match and target options; true when the rule is a goto.</summary>
        private bool ReadExtras(string extras)
        {
            bool isGoto = false;
            var words = new List<string>();
            int at = 0;
            while (at < extras.Length)
            {
                if (char.IsWhiteSpace(extras[at]))
                {
                    at++;
                    continue;
                }
                if (string.CompareOrdinal(extras, at, "/* ", 0, 3) == 0)
                {
                    int close = extras.IndexOf(" */", at + 3, StringComparison.Ordinal);
                    if (close >= 0)
                    {
                        words.Add("\u0001" + extras.Substring(at + 3, close - at - 3));
                        at = close + 3;
                        continue;
                    }
                }
                if (extras[at] == '"')
                {
                    int close = extras.IndexOf('"', at + 1);
                    if (close < 0)
                    {
                        // A quote that is never closed is no quoted word: it and the rest stay one word, unread.
                        words.Add(extras.Substring(at));
                        at = extras.Length;
                        continue;
                    }
                    words.Add(extras.Substring(at + 1, close - at - 1));
                    at = close + 1;
                    continue;
                }
                int end = at;
                while (end < extras.Length && !char.IsWhiteSpace(extras[end]))
                {
                    end++;
                }
                words.Add(extras.Substring(at, end - at));
                at = end;
            }
            for (int i = 0; i < words.Count;)
            {
                string word = words[i];
                int next = ReadItem(words, i);
                if (next > i)
                {
                    i = next;
                    continue;
                }
                if (word == "[goto]")
                {
                    isGoto = true;
                }
                else if (IsTargetOwn())
                {
                    _targetOptions.Add(word);
                }
                else
                {
                    _unread.Add(word);
                }
                i++;
            }
            return isGoto;
        }

        // Words a target prints that this reader does not know belong to the target when it is no verdict.
        private bool IsTargetOwn() =>
            Target != null && Target != "ACCEPT" && Target != "DROP" && Target != "RETURN" && Target.ToUpperInvariant() == Target && Target.IndexOf('-') < 0;

        /// <summary>Reads one printed match or target item at <paramref name="i"/>; returns where the next starts, or <paramref name="i"/> when the words are no item it knows.</summary>
        private int ReadItem(List<string> w, int i)
        {
            string word = w[i];
            string Next(int k) => i + k < w.Count ? w[i + k] : null;
            bool negated = word == "!";
            if (negated)
            {
                word = Next(1);
                i++;
                if (word == null)
                {
                    return i - 1;
                }
            }
            string[] not = negated ? new[] { "!" } : new string[0];
            if (word.Length > 0 && word[0] == '\u0001')
            {
                _matches.AddRange(new[] { "-m", "comment", "--comment", word.Substring(1) });
                return i + 1;
            }
            if (PortProtocols.Contains(word))
            {
                var options = new List<string>();
                int k = i + 1;
                for (; k < w.Count; k++)
                {
                    string port = w[k];
                    string[] parts = port.Split(new[] { ':' }, 2);
                    if (parts.Length != 2)
                    {
                        break;
                    }
                    string value = parts[1];
                    bool portNegated = value.StartsWith("!", StringComparison.Ordinal);
                    value = value.TrimStart('!');
                    string option;
                    switch (parts[0])
                    {
                        case "dpt":
                        case "dpts":
                            option = "--dport";
                            break;
                        case "spt":
                        case "spts":
                            option = "--sport";
                            break;
                        case "flags" when word == "tcp":
                            option = "--tcp-flags";
                            string[] maskAndSet = value.Split('/');
                            if (maskAndSet.Length != 2 || !TryHex(maskAndSet[0], out int mask) || !TryHex(maskAndSet[1], out int set))
                            {
                                return i - (negated ? 1 : 0);
                            }
                            options.AddRange((portNegated ? new[] { "!" } : new string[0]).Concat(new[] { option, FlagNames(mask), FlagNames(set) }));
                            continue;
                        default:
                            option = null;
                            break;
                    }
                    if (option == null)
                    {
                        break;
                    }
                    if (portNegated)
                    {
                        options.Add("!");
                    }
                    options.Add(option);
                    options.Add(value);
                }
                _matches.AddRange(new[] { "-m", word });
                _matches.AddRange(options);
                return k;
            }
            switch (word)
            {
                case "multiport" when Next(1) == "dports" || Next(1) == "sports" || Next(1) == "ports":
                    if (Next(2) == null)
                    {
                        break;
                    }
                    _matches.AddRange(new[] { "-m", "multiport" }.Concat(not).Concat(new[] { "--" + Next(1), Next(2) }));
                    return i + 3;
                case "ctstate" when Next(1) != null:
                    _matches.AddRange(new[] { "-m", "conntrack" }.Concat(not).Concat(new[] { "--ctstate", Next(1) }));
                    return i + 2;
                case "state" when Next(1) != null:
                    _matches.AddRange(new[] { "-m", "state" }.Concat(not).Concat(new[] { "--state", Next(1) }));
                    return i + 2;
                case "mark" when Next(1) == "match" && Next(2) != null:
                    int valueAt = Next(2) == "!" ? 3 : 2;
                    if (Next(valueAt) == null)
                    {
                        break;
                    }
                    _matches.AddRange(new[] { "-m", "mark" }.Concat(valueAt == 3 ? new[] { "!" } : new string[0]).Concat(new[] { "--mark", Next(valueAt) }));
                    return i + valueAt + 1;
                case "ADDRTYPE" when Next(1) == "match":
                {
                    var options = new List<string>();
                    int k = i + 2;
                    for (; k + 1 < w.Count && (w[k] == "src-type" || w[k] == "dst-type"); k += 2)
                    {
                        string type = w[k + 1];
                        if (type.StartsWith("!", StringComparison.Ordinal))
                        {
                            options.Add("!");
                            type = type.Substring(1);
                        }
                        options.Add("--" + w[k]);
                        options.Add(type);
                    }
                    for (; k < w.Count && (w[k] == "limit-in" || w[k] == "limit-out"); k++)
                    {
                        options.Add("--" + w[k].Replace("limit-", "limit-iface-"));
                    }
                    _matches.AddRange(new[] { "-m", "addrtype" }.Concat(options));
                    return k;
                }
                case "match-set" when Next(1) != null && Next(2) != null:
                    _matches.AddRange(new[] { "-m", "set" }.Concat(not).Concat(new[] { "--match-set", Next(1), Next(2) }));
                    return i + 3;
                case "PKTTYPE" when (Next(1) == "=" || Next(1) == "!=") && Next(2) != null:
                    _matches.AddRange(new[] { "-m", "pkttype" }.Concat(Next(1) == "!=" ? new[] { "!" } : new string[0]).Concat(new[] { "--pkt-type", Next(2) }));
                    return i + 3;
                case "PHYSDEV" when Next(1) == "match":
                {
                    var options = new List<string>();
                    int k = i + 2;
                    while (k < w.Count)
                    {
                        bool optionNegated = w[k] == "!" && k + 1 < w.Count && w[k + 1].StartsWith("--physdev", StringComparison.Ordinal);
                        string option = optionNegated ? w[k + 1] : w[k];
                        if (!option.StartsWith("--physdev", StringComparison.Ordinal))
                        {
                            break;
                        }
                        options.AddRange(optionNegated ? new[] { "!", option } : new[] { option });
                        k += optionNegated ? 2 : 1;
                        if ((option == "--physdev-in" || option == "--physdev-out") && k < w.Count)
                        {
                            options.Add(w[k++]);
                        }
                    }
                    _matches.AddRange(new[] { "-m", "physdev" }.Concat(options));
                    return k;
                }
                case "socket":
                {
                    int k = i + 1;
                    var options = new List<string>();
                    for (; k < w.Count && (w[k] == "--transparent" || w[k] == "--nowildcard" || w[k] == "--restore-skmark"); k++)
                    {
                        options.Add(w[k]);
                    }
                    _matches.AddRange(new[] { "-m", "socket" }.Concat(options));
                    return k;
                }
                case "limit:" when Next(1) == "avg" && Next(2) != null:
                {
                    _matches.AddRange(new[] { "-m", "limit", "--limit", Next(2) });
                    if (Next(3) == "burst" && Next(4) != null)
                    {
                        if (Next(4) != "5")
                        {
                            _matches.AddRange(new[] { "--limit-burst", Next(4) });
                        }
                        return i + 5;
                    }
                    return i + 3;
                }
                case "statistic" when Next(1) == "mode" && Next(2) == "random" && Next(3) == "probability" && Next(4) != null:
                    _matches.AddRange(new[] { "-m", "statistic", "--mode", "random", "--probability", Next(4) });
                    return i + 5;
                case "statistic" when Next(1) == "mode" && Next(2) == "nth" && Next(3) == "every" && Next(4) != null:
                    _matches.AddRange(new[] { "-m", "statistic", "--mode", "nth", "--every", Next(4) });
                    if (Next(5) == "packet" && Next(6) != null)
                    {
                        _matches.AddRange(new[] { "--packet", Next(6) });
                        return i + 7;
                    }
                    return i + 5;
                case "icmptype" when Next(1) != null:
                case "ipv6-icmptype" when Next(1) != null:
                {
                    string type = Next(1);
                    int k = i + 2;
                    if (Next(2) == "code" && Next(3) != null)
                    {
                        type += "/" + Next(3);
                        k += 2;
                    }
                    _matches.AddRange(word == "icmptype"
                        ? new[] { "-m", "icmp" }.Concat(not).Concat(new[] { "--icmp-type", type })
                        : new[] { "-m", "icmp6" }.Concat(not).Concat(new[] { "--icmpv6-type", type }));
                    return k;
                }
            }
            if (negated)
            {
                return i - 1;
            }
            return ReadTargetItem(w, i);
        }

        private int ReadTargetItem(List<string> w, int i)
        {
            string word = w[i];
            string Next(int k) => i + k < w.Count ? w[i + k] : null;
            switch (Target + " " + word)
            {
                case "REJECT reject-with" when Next(1) != null:
                    _targetOptions.AddRange(new[] { "--reject-with", Next(1) });
                    return i + 2;
                case "MASQUERADE masq" when Next(1) == "ports:" && Next(2) != null:
                    _targetOptions.AddRange(new[] { "--to-ports", Next(2) });
                    return i + 3;
                case "REDIRECT redir" when Next(1) == "ports" && Next(2) != null:
                    _targetOptions.AddRange(new[] { "--to-ports", Next(2) });
                    return i + 3;
                case "MASQUERADE random-fully":
                case "SNAT random-fully":
                case "DNAT random-fully":
                case "MASQUERADE random":
                case "SNAT random":
                case "DNAT random":
                case "SNAT persistent":
                case "DNAT persistent":
                    _targetOptions.Add("--" + word);
                    return i + 1;
                case "MARK MARK" when Next(1) != null && Next(2) != null:
                    string mark = MarkOperation(Next(1), Next(2));
                    if (mark == null)
                    {
                        return i;
                    }
                    _targetOptions.AddRange(new[] { "--set-xmark", mark });
                    return i + 3;
                case "LOG LOG" when Next(1) == "flags" && Next(3) == "level" && Next(4) != null:
                {
                    int k = i + 5;
                    if (Next(5) == "prefix" && Next(6) != null)
                    {
                        _targetOptions.AddRange(new[] { "--log-prefix", Next(6) });
                        k += 2;
                    }
                    if (Next(4) != "4")
                    {
                        _targetOptions.AddRange(new[] { "--log-level", Next(4) });
                    }
                    if (TryHex(Next(2).StartsWith("0x", StringComparison.Ordinal) ? Next(2) : "0x" + Next(2), out int flags))
                    {
                        string[] names = { "--log-tcp-sequence", "--log-tcp-options", "--log-ip-options", "--log-uid", "--log-macdecode" };
                        for (int bit = 0; bit < names.Length; bit++)
                        {
                            if ((flags & (1 << bit)) != 0)
                            {
                                _targetOptions.Add(names[bit]);
                            }
                        }
                    }
                    return k;
                }
                case "NFQUEUE NFQUEUE" when Next(1) == "num" && Next(2) != null:
                    _targetOptions.AddRange(new[] { "--queue-num", Next(2) });
                    return i + 3;
                case "CT CT" when Next(1) == "notrack":
                    _targetOptions.Add("--notrack");
                    return i + 2;
                case "CT NOTRACK":
                    _targetOptions.Add("NOTRACK");
                    return i + 1;
                case "TCPMSS TCPMSS" when Next(1) == "clamp" && Next(2) == "to" && Next(3) == "PMTU":
                    _targetOptions.Add("--clamp-mss-to-pmtu");
                    return i + 4;
                case "TCPMSS TCPMSS" when Next(1) == "set" && Next(2) != null:
                    _targetOptions.AddRange(new[] { "--set-mss", Next(2) });
                    return i + 3;
                case "CHECKSUM CHECKSUM" when Next(1) == "fill":
                    _targetOptions.Add("--checksum-fill");
                    return i + 2;
                case "CONNMARK CONNMARK" when Next(1) == "restore":
                    // iptables-save writes the default masks the listing leaves out.
                    _targetOptions.AddRange(new[] { "--restore-mark", "--nfmask", "0xffffffff", "--ctmask", "0xffffffff" });
                    return i + 2;
                case "CONNMARK CONNMARK" when Next(1) == "save":
                    _targetOptions.AddRange(new[] { "--save-mark", "--nfmask", "0xffffffff", "--ctmask", "0xffffffff" });
                    return i + 2;
            }
            if ((Target == "SNAT" || Target == "DNAT") && word.StartsWith("to:", StringComparison.Ordinal))
            {
                _targetOptions.AddRange(new[] { Target == "SNAT" ? "--to-source" : "--to-destination", word.Substring(3) });
                return i + 1;
            }
            if (Target == "NFLOG" && word.StartsWith("nflog-", StringComparison.Ordinal) && Next(1) != null)
            {
                _targetOptions.AddRange(new[] { "--" + word, Next(1) });
                return i + 2;
            }
            return i;
        }

        /// <summary>The MARK target's print (<c>or 0x4000</c>, <c>xor 0x4000</c>, <c>and 0xffff</c>, <c>set 0x1</c>, <c>xset 0x1/0xff</c>) as the <c>--set-xmark value/mask</c> iptables-save writes.</summary>
        private static string MarkOperation(string operation, string operand)
        {
            string[] parts = operand.Split('/');
            if (!TryHex(parts[0], out int value))
            {
                return null;
            }
            uint v = unchecked((uint)value);
            switch (operation)
            {
                case "or":
                    return Hex(v) + "/" + Hex(v);
                case "xor":
                    return Hex(v) + "/0x0";
                case "and":
                    return "0x0/" + Hex(~v);
                case "set":
                    return Hex(v) + "/0xffffffff";
                case "xset":
                    return parts.Length == 2 && TryHex(parts[1], out int mask) ? Hex(v) + "/" + Hex(unchecked((uint)mask)) : null;
                default:
                    return null;
            }
        }

        private static string Hex(uint value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

        private static bool TryHex(string text, out int value)
        {
            value = 0;
            if (text == null || !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
            bool ok = uint.TryParse(text.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out uint parsed);
            value = unchecked((int)parsed);
            return ok;
        }

        private static string FlagNames(int bits)
        {
            if (bits == 0)
            {
                return "NONE";
            }
            return string.Join(",", TcpFlags.Where((name, bit) => (bits & (1 << bit)) != 0));
        }
    }
}
