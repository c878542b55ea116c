namespace FlannelTools
{
    /// <summary>
    /// One route of the main table, as <c>ip route</c> prints it: <c>10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink</c>.
    /// </summary>
    public sealed class Route
    {
        /// <summary>inet (IPv4) or inet6.</summary>
        public string Family { get; internal set; }

        /// <summary>unicast, local, broadcast, unreachable, blackhole, prohibit, throw, multicast.</summary>
        public string Type { get; internal set; } = "unicast";

        /// <summary>The destination prefix, always with its length (<c>10.244.2.0/24</c>, <c>fd10:244:1::/128</c>), or <c>default</c>.</summary>
        public string Destination { get; internal set; }

        /// <summary>The next hop (<c>via</c>); null for a directly connected route.</summary>
        public string Gateway { get; internal set; }

        /// <summary>
        /// True when the next hop is not an address: a name (<c>route</c> without <c>-n</c> prints <c>gateway</c>) or a
        /// redacted address (<c>10.xx.xx.1</c>). <see cref="Gateway"/> then holds that text as printed.
        /// </summary>
        public bool GatewayUnresolved { get; internal set; }

        public string Device { get; internal set; }

        /// <summary>The route's flags: onlink, linkdown, dead, pervasive, offload, trap. Empty when read from <c>route -n</c>, which does not show them.</summary>
        public TextList Flags { get; internal set; } = TextList.Empty;

        /// <summary>The metric; null when the route has none (iproute2 prints none for IPv4 routes of metric 0).</summary>
        public int? Metric { get; internal set; }

        /// <summary>link, host, global (null: iproute2 prints none for global).</summary>
        public string Scope { get; internal set; }

        /// <summary>kernel, boot, static, dhcp, ra … (null: iproute2 prints none for boot).</summary>
        public string Protocol { get; internal set; }

        /// <summary>The preferred source address (<c>src</c>).</summary>
        public string PreferredSource { get; internal set; }

        /// <summary>Where the route was read: <c>live</c>, or a file (or parameter) and line number.</summary>
        public string Source { get; internal set; }

        /// <summary>The destination as a prefix (<c>default</c> as 0.0.0.0/0 or ::/0).</summary>
        internal IpPrefix GetPrefix() =>
            Destination == "default" ? IpPrefix.Default(Family == "inet6" ? 6 : 4) : IpPrefix.TryParse(Destination, out IpPrefix prefix) ? prefix : default;

        /// <summary>The route as <c>ip route</c> prints it.</summary>
        public override string ToString()
        {
            var text = new StringBuilder();
            if (Type != "unicast")
            {
                text.Append(Type).Append(' ');
            }
            text.Append(Destination);
            Append(text, "via", Gateway);
            Append(text, "dev", Device);
            Append(text, "proto", Protocol);
            Append(text, "scope", Scope);
            Append(text, "src", PreferredSource);
            if (Metric.HasValue && (Metric.Value != 0 || Family == "inet6"))
            {
                Append(text, "metric", Metric.Value.ToString(CultureInfo.InvariantCulture));
            }
            foreach (string flag in Flags)
            {
                text.Append(' ').Append(flag);
            }
            return text.ToString();
        }

        private static void Append(StringBuilder text, string keyword, string value)
        {
            if (value != null)
            {
                text.Append(' ').Append(keyword).Append(' ').Append(value);
            }
        }
    }
}
