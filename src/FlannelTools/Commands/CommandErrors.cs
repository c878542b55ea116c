using System;
using System.Management.Automation;
using FlannelTools.Capture;

namespace FlannelTools.Commands
{
    /// <summary>Turns the core's exceptions into ErrorRecords with stable ids, categories and targets.</summary>
    internal static class CommandErrors
    {
        public static ErrorRecord FromCapture(CaptureException exception, object target) =>
            new ErrorRecord(exception, exception.ErrorId, CategoryOf(exception.Kind), target);

        public static ErrorRecord Create(string errorId, ErrorCategory category, object target, string message, Exception inner = null) =>
            new ErrorRecord(new InvalidOperationException(message, inner), errorId, category, target);

        public static ErrorRecord InvalidArgument(string errorId, object target, string message) =>
            new ErrorRecord(new ArgumentException(message), errorId, ErrorCategory.InvalidArgument, target);

        private static ErrorCategory CategoryOf(CaptureErrorKind kind)
        {
            switch (kind)
            {
                case CaptureErrorKind.FileNotFound:
                case CaptureErrorKind.InterfaceNotFound:
                    return ErrorCategory.ObjectNotFound;
                case CaptureErrorKind.InvalidFilter:
                    return ErrorCategory.InvalidArgument;
                case CaptureErrorKind.CapturePermissionDenied:
                    return ErrorCategory.PermissionDenied;
                case CaptureErrorKind.LibpcapMissing:
                    return ErrorCategory.NotInstalled;
                case CaptureErrorKind.OutFileExists:
                    return ErrorCategory.ResourceExists;
                case CaptureErrorKind.OutFileFailed:
                    return ErrorCategory.WriteError;
                case CaptureErrorKind.LiveCaptureFailed:
                    return ErrorCategory.ReadError;
                default:
                    return ErrorCategory.InvalidData;
            }
        }
    }
}
