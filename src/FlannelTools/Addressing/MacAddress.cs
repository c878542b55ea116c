namespace FlannelTools.Addressing
{
    /// <summary>48-bit MAC addresses kept as integers on the hot path and written as iproute2 writes them.</summary>
    internal static class MacAddress
    {
        private const string HexDigits = "0123456789abcdef";

        public static ulong Read(ReadOnlySpan<byte> bytes) =>
            (ulong)bytes[0] << 40 | (ulong)bytes[1] << 32 | (ulong)bytes[2] << 24 |
            (ulong)bytes[3] << 16 | (ulong)bytes[4] << 8 | bytes[5];

        /// <summary>Lower-case, colon-separated: <c>32:73:d8:d1:e9:78</c>.</summary>
        public static string ToText(ulong mac)
        {
            var chars = new char[17];
            for (int i = 0; i < 6; i++)
            {
                byte b = (byte)(mac >> (40 - 8 * i));
                chars[i * 3] = HexDigits[b >> 4];
                chars[i * 3 + 1] = HexDigits[b & 0xf];
                if (i < 5)
                {
                    chars[i * 3 + 2] = ':';
                }
            }
            return new string(chars);
        }

        /// <summary>Accepts <c>aa:bb:cc:dd:ee:ff</c>, <c>aa-bb-cc-dd-ee-ff</c> and <c>aabb.ccdd.eeff</c>, any case.</summary>
        public static bool TryParse(string text, out ulong mac)
        {
            mac = 0;
            if (text == null)
            {
                return false;
            }
            int digits = 0;
            foreach (char c in text.Trim())
            {
                int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
                if (v < 0)
                {
                    if (c == ':' || c == '-' || c == '.')
                    {
                        continue;
                    }
                    return false;
                }
                mac = mac << 4 | (uint)v;
                digits++;
            }
            return digits == 12;
        }

        /// <summary>Normalises any accepted MAC text to the canonical form, or returns null.</summary>
        public static string Normalize(string text) => TryParse(text, out ulong mac) ? ToText(mac) : null;
    }
}
