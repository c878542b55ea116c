namespace FlannelTools.NodeTables
{
    /// <summary>A line (or JSON element) a parser could not read, kept as plain values for the caller to report.</summary>
    /// <param name="Origin">The file or parameter the line came from.</param>
    /// <param name="LineNumber">1-based line number; 0 when the problem is not on one line.</param>
    /// <param name="Line">The line as read; null when the problem is not on one line.</param>
    /// <param name="Message">What is wrong with it.</param>
    internal sealed record ParseProblem(string Origin, int LineNumber, string Line, string Message)
    {
        /// <summary>
        /// True for a line skipped because it is clearly not output (a shell prompt, a command, a separator): a
        /// Verbose message rather than a warning, and not counted as skipped.
        /// </summary>
        public bool IsNote { get; init; }

        /// <summary>The most characters of input one warning quotes, in all: a 5 MB line is not echoed into it.</summary>
        public const int MaxQuoted = 200;

        // The most characters of one quoted word in Message ('xxx' is not a MAC); the line gets the rest of MaxQuoted.
        private const int MaxQuotedWord = 60;

        private static readonly System.Text.RegularExpressions.Regex Quoted = new System.Text.RegularExpressions.Regex("'([^']*)'", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        /// <summary>
        /// <c>node1.state:12: not a route (unknown keyword 'foo'): 'foo bar'</c>. Together the quoted words of the message
        /// and the line quote at most <see cref="MaxQuoted"/> characters of input; a longer one is cut, with its length.
        /// </summary>
        public override string ToString()
        {
            int quoted = 0;
            string message = Message == null ? string.Empty : Quoted.Replace(Message, m =>
            {
                string word = m.Groups[1].Value;
                quoted += Math.Min(word.Length, MaxQuotedWord);
                return word.Length <= MaxQuotedWord ? m.Value : "'" + Shorten(word, MaxQuotedWord) + "'";
            });
            string line = Line == null ? string.Empty : ": '" + Shorten(Line, Math.Max(0, MaxQuoted - quoted)) + "'";
            return (LineNumber > 0 ? Origin + ":" + LineNumber.ToString(CultureInfo.InvariantCulture) : Origin) + ": " + message + line;
        }

        /// <summary>The first <paramref name="max"/> characters of <paramref name="text"/>, with its length when it is longer: <c>xxxx… (100000 characters)</c>.</summary>
        public static string Shorten(string text, int max) =>
            text.Length <= max ? text : text.Substring(0, max) + "… (" + text.Length.ToString("N0", CultureInfo.InvariantCulture) + " characters)";
    }

    /// <summary>What a parser read: the entries, the problems, and how many lines it looked at.</summary>
    internal sealed class ParseResult<T>
    {
        public List<T> Entries { get; } = new List<T>();

        public List<ParseProblem> Problems { get; } = new List<ParseProblem>();

        /// <summary>Non-blank lines read (for JSON, elements).</summary>
        public int LinesRead { get; internal set; }

        /// <summary>Lines (or elements) skipped because they could not be read; each has a problem.</summary>
        public int LinesSkipped => Problems.Count(p => !p.IsNote);
    }

    /// <summary>Where text came from, and how an entry's Source is written from it.</summary>
    internal sealed class TextOrigin
    {
        public static readonly TextOrigin Live = new TextOrigin("live", isLive: true);

        public TextOrigin(string name, bool isLive = false)
        {
            Name = name;
            IsLive = isLive;
        }

        public string Name { get; }

        public bool IsLive { get; }

        /// <summary><c>live</c>, or <c>name:line</c>.</summary>
        public string SourceOf(int lineNumber) =>
            IsLive || lineNumber <= 0 ? Name : Name + ":" + lineNumber.ToString(CultureInfo.InvariantCulture);
    }
}
