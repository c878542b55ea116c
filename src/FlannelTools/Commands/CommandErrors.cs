using System.Management.Automation;
using System.Reflection;

namespace FlannelTools.Commands
{
    /// <summary>One condition a cmdlet reports as an ErrorRecord: its stable id, its category, what it means, and which cmdlets raise it.</summary>
    internal sealed class CommandError
    {
        public CommandError(string id, ErrorCategory category, string condition, params string[] cmdlets) =>
            (Id, Category, Condition, Cmdlets) = (id, category, condition, cmdlets);

        public string Id { get; }
        public ErrorCategory Category { get; }
        public string Condition { get; }
        public IReadOnlyList<string> Cmdlets { get; }

        public ErrorRecord Wrap(Exception exception, object target) => new ErrorRecord(exception, Id, Category, target);

        public ErrorRecord Record(object target, string message, Exception inner = null) =>
            Wrap(Category == ErrorCategory.InvalidArgument ? new ArgumentException(message, inner) : (Exception)new InvalidOperationException(message, inner), target);
    }

    /// <summary>
    /// The table of every error id the cmdlets write: one id per condition, whichever cmdlet meets it. docs/error-ids.md
    /// lists the same table (a test compares them).
    /// </summary>
    internal static class CommandErrors
    {
        private static readonly string[] FileCmdlets =
            { "Get-VxlanFrame", "Get-VxlanConversation", "Test-VxlanCapture", "Get-FlannelFdb", "Get-FlannelNodeState", "Get-FlannelNetConf", "Get-FlannelNode" };
        private static readonly string[] CaptureCmdlets = { "Get-VxlanFrame", "Get-VxlanConversation", "Test-VxlanCapture" };
        private static readonly string[] KubectlCmdlets = { "Get-FlannelNode", "Get-FlannelNetConf", "Test-VxlanCapture", "Test-FlannelNode", "Test-FlannelCluster" };
        private static readonly string[] LiveTableCmdlets = { "Get-FlannelFdb", "Get-FlannelNodeState", "Resolve-OverlayPath", "Test-FlannelNode" };

        // Files
        public static readonly CommandError PathNotFound = new CommandError("PathNotFound", ErrorCategory.ObjectNotFound,
            "A -Path matches nothing, or a file does not exist.", FileCmdlets);
        public static readonly CommandError PathIsDirectory = new CommandError("PathIsDirectory", ErrorCategory.InvalidArgument,
            "A path is a directory, where a file is read.", FileCmdlets);
        public static readonly CommandError PathNotFileSystem = new CommandError("PathNotFileSystem", ErrorCategory.InvalidArgument,
            "A path is on a PowerShell provider other than the file system.", FileCmdlets);
        public static readonly CommandError FileReadFailed = new CommandError("FileReadFailed", ErrorCategory.ReadError,
            "A file exists but cannot be read (permission denied, an I/O error).", FileCmdlets);

        public static readonly CommandError FileNotText = new CommandError("FileNotText", ErrorCategory.InvalidData,
            "A file given to a text parser holds binary data (a NUL byte), such as a capture.", "Get-FlannelFdb");

        // Captures
        public static readonly CommandError EmptyFile = new CommandError("EmptyFile", ErrorCategory.InvalidData,
            "A capture file is empty.", CaptureCmdlets);
        public static readonly CommandError FileNotCapture = new CommandError("FileNotCapture", ErrorCategory.InvalidData,
            "A file is neither pcap nor pcapng.", CaptureCmdlets);
        public static readonly CommandError TruncatedRecord = new CommandError("TruncatedRecord", ErrorCategory.InvalidData,
            "A capture ends in the middle of a record or block; the frames before it are still read.", CaptureCmdlets);
        public static readonly CommandError MalformedRecord = new CommandError("MalformedRecord", ErrorCategory.InvalidData,
            "A record or block of a capture is malformed; the frames before it are still read.", CaptureCmdlets);
        public static readonly CommandError InvalidFilter = new CommandError("InvalidFilter", ErrorCategory.InvalidArgument,
            "-Filter does not compile as a libpcap (BPF) expression for the capture's link type.", "Get-VxlanFrame", "Get-VxlanConversation");
        public static readonly CommandError LibpcapMissing = new CommandError("LibpcapMissing", ErrorCategory.NotInstalled,
            "libpcap is not installed, and it is needed (live capture, -Filter, a pcapng only libpcap reads).", CaptureCmdlets);
        public static readonly CommandError InterfaceNotFound = new CommandError("InterfaceNotFound", ErrorCategory.ObjectNotFound,
            "-InterfaceName names no interface libpcap can capture on.", "Get-VxlanFrame");
        public static readonly CommandError CapturePermissionDenied = new CommandError("CapturePermissionDenied", ErrorCategory.PermissionDenied,
            "Capturing live needs root or CAP_NET_RAW.", "Get-VxlanFrame");
        public static readonly CommandError LiveCaptureFailed = new CommandError("LiveCaptureFailed", ErrorCategory.ReadError,
            "A live capture could not start (the interface is down, …) or failed while reading.", "Get-VxlanFrame");
        public static readonly CommandError OutFileExists = new CommandError("OutFileExists", ErrorCategory.ResourceExists,
            "-OutFile exists and -Force is not given.", "Get-VxlanFrame");
        public static readonly CommandError OutFileFailed = new CommandError("OutFileFailed", ErrorCategory.WriteError,
            "-OutFile or -HtmlPath cannot be created or written.", "Get-VxlanFrame", "Test-FlannelCluster");

        // Arguments
        public static readonly CommandError InvalidAddress = new CommandError("InvalidAddress", ErrorCategory.InvalidArgument,
            "An address parameter (-HostAddress, -InnerAddress, -Destination) is not an IPv4 or IPv6 address.",
            "Get-VxlanFrame", "Get-VxlanConversation", "Get-FlannelFdb");
        public static readonly CommandError InvalidMacAddress = new CommandError("InvalidMacAddress", ErrorCategory.InvalidArgument,
            "-MacAddress is not a MAC address.", "Get-FlannelFdb");
        public static readonly CommandError InvalidAddressPair = new CommandError("InvalidAddressPair", ErrorCategory.InvalidArgument,
            "-SourceAddress and -DestinationAddress are not two addresses of one family.", "Resolve-OverlayPath");
        public static readonly CommandError FileGivenAsName = new CommandError("FileGivenAsName", ErrorCategory.InvalidArgument,
            "The value at position 0, a name (-Name, -Device), names an existing file: a file is read with -Path.", "Get-FlannelNode", "Get-FlannelFdb");
        public static readonly CommandError InvalidAnnotationPrefix = new CommandError("InvalidAnnotationPrefix", ErrorCategory.InvalidArgument,
            "-AnnotationPrefix is not a Kubernetes annotation prefix.", "Get-FlannelNode");
        public static readonly CommandError NoNodeText = new CommandError("NoNodeText", ErrorCategory.InvalidArgument,
            "The text parameter set is used without any of its -…Text parameters.", "Get-FlannelNodeState");

        // Nodes
        public static readonly CommandError NoNodes = new CommandError("NoNodes", ErrorCategory.InvalidArgument,
            "There are no cluster nodes to compare with.", "Test-VxlanCapture", "Test-FlannelNode", "Test-FlannelCluster");
        public static readonly CommandError NoNodeStates = new CommandError("NoNodeStates", ErrorCategory.InvalidArgument,
            "No node state was given to check (nothing piped in, or an empty -NodeState).", "Test-FlannelCluster");
        public static readonly CommandError NoPipedNodes = new CommandError("NoPipedNodes", ErrorCategory.InvalidArgument,
            "Objects were piped in and none of them is a node.", "Test-FlannelNode");
        public static readonly CommandError NodeNotFound = new CommandError("NodeNotFound", ErrorCategory.ObjectNotFound,
            "No node has the name given (-Name).", "Get-FlannelNode", "Test-FlannelNode");
        public static readonly CommandError LocalNodeNotFound = new CommandError("LocalNodeNotFound", ErrorCategory.ObjectNotFound,
            "No node of the cluster is the one the tables are from (neither by address nor by host name).", "Test-FlannelNode");
        public static readonly CommandError LocalNodeAmbiguous = new CommandError("LocalNodeAmbiguous", ErrorCategory.ObjectNotFound,
            "More than one node of the cluster could be the one the tables are from.", "Test-FlannelNode");
        public static readonly CommandError InvalidNodeJson = new CommandError("InvalidNodeJson", ErrorCategory.InvalidData,
            "A file, input or kubectl's output is not the JSON of kubectl get nodes (or of one node).", KubectlCmdlets.Where(c => c != "Get-FlannelNetConf").ToArray());

        // Node tables
        public static readonly CommandError FileNotNodeState = new CommandError("FileNotNodeState", ErrorCategory.InvalidData,
            "A file is not a document printed by collect-flannel-state.sh.", "Get-FlannelNodeState");
        public static readonly CommandError TruncatedDocument = new CommandError("TruncatedDocument", ErrorCategory.InvalidData,
            "A document printed by collect-flannel-state.sh is cut in the middle: a section without its #@ exit line, or no #@ end line.", "Get-FlannelNodeState");
        public static readonly CommandError LiveModeNotSupported = new CommandError("LiveModeNotSupported", ErrorCategory.NotImplemented,
            "The local kernel's tables are read on Linux only.", LiveTableCmdlets);
        public static readonly CommandError IprouteNotFound = new CommandError("IprouteNotFound", ErrorCategory.NotInstalled,
            "ip or bridge (iproute2) is not installed.", LiveTableCmdlets);
        public static readonly CommandError NativeCommandFailed = new CommandError("NativeCommandFailed", ErrorCategory.InvalidResult,
            "ip or bridge could not be started, or exited with an error.", LiveTableCmdlets);
        public static readonly CommandError NativeCommandTimedOut = new CommandError("NativeCommandTimedOut", ErrorCategory.OperationTimeout,
            "ip or bridge did not finish in time and was ended.", LiveTableCmdlets);

        // Collecting over SSH
        public static readonly CommandError InvalidSshHost = new CommandError("InvalidSshHost", ErrorCategory.InvalidArgument,
            "A -SshHost is not host, user@host or ssh://user@host:port.", "Get-FlannelNodeState");
        public static readonly CommandError SshClientNotFound = new CommandError("SshClientNotFound", ErrorCategory.NotInstalled,
            "The OpenSSH client (ssh) is not installed.", "Get-FlannelNodeState");
        public static readonly CommandError SshFailed = new CommandError("SshFailed", ErrorCategory.ConnectionError,
            "ssh could not connect to a host or log in (refused, unreachable, host key, authentication), or the collector did not run there (sudo -n refused).", "Get-FlannelNodeState");
        public static readonly CommandError SshTimedOut = new CommandError("SshTimedOut", ErrorCategory.OperationTimeout,
            "A host did not finish within -TimeoutSec, and its ssh was ended.", "Get-FlannelNodeState");
        public static readonly CommandError SshOutputNotNodeState = new CommandError("SshOutputNotNodeState", ErrorCategory.InvalidData,
            "What a host printed over ssh is not a document of collect-flannel-state.sh.", "Get-FlannelNodeState");

        // flannel's configuration
        public static readonly CommandError InvalidNetConfJson = new CommandError("InvalidNetConfJson", ErrorCategory.InvalidData,
            "A file is not JSON.", "Get-FlannelNetConf");
        public static readonly CommandError InvalidConfigMapJson = new CommandError("InvalidConfigMapJson", ErrorCategory.InvalidData,
            "kubectl printed what is not a ConfigMap.", "Get-FlannelNetConf");
        public static readonly CommandError InvalidNetConf = new CommandError("InvalidNetConf", ErrorCategory.InvalidData,
            "A net-conf.json is not one flanneld would read.", "Get-FlannelNetConf");
        public static readonly CommandError NetConfKeyMissing = new CommandError("NetConfKeyMissing", ErrorCategory.InvalidData,
            "A saved ConfigMap (or List) holds no net-conf.json key.", "Get-FlannelNetConf");
        public static readonly CommandError NetConfNotFound = new CommandError("NetConfNotFound", ErrorCategory.ObjectNotFound,
            "No ConfigMap of the cluster holds flannel's net-conf.json.", "Get-FlannelNetConf");
        public static readonly CommandError K3sNetConfOnNodes = new CommandError("K3sNetConfOnNodes", ErrorCategory.ObjectNotFound,
            "The cluster is k3s, which keeps net-conf.json on each node, not in a ConfigMap.", "Get-FlannelNetConf");

        // kubectl
        public static readonly CommandError KubectlNotFound = new CommandError("KubectlNotFound", ErrorCategory.ObjectNotFound,
            "kubectl is not installed (or a link to it is left behind).", KubectlCmdlets);
        public static readonly CommandError KubectlFailed = new CommandError("KubectlFailed", ErrorCategory.ResourceUnavailable,
            "kubectl could not be started, or exited with an error (no cluster, no credentials, …).", KubectlCmdlets);
        public static readonly CommandError KubectlTimedOut = new CommandError("KubectlTimedOut", ErrorCategory.OperationTimeout,
            "kubectl did not finish in time and was ended.", KubectlCmdlets);

        /// <summary>Every entry, in the order declared.</summary>
        public static IReadOnlyList<CommandError> All { get; } = typeof(CommandErrors)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(CommandError))
            .OrderBy(f => f.MetadataToken)
            .Select(f => (CommandError)f.GetValue(null))
            .ToList();

        /// <summary>The entry of an id the core names (LocalNodeResolver's).</summary>
        public static CommandError ById(string id) =>
            All.FirstOrDefault(e => e.Id == id) ?? throw new ArgumentException("No error id '" + id + "' in CommandErrors.", nameof(id));

        /// <summary>A capture reader's exception as the table's entry for its condition.</summary>
        public static ErrorRecord FromCapture(CaptureException exception, object target) =>
            EntryOf(exception, target).Wrap(exception, target);

        private static CommandError EntryOf(CaptureException exception, object target)
        {
            switch (exception.Kind)
            {
                case CaptureErrorKind.FileNotFound:
                    return target is string path && Directory.Exists(path) ? PathIsDirectory : PathNotFound;
                case CaptureErrorKind.FileNotCapture when exception.InnerException is IOException || exception.InnerException is UnauthorizedAccessException:
                    return FileReadFailed;
                default:
                    return ById(exception.ErrorId);
            }
        }
    }
}
