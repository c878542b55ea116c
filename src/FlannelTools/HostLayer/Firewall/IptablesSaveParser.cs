using System.Collections.Generic;
using FlannelTools.NodeTables;

namespace FlannelTools.HostLayer.Firewall
{
    // STUB: replaced by its owner.
    internal static class IptablesSaveParser
    {
        /// <summary><c>iptables-save -c</c> text of one family (ip or ip6); backend null means: tell it from the header.</summary>
        public static FirewallParseResult Parse(IList<string> lines, TextOrigin origin, int firstLineNumber, string family, string backend) => new FirewallParseResult { Backend = backend };
    }
}
