using System.Linq;
using FlannelTools.HostLayer.Kernel;
using FlannelTools.NodeTables;
using Xunit;

namespace FlannelTools.Tests.HostLayer
{
    /// <summary>SysctlParser on what sysctl printed in hlkern-a (make.sh: ip_forward=1, va rp_filter 1, flannel.1 rp_filter 2).</summary>
    public class KernelSysctlTests
    {
        [Fact]
        public void Sysctl_a_gives_forwarding_and_each_devices_rp_filter_with_the_vteps_dot_as_a_slash()
        {
            ParseResult<Sysctl> r = SysctlParser.Parse(KernelData.Lines("sysctl-a-filtered.txt"), KernelData.Origin("sysctl-a"), 1);
            Assert.Empty(r.Problems);
            Assert.Equal("1", r.Entries.Single(s => s.Name == "net.ipv4.ip_forward").Value);
            Assert.Equal("2", r.Entries.Single(s => s.Name == "net.ipv4.conf.flannel/1.rp_filter").Value);
            Assert.Equal("1", r.Entries.Single(s => s.Name == "net.ipv4.conf.va.rp_filter").Value);
            Assert.Equal("0", r.Entries.Single(s => s.Name == "net.ipv4.conf.all.rp_filter").Value);
        }

        [Fact]
        public void A_tab_separated_port_range_is_kept_as_two_words_with_one_space()
        {
            ParseResult<Sysctl> r = SysctlParser.Parse(KernelData.Lines("sysctl-a-filtered.txt"), KernelData.Origin("sysctl-a"), 1);
            Assert.Equal("32768 60999", r.Entries.Single(s => s.Name == "net.ipv4.ip_local_port_range").Value);
        }

        [Fact]
        public void A_key_sysctl_could_not_stat_is_a_problem_naming_the_key_and_the_other_keys_are_read()
        {
            ParseResult<Sysctl> r = SysctlParser.Parse(KernelData.Lines("sysctl-keys.txt"), KernelData.Origin("sysctl-keys"), 1);
            Assert.Equal(new[] { "net.ipv4.conf.flannel/1.rp_filter = 2", "net.ipv4.ip_local_port_range = 32768 60999" }, r.Entries.Select(s => s.ToString()));
            ParseProblem p = Assert.Single(r.Problems);
            Assert.Equal(3, p.LineNumber);
            Assert.Contains("net.ipv4.conf.nosuch.rp_filter", p.Message);
            Assert.Contains("No such file or directory", p.Message);
        }

        [Fact]
        public void Each_setting_says_the_line_it_came_from()
        {
            ParseResult<Sysctl> r = SysctlParser.Parse(KernelData.Lines("sysctl-keys.txt"), KernelData.Origin("node1.state"), 40);
            Assert.Equal(new[] { "node1.state:40", "node1.state:41" }, r.Entries.Select(s => s.Source));
        }

        [Fact]
        public void Lines_that_are_not_settings_are_problems_with_their_numbers_and_the_settings_around_them_are_read()
        {
            ParseResult<Sysctl> r = SysctlParser.Parse(KernelData.Typed(
                "net.ipv4.ip_forward = 1",
                "net.ipv4.conf.all.rp_filter",
                "",
                "= 1",
                "sysctl: permission denied on key 'net.ipv4.conf.all.rp_filter'",
                "net.ipv6.conf.all.stable_secret = ",
                "bridge.cni0.nf_call_iptables = 1"), new TextOrigin("typed"), 1);
            Assert.Equal(new[] { "net.ipv4.ip_forward", "net.ipv6.conf.all.stable_secret", "bridge.cni0.nf_call_iptables" }, r.Entries.Select(s => s.Name));
            Assert.Equal("", r.Entries[1].Value);
            Assert.Equal(new[] { 2, 4, 5 }, r.Problems.Select(p => p.LineNumber));
            Assert.Contains("net.ipv4.conf.all.rp_filter", r.Problems[2].Message);
            Assert.Equal("typed", r.Problems[0].Origin);
            Assert.Equal("net.ipv4.conf.all.rp_filter", r.Problems[0].Line);
        }
    }
}
