namespace FlannelTools.Commands
{
    /// <summary>
    /// How a cmdlet is stopped: one CancellationTokenSource, cancelled by the cmdlet's StopProcessing (which PowerShell
    /// calls on another thread) and disposed with the cmdlet (PowerShell disposes a cmdlet that is IDisposable). Stop and
    /// Dispose may race, Ctrl+C arriving as the pipeline ends; a lock keeps Cancel off a disposed source.
    /// </summary>
    internal sealed class StopSignal : IDisposable
    {
        private readonly object _gate = new object();
        private readonly CancellationTokenSource _source = new CancellationTokenSource();
        private bool _disposed;

        public StopSignal() => Token = _source.Token;

        /// <summary>Cancelled when the pipeline is stopped (Ctrl+C): native commands are ended and loops stop.</summary>
        public CancellationToken Token { get; }

        public bool IsStopping => Token.IsCancellationRequested;

        public void Stop()
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    _source.Cancel();
                }
            }
        }

        public void Dispose()
        {
            lock (_gate)
            {
                if (!_disposed)
                {
                    _disposed = true;
                    _source.Dispose();
                }
            }
        }
    }
}
