using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using FlannelTools.Capture;

namespace FlannelTools.Fuzz
{
    /// <summary>
    /// The seed corpus, taken from tests/data: each file there that a parser reads becomes an input for that parser's
    /// target (its selector byte, then the file), and the first records of each pcap become inputs of the decoder.
    /// </summary>
    public static class SeedCorpus
    {
        /// <summary>Which target reads a file of tests/data, by its path (null: none).</summary>
        public static string TargetOf(string relativePath)
        {
            string p = relativePath.Replace('\\', '/');
            string name = Path.GetFileName(p);
            if (name.EndsWith(".md", StringComparison.Ordinal) || name.EndsWith(".sh", StringComparison.Ordinal) || name.EndsWith(".py", StringComparison.Ordinal)
                || name.EndsWith(".ll", StringComparison.Ordinal))
            {
                return null;
            }
            if (name.EndsWith(".pcapng", StringComparison.Ordinal)) return "pcapng-reader";
            if (name.EndsWith(".pcap", StringComparison.Ordinal)) return "pcap-reader";
            if (name.EndsWith(".state", StringComparison.Ordinal)) return "nodestate-document";
            if (p.StartsWith("cluster/", StringComparison.Ordinal)) return "nodes-json";
            if (p.StartsWith("nodestate/", StringComparison.Ordinal))
            {
                if (name.Contains("link") || name.Contains("addr")) return "ip-link";
                if (name.StartsWith("route-n", StringComparison.Ordinal)) return "route-n";
                if (name.StartsWith("arp", StringComparison.Ordinal)) return "arp-n";
                if (name.Contains("route")) return "ip-route";
                if (name.Contains("neigh")) return "ip-neigh";
                if (name.Contains("fdb")) return "bridge-fdb";
                if (name.EndsWith(".json", StringComparison.Ordinal)) return "nodes-json";
                return null;
            }
            if (p.StartsWith("hostlayer/nft/", StringComparison.Ordinal)) return name.StartsWith("iptables-nft-save", StringComparison.Ordinal) ? "iptables-save" : "nft-ruleset";
            if (p.StartsWith("hostlayer/iptables/", StringComparison.Ordinal)) return name.Contains("-save") ? "iptables-save" : "iptables-L";
            if (name.StartsWith("ethtool", StringComparison.Ordinal)) return "ethtool-k";
            if (name.Contains("sysctl")) return "sysctl";
            if (name.Contains("snmp")) return "snmp";
            if (name.StartsWith("ip-s-", StringComparison.Ordinal)) return "link-stats";
            if (name.StartsWith("tc-filter", StringComparison.Ordinal)) return "tc-filter";
            if (name.EndsWith(".env", StringComparison.Ordinal)) return "subnet-env";
            if (name == "net-conf.json") return "net-conf";
            if (name.StartsWith("configmaps", StringComparison.Ordinal) || name.StartsWith("kube-flannel-cfg", StringComparison.Ordinal)) return "configmap";
            if (name.EndsWith("vxlan-devices.txt", StringComparison.Ordinal)) return "ip-link";
            return null;
        }

        /// <summary>The seeds: (name, input) for every target, or for one group's targets.</summary>
        public static IEnumerable<(string Name, byte[] Input)> Seeds(string dataDirectory, string group = null)
        {
            var seeds = new List<(string, byte[])>();
            foreach (string file in Directory.EnumerateFiles(dataDirectory, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
            {
                string relative = Path.GetRelativePath(dataDirectory, file).Replace('\\', '/');
                string targetName = TargetOf(relative);
                if (targetName == null)
                {
                    continue;
                }
                byte[] body = File.ReadAllBytes(file);
                if (body.Length > 256 * 1024)
                {
                    continue;
                }
                FuzzTargets.Target target = FuzzTargets.Named(targetName);
                seeds.Add((target.Name + "." + relative.Replace('/', '_'), FuzzTargets.InputFor(target, body)));
                if (targetName == "link-stats")
                {
                    FuzzTargets.Target xdp = FuzzTargets.Named("link-xdp");
                    seeds.Add((xdp.Name + "." + relative.Replace('/', '_'), FuzzTargets.InputFor(xdp, body)));
                }
                if (targetName == "nodes-json" || targetName == "net-conf" || targetName == "configmap")
                {
                    FuzzTargets.Target json = FuzzTargets.Named("json");
                    seeds.Add((json.Name + "." + relative.Replace('/', '_'), FuzzTargets.InputFor(json, body)));
                }
                if (targetName == "nft-ruleset" || targetName == "iptables-save" || targetName == "iptables-L")
                {
                    FuzzTargets.Target text = FuzzTargets.Named("firewall-text");
                    seeds.Add((text.Name + "." + relative.Replace('/', '_'), FuzzTargets.InputFor(text, body)));
                }
                if (targetName == "pcap-reader")
                {
                    seeds.AddRange(Records(file, relative));
                }
            }
            return group == null ? seeds : seeds.Where(s => FuzzTargets.For(s.Item2).Group == group).ToList();
        }

        /// <summary>Writes the seeds into a folder, one file each; returns how many.</summary>
        public static int Write(string dataDirectory, string outDirectory, string group = null)
        {
            Directory.CreateDirectory(outDirectory);
            int n = 0;
            foreach (var (name, input) in Seeds(dataDirectory, group))
            {
                File.WriteAllBytes(Path.Combine(outDirectory, name), input);
                n++;
            }
            return n;
        }

        private static IEnumerable<(string, byte[])> Records(string file, string relative)
        {
            var seeds = new List<(string, byte[])>();
            FuzzTargets.Target decoder = FuzzTargets.Named("vxlan-decoder");
            try
            {
                using (ICaptureReader reader = CaptureFile.Open(file))
                {
                    for (int n = 0; n < 3 && reader.TryReadNext(out CapturedRecord record); n++)
                    {
                        int index = FuzzTargets.LinkTypeIndex(record.LinkType);
                        if (index < 0)
                        {
                            continue;
                        }
                        var body = new byte[record.Data.Length + 1];
                        body[0] = (byte)index;
                        record.Data.CopyTo(body.AsSpan(1));
                        seeds.Add((decoder.Name + "." + relative.Replace('/', '_') + "." + n, FuzzTargets.InputFor(decoder, body)));
                    }
                }
            }
            catch (CaptureException)
            {
                // a capture of tests/data that is meant to be broken still seeds the reader
            }
            return seeds;
        }
    }
}
