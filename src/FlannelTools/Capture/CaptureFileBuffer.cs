namespace FlannelTools.Capture
{
    /// <summary>
    /// The bytes of a capture file read in large chunks, so that the readers parse records in place: a record's
    /// span points into the buffer and stays valid until the next <see cref="Fill"/>. The buffer grows only when
    /// one record or block is larger than it; the readers bound that size.
    /// </summary>
    internal sealed class CaptureFileBuffer : IDisposable
    {
        private const int ChunkSize = 256 * 1024;

        private readonly Stream _stream;
        private byte[] _bytes;
        private int _start;
        private int _end;
        private long _startOffset;

        internal CaptureFileBuffer(Stream stream, ReadOnlySpan<byte> alreadyRead)
        {
            _stream = stream;
            _bytes = new byte[Math.Max(ChunkSize, alreadyRead.Length)];
            alreadyRead.CopyTo(_bytes);
            _end = alreadyRead.Length;
        }

        /// <summary>The file offset of the first unconsumed byte.</summary>
        internal long Position => _startOffset;

        /// <summary>The unconsumed bytes in the buffer.</summary>
        internal int Available => _end - _start;

        /// <summary>
        /// Makes <paramref name="count"/> bytes from <see cref="Position"/> available, reading more of the file if
        /// needed, and returns how many are (fewer only at the end of the file). Invalidates spans handed out before.
        /// </summary>
        internal int Fill(int count)
        {
            if (_end - _start >= count)
            {
                return count;
            }
            // What is left is at most one record: move it to the front so the read can fill a whole chunk.
            if (_start > 0 || _bytes.Length < count)
            {
                byte[] target = _bytes.Length < count ? new byte[Math.Max(count, _bytes.Length * 2)] : _bytes;
                Buffer.BlockCopy(_bytes, _start, target, 0, _end - _start);
                _bytes = target;
                _end -= _start;
                _start = 0;
            }
            while (_end - _start < count)
            {
                int n = _stream.Read(_bytes, _end, _bytes.Length - _end);
                if (n <= 0)
                {
                    break;
                }
                _end += n;
            }
            return Math.Min(count, _end - _start);
        }

        /// <summary>The next <paramref name="count"/> bytes; <see cref="Fill"/> must have made them available.</summary>
        internal ReadOnlySpan<byte> Peek(int count) => new ReadOnlySpan<byte>(_bytes, _start, count);

        internal void Advance(int count)
        {
            _start += count;
            _startOffset += count;
        }

        public void Dispose() => _stream.Dispose();
    }
}
