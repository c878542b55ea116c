using System.Management.Automation;

namespace FlannelTools.Commands
{
    /// <summary>
    /// Refuses a TimeSpan of zero or less, as ValidateRange(1, …) refuses a count (ValidateRange cannot take a TimeSpan).
    /// It runs after <see cref="SecondsToTimeSpanAttribute"/>, so -Duration 0 and -Duration -5 are refused too; PowerShell's
    /// error then names the parameter.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class ValidatePositiveDurationAttribute : ValidateArgumentsAttribute
    {
        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            if (value is TimeSpan duration && duration <= TimeSpan.Zero)
            {
                throw new ValidationMetadataException(string.Format(CultureInfo.InvariantCulture,
                    "The duration {0} is not more than 0 seconds: give how long to capture, such as -Duration 10 (seconds) or -Duration 00:05:00.",
                    duration));
            }
        }
    }
}
