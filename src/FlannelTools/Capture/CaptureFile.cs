namespace FlannelTools.Capture
{
    /// <summary>Opens a capture file with the reader of its format: no native library is involved.</summary>
    internal static class CaptureFile
    {
        /// <summary>
        /// Opens a pcap (micro- or nanosecond, either byte order) or pcapng file, once: its first four bytes say
        /// which it is, and the same stream goes on to <see cref="PcapFileReader"/> or <see cref="PcapNgReader"/>.
        /// </summary>
        /// <exception cref="CaptureException">FileNotFound, EmptyFile, FileNotCapture, or a file header that cannot be read.</exception>
        public static ICaptureReader Open(string path)
        {
            if (path == null)
            {
                throw new ArgumentNullException(nameof(path));
            }
            FileStream stream = OpenStream(path);
            try
            {
                if (stream.Length == 0)
                {
                    throw new CaptureException(CaptureErrorKind.EmptyFile, $"The capture file '{path}' is empty.");
                }
                byte[] magic = new byte[4];
                int got = 0;
                int n;
                while (got < magic.Length && (n = stream.Read(magic, got, magic.Length - got)) > 0)
                {
                    got += n;
                }
                ICaptureReader reader = got < magic.Length ? null : Reader(path, stream, magic);
                if (reader == null)
                {
                    throw new CaptureException(CaptureErrorKind.FileNotCapture, string.Format(CultureInfo.InvariantCulture,
                        "'{0}' is not a pcap or pcapng capture file (it starts with 0x{1}).",
                        path, BitConverter.ToString(magic, 0, got).Replace("-", "").ToLowerInvariant()));
                }
                return reader;
            }
            catch
            {
                stream.Dispose();
                throw;
            }
        }

        private static ICaptureReader Reader(string path, Stream stream, byte[] magic)
        {
            uint littleEndian = BinaryPrimitives.ReadUInt32LittleEndian(magic);
            uint bigEndian = BinaryPrimitives.ReadUInt32BigEndian(magic);
            if (littleEndian == PcapNgReader.BlockSectionHeader)
            {
                return new PcapNgReader(path, stream, magic);
            }
            if (littleEndian == PcapFileReader.MicrosecondMagic || littleEndian == PcapFileReader.NanosecondMagic
                || bigEndian == PcapFileReader.MicrosecondMagic || bigEndian == PcapFileReader.NanosecondMagic)
            {
                return new PcapFileReader(path, stream, magic);
            }
            return null;
        }

        private static FileStream OpenStream(string path)
        {
            try
            {
                // The readers buffer in large chunks themselves. ReadWrite: tcpdump may still be writing the file.
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1, FileOptions.SequentialScan);
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException
                || e is ArgumentException || e is NotSupportedException || e is PathTooLongException)
            {
                throw new CaptureException(CaptureErrorKind.FileNotFound, $"The capture file '{path}' does not exist.", e);
            }
            catch (UnauthorizedAccessException e) when (Directory.Exists(path))
            {
                throw new CaptureException(CaptureErrorKind.FileNotFound, $"'{path}' is a directory, not a capture file.", e);
            }
            catch (Exception e) when (e is UnauthorizedAccessException || e is IOException)
            {
                throw new CaptureException(CaptureErrorKind.FileNotCapture, $"The capture file '{path}' cannot be read: {e.Message}", e);
            }
        }
    }
}
