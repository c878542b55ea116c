using System.Collections.Generic;
using FlannelTools.NodeTables;

namespace FlannelTools.HostLayer.Firewall
{
    // STUB: replaced by its owner.
    internal static class NftRuleText
    {
        public static ParsedRule Parse(string text) => new ParsedRule { Text = text, Unjudgeable = "not implemented" };
    }
}
