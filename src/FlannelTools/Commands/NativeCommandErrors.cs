using System.ComponentModel;
using System.Management.Automation;
using FlannelTools.Native;

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
                default:
                    return (kubectl ? CommandErrors.KubectlFailed : CommandErrors.NativeCommandFailed).Wrap(e, program);
            }
        }
    }
}
