namespace FlannelTools.NodeTables
{
    /// <summary>
    /// Reads a node's tables live (iproute2's JSON) or from the document <c>tools/collect-flannel-state.sh</c> prints:
    /// <code>
    /// #@ flannel-state 1
    /// #@ host node1
    /// #@ time 2025-01-31T12:00:00Z
    /// #@ section ip -j -d link show
    /// [ … the command's output … ]
    /// #@ exit 0
    /// #@ stderr … (one line per line the command wrote to standard error)
    /// #@ section ip -j addr show
    /// …
    /// #@ end
    /// </code>
    /// A section's command says which table it holds (link/addr, route, -6 route, neigh, fdb); its output may be
    /// JSON or text (the collector falls back to text where iproute2 has no <c>-j</c>).
    /// </summary>
    internal static class NodeStateReader
    {
        public const string DocumentMarker = "#@ ";
        public const string DocumentHeader = "#@ flannel-state 1";
        public const string DocumentEnd = "#@ end";

        /// <summary>The commands read live, as the collector runs them: argument lists for <see cref="NativeCommand"/>.</summary>
        public static readonly IReadOnlyList<string[]> LiveCommands = new[]
        {
            new[] { "ip", "-j", "-d", "link", "show" },
            new[] { "ip", "-j", "addr", "show" },
            new[] { "ip", "-j", "route", "show" },
            new[] { "ip", "-j", "-6", "route", "show" },
            new[] { "ip", "-j", "neigh", "show" },
            new[] { "bridge", "-j", "fdb", "show" },
        };

        public static bool IsDocument(IEnumerable<string> lines) =>
            lines.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l))?.TrimEnd('\r').Trim() == DocumentHeader;

        /// <summary>Adds one command's output to the builder, choosing the table from the command's words.</summary>
        public static void AddSection(NodeStateBuilder builder, string command, IList<string> lines, TextOrigin origin, int firstLineNumber)
        {
            string[] words = command.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            bool Has(params string[] any) => words.Any(any.Contains);
            if (Has("fdb"))
            {
                builder.AddFdb(lines, origin, firstLineNumber);
            }
            else if (Has("neigh", "neighbor", "neighbour", "arp"))
            {
                builder.AddNeighbors(lines, origin, firstLineNumber);
            }
            else if (Has("route", "r", "ro"))
            {
                builder.AddRoutes(lines, origin, firstLineNumber, Has("-6", "inet6") ? "inet6" : "inet");
            }
            else if (Has("link", "addr", "address", "a", "l"))
            {
                builder.AddLinks(lines, origin, firstLineNumber);
            }
            else
            {
                builder.AddProblem(new ParseProblem(origin.Name, firstLineNumber - 1, DocumentMarker + "section " + command,
                    "a section of a command whose table is not known (link, addr, route, neigh, fdb)"));
            }
        }

        /// <summary>One node's state read from piped text, with the builder that holds its problems.</summary>
        public sealed class TextState
        {
            public NodeStateBuilder Builder { get; } = new NodeStateBuilder();

            public NodeState State { get; internal set; }

            /// <summary>True for a collector document; false for pasted command output.</summary>
            public bool IsDocument { get; internal set; }

            /// <summary>Why the document is cut in the middle (<see cref="FindTruncation"/>); null when it is whole. A cut document has no State.</summary>
            public string Truncation { get; internal set; }
        }

        /// <summary>
        /// Reads lines piped in, telling the form from the content: a <see cref="DocumentHeader"/> line starts a
        /// collector document, and a separator (<c>=== node1 ===</c>) starts the pasted output of another node, whose
        /// HostName it gives. In pasted output each prompt's or command line's command says which table the lines after
        /// it hold; a command stays in force across separators (a loop over hosts prints it once).
        /// </summary>
        public static List<TextState> ReadText(IList<string> lines, TextOrigin origin, string hostName)
        {
            var chunks = new List<(int Start, int End, bool Document, string Host)>();
            int start = 0;
            bool document = false;
            string host = null;
            void Close(int end)
            {
                if (end > start)
                {
                    chunks.Add((start, end, document, host));
                }
            }
            for (int i = 0; i < lines.Count; i++)
            {
                string line = lines[i].TrimEnd('\r').Trim();
                if (line == DocumentHeader)
                {
                    Close(i);
                    start = i;
                    document = true;
                    continue;
                }
                string separatorHost = document ? null : TerminalText.SeparatorHost(line);
                if (separatorHost != null && separatorHost.Length > 0)
                {
                    Close(i);
                    start = i;
                    host = separatorHost;
                }
            }
            Close(lines.Count);

            var states = new List<TextState>();
            string command = null;
            bool endExpected = HasEnd(lines);
            foreach (var chunk in chunks)
            {
                var read = new TextState { IsDocument = chunk.Document };
                if (chunk.Document)
                {
                    read.Truncation = FindTruncation(lines.Skip(chunk.Start).Take(chunk.End - chunk.Start).ToList(), endExpected);
                    if (read.Truncation != null)
                    {
                        states.Add(read);
                        continue;
                    }
                    // Blank lines before the document keep its line numbers those of the input.
                    var documentLines = Enumerable.Repeat(string.Empty, chunk.Start).Concat(lines.Skip(chunk.Start).Take(chunk.End - chunk.Start)).ToList();
                    read.State = ReadDocument(documentLines, origin, read.Builder);
                    read.State.Source = origin.Name;
                }
                else
                {
                    int blockStart = chunk.Start;
                    for (int i = chunk.Start; i <= chunk.End; i++)
                    {
                        string typed = i < chunk.End ? TerminalText.CommandOf(lines[i]) : null;
                        if (i == chunk.End || !string.IsNullOrEmpty(typed))
                        {
                            AddPasted(read.Builder, command, lines.Skip(blockStart).Take(i - blockStart).ToList(), origin, blockStart + 1);
                            blockStart = i;
                            command = typed ?? command;
                        }
                    }
                    read.State = read.Builder.Build(chunk.Host, null, origin.Name);
                    if (!lines.Skip(chunk.Start).Take(chunk.End - chunk.Start).Any(l => !string.IsNullOrWhiteSpace(l) && !TerminalText.IsTerminalLine(l, out _)))
                    {
                        // Only prompts and separators (the loop's command line before the first host): no node.
                        continue;
                    }
                }
                if (hostName != null)
                {
                    read.State.HostName = hostName;
                }
                states.Add(read);
            }
            return states;
        }

        // Output pasted without its command: the table whose parser reads every line of it, tried in this order.
        private static readonly string[] GuessedCommands = { "bridge fdb show", "ip neigh show", "ip route show", "ip -6 route show", "ip -d link show" };

        private static string GuessCommand(IList<string> lines, TextOrigin origin, int firstLineNumber)
        {
            foreach (string candidate in GuessedCommands)
            {
                var trial = new NodeStateBuilder();
                AddSection(trial, candidate, lines, origin, firstLineNumber);
                NodeState state = trial.Build(null, null, null);
                int entries = state.Interfaces.Count + state.Routes.Count + state.Neighbors.Count + state.Fdb.Count;
                if (trial.LinesSkipped == 0 && entries > 0)
                {
                    return candidate;
                }
            }
            return null;
        }

        private static void AddPasted(NodeStateBuilder builder, string command, IList<string> lines, TextOrigin origin, int firstLineNumber)
        {
            if (!lines.Any(l => !string.IsNullOrWhiteSpace(l) && !TerminalText.IsTerminalLine(l, out _)))
            {
                // Only prompts and separators: their notes, and no table.
                var notes = new List<ParseProblem>();
                TerminalText.WithoutTerminalLines(lines, origin, firstLineNumber, notes);
                notes.ForEach(builder.AddProblem);
                return;
            }
            if (command == null)
            {
                command = GuessCommand(lines, origin, firstLineNumber);
                if (command == null)
                {
                    builder.AddProblem(new ParseProblem(origin.Name, firstLineNumber, null,
                        "output with no command before it, and no table reads all of it (paste the command's prompt line before it, or use -RouteText, -NeighborText, -FdbText, -LinkText and -AddressText)"));
                    return;
                }
            }
            string device = NodeStateBuilder.FdbDeviceOf(command);
            if (device != null)
            {
                builder.AddFdb(lines, origin, firstLineNumber, device);
                return;
            }
            AddSection(builder, command, lines, origin, firstLineNumber);
        }

        /// <summary>True when a line of <paramref name="lines"/> is <see cref="DocumentEnd"/>: the collector that printed them ends its documents.</summary>
        public static bool HasEnd(IEnumerable<string> lines) => lines.Any(l => l != null && l.TrimEnd('\r').Trim() == DocumentEnd);

        /// <summary>
        /// Why a collector document is cut in the middle, naming the last section read; null when it is whole. A section
        /// without its <c>#@ exit</c> is cut; so is a document without <see cref="DocumentEnd"/> when
        /// <paramref name="endExpected"/> (its collector ends documents: the input has the marker elsewhere). The older
        /// collector printed no end marker, so without it a document whose last section is complete is whole.
        /// </summary>
        public static string FindTruncation(IList<string> lines, bool endExpected)
        {
            string last = null;
            bool open = false;
            bool ended = false;
            foreach (string raw in lines)
            {
                string line = raw.TrimEnd('\r');
                if (line.StartsWith(DocumentMarker + "section ", StringComparison.Ordinal))
                {
                    if (open)
                    {
                        return "its section '" + last + "' has no '" + DocumentMarker + "exit' line: the document is cut in the middle";
                    }
                    last = line.Substring((DocumentMarker + "section ").Length).Trim();
                    open = true;
                }
                else if (line.StartsWith(DocumentMarker + "exit", StringComparison.Ordinal))
                {
                    open = false;
                }
                else if (line.Trim() == DocumentEnd)
                {
                    ended = true;
                    break;
                }
            }
            if (open)
            {
                return "it ends in its section '" + last + "', before the section's '" + DocumentMarker + "exit' line: the document is cut in the middle";
            }
            if (!ended && endExpected)
            {
                return "it ends " + (last == null ? "before its first section" : "after its section '" + last + "'") +
                    " without the collector's '" + DocumentEnd + "' line: the document is cut in the middle";
            }
            return null;
        }

        /// <summary>Reads a collector document; its host and time become the state's HostName and CollectedAt.</summary>
        public static NodeState ReadDocument(IList<string> lines, TextOrigin origin, NodeStateBuilder builder)
        {
            AddDocument(lines, origin, builder, out string host, out DateTime? time);
            return builder.Build(host, time, origin.Name);
        }

        /// <summary>Adds every section of a collector document to the builder.</summary>
        public static void AddDocument(IList<string> lines, TextOrigin origin, NodeStateBuilder builder, out string host, out DateTime? time)
        {
            host = null;
            time = null;
            string command = null;
            int sectionStart = 0;
            var section = new List<string>();
            void Flush(int exitCode, IReadOnlyList<string> errors, int exitLine)
            {
                if (command != null && HostLayer.HostLayerBuilder.PartOf(command) != null)
                {
                    builder.Host.AddSection(command, section, origin, sectionStart, exitCode, errors);
                }
                else if (command != null)
                {
                    AddSection(builder, command, section, origin, sectionStart);
                    if (exitCode != 0)
                    {
                        builder.AddProblem(new ParseProblem(origin.Name, exitLine, null,
                            "'" + command + "' exited with " + exitCode.ToString(CultureInfo.InvariantCulture) + " on the node" +
                            (errors.Count > 0 ? ": " + string.Join(" ", errors) : string.Empty)));
                    }
                }
                section.Clear();
                command = null;
            }
            for (int i = 0; i < lines.Count; i++)
            {
                string line = lines[i].TrimEnd('\r');
                if (!line.StartsWith(DocumentMarker, StringComparison.Ordinal))
                {
                    if (command == null && !string.IsNullOrWhiteSpace(line))
                    {
                        builder.AddProblem(new ParseProblem(origin.Name, i + 1, line.Trim(), "text outside any section of the collector's document"));
                    }
                    section.Add(line);
                    continue;
                }
                string marker = line.Substring(DocumentMarker.Length);
                int space = marker.IndexOf(' ');
                string keyword = space < 0 ? marker : marker.Substring(0, space);
                string value = space < 0 ? string.Empty : marker.Substring(space + 1).Trim();
                switch (keyword)
                {
                    case "flannel-state":
                        break;
                    case "host":
                        host = value.Length == 0 ? null : value;
                        break;
                    case "time":
                        if (DateTime.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out DateTime parsed))
                        {
                            time = DateTime.SpecifyKind(parsed, DateTimeKind.Utc);
                        }
                        break;
                    case "section":
                        Flush(0, new string[0], i + 1);
                        command = value;
                        sectionStart = i + 2;
                        break;
                    case "exit":
                        var errors = new List<string>();
                        while (i + 1 < lines.Count && lines[i + 1].StartsWith(DocumentMarker + "stderr", StringComparison.Ordinal))
                        {
                            errors.Add(lines[++i].Substring((DocumentMarker + "stderr").Length).Trim());
                        }
                        if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int exitCode))
                        {
                            builder.AddProblem(new ParseProblem(origin.Name, i + 1, line, "an exit marker without an exit code"));
                            exitCode = 1;
                        }
                        Flush(exitCode, errors, i + 1);
                        break;
                    case "stderr":
                    case "end":
                        break;
                    default:
                        builder.AddProblem(new ParseProblem(origin.Name, i + 1, line, "an unknown marker of the collector's document"));
                        break;
                }
            }
            Flush(0, new string[0], lines.Count);
        }

        /// <summary>
        /// Reads the local node's tables through iproute2's JSON. A command that exits with an error is a
        /// failure (its <see cref="NativeCommandResult"/>) and the state is made from the others.
        /// </summary>
        /// <exception cref="NativeCommandException">ip or bridge is missing, did not start, timed out, or was cancelled.</exception>
        public static NodeState ReadLive(NodeStateBuilder builder, List<NativeCommandResult> failures, TimeSpan timeout, CancellationToken cancellation,
            string hostName, Func<string[], bool> include = null)
        {
            DateTime collectedAt = DateTime.UtcNow;
            foreach (string[] command in LiveCommands)
            {
                if (include != null && !include(command))
                {
                    continue;
                }
                NativeCommandResult result = NativeCommand.Run(command[0], command.Skip(1).ToList(), timeout, cancellation);
                if (result.ExitCode != 0)
                {
                    failures.Add(result);
                    continue;
                }
                AddSection(builder, string.Join(" ", command), LineTable.SplitLines(new[] { result.StandardOutput }).ToList(), TextOrigin.Live, 1);
            }
            return builder.Build(hostName, collectedAt, "live");
        }

        /// <summary>The collector, shipped beside the module's assembly.</summary>
        public static string CollectorPath =>
            System.IO.Path.Combine(System.IO.Path.GetDirectoryName(typeof(NodeStateReader).Assembly.Location) ?? ".", "collect-flannel-state.sh");

        /// <summary>
        /// Reads the local node's host layer by running the collector's host sections (<c>sh collect-flannel-state.sh --host</c>),
        /// so that live reading and the collector read the same files and commands the same way. When the collector
        /// cannot run, every part is recorded as not read with the reason.
        /// </summary>
        /// <exception cref="NativeCommandException">cancelled.</exception>
        public static void ReadLiveHostLayer(NodeStateBuilder builder, string subnetEnvPath, string netConfPath, TimeSpan timeout, CancellationToken cancellation)
        {
            var arguments = new List<string> { CollectorPath, "--host" };
            if (subnetEnvPath != null)
            {
                arguments.AddRange(new[] { "--subnet-env", subnetEnvPath });
            }
            if (netConfPath != null)
            {
                arguments.AddRange(new[] { "--net-conf", netConfPath });
            }
            string failure;
            try
            {
                NativeCommandResult result = NativeCommand.Run("sh", arguments, timeout, cancellation);
                if (result.ExitCode == 0)
                {
                    AddDocument(LineTable.SplitLines(new[] { result.StandardOutput }).ToList(), TextOrigin.Live, builder, out _, out _);
                    return;
                }
                failure = result.CommandLine + " exited with " + result.ExitCode.ToString(CultureInfo.InvariantCulture) + ": " + result.StandardError;
            }
            catch (NativeCommandException e) when (e.Failure != NativeCommandFailure.Cancelled)
            {
                failure = e.Message;
            }
            foreach (string part in typeof(HostParts).GetFields().Select(f => (string)f.GetValue(null)))
            {
                builder.Host.MarkNotRead(part, failure);
            }
        }
    }
}
