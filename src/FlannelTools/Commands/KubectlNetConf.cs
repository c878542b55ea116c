using System.Management.Automation;
using System.Threading;

namespace FlannelTools.Commands
{
    // STUB: replaced by its owner (the flannel-config helper).
    internal static class KubectlNetConf
    {
        /// <summary>net-conf.json from the kube-flannel-cfg ConfigMap through kubectl; null with the reason when it cannot be read (never terminating: the net-conf checks then say Unknown).</summary>
        public static FlannelNetConf Read(PSCmdlet cmdlet, CancellationToken cancellation, out string reason)
        {
            reason = "not implemented";
            return null;
        }
    }
}
