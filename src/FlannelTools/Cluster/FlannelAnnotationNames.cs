namespace FlannelTools.Cluster
{
    /// <summary>
    /// The names of flannel's node annotations under a prefix (flannel's <c>--kube-annotation-prefix</c>), made the
    /// way flannel makes them: <c>flannel.alpha.coreos.com</c> gives <c>flannel.alpha.coreos.com/backend-data</c>,
    /// <c>example.com/net</c> gives <c>example.com/net-backend-data</c>.
    /// </summary>
    internal sealed class FlannelAnnotationNames
    {
        public const string DefaultPrefix = "flannel.alpha.coreos.com";

        // flannel's own check (pkg/subnet/kube/annotations.go): a domain name, one slash, an optional word ending in '-'.
        private static readonly Regex PrefixFormat = new Regex(@"(?:[a-z0-9_-]+\.)+[a-z0-9_-]+/(?:[a-z0-9_-]+-)?$", RegexOptions.CultureInvariant);

        private FlannelAnnotationNames(string prefix) => Prefix = prefix;

        public static FlannelAnnotationNames Default { get; } = Create(DefaultPrefix);

        /// <summary>The prefix every name starts with, with its trailing '/' or '-'.</summary>
        public string Prefix { get; }

        public string BackendType => Prefix + "backend-type";
        public string BackendData => Prefix + "backend-data";
        public string BackendV6Data => Prefix + "backend-v6-data";
        public string PublicIP => Prefix + "public-ip";
        public string PublicIPOverwrite => Prefix + "public-ip-overwrite";
        public string PublicIPv6 => Prefix + "public-ipv6";
        public string KubeSubnetManager => Prefix + "kube-subnet-manager";

        /// <exception cref="ArgumentException">The prefix is not one flannel accepts.</exception>
        public static FlannelAnnotationNames Create(string prefix)
        {
            if (string.IsNullOrEmpty(prefix))
            {
                throw new ArgumentException("The annotation prefix is empty.", nameof(prefix));
            }
            int slashes = prefix.Split('/').Length - 1;
            if (slashes > 1)
            {
                throw new ArgumentException("The annotation prefix '" + prefix + "' has more than one '/'; flannel accepts at most one.", nameof(prefix));
            }
            string normalized = slashes == 0 ? prefix + "/" : prefix;
            if (!normalized.EndsWith("/", StringComparison.Ordinal) && !normalized.EndsWith("-", StringComparison.Ordinal))
            {
                normalized += "-";
            }
            if (!PrefixFormat.IsMatch(normalized))
            {
                throw new ArgumentException("The annotation prefix '" + prefix + "' is not one flannel accepts: a lower-case domain name, optionally followed by '/' and a word (example.com/net).", nameof(prefix));
            }
            return new FlannelAnnotationNames(normalized);
        }

        public bool IsFlannelAnnotation(string name) => name != null && name.StartsWith(Prefix, StringComparison.Ordinal);
    }
}
