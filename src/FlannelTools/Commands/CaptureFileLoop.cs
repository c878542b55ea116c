using System;
using System.Diagnostics;
using System.Globalization;
using System.Management.Automation;
using FlannelTools.Capture;
using FlannelTools.Decoding;

namespace FlannelTools.Commands
{
    /// <summary>
    /// What the cmdlets that read capture files share: open the file (an unreadable one is a non-terminating
    /// error), test each record against -Filter, report progress by bytes read, and turn a read that ends early
    /// into an error naming the last good frame. The cmdlet's step decides what a frame becomes.
    /// </summary>
    internal static class CaptureFileLoop
    {
        private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

        /// <summary>
        /// Reads <paramref name="file"/> until <paramref name="step"/> returns false (the end of the file) or
        /// <paramref name="isStopping"/> is true. Returns the reader's frame count, or -1 when the file could not be opened.
        /// </summary>
        public static long Run(PSCmdlet cmdlet, string file, string activity, PortSet ports, FrameFilter filter, string bpfExpression,
            Func<bool> isStopping, Func<VxlanFrameReader, bool> step)
        {
            ICaptureReader reader;
            try
            {
                reader = CaptureFile.Open(file);
            }
            catch (CaptureException e)
            {
                cmdlet.WriteError(CommandErrors.FromCapture(e, file));
                return -1;
            }
            using (reader)
            using (BpfFilter bpf = bpfExpression == null ? null : new BpfFilter(bpfExpression))
            {
                var frames = new VxlanFrameReader(reader, ports, filter, bpf);
                var progress = new ProgressRecord(1, activity, "Reading " + file);
                Stopwatch sinceProgress = Stopwatch.StartNew();
                try
                {
                    while (!isStopping() && step(frames))
                    {
                        if ((frames.FrameNumber & 0x3ff) == 0 && sinceProgress.Elapsed > ProgressInterval && reader.Length > 0)
                        {
                            progress.PercentComplete = (int)Math.Min(100, reader.BytesRead * 100 / reader.Length);
                            progress.StatusDescription = string.Format(CultureInfo.InvariantCulture, "{0:N0} of {1:N0} bytes, {2:N0} frames",
                                reader.BytesRead, reader.Length, frames.FrameNumber);
                            cmdlet.WriteProgress(progress);
                            sinceProgress.Restart();
                        }
                    }
                }
                catch (CaptureException e)
                {
                    cmdlet.WriteError(CommandErrors.FromCapture(e, file));
                }
                finally
                {
                    progress.RecordType = ProgressRecordType.Completed;
                    cmdlet.WriteProgress(progress);
                }
                return frames.FrameNumber;
            }
        }
    }
}
