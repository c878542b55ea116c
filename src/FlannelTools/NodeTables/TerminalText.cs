namespace FlannelTools.NodeTables
{
    /// <summary>
    /// The lines a terminal paste holds besides the tables: shell prompts with the command typed after them
    /// (<c>[root@node1 ~]# bridge fdb show dev flannel.1</c>, <c>root@node1:~$ route -n | grep flannel</c>,
    /// <c>node1 ~ # arp -n</c>, <c>$ ip route</c>, <c># ip neigh</c>), command lines without a prompt
    /// (<c>ip route | grep 10.244  # node1</c>), and the separators that multi-host loops print (<c>=== node1 ===</c>).
    /// No output line of ip, bridge, route, arp or netstat has one of these shapes, so such a line is skipped
    /// with a note (a Verbose message), never a warning, and the entries after it are read.
    /// </summary>
    internal static class TerminalText
    {
        // [user@host dir]# cmd   [user@host ~]$ cmd
        private static readonly Regex BracketPrompt = new Regex(@"^\[[^\[\]\s@]+@[^\[\]\s]+(?:\s[^\[\]]*)?\]\s?[#$%>]\s?(?<command>.*)$", RegexOptions.CultureInvariant);

        // user@host:~$ cmd   user@host:/etc# cmd   user@host ~ % cmd
        private static readonly Regex UserHostPrompt = new Regex(@"^[A-Za-z0-9_.-]+@[A-Za-z0-9_.-]+(?::\S*|\s+(?:~|/)\S*)?\s?[#$%>]\s?(?<command>.*)$", RegexOptions.CultureInvariant);

        // host ~ # cmd   host /etc # cmd   (Gentoo's)
        private static readonly Regex HostDirPrompt = new Regex(@"^[A-Za-z0-9_.-]+\s+(?:~|/)\S*\s+[#$]\s?(?<command>.*)$", RegexOptions.CultureInvariant);

        // $ cmd   # cmd   (also a bare "$" or "#" that ends a paste)
        private static readonly Regex BarePrompt = new Regex(@"^[#$](?:\s+(?<command>.*))?$", RegexOptions.CultureInvariant);

        // === node1 ===   --- node1 ---   ##### node1 #####   ===   (a host name, or nothing, between runs of =, - or #)
        private static readonly Regex Separator = new Regex(@"^(?<fence>={3,}|-{3,}|#{3,}|\*{3,})\s*(?<host>[^=#*\s-][^=#*]*?)?\s*(?:={3,}|-{3,}|#{3,}|\*{3,})?$", RegexOptions.CultureInvariant);

        // The first word of a command line typed without a prompt. No unindented table line starts with one of these.
        private static readonly HashSet<string> CommandWords = new HashSet<string>(StringComparer.Ordinal)
            { "ip", "bridge", "route", "arp", "netstat", "sudo", "ss", "cat", "grep", "egrep", "ssh", "kubectl", "sh", "bash", "for", "do", "done", "echo" };

        /// <summary>
        /// True when <paramref name="line"/> is a prompt, a command line or a separator; <paramref name="what"/> says
        /// which (<c>a shell prompt with the command 'route -n'</c>), for the note.
        /// </summary>
        public static bool IsTerminalLine(string line, out string what)
        {
            what = null;
            if (line == null)
            {
                return false;
            }
            string trimmed = line.Trim().TrimStart('\uFEFF');
            if (trimmed.Length == 0)
            {
                return false;
            }
            Match m = BracketPrompt.Match(trimmed);
            if (!m.Success)
            {
                m = UserHostPrompt.Match(trimmed);
            }
            if (!m.Success)
            {
                m = HostDirPrompt.Match(trimmed);
            }
            if (!m.Success)
            {
                m = BarePrompt.Match(trimmed);
            }
            if (m.Success)
            {
                string command = m.Groups["command"].Value.Trim();
                what = command.Length == 0 ? "a shell prompt" : "a shell prompt with the command '" + command + "'";
                return true;
            }
            m = Separator.Match(trimmed);
            if (m.Success)
            {
                string host = m.Groups["host"].Value.Trim();
                what = host.Length == 0 ? "a separator" : "a separator before the output of '" + host + "'";
                return true;
            }
            int space = trimmed.IndexOfAny(new[] { ' ', '\t' });
            string first = space < 0 ? trimmed : trimmed.Substring(0, space);
            // Indented lines are output (ip -d link prints "    bridge forward_delay …"); a typed command starts the line.
            if (CommandWords.Contains(first) && !char.IsWhiteSpace(line[0]))
            {
                what = "a command line '" + trimmed + "'";
                return true;
            }
            return false;
        }

        /// <summary>The host a separator names (<c>=== node1 ===</c> gives node1); empty for a separator without one; null for another line.</summary>
        public static string SeparatorHost(string line)
        {
            if (line == null)
            {
                return null;
            }
            Match m = Separator.Match(line.Trim().TrimStart('\uFEFF'));
            return m.Success ? m.Groups["host"].Value.Trim() : null;
        }

        /// <summary>The command typed after a prompt (or on a command line), less any <c>| grep …</c> and trailing comment; null for another line.</summary>
        public static string CommandOf(string line)
        {
            if (!IsTerminalLine(line, out _))
            {
                return null;
            }
            string trimmed = line.Trim();
            foreach (Regex prompt in new[] { BracketPrompt, UserHostPrompt, HostDirPrompt, BarePrompt })
            {
                Match m = prompt.Match(trimmed);
                if (m.Success)
                {
                    trimmed = m.Groups["command"].Value;
                    break;
                }
            }
            if (Separator.IsMatch(trimmed))
            {
                return null;
            }
            int cut = trimmed.IndexOfAny(new[] { '|', '#' });
            return (cut < 0 ? trimmed : trimmed.Substring(0, cut)).Trim();
        }

        /// <summary>
        /// The lines with each prompt, command line and separator made blank (so the numbers of the others stay
        /// as they were), and a note for each in <paramref name="notes"/>.
        /// </summary>
        public static IList<string> WithoutTerminalLines(IList<string> lines, TextOrigin origin, int firstLineNumber, ICollection<ParseProblem> notes)
        {
            List<string> kept = null;
            for (int i = 0; i < lines.Count; i++)
            {
                if (IsTerminalLine(lines[i], out string what))
                {
                    kept = kept ?? lines.ToList();
                    kept[i] = string.Empty;
                    notes.Add(Note(origin, firstLineNumber + i, lines[i], what));
                }
            }
            return kept ?? lines;
        }

        public static ParseProblem Note(TextOrigin origin, int lineNumber, string line, string what) =>
            new ParseProblem(origin.Name, lineNumber, line.Trim(), "skipped " + what) { IsNote = true };
    }
}
