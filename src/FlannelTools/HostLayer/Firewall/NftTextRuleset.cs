namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>
    /// Reads <c>nft list ruleset</c> (also with <c>-a</c>, whose <c># handle N</c> it takes): tables, their chains and
    /// rules, named sets and maps. Objects that hold no rules (ct helpers, flowtables, named counters) are stepped over.
    /// </summary>
    internal static class NftTextRuleset
    {
        private static readonly Regex TableLine = new Regex(@"^table\s+(ip|ip6|inet|arp|bridge|netdev)\s+(\S+)\s*\{(\s*#.*)?$", RegexOptions.CultureInvariant);
        private static readonly Regex BlockLine = new Regex(@"^(chain|set|map)\s+(\S+)\s*\{(\s*#.*)?$", RegexOptions.CultureInvariant);
        private static readonly Regex OtherBlockLine = new Regex(@"^(ct helper|ct timeout|ct expectation|flowtable|counter|quota|limit|secmark|synproxy)\s+\S+\s*\{", RegexOptions.CultureInvariant);
        private static readonly Regex HookLine = new Regex(
            @"^type\s+(\S+)\s+hook\s+(\S+)(?:\s+device\s+""([^""]*)""|\s+devices\s*=\s*\{([^}]*)\})?\s+priority\s+([^;]+);(?:\s*policy\s+(\S+);)?\s*$",
            RegexOptions.CultureInvariant);
        private static readonly Regex CounterValues = new Regex(@"\bcounter packets (\d+) bytes (\d+)", RegexOptions.CultureInvariant);
        private static readonly Regex HandleSuffix = new Regex(@"\s+# handle (\d+)\s*$", RegexOptions.CultureInvariant);
        private static readonly Regex TrailingComment = new Regex(@"\scomment ""((?:[^""\\]|\\.)*)""$", RegexOptions.CultureInvariant);

        private enum Scope { Top, Table, Chain, Set }

        public static void Parse(IList<string> lines, TextOrigin origin, int firstLineNumber, FirewallParseResult result)
        {
            var scope = Scope.Top;
            string family = null, table = null;
            FirewallChain chain = null;
            FirewallSet set = null;
            List<string> setElements = null, setFlags = null;
            int position = 0;
            var pending = new StringBuilder();
            int pendingDepth = 0, pendingLine = 0;
            int skipDepth = 0;

            for (int i = 0; i < lines.Count; i++)
            {
                int lineNumber = firstLineNumber + i;
                string line = (lines[i] ?? string.Empty).Trim();
                if (line.Length == 0)
                {
                    continue;
                }
                result.LinesRead++;
                if (pendingDepth > 0)
                {
                    // A set's elements that nft wrapped over several lines.
                    pending.Append(' ').Append(line);
                    pendingDepth += NftSyntax.Depth(line);
                    if (pendingDepth <= 0)
                    {
                        TakeElements(pending.ToString(), setElements);
                        pending.Clear();
                    }
                    continue;
                }
                if (skipDepth > 0)
                {
                    skipDepth += NftSyntax.Depth(line);
                    continue;
                }
                if (line.StartsWith("#", StringComparison.Ordinal))
                {
                    continue;
                }
                switch (scope)
                {
                    case Scope.Top:
                        Match t = TableLine.Match(line);
                        if (t.Success)
                        {
                            family = t.Groups[1].Value;
                            table = t.Groups[2].Value;
                            scope = Scope.Table;
                        }
                        else
                        {
                            result.Problems.Add(Problem(origin, lineNumber, line, "not inside a table: nft list ruleset starts every part with 'table FAMILY NAME {'"));
                        }
                        break;

                    case Scope.Table:
                        if (line == "}")
                        {
                            scope = Scope.Top;
                            break;
                        }
                        Match b = BlockLine.Match(line);
                        if (b.Success && b.Groups[1].Value == "chain")
                        {
                            chain = new FirewallChain
                            {
                                Backend = FirewallBackend.Nftables, Family = family, Table = table, Name = b.Groups[2].Value,
                                Source = origin.SourceOf(lineNumber),
                            };
                            result.Chains.Add(chain);
                            position = 0;
                            scope = Scope.Chain;
                        }
                        else if (b.Success)
                        {
                            set = new FirewallSet { Backend = FirewallBackend.Nftables, Family = family, Table = table, Name = b.Groups[2].Value, Source = origin.SourceOf(lineNumber) };
                            setElements = new List<string>();
                            setFlags = new List<string>();
                            result.Sets.Add(set);
                            scope = Scope.Set;
                        }
                        else if (OtherBlockLine.IsMatch(line))
                        {
                            skipDepth = NftSyntax.Depth(line);
                        }
                        else if (!line.StartsWith("comment ", StringComparison.Ordinal) && !line.StartsWith("flags ", StringComparison.Ordinal))
                        {
                            result.Problems.Add(Problem(origin, lineNumber, line, "not a chain, set or map of table " + family + " " + table));
                            skipDepth = Math.Max(0, NftSyntax.Depth(line));
                        }
                        break;

                    case Scope.Chain:
                        if (line == "}")
                        {
                            scope = Scope.Table;
                            break;
                        }
                        if (line.StartsWith("type ", StringComparison.Ordinal))
                        {
                            ReadHook(line, chain, origin, lineNumber, result);
                            break;
                        }
                        if (line.StartsWith("comment ", StringComparison.Ordinal) && position == 0 && chain.Hook == null && IsLoneComment(line))
                        {
                            // A chain's own comment (knftables writes one), printed before its type line.
                            break;
                        }
                        if (line.StartsWith("policy ", StringComparison.Ordinal) && chain.Hook != null)
                        {
                            chain.Policy = line.Substring(7).TrimEnd(';', ' ').ToLowerInvariant();
                            break;
                        }
                        result.Rules.Add(Rule(line, family, table, chain.Name, ++position, origin.SourceOf(lineNumber), out string numberProblem));
                        if (numberProblem != null)
                        {
                            result.Problems.Add(Problem(origin, lineNumber, line, numberProblem));
                        }
                        break;

                    case Scope.Set:
                        if (line == "}")
                        {
                            set.Elements = new TextList(setElements);
                            set.Flags = new TextList(setFlags);
                            scope = Scope.Table;
                            break;
                        }
                        if (line.StartsWith("type ", StringComparison.Ordinal) || line.StartsWith("typeof ", StringComparison.Ordinal))
                        {
                            string type = line.StartsWith("type ", StringComparison.Ordinal) ? line.Substring(5).Trim() : line;
                            int colon = type.IndexOf(" : ", StringComparison.Ordinal);
                            set.Type = colon >= 0 ? type.Substring(0, colon).Trim() : type;
                            set.MapsTo = colon >= 0 ? type.Substring(colon + 3).Trim() : null;
                        }
                        else if (line.StartsWith("flags ", StringComparison.Ordinal))
                        {
                            setFlags.AddRange(line.Substring(6).Split(',').Select(f => f.Trim()));
                        }
                        else if (line.StartsWith("elements = {", StringComparison.Ordinal))
                        {
                            int depth = NftSyntax.Depth(line);
                            if (depth > 0)
                            {
                                pending.Append(line);
                                pendingDepth = depth;
                                pendingLine = lineNumber;
                            }
                            else
                            {
                                TakeElements(line, setElements);
                            }
                        }
                        else if (!Regex.IsMatch(line, @"^(size|timeout|gc-interval|policy|counter|comment|auto-merge)\b", RegexOptions.CultureInvariant))
                        {
                            result.Problems.Add(Problem(origin, lineNumber, line, "not a property of set " + set.Name));
                        }
                        break;
                }
            }
            if (pendingDepth > 0)
            {
                result.Problems.Add(Problem(origin, pendingLine, pending.ToString(), "the elements of set " + set.Name + " do not end"));
                TakeElements(pending.ToString() + " }", setElements);
            }
            if (scope == Scope.Set)
            {
                set.Elements = new TextList(setElements);
                set.Flags = new TextList(setFlags);
            }
            if (scope != Scope.Top)
            {
                result.Problems.Add(new ParseProblem(origin.Name, firstLineNumber + lines.Count - 1, null, "the text ends inside table " + family + " " + table));
            }
        }

        /// <summary>A rule line as nft prints it, less the counter's values and the handle, which are taken apart.</summary>
        /// <param name="line">The rule's line, as nft prints it inside its chain.</param>
        /// <param name="family">The table's family: ip, ip6, inet, arp, bridge or netdev.</param>
        /// <param name="table">The table's name.</param>
        /// <param name="chain">The chain's name.</param>
        /// <param name="position">The rule's 1-based position in its chain.</param>
        /// <param name="source">Where the rule was read: <c>live</c>, or <c>name:line</c>.</param>
        /// <param name="problem">A handle or counter value past a 64-bit number, which nft never prints (that value is left out); else null.</param>
        internal static FirewallRule Rule(string line, string family, string table, string chain, int position, string source, out string problem)
        {
            problem = null;
            long? Number(string digits, string what, ref string found)
            {
                if (long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                {
                    return value;
                }
                found = found ?? "the " + what + " '" + digits + "' is out of range";
                return null;
            }
            long? handle = null;
            Match h = HandleSuffix.Match(line);
            if (h.Success)
            {
                handle = Number(h.Groups[1].Value, "handle", ref problem);
                line = line.Substring(0, h.Index);
            }
            long? packets = null, bytes = null;
            Match c = CounterValues.Match(line);
            if (c.Success)
            {
                packets = Number(c.Groups[1].Value, "packet count", ref problem);
                bytes = Number(c.Groups[2].Value, "byte count", ref problem);
            }
            string text = CounterValues.Replace(line, "counter").Trim();
            Match comment = TrailingComment.Match(text);
            return new FirewallRule
            {
                Backend = FirewallBackend.Nftables,
                Family = family,
                Table = table,
                Chain = chain,
                Position = position,
                Text = text,
                Handle = handle,
                Comment = comment.Success ? comment.Groups[1].Value : null,
                Packets = packets,
                Bytes = bytes,
                Source = source,
            };
        }

        private static void ReadHook(string line, FirewallChain chain, TextOrigin origin, int lineNumber, FirewallParseResult result)
        {
            Match m = HookLine.Match(line);
            if (!m.Success)
            {
                result.Problems.Add(Problem(origin, lineNumber, line, "not a base chain's 'type T hook H priority P; policy X;' line"));
                return;
            }
            try
            {
                chain.Priority = NftPriority.Parse(m.Groups[5].Value, chain.Family);
            }
            catch (FormatException e)
            {
                result.Problems.Add(Problem(origin, lineNumber, line, e.Message));
            }
            chain.Type = m.Groups[1].Value;
            chain.Hook = m.Groups[2].Value;
            chain.Device = m.Groups[3].Success ? m.Groups[3].Value
                : m.Groups[4].Success ? string.Join(",", m.Groups[4].Value.Split(',').Select(d => d.Trim().Trim('"'))) : null;
            chain.Policy = m.Groups[6].Success ? m.Groups[6].Value.ToLowerInvariant() : "accept";
        }

        private static bool IsLoneComment(string line) => Regex.IsMatch(line, @"^comment ""(?:[^""\\]|\\.)*""$", RegexOptions.CultureInvariant);

        /// <summary><c>elements = { a, b . c, "x" : jump y }</c>, which may hold braces of its own, into its elements.</summary>
        private static void TakeElements(string text, List<string> elements)
        {
            int open = text.IndexOf('{');
            int close = text.LastIndexOf('}');
            if (open < 0 || close <= open)
            {
                return;
            }
            elements.AddRange(NftSyntax.Items(text.Substring(open + 1, close - open - 1), ','));
        }

        private static ParseProblem Problem(TextOrigin origin, int lineNumber, string line, string message) =>
            new ParseProblem(origin.Name, lineNumber, line, message);
    }
}
