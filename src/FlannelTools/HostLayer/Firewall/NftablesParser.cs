namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>The node's nftables ruleset, from either form nft prints it in.</summary>
    internal static class NftablesParser
    {
        /// <summary><c>nft -j list ruleset</c> (JSON) or <c>nft list ruleset</c> (text), told apart by the content.</summary>
        public static FirewallParseResult Parse(IList<string> lines, TextOrigin origin, int firstLineNumber)
        {
            var result = new FirewallParseResult { Backend = FirewallBackend.Nftables };
            lines = lines ?? new List<string>();
            if (IsJson(lines))
            {
                NftJsonRuleset.Parse(lines, origin, firstLineNumber, result);
            }
            else
            {
                NftTextRuleset.Parse(lines, origin, firstLineNumber, result);
            }
            return result;
        }

        /// <summary>JSON starts with '{' or '['; the text form starts with <c>table</c> (or a <c>#</c> warning line).</summary>
        private static bool IsJson(IList<string> lines)
        {
            foreach (string line in lines)
            {
                string trimmed = (line ?? string.Empty).TrimStart('\uFEFF', ' ', '\t', '\r');
                if (trimmed.Length > 0)
                {
                    return trimmed[0] == '{' || trimmed[0] == '[';
                }
            }
            return false;
        }
    }
}
