using System.Net;
using System.Net.Sockets;

namespace FlannelTools.Addressing
{
    /// <summary>
    /// An IPv4 or IPv6 address held in two integers, so a decoder can fill it from packet bytes
    /// and compare it without allocating. Text is made only when asked for.
    /// </summary>
    internal readonly struct IpAddressValue : IEquatable<IpAddressValue>
    {
        public readonly ulong High;
        public readonly ulong Low;
        public readonly byte Version;

        private IpAddressValue(ulong high, ulong low, byte version)
        {
            High = high;
            Low = low;
            Version = version;
        }

        public bool IsEmpty => Version == 0;

        /// <summary>The address with every bit past the first <paramref name="length"/> cleared: the network of a prefix.</summary>
        public IpAddressValue Masked(int length)
        {
            if (Version == 4)
            {
                ulong mask = length == 0 ? 0 : (0xffffffffUL << (32 - length)) & 0xffffffffUL;
                return new IpAddressValue(0, Low & mask, 4);
            }
            ulong highMask = length >= 64 ? ulong.MaxValue : length == 0 ? 0 : ulong.MaxValue << (64 - length);
            ulong lowMask = length <= 64 ? 0 : length == 128 ? ulong.MaxValue : ulong.MaxValue << (128 - length);
            return new IpAddressValue(High & highMask, Low & lowMask, Version);
        }

        public static IpAddressValue FromIPv4(ReadOnlySpan<byte> bytes) =>
            new IpAddressValue(0, (ulong)bytes[0] << 24 | (ulong)bytes[1] << 16 | (ulong)bytes[2] << 8 | bytes[3], 4);

        public static IpAddressValue FromIPv6(ReadOnlySpan<byte> bytes) =>
            new IpAddressValue(ReadUInt64(bytes), ReadUInt64(bytes.Slice(8)), 6);

        public static IpAddressValue FromIPAddress(IPAddress address)
        {
            byte[] bytes = address.GetAddressBytes();
            return address.AddressFamily == AddressFamily.InterNetwork ? FromIPv4(bytes) : FromIPv6(bytes);
        }

        public static bool TryParse(string text, out IpAddressValue value)
        {
            value = default;
            // IPAddress.TryParse also takes the old shorthand "10.244.1" (= 10.244.0.1): an IPv4 address here has four parts.
            if (string.IsNullOrWhiteSpace(text) || !IPAddress.TryParse(text.Trim(), out IPAddress address) ||
                (address.AddressFamily == AddressFamily.InterNetwork && text.Trim().Split('.').Length != 4))
            {
                return false;
            }
            if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.IsIPv4MappedToIPv6)
            {
                address = address.MapToIPv4();
            }
            value = FromIPAddress(address);
            return true;
        }

        public IPAddress ToIPAddress()
        {
            if (Version == 4)
            {
                return new IPAddress(new[] { (byte)(Low >> 24), (byte)(Low >> 16), (byte)(Low >> 8), (byte)Low });
            }
            var bytes = new byte[16];
            for (int i = 0; i < 8; i++)
            {
                bytes[i] = (byte)(High >> (56 - 8 * i));
                bytes[8 + i] = (byte)(Low >> (56 - 8 * i));
            }
            return new IPAddress(bytes);
        }

        /// <summary>Canonical text: dotted quad, or RFC 5952 compressed IPv6; null when empty.</summary>
        public override string ToString()
        {
            if (Version == 0)
            {
                return null;
            }
            if (Version == 4)
            {
                return string.Concat(
                    ((byte)(Low >> 24)).ToString(System.Globalization.CultureInfo.InvariantCulture), ".",
                    ((byte)(Low >> 16)).ToString(System.Globalization.CultureInfo.InvariantCulture), ".",
                    ((byte)(Low >> 8)).ToString(System.Globalization.CultureInfo.InvariantCulture), ".",
                    ((byte)Low).ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
            return ToIPAddress().ToString();
        }

        public bool Equals(IpAddressValue other) => High == other.High && Low == other.Low && Version == other.Version;

        public override bool Equals(object obj) => obj is IpAddressValue other && Equals(other);

        public override int GetHashCode() => (High ^ Low ^ Version).GetHashCode();

        public static bool operator ==(IpAddressValue left, IpAddressValue right) => left.Equals(right);

        public static bool operator !=(IpAddressValue left, IpAddressValue right) => !left.Equals(right);

        private static ulong ReadUInt64(ReadOnlySpan<byte> b) =>
            (ulong)b[0] << 56 | (ulong)b[1] << 48 | (ulong)b[2] << 40 | (ulong)b[3] << 32 |
            (ulong)b[4] << 24 | (ulong)b[5] << 16 | (ulong)b[6] << 8 | b[7];
    }
}
