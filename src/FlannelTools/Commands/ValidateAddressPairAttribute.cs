using System.Management.Automation;

namespace FlannelTools.Commands
{
    /// <summary>
    /// -Between takes exactly two addresses, IPv4 or IPv6, and two different ones: the outer addresses of one node pair.
    /// Anything else is a parameter error that PowerShell words with the parameter's name, before the cmdlet reads anything.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    internal sealed class ValidateAddressPairAttribute : ValidateArgumentsAttribute
    {
        private const string Example = "such as -Between 192.168.0.12,192.168.0.13";

        protected override void Validate(object arguments, EngineIntrinsics engineIntrinsics)
        {
            object value = arguments is PSObject wrapped ? wrapped.BaseObject : arguments;
            string[] texts = value as string[] ?? (value is string one ? new[] { one } : null);
            if (texts == null)
            {
                return;
            }
            if (texts.Length != 2)
            {
                throw new ValidationMetadataException(string.Format(CultureInfo.InvariantCulture,
                    "{0} address{1} given ({2}): give exactly two, the outer addresses of one node pair, {3}.",
                    texts.Length, texts.Length == 1 ? "" : "es", string.Join(", ", texts), Example));
            }
            foreach (string text in texts)
            {
                if (!IpAddressValue.TryParse(text, out _))
                {
                    throw new ValidationMetadataException("'" + text + "' is not an IPv4 or IPv6 address: give the outer addresses of one node pair, " + Example + ".");
                }
            }
            if (Parse(texts)[0].Equals(Parse(texts)[1]))
            {
                throw new ValidationMetadataException("The same address twice (" + texts[0] + ", " + texts[1] + "): give the two different outer addresses of one node pair, " + Example + ".");
            }
        }

        /// <summary>The two addresses of a value this attribute let through; none for no value.</summary>
        internal static IpAddressValue[] Parse(string[] texts) =>
            (texts ?? Array.Empty<string>()).Select(t => IpAddressValue.TryParse(t, out IpAddressValue a) ? a : throw new ArgumentException("'" + t + "' is not an address.")).ToArray();
    }
}
