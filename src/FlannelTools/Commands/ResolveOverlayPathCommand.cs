using System.Management.Automation;
using System.Net;
using FlannelTools.Overlay;

namespace FlannelTools.Commands
{
    /// <summary>Derives every header of the packet a node sends from one pod address to another, and names the table that gave each one.</summary>
    /// <seealso href="docs/walkthrough.md">The walkthrough: from a capture to the FDB entry</seealso>
    /// <seealso href="docs/node-tables.md">The node's tables: Get-FlannelNodeState, Get-FlannelFdb, Resolve-OverlayPath</seealso>
    /// <seealso cref="GetFlannelNodeStateCommand"/>
    /// <seealso cref="GetVxlanFrameCommand"/>
    /// <remarks>
    /// Resolve-OverlayPath makes the derivation of the walkthrough (docs/walkthrough.md) from a node's tables (a NodeState from Get-FlannelNodeState;
    /// without -NodeState, the local node read live): the route to the destination (longest prefix, then metric; onlink
    /// gateways), the VTEP (inner source MAC, VNI, UDP port, outer source address), the neighbour entry of the route's next
    /// hop on the VTEP (inner destination MAC), the FDB entry of that MAC (outer destination address), and on the underlay
    /// the route to that address, the underlay device's MAC and the neighbour entry of the next hop (outer destination MAC).
    /// <para/>
    /// Each lookup is a step of the result with the entry it used, printed as ip or bridge print it, the field it determined
    /// and why. A missing or wrong entry is a failed step, and the path's Status is then Incomplete: no route, a route that does
    /// not enter the VTEP, no neighbour or an INCOMPLETE or FAILED one, no FDB entry (flannel programs no default entry, so the
    /// kernel drops the packet), and with -Node an FDB entry or neighbour entry that disagrees with what the node owning the
    /// destination announces. A learned (STALE, REACHABLE) neighbour on the VTEP is used with a warning; a missing underlay
    /// neighbour is not a failure (the kernel ARPs for it). Tables pasted from route -n, which cannot show onlink, are accepted
    /// as they are, and when they hold no route to the remote VTEP address its underlay network is assumed, as a step says.
    /// <para/>
    /// The output's header properties have VxlanFrame's names. With -Frame, Observed counts the captured frames of the pair that
    /// carry exactly the predicted headers and Mismatches lists the fields in which the others differ. Source and destination
    /// bind from the pipeline by property name (also as InnerSourceAddress and InnerDestinationAddress), so CSV rows and
    /// this module's objects can be piped in; frames are given to -Frame, never piped.
    /// </remarks>
    /// <example>
    /// <code>Resolve-OverlayPath 10.244.1.178 10.244.2.101 | Format-List</code>
    /// <para>Derives, on node1 itself, the headers of the walkthrough's packet and lists the lookups that gave them.</para>
    /// </example>
    /// <example>
    /// <code>Resolve-OverlayPath 10.244.1.178 10.244.2.101 -NodeState $node1 -Node (Get-FlannelNode)</code>
    /// <para>Resolves the path from node1's saved tables ($node1 = Get-FlannelNodeState -Path node1.state) and checks the FDB and neighbour entries against what the cluster's nodes announce.</para>
    /// </example>
    /// <example>
    /// <code>Resolve-OverlayPath 10.244.1.178 10.244.2.101 -NodeState $node1 -Frame (Get-VxlanFrame eth0-node1.pcap) | Select-Object Status, Observed, Mismatches</code>
    /// <para>Checks the prediction against node1's capture: how many frames agree, and which fields of the others differ.</para>
    /// </example>
    /// <example>
    /// <code>Import-Csv pairs.csv | Resolve-OverlayPath -NodeState $node1 | Where-Object Status -ne Resolved | Select-Object InnerDestinationAddress, FailedStep</code>
    /// <para>Resolves every address pair of a CSV file (columns SourceAddress and DestinationAddress) and shows the broken ones with their first failing lookup.</para>
    /// </example>
    [Cmdlet(VerbsDiagnostic.Resolve, "OverlayPath")]
    [OutputType(typeof(OverlayPath))]
    public sealed class ResolveOverlayPathCommand : PSCmdlet, IDisposable
    {
        private readonly StopSignal _stop = new StopSignal();
        private NodeState _state;
        private List<CapturedHeaders> _frames;
        private bool _recordReceived;

        /// <summary>The inner source address: the sending pod's IP (IPv4 or IPv6).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("InnerSourceAddress")]
        [ValidateNotNullOrEmpty]
        public string SourceAddress { get; set; }

        /// <summary>The inner destination address: the receiving pod's IP, of the same family.</summary>
        [Parameter(Mandatory = true, Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("InnerDestinationAddress")]
        [ValidateNotNullOrEmpty]
        public string DestinationAddress { get; set; }

        /// <summary>The sending node's tables (Get-FlannelNodeState; also its deserialized form from Import-Clixml or remoting). Default: the local node, read live.</summary>
        [Parameter]
        [NodeStateTransformation]
        [ValidateNotNull]
        public NodeState NodeState { get; set; }

        /// <summary>The cluster's nodes (Get-FlannelNode): the neighbour and FDB entries are checked against the VtepMAC and public-ip of the node that owns the destination's pod subnet.</summary>
        [Parameter]
        [FlannelNodeTransformation]
        public FlannelNode[] Node { get; set; }

        /// <summary>Captured frames (Get-VxlanFrame, or the same objects deserialized or from Import-Csv) to compare the prediction with; an argument, not pipeline input.</summary>
        [Parameter]
        public PSObject[] Frame { get; set; }

        protected override void BeginProcessing()
        {
            _state = NodeState ?? ReadLive();
            if (Frame != null)
            {
                _frames = Frame.Where(f => f != null).Select(ToHeaders).ToList();
            }
        }

        protected override void ProcessRecord()
        {
            _recordReceived = true;
            if (_state == null)
            {
                return;
            }
            OverlayPath path;
            try
            {
                path = OverlayPathResolver.Resolve(_state, SourceAddress, DestinationAddress, Node?.Where(n => n != null).ToList());
            }
            catch (ArgumentException e)
            {
                WriteError(CommandErrors.InvalidAddressPair.Wrap(e, SourceAddress + " -> " + DestinationAddress));
                return;
            }
            if (_frames != null)
            {
                OverlayPathResolver.Compare(path, _frames);
            }
            foreach (OverlayStep step in path.Steps.Where(s => s.Outcome == OverlayStepOutcome.Warning))
            {
                WriteWarning(path.InnerSourceAddress + " -> " + path.InnerDestinationAddress + ": " + (step.Entry == null ? string.Empty : step.Entry + ": ") + step.Explanation);
            }
            WriteObject(path);
        }

        protected override void EndProcessing() => FileCommand.WarnIfNothingPiped(this, _recordReceived, _stop.IsStopping);

        protected override void StopProcessing() => _stop.Stop();

        public void Dispose() => _stop.Dispose();

        private NodeState ReadLive()
        {
            var builder = new NodeStateBuilder();
            NodeState state = NodeTableCommandHelper.ReadLiveState(this, builder, Dns.GetHostName(), _stop.Token, hostLayer: false);
            NodeTableCommandHelper.WriteProblems(this, builder.Problems);
            return state;
        }

        /// <summary>A frame's headers by property name: a VxlanFrame, or any object with its property names (deserialized, Import-Csv).</summary>
        private static CapturedHeaders ToHeaders(PSObject frame)
        {
            if (frame.BaseObject is VxlanFrame vxlan)
            {
                return CapturedHeaders.From(vxlan);
            }
            return new CapturedHeaders
            {
                FrameNumber = Number<long>(frame, nameof(VxlanFrame.FrameNumber)) ?? 0,
                InnerSourceAddress = Text(frame, nameof(VxlanFrame.InnerSourceAddress)),
                InnerDestinationAddress = Text(frame, nameof(VxlanFrame.InnerDestinationAddress)),
                InnerSourceMac = Text(frame, nameof(VxlanFrame.InnerSourceMac)),
                InnerDestinationMac = Text(frame, nameof(VxlanFrame.InnerDestinationMac)),
                OuterSourceAddress = Text(frame, nameof(VxlanFrame.OuterSourceAddress)),
                OuterDestinationAddress = Text(frame, nameof(VxlanFrame.OuterDestinationAddress)),
                OuterSourceMac = Text(frame, nameof(VxlanFrame.OuterSourceMac)),
                OuterDestinationMac = Text(frame, nameof(VxlanFrame.OuterDestinationMac)),
                Vni = Number<int>(frame, nameof(VxlanFrame.Vni)),
                OuterDestinationPort = Number<int>(frame, nameof(VxlanFrame.OuterDestinationPort)),
            };
        }

        private static string Text(PSObject o, string name)
        {
            object value = o.Properties[name]?.Value;
            value = value is PSObject p ? p.BaseObject : value;
            string text = value == null ? null : Convert.ToString(value, CultureInfo.InvariantCulture);
            return string.IsNullOrEmpty(text) ? null : text;
        }

        private static T? Number<T>(PSObject o, string name) where T : struct =>
            Text(o, name) is string text && LanguagePrimitives.TryConvertTo(text, CultureInfo.InvariantCulture, out T value) ? value : (T?)null;
    }
}
