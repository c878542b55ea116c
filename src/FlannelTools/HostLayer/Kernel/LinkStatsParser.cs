using System.Collections.Generic;
using FlannelTools.NodeTables;

namespace FlannelTools.HostLayer.Kernel
{
    // STUB: replaced by its owner.
    internal static class LinkStatsParser
    {
        public static ParseResult<FlannelTools.NetCounter> ParseCounters(IList<string> lines, TextOrigin origin, int firstLineNumber) => new ParseResult<FlannelTools.NetCounter>();
        public static ParseResult<FlannelTools.PreStackProgram> ParseXdp(IList<string> lines, TextOrigin origin, int firstLineNumber) => new ParseResult<FlannelTools.PreStackProgram>();
    }
}
