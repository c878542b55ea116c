using System.Diagnostics;
using System.Management.Automation;

namespace FlannelTools.Commands
{
    /// <summary>What one read of a capture gave: a warning naming the frame (or null), and whether it was a VXLAN frame that passed the filters.</summary>
    internal readonly struct CaptureStep
    {
        internal CaptureStep(bool isFrame, VxlanFrame frame, string warning)
        {
            IsFrame = isFrame;
            Frame = frame;
            Warning = warning;
        }

        /// <summary>True when the record was a VXLAN frame that passed the filters; its headers are the loop's <see cref="VxlanFrameReader.Headers"/>.</summary>
        internal bool IsFrame { get; }

        /// <summary>The frame's object, from <see cref="CaptureLoop.Frames"/> only.</summary>
        internal VxlanFrame Frame { get; }

        /// <summary>A warning about the record, prefixed with the capture's name, or null.</summary>
        internal string Warning { get; }
    }

    /// <summary>
    /// The frame loop of the capture cmdlets, for a file and a live interface alike: the cmdlet pulls one step per
    /// record from <see cref="Frames"/> or <see cref="Headers"/>, and the loop tests each record against -Filter,
    /// reports a file's progress by bytes read, stops when the token is cancelled, and turns a read that fails into
    /// an error naming the last good frame. A live read that timed out is an empty step, so the cmdlet can check
    /// its -Count and -Duration.
    /// </summary>
    internal sealed class CaptureLoop : IDisposable
    {
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        private readonly PSCmdlet _cmdlet;
        private readonly ICaptureReader _reader;
        private readonly BpfFilter _bpf;
        private readonly string _activity;

        /// <summary>A loop over the reader's records; it tests -Filter, <paramref name="bpfExpression"/> (null: none), on each in the process, so live captures give it to the kernel instead.</summary>
        internal CaptureLoop(PSCmdlet cmdlet, ICaptureReader reader, string activity, PortSet ports, FrameFilter filter, string bpfExpression)
        {
            _cmdlet = cmdlet;
            _reader = reader;
            _activity = activity;
            _bpf = bpfExpression == null ? null : new BpfFilter(bpfExpression);
            Reader = new VxlanFrameReader(reader, ports, filter, _bpf);
        }

        /// <summary>Opens a capture file for the loop; a file that cannot be opened is a non-terminating error, and null.</summary>
        internal static CaptureLoop OpenFile(PSCmdlet cmdlet, string file, string activity, PortSet ports, FrameFilter filter, string bpfExpression)
        {
            ICaptureReader reader;
            try
            {
                reader = CaptureFile.Open(file);
            }
            catch (CaptureException e)
            {
                cmdlet.WriteError(CommandErrors.FromCapture(e, file));
                return null;
            }
            return new CaptureLoop(cmdlet, reader, activity, ports, filter, bpfExpression);
        }

        /// <summary>True after a read that failed (written as an error): the rest of the source was not read.</summary>
        internal bool Failed { get; private set; }

        /// <summary>The decoded records; after a step, the headers, number and time of its frame.</summary>
        internal VxlanFrameReader Reader { get; }

        /// <summary>One step per record, with the object of each VXLAN frame that passed the filters.</summary>
        internal IEnumerable<CaptureStep> Frames(CancellationToken stopping) => Steps(stopping, makeObjects: true);

        /// <summary>One step per record, making no object: the frame's headers are <see cref="Reader"/>'s.</summary>
        internal IEnumerable<CaptureStep> Headers(CancellationToken stopping) => Steps(stopping, makeObjects: false);

        private IEnumerable<CaptureStep> Steps(CancellationToken stopping, bool makeObjects)
        {
            ProgressRecord progress = _reader.Length > 0 ? new ProgressRecord(1, _activity, "Reading " + _reader.Name) : null;
            Stopwatch sinceProgress = Stopwatch.StartNew();
            try
            {
                while (!stopping.IsCancellationRequested && TryStep(makeObjects, out CaptureStep step))
                {
                    yield return step;
                    if (progress != null && (Reader.FrameNumber & 0x3ff) == 0 && sinceProgress.Elapsed > ProgressInterval)
                    {
                        progress.PercentComplete = (int)Math.Min(100, _reader.BytesRead * 100 / _reader.Length);
                        progress.StatusDescription = string.Format(CultureInfo.InvariantCulture, "{0:N0} of {1:N0} bytes, {2:N0} frames",
                            _reader.BytesRead, _reader.Length, Reader.FrameNumber);
                        _cmdlet.WriteProgress(progress);
                        sinceProgress.Restart();
                    }
                }
            }
            finally
            {
                if (progress != null)
                {
                    progress.RecordType = ProgressRecordType.Completed;
                    _cmdlet.WriteProgress(progress);
                }
            }
        }

        /// <summary>Reads one record; false at the end of the source or after a failed read, which it writes as an error.</summary>
        private bool TryStep(bool makeObjects, out CaptureStep step)
        {
            step = default;
            try
            {
                bool isFrame;
                string warning;
                VxlanFrame frame = null;
                if (makeObjects)
                {
                    if (!Reader.Read(out frame, out warning))
                    {
                        return false;
                    }
                    isFrame = frame != null;
                }
                else if (!Reader.ReadHeaders(out isFrame, out warning))
                {
                    return false;
                }
                step = new CaptureStep(isFrame, frame, warning == null ? null : _reader.Name + ": " + warning);
                return true;
            }
            catch (CaptureException e)
            {
                Failed = true;
                _cmdlet.WriteError(CommandErrors.FromCapture(e, _reader.Name));
                return false;
            }
        }

        public void Dispose()
        {
            _reader.Dispose();
            _bpf?.Dispose();
        }
    }
}
