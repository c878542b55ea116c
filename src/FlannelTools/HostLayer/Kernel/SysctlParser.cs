namespace FlannelTools.HostLayer.Kernel
{
    /// <summary>
    /// <c>name = value</c> lines, as <c>sysctl -a</c>, <c>sysctl KEY</c> and the collector's sysctl section print them
    /// (a device's dot written as '/': <c>net.ipv4.conf.flannel/1.rp_filter</c>; the collector's bridge pseudo-keys
    /// <c>bridge.cni0.nf_call_iptables</c>). What sysctl writes to standard error when a key cannot be read, if pasted
    /// with the rest, is a problem that names the key.
    /// </summary>
    internal static class SysctlParser
    {
        private static readonly Regex CannotStat = new Regex(@"^sysctl: cannot stat /proc/sys/(?<path>\S+?): (?<why>.+)$", RegexOptions.CultureInvariant);
        private static readonly Regex Denied = new Regex(@"^sysctl: permission denied on key '(?<key>[^']+)'", RegexOptions.CultureInvariant);
        private static readonly Regex Reading = new Regex(@"^sysctl: reading key ""(?<key>[^""]+)""", RegexOptions.CultureInvariant);
        private static readonly char[] Blanks = { ' ', '\t' };

        public static ParseResult<Sysctl> Parse(IList<string> lines, TextOrigin origin, int firstLineNumber) =>
            LineTable.Parse(lines, origin, firstLineNumber, (line, source) =>
            {
                string text = line.Trim();
                if (text.StartsWith("sysctl:", StringComparison.Ordinal))
                {
                    throw new FormatException(WhatSysctlCouldNotRead(text));
                }
                int equals = text.IndexOf(" = ", StringComparison.Ordinal);
                // sysctl prints "key = " for an empty value; the trailing blank is lost once the line is trimmed
                string name = equals >= 0 ? text.Substring(0, equals) : text.EndsWith(" =", StringComparison.Ordinal) ? text.Substring(0, text.Length - 2) : null;
                if (name == null || name.Length == 0 || name.IndexOfAny(Blanks) >= 0)
                {
                    throw new FormatException("not a 'name = value' line of sysctl");
                }
                string value = equals >= 0 ? text.Substring(equals + 3) : string.Empty;
                return new Sysctl
                {
                    Name = name,
                    // multi-word values (ip_local_port_range) come tab-separated from /proc/sys; one space each, as the collector writes them
                    Value = string.Join(" ", value.Split(Blanks, StringSplitOptions.RemoveEmptyEntries)),
                    Source = source,
                };
            });

        private static string WhatSysctlCouldNotRead(string text)
        {
            Match stat = CannotStat.Match(text);
            if (stat.Success)
            {
                return "sysctl could not read " + KeyOf(stat.Groups["path"].Value) + ": " + stat.Groups["why"].Value;
            }
            Match denied = Denied.Match(text);
            if (denied.Success)
            {
                return "sysctl could not read " + denied.Groups["key"].Value + ": permission denied";
            }
            Match reading = Reading.Match(text);
            if (reading.Success)
            {
                return "sysctl could not read " + reading.Groups["key"].Value;
            }
            return "an error of sysctl, not a setting";
        }

        /// <summary>net/ipv4/conf/flannel.1/rp_filter → net.ipv4.conf.flannel/1.rp_filter, as sysctl names it.</summary>
        private static string KeyOf(string path)
        {
            char[] key = path.ToCharArray();
            for (int i = 0; i < key.Length; i++)
            {
                key[i] = key[i] == '/' ? '.' : key[i] == '.' ? '/' : key[i];
            }
            return new string(key);
        }
    }
}
