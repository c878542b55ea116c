using System;
using System.IO;
using FlannelTools.HostLayer.Firewall;
using FlannelTools.NodeTables;

namespace FlannelTools.Tests.HostLayer
{
    /// <summary>The real nft output in tests/data/hostlayer/nft (see its README for the commands that made each file).</summary>
    internal static class NftData
    {
        private static readonly Lazy<string> Root = new Lazy<string>(() =>
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "data", "hostlayer", "nft");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
            throw new DirectoryNotFoundException("tests/data/hostlayer/nft was not found above " + AppContext.BaseDirectory);
        });

        public static string[] Lines(string file) => File.ReadAllLines(Path.Combine(Root.Value, file));

        public static FirewallParseResult Read(string file) => NftablesParser.Parse(Lines(file), new TextOrigin(file), 1);
    }
}
