using System.Collections.Generic;
using FlannelTools.NodeTables;

namespace FlannelTools.HostLayer.Kernel
{
    // STUB: replaced by its owner.
    internal static class SysctlParser
    {
        public static ParseResult<FlannelTools.Sysctl> Parse(IList<string> lines, TextOrigin origin, int firstLineNumber) => new ParseResult<FlannelTools.Sysctl>();
    }
}
