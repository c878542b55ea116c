namespace FlannelTools
{
    /// <summary>
    /// One neighbour (ARP or NDP) entry, as <c>ip neigh</c> prints it: <c>10.244.2.0 dev flannel.1 lladdr ee:81:17:b0:fd:7b PERMANENT</c>.
    /// </summary>
    public sealed class Neighbor
    {
        public string Address { get; internal set; }

        /// <summary>Canonical <c>aa:bb:cc:dd:ee:ff</c>; null while the entry is INCOMPLETE or FAILED.</summary>
        public string MacAddress { get; internal set; }

        public string Device { get; internal set; }

        /// <summary>
        /// PERMANENT, NOARP, REACHABLE, STALE, DELAY, PROBE, INCOMPLETE, FAILED, NONE (several joined by commas).
        /// From <c>arp</c>: PERMANENT for flag M, INCOMPLETE for an entry without a MAC, and VALID for flag C alone,
        /// which the kernel sets for any of REACHABLE, STALE, DELAY, PROBE and NOARP without saying which.
        /// </summary>
        public string State { get; internal set; }

        /// <summary>router, proxy, extern_learn.</summary>
        public TextList Flags { get; internal set; } = TextList.Empty;

        /// <summary>Where the entry was read: <c>live</c>, or a file (or parameter) and line number.</summary>
        public string Source { get; internal set; }

        /// <summary>The entry as <c>ip neigh</c> prints it.</summary>
        public override string ToString()
        {
            var text = new StringBuilder(Address);
            if (Device != null)
            {
                text.Append(" dev ").Append(Device);
            }
            if (MacAddress != null)
            {
                text.Append(" lladdr ").Append(MacAddress);
            }
            foreach (string flag in Flags)
            {
                text.Append(' ').Append(flag);
            }
            if (State != null)
            {
                text.Append(' ').Append(State.Replace(',', ' '));
            }
            return text.ToString();
        }
    }
}
