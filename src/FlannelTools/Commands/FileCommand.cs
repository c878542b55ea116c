using System.Management.Automation;
using Microsoft.PowerShell.Commands;

namespace FlannelTools.Commands
{
    /// <summary>
    /// A cmdlet that reads files named by -Path (wildcards) or -LiteralPath, resolved through the PowerShell provider
    /// to file-system paths. Each cmdlet declares -Path itself (what its files hold, and its position and pipeline
    /// binding); -LiteralPath and the resolving are the same for all.
    /// </summary>
    public abstract class FileCommand : PSCmdlet, IDisposable
    {
        protected const string PathSet = "Path";
        protected const string LiteralPathSet = "LiteralPath";

        private readonly StopSignal _stop = new StopSignal();

        /// <summary>Files to read; wildcards are expanded.</summary>
        public abstract string[] Path { get; set; }

        /// <summary>The files to read (as -Path describes them), taken exactly as written: no wildcards. Binds from the pipeline by property name (PSPath), so Get-ChildItem output can be piped in.</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiteralPathSet, ValueFromPipelineByPropertyName = true)]
        [Alias("PSPath", "LP")]
        [ValidateNotNullOrEmpty]
        public string[] LiteralPath { get; set; }

        /// <summary>Cancelled when the pipeline is stopped (Ctrl+C): native commands are ended and loops stop.</summary>
        protected CancellationToken Cancellation => _stop.Token;

        protected bool IsStopping => _stop.IsStopping;

        private bool _recordReceived;

        /// <summary>Called first in ProcessRecord: PowerShell calls ProcessRecord once per piped object, and never for an empty pipeline.</summary>
        protected void RecordReceived() => _recordReceived = true;

        /// <summary>
        /// Warns once when input was piped and none came (<c>@() | Cmdlet</c>, a Where-Object that kept nothing): ProcessRecord
        /// never ran, so nothing was read. EndProcessing calls it; a cmdlet that overrides EndProcessing calls the base first.
        /// </summary>
        protected override void EndProcessing() => WarnIfNothingPiped(this, _recordReceived, IsStopping);

        /// <summary>The warning of an empty pipeline, for cmdlets that are not FileCommands too.</summary>
        internal static void WarnIfNothingPiped(PSCmdlet cmdlet, bool recordReceived, bool stopping)
        {
            if (cmdlet.MyInvocation.ExpectingInput && !recordReceived && !stopping)
            {
                cmdlet.WriteWarning("Nothing was piped to " + cmdlet.MyInvocation.MyCommand.Name + ": the pipeline ended without any input, so nothing was read.");
            }
        }

        protected override void StopProcessing() => _stop.Stop();

        public void Dispose() => _stop.Dispose();

        /// <summary>True when this invocation reads files (-Path or -LiteralPath), not the cmdlet's other input.</summary>
        protected bool ReadsFiles => ParameterSetName == PathSet || ParameterSetName == LiteralPathSet;

        /// <summary>
        /// The files of -Path or -LiteralPath, resolved; a path that resolves to nothing, to a directory or off the file
        /// system is written as an error and skipped. Stops early when the cmdlet is stopped.
        /// </summary>
        protected IEnumerable<string> ResolvedFiles()
        {
            bool literal = ParameterSetName == LiteralPathSet;
            return ResolveFiles(literal ? LiteralPath : Path, literal);
        }

        /// <summary>Resolves paths as <see cref="ResolvedFiles"/> does, for paths that come another way (a piped item's PSPath).</summary>
        protected IEnumerable<string> ResolveFiles(IEnumerable<string> paths, bool literal)
        {
            foreach (string path in paths)
            {
                if (IsStopping)
                {
                    yield break;
                }
                List<string> resolved = new List<string>();
                try
                {
                    ProviderInfo provider;
                    if (literal)
                    {
                        resolved.Add(SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _));
                    }
                    else
                    {
                        resolved.AddRange(SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider));
                    }
                    if (provider.ImplementingType != typeof(FileSystemProvider))
                    {
                        WriteFileError(CommandErrors.PathNotFileSystem.Record(path,
                            "The path '" + path + "' is on the " + provider.Name + " provider; captures and node outputs are read from the file system."));
                        continue;
                    }
                }
                catch (Exception e) when (e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException)
                {
                    WriteFileError(CommandErrors.PathNotFound.Wrap(e, path));
                    continue;
                }
                foreach (string file in resolved)
                {
                    if (IsStopping)
                    {
                        yield break;
                    }
                    if (Directory.Exists(file))
                    {
                        WriteFileError(CommandErrors.PathIsDirectory.Record(file, "'" + file + "' is a directory, not a file."));
                        continue;
                    }
                    if (!File.Exists(file))
                    {
                        WriteFileError(CommandErrors.PathNotFound.Wrap(new ItemNotFoundException("Cannot find path '" + file + "' because it does not exist."), file));
                        continue;
                    }
                    yield return file;
                }
            }
        }

        /// <summary>How many paths <see cref="ResolveFiles"/> has written an error for, so a cmdlet can tell every input was read.</summary>
        protected int PathErrors { get; private set; }

        private void WriteFileError(ErrorRecord error)
        {
            PathErrors++;
            WriteError(error);
        }

        /// <summary>A file's lines, or null after writing the error when it cannot be read.</summary>
        protected string[] ReadAllLines(string file) => Read(file, File.ReadAllLines);

        /// <summary>A file's text, or null after writing the error when it cannot be read.</summary>
        protected string ReadAllText(string file) => Read(file, File.ReadAllText);

        private T Read<T>(string file, Func<string, T> read) where T : class
        {
            try
            {
                return read(file);
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                WriteFileError(CommandErrors.PathNotFound.Wrap(e, file));
                return null;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                WriteError(CommandErrors.FileReadFailed.Wrap(e, file));
                return null;
            }
        }
    }
}
