namespace FlannelTools.NodeTables
{
    /// <summary>Reads the words of one printed line, as the text parsers need them.</summary>
    internal sealed class Tokens
    {
        private static readonly char[] Blanks = { ' ', '\t' };
        private readonly string[] _words;
        private int _next;

        public Tokens(string line) => _words = line.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);

        public int Count => _words.Length;

        public bool AtEnd => _next >= _words.Length;

        public string this[int index] => _words[index];

        public string Peek() => AtEnd ? null : _words[_next];

        public string Next() => AtEnd ? null : _words[_next++];

        /// <summary>The value after a keyword; throws a <see cref="FormatException"/> naming the keyword when the line ends.</summary>
        public string Value(string keyword) => Next() ?? throw new FormatException("'" + keyword + "' without a value");

        public int Integer(string keyword)
        {
            string text = Value(keyword);
            if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value))
            {
                throw new FormatException("'" + keyword + " " + text + "' is not a number");
            }
            return value;
        }

        public string Address(string keyword) => AddressText(Value(keyword), keyword);

        public static string AddressText(string text, string what)
        {
            if (!IpAddressValue.TryParse(text, out IpAddressValue address))
            {
                throw new FormatException("'" + text + "' is not an IP address (" + what + ")");
            }
            return address.ToString();
        }

        private static readonly System.Text.RegularExpressions.Regex RedactedAddress = new System.Text.RegularExpressions.Regex(
            @"^(?=[^/]*[xX*#])(?=[^/]*[.:])[0-9a-fA-FxX*#.:]+(/\d+)?$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>True for an address with parts hidden by the poster: <c>10.xx.xx.1</c>, <c>*.*.*.1</c>, <c>192.168.X.0/24</c>.</summary>
        public static bool IsRedacted(string text) => text != null && RedactedAddress.IsMatch(text);

        public static string Mac(string text, string what)
        {
            return MacAddress.Normalize(text) ?? throw new FormatException("'" + text + "' is not a MAC address (" + what + ")");
        }

        /// <summary><c>default</c>, or the prefix with its length in canonical text.</summary>
        public static string Prefix(string text, out int version)
        {
            version = 0;
            if (text == "default")
            {
                return text;
            }
            if (!IpPrefix.TryParse(text, out IpPrefix prefix))
            {
                if (IsRedacted(text))
                {
                    throw new FormatException("a redacted destination '" + text + "': the route is left out");
                }
                throw new FormatException("'" + text + "' is not a destination prefix");
            }
            version = prefix.Version;
            return prefix.ToString();
        }
    }
}
