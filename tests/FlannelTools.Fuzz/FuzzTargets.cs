using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using FlannelTools.Capture;
using FlannelTools.Cluster;
using FlannelTools.Decoding;
using FlannelTools.HostLayer;
using FlannelTools.HostLayer.Firewall;
using FlannelTools.HostLayer.FlannelConfig;
using FlannelTools.HostLayer.Kernel;
using FlannelTools.Json;
using FlannelTools.NodeTables;

namespace FlannelTools.Fuzz
{
    /// <summary>
    /// The parsers a fuzz input can reach. The input's first byte picks the target (modulo <see cref="All"/>'s count);
    /// the rest is the target's input. Each target catches only its parser's documented failure (CaptureException for
    /// the capture readers, FormatException for the JSON parsers); anything else escapes and is a crash.
    /// </summary>
    public static class FuzzTargets
    {
        /// <summary>One parser: its name, its group (one afl run each), and what it does with the bytes after the selector.</summary>
        public sealed class Target
        {
            internal Target(string name, string group, Action<byte[]> run)
            {
                Name = name;
                Group = group;
                Run = run;
            }

            public string Name { get; }

            public string Group { get; }

            internal Action<byte[]> Run { get; }

            /// <summary>Its index in <see cref="All"/>: the first byte of an input for it.</summary>
            public byte Selector => (byte)Array.IndexOf(All, this);

            public override string ToString() => Name;
        }

        public const string Decoder = "decoder";
        public const string Capture = "capture";
        public const string NodeState = "nodestate";
        public const string Host = "hostlayer";

        public static readonly string[] Groups = { Decoder, Capture, NodeState, Host };

        private static readonly int[] LinkTypes = { 1, 101, 113, 276, 0, 228, 229, 12, 14, 147 };

        public static readonly Target[] All =
        {
            new Target("vxlan-decoder", Decoder, DecodeFrame),
            new Target("pcap-reader", Capture, bytes => ReadCapture(bytes, pcapng: false)),
            new Target("pcapng-reader", Capture, bytes => ReadCapture(bytes, pcapng: true)),
            new Target("nodestate-document", NodeState, bytes => NodeStateReader.ReadDocument(Lines(bytes), Origin, new NodeStateBuilder()).ToString()),
            new Target("ip-link", NodeState, bytes => Build(b => b.AddLinks(Lines(bytes), Origin))),
            new Target("ip-route", NodeState, bytes => Build(b => b.AddRoutes(Lines(bytes), Origin))),
            new Target("ip-neigh", NodeState, bytes => Build(b => b.AddNeighbors(Lines(bytes), Origin))),
            new Target("bridge-fdb", NodeState, bytes => Build(b => b.AddFdb(Lines(bytes), Origin, 1, "flannel.1"))),
            new Target("route-n", NodeState, bytes => Touch(NetToolsParser.ParseRoutes(Lines(bytes), Origin))),
            new Target("arp-n", NodeState, bytes => Touch(NetToolsParser.ParseNeighbors(Lines(bytes), Origin))),
            new Target("nodes-json", NodeState, bytes => Documented<FormatException>(() => Touch(new FlannelNodeParser().Parse(Text(bytes)).Nodes))),
            new Target("json", NodeState, bytes => Documented<FormatException>(() => JsonText.Parse(Text(bytes)))),
            new Target("nft-ruleset", Host, bytes => Touch(NftablesParser.Parse(Lines(bytes), Origin, 1))),
            new Target("iptables-save", Host, bytes => Touch(IptablesSaveParser.Parse(Lines(bytes), Origin, 1, "ipv4", "nft"))),
            new Target("iptables-L", Host, bytes => Touch(IptablesListingParser.Parse(Lines(bytes), Origin, 1, "ipv4", "nft"))),
            new Target("firewall-text", Host, bytes => HostText(HostParts.Nftables, bytes)),
            new Target("ethtool-k", Host, bytes => Touch(EthtoolParser.Parse(Lines(bytes), Origin, 1, "flannel.1"))),
            new Target("sysctl", Host, bytes => Touch(SysctlParser.Parse(Lines(bytes), Origin, 1))),
            new Target("snmp", Host, bytes => Touch(SnmpParser.Parse(Lines(bytes), Origin, 1))),
            new Target("link-stats", Host, bytes => Touch(LinkStatsParser.ParseCounters(Lines(bytes), Origin, 1))),
            new Target("link-xdp", Host, bytes => Touch(LinkStatsParser.ParseXdp(Lines(bytes), Origin, 1))),
            new Target("tc-filter", Host, bytes => Touch(TcFilterParser.Parse(Lines(bytes), Origin, 1, "flannel.1", "ingress"))),
            new Target("subnet-env", Host, bytes => Touch(SubnetEnvParser.Parse(Lines(bytes), Origin, 1, "/run/flannel/subnet.env"))),
            new Target("net-conf", Host, bytes => Touch(NetConfParser.Parse(Lines(bytes), Origin, 1))),
            new Target("configmap", Host, bytes => Documented<FormatException>(() => Touch(FlannelConfigMap.Read(Text(bytes))))),
        };

        /// <summary>The decoder target's index of a link type (its second byte), or -1.</summary>
        public static int LinkTypeIndex(int linkType) => Array.IndexOf(LinkTypes, linkType);

        /// <summary>The target an input is for.</summary>
        public static Target For(ReadOnlySpan<byte> input) => input.Length == 0 ? All[0] : All[input[0] % All.Length];

        public static Target Named(string name) => All.Single(t => t.Name == name);

        /// <summary>Runs one input: its first byte picks the target, the rest is the target's input.</summary>
        public static void Run(ReadOnlySpan<byte> input)
        {
            if (input.Length == 0)
            {
                return;
            }
            For(input).Run(input.Slice(1).ToArray());
        }

        /// <summary>An input for <paramref name="target"/>: its selector byte, then <paramref name="body"/>.</summary>
        public static byte[] InputFor(Target target, ReadOnlySpan<byte> body)
        {
            var input = new byte[body.Length + 1];
            input[0] = target.Selector;
            body.CopyTo(input.AsSpan(1));
            return input;
        }

        private static readonly TextOrigin Origin = new TextOrigin("fuzz");

        private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

        private static List<string> Lines(byte[] bytes) => LineTable.SplitLines(new[] { Text(bytes) }).ToList();

        private static void Documented<TException>(Action action) where TException : Exception
        {
            try
            {
                action();
            }
            catch (TException)
            {
            }
        }

        private static void Touch<T>(ParseResult<T> result)
        {
            Touch(result.Entries);
            Touch(result.Problems);
        }

        private static void Touch(FirewallParseResult result) => _ = result.ToString();

        private static void Touch<T>(IEnumerable<T> items)
        {
            foreach (T item in items)
            {
                _ = item?.ToString();
            }
        }

        private static void Build(Action<NodeStateBuilder> add)
        {
            var builder = new NodeStateBuilder();
            add(builder);
            _ = builder.Build("fuzz", null, "fuzz").ToString();
            Touch(builder.Problems);
        }

        private static void HostText(string part, byte[] bytes)
        {
            var builder = new NodeStateBuilder();
            builder.Host.AddText(part, Lines(bytes), Origin);
            _ = builder.Build("fuzz", null, "fuzz").ToString();
        }

        /// <summary>One frame: the second byte picks the link type, the rest is the record, wrapped in a pcap in memory
        /// so that it goes through the same reader, decoder and frame object as a capture's records do.</summary>
        private static void DecodeFrame(byte[] bytes)
        {
            if (bytes.Length == 0)
            {
                return;
            }
            int linkType = LinkTypes[bytes[0] % LinkTypes.Length];
            int length = bytes.Length - 1;
            var pcap = new byte[24 + 16 + length];
            BitConverter.GetBytes(PcapFileReader.MicrosecondMagic).CopyTo(pcap, 0);
            BitConverter.GetBytes((ushort)2).CopyTo(pcap, 4);
            BitConverter.GetBytes((ushort)4).CopyTo(pcap, 6);
            BitConverter.GetBytes(262144).CopyTo(pcap, 16);
            BitConverter.GetBytes(linkType).CopyTo(pcap, 20);
            BitConverter.GetBytes(length).CopyTo(pcap, 24 + 8);
            BitConverter.GetBytes(length + (bytes[0] >> 4)).CopyTo(pcap, 24 + 12);
            Array.Copy(bytes, 1, pcap, 40, length);
            var stream = new MemoryStream(pcap);
            var magic = new byte[4];
            stream.Read(magic, 0, 4);
            ReadFrames(new PcapFileReader("fuzz", stream, magic));
        }

        private static void ReadCapture(byte[] bytes, bool pcapng)
        {
            // The magic is the reader's own choice (the file opener picks the reader by it), so it is not fuzzed.
            var magic = pcapng ? BitConverter.GetBytes(PcapNgReader.BlockSectionHeader) : BitConverter.GetBytes(PcapFileReader.MicrosecondMagic);
            if (bytes.Length >= 4 && !pcapng)
            {
                uint given = BitConverter.ToUInt32(bytes, 0);
                if (given == PcapFileReader.NanosecondMagic || given == 0xD4C3B2A1 || given == 0x4D3CB2A1 || given == PcapFileReader.MicrosecondMagic)
                {
                    magic = BitConverter.GetBytes(given);
                }
            }
            int skip = bytes.Length >= 4 && BitConverter.ToUInt32(bytes, 0) == BitConverter.ToUInt32(magic, 0) ? 4 : 0;
            var stream = new MemoryStream(bytes, skip, bytes.Length - skip);
            try
            {
                ICaptureReader reader = pcapng ? new PcapNgReader("fuzz", stream, magic) : (ICaptureReader)new PcapFileReader("fuzz", stream, magic);
                ReadFrames(reader);
            }
            catch (CaptureException)
            {
            }
        }

        private static void ReadFrames(ICaptureReader capture)
        {
            using (capture)
            {
                var frames = new VxlanFrameReader(capture, new PortSet(PortSet.DefaultVxlanPorts), null, null);
                try
                {
                    // A record that cannot be read ends the file (CaptureException), as in the cmdlets' loops.
                    for (int n = 0; n < 100000 && frames.Read(out VxlanFrame frame, out string warning); n++)
                    {
                        _ = frame?.Info;
                        _ = frame?.ToString();
                    }
                }
                catch (CaptureException)
                {
                }
            }
        }
    }
}
