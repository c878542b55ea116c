namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>The words of an iptables-save rule line: blanks separate them, a double-quoted argument (<c>--comment "a b"</c>, with <c>\"</c> inside) is one word.</summary>
    internal static class IptablesWords
    {
        /// <summary>The words of <paramref name="text"/>; <paramref name="error"/> says why the line cannot be split (an unterminated quote), else null.</summary>
        public static List<string> Split(string text, out string error)
        {
            error = null;
            var words = new List<string>();
            var word = new StringBuilder();
            bool inWord = false;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (c == ' ' || c == '\t')
                {
                    if (inWord)
                    {
                        words.Add(word.ToString());
                        word.Clear();
                        inWord = false;
                    }
                    continue;
                }
                inWord = true;
                if (c != '"')
                {
                    word.Append(c);
                    continue;
                }
                int close = -1;
                for (int j = i + 1; j < text.Length; j++)
                {
                    if (text[j] == '\\' && j + 1 < text.Length)
                    {
                        word.Append(text[++j]);
                    }
                    else if (text[j] == '"')
                    {
                        close = j;
                        break;
                    }
                    else
                    {
                        word.Append(text[j]);
                    }
                }
                if (close < 0)
                {
                    error = "unterminated quote";
                    words.Add(word.ToString());
                    return words;
                }
                i = close;
            }
            if (inWord)
            {
                words.Add(word.ToString());
            }
            return words;
        }

        /// <summary>A word as iptables-save writes it: quoted when it holds a blank or a quote, or is empty.</summary>
        public static string Quote(string word)
        {
            if (word.Length > 0 && word.IndexOfAny(new[] { ' ', '\t', '"', '\\' }) < 0)
            {
                return word;
            }
            return "\"" + word.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
        }

        public static string Join(IEnumerable<string> words)
        {
            var text = new StringBuilder();
            foreach (string word in words)
            {
                if (text.Length > 0)
                {
                    text.Append(' ');
                }
                text.Append(Quote(word));
            }
            return text.ToString();
        }
    }
}
