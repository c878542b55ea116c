namespace FlannelTools.HostLayer.Kernel
{
    /// <summary>
    /// The UDP counters of /proc/net/snmp (per group, a line of names then a line of values:
    /// <c>Udp: InDatagrams NoPorts …</c> / <c>Udp: 0 3 …</c>) and /proc/net/snmp6 (a name and a value a line:
    /// <c>Udp6InCsumErrors 0</c>). Every counter of the groups <c>Udp</c> and <c>Udp6</c> is kept (InDatagrams, NoPorts,
    /// InErrors, OutDatagrams, RcvbufErrors, SndbufErrors, InCsumErrors, IgnoredMulti, MemErrors); the other groups
    /// (Ip, Icmp, Tcp, UdpLite, …) are read and left out.
    /// </summary>
    internal static class SnmpParser
    {
        private static readonly HashSet<string> KeptGroups = new HashSet<string>(StringComparer.Ordinal) { "Udp", "Udp6" };
        private static readonly Regex Snmp6Name = new Regex(@"^(?<group>[A-Za-z]+6)(?<name>[A-Z][A-Za-z0-9_]*)$", RegexOptions.CultureInvariant);
        private static readonly char[] Blanks = { ' ', '\t' };

        public static ParseResult<NetCounter> Parse(IList<string> lines, TextOrigin origin, int firstLineNumber)
        {
            var result = new ParseResult<NetCounter>();
            string[] header = null;
            string headerLine = null;
            int headerNumber = 0;
            void Problem(int number, string line, string message) => result.Problems.Add(new ParseProblem(origin.Name, number, line, message));
            void HeaderWithoutValues()
            {
                if (header != null)
                {
                    Problem(headerNumber, headerLine, "the names of group '" + header[0].TrimEnd(':') + "' without a line of values after them");
                    header = null;
                }
            }
            for (int i = 0; i < lines.Count; i++)
            {
                string line = lines[i].TrimEnd('\r').Trim();
                int lineNumber = firstLineNumber + i;
                if (line.Length == 0)
                {
                    continue;
                }
                result.LinesRead++;
                string[] words = line.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
                if (!words[0].EndsWith(":", StringComparison.Ordinal))
                {
                    HeaderWithoutValues();
                    ReadSnmp6(words, line, lineNumber, origin, result);
                    continue;
                }
                if (header != null && header[0] == words[0])
                {
                    ReadValues(header, words, line, lineNumber, origin, result);
                    header = null;
                    continue;
                }
                HeaderWithoutValues();
                if (words.Length > 1 && IsNumber(words[1]))
                {
                    Problem(lineNumber, line, "values of group '" + words[0].TrimEnd(':') + "' without the line of names before them");
                    continue;
                }
                header = words;
                headerLine = line;
                headerNumber = lineNumber;
            }
            HeaderWithoutValues();
            return result;
        }

        private static void ReadValues(string[] names, string[] values, string line, int lineNumber, TextOrigin origin, ParseResult<NetCounter> result)
        {
            string group = names[0].TrimEnd(':');
            if (names.Length != values.Length)
            {
                result.Problems.Add(new ParseProblem(origin.Name, lineNumber, line, string.Format(CultureInfo.InvariantCulture,
                    "group '{0}' has {1} names and {2} values", group, names.Length - 1, values.Length - 1)));
                return;
            }
            if (!KeptGroups.Contains(group))
            {
                return;
            }
            for (int i = 1; i < names.Length; i++)
            {
                if (!long.TryParse(values[i], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
                {
                    result.Problems.Add(new ParseProblem(origin.Name, lineNumber, line, "'" + values[i] + "' is not a number (" + group + " " + names[i] + ")"));
                    continue;
                }
                result.Entries.Add(new NetCounter { Group = group, Name = names[i], Value = value, Source = origin.SourceOf(lineNumber) });
            }
        }

        private static void ReadSnmp6(string[] words, string line, int lineNumber, TextOrigin origin, ParseResult<NetCounter> result)
        {
            Match name = Snmp6Name.Match(words[0]);
            if (words.Length != 2 || !name.Success)
            {
                result.Problems.Add(new ParseProblem(origin.Name, lineNumber, line, "not a counter of /proc/net/snmp ('Group: names' or 'Group: values') or snmp6 ('Udp6InErrors 0')"));
                return;
            }
            string group = name.Groups["group"].Value;
            if (!long.TryParse(words[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long value))
            {
                result.Problems.Add(new ParseProblem(origin.Name, lineNumber, line, "'" + words[1] + "' is not a number (" + words[0] + ")"));
                return;
            }
            if (KeptGroups.Contains(group))
            {
                result.Entries.Add(new NetCounter { Group = group, Name = name.Groups["name"].Value, Value = value, Source = origin.SourceOf(lineNumber) });
            }
        }

        private static bool IsNumber(string word) => long.TryParse(word, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);
    }
}
