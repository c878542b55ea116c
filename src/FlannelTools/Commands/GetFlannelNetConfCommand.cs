using System.Management.Automation;
using FlannelTools.Completion;
using FlannelTools.HostLayer.FlannelConfig;

namespace FlannelTools.Commands
{
    /// <summary>Gets flannel's net-conf.json: the cluster's pod networks and the VXLAN backend's VNI, port, MTU and DirectRouting.</summary>
    /// <seealso href="docs/walkthrough.md">The walkthrough: from a capture to the FDB entry</seealso>
    /// <seealso href="docs/cluster.md">What the cluster says: Get-FlannelNode, Get-FlannelNetConf</seealso>
    /// <seealso cref="GetFlannelNodeCommand"/>
    /// <seealso cref="TestFlannelNodeCommand"/>
    /// <remarks>
    /// Get-FlannelNetConf reads net-conf.json as flanneld reads it and emits one FlannelTools.FlannelNetConf: Network,
    /// IPv6Network, EnableIPv4, EnableIPv6, EnableNFTables and the Backend's Type, VNI, Port (EffectivePort: 8472 when
    /// Port is 0), MTU, GBP, Learning and DirectRouting. Keys are matched without regard to case, as flanneld's JSON
    /// reader matches them, and flannel's defaults apply to what is not given (EnableIPv4 true, VNI 1; a file without a
    /// Backend is the udp backend). Give the result to Test-FlannelNode -NetConf, which checks the node's VTEP against it.
    /// <para/>
    /// With no path, it asks the cluster through kubectl (with -Context and -Kubeconfig when given), where flannel's
    /// manifests keep the file: the ConfigMap kube-flannel-cfg in the namespace kube-flannel (kube-flannel.yml since
    /// flannel v0.19.0), then in kube-system (older manifests), then any ConfigMap labelled app=flannel (flannel's Helm
    /// chart, in its release namespace). k3s keeps no such ConfigMap: it writes
    /// /var/lib/rancher/k3s/agent/etc/flannel/net-conf.json on each node, and the error says so.
    /// <para/>
    /// -Path and -LiteralPath read files: net-conf.json itself, or a saved kubectl get configmap -o json (one ConfigMap,
    /// or a List of them, each of which holding net-conf.json gives one object).
    /// <para/>
    /// A value flanneld would refuse (a string where a number belongs, a network that is not one) is a warning naming
    /// the line, and the object still comes out with that value at its default. A file that is not JSON is a
    /// non-terminating error, and the other files are still read; kubectl failing, or finding no ConfigMap, is a
    /// terminating error.
    /// </remarks>
    /// <example>
    /// <code>Get-FlannelNetConf</code>
    /// <para>Reads net-conf.json from the kube-flannel-cfg ConfigMap of the current kubectl context.</para>
    /// </example>
    /// <example>
    /// <code>Get-FlannelNetConf -Path /etc/kube-flannel/net-conf.json | Format-List</code>
    /// <para>Reads the copy of net-conf.json that the kube-flannel DaemonSet mounts on a node, and shows every property.</para>
    /// </example>
    /// <example>
    /// <code>kubectl get configmap kube-flannel-cfg -n kube-flannel -o json > cm.json; Get-FlannelNetConf -Path cm.json</code>
    /// <para>Reads the net-conf.json key of a ConfigMap saved where kubectl works, for a machine without it.</para>
    /// </example>
    /// <example>
    /// <code>Test-FlannelNode -NetConf (Get-FlannelNetConf -Context prod) -IncludePassed | Where-Object Check -like 'NetConf*'</code>
    /// <para>Checks this node's VTEP against the net-conf.json of the cluster of the kubectl context prod.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "FlannelNetConf", DefaultParameterSetName = KubectlSet)]
    [OutputType(typeof(FlannelNetConf))]
    public sealed class GetFlannelNetConfCommand : FileCommand
    {
        private const string KubectlSet = "Kubectl";

        /// <summary>Files holding net-conf.json, or a ConfigMap as kubectl get configmap -o json prints it; wildcards are expanded.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public override string[] Path { get; set; }

        /// <summary>The kubectl context (kubectl --context); default: kubectl's current context.</summary>
        [Parameter(ParameterSetName = KubectlSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(KubeContextCompleter))]
        public string Context { get; set; }

        /// <summary>The kubeconfig file kubectl reads (kubectl --kubeconfig); a PowerShell path, passed to kubectl as a full path.</summary>
        [Parameter(ParameterSetName = KubectlSet)]
        [ValidateNotNullOrEmpty]
        public string Kubeconfig { get; set; }

        protected override void ProcessRecord()
        {
            RecordReceived();
            if (ParameterSetName == KubectlSet)
            {
                ReadFromKubectl();
                return;
            }
            foreach (string file in ResolvedFiles())
            {
                ReadFile(file);
            }
        }

        private void ReadFromKubectl()
        {
            string kubeconfig = Kubeconfig == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Kubeconfig);
            NetConfLookup lookup;
            try
            {
                lookup = KubectlNetConf.Find(this, Context, kubeconfig, Cancellation);
            }
            catch (NativeCommandException e) when (e.Failure == NativeCommandFailure.Cancelled)
            {
                return;
            }
            catch (NativeCommandException e)
            {
                ThrowTerminatingError(NativeCommandErrors.For(e, "Install kubectl, or read the file offline: " +
                    "kubectl get configmap kube-flannel-cfg -n kube-flannel -o json > cm.json where kubectl works, then Get-FlannelNetConf -Path cm.json."));
                return;
            }
            catch (FormatException e)
            {
                ThrowTerminatingError(CommandErrors.InvalidConfigMapJson.Wrap(new FormatException("kubectl's output: " + e.Message, e), "kubectl"));
                return;
            }
            if (lookup.NetConf == null)
            {
                if (lookup.ConfigMaps.Count > 0)
                {
                    ThrowTerminatingError(CommandErrors.InvalidNetConf.Record(lookup.ConfigMaps[0].Source, lookup.Reason));
                }
                ThrowTerminatingError(lookup.K3sNode != null
                    ? CommandErrors.K3sNetConfOnNodes.Record(lookup.K3sNode, lookup.Reason)
                    : CommandErrors.NetConfNotFound.Record(KubectlNetConfSource.ConfigMapName, lookup.Reason));
                return;
            }
            if (lookup.ConfigMaps.Count > 1)
            {
                WriteWarning("More than one ConfigMap is labelled app=flannel (" + string.Join(", ", lookup.ConfigMaps.Select(m => m.Source)) +
                             "); this is the net-conf.json of " + lookup.NetConf.Source + ". Read another with kubectl get configmap NAME -n NAMESPACE -o json | Set-Content cm.json; Get-FlannelNetConf -Path cm.json.");
            }
            WriteObject(lookup.NetConf);
        }

        private void ReadFile(string file)
        {
            string[] lines = ReadAllLines(file);
            if (lines == null)
            {
                return;
            }
            object document;
            try
            {
                document = JsonText.Parse(string.Join("\n", lines));
            }
            catch (FormatException e)
            {
                WriteError(CommandErrors.InvalidNetConfJson.Wrap(new FormatException(file + ": " + e.Message, e), file));
                return;
            }
            if (FlannelConfigMap.IsConfigMapJson(document))
            {
                ReadConfigMaps(file, FlannelConfigMap.Read(document));
                return;
            }
            ParseResult<FlannelNetConf> result = NetConfParser.Parse(lines, new TextOrigin(file), 1);
            foreach (FlannelNetConf netConf in result.Entries)
            {
                netConf.Source = file;
            }
            Emit(result, file);
        }

        private void ReadConfigMaps(string file, IReadOnlyList<FlannelConfigMap> configMaps)
        {
            List<FlannelConfigMap> withNetConf = configMaps.Where(m => m.NetConfText != null).ToList();
            if (withNetConf.Count == 0)
            {
                WriteError(CommandErrors.NetConfKeyMissing.Record(file,
                    file + ": " + (configMaps.Count == 0 ? "the List holds no ConfigMap" : "no ConfigMap in it has a net-conf.json key (" + string.Join(", ", configMaps.Select(m => m.Source)) + ")") +
                    "; flannel's ConfigMap is kube-flannel-cfg (kubectl get configmap kube-flannel-cfg -n kube-flannel -o json)."));
                return;
            }
            foreach (FlannelConfigMap configMap in withNetConf)
            {
                Emit(configMap.ParseNetConf(), file);
            }
        }

        private void Emit(ParseResult<FlannelNetConf> result, string file)
        {
            if (result.Entries.Count == 0)
            {
                WriteError(CommandErrors.InvalidNetConf.Record(file,
                    file + ": not flannel's net-conf.json: " + string.Join("; ", result.Problems.Select(p => p.ToString()))));
                return;
            }
            foreach (ParseProblem problem in result.Problems)
            {
                WriteWarning(problem.Origin == file ? problem.ToString() : file + ": " + problem);
            }
            foreach (FlannelNetConf netConf in result.Entries)
            {
                WriteObject(netConf);
            }
        }
    }
}
