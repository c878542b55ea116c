using FlannelTools.Addressing;
using Xunit;

namespace FlannelTools.Tests.Decoding
{
    public class AddressTextTests
    {
        [Fact]
        public void IpAddressValue_IPv4_ReadsAsDottedQuad()
        {
            var address = IpAddressValue.FromIPv4(new byte[] { 10, 244, 1, 178 });

            Assert.Equal("10.244.1.178", address.ToString());
            Assert.Equal(4, address.Version);
        }

        [Fact]
        public void IpAddressValue_IPv6_ReadsCompressed()
        {
            var address = IpAddressValue.FromIPv6(new byte[] { 0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x11 });

            Assert.Equal("fd00::11", address.ToString());
            Assert.Equal(6, address.Version);
        }

        [Fact]
        public void IpAddressValue_Empty_ReadsAsNull()
        {
            Assert.Null(default(IpAddressValue).ToString());
            Assert.True(default(IpAddressValue).IsEmpty);
        }

        [Fact]
        public void IpAddressValue_ParseIPv4_EqualsBytes()
        {
            Assert.True(IpAddressValue.TryParse("192.168.0.13", out IpAddressValue parsed));
            Assert.Equal(IpAddressValue.FromIPv4(new byte[] { 192, 168, 0, 13 }), parsed);
        }

        [Fact]
        public void IpAddressValue_ParseUncompressedIPv6_ReadsCompressed()
        {
            Assert.True(IpAddressValue.TryParse("FD00:0000:0000:0000:0000:0000:0000:0011", out IpAddressValue parsed));
            Assert.Equal("fd00::11", parsed.ToString());
        }

        [Fact]
        public void IpAddressValue_ParseV4Mapped_IsTheIPv4Address()
        {
            Assert.True(IpAddressValue.TryParse("::ffff:10.244.2.101", out IpAddressValue parsed));

            Assert.Equal(IpAddressValue.FromIPv4(new byte[] { 10, 244, 2, 101 }), parsed);
            Assert.Equal("10.244.2.101", parsed.ToString());
        }

        [Theory]
        [InlineData("")]
        [InlineData("   ")]
        [InlineData(null)]
        [InlineData("not an address")]
        public void IpAddressValue_ParseBadText_ReturnsFalse(string text)
        {
            Assert.False(IpAddressValue.TryParse(text, out _));
        }

        [Fact]
        public void IpAddressValue_ParseThreePartDottedText_ReturnsFalse()
        {
            // "10.244.1" is a typo or a prefix, not an address; IPAddress.TryParse reads it the
            // inet_aton way as 10.244.0.1, so -HostAddress 10.244.1 would silently filter on that.
            Assert.False(IpAddressValue.TryParse("10.244.1", out _));
        }

        [Fact]
        public void IpAddressValue_IPv4AndIPv6WithSameLowBits_AreNotEqual()
        {
            var v4 = IpAddressValue.FromIPv4(new byte[] { 0, 0, 0, 1 });
            var v6 = IpAddressValue.FromIPv6(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 });

            Assert.NotEqual(v4, v6);
        }

        [Fact]
        public void MacAddress_ToText_LowerCaseColons()
        {
            Assert.Equal("32:73:d8:d1:e9:78", MacAddress.ToText(0x3273d8d1e978UL));
            Assert.Equal("0a:d2:1d:9d:dc:f7", MacAddress.ToText(0x0ad21d9ddcf7UL));
        }

        [Fact]
        public void MacAddress_Read_BigEndianBytes()
        {
            Assert.Equal(0x9e6601470d72UL, MacAddress.Read(new byte[] { 0x9e, 0x66, 0x01, 0x47, 0x0d, 0x72 }));
        }

        [Theory]
        [InlineData("ee:81:17:b0:fd:7b")]
        [InlineData("EE:81:17:B0:FD:7B")]
        [InlineData("ee-81-17-b0-fd-7b")]
        [InlineData("ee81.17b0.fd7b")]
        [InlineData(" ee:81:17:b0:fd:7b ")]
        public void MacAddress_ParseAcceptedForms_ReadsSameMac(string text)
        {
            Assert.True(MacAddress.TryParse(text, out ulong mac));
            Assert.Equal(0xee8117b0fd7bUL, mac);
            Assert.Equal("ee:81:17:b0:fd:7b", MacAddress.Normalize(text));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("ee:81:17:b0:fd")]
        [InlineData("ee:81:17:b0:fd:7b:00")]
        [InlineData("ee:81:17:b0:fd:7g")]
        [InlineData("ee 81 17 b0 fd 7b")]
        public void MacAddress_ParseBadInput_ReturnsFalse(string text)
        {
            Assert.False(MacAddress.TryParse(text, out _));
            Assert.Null(MacAddress.Normalize(text));
        }
    }
}
