namespace FlannelTools.NodeTables
{
    /// <summary>A line (or JSON element) a parser could not read, kept as plain values for the caller to report.</summary>
    /// <param name="Origin">The file or parameter the line came from.</param>
    /// <param name="LineNumber">1-based line number; 0 when the problem is not on one line.</param>
    /// <param name="Line">The line as read; null when the problem is not on one line.</param>
    /// <param name="Message">What is wrong with it.</param>
    internal sealed record ParseProblem(string Origin, int LineNumber, string Line, string Message)
    {
        /// <summary><c>node1.state:12: not a route (unknown keyword 'foo'): 'foo bar'</c>.</summary>
        public override string ToString() =>
            (LineNumber > 0 ? Origin + ":" + LineNumber.ToString(CultureInfo.InvariantCulture) : Origin) + ": " + Message +
            (Line != null ? ": '" + Line + "'" : string.Empty);
    }

    /// <summary>What a parser read: the entries, the problems, and how many lines it looked at.</summary>
    internal sealed class ParseResult<T>
    {
        public List<T> Entries { get; } = new List<T>();

        public List<ParseProblem> Problems { get; } = new List<ParseProblem>();

        /// <summary>Non-blank lines read (for JSON, elements).</summary>
        public int LinesRead { get; internal set; }

        /// <summary>Lines (or elements) skipped because they could not be read; each has a problem.</summary>
        public int LinesSkipped => Problems.Count;
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
