namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>
    /// Reads <c>iptables -L -n</c> listings (with or without <c>-v</c>, <c>--line-numbers</c>, <c>-t TABLE</c>) into the
    /// chains and rules <c>iptables-save</c> would print: each row becomes the equivalent <c>-A CHAIN …</c> rule Text
    /// (<see cref="IptablesListingRow"/>), so that <see cref="IptablesRuleText"/> reads both forms alike.
    /// <list type="bullet">
    /// <item>Table: a command line in the text (<c># iptables -t nat -L -n -v</c>) names it; else the built-in chains
    /// listed tell it (PREROUTING and FORWARD: mangle; PREROUTING or POSTROUTING without FORWARD: nat, or raw when only
    /// PREROUTING and OUTPUT), as does a NAT target (MASQUERADE, SNAT, DNAT, REDIRECT); else filter.</item>
    /// <item>Family: ip6 when a command line names ip6tables or an address column holds an IPv6 address; else the one given.</item>
    /// <item>Backend: the one given; else iptables-legacy when the text names it (<c>iptables-legacy</c>, <c>(legacy)</c>),
    /// iptables-nft when it names nf_tables or carries iptables-nft's warning about legacy tables, and otherwise
    /// iptables-nft: a listing does not say its backend, and nft is the default of every current distribution.</item>
    /// <item>Counters of <c>-v</c> without <c>-x</c> are rounded by iptables (<c>597K</c>); they are read as 597000.</item>
    /// </list>
    /// </summary>
    internal static class IptablesListingParser
    {
        private static readonly Regex ChainLine = new Regex(
            @"^Chain\s+(?<name>\S+)\s+\((?:policy\s+(?<policy>\S+)(?:\s+(?<packets>\S+)\s+packets,\s+(?<bytes>\S+)\s+bytes)?|(?<refs>\d+)\s+references)\)\s*$",
            RegexOptions.CultureInvariant);

        private static readonly Regex TableOption = new Regex(@"(?:^|\s)(?:-t|--table)\s*(?<table>[a-z]+)", RegexOptions.CultureInvariant);

        private static readonly HashSet<string> NatTargets = new HashSet<string>(StringComparer.Ordinal) { "MASQUERADE", "SNAT", "DNAT", "REDIRECT" };

        public static bool IsListing(IList<string> lines) =>
            lines.Any(l => l != null && ChainLine.IsMatch(l.Trim()));

        public static FirewallParseResult Parse(IList<string> lines, TextOrigin origin, int firstLineNumber, string family, string backend)
        {
            var result = new FirewallParseResult();
            var blocks = new List<Block> { new Block() };
            string textBackend = null;
            FirewallChain chain = null;
            Columns columns = null;
            for (int index = 0; index < lines.Count; index++)
            {
                int lineNumber = firstLineNumber + index;
                string line = (lines[index] ?? string.Empty).TrimEnd('\r', '\n');
                string trimmed = line.Trim();
                if (trimmed.Length == 0)
                {
                    continue;
                }
                result.LinesRead++;
                Block block = blocks[blocks.Count - 1];
                if (trimmed[0] == '#' || trimmed[0] == '$' || trimmed.StartsWith("iptables", StringComparison.Ordinal) || trimmed.StartsWith("ip6tables", StringComparison.Ordinal))
                {
                    textBackend = BackendNamedBy(trimmed) ?? textBackend;
                    if (trimmed.IndexOf("iptables", StringComparison.Ordinal) >= 0 && trimmed.IndexOf(" -L", StringComparison.Ordinal) >= 0 ||
                        trimmed.IndexOf("--list", StringComparison.Ordinal) >= 0)
                    {
                        // A command line starts the listing of its table.
                        block = new Block { Table = TableOption.Match(trimmed) is Match m && m.Success ? m.Groups["table"].Value : "filter" };
                        block.Ip6 = trimmed.IndexOf("ip6tables", StringComparison.Ordinal) >= 0;
                        blocks.Add(block);
                        chain = null;
                        columns = null;
                    }
                    continue;
                }
                Match chainMatch = ChainLine.Match(trimmed);
                if (chainMatch.Success)
                {
                    string name = chainMatch.Groups["name"].Value;
                    if (block.Chains.Any(c => c.Name == name) || chainMatch.Groups["policy"].Success && block.Chains.Any(c => c.Policy == null))
                    {
                        // Two listings pasted without their command lines: iptables lists a table's built-in chains
                        // first, so a chain seen again, or a built-in one after a user chain, starts the next table.
                        block = new Block();
                        blocks.Add(block);
                    }
                    chain = new FirewallChain { Name = name, Source = origin.SourceOf(lineNumber) };
                    string message = null;
                    if (chainMatch.Groups["policy"].Success)
                    {
                        string policy = chainMatch.Groups["policy"].Value;
                        message = policy == "ACCEPT" || policy == "DROP" ? null : "the policy '" + policy + "' is neither ACCEPT nor DROP";
                        chain.Policy = policy.ToLowerInvariant();
                        if (chainMatch.Groups["packets"].Success)
                        {
                            chain.Packets = Counter(chainMatch.Groups["packets"].Value);
                            chain.Bytes = Counter(chainMatch.Groups["bytes"].Value);
                            message = message ?? (chain.Packets == null || chain.Bytes == null ? "the policy's counters are not numbers" : null);
                        }
                    }
                    if (message != null)
                    {
                        result.Problems.Add(new ParseProblem(origin.Name, lineNumber, trimmed, message));
                    }
                    block.Chains.Add(chain);
                    columns = null;
                    continue;
                }
                if (chain != null && Columns.TryRead(trimmed, out Columns header))
                {
                    columns = header;
                    continue;
                }
                if (chain == null || columns == null)
                {
                    result.Problems.Add(new ParseProblem(origin.Name, lineNumber, trimmed, chain == null ? "a rule row before any 'Chain NAME (' line" : "a rule row before its column header"));
                    continue;
                }
                IptablesListingRow row = IptablesListingRow.Read(trimmed, columns.Numbered, columns.Verbose, chain.Name, out string problem);
                if (row == null)
                {
                    result.Problems.Add(new ParseProblem(origin.Name, lineNumber, trimmed, problem));
                    continue;
                }
                block.Ip6 |= row.IsIp6;
                block.NatTarget |= NatTargets.Contains(row.Target ?? string.Empty);
                var rule = new FirewallRule
                {
                    Chain = chain.Name,
                    Position = block.Rules.Count(r => r.Chain == chain.Name) + 1,
                    Text = row.Text,
                    Comment = IptablesSaveParser.CommentOf(IptablesWords.Split(row.Text, out _)),
                    Packets = row.Packets,
                    Bytes = row.Bytes,
                    Source = origin.SourceOf(lineNumber),
                };
                block.Rules.Add(rule);
            }
            result.Backend = backend ?? textBackend ?? FirewallBackend.IptablesNft;
            foreach (Block block in blocks)
            {
                string table = block.Table ?? TableOf(block);
                string blockFamily = block.Ip6 ? "ip6" : family;
                foreach (FirewallChain listed in block.Chains)
                {
                    listed.Table = table;
                    listed.Family = blockFamily;
                    listed.Backend = result.Backend;
                    if (!IptablesBuiltinChains.Describe(table, listed.Name, listed))
                    {
                        if (listed.Policy != null)
                        {
                            result.Problems.Add(new ParseProblem(origin.Name, 0, null, "'" + listed.Name + "' has a policy but is no built-in chain of the " + table + " table"));
                        }
                        listed.Policy = null;
                    }
                    result.Chains.Add(listed);
                }
                foreach (FirewallRule rule in block.Rules)
                {
                    rule.Table = table;
                    rule.Family = blockFamily;
                    rule.Backend = result.Backend;
                    result.Rules.Add(rule);
                }
            }
            return result;
        }

        private static string TableOf(Block block)
        {
            var names = new HashSet<string>(block.Chains.Where(c => c.Policy != null).Select(c => c.Name), StringComparer.Ordinal);
            if (names.Contains("PREROUTING") && names.Contains("FORWARD"))
            {
                return "mangle";
            }
            if (names.Contains("PREROUTING") && names.Contains("OUTPUT") && !names.Contains("INPUT") && !names.Contains("POSTROUTING") && !block.NatTarget)
            {
                return "raw";
            }
            if (names.Contains("PREROUTING") || names.Contains("POSTROUTING") || block.NatTarget)
            {
                return "nat";
            }
            return "filter";
        }

        private static string BackendNamedBy(string line)
        {
            if (line.IndexOf("iptables-legacy tables present", StringComparison.Ordinal) >= 0 ||
                line.IndexOf("nf_tables", StringComparison.Ordinal) >= 0 || line.IndexOf("tables-nft", StringComparison.Ordinal) >= 0)
            {
                return FirewallBackend.IptablesNft;
            }
            if (line.IndexOf("(legacy)", StringComparison.Ordinal) >= 0 || line.IndexOf("tables-legacy", StringComparison.Ordinal) >= 0)
            {
                return FirewallBackend.IptablesLegacy;
            }
            return null;
        }

        /// <summary>A counter as <c>-v</c> prints it: exact, or rounded down to K, M, G, T (powers of 1000).</summary>
        internal static long? Counter(string text)
        {
            long factor = 1;
            switch (text.Length > 0 ? text[text.Length - 1] : ' ')
            {
                case 'K':
                    factor = 1000L;
                    break;
                case 'M':
                    factor = 1000L * 1000;
                    break;
                case 'G':
                    factor = 1000L * 1000 * 1000;
                    break;
                case 'T':
                    factor = 1000L * 1000 * 1000 * 1000;
                    break;
            }
            string digits = factor == 1 ? text : text.Substring(0, text.Length - 1);
            return long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out long value) ? value * factor : (long?)null;
        }

        private sealed class Block
        {
            public string Table;
            public bool Ip6;
            public bool NatTarget;
            public readonly List<FirewallChain> Chains = new List<FirewallChain>();
            public readonly List<FirewallRule> Rules = new List<FirewallRule>();
        }

        /// <summary>The column header under a chain line: <c>num pkts bytes target prot opt in out source destination</c>, in its variants.</summary>
        private sealed class Columns
        {
            public bool Numbered;
            public bool Verbose;

            public static bool TryRead(string line, out Columns columns)
            {
                columns = null;
                string[] words = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                int i = 0;
                var read = new Columns();
                if (i < words.Length && words[i] == "num")
                {
                    read.Numbered = true;
                    i++;
                }
                if (i + 1 < words.Length && words[i] == "pkts" && words[i + 1] == "bytes")
                {
                    read.Verbose = true;
                    i += 2;
                }
                if (i >= words.Length || words[i] != "target")
                {
                    return false;
                }
                columns = read;
                return true;
            }
        }
    }
}
