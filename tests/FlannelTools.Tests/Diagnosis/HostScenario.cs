using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System;
using FlannelTools.Diagnosis;
using FlannelTools.HostLayer;

namespace FlannelTools.Tests.Diagnosis
{
    /// <summary>
    /// node1's host layer as the collector read it in a namespace (tests/data/hostlayer/hostchecks: sysctls, the Udp
    /// counters), beside <see cref="Scenario"/>'s tables, for each test to change one setting of. The parts read and not
    /// read become the state's collections and NotRead as HostLayerBuilder makes them: a part not read is null.
    /// </summary>
    internal sealed class HostScenario
    {
        private static readonly Lazy<string> DataRoot = new Lazy<string>(() =>
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "tests", "data", "hostlayer", "hostchecks");
                if (Directory.Exists(candidate))
                {
                    return candidate;
                }
            }
            throw new DirectoryNotFoundException("tests/data/hostlayer/hostchecks was not found above " + AppContext.BaseDirectory);
        });

        public Scenario Tables { get; } = new Scenario();

        public List<Sysctl> Sysctls { get; } = DataLines("node1-sysctl.txt").Select(ParseSysctl).ToList();

        public List<NetCounter> Counters { get; } = UdpCounters().Concat(new[]
        {
            new NetCounter { Group = "link", Device = "flannel.1", Name = "tx_dropped", Value = 0, Source = "test" },
            new NetCounter { Group = "link", Device = "flannel.1", Name = "tx_carrier_errors", Value = 0, Source = "test" },
            new NetCounter { Group = "link", Device = "eth0", Name = "tx_dropped", Value = 0, Source = "test" },
        }).ToList();

        public List<PreStackProgram> Programs { get; } = new List<PreStackProgram>();

        public List<string> ReadParts { get; } = new List<string> { HostParts.Sysctls, HostParts.UdpCounters, HostParts.LinkCounters, HostParts.TcFilters };

        public List<UnreadPart> NotRead { get; } = new List<UnreadPart>();

        public static string[] DataLines(string name) => File.ReadAllLines(Path.Combine(DataRoot.Value, name));

        /// <summary>Sets a sysctl as the kernel would print it; null removes it (the kernel has no such key here).</summary>
        public void Set(string name, string value)
        {
            Sysctls.RemoveAll(s => s.Name == name);
            if (value != null)
            {
                Sysctls.Add(new Sysctl { Name = name, Value = value, Source = "test" });
            }
        }

        public void SetCounter(string group, string device, string name, long value)
        {
            Counters.RemoveAll(n => n.Group == group && n.Device == device && n.Name == name);
            Counters.Add(new NetCounter { Group = group, Device = device, Name = name, Value = value, Source = "test" });
        }

        /// <summary>The part was looked for and could not be read, with the node's reason.</summary>
        public void Unread(string part, string reason)
        {
            ReadParts.Remove(part);
            NotRead.Add(new UnreadPart(part, reason, absent: false));
        }

        public FlannelTools.NodeState State()
        {
            FlannelTools.NodeState state = Tables.State();
            bool udp = ReadParts.Contains(HostParts.UdpCounters);
            bool link = ReadParts.Contains(HostParts.LinkCounters);
            state.Sysctls = ReadParts.Contains(HostParts.Sysctls) ? new ReadOnlyCollection<Sysctl>(Sysctls.ToList()) : null;
            state.Counters = udp || link
                ? new ReadOnlyCollection<NetCounter>(Counters.Where(n => n.Device == null ? udp : link).ToList())
                : null;
            state.PreStackPrograms = link || ReadParts.Contains(HostParts.TcFilters) ? new ReadOnlyCollection<PreStackProgram>(Programs.ToList()) : null;
            state.ReadParts = new TextList(ReadParts);
            state.NotRead = new ReadOnlyCollection<UnreadPart>(NotRead.ToList());
            return state;
        }

        public DiagnosisContext Context(string localNode = "node1") =>
            new DiagnosisContext(State(), Tables.Nodes, Tables.Nodes.Single(n => n.Name == localNode));

        public List<Finding> Run(Func<DiagnosisContext, IEnumerable<Finding>> check) => check(Context()).ToList();

        /// <summary>
        /// Makes node1 dual-stack as the lab does (flannel-v6.1 over fd00::12, pods fd10:244:1::/64 on cni0), or
        /// IPv6-only (no flannel.1, no IPv4 VtepMAC announced).
        /// </summary>
        public void UseIPv6(bool keepIPv4)
        {
            Tables.Links.AddRange(new[]
            {
                "6: flannel-v6.1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1430 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000",
                "    link/ether 02:f1:a6:00:00:0c brd ff:ff:ff:ff:ff:ff promiscuity 0  allmulti 0 minmtu 68 maxmtu 65535 ",
                "    vxlan id 1 local fd00::12 dev eth0 srcport 0 0 dstport 8472 nolearning ttl auto ageing 300 udpcsum noudp6zerocsumtx noudp6zerocsumrx addrgenmode eui64 numtxqueues 1 numrxqueues 1 gso_max_size 65536 gso_max_segs 65535 tso_max_size 524280 tso_max_segs 65535 gro_max_size 65536 ",
            });
            Tables.Routes6.AddRange(new[]
            {
                "fd00::/64 dev eth0 proto kernel metric 256 pref medium",
                "fd10:244::/64 via fd10:244:: dev flannel-v6.1 metric 1024 onlink pref medium",
                "fd10:244:1::/64 dev cni0 proto kernel metric 256 pref medium",
                "fd10:244:2::/64 via fd10:244:2:: dev flannel-v6.1 metric 1024 onlink pref medium",
            });
            if (!keepIPv4)
            {
                Tables.Links.RemoveRange(Tables.Links.FindIndex(l => l.StartsWith("5: flannel.1:", StringComparison.Ordinal)), 3);
                Tables.Routes.RemoveAll(r => r.Contains("10.244."));
                Tables.Routes6.RemoveAll(r => r.Contains("flannel.1"));
            }
            Tables.Nodes.Clear();
            Tables.Nodes.AddRange(new[]
            {
                DualNode("master", "10.244.0.0/24", "fd10:244::/64", "192.168.0.11", "fd00::11", keepIPv4 ? Scenario.MasterMac : null, "02:f1:a6:00:00:0b"),
                DualNode("node1", "10.244.1.0/24", "fd10:244:1::/64", "192.168.0.12", "fd00::12", keepIPv4 ? Scenario.Node1Mac : null, "02:f1:a6:00:00:0c"),
                DualNode("node2", "10.244.2.0/24", "fd10:244:2::/64", "192.168.0.13", "fd00::13", keepIPv4 ? Scenario.Node2Mac : null, "02:f1:a6:00:00:0d"),
            });
        }

        private static FlannelNode DualNode(string name, string podCidr, string podCidrV6, string publicAddress, string publicAddressV6, string vtepMac, string vtepMacV6)
        {
            string[] cidrs = vtepMac != null ? new[] { podCidr, podCidrV6 } : new[] { podCidrV6 };
            return new FlannelNode(name, cidrs[0], cidrs, publicAddress, vtepMac != null ? publicAddress : null, null, publicAddressV6, "vxlan",
                vtepMac, vtepMacV6, 1, true, true, null);
        }

        private static Sysctl ParseSysctl(string line)
        {
            int equals = line.IndexOf(" = ", StringComparison.Ordinal);
            return new Sysctl { Name = line.Substring(0, equals), Value = line.Substring(equals + 3), Source = "node1-sysctl.txt" };
        }

        /// <summary>The Udp counters of /proc/net/snmp (a header line, then a value line) and the Udp6 ones of snmp6 (name, value).</summary>
        private static IEnumerable<NetCounter> UdpCounters()
        {
            string[][] udp = DataLines("node1-snmp.txt").Where(l => l.StartsWith("Udp: ", StringComparison.Ordinal))
                .Select(l => l.Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries).Skip(1).ToArray()).ToArray();
            for (int i = 0; i < udp[0].Length; i++)
            {
                yield return new NetCounter { Group = "Udp", Name = udp[0][i], Value = long.Parse(udp[1][i]), Source = "node1-snmp.txt" };
            }
            foreach (string line in DataLines("node1-snmp6-udp6.txt"))
            {
                string[] words = line.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
                yield return new NetCounter { Group = "Udp6", Name = words[0].Substring("Udp6".Length), Value = long.Parse(words[1]), Source = "node1-snmp6-udp6.txt" };
            }
        }
    }
}
