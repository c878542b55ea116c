using System;
using System.Buffers.Binary;
using FlannelTools.Addressing;

namespace FlannelTools.Decoding
{
    /// <summary>
    /// Decodes the VXLAN header stack of one captured frame into a <see cref="VxlanHeaders"/> value,
    /// layer by layer, reading only the bytes each layer needs and allocating nothing.
    /// </summary>
    internal static class VxlanDecoder
    {
        private const int UdpHeaderLength = 8;
        private const int VxlanHeaderLength = 8;
        private const int EthernetHeaderLength = 14;
        private const byte VxlanFlagVniValid = 0x08;

        public static void Decode(ReadOnlySpan<byte> frame, int linkType, PortSet vxlanPorts, ref VxlanHeaders h)
        {
            h = default;
            if (!LinkType.IsSupported(linkType))
            {
                h.Status = DecodeStatus.UnsupportedLinkType;
                return;
            }
            if (!LinkLayer.TryRead(frame, linkType, ref h, out ushort etherType, out int offset) ||
                (etherType != EtherType.IPv4 && etherType != EtherType.IPv6))
            {
                return;
            }
            if (IpHeader.Read(frame, offset, etherType, out IpHeader outer) != IpReadResult.Ok || outer.Protocol != IpProtocol.Udp)
            {
                return;
            }
            h.OuterSourceAddress = outer.Source;
            h.OuterDestinationAddress = outer.Destination;
            h.OuterFragmentId = outer.FragmentId;
            if (outer.IsLaterFragment)
            {
                h.Status = DecodeStatus.LaterFragment;
                return;
            }
            h.OuterIsFirstFragment = outer.IsFragment;
            int udp = outer.PayloadOffset;
            if (frame.Length < udp + 4)
            {
                return;
            }
            h.OuterSourcePort = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(udp));
            h.OuterDestinationPort = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(udp + 2));
            if (!vxlanPorts.Contains(h.OuterDestinationPort))
            {
                return;
            }
            h.Status = DecodeStatus.Vxlan;
            int vxlan = udp + UdpHeaderLength;
            if (frame.Length < vxlan + VxlanHeaderLength)
            {
                h.Problem = DecodeProblem.VxlanHeaderCut;
                return;
            }
            h.VxlanFlags = frame[vxlan];
            h.Vni = BinaryPrimitives.ReadUInt32BigEndian(frame.Slice(vxlan + 4)) >> 8;
            h.Fields |= HeaderFields.Vxlan;
            if ((h.VxlanFlags & VxlanFlagVniValid) == 0)
            {
                h.Problem = DecodeProblem.VxlanFlagsInvalid;
            }
            DecodeInner(frame, vxlan + VxlanHeaderLength, ref h);
        }

        private static void DecodeInner(ReadOnlySpan<byte> frame, int offset, ref VxlanHeaders h)
        {
            if (frame.Length < offset + EthernetHeaderLength)
            {
                SetProblem(ref h, DecodeProblem.InnerEthernetCut);
                return;
            }
            h.InnerDestinationMac = MacAddress.Read(frame.Slice(offset));
            h.InnerSourceMac = MacAddress.Read(frame.Slice(offset + 6));
            ushort etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset + 12));
            offset += EthernetHeaderLength;
            while (EtherType.IsVlanTag(etherType))
            {
                if (frame.Length < offset + 4)
                {
                    SetProblem(ref h, DecodeProblem.InnerEthernetCut);
                    return;
                }
                etherType = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset + 2));
                offset += 4;
            }
            h.InnerEtherType = etherType;
            h.Fields |= HeaderFields.InnerEthernet;

            if (etherType == EtherType.Arp)
            {
                DecodeArp(frame, offset, ref h);
                return;
            }
            if (etherType != EtherType.IPv4 && etherType != EtherType.IPv6)
            {
                return;
            }
            switch (IpHeader.Read(frame, offset, etherType, out IpHeader inner))
            {
                case IpReadResult.Cut:
                    SetProblem(ref h, DecodeProblem.InnerNetworkHeaderCut);
                    return;
                case IpReadResult.Malformed:
                    SetProblem(ref h, DecodeProblem.InnerNetworkHeaderMalformed);
                    return;
            }
            h.InnerSourceAddress = inner.Source;
            h.InnerDestinationAddress = inner.Destination;
            h.InnerProtocol = inner.Protocol;
            h.Fields |= HeaderFields.InnerIp;
            if (inner.IsLaterFragment)
            {
                h.Fields |= HeaderFields.InnerFragment;
                return;
            }
            DecodeTransport(frame, inner.PayloadOffset, inner.PayloadLength, ref h);
        }

        private static void DecodeTransport(ReadOnlySpan<byte> frame, int offset, int length, ref VxlanHeaders h)
        {
            switch (h.InnerProtocol)
            {
                case IpProtocol.Tcp:
                    if (frame.Length < offset + 20)
                    {
                        SetProblem(ref h, DecodeProblem.InnerTransportHeaderCut);
                        return;
                    }
                    ReadPorts(frame, offset, ref h);
                    h.TcpFlags = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset + 12)) & 0x01ff);
                    h.Fields |= HeaderFields.TcpFlags;
                    int dataOffset = (frame[offset + 12] >> 4) * 4;
                    if (dataOffset < 20)
                    {
                        SetProblem(ref h, DecodeProblem.InnerTransportHeaderMalformed);
                        return;
                    }
                    SetPayload(frame, offset + dataOffset, length - dataOffset, ref h);
                    return;
                case IpProtocol.Udp:
                    if (frame.Length < offset + 8)
                    {
                        SetProblem(ref h, DecodeProblem.InnerTransportHeaderCut);
                        return;
                    }
                    ReadPorts(frame, offset, ref h);
                    SetPayload(frame, offset + 8, length - 8, ref h);
                    return;
                case IpProtocol.Icmp:
                case IpProtocol.Icmpv6:
                    if (frame.Length < offset + 2)
                    {
                        SetProblem(ref h, DecodeProblem.InnerTransportHeaderCut);
                        return;
                    }
                    h.IcmpType = frame[offset];
                    h.IcmpCode = frame[offset + 1];
                    h.Fields |= HeaderFields.Icmp;
                    return;
            }
        }

        private static void ReadPorts(ReadOnlySpan<byte> frame, int offset, ref VxlanHeaders h)
        {
            h.InnerSourcePort = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset));
            h.InnerDestinationPort = BinaryPrimitives.ReadUInt16BigEndian(frame.Slice(offset + 2));
            h.Fields |= HeaderFields.InnerPorts;
        }

        private static void SetPayload(ReadOnlySpan<byte> frame, int offset, int length, ref VxlanHeaders h)
        {
            if (length <= 0 || offset >= frame.Length)
            {
                return;
            }
            h.InnerPayloadOffset = offset;
            h.InnerPayloadLength = Math.Min(length, frame.Length - offset);
        }

        private static void DecodeArp(ReadOnlySpan<byte> frame, int offset, ref VxlanHeaders h)
        {
            // Ethernet/IPv4 ARP only: hardware type 1, protocol 0x0800, lengths 6 and 4.
            if (frame.Length < offset + 28)
            {
                SetProblem(ref h, DecodeProblem.InnerNetworkHeaderCut);
                return;
            }
            ReadOnlySpan<byte> arp = frame.Slice(offset);
            if (BinaryPrimitives.ReadUInt16BigEndian(arp) != 1 || BinaryPrimitives.ReadUInt16BigEndian(arp.Slice(2)) != EtherType.IPv4 || arp[4] != 6 || arp[5] != 4)
            {
                return;
            }
            h.ArpOperation = BinaryPrimitives.ReadUInt16BigEndian(arp.Slice(6));
            h.ArpSenderAddress = IpAddressValue.FromIPv4(arp.Slice(14));
            h.ArpTargetAddress = IpAddressValue.FromIPv4(arp.Slice(24));
            h.Fields |= HeaderFields.Arp;
        }

        private static void SetProblem(ref VxlanHeaders h, DecodeProblem problem)
        {
            // A cut header says more about the fields that are missing than flags without the VNI bit.
            if (h.Problem == DecodeProblem.None || h.Problem == DecodeProblem.VxlanFlagsInvalid)
            {
                h.Problem = problem;
            }
        }
    }
}
