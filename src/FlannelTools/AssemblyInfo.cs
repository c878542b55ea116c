using System.Runtime.CompilerServices;

// The core's helpers are internal; xunit tests them without a PowerShell host.
[assembly: InternalsVisibleTo("FlannelTools.Tests")]
