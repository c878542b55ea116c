using System.Management.Automation;
using FlannelTools.Completion;
using FlannelTools.Diagnosis;

namespace FlannelTools.Commands
{
    /// <summary>Checks the VXLAN frames of captures against what the cluster's nodes announce, and reports what is wrong on the wire.</summary>
    /// <seealso href="docs/walkthrough.md">The walkthrough: from a capture to the FDB entry</seealso>
    /// <seealso href="docs/diagnosis.md">Diagnosis: the checks of Test-FlannelNode and Test-VxlanCapture</seealso>
    /// <seealso href="docs/scheduled-use.md">Scheduled checks</seealso>
    /// <seealso cref="GetVxlanFrameCommand"/>
    /// <seealso cref="TestFlannelNodeCommand"/>
    /// <remarks>
    /// Test-VxlanCapture reads captures as Get-VxlanFrame does (pcap or pcapng, -Path with wildcards or -LiteralPath) and
    /// the cluster's nodes (-Node; default: Get-FlannelNode through kubectl), and emits FlannelTools.Finding objects, as
    /// Test-FlannelNode does, so the findings of both can be grouped and exported together. Each finding names the node
    /// it is about (Node), the node where Remedy is to be run (LocalNode), what the cluster announces (Expected) and what
    /// the frames carry, with the first frame numbers and their count (Actual). The checks, for frames between pods of
    /// two nodes: InnerDestinationMac (the receiving node's announced VtepMAC; another MAC is the stale-VtepMAC symptom),
    /// InnerSourceMac (the sending node's VtepMAC), OuterDestinationAddress (the receiving node's public IP; another is a
    /// wrong FDB destination), and for every VXLAN frame Vni (the VNI the cluster announces), OuterDestinationPort (-Port,
    /// else 8472, or 4789 when the cluster's VNI is 4096 or more) and Fragmentation (outer IP fragments: an MTU without
    /// room for VXLAN's 50 bytes; a Warning); Checksum: on every frame captured whole, the outer IPv4 header, outer UDP
    /// (zero is none), inner IPv4 header and inner TCP/UDP checksums are verified. An outer UDP checksum still wrong once
    /// the inner one is complete, on a frame that fits a 1500-byte MTU, is the VXLAN checksum bug: an Error about the
    /// sending node, whose Remedy turns off its VTEP's tx-checksum-ip-generic with ethtool, with the udev rule that keeps
    /// it off. The transmit offload's unfinished checksums (the inner one holding only the pseudo-header sum, the outer
    /// one valid once it is filled in) are never blamed: a capture where every frame carries them gives one Information
    /// finding saying its checksums cannot be judged. And Reply: a conversation between pods of two nodes with frames one way
    /// only (TCP that sent SYNs, UDP, ICMP) is a Warning that UDP may be dropped on the receiving node or on the way,
    /// the one thing Test-FlannelNode cannot see from the tables. A capture taken on the sending node shows it best.
    /// Each finding's Capture names the file whose frames prove it.
    /// <para/>
    /// Delivery, when two or more captures are given in one call (taken at overlapping times on several nodes, or on
    /// several interfaces of one): each pod packet between two nodes is followed through the points of its path (the
    /// sender's bridge or pod veth, its VTEP, its underlay; the receiver's underlay, VTEP, bridge or pod veth), and an
    /// Error names the segment where packets stop: the last point they were seen at and the first, covered by a capture
    /// at that time, where they are missing, with the frame numbers. Packets are matched by their inner addresses,
    /// ports and protocol with the TCP sequence, acknowledgement, flags and length, else the IPv4 ID, else a hash of
    /// what follows the IP header; never by time alone. A capture's node is the one whose public IP every VXLAN frame
    /// carries (a -i any capture's packet types give the end; frames flooded to another host are left out); a capture
    /// that does not show it is an Unknown finding and is left out. Clock offsets are estimated from packets two
    /// captures both hold; where none match, the clocks are assumed to agree within -ClockTolerance and only packets
    /// inside that margin of the other capture's window are judged, and the finding says so. Packets outside every
    /// window of the capture that should hold them give an Unknown finding: unproven, no drop claimed. -NodeState names
    /// the VTEP and the bridge in the messages.
    /// <para/>
    /// Frames are checked from their decoded headers, without making a VxlanFrame each. UDP 8472 and 4789 are read
    /// as VXLAN, and the ports given with -Port; -Between checks only the frames between two node addresses. Warnings about single frames (later IP fragments, cut headers) are
    /// written as verbose messages. Errors, Warnings and Unknowns (a check that could not judge) are emitted; -IncludePassed adds one Information finding per check
    /// and capture that found nothing. A capture without VXLAN frames (no UDP to a VXLAN port, or a link type not read) is
    /// one Warning, NoVxlanFrames, and no check passes over it. -Quiet emits exactly one value: $true when every capture was
    /// read, held VXLAN frames and no check found an Error or said Unknown, else $false.
    /// <para/>
    /// A path that resolves to nothing (a wildcard too), a directory, a file that cannot be read, and kubectl failing are
    /// non-terminating errors, and the other files are still checked.
    /// </remarks>
    /// <example>
    /// <code>Test-VxlanCapture node1.pcap</code>
    /// <para>Checks a capture taken on node1 against the cluster of the current kubectl context.</para>
    /// </example>
    /// <example>
    /// <code>Test-VxlanCapture ./samples/walkthrough.pcap -Node (Get-FlannelNode -Path nodes.json) -IncludePassed</code>
    /// <para>Checks the walkthrough's capture against a saved kubectl get nodes -o json, listing the checks that passed too.</para>
    /// </example>
    /// <example>
    /// <code>Test-FlannelNode -NodeState (Get-FlannelNodeState -Path node1.state) -Node $nodes; Test-VxlanCapture node1.pcap -Node $nodes</code>
    /// <para>Checks node1's tables and what node1 sent and received, findings of both together.</para>
    /// </example>
    /// <example>
    /// <code>if (-not (Test-VxlanCapture node1.pcap -Node $nodes -Quiet)) { Test-VxlanCapture node1.pcap -Node $nodes | Export-Csv findings.csv }</code>
    /// <para>In a scheduled script: exports the findings only when a check finds an Error.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Test, "VxlanCapture", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(Finding))]
    public sealed class TestVxlanCaptureCommand : FileCommand
    {

        private IReadOnlyList<FlannelNode> _nodes;
        private DeliveryChecks _delivery;
        // A file given twice is one capture point: matched against itself it proves nothing, so Delivery sees it once.
        private readonly HashSet<string> _deliveryPaths = new HashSet<string>(StringComparer.Ordinal);
        private PortSet _ports;
        private FrameFilter _frameFilter;
        private bool _anyError;
        private bool _couldNotCheck;
        private bool _checkedAny;

        /// <summary>Capture files to check; wildcards are expanded.</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = PathSet, ValueFromPipeline = true)]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public override string[] Path { get; set; }

        /// <summary>Checks only the frames between these two node addresses: the outer source is one and the outer destination the other, either way round (Wireshark's ip.host==A &amp;&amp; ip.host==B). Exactly two different addresses.</summary>
        [Parameter]
        [ValidateAddressPair]
        public string[] Between { get; set; }

        /// <summary>Every node of the cluster, from Get-FlannelNode (also deserialized). Default: Get-FlannelNode through kubectl.</summary>
        [Parameter]
        [FlannelNodeTransformation]
        [ValidateNotNull]
        public FlannelNode[] Node { get; set; }

        /// <summary>The UDP ports the cluster's VTEPs use (no annotation carries them); frames to other ports are reported. Default: 8472, or 4789 when the cluster's VNI is 4096 or more.</summary>
        [Parameter]
        [ValidateRange(1, 65535)]
        public int[] Port { get; set; }

        /// <summary>The kubeconfig context kubectl reads the cluster's nodes from, when -Node is not given: a scheduled script pins its cluster with it.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(KubeContextCompleter))]
        public string Context { get; set; }

        /// <summary>The kubeconfig file kubectl reads, when -Node is not given.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Kubeconfig { get; set; }

        /// <summary>How far the capturing nodes' clocks may differ, in seconds, where no packet matched between two captures (NTP keeps them within this): a packet is judged missing only inside the other capture's window less this margin at both ends. Default: 2.</summary>
        [Parameter]
        [SecondsToTimeSpan]
        [ValidatePositiveDuration]
        public TimeSpan ClockTolerance { get; set; } = TimeSpan.FromSeconds(2);

        /// <summary>Node states (Get-FlannelNodeState) taken on the capturing nodes in the same boot, several accepted: they name the interfaces of -i any (LINUX_SLL2) captures by index in the Delivery findings. Interface names that tcpdump or tshark print come from the reading host and are not used.</summary>
        [Parameter]
        [NodeStateTransformation]
        [ValidateNotNull]
        public NodeState[] NodeState { get; set; }

        /// <summary>Emits the checks that passed too, with Severity Information.</summary>
        [Parameter]
        public SwitchParameter IncludePassed { get; set; }

        /// <summary>
        /// Emits exactly one value: $true when every capture was read, held VXLAN frames, and no check found an Error or said
        /// Unknown (could not judge: checksums of frames all cut short, a Delivery unproven), else $false. What stops a check (a path that resolves to nothing, a file that is not a capture or cannot be read to its
        /// end, kubectl failing) is a non-terminating error followed by $false; a capture without VXLAN frames gives $false
        /// too, so <c>if (-not (Test-VxlanCapture node1.pcap -Quiet))</c> takes its branch.
        /// </summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        protected override void BeginProcessing()
        {
            if (Node != null)
            {
                _nodes = Node.Where(n => n != null).ToList();
            }
            else
            {
                _nodes = KubectlNodes.TryRead(this, Context, Kubeconfig, Cancellation, out ErrorRecord kubectlError);
                if (kubectlError != null)
                {
                    CannotCheck(kubectlError);
                    return;
                }
            }
            if (_nodes.Count == 0 && !IsStopping)
            {
                CannotCheck(CommandErrors.NoNodes.Record(null, "No nodes to compare with: give the cluster's nodes with -Node (Get-FlannelNode)."));
            }
            _ports = new PortSet(PortSet.DefaultVxlanPorts.Concat(Port ?? Array.Empty<int>()));
            _frameFilter = Between == null ? FrameFilter.None : new FrameFilter(between: ValidateAddressPairAttribute.Parse(Between));
            if (_nodes != null)
            {
                _delivery = new DeliveryChecks(_nodes, _ports, ClockTolerance, NodeState?.Where(s => s != null).ToList());
            }
        }

        protected override void ProcessRecord()
        {
            RecordReceived();
            if (_nodes == null || _nodes.Count == 0)
            {
                return;
            }
            bool literal = ParameterSetName == LiteralPathSet;
            foreach (string path in literal ? LiteralPath : Path)
            {
                int errorsBefore = PathErrors;
                bool any = false;
                foreach (string file in ResolveFiles(new[] { path }, literal))
                {
                    any = true;
                    Check(file);
                }
                if (PathErrors != errorsBefore)
                {
                    _couldNotCheck = true;
                }
                else if (!any && !IsStopping)
                {
                    // A wildcard that matches nothing resolves without an error: nothing was checked, so say so.
                    _couldNotCheck = true;
                    WriteError(CommandErrors.PathNotFound.Wrap(new ItemNotFoundException("No file matches '" + path + "'."), path));
                }
            }
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            if (_delivery != null && !IsStopping)
            {
                foreach (Finding finding in _delivery.Findings())
                {
                    _anyError |= finding.Severity == FindingSeverity.Error;
                    _couldNotCheck |= finding.Severity == FindingSeverity.Unknown;
                    if (!Quiet)
                    {
                        WriteObject(finding);
                    }
                }
            }
            if (Quiet && !IsStopping)
            {
                WriteObject(_checkedAny && !_couldNotCheck && !_anyError);
            }
        }

        /// <summary>What stops the checks is an error the script can go on from; with -Quiet, EndProcessing's one value is then $false.</summary>
        private void CannotCheck(ErrorRecord error)
        {
            _couldNotCheck = true;
            WriteError(error);
        }

        private void Check(string file)
        {
            var checks = new CaptureChecks(System.IO.Path.GetFileName(file), _nodes, Port, file);
            long records;
            string reason;
            using (CaptureLoop loop = CaptureLoop.OpenFile(this, file, "Test-VxlanCapture", _ports, _frameFilter, null))
            {
                if (loop == null)
                {
                    _couldNotCheck = true;
                    return;
                }
                VxlanFrameReader frames = loop.Reader;
                frames.VerifyChecksums = true;
                if (_deliveryPaths.Add(file))
                {
                    frames.Observer = _delivery.Begin(System.IO.Path.GetFileName(file), file).Add;
                }
                string firstWarning = null;
                foreach (CaptureStep step in loop.Headers(Cancellation))
                {
                    if (step.Warning != null)
                    {
                        firstWarning = firstWarning ?? (step.Warning.StartsWith(file + ": ", StringComparison.Ordinal) ? step.Warning.Substring(file.Length + 2) : step.Warning);
                        WriteVerbose(step.Warning);
                    }
                    if (step.IsFrame)
                    {
                        checks.Add(in frames.Headers, frames.FrameNumber, frames.Seconds, frames.Nanoseconds, frames.WireLength);
                        checks.AddChecksums(in frames.Headers, in frames.ChecksumVerdicts, frames.FrameNumber);
                    }
                }
                if (IsStopping)
                {
                    return;
                }
                _couldNotCheck |= loop.Failed;
                records = frames.FrameNumber;
                reason = firstWarning;
            }
            WriteVerbose(file + ": " + checks.Frames + " VXLAN frames checked against " + _nodes.Count + " nodes.");
            _checkedAny = true;
            foreach (Finding finding in checks.Findings(IncludePassed && !Quiet, records, reason))
            {
                _anyError |= finding.Severity == FindingSeverity.Error;
                _couldNotCheck |= finding.Check == CaptureChecks.NoVxlanFrames || finding.Severity == FindingSeverity.Unknown;
                if (!Quiet)
                {
                    WriteObject(finding);
                }
            }
        }
    }
}
