using System.ComponentModel;
using System.Management.Automation;

namespace FlannelTools.Commands
{
    /// <summary>
    /// A native command's failure as the table's entry for it: kubectl's as Kubectl*, iproute2's (ip, bridge) as
    /// IprouteNotFound and NativeCommand*. The one mapping for every cmdlet that runs them.
    /// </summary>
    internal static class NativeCommandErrors
    {
        /// <summary>
        /// The ErrorRecord for <paramref name="e"/>; <paramref name="whenMissing"/> says what to do instead when the
        /// program is not installed. Not for <see cref="NativeCommandFailure.Cancelled"/>: a stopped cmdlet writes nothing.
        /// </summary>
        public static ErrorRecord For(NativeCommandException e, string whenMissing)
        {
            string program = e.Program;
            bool kubectl = program == "kubectl";
            switch (e.Failure)
            {
                case NativeCommandFailure.NotFound:
                    return (kubectl ? CommandErrors.KubectlNotFound : CommandErrors.IprouteNotFound).Record(program,
                        program + " was not found " + NativeCommand.SearchedPlaces(program) + ". " + whenMissing, e);
                // a link left behind by a removed program: found, but there is nothing to start (ENOENT)
                case NativeCommandFailure.StartFailed when e.InnerException is Win32Exception start && start.NativeErrorCode == 2:
                    return (kubectl ? CommandErrors.KubectlNotFound : CommandErrors.IprouteNotFound).Record(program,
                        program + " was not found: " + NativeCommand.Find(program) + " could not be started (no such file or directory). " + whenMissing, e);
                case NativeCommandFailure.TimedOut:
                    return (kubectl ? CommandErrors.KubectlTimedOut : CommandErrors.NativeCommandTimedOut).Wrap(e, program);
                case NativeCommandFailure.ExitedWithError when !kubectl:
                    return CommandErrors.NativeCommandFailed.Wrap(e, e.Result.CommandLine);
                case NativeCommandFailure.ExitedWithError:
                    return KubectlFailed(e);
                default:
                    return (kubectl ? CommandErrors.KubectlFailed : CommandErrors.NativeCommandFailed).Wrap(e, program);
            }
        }

        // client-go's klog lines from its discovery cache (memcache.go), repeated for each retry before kubectl's own message.
        private static readonly Regex ClientGoNoise = new Regex(@"^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ memcache\.go:\d+\]", RegexOptions.CultureInvariant);

        /// <summary>
        /// KubectlFailed with kubectl's own words: client-go's memcache.go lines are dropped from the message, kubectl's
        /// other lines (its last meaningful one included) are kept, and the full standard error goes in ErrorDetails.
        /// </summary>
        private static ErrorRecord KubectlFailed(NativeCommandException e)
        {
            NativeCommandResult result = e.Result;
            string[] lines = (result.StandardError ?? string.Empty).Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries)
                .Select(l => l.Trim()).Where(l => l.Length > 0).ToArray();
            string[] meaningful = lines.Where(l => !ClientGoNoise.IsMatch(l)).ToArray();
            if (meaningful.Length == lines.Length)
            {
                return CommandErrors.KubectlFailed.Wrap(e, e.Program);
            }
            string said = meaningful.Length > 0 ? string.Join(" ", meaningful) : lines[lines.Length - 1];
            string message = string.Format(CultureInfo.InvariantCulture, "{0} failed with exit code {1}: {2} ({3})",
                e.Program, result.ExitCode, said, result.CommandLine);
            ErrorRecord record = CommandErrors.KubectlFailed.Wrap(new NativeCommandException(e.Failure, e.Program, message, e, result), e.Program);
            record.ErrorDetails = new ErrorDetails(message) { RecommendedAction = "kubectl's full error output:" + Environment.NewLine + result.StandardError.Trim() };
            return record;
        }
    }
}
