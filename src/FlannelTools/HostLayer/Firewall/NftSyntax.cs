namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>
    /// What nft's text form shares between a ruleset and one rule: quoted strings and brace groups
    /// (<c>{ 8472, 4789 }</c>, a chain's body) are one piece, whatever they hold.
    /// </summary>
    internal static class NftSyntax
    {
        /// <summary>The rule's words; a quoted string or a brace group is one word.</summary>
        public static List<string> Words(string text) =>
            Split(text, char.IsWhiteSpace).Where(word => word.Length > 0).ToList();

        /// <summary>The parts between the separator outside quotes and braces, each trimmed with its runs of blanks made one; empty ones left out.</summary>
        public static List<string> Items(string text, char separator) =>
            Split(text, ch => ch == separator)
                .Select(part => Regex.Replace(part.Trim(), @"\s+", " "))
                .Where(part => part.Length > 0)
                .ToList();

        /// <summary>Opening less closing braces outside quotes.</summary>
        public static int Depth(string text)
        {
            var nesting = new Nesting();
            foreach (char ch in text)
            {
                nesting.Read(ch);
            }
            return nesting.Depth;
        }

        private static IEnumerable<string> Split(string text, Func<char, bool> isSeparator)
        {
            var nesting = new Nesting();
            var current = new StringBuilder();
            foreach (char ch in text)
            {
                nesting.Read(ch);
                if (nesting.AtTop && isSeparator(ch))
                {
                    yield return current.ToString();
                    current.Clear();
                    continue;
                }
                current.Append(ch);
            }
            yield return current.ToString();
        }

        /// <summary>Where a left-to-right reading stands: inside quotes, and how deep in braces.</summary>
        private struct Nesting
        {
            private bool _quoted;

            public int Depth { get; private set; }

            public bool AtTop => Depth == 0 && !_quoted;

            public void Read(char ch)
            {
                if (ch == '"')
                {
                    _quoted = !_quoted;
                }
                else if (!_quoted && ch == '{')
                {
                    Depth++;
                }
                else if (!_quoted && ch == '}')
                {
                    Depth--;
                }
            }
        }
    }
}
