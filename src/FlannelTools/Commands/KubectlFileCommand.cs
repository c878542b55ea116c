using System.Management.Automation;

namespace FlannelTools.Commands
{
    /// <summary>A cmdlet that asks the cluster through kubectl by default (-Context, -Kubeconfig), or reads the same JSON from files.</summary>
    public abstract class KubectlFileCommand : FileCommand
    {
        protected const string KubectlSet = "Kubectl";

        /// <summary>The kubectl context (kubectl --context); default: kubectl's current context.</summary>
        [Parameter(ParameterSetName = KubectlSet)]
        [ValidateNotNullOrEmpty]
        public string Context { get; set; }

        /// <summary>The kubeconfig file kubectl reads (kubectl --kubeconfig); a PowerShell path, passed to kubectl as a full path.</summary>
        [Parameter(ParameterSetName = KubectlSet)]
        [ValidateNotNullOrEmpty]
        public string Kubeconfig { get; set; }

        /// <summary>-Kubeconfig as the full file-system path kubectl is given, or null.</summary>
        protected string KubeconfigPath => Kubeconfig == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Kubeconfig);
    }
}
