namespace FlannelTools
{
    /// <summary>
    /// A read-only list of words (flags, addresses) whose text is the words joined by commas, <c>self,permanent</c>,
    /// so Export-Csv and string interpolation print the words rather than the type name.
    /// </summary>
    public sealed class TextList : ReadOnlyCollection<string>
    {
        public static readonly TextList Empty = new TextList(new string[0]);

        public TextList(IEnumerable<string> items)
            : base((items ?? Enumerable.Empty<string>()).Where(i => !string.IsNullOrEmpty(i)).ToList())
        {
        }

        public bool Has(string item) => Contains(item);

        public override string ToString() => string.Join(",", this);
    }
}
