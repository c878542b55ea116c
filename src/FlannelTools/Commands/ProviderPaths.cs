using System.Collections.Generic;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;

namespace FlannelTools.Commands
{
    /// <summary>-Path (wildcards) and -LiteralPath resolved through the PowerShell provider to file-system paths.</summary>
    internal static class ProviderPaths
    {
        /// <summary>Resolves each path; a path that resolves to nothing, or not to the file system, is written as an error and skipped.</summary>
        public static IEnumerable<string> Resolve(PSCmdlet cmdlet, IEnumerable<string> paths, bool literal)
        {
            foreach (string path in paths)
            {
                List<string> resolved = new List<string>();
                try
                {
                    ProviderInfo provider;
                    if (literal)
                    {
                        resolved.Add(cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _));
                    }
                    else
                    {
                        resolved.AddRange(cmdlet.SessionState.Path.GetResolvedProviderPathFromPSPath(path, out provider));
                    }
                    if (provider.ImplementingType != typeof(FileSystemProvider))
                    {
                        cmdlet.WriteError(CommandErrors.InvalidArgument("PathNotFileSystem", path,
                            "The path '" + path + "' is on the " + provider.Name + " provider; captures and node outputs are read from the file system."));
                        continue;
                    }
                }
                catch (ItemNotFoundException e)
                {
                    cmdlet.WriteError(new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, path));
                    continue;
                }
                catch (DriveNotFoundException e)
                {
                    cmdlet.WriteError(new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, path));
                    continue;
                }
                catch (ProviderNotFoundException e)
                {
                    cmdlet.WriteError(new ErrorRecord(e, "PathNotFound", ErrorCategory.ObjectNotFound, path));
                    continue;
                }
                foreach (string file in resolved)
                {
                    yield return file;
                }
            }
        }
    }
}
