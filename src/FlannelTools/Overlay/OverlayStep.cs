namespace FlannelTools
{
    /// <summary>How one lookup of a path turned out: the values of <see cref="OverlayStep.Outcome"/>, as text.</summary>
    internal static class OverlayStepOutcome
    {
        /// <summary>The entry was found and is what flannel programs.</summary>
        public const string Ok = "Ok";

        /// <summary>The entry was used, but something about it is not as flannel leaves it (a learned neighbour, the kernel still to ARP).</summary>
        public const string Warning = "Warning";

        /// <summary>The tables do not hold the entry (pasted text), so the step says what was assumed instead.</summary>
        public const string Assumed = "Assumed";

        /// <summary>The entry is missing or wrong: the kernel would not send the packet as flannel intends.</summary>
        public const string Failed = "Failed";
    }

    /// <summary>
    /// One lookup of an overlay path: the table it read, the entry it used (printed as <c>ip</c> or <c>bridge</c>
    /// prints it), the header field it determined and why.
    /// </summary>
    public sealed class OverlayStep
    {
        /// <summary>1-based position in the path, in the order the kernel makes the lookups.</summary>
        public int Number { get; internal set; }

        /// <summary>route, neighbor, fdb or interface.</summary>
        public string Table { get; internal set; }

        /// <summary>The entry used, as <c>ip route</c>, <c>ip neigh</c>, <c>bridge fdb</c> or <c>ip -d link</c> print it; null when none was found.</summary>
        public string Entry { get; internal set; }

        /// <summary>The OverlayPath properties the step determined (<c>InnerDestinationMac</c>; several joined by commas).</summary>
        public string Field { get; internal set; }

        /// <summary>The value it gave them (several joined by commas); null when the step failed.</summary>
        public string Value { get; internal set; }

        /// <summary>Ok, Warning (used, but not as flannel leaves it), Assumed (not in the tables given) or Failed (missing or wrong).</summary>
        public string Outcome { get; internal set; }

        /// <summary>One line saying why the entry was chosen, what was assumed, or what is missing or wrong.</summary>
        public string Explanation { get; internal set; }

        /// <summary>
        /// One line: <c>3 neighbor 10.244.2.0 dev flannel.1 lladdr ee:81:17:b0:fd:7b PERMANENT =&gt; InnerDestinationMac ee:81:17:b0:fd:7b: …</c>.
        /// </summary>
        public override string ToString()
        {
            var text = new StringBuilder();
            text.Append(Number.ToString(CultureInfo.InvariantCulture)).Append(' ').Append(Table.PadRight(10));
            if (Outcome != OverlayStepOutcome.Ok)
            {
                text.Append('[').Append(Outcome.ToUpperInvariant()).Append("] ");
            }
            text.Append(Entry ?? "(no entry)");
            if (Field != null)
            {
                text.Append(" => ").Append(Field);
                if (Value != null)
                {
                    text.Append(' ').Append(Value);
                }
            }
            text.Append(": ").Append(Explanation);
            return text.ToString();
        }
    }
}
