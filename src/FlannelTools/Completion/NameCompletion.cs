using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace FlannelTools.Completion
{
    /// <summary>Completion results for names, as PowerShell offers them: those that begin with what was typed, sorted, quoted when they need it.</summary>
    internal static class NameCompletion
    {
        public static IEnumerable<CompletionResult> Matching(IEnumerable<string> names, string wordToComplete, string toolTip)
        {
            string typed = Unquote(wordToComplete ?? string.Empty);
            var pattern = new WildcardPattern(WildcardPattern.Escape(typed) + "*", WildcardOptions.IgnoreCase);
            return names
                .Where(n => !string.IsNullOrEmpty(n) && pattern.IsMatch(n))
                .Distinct(StringComparer.Ordinal)
                .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                .Select(n => new CompletionResult(Quote(n), n, CompletionResultType.ParameterValue, toolTip + " " + n))
                .ToList();
        }

        /// <summary>A value bound to another parameter on the command line being completed, as text, or null.</summary>
        public static string Bound(IDictionary fakeBoundParameters, string name) =>
            fakeBoundParameters != null && fakeBoundParameters.Contains(name) ? Convert.ToString(fakeBoundParameters[name], CultureInfo.InvariantCulture) : null;

        private static string Unquote(string word) =>
            word.Length > 0 && (word[0] == '\'' || word[0] == '"') ? word.Substring(1).TrimEnd(word[0]) : word;

        private static string Quote(string name) =>
            name.Any(c => char.IsWhiteSpace(c) || "'\"`$&(){}[]@;,|<>#".IndexOf(c) >= 0) ? "'" + name.Replace("'", "''") + "'" : name;
    }

    /// <summary>-InterfaceName: the network interfaces of this namespace, from /sys/class/net (no libpcap is loaded to list them).</summary>
    internal sealed class InterfaceNameCompleter : IArgumentCompleter
    {
        public const string SysClassNet = "/sys/class/net";

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            NameCompletion.Matching(Interfaces(), wordToComplete, "interface");

        internal static IEnumerable<string> Interfaces()
        {
            try
            {
                return Directory.Exists(SysClassNet) ? Directory.GetFileSystemEntries(SysClassNet).Select(Path.GetFileName).ToList() : new List<string>();
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return new List<string>();
            }
        }
    }

    /// <summary>-Device: the VXLAN devices of this namespace (DEVTYPE=vxlan in /sys/class/net/NAME/uevent), as flannel's flannel.1.</summary>
    internal sealed class VxlanDeviceCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters) =>
            NameCompletion.Matching(InterfaceNameCompleter.Interfaces().Where(IsVxlan), wordToComplete, "VXLAN device");

        private static bool IsVxlan(string name)
        {
            try
            {
                string uevent = Path.Combine(InterfaceNameCompleter.SysClassNet, name, "uevent");
                return File.Exists(uevent) && File.ReadAllLines(uevent).Any(l => l.Trim() == "DEVTYPE=vxlan");
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                return false;
            }
        }
    }

    /// <summary>
    /// -Name: the cluster's node names through kubectl get nodes -o json (with the -Context and -Kubeconfig typed on the
    /// same command line), or nothing when kubectl does not answer within about a second: Tab must not hang.
    /// </summary>
    internal sealed class NodeNameCompleter : IArgumentCompleter
    {
        public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            IReadOnlyList<string> arguments = KubectlNodeSource.Arguments(NameCompletion.Bound(fakeBoundParameters, "Context"), NameCompletion.Bound(fakeBoundParameters, "Kubeconfig"));
            try
            {
                string json = NativeCommand.Run("kubectl", arguments, Timeout, CancellationToken.None).Output();
                IEnumerable<string> names = new FlannelNodeParser().Parse(json).Nodes.Select(n => n.Name);
                return NameCompletion.Matching(names, wordToComplete, "node");
            }
            catch (Exception e) when (e is NativeCommandException || e is FormatException)
            {
                return new List<CompletionResult>();
            }
        }
    }

    /// <summary>-Context: the contexts of the kubeconfig (-Kubeconfig on the same command line, else $KUBECONFIG's files, else ~/.kube/config).</summary>
    internal sealed class KubeContextCompleter : IArgumentCompleter
    {
        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
            CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            string kubeconfig = NameCompletion.Bound(fakeBoundParameters, "Kubeconfig");
            IEnumerable<string> files = kubeconfig != null
                ? new[] { kubeconfig }
                : (Environment.GetEnvironmentVariable("KUBECONFIG") is string list && list.Length > 0
                    ? list.Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries)
                    : new[] { Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config") });
            var contexts = new List<string>();
            foreach (string file in files)
            {
                try
                {
                    if (File.Exists(file))
                    {
                        contexts.AddRange(KubeconfigContexts.Read(File.ReadAllText(file)));
                    }
                }
                catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
                {
                }
            }
            return NameCompletion.Matching(contexts, wordToComplete, "context");
        }
    }
}
