using System.Runtime.InteropServices;
using SharpPcap;
using SharpPcap.LibPcap;

namespace FlannelTools.Capture
{
    /// <summary>Packet counts of a live capture, for a warning at its end when something was dropped.</summary>
    internal readonly struct LiveCaptureStatistics
    {
        public LiveCaptureStatistics(long received, long droppedByKernel, long droppedByInterface)
        {
            Received = received;
            DroppedByKernel = droppedByKernel;
            DroppedByInterface = droppedByInterface;
        }

        /// <summary>Packets the kernel passed the filter (libpcap's ps_recv).</summary>
        public long Received { get; }

        /// <summary>Packets dropped for want of buffer space (ps_drop).</summary>
        public long DroppedByKernel { get; }

        /// <summary>Packets the interface or its driver dropped (ps_ifdrop; SharpPcap 6.3.1 always reports 0).</summary>
        public long DroppedByInterface { get; }
    }

    /// <summary>
    /// Captures on a live interface through libpcap, read on the caller's thread: immediate mode and a short read
    /// timeout, so <see cref="TryReadNext"/> returns a packet as soon as it arrives, or false (with
    /// <see cref="IsEnd"/> false) after about <c>readTimeoutMilliseconds</c> with nothing, so the caller can check
    /// Ctrl+C, a count or a duration. An optional kernel filter is set on the device (live there are no file frame
    /// numbers to keep), and an optional output file receives every captured packet as pcap.
    /// </summary>
    internal sealed class LiveCaptureReader : ICaptureReader
    {
        private readonly LibPcapLiveDevice _device;
        private readonly CaptureFileWriterDevice _writer;
        private readonly TimestampResolution _resolution;
        private readonly long _fractionToNanoseconds;
        private readonly int _readTimeout;
        private readonly int _fileDescriptor = -1;
        private readonly bool _useSharpPcapPoll;
        private LiveCaptureStatistics _lastStatistics;
        private bool _disposed;

        /// <param name="interfaceName">The interface as libpcap names it (<c>eth0</c>, <c>any</c>, <c>\Device\NPF_{…}</c>).</param>
        /// <param name="filter">A BPF expression for the kernel, or null for every packet.</param>
        /// <param name="outFile">A pcap file to write every captured packet to, or null.</param>
        /// <param name="overwrite">Replace <paramref name="outFile"/> if it exists (otherwise that is an error).</param>
        /// <param name="readTimeoutMilliseconds">How long a read waits for a packet before returning false.</param>
        /// <exception cref="CaptureException">InterfaceNotFound, CapturePermissionDenied, LibpcapMissing, InvalidFilter,
        /// LiveCaptureFailed, OutFileExists, OutFileFailed.</exception>
        public LiveCaptureReader(string interfaceName, string filter = null, string outFile = null, bool overwrite = false,
            int readTimeoutMilliseconds = 100)
        {
            Name = interfaceName ?? throw new ArgumentNullException(nameof(interfaceName));
            _readTimeout = readTimeoutMilliseconds;
            try
            {
                _device = FindDevice(interfaceName);
                bool nanosecondRefused = false;
                var configuration = new DeviceConfiguration
                {
                    Mode = DeviceModes.None, // not promiscuous: VXLAN to and from this node is addressed to it
                    ReadTimeout = readTimeoutMilliseconds,
                    Immediate = true,
                    TimestampResolution = TimestampResolution.Nanosecond,
                };
                // With a handler, SharpPcap reports a setting the platform refuses instead of throwing.
                configuration.ConfigurationFailed += (sender, e) =>
                {
                    if (e.Property == nameof(DeviceConfiguration.TimestampResolution))
                    {
                        nanosecondRefused = true;
                    }
                };
                _device.Open(configuration);
                _resolution = nanosecondRefused ? TimestampResolution.Microsecond : _device.TimestampResolution;
                TimestampDigits = _resolution == TimestampResolution.Nanosecond ? 9 : 6;
                _fractionToNanoseconds = _resolution == TimestampResolution.Nanosecond ? 1 : 1000;
                LinkType = (int)_device.LinkType;
                if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
                {
                    // On Linux (TPACKET_V3) libpcap's read timeout does not fire while no packet arrives, so a read
                    // would block until one does and Ctrl+C would go unseen. Read non-blocking and poll() the
                    // capture's descriptor (pcap_get_selectable_fd) for the timeout ourselves; without it, fall back
                    // to SharpPcap's GetNextPacket, which polls for 500 ms.
                    _fileDescriptor = SelectableFileDescriptor.Of(_device.Handle);
                    if (_fileDescriptor >= 0)
                    {
                        _device.NonBlockingMode = true;
                    }
                    else
                    {
                        _useSharpPcapPoll = true;
                    }
                }
                if (!string.IsNullOrWhiteSpace(filter))
                {
                    SetFilter(filter);
                }
                if (outFile != null)
                {
                    _writer = OpenWriter(outFile, overwrite);
                }
            }
            catch (PcapException e)
            {
                Close();
                throw OpenError(interfaceName, e);
            }
            catch (Exception e) when (LibpcapLoader.IsMissing(e))
            {
                Close();
                throw LibpcapLoader.MissingError(e);
            }
            catch
            {
                Close();
                throw;
            }
            Filter = filter;
            OutFile = outFile;
        }

        public string Name { get; }

        public int TimestampDigits { get; }

        /// <summary>The interface's link type (DLT_ value).</summary>
        public int LinkType { get; }

        /// <summary>The kernel filter set, or null.</summary>
        public string Filter { get; }

        /// <summary>The output file, or null.</summary>
        public string OutFile { get; }

        /// <summary>Captured bytes handed out so far.</summary>
        public long BytesRead { get; private set; }

        /// <summary>Always 0: a live capture has no length.</summary>
        public long Length => 0;

        /// <summary>True only once libpcap says the capture ended (pcap_breakloop) or after disposal.</summary>
        public bool IsEnd { get; private set; }

        /// <summary>Packets handed out so far.</summary>
        public long PacketsRead { get; private set; }

        /// <summary>libpcap's counts now (or, after disposal, just before the device closed).</summary>
        public LiveCaptureStatistics Statistics
        {
            get
            {
                if (!_disposed && _device != null && _device.Opened)
                {
                    try
                    {
                        ICaptureStatistics s = _device.Statistics;
                        _lastStatistics = new LiveCaptureStatistics(s.ReceivedPackets, s.DroppedPackets, s.InterfaceDroppedPackets);
                    }
                    catch (PcapException)
                    {
                        // keep the last counts
                    }
                }
                return _lastStatistics;
            }
        }

        public bool TryReadNext(out CapturedRecord record)
        {
            record = default;
            if (IsEnd)
            {
                return false;
            }
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(LiveCaptureReader));
            }
            GetPacketStatus status = _useSharpPcapPoll ? ReadThroughSharpPcap(out record) : ReadPointers(out record);
            switch (status)
            {
                case GetPacketStatus.PacketRead:
                    PacketsRead++;
                    BytesRead += record.Data.Length;
                    return true;
                case GetPacketStatus.ReadTimeout:
                    return false;
                case GetPacketStatus.NoRemainingPackets:
                    IsEnd = true;
                    return false;
                default:
                    string message = _device.LastError;
                    IsEnd = true;
                    throw new CaptureException(CaptureErrorKind.LiveCaptureFailed, string.Format(CultureInfo.InvariantCulture,
                        "The capture on '{0}' failed after {1} packets: {2}", Name, PacketsRead, message));
            }
        }

        public void Dispose()
        {
            if (_disposed)
            {
                return;
            }
            _ = Statistics; // keep the final counts
            _disposed = true;
            IsEnd = true;
            Close();
        }

        private void Close()
        {
            try
            {
                _writer?.Close();
            }
            finally
            {
                _device?.Close();
            }
        }

        /// <summary>pcap_next_ex without SharpPcap's allocations: the record is a span over libpcap's buffer.</summary>
        private unsafe GetPacketStatus ReadPointers(out CapturedRecord record)
        {
            record = default;
            IntPtr header = IntPtr.Zero, data = IntPtr.Zero;
            int status = _device.GetNextPacketPointers(ref header, ref data);
            if (status == 0 && _fileDescriptor >= 0)
            {
                // nothing buffered: wait for the descriptor at most the read timeout, then try once more
                if (Poll(_fileDescriptor, _readTimeout) <= 0)
                {
                    return GetPacketStatus.ReadTimeout;
                }
                status = _device.GetNextPacketPointers(ref header, ref data);
            }
            if ((GetPacketStatus)status == GetPacketStatus.PacketRead)
            {
                NativePacketHeader.Read(header, out long seconds, out long fraction, out int capLen, out int wireLen);
                var bytes = new ReadOnlySpan<byte>((void*)data, capLen);
                if (_writer != null)
                {
                    Write(PcapHeader.FromPointer(header, _resolution), bytes);
                }
                record = new CapturedRecord(bytes, LinkType, 0, seconds, (uint)(fraction * _fractionToNanoseconds), wireLen);
            }
            return (GetPacketStatus)status;
        }

        private GetPacketStatus ReadThroughSharpPcap(out CapturedRecord record)
        {
            record = default;
            GetPacketStatus status = _device.GetNextPacket(out PacketCapture capture);
            if (status == GetPacketStatus.PacketRead)
            {
                var header = (PcapHeader)capture.Header;
                ReadOnlySpan<byte> bytes = capture.Data;
                if (_writer != null)
                {
                    Write(header, bytes);
                }
                decimal time = header.Timeval.Value;
                long seconds = (long)decimal.Truncate(time);
                record = new CapturedRecord(bytes, LinkType, 0, seconds, (uint)((time - seconds) * 1_000_000_000m), (int)header.PacketLength);
            }
            return status;
        }

        [StructLayout(LayoutKind.Sequential)]
        private struct PollFd
        {
            public int Fd;
            public short Events;
            public short Revents;
        }

        [DllImport("libc", EntryPoint = "poll", SetLastError = true)]
        private static extern int NativePoll(ref PollFd fds, UIntPtr count, int timeout);

        private static int Poll(int fd, int timeoutMilliseconds)
        {
            const short PollIn = 0x1, PollPri = 0x2;
            var pfd = new PollFd { Fd = fd, Events = PollIn | PollPri };
            int result = NativePoll(ref pfd, (UIntPtr)1, timeoutMilliseconds);
            // -1 (EINTR and the like): report a timeout; the caller simply reads again
            return result;
        }

        private void Write(PcapHeader pcapHeader, ReadOnlySpan<byte> bytes)
        {
            try
            {
                _writer.Write(bytes, ref pcapHeader);
            }
            catch (Exception e) when (e is PcapException || e is DeviceNotReadyException)
            {
                throw new CaptureException(CaptureErrorKind.OutFileFailed,
                    $"Cannot write to the capture file '{OutFile}': {e.Message}", e);
            }
        }

        private static LibPcapLiveDevice FindDevice(string interfaceName)
        {
            LibPcapLiveDeviceList devices = LibPcapLiveDeviceList.New();
            LibPcapLiveDevice device = devices.FirstOrDefault(d => string.Equals(d.Name, interfaceName, StringComparison.Ordinal))
                ?? devices.FirstOrDefault(d => string.Equals(d.Name, interfaceName, StringComparison.OrdinalIgnoreCase));
            if (device == null)
            {
                string known = string.Join(", ", devices.Select(d => d.Name));
                throw new CaptureException(CaptureErrorKind.InterfaceNotFound,
                    $"There is no interface '{interfaceName}' to capture on in this network namespace. Interfaces libpcap sees: {(known.Length == 0 ? "none" : known)}.");
            }
            return device;
        }

        private void SetFilter(string filter)
        {
            try
            {
                _device.Filter = filter;
            }
            catch (PcapException e)
            {
                throw new CaptureException(CaptureErrorKind.InvalidFilter,
                    $"The filter '{filter}' cannot be set on '{Name}' (link type {Decoding.LinkType.Name(LinkType)} ({LinkType})): {e.Message}", e);
            }
        }

        private CaptureFileWriterDevice OpenWriter(string path, bool overwrite)
        {
            try
            {
                // CreateNew fails atomically if the file exists; libpcap then truncates the empty file we made.
                using (new FileStream(path, overwrite ? FileMode.Create : FileMode.CreateNew, FileAccess.Write))
                {
                }
            }
            catch (IOException e) when (!overwrite && File.Exists(path))
            {
                throw new CaptureException(CaptureErrorKind.OutFileExists,
                    $"The file '{path}' exists; choose another or allow overwriting it (-Force).", e);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is ArgumentException || e is NotSupportedException)
            {
                throw new CaptureException(CaptureErrorKind.OutFileFailed, $"Cannot create the capture file '{path}': {e.Message}", e);
            }
            var writer = new CaptureFileWriterDevice(path, FileMode.Create);
            try
            {
                writer.Open(new DeviceConfiguration
                {
                    LinkLayerType = _device.LinkType,
                    Snaplen = 262144,
                    TimestampResolution = _resolution,
                });
            }
            catch (PcapException e)
            {
                writer.Dispose();
                throw new CaptureException(CaptureErrorKind.OutFileFailed, $"Cannot create the capture file '{path}': {e.Message}", e);
            }
            return writer;
        }

        private static CaptureException OpenError(string interfaceName, PcapException e)
        {
            string message = e.Message;
            bool permission = e.Error == PcapError.PermissionDenied || e.Error == PcapError.PromiscuousPermissionDenied
                || message.IndexOf("permission", StringComparison.OrdinalIgnoreCase) >= 0
                || message.IndexOf("not permitted", StringComparison.OrdinalIgnoreCase) >= 0;
            if (permission)
            {
                return new CaptureException(CaptureErrorKind.CapturePermissionDenied,
                    $"Not allowed to capture on '{interfaceName}': run as root or give the process CAP_NET_RAW and CAP_NET_ADMIN (Windows: Npcap's admin-only mode needs an elevated session). libpcap: {message}", e);
            }
            if (e.Error == PcapError.NoSuchDevice || message.IndexOf("No such device", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return new CaptureException(CaptureErrorKind.InterfaceNotFound,
                    $"There is no interface '{interfaceName}' to capture on: {message}", e);
            }
            return new CaptureException(CaptureErrorKind.LiveCaptureFailed,
                $"Cannot capture on '{interfaceName}': {message}", e);
        }
    }
}
