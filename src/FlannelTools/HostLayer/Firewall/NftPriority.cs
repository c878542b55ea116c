namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>
    /// A base chain's priority as a number. <c>nft list ruleset</c> writes the standard ones by name
    /// (<c>priority filter</c>, <c>priority srcnat + 10</c>); the names mean other numbers in the bridge family (nft(8)).
    /// </summary>
    internal static class NftPriority
    {
        /// <exception cref="FormatException">Not a priority nft writes.</exception>
        public static int Parse(string text, string family)
        {
            string[] words = text.Trim().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 1 && int.TryParse(words[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int plain))
            {
                return plain;
            }
            if (words.Length == 0 || (words.Length != 1 && words.Length != 3))
            {
                throw new FormatException("not a chain priority: '" + text.Trim() + "'");
            }
            int? named = Named(words[0], family);
            if (named == null)
            {
                throw new FormatException("unknown priority name '" + words[0] + "' in the " + family + " family");
            }
            if (words.Length == 1)
            {
                return named.Value;
            }
            if ((words[1] != "+" && words[1] != "-") || !int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out int offset))
            {
                throw new FormatException("not a chain priority: '" + text.Trim() + "'");
            }
            return words[1] == "+" ? named.Value + offset : named.Value - offset;
        }

        private static int? Named(string name, string family)
        {
            if (family == "bridge")
            {
                switch (name)
                {
                    case "dstnat": return -300;
                    case "filter": return -200;
                    case "out": return 100;
                    case "srcnat": return 300;
                    default: return null;
                }
            }
            switch (name)
            {
                case "raw": return -300;
                case "mangle": return -150;
                case "dstnat": return -100;
                case "filter": return 0;
                case "security": return 50;
                case "srcnat": return 100;
                default: return null;
            }
        }
    }
}
