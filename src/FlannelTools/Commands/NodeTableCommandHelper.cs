using System.Management.Automation;
using System.Runtime.InteropServices;

namespace FlannelTools.Commands
{
    /// <summary>What the cmdlets that read node tables share: live reading and its checks, problems as warnings, native errors.</summary>
    internal static class NodeTableCommandHelper
    {
        public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(30);

        /// <summary>Ends the cmdlet when the local kernel's tables cannot be read: not Linux, or iproute2 missing.</summary>
        public static void AssertLiveModeAvailable(PSCmdlet cmdlet, params string[] programs)
        {
            ErrorRecord unavailable = LiveModeUnavailable(cmdlet, programs);
            if (unavailable != null)
            {
                cmdlet.ThrowTerminatingError(unavailable);
            }
        }

        /// <summary>Why the local kernel's tables cannot be read (not Linux, or iproute2 missing), or null when they can.</summary>
        public static ErrorRecord LiveModeUnavailable(PSCmdlet cmdlet, params string[] programs)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return CommandErrors.LiveModeNotSupported.Record(null,
                    cmdlet.MyInvocation.MyCommand.Name + " reads the local kernel's tables on Linux only. On this system, use -Path with the output of " +
                    "collect-flannel-state.sh (or bridge fdb show) printed on the node.");
            }
            foreach (string program in programs)
            {
                if (NativeCommand.Find(program) == null)
                {
                    return CommandErrors.IprouteNotFound.Record(program,
                        "'" + program + "' (iproute2) was not found on PATH or in the system folders, so the local tables cannot be read. " + WhenMissing);
                }
            }
            return null;
        }

        /// <summary>
        /// Reads the local node's tables live through iproute2 into <paramref name="builder"/>. A command that fails is a
        /// non-terminating error and the state is built from the others; iproute2 missing or not on Linux ends the cmdlet
        /// (or, not <paramref name="terminating"/>, is an error written for the caller to go on from).
        /// Null when the cmdlet was stopped, or (not <paramref name="terminating"/>) after writing the error that stopped it. The builder's parse problems are left to the caller. With
        /// <paramref name="hostLayer"/>, the host layer too (the collector's host sections), for the cmdlets that show or check it.
        /// </summary>
        public static NodeState ReadLiveState(PSCmdlet cmdlet, NodeStateBuilder builder, string hostName, CancellationToken cancellation,
            bool hostLayer, string subnetEnvPath = null, string netConfPath = null, bool terminating = true)
        {
            void Fail(ErrorRecord error)
            {
                if (terminating)
                {
                    cmdlet.ThrowTerminatingError(error);
                }
                cmdlet.WriteError(error);
            }
            ErrorRecord unavailable = LiveModeUnavailable(cmdlet, "ip", "bridge");
            if (unavailable != null)
            {
                Fail(unavailable);
                return null;
            }
            var failures = new List<NativeCommandResult>();
            NodeState state;
            try
            {
                if (hostLayer)
                {
                    NodeStateReader.ReadLiveHostLayer(builder, subnetEnvPath, netConfPath, CommandTimeout, cancellation);
                }
                state = NodeStateReader.ReadLive(builder, failures, CommandTimeout, cancellation, hostName);
            }
            catch (NativeCommandException e) when (e.Failure == NativeCommandFailure.Cancelled)
            {
                return null;
            }
            catch (NativeCommandException e)
            {
                Fail(FromNative(e));
                return null;
            }
            foreach (NativeCommandResult failure in failures)
            {
                cmdlet.WriteError(FromFailure(failure));
            }
            return state;
        }

        public static void WriteProblems(PSCmdlet cmdlet, IEnumerable<ParseProblem> problems)
        {
            foreach (ParseProblem problem in problems)
            {
                if (problem.IsNote)
                {
                    cmdlet.WriteVerbose(problem.ToString());
                }
                else
                {
                    cmdlet.WriteWarning(problem.ToString());
                }
            }
        }

        public static void WriteCounts(PSCmdlet cmdlet, string origin, int read, int skipped, int entries, string what)
        {
            cmdlet.WriteVerbose(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "{0}: {1} lines read, {2} skipped, {3} {4}.", origin, read, skipped, entries, what));
        }

        /// <summary>What iproute2 should be told to do when it is not installed.</summary>
        private const string WhenMissing = "Install iproute2, or use -Path with the output of collect-flannel-state.sh printed on the node.";

        public static ErrorRecord FromNative(NativeCommandException e) => NativeCommandErrors.For(e, WhenMissing);

        /// <summary>A command that ran and exited with an error.</summary>
        public static ErrorRecord FromFailure(NativeCommandResult failure) =>
            FromNative(new NativeCommandException(NativeCommandFailure.ExitedWithError, failure.Program, failure.FailureMessage, result: failure));
    }
}
