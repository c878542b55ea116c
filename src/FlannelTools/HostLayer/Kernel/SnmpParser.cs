using System.Collections.Generic;
using FlannelTools.NodeTables;

namespace FlannelTools.HostLayer.Kernel
{
    // STUB: replaced by its owner.
    internal static class SnmpParser
    {
        public static ParseResult<FlannelTools.NetCounter> Parse(IList<string> lines, TextOrigin origin, int firstLineNumber) => new ParseResult<FlannelTools.NetCounter>();
    }
}
