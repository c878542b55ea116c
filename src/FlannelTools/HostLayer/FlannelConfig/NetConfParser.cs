using System.Collections.Generic;
using FlannelTools.NodeTables;

namespace FlannelTools.HostLayer.FlannelConfig
{
    // STUB: replaced by its owner.
    internal static class NetConfParser
    {
        /// <summary>net-conf.json text; keys case-insensitive.</summary>
        public static ParseResult<FlannelTools.FlannelNetConf> Parse(IList<string> lines, TextOrigin origin, int firstLineNumber) => new ParseResult<FlannelTools.FlannelNetConf>();
    }
}
