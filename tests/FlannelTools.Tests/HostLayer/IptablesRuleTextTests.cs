using System.Linq;
using FlannelTools.HostLayer.Firewall;
using Xunit;

namespace FlannelTools.Tests.HostLayer
{
    public class IptablesRuleTextTests
    {
        private static string Conditions(ParsedRule rule) =>
            string.Join(" & ", rule.Matches.Select(m =>
                m.Field == RuleField.Other ? "Other(" + m.Text + ")" : m.Field + (m.Negated ? " != " : " = ") + (m.SetName != null ? "@" + m.SetName : string.Join(",", m.Values))));

        [Theory]
        [InlineData("-A INPUT -p udp -m udp --dport 8472 -j DROP", "L4Proto = udp & DestinationPort = 8472", "Drop")]
        [InlineData("-A INPUT -s 192.168.50.13/32 ! -p tcp -j ACCEPT", "SourceAddress = 192.168.50.13 & L4Proto != tcp", "Accept")]
        [InlineData("-A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment \"flanneld masq\" -j RETURN", "SourceAddress != 10.244.0.0/16 & DestinationAddress = 10.244.1.0/24", "Return")]
        [InlineData("-A INPUT -s fd00::13/128 -p ipv6-icmp -j ACCEPT", "SourceAddress = fd00::13 & L4Proto = ipv6-icmp", "Accept")]
        [InlineData("-A FORWARD -i cni+ ! -o cni0 -j ACCEPT", "InInterface = cni+ & OutInterface != cni0", "Accept")]
        [InlineData("-A INPUT -p tcp -m tcp --dport 1000:2000 -j REJECT --reject-with tcp-reset", "L4Proto = tcp & DestinationPort = 1000-2000", "Reject")]
        [InlineData("-A ufw-before-input -p udp -m udp --sport 67 --dport 68 -j ACCEPT", "L4Proto = udp & SourcePort = 67 & DestinationPort = 68", "Accept")]
        [InlineData("-A INPUT -p udp -m multiport --sports 53,123:124 -j ACCEPT", "L4Proto = udp & SourcePort = 53,123-124", "Accept")]
        [InlineData("-A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT", "L4Proto = tcp & DestinationPort = 80,443", "Accept")]
        [InlineData("-A INPUT -p tcp -m multiport --ports 6443,10250 -j ACCEPT", "L4Proto = tcp & Other(-m multiport --ports 6443,10250)", "Accept")]
        [InlineData("-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP", "CtState = invalid", "Drop")]
        [InlineData("-A INPUT -m conntrack ! --ctstate NEW,RELATED -j RETURN", "CtState != new,related", "Return")]
        [InlineData("-A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT", "CtState = related,established", "Accept")]
        [InlineData("-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN", "Mark != 0x4000/0x4000", "Return")]
        [InlineData("-A INPUT -m mark --mark 0x1 -j ACCEPT", "Mark = 0x1/0xffffffff", "Accept")]
        [InlineData("-A INPUT -m addrtype --src-type LOCAL --dst-type UNICAST -j ACCEPT", "SourceAddressType = local & DestinationAddressType = unicast", "Accept")]
        [InlineData("-A INPUT -m set --match-set KUBE-NODE-PORT-UDP dst -j ACCEPT", "DestinationAddress = @KUBE-NODE-PORT-UDP", "Accept")]
        [InlineData("-A INPUT -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT", "Other(-m set --match-set KUBE-CLUSTER-IP dst,dst)", "Accept")]
        [InlineData("-A INPUT -m pkttype --pkt-type broadcast -j DROP", "PacketType = broadcast", "Drop")]
        [InlineData("-A INPUT -m physdev --physdev-in veth0 --physdev-is-bridged -j ACCEPT", "Other(-m physdev --physdev-in veth0 --physdev-is-bridged)", "Accept")]
        [InlineData("-A INPUT -p tcp -m socket --transparent -j ACCEPT", "L4Proto = tcp & Other(-m socket --transparent)", "Accept")]
        [InlineData("-A INPUT -m limit --limit 5/sec -j LOG --log-prefix \"flannel drop: \" --log-level 6", "Other(-m limit --limit 5/sec)", "Continue")]
        [InlineData("-A FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu", "L4Proto = tcp & Other(-m tcp --tcp-flags SYN,RST SYN)", "Continue")]
        [InlineData("-A FORWARD -m comment --comment \"flanneld forward\" -j FLANNEL-FWD", "", "Jump")]
        [InlineData("-A FORWARD -s 0.0.0.0/0 -p all -j ACCEPT", "", "Accept")]
        [InlineData("-A INPUT -f -j DROP", "Other(-f)", "Drop")]
        public void A_rule_reads_to_its_conditions_and_action(string text, string conditions, string action)
        {
            ParsedRule rule = IptablesRuleText.Parse(text);

            Assert.Equal(conditions, Conditions(rule));
            Assert.Equal(action, rule.Action.ToString());
            Assert.Equal(text, rule.Text);
        }

        [Theory]
        [InlineData("-A KUBE-POSTROUTING -j MASQUERADE --random-fully", "Masquerade", "--random-fully")]
        [InlineData("-A POSTROUTING -o eth0 -p tcp -j MASQUERADE --to-ports 20000-30000", "Masquerade", "--to-ports 20000-30000")]
        [InlineData("-A INPUT -j REJECT --reject-with icmp-host-prohibited", "Reject", "--reject-with icmp-host-prohibited")]
        [InlineData("-A POSTROUTING -s 10.244.0.0/16 -o eth0 -j SNAT --to-source 192.168.50.12", "Snat", "--to-source 192.168.50.12")]
        [InlineData("-A KUBE-SEP-X -p udp -m udp -j DNAT --to-destination 10.244.1.2:53", "Dnat", "--to-destination 10.244.1.2:53")]
        [InlineData("-A PREROUTING -p tcp -m tcp --dport 8080 -j REDIRECT --to-ports 80", "Redirect", "--to-ports 80")]
        public void A_nat_or_reject_target_keeps_its_options(string text, string action, string options)
        {
            ParsedRule rule = IptablesRuleText.Parse(text);

            Assert.Equal(action, rule.Action.ToString());
            Assert.Equal(options, rule.ActionOptions);
            Assert.Null(rule.Unjudgeable);
        }

        [Theory]
        [InlineData("-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000", "--xor-mark 0x4000")]
        [InlineData("-A KUBE-POSTROUTING -j MARK --set-xmark 0x4000/0x0", "--set-xmark 0x4000/0x0")]
        [InlineData("-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000", "--or-mark 0x4000")]
        [InlineData("-A PREROUTING -p udp -j MARK --and-mark 0xffff", "--and-mark 0xffff")]
        [InlineData("-A PREROUTING -j MARK --set-mark 0x1", "--set-mark 0x1")]
        public void A_mark_target_records_its_operation_and_goes_on(string text, string operation)
        {
            ParsedRule rule = IptablesRuleText.Parse(text);

            Assert.Equal(RuleAction.Continue, rule.Action);
            Assert.Equal(operation, rule.MarkOperation);
        }

        [Theory]
        [InlineData("-A INPUT -j LOG --log-prefix \"x \"")]
        [InlineData("-A INPUT -j NFLOG --nflog-group 2")]
        [InlineData("-A PREROUTING -p udp -m udp --dport 8472 -j CT --notrack")]
        [InlineData("-A PREROUTING -j NOTRACK")]
        [InlineData("-A OUTPUT -p icmp -j TRACE")]
        [InlineData("-A PREROUTING -j CONNMARK --restore-mark --nfmask 0xffffffff --ctmask 0xffffffff")]
        [InlineData("-A POSTROUTING -p udp -m udp --dport 68 -j CHECKSUM --checksum-fill")]
        [InlineData("-A INPUT -p udp -m udp --dport 8472")]
        public void A_target_without_a_verdict_or_no_target_goes_on_to_the_next_rule(string text)
        {
            ParsedRule rule = IptablesRuleText.Parse(text);

            Assert.Equal(RuleAction.Continue, rule.Action);
            Assert.Null(rule.Unjudgeable);
        }

        [Fact]
        public void A_goto_names_its_chain()
        {
            ParsedRule rule = IptablesRuleText.Parse("-A FORWARD -g FLANNEL-FWD");

            Assert.Equal((RuleAction.Goto, "FLANNEL-FWD"), (rule.Action, rule.TargetChain));
        }

        [Fact]
        public void A_jump_to_a_user_chain_names_it()
        {
            ParsedRule rule = IptablesRuleText.Parse("-A FORWARD -m comment --comment \"kubernetes forwarding rules\" -j KUBE-FORWARD");

            Assert.Equal((RuleAction.Jump, "KUBE-FORWARD"), (rule.Action, rule.TargetChain));
        }

        [Theory]
        [InlineData("-A INPUT -p udp -m udp --dport 8472 -j NFQUEUE --queue-num 1", "NFQUEUE")]
        [InlineData("-A INPUT -j QUEUE", "QUEUE")]
        [InlineData("-A PREROUTING -p tcp -j TPROXY --on-port 8080", "TPROXY")]
        public void An_unknown_target_is_unknown_and_says_which(string text, string target)
        {
            ParsedRule rule = IptablesRuleText.Parse(text);

            Assert.Equal(RuleAction.Unknown, rule.Action);
            Assert.Contains(target, rule.Unjudgeable);
        }

        [Fact]
        public void A_quoted_comment_is_one_word_and_adds_no_condition()
        {
            ParsedRule rule = IptablesRuleText.Parse("-A KUBE-FORWARD -m comment --comment \"kubernetes forwarding conntrack rule\" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT");

            Assert.Equal("CtState = related,established", Conditions(rule));
            Assert.Equal(RuleAction.Accept, rule.Action);
        }

        [Fact]
        public void An_unreadable_match_left_by_the_listing_reader_is_a_condition_the_evaluator_cannot_judge()
        {
            ParsedRule rule = IptablesRuleText.Parse("-A INPUT -m unread --text \"foo bar\" -j ACCEPT");

            Assert.Equal(RuleField.Other, rule.Matches.Single().Field);
            Assert.Equal(RuleAction.Accept, rule.Action);
        }

        [Theory]
        [InlineData("-A INPUT -m comment --comment \"flanneld forw")]
        [InlineData("-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d")]
        [InlineData("-A INPUT -p udp -m udp --dport")]
        [InlineData("-P INPUT ACCEPT")]
        public void A_cut_or_foreign_line_is_a_problem(string text)
        {
            Assert.NotNull(IptablesRuleText.ProblemOf(text));
        }

        [Fact]
        public void A_whole_rule_is_no_problem()
        {
            Assert.Null(IptablesRuleText.ProblemOf("-A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment \"flanneld masq\" -j MASQUERADE --random-fully"));
        }
    }
}
