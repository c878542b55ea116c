using System.Collections.Generic;
using FlannelTools.NodeTables;

namespace FlannelTools.HostLayer.FlannelConfig
{
    // STUB: replaced by its owner.
    internal static class SubnetEnvParser
    {
        public static ParseResult<FlannelTools.SubnetEnv> Parse(IList<string> lines, TextOrigin origin, int firstLineNumber, string path) => new ParseResult<FlannelTools.SubnetEnv>();
    }
}
