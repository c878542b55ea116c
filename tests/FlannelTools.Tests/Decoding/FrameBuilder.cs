using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace FlannelTools.Tests.Decoding
{
    /// <summary>The walkthrough's addresses, MACs, VNI and port, as literal bytes.</summary>
    internal static class Walkthrough
    {
        public static readonly byte[] OuterSourceMac = { 0x9e, 0x66, 0x01, 0x47, 0x0d, 0x72 };
        public static readonly byte[] OuterDestinationMac = { 0x0a, 0xd2, 0x1d, 0x9d, 0xdc, 0xf7 };
        public static readonly byte[] OuterSourceIp = { 192, 168, 0, 12 };
        public static readonly byte[] OuterDestinationIp = { 192, 168, 0, 13 };

        public static readonly byte[] InnerSourceMac = { 0x32, 0x73, 0xd8, 0xd1, 0xe9, 0x78 };
        public static readonly byte[] InnerDestinationMac = { 0xee, 0x81, 0x17, 0xb0, 0xfd, 0x7b };
        public static readonly byte[] InnerSourceIp = { 10, 244, 1, 178 };
        public static readonly byte[] InnerDestinationIp = { 10, 244, 2, 101 };

        /// <summary>fd00::12 and fd00::13, for IPv6 underlays.</summary>
        public static readonly byte[] OuterSourceIp6 = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12 };
        public static readonly byte[] OuterDestinationIp6 = { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x13 };

        /// <summary>fd00:10:244:1::b2 and fd00:10:244:2::65, for IPv6 pods.</summary>
        public static readonly byte[] InnerSourceIp6 = { 0xfd, 0, 0, 0x10, 0x02, 0x44, 0, 0x01, 0, 0, 0, 0, 0, 0, 0, 0xb2 };
        public static readonly byte[] InnerDestinationIp6 = { 0xfd, 0, 0, 0x10, 0x02, 0x44, 0, 0x02, 0, 0, 0, 0, 0, 0, 0, 0x65 };

        public const ushort FlannelPort = 8472;
        public const ushort UdpSourcePort = 51234;
        public const uint Vni = 1;
    }

    /// <summary>
    /// Assembles frames from the inside out: each layer takes its payload and returns the layer's
    /// header followed by that payload, filling in the length fields (unless a test overrides them).
    /// </summary>
    internal static class Frame
    {
        public const ushort EtherIPv4 = 0x0800;
        public const ushort EtherArp = 0x0806;
        public const ushort EtherIPv6 = 0x86dd;
        public const ushort Dot1Q = 0x8100;
        public const ushort Dot1AD = 0x88a8;
        public const ushort EtherLldp = 0x88cc;

        public const byte Icmp = 1;
        public const byte Tcp = 6;
        public const byte Udp = 17;
        public const byte Icmpv6 = 58;

        public const byte Fin = 0x01, Syn = 0x02, Rst = 0x04, Psh = 0x08, Ack = 0x10;

        public static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();

        public static byte[] Bytes(params int[] values) => values.Select(v => (byte)v).ToArray();

        public static byte[] U16(int value) => new[] { (byte)(value >> 8), (byte)value };

        public static byte[] U32(uint value) => new[] { (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value };

        public static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

        public static byte[] Cut(byte[] frame, int length) => frame.Take(length).ToArray();

        // ---- link layers ----

        /// <summary>Ethernet II; each VLAN tag is (TPID, VLAN id), outermost first.</summary>
        public static byte[] Ethernet(byte[] destination, byte[] source, ushort etherType, byte[] payload, params (ushort Tpid, ushort Vid)[] tags)
        {
            var header = new List<byte>();
            header.AddRange(destination);
            header.AddRange(source);
            foreach (var tag in tags)
            {
                header.AddRange(U16(tag.Tpid));
                header.AddRange(U16(tag.Vid & 0x0fff));
            }
            header.AddRange(U16(etherType));
            return Concat(header.ToArray(), payload);
        }

        /// <summary>Linux cooked v1 (LINKTYPE_LINUX_SLL, 113): 16 bytes, sender's address only.</summary>
        public static byte[] Sll(byte[] sourceMac, ushort protocol, byte[] payload, ushort packetType = 4 /* outgoing */) =>
            Concat(U16(packetType), U16(1) /* ARPHRD_ETHER */, U16(6), sourceMac, Bytes(0, 0), U16(protocol), payload);

        /// <summary>Linux cooked v2 (LINKTYPE_LINUX_SLL2, 276): 20 bytes, sender's address only.</summary>
        public static byte[] Sll2(byte[] sourceMac, ushort protocol, byte[] payload, uint interfaceIndex = 2, byte packetType = 4) =>
            Concat(U16(protocol), U16(0), U32(interfaceIndex), U16(1) /* ARPHRD_ETHER */, Bytes(packetType, 6), sourceMac, Bytes(0, 0), payload);

        /// <summary>BSD loopback (LINKTYPE_NULL, 0): the address family in the capturing host's (here little-endian) byte order.</summary>
        public static byte[] Null(uint family, byte[] payload) =>
            Concat(Bytes((int)(family & 0xff), (int)(family >> 8 & 0xff), (int)(family >> 16 & 0xff), (int)(family >> 24)), payload);

        // ---- network layers ----

        public static byte[] IPv4Header(byte[] source, byte[] destination, byte protocol, int payloadLength,
            ushort id = 0x4d2a, bool dontFragment = false, bool moreFragments = false, int fragmentOffset8 = 0,
            int? totalLength = null, int ihl = 5, byte ttl = 64)
        {
            int flags = (dontFragment ? 0x4000 : 0) | (moreFragments ? 0x2000 : 0) | (fragmentOffset8 & 0x1fff);
            int headerLength = Math.Max(ihl, 5) * 4;
            var header = new byte[headerLength];
            header[0] = (byte)(0x40 | (ihl & 0x0f));
            U16(totalLength ?? headerLength + payloadLength).CopyTo(header, 2);
            U16(id).CopyTo(header, 4);
            U16(flags).CopyTo(header, 6);
            header[8] = ttl;
            header[9] = protocol;
            source.CopyTo(header, 12);
            destination.CopyTo(header, 16);
            return header;
        }

        public static byte[] IPv4(byte[] source, byte[] destination, byte protocol, byte[] payload,
            ushort id = 0x4d2a, bool dontFragment = false, bool moreFragments = false, int fragmentOffset8 = 0,
            int? totalLength = null, int ihl = 5) =>
            Concat(IPv4Header(source, destination, protocol, payload.Length, id, dontFragment, moreFragments, fragmentOffset8, totalLength, ihl), payload);

        /// <summary>IPv6 with the given extension headers (each already built, with its own next-header byte).</summary>
        public static byte[] IPv6(byte[] source, byte[] destination, byte nextHeader, byte[] payload, byte hopLimit = 64) =>
            Concat(Bytes(0x60, 0, 0, 0), U16(payload.Length), Bytes(nextHeader, hopLimit), source, destination, payload);

        /// <summary>Hop-by-hop options header of 8 bytes (a PadN option filling it).</summary>
        public static byte[] HopByHop(byte nextHeader) => Bytes(nextHeader, 0, 1, 4, 0, 0, 0, 0);

        /// <summary>IPv6 fragment header; offset in 8-byte units.</summary>
        public static byte[] Ipv6Fragment(byte nextHeader, int fragmentOffset8, bool moreFragments, uint id) =>
            Concat(Bytes(nextHeader, 0), U16(fragmentOffset8 << 3 | (moreFragments ? 1 : 0)), U32(id));

        // ---- transport layers ----

        public static byte[] UdpDatagram(ushort sourcePort, ushort destinationPort, byte[] payload) =>
            Concat(U16(sourcePort), U16(destinationPort), U16(8 + payload.Length), U16(0), payload);

        public static byte[] TcpSegment(ushort sourcePort, ushort destinationPort, byte flags, byte[] payload = null, uint seq = 1000, uint ack = 0) =>
            Concat(U16(sourcePort), U16(destinationPort), U32(seq), U32(ack), Bytes(0x50, flags), U16(64240), U16(0), U16(0), payload ?? Array.Empty<byte>());

        public static byte[] IcmpEchoRequest(ushort id = 1, ushort sequence = 1) =>
            Concat(Bytes(8, 0), U16(0), U16(id), U16(sequence), Ascii("abcdefgh"));

        /// <summary>ICMP error (type 3 code 3, port unreachable) quoting an IP header and the first 8 bytes of what followed.</summary>
        public static byte[] IcmpDestinationUnreachable(byte code, byte[] quoted) =>
            Concat(Bytes(3, code), U16(0), U32(0), quoted);

        public static byte[] Icmpv6EchoRequest() => Concat(Bytes(128, 0), U16(0), U16(1), U16(1));

        public static byte[] ArpPacket(ushort operation, byte[] senderMac, byte[] senderIp, byte[] targetMac, byte[] targetIp) =>
            Concat(U16(1), U16(0x0800), Bytes(6, 4), U16(operation), senderMac, senderIp, targetMac, targetIp);

        // ---- VXLAN ----

        public static byte[] VxlanHeader(uint vni, byte flags = 0x08) => Concat(Bytes(flags, 0, 0, 0), U32(vni << 8));

        /// <summary>The UDP datagram flannel.1 sends: UDP to <paramref name="port"/>, VXLAN header, inner Ethernet frame.</summary>
        public static byte[] VxlanDatagram(byte[] innerEthernet, ushort port = Walkthrough.FlannelPort, uint vni = Walkthrough.Vni, byte flags = 0x08) =>
            UdpDatagram(Walkthrough.UdpSourcePort, port, Concat(VxlanHeader(vni, flags), innerEthernet));

        // ---- the walkthrough's packets ----

        /// <summary>Inner Ethernet from pod 10.244.1.178 to 10.244.2.101, with the given EtherType and payload.</summary>
        public static byte[] InnerEthernet(ushort etherType, byte[] payload, params (ushort Tpid, ushort Vid)[] tags) =>
            Ethernet(Walkthrough.InnerDestinationMac, Walkthrough.InnerSourceMac, etherType, payload, tags);

        public static byte[] InnerIPv4(byte protocol, byte[] payload) =>
            IPv4(Walkthrough.InnerSourceIp, Walkthrough.InnerDestinationIp, protocol, payload, id: 0x1111, dontFragment: true);

        /// <summary>The walkthrough's first packet: pod to pod, TCP 43034 → 80 SYN.</summary>
        public static byte[] InnerTcpSyn() =>
            InnerEthernet(EtherIPv4, InnerIPv4(Tcp, TcpSegment(43034, 80, Syn)));

        /// <summary>Outer IPv4 192.168.0.12 → 192.168.0.13 carrying the given UDP datagram.</summary>
        public static byte[] OuterIPv4(byte[] udp) =>
            IPv4(Walkthrough.OuterSourceIp, Walkthrough.OuterDestinationIp, Udp, udp);

        /// <summary>The whole walkthrough frame on eth0: outer Ethernet, IPv4, UDP 8472, VXLAN VNI 1, <paramref name="innerEthernet"/>.</summary>
        public static byte[] EthernetVxlan(byte[] innerEthernet, ushort port = Walkthrough.FlannelPort, uint vni = Walkthrough.Vni, byte flags = 0x08) =>
            Ethernet(Walkthrough.OuterDestinationMac, Walkthrough.OuterSourceMac, EtherIPv4, OuterIPv4(VxlanDatagram(innerEthernet, port, vni, flags)));
    }
}
