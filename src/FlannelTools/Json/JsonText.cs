namespace FlannelTools.Json
{
    /// <summary>
    /// A small JSON reader for what iproute2 (<c>ip -j</c>, <c>bridge -j</c>) and kubectl print. netstandard2.0 has no
    /// JSON parser of its own, and this needs only plain values: objects become
    /// <see cref="Dictionary{TKey,TValue}"/> (ordinal keys), arrays <see cref="List{T}"/>, numbers <see cref="long"/>
    /// or <see cref="double"/>, and strings, booleans and null themselves.
    /// </summary>
    internal static class JsonText
    {
        /// <exception cref="FormatException">The text is not JSON; the message gives the line and column.</exception>
        public static object Parse(string text)
        {
            var parser = new Parser(text ?? throw new ArgumentNullException(nameof(text)));
            parser.SkipWhitespace();
            object value = parser.ReadValue(0);
            parser.SkipWhitespace();
            if (!parser.AtEnd)
            {
                throw parser.Error("unexpected text after the JSON value");
            }
            return value;
        }

        /// <summary>The member's value, or null when the object has no such member or is not an object.</summary>
        public static object Member(object node, string name) =>
            node is Dictionary<string, object> obj && obj.TryGetValue(name, out object value) ? value : null;

        public static string String(object node, string name) => Member(node, name) is string s ? s : null;

        public static long? Integer(object node, string name)
        {
            switch (Member(node, name))
            {
                case long l:
                    return l;
                case double d when d == Math.Floor(d) && d >= long.MinValue && d <= long.MaxValue:
                    return (long)d;
                case string s when long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long parsed):
                    return parsed;
                default:
                    return null;
            }
        }

        public static bool? Boolean(object node, string name) => Member(node, name) is bool b ? b : (bool?)null;

        /// <summary>The member as a list (an absent member is an empty list; a single value a list of one).</summary>
        public static List<object> Array(object node, string name)
        {
            object value = Member(node, name);
            return value is List<object> list ? list : value == null ? new List<object>() : new List<object> { value };
        }

        private sealed class Parser
        {
            private const int MaxDepth = 128;
            private readonly string _text;
            private int _position;

            public Parser(string text) => _text = text;

            public bool AtEnd => _position >= _text.Length;

            public void SkipWhitespace()
            {
                while (_position < _text.Length && (_text[_position] == ' ' || _text[_position] == '\t' || _text[_position] == '\r' || _text[_position] == '\n' || _text[_position] == '\uFEFF'))
                {
                    _position++;
                }
            }

            public object ReadValue(int depth)
            {
                if (depth > MaxDepth)
                {
                    throw Error("nesting too deep");
                }
                if (AtEnd)
                {
                    throw Error("the text ends where a value was expected");
                }
                char c = _text[_position];
                switch (c)
                {
                    case '{':
                        return ReadObject(depth);
                    case '[':
                        return ReadArray(depth);
                    case '"':
                        return ReadString();
                    case 't':
                        return ReadLiteral("true", true);
                    case 'f':
                        return ReadLiteral("false", false);
                    case 'n':
                        return ReadLiteral("null", null);
                    default:
                        if (c == '-' || (c >= '0' && c <= '9'))
                        {
                            return ReadNumber();
                        }
                        throw Error("unexpected character '" + c + "'");
                }
            }

            private Dictionary<string, object> ReadObject(int depth)
            {
                var result = new Dictionary<string, object>(StringComparer.Ordinal);
                ReadItems('}', () =>
                {
                    if (Peek() != '"')
                    {
                        throw Error("expected a member name");
                    }
                    string name = ReadString();
                    SkipWhitespace();
                    Expect(':');
                    SkipWhitespace();
                    result[name] = ReadValue(depth + 1);
                });
                return result;
            }

            private List<object> ReadArray(int depth)
            {
                var result = new List<object>();
                ReadItems(']', () => result.Add(ReadValue(depth + 1)));
                return result;
            }

            /// <summary>From the opening bracket or brace to <paramref name="close"/>: items separated by commas.</summary>
            private void ReadItems(char close, Action readItem)
            {
                _position++;
                SkipWhitespace();
                if (Peek() == close)
                {
                    _position++;
                    return;
                }
                while (true)
                {
                    SkipWhitespace();
                    readItem();
                    SkipWhitespace();
                    if (Peek() == ',')
                    {
                        _position++;
                        continue;
                    }
                    Expect(close);
                    return;
                }
            }

            private string ReadString()
            {
                _position++;
                var text = new StringBuilder();
                while (true)
                {
                    if (AtEnd)
                    {
                        throw Error("the text ends inside a string");
                    }
                    char c = _text[_position++];
                    if (c == '"')
                    {
                        return text.ToString();
                    }
                    if (c != '\\')
                    {
                        text.Append(c);
                        continue;
                    }
                    if (AtEnd)
                    {
                        throw Error("the text ends inside a string");
                    }
                    char escape = _text[_position++];
                    switch (escape)
                    {
                        case '"': text.Append('"'); break;
                        case '\\': text.Append('\\'); break;
                        case '/': text.Append('/'); break;
                        case 'b': text.Append('\b'); break;
                        case 'f': text.Append('\f'); break;
                        case 'n': text.Append('\n'); break;
                        case 'r': text.Append('\r'); break;
                        case 't': text.Append('\t'); break;
                        case 'u':
                            if (_position + 4 > _text.Length ||
                                !int.TryParse(_text.Substring(_position, 4), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code))
                            {
                                throw Error("bad \\u escape");
                            }
                            text.Append((char)code);
                            _position += 4;
                            break;
                        default:
                            throw Error("bad escape '\\" + escape + "'");
                    }
                }
            }

            private object ReadNumber()
            {
                int start = _position;
                while (_position < _text.Length && "+-0123456789.eE".IndexOf(_text[_position]) >= 0)
                {
                    _position++;
                }
                string token = _text.Substring(start, _position - start);
                if (long.TryParse(token, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer))
                {
                    return integer;
                }
                if (double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out double real))
                {
                    return real;
                }
                _position = start;
                throw Error("bad number '" + token + "'");
            }

            private object ReadLiteral(string literal, object value)
            {
                if (string.CompareOrdinal(_text, _position, literal, 0, literal.Length) != 0)
                {
                    throw Error("unexpected text");
                }
                _position += literal.Length;
                return value;
            }

            private char Peek() => AtEnd ? '\0' : _text[_position];

            private void Expect(char c)
            {
                if (Peek() != c)
                {
                    throw AtEnd ? Error("the text ends where '" + c + "' was expected") : Error("expected '" + c + "'");
                }
                _position++;
            }

            public FormatException Error(string problem)
            {
                int line = 1, column = 1;
                for (int i = 0; i < _position && i < _text.Length; i++)
                {
                    if (_text[i] == '\n')
                    {
                        line++;
                        column = 1;
                    }
                    else
                    {
                        column++;
                    }
                }
                return new FormatException(string.Format(CultureInfo.InvariantCulture, "Not valid JSON at line {0}, column {1}: {2}.", line, column, problem));
            }
        }
    }
}
