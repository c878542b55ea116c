using System;
using System.IO;

namespace FlannelTools.Tests.NodeTables
{
    /// <summary>The committed lab snapshots in tests/data/nodestate, found from the test assembly upwards.</summary>
    internal static class NodeStateData
    {
        private static readonly Lazy<string> Root = new Lazy<string>(() =>
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "data", "nodestate");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
            throw new DirectoryNotFoundException("tests/data/nodestate was not found above " + AppContext.BaseDirectory);
        });

        public static string PathOf(string relative) => Path.Combine(Root.Value, relative);

        public static string[] Lines(string relative) => File.ReadAllLines(PathOf(relative));

        public static string Text(string relative) => File.ReadAllText(PathOf(relative));
    }
}
