using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using System.Threading.Tasks;

namespace FlannelTools.Native
{
    /// <summary>What a finished native command printed and returned.</summary>
    internal sealed record NativeCommandResult(string CommandLine, int ExitCode, string StandardOutput, string StandardError)
    {
        /// <summary>The program's name (kubectl, ip), from the command line.</summary>
        public string Program => Path.GetFileName(CommandLine.Split(' ')[0]);

        /// <summary>What a failed command said: the program, its exit code, its standard error and the command line.</summary>
        public string FailureMessage =>
            string.Format(CultureInfo.InvariantCulture, "{0} failed with exit code {1}: {2} ({3})", Program, ExitCode,
                string.IsNullOrWhiteSpace(StandardError) ? "it printed no error message" : StandardError.Trim(), CommandLine);

        /// <summary>The standard output of a command that exited with 0.</summary>
        /// <exception cref="NativeCommandException">It exited with another code (<see cref="NativeCommandFailure.ExitedWithError"/>).</exception>
        public string Output() =>
            ExitCode == 0 ? StandardOutput : throw new NativeCommandException(NativeCommandFailure.ExitedWithError, Program, FailureMessage, result: this);
    }

    internal enum NativeCommandFailure
    {
        /// <summary>The program is not installed (not on PATH nor in the usual system folders).</summary>
        NotFound,
        /// <summary>It did not finish in time and was ended.</summary>
        TimedOut,
        /// <summary>The caller cancelled (Ctrl+C) and the child was ended.</summary>
        Cancelled,
        /// <summary>It could not be started.</summary>
        StartFailed,
        /// <summary>It ran and exited with an error: <see cref="NativeCommandException.Result"/> holds its exit code and standard error.</summary>
        ExitedWithError,
    }

    /// <summary>A native command that failed: not found, not started, timed out, cancelled, or exited with an error.</summary>
    internal sealed class NativeCommandException : Exception
    {
        public NativeCommandException(NativeCommandFailure failure, string program, string message, Exception inner = null, NativeCommandResult result = null)
            : base(message, inner)
        {
            Failure = failure;
            Program = Path.GetFileName(program);
            Result = result;
        }

        public NativeCommandFailure Failure { get; }

        /// <summary>The program's name, as it was asked for (kubectl, ip).</summary>
        public string Program { get; }

        /// <summary>What the command printed and returned, when it ran (<see cref="NativeCommandFailure.ExitedWithError"/>); else null.</summary>
        public NativeCommandResult Result { get; }

        /// <summary>The exit code of a command that ran (<see cref="NativeCommandFailure.ExitedWithError"/>); else null.</summary>
        public int? ExitCode => Result?.ExitCode;
    }

    /// <summary>
    /// Runs a program by absolute path with an argument list (never a shell string), LC_ALL=C, a timeout,
    /// and cancellation that ends the child, and returns its exit code, output and error output.
    /// </summary>
    internal static class NativeCommand
    {
        private static readonly string[] SystemFolders = { "/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin" };

        // The system folders are a fallback for the administration tools (ip, bridge, nft, …) that a user's PATH often leaves
        // out; kubectl is the user's own, found through PATH only, as a shell finds it.
        private static readonly string[] PathOnlyPrograms = { "kubectl" };

        /// <summary>Where <see cref="Find"/> looks for the program, in words for an error message.</summary>
        public static string SearchedPlaces(string program) =>
            Array.IndexOf(PathOnlyPrograms, program) >= 0 ? "on PATH" : "on PATH or in the system folders";

        // ProcessStartInfo.ArgumentList exists on .NET Core 2.1 and later, not in netstandard2.0's surface.
        private static readonly PropertyInfo ArgumentListProperty = typeof(ProcessStartInfo).GetProperty("ArgumentList");

        /// <summary>The absolute path of a program found on PATH or, except for kubectl, in the system folders; or null.</summary>
        public static string Find(string program)
        {
            if (Path.IsPathRooted(program))
            {
                return File.Exists(program) ? program : null;
            }
            bool windows = Path.DirectorySeparatorChar == '\\';
            IEnumerable<string> folders = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
                .Split(new[] { Path.PathSeparator }, StringSplitOptions.RemoveEmptyEntries);
            if (!windows && Array.IndexOf(PathOnlyPrograms, program) < 0)
            {
                folders = folders.Concat(SystemFolders);
            }
            string[] names = windows && !program.EndsWith(".exe", StringComparison.OrdinalIgnoreCase) ? new[] { program + ".exe", program } : new[] { program };
            foreach (string folder in folders)
            {
                foreach (string name in names)
                {
                    string candidate = Path.Combine(folder.Trim(), name);
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }
            }
            return null;
        }

        /// <summary>
        /// Runs the program and waits for it. <paramref name="standardInput"/> is written to its standard input (UTF-8, no BOM),
        /// which is then closed; without it, standard input is closed at once. A program that exits before reading all of it
        /// (ssh that cannot connect) is not an error here: its exit code says what happened.
        /// </summary>
        /// <exception cref="NativeCommandException">Not found, not started, timed out, or cancelled.</exception>
        public static NativeCommandResult Run(string program, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellation,
            IDictionary<string, string> environment = null, string standardInput = null)
        {
            string path = Find(program) ?? throw new NativeCommandException(NativeCommandFailure.NotFound, program, "'" + program + "' was not found " + SearchedPlaces(program) + ".");
            string commandLine = path + " " + string.Join(" ", arguments.Select(Quote));
            var startInfo = new ProcessStartInfo(path)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                CreateNoWindow = true,
                StandardOutputEncoding = Encoding.UTF8,
                StandardErrorEncoding = Encoding.UTF8,
            };
            if (ArgumentListProperty?.GetValue(startInfo) is Collection<string> list)
            {
                foreach (string argument in arguments)
                {
                    list.Add(argument);
                }
            }
            else
            {
                startInfo.Arguments = string.Join(" ", arguments.Select(Quote));
            }
            startInfo.EnvironmentVariables["LC_ALL"] = "C";
            if (environment != null)
            {
                foreach (KeyValuePair<string, string> variable in environment)
                {
                    startInfo.EnvironmentVariables[variable.Key] = variable.Value;
                }
            }

            using (var process = new Process { StartInfo = startInfo })
            {
                var output = new StringBuilder();
                var error = new StringBuilder();
                process.OutputDataReceived += (s, e) => { if (e.Data != null) { lock (output) { output.Append(e.Data).Append('\n'); } } };
                process.ErrorDataReceived += (s, e) => { if (e.Data != null) { lock (error) { error.Append(e.Data).Append('\n'); } } };
                try
                {
                    process.Start();
                }
                catch (Win32Exception e)
                {
                    throw new NativeCommandException(NativeCommandFailure.StartFailed, program, "Could not start " + commandLine + ": " + e.Message, e);
                }
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
                Task writing = standardInput == null ? null : Task.Run(() => WriteInput(process, standardInput));
                if (writing == null)
                {
                    process.StandardInput.Close();
                }
                Stopwatch elapsed = Stopwatch.StartNew();
                while (!process.WaitForExit(50))
                {
                    if (cancellation.IsCancellationRequested || elapsed.Elapsed > timeout)
                    {
                        End(process);
                        throw cancellation.IsCancellationRequested
                            ? new NativeCommandException(NativeCommandFailure.Cancelled, program, commandLine + " was stopped.")
                            : new NativeCommandException(NativeCommandFailure.TimedOut, program, commandLine + " did not finish within " + timeout.TotalSeconds + " s and was ended.");
                    }
                }
                process.WaitForExit(); // drains the asynchronous readers
                writing?.Wait();
                lock (output)
                {
                    lock (error)
                    {
                        return new NativeCommandResult(commandLine, process.ExitCode, output.ToString(), error.ToString().TrimEnd());
                    }
                }
            }
        }

        // On its own thread, so that a program that writes much before it reads all its input cannot block the wait for it.
        private static void WriteInput(Process process, string text)
        {
            try
            {
                using (var input = new StreamWriter(process.StandardInput.BaseStream, new UTF8Encoding(false)))
                {
                    input.NewLine = "\n";
                    input.Write(text);
                }
            }
            catch (IOException)
            {
                // the program exited, or closed its input, before reading it all (a broken pipe)
            }
            catch (ObjectDisposedException)
            {
                // ended (timed out, cancelled) meanwhile
            }
        }

        private static void End(Process process)
        {
            try
            {
                process.Kill();
                process.WaitForExit(2000);
            }
            catch (InvalidOperationException)
            {
                // it ended on its own meanwhile
            }
        }

        /// <summary>Quotes an argument as the .NET runtime splits a command line (and as it is shown in messages).</summary>
        internal static string Quote(string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '"', '\'' }) < 0)
            {
                return argument;
            }
            var quoted = new StringBuilder("\"");
            int backslashes = 0;
            foreach (char c in argument)
            {
                if (c == '\\')
                {
                    backslashes++;
                    continue;
                }
                quoted.Append('\\', c == '"' ? backslashes * 2 + 1 : backslashes);
                backslashes = 0;
                quoted.Append(c);
            }
            quoted.Append('\\', backslashes * 2).Append('"');
            return quoted.ToString();
        }
    }
}
