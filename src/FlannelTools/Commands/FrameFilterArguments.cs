using System;
using System.Collections.Generic;
using System.Management.Automation;
using FlannelTools.Addressing;
using FlannelTools.Decoding;

namespace FlannelTools.Commands
{
    /// <summary>The -Vni, -HostAddress and -InnerAddress of the cmdlets that read VXLAN frames, made into a FrameFilter.</summary>
    internal static class FrameFilterArguments
    {
        /// <summary>An address that does not parse stops the cmdlet with InvalidAddress: nothing it would output is right.</summary>
        public static FrameFilter Create(PSCmdlet cmdlet, int[] vni, string[] hostAddress, string[] innerAddress) =>
            new FrameFilter(vni, ParseAddresses(cmdlet, hostAddress, "HostAddress"), ParseAddresses(cmdlet, innerAddress, "InnerAddress"));

        private static List<IpAddressValue> ParseAddresses(PSCmdlet cmdlet, string[] texts, string parameterName)
        {
            var addresses = new List<IpAddressValue>();
            foreach (string text in texts ?? Array.Empty<string>())
            {
                if (!IpAddressValue.TryParse(text, out IpAddressValue address))
                {
                    cmdlet.ThrowTerminatingError(CommandErrors.InvalidArgument("InvalidAddress", text,
                        "-" + parameterName + ": '" + text + "' is not an IPv4 or IPv6 address."));
                }
                addresses.Add(address);
            }
            return addresses;
        }
    }
}
