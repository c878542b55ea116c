namespace FlannelTools.HostLayer.FlannelConfig
{
    /// <summary>
    /// flannel's ConfigMap (<c>kube-flannel-cfg</c>, as kube-flannel.yml and flannel's Helm chart create it) as
    /// <c>kubectl get configmap -o json</c> prints it: its namespace, name, and the text of its <c>net-conf.json</c> key.
    /// </summary>
    internal sealed class FlannelConfigMap
    {
        public const string NetConfKey = "net-conf.json";

        public string Namespace { get; private set; }

        public string Name { get; private set; }

        /// <summary>The net-conf.json key's text; null when the ConfigMap has no such key.</summary>
        public string NetConfText { get; private set; }

        /// <summary><c>configmap kube-flannel/kube-flannel-cfg</c>: the Source of the net-conf read from it.</summary>
        public string Source => "configmap " + (Namespace != null ? Namespace + "/" : string.Empty) + Name;

        /// <summary>Whether the JSON is a ConfigMap or a List, as kubectl prints them (rather than net-conf.json itself).</summary>
        public static bool IsConfigMapJson(object document)
        {
            string kind = JsonText.String(document, "kind");
            return JsonText.String(document, "apiVersion") != null && (kind == "ConfigMap" || kind == "List" || kind == "ConfigMapList");
        }

        /// <summary>The ConfigMaps of <c>kubectl get configmap NAME -o json</c> (one) or of a List (<c>-A -l app=flannel</c>), in order.</summary>
        /// <exception cref="FormatException">The text is not JSON, or not a ConfigMap or a List of them.</exception>
        public static IReadOnlyList<FlannelConfigMap> Read(string json) => Read(JsonText.Parse(json));

        /// <inheritdoc cref="Read(string)"/>
        public static IReadOnlyList<FlannelConfigMap> Read(object document)
        {
            if (!IsConfigMapJson(document))
            {
                throw new FormatException("not a ConfigMap: the JSON has no apiVersion and kind ConfigMap or List (kubectl get configmap kube-flannel-cfg -n kube-flannel -o json prints one)");
            }
            IEnumerable<object> items = JsonText.String(document, "kind") == "ConfigMap" ? new[] { document } : JsonText.Array(document, "items");
            var configMaps = new List<FlannelConfigMap>();
            foreach (object item in items)
            {
                if (JsonText.String(item, "kind") is string kind && kind != "ConfigMap")
                {
                    continue;
                }
                object metadata = JsonText.Member(item, "metadata");
                configMaps.Add(new FlannelConfigMap
                {
                    Namespace = JsonText.String(metadata, "namespace"),
                    Name = JsonText.String(metadata, "name"),
                    NetConfText = JsonText.String(JsonText.Member(item, "data"), NetConfKey),
                });
            }
            return configMaps;
        }

        /// <summary>The net-conf.json key read as flanneld reads it; its Source names the ConfigMap. Lines are numbered within the key.</summary>
        public ParseResult<FlannelTools.FlannelNetConf> ParseNetConf()
        {
            if (NetConfText == null)
            {
                var missing = new ParseResult<FlannelTools.FlannelNetConf>();
                missing.Problems.Add(new ParseProblem(Source, 0, null, "the ConfigMap has no " + NetConfKey + " key"));
                return missing;
            }
            ParseResult<FlannelTools.FlannelNetConf> result = NetConfParser.Parse(LineTable.SplitLines(new[] { NetConfText }).ToList(), new TextOrigin(Source), 1);
            foreach (FlannelTools.FlannelNetConf netConf in result.Entries)
            {
                netConf.Source = Source;
            }
            return result;
        }
    }
}
