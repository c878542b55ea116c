using System.Collections;
using System.Management.Automation;

namespace FlannelTools.Commands
{
    /// <summary>
    /// Turns what ConvertFrom-Json made (PSCustomObjects, or hashtables with -AsHashtable, arrays, numbers, and the
    /// DateTimes it makes of time stamps) back into <see cref="Json.JsonText"/>'s values, so one parser reads both.
    /// </summary>
    internal static class JsonObjectConverter
    {
        private const int MaxDepth = 128;

        public static object ToJsonValue(object value) => Convert(value, 0);

        private static object Convert(object value, int depth)
        {
            if (depth > MaxDepth)
            {
                throw new FormatException("The object is nested too deeply to be JSON.");
            }
            object baseObject = value is PSObject wrapped ? wrapped.BaseObject : value;
            switch (baseObject)
            {
                case null:
                    return null;
                case string text:
                    return text;
                case bool flag:
                    return flag;
                case char character:
                    return character.ToString();
                case DateTime time:
                    return time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                case DateTimeOffset time:
                    return time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
                case sbyte _:
                case byte _:
                case short _:
                case ushort _:
                case int _:
                case uint _:
                case long _:
                    return System.Convert.ToInt64(baseObject, CultureInfo.InvariantCulture);
                case ulong _:
                case float _:
                case double _:
                case decimal _:
                    return System.Convert.ToDouble(baseObject, CultureInfo.InvariantCulture);
                case IDictionary dictionary:
                    var fromDictionary = new Dictionary<string, object>(StringComparer.Ordinal);
                    foreach (DictionaryEntry entry in dictionary)
                    {
                        fromDictionary[System.Convert.ToString(entry.Key, CultureInfo.InvariantCulture)] = Convert(entry.Value, depth + 1);
                    }
                    return fromDictionary;
                case IEnumerable sequence:
                    var list = new List<object>();
                    foreach (object item in sequence)
                    {
                        list.Add(Convert(item, depth + 1));
                    }
                    return list;
                case PSCustomObject _:
                    var fromProperties = new Dictionary<string, object>(StringComparer.Ordinal);
                    foreach (PSPropertyInfo property in ((PSObject)value).Properties)
                    {
                        fromProperties[property.Name] = Convert(property.Value, depth + 1);
                    }
                    return fromProperties;
                default:
                    return System.Convert.ToString(baseObject, CultureInfo.InvariantCulture);
            }
        }
    }
}
