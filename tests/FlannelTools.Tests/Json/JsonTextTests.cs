using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using FlannelTools.Json;
using Xunit;

namespace FlannelTools.Tests.Json
{
    /// <summary>
    /// The module's own JSON reader (netstandard2.0 ships none) against what kubectl, nft -j, ip -j, bridge -j and
    /// ethtool --json really printed (tests/data), with System.Text.Json, which the test runtime has, as the oracle.
    /// </summary>
    public class JsonTextTests
    {
        private static string DataRoot => Path.Combine(AppContext.BaseDirectory, "data");

        public static IEnumerable<object[]> RealOutputs() =>
            Directory.EnumerateFiles(DataRoot, "*.json", SearchOption.AllDirectories)
                .Select(path => new object[] { Path.GetRelativePath(DataRoot, path) })
                .OrderBy(row => (string)row[0], StringComparer.Ordinal);

        [Fact]
        public void TheRealOutputsAreThere()
        {
            // kubectl (cluster/, hostlayer/flannel/), nft -j (hostlayer/nft/), ip/bridge -j (nodestate/), ethtool (kernel/)
            Assert.True(RealOutputs().Count() >= 30, "tests/data holds the real JSON outputs");
        }

        [Theory]
        [MemberData(nameof(RealOutputs))]
        public void ReadsARealOutputAsSystemTextJsonDoes(string relativePath)
        {
            string text = File.ReadAllText(Path.Combine(DataRoot, relativePath));
            using var oracle = System.Text.Json.JsonDocument.Parse(text);

            object actual = JsonText.Parse(text);

            AssertSameTree(oracle.RootElement, actual, "$");
        }

        [Fact]
        public void ReadsKubectlNodesAndTheirAnnotations()
        {
            object nodes = JsonText.Parse(File.ReadAllText(Path.Combine(DataRoot, "cluster", "nodes-healthy.json")));

            Assert.Equal("v1", JsonText.String(nodes, "apiVersion"));
            List<object> items = JsonText.Array(nodes, "items");
            Assert.Equal(3, items.Count);
            object metadata = JsonText.Member(items[0], "metadata");
            Assert.Equal("master", JsonText.String(metadata, "name"));
            // an annotation is JSON inside a string: it stays text, escapes undone
            Assert.Equal("{\"VNI\":1,\"VtepMAC\":\"02:f1:a4:00:00:0b\"}",
                JsonText.String(JsonText.Member(metadata, "annotations"), "flannel.alpha.coreos.com/backend-data"));
        }

        [Fact]
        public void ReadsNftMetainfoAndIpLinkCounters()
        {
            object ruleset = JsonText.Parse(File.ReadAllText(Path.Combine(DataRoot, "hostlayer", "nft", "firewalld.json")));
            List<object> entries = JsonText.Array(ruleset, "nftables");
            Assert.Equal(79, entries.Count);
            Assert.Equal(1L, JsonText.Integer(JsonText.Member(entries[0], "metainfo"), "json_schema_version"));

            object links = JsonText.Parse(File.ReadAllText(Path.Combine(DataRoot, "hostlayer", "kernel", "ip-s-j-d-link-a.json")));
            object lo = ((List<object>)links)[0];
            Assert.Equal("lo", JsonText.String(lo, "ifname"));
            Assert.Equal(65536L, JsonText.Integer(lo, "mtu"));
        }

        [Theory]
        [InlineData("{\"n\":42}", 42L)]
        [InlineData("{\"n\":\"42\"}", 42L)]          // kubectl and iproute2 print some numbers as strings
        [InlineData("{\"n\":42.0}", 42L)]
        [InlineData("{\"n\":-7}", -7L)]
        [InlineData("{\"n\":42.5}", null)]
        [InlineData("{\"n\":\"forty\"}", null)]
        [InlineData("{\"n\":true}", null)]
        [InlineData("{}", null)]
        [InlineData("[42]", null)]                    // not an object: no members
        public void TakesAnIntegerOnlyWhenItIsOne(string json, long? expected)
        {
            Assert.Equal(expected, JsonText.Integer(JsonText.Parse(json), "n"));
        }

        [Fact]
        public void TakesAMissingArrayAsEmptyAndASingleValueAsAListOfOne()
        {
            object node = JsonText.Parse("{\"one\":\"onlink\",\"many\":[\"a\",\"b\"]}");

            Assert.Empty(JsonText.Array(node, "absent"));
            Assert.Equal(new object[] { "onlink" }, JsonText.Array(node, "one"));
            Assert.Equal(new object[] { "a", "b" }, JsonText.Array(node, "many"));
        }

        [Fact]
        public void UndoesEveryEscape()
        {
            object value = JsonText.Parse("\"q\\\" b\\\\ s\\/ \\b\\f\\n\\r\\t \\u00e9\\u2603\"");

            Assert.Equal("q\" b\\ s/ \b\f\n\r\t \u00e9\u2603", value);
        }

        [Fact]
        public void ReadsAnOutputCutShortAsAnErrorAtItsEnd()
        {
            // kubectl killed halfway through its output: the text ends inside an object
            string whole = File.ReadAllText(Path.Combine(DataRoot, "cluster", "nodes-healthy.json"));
            string cut = whole.Substring(0, whole.Length / 2);
            int lines = cut.Count(c => c == '\n') + 1;

            var error = Assert.Throws<FormatException>(() => JsonText.Parse(cut));

            Assert.StartsWith($"Not valid JSON at line {lines}, column ", error.Message);
        }

        [Theory]
        [InlineData("", "line 1, column 1: the text ends where a value was expected")]
        [InlineData("[1,]", "line 1, column 4: unexpected character ']'")]
        [InlineData("{\"a\" 1}", "line 1, column 6: expected ':'")]
        [InlineData("{\"a\":1,}", "line 1, column 8: expected a member name")]
        [InlineData("{\"a\":1", "line 1, column 7: the text ends where '}' was expected")]
        [InlineData("[1 2]", "line 1, column 4: expected ']'")]
        [InlineData("{\n  \"a\": tru\n}", "line 2, column 8: unexpected text")]
        [InlineData("\"open", "line 1, column 6: the text ends inside a string")]
        [InlineData("\"bad \\x\"", "line 1, column 8: bad escape '\\x'")]
        [InlineData("\"\\u12\"", "line 1, column 4: bad \\u escape")]
        [InlineData("1.2.3", "line 1, column 1: bad number '1.2.3'")]
        [InlineData("{} {}", "line 1, column 4: unexpected text after the JSON value")]
        [InlineData("'single'", "line 1, column 1: unexpected character '''")]
        public void ReportsWhereMalformedTextGoesWrong(string json, string expected)
        {
            var error = Assert.Throws<FormatException>(() => JsonText.Parse(json));

            Assert.Equal("Not valid JSON at " + expected + ".", error.Message);
        }

        [Fact]
        public void RefusesNestingTooDeepInsteadOfOverflowingTheStack()
        {
            string deep = new string('[', 100_000) + new string(']', 100_000);

            var error = Assert.Throws<FormatException>(() => JsonText.Parse(deep));

            Assert.Contains("nesting too deep", error.Message);
        }

        [Fact]
        public void RefusesNullText()
        {
            Assert.Throws<ArgumentNullException>(() => JsonText.Parse(null));
        }

        private static void AssertSameTree(JsonElement expected, object actual, string where)
        {
            switch (expected.ValueKind)
            {
                case JsonValueKind.Object:
                    var members = Assert.IsType<Dictionary<string, object>>(actual);
                    var names = expected.EnumerateObject().Select(p => p.Name).ToList();
                    Assert.True(names.OrderBy(n => n, StringComparer.Ordinal).SequenceEqual(members.Keys.OrderBy(n => n, StringComparer.Ordinal)),
                        $"{where}: members {string.Join(",", names)} read as {string.Join(",", members.Keys)}");
                    foreach (JsonProperty property in expected.EnumerateObject())
                    {
                        AssertSameTree(property.Value, members[property.Name], where + "." + property.Name);
                    }
                    break;
                case JsonValueKind.Array:
                    var items = Assert.IsType<List<object>>(actual);
                    Assert.True(expected.GetArrayLength() == items.Count, $"{where}: {expected.GetArrayLength()} items read as {items.Count}");
                    int i = 0;
                    foreach (JsonElement item in expected.EnumerateArray())
                    {
                        AssertSameTree(item, items[i], $"{where}[{i}]");
                        i++;
                    }
                    break;
                case JsonValueKind.String:
                    Assert.True(expected.GetString() == (actual as string), $"{where}: '{expected.GetString()}' read as '{actual}'");
                    break;
                case JsonValueKind.Number:
                    if (expected.TryGetInt64(out long integer))
                    {
                        Assert.True(actual is long l && l == integer, $"{where}: {integer} read as {actual} ({actual?.GetType().Name})");
                    }
                    else
                    {
                        Assert.True(actual is double d && d == expected.GetDouble(), $"{where}: {expected.GetDouble()} read as {actual}");
                    }
                    break;
                case JsonValueKind.True:
                case JsonValueKind.False:
                    Assert.True(actual is bool b && b == expected.GetBoolean(), $"{where}: {expected.GetBoolean()} read as {actual}");
                    break;
                case JsonValueKind.Null:
                    Assert.True(actual == null, $"{where}: null read as {actual}");
                    break;
            }
        }
    }
}
