using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;

namespace FlannelTools.Commands
{
    /// <summary>
    /// Lets a FlannelNode parameter take nodes that crossed a process boundary: Deserialized.FlannelTools.FlannelNode
    /// objects from Import-Clixml, $using: or Invoke-Command become FlannelNodes again (one, or an array for a
    /// collection). Anything else is left to the parameter binder.
    /// </summary>
    [AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
    public sealed class FlannelNodeTransformationAttribute : ArgumentTransformationAttribute
    {
        private const string DeserializedTypeName = "Deserialized.FlannelTools.FlannelNode";

        public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
        {
            object value = inputData is PSObject wrapped && !IsDeserializedNode(wrapped) ? wrapped.BaseObject : inputData;
            if (value is PSObject single)
            {
                return FromDeserialized(single);
            }
            if (value is IEnumerable sequence && !(value is string) && !(value is IDictionary))
            {
                var items = sequence.Cast<object>().ToList();
                if (items.Count > 0 && items.All(IsNode))
                {
                    return items.Select(ToNode).ToArray();
                }
            }
            return inputData;
        }

        private static bool IsDeserializedNode(PSObject value) => value.TypeNames.Contains(DeserializedTypeName);

        private static bool IsNode(object item) =>
            item is FlannelNode || (item is PSObject wrapped && (wrapped.BaseObject is FlannelNode || IsDeserializedNode(wrapped)));

        private static FlannelNode ToNode(object item)
        {
            if (item is FlannelNode node)
            {
                return node;
            }
            var wrapped = (PSObject)item;
            return wrapped.BaseObject as FlannelNode ?? FromDeserialized(wrapped);
        }

        private static FlannelNode FromDeserialized(PSObject value)
        {
            return new FlannelNode(
                Text(value, nameof(FlannelNode.Name)),
                Text(value, nameof(FlannelNode.PodCidr)),
                Texts(value, nameof(FlannelNode.PodCidrs)),
                Text(value, nameof(FlannelNode.InternalAddress)),
                Text(value, nameof(FlannelNode.PublicAddress)),
                Text(value, nameof(FlannelNode.PublicAddressOverwrite)),
                Text(value, nameof(FlannelNode.PublicAddressV6)),
                Text(value, nameof(FlannelNode.BackendType)),
                Text(value, nameof(FlannelNode.VtepMac)),
                Text(value, nameof(FlannelNode.VtepMacV6)),
                Property(value, nameof(FlannelNode.Vni)) is object vni ? Convert.ToInt32(vni, CultureInfo.InvariantCulture) : (int?)null,
                Property(value, nameof(FlannelNode.KubeSubnetManager)) is object manager && Convert.ToBoolean(manager, CultureInfo.InvariantCulture),
                Property(value, nameof(FlannelNode.Ready)) is object ready ? Convert.ToBoolean(ready, CultureInfo.InvariantCulture) : (bool?)null,
                Annotations(value))
            {
                NetworkUnavailable = Property(value, nameof(FlannelNode.NetworkUnavailable)) is object unavailable ? Convert.ToBoolean(unavailable, CultureInfo.InvariantCulture) : (bool?)null,
            };
        }

        private static object Property(PSObject value, string name)
        {
            object property = value.Properties[name]?.Value;
            return property is PSObject wrapped ? wrapped.BaseObject : property;
        }

        private static string Text(PSObject value, string name) =>
            Property(value, name) is object text ? Convert.ToString(text, CultureInfo.InvariantCulture) : null;

        private static List<string> Texts(PSObject value, string name)
        {
            switch (Property(value, name))
            {
                case null:
                    return new List<string>();
                case string text:
                    return new List<string> { text };
                case IEnumerable sequence:
                    return sequence.Cast<object>().Select(item => Convert.ToString(item is PSObject w ? w.BaseObject : item, CultureInfo.InvariantCulture)).ToList();
                default:
                    return new List<string> { Text(value, name) };
            }
        }

        /// <summary>The annotations, sorted by name as Get-FlannelNode writes them (a deserialized dictionary may come back in another order).</summary>
        private static OrderedDictionary Annotations(PSObject value)
        {
            var annotations = new OrderedDictionary(StringComparer.Ordinal);
            if (Property(value, nameof(FlannelNode.Annotations)) is IDictionary dictionary)
            {
                foreach (DictionaryEntry entry in dictionary.Cast<DictionaryEntry>().OrderBy(e => Convert.ToString(e.Key, CultureInfo.InvariantCulture), StringComparer.Ordinal))
                {
                    annotations.Add(Convert.ToString(entry.Key, CultureInfo.InvariantCulture), Convert.ToString(entry.Value is PSObject w ? w.BaseObject : entry.Value, CultureInfo.InvariantCulture));
                }
            }
            return annotations;
        }
    }
}
