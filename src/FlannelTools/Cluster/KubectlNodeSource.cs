using System;
using System.Collections.Generic;
using System.Globalization;
using System.Threading;
using FlannelTools.Native;

namespace FlannelTools.Cluster
{
    /// <summary>kubectl ran but failed: its exit code and what it printed on stderr.</summary>
    internal sealed class KubectlException : Exception
    {
        public KubectlException(string commandLine, int exitCode, string standardError)
            : base(MessageFor(commandLine, exitCode, standardError))
        {
            CommandLine = commandLine;
            ExitCode = exitCode;
            StandardError = standardError;
        }

        public string CommandLine { get; }
        public int ExitCode { get; }
        public string StandardError { get; }

        private static string MessageFor(string commandLine, int exitCode, string standardError) =>
            string.Format(CultureInfo.InvariantCulture, "kubectl failed with exit code {0}: {1} ({2})",
                exitCode, string.IsNullOrWhiteSpace(standardError) ? "it printed no error message" : standardError.Trim(), commandLine);
    }

    /// <summary>Runs <c>kubectl get nodes -o json</c> (by absolute path, with an argument list) and returns what it printed.</summary>
    internal static class KubectlNodeSource
    {
        public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

        /// <summary>kubectl's arguments: <c>get nodes -o json [--context X] [--kubeconfig F]</c>.</summary>
        public static IReadOnlyList<string> Arguments(string context, string kubeconfig)
        {
            var arguments = new List<string> { "get", "nodes", "-o", "json" };
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

        /// <exception cref="NativeCommandException">kubectl is not installed, did not start, timed out or was cancelled.</exception>
        /// <exception cref="KubectlException">kubectl exited with an error.</exception>
        public static string GetNodesJson(string context, string kubeconfig, CancellationToken cancellation)
        {
            NativeCommandResult result = NativeCommand.Run("kubectl", Arguments(context, kubeconfig), Timeout, cancellation);
            if (result.ExitCode != 0)
            {
                throw new KubectlException(result.CommandLine, result.ExitCode, result.StandardError);
            }
            return result.StandardOutput;
        }
    }
}
