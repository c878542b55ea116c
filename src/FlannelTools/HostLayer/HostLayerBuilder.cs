using FlannelTools.HostLayer.FlannelConfig;
using FlannelTools.HostLayer.Firewall;
using FlannelTools.HostLayer.Kernel;

namespace FlannelTools.HostLayer
{
    /// <summary>
    /// Gathers a node's host layer (sysctls, packet filter, offloads, counters, flannel's files) from the sections of the
    /// collector's document, and records each part that was looked for and could not be read. A part no section looked
    /// for stays null: not collected, which the checks report as Unknown as they do a part that could not be read.
    /// </summary>
    internal sealed class HostLayerBuilder
    {
        private readonly List<Sysctl> _sysctls = new List<Sysctl>();
        private readonly List<FirewallChain> _chains = new List<FirewallChain>();
        private readonly List<FirewallRule> _rules = new List<FirewallRule>();
        private readonly List<FirewallSet> _sets = new List<FirewallSet>();
        private readonly List<Offload> _offloads = new List<Offload>();
        private readonly List<NetCounter> _counters = new List<NetCounter>();
        private readonly List<PreStackProgram> _programs = new List<PreStackProgram>();
        private readonly HashSet<string> _read = new HashSet<string>(StringComparer.Ordinal);
        private readonly List<string> _backends = new List<string>();
        private readonly Dictionary<string, UnreadPart> _failed = new Dictionary<string, UnreadPart>(StringComparer.Ordinal);
        private string _kernelRelease;
        private SubnetEnv _subnetEnv;
        private FlannelNetConf _netConf;

        public List<ParseProblem> Problems { get; } = new List<ParseProblem>();

        public int LinesRead { get; private set; }

        /// <summary>
        /// The host-layer part a collector section's command reads, or null for a section of the node's tables
        /// (link, addr, route, neigh, fdb), which <see cref="NodeStateReader"/> reads.
        /// </summary>
        public static string PartOf(string command)
        {
            string[] words = command.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                return null;
            }
            string tool = words[0];
            switch (tool)
            {
                case "uname":
                    return HostParts.KernelRelease;
                case "sysctl":
                    return HostParts.Sysctls;
                case "nft":
                    return HostParts.Nftables;
                case "ethtool":
                    return HostParts.Offloads;
                case "tc":
                    return HostParts.TcFilters;
                case "iptables-nft-save":
                    return HostParts.IptablesNft;
                case "ip6tables-nft-save":
                    return HostParts.Ip6tablesNft;
                case "iptables-legacy-save":
                case "iptables-save":
                    return HostParts.IptablesLegacy;
                case "ip6tables-legacy-save":
                case "ip6tables-save":
                    return HostParts.Ip6tablesLegacy;
                case "cat":
                    string file = words.Length > 1 ? words[words.Length - 1] : string.Empty;
                    if (file == LegacyTableNames)
                    {
                        return HostParts.IptablesLegacy;
                    }
                    if (file == Legacy6TableNames)
                    {
                        return HostParts.Ip6tablesLegacy;
                    }
                    if (file == "/proc/net/snmp" || file == "/proc/net/snmp6")
                    {
                        return HostParts.UdpCounters;
                    }
                    if (file.EndsWith(".json", StringComparison.Ordinal))
                    {
                        return HostParts.NetConf;
                    }
                    // the collector's --subnet-env may name any file (-SubnetEnvPath); every other file it cats is that one
                    return HostParts.SubnetEnv;
                case "ip":
                    return words.Contains("-s") && words.Contains("link") ? HostParts.LinkCounters : null;
                default:
                    return null;
            }
        }

        /// <summary>
        /// Adds one section of the collector's document. A section that exited non-zero records its part as not read,
        /// with what the node wrote to standard error; a later section of the same part that succeeds (the collector's
        /// text fallback) makes it read.
        /// </summary>
        public void AddSection(string command, IList<string> lines, TextOrigin origin, int firstLineNumber, int exitCode, IReadOnlyList<string> standardError)
        {
            string part = PartOf(command) ?? throw new ArgumentException("not a host-layer section: " + command, nameof(command));
            string[] words = command.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 2 && (words[1] == LegacyTableNames || words[1] == Legacy6TableNames))
            {
                AddLegacyTableNames(part, words[1], lines, exitCode, standardError);
                return;
            }
            if (exitCode != 0)
            {
                string reason = standardError != null && standardError.Count > 0
                    ? string.Join(" ", standardError)
                    : "'" + command + "' exited with " + exitCode.ToString(System.Globalization.CultureInfo.InvariantCulture);
                bool absent = exitCode != 127 && reason.IndexOf("No such file or directory", StringComparison.OrdinalIgnoreCase) >= 0;
                if (!_read.Contains(part))
                {
                    _failed[part] = new UnreadPart(part, reason, absent);
                }
                return;
            }
            int problemsBefore = Problems.Count;
            int entriesBefore = EntryCount();
            switch (part)
            {
                case HostParts.KernelRelease:
                    _kernelRelease = lines.Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
                    LinesRead += _kernelRelease != null ? 1 : 0;
                    break;
                case HostParts.Sysctls:
                    Take(SysctlParser.Parse(lines, origin, firstLineNumber), _sysctls);
                    break;
                case HostParts.Nftables:
                    TakeFirewall(NftablesParser.Parse(lines, origin, firstLineNumber));
                    break;
                case HostParts.IptablesNft:
                case HostParts.Ip6tablesNft:
                case HostParts.IptablesLegacy:
                case HostParts.Ip6tablesLegacy:
                    string family = part == HostParts.Ip6tablesNft || part == HostParts.Ip6tablesLegacy ? "ip6" : "ip";
                    string backend = words[0].IndexOf("-nft-", StringComparison.Ordinal) > 0 ? FirewallBackend.IptablesNft
                        : words[0].IndexOf("-legacy-", StringComparison.Ordinal) > 0 ? FirewallBackend.IptablesLegacy
                        : null;
                    FirewallParseResult iptables = IptablesSaveParser.Parse(lines, origin, firstLineNumber, family, backend);
                    TakeFirewall(iptables);
                    if (backend == null && iptables.Backend == FirewallBackend.IptablesNft)
                    {
                        part = family == "ip6" ? HostParts.Ip6tablesNft : HostParts.IptablesNft;
                    }
                    break;
                case HostParts.Offloads:
                    string named = words.Length > 1 && !words[words.Length - 1].StartsWith("-", StringComparison.Ordinal) ? words[words.Length - 1] : null;
                    Take(EthtoolParser.Parse(lines, origin, firstLineNumber, named), _offloads);
                    break;
                case HostParts.UdpCounters:
                    Take(SnmpParser.Parse(lines, origin, firstLineNumber), _counters);
                    break;
                case HostParts.LinkCounters:
                    ParseResult<NetCounter> stats = LinkStatsParser.ParseCounters(lines, origin, firstLineNumber);
                    Take(stats, _counters);
                    Take(LinkStatsParser.ParseXdp(lines, origin, firstLineNumber), _programs, countLines: false);
                    break;
                case HostParts.TcFilters:
                    int dev = Array.IndexOf(words, "dev");
                    string device = dev >= 0 && dev + 1 < words.Length ? words[dev + 1] : null;
                    string direction = words.Contains("egress") ? "egress" : "ingress";
                    Take(TcFilterParser.Parse(lines, origin, firstLineNumber, device, direction), _programs);
                    break;
                case HostParts.SubnetEnv:
                    _subnetEnv = Single(SubnetEnvParser.Parse(lines, origin, firstLineNumber, words.Last()));
                    break;
                case HostParts.NetConf:
                    _netConf = Single(NetConfParser.Parse(lines, origin, firstLineNumber));
                    break;
            }
            List<ParseProblem> problems = Problems.Skip(problemsBefore).ToList();
            bool firewall = part == HostParts.Nftables || part == HostParts.IptablesNft || part == HostParts.Ip6tablesNft ||
                            part == HostParts.IptablesLegacy || part == HostParts.Ip6tablesLegacy;
            // A ruleset with a line that could not be read may lack the very rule that drops: judging the rest would pass
            // what was not seen. Other parts keep what was read, unless nothing was.
            if (problems.Count > 0 && (firewall || EntryCount() == entriesBefore))
            {
                MarkNotRead(part, "could not be parsed: " + problems[0] +
                    (problems.Count > 1 ? " (and " + (problems.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture) + " more lines)" : string.Empty));
                return;
            }
            _read.Add(part);
            _failed.Remove(part);
        }

        private int EntryCount() =>
            _sysctls.Count + _chains.Count + _rules.Count + _sets.Count + _offloads.Count + _counters.Count + _programs.Count +
            (_kernelRelease != null ? 1 : 0) + (_subnetEnv != null ? 1 : 0) + (_netConf != null ? 1 : 0);

        /// <summary>
        /// Adds pasted text of one part (the -*Text parameters). For the packet filter, the form is told from the text:
        /// nft's JSON or a <c>table</c> line is nftables, anything else iptables-save or iptables -vL, whose header says
        /// the family and backend.
        /// </summary>
        public void AddText(string part, IList<string> lines, TextOrigin origin)
        {
            string command;
            switch (part)
            {
                case HostParts.Sysctls:
                    command = "sysctl";
                    break;
                case HostParts.Offloads:
                    command = "ethtool -k";
                    break;
                case HostParts.SubnetEnv:
                    command = "cat subnet.env";
                    break;
                case HostParts.NetConf:
                    command = "cat net-conf.json";
                    break;
                case HostParts.Nftables:
                    string first = lines.Select(l => l.TrimStart(' ', '\t', '\uFEFF')).FirstOrDefault(l => l.Length > 0) ?? string.Empty;
                    command = first.StartsWith("{", StringComparison.Ordinal) || first.StartsWith("[", StringComparison.Ordinal) ||
                              first.StartsWith("table ", StringComparison.Ordinal) ? "nft list ruleset" : "iptables-save";
                    break;
                default:
                    throw new ArgumentException("no text form for " + part, nameof(part));
            }
            AddSection(command, lines, origin, 1, 0, null);
        }

        private const string LegacyTableNames = "/proc/net/ip_tables_names";
        private const string Legacy6TableNames = "/proc/net/ip6_tables_names";

        /// <summary>
        /// Where iptables-legacy-save is not installed, the kernel's list of legacy tables says whether any exist: none
        /// (the file absent or empty) is the legacy backend read and empty; some is that backend not read, since a
        /// container's iptables-legacy may have put rules there that nothing on the node can show.
        /// </summary>
        private void AddLegacyTableNames(string part, string file, IList<string> lines, int exitCode, IReadOnlyList<string> standardError)
        {
            var tables = lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
            bool absent = exitCode != 0 && standardError != null && standardError.Any(e => e.IndexOf("No such file", StringComparison.OrdinalIgnoreCase) >= 0);
            if (exitCode != 0 && !absent)
            {
                MarkNotRead(part, string.Join(" ", standardError ?? new string[0]));
                return;
            }
            if (tables.Count == 0)
            {
                _read.Add(part);
                _failed.Remove(part);
                return;
            }
            MarkNotRead(part, "the kernel holds legacy iptables tables (" + string.Join(", ", tables) + ", " + file +
                ") but iptables-legacy-save is not installed to read them");
        }

        /// <summary>Records a part as not read without a section (live reading that could not start, a file the cmdlet could not open).</summary>
        public void MarkNotRead(string part, string reason, bool absent = false)
        {
            if (!_read.Contains(part))
            {
                _failed[part] = new UnreadPart(part, reason, absent);
            }
        }

        public void SetSubnetEnv(SubnetEnv subnetEnv)
        {
            _subnetEnv = subnetEnv;
            _read.Add(HostParts.SubnetEnv);
            _failed.Remove(HostParts.SubnetEnv);
        }

        public void SetNetConf(FlannelNetConf netConf)
        {
            _netConf = netConf;
            _read.Add(HostParts.NetConf);
            _failed.Remove(HostParts.NetConf);
        }

        /// <summary>Sets the host-layer properties of the state: read parts as collections (empty when read and empty), the others null.</summary>
        public void Apply(NodeState state)
        {
            ReadOnlyCollection<T> IfRead<T>(List<T> items, params string[] parts) =>
                parts.Any(_read.Contains) ? new ReadOnlyCollection<T>(items.ToList()) : null;
            state.KernelRelease = _kernelRelease;
            state.Sysctls = IfRead(_sysctls, HostParts.Sysctls);
            string[] firewallParts = { HostParts.Nftables, HostParts.IptablesNft, HostParts.Ip6tablesNft, HostParts.IptablesLegacy, HostParts.Ip6tablesLegacy };
            state.FirewallChains = IfRead(_chains, firewallParts);
            state.FirewallRules = IfRead(_rules, firewallParts);
            state.FirewallSets = IfRead(_sets, firewallParts);
            state.FirewallBackends = IfRead(_backends.Distinct().ToList(), firewallParts);
            state.Offloads = IfRead(_offloads, HostParts.Offloads);
            state.Counters = IfRead(_counters, HostParts.UdpCounters, HostParts.LinkCounters);
            state.PreStackPrograms = IfRead(_programs, HostParts.LinkCounters, HostParts.TcFilters);
            state.SubnetEnv = _subnetEnv;
            state.NetConf = _netConf;
            state.ReadParts = new TextList(_read.OrderBy(p => p, StringComparer.Ordinal));
            state.NotRead = new ReadOnlyCollection<UnreadPart>(_failed.Values.OrderBy(p => p.Part, StringComparer.Ordinal).ToList());
        }

        private void Take<T>(ParseResult<T> result, List<T> into, bool countLines = true)
        {
            if (countLines)
            {
                LinesRead += result.LinesRead;
            }
            Problems.AddRange(result.Problems);
            into.AddRange(result.Entries);
        }

        private void TakeFirewall(FirewallParseResult result)
        {
            LinesRead += result.LinesRead;
            Problems.AddRange(result.Problems);
            _chains.AddRange(result.Chains);
            _rules.AddRange(result.Rules);
            _sets.AddRange(result.Sets);
            if (result.Backend != null && result.Chains.Count > 0)
            {
                _backends.Add(result.Backend);
            }
        }

        private T Single<T>(ParseResult<T> result) where T : class
        {
            LinesRead += result.LinesRead;
            Problems.AddRange(result.Problems);
            return result.Entries.FirstOrDefault();
        }
    }
}
