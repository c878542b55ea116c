using System.Management.Automation;

namespace FlannelTools.Commands
{
    /// <summary>The cluster's nodes through kubectl, for the cmdlets whose -Node defaults to Get-FlannelNode.</summary>
    internal static class KubectlNodes
    {
        /// <summary>Runs kubectl get nodes -o json; kubectl failing or its output unreadable is a terminating error, a node without flannel annotations a warning. Empty when stopped.</summary>
        public static IReadOnlyList<FlannelNode> Read(PSCmdlet cmdlet, CancellationToken cancellation)
        {
            IReadOnlyList<FlannelNode> nodes = TryRead(cmdlet, null, null, cancellation, out ErrorRecord error);
            if (error != null)
            {
                cmdlet.ThrowTerminatingError(error);
            }
            return nodes;
        }

        /// <summary>What kubectl should be told to do when it is not installed.</summary>
        public const string WhenMissing =
            "Install kubectl, or read the nodes offline: kubectl get nodes -o json > nodes.json where kubectl works, then Get-FlannelNode -Path nodes.json.";

        /// <summary>
        /// What kubectl get nodes -o json printed (with --context and --kubeconfig when given), writing the command line as
        /// verbose output; null with the error when kubectl fails, and null without one when stopped.
        /// </summary>
        public static string GetNodesJson(PSCmdlet cmdlet, string context, string kubeconfig, CancellationToken cancellation, out ErrorRecord error)
        {
            error = null;
            try
            {
                cmdlet.WriteVerbose("kubectl " + string.Join(" ", KubectlNodeSource.Arguments(context, kubeconfig).Select(NativeCommand.Quote)));
                return KubectlNodeSource.GetNodesJson(context, kubeconfig, cancellation);
            }
            catch (NativeCommandException e) when (e.Failure == NativeCommandFailure.Cancelled)
            {
                return null;
            }
            catch (NativeCommandException e)
            {
                error = NativeCommandErrors.For(e, WhenMissing);
                return null;
            }
        }

        /// <summary>
        /// Runs kubectl get nodes -o json (with --context and --kubeconfig when given); null with the error when kubectl
        /// fails or prints what is not a node list, for the caller to report. Empty when stopped. A node without flannel
        /// annotations is a warning.
        /// </summary>
        public static IReadOnlyList<FlannelNode> TryRead(PSCmdlet cmdlet, string context, string kubeconfig, CancellationToken cancellation, out ErrorRecord error)
        {
            string json = GetNodesJson(cmdlet, context, kubeconfig, cancellation, out error);
            if (json == null)
            {
                return error == null ? Array.Empty<FlannelNode>() : null;
            }
            FlannelNodeParseResult result;
            try
            {
                result = new FlannelNodeParser().Parse(json);
            }
            catch (FormatException e)
            {
                error = CommandErrors.InvalidNodeJson.Wrap(new FormatException("kubectl's output: " + e.Message, e), "kubectl");
                return null;
            }
            foreach (FlannelNodeProblem problem in result.Problems)
            {
                cmdlet.WriteWarning(problem.Message);
            }
            return result.Nodes.ToList();
        }
    }
}
