using FlannelTools.Decoding;
using Xunit;
using static FlannelTools.Tests.Decoding.Frame;
using W = FlannelTools.Tests.Decoding.Walkthrough;

namespace FlannelTools.Tests.Decoding
{
    public class VxlanDecoderTests
    {
        private static readonly PortSet DefaultPorts = new PortSet(new[] { 8472, 4789 });

        internal static VxlanHeaders Decode(byte[] frame, int linkType = 1, PortSet ports = null)
        {
            var h = default(VxlanHeaders);
            VxlanDecoder.Decode(frame, linkType, ports ?? DefaultPorts, ref h);
            return h;
        }

        private static void AssertWalkthroughOuterAddresses(in VxlanHeaders h)
        {
            Assert.Equal("192.168.0.12", h.OuterSourceAddress.ToString());
            Assert.Equal("192.168.0.13", h.OuterDestinationAddress.ToString());
        }

        private static void AssertWalkthroughInner(in VxlanHeaders h)
        {
            Assert.Equal(1u, h.Vni);
            Assert.Equal(0x3273d8d1e978UL, h.InnerSourceMac);
            Assert.Equal(0xee8117b0fd7bUL, h.InnerDestinationMac);
            Assert.Equal((ushort)0x0800, h.InnerEtherType);
            Assert.Equal("10.244.1.178", h.InnerSourceAddress.ToString());
            Assert.Equal("10.244.2.101", h.InnerDestinationAddress.ToString());
            Assert.Equal((byte)6, h.InnerProtocol);
            Assert.Equal((ushort)43034, h.InnerSourcePort);
            Assert.Equal((ushort)80, h.InnerDestinationPort);
        }

        // ---------------------------------------------------------------- link layers

        [Fact]
        public void Decode_EthernetIPv4_ReadsWalkthroughHeaders()
        {
            var h = Decode(EthernetVxlan(InnerTcpSyn()), linkType: 1);

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.Equal(DecodeProblem.None, h.Problem);
            Assert.Equal(0x9e6601470d72UL, h.OuterSourceMac);
            Assert.Equal(0x0ad21d9ddcf7UL, h.OuterDestinationMac);
            Assert.True(h.Has(HeaderFields.OuterSourceMac | HeaderFields.OuterDestinationMac));
            AssertWalkthroughOuterAddresses(h);
            Assert.Equal((ushort)51234, h.OuterSourcePort);
            Assert.Equal((ushort)8472, h.OuterDestinationPort);
            Assert.Equal((byte)0x08, h.VxlanFlags);
            AssertWalkthroughInner(h);
            Assert.Equal((ushort)0x002, h.TcpFlags);
            Assert.False(h.Has(HeaderFields.OuterVlan));
            Assert.False(h.OuterIsFirstFragment);
        }

        [Fact]
        public void Decode_LinuxCookedV1_ReadsSourceMacAndNoDestinationMac()
        {
            byte[] frame = Sll(W.OuterSourceMac, EtherIPv4, OuterIPv4(VxlanDatagram(InnerTcpSyn())));

            var h = Decode(frame, linkType: 113);

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.True(h.Has(HeaderFields.OuterSourceMac));
            Assert.Equal(0x9e6601470d72UL, h.OuterSourceMac);
            Assert.False(h.Has(HeaderFields.OuterDestinationMac));
            AssertWalkthroughOuterAddresses(h);
            AssertWalkthroughInner(h);
        }

        [Fact]
        public void Decode_LinuxCookedV2_ReadsSourceMacAndNoDestinationMac()
        {
            byte[] frame = Sll2(W.OuterSourceMac, EtherIPv4, OuterIPv4(VxlanDatagram(InnerTcpSyn())));

            var h = Decode(frame, linkType: 276);

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.True(h.Has(HeaderFields.OuterSourceMac));
            Assert.Equal(0x9e6601470d72UL, h.OuterSourceMac);
            Assert.False(h.Has(HeaderFields.OuterDestinationMac));
            AssertWalkthroughOuterAddresses(h);
            AssertWalkthroughInner(h);
        }

        [Fact]
        public void Decode_RawIPv4LinkType101_ReadsHeadersWithoutMacs()
        {
            var h = Decode(OuterIPv4(VxlanDatagram(InnerTcpSyn())), linkType: 101);

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.False(h.Has(HeaderFields.OuterSourceMac));
            Assert.False(h.Has(HeaderFields.OuterDestinationMac));
            AssertWalkthroughOuterAddresses(h);
            AssertWalkthroughInner(h);
        }

        [Fact]
        public void Decode_LinkTypeIPv4_228_ReadsHeaders()
        {
            var h = Decode(OuterIPv4(VxlanDatagram(InnerTcpSyn())), linkType: 228);

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            AssertWalkthroughOuterAddresses(h);
            AssertWalkthroughInner(h);
        }

        [Fact]
        public void Decode_LinkTypeIPv6_229_ReadsIPv6Outer()
        {
            byte[] frame = IPv6(W.OuterSourceIp6, W.OuterDestinationIp6, Udp, VxlanDatagram(InnerTcpSyn()));

            var h = Decode(frame, linkType: 229);

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.Equal("fd00::12", h.OuterSourceAddress.ToString());
            Assert.Equal("fd00::13", h.OuterDestinationAddress.ToString());
            Assert.Equal((ushort)8472, h.OuterDestinationPort);
            AssertWalkthroughInner(h);
        }

        [Fact]
        public void Decode_NullLinkTypeLittleEndianAfInet_ReadsHeaders()
        {
            byte[] frame = Null(2, OuterIPv4(VxlanDatagram(InnerTcpSyn())));

            var h = Decode(frame, linkType: 0);

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            AssertWalkthroughOuterAddresses(h);
            AssertWalkthroughInner(h);
        }

        [Fact]
        public void Decode_NullLinkTypeBigEndianAfInet_ReadsHeaders()
        {
            byte[] frame = Concat(Bytes(0, 0, 0, 2), OuterIPv4(VxlanDatagram(InnerTcpSyn())));

            var h = Decode(frame, linkType: 0);

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            AssertWalkthroughOuterAddresses(h);
        }

        [Fact]
        public void Decode_UnsupportedLinkType_ReportsUnsupportedLinkType()
        {
            // LINKTYPE_IEEE802_11 (105): the walkthrough frame's bytes, but not a link type the decoder reads.
            var h = Decode(EthernetVxlan(InnerTcpSyn()), linkType: 105);

            Assert.Equal(DecodeStatus.UnsupportedLinkType, h.Status);
            Assert.Equal(0u, h.Vni);
            Assert.True(h.OuterSourceAddress.IsEmpty);
        }

        [Fact]
        public void Decode_Dot1QTag_ReadsVlanId()
        {
            byte[] frame = Ethernet(W.OuterDestinationMac, W.OuterSourceMac, EtherIPv4, OuterIPv4(VxlanDatagram(InnerTcpSyn())), (Dot1Q, 100));

            var h = Decode(frame);

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.True(h.Has(HeaderFields.OuterVlan));
            Assert.Equal((ushort)100, h.OuterVlan);
            AssertWalkthroughInner(h);
        }

        [Fact]
        public void Decode_QinQ_ReadsOutermostVlanId()
        {
            byte[] frame = Ethernet(W.OuterDestinationMac, W.OuterSourceMac, EtherIPv4, OuterIPv4(VxlanDatagram(InnerTcpSyn())),
                (Dot1AD, 300), (Dot1Q, 100));

            var h = Decode(frame);

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.Equal((ushort)300, h.OuterVlan);
            AssertWalkthroughOuterAddresses(h);
            AssertWalkthroughInner(h);
        }

        // ---------------------------------------------------------------- outer IP and UDP

        [Fact]
        public void Decode_OuterIPv6HopByHopAndFirstFragment_DecodesFirstFragment()
        {
            byte[] udp = VxlanDatagram(InnerTcpSyn());
            byte[] frame = Ethernet(W.OuterDestinationMac, W.OuterSourceMac, EtherIPv6,
                IPv6(W.OuterSourceIp6, W.OuterDestinationIp6, 0 /* hop-by-hop */,
                    Concat(HopByHop(44 /* fragment */), Ipv6Fragment(Udp, 0, moreFragments: true, id: 0xdeadbeef), udp)));

            var h = Decode(frame);

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.Equal(DecodeProblem.None, h.Problem);
            Assert.True(h.OuterIsFirstFragment);
            Assert.Equal(0xdeadbeefu, h.OuterFragmentId);
            Assert.Equal("fd00::12", h.OuterSourceAddress.ToString());
            Assert.Equal("fd00::13", h.OuterDestinationAddress.ToString());
            Assert.Equal((ushort)8472, h.OuterDestinationPort);
            AssertWalkthroughInner(h);
        }

        [Fact]
        public void Decode_OuterIPv6LaterFragment_IsLaterFragment()
        {
            byte[] rest = Ascii("the rest of the inner frame, 8-byte aligned..");
            byte[] frame = Ethernet(W.OuterDestinationMac, W.OuterSourceMac, EtherIPv6,
                IPv6(W.OuterSourceIp6, W.OuterDestinationIp6, 0,
                    Concat(HopByHop(44), Ipv6Fragment(Udp, 181, moreFragments: false, id: 0xdeadbeef), rest)));

            var h = Decode(frame);

            Assert.Equal(DecodeStatus.LaterFragment, h.Status);
            Assert.Equal(0xdeadbeefu, h.OuterFragmentId);
            Assert.Equal("fd00::12", h.OuterSourceAddress.ToString());
            Assert.False(h.Has(HeaderFields.Vxlan));
        }

        [Fact]
        public void Decode_OuterIPv4FirstFragment_DecodesAndMarksFirstFragment()
        {
            byte[] udp = VxlanDatagram(InnerTcpSyn());
            byte[] frame = Ethernet(W.OuterDestinationMac, W.OuterSourceMac, EtherIPv4,
                IPv4(W.OuterSourceIp, W.OuterDestinationIp, Udp, udp, id: 0x4242, moreFragments: true));

            var h = Decode(frame);

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.True(h.OuterIsFirstFragment);
            Assert.Equal(0x4242u, h.OuterFragmentId);
            AssertWalkthroughOuterAddresses(h);
            AssertWalkthroughInner(h);
        }

        [Fact]
        public void Decode_OuterIPv4LaterFragment_IsLaterFragmentWithId()
        {
            byte[] frame = Ethernet(W.OuterDestinationMac, W.OuterSourceMac, EtherIPv4,
                IPv4(W.OuterSourceIp, W.OuterDestinationIp, Udp, Ascii("rest of the datagram"), id: 0x4242, fragmentOffset8: 185));

            var h = Decode(frame);

            Assert.Equal(DecodeStatus.LaterFragment, h.Status);
            Assert.Equal(0x4242u, h.OuterFragmentId);
            AssertWalkthroughOuterAddresses(h);
            Assert.False(h.Has(HeaderFields.Vxlan));
        }

        [Fact]
        public void Decode_UdpPortNotInPortSet_IsNotVxlan()
        {
            var h = Decode(EthernetVxlan(InnerTcpSyn(), port: 4789), ports: new PortSet(new[] { 8472 }));

            Assert.Equal(DecodeStatus.NotVxlan, h.Status);
            Assert.False(h.Has(HeaderFields.Vxlan));
        }

        [Fact]
        public void Decode_VxlanPortOnlyAsSourcePort_IsNotVxlan()
        {
            byte[] udp = UdpDatagram(8472, 40000, Concat(VxlanHeader(1), InnerTcpSyn()));
            byte[] frame = Ethernet(W.OuterDestinationMac, W.OuterSourceMac, EtherIPv4, OuterIPv4(udp));

            Assert.Equal(DecodeStatus.NotVxlan, Decode(frame).Status);
        }

        [Fact]
        public void Decode_OuterTcp_IsNotVxlan()
        {
            byte[] frame = Ethernet(W.OuterDestinationMac, W.OuterSourceMac, EtherIPv4,
                IPv4(W.OuterSourceIp, W.OuterDestinationIp, Tcp, TcpSegment(40000, 8472, Syn)));

            Assert.Equal(DecodeStatus.NotVxlan, Decode(frame).Status);
        }

        [Fact]
        public void Decode_OuterArp_IsNotVxlan()
        {
            byte[] frame = Ethernet(Bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff), W.OuterSourceMac, EtherArp,
                ArpPacket(1, W.OuterSourceMac, W.OuterSourceIp, new byte[6], W.OuterDestinationIp));

            Assert.Equal(DecodeStatus.NotVxlan, Decode(frame).Status);
        }

        [Fact]
        public void Decode_OuterIPv4TotalLengthZero_ToleratedAsTso()
        {
            byte[] udp = VxlanDatagram(InnerTcpSyn());
            byte[] frame = Ethernet(W.OuterDestinationMac, W.OuterSourceMac, EtherIPv4,
                IPv4(W.OuterSourceIp, W.OuterDestinationIp, Udp, udp, totalLength: 0));

            var h = Decode(frame);

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.Equal(DecodeProblem.None, h.Problem);
            AssertWalkthroughInner(h);
        }

        [Fact]
        public void Decode_OuterIPv4WithOptions_SkipsOptions()
        {
            byte[] udp = VxlanDatagram(InnerTcpSyn());
            byte[] header = IPv4Header(W.OuterSourceIp, W.OuterDestinationIp, Udp, udp.Length, ihl: 6);
            header[20] = 1; header[21] = 1; header[22] = 1; header[23] = 0; // NOP, NOP, NOP, EOL
            byte[] frame = Ethernet(W.OuterDestinationMac, W.OuterSourceMac, EtherIPv4, Concat(header, udp));

            var h = Decode(frame);

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.Equal((ushort)8472, h.OuterDestinationPort);
            AssertWalkthroughInner(h);
        }

        // ---------------------------------------------------------------- VXLAN header

        [Fact]
        public void Decode_Port4789Vni4096_ReadsVni()
        {
            var h = Decode(EthernetVxlan(InnerTcpSyn(), port: 4789, vni: 4096));

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.Equal((ushort)4789, h.OuterDestinationPort);
            Assert.Equal(4096u, h.Vni);
        }

        [Fact]
        public void Decode_MaximumVni_ReadsAll24Bits()
        {
            byte[] frame = EthernetVxlan(InnerTcpSyn(), vni: 0xFFFFFF);

            var h = Decode(frame);

            Assert.Equal(16777215u, h.Vni);
        }

        [Fact]
        public void Decode_VxlanReservedByteSet_NotPartOfVni()
        {
            byte[] frame = EthernetVxlan(InnerTcpSyn(), vni: 1);
            frame[14 + 20 + 8 + 7] = 0xab;

            Assert.Equal(1u, Decode(frame).Vni);
        }

        [Fact]
        public void Decode_VxlanFlagsWithoutIBit_ProblemButInnerDecoded()
        {
            var h = Decode(EthernetVxlan(InnerTcpSyn(), flags: 0x00));

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.Equal(DecodeProblem.VxlanFlagsInvalid, h.Problem);
            Assert.Equal((byte)0x00, h.VxlanFlags);
            Assert.True(h.Has(HeaderFields.Vxlan));
            AssertWalkthroughInner(h);
        }

        // ---------------------------------------------------------------- cut by the snap length

        // Offsets in the walkthrough's Ethernet frame: 14 Ethernet + 20 IPv4 + 8 UDP = 42 (VXLAN),
        // 50 (inner Ethernet), 64 (inner IPv4), 84 (inner TCP), 104 (end).
        [Fact]
        public void Decode_CutInVxlanHeader_VxlanHeaderCutWithOuterFields()
        {
            var h = Decode(Cut(EthernetVxlan(InnerTcpSyn()), 46));

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.Equal(DecodeProblem.VxlanHeaderCut, h.Problem);
            AssertWalkthroughOuterAddresses(h);
            Assert.Equal((ushort)51234, h.OuterSourcePort);
            Assert.Equal((ushort)8472, h.OuterDestinationPort);
            Assert.False(h.Has(HeaderFields.Vxlan));
            Assert.False(h.Has(HeaderFields.InnerEthernet));
        }

        [Fact]
        public void Decode_CutInInnerEthernet_InnerEthernetCutWithVni()
        {
            var h = Decode(Cut(EthernetVxlan(InnerTcpSyn()), 60));

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.Equal(DecodeProblem.InnerEthernetCut, h.Problem);
            Assert.True(h.Has(HeaderFields.Vxlan));
            Assert.Equal(1u, h.Vni);
            Assert.False(h.Has(HeaderFields.InnerEthernet));
        }

        [Fact]
        public void Decode_CutInInnerIPv4_InnerNetworkHeaderCutWithInnerMacs()
        {
            var h = Decode(Cut(EthernetVxlan(InnerTcpSyn()), 74));

            Assert.Equal(DecodeProblem.InnerNetworkHeaderCut, h.Problem);
            Assert.True(h.Has(HeaderFields.InnerEthernet));
            Assert.Equal(0x3273d8d1e978UL, h.InnerSourceMac);
            Assert.Equal(0xee8117b0fd7bUL, h.InnerDestinationMac);
            Assert.Equal((ushort)0x0800, h.InnerEtherType);
            Assert.False(h.Has(HeaderFields.InnerIp));
        }

        [Fact]
        public void Decode_CutInInnerTcpAfterItsPorts_KeepsPortsWithoutFlags()
        {
            // 84 bytes of headers before the inner TCP, then 12 of its 20 (tcpdump -s 96): Wireshark still shows the ports.
            var h = Decode(Cut(EthernetVxlan(InnerTcpSyn()), 96));

            Assert.Equal(DecodeProblem.InnerTransportHeaderCut, h.Problem);
            Assert.True(h.Has(HeaderFields.InnerIp));
            Assert.Equal("10.244.1.178", h.InnerSourceAddress.ToString());
            Assert.Equal("10.244.2.101", h.InnerDestinationAddress.ToString());
            Assert.Equal((byte)6, h.InnerProtocol);
            Assert.True(h.Has(HeaderFields.InnerPorts));
            Assert.Equal((ushort)43034, h.InnerSourcePort);
            Assert.Equal((ushort)80, h.InnerDestinationPort);
            Assert.False(h.Has(HeaderFields.TcpFlags));
        }

        [Fact]
        public void Decode_CutInsideInnerTcpPorts_NoPorts()
        {
            var h = Decode(Cut(EthernetVxlan(InnerTcpSyn()), 84 + 3));

            Assert.Equal(DecodeProblem.InnerTransportHeaderCut, h.Problem);
            Assert.True(h.Has(HeaderFields.InnerIp));
            Assert.False(h.Has(HeaderFields.InnerPorts));
        }

        [Fact]
        public void Decode_CutInInnerUdpAfterItsPorts_PortsAndTheLengthTheIpHeaderGives()
        {
            var h = Decode(Cut(EthernetVxlan(InnerEthernet(EtherIPv4, InnerIPv4(Udp, UdpDatagram(40007, 9000, Ascii("hello"))))), 84 + 4));

            Assert.Equal(DecodeProblem.InnerTransportHeaderCut, h.Problem);
            Assert.Equal((ushort)40007, h.InnerSourcePort);
            Assert.Equal((ushort)9000, h.InnerDestinationPort);
            Assert.Equal(5, h.InnerPayloadLength);
        }

        [Fact]
        public void Decode_VxlanInVxlan_KeepsTheOuterVniAndReadsTheNestedOne()
        {
            byte[] nested = VxlanDatagram(InnerTcpSyn(), port: 4789, vni: 42);
            var h = Decode(EthernetVxlan(InnerEthernet(EtherIPv4, InnerIPv4(Udp, nested))));

            Assert.Equal(DecodeProblem.None, h.Problem);
            Assert.Equal(1u, h.Vni);
            Assert.True(h.Has(HeaderFields.NestedVxlan));
            Assert.Equal(42u, h.NestedVni);
            Assert.Equal((ushort)4789, h.InnerDestinationPort);
        }

        [Fact]
        public void Decode_InnerUdpToAPortThatIsNotVxlan_IsNotNested()
        {
            byte[] datagram = VxlanDatagram(InnerTcpSyn(), port: 9000, vni: 42);
            var h = Decode(EthernetVxlan(InnerEthernet(EtherIPv4, InnerIPv4(Udp, datagram))));

            Assert.False(h.Has(HeaderFields.NestedVxlan));
            Assert.Equal(0u, h.NestedVni);
        }

        [Fact]
        public void Decode_InnerFirstFragment_PortsAndTheFragmentsOwnLength()
        {
            byte[] fragment = IPv4(W.InnerSourceIp, W.InnerDestinationIp, Udp, UdpDatagram(40007, 9000, new byte[100]), id: 0x5555, moreFragments: true);
            var h = Decode(EthernetVxlan(InnerEthernet(EtherIPv4, fragment)));

            Assert.True(h.Has(HeaderFields.InnerFirstFragment));
            Assert.False(h.Has(HeaderFields.InnerFragment));
            Assert.Equal(0x5555u, h.InnerFragmentId);
            Assert.Equal(0, h.InnerFragmentOffset);
            Assert.Equal(108, h.InnerFragmentLength);
            Assert.Equal((ushort)9000, h.InnerDestinationPort);
        }

        [Fact]
        public void Decode_InnerLaterFragment_OffsetInBytesAndNoPorts()
        {
            byte[] fragment = IPv4(W.InnerSourceIp, W.InnerDestinationIp, Udp, new byte[152], id: 0x5555, fragmentOffset8: 356);
            var h = Decode(EthernetVxlan(InnerEthernet(EtherIPv4, fragment)));

            Assert.True(h.Has(HeaderFields.InnerFragment));
            Assert.Equal(2848, h.InnerFragmentOffset);
            Assert.Equal(152, h.InnerFragmentLength);
            Assert.False(h.Has(HeaderFields.InnerPorts));
        }

        [Fact]
        public void Decode_CutInInnerVlanTag_InnerEthernetCut()
        {
            // Inner Ethernet says 802.1Q but the capture ends two bytes into the tag: the inner
            // EtherType is unknown, and the frame should say its inner header was cut.
            byte[] frame = EthernetVxlan(InnerEthernet(EtherIPv4, InnerIPv4(Tcp, TcpSegment(43034, 80, Syn)), (Dot1Q, 10)));

            var h = Decode(Cut(frame, 50 + 14 + 2));

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.Equal(DecodeProblem.InnerEthernetCut, h.Problem);
        }

        [Fact]
        public void Decode_InvalidFlagsAndCutInInnerIPv4_ReportsTheCut()
        {
            var h = Decode(Cut(EthernetVxlan(InnerTcpSyn(), flags: 0x00), 74));

            Assert.Equal(DecodeProblem.InnerNetworkHeaderCut, h.Problem);
            Assert.Equal((byte)0x00, h.VxlanFlags);
        }

        // ---------------------------------------------------------------- inner frame

        [Fact]
        public void Decode_InnerArpRequest_ReadsOperationAndAddresses()
        {
            byte[] arp = ArpPacket(1, W.InnerSourceMac, W.InnerSourceIp, new byte[6], W.InnerDestinationIp);

            var h = Decode(EthernetVxlan(InnerEthernet(EtherArp, arp)));

            Assert.Equal(DecodeProblem.None, h.Problem);
            Assert.Equal((ushort)0x0806, h.InnerEtherType);
            Assert.True(h.Has(HeaderFields.Arp));
            Assert.Equal((ushort)1, h.ArpOperation);
            Assert.Equal("10.244.1.178", h.ArpSenderAddress.ToString());
            Assert.Equal("10.244.2.101", h.ArpTargetAddress.ToString());
            Assert.False(h.Has(HeaderFields.InnerIp));
        }

        [Fact]
        public void Decode_InnerArpReply_ReadsOperationTwo()
        {
            byte[] arp = ArpPacket(2, W.InnerDestinationMac, W.InnerDestinationIp, W.InnerSourceMac, W.InnerSourceIp);
            byte[] inner = Ethernet(W.InnerSourceMac, W.InnerDestinationMac, EtherArp, arp);

            var h = Decode(EthernetVxlan(inner));

            Assert.Equal((ushort)2, h.ArpOperation);
            Assert.Equal("10.244.2.101", h.ArpSenderAddress.ToString());
            Assert.Equal("10.244.1.178", h.ArpTargetAddress.ToString());
            Assert.Equal(0xee8117b0fd7bUL, h.InnerSourceMac);
        }

        [Fact]
        public void Decode_InnerNonIpEtherType_KeptWithEtherType()
        {
            byte[] lldp = Bytes(0x02, 0x07, 0x04, 0x32, 0x73, 0xd8, 0xd1, 0xe9, 0x78, 0x00, 0x00);

            var h = Decode(EthernetVxlan(InnerEthernet(EtherLldp, lldp)));

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.Equal(DecodeProblem.None, h.Problem);
            Assert.True(h.Has(HeaderFields.InnerEthernet));
            Assert.Equal((ushort)0x88cc, h.InnerEtherType);
            Assert.Equal(0x3273d8d1e978UL, h.InnerSourceMac);
            Assert.False(h.Has(HeaderFields.InnerIp));
        }

        [Fact]
        public void Decode_InnerVlanTaggedFrame_ReadsEtherTypeAfterTag()
        {
            byte[] inner = InnerEthernet(EtherIPv4, InnerIPv4(Tcp, TcpSegment(43034, 80, Syn)), (Dot1Q, 10));

            var h = Decode(EthernetVxlan(inner));

            Assert.Equal(DecodeProblem.None, h.Problem);
            Assert.False(h.Has(HeaderFields.OuterVlan));
            AssertWalkthroughInner(h);
        }

        [Fact]
        public void Decode_InnerIPv6Icmpv6_ReadsAddressesAndType()
        {
            byte[] inner = InnerEthernet(EtherIPv6, IPv6(W.InnerSourceIp6, W.InnerDestinationIp6, Icmpv6, Icmpv6EchoRequest()));

            var h = Decode(EthernetVxlan(inner));

            Assert.Equal(DecodeProblem.None, h.Problem);
            Assert.Equal((ushort)0x86dd, h.InnerEtherType);
            Assert.Equal("fd00:10:244:1::b2", h.InnerSourceAddress.ToString());
            Assert.Equal("fd00:10:244:2::65", h.InnerDestinationAddress.ToString());
            Assert.Equal((byte)58, h.InnerProtocol);
            Assert.True(h.Has(HeaderFields.Icmp));
            Assert.Equal((byte)128, h.IcmpType);
        }

        [Fact]
        public void Decode_InnerUdp_ReadsPortsAndPayloadLength()
        {
            byte[] dns = Bytes(0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0);
            byte[] inner = InnerEthernet(EtherIPv4, InnerIPv4(Udp, UdpDatagram(40000, 53, dns)));

            var h = Decode(EthernetVxlan(inner));

            Assert.Equal((byte)17, h.InnerProtocol);
            Assert.Equal((ushort)40000, h.InnerSourcePort);
            Assert.Equal((ushort)53, h.InnerDestinationPort);
            Assert.Equal(12, h.InnerPayloadLength);
        }

        [Fact]
        public void Decode_InnerIcmpErrorQuotingTcp_HasNoInnerPorts()
        {
            // 10.244.2.101 tells 10.244.1.178 its TCP segment to port 80 could not be delivered;
            // the quoted TCP header's ports are the quoted packet's, not this packet's.
            byte[] quoted = Concat(
                IPv4Header(W.InnerSourceIp, W.InnerDestinationIp, Tcp, 20),
                Cut(TcpSegment(43034, 80, Syn), 8));
            byte[] icmp = IcmpDestinationUnreachable(3, quoted);
            byte[] inner = Ethernet(W.InnerSourceMac, W.InnerDestinationMac, EtherIPv4,
                IPv4(W.InnerDestinationIp, W.InnerSourceIp, Icmp, icmp));

            var h = Decode(EthernetVxlan(inner));

            Assert.Equal(DecodeProblem.None, h.Problem);
            Assert.Equal((byte)1, h.InnerProtocol);
            Assert.Equal((byte)3, h.IcmpType);
            Assert.Equal((byte)3, h.IcmpCode);
            Assert.False(h.Has(HeaderFields.InnerPorts));
            Assert.Equal((ushort)0, h.InnerSourcePort);
            Assert.Equal((ushort)0, h.InnerDestinationPort);
        }

        [Fact]
        public void Decode_InnerEthernetPadding_NotCountedInPayloadLength()
        {
            // A 2-byte UDP payload in a 60-byte minimum Ethernet frame: 14 + 20 + 8 + 2 = 44, padded with 16 zero bytes.
            byte[] ip = InnerIPv4(Udp, UdpDatagram(40000, 9999, Bytes(0x68, 0x69)));
            byte[] inner = InnerEthernet(EtherIPv4, Concat(ip, new byte[16]));

            var h = Decode(EthernetVxlan(inner));

            Assert.Equal(DecodeProblem.None, h.Problem);
            Assert.Equal(2, h.InnerPayloadLength);
        }

        [Fact]
        public void Decode_InnerTcpSynWithPadding_HasNoPayload()
        {
            byte[] ip = InnerIPv4(Tcp, TcpSegment(43034, 80, Syn));
            byte[] inner = InnerEthernet(EtherIPv4, Concat(ip, new byte[6]));

            var h = Decode(EthernetVxlan(inner));

            Assert.Equal(0, h.InnerPayloadLength);
        }

        [Fact]
        public void Decode_InnerIPv4TotalLengthZero_ToleratedAsTso()
        {
            byte[] payload = Ascii("GET / HTTP/1.1\r\n\r\n");
            byte[] ip = IPv4(W.InnerSourceIp, W.InnerDestinationIp, Tcp, TcpSegment(43034, 80, Psh | Ack, payload), totalLength: 0);

            var h = Decode(EthernetVxlan(InnerEthernet(EtherIPv4, ip)));

            Assert.Equal(DecodeProblem.None, h.Problem);
            AssertWalkthroughInner(h);
            Assert.Equal(18, h.InnerPayloadLength);
        }

        [Fact]
        public void Decode_InnerIPv4IhlBelowFive_InnerNetworkHeaderMalformed()
        {
            byte[] ip = IPv4(W.InnerSourceIp, W.InnerDestinationIp, Tcp, TcpSegment(43034, 80, Syn), ihl: 4);

            var h = Decode(EthernetVxlan(InnerEthernet(EtherIPv4, ip)));

            Assert.Equal(DecodeStatus.Vxlan, h.Status);
            Assert.Equal(DecodeProblem.InnerNetworkHeaderMalformed, h.Problem);
            Assert.True(h.Has(HeaderFields.InnerEthernet));
            Assert.False(h.Has(HeaderFields.InnerIp));
        }

        [Fact]
        public void Decode_InnerIPv4LaterFragment_HasAddressesButNoPorts()
        {
            byte[] ip = IPv4(W.InnerSourceIp, W.InnerDestinationIp, Tcp, Ascii("more data"), fragmentOffset8: 10);

            var h = Decode(EthernetVxlan(InnerEthernet(EtherIPv4, ip)));

            Assert.Equal(DecodeProblem.None, h.Problem);
            Assert.True(h.Has(HeaderFields.InnerFragment));
            Assert.Equal("10.244.1.178", h.InnerSourceAddress.ToString());
            Assert.False(h.Has(HeaderFields.InnerPorts));
        }

        [Fact]
        public void Decode_TcpFlagsIncludeNs_ReadsNineBits()
        {
            byte[] tcp = TcpSegment(43034, 80, Syn | Ack);
            tcp[12] = 0x51; // data offset 5, NS bit set
            byte[] inner = InnerEthernet(EtherIPv4, InnerIPv4(Tcp, tcp));

            var h = Decode(EthernetVxlan(inner));

            Assert.Equal((ushort)0x112, h.TcpFlags);
        }

        [Fact]
        public void Decode_ReusedHeaders_StartFromDefault()
        {
            var h = default(VxlanHeaders);
            VxlanDecoder.Decode(EthernetVxlan(InnerTcpSyn()), 1, DefaultPorts, ref h);
            byte[] arp = ArpPacket(1, W.InnerSourceMac, W.InnerSourceIp, new byte[6], W.InnerDestinationIp);
            VxlanDecoder.Decode(EthernetVxlan(InnerEthernet(EtherArp, arp)), 1, DefaultPorts, ref h);

            Assert.False(h.Has(HeaderFields.InnerIp));
            Assert.False(h.Has(HeaderFields.InnerPorts));
            Assert.Equal((ushort)0, h.InnerSourcePort);
        }
    }
}
