using System.Runtime.CompilerServices;

// Only the cmdlets, their transformation attributes and the objects they emit are public; the core's helpers are
// internal. xunit tests them without a PowerShell host, and a fuzz harness drives the readers and decoders directly.
[assembly: InternalsVisibleTo("FlannelTools.Tests")]
[assembly: InternalsVisibleTo("FlannelTools.Fuzz")]
[assembly: InternalsVisibleTo("FlannelTools.Bench")]
