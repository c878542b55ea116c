using System.Collections.Generic;
using FlannelTools.NodeTables;

namespace FlannelTools.HostLayer.Kernel
{
    // STUB: replaced by its owner.
    internal static class EthtoolParser
    {
        public static ParseResult<FlannelTools.Offload> Parse(IList<string> lines, TextOrigin origin, int firstLineNumber, string device) => new ParseResult<FlannelTools.Offload>();
    }
}
