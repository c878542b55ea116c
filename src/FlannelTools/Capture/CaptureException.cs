namespace FlannelTools.Capture
{
    /// <summary>Why a capture could not be read, with a stable id the cmdlets use as the ErrorRecord's id.</summary>
    internal enum CaptureErrorKind
    {
        /// <summary>The path does not exist.</summary>
        FileNotFound,
        /// <summary>The file is empty.</summary>
        EmptyFile,
        /// <summary>The file is neither pcap nor pcapng.</summary>
        FileNotCapture,
        /// <summary>The file ends in the middle of a record or block.</summary>
        TruncatedRecord,
        /// <summary>A record or block is malformed.</summary>
        MalformedRecord,
        /// <summary>A BPF expression does not compile for a link type.</summary>
        InvalidFilter,
        /// <summary>No such live interface.</summary>
        InterfaceNotFound,
        /// <summary>Not allowed to capture on the interface.</summary>
        CapturePermissionDenied,
        /// <summary>libpcap is not installed.</summary>
        LibpcapMissing,
        /// <summary>A live capture could not start for another reason (interface down, ...) or failed while reading.</summary>
        LiveCaptureFailed,
        /// <summary>The live capture's output file exists and overwriting was not asked for.</summary>
        OutFileExists,
        /// <summary>The live capture's output file cannot be created or written.</summary>
        OutFileFailed,
    }

    internal sealed class CaptureException : Exception
    {
        public CaptureException(CaptureErrorKind kind, string message, Exception inner = null)
            : base(message, inner)
        {
            Kind = kind;
        }

        public CaptureErrorKind Kind { get; }

        /// <summary>The stable error id: the kind's name.</summary>
        public string ErrorId => Kind.ToString();
    }
}
