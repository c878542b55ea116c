namespace FlannelTools.Diagnosis
{
    /// <summary>The severities of a <see cref="Finding"/>, as text (text survives remoting and Export-Csv as a word, an enum does not).</summary>
    internal static class FindingSeverity
    {
        /// <summary>Pod traffic is or will be lost.</summary>
        public const string Error = "Error";

        /// <summary>Harmless now, or a leftover worth removing.</summary>
        public const string Warning = "Warning";

        /// <summary>A check that passed, or something recognised as deliberate (DirectRouting).</summary>
        public const string Information = "Information";

        /// <summary>A check that could not look: its input was not read, or holds what the check cannot judge. Never a pass.</summary>
        public const string Unknown = "Unknown";
    }
}
