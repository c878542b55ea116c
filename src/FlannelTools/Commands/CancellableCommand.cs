using System;
using System.Management.Automation;
using System.Threading;

namespace FlannelTools.Commands
{
    /// <summary>
    /// A cmdlet that Ctrl+C can stop: one CancellationTokenSource, cancelled by StopProcessing (which PowerShell calls
    /// on another thread) and disposed with the cmdlet (PowerShell disposes a cmdlet that is IDisposable).
    /// </summary>
    public abstract class CancellableCommand : PSCmdlet, IDisposable
    {
        private readonly object _gate = new object();
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private bool _disposed;

        /// <summary>Cancelled when the pipeline is stopped (Ctrl+C): native commands are ended and loops stop.</summary>
        protected CancellationToken Cancellation { get; }

        protected CancellableCommand() => Cancellation = _stopping.Token;

        protected bool IsStopping => Cancellation.IsCancellationRequested;

        protected override void StopProcessing()
        {
            // Stop and Dispose may race: Ctrl+C arrives as the pipeline ends.
            lock (_gate)
            {
                if (!_disposed)
                {
                    _stopping.Cancel();
                }
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (_disposed)
                {
                    return;
                }
                _disposed = true;
                _stopping.Dispose();
            }
        }
    }
}
