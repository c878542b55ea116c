using System.Collections.Generic;
using FlannelTools.Capture;
using FlannelTools.Decoding;
using Xunit;
using static FlannelTools.Tests.Decoding.Frame;
using W = FlannelTools.Tests.Decoding.Walkthrough;

namespace FlannelTools.Tests.Decoding
{
    public class VxlanFrameTextTests
    {
        // 2025-11-25T16:54:46Z (date -u -d @1764089686)
        private const long Seconds = 1764089686;
        private const uint Nanoseconds = 123456789;

        private static VxlanFrame MakeFrame(byte[] bytes, int linkType = 1, int digits = 6, string applicationLine = null)
        {
            var h = VxlanDecoderTests.Decode(bytes, linkType);
            return new VxlanFrame("walkthrough.pcap", 3, Seconds, Nanoseconds, digits, bytes.Length, bytes.Length, in h, applicationLine);
        }

        [Fact]
        public void Timestamp_SixDigits_MicrosecondsAndZ()
        {
            Assert.Equal("2025-11-25T16:54:46.123456Z", MakeFrame(EthernetVxlan(InnerTcpSyn()), digits: 6).Timestamp);
        }

        [Fact]
        public void Timestamp_NineDigits_NanosecondsAndZ()
        {
            Assert.Equal("2025-11-25T16:54:46.123456789Z", MakeFrame(EthernetVxlan(InnerTcpSyn()), digits: 9).Timestamp);
        }

        [Fact]
        public void Timestamp_ZeroFraction_KeepsDigits()
        {
            var h = VxlanDecoderTests.Decode(EthernetVxlan(InnerTcpSyn()));
            var frame = new VxlanFrame("x.pcap", 1, Seconds, 0, 6, 104, 104, in h, null);

            Assert.Equal("2025-11-25T16:54:46.000000Z", frame.Timestamp);
        }

        [Fact]
        public void Properties_WalkthroughFrame_ReadAsWalkthroughTable()
        {
            var frame = MakeFrame(EthernetVxlan(InnerTcpSyn()));

            Assert.Equal("walkthrough.pcap", frame.Path);
            Assert.Equal(3, frame.FrameNumber);
            Assert.Equal("9e:66:01:47:0d:72", frame.OuterSourceMac);
            Assert.Equal("0a:d2:1d:9d:dc:f7", frame.OuterDestinationMac);
            Assert.Equal("192.168.0.12", frame.OuterSourceAddress);
            Assert.Equal("192.168.0.13", frame.OuterDestinationAddress);
            Assert.Equal(51234, frame.OuterSourcePort);
            Assert.Equal(8472, frame.OuterDestinationPort);
            Assert.Null(frame.OuterVlan);
            Assert.Equal(1, frame.Vni);
            Assert.Equal("32:73:d8:d1:e9:78", frame.InnerSourceMac);
            Assert.Equal("ee:81:17:b0:fd:7b", frame.InnerDestinationMac);
            Assert.Equal(0x0800, frame.InnerEtherType);
            Assert.Equal("10.244.1.178", frame.InnerSourceAddress);
            Assert.Equal("10.244.2.101", frame.InnerDestinationAddress);
            Assert.Equal("TCP", frame.InnerProtocol);
            Assert.Equal(43034, frame.InnerSourcePort);
            Assert.Equal(80, frame.InnerDestinationPort);
            Assert.Equal("SYN", frame.TcpFlags);
            Assert.False(frame.IsTruncated);
        }

        [Fact]
        public void OuterDestinationMac_LinuxCooked_IsNull()
        {
            var frame = MakeFrame(Sll2(W.OuterSourceMac, EtherIPv4, OuterIPv4(VxlanDatagram(InnerTcpSyn()))), linkType: 276);

            Assert.Equal("9e:66:01:47:0d:72", frame.OuterSourceMac);
            Assert.Null(frame.OuterDestinationMac);
        }

        [Fact]
        public void IsTruncated_CapturedLessThanWire_True()
        {
            var h = VxlanDecoderTests.Decode(EthernetVxlan(InnerTcpSyn()));
            var frame = new VxlanFrame("x.pcap", 1, Seconds, 0, 6, 1514, 96, in h, null);

            Assert.True(frame.IsTruncated);
        }

        [Fact]
        public void TcpFlags_SynAck_ListsSynFirst()
        {
            var frame = MakeFrame(EthernetVxlan(InnerEthernet(EtherIPv4, InnerIPv4(Tcp, TcpSegment(80, 43034, Syn | Ack)))));

            Assert.Equal("SYN,ACK", frame.TcpFlags);
        }

        [Fact]
        public void TcpFlags_FinPshAck_WiresharkOrder()
        {
            var frame = MakeFrame(EthernetVxlan(InnerEthernet(EtherIPv4, InnerIPv4(Tcp, TcpSegment(80, 43034, Fin | Psh | Ack)))));

            Assert.Equal("FIN,PSH,ACK", frame.TcpFlags);
        }

        [Fact]
        public void Info_TcpSyn_PortsAndFlags()
        {
            Assert.Equal("TCP 43034 \u2192 80 [SYN]", MakeFrame(EthernetVxlan(InnerTcpSyn())).Info);
        }

        [Fact]
        public void Info_TcpSynAck_FlagsSeparatedByCommaSpace()
        {
            var frame = MakeFrame(EthernetVxlan(InnerEthernet(EtherIPv4, InnerIPv4(Tcp, TcpSegment(80, 43034, Syn | Ack)))));

            Assert.Equal("TCP 80 \u2192 43034 [SYN, ACK]", frame.Info);
        }

        [Fact]
        public void Info_TcpWithPayload_ShowsLen()
        {
            var frame = MakeFrame(EthernetVxlan(InnerEthernet(EtherIPv4, InnerIPv4(Tcp, TcpSegment(80, 43034, Psh | Ack, Ascii("hello"))))));

            Assert.Equal("TCP 80 \u2192 43034 [PSH, ACK] Len=5", frame.Info);
        }

        [Fact]
        public void Info_TcpCutAfterItsPorts_PortsAndTheProblem()
        {
            var frame = MakeFrame(Cut(EthernetVxlan(InnerTcpSyn()), 96));

            Assert.Equal("TCP 43034 \u2192 80 [inner transport header cut short]", frame.Info);
            Assert.Equal(43034, frame.InnerSourcePort);
            Assert.Null(frame.TcpFlags);
        }

        [Fact]
        public void Info_UdpCutAfterItsPorts_LenFromTheIpHeader()
        {
            var frame = MakeFrame(Cut(EthernetVxlan(InnerEthernet(EtherIPv4, InnerIPv4(Udp, UdpDatagram(40007, 9000, Ascii("hello"))))), 84 + 4));

            Assert.Equal("UDP 40007 \u2192 9000 Len=5 [inner transport header cut short]", frame.Info);
        }

        [Fact]
        public void Info_VxlanInVxlan_VxlanWithTheNestedVni()
        {
            var frame = MakeFrame(EthernetVxlan(InnerEthernet(EtherIPv4, InnerIPv4(Udp, VxlanDatagram(InnerTcpSyn(), port: 4789, vni: 42)))));

            Assert.Equal("VXLAN VNI 42", frame.Info);
            Assert.Equal(1, frame.Vni);
        }

        [Fact]
        public void Info_InnerFirstFragment_FragmentWithItsOwnPayloadLength()
        {
            byte[] fragment = IPv4(W.InnerSourceIp, W.InnerDestinationIp, Udp, UdpDatagram(40007, 9000, new byte[100]), id: 0x5555, moreFragments: true);

            Assert.Equal("UDP fragment (off=0, ID=5555) Len=108", MakeFrame(EthernetVxlan(InnerEthernet(EtherIPv4, fragment))).Info);
        }

        [Fact]
        public void Info_InnerLaterFragment_OffsetInBytesAndItsOwnPayloadLength()
        {
            byte[] fragment = IPv4(W.InnerSourceIp, W.InnerDestinationIp, Icmp, new byte[152], id: 0x82e8, fragmentOffset8: 356);

            Assert.Equal("ICMP fragment (off=2848, ID=82e8) Len=152", MakeFrame(EthernetVxlan(InnerEthernet(EtherIPv4, fragment))).Info);
        }

        [Fact]
        public void Info_ApplicationLineGiven_ShowsHttp()
        {
            var frame = MakeFrame(EthernetVxlan(InnerTcpSyn()), applicationLine: "GET / HTTP/1.1");

            Assert.Equal("HTTP GET / HTTP/1.1", frame.Info);
        }

        [Fact]
        public void Info_IcmpEchoRequest()
        {
            var frame = MakeFrame(EthernetVxlan(InnerEthernet(EtherIPv4, InnerIPv4(Icmp, IcmpEchoRequest()))));

            Assert.Equal("ICMP echo request", frame.Info);
            Assert.Equal("ICMP", frame.InnerProtocol);
            Assert.Null(frame.InnerSourcePort);
            Assert.Null(frame.TcpFlags);
        }

        [Fact]
        public void Info_ArpRequest_WhoHas()
        {
            byte[] arp = ArpPacket(1, W.InnerSourceMac, W.InnerSourceIp, new byte[6], W.InnerDestinationIp);
            var frame = MakeFrame(EthernetVxlan(InnerEthernet(EtherArp, arp)));

            Assert.Equal("ARP Who has 10.244.2.101? Tell 10.244.1.178", frame.Info);
            Assert.Equal(0x0806, frame.InnerEtherType);
            Assert.Null(frame.InnerSourceAddress);
            Assert.Null(frame.InnerProtocol);
        }

        [Fact]
        public void Info_ArpReply_IsAt()
        {
            byte[] arp = ArpPacket(2, W.InnerDestinationMac, W.InnerDestinationIp, W.InnerSourceMac, W.InnerSourceIp);
            var frame = MakeFrame(EthernetVxlan(Ethernet(W.InnerSourceMac, W.InnerDestinationMac, EtherArp, arp)));

            Assert.Equal("ARP 10.244.2.101 is at ee:81:17:b0:fd:7b", frame.Info);
        }

        [Fact]
        public void Info_InnerNonIp_ShowsEtherType()
        {
            var frame = MakeFrame(EthernetVxlan(InnerEthernet(EtherLldp, Bytes(0, 0))));

            Assert.Equal("EtherType 0x88cc", frame.Info);
            Assert.Equal(0x88cc, frame.InnerEtherType);
        }

        [Fact]
        public void Info_InvalidVxlanFlags_SaysSo()
        {
            var frame = MakeFrame(EthernetVxlan(InnerTcpSyn(), flags: 0x00));

            Assert.Equal("TCP 43034 \u2192 80 [SYN] [VXLAN flags lack the valid-VNI bit]", frame.Info);
        }

        [Fact]
        public void Properties_CutInVxlanHeader_InnerFieldsNull()
        {
            var frame = MakeFrame(Cut(EthernetVxlan(InnerTcpSyn()), 46));

            Assert.Null(frame.Vni);
            Assert.Null(frame.InnerSourceMac);
            Assert.Null(frame.InnerEtherType);
            Assert.Null(frame.InnerSourceAddress);
            Assert.Equal("VXLAN [VXLAN header cut short]", frame.Info);
        }

        [Fact]
        public void Properties_QinQ_OuterVlanIsOutermostTag()
        {
            byte[] bytes = Ethernet(W.OuterDestinationMac, W.OuterSourceMac, EtherIPv4, OuterIPv4(VxlanDatagram(InnerTcpSyn())),
                (Dot1AD, 300), (Dot1Q, 100));

            Assert.Equal(300, MakeFrame(bytes).OuterVlan);
        }

        [Fact]
        public void Reader_InnerHttpGet_InfoIsRequestLine()
        {
            byte[] get = Ascii("GET / HTTP/1.1\r\nHost: 10.244.2.101\r\nUser-Agent: curl/7.81.0\r\n\r\n");
            byte[] bytes = EthernetVxlan(InnerEthernet(EtherIPv4, InnerIPv4(Tcp, TcpSegment(43034, 80, Psh | Ack, get))));
            var reader = new VxlanFrameReader(new ListCaptureReader(bytes), new PortSet(new[] { 8472, 4789 }), null, null);

            Assert.True(reader.Read(out VxlanFrame frame, out string warning));

            Assert.Null(warning);
            Assert.NotNull(frame);
            Assert.Equal("HTTP GET / HTTP/1.1", frame.Info);
            Assert.Equal("2025-11-25T16:54:46.123456Z", frame.Timestamp);
        }

        [Fact]
        public void Reader_FrameNumbers_CountRecordsThatAreNotVxlan()
        {
            byte[] arp = Ethernet(Bytes(0xff, 0xff, 0xff, 0xff, 0xff, 0xff), W.OuterSourceMac, EtherArp,
                ArpPacket(1, W.OuterSourceMac, W.OuterSourceIp, new byte[6], W.OuterDestinationIp));
            var reader = new VxlanFrameReader(new ListCaptureReader(arp, EthernetVxlan(InnerTcpSyn())), new PortSet(new[] { 8472 }), null, null);

            Assert.True(reader.Read(out VxlanFrame first, out _));
            Assert.True(reader.Read(out VxlanFrame second, out _));

            Assert.Null(first);
            Assert.Equal(2, second.FrameNumber);
        }

        [Fact]
        public void Reader_OuterLaterFragment_WarnsWithFrameNumberAndId()
        {
            byte[] firstFragment = Ethernet(W.OuterDestinationMac, W.OuterSourceMac, EtherIPv4,
                IPv4(W.OuterSourceIp, W.OuterDestinationIp, Udp, VxlanDatagram(InnerTcpSyn()), id: 0x4242, moreFragments: true));
            byte[] laterFragment = Ethernet(W.OuterDestinationMac, W.OuterSourceMac, EtherIPv4,
                IPv4(W.OuterSourceIp, W.OuterDestinationIp, Udp, Ascii("rest of the datagram"), id: 0x4242, fragmentOffset8: 7));
            var reader = new VxlanFrameReader(new ListCaptureReader(firstFragment, laterFragment), new PortSet(new[] { 8472 }), null, null);

            Assert.True(reader.Read(out VxlanFrame first, out _));
            Assert.True(reader.Read(out VxlanFrame second, out string warning));

            Assert.Equal(1, first.FrameNumber);
            Assert.Null(second);
            Assert.StartsWith("Frame 2: later IP fragment (id 0x4242) of a VXLAN frame from 192.168.0.12 to 192.168.0.13", warning);
        }

        /// <summary>A capture source that hands out the given Ethernet frames, all at the test's timestamp.</summary>
        private sealed class ListCaptureReader : ICaptureReader
        {
            private readonly Queue<byte[]> _frames;

            public ListCaptureReader(params byte[][] frames) => _frames = new Queue<byte[]>(frames);

            public string Name => "list.pcap";
            public int TimestampDigits => 6;
            public long BytesRead => 0;
            public long Length => 0;
            public bool IsEnd => _frames.Count == 0;

            public bool TryReadNext(out CapturedRecord record)
            {
                if (_frames.Count == 0)
                {
                    record = default;
                    return false;
                }
                byte[] data = _frames.Dequeue();
                record = new CapturedRecord(data, 1, 0, Seconds, Nanoseconds, data.Length);
                return true;
            }

            public void Dispose()
            {
            }
        }
    }
}
