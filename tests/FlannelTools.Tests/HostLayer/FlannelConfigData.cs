using System;
using System.IO;

namespace FlannelTools.Tests.HostLayer
{
    /// <summary>The committed files of tests/data/hostlayer/flannel (see its README), found from the test assembly upwards.</summary>
    internal static class FlannelConfigData
    {
        private static readonly Lazy<string> Root = new Lazy<string>(() =>
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "data", "hostlayer", "flannel");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
            throw new DirectoryNotFoundException("tests/data/hostlayer/flannel was not found above " + AppContext.BaseDirectory);
        });

        public static string PathOf(string name) => Path.Combine(Root.Value, name);

        public static string[] Lines(string name) => File.ReadAllLines(PathOf(name));

        public static string Text(string name) => File.ReadAllText(PathOf(name));
    }
}
