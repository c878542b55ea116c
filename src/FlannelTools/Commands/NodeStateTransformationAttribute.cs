using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Linq;
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
            return inputData;
        }
    }

    /// <summary>Rebuilds the node-state types from the property bags PowerShell's serializer makes of them.</summary>
    public static class DeserializedNodeState
    {
        public static bool IsDeserialized(PSObject value, string typeName) =>
            value.TypeNames.Contains("Deserialized.FlannelTools." + typeName);

        public static NodeState ToNodeState(PSObject o) => new NodeState
        {
            Vtep = Nested(o, "Vtep", ToVtep),
            VtepV6 = Nested(o, "VtepV6", ToVtep),
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
