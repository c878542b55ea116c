using System.IO;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace FlannelTools.Commands
{
    /// <summary>
    /// A file given where a name is expected: <c>Get-FlannelNode nodes.json</c>, <c>Get-FlannelFdb good.fdb</c>. Position 0
    /// of those cmdlets is a name (-Name, -Device), as Get-Process's is; a value bound there by position that names an
    /// existing file is taken for a mistake, and refused before kubectl or iproute2 runs. The same value given with the
    /// parameter's name (-Name nodes.json) is a name, and is left alone.
    /// </summary>
    internal static class PositionalFileCheck
    {
        /// <summary>The error for the first value of <paramref name="parameterName"/> that was bound by position and names an existing file; else null.</summary>
        public static ErrorRecord Check(PSCmdlet cmdlet, string parameterName, IEnumerable<string> values, string nameIs)
        {
            if (values == null || !IsPositional(cmdlet.MyInvocation, parameterName))
            {
                return null;
            }
            foreach (string value in values)
            {
                if (string.IsNullOrEmpty(value) || WildcardPattern.ContainsWildcardCharacters(value))
                {
                    continue;
                }
                string path;
                try
                {
                    path = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(value);
                }
                catch (Exception e) when (e is ItemNotFoundException || e is System.Management.Automation.DriveNotFoundException || e is ProviderNotFoundException ||
                    e is NotSupportedException || e is ArgumentException || e is PSInvalidOperationException)
                {
                    continue;
                }
                if (File.Exists(path))
                {
                    string command = cmdlet.MyInvocation.MyCommand.Name;
                    return CommandErrors.FileGivenAsName.Record(value, string.Format(CultureInfo.InvariantCulture,
                        "'{0}' is a file, and the first position of {1} is -{2}, {3}: use -Path {0} to read the file, or -{2} {0} for that name.",
                        value, command, parameterName, nameIs));
                }
            }
            return null;
        }

        /// <summary>
        /// Whether the command line gave the parameter its value by position: it is bound, and no element of the command
        /// names it (-Name, an alias, or a prefix that resolves to it). A command whose text cannot be read (run through
        /// the PowerShell API) or that splats arguments is taken as naming it: nothing is refused on a guess.
        /// </summary>
        internal static bool IsPositional(InvocationInfo invocation, string parameterName)
        {
            // InvocationInfo.Statement (the command's own text) is newer than the reference assemblies this is built against.
            string statement = invocation == null ? null : PSObject.AsPSObject(invocation).Properties["Statement"]?.Value as string;
            if (invocation == null || !invocation.BoundParameters.ContainsKey(parameterName) || string.IsNullOrWhiteSpace(statement))
            {
                return false;
            }
            if (!(Parser.ParseInput(statement, out _, out _).Find(a => a is CommandAst, searchNestedScriptBlocks: true) is CommandAst command))
            {
                return false;
            }
            foreach (CommandElementAst element in command.CommandElements.Skip(1))
            {
                if (element is VariableExpressionAst variable && variable.Splatted)
                {
                    return false;
                }
                if (element is CommandParameterAst parameter &&
                    string.Equals(Resolve(parameter.ParameterName, invocation.MyCommand.Parameters), parameterName, StringComparison.OrdinalIgnoreCase))
                {
                    return false;
                }
            }
            return true;
        }

        /// <summary>The parameter a name on the command line binds: the one with that name or alias, else the only one it begins.</summary>
        private static string Resolve(string given, IDictionary<string, ParameterMetadata> parameters)
        {
            var begun = new List<string>();
            foreach (ParameterMetadata p in parameters.Values)
            {
                IEnumerable<string> names = new[] { p.Name }.Concat(p.Aliases);
                if (names.Any(n => string.Equals(n, given, StringComparison.OrdinalIgnoreCase)))
                {
                    return p.Name;
                }
                if (names.Any(n => n.StartsWith(given, StringComparison.OrdinalIgnoreCase)))
                {
                    begun.Add(p.Name);
                }
            }
            return begun.Count == 1 ? begun[0] : null;
        }
    }
}
