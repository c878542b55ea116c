namespace FlannelTools.HostLayer.FlannelConfig
{
    /// <summary>
    /// flannel's subnet.env, as <c>WriteSubnetFile</c> (pkg/subnet/subnet.go) writes it: one <c>KEY=VALUE</c> line each,
    /// FLANNEL_NETWORK and FLANNEL_SUBNET when IPv4 is on, FLANNEL_IPV6_NETWORK and FLANNEL_IPV6_SUBNET when IPv6 is,
    /// then FLANNEL_MTU and FLANNEL_IPMASQ. Every KEY=VALUE line is kept in Entries, unknown keys too (the CNI plugin
    /// ignores them); a line that is not KEY=VALUE, or a known key whose value the CNI plugin could not use, is a problem.
    /// Comment lines (<c>#</c>) are skipped, as godotenv, which flanneld reads the file back with, skips them.
    /// </summary>
    internal static class SubnetEnvParser
    {
        public static ParseResult<FlannelTools.SubnetEnv> Parse(IList<string> lines, TextOrigin origin, int firstLineNumber, string path)
        {
            var result = new ParseResult<FlannelTools.SubnetEnv>();
            var subnetEnv = new FlannelTools.SubnetEnv { Path = path, Source = origin.SourceOf(firstLineNumber) };
            var entries = new List<string>();
            int lineNumber = firstLineNumber - 1;
            foreach (string raw in lines)
            {
                lineNumber++;
                string line = raw.TrimEnd('\r', '\n').Trim();
                if (line.Length == 0 || line.StartsWith("#", StringComparison.Ordinal))
                {
                    continue;
                }
                result.LinesRead++;
                int equals = line.IndexOf('=');
                if (equals <= 0)
                {
                    result.Problems.Add(new ParseProblem(origin.Name, lineNumber, line, "not a KEY=VALUE line of subnet.env"));
                    continue;
                }
                entries.Add(line);
                string key = line.Substring(0, equals).Trim();
                string value = line.Substring(equals + 1).Trim();
                string problem = Take(subnetEnv, key, value);
                if (problem != null)
                {
                    result.Problems.Add(new ParseProblem(origin.Name, lineNumber, line, problem));
                }
            }
            subnetEnv.Entries = new TextList(entries);
            if (result.LinesRead > 0)
            {
                result.Entries.Add(subnetEnv);
            }
            return result;
        }

        /// <summary>Sets the property of a known key; returns why the value cannot be used, or null.</summary>
        private static string Take(FlannelTools.SubnetEnv subnetEnv, string key, string value)
        {
            switch (key)
            {
                case "FLANNEL_NETWORK":
                    return Prefix(value, 4, key, p => subnetEnv.Network = p);
                case "FLANNEL_SUBNET":
                    return Prefix(value, 4, key, p => subnetEnv.Subnet = p);
                case "FLANNEL_IPV6_NETWORK":
                    return Prefix(value, 6, key, p => subnetEnv.IPv6Network = p);
                case "FLANNEL_IPV6_SUBNET":
                    return Prefix(value, 6, key, p => subnetEnv.IPv6Subnet = p);
                case "FLANNEL_MTU":
                    if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int mtu) || mtu == 0)
                    {
                        return "FLANNEL_MTU is not an MTU (a positive whole number)";
                    }
                    subnetEnv.Mtu = mtu;
                    return null;
                case "FLANNEL_IPMASQ":
                    // Go's strconv.ParseBool, which the CNI plugin reads it with
                    switch (value)
                    {
                        case "true": case "TRUE": case "True": case "1": case "t": case "T":
                            subnetEnv.IpMasq = true;
                            return null;
                        case "false": case "FALSE": case "False": case "0": case "f": case "F":
                            subnetEnv.IpMasq = false;
                            return null;
                        default:
                            return "FLANNEL_IPMASQ is not true or false";
                    }
                default:
                    return null;
            }
        }

        private static string Prefix(string value, int version, string key, Action<string> set)
        {
            if (value.IndexOf('/') < 0 || !IpPrefix.TryParse(value, out IpPrefix prefix) || prefix.Version != version)
            {
                return key + " is not an IPv" + version.ToString(CultureInfo.InvariantCulture) + " address with a prefix length";
            }
            set(prefix.ToString());
            return null;
        }
    }
}
