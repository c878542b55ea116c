namespace FlannelTools.Capture
{
    /// <summary>Recognises "libpcap is not installed" among the exceptions SharpPcap lets through.</summary>
    internal static class LibpcapLoader
    {
        internal const string InstallHint =
            "libpcap is not installed or cannot be loaded: install libpcap (Debian: apt-get install libpcap0.8) or Npcap on Windows.";

        internal static bool IsMissing(Exception e)
        {
            for (; e != null; e = e.InnerException)
            {
                if (e is DllNotFoundException || e is EntryPointNotFoundException || e is BadImageFormatException)
                {
                    return true;
                }
                if (e is TypeInitializationException t && t.TypeName != null && t.TypeName.StartsWith("SharpPcap", StringComparison.Ordinal))
                {
                    return true;
                }
            }
            return false;
        }

        internal static CaptureException MissingError(Exception e) =>
            new CaptureException(CaptureErrorKind.LibpcapMissing, InstallHint, e);
    }
}
