using System.Management.Automation;
using FlannelTools.Completion;

namespace FlannelTools.Commands
{
    /// <summary>Gets what the cluster says about each node's flannel network: pod subnet, public IP, VTEP MAC and VNI.</summary>
    /// <seealso href="docs/walkthrough.md">The walkthrough: from a capture to the FDB entry</seealso>
    /// <seealso href="docs/cluster.md">What the cluster says: Get-FlannelNode, Get-FlannelNetConf</seealso>
    /// <seealso cref="GetFlannelNetConfCommand"/>
    /// <seealso cref="TestFlannelNodeCommand"/>
    /// <seealso cref="TestVxlanCaptureCommand"/>
    /// <remarks>
    /// Get-FlannelNode runs kubectl get nodes -o json (with -Context and -Kubeconfig when given) and emits one
    /// FlannelTools.FlannelNode per node, read from flannel's node annotations: the pod subnet flannel routes to the
    /// node, the public IP the other nodes send VXLAN to (public-ip, as it stands, and public-ip-overwrite), the MAC
    /// of the node's VTEP (flannel.1) and the VNI from backend-data, the IPv6 ones on a dual-stack cluster, and
    /// whether the node is Ready. This is what flannel on every other node programs into its routes, neighbour and
    /// FDB entries, so it is what Test-FlannelNode compares a node's tables with.
    /// <para/>
    /// Offline, -Path reads files that kubectl wrote, and -InputObject (or the pipeline) takes the JSON as text
    /// (a whole document, or lines from Get-Content or a native command, collected and read at the end) or as
    /// the objects ConvertFrom-Json made of it. Either the List of kubectl get nodes or a single node's -o json
    /// is accepted.
    /// <para/>
    /// A node without flannel annotations (flannel has not run there yet, or runs with another
    /// --kube-annotation-prefix: give it as -AnnotationPrefix) is still emitted, with empty fields, and a warning
    /// names it. kubectl missing or failing is one terminating error carrying kubectl's own message and exit code;
    /// a file or input that is not a node document is a non-terminating error and the others are still read.
    /// Position 0 is -Name: a value given there by position that names an existing file (Get-FlannelNode nodes.json) is
    /// a FileGivenAsName error saying to use -Path, and kubectl is not run; -Name nodes.json is taken as a name.
    /// </remarks>
    /// <example>
    /// <code>Get-FlannelNode</code>
    /// <para>Lists every node of the current kubectl context with its pod subnet, public IP, VTEP MAC and VNI.</para>
    /// </example>
    /// <example>
    /// <code>Get-FlannelNode -Context prod -Name node* | Format-List</code>
    /// <para>Shows every property of the nodes whose names begin with node, on the cluster of the kubectl context prod.</para>
    /// </example>
    /// <example>
    /// <code>kubectl get nodes -o json | Get-FlannelNode | Group-Object PublicAddress | Where-Object Count -gt 1</code>
    /// <para>Finds public IPs that more than one node announces (nodes behind the same NAT address).</para>
    /// </example>
    /// <example>
    /// <code>Get-FlannelNode -Path nodes.json | Export-Clixml nodes.xml</code>
    /// <para>Reads a saved kubectl get nodes -o json and keeps the nodes for a machine without kubectl.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "FlannelNode", DefaultParameterSetName = KubectlSet)]
    [OutputType(typeof(FlannelNode))]
    public sealed class GetFlannelNodeCommand : FileCommand
    {
        private const string KubectlSet = "Kubectl";
        private const string InputObjectSet = "InputObject";

        private readonly StringBuilder _text = new StringBuilder();
        private readonly HashSet<string> _emittedNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private FlannelNodeParser _parser;
        private List<WildcardPattern> _namePatterns;

        /// <summary>Emits only the nodes with these names; wildcards are allowed. A name without wildcards that no node has is an error.</summary>
        [Parameter(Position = 0)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(NodeNameCompleter))]
        public string[] Name { get; set; }

        /// <summary>The kubectl context (kubectl --context); default: kubectl's current context.</summary>
        [Parameter(ParameterSetName = KubectlSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(KubeContextCompleter))]
        public string Context { get; set; }

        /// <summary>The kubeconfig file kubectl reads (kubectl --kubeconfig); a PowerShell path, passed to kubectl as a full path.</summary>
        [Parameter(ParameterSetName = KubectlSet)]
        [ValidateNotNullOrEmpty]
        public string Kubeconfig { get; set; }

        /// <summary>The JSON of kubectl get nodes -o json or kubectl get node NAME -o json: as text (whole, or line by line from the pipeline) or as objects from ConvertFrom-Json. Files from Get-ChildItem or Get-Item are read as -LiteralPath reads them.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [AllowEmptyString]
        public object[] InputObject { get; set; }

        /// <summary>Files holding kubectl get nodes -o json (or one node's -o json); wildcards are expanded.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public override string[] Path { get; set; }

        /// <summary>flannel's --kube-annotation-prefix, when the cluster's flannel runs with one. Default: flannel.alpha.coreos.com.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string AnnotationPrefix { get; set; } = FlannelAnnotationNames.DefaultPrefix;

        protected override void BeginProcessing()
        {
            FlannelAnnotationNames names;
            try
            {
                names = FlannelAnnotationNames.Create(AnnotationPrefix);
            }
            catch (ArgumentException e)
            {
                ThrowTerminatingError(CommandErrors.InvalidAnnotationPrefix.Wrap(e, AnnotationPrefix));
                return;
            }
            ErrorRecord fileAsName = PositionalFileCheck.Check(this, nameof(Name), Name, "a node's name");
            if (fileAsName != null)
            {
                ThrowTerminatingError(fileAsName);
            }
            _parser = new FlannelNodeParser(names);
            _namePatterns = (Name ?? Array.Empty<string>()).Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
        }

        protected override void ProcessRecord()
        {
            RecordReceived();
            switch (ParameterSetName)
            {
                case KubectlSet:
                    ReadFromKubectl();
                    break;
                case InputObjectSet:
                    foreach (object item in InputObject ?? Array.Empty<object>())
                    {
                        ReadInputObject(item);
                    }
                    break;
                default:
                    foreach (string file in ResolvedFiles())
                    {
                        ReadFile(file);
                    }
                    break;
            }
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            if (_text.Length > 0)
            {
                ParseText(_text.ToString(), source: null, terminating: false);
            }
            foreach (string name in Name ?? Array.Empty<string>())
            {
                if (!WildcardPattern.ContainsWildcardCharacters(name) && !_emittedNames.Contains(name))
                {
                    WriteError(CommandErrors.NodeNotFound.Wrap(new ItemNotFoundException("No node is named '" + name + "'."), name));
                }
            }
        }

        private void ReadFromKubectl()
        {
            string kubeconfig = Kubeconfig == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Kubeconfig);
            string json = KubectlNodes.GetNodesJson(this, Context, kubeconfig, Cancellation, out ErrorRecord error);
            if (error != null)
            {
                ThrowTerminatingError(error);
            }
            if (json != null)
            {
                ParseText(json, source: null, terminating: true);
            }
        }

        private void ReadInputObject(object item)
        {
            object value = item is PSObject wrapped ? wrapped.BaseObject : item;
            switch (value)
            {
                case null:
                    return;
                case string text:
                    _text.Append(text).Append('\n');
                    return;
                case FileInfo file:
                    ReadFile(file.FullName);
                    return;
            }
            // InputObject takes every object from the pipeline by value, before -LiteralPath could bind one by its
            // PSPath, so an item of a provider (Get-ChildItem, Get-Item) is read here as the file it names.
            if (item is PSObject withPath && PSObject.AsPSObject(withPath.Properties["PSPath"]?.Value ?? string.Empty).BaseObject is string psPath && psPath.Length > 0)
            {
                foreach (string file in ResolveFiles(new[] { psPath }, literal: true))
                {
                    ReadFile(file);
                }
                return;
            }
            FlannelNodeParseResult result;
            try
            {
                result = _parser.Parse(JsonObjectConverter.ToJsonValue(item));
            }
            catch (FormatException e)
            {
                WriteError(CommandErrors.InvalidNodeJson.Wrap(e, item));
                return;
            }
            Emit(result, source: null);
        }

        private void ReadFile(string file)
        {
            string text = ReadAllText(file);
            if (text == null)
            {
                return;
            }
            ParseText(text, file, terminating: false);
        }

        private void ParseText(string text, string source, bool terminating)
        {
            FlannelNodeParseResult result;
            try
            {
                result = _parser.Parse(text);
            }
            catch (FormatException e)
            {
                string what = source ?? (ParameterSetName == KubectlSet ? "kubectl's output" : "The input");
                object target = source ?? (ParameterSetName == KubectlSet ? "kubectl" : text);
                var error = CommandErrors.InvalidNodeJson.Wrap(new FormatException(what + ": " + e.Message, e), target);
                if (terminating)
                {
                    ThrowTerminatingError(error);
                }
                WriteError(error);
                return;
            }
            Emit(result, source);
        }

        private void Emit(FlannelNodeParseResult result, string source)
        {
            foreach (FlannelNodeProblem problem in result.Problems.Where(p => p.Node == null || IsSelected(p.Node)))
            {
                WriteWarning(source == null ? problem.Message : source + ": " + problem.Message);
            }
            foreach (FlannelNode node in result.Nodes.Where(n => IsSelected(n.Name)))
            {
                _emittedNames.Add(node.Name);
                WriteObject(node);
            }
        }

        private bool IsSelected(string name) => _namePatterns.Count == 0 || _namePatterns.Any(p => p.IsMatch(name));
    }
}
