namespace FlannelTools.HostLayer.FlannelConfig
{
    /// <summary>What looking for flannel's ConfigMap found: the net-conf of the first ConfigMap that has one, or why there is none.</summary>
    internal sealed class NetConfLookup
    {
        /// <summary>null when no ConfigMap with a net-conf.json key was found (see <see cref="Reason"/>).</summary>
        public FlannelTools.FlannelNetConf NetConf { get; internal set; }

        /// <summary>Every ConfigMap found that holds net-conf.json, in the order looked at (Helm may have installed flannel in more than one namespace).</summary>
        public List<FlannelConfigMap> ConfigMaps { get; } = new List<FlannelConfigMap>();

        /// <summary>The kubectl command lines run, in order.</summary>
        public List<string> Commands { get; } = new List<string>();

        public List<ParseProblem> Problems { get; } = new List<ParseProblem>();

        /// <summary>A node whose kubelet is k3s' (when none of flannel's ConfigMaps was found): k3s keeps net-conf.json on each node.</summary>
        public string K3sNode { get; internal set; }

        /// <summary>Why NetConf is null: what was looked for, and, on k3s, where the file is instead.</summary>
        public string Reason { get; internal set; }
    }

    /// <summary>
    /// Finds flannel's net-conf.json through kubectl, where flannel's manifests put it: the ConfigMap
    /// <c>kube-flannel-cfg</c> in <c>kube-flannel</c> (kube-flannel.yml from v0.19.0), then in <c>kube-system</c> (older
    /// manifests), then any ConfigMap labelled <c>app=flannel</c> (the Helm chart's, in its release namespace). When none
    /// is found and a node is k3s', the reason says that k3s keeps the file on each node.
    /// </summary>
    internal static class KubectlNetConfSource
    {
        public const string ConfigMapName = "kube-flannel-cfg";

        /// <summary>Where k3s' agent writes the net-conf.json its embedded flannel reads, on each node.</summary>
        public const string K3sNetConfPath = "/var/lib/rancher/k3s/agent/etc/flannel/net-conf.json";

        public static readonly string[] Namespaces = { "kube-flannel", "kube-system" };

        /// <summary>
        /// Looks, running kubectl through <paramref name="run"/> (its arguments; the global flags are added here).
        /// A ConfigMap that is NotFound (or Forbidden to this user) moves on to the next place.
        /// </summary>
        /// <exception cref="NativeCommandException">kubectl is not installed, did not start, timed out, was cancelled, or failed otherwise (no cluster, no credentials).</exception>
        /// <exception cref="FormatException">kubectl printed what is not a ConfigMap.</exception>
        public static NetConfLookup Find(Func<IReadOnlyList<string>, NativeCommandResult> run, string context, string kubeconfig)
        {
            var lookup = new NetConfLookup();
            var refused = new List<string>();
            foreach (string ns in Namespaces)
            {
                string json = Get(run, lookup, refused, KubectlNodeSource.Command(context, kubeconfig, "get", "configmap", ConfigMapName, "-n", ns, "-o", "json"));
                if (json != null)
                {
                    Take(lookup, FlannelConfigMap.Read(json));
                }
                if (lookup.ConfigMaps.Count > 0)
                {
                    return Found(lookup);
                }
            }
            string labelled = Get(run, lookup, refused, KubectlNodeSource.Command(context, kubeconfig, "get", "configmap", "-A", "-l", "app=flannel", "-o", "json"));
            if (labelled != null)
            {
                Take(lookup, FlannelConfigMap.Read(labelled));
            }
            if (lookup.ConfigMaps.Count > 0)
            {
                return Found(lookup);
            }
            string looked = "no ConfigMap holds flannel's net-conf.json: " + string.Join(" and ", Namespaces.Select(n => n + "/" + ConfigMapName)) +
                            " are not there, and no ConfigMap in any namespace is labelled app=flannel" +
                            (refused.Count > 0 ? " (kubectl was refused: " + string.Join("; ", refused) + ")" : string.Empty);
            lookup.K3sNode = FindK3sNode(run, lookup, context, kubeconfig);
            lookup.Reason = lookup.K3sNode != null
                ? "The cluster is k3s (node " + lookup.K3sNode + "), which runs flannel inside its agent and keeps no ConfigMap of net-conf.json: " +
                  "k3s writes it on each node, to " + K3sNetConfPath + ", from its --flannel-backend and --cluster-cidr flags. " +
                  "The collector (collect-flannel-state.sh) reads that file; or give it with Get-FlannelNetConf -Path. (" + looked + ".)"
                : "No net-conf.json was found through kubectl: " + looked + ". Give net-conf.json with Get-FlannelNetConf -Path.";
            return lookup;
        }

        /// <summary>The lookup of a ConfigMap that was found; the reason, when its net-conf.json could not be read, says why.</summary>
        private static NetConfLookup Found(NetConfLookup lookup)
        {
            if (lookup.NetConf == null)
            {
                lookup.Reason = "The net-conf.json of " + lookup.ConfigMaps[0].Source + " could not be read (flanneld would refuse it too): " +
                                string.Join("; ", lookup.Problems.Select(p => p.ToString()));
            }
            return lookup;
        }

        /// <summary>
        /// The first node that runs k3s: its kubelet version carries <c>+k3s</c> (<c>v1.30.4+k3s1</c>), or it has k3s'
        /// annotations (<c>k3s.io/node-args</c>, <c>k3s.io/hostname</c>, …); null when none does or the JSON is no node list.
        /// </summary>
        public static string FindK3sNode(string nodesJson)
        {
            object document;
            try
            {
                document = JsonText.Parse(nodesJson);
            }
            catch (FormatException)
            {
                return null;
            }
            IEnumerable<object> nodes = JsonText.String(document, "kind") == "Node" ? new[] { document } : JsonText.Array(document, "items");
            foreach (object node in nodes)
            {
                object metadata = JsonText.Member(node, "metadata");
                string kubelet = JsonText.String(JsonText.Member(JsonText.Member(node, "status"), "nodeInfo"), "kubeletVersion");
                bool annotated = JsonText.Member(metadata, "annotations") is Dictionary<string, object> annotations &&
                                 annotations.Keys.Any(k => k.StartsWith("k3s.io/", StringComparison.Ordinal));
                if ((kubelet != null && kubelet.IndexOf("+k3s", StringComparison.Ordinal) >= 0) || annotated)
                {
                    return JsonText.String(metadata, "name") ?? "(unnamed)";
                }
            }
            return null;
        }

        private static string FindK3sNode(Func<IReadOnlyList<string>, NativeCommandResult> run, NetConfLookup lookup, string context, string kubeconfig)
        {
            NativeCommandResult nodes = run(KubectlNodeSource.Arguments(context, kubeconfig));
            lookup.Commands.Add(nodes.CommandLine);
            return nodes.ExitCode == 0 ? FindK3sNode(nodes.StandardOutput) : null;
        }

        private static void Take(NetConfLookup lookup, IReadOnlyList<FlannelConfigMap> configMaps)
        {
            foreach (FlannelConfigMap configMap in configMaps.Where(m => m.NetConfText != null))
            {
                lookup.ConfigMaps.Add(configMap);
                if (lookup.NetConf != null)
                {
                    continue;
                }
                ParseResult<FlannelTools.FlannelNetConf> parsed = configMap.ParseNetConf();
                lookup.Problems.AddRange(parsed.Problems);
                lookup.NetConf = parsed.Entries.FirstOrDefault();
            }
        }

        /// <summary>kubectl's output; null for NotFound or Forbidden (recorded in <paramref name="refused"/>), which move on to the next place.</summary>
        private static string Get(Func<IReadOnlyList<string>, NativeCommandResult> run, NetConfLookup lookup, List<string> refused, IReadOnlyList<string> arguments)
        {
            NativeCommandResult result = run(arguments);
            lookup.Commands.Add(result.CommandLine);
            if (result.ExitCode == 0)
            {
                return result.StandardOutput;
            }
            string error = result.StandardError ?? string.Empty;
            if (error.IndexOf("(NotFound)", StringComparison.Ordinal) >= 0)
            {
                return null;
            }
            if (error.IndexOf("(Forbidden)", StringComparison.Ordinal) >= 0)
            {
                refused.Add(error.Trim());
                return null;
            }
            return result.Output();
        }
    }
}
