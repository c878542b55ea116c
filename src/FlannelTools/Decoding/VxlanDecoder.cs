namespace FlannelTools.Decoding
{
    /// <summary>
    /// Decodes one captured frame into a <see cref="VxlanHeaders"/> value by handing it from layer reader to
    /// layer reader: link layer, outer IP, UDP, VXLAN, then the inner Ethernet frame (the same
    /// <see cref="EthernetHeader"/> reader as the outer one), inner IP or ARP, inner TCP, UDP or ICMP.
    /// Each reader reads only the bytes its layer needs; nothing is allocated.
    /// </summary>
    internal static class VxlanDecoder
    {
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
            if (!TransportPorts.TryRead(frame, udp, out h.OuterSourcePort, out h.OuterDestinationPort) ||
                !vxlanPorts.Contains(h.OuterDestinationPort))
            {
                return;
            }
            h.Status = DecodeStatus.Vxlan;
            int vxlan = udp + UdpHeader.Length;
            if (!VxlanHeader.TryRead(frame, vxlan, out h.VxlanFlags, out h.Vni))
            {
                h.Problem = DecodeProblem.VxlanHeaderCut;
                return;
            }
            h.Fields |= HeaderFields.Vxlan;
            if ((h.VxlanFlags & VxlanHeader.FlagVniValid) == 0)
            {
                h.Problem = DecodeProblem.VxlanFlagsInvalid;
            }
            DecodeInnerFrame(frame, vxlan + VxlanHeader.Length, vxlanPorts, ref h);
        }

        private static void DecodeInnerFrame(ReadOnlySpan<byte> frame, int offset, PortSet vxlanPorts, ref VxlanHeaders h)
        {
            if (!EthernetHeader.TryRead(frame, offset, out EthernetHeader ethernet))
            {
                h.SetProblem(DecodeProblem.InnerEthernetCut);
                return;
            }
            h.InnerDestinationMac = ethernet.Destination;
            h.InnerSourceMac = ethernet.Source;
            h.InnerEtherType = ethernet.EtherType;
            h.Fields |= HeaderFields.InnerEthernet;
            switch (ethernet.EtherType)
            {
                case EtherType.Arp:
                    ArpPacket.ReadInner(frame, ethernet.PayloadOffset, ref h);
                    return;
                case EtherType.IPv4:
                case EtherType.IPv6:
                    DecodeInnerIp(frame, ethernet.PayloadOffset, ethernet.EtherType, vxlanPorts, ref h);
                    return;
            }
        }

        private static void DecodeInnerIp(ReadOnlySpan<byte> frame, int offset, ushort etherType, PortSet vxlanPorts, ref VxlanHeaders h)
        {
            switch (IpHeader.Read(frame, offset, etherType, out IpHeader inner))
            {
                case IpReadResult.Cut:
                    h.SetProblem(DecodeProblem.InnerNetworkHeaderCut);
                    return;
                case IpReadResult.Malformed:
                    h.SetProblem(DecodeProblem.InnerNetworkHeaderMalformed);
                    return;
            }
            h.InnerSourceAddress = inner.Source;
            h.InnerDestinationAddress = inner.Destination;
            h.InnerProtocol = inner.Protocol;
            h.Fields |= HeaderFields.InnerIp;
            if (inner.IsFragment)
            {
                h.InnerFragmentId = inner.FragmentId;
                h.InnerFragmentOffset = inner.FragmentOffset;
                h.InnerFragmentLength = inner.PayloadLength;
                if (inner.IsLaterFragment)
                {
                    h.Fields |= HeaderFields.InnerFragment;
                    return;
                }
                h.Fields |= HeaderFields.InnerFirstFragment;
            }
            switch (inner.Protocol)
            {
                case IpProtocol.Tcp:
                    TcpHeader.ReadInner(frame, inner.PayloadOffset, inner.PayloadLength, ref h);
                    return;
                case IpProtocol.Udp:
                    UdpHeader.ReadInner(frame, inner.PayloadOffset, inner.PayloadLength, vxlanPorts, ref h);
                    return;
                case IpProtocol.Icmp:
                case IpProtocol.Icmpv6:
                    IcmpHeader.ReadInner(frame, inner.PayloadOffset, ref h);
                    return;
            }
        }
    }
}
