namespace FlannelTools.Decoding
{
    /// <summary>The first line of an inner HTTP/1.x request or response, as Info shows it.</summary>
    internal static class HttpFirstLine
    {
        private const int MaxLength = 80;

        private static readonly byte[][] Starts =
        {
            Encoding.ASCII.GetBytes("GET "), Encoding.ASCII.GetBytes("POST "), Encoding.ASCII.GetBytes("HEAD "),
            Encoding.ASCII.GetBytes("PUT "), Encoding.ASCII.GetBytes("DELETE "), Encoding.ASCII.GetBytes("OPTIONS "),
            Encoding.ASCII.GetBytes("PATCH "), Encoding.ASCII.GetBytes("HTTP/1."),
        };

        /// <summary>
        /// The line (at most 80 characters, non-printable bytes as '.') when the inner TCP payload the capture
        /// holds starts like HTTP; null for anything else.
        /// </summary>
        public static string Read(ReadOnlySpan<byte> frame, in VxlanHeaders h)
        {
            if (h.InnerProtocol != IpProtocol.Tcp || !h.Has(HeaderFields.TcpFlags) || h.InnerPayloadOffset >= frame.Length)
            {
                return null;
            }
            int captured = Math.Min(h.InnerPayloadLength, frame.Length - h.InnerPayloadOffset);
            if (captured < 8)
            {
                return null;
            }
            ReadOnlySpan<byte> payload = frame.Slice(h.InnerPayloadOffset, captured);
            if (!StartsLikeHttp(payload))
            {
                return null;
            }
            int end = 0;
            while (end < payload.Length && end < MaxLength && payload[end] != '\r' && payload[end] != '\n')
            {
                end++;
            }
            var line = new StringBuilder(end);
            for (int i = 0; i < end; i++)
            {
                byte b = payload[i];
                line.Append(b >= 0x20 && b < 0x7f ? (char)b : '.');
            }
            return line.ToString();
        }

        private static bool StartsLikeHttp(ReadOnlySpan<byte> payload)
        {
            foreach (byte[] start in Starts)
            {
                if (payload.StartsWith(start))
                {
                    return true;
                }
            }
            return false;
        }
    }
}
