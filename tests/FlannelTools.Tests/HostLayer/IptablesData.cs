using System;
using System.IO;
using FlannelTools.HostLayer.Firewall;
using FlannelTools.NodeTables;

namespace FlannelTools.Tests.HostLayer
{
    /// <summary>The iptables outputs captured by tests/data/hostlayer/iptables/make.sh, found from the test assembly upwards.</summary>
    internal static class IptablesData
    {
        private static readonly Lazy<string> Root = new Lazy<string>(() =>
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "data", "hostlayer", "iptables");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
            throw new DirectoryNotFoundException("tests/data/hostlayer/iptables was not found above " + AppContext.BaseDirectory);
        });

        public static string[] Lines(string name) => File.ReadAllLines(Path.Combine(Root.Value, name + ".txt"));

        /// <summary>Parses a captured file as the collector's section would: family and backend as the command names them (null: from the text).</summary>
        public static FirewallParseResult Parse(string name, string family = "ip", string backend = null) =>
            IptablesSaveParser.Parse(Lines(name), new TextOrigin(name), 1, family, backend);
    }
}
