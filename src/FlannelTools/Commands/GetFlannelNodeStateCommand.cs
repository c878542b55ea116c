using System.Management.Automation;
using System.Net;
using System.Threading.Tasks;
using FlannelTools.Ssh;

namespace FlannelTools.Commands
{
    /// <summary>Gets a node's flannel dataplane (VTEP, devices, routes, neighbours, FDB) as one NodeState object, live or from printed output.</summary>
    /// <seealso href="docs/walkthrough.md">The walkthrough: from a capture to the FDB entry</seealso>
    /// <seealso href="docs/node-tables.md">The node's tables: Get-FlannelNodeState, Get-FlannelFdb, Resolve-OverlayPath</seealso>
    /// <seealso href="docs/host-layer.md">The host layer: packet filter, kernel settings, flannel's files</seealso>
    /// <seealso href="docs/fleet.md">The whole cluster from one machine</seealso>
    /// <seealso cref="GetFlannelFdbCommand"/>
    /// <seealso cref="ResolveOverlayPathCommand"/>
    /// <seealso cref="TestFlannelNodeCommand"/>
    /// <remarks>
    /// Get-FlannelNodeState gathers every table the walkthrough (docs/walkthrough.md) looks up into one FlannelTools.NodeState: Vtep and VtepV6
    /// (flannel's VXLAN devices: name, MAC, MTU, VNI, UDP port, local address, underlay device, learning), Interfaces,
    /// Routes (IPv4 and IPv6, main table), Neighbors, Fdb, VxlanDevices, HostName, CollectedAt and Source. Its methods FindRoute
    /// (longest-prefix match), FindNeighbor, FindFdb and FindInterface answer the walkthrough's lookups.
    /// <para/>
    /// It also holds the node's host layer: Sysctls (forwarding, rp_filter, bridge netfilter, conntrack), FirewallChains,
    /// FirewallRules and FirewallSets in every backend (nftables; iptables-nft and iptables-legacy, IPv4 and IPv6), with
    /// FirewallBackends naming those that hold tables, Offloads (ethtool -k of the VTEPs and the underlay), Counters
    /// (Udp/Udp6 of /proc/net/snmp, each device's errors and drops), PreStackPrograms (XDP, tc filters), KernelRelease,
    /// SubnetEnv (/run/flannel/subnet.env, or -SubnetEnvPath) and NetConf (a copy of net-conf.json on the node, or
    /// -NetConfPath). Each part is null when it was not read: NotRead names the parts that were looked for and could not be
    /// read, with the node's reason (a tool missing, permission denied, a file that is not there), and ReadParts those that
    /// were. The packet filter needs root to read.
    /// <para/>
    /// With no arguments it reads the local Linux kernel through iproute2's JSON output (ip -j -d link, ip -j addr,
    /// ip -j route, ip -j -6 route, ip -j neigh, bridge -j fdb), also inside a network namespace; a command that fails is
    /// a non-terminating error with its exit code and standard error, and the state is made from the others. The host
    /// layer is read by running the host sections of collect-flannel-state.sh (shipped in the module's folder), so live
    /// reading and the collector read the same files the same way.
    /// <para/>
    /// With -Path it reads the document that tools/collect-flannel-state.sh (shipped in the module's folder) prints on a
    /// node that has only a POSIX shell and iproute2. With -RouteText, -NeighborText, -FdbText, -LinkText and
    /// -AddressText it builds the state from pasted text, one parser per form: ip route, route -n, ip neigh, arp -n or
    /// arp -i DEV, bridge fdb show, ip -d link show, ip addr show, or the JSON of each; and with -SysctlText, -FirewallText
    /// (nft list ruleset, text or JSON; iptables-save; iptables -vL), -OffloadText (ethtool -k), -SubnetEnvText and
    /// -NetConfText the host layer's parts.
    /// <para/>
    /// Text piped in (Get-Content node1.state, or a paste saved to a file) binds -InputObject and is read when the input
    /// ends, its form told from its content: each '#@ flannel-state 1' line starts a collector document, and in pasted
    /// output each prompt's command (bridge fdb show dev flannel.1) says which table the lines after it hold (output pasted
    /// without its command goes to the table whose parser reads every line of it, else it is a warning), and each
    /// separator a loop over hosts prints (=== node1 ===) starts another node's state, named by it. Files piped from
    /// Get-ChildItem bind -LiteralPath. An empty pipeline is a warning.
    /// <para/>
    /// With -SshHost it runs that collector on each host through the OpenSSH client (ssh, with an argument list:
    /// -o BatchMode=yes, each -SshOption as -o VALUE, StrictHostKeyChecking=accept-new and ConnectTimeout unless an
    /// -SshOption sets them, then the host and the remote command sh -s, or sudo -n sh -s with -Sudo), the script on ssh's
    /// standard input, so the node needs only sshd, a POSIX shell and iproute2. The hosts are read in parallel
    /// (-ThrottleLimit at once, each within -TimeoutSec) and come out in the order given, one state per host, whose Source
    /// is the host as written (host, user@host or ssh://user@host:port) and whose HostName is the one the node gave. A host
    /// that cannot be reached, refuses, fails to log in, times out or prints what is not a collector document is one
    /// non-terminating error naming it (SshFailed, SshTimedOut, SshOutputNotNodeState, TruncatedDocument; a host that is
    /// not written in one of the three forms is InvalidSshHost), and the other hosts still come.
    /// <para/>
    /// A collector document cut in the middle (a section without its '#@ exit' line, or a document without the collector's
    /// closing '#@ end' line) is a TruncatedDocument error naming its last section, and gives no state; a document of the
    /// older collector, which printed no '#@ end', is read when its last section is complete.
    /// <para/>
    /// A line that cannot be read is a warning naming its line number and text (at most 200 characters of it); the other lines are still read, and
    /// -Verbose says how many lines were read and skipped. The object survives Export-Clixml and remoting: cmdlets that
    /// take a NodeState accept the deserialized form.
    /// </remarks>
    /// <example>
    /// <code>Get-FlannelNodeState</code>
    /// <para>Reads the local node's VTEP, routes, neighbours and FDB.</para>
    /// </example>
    /// <example>
    /// <code>Get-Content ./collect-flannel-state.sh -Raw | ssh node1 sudo sh -s > node1.state</code>
    /// <para>Runs the collector (in the module's folder) on node1, which has no PowerShell, and saves what it prints.</para>
    /// </example>
    /// <example>
    /// <code>Get-FlannelNodeState -SshHost admin@node1, admin@node2, ssh://admin@node3:2222 -Sudo -SshOption IdentityFile=~/.ssh/flannel</code>
    /// <para>Runs the collector on three nodes that have no PowerShell, under sudo, and reads what each printed: one state per node.</para>
    /// </example>
    /// <example>
    /// <code>Get-FlannelNodeState -Path node1.state</code>
    /// <para>Reads the saved tables on the admin box.</para>
    /// </example>
    /// <example>
    /// <code>Get-Content node1-paste.txt | Get-FlannelNodeState</code>
    /// <para>Reads a terminal paste whose prompt lines name the commands ([root@node1 ~]# ip route), or a saved collector document.</para>
    /// </example>
    /// <example>
    /// <code>Get-FlannelNodeState -RouteText (Get-Content route.txt) -NeighborText (Get-Content arp.txt) -FdbText (Get-Content fdb.txt) -FdbDevice flannel.1 -LinkText (Get-Content link.txt)</code>
    /// <para>Builds a node's state from four outputs pasted into files: route -n, arp -n, bridge fdb show dev flannel.1 and ip -d link show.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "FlannelNodeState", DefaultParameterSetName = LiveSet)]
    [OutputType(typeof(NodeState))]
    public sealed class GetFlannelNodeStateCommand : FileCommand
    {
        private const string LiveSet = "Live";
        private const string TextSet = "Text";
        private const string InputObjectSet = "InputObject";
        private const string SshSet = "Ssh";
        private const string InputOrigin = "InputObject";

        // -InputObject: every line is kept, and the form is told from the content when the input ends.
        private readonly List<string> _inputLines = new List<string>();
        private bool _processed;

        /// <summary>Text piped in (Get-Content node1.txt, or ssh node1 … output): a collector document (each '#@ flannel-state 1' line starts another), or pasted command output whose prompt lines name the commands ('=== node1 ===' separators start another node's). Read when the input ends.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [AllowEmptyString]
        [AllowNull]
        public string[] InputObject { get; set; }

        /// <summary>Files printed by collect-flannel-state.sh, one node each; wildcards are expanded.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public override string[] Path { get; set; }

        /// <summary>Routes as ip route, ip -6 route, route -n (also -A inet6) or ip -j route printed them.</summary>
        [Parameter(ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string[] RouteText { get; set; }

        /// <summary>Neighbours as ip neigh, arp -n, arp -i DEV, arp -a or ip -j neigh printed them.</summary>
        [Parameter(ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string[] NeighborText { get; set; }

        /// <summary>FDB entries as bridge fdb show (also -s, or -j) printed them.</summary>
        [Parameter(ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string[] FdbText { get; set; }

        /// <summary>The device of -FdbText lines printed without one (bridge fdb show dev flannel.1). Default: the VTEP found in -LinkText, else none.</summary>
        [Parameter(ParameterSetName = TextSet)]
        [ValidateNotNullOrEmpty]
        public string FdbDevice { get; set; }

        /// <summary>Devices as ip -d link show (which holds the VXLAN details: VNI, local address, port), ip link show or ip -j -d link show printed them.</summary>
        [Parameter(ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string[] LinkText { get; set; }

        /// <summary>Devices and their addresses as ip addr show or ip -j addr show printed them; merged with -LinkText by device name.</summary>
        [Parameter(ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string[] AddressText { get; set; }

        /// <summary>Kernel settings as sysctl printed them (<c>sysctl -a</c>, <c>sysctl net.ipv4.ip_forward</c>: <c>name = value</c> lines).</summary>
        [Parameter(ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string[] SysctlText { get; set; }

        /// <summary>The packet filter as nft list ruleset (text, or -j JSON), iptables-save (also -c) or iptables -vL printed it; the form is told from the text.</summary>
        [Parameter(ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string[] FirewallText { get; set; }

        /// <summary>A device's offloads as ethtool -k DEV (or ethtool --json -k DEV) printed them; the device is read from ethtool's 'Features for DEV:' line.</summary>
        [Parameter(ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string[] OffloadText { get; set; }

        /// <summary>flannel's subnet.env as cat /run/flannel/subnet.env printed it.</summary>
        [Parameter(ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string[] SubnetEnvText { get; set; }

        /// <summary>flannel's net-conf.json as written in the kube-flannel-cfg ConfigMap or the file.</summary>
        [Parameter(ParameterSetName = TextSet)]
        [AllowEmptyString]
        public string[] NetConfText { get; set; }

        /// <summary>Live: the subnet.env flanneld writes (default /run/flannel/subnet.env).</summary>
        [Parameter(ParameterSetName = LiveSet)]
        [ValidateNotNullOrEmpty]
        public string SubnetEnvPath { get; set; }

        /// <summary>Live: a copy of net-conf.json on the node (default /etc/kube-flannel/net-conf.json, or k3s' /var/lib/rancher/k3s/agent/etc/flannel/net-conf.json, where they exist).</summary>
        [Parameter(ParameterSetName = LiveSet)]
        [ValidateNotNullOrEmpty]
        public string NetConfPath { get; set; }

        /// <summary>Hosts to collect from over SSH, each host, user@host or ssh://user@host:port: the module's collector runs there through the OpenSSH client, and each host gives one state whose Source is the host as written here.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SshSet)]
        [ValidateNotNullOrEmpty]
        public string[] SshHost { get; set; }

        /// <summary>-SshHost: ssh options, each passed as -o VALUE (IdentityFile=~/.ssh/flannel, UserKnownHostsFile=…, StrictHostKeyChecking=yes); an option given here wins over the defaults StrictHostKeyChecking=accept-new and ConnectTimeout=-TimeoutSec. BatchMode is always yes.</summary>
        [Parameter(ParameterSetName = SshSet)]
        [ValidateNotNullOrEmpty]
        public string[] SshOption { get; set; }

        /// <summary>-SshHost: how many hosts are read at once (default 32).</summary>
        [Parameter(ParameterSetName = SshSet)]
        [ValidateRange(1, 1024)]
        public int ThrottleLimit { get; set; } = 32;

        /// <summary>-SshHost: seconds each host has to connect and print its document (default 60); a host that takes longer is an SshTimedOut error.</summary>
        [Parameter(ParameterSetName = SshSet)]
        [ValidateRange(1, 86400)]
        public int TimeoutSec { get; set; } = 60;

        /// <summary>-SshHost: runs the collector with sudo -n (the packet filter needs root to read); a host where sudo asks for a password is an SshFailed error.</summary>
        [Parameter(ParameterSetName = SshSet)]
        public SwitchParameter Sudo { get; set; }

        /// <summary>The node's name to record in HostName, instead of the local host name (live: network namespaces share the machine's) or the one the collector recorded.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string HostName { get; set; }

        protected override void ProcessRecord()
        {
            _processed = true;
            switch (ParameterSetName)
            {
                case PathSet:
                case LiteralPathSet:
                    foreach (string file in ResolvedFiles())
                    {
                        ReadFile(file);
                    }
                    break;
                case TextSet:
                    ReadText();
                    break;
                case InputObjectSet:
                    _inputLines.AddRange(LineTable.SplitLines(InputObject ?? new string[0]));
                    break;
                case SshSet:
                    ReadOverSsh();
                    break;
                default:
                    ReadLive();
                    break;
            }
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == InputObjectSet || (MyInvocation.ExpectingInput && !_processed))
            {
                ReadInput();
            }
        }

        private void ReadInput()
        {
            if (_inputLines.All(string.IsNullOrWhiteSpace))
            {
                WriteWarning("The pipeline gave no text to read (" + _inputLines.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) +
                    " lines): pipe the lines of a collector document or of pasted ip, bridge, route or arp output.");
                return;
            }
            foreach (NodeStateReader.TextState read in NodeStateReader.ReadText(_inputLines, new TextOrigin(InputOrigin), HostName))
            {
                if (read.Truncation != null)
                {
                    WriteError(CommandErrors.TruncatedDocument.Record(InputOrigin, "The collector's document piped in is not read: " + read.Truncation + "."));
                    continue;
                }
                Finish(read.Builder, read.State, InputOrigin);
            }
        }

        private void ReadLive()
        {
            var builder = new NodeStateBuilder();
            NodeState state = NodeTableCommandHelper.ReadLiveState(this, builder, HostName ?? Dns.GetHostName(), Cancellation, hostLayer: true,
                SubnetEnvPath == null ? null : GetUnresolvedProviderPathFromPSPath(SubnetEnvPath),
                NetConfPath == null ? null : GetUnresolvedProviderPathFromPSPath(NetConfPath));
            if (state != null)
            {
                Finish(builder, state, "live");
            }
        }

        private void ReadFile(string file)
        {
            string[] lines = ReadAllLines(file);
            if (lines == null)
            {
                return;
            }
            if (!NodeStateReader.IsDocument(lines))
            {
                WriteError(CommandErrors.FileNotNodeState.Record(file,
                    "'" + file + "' is not a document printed by collect-flannel-state.sh (its first line is not '" + NodeStateReader.DocumentHeader +
                    "'). For the output of single commands use -RouteText, -NeighborText, -FdbText, -LinkText and -AddressText."));
                return;
            }
            string truncation = NodeStateReader.FindTruncation(lines, NodeStateReader.HasEnd(lines));
            if (truncation != null)
            {
                WriteError(CommandErrors.TruncatedDocument.Record(file, "'" + file + "' is not read: " + truncation + "."));
                return;
            }
            var builder = new NodeStateBuilder();
            NodeState state = NodeStateReader.ReadDocument(lines, new TextOrigin(file), builder);
            if (HostName != null)
            {
                state.HostName = HostName;
            }
            Finish(builder, state, file);
        }

        private void ReadOverSsh()
        {
            string collector = NodeStateReader.CollectorPath;
            string script;
            try
            {
                script = File.ReadAllText(collector);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                ThrowTerminatingError(CommandErrors.PathNotFound.Record(collector,
                    "The collector collect-flannel-state.sh, which -SshHost runs on each host, cannot be read beside the module's assembly: " + e.Message, e));
                return;
            }
            if (NativeCommand.Find("ssh") == null)
            {
                ThrowTerminatingError(CommandErrors.SshClientNotFound.Record("ssh",
                    "-SshHost needs the OpenSSH client (ssh), which was not found " + NativeCommand.SearchedPlaces("ssh") + " (Debian: apt-get install openssh-client)."));
            }
            var targets = new List<SshTarget>();
            foreach (string host in SshHost)
            {
                SshTarget target = SshTarget.Parse(host, out string why);
                if (target == null)
                {
                    WriteError(CommandErrors.InvalidSshHost.Record(host, "-SshHost '" + host + "' is not read: " + why + ". Write host, user@host or ssh://user@host:port."));
                    continue;
                }
                targets.Add(target);
            }
            TimeSpan timeout = TimeSpan.FromSeconds(TimeoutSec);
            bool sudo = Sudo.IsPresent;
            string[] options = SshOption ?? new string[0];
            CancellationToken cancellation = Cancellation;
            // not disposed: a task still waiting when the cmdlet is stopped ends on its own
            var throttle = new SemaphoreSlim(ThrottleLimit);
            List<Task<SshCollection>> collecting = targets.Select(target => Task.Run(() =>
            {
                throttle.Wait(cancellation);
                try
                {
                    return SshCollector.Collect(target, script, options, sudo, timeout, cancellation);
                }
                finally
                {
                    throttle.Release();
                }
            })).ToList();
            // in the order the hosts were given, each as soon as it and those before it are done
            for (int i = 0; i < collecting.Count; i++)
            {
                SshCollection collection;
                try
                {
                    collection = collecting[i].GetAwaiter().GetResult();
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                catch (NativeCommandException e) when (e.Failure == NativeCommandFailure.Cancelled)
                {
                    return;
                }
                catch (NativeCommandException e)
                {
                    WriteError(CommandErrors.SshFailed.Record(targets[i].Text, "ssh to '" + targets[i].Text + "' did not start: " + e.Message, e));
                    continue;
                }
                WriteCollection(collection);
            }
        }

        private void WriteCollection(SshCollection collection)
        {
            string host = collection.Target.Text;
            switch (collection.Failure)
            {
                case null:
                    if (HostName != null)
                    {
                        collection.State.HostName = HostName;
                    }
                    Finish(collection.Builder, collection.State, host);
                    return;
                case SshFailure.TimedOut:
                    WriteError(CommandErrors.SshTimedOut.Record(host, collection.Message));
                    return;
                case SshFailure.NotNodeState:
                    WriteError(CommandErrors.SshOutputNotNodeState.Record(host, collection.Message));
                    return;
                case SshFailure.Truncated:
                    WriteError(CommandErrors.TruncatedDocument.Record(host, collection.Message));
                    return;
                default:
                    WriteError(CommandErrors.SshFailed.Record(host, collection.Message));
                    return;
            }
        }

        private void ReadText()
        {
            var hostTexts = new[]
            {
                (Name: "-SysctlText", Part: HostParts.Sysctls, Text: SysctlText),
                (Name: "-FirewallText", Part: HostParts.Nftables, Text: FirewallText),
                (Name: "-OffloadText", Part: HostParts.Offloads, Text: OffloadText),
                (Name: "-SubnetEnvText", Part: HostParts.SubnetEnv, Text: SubnetEnvText),
                (Name: "-NetConfText", Part: HostParts.NetConf, Text: NetConfText),
            };
            if (RouteText == null && NeighborText == null && FdbText == null && LinkText == null && AddressText == null && hostTexts.All(t => t.Text == null))
            {
                ThrowTerminatingError(CommandErrors.NoNodeText.Record(null,
                    "Give at least one of -RouteText, -NeighborText, -FdbText, -LinkText, -AddressText, -SysctlText, -FirewallText, -OffloadText, -SubnetEnvText and -NetConfText."));
            }
            var builder = new NodeStateBuilder();
            List<string> Lines(string[] text) => LineTable.SplitLines(text).ToList();
            if (LinkText != null)
            {
                builder.AddLinks(Lines(LinkText), new TextOrigin("-LinkText"));
            }
            if (AddressText != null)
            {
                builder.AddLinks(Lines(AddressText), new TextOrigin("-AddressText"));
            }
            if (RouteText != null)
            {
                builder.AddRoutes(Lines(RouteText), new TextOrigin("-RouteText"));
            }
            if (NeighborText != null)
            {
                builder.AddNeighbors(Lines(NeighborText), new TextOrigin("-NeighborText"));
            }
            if (FdbText != null)
            {
                string device = FdbDevice ?? builder.Build(null, null, null).Vtep?.Name;
                builder.AddFdb(Lines(FdbText), new TextOrigin("-FdbText"), 1, device);
            }
            foreach (var text in hostTexts.Where(t => t.Text != null))
            {
                builder.Host.AddText(text.Part, Lines(text.Text), new TextOrigin(text.Name));
            }
            var sources = new[] { ("-LinkText", LinkText), ("-AddressText", AddressText), ("-RouteText", RouteText), ("-NeighborText", NeighborText), ("-FdbText", FdbText) }
                .Concat(hostTexts.Select(t => (t.Name, t.Text)))
                .Where(s => s.Item2 != null).Select(s => s.Item1);
            Finish(builder, builder.Build(HostName, null, string.Join(" ", sources)), "text");
        }

        private void Finish(NodeStateBuilder builder, NodeState state, string origin)
        {
            NodeTableCommandHelper.WriteProblems(this, builder.Problems);
            WriteVerbose(string.Format(System.Globalization.CultureInfo.InvariantCulture,
                "{0}: {1} lines read, {2} skipped; {3} devices, {4} routes, {5} neighbours, {6} FDB entries; VTEP {7}.",
                origin, builder.LinesRead, builder.LinesSkipped, state.Interfaces.Count, state.Routes.Count, state.Neighbors.Count, state.Fdb.Count,
                state.Vtep?.Name ?? state.VtepV6?.Name ?? "none"));
            WriteObject(state);
        }
    }
}
