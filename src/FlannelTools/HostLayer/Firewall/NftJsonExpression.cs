namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>
    /// Writes the statements of a rule from <c>nft -j list ruleset</c> (libnftables-json(5)) in the syntax
    /// <c>nft list ruleset</c> prints, so a rule read from JSON has the same Text as the same rule read from text.
    /// What it cannot write comes out as <c># unknown expression KIND</c>, which NftRuleText reads as unjudgeable.
    /// </summary>
    internal static class NftJsonExpression
    {
        /// <summary>How a value is printed depends on what it is compared with: interface names quoted, marks in hex.</summary>
        internal enum ValueKind
        {
            Plain,
            InterfaceName,
            Mark,
        }

        private static readonly HashSet<string> UnqualifiedMetaKeys = new HashSet<string>(StringComparer.Ordinal)
        {
            "iif", "oif", "iifname", "oifname", "iifgroup", "oifgroup",
        };

        private static readonly HashSet<string> InterfaceNameKeys = new HashSet<string>(StringComparer.Ordinal)
        {
            "iif", "oif", "iifname", "oifname", "ibrname", "obrname", "ibriport", "obriport",
        };

        private static readonly Dictionary<string, string> BinaryOperators = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            { "&", "&" }, { "|", "|" }, { "^", "^" }, { "<<", "<<" }, { ">>", ">>" },
        };

        /// <summary>A verdict statement, or a verdict map's value: <c>accept</c>, <c>jump</c> …</summary>
        private static bool IsVerdict(string key) =>
            key == "accept" || key == "drop" || key == "continue" || key == "return" || key == "jump" || key == "goto";

        /// <summary>One statement of a rule's <c>expr</c> array.</summary>
        public static string Statement(object statement)
        {
            if (!(statement is Dictionary<string, object> obj) || obj.Count != 1)
            {
                return Unknown("statement");
            }
            KeyValuePair<string, object> only = obj.First();
            string kind = only.Key;
            object body = only.Value;
            if (IsVerdict(kind))
            {
                return Verdict(obj);
            }
            switch (kind)
            {
                case "match":
                    return Match(body);
                case "counter":
                    return body is string name ? "counter name " + Quote(name) : "counter";
                case "reject":
                    return Reject(body);
                case "masquerade":
                case "redirect":
                    return kind + Nat(body, withAddress: false);
                case "snat":
                case "dnat":
                    return kind + Nat(body, withAddress: true);
                case "mangle":
                    return Mangle(body);
                case "vmap":
                    object mapKey = JsonText.Member(body, "key");
                    return Left(mapKey) + " vmap " + VerdictMapData(JsonText.Member(body, "data"), KindOf(mapKey));
                case "log":
                    return Log(body);
                case "notrack":
                    return "notrack";
                case "limit":
                    return Limit(body);
                case "quota":
                    return Quota(body);
                case "queue":
                    return Queue(body);
                case "xt":
                    return "xt " + (JsonText.String(body, "type") ?? "match") + " " + Quote(JsonText.String(body, "name") ?? string.Empty);
                default:
                    return Unknown(kind);
            }
        }

        public static string Unknown(string kind) => "# unknown expression " + kind;

        private static string Match(object body)
        {
            string op = JsonText.String(body, "op") ?? "==";
            object left = JsonText.Member(body, "left");
            object right = JsonText.Member(body, "right");
            string leftText = Left(left);
            ValueKind kind = KindOf(left);
            string rightText = Right(right, kind);
            bool leftIsBinary = left is Dictionary<string, object> l && l.Count == 1 && BinaryOperators.ContainsKey(l.Keys.First());
            switch (op)
            {
                case "==":
                    return leftIsBinary ? leftText + " == " + rightText : leftText + " " + rightText;
                case "in":
                    return leftText + " " + rightText;
                default:
                    return leftText + " " + op + " " + rightText;
            }
        }

        /// <summary>The thing a match or statement looks at: a payload field, meta, ct, fib, a concatenation.</summary>
        public static string Left(object node)
        {
            if (!(node is Dictionary<string, object> obj) || obj.Count != 1)
            {
                return Value(node, ValueKind.Plain);
            }
            KeyValuePair<string, object> only = obj.First();
            object body = only.Value;
            switch (only.Key)
            {
                case "payload":
                    string protocol = JsonText.String(body, "protocol");
                    if (protocol != null)
                    {
                        return protocol + " " + JsonText.String(body, "field");
                    }
                    return "@" + JsonText.String(body, "base") + "," + JsonText.Integer(body, "offset") + "," + JsonText.Integer(body, "len");
                case "meta":
                    string key = JsonText.String(body, "key");
                    return UnqualifiedMetaKeys.Contains(key) ? key : "meta " + key;
                case "ct":
                    var ct = new List<string> { "ct" };
                    AddIfPresent(ct, JsonText.String(body, "dir"));
                    AddIfPresent(ct, JsonText.String(body, "family"));
                    ct.Add(JsonText.String(body, "key"));
                    return string.Join(" ", ct);
                case "fib":
                    List<object> flags = JsonText.Array(body, "flags");
                    return "fib " + string.Join(" . ", flags.Select(f => f as string)) + " " + JsonText.String(body, "result");
                case "concat":
                    return string.Join(" . ", ((body as List<object>) ?? new List<object>()).Select(Left));
                case "tcp option":
                    string field = JsonText.String(body, "field");
                    return "tcp option " + JsonText.String(body, "name") + (field != null ? " " + field : string.Empty);
                case "socket":
                    return "socket " + JsonText.String(body, "key");
                case "&":
                case "|":
                case "^":
                case "<<":
                case ">>":
                    List<object> operands = body as List<object> ?? new List<object>();
                    ValueKind kind = operands.Count > 0 ? KindOf(operands[0]) : ValueKind.Plain;
                    return string.Join(" " + only.Key + " ", operands.Select((o, i) => i == 0 ? Left(o) : Right(o, kind)));
                default:
                    return Value(node, ValueKind.Plain);
            }
        }

        private static ValueKind KindOf(object left)
        {
            if (left is Dictionary<string, object> obj && obj.Count == 1)
            {
                KeyValuePair<string, object> only = obj.First();
                string key = JsonText.String(only.Value, "key");
                if (only.Key == "meta" && key != null && InterfaceNameKeys.Contains(key))
                {
                    return ValueKind.InterfaceName;
                }
                if ((only.Key == "meta" || only.Key == "ct") && key == "mark")
                {
                    return ValueKind.Mark;
                }
                if (BinaryOperators.ContainsKey(only.Key) && only.Value is List<object> operands && operands.Count > 0)
                {
                    return KindOf(operands[0]);
                }
            }
            return ValueKind.Plain;
        }

        private static string Right(object node, ValueKind kind)
        {
            if (node is bool b)
            {
                return b ? "exists" : "missing";
            }
            // A plain list on the right is a combination of flags (ct state established,related).
            if (node is List<object> flags)
            {
                return string.Join(",", flags.Select(f => Value(f, kind)));
            }
            return IsExpressionObject(node) ? Left(node) : Value(node, kind);
        }

        private static bool IsExpressionObject(object node) =>
            node is Dictionary<string, object> obj && obj.Count == 1 &&
            (obj.ContainsKey("meta") || obj.ContainsKey("payload") || obj.ContainsKey("ct") || obj.ContainsKey("fib") ||
             obj.ContainsKey("concat") || BinaryOperators.ContainsKey(obj.Keys.First()));

        /// <summary>A literal, a prefix, a range, a concatenation, an anonymous set, an element.</summary>
        public static string Value(object node, ValueKind kind)
        {
            switch (node)
            {
                case null:
                    return string.Empty;
                case string s:
                    return kind == ValueKind.InterfaceName ? Quote(s) : s;
                case long l:
                    return kind == ValueKind.Mark ? "0x" + l.ToString("x8", CultureInfo.InvariantCulture) : l.ToString(CultureInfo.InvariantCulture);
                case double d:
                    return d.ToString(CultureInfo.InvariantCulture);
                case bool b:
                    return b ? "exists" : "missing";
                case List<object> list:
                    return string.Join(",", list.Select(v => Value(v, kind)));
            }
            if (!(node is Dictionary<string, object> obj) || obj.Count != 1)
            {
                return Unknown("value");
            }
            KeyValuePair<string, object> only = obj.First();
            object body = only.Value;
            if (IsVerdict(only.Key))
            {
                return Verdict(obj);
            }
            switch (only.Key)
            {
                case "prefix":
                    return Value(JsonText.Member(body, "addr"), kind) + "/" + JsonText.Integer(body, "len");
                case "range":
                    List<object> bounds = body as List<object> ?? new List<object>();
                    return string.Join("-", bounds.Select(v => Value(v, kind)));
                case "concat":
                    return string.Join(" . ", ((body as List<object>) ?? new List<object>()).Select(v => Value(v, kind)));
                case "set":
                    List<object> items = body as List<object> ?? new List<object> { body };
                    return "{ " + string.Join(", ", items.Select(v => Element(v, kind))) + " }";
                case "elem":
                    return Value(JsonText.Member(body, "val"), kind);
                default:
                    return IsExpressionObject(node) ? Left(node) : Unknown(only.Key);
            }
        }

        /// <summary>An element of a set or map: a value, or <c>key : value</c> for a map.</summary>
        public static string Element(object node, ValueKind kind)
        {
            if (node is List<object> pair && pair.Count == 2 && !(pair[0] is List<object>))
            {
                return Value(pair[0], kind) + " : " + Value(pair[1], ValueKind.Plain);
            }
            return Value(node, kind);
        }

        private static string VerdictMapData(object data, ValueKind keyKind) => data is string name ? name : Value(data, keyKind);

        private static string Verdict(Dictionary<string, object> verdict)
        {
            KeyValuePair<string, object> only = verdict.First();
            if (only.Key == "jump" || only.Key == "goto")
            {
                return only.Key + " " + JsonText.String(only.Value, "target");
            }
            return only.Key;
        }

        private static string Reject(object body)
        {
            if (body == null)
            {
                return "reject";
            }
            string type = JsonText.String(body, "type");
            string expr = JsonText.String(body, "expr");
            if (type == null)
            {
                return "reject";
            }
            return "reject with " + type + (expr != null ? " " + expr : string.Empty);
        }

        private static string Nat(object body, bool withAddress)
        {
            if (body == null)
            {
                return string.Empty;
            }
            var words = new List<string>();
            string family = JsonText.String(body, "family");
            object addr = JsonText.Member(body, "addr");
            object port = JsonText.Member(body, "port");
            if (withAddress)
            {
                AddIfPresent(words, family);
            }
            if (addr != null || port != null)
            {
                string address = addr != null ? Value(addr, ValueKind.Plain) : string.Empty;
                if (port != null && address.IndexOf(':') >= 0)
                {
                    address = "[" + address + "]";
                }
                words.Add("to " + address + (port != null ? ":" + Value(port, ValueKind.Plain) : string.Empty));
            }
            object flags = JsonText.Member(body, "flags");
            if (flags != null)
            {
                words.Add(Value(flags, ValueKind.Plain));
            }
            return words.Count == 0 ? string.Empty : " " + string.Join(" ", words);
        }

        private static string Mangle(object body)
        {
            object key = JsonText.Member(body, "key");
            return Left(key) + " set " + Right(JsonText.Member(body, "value"), KindOf(key));
        }

        private static string Log(object body)
        {
            var words = new List<string> { "log" };
            if (body == null)
            {
                return "log";
            }
            string prefix = JsonText.String(body, "prefix");
            if (prefix != null)
            {
                words.Add("prefix " + Quote(prefix));
            }
            foreach (string option in new[] { "level", "group", "snaplen", "queue-threshold" })
            {
                object value = JsonText.Member(body, option);
                if (value != null)
                {
                    words.Add(option + " " + Value(value, ValueKind.Plain));
                }
            }
            object flags = JsonText.Member(body, "flags");
            if (flags != null)
            {
                words.Add("flags " + Value(flags, ValueKind.Plain));
            }
            return string.Join(" ", words);
        }

        private static string Limit(object body)
        {
            string rate = Value(JsonText.Member(body, "rate"), ValueKind.Plain);
            string unit = JsonText.String(body, "rate_unit");
            string per = JsonText.String(body, "per") ?? "second";
            bool over = JsonText.Boolean(body, "inv") == true;
            string text = "limit rate " + (over ? "over " : string.Empty) + rate + (unit != null && unit != "packets" ? " " + unit : string.Empty) + "/" + per;
            long? burst = JsonText.Integer(body, "burst");
            string burstUnit = JsonText.String(body, "burst_unit");
            bool bytes = unit != null && unit != "packets";
            if (burst != null && (bytes ? burst != 0 : burst != 5))
            {
                text += " burst " + burst.Value.ToString(CultureInfo.InvariantCulture) + " " + (burstUnit ?? (bytes ? "bytes" : "packets"));
            }
            return text;
        }

        private static string Quota(object body)
        {
            bool over = JsonText.Boolean(body, "inv") == true;
            string text = "quota " + (over ? "over " : string.Empty) + Value(JsonText.Member(body, "val"), ValueKind.Plain) + " " + (JsonText.String(body, "val_unit") ?? "bytes");
            long? used = JsonText.Integer(body, "used");
            if (used != null && used != 0)
            {
                text += " used " + used.Value.ToString(CultureInfo.InvariantCulture) + " " + (JsonText.String(body, "used_unit") ?? "bytes");
            }
            return text;
        }

        private static string Queue(object body)
        {
            string text = "queue";
            object flags = JsonText.Member(body, "flags");
            if (flags != null)
            {
                text += " flags " + Value(flags, ValueKind.Plain);
            }
            object num = JsonText.Member(body, "num");
            if (num != null)
            {
                text += " to " + Value(num, ValueKind.Plain);
            }
            return text;
        }

        public static string Quote(string text) => "\"" + text + "\"";

        private static void AddIfPresent(List<string> words, string word)
        {
            if (!string.IsNullOrEmpty(word))
            {
                words.Add(word);
            }
        }
    }
}
