namespace FlannelTools.HostLayer.Kernel
{
    /// <summary>
    /// A device's offload features: <c>ethtool -k DEV</c> (a <c>Features for DEV:</c> header, then
    /// <c>tx-checksum-ip-generic: off [fixed]</c> lines, the sub-features of a group indented under it) or
    /// <c>ethtool --json -k DEV</c> (<c>[{"ifname":"eth0","tx-checksum-ip-generic":{"active":true,"fixed":false,"requested":true},…}]</c>).
    /// </summary>
    internal static class EthtoolParser
    {
        private static readonly Regex FeaturesFor = new Regex(@"^Features for (?<device>\S+):$", RegexOptions.CultureInvariant);
        private static readonly Regex FeatureLine = new Regex(
            @"^(?<feature>[A-Za-z0-9_-]+): (?<state>on|off)(?: \[(?:fixed|requested on|requested off|not requested)\])?$", RegexOptions.CultureInvariant);

        /// <summary>Reads either form; <paramref name="device"/> (the device the command named) is used until the text's own <c>Features for</c> line or <c>ifname</c> names one.</summary>
        public static ParseResult<Offload> Parse(IList<string> lines, TextOrigin origin, int firstLineNumber, string device)
        {
            string first = lines.Select(l => l.TrimStart(' ', '\t', '\uFEFF')).FirstOrDefault(l => l.Length > 0);
            return first != null && (first.StartsWith("[", StringComparison.Ordinal) || first.StartsWith("{", StringComparison.Ordinal))
                ? ParseJson(lines, origin, firstLineNumber, device)
                : ParseText(lines, origin, firstLineNumber, device);
        }

        private static ParseResult<Offload> ParseText(IList<string> lines, TextOrigin origin, int firstLineNumber, string device) =>
            LineTable.Parse(lines, origin, firstLineNumber, (line, source) =>
            {
                string text = line.Trim();
                Match header = FeaturesFor.Match(text);
                if (header.Success)
                {
                    device = header.Groups["device"].Value;
                    return null;
                }
                Match feature = FeatureLine.Match(text);
                if (!feature.Success)
                {
                    throw new FormatException(text.StartsWith("Cannot ", StringComparison.Ordinal) || text.StartsWith("no ", StringComparison.Ordinal)
                        ? "ethtool could not read the device's features"
                        : "not a feature line of ethtool -k ('name: on|off [fixed]')");
                }
                if (device == null)
                {
                    throw new FormatException("a feature before any 'Features for DEV:' line, and no device was named");
                }
                return new Offload
                {
                    Device = device,
                    Feature = feature.Groups["feature"].Value,
                    Enabled = feature.Groups["state"].Value == "on",
                    Fixed = text.EndsWith("[fixed]", StringComparison.Ordinal),
                    Source = source,
                };
            });

        private static ParseResult<Offload> ParseJson(IList<string> lines, TextOrigin origin, int firstLineNumber, string device)
        {
            var result = new ParseResult<Offload>();
            object document;
            try
            {
                document = JsonText.Parse(string.Join("\n", lines));
            }
            catch (FormatException e)
            {
                result.LinesRead = 1;
                result.Problems.Add(new ParseProblem(origin.Name, firstLineNumber, null, e.Message));
                return result;
            }
            List<object> devices = document is List<object> list ? list : new List<object> { document };
            // each feature's Source is the line its name is on; the names come in the order ethtool printed them
            int cursor = 0;
            int LineOf(string name)
            {
                string quoted = "\"" + name + "\"";
                for (int i = cursor; i < lines.Count; i++)
                {
                    if (lines[i].IndexOf(quoted, StringComparison.Ordinal) >= 0)
                    {
                        cursor = i + 1;
                        return firstLineNumber + i;
                    }
                }
                return firstLineNumber;
            }
            for (int d = 0; d < devices.Count; d++)
            {
                if (!(devices[d] is Dictionary<string, object> features))
                {
                    result.LinesRead++;
                    result.Problems.Add(new ParseProblem(origin.Name, firstLineNumber, null,
                        string.Format(CultureInfo.InvariantCulture, "element {0} of ethtool's JSON is not an object", d + 1)));
                    continue;
                }
                string name = JsonText.String(features, "ifname") ?? device;
                foreach (KeyValuePair<string, object> member in features)
                {
                    if (member.Key == "ifname")
                    {
                        continue;
                    }
                    result.LinesRead++;
                    int lineNumber = LineOf(member.Key);
                    bool? active = JsonText.Boolean(member.Value, "active");
                    if (active == null || name == null)
                    {
                        result.Problems.Add(new ParseProblem(origin.Name, lineNumber, member.Key,
                            name == null ? "a feature of a device ethtool's JSON does not name ('ifname'), and no device was named"
                                : "a feature without a true or false 'active'"));
                        continue;
                    }
                    result.Entries.Add(new Offload
                    {
                        Device = name,
                        Feature = member.Key,
                        Enabled = active.Value,
                        // a group of features (tx-checksumming) has "fixed": null; it is as fixed as its members
                        Fixed = JsonText.Boolean(member.Value, "fixed") == true,
                        Source = origin.SourceOf(lineNumber),
                    });
                }
            }
            return result;
        }
    }
}
