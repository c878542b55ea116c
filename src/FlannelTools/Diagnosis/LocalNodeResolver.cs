namespace FlannelTools.Diagnosis
{
    /// <summary>Which node of the cluster a NodeState was read on, or why that cannot be told.</summary>
    /// <param name="Node">The node; null when it could not be told.</param>
    /// <param name="ErrorId">NodeNotFound, LocalNodeAmbiguous or LocalNodeNotFound; null when the node was found.</param>
    /// <param name="Message">How the node was found, or why it was not.</param>
    internal sealed record LocalNodeResolution(FlannelNode Node, string ErrorId, string Message)
    {
        internal static LocalNodeResolution Found(FlannelNode node, string how) => new LocalNodeResolution(node, null, how);

        internal static LocalNodeResolution Failed(string errorId, string message) => new LocalNodeResolution(null, errorId, message);
    }

    /// <summary>
    /// Tells which node is "this" one: the name given; else the node whose public IP or internal address is the VTEP's
    /// local address (the address flannel picked on the node, never a public-ip-overwrite); else the host name.
    /// </summary>
    internal static class LocalNodeResolver
    {
        public static LocalNodeResolution Resolve(NodeState state, IReadOnlyList<FlannelNode> nodes, string name)
        {
            if (name != null)
            {
                FlannelNode named = nodes.FirstOrDefault(n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase));
                return named != null
                    ? LocalNodeResolution.Found(named, "named by -Name")
                    : LocalNodeResolution.Failed("NodeNotFound", "No node of the cluster is named '" + name + "'; the nodes are " + NameList(nodes) + ".");
            }
            foreach (Vtep vtep in state.GetVteps().Where(v => v.LocalAddress != null))
            {
                var matches = nodes.Where(n =>
                    DiagnosisContext.SameAddress(n.PublicAddress, vtep.LocalAddress) ||
                    DiagnosisContext.SameAddress(n.PublicAddressV6, vtep.LocalAddress) ||
                    DiagnosisContext.SameAddress(n.InternalAddress, vtep.LocalAddress)).ToList();
                if (matches.Count == 1)
                {
                    return LocalNodeResolution.Found(matches[0], vtep.Name + "'s local address " + vtep.LocalAddress + " is its address");
                }
                if (matches.Count > 1)
                {
                    return LocalNodeResolution.Failed("LocalNodeAmbiguous",
                        "The VTEP's local address " + vtep.LocalAddress + " is the public or internal address of " + NameList(matches) +
                        ", so which node these tables are from cannot be told: give it with -Name.");
                }
            }
            if (!string.IsNullOrEmpty(state.HostName))
            {
                FlannelNode byHost = nodes.FirstOrDefault(n => string.Equals(n.Name, state.HostName, StringComparison.OrdinalIgnoreCase)) ??
                    nodes.FirstOrDefault(n => string.Equals(n.Name, state.HostName.Split('.')[0], StringComparison.OrdinalIgnoreCase));
                if (byHost != null)
                {
                    return LocalNodeResolution.Found(byHost, "the host name " + state.HostName + " is its name");
                }
            }
            return LocalNodeResolution.Failed("LocalNodeNotFound",
                "No node of the cluster (" + NameList(nodes) + ") has the VTEP's local address (" +
                (string.Join(", ", state.GetVteps().Select(v => v.LocalAddress).Where(a => a != null)) is string a && a.Length > 0 ? a : "no VTEP") +
                ") as its public or internal address, nor the host name '" + state.HostName + "': give the node's name with -Name.");
        }

        private static string NameList(IEnumerable<FlannelNode> nodes)
        {
            string names = string.Join(", ", nodes.Select(n => n.Name));
            return names.Length > 0 ? names : "none";
        }
    }
}
