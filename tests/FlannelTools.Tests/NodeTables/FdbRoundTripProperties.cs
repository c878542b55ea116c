using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using CsCheck;
using FlannelTools.NodeTables;
using Xunit;

namespace FlannelTools.Tests.NodeTables
{
    /// <summary>
    /// CsCheck round trips (issue 12): an FDB entry printed as iproute2 prints it, in <c>bridge fdb show</c>'s text and in
    /// <c>bridge -j fdb show</c>'s JSON, parses back to the same entry. The printers here follow iproute2's bridge/fdb.c
    /// (field names and order), not the parsers.
    /// </summary>
    public class FdbRoundTripProperties
    {
        private sealed class Entry
        {
            public string Mac;
            public string Device;
            public int? Vlan;
            public string Destination;
            public int? Port;
            public int? Vni;
            public string Master;
            public string[] Flags;
            public string State;

            public override string ToString() => Text();

            public string Text()
            {
                var words = new List<string> { Mac, "dev", Device };
                if (Vlan != null) words.AddRange(new[] { "vlan", Vlan.Value.ToString(CultureInfo.InvariantCulture) });
                if (Destination != null) words.AddRange(new[] { "dst", Destination });
                if (Port != null) words.AddRange(new[] { "port", Port.Value.ToString(CultureInfo.InvariantCulture) });
                if (Vni != null) words.AddRange(new[] { "vni", Vni.Value.ToString(CultureInfo.InvariantCulture) });
                if (Master != null) words.AddRange(new[] { "master", Master });
                words.AddRange(Flags);
                if (State != null) words.Add(State);
                return string.Join(" ", words);
            }

            public string Json()
            {
                var members = new List<string> { "\"mac\":\"" + Mac + "\"", "\"ifname\":\"" + Device + "\"" };
                if (Vlan != null) members.Add("\"vlan\":" + Vlan.Value.ToString(CultureInfo.InvariantCulture));
                if (Destination != null) members.Add("\"dst\":\"" + Destination + "\"");
                if (Port != null) members.Add("\"port\":" + Port.Value.ToString(CultureInfo.InvariantCulture));
                if (Vni != null) members.Add("\"vni\":" + Vni.Value.ToString(CultureInfo.InvariantCulture));
                if (Master != null) members.Add("\"master\":\"" + Master + "\"");
                members.Add("\"flags\":[" + string.Join(",", Flags.Select(f => "\"" + f + "\"")) + "]");
                // iproute2 prints "state":"" for a reachable entry
                members.Add("\"state\":\"" + (State ?? "") + "\"");
                return "[{" + string.Join(",", members) + "}]";
            }
        }

        private static Gen<int?> Maybe(Gen<int> gen) => Gen.Select(Gen.Bool, gen, (has, v) => has ? v : (int?)null);

        private static Gen<string> MaybeOf(params string[] values) => Gen.Int[0, values.Length].Select(i => i == values.Length ? null : values[i]);

        private static readonly Gen<string> Address = Gen.Select(Gen.Bool, Gen.Byte.Array[4], Gen.Byte.Array[16],
            (v4, a, b) => new IPAddress(v4 ? a : b).ToString());

        private static readonly Gen<Entry> Entries = Gen.Select(
            Gen.Byte.Array[6].Select(b => string.Join(":", b.Select(x => x.ToString("x2", CultureInfo.InvariantCulture)))),
            Gen.Int[0, 4].Select(i => new[] { "flannel.1", "flannel-v6.1", "vxlan0", "cni0", "eth0" }[i]),
            Maybe(Gen.Int[1, 4094]),
            Gen.Select(Gen.Bool, Address, (has, a) => has ? a : null),
            Maybe(Gen.Int[1, 65535]),
            Maybe(Gen.Int[0, 16777215]),
            MaybeOf("cni0", "br0"),
            Gen.Select(Gen.Bool, Gen.Bool, Gen.Bool, Gen.Bool, (self, router, extern_learn, sticky) =>
                new[] { (self, "self"), (router, "router"), (extern_learn, "extern_learn"), (sticky, "sticky") }.Where(f => f.Item1).Select(f => f.Item2).ToArray()))
            .SelectMany(e => MaybeOf("permanent", "static", "stale").Select(state => new Entry
            {
                Mac = e.Item1, Device = e.Item2, Vlan = e.Item3, Destination = e.Item4, Port = e.Item5, Vni = e.Item6, Master = e.Item7, Flags = e.Item8, State = state,
            }));

        private static void AssertSame(Entry expected, FdbEntry parsed)
        {
            Assert.Equal(expected.Mac, parsed.MacAddress);
            Assert.Equal(expected.Device, parsed.Device);
            Assert.Equal(expected.Vlan, parsed.Vlan);
            Assert.Equal(expected.Destination, parsed.Destination);
            Assert.Equal(expected.Port, parsed.Port);
            Assert.Equal(expected.Vni, parsed.Vni);
            Assert.Equal(expected.Master, parsed.Master);
            Assert.Equal(expected.Flags, parsed.Flags.ToArray());
            Assert.Equal(expected.State, parsed.State);
        }

        [Fact]
        public void An_entry_printed_as_bridge_fdb_show_text_parses_back_to_the_same_entry()
        {
            Entries.Sample(e => AssertSame(e, IprouteTextParser.ParseFdbEntry(e.Text(), "prop")), iter: 2000, threads: 1);
        }

        [Fact]
        public void An_entry_printed_as_bridge_j_fdb_show_json_parses_back_to_the_same_entry()
        {
            Entries.Sample(e =>
            {
                ParseResult<FdbEntry> result = IprouteJsonParser.ParseFdb(e.Json(), new TextOrigin("prop"));
                Assert.Empty(result.Problems);
                AssertSame(e, result.Entries.Single());
            }, iter: 2000, threads: 1);
        }
    }
}
