using System.Management.Automation;
using FlannelTools.Conversation;

namespace FlannelTools.Commands
{
    /// <summary>Lists the inner conversations that VXLAN frames carry in a capture, both directions together, as Wireshark's Conversations window does.</summary>
    /// <seealso href="docs/walkthrough.md">The walkthrough: from a capture to the FDB entry</seealso>
    /// <seealso href="docs/capturing.md">Captures: reading, filtering, live capture, conversations</seealso>
    /// <seealso cref="GetVxlanFrameCommand"/>
    /// <seealso cref="TestVxlanCaptureCommand"/>
    /// <remarks>
    /// Get-VxlanConversation reads the same captures as Get-VxlanFrame, with the same filters, and emits one
    /// FlannelTools.VxlanConversation per inner conversation per capture file: TCP and UDP by the two endpoints'
    /// address and port, ICMP and other IP by the two addresses and the protocol, anything that is not IP (ARP, …)
    /// by the two inner MACs and the EtherType. A frame whose inner headers are cut short counts in the conversation
    /// its remaining headers identify (the outer addresses when even the inner Ethernet header is cut), with a warning
    /// naming the frame. A is the side that sent the conversation's first frame: the inner and outer addresses,
    /// ports and MACs are those of the frames from A to B, and FramesAToB, FramesBToA, BytesAToB and BytesBToA count
    /// each direction (bytes as on the wire, outer headers included, as Wireshark counts them). InnerDestinationMacs
    /// lists every inner destination MAC A's node used: more than one means B's VTEP MAC changed during the capture.
    /// Conversations in different VNIs are different conversations. The frames are counted from their decoded headers
    /// without making a VxlanFrame each, so a capture is read at nearly the speed of a bare read loop, and memory grows
    /// with the number of conversations, not frames. With -Frame it counts frames already decoded by Get-VxlanFrame
    /// (from the pipeline, after Where-Object or any other filter), grouping them by their Path; the conversations are
    /// written when the input ends.
    /// <para/>
    /// A file that cannot be read is a non-terminating error and the other files are still read; a file that ends
    /// mid-record gives the conversations of the frames before the cut and a TruncatedRecord error.
    /// </remarks>
    /// <example>
    /// <code>Get-VxlanConversation ./samples/walkthrough.pcap</code>
    /// <para>Shows the walkthrough's curl as one TCP conversation between the two pods, with the frames each way.</para>
    /// </example>
    /// <example>
    /// <code>Get-VxlanConversation node1.pcap -InnerAddress 10.244.2.101 | Sort-Object BytesBToA -Descending | Select-Object -First 5 Summary, BytesAToB, BytesBToA</code>
    /// <para>Lists the five conversations with a pod that sent the most bytes back.</para>
    /// </example>
    /// <example>
    /// <code>Get-VxlanConversation node1.pcap | Where-Object { $_.InnerDestinationMacs.Count -gt 1 } | Export-Csv vtep-changes.csv</code>
    /// <para>Finds the conversations whose frames went to more than one VTEP MAC (a remote flannel.1 that changed its MAC during the capture) and exports them; the MAC lists read 'aa:..,bb:..' in the CSV.</para>
    /// </example>
    /// <example>
    /// <code>Get-VxlanFrame ./samples/walkthrough.pcap | Where-Object TcpFlags -ne 'ACK' | Get-VxlanConversation</code>
    /// <para>Counts only the frames that Where-Object lets through, grouped into the same conversations.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Get, "VxlanConversation", DefaultParameterSetName = PathSet)]
    [OutputType(typeof(VxlanConversation))]
    public sealed class GetVxlanConversationCommand : CaptureFilterCommand
    {
        private const string FrameSet = "Frame";

        // -Frame: one table per capture, in the order the captures were first seen.
        private readonly Dictionary<string, ConversationTable> _frameTables = new Dictionary<string, ConversationTable>(StringComparer.Ordinal);
        private readonly List<ConversationTable> _frameTablesInOrder = new List<ConversationTable>();

        /// <summary>Frames already decoded by Get-VxlanFrame, usually from the pipeline; they are grouped by their Path and counted when the input ends.</summary>
        [Parameter(Mandatory = true, ParameterSetName = FrameSet, ValueFromPipeline = true)]
        [ValidateNotNull]
        public VxlanFrame[] Frame { get; set; }

        /// <summary>UDP destination ports that carry VXLAN. Default: 8472 and 4789.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [ValidateRange(1, 65535)]
        public override int[] Port { get => base.Port; set => base.Port = value; }

        /// <summary>A libpcap (BPF) filter expression applied to the outer frame, such as 'udp port 8472' or 'vlan and host 192.168.0.13'; frame numbers stay those of the whole capture. BPF sees 802.1Q-tagged frames only through 'vlan' in the expression.</summary>
        [Parameter(ParameterSetName = PathSet)]
        [Parameter(ParameterSetName = LiteralPathSet)]
        [ValidateNotNullOrEmpty]
        public override string Filter { get => base.Filter; set => base.Filter = value; }

        protected override void ProcessRecord()
        {
            RecordReceived();
            if (ParameterSetName == FrameSet)
            {
                AddFrames(Frame);
                return;
            }
            foreach (string file in ResolvedFiles())
            {
                ReadFile(file);
            }
        }

        protected override void EndProcessing()
        {
            base.EndProcessing();
            foreach (ConversationTable table in _frameTablesInOrder)
            {
                WriteConversations(table);
            }
        }

        private void AddFrames(VxlanFrame[] frames)
        {
            foreach (VxlanFrame frame in frames)
            {
                if (frame == null)
                {
                    continue;
                }
                VxlanHeaders headers = frame.Headers;
                if (!FrameFilter.Matches(in headers))
                {
                    continue;
                }
                string path = frame.Path ?? string.Empty;
                if (!_frameTables.TryGetValue(path, out ConversationTable table))
                {
                    table = new ConversationTable(frame.Path, frame.TimestampDigits);
                    _frameTables.Add(path, table);
                    _frameTablesInOrder.Add(table);
                }
                table.Add(in headers, frame.FrameNumber, frame.Seconds, frame.Nanoseconds, frame.Length);
            }
        }

        private void ReadFile(string file)
        {
            using (CaptureLoop loop = CaptureLoop.OpenFile(this, file, "Get-VxlanConversation", Ports, FrameFilter, Filter))
            {
                if (loop == null)
                {
                    return;
                }
                var table = new ConversationTable(file, loop.Reader.TimestampDigits);
                VxlanFrameReader frames = loop.Reader;
                foreach (CaptureStep step in loop.Headers(Cancellation))
                {
                    if (step.Warning != null)
                    {
                        WriteWarning(step.Warning);
                    }
                    if (step.IsFrame)
                    {
                        table.Add(in frames.Headers, frames.FrameNumber, frames.Seconds, frames.Nanoseconds, frames.WireLength);
                    }
                }
                if (!IsStopping)
                {
                    WriteConversations(table);
                }
            }
        }

        private void WriteConversations(ConversationTable table)
        {
            foreach (VxlanConversation conversation in table.ToConversations())
            {
                WriteObject(conversation);
            }
        }
    }
}
