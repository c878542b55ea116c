namespace FlannelTools.HostLayer.Kernel
{
    /// <summary>
    /// <c>tc filter show dev DEV ingress|egress</c>: each filter becomes a <see cref="PreStackProgram"/> (Kind
    /// <c>tc ingress</c> or <c>tc egress</c>) whose Program is the filter as tc printed it, its lines joined:
    /// <c>protocol all pref 49152 bpf chain 0 handle 0x1 drop.o:[tc] direct-action not_in_hw id 131 name tc_drop …</c>.
    /// A filter starts on a <c>filter …</c> line; its match and action lines are indented under it. The line tc prints
    /// for a priority before its filters (<c>filter protocol all pref 49152 bpf chain 0</c>, no handle) and a u32 hash
    /// table (<c>fh 800: ht divisor 1</c>) are not filters. No output (no filter, or no clsact/ingress qdisc) is none.
    /// </summary>
    internal static class TcFilterParser
    {
        private static readonly char[] Blanks = { ' ', '\t' };

        public static ParseResult<PreStackProgram> Parse(IList<string> lines, TextOrigin origin, int firstLineNumber, string device, string direction)
        {
            var result = new ParseResult<PreStackProgram>();
            var filter = new List<string>();
            int filterLineNumber = 0;
            void Flush()
            {
                if (filter.Count == 0)
                {
                    return;
                }
                string[] first = filter[0].Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
                bool hashTable = first.Contains("ht") && first.Contains("divisor");
                if (!hashTable && (filter.Count > 1 || first.Contains("handle") || first.Contains("fh")))
                {
                    result.Entries.Add(new PreStackProgram
                    {
                        Device = device,
                        Kind = "tc " + direction,
                        Program = string.Join(" ", filter.SelectMany(l => l.Split(Blanks, StringSplitOptions.RemoveEmptyEntries)).Skip(1)),
                        Source = origin.SourceOf(filterLineNumber),
                    });
                }
                filter.Clear();
            }
            foreach (var (raw, _, lineNumber) in LineTable.NonBlank(lines, firstLineNumber))
            {
                result.LinesRead++;
                if (raw.StartsWith("filter ", StringComparison.Ordinal))
                {
                    Flush();
                    filter.Add(raw);
                    filterLineNumber = lineNumber;
                }
                else if ((raw[0] == ' ' || raw[0] == '\t') && filter.Count > 0)
                {
                    filter.Add(raw);
                }
                else
                {
                    result.Problems.Add(new ParseProblem(origin.Name, lineNumber, raw.Trim(),
                        raw[0] == ' ' || raw[0] == '\t' ? "a filter's indented line before any 'filter' line" : "not a line of tc filter show"));
                }
            }
            Flush();
            return result;
        }
    }
}
