using System.Management.Automation;
using FlannelTools.Completion;

namespace FlannelTools.Commands
{
    /// <summary>Gets the forwarding database (FDB) of flannel's VXLAN devices, live or from printed bridge fdb output.</summary>
    /// <seealso href="docs/walkthrough.md">The walkthrough: from a capture to the FDB entry</seealso>
    /// <seealso href="docs/node-tables.md">The node's tables: Get-FlannelNodeState, Get-FlannelFdb, Resolve-OverlayPath</seealso>
    /// <seealso cref="GetFlannelNodeStateCommand"/>
    /// <seealso cref="ResolveOverlayPathCommand"/>
    /// <seealso cref="TestFlannelNodeCommand"/>
    /// <remarks>
    /// Get-FlannelFdb emits one FlannelTools.FdbEntry per FDB entry: the MAC, the remote VTEP address (Destination), the
    /// device, the flags, the state, and the VNI, port and master when the entry has them. On flannel's VTEP each entry
    /// maps a remote node's VTEP MAC to that node's underlay address, the lookup that gives a VXLAN packet its outer
    /// destination IP.
    /// <para/>
    /// With no input it reads the local kernel (Linux, through bridge -j fdb show, also inside a network namespace): by
    /// default the entries of flannel's VXLAN devices (flannel.VNI and flannel-v6.VNI, found among the node's VXLAN
    /// devices, not assumed); -Device names others.
    /// <para/>
    /// With -InputObject (text piped from a native command, such as ssh node1 bridge fdb show dev flannel.1) or -Path it
    /// parses printed output instead: bridge fdb show text with any kernel's flag words, bridge -s fdb show, and bridge -j
    /// fdb show JSON. Text lines stream; JSON (recognised by its first character) is parsed when the input ends. Parsed
    /// input keeps every device's entries unless -Device is given; a line printed without a device (bridge fdb show dev X
    /// leaves it out) takes the device from -Device when exactly one is given, and is never filtered away for lacking one.
    /// <para/>
    /// A line that cannot be read is a warning naming its line number and text (at most 200 characters of it); the other lines are still read, and
    /// -Verbose says how many lines were read and skipped. A file that is not text (a capture given as an FDB file) is one
    /// FileNotText error, and a 0-byte file one warning naming it.
    /// <para/>
    /// Position 0 is -Device: a value given there by position that names an existing file (Get-FlannelFdb good.fdb) is a
    /// FileGivenAsName error saying to use -Path, and neither ip nor bridge is run; -Device good.fdb is taken as a name.
    /// </remarks>
    /// <example>
    /// <code>Get-FlannelFdb</code>
    /// <para>Lists the FDB entries of the local node's flannel VXLAN devices.</para>
    /// </example>
    /// <example>
    /// <code>ssh node1 bridge fdb show dev flannel.1 | Get-FlannelFdb -Device flannel.1</code>
    /// <para>Parses the FDB printed on node1; the lines carry no device, so they take flannel.1 from -Device.</para>
    /// </example>
    /// <example>
    /// <code>Get-ChildItem node1.fdb | Get-FlannelFdb -MacAddress ee:81:17:b0:fd:7b</code>
    /// <para>Reads a saved bridge fdb show output and keeps the entry of node2's VTEP MAC: its Destination is the outer destination IP of the walkthrough.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "FlannelFdb", DefaultParameterSetName = LiveSet)]
    [OutputType(typeof(FdbEntry))]
    public sealed class GetFlannelFdbCommand : FileCommand
    {
        private const string LiveSet = "Live";
        private const string InputObjectSet = "InputObject";
        private const string InputOrigin = "InputObject";

        private WildcardPattern[] _devices;
        private string _defaultDevice;
        private HashSet<string> _macs;
        private HashSet<string> _destinations;

        // -InputObject: text lines stream; JSON is kept until the end.
        private int _inputLineNumber;
        private bool? _inputIsJson;
        private readonly List<string> _inputJson = new List<string>();
        private int _inputRead;
        private int _inputSkipped;
        private int _inputEmitted;

        /// <summary>Devices whose entries are wanted (wildcards allowed). Live, default: flannel's VXLAN devices. Parsed input, default: every device; lines printed without a device take this one when exactly one is given.</summary>
        [Parameter(Position = 0)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(VxlanDeviceCompleter))]
        public string[] Device { get; set; }

        /// <summary>Keeps only entries of these MACs (any common notation: aa:bb:cc:dd:ee:ff, aa-bb-…, aabb.ccdd.eeff).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] MacAddress { get; set; }

        /// <summary>Keeps only entries whose remote VTEP address (dst) is one of these.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] Destination { get; set; }

        /// <summary>Printed bridge fdb show output (text or JSON), one line per string or several lines in one string; usually piped from a native command.</summary>
        [Parameter(Mandatory = true, ParameterSetName = InputObjectSet, ValueFromPipeline = true)]
        [AllowEmptyString]
        [AllowNull]
        public string[] InputObject { get; set; }

        /// <summary>Files holding bridge fdb show output (text, -s or -j); wildcards are expanded.</summary>
        [Parameter(Mandatory = true, ParameterSetName = PathSet)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public override string[] Path { get; set; }

        protected override void BeginProcessing()
        {
            ErrorRecord fileAsName = PositionalFileCheck.Check(this, nameof(Device), Device, "a device's name");
            if (fileAsName != null)
            {
                ThrowTerminatingError(fileAsName);
            }
            _devices = Device?.Select(d => new WildcardPattern(d, WildcardOptions.CultureInvariant)).ToArray();
            _defaultDevice = Device != null && Device.Length == 1 && !WildcardPattern.ContainsWildcardCharacters(Device[0]) ? Device[0] : null;
            if (MacAddress != null)
            {
                _macs = new HashSet<string>(StringComparer.Ordinal);
                foreach (string text in MacAddress)
                {
                    _macs.Add(FlannelTools.Addressing.MacAddress.Normalize(text) ?? throw Terminate(CommandErrors.InvalidMacAddress.Record(text,
                        "-MacAddress: '" + text + "' is not a MAC address.")));
                }
            }
            if (Destination != null)
            {
                _destinations = new HashSet<string>(StringComparer.Ordinal);
                foreach (string text in Destination)
                {
                    if (!IpAddressValue.TryParse(text, out IpAddressValue address))
                    {
                        throw Terminate(CommandErrors.InvalidAddress.Record(text, "-Destination: '" + text + "' is not an IPv4 or IPv6 address."));
                    }
                    _destinations.Add(address.ToString());
                }
            }
        }

        protected override void ProcessRecord()
        {
            RecordReceived();
            switch (ParameterSetName)
            {
                case InputObjectSet:
                    ReadInput();
                    break;
                case PathSet:
                case LiteralPathSet:
                    foreach (string file in ResolvedFiles())
                    {
                        ReadFile(file);
                    }
                    break;
                default:
                    ReadLive();
                    break;
            }
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            if (ParameterSetName != InputObjectSet)
            {
                return;
            }
            if (_inputIsJson == true)
            {
                ParseResult<FdbEntry> result = NodeStateBuilder.ParseFdb(_inputJson, new TextOrigin(InputOrigin), 1, _defaultDevice);
                Emit(result, InputOrigin);
                return;
            }
            NodeTableCommandHelper.WriteCounts(this, InputOrigin, _inputRead, _inputSkipped, _inputEmitted, "entries emitted");
        }

        private void ReadInput()
        {
            var origin = new TextOrigin(InputOrigin);
            foreach (string line in LineTable.SplitLines(InputObject ?? new string[0]))
            {
                _inputLineNumber++;
                if (_inputIsJson != true && TerminalText.IsTerminalLine(line, out string what))
                {
                    // A prompt, a command or a separator pasted with the output: a note, and it does not decide the form.
                    _defaultDevice = _defaultDevice ?? NodeStateBuilder.FdbDeviceOf(TerminalText.CommandOf(line));
                    NodeTableCommandHelper.WriteProblems(this, new[] { TerminalText.Note(origin, _inputLineNumber, line, what) });
                    _inputJson.Add(string.Empty);
                    continue;
                }
                if (_inputIsJson == null && !string.IsNullOrWhiteSpace(line))
                {
                    _inputIsJson = NodeStateBuilder.IsJson(new[] { line });
                }
                if (_inputIsJson == true)
                {
                    _inputJson.Add(line);
                    continue;
                }
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }
                _inputRead++;
                if (LineTable.TryParse(line, origin, _inputLineNumber, (l, source) => IprouteTextParser.ParseFdbEntry(l, source, _defaultDevice),
                    out FdbEntry entry, out ParseProblem problem))
                {
                    if (Keep(entry))
                    {
                        WriteObject(entry);
                        _inputEmitted++;
                    }
                }
                else
                {
                    _inputSkipped++;
                    WriteWarning(problem.ToString());
                }
            }
        }

        private void ReadFile(string file)
        {
            string[] lines = ReadTextLines(file);
            if (lines == null)
            {
                return;
            }
            var origin = new TextOrigin(file);
            Emit(NodeStateBuilder.ParseFdb(lines, origin, 1, _defaultDevice), file);
        }

        private void ReadLive()
        {
            NodeTableCommandHelper.AssertLiveModeAvailable(this, "ip", "bridge");
            try
            {
                HashSet<string> flannelDevices = Device == null ? FindFlannelDevices() : null;
                if (flannelDevices == null && Device == null)
                {
                    return;
                }
                if (flannelDevices != null && flannelDevices.Count == 0)
                {
                    WriteWarning("This node has no flannel VXLAN device (flannel.VNI or flannel-v6.VNI); use -Device to name the devices whose FDB you want.");
                    return;
                }
                NativeCommandResult result = NativeCommand.Run("bridge", new[] { "-j", "fdb", "show" }, NodeTableCommandHelper.CommandTimeout, Cancellation);
                if (result.ExitCode != 0)
                {
                    WriteError(NodeTableCommandHelper.FromFailure(result));
                    return;
                }
                ParseResult<FdbEntry> entries = IprouteJsonParser.ParseFdb(result.StandardOutput, TextOrigin.Live);
                if (flannelDevices != null)
                {
                    entries.Entries.RemoveAll(e => !flannelDevices.Contains(e.Device));
                }
                Emit(entries, "live");
            }
            catch (NativeCommandException e) when (e.Failure == NativeCommandFailure.Cancelled)
            {
            }
            catch (NativeCommandException e)
            {
                WriteError(NodeTableCommandHelper.FromNative(e));
            }
        }

        /// <summary>flannel's VXLAN devices by name among the node's VXLAN devices; null after an error was written.</summary>
        private HashSet<string> FindFlannelDevices()
        {
            NativeCommandResult links = NativeCommand.Run("ip", new[] { "-j", "-d", "link", "show" }, NodeTableCommandHelper.CommandTimeout, Cancellation);
            if (links.ExitCode != 0)
            {
                WriteError(NodeTableCommandHelper.FromFailure(links));
                return null;
            }
            var vteps = new List<Vtep>();
            ParseResult<Interface> devices = IprouteJsonParser.ParseLinks(links.StandardOutput, TextOrigin.Live, vteps);
            NodeTableCommandHelper.WriteProblems(this, devices.Problems);
            var names = new HashSet<string>(vteps.Select(v => v.Name).Where(n => IprouteTextParser.FlannelDeviceName.IsMatch(n)), StringComparer.Ordinal);
            WriteVerbose("flannel VXLAN devices: " + (names.Count == 0 ? "none" : string.Join(", ", names)) + ".");
            return names;
        }

        private void Emit(ParseResult<FdbEntry> result, string origin)
        {
            NodeTableCommandHelper.WriteProblems(this, result.Problems);
            int emitted = 0;
            foreach (FdbEntry entry in result.Entries.Where(Keep))
            {
                WriteObject(entry);
                emitted++;
            }
            NodeTableCommandHelper.WriteCounts(this, origin, result.LinesRead, result.LinesSkipped, emitted, "entries emitted");
        }

        private bool Keep(FdbEntry entry) =>
            (_devices == null || entry.Device == null || _devices.Any(d => d.IsMatch(entry.Device))) &&
            (_macs == null || _macs.Contains(entry.MacAddress)) &&
            (_destinations == null || (entry.Destination != null && _destinations.Contains(entry.Destination)));

        private PipelineStoppedException Terminate(ErrorRecord error)
        {
            ThrowTerminatingError(error);
            return null;
        }
    }
}
