namespace FlannelTools.NodeTables
{
    /// <summary>The loop shared by the line-per-entry parsers: numbering, blank lines, and a problem per unreadable line.</summary>
    internal static class LineTable
    {
        /// <summary>
        /// Reads each line with <paramref name="parseLine"/>, which returns the entry, null for a line that holds none
        /// (a header), or throws <see cref="FormatException"/> saying why the line is not an entry.
        /// </summary>
        public static ParseResult<T> Parse<T>(IEnumerable<string> lines, TextOrigin origin, int firstLineNumber, Func<string, string, T> parseLine)
            where T : class =>
            Parse<T>(lines, origin, firstLineNumber, (line, source, warn) => parseLine(line, source));

        /// <summary>
        /// As the other, but <paramref name="parseLine"/> may also call its third argument to warn about a line it
        /// still reads (a redacted gateway): a problem naming the line, and the entry is kept.
        /// </summary>
        public static ParseResult<T> Parse<T>(IEnumerable<string> lines, TextOrigin origin, int firstLineNumber, Func<string, string, Action<string>, T> parseLine)
            where T : class
        {
            var result = new ParseResult<T>();
            foreach (var (raw, lineNumber) in EntryLines(lines, origin, firstLineNumber, result.Problems))
            {
                result.LinesRead++;
                int number = lineNumber;
                string text = raw;
                void Warn(string message) => result.Problems.Add(new ParseProblem(origin.Name, number, text.Trim(), message));
                if (TryParse(raw, origin, lineNumber, (l, source) => parseLine(l, source, Warn), out T entry, out ParseProblem problem))
                {
                    if (entry != null)
                    {
                        result.Entries.Add(entry);
                    }
                }
                else
                {
                    result.Problems.Add(problem);
                }
            }
            return result;
        }

        /// <summary>
        /// The lines that may hold entries, numbered from <paramref name="firstLineNumber"/>: blank lines are passed
        /// over, and a pasted prompt, command or separator line becomes a note in <paramref name="problems"/> (Verbose).
        /// </summary>
        public static IEnumerable<(string Raw, int LineNumber)> EntryLines(IEnumerable<string> lines, TextOrigin origin, int firstLineNumber, List<ParseProblem> problems)
        {
            int lineNumber = firstLineNumber - 1;
            foreach (string raw in lines)
            {
                lineNumber++;
                if (string.IsNullOrWhiteSpace(raw))
                {
                    continue;
                }
                if (TerminalText.IsTerminalLine(raw, out string what))
                {
                    problems.Add(TerminalText.Note(origin, lineNumber, raw, what));
                    continue;
                }
                yield return (raw, lineNumber);
            }
        }

        public static bool TryParse<T>(string raw, TextOrigin origin, int lineNumber, Func<string, string, T> parseLine, out T entry, out ParseProblem problem)
            where T : class
        {
            entry = null;
            problem = null;
            string line = raw.TrimEnd('\r', '\n');
            try
            {
                entry = parseLine(line, origin.SourceOf(lineNumber));
                return true;
            }
            catch (FormatException e)
            {
                problem = new ParseProblem(origin.Name, lineNumber, line.Trim(), e.Message);
                return false;
            }
        }

        /// <summary>
        /// The lines that hold something, numbered from <paramref name="firstLineNumber"/>: each as read (less a carriage
        /// return), trimmed, and its number.
        /// </summary>
        public static IEnumerable<(string Raw, string Line, int LineNumber)> NonBlank(IList<string> lines, int firstLineNumber)
        {
            for (int i = 0; i < lines.Count; i++)
            {
                string raw = lines[i].TrimEnd('\r');
                string line = raw.Trim();
                if (line.Length > 0)
                {
                    yield return (raw, line, firstLineNumber + i);
                }
            }
        }

        /// <summary>Splits text that may hold several lines (one pipeline string with newlines) into lines.</summary>
        public static IEnumerable<string> SplitLines(IEnumerable<string> texts)
        {
            foreach (string text in texts)
            {
                if (text == null)
                {
                    continue;
                }
                if (text.IndexOf('\n') < 0)
                {
                    yield return text.TrimEnd('\r');
                    continue;
                }
                string[] parts = text.Split('\n');
                int count = parts.Length;
                if (count > 1 && parts[count - 1].Length == 0)
                {
                    count--;
                }
                for (int i = 0; i < count; i++)
                {
                    yield return parts[i].TrimEnd('\r');
                }
            }
        }
    }
}
