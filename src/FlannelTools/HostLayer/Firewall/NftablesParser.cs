using System.Collections.Generic;
using FlannelTools.NodeTables;

namespace FlannelTools.HostLayer.Firewall
{
    // STUB: replaced by its owner.
    internal static class NftablesParser
    {
        /// <summary><c>nft -j list ruleset</c> (JSON) or <c>nft list ruleset</c> (text), told apart by the content.</summary>
        public static FirewallParseResult Parse(IList<string> lines, TextOrigin origin, int firstLineNumber) => new FirewallParseResult { Backend = FlannelTools.FirewallBackend.Nftables };
    }
}
