using System.Collections.Specialized;

namespace FlannelTools.Cluster
{
    /// <summary>Something that did not stop a node from being read: no flannel annotations, an annotation that does not parse.</summary>
    internal sealed class FlannelNodeProblem
    {
        public FlannelNodeProblem(string node, string message)
        {
            Node = node;
            Message = message;
        }

        /// <summary>The node concerned; null for a problem with the document (an item that is not a Node).</summary>
        public string Node { get; }

        /// <summary>One sentence, naming the node.</summary>
        public string Message { get; }

        public override string ToString() => Message;
    }

    /// <summary>The nodes read from kubectl's JSON, and what was wrong with them.</summary>
    internal sealed class FlannelNodeParseResult
    {
        public FlannelNodeParseResult(IReadOnlyList<FlannelNode> nodes, IReadOnlyList<FlannelNodeProblem> problems)
        {
            Nodes = nodes;
            Problems = problems;
        }

        public IReadOnlyList<FlannelNode> Nodes { get; }

        public IReadOnlyList<FlannelNodeProblem> Problems { get; }
    }

    /// <summary>
    /// Reads what <c>kubectl get nodes -o json</c> prints (a v1 List), what <c>kubectl get node NAME -o json</c>
    /// prints (one Node), or a JSON array of Nodes, into <see cref="FlannelNode"/>s.
    /// </summary>
    internal sealed class FlannelNodeParser
    {
        private readonly FlannelAnnotationNames _names;

        public FlannelNodeParser(FlannelAnnotationNames names = null) => _names = names ?? FlannelAnnotationNames.Default;

        /// <summary>Parses JSON text: one document, or several one after the other (<c>kubectl get node a -o json; kubectl get node b -o json</c>).</summary>
        /// <exception cref="FormatException">The text is not JSON, or not Nodes.</exception>
        public FlannelNodeParseResult Parse(string text)
        {
            var nodes = new List<FlannelNode>();
            var problems = new List<FlannelNodeProblem>();
            List<string> documents = SplitDocuments(text);
            if (documents.Count == 0)
            {
                throw new FormatException("There is no JSON: the text is empty.");
            }
            foreach (string document in documents)
            {
                Read(JsonText.Parse(document), nodes, problems);
            }
            return new FlannelNodeParseResult(nodes, problems);
        }

        /// <summary>Reads a document already parsed into <see cref="JsonText"/>'s values (dictionaries, lists, strings, numbers).</summary>
        /// <exception cref="FormatException">The document is not a Node, a List of Nodes or an array of Nodes.</exception>
        public FlannelNodeParseResult Parse(object document)
        {
            var nodes = new List<FlannelNode>();
            var problems = new List<FlannelNodeProblem>();
            Read(document, nodes, problems);
            return new FlannelNodeParseResult(nodes, problems);
        }

        private void Read(object document, List<FlannelNode> nodes, List<FlannelNodeProblem> problems)
        {
            IEnumerable<object> items;
            if (document is List<object> array)
            {
                items = array;
            }
            else if (document is Dictionary<string, object> obj && (JsonText.Member(obj, "items") is List<object> || IsListKind(JsonText.String(obj, "kind"))))
            {
                items = JsonText.Array(obj, "items");
            }
            else if (document is Dictionary<string, object> single && IsNode(single))
            {
                items = new[] { single };
            }
            else
            {
                throw new FormatException("The JSON is " + Describe(document) + ", not a Node or a List of Nodes (kubectl get nodes -o json).");
            }
            int position = 0;
            foreach (object item in items)
            {
                position++;
                if (item is Dictionary<string, object> node && IsNode(node))
                {
                    nodes.Add(ReadNode(node, problems));
                }
                else
                {
                    problems.Add(new FlannelNodeProblem(null, string.Format(CultureInfo.InvariantCulture, "Item {0} of the list is {1}, not a Node; skipped.", position, Describe(item))));
                }
            }
        }

        private static bool IsListKind(string kind) => kind == "List" || kind == "NodeList";

        private static bool IsNode(Dictionary<string, object> obj)
        {
            string kind = JsonText.String(obj, "kind");
            return (kind == null || kind == "Node") && JsonText.String(JsonText.Member(obj, "metadata"), "name") != null;
        }

        private static string Describe(object value)
        {
            switch (value)
            {
                case Dictionary<string, object> obj when JsonText.String(obj, "kind") is string kind:
                    return "a '" + kind + "'";
                case Dictionary<string, object> _:
                    return "an object without a kind and a metadata.name";
                case List<object> _:
                    return "an array";
                case string _:
                    return "a string";
                case null:
                    return "null";
                default:
                    return "a " + (value is bool ? "boolean" : "number");
            }
        }

        private FlannelNode ReadNode(Dictionary<string, object> node, List<FlannelNodeProblem> problems)
        {
            object metadata = JsonText.Member(node, "metadata");
            string name = JsonText.String(metadata, "name");
            var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
            if (JsonText.Member(metadata, "annotations") is Dictionary<string, object> all)
            {
                foreach (KeyValuePair<string, object> annotation in all)
                {
                    if (_names.IsFlannelAnnotation(annotation.Key) && annotation.Value != null)
                    {
                        annotations[annotation.Key] = Convert.ToString(annotation.Value, CultureInfo.InvariantCulture);
                    }
                }
            }
            if (annotations.Count == 0)
            {
                problems.Add(new FlannelNodeProblem(name, "Node '" + name + "' has no flannel annotations (" + _names.Prefix + "…): flannel has not registered it yet, or runs with another --kube-annotation-prefix."));
            }
            var values = new NodeValues(name, problems);

            object spec = JsonText.Member(node, "spec");
            string podCidr = values.Prefix(JsonText.String(spec, "podCIDR"), "spec.podCIDR");
            List<string> podCidrs = JsonText.Array(spec, "podCIDRs").OfType<string>()
                .Select(c => values.Prefix(c, "spec.podCIDRs")).Where(c => c != null).ToList();
            if (podCidrs.Count == 0 && podCidr != null)
            {
                podCidrs.Add(podCidr);
            }

            object status = JsonText.Member(node, "status");
            string internalAddress = JsonText.Array(status, "addresses")
                .Where(a => JsonText.String(a, "type") == "InternalIP")
                .Select(a => JsonText.String(a, "address")).FirstOrDefault(a => a != null);
            object readyCondition = JsonText.Array(status, "conditions").FirstOrDefault(c => JsonText.String(c, "type") == "Ready");
            bool? ready = readyCondition == null ? (bool?)null : JsonText.String(readyCondition, "status") == "True";
            object networkCondition = JsonText.Array(status, "conditions").FirstOrDefault(c => JsonText.String(c, "type") == "NetworkUnavailable");
            bool? networkUnavailable = networkCondition == null ? (bool?)null : JsonText.String(networkCondition, "status") == "True";

            annotations.TryGetValue(_names.BackendData, out string backendData);
            annotations.TryGetValue(_names.BackendV6Data, out string backendV6Data);
            values.BackendData(backendData, _names.BackendData, out string vtepMac, out int? vni);
            values.BackendData(backendV6Data, _names.BackendV6Data, out string vtepMacV6, out int? vniV6);

            var raw = new OrderedDictionary(StringComparer.Ordinal);
            foreach (KeyValuePair<string, string> annotation in annotations)
            {
                raw.Add(annotation.Key, annotation.Value);
            }
            return new FlannelNode(
                name,
                podCidr,
                podCidrs,
                values.Address(internalAddress, "InternalIP"),
                values.Address(Annotation(annotations, _names.PublicIP), _names.PublicIP),
                values.Address(Annotation(annotations, _names.PublicIPOverwrite), _names.PublicIPOverwrite),
                values.Address(Annotation(annotations, _names.PublicIPv6), _names.PublicIPv6),
                Annotation(annotations, _names.BackendType),
                vtepMac,
                vtepMacV6,
                vni ?? vniV6,
                Annotation(annotations, _names.KubeSubnetManager) == "true",
                ready,
                raw) { NetworkUnavailable = networkUnavailable };
        }

        private static string Annotation(SortedDictionary<string, string> annotations, string name) =>
            annotations.TryGetValue(name, out string value) && value.Length > 0 ? value : null;

        /// <summary>Reads one node's values into canonical text, noting each that does not parse.</summary>
        private sealed class NodeValues
        {
            private readonly string _node;
            private readonly List<FlannelNodeProblem> _problems;

            public NodeValues(string node, List<FlannelNodeProblem> problems)
            {
                _node = node;
                _problems = problems;
            }

            public string Address(string text, string source)
            {
                if (text == null)
                {
                    return null;
                }
                if (IpAddressValue.TryParse(text, out IpAddressValue address))
                {
                    return address.ToString();
                }
                Warn(source + " '" + text + "' is not an IP address");
                return null;
            }

            public string Prefix(string text, string source)
            {
                if (text == null)
                {
                    return null;
                }
                // IpPrefix also reads a bare address as a host prefix; a pod CIDR is always written with its length
                if (text.IndexOf('/') > 0 && IpPrefix.TryParse(text, out IpPrefix prefix))
                {
                    return prefix.ToString();
                }
                Warn(source + " '" + text + "' is not a prefix (address/length)");
                return null;
            }

            /// <summary>flannel's VXLAN backend data: <c>{"VNI":1,"VtepMAC":"ee:81:17:b0:fd:7b"}</c>; older flannel wrote only VtepMAC.</summary>
            public void BackendData(string text, string source, out string vtepMac, out int? vni)
            {
                vtepMac = null;
                vni = null;
                if (string.IsNullOrEmpty(text) || text == "null")
                {
                    return;
                }
                object data;
                try
                {
                    data = JsonText.Parse(text);
                }
                catch (FormatException e)
                {
                    Warn(source + " is not JSON (" + e.Message.TrimEnd('.') + ")");
                    return;
                }
                if (!(data is Dictionary<string, object>))
                {
                    Warn(source + " '" + text + "' is not a JSON object");
                    return;
                }
                string mac = JsonText.String(data, "VtepMAC");
                if (mac != null)
                {
                    vtepMac = MacAddress.Normalize(mac);
                    if (vtepMac == null)
                    {
                        Warn(source + ": VtepMAC '" + mac + "' is not a MAC address");
                    }
                }
                if (JsonText.Member(data, "VNI") != null)
                {
                    long? number = JsonText.Integer(data, "VNI");
                    if (number >= 0 && number <= 0xffffff)
                    {
                        vni = (int)number.Value;
                    }
                    else
                    {
                        Warn(source + ": VNI '" + Convert.ToString(JsonText.Member(data, "VNI"), CultureInfo.InvariantCulture) + "' is not a VXLAN network identifier (0 to 16777215)");
                    }
                }
            }

            private void Warn(string problem) => _problems.Add(new FlannelNodeProblem(_node, "Node '" + _node + "': " + problem + "."));
        }

        /// <summary>
        /// Cuts text holding JSON documents one after the other into the documents, by bracket depth outside strings.
        /// Whatever is not a complete object or array is handed on as it is, for the JSON parser to report.
        /// </summary>
        internal static List<string> SplitDocuments(string text)
        {
            var documents = new List<string>();
            int depth = 0, start = -1;
            bool inString = false, escaped = false;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (inString)
                {
                    if (escaped)
                    {
                        escaped = false;
                    }
                    else if (c == '\\')
                    {
                        escaped = true;
                    }
                    else if (c == '"')
                    {
                        inString = false;
                    }
                    continue;
                }
                if (start < 0)
                {
                    if (char.IsWhiteSpace(c) || c == '\uFEFF')
                    {
                        continue;
                    }
                    if (c != '{' && c != '[')
                    {
                        documents.Add(text.Substring(i));
                        return documents;
                    }
                    start = i;
                }
                switch (c)
                {
                    case '"':
                        inString = true;
                        break;
                    case '{':
                    case '[':
                        depth++;
                        break;
                    case '}':
                    case ']':
                        if (--depth == 0)
                        {
                            documents.Add(text.Substring(start, i - start + 1));
                            start = -1;
                        }
                        break;
                }
            }
            if (start >= 0)
            {
                documents.Add(text.Substring(start));
            }
            return documents;
        }
    }
}
