namespace FlannelTools.Ssh
{
    /// <summary>
    /// One host to collect from, as written: <c>host</c>, <c>user@host</c> or <c>ssh://user@host:port</c> (user and port
    /// optional in the URI form too; an IPv6 address in brackets there, bare in the others).
    /// </summary>
    internal sealed class SshTarget
    {
        private SshTarget(string text, string user, string host, int? port) => (Text, User, Host, Port) = (text, user, host, port);

        /// <summary>The host as it was given (what the state's Source and an error's target name).</summary>
        public string Text { get; }

        /// <summary>The login name, or null for ssh's default (the ssh_config's User, else the local user).</summary>
        public string User { get; }

        /// <summary>The host name or address, without brackets.</summary>
        public string Host { get; }

        /// <summary>The port, or null for ssh's default (the ssh_config's Port, else 22).</summary>
        public int? Port { get; }

        private const string UriScheme = "ssh://";

        // What ssh takes as a host: names, IPv4 and IPv6 addresses (a zone after %). Nothing that starts with '-' (an option).
        private static readonly Regex HostPattern = new Regex(@"^[A-Za-z0-9_][A-Za-z0-9_.:%-]*$", RegexOptions.CultureInvariant);
        private static readonly Regex UserPattern = new Regex(@"^[A-Za-z0-9_][A-Za-z0-9_.$-]*$", RegexOptions.CultureInvariant);

        /// <summary>The target the text names, or null with <paramref name="why"/> saying what is wrong with it.</summary>
        public static SshTarget Parse(string text, out string why)
        {
            why = null;
            string rest = (text ?? string.Empty).Trim();
            if (rest.Length == 0)
            {
                why = "it is empty";
                return null;
            }
            bool uri = rest.StartsWith(UriScheme, StringComparison.OrdinalIgnoreCase);
            if (uri)
            {
                rest = rest.Substring(UriScheme.Length).TrimEnd('/');
            }
            string user = null;
            int at = rest.LastIndexOf('@');
            if (at >= 0)
            {
                user = rest.Substring(0, at);
                rest = rest.Substring(at + 1);
                if (!UserPattern.IsMatch(user))
                {
                    why = user.Length == 0 ? "its user name before '@' is empty" : "its user name '" + user + "' is not a login name";
                    return null;
                }
            }
            int? port = null;
            string host = rest;
            if (uri)
            {
                if (rest.StartsWith("[", StringComparison.Ordinal))
                {
                    int close = rest.IndexOf(']');
                    if (close < 0)
                    {
                        why = "its IPv6 address has no closing ']'";
                        return null;
                    }
                    host = rest.Substring(1, close - 1);
                    rest = rest.Substring(close + 1);
                    if (rest.Length > 0 && !rest.StartsWith(":", StringComparison.Ordinal))
                    {
                        why = "'" + rest + "' follows its address";
                        return null;
                    }
                }
                else
                {
                    int colon = rest.IndexOf(':');
                    host = colon < 0 ? rest : rest.Substring(0, colon);
                    rest = colon < 0 ? string.Empty : rest.Substring(colon);
                }
                if (rest.Length > 0)
                {
                    string digits = rest.Substring(1);
                    if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out int number) || number < 1 || number > 65535)
                    {
                        why = "its port '" + digits + "' is not a number from 1 to 65535";
                        return null;
                    }
                    port = number;
                }
            }
            if (!uri && host.Count(c => c == ':') == 1)
            {
                why = "'" + host + "' has a port after one colon, which ssh would read as part of the host name (write ssh://" +
                    (user == null ? string.Empty : user + "@") + host + ")";
                return null;
            }
            if (host.Length == 0)
            {
                why = "it names no host";
                return null;
            }
            if (!HostPattern.IsMatch(host))
            {
                why = "'" + host + "' is not a host name or address" + (host.StartsWith("-", StringComparison.Ordinal) ? " (it would be read as an option of ssh)" : string.Empty);
                return null;
            }
            return new SshTarget(text, user, host, port);
        }

        public override string ToString() => Text;
    }
}
