using System.Linq;
using FlannelTools.HostLayer.Kernel;
using FlannelTools.NodeTables;
using Xunit;

namespace FlannelTools.Tests.HostLayer
{
    /// <summary>
    /// XDP and tc filters as make.sh attached them: xdp_pass in generic mode on va (hlkern-a) and in driver mode on xa
    /// (hlkern-b), the bpf classifier tc_drop on flannel.1's ingress, tc_pass on va's egress, a u32 mirror on va's ingress.
    /// </summary>
    public class KernelPreStackTests
    {
        [Theory]
        [InlineData("ip-s-j-d-link-a.json")]
        [InlineData("ip-s-d-link-a.txt")]
        public void A_generic_xdp_program_on_the_underlay_is_found_with_its_name(string file)
        {
            ParseResult<PreStackProgram> r = LinkStatsParser.ParseXdp(KernelData.Lines(file), KernelData.Origin(file), 1);
            Assert.Empty(r.Problems);
            PreStackProgram xdp = Assert.Single(r.Entries);
            Assert.Equal(("va", "xdpgeneric"), (xdp.Device, xdp.Kind));
            Assert.Matches("^id [0-9]+ name xdp_pass$", xdp.Program);
        }

        [Theory]
        [InlineData("ip-s-j-d-link-b.json")]
        [InlineData("ip-s-d-link-b.txt")]
        public void A_native_xdp_program_is_in_driver_mode_in_json_and_text(string file)
        {
            ParseResult<PreStackProgram> r = LinkStatsParser.ParseXdp(KernelData.Lines(file), KernelData.Origin(file), 1);
            PreStackProgram xdp = Assert.Single(r.Entries);
            Assert.Equal(("xa", "xdpdrv"), (xdp.Device, xdp.Kind));
            Assert.EndsWith("name xdp_pass", xdp.Program);
        }

        [Fact]
        public void Json_and_text_give_the_same_program_id()
        {
            string json = Assert.Single(LinkStatsParser.ParseXdp(KernelData.Lines("ip-s-j-d-link-b.json"), KernelData.Origin("j"), 1).Entries).Program;
            string text = Assert.Single(LinkStatsParser.ParseXdp(KernelData.Lines("ip-s-d-link-b.txt"), KernelData.Origin("t"), 1).Entries).Program;
            Assert.Equal(json, text);
        }

        [Fact]
        public void Without_details_the_devices_line_alone_says_xdp_is_attached()
        {
            ParseResult<PreStackProgram> r = LinkStatsParser.ParseXdp(KernelData.Typed(
                "2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 xdpgeneric/id:42 qdisc fq_codel state UP mode DEFAULT group default qlen 1000",
                "    link/ether 52:54:00:12:34:56 brd ff:ff:ff:ff:ff:ff",
                "3: eth1: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP"), new TextOrigin("typed"), 1);
            Assert.Equal("eth0 xdpgeneric id 42", Assert.Single(r.Entries).ToString());
        }

        [Fact]
        public void An_xdp_object_without_mode_or_program_is_a_problem()
        {
            ParseResult<PreStackProgram> r = LinkStatsParser.ParseXdp(KernelData.Typed(
                "[{\"ifname\":\"eth0\",\"xdp\":{\"mode\":9}},{\"ifname\":\"eth1\",\"xdp\":{\"mode\":3,\"prog\":{\"id\":7,\"name\":\"nic_prog\"}}}]"),
                new TextOrigin("typed"), 5);
            Assert.Equal("eth1 xdpoffload id 7 name nic_prog", Assert.Single(r.Entries).ToString());
            Assert.Equal(5, Assert.Single(r.Problems).LineNumber);
        }

        [Fact]
        public void A_bpf_drop_filter_on_the_vteps_ingress_is_one_program_with_its_name()
        {
            ParseResult<PreStackProgram> r = TcFilterParser.Parse(KernelData.Lines("tc-filter-flannel.1-ingress.txt"), KernelData.Origin("tc"), 1, "flannel.1", "ingress");
            Assert.Empty(r.Problems);
            PreStackProgram filter = Assert.Single(r.Entries);
            Assert.Equal(("flannel.1", "tc ingress", "tc:2"), (filter.Device, filter.Kind, filter.Source));
            Assert.Contains("bpf", filter.Program.Split(' '));
            Assert.Contains("direct-action", filter.Program);
            Assert.Contains("name tc_drop", filter.Program);
        }

        [Fact]
        public void An_egress_filter_is_kind_tc_egress()
        {
            ParseResult<PreStackProgram> r = TcFilterParser.Parse(KernelData.Lines("tc-filter-va-egress.txt"), KernelData.Origin("tc"), 1, "va", "egress");
            PreStackProgram filter = Assert.Single(r.Entries);
            Assert.Equal(("va", "tc egress"), (filter.Device, filter.Kind));
            Assert.Contains("name tc_pass", filter.Program);
        }

        [Fact]
        public void A_u32_filter_keeps_its_match_and_action_lines_and_its_hash_table_is_no_filter()
        {
            ParseResult<PreStackProgram> r = TcFilterParser.Parse(KernelData.Lines("tc-filter-va-ingress.txt"), KernelData.Origin("tc"), 1, "va", "ingress");
            Assert.Empty(r.Problems);
            PreStackProgram filter = Assert.Single(r.Entries);
            Assert.Contains("u32", filter.Program.Split(' '));
            Assert.Contains("match c0a84d63/ffffffff at 16", filter.Program);
            Assert.Contains("mirred (Egress Mirror to device cni0)", filter.Program);
        }

        [Theory]
        [InlineData("tc-filter-flannel.1-egress-empty.txt")]
        [InlineData("tc-filter-vb-ingress-no-qdisc.txt")]
        public void No_filter_and_no_qdisc_are_no_programs_and_no_problem(string file)
        {
            ParseResult<PreStackProgram> r = TcFilterParser.Parse(KernelData.Lines(file), KernelData.Origin(file), 1, "x", "ingress");
            Assert.Empty(r.Entries);
            Assert.Empty(r.Problems);
        }

        [Fact]
        public void Lines_that_are_not_tc_filters_are_problems_and_the_filters_are_still_read()
        {
            ParseResult<PreStackProgram> r = TcFilterParser.Parse(KernelData.Typed(
                "  action order 1: gact action drop",
                "Error: Cannot find specified qdisc on specified device.",
                "filter parent ffff: protocol all pref 49152 matchall chain 0",
                "filter parent ffff: protocol all pref 49152 matchall chain 0 handle 0x1",
                "  not_in_hw",
                "\taction order 1: gact action drop"), new TextOrigin("typed"), 1, "eth0", "ingress");
            Assert.Equal(new[] { 1, 2 }, r.Problems.Select(p => p.LineNumber));
            PreStackProgram filter = Assert.Single(r.Entries);
            Assert.Equal("parent ffff: protocol all pref 49152 matchall chain 0 handle 0x1 not_in_hw action order 1: gact action drop", filter.Program);
            Assert.Equal("typed:4", filter.Source);
        }
    }
}
