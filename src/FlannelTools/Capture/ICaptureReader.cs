namespace FlannelTools.Capture
{
    /// <summary>One record of a capture: its bytes (valid until the next read) and its pcap header.</summary>
    internal readonly ref struct CapturedRecord
    {
        public CapturedRecord(ReadOnlySpan<byte> data, int linkType, int interfaceId, long seconds, uint nanoseconds, int wireLength)
        {
            Data = data;
            LinkType = linkType;
            InterfaceId = interfaceId;
            Seconds = seconds;
            Nanoseconds = nanoseconds;
            WireLength = wireLength;
        }

        public ReadOnlySpan<byte> Data { get; }

        /// <summary>LINKTYPE_ value of the interface the record was captured on.</summary>
        public int LinkType { get; }

        /// <summary>pcapng interface id; 0 for pcap and live captures.</summary>
        public int InterfaceId { get; }

        /// <summary>UTC seconds since the Unix epoch.</summary>
        public long Seconds { get; }

        public uint Nanoseconds { get; }

        /// <summary>Length of the frame on the wire (the captured length is <c>Data.Length</c>).</summary>
        public int WireLength { get; }
    }

    /// <summary>A source of capture records: a pcap or pcapng file, or a live interface.</summary>
    internal interface ICaptureReader : IDisposable
    {
        /// <summary>File path or interface name, for messages.</summary>
        string Name { get; }

        /// <summary>Digits of a second the source records: 6 (microseconds) or 9 (nanoseconds).</summary>
        int TimestampDigits { get; }

        /// <summary>Bytes of the source consumed so far (for progress); 0 when not known.</summary>
        long BytesRead { get; }

        /// <summary>Total bytes of the source (for progress); 0 when not known, as for a live capture.</summary>
        long Length { get; }

        /// <summary>
        /// Reads the next record. Returns false at the clean end of the source (or, live, when the read
        /// timeout passed with nothing to read: check <see cref="IsEnd"/>). Throws <see cref="CaptureException"/>
        /// when the source ends early or a record cannot be read.
        /// </summary>
        bool TryReadNext(out CapturedRecord record);

        /// <summary>True once the source has no more records (always true after a false read of a file).</summary>
        bool IsEnd { get; }
    }
}
