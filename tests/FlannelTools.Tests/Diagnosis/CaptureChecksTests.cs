using System.Collections.Generic;
using System.Linq;
using FlannelTools.Decoding;
using FlannelTools.Diagnosis;
using Xunit;
using static FlannelTools.Tests.Decoding.Frame;
using W = FlannelTools.Tests.Decoding.Walkthrough;

namespace FlannelTools.Tests.Diagnosis
{
    public class CaptureChecksTests
    {
        private static readonly PortSet Ports = new PortSet(new[] { 8472, 4789, 4790 });
        private static readonly byte[] Node1Mac = W.InnerSourceMac;       // node1's flannel.1, as announced
        private static readonly byte[] Node2Mac = W.InnerDestinationMac;  // node2's flannel.1, as announced
        private static readonly byte[] OldMac = { 0x5a, 0, 0, 0, 0, 0x0d };
        private static readonly byte[] Pod1 = W.InnerSourceIp;            // 10.244.1.178 on node1
        private static readonly byte[] Pod2 = W.InnerDestinationIp;       // 10.244.2.101 on node2
        private static readonly byte[] MasterIp = { 192, 168, 0, 11 };

        private static List<FlannelNode> Nodes(int vni = 1) => new List<FlannelNode>
        {
            Scenario.Node("master", "10.244.0.0/24", "192.168.0.11", Scenario.MasterMac, vni),
            Scenario.Node("node1", "10.244.1.0/24", "192.168.0.12", Scenario.Node1Mac, vni),
            Scenario.Node("node2", "10.244.2.0/24", "192.168.0.13", Scenario.Node2Mac, vni),
        };

        private static byte[] Inner(byte protocol, byte[] from, byte[] to, byte[] transport, byte[] srcMac, byte[] dstMac) =>
            Ethernet(dstMac, srcMac, EtherIPv4, IPv4(from, to, protocol, transport));

        /// <summary>node1 → node2 on node1's eth0: the walkthrough's outer headers unless told otherwise.</summary>
        private static byte[] Request(byte flags = Syn, byte[] dstMac = null, byte[] srcMac = null, byte[] outerDestination = null,
            ushort port = W.FlannelPort, uint vni = W.Vni, bool moreFragments = false, byte[] to = null) =>
            Ethernet(W.OuterDestinationMac, W.OuterSourceMac, EtherIPv4,
                IPv4(W.OuterSourceIp, outerDestination ?? W.OuterDestinationIp, Udp,
                    VxlanDatagram(Inner(Tcp, Pod1, to ?? Pod2, TcpSegment(43034, 80, flags), srcMac ?? Node1Mac, dstMac ?? Node2Mac), port, vni),
                    moreFragments: moreFragments));

        private static byte[] Reply(byte flags = Syn | Ack) =>
            Ethernet(W.OuterSourceMac, W.OuterDestinationMac, EtherIPv4,
                IPv4(W.OuterDestinationIp, W.OuterSourceIp, Udp,
                    VxlanDatagram(Inner(Tcp, Pod2, Pod1, TcpSegment(80, 43034, flags), Node2Mac, Node1Mac))));

        private static byte[] UdpRequest() =>
            EthernetVxlan(Inner(Udp, Pod1, Pod2, UdpDatagram(40000, 7, Ascii("echo")), Node1Mac, Node2Mac));

        private static IReadOnlyList<Finding> Check(IEnumerable<byte[]> frames, List<FlannelNode> nodes = null, int[] ports = null, bool includePassed = false)
        {
            var checks = new CaptureChecks("node1.pcap", nodes ?? Nodes(), ports);
            long number = 0;
            foreach (byte[] frame in frames)
            {
                number++;
                var h = default(VxlanHeaders);
                VxlanDecoder.Decode(frame, 1, Ports, ref h);
                Assert.Equal(DecodeStatus.Vxlan, h.Status);
                checks.Add(in h, number, 1_700_000_000, (uint)number * 1000, frame.Length);
            }
            return checks.Findings(includePassed);
        }

        private static IReadOnlyList<Finding> Check(params byte[][] frames) => Check(frames, null);

        private static readonly byte[][] Healthy = { Request(Syn), Reply(Syn | Ack), Request(Ack), Reply(Ack) };

        [Fact]
        public void Findings_HealthyConversation_FindNothing()
        {
            Assert.Empty(Check(Healthy));
        }

        [Fact]
        public void Findings_IncludePassed_GivesOneInformationPerCheck()
        {
            IReadOnlyList<Finding> findings = Check(Healthy, includePassed: true);

            Assert.Equal(CaptureChecks.Checks, findings.Select(f => f.Check));
            // No frame's checksums were added (AddChecksums): that check could not look, so it does not pass.
            Assert.All(findings, f => Assert.Equal(f.Check == CaptureChecks.Checksum ? FindingSeverity.Unknown : FindingSeverity.Information, f.Severity));
            Assert.Equal("4 VXLAN frames in node1.pcap", findings[0].Actual);
            Assert.Equal("1", findings.Single(f => f.Check == "Vni").Expected);
            Assert.Equal("8472", findings.Single(f => f.Check == "OuterDestinationPort").Expected);
        }

        [Fact]
        public void InnerDestinationMac_NotTheReceiversVtepMac_IsAStaleVtepMacErrorNamingBothMacsAndTheFrames()
        {
            var frames = Enumerable.Range(0, 7).Select(_ => Request(Syn, dstMac: OldMac)).ToArray();

            Finding f = Assert.Single(Check(frames), x => x.Check == "InnerDestinationMac");

            Assert.Equal(FindingSeverity.Error, f.Severity);
            Assert.Equal("node2", f.Node);
            Assert.Equal("node1", f.LocalNode);
            Assert.Equal(Scenario.Node2Mac, f.Expected);
            Assert.Equal("5a:00:00:00:00:0d in frames 1, 2, 3, 4, 5, … (7 frames)", f.Actual);
            Assert.Contains("7 frames from node1 to node2's pods carry inner destination MAC 5a:00:00:00:00:0d, but node2 announces VtepMAC ee:81:17:b0:fd:7b", f.Message);
            Assert.Equal("ip neigh replace 10.244.2.0 lladdr ee:81:17:b0:fd:7b dev flannel.1 nud permanent; bridge fdb replace ee:81:17:b0:fd:7b dev flannel.1 dst 192.168.0.13 self permanent", f.Remedy);
        }

        [Fact]
        public void InnerSourceMac_NotTheSendersVtepMac_IsAnErrorAboutTheSender()
        {
            Finding f = Assert.Single(Check(Request(Syn, srcMac: OldMac), Reply()));

            Assert.Equal("InnerSourceMac", f.Check);
            Assert.Equal(FindingSeverity.Error, f.Severity);
            Assert.Equal("node1", f.Node);
            Assert.Equal(Scenario.Node1Mac, f.Expected);
            Assert.Equal("5a:00:00:00:00:0d in frame 1", f.Actual);
            Assert.Equal("ip link set dev flannel.1 address 32:73:d8:d1:e9:78", f.Remedy);
        }

        [Fact]
        public void OuterDestinationAddress_NotTheReceiversPublicIp_IsAWrongFdbDestinationError()
        {
            Finding f = Assert.Single(Check(Request(Syn, outerDestination: MasterIp)), x => x.Check == "OuterDestinationAddress");

            Assert.Equal(FindingSeverity.Error, f.Severity);
            Assert.Equal("node2", f.Node);
            Assert.Equal("192.168.0.13", f.Expected);
            Assert.Equal("192.168.0.11 in frame 1", f.Actual);
            Assert.Contains("go to 192.168.0.11 (master's public IP), not to node2's public IP 192.168.0.13", f.Message);
            Assert.Equal("bridge fdb replace ee:81:17:b0:fd:7b dev flannel.1 dst 192.168.0.13 self permanent", f.Remedy);
        }

        [Fact]
        public void Vni_NotTheClustersVni_IsAnError()
        {
            // The reply in VNI 1 is another conversation, so both go unanswered too.
            Finding f = Assert.Single(Check(Request(Syn, vni: 4096), Reply()), x => x.Check == "Vni");

            Assert.Equal(FindingSeverity.Error, f.Severity);
            Assert.Equal("1", f.Expected);
            Assert.Equal("4096 in frame 1", f.Actual);
        }

        [Fact]
        public void OuterDestinationPort_NotTheClustersPort_IsAnError()
        {
            Finding f = Assert.Single(Check(Request(Syn, port: 4789), Reply()));

            Assert.Equal("OuterDestinationPort", f.Check);
            Assert.Equal(FindingSeverity.Error, f.Severity);
            Assert.Equal("node1", f.Node);
            Assert.Equal("8472", f.Expected);
            Assert.Equal("4789 in frame 1", f.Actual);
        }

        [Fact]
        public void OuterDestinationPort_DefaultsTo4789ForAWindowsVni_AndTakesTheGivenPorts()
        {
            var windows = Nodes(vni: 4096);
            byte[][] frames = { Request(Syn, vni: 4096, port: 4789), Request(Syn, vni: 4096, port: 8472) };

            Assert.Equal("8472 in frame 2", Assert.Single(Check(frames, windows), f => f.Check == "OuterDestinationPort").Actual);
            Assert.DoesNotContain(Check(frames, windows, new[] { 4789, 8472 }), f => f.Check == "OuterDestinationPort");
        }

        [Fact]
        public void Fragmentation_OfOuterIp_IsAnMtuWarning()
        {
            Finding f = Assert.Single(Check(Request(Syn, moreFragments: true), Reply()));

            Assert.Equal("Fragmentation", f.Check);
            Assert.Equal(FindingSeverity.Warning, f.Severity);
            Assert.Equal("node1", f.Node);
            Assert.Contains("MTU", f.Message);
        }

        [Fact]
        public void Reply_TcpSynsWithNoAnswer_IsAWarningNamingBothNodesAndTheConversation()
        {
            Finding f = Assert.Single(Check(Request(Syn), Request(Syn), Request(Syn)));

            Assert.Equal("Reply", f.Check);
            Assert.Equal(FindingSeverity.Warning, f.Severity);
            Assert.Equal("node2", f.Node);
            Assert.Equal("node1", f.LocalNode);
            Assert.Contains("traffic from node1 to node2 gets no answer: UDP 8472 may be dropped on node2 or on the way", f.Message);
            Assert.Contains("TCP 10.244.1.178:43034 \u2194 10.244.2.101:80, 3\u2192 0\u2190", f.Actual);
        }

        [Fact]
        public void Reply_UdpOneWay_IsAWarning()
        {
            Assert.Equal("Reply", Assert.Single(Check(UdpRequest(), UdpRequest())).Check);
        }

        [Fact]
        public void Reply_TcpWithoutSyn_IsNotJudged()
        {
            // A capture that began mid-connection, one way only (an asymmetric capture point): no SYN, no claim.
            Assert.Empty(Check(Request(Ack), Request(Ack)));
        }

        [Fact]
        public void Frames_BetweenPodsOfOneNode_AreNotChecked()
        {
            byte[] pod1b = { 10, 244, 1, 179 };

            Assert.Empty(Check(Request(Syn, dstMac: OldMac, to: pod1b)));
        }
    }
}
