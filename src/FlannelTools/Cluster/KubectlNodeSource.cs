namespace FlannelTools.Cluster
{
    /// <summary>Runs <c>kubectl get nodes -o json</c> (by absolute path, with an argument list) and returns what it printed.</summary>
    internal static class KubectlNodeSource
    {
        public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

        /// <summary>kubectl's arguments: <c>get nodes -o json [--context X] [--kubeconfig F]</c>.</summary>
        public static IReadOnlyList<string> Arguments(string context, string kubeconfig) => Command(context, kubeconfig, "get", "nodes", "-o", "json");

        /// <summary>Any kubectl command's arguments with the global flags after them: <c>… [--context X] [--kubeconfig F]</c>.</summary>
        public static IReadOnlyList<string> Command(string context, string kubeconfig, params string[] command)
        {
            var arguments = new List<string>(command);
            if (!string.IsNullOrEmpty(context))
            {
                arguments.Add("--context");
                arguments.Add(context);
            }
            if (!string.IsNullOrEmpty(kubeconfig))
            {
                arguments.Add("--kubeconfig");
                arguments.Add(kubeconfig);
            }
            return arguments;
        }

        /// <exception cref="NativeCommandException">kubectl is not installed, did not start, timed out, was cancelled or exited with an error.</exception>
        public static string GetNodesJson(string context, string kubeconfig, CancellationToken cancellation) =>
            NativeCommand.Run("kubectl", Arguments(context, kubeconfig), Timeout, cancellation).Output();
    }
}
