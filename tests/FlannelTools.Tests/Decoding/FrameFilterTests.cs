using FlannelTools.Addressing;
using FlannelTools.Decoding;
using Xunit;
using static FlannelTools.Tests.Decoding.Frame;
using W = FlannelTools.Tests.Decoding.Walkthrough;

namespace FlannelTools.Tests.Decoding
{
    public class FrameFilterTests
    {
        private static IpAddressValue Ip(string text)
        {
            Assert.True(IpAddressValue.TryParse(text, out IpAddressValue value));
            return value;
        }

        private static VxlanHeaders WalkthroughSyn() => VxlanDecoderTests.Decode(EthernetVxlan(InnerTcpSyn()));

        [Fact]
        public void Matches_NoCriteria_KeepsEverything()
        {
            Assert.True(FrameFilter.None.Matches(WalkthroughSyn()));
        }

        [Fact]
        public void Matches_VniListed_Keeps()
        {
            Assert.True(new FrameFilter(vnis: new[] { 7, 1 }).Matches(WalkthroughSyn()));
        }

        [Fact]
        public void Matches_VniNotListed_Drops()
        {
            Assert.False(new FrameFilter(vnis: new[] { 2 }).Matches(WalkthroughSyn()));
        }

        [Fact]
        public void Matches_VniFilterOnFrameWithVxlanHeaderCut_Keeps()
        {
            var h = VxlanDecoderTests.Decode(Cut(EthernetVxlan(InnerTcpSyn()), 46));

            Assert.True(new FrameFilter(vnis: new[] { 2 }).Matches(h));
        }

        [Fact]
        public void Matches_HostAddressIsOuterSource_Keeps()
        {
            Assert.True(new FrameFilter(hostAddresses: new[] { Ip("192.168.0.12") }).Matches(WalkthroughSyn()));
        }

        [Fact]
        public void Matches_HostAddressIsOuterDestination_Keeps()
        {
            Assert.True(new FrameFilter(hostAddresses: new[] { Ip("192.168.0.13") }).Matches(WalkthroughSyn()));
        }

        [Fact]
        public void Matches_HostAddressIsNeither_Drops()
        {
            Assert.False(new FrameFilter(hostAddresses: new[] { Ip("192.168.0.11") }).Matches(WalkthroughSyn()));
        }

        [Fact]
        public void Matches_HostAddressIsInnerAddress_Drops()
        {
            Assert.False(new FrameFilter(hostAddresses: new[] { Ip("10.244.1.178") }).Matches(WalkthroughSyn()));
        }

        [Fact]
        public void Matches_InnerAddressIsInnerSource_Keeps()
        {
            Assert.True(new FrameFilter(innerAddresses: new[] { Ip("10.244.1.178") }).Matches(WalkthroughSyn()));
        }

        [Fact]
        public void Matches_InnerAddressIsInnerDestination_Keeps()
        {
            Assert.True(new FrameFilter(innerAddresses: new[] { Ip("10.244.2.101") }).Matches(WalkthroughSyn()));
        }

        [Fact]
        public void Matches_InnerAddressIsNeither_Drops()
        {
            Assert.False(new FrameFilter(innerAddresses: new[] { Ip("10.244.2.7") }).Matches(WalkthroughSyn()));
        }

        [Fact]
        public void Matches_InnerAddressIsOuterAddress_Drops()
        {
            Assert.False(new FrameFilter(innerAddresses: new[] { Ip("192.168.0.12") }).Matches(WalkthroughSyn()));
        }

        [Fact]
        public void Matches_InnerAddressFilterOnFrameCutBeforeInnerIp_Keeps()
        {
            var h = VxlanDecoderTests.Decode(Cut(EthernetVxlan(InnerTcpSyn()), 74));
            Assert.Equal(DecodeProblem.InnerNetworkHeaderCut, h.Problem);

            Assert.True(new FrameFilter(innerAddresses: new[] { Ip("10.244.2.7") }).Matches(h));
        }

        [Fact]
        public void Matches_InnerAddressFilterOnFrameCutAfterInnerIp_UsesKnownAddresses()
        {
            // Cut in the inner TCP header: the inner addresses are known and are not 10.244.2.7.
            var h = VxlanDecoderTests.Decode(Cut(EthernetVxlan(InnerTcpSyn()), 96));
            Assert.Equal(DecodeProblem.InnerTransportHeaderCut, h.Problem);
            Assert.True(h.Has(HeaderFields.InnerIp));

            Assert.False(new FrameFilter(innerAddresses: new[] { Ip("10.244.2.7") }).Matches(h));
        }

        [Fact]
        public void Matches_InnerAddressFilterOnFrameWithInvalidVxlanFlags_UsesDecodedInnerAddresses()
        {
            // The I flag is missing but the inner frame was decoded in full (as Wireshark does).
            var h = VxlanDecoderTests.Decode(EthernetVxlan(InnerTcpSyn(), flags: 0x00));
            Assert.Equal(DecodeProblem.VxlanFlagsInvalid, h.Problem);

            Assert.False(new FrameFilter(innerAddresses: new[] { Ip("10.244.2.7") }).Matches(h));
        }

        [Fact]
        public void Matches_InnerAddressFilterOnInnerArp_Drops()
        {
            byte[] arp = ArpPacket(1, W.InnerSourceMac, W.InnerSourceIp, new byte[6], W.InnerDestinationIp);
            var h = VxlanDecoderTests.Decode(EthernetVxlan(InnerEthernet(EtherArp, arp)));

            Assert.False(new FrameFilter(innerAddresses: new[] { Ip("10.244.2.7") }).Matches(h));
        }

        [Fact]
        public void Matches_AllCriteriaMatch_Keeps()
        {
            var filter = new FrameFilter(new[] { 1 }, new[] { Ip("192.168.0.13") }, new[] { Ip("10.244.2.101") });

            Assert.True(filter.Matches(WalkthroughSyn()));
        }

        [Fact]
        public void Matches_OneCriterionFails_Drops()
        {
            var filter = new FrameFilter(new[] { 1 }, new[] { Ip("192.168.0.13") }, new[] { Ip("10.244.2.7") });

            Assert.False(filter.Matches(WalkthroughSyn()));
        }
    }
}
