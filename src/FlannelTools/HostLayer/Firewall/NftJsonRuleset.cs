namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>
    /// Reads <c>nft -j list ruleset</c>: <c>{"nftables": [{"metainfo"}, {"table"}, {"chain"}, {"rule"}, {"set"}, {"map"}, ...]}</c>.
    /// nft prints it on one line, so every problem names that line; the message says which element.
    /// </summary>
    internal static class NftJsonRuleset
    {
        // Objects a ruleset holds that carry no rules, chains or sets: read and left aside, not problems.
        private static readonly HashSet<string> OtherObjects = new HashSet<string>(StringComparer.Ordinal)
        {
            "metainfo", "table", "ct helper", "ct timeout", "ct expectation", "flowtable", "counter", "quota", "limit", "secmark", "synproxy", "element",
        };

        public static void Parse(IList<string> lines, TextOrigin origin, int firstLineNumber, FirewallParseResult result)
        {
            string text = string.Join("\n", lines);
            int firstContentLine = firstLineNumber + lines.TakeWhile(string.IsNullOrWhiteSpace).Count();
            result.LinesRead = lines.Count(l => !string.IsNullOrWhiteSpace(l));
            object document;
            try
            {
                document = JsonText.Parse(text);
            }
            catch (FormatException e)
            {
                result.Problems.Add(new ParseProblem(origin.Name, LineOf(e.Message, firstLineNumber), Excerpt(text), e.Message));
                return;
            }
            if (!(JsonText.Member(document, "nftables") is List<object> items))
            {
                result.Problems.Add(new ParseProblem(origin.Name, firstContentLine, Excerpt(text), "not an nft ruleset: the JSON has no \"nftables\" array"));
                return;
            }
            var positions = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int index = 0; index < items.Count; index++)
            {
                object item = items[index];
                string where = "element " + (index + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + " of \"nftables\"";
                if (!(item is Dictionary<string, object> obj) || obj.Count != 1)
                {
                    result.Problems.Add(new ParseProblem(origin.Name, firstContentLine, Excerpt(Describe(item)), where + " is not an object of one kind"));
                    continue;
                }
                KeyValuePair<string, object> only = obj.First();
                string source = origin.SourceOf(firstContentLine);
                switch (only.Key)
                {
                    case "chain":
                        AddChain(only.Value, source, origin, firstContentLine, where, result);
                        break;
                    case "rule":
                        AddRule(only.Value, source, origin, firstContentLine, where, positions, result);
                        break;
                    case "set":
                    case "map":
                        AddSet(only.Key, only.Value, source, origin, firstContentLine, where, result);
                        break;
                    default:
                        if (!OtherObjects.Contains(only.Key))
                        {
                            result.Problems.Add(new ParseProblem(origin.Name, firstContentLine, Excerpt(Describe(item)), where + ": unknown ruleset object '" + only.Key + "'"));
                        }
                        break;
                }
            }
        }

        private static void AddChain(object chain, string source, TextOrigin origin, int line, string where, FirewallParseResult result)
        {
            string family = JsonText.String(chain, "family");
            string table = JsonText.String(chain, "table");
            string name = JsonText.String(chain, "name");
            if (family == null || table == null || name == null)
            {
                result.Problems.Add(new ParseProblem(origin.Name, line, Excerpt(Describe(chain)), where + ": a chain without family, table or name"));
                return;
            }
            string hook = JsonText.String(chain, "hook");
            long? priority = JsonText.Integer(chain, "prio");
            object dev = JsonText.Member(chain, "dev");
            result.Chains.Add(new FirewallChain
            {
                Backend = FirewallBackend.Nftables,
                Family = family,
                Table = table,
                Name = name,
                Type = hook != null ? JsonText.String(chain, "type") : null,
                Hook = hook,
                Priority = hook != null && priority != null ? (int?)priority.Value : null,
                Policy = hook != null ? JsonText.String(chain, "policy")?.ToLowerInvariant() : null,
                Device = dev is string d ? d : dev is List<object> devices ? string.Join(",", devices) : null,
                Source = source,
            });
        }

        private static void AddRule(object rule, string source, TextOrigin origin, int line, string where, Dictionary<string, int> positions, FirewallParseResult result)
        {
            string family = JsonText.String(rule, "family");
            string table = JsonText.String(rule, "table");
            string chain = JsonText.String(rule, "chain");
            if (family == null || table == null || chain == null || !(JsonText.Member(rule, "expr") is List<object> statements))
            {
                result.Problems.Add(new ParseProblem(origin.Name, line, Excerpt(Describe(rule)), where + ": a rule without family, table, chain or expr"));
                return;
            }
            var words = new List<string>();
            long? packets = null, bytes = null;
            foreach (object statement in statements)
            {
                string text = NftJsonExpression.Statement(statement);
                words.Add(text);
                object counter = JsonText.Member(statement, "counter");
                if (text == "counter" && packets == null && counter != null)
                {
                    packets = JsonText.Integer(counter, "packets");
                    bytes = JsonText.Integer(counter, "bytes");
                }
            }
            string comment = JsonText.String(rule, "comment");
            if (comment != null)
            {
                words.Add("comment " + NftJsonExpression.Quote(comment));
            }
            string key = family + " " + table + " " + chain;
            positions.TryGetValue(key, out int position);
            positions[key] = ++position;
            result.Rules.Add(new FirewallRule
            {
                Backend = FirewallBackend.Nftables,
                Family = family,
                Table = table,
                Chain = chain,
                Position = position,
                Text = string.Join(" ", words.Where(w => w.Length > 0)),
                Handle = JsonText.Integer(rule, "handle"),
                Comment = comment,
                Packets = packets,
                Bytes = bytes,
                Source = source,
            });
        }

        private static void AddSet(string kind, object set, string source, TextOrigin origin, int line, string where, FirewallParseResult result)
        {
            string family = JsonText.String(set, "family");
            string table = JsonText.String(set, "table");
            string name = JsonText.String(set, "name");
            if (family == null || table == null || name == null)
            {
                result.Problems.Add(new ParseProblem(origin.Name, line, Excerpt(Describe(set)), where + ": a " + kind + " without family, table or name"));
                return;
            }
            string type = TypeText(JsonText.Member(set, "type"));
            NftJsonExpression.ValueKind elementKind = type == "ifname" ? NftJsonExpression.ValueKind.InterfaceName
                : type == "mark" ? NftJsonExpression.ValueKind.Mark : NftJsonExpression.ValueKind.Plain;
            result.Sets.Add(new FirewallSet
            {
                Backend = FirewallBackend.Nftables,
                Family = family,
                Table = table,
                Name = name,
                Type = type,
                MapsTo = kind == "map" ? TypeText(JsonText.Member(set, "map")) : null,
                Flags = new TextList(JsonText.Array(set, "flags").Select(f => f as string)),
                Elements = new TextList(JsonText.Array(set, "elem").Select(e => NftJsonExpression.Element(e, elementKind))),
                Source = source,
            });
        }

        private static string TypeText(object type) =>
            type is List<object> parts ? string.Join(" . ", parts.Select(p => p as string)) : type as string;

        /// <summary>JsonText's message says <c>at line N</c> of the text; the problem names that line of the input.</summary>
        private static int LineOf(string message, int firstLineNumber)
        {
            const string marker = "at line ";
            int at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
            {
                return firstLineNumber;
            }
            int start = at + marker.Length, end = start;
            while (end < message.Length && char.IsDigit(message[end]))
            {
                end++;
            }
            return int.TryParse(message.Substring(start, end - start), out int line) ? firstLineNumber + line - 1 : firstLineNumber;
        }

        private static string Describe(object node)
        {
            switch (node)
            {
                case Dictionary<string, object> obj:
                    return "{" + string.Join(", ", obj.Select(m => "\"" + m.Key + "\": " + Describe(m.Value))) + "}";
                case List<object> list:
                    return "[" + string.Join(", ", list.Select(Describe)) + "]";
                case string s:
                    return "\"" + s + "\"";
                case null:
                    return "null";
                case bool b:
                    return b ? "true" : "false";
                default:
                    return Convert.ToString(node, System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        private static string Excerpt(string text)
        {
            string flat = text.Replace('\n', ' ').Trim();
            return flat.Length <= 200 ? flat : flat.Substring(0, 200) + "...";
        }
    }
}
