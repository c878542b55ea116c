namespace FlannelTools.HostLayer.Kernel
{
    /// <summary>
    /// The devices' statistics and XDP programs from <c>ip -s -j -d link show</c> (JSON: <c>stats64</c> with <c>rx</c>
    /// and <c>tx</c> objects, an <c>xdp</c> object) or its text form <c>ip -s -d link show</c> (<c>RX:</c>/<c>TX:</c>
    /// lines of column names, each followed by a line of values; <c>xdpgeneric</c> on the device's line and
    /// <c>prog/xdp id 12 name xdp_drop …</c> under it). Counters are named as the JSON names them, with the direction:
    /// rx_dropped, rx_over_errors, tx_carrier_errors, tx_collisions, …
    /// </summary>
    internal static class LinkStatsParser
    {
        public const string Group = "link";

        private static readonly Regex DeviceLine = new Regex(@"^\d+:\s+(?<name>[^\s:@]+)(?:@[^\s:]+)?:\s", RegexOptions.CultureInvariant);
        private static readonly Regex StatsHeader = new Regex(@"^(?<direction>RX|TX)(?<errors> errors)?:\s*(?<names>.*)$", RegexOptions.CultureInvariant);
        private static readonly Regex XdpFlag = new Regex(@"^(?<mode>xdp|xdpgeneric|xdpdrv|xdpoffload|xdpmulti)(?:/id:(?<id>\d+))?$", RegexOptions.CultureInvariant);
        private static readonly Regex ProgLine = new Regex(@"^prog/(?<mode>xdp|xdpgeneric|xdpdrv|xdpoffload)\s+(?<rest>.*)$", RegexOptions.CultureInvariant);
        private static readonly char[] Blanks = { ' ', '\t' };

        /// <summary>The text's column names, as the JSON's member names (the text says "missed" for rx_missed_errors, "collsns" for collisions).</summary>
        private static readonly Dictionary<string, string> TextColumns = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["bytes"] = "bytes", ["packets"] = "packets", ["errors"] = "errors", ["dropped"] = "dropped",
            ["missed"] = "missed_errors", ["overrun"] = "over_errors", ["mcast"] = "multicast", ["compressed"] = "compressed",
            ["carrier"] = "carrier_errors", ["collsns"] = "collisions", ["length"] = "length_errors", ["crc"] = "crc_errors",
            ["frame"] = "frame_errors", ["fifo"] = "fifo_errors", ["nohandler"] = "nohandler", ["aborted"] = "aborted_errors",
            ["window"] = "window_errors", ["heartbt"] = "heartbeat_errors", ["transns"] = "carrier_changes",
            ["otherhost_dropped"] = "otherhost_dropped",
        };

        /// <summary>XDP's attach modes as the kernel numbers them (XDP_ATTACHED_*), named as ip's text names them.</summary>
        private static readonly Dictionary<long, string> XdpModes = new Dictionary<long, string>
        {
            [1] = "xdpdrv", [2] = "xdpgeneric", [3] = "xdpoffload",
        };

        public static ParseResult<NetCounter> ParseCounters(IList<string> lines, TextOrigin origin, int firstLineNumber) =>
            IsJson(lines) ? ParseJsonCounters(lines, origin, firstLineNumber) : ParseTextCounters(lines, origin, firstLineNumber);

        /// <summary>
        /// The XDP programs of the same output. Its problems are only about XDP: a line or element that
        /// <see cref="ParseCounters"/> cannot read is its problem, reported once.
        /// </summary>
        public static ParseResult<PreStackProgram> ParseXdp(IList<string> lines, TextOrigin origin, int firstLineNumber) =>
            IsJson(lines) ? ParseJsonXdp(lines, origin, firstLineNumber) : ParseTextXdp(lines, origin, firstLineNumber);

        private static bool IsJson(IList<string> lines) =>
            lines.Select(l => l.TrimStart(' ', '\t', '\uFEFF')).FirstOrDefault(l => l.Length > 0) is string first &&
            (first.StartsWith("[", StringComparison.Ordinal) || first.StartsWith("{", StringComparison.Ordinal));

        private static ParseResult<NetCounter> ParseJsonCounters(IList<string> lines, TextOrigin origin, int firstLineNumber)
        {
            var result = new ParseResult<NetCounter>();
            foreach ((object element, string device, int lineNumber, string problem) in Devices(lines, firstLineNumber, result))
            {
                if (problem != null)
                {
                    result.Problems.Add(new ParseProblem(origin.Name, lineNumber, null, problem));
                    continue;
                }
                object stats = JsonText.Member(element, "stats64") ?? JsonText.Member(element, "stats");
                if (!(stats is Dictionary<string, object>))
                {
                    result.Problems.Add(new ParseProblem(origin.Name, lineNumber, null, "device " + device + " has no statistics ('stats64'; was ip run with -s?)"));
                    continue;
                }
                foreach (string direction in new[] { "rx", "tx" })
                {
                    if (!(JsonText.Member(stats, direction) is Dictionary<string, object> counters))
                    {
                        result.Problems.Add(new ParseProblem(origin.Name, lineNumber, null, "device " + device + " has no '" + direction + "' statistics"));
                        continue;
                    }
                    foreach (string name in counters.Keys)
                    {
                        long? value = JsonText.Integer(counters, name);
                        if (value == null)
                        {
                            result.Problems.Add(new ParseProblem(origin.Name, lineNumber, null, "device " + device + "'s " + direction + " " + name + " is not a number"));
                            continue;
                        }
                        result.Entries.Add(new NetCounter
                        {
                            Group = Group, Device = device, Name = direction + "_" + name, Value = value.Value, Source = origin.SourceOf(lineNumber),
                        });
                    }
                }
            }
            return result;
        }

        private static ParseResult<PreStackProgram> ParseJsonXdp(IList<string> lines, TextOrigin origin, int firstLineNumber)
        {
            var result = new ParseResult<PreStackProgram>();
            foreach ((object element, string device, int lineNumber, string problem) in Devices(lines, firstLineNumber, new ParseResult<NetCounter>()))
            {
                object xdp = problem == null ? JsonText.Member(element, "xdp") : null;
                if (xdp == null)
                {
                    continue;
                }
                // "attached" lists every program (several in multi mode, one per mode); older ip prints only mode and prog
                List<object> attached = JsonText.Array(xdp, "attached");
                foreach (object one in attached.Count > 0 ? attached : new List<object> { xdp })
                {
                    long? mode = JsonText.Integer(one, "mode");
                    object prog = JsonText.Member(one, "prog");
                    long? id = JsonText.Integer(prog, "id") ?? JsonText.Integer(one, "prog_id");
                    if (mode == null || !XdpModes.TryGetValue(mode.Value, out string kind) || id == null)
                    {
                        result.Problems.Add(new ParseProblem(origin.Name, lineNumber, null,
                            "device " + device + "'s 'xdp' has no attach mode (1 drv, 2 generic, 3 offload) or no program id"));
                        continue;
                    }
                    result.Entries.Add(new PreStackProgram
                    {
                        Device = device, Kind = kind, Program = ProgramText(id.Value, JsonText.String(prog, "name")), Source = origin.SourceOf(lineNumber),
                    });
                }
            }
            return result;
        }

        /// <summary>The JSON's device objects, each with its name and the line its ifname is on, or why it is not one.</summary>
        private static IEnumerable<(object Element, string Device, int LineNumber, string Problem)> Devices(IList<string> lines, int firstLineNumber, ParseResult<NetCounter> result)
        {
            object document;
            try
            {
                document = JsonText.Parse(string.Join("\n", lines));
            }
            catch (FormatException e)
            {
                result.LinesRead = 1;
                return new[] { ((object)null, (string)null, firstLineNumber, e.Message) };
            }
            if (!(document is List<object> elements))
            {
                result.LinesRead = 1;
                return new[] { ((object)null, (string)null, firstLineNumber, "the JSON is not an array of devices") };
            }
            var devices = new List<(object, string, int, string)>();
            int cursor = 0;
            for (int i = 0; i < elements.Count; i++)
            {
                result.LinesRead++;
                string name = JsonText.String(elements[i], "ifname");
                if (name == null)
                {
                    devices.Add((null, null, firstLineNumber, string.Format(CultureInfo.InvariantCulture, "device {0} of the JSON array has no 'ifname'", i + 1)));
                    continue;
                }
                // `ip -s -j` prints the whole array on one line; pretty-printed JSON has each ifname on a line of its own
                string quoted = "\"ifname\":";
                int lineNumber = firstLineNumber;
                for (int l = cursor; l < lines.Count && lines.Count > 1; l++)
                {
                    if (lines[l].Replace(" ", string.Empty).IndexOf(quoted + "\"" + name + "\"", StringComparison.Ordinal) >= 0)
                    {
                        lineNumber = firstLineNumber + l;
                        cursor = l + 1;
                        break;
                    }
                }
                devices.Add((elements[i], name, lineNumber, null));
            }
            return devices;
        }

        private static ParseResult<NetCounter> ParseTextCounters(IList<string> lines, TextOrigin origin, int firstLineNumber)
        {
            var result = new ParseResult<NetCounter>();
            string device = null;
            string[] columns = null;
            string direction = null;
            bool skipValues = false;
            foreach (var (raw, line, lineNumber) in LineTable.NonBlank(lines, firstLineNumber))
            {
                result.LinesRead++;
                if (skipValues)
                {
                    skipValues = false;
                    continue;
                }
                void Problem(string message) => result.Problems.Add(new ParseProblem(origin.Name, lineNumber, line, message));
                if (columns != null)
                {
                    string[] values = line.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
                    string[] names = columns;
                    columns = null;
                    if (values.Length != names.Length)
                    {
                        Problem(string.Format(CultureInfo.InvariantCulture, "{0} values under {1} column names", values.Length, names.Length));
                        continue;
                    }
                    for (int c = 0; c < names.Length; c++)
                    {
                        if (!long.TryParse(values[c], NumberStyles.None, CultureInfo.InvariantCulture, out long value))
                        {
                            Problem("'" + values[c] + "' is not a count (" + direction + " " + names[c] + "; was ip run with -h?)");
                            continue;
                        }
                        result.Entries.Add(new NetCounter
                        {
                            Group = Group, Device = device, Name = direction + "_" + names[c], Value = value, Source = origin.SourceOf(lineNumber),
                        });
                    }
                    continue;
                }
                Match deviceLine = DeviceLine.Match(raw);
                if (deviceLine.Success)
                {
                    device = deviceLine.Groups["name"].Value;
                    continue;
                }
                if (raw[0] != ' ' && raw[0] != '\t')
                {
                    Problem("not a line of ip -s link show (a device's line starts with its index)");
                    continue;
                }
                Match header = StatsHeader.Match(line);
                if (!header.Success)
                {
                    // the device's other lines (link/ether, vxlan id …, prog/xdp, altname) are read by ParseXdp and NodeStateReader
                    continue;
                }
                if (device == null)
                {
                    Problem("statistics before any device's line");
                    continue;
                }
                string[] words = header.Groups["names"].Value.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
                string unknown = words.FirstOrDefault(w => !TextColumns.ContainsKey(w));
                if (unknown != null || words.Length == 0)
                {
                    Problem(unknown != null ? "an unknown statistics column '" + unknown + "'" : "statistics without column names");
                    // its line of values is part of it, and unreadable with it
                    skipValues = true;
                    continue;
                }
                columns = words.Select(w => TextColumns[w]).ToArray();
                direction = header.Groups["direction"].Value.ToLowerInvariant();
            }
            if (columns != null)
            {
                result.Problems.Add(new ParseProblem(origin.Name, firstLineNumber + lines.Count - 1, null, "column names of " + direction + " statistics without their values"));
            }
            return result;
        }

        private static ParseResult<PreStackProgram> ParseTextXdp(IList<string> lines, TextOrigin origin, int firstLineNumber)
        {
            var result = new ParseResult<PreStackProgram>();
            string device = null;
            string flagMode = null;
            string flagId = null;
            int deviceLineNumber = 0;
            bool programSeen = false;
            void FlushDevice()
            {
                // without -d, only the device's line says that a program is attached
                if (flagMode != null && !programSeen)
                {
                    result.Entries.Add(new PreStackProgram
                    {
                        Device = device, Kind = KindOf(flagMode), Program = flagId != null ? "id " + flagId : null, Source = origin.SourceOf(deviceLineNumber),
                    });
                }
                flagMode = null;
                flagId = null;
                programSeen = false;
            }
            foreach (var (raw, line, lineNumber) in LineTable.NonBlank(lines, firstLineNumber))
            {
                result.LinesRead++;
                Match deviceLine = DeviceLine.Match(raw);
                if (deviceLine.Success)
                {
                    FlushDevice();
                    device = deviceLine.Groups["name"].Value;
                    deviceLineNumber = lineNumber;
                    foreach (string word in raw.Split(Blanks, StringSplitOptions.RemoveEmptyEntries))
                    {
                        Match flag = XdpFlag.Match(word);
                        if (flag.Success)
                        {
                            flagMode = flag.Groups["mode"].Value;
                            flagId = flag.Groups["id"].Success ? flag.Groups["id"].Value : null;
                        }
                    }
                    continue;
                }
                Match prog = ProgLine.Match(line);
                if (prog.Success && device != null)
                {
                    programSeen = true;
                    string[] words = prog.Groups["rest"].Value.Split(Blanks, StringSplitOptions.RemoveEmptyEntries);
                    int id = Array.IndexOf(words, "id");
                    int name = Array.IndexOf(words, "name");
                    if (id < 0 || id + 1 >= words.Length || !long.TryParse(words[id + 1], NumberStyles.None, CultureInfo.InvariantCulture, out long programId))
                    {
                        result.Problems.Add(new ParseProblem(origin.Name, lineNumber, line, "an XDP program without its id"));
                        continue;
                    }
                    // "prog/xdp" is the one program of the mode the device's line names; in multi mode each line names its own
                    string mode = prog.Groups["mode"].Value == "xdp" ? flagMode ?? "xdp" : prog.Groups["mode"].Value;
                    result.Entries.Add(new PreStackProgram
                    {
                        Device = device, Kind = KindOf(mode), Program = ProgramText(programId, name >= 0 && name + 1 < words.Length ? words[name + 1] : null),
                        Source = origin.SourceOf(lineNumber),
                    });
                }
            }
            FlushDevice();
            return result;
        }

        /// <summary>ip's text says <c>xdp</c> for a program in the driver (native) mode.</summary>
        private static string KindOf(string mode) => mode == "xdp" ? "xdpdrv" : mode;

        private static string ProgramText(long id, string name) =>
            "id " + id.ToString(CultureInfo.InvariantCulture) + (string.IsNullOrEmpty(name) ? string.Empty : " name " + name);
    }
}
