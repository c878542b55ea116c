using System.Diagnostics;
using System.Management.Automation;
using FlannelTools.Completion;

namespace FlannelTools.Commands
{
    /// <summary>Decodes VXLAN frames from pcap and pcapng captures into objects with the outer and inner headers.</summary>
    /// <seealso href="docs/walkthrough.md">The walkthrough: from a capture to the FDB entry</seealso>
    /// <seealso href="docs/capturing.md">Captures: reading, filtering, live capture, conversations</seealso>
    /// <seealso cref="GetVxlanConversationCommand"/>
    /// <seealso cref="TestVxlanCaptureCommand"/>
    /// <seealso cref="ResolveOverlayPathCommand"/>
    /// <remarks>
    /// Get-VxlanFrame reads captures taken on a node's underlay (tcpdump -i eth0 -w file, or -i any) and emits one
    /// FlannelTools.VxlanFrame per VXLAN frame: the outer Ethernet, IP and UDP headers, the VNI, and the inner
    /// Ethernet, IP and TCP/UDP/ICMP headers, as the walkthrough (docs/walkthrough.md) reads them in Wireshark. VXLAN is recognised on the
    /// UDP destination ports given by -Port (default 8472, flannel's port on Linux, and 4789, the IANA port flannel
    /// uses with Windows nodes) with no other set-up. Frames are numbered as Wireshark numbers them.
    /// <para/>
    /// Reads pcap (microsecond and nanosecond) and pcapng (several interfaces and link types in one file) with
    /// Ethernet, 802.1Q/QinQ, Linux cooked v1/v2 and raw IP link types. The filters run before objects are made.
    /// -Filter is a libpcap (BPF) expression tested against each outer frame; BPF sees 802.1Q-tagged frames only
    /// through 'vlan' in the expression (for example 'vlan and udp port 8472').
    /// <para/>
    /// With -InterfaceName it captures live through libpcap instead, emitting frames as they arrive, until -Count
    /// VXLAN frames, -Duration, or Ctrl+C; without -Filter the kernel is given a filter derived from -Port so the
    /// host does not copy every packet. Packets dropped by the kernel or the interface are reported as a warning.
    /// <para/>
    /// A file that cannot be read is a non-terminating error and the other files are still read; a frame whose
    /// headers are cut short is still emitted, with a warning naming its frame number.
    /// </remarks>
    /// <example>
    /// <code>Get-VxlanFrame ./samples/walkthrough.pcap</code>
    /// <para>Decodes the walkthrough's capture into the outer/inner table.</para>
    /// </example>
    /// <example>
    /// <code>Get-ChildItem *.pcap | Get-VxlanFrame -Vni 1 | Where-Object InnerDestinationAddress -eq 10.244.2.101 | Export-Csv frames.csv</code>
    /// <para>Reads every capture in the folder and exports the frames to one pod as CSV.</para>
    /// </example>
    /// <example>
    /// <code>Get-VxlanFrame -InterfaceName eth0 -Count 10 -Duration 30 -OutFile node1.pcap</code>
    /// <para>Captures on the node's underlay until ten VXLAN frames have arrived or thirty seconds have passed, emitting each frame as it arrives and saving every packet to node1.pcap.</para>
    /// </example>
    /// <example>
    /// <code>Get-VxlanFrame -Path node1.pcap -HostAddress 192.168.0.13 | Group-Object InnerDestinationMac</code>
    /// <para>Counts the frames to node2 by the inner destination MAC node1 put in them.</para>
    /// </example>
    /// <example>
    /// <code>Get-VxlanFrame -Path underlay.pcap -Between 192.168.0.12,192.168.0.13</code>
    /// <para>The walkthrough's pair filter (Wireshark's ip.host==192.168.0.12 &amp;&amp; ip.host==192.168.0.13): only the frames between node1 and node2, either way, none of their frames with master.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "VxlanFrame", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(VxlanFrame))]
    public sealed class GetVxlanFrameCommand : CaptureFilterCommand
    {
        private const string LiveSet = "Live";

        /// <summary>The interface to capture on live (as libpcap names it: eth0, any). Needs the right to capture (root or CAP_NET_RAW).</summary>
        [Parameter(Mandatory = true, ParameterSetName = LiveSet)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(InterfaceNameCompleter))]
        public string InterfaceName { get; set; }

        /// <summary>Live: stop after this many VXLAN frames have been emitted.</summary>
        [Parameter(ParameterSetName = LiveSet)]
        [ValidateRange(1, int.MaxValue)]
        public int Count { get; set; }

        /// <summary>Live: stop after this long, more than 0; a TimeSpan, or plain seconds (-Duration 10).</summary>
        [Parameter(ParameterSetName = LiveSet)]
        [SecondsToTimeSpan]
        [ValidatePositiveDuration]
        public TimeSpan Duration { get; set; }

        /// <summary>Live: also write every captured packet to this pcap file, which Get-VxlanFrame -Path reads back.</summary>
        [Parameter(ParameterSetName = LiveSet)]
        [ValidateNotNullOrEmpty]
        public string OutFile { get; set; }

        /// <summary>Live: overwrite -OutFile if it exists.</summary>
        [Parameter(ParameterSetName = LiveSet)]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord()
        {
            RecordReceived();
            if (ParameterSetName == LiveSet)
            {
                CaptureLive();
                return;
            }
            foreach (string file in ResolvedFiles())
            {
                ReadFile(file);
            }
        }

        private void ReadFile(string file)
        {
            using (CaptureLoop loop = CaptureLoop.OpenFile(this, file, "Get-VxlanFrame", Ports, FrameFilter, Filter))
            {
                if (loop != null)
                {
                    EmitFrames(loop);
                }
            }
        }

        private void CaptureLive()
        {
            string outFile = OutFile == null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(OutFile);
            LiveCaptureReader reader;
            try
            {
                reader = new LiveCaptureReader(InterfaceName, Filter ?? KernelFilterFor(Port ?? PortSet.DefaultVxlanPorts), outFile, Force.IsPresent);
            }
            catch (CaptureException e)
            {
                ThrowTerminatingError(CommandErrors.FromCapture(e, InterfaceName));
                return;
            }
            // The kernel applies -Filter live, so the loop tests none.
            using (var loop = new CaptureLoop(this, reader, "Get-VxlanFrame", Ports, FrameFilter, bpfExpression: null))
            {
                EmitFrames(loop);
                LiveCaptureStatistics statistics = reader.Statistics;
                if (statistics.DroppedByKernel > 0 || statistics.DroppedByInterface > 0)
                {
                    WriteWarning(string.Format(CultureInfo.InvariantCulture,
                        "{0}: {1} packets dropped by the kernel and {2} by the interface while capturing ({3} received); frames may be missing.",
                        InterfaceName, statistics.DroppedByKernel, statistics.DroppedByInterface, statistics.Received));
                }
            }
        }

        /// <summary>Writes the frames and warnings of a file, or of a live capture until -Count frames or -Duration.</summary>
        private void EmitFrames(CaptureLoop loop)
        {
            Stopwatch elapsed = Stopwatch.StartNew();
            int emitted = 0;
            foreach (CaptureStep step in loop.Frames(Cancellation))
            {
                if (step.Warning != null)
                {
                    WriteWarning(step.Warning);
                }
                if (step.Frame != null)
                {
                    WriteObject(step.Frame);
                    emitted++;
                }
                if ((Count > 0 && emitted >= Count) || (Duration > TimeSpan.Zero && elapsed.Elapsed >= Duration))
                {
                    break;
                }
            }
        }

        /// <summary>
        /// The kernel filter for the VXLAN ports: UDP to those ports, plus later IP fragments (which carry no ports),
        /// so a fragmented tunnel packet is still reported.
        /// </summary>
        internal static string KernelFilterFor(IEnumerable<int> ports) =>
            "(" + string.Join(" or ", ports.Select(p => "udp dst port " + p.ToString(CultureInfo.InvariantCulture))) + ")" +
            " or (ip and ip[6:2] & 0x1fff != 0) or (ip6 and ip6[6] == 44)";
    }
}
