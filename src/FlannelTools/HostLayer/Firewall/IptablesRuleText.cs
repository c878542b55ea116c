namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>
    /// Reads an iptables-save rule line (<c>-A INPUT -p udp -m udp --dport 8472 -j DROP</c>) into conditions and an
    /// action, in the words nft rules are read into, so that one evaluator judges both. A match the model has no word
    /// for (<c>-m physdev</c>, <c>-m limit</c>, <c>-m icmp</c>, <c>-m multiport --ports</c>, which is either port) is one
    /// <see cref="RuleField.Other"/> condition holding its text; a target it does not know is <see cref="RuleAction.Unknown"/>.
    /// </summary>
    internal static class IptablesRuleText
    {
        // Targets that never end the chain: the packet goes on to the next rule.
        private static readonly HashSet<string> ContinueTargets = new HashSet<string>(StringComparer.Ordinal)
            { "MARK", "LOG", "NFLOG", "ULOG", "CT", "NOTRACK", "TRACE", "CONNMARK", "TCPMSS", "CHECKSUM", "CLASSIFY", "DSCP", "TOS", "TTL", "HL", "SET", "SECMARK", "CONNSECMARK", "AUDIT" };

        // Extension targets that decide a packet's fate in a way the model has no word for.
        private static readonly HashSet<string> UnjudgeableTargets = new HashSet<string>(StringComparer.Ordinal)
            { "NFQUEUE", "QUEUE", "TPROXY", "SYNPROXY", "TARPIT", "NETMAP", "CLUSTERIP", "TEE" };

        private static readonly HashSet<string> PortModules = new HashSet<string>(StringComparer.Ordinal) { "tcp", "udp", "udplite", "sctp", "dccp" };

        // Options whose value follows them; a line ending in one was cut short.
        private static readonly HashSet<string> ValueOptions = new HashSet<string>(StringComparer.Ordinal)
        {
            "-A", "-I", "-p", "--protocol", "-s", "--source", "--src", "-d", "--destination", "--dst", "-i", "--in-interface", "-o", "--out-interface",
            "-m", "--match", "-j", "--jump", "-g", "--goto", "--dport", "--destination-port", "--sport", "--source-port", "--dports", "--destination-ports",
            "--sports", "--source-ports", "--ports", "--ctstate", "--state", "--mark", "--match-set", "--src-type", "--dst-type", "--pkt-type", "--comment",
            "--reject-with", "--to-source", "--to-destination", "--to-ports", "--set-xmark", "--xor-mark", "--or-mark", "--and-mark", "--set-mark", "--log-prefix",
        };

        /// <summary>Why <paramref name="text"/> cannot be a whole rule (an unterminated quote, an option without its value), or null.</summary>
        public static string ProblemOf(string text)
        {
            List<string> words = IptablesWords.Split(text, out string error);
            if (error != null)
            {
                return "a truncated rule (" + error + ")";
            }
            if (words.Count < 2 || (words[0] != "-A" && words[0] != "--append" && words[0] != "-I" && words[0] != "--insert"))
            {
                return "not a rule (it does not start with '-A CHAIN')";
            }
            string last = words[words.Count - 1];
            if (last == "!" || ValueOptions.Contains(last))
            {
                return "a truncated rule ('" + last + "' without a value)";
            }
            return null;
        }

        public static ParsedRule Parse(string text)
        {
            var rule = new ParsedRule { Text = text };
            List<string> words = IptablesWords.Split(text ?? string.Empty, out string error);
            if (error != null)
            {
                rule.Unjudgeable = "the rule cannot be read (" + error + ")";
            }
            int i = 0;
            if (words.Count >= 2 && (words[0] == "-A" || words[0] == "--append" || words[0] == "-I" || words[0] == "--insert"))
            {
                i = 2;
                if (words[0].StartsWith("-I", StringComparison.Ordinal) || words[0] == "--insert")
                {
                    i += words.Count > 2 && int.TryParse(words[2], out _) ? 1 : 0;
                }
            }
            bool negate = false;
            while (i < words.Count)
            {
                string word = words[i++];
                if (word == "!")
                {
                    negate = true;
                    continue;
                }
                string value = i < words.Count ? words[i] : null;
                switch (word)
                {
                    case "-p":
                    case "--protocol":
                        i++;
                        string protocol = IptablesProtocols.NameOf(value);
                        if (protocol != "all" || negate)
                        {
                            rule.Matches.Add(new RuleMatch(RuleField.L4Proto, new[] { protocol }, negate, text: Text(negate, word, value)));
                        }
                        break;
                    case "-s":
                    case "--source":
                    case "--src":
                        i++;
                        AddAddress(rule, RuleField.SourceAddress, value, negate, word);
                        break;
                    case "-d":
                    case "--destination":
                    case "--dst":
                        i++;
                        AddAddress(rule, RuleField.DestinationAddress, value, negate, word);
                        break;
                    case "-i":
                    case "--in-interface":
                        i++;
                        rule.Matches.Add(new RuleMatch(RuleField.InInterface, new[] { value }, negate, text: Text(negate, word, value)));
                        break;
                    case "-o":
                    case "--out-interface":
                        i++;
                        rule.Matches.Add(new RuleMatch(RuleField.OutInterface, new[] { value }, negate, text: Text(negate, word, value)));
                        break;
                    case "-f":
                    case "--fragment":
                        rule.Matches.Add(new RuleMatch(RuleField.Other, null, negate, text: Text(negate, word, null)));
                        break;
                    case "-m":
                    case "--match":
                        i++;
                        i = ReadMatch(rule, value, words, i);
                        break;
                    case "-j":
                    case "--jump":
                        i++;
                        ReadTarget(rule, value, words.Skip(i).ToList());
                        i = words.Count;
                        break;
                    case "-g":
                    case "--goto":
                        i++;
                        rule.Action = RuleAction.Goto;
                        rule.TargetChain = value;
                        break;
                    case "-c":
                    case "--set-counters":
                        i += 2;
                        break;
                    default:
                        rule.Matches.Add(new RuleMatch(RuleField.Other, null, negate, text: Text(negate, word, null)));
                        break;
                }
                negate = false;
            }
            return rule;
        }

        /// <summary>Reads the options of one <c>-m NAME</c> from <paramref name="i"/>; returns where the next option starts.</summary>
        private static int ReadMatch(ParsedRule rule, string module, List<string> words, int i)
        {
            int end = i;
            while (end < words.Count && !StartsOption(words, end))
            {
                end++;
            }
            List<string> options = words.GetRange(i, end - i);
            List<RuleMatch> matches = ReadModule(module, options);
            if (matches == null)
            {
                rule.Matches.Add(new RuleMatch(RuleField.Other, null, text: "-m " + module + (options.Count > 0 ? " " + IptablesWords.Join(options) : string.Empty)));
            }
            else
            {
                rule.Matches.AddRange(matches);
            }
            return end;
        }

        // The options of a match end where a rule-level option (-s, -m, -j, ...) starts, with or without its '!'.
        private static bool StartsOption(List<string> words, int index)
        {
            string word = words[index];
            if (word == "!" && index + 1 < words.Count)
            {
                word = words[index + 1];
            }
            return word.Length == 2 && word[0] == '-' && word[1] != '-' ||
                   word == "--match" || word == "--jump" || word == "--goto" || word == "--protocol" || word == "--source" || word == "--destination" ||
                   word == "--in-interface" || word == "--out-interface" || word == "--src" || word == "--dst" || word == "--fragment";
        }

        /// <summary>The conditions of one match module's options, or null when the model has no word for one of them.</summary>
        private static List<RuleMatch> ReadModule(string module, List<string> options)
        {
            var matches = new List<RuleMatch>();
            bool negate = false;
            for (int i = 0; i < options.Count; i++)
            {
                string option = options[i];
                if (option == "!")
                {
                    negate = true;
                    continue;
                }
                string value = i + 1 < options.Count ? options[i + 1] : null;
                RuleMatch match = null;
                switch (module + " " + option)
                {
                    case "comment --comment":
                        i++;
                        negate = false;
                        continue;
                    case "multiport --dports":
                    case "multiport --destination-ports":
                        match = new RuleMatch(RuleField.DestinationPort, Ports(value), negate, text: Text(negate, option, value));
                        break;
                    case "multiport --sports":
                    case "multiport --source-ports":
                        match = new RuleMatch(RuleField.SourcePort, Ports(value), negate, text: Text(negate, option, value));
                        break;
                    case "conntrack --ctstate":
                    case "state --state":
                        match = new RuleMatch(RuleField.CtState, Lower(value), negate, text: Text(negate, option, value));
                        break;
                    case "conntrack --ctstatus":
                        match = new RuleMatch(RuleField.CtStatus, Lower(value), negate, text: Text(negate, option, value));
                        break;
                    case "mark --mark":
                        match = new RuleMatch(RuleField.Mark, new[] { MarkValue(value) }, negate, text: Text(negate, option, value));
                        break;
                    case "addrtype --dst-type":
                        match = new RuleMatch(RuleField.DestinationAddressType, Lower(value), negate, text: Text(negate, option, value));
                        break;
                    case "addrtype --src-type":
                        match = new RuleMatch(RuleField.SourceAddressType, Lower(value), negate, text: Text(negate, option, value));
                        break;
                    case "pkttype --pkt-type":
                        match = new RuleMatch(RuleField.PacketType, Lower(value), negate, text: Text(negate, option, value));
                        break;
                    case "set --match-set":
                        string flags = i + 2 < options.Count ? options[i + 2] : null;
                        if (value == null || (flags != "src" && flags != "dst"))
                        {
                            // A set of address and port (dst,dst) matches a pair the model has no field for.
                            return null;
                        }
                        RuleField field = flags == "src" ? RuleField.SourceAddress : RuleField.DestinationAddress;
                        match = new RuleMatch(field, null, negate, value, Text(negate, option, value) + " " + flags);
                        i++;
                        break;
                    default:
                        if (PortModules.Contains(module) && (option == "--dport" || option == "--destination-port"))
                        {
                            match = new RuleMatch(RuleField.DestinationPort, Ports(value), negate, text: Text(negate, option, value));
                        }
                        else if (PortModules.Contains(module) && (option == "--sport" || option == "--source-port"))
                        {
                            match = new RuleMatch(RuleField.SourcePort, Ports(value), negate, text: Text(negate, option, value));
                        }
                        break;
                }
                if (match == null || value == null)
                {
                    return null;
                }
                matches.Add(match);
                i++;
                negate = false;
            }
            return matches;
        }

        private static void ReadTarget(ParsedRule rule, string target, List<string> options)
        {
            string written = options.Count > 0 ? IptablesWords.Join(options) : null;
            switch (target)
            {
                case null:
                    rule.Action = RuleAction.Unknown;
                    rule.Unjudgeable = "'-j' without a target";
                    return;
                case "ACCEPT":
                    rule.Action = RuleAction.Accept;
                    return;
                case "DROP":
                    rule.Action = RuleAction.Drop;
                    return;
                case "RETURN":
                    rule.Action = RuleAction.Return;
                    return;
                case "REJECT":
                    rule.Action = RuleAction.Reject;
                    break;
                case "MASQUERADE":
                    rule.Action = RuleAction.Masquerade;
                    break;
                case "SNAT":
                    rule.Action = RuleAction.Snat;
                    break;
                case "DNAT":
                    rule.Action = RuleAction.Dnat;
                    break;
                case "REDIRECT":
                    rule.Action = RuleAction.Redirect;
                    break;
                default:
                    if (target == "MARK")
                    {
                        rule.MarkOperation = written;
                    }
                    if (ContinueTargets.Contains(target))
                    {
                        rule.Action = RuleAction.Continue;
                        break;
                    }
                    if (UnjudgeableTargets.Contains(target) || options.Count > 0)
                    {
                        // A chain takes no options: a target with options is an extension target.
                        rule.Action = RuleAction.Unknown;
                        rule.Unjudgeable = "the target " + target + " is not one the model knows";
                        break;
                    }
                    rule.Action = RuleAction.Jump;
                    rule.TargetChain = target;
                    return;
            }
            rule.ActionOptions = written;
        }

        private static void AddAddress(ParsedRule rule, RuleField field, string value, bool negate, string option)
        {
            if (value == null)
            {
                return;
            }
            string[] addresses = value.Split(',').Select(HostAddress).ToArray();
            if (!negate && addresses.All(a => a == "0.0.0.0/0" || a == "::/0"))
            {
                return;
            }
            rule.Matches.Add(new RuleMatch(field, addresses, negate, text: Text(negate, option, value)));
        }

        /// <summary>A host's address without its /32 (or /128), as nft writes it; a prefix as written.</summary>
        internal static string HostAddress(string address)
        {
            if (address.EndsWith("/32", StringComparison.Ordinal) && address.IndexOf(':') < 0)
            {
                return address.Substring(0, address.Length - 3);
            }
            if (address.EndsWith("/128", StringComparison.Ordinal) && address.IndexOf(':') >= 0)
            {
                return address.Substring(0, address.Length - 4);
            }
            return address;
        }

        /// <summary>Ports as nft writes them: a range <c>1000:2000</c> as <c>1000-2000</c>.</summary>
        private static string[] Ports(string value) =>
            value == null ? new string[0] : value.Split(',').Select(p => p.Replace(':', '-')).ToArray();

        private static string[] Lower(string value) =>
            value == null ? new string[0] : value.Split(',').Select(v => v.ToLowerInvariant()).ToArray();

        /// <summary><c>value/mask</c> in lower-case hex; a mark without a mask is matched on all 32 bits.</summary>
        private static string MarkValue(string value)
        {
            if (value == null)
            {
                return null;
            }
            string text = value.ToLowerInvariant();
            return text.IndexOf('/') >= 0 ? text : text + "/0xffffffff";
        }

        private static string Text(bool negate, string option, string value) =>
            (negate ? "! " : string.Empty) + option + (value != null ? " " + IptablesWords.Quote(value) : string.Empty);
    }
}
