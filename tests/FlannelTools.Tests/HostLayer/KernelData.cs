using System;
using System.IO;
using System.Linq;
using FlannelTools.NodeTables;

namespace FlannelTools.Tests.HostLayer
{
    /// <summary>The kernel parts' real outputs in tests/data/hostlayer/kernel (made by its make.sh), found from the test assembly upwards.</summary>
    internal static class KernelData
    {
        private static readonly Lazy<string> Root = new Lazy<string>(() =>
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "data", "hostlayer", "kernel");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
            throw new DirectoryNotFoundException("tests/data/hostlayer/kernel was not found above " + AppContext.BaseDirectory);
        });

        public static string[] Lines(string file) => File.ReadAllLines(Path.Combine(Root.Value, file));

        public static TextOrigin Origin(string file) => new TextOrigin(file);

        /// <summary>Hand-typed malformed text, one line per element.</summary>
        public static string[] Typed(params string[] lines) => lines.ToArray();
    }
}
