namespace FlannelTools.Completion
{
    /// <summary>
    /// The context names of a kubeconfig, for completion only: the JSON form, or the YAML kubectl writes (a top-level
    /// <c>contexts:</c> list whose items have a <c>name:</c>). Anything else gives no names, never an error.
    /// </summary>
    internal static class KubeconfigContexts
    {
        public static IReadOnlyList<string> Read(string text)
        {
            var names = new List<string>();
            if (text.TrimStart().StartsWith("{", StringComparison.Ordinal))
            {
                try
                {
                    if (JsonText.Member(JsonText.Parse(text), "contexts") is List<object> items)
                    {
                        names.AddRange(items.Select(i => JsonText.String(i, "name")).Where(n => n != null));
                    }
                }
                catch (FormatException)
                {
                }
                return names;
            }
            bool inContexts = false;
            int itemIndent = -1;
            foreach (string raw in text.Split('\n'))
            {
                string line = raw.TrimEnd('\r');
                string content = line.TrimStart();
                if (content.Length == 0 || content[0] == '#')
                {
                    continue;
                }
                int indent = line.Length - content.Length;
                if (indent == 0 && content[0] != '-')
                {
                    inContexts = content.StartsWith("contexts:", StringComparison.Ordinal);
                    itemIndent = -1;
                    continue;
                }
                if (!inContexts)
                {
                    continue;
                }
                if (content.StartsWith("- ", StringComparison.Ordinal))
                {
                    itemIndent = indent + 2;
                    content = content.Substring(2).TrimStart();
                    indent = itemIndent;
                }
                if (indent == itemIndent && content.StartsWith("name:", StringComparison.Ordinal))
                {
                    string name = content.Substring("name:".Length).Trim().Trim('"', '\'');
                    if (name.Length > 0)
                    {
                        names.Add(name);
                    }
                }
            }
            return names;
        }
    }
}
