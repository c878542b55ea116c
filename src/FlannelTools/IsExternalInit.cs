namespace System.Runtime.CompilerServices
{
    /// <summary>
    /// What the compiler needs for records and init-only properties; netstandard2.0 predates it (.NET 5 has it).
    /// </summary>
    internal static class IsExternalInit
    {
    }
}
