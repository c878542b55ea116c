namespace FlannelTools.HostLayer.FlannelConfig
{
    /// <summary>
    /// flannel's net-conf.json, read as flanneld reads it (pkg/subnet/config.go ParseConfig, pkg/backend/vxlan/vxlan.go
    /// parseVXLANConfig): Go's encoding/json matches member names case-insensitively (an exact match first), ignores
    /// members it has no field for (SubnetLen, SubnetMin, MacPrefix, …), and leaves a field at its default for a null.
    /// Defaults are flannel's: EnableIPv4 true, Backend.VNI 1, Backend.Port 0 (the kernel's 8472), and a Backend that is
    /// not given is the udp backend. A value of the wrong type, which makes flanneld refuse the file, is a problem naming
    /// its line; the rest is still read.
    /// </summary>
    internal static class NetConfParser
    {
        /// <summary>net-conf.json text; keys case-insensitive.</summary>
        public static ParseResult<FlannelTools.FlannelNetConf> Parse(IList<string> lines, TextOrigin origin, int firstLineNumber)
        {
            var result = new ParseResult<FlannelTools.FlannelNetConf>();
            string text = string.Join("\n", lines);
            if (string.IsNullOrWhiteSpace(text))
            {
                return result;
            }
            result.LinesRead = lines.Count(l => !string.IsNullOrWhiteSpace(l));
            object document;
            try
            {
                document = JsonText.Parse(text);
            }
            catch (FormatException e)
            {
                int index = JsonErrorLine(e.Message) - 1;
                result.Problems.Add(new ParseProblem(origin.Name, firstLineNumber + index, index < lines.Count ? lines[index].Trim() : null, "net-conf.json: " + e.Message));
                return result;
            }
            if (!(document is Dictionary<string, object> root))
            {
                result.Problems.Add(new ParseProblem(origin.Name, firstLineNumber, null, "net-conf.json is not a JSON object"));
                return result;
            }
            var reader = new MemberReader(lines, origin, firstLineNumber, result.Problems);
            var netConf = new FlannelTools.FlannelNetConf { Source = origin.SourceOf(firstLineNumber) };
            netConf.Network = reader.Prefix(root, "Network", 4);
            netConf.IPv6Network = reader.Prefix(root, "IPv6Network", 6);
            netConf.EnableIPv4 = reader.Boolean(root, "EnableIPv4") ?? true;
            netConf.EnableIPv6 = reader.Boolean(root, "EnableIPv6") ?? false;
            netConf.EnableNFTables = reader.Boolean(root, "EnableNFTables") ?? false;
            object backend = MemberReader.Find(root, "Backend");
            if (backend == null)
            {
                netConf.BackendType = "udp";
            }
            else if (!(backend is Dictionary<string, object>))
            {
                reader.Problem("Backend", "Backend is not a JSON object; flanneld refuses it (error decoding Backend property of config)");
            }
            else
            {
                netConf.BackendType = reader.String(backend, "Type") ?? string.Empty;
                netConf.Vni = reader.Integer(backend, "VNI") ?? 1;
                netConf.Port = reader.Integer(backend, "Port") ?? 0;
                netConf.Mtu = reader.Integer(backend, "MTU");
                netConf.Gbp = reader.Boolean(backend, "GBP") ?? false;
                netConf.Learning = reader.Boolean(backend, "Learning") ?? false;
                netConf.DirectRouting = reader.Boolean(backend, "DirectRouting") ?? false;
            }
            result.Entries.Add(netConf);
            return result;
        }

        /// <summary>The line of JsonText's "Not valid JSON at line N, column M" message.</summary>
        private static int JsonErrorLine(string message)
        {
            const string marker = "at line ";
            int at = message.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0)
            {
                return 1;
            }
            int start = at + marker.Length, end = start;
            while (end < message.Length && char.IsDigit(message[end]))
            {
                end++;
            }
            return int.TryParse(message.Substring(start, end - start), NumberStyles.None, CultureInfo.InvariantCulture, out int line) ? line : 1;
        }

        /// <summary>Reads members by name as Go's encoding/json does, and writes a problem for a value flanneld would refuse.</summary>
        private sealed class MemberReader
        {
            private readonly IList<string> _lines;
            private readonly TextOrigin _origin;
            private readonly int _firstLineNumber;
            private readonly List<ParseProblem> _problems;

            public MemberReader(IList<string> lines, TextOrigin origin, int firstLineNumber, List<ParseProblem> problems)
            {
                _lines = lines;
                _origin = origin;
                _firstLineNumber = firstLineNumber;
                _problems = problems;
            }

            /// <summary>The member's value: the exact name's, else the first whose name differs only in case; null when absent.</summary>
            public static object Find(object node, string name)
            {
                if (!(node is Dictionary<string, object> members))
                {
                    return null;
                }
                if (members.TryGetValue(name, out object exact))
                {
                    return exact;
                }
                return members.Where(m => string.Equals(m.Key, name, StringComparison.OrdinalIgnoreCase)).Select(m => m.Value).FirstOrDefault();
            }

            public string String(object node, string name)
            {
                object value = Find(node, name);
                if (value == null || value is string)
                {
                    return (string)value;
                }
                Problem(name, name + " is not a string");
                return null;
            }

            public bool? Boolean(object node, string name)
            {
                object value = Find(node, name);
                if (value == null || value is bool)
                {
                    return (bool?)value;
                }
                Problem(name, name + " is not true or false (a JSON string or number is refused by flanneld)");
                return null;
            }

            public int? Integer(object node, string name)
            {
                object value = Find(node, name);
                if (value == null)
                {
                    return null;
                }
                if (value is long number && number >= int.MinValue && number <= int.MaxValue)
                {
                    return (int)number;
                }
                Problem(name, name + " is not a whole number (flanneld refuses a string or a fraction)");
                return null;
            }

            /// <summary>A prefix as flannel's ip.IP4Net and ip.IP6Net read it; returned in canonical text.</summary>
            public string Prefix(object node, string name, int version)
            {
                string text = String(node, name);
                if (text == null)
                {
                    return null;
                }
                if (text.IndexOf('/') < 0 || !IpPrefix.TryParse(text, out IpPrefix prefix) || prefix.Version != version)
                {
                    Problem(name, name + " is not an IPv" + version.ToString(CultureInfo.InvariantCulture) + " network with a prefix length");
                    return null;
                }
                return prefix.ToString();
            }

            public void Problem(string name, string message)
            {
                int index = LineOf(name);
                _problems.Add(new ParseProblem(_origin.Name, index < 0 ? 0 : _firstLineNumber + index, index < 0 ? null : _lines[index].Trim(), message));
            }

            /// <summary>The index of the first line that holds the member's name in quotes (any case), or -1.</summary>
            private int LineOf(string name)
            {
                string quoted = "\"" + name + "\"";
                for (int i = 0; i < _lines.Count; i++)
                {
                    if (_lines[i].IndexOf(quoted, StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        return i;
                    }
                }
                return -1;
            }
        }
    }
}
