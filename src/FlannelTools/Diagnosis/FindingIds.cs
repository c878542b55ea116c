namespace FlannelTools.Diagnosis
{
    /// <summary>Names findings so a NodePair can list the ones behind it, the same names for the same input.</summary>
    internal static class FindingIds
    {
        /// <summary>
        /// Gives each finding that has no Id one: <c>SCOPE/CHECK/ABOUT</c>, where SCOPE is the checked node (or
        /// <c>cluster</c>) and ABOUT the node concerned, else the entry, else <c>-</c>; the second finding of one name
        /// gets <c>#2</c>, and so on, in the order given.
        /// </summary>
        public static IReadOnlyList<Finding> Assign(IReadOnlyList<Finding> findings, Dictionary<string, int> taken = null)
        {
            taken ??= new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (Finding finding in findings)
            {
                if (finding.Id != null)
                {
                    continue;
                }
                string name = (finding.LocalNode ?? "cluster") + "/" + finding.Check + "/" + (finding.Node ?? finding.Subject ?? "-");
                taken.TryGetValue(name, out int seen);
                taken[name] = seen + 1;
                finding.Id = seen == 0 ? name : name + "#" + (seen + 1).ToString(CultureInfo.InvariantCulture);
            }
            return findings;
        }
    }
}
