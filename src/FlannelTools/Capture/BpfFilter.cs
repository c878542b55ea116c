using SharpPcap;
using SharpPcap.LibPcap;

namespace FlannelTools.Capture
{
    /// <summary>
    /// A libpcap BPF expression tested against records one by one. It is compiled for each link type on first
    /// use (SharpPcap's <see cref="BpfProgram"/>) and cached. Never set it as a file reader's filter: libpcap would
    /// then skip records and frame numbers would no longer be Wireshark's; the caller counts every record and
    /// asks <see cref="Matches"/> of each. Testing a record allocates nothing.
    /// </summary>
    internal sealed class BpfFilter : IDisposable
    {
        private readonly Dictionary<int, BpfProgram> _programs = new Dictionary<int, BpfProgram>();
        private readonly Dictionary<int, CaptureException> _failures = new Dictionary<int, CaptureException>();
        private readonly byte[] _header = new byte[NativePacketHeader.Size];
        private int _lastLinkType = int.MinValue;
        private BpfProgram _lastProgram;
        private bool _disposed;

        public BpfFilter(string expression)
        {
            Expression = expression ?? throw new ArgumentNullException(nameof(expression));
        }

        public string Expression { get; }

        /// <summary>Compiles the expression for <paramref name="linkType"/> now (it is otherwise compiled on first use).</summary>
        /// <exception cref="CaptureException">InvalidFilter: it does not compile for that link type.</exception>
        public void Compile(int linkType) => Program(linkType);

        /// <summary>True when the record passes the filter.</summary>
        /// <param name="linkType">The record's LINKTYPE_ value.</param>
        /// <param name="data">The captured bytes.</param>
        /// <param name="wireLength">The length on the wire (what <c>len</c>, <c>greater</c> and <c>less</c> test).</param>
        /// <exception cref="CaptureException">InvalidFilter: the expression does not compile for <paramref name="linkType"/>.</exception>
        public unsafe bool Matches(int linkType, ReadOnlySpan<byte> data, int wireLength)
        {
            BpfProgram program = linkType == _lastLinkType ? _lastProgram : Program(linkType);
            fixed (byte* header = _header)
            fixed (byte* bytes = data)
            {
                NativePacketHeader.WriteLengths(header, data.Length, wireLength);
                // An empty span pins to null; libpcap reads no byte of a zero-length packet.
                return program.Matches((IntPtr)header, (IntPtr)bytes);
            }
        }

        private BpfProgram Program(int linkType)
        {
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(BpfFilter));
            }
            if (!_programs.TryGetValue(linkType, out BpfProgram program))
            {
                if (_failures.TryGetValue(linkType, out CaptureException failure))
                {
                    throw new CaptureException(failure.Kind, failure.Message, failure.InnerException);
                }
                try
                {
                    program = BpfProgram.Create((PacketDotNet.LinkLayers)ToDlt(linkType), Expression);
                }
                catch (PcapException e)
                {
                    failure = new CaptureException(CaptureErrorKind.InvalidFilter,
                        $"The filter '{Expression}' does not compile for link type {LinkType.Name(linkType)} ({linkType}): {e.Message}", e);
                    _failures.Add(linkType, failure);
                    throw failure;
                }
                catch (Exception e) when (LibpcapLoader.IsMissing(e))
                {
                    throw LibpcapLoader.MissingError(e);
                }
                _programs.Add(linkType, program);
            }
            _lastLinkType = linkType;
            _lastProgram = program;
            return program;
        }

        /// <summary>
        /// libpcap compiles for a DLT_ value. LINKTYPE_ and DLT_ values are equal except for a few below 104;
        /// of those a node capture has only LINKTYPE_RAW (101), which is DLT_RAW (12; 14 on OpenBSD).
        /// </summary>
        private static int ToDlt(int linkType)
        {
            switch (linkType)
            {
                case LinkType.Raw: return LinkType.RawDlt12;
                case 100: return 11; // LINKTYPE_ATM_RFC1483 -> DLT_ATM_RFC1483
                default: return linkType;
            }
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }
            _disposed = true;
            foreach (BpfProgram program in _programs.Values)
            {
                program.Dispose();
            }
            _programs.Clear();
            _lastProgram = null;
            _lastLinkType = int.MinValue;
        }
    }
}
