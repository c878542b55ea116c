using System.Collections.Generic;
using FlannelTools.NodeTables;

namespace FlannelTools.HostLayer.Kernel
{
    // STUB: replaced by its owner.
    internal static class TcFilterParser
    {
        public static ParseResult<FlannelTools.PreStackProgram> Parse(IList<string> lines, TextOrigin origin, int firstLineNumber, string device, string direction) => new ParseResult<FlannelTools.PreStackProgram>();
    }
}
