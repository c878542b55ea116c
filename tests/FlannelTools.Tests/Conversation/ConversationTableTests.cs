using System.Linq;
using FlannelTools.Conversation;
using FlannelTools.Decoding;
using Xunit;
using static FlannelTools.Tests.Decoding.Frame;
using W = FlannelTools.Tests.Decoding.Walkthrough;

namespace FlannelTools.Tests.Conversation
{
    public class ConversationTableTests
    {
        private static readonly PortSet Ports = new PortSet(new[] { 8472, 4789 });
        private static readonly byte[] Node1Mac = W.InnerSourceMac;   // node1's flannel.1
        private static readonly byte[] Node2Mac = W.InnerDestinationMac; // node2's flannel.1
        private static readonly byte[] Pod1 = W.InnerSourceIp;        // 10.244.1.178
        private static readonly byte[] Pod2 = W.InnerDestinationIp;   // 10.244.2.101

        /// <summary>A frame on node1's eth0 from <paramref name="fromNode1"/>'s side: outer headers of that direction, VXLAN, the given inner Ethernet frame.</summary>
        private static byte[] OnWire(byte[] innerEthernet, bool fromNode1 = true, uint vni = W.Vni) =>
            fromNode1
                ? EthernetVxlan(innerEthernet, vni: vni)
                : Ethernet(W.OuterSourceMac, W.OuterDestinationMac, EtherIPv4,
                    IPv4(W.OuterDestinationIp, W.OuterSourceIp, Udp, VxlanDatagram(innerEthernet, vni: vni)));

        private static byte[] Tcp4(byte[] from, ushort fromPort, byte[] to, ushort toPort, byte flags, byte[] srcMac, byte[] dstMac, byte[] payload = null) =>
            Ethernet(dstMac, srcMac, EtherIPv4, IPv4(from, to, Tcp, TcpSegment(fromPort, toPort, flags, payload)));

        private static byte[] Request(byte flags, ushort clientPort = 43034, byte[] payload = null) =>
            OnWire(Tcp4(Pod1, clientPort, Pod2, 80, flags, Node1Mac, Node2Mac, payload));

        private static byte[] Reply(byte flags, ushort clientPort = 43034) =>
            OnWire(Tcp4(Pod2, 80, Pod1, clientPort, flags, Node2Mac, Node1Mac), fromNode1: false);

        /// <summary>Decodes each frame and counts it, numbered from 1, a millisecond apart, its wire length its byte count.</summary>
        private static VxlanConversation[] Conversations(params byte[][] frames) =>
            Conversations(frames.Select((f, i) => ((long)i + 1, f)).ToArray());

        private static VxlanConversation[] Conversations(params (long Number, byte[] Bytes)[] frames)
        {
            var table = new ConversationTable("test.pcap", 6);
            foreach (var (number, bytes) in frames)
            {
                var h = default(VxlanHeaders);
                VxlanDecoder.Decode(bytes, 1, Ports, ref h);
                Assert.Equal(DecodeStatus.Vxlan, h.Status);
                table.Add(in h, number, 1_700_000_000, (uint)(number * 1_000_000), bytes.Length);
            }
            return table.ToConversations().ToArray();
        }

        [Fact]
        public void Add_BothDirectionsOfATcpConnection_MakeOneConversation()
        {
            var c = Assert.Single(Conversations(Request(Syn), Reply(Syn | Ack), Request(Ack), Request(Fin | Ack), Reply(Fin | Ack)));

            Assert.Equal("TCP", c.InnerProtocol);
            Assert.Equal("10.244.1.178", c.InnerSourceAddress);
            Assert.Equal(43034, c.InnerSourcePort);
            Assert.Equal("10.244.2.101", c.InnerDestinationAddress);
            Assert.Equal(80, c.InnerDestinationPort);
            Assert.Equal(3, c.FramesAToB);
            Assert.Equal(2, c.FramesBToA);
            Assert.Equal("TCP 10.244.1.178:43034 \u2194 10.244.2.101:80, 3\u2192 2\u2190", c.Summary);
        }

        [Fact]
        public void Add_FirstFrameFromTheHigherAddress_MakesThatSideA()
        {
            var c = Assert.Single(Conversations(Reply(Syn | Ack), Request(Ack), Request(Ack)));

            Assert.Equal("10.244.2.101", c.InnerSourceAddress);
            Assert.Equal(80, c.InnerSourcePort);
            Assert.Equal("10.244.1.178", c.InnerDestinationAddress);
            Assert.Equal(1, c.FramesAToB);
            Assert.Equal(2, c.FramesBToA);
            Assert.Equal("192.168.0.13", c.OuterSourceAddress);
            Assert.Equal("192.168.0.12", c.OuterDestinationAddress);
            Assert.Equal("ee:81:17:b0:fd:7b", c.InnerSourceMacs.ToString());
        }

        [Fact]
        public void Add_FramesOutOfOrder_TakesAFromTheLowestFrameNumber()
        {
            var inOrder = Assert.Single(Conversations((1, Request(Syn)), (2, Reply(Syn | Ack)), (3, Request(Ack))));
            var reversed = Assert.Single(Conversations((3, Request(Ack)), (2, Reply(Syn | Ack)), (1, Request(Syn))));

            Assert.Equal(inOrder.Summary, reversed.Summary);
            Assert.Equal(1, reversed.FirstFrame);
            Assert.Equal(3, reversed.LastFrame);
            Assert.Equal(inOrder.Start, reversed.Start);
            Assert.Equal(inOrder.End, reversed.End);
            Assert.Equal(inOrder.OuterSourceAddress, reversed.OuterSourceAddress);
        }

        [Fact]
        public void Add_OtherClientPortOrVni_IsAnotherConversation()
        {
            var conversations = Conversations(
                Request(Syn, clientPort: 43034),
                Request(Syn, clientPort: 43036),
                OnWire(Tcp4(Pod1, 43034, Pod2, 80, Syn, Node1Mac, Node2Mac), vni: 2));

            Assert.Equal(3, conversations.Length);
            Assert.Equal(new[] { 43034, 43036, 43034 }, conversations.Select(c => c.InnerSourcePort.Value));
            Assert.Equal(new int?[] { 1, 1, 2 }, conversations.Select(c => c.Vni));
        }

        [Fact]
        public void Add_Icmp_IsKeyedByAddressesAndProtocol_ApartFromUdpBetweenTheSamePods()
        {
            byte[] echoRequest = OnWire(InnerEthernet(EtherIPv4, InnerIPv4(Icmp, IcmpEchoRequest(sequence: 1))));
            byte[] echoRequest2 = OnWire(InnerEthernet(EtherIPv4, InnerIPv4(Icmp, IcmpEchoRequest(id: 7, sequence: 2))));
            byte[] echoReply = OnWire(Ethernet(Node1Mac, Node2Mac, EtherIPv4, IPv4(Pod2, Pod1, Icmp, Concat(Bytes(0, 0), U16(0), U16(1), U16(1)))), fromNode1: false);
            byte[] udp = OnWire(InnerEthernet(EtherIPv4, InnerIPv4(Udp, UdpDatagram(49317, 7, Ascii("echo")))));

            var conversations = Conversations(echoRequest, echoReply, udp, echoRequest2);

            Assert.Equal(2, conversations.Length);
            var icmp = conversations[0];
            Assert.Equal("ICMP", icmp.InnerProtocol);
            Assert.Null(icmp.InnerSourcePort);
            Assert.Null(icmp.InnerDestinationPort);
            Assert.Null(icmp.TcpFlagsSeen);
            Assert.Equal(2, icmp.FramesAToB);
            Assert.Equal(1, icmp.FramesBToA);
            Assert.Equal("ICMP 10.244.1.178 \u2194 10.244.2.101, 2\u2192 1\u2190", icmp.Summary);
            Assert.Equal("UDP 10.244.1.178:49317 \u2194 10.244.2.101:7, 1\u2192 0\u2190", conversations[1].Summary);
        }

        [Fact]
        public void Add_InnerIPv6_WritesCompressedAddressesAndBracketsThemWithPorts()
        {
            byte[] request = OnWire(Ethernet(Node2Mac, Node1Mac, EtherIPv6, IPv6(W.InnerSourceIp6, W.InnerDestinationIp6, Tcp, TcpSegment(40000, 80, Syn))));
            byte[] reply = OnWire(Ethernet(Node1Mac, Node2Mac, EtherIPv6, IPv6(W.InnerDestinationIp6, W.InnerSourceIp6, Tcp, TcpSegment(80, 40000, Syn | Ack))), fromNode1: false);

            var c = Assert.Single(Conversations(request, reply));

            Assert.Equal("fd00:10:244:1::b2", c.InnerSourceAddress);
            Assert.Equal("fd00:10:244:2::65", c.InnerDestinationAddress);
            Assert.Equal("TCP [fd00:10:244:1::b2]:40000 \u2194 [fd00:10:244:2::65]:80, 1\u2192 1\u2190", c.Summary);
        }

        [Fact]
        public void Add_NonIp_IsKeyedByTheInnerMacsAndEtherType()
        {
            byte[] broadcast = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
            byte[] arpRequest = OnWire(Ethernet(broadcast, Node1Mac, EtherArp, ArpPacket(1, Node1Mac, Pod1, new byte[6], Pod2)));
            byte[] lldp = OnWire(Ethernet(Node2Mac, Node1Mac, EtherLldp, new byte[46]));
            byte[] lldpBack = OnWire(Ethernet(Node1Mac, Node2Mac, EtherLldp, new byte[46]), fromNode1: false);

            var conversations = Conversations(arpRequest, lldp, lldpBack);

            Assert.Equal(2, conversations.Length);
            var arp = conversations[0];
            Assert.Null(arp.InnerProtocol);
            Assert.Null(arp.InnerSourceAddress);
            Assert.Equal(0x0806, arp.InnerEtherType);
            Assert.Equal("ARP 32:73:d8:d1:e9:78 \u2194 ff:ff:ff:ff:ff:ff, 1\u2192 0\u2190", arp.Summary);
            var other = conversations[1];
            Assert.Equal(0x88cc, other.InnerEtherType);
            Assert.Equal(1, other.FramesAToB);
            Assert.Equal(1, other.FramesBToA);
            Assert.Equal("EtherType 0x88cc 32:73:d8:d1:e9:78 \u2194 ee:81:17:b0:fd:7b, 1\u2192 1\u2190", other.Summary);
        }

        [Fact]
        public void Add_DestinationMacChangesAToB_ListsEachMacOnceInTheOrderSeen()
        {
            byte[] newNode2Mac = { 0x6a, 0x1c, 0x00, 0x00, 0x00, 0x02 };
            var c = Assert.Single(Conversations(
                Request(Syn),
                OnWire(Tcp4(Pod1, 43034, Pod2, 80, Ack, Node1Mac, newNode2Mac)),
                Request(Ack),
                OnWire(Tcp4(Pod2, 80, Pod1, 43034, Ack, newNode2Mac, Node1Mac), fromNode1: false)));

            Assert.Equal(new[] { "ee:81:17:b0:fd:7b", "6a:1c:00:00:00:02" }, c.InnerDestinationMacs);
            Assert.Equal("ee:81:17:b0:fd:7b,6a:1c:00:00:00:02", c.InnerDestinationMacs.ToString());
            // B's frames back count, but the lists are A to B's.
            Assert.Equal(new[] { "32:73:d8:d1:e9:78" }, c.InnerSourceMacs);
        }

        [Fact]
        public void Add_CountsWireBytesEachWay_AndFirstLastFrameAndTimes()
        {
            byte[] get = Request(Psh | Ack, payload: Ascii("GET / HTTP/1.1\r\n\r\n"));
            byte[] ack = Reply(Ack);
            var c = Assert.Single(Conversations((5, Request(Syn)), (9, get), (12, ack)));

            Assert.Equal(Request(Syn).Length + get.Length, c.BytesAToB);
            Assert.Equal(ack.Length, c.BytesBToA);
            Assert.Equal(5, c.FirstFrame);
            Assert.Equal(12, c.LastFrame);
            Assert.Equal("2023-11-14T22:13:20.005000Z", c.Start);
            Assert.Equal("2023-11-14T22:13:20.012000Z", c.End);
            Assert.Equal(0.007, c.Duration, 9);
            Assert.Equal(8472, c.OuterDestinationPort);
        }

        [Fact]
        public void Add_TcpFlags_AreTheUnionOfBothDirections()
        {
            var c = Assert.Single(Conversations(Request(Syn), Reply(Syn | Ack), Request(Psh | Ack), Reply(Rst)));

            Assert.Equal("SYN,RST,PSH,ACK", c.TcpFlagsSeen);
        }

        [Fact]
        public void Add_InnerEthernetCut_CountsTheFrameBetweenTheOuterAddresses()
        {
            byte[] cut = Cut(Request(Syn), 14 + 20 + 8 + 8 + 6);
            var h = default(VxlanHeaders);
            VxlanDecoder.Decode(cut, 1, Ports, ref h);
            Assert.Equal(DecodeProblem.InnerEthernetCut, h.Problem);

            var conversations = Conversations(Request(Syn), cut);

            Assert.Equal(2, conversations.Length);
            var outer = conversations[1];
            Assert.Null(outer.InnerProtocol);
            Assert.Null(outer.InnerSourceAddress);
            Assert.Empty(outer.InnerSourceMacs);
            Assert.Equal(1, outer.Vni);
            Assert.Equal("VXLAN (inner headers cut) 192.168.0.12 \u2194 192.168.0.13, 1\u2192 0\u2190", outer.Summary);
        }

        [Fact]
        public void ToConversations_AreInTheOrderOfTheirFirstFrames()
        {
            var conversations = Conversations((4, Request(Syn, clientPort: 2)), (2, Request(Syn, clientPort: 1)), (7, Request(Syn, clientPort: 3)));

            Assert.Equal(new[] { 1, 2, 3 }, conversations.Select(c => c.InnerSourcePort.Value));
        }
    }
}
