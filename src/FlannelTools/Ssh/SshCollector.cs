namespace FlannelTools.Ssh
{
    /// <summary>Why a host gave no state.</summary>
    internal enum SshFailure
    {
        /// <summary>ssh could not connect or log in (refused, unreachable, host key, authentication: its exit code 255), or the remote command failed.</summary>
        Failed,
        /// <summary>The host did not finish within the timeout, and ssh was ended.</summary>
        TimedOut,
        /// <summary>The command ran, and what it printed is not a collector document.</summary>
        NotNodeState,
        /// <summary>The collector's document came back cut in the middle.</summary>
        Truncated,
    }

    /// <summary>What one host gave: its state (with the builder that holds its parse problems), or why there is none.</summary>
    internal sealed class SshCollection
    {
        public SshCollection(SshTarget target) => Target = target;

        public SshTarget Target { get; }

        public NodeState State { get; set; }

        public NodeStateBuilder Builder { get; set; }

        /// <summary>Set when there is no state.</summary>
        public SshFailure? Failure { get; set; }

        /// <summary>What went wrong, in words that name the host.</summary>
        public string Message { get; set; }

        /// <summary>The ssh command line that ran.</summary>
        public string CommandLine { get; set; }
    }

    /// <summary>
    /// Runs the module's collector (collect-flannel-state.sh) on hosts through the OpenSSH client, the script on ssh's
    /// standard input (<c>sh -s</c>, or <c>sudo -n sh -s</c>), and reads what each printed as a collector document.
    /// </summary>
    internal static class SshCollector
    {
        /// <summary>ssh's own exit code for a failure of its own (connect, host key, authentication).</summary>
        public const int SshErrorExit = 255;

        /// <summary>
        /// ssh's arguments for the target: BatchMode=yes first (never a prompt: the script is on standard input), then each
        /// option as <c>-o VALUE</c>, then StrictHostKeyChecking=accept-new and ConnectTimeout, which an option given earlier
        /// overrides (for each keyword ssh uses the first value it gets), then port, user and the remote command.
        /// </summary>
        public static List<string> Arguments(SshTarget target, IEnumerable<string> options, bool sudo, int connectTimeoutSeconds)
        {
            var arguments = new List<string> { "-o", "BatchMode=yes" };
            foreach (string option in options ?? Enumerable.Empty<string>())
            {
                arguments.Add("-o");
                arguments.Add(option);
            }
            arguments.AddRange(new[] { "-o", "StrictHostKeyChecking=accept-new" });
            arguments.AddRange(new[] { "-o", "ConnectTimeout=" + connectTimeoutSeconds.ToString(CultureInfo.InvariantCulture) });
            if (target.Port != null)
            {
                arguments.Add("-p");
                arguments.Add(target.Port.Value.ToString(CultureInfo.InvariantCulture));
            }
            if (target.User != null)
            {
                arguments.Add("-l");
                arguments.Add(target.User);
            }
            arguments.Add("--");
            arguments.Add(target.Host);
            arguments.Add(sudo ? "sudo -n sh -s" : "sh -s");
            return arguments;
        }

        /// <summary>Collects from one host; never throws for the host's own failures (they are in the result).</summary>
        /// <exception cref="NativeCommandException">ssh is not installed or cannot start, or the caller cancelled.</exception>
        public static SshCollection Collect(SshTarget target, string collectorScript, IEnumerable<string> options, bool sudo, TimeSpan timeout,
            CancellationToken cancellation)
        {
            var collection = new SshCollection(target);
            List<string> arguments = Arguments(target, options, sudo, Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)));
            NativeCommandResult result;
            try
            {
                result = NativeCommand.Run("ssh", arguments, timeout, cancellation, standardInput: collectorScript);
            }
            catch (NativeCommandException e) when (e.Failure == NativeCommandFailure.TimedOut)
            {
                collection.Failure = SshFailure.TimedOut;
                collection.Message = "'" + target.Text + "' gave no answer within " + timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture) +
                    " s, and its ssh was ended (-TimeoutSec).";
                return collection;
            }
            collection.CommandLine = result.CommandLine;
            List<string> lines = LineTable.SplitLines(new[] { result.StandardOutput }).ToList();
            if (!NodeStateReader.IsDocument(lines))
            {
                string said = string.IsNullOrWhiteSpace(result.StandardError) ? "it printed no error message" : Quote(result.StandardError.Trim());
                if (result.ExitCode == SshErrorExit)
                {
                    collection.Failure = SshFailure.Failed;
                    collection.Message = "ssh to '" + target.Text + "' failed (exit 255: it could not connect or log in): " + said + " (" + result.CommandLine + ")";
                }
                else if (result.ExitCode != 0)
                {
                    collection.Failure = SshFailure.Failed;
                    collection.Message = "The collector did not run on '" + target.Text + "': the remote command exited with " +
                        result.ExitCode.ToString(CultureInfo.InvariantCulture) + ": " + said + (sudo ? " (-Sudo runs it with sudo -n, which needs a rule that asks no password)" : string.Empty) +
                        " (" + result.CommandLine + ")";
                }
                else
                {
                    string first = lines.FirstOrDefault(l => !string.IsNullOrWhiteSpace(l));
                    collection.Failure = SshFailure.NotNodeState;
                    collection.Message = "'" + target.Text + "' printed what is not a collector document (its first line is " +
                        (first == null ? "missing: it printed nothing" : "'" + Quote(first.Trim()) + "', not '" + NodeStateReader.DocumentHeader + "'") + ").";
                }
                return collection;
            }
            string truncation = NodeStateReader.FindTruncation(lines, endExpected: true);
            if (truncation != null)
            {
                collection.Failure = SshFailure.Truncated;
                collection.Message = "What '" + target.Text + "' printed is not read: " + truncation +
                    (result.ExitCode != 0 ? " (ssh exited with " + result.ExitCode.ToString(CultureInfo.InvariantCulture) + ": " + Quote(result.StandardError.Trim()) + ")" : string.Empty) + ".";
                return collection;
            }
            collection.Builder = new NodeStateBuilder();
            collection.State = NodeStateReader.ReadDocument(lines, new TextOrigin(target.Text), collection.Builder);
            return collection;
        }

        // At most 200 characters of what a host printed, as parse warnings quote a line.
        private static string Quote(string text) =>
            text.Length <= 200 ? text : text.Substring(0, 200) + "… (" + text.Length.ToString(CultureInfo.InvariantCulture) + " characters)";
    }
}
