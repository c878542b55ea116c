using System.Management.Automation;
using FlannelTools.HostLayer.FlannelConfig;

namespace FlannelTools.Commands
{
    /// <summary>flannel's net-conf.json from its ConfigMap through kubectl, for Test-FlannelNode and Get-FlannelNetConf.</summary>
    internal static class KubectlNetConf
    {
        /// <summary>net-conf.json from the kube-flannel-cfg ConfigMap through kubectl; null with the reason when it cannot be read (never terminating: the net-conf checks then say Unknown).</summary>
        public static FlannelNetConf Read(PSCmdlet cmdlet, string context, string kubeconfig, CancellationToken cancellation, out string reason)
        {
            NetConfLookup lookup;
            try
            {
                lookup = Find(cmdlet, context, kubeconfig, cancellation);
            }
            catch (Exception e) when (e is NativeCommandException || e is FormatException)
            {
                reason = "kubectl could not read flannel's ConfigMap: " + e.Message;
                return null;
            }
            reason = lookup.Reason;
            return lookup.NetConf;
        }

        /// <summary>
        /// Looks for flannel's ConfigMaps (<see cref="KubectlNetConfSource"/>), writing each kubectl command line as verbose
        /// output and each problem of a net-conf.json as a warning.
        /// </summary>
        /// <exception cref="NativeCommandException">kubectl is not installed, did not start, timed out, was cancelled or failed.</exception>
        /// <exception cref="FormatException">kubectl printed what is not a ConfigMap.</exception>
        public static NetConfLookup Find(PSCmdlet cmdlet, string context, string kubeconfig, CancellationToken cancellation)
        {
            NetConfLookup lookup = KubectlNetConfSource.Find(arguments =>
            {
                cmdlet.WriteVerbose("kubectl " + string.Join(" ", arguments.Select(NativeCommand.Quote)));
                return NativeCommand.Run("kubectl", arguments, KubectlNodeSource.Timeout, cancellation);
            }, context, kubeconfig);
            foreach (ParseProblem problem in lookup.Problems)
            {
                cmdlet.WriteWarning(problem.ToString());
            }
            return lookup;
        }
    }
}
