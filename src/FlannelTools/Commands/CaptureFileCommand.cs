using System.Management.Automation;

namespace FlannelTools.Commands
{
    /// <summary>A cmdlet that reads capture files: -Path is its first position and takes paths from the pipeline.</summary>
    public abstract class CaptureFileCommand : FileCommand
    {
        /// <summary>Capture files to read; wildcards are expanded.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public sealed override string[] Path { get; set; }
    }
}
