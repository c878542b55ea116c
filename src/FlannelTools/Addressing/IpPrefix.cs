namespace FlannelTools.Addressing
{
    /// <summary>
    /// An IPv4 or IPv6 network prefix such as <c>10.244.2.0/24</c>, for longest-prefix matching of routes.
    /// The address is kept as written (with host bits, as the kernel keeps them); <see cref="Contains"/> masks both sides.
    /// </summary>
    internal readonly struct IpPrefix : IEquatable<IpPrefix>
    {
        public IpPrefix(IpAddressValue address, int length)
        {
            if (address.IsEmpty)
            {
                throw new ArgumentException("The prefix needs an address.", nameof(address));
            }
            int max = address.Version == 4 ? 32 : 128;
            if (length < 0 || length > max)
            {
                throw new ArgumentOutOfRangeException(nameof(length), length, "An IPv" + address.Version + " prefix length is 0 to " + max + ".");
            }
            Address = address;
            Length = length;
        }

        public IpAddressValue Address { get; }

        public int Length { get; }

        public int Version => Address.Version;

        /// <summary>0.0.0.0/0 or ::/0: what iproute2 prints as <c>default</c>.</summary>
        public static IpPrefix Default(int version) =>
            new IpPrefix(version == 4 ? IpAddressValue.FromIPv4(new byte[4]) : IpAddressValue.FromIPv6(new byte[16]), 0);

        /// <summary>
        /// Reads <c>10.244.2.0/24</c>, <c>fd10:244:2::/64</c>, or a bare address (a host prefix: /32 or /128).
        /// <c>default</c> needs the family, so it is not read here.
        /// </summary>
        public static bool TryParse(string text, out IpPrefix prefix)
        {
            prefix = default;
            if (string.IsNullOrWhiteSpace(text))
            {
                return false;
            }
            text = text.Trim();
            int slash = text.IndexOf('/');
            string addressText = slash < 0 ? text : text.Substring(0, slash);
            if (!IpAddressValue.TryParse(addressText, out IpAddressValue address))
            {
                return false;
            }
            int max = address.Version == 4 ? 32 : 128;
            int length = max;
            if (slash >= 0 && (!int.TryParse(text.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out length) || length > max))
            {
                return false;
            }
            prefix = new IpPrefix(address, length);
            return true;
        }

        /// <summary>A prefix from an address and a dotted netmask (net-tools' Genmask); false for a non-contiguous mask.</summary>
        public static bool TryFromNetmask(string addressText, string netmaskText, out IpPrefix prefix)
        {
            prefix = default;
            if (!IpAddressValue.TryParse(addressText, out IpAddressValue address) || address.Version != 4 ||
                !IpAddressValue.TryParse(netmaskText, out IpAddressValue mask) || mask.Version != 4)
            {
                return false;
            }
            uint bits = (uint)mask.Low;
            int length = 0;
            while (length < 32 && (bits & (0x80000000u >> length)) != 0)
            {
                length++;
            }
            if (length < 32 && (bits << length) != 0)
            {
                return false;
            }
            prefix = new IpPrefix(address, length);
            return true;
        }

        public bool Contains(IpAddressValue address)
        {
            if (address.Version != Address.Version)
            {
                return false;
            }
            if (Version == 4)
            {
                ulong mask = Length == 0 ? 0 : (0xffffffffUL << (32 - Length)) & 0xffffffffUL;
                return (address.Low & mask) == (Address.Low & mask);
            }
            ulong highMask = Length >= 64 ? ulong.MaxValue : Length == 0 ? 0 : ulong.MaxValue << (64 - Length);
            ulong lowMask = Length <= 64 ? 0 : Length == 128 ? ulong.MaxValue : ulong.MaxValue << (128 - Length);
            return (address.High & highMask) == (Address.High & highMask) && (address.Low & lowMask) == (Address.Low & lowMask);
        }

        /// <summary><c>10.244.2.0/24</c>: always with the length, the address in canonical text.</summary>
        public override string ToString() => Address.ToString() + "/" + Length.ToString(CultureInfo.InvariantCulture);

        public bool Equals(IpPrefix other) => Address == other.Address && Length == other.Length;

        public override bool Equals(object obj) => obj is IpPrefix other && Equals(other);

        public override int GetHashCode() => Address.GetHashCode() * 131 + Length;
    }
}
