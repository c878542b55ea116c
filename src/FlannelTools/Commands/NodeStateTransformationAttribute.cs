using System.Collections;
using System.Management.Automation;

namespace FlannelTools.Commands
{
    /// <summary>
    /// Lets a NodeState parameter take the deserialized object that Import-Clixml, remoting and <c>$using:</c> give
    /// (<c>Deserialized.FlannelTools.NodeState</c>, a property bag a typed parameter refuses) by rebuilding the NodeState
    /// from its properties. Put it on every parameter of type <see cref="NodeState"/>.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class NodeStateTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            if (inputData is PSObject wrapped && wrapped.BaseObject is NodeState)
            {
                return wrapped.BaseObject;
            }
            if (inputData is PSObject bag && DeserializedNodeState.IsDeserialized(bag, nameof(NodeState)))
            {
                return DeserializedNodeState.ToNodeState(bag);
            }
            // A NodeState[] parameter given a collection: each state, deserialized ones rebuilt.
            object value = inputData is PSObject list ? list.BaseObject : inputData;
            if (value is IEnumerable sequence && !(value is string) && !(value is IDictionary))
            {
                var items = sequence.Cast<object>().ToList();
                if (items.Count > 0 && items.All(IsState))
                {
                    return items.Select(ToState).ToArray();
                }
            }
            return inputData;
        }

        private static bool IsState(object item) =>
            item is NodeState || (item is PSObject wrapped && (wrapped.BaseObject is NodeState || DeserializedNodeState.IsDeserialized(wrapped, nameof(NodeState))));

        private static NodeState ToState(object item) =>
            item as NodeState ?? ((PSObject)item).BaseObject as NodeState ?? DeserializedNodeState.ToNodeState((PSObject)item);
    }

    /// <summary>Lets a FlannelNetConf parameter take the deserialized object (Import-Clixml, remoting, <c>$using:</c>).</summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class FlannelNetConfTransformationAttribute : ArgumentTransformationAttribute
    {
        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            if (inputData is PSObject wrapped && wrapped.BaseObject is FlannelNetConf)
            {
                return wrapped.BaseObject;
            }
            if (inputData is PSObject bag && DeserializedNodeState.IsDeserialized(bag, nameof(FlannelNetConf)))
            {
                return DeserializedNodeState.ToNetConf(bag);
            }
            return inputData;
        }
    }

    /// <summary>Rebuilds the node-state types from the property bags PowerShell's serializer makes of them.</summary>
    internal static class DeserializedNodeState
    {
        public static bool IsDeserialized(PSObject value, string typeName) =>
            value.TypeNames.Contains("Deserialized.FlannelTools." + typeName);

        public static NodeState ToNodeState(PSObject o) => new NodeState
        {
            Vtep = Nested(o, "Vtep", ToVtep),
            VtepV6 = Nested(o, "VtepV6", ToVtep),
            VxlanDevices = List(o, "VxlanDevices", ToVtep),
            Sysctls = ListOrNull(o, "Sysctls", ToSysctl),
            FirewallChains = ListOrNull(o, "FirewallChains", ToFirewallChain),
            FirewallRules = ListOrNull(o, "FirewallRules", ToFirewallRule),
            FirewallSets = ListOrNull(o, "FirewallSets", ToFirewallSet),
            FirewallBackends = Raw(o, "FirewallBackends") == null ? null : new ReadOnlyCollection<string>(Words(o, "FirewallBackends").ToList()),
            Offloads = ListOrNull(o, "Offloads", ToOffload),
            Counters = ListOrNull(o, "Counters", ToNetCounter),
            PreStackPrograms = ListOrNull(o, "PreStackPrograms", ToPreStackProgram),
            KernelRelease = Text(o, "KernelRelease"),
            SubnetEnv = Nested(o, "SubnetEnv", ToSubnetEnv),
            NetConf = Nested(o, "NetConf", ToNetConf),
            ReadParts = Words(o, "ReadParts"),
            NotRead = List(o, "NotRead", p => new UnreadPart(Text(p, "Part"), Text(p, "Reason"), Value<bool>(p, "Absent") ?? false)),
            Interfaces = List(o, "Interfaces", ToInterface),
            Routes = List(o, "Routes", ToRoute),
            Neighbors = List(o, "Neighbors", ToNeighbor),
            Fdb = List(o, "Fdb", ToFdbEntry),
            HostName = Text(o, "HostName"),
            CollectedAt = Value<DateTime>(o, "CollectedAt")?.ToUniversalTime(),
            Source = Text(o, "Source"),
        };

        public static Vtep ToVtep(PSObject o) => new Vtep
        {
            Name = Text(o, "Name"),
            MacAddress = Text(o, "MacAddress"),
            Mtu = Value<int>(o, "Mtu"),
            Vni = Value<int>(o, "Vni"),
            Port = Value<int>(o, "Port"),
            LocalAddress = Text(o, "LocalAddress"),
            UnderlayDevice = Text(o, "UnderlayDevice"),
            Learning = Value<bool>(o, "Learning"),
            State = Text(o, "State"),
            Source = Text(o, "Source"),
        };

        public static Interface ToInterface(PSObject o) => new Interface
        {
            Index = Value<int>(o, "Index"),
            Name = Text(o, "Name"),
            Kind = Text(o, "Kind"),
            MacAddress = Text(o, "MacAddress"),
            Mtu = Value<int>(o, "Mtu"),
            State = Text(o, "State"),
            Flags = Words(o, "Flags"),
            Master = Text(o, "Master"),
            Addresses = Words(o, "Addresses"),
            Source = Text(o, "Source"),
        };

        public static Route ToRoute(PSObject o) => new Route
        {
            Family = Text(o, "Family"),
            Type = Text(o, "Type") ?? "unicast",
            Destination = Text(o, "Destination"),
            Gateway = Text(o, "Gateway"),
            Device = Text(o, "Device"),
            Flags = Words(o, "Flags"),
            Metric = Value<int>(o, "Metric"),
            Scope = Text(o, "Scope"),
            Protocol = Text(o, "Protocol"),
            PreferredSource = Text(o, "PreferredSource"),
            Source = Text(o, "Source"),
        };

        public static Neighbor ToNeighbor(PSObject o) => new Neighbor
        {
            Address = Text(o, "Address"),
            MacAddress = Text(o, "MacAddress"),
            Device = Text(o, "Device"),
            State = Text(o, "State"),
            Flags = Words(o, "Flags"),
            Source = Text(o, "Source"),
        };

        public static FdbEntry ToFdbEntry(PSObject o) => new FdbEntry
        {
            MacAddress = Text(o, "MacAddress"),
            Destination = Text(o, "Destination"),
            Device = Text(o, "Device"),
            Flags = Words(o, "Flags"),
            State = Text(o, "State"),
            Vni = Value<int>(o, "Vni"),
            Port = Value<int>(o, "Port"),
            Vlan = Value<int>(o, "Vlan"),
            Via = Text(o, "Via"),
            Master = Text(o, "Master"),
            Source = Text(o, "Source"),
        };

        public static Sysctl ToSysctl(PSObject o) => new Sysctl { Name = Text(o, "Name"), Value = Text(o, "Value"), Source = Text(o, "Source") };

        public static FirewallChain ToFirewallChain(PSObject o) => new FirewallChain
        {
            Backend = Text(o, "Backend"),
            Family = Text(o, "Family"),
            Table = Text(o, "Table"),
            Name = Text(o, "Name"),
            Type = Text(o, "Type"),
            Hook = Text(o, "Hook"),
            Priority = Value<int>(o, "Priority"),
            Policy = Text(o, "Policy"),
            Device = Text(o, "Device"),
            Packets = Value<long>(o, "Packets"),
            Bytes = Value<long>(o, "Bytes"),
            Source = Text(o, "Source"),
        };

        public static FirewallRule ToFirewallRule(PSObject o) => new FirewallRule
        {
            Backend = Text(o, "Backend"),
            Family = Text(o, "Family"),
            Table = Text(o, "Table"),
            Chain = Text(o, "Chain"),
            Position = Value<int>(o, "Position") ?? 0,
            Text = Text(o, "Text"),
            Handle = Value<long>(o, "Handle"),
            Comment = Text(o, "Comment"),
            Packets = Value<long>(o, "Packets"),
            Bytes = Value<long>(o, "Bytes"),
            Source = Text(o, "Source"),
        };

        public static FirewallSet ToFirewallSet(PSObject o) => new FirewallSet
        {
            Backend = Text(o, "Backend"),
            Family = Text(o, "Family"),
            Table = Text(o, "Table"),
            Name = Text(o, "Name"),
            Type = Text(o, "Type"),
            MapsTo = Text(o, "MapsTo"),
            Flags = Words(o, "Flags"),
            Elements = Words(o, "Elements"),
            Source = Text(o, "Source"),
        };

        public static Offload ToOffload(PSObject o) => new Offload
        {
            Device = Text(o, "Device"),
            Feature = Text(o, "Feature"),
            Enabled = Value<bool>(o, "Enabled") ?? false,
            Fixed = Value<bool>(o, "Fixed") ?? false,
            Source = Text(o, "Source"),
        };

        public static NetCounter ToNetCounter(PSObject o) => new NetCounter
        {
            Group = Text(o, "Group"),
            Device = Text(o, "Device"),
            Name = Text(o, "Name"),
            Value = Value<long>(o, "Value") ?? 0,
            Source = Text(o, "Source"),
        };

        public static PreStackProgram ToPreStackProgram(PSObject o) => new PreStackProgram
        {
            Device = Text(o, "Device"),
            Kind = Text(o, "Kind"),
            Program = Text(o, "Program"),
            Source = Text(o, "Source"),
        };

        public static SubnetEnv ToSubnetEnv(PSObject o) => new SubnetEnv
        {
            Path = Text(o, "Path"),
            Network = Text(o, "Network"),
            Subnet = Text(o, "Subnet"),
            IPv6Network = Text(o, "IPv6Network"),
            IPv6Subnet = Text(o, "IPv6Subnet"),
            Mtu = Value<int>(o, "Mtu"),
            IpMasq = Value<bool>(o, "IpMasq"),
            Entries = Words(o, "Entries"),
            Source = Text(o, "Source"),
        };

        public static FlannelNetConf ToNetConf(PSObject o) => new FlannelNetConf
        {
            Network = Text(o, "Network"),
            IPv6Network = Text(o, "IPv6Network"),
            EnableIPv4 = Value<bool>(o, "EnableIPv4") ?? true,
            EnableIPv6 = Value<bool>(o, "EnableIPv6") ?? false,
            EnableNFTables = Value<bool>(o, "EnableNFTables") ?? false,
            BackendType = Text(o, "BackendType"),
            Vni = Value<int>(o, "Vni") ?? 1,
            Port = Value<int>(o, "Port") ?? 0,
            Mtu = Value<int>(o, "Mtu"),
            Gbp = Value<bool>(o, "Gbp") ?? false,
            Learning = Value<bool>(o, "Learning") ?? false,
            DirectRouting = Value<bool>(o, "DirectRouting") ?? false,
            Source = Text(o, "Source"),
        };

        /// <summary>A host-layer part: null when the state did not read it (the serializer keeps the null), else the list.</summary>
        private static ReadOnlyCollection<T> ListOrNull<T>(PSObject o, string name, Func<PSObject, T> convert) where T : class =>
            Raw(o, name) == null ? null : List(o, name, convert);

        private static object Raw(PSObject o, string name)
        {
            object value = o.Properties[name]?.Value;
            return value is PSObject p && !(p.BaseObject is PSCustomObject) ? p.BaseObject : value;
        }

        private static string Text(PSObject o, string name) => Raw(o, name) is object v ? Convert.ToString(v, CultureInfo.InvariantCulture) : null;

        private static T? Value<T>(PSObject o, string name) where T : struct =>
            Raw(o, name) is object v ? (T)LanguagePrimitives.ConvertTo(v, typeof(T), CultureInfo.InvariantCulture) : (T?)null;

        /// <summary>A word list: a deserialized list, or its text (<c>self,permanent</c>) when it was serialized deeper than its depth.</summary>
        private static TextList Words(PSObject o, string name)
        {
            switch (Raw(o, name))
            {
                case null:
                    return TextList.Empty;
                case string text:
                    return new TextList(text.Split(','));
                case IEnumerable items:
                    return new TextList(items.Cast<object>().Select(i => Convert.ToString(i is PSObject p ? p.BaseObject : i, CultureInfo.InvariantCulture)));
                default:
                    return TextList.Empty;
            }
        }

        private static T Nested<T>(PSObject o, string name, Func<PSObject, T> convert) where T : class
        {
            object value = o.Properties[name]?.Value;
            switch (value)
            {
                case null:
                    return null;
                case PSObject p when p.BaseObject is T typed:
                    return typed;
                case T typed:
                    return typed;
                case PSObject p:
                    return convert(p);
                default:
                    return null;
            }
        }

        private static ReadOnlyCollection<T> List<T>(PSObject o, string name, Func<PSObject, T> convert) where T : class
        {
            var items = new List<T>();
            if (Raw(o, name) is IEnumerable values && !(values is string))
            {
                foreach (object item in values)
                {
                    switch (item)
                    {
                        case T typed:
                            items.Add(typed);
                            break;
                        case PSObject p when p.BaseObject is T typed:
                            items.Add(typed);
                            break;
                        case PSObject p:
                            items.Add(convert(p));
                            break;
                    }
                }
            }
            return new ReadOnlyCollection<T>(items);
        }
    }
}
