namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>What a rule's match looks at; the same words for nft and iptables rules, so one evaluator judges both.</summary>
    internal enum RuleField
    {
        /// <summary>nft <c>meta nfproto ipv4</c> in an inet table.</summary>
        NetworkFamily,
        /// <summary>nft <c>meta l4proto udp</c>, <c>ip protocol udp</c>, a bare <c>udp dport</c>; iptables <c>-p udp</c>.</summary>
        L4Proto,
        SourceAddress,
        DestinationAddress,
        SourcePort,
        DestinationPort,
        /// <summary>nft <c>iifname</c>/<c>iif</c>; iptables <c>-i</c> (a trailing <c>+</c> or <c>*</c> is a prefix wildcard).</summary>
        InInterface,
        OutInterface,
        /// <summary>nft <c>ct state</c>; iptables <c>-m conntrack --ctstate</c> and <c>-m state --state</c>. Values in lower case: new, established, related, invalid, untracked.</summary>
        CtState,
        /// <summary>nft <c>ct status dnat</c>; iptables <c>-m conntrack --ctstatus DNAT</c>. Values in lower case: dnat, snat, confirmed, …</summary>
        CtStatus,
        /// <summary><c>meta mark</c> / <c>-m mark --mark</c>; Values hold <c>value/mask</c> as hex.</summary>
        Mark,
        /// <summary>nft <c>fib daddr type local</c>; iptables <c>-m addrtype --dst-type LOCAL</c>. Values: local, unicast, broadcast, multicast.</summary>
        DestinationAddressType,
        SourceAddressType,
        /// <summary>
        /// nft's reverse-path lookup <c>fib saddr [. mark] [. iif] oif missing</c> (firewalld's IPv6 rpfilter; iptables
        /// <c>-m rpfilter</c>): Values hold <c>missing</c> or <c>exists</c>, Text the lookup's keys. Judged from the main table.
        /// </summary>
        ReversePathRoute,
        /// <summary>nft <c>meta pkttype</c>; iptables <c>-m pkttype</c>.</summary>
        PacketType,
        /// <summary>A match the model has no word for (an xt match, a hash limit, a socket lookup): the evaluator cannot judge it.</summary>
        Other,
    }

    /// <summary>One condition of a rule. A rule matches when all its conditions do.</summary>
    internal sealed class RuleMatch
    {
        public RuleMatch(RuleField field, IReadOnlyList<string> values, bool negated = false, string setName = null, string text = null)
        {
            Field = field;
            Values = values ?? new string[0];
            Negated = negated;
            SetName = setName;
            Text = text;
        }

        public RuleField Field { get; }

        /// <summary>
        /// The values any of which matches, as the tool writes them: <c>udp</c>, <c>8472</c>, <c>1000-2000</c>,
        /// <c>10.244.0.0/16</c>, <c>10.244.1.5</c>, <c>eth0</c>, <c>veth*</c>, <c>new</c>. Empty when SetName is set.
        /// </summary>
        public IReadOnlyList<string> Values { get; }

        /// <summary><c>!=</c> in nft, <c>!</c> in iptables.</summary>
        public bool Negated { get; }

        /// <summary>A named nft set (<c>@name</c>, without the <c>@</c>) or an ipset (<c>-m set --match-set NAME</c>), whose elements the evaluator looks up.</summary>
        public string SetName { get; }

        /// <summary>The condition as written in the rule, for findings; for <see cref="RuleField.Other"/>, what the evaluator could not judge.</summary>
        public string Text { get; }

        public override string ToString() => Text ?? Field + (Negated ? " != " : " ") + (SetName != null ? "@" + SetName : string.Join(",", Values));
    }

    /// <summary>What a rule does when it matches.</summary>
    internal enum RuleAction
    {
        /// <summary>No verdict: a counter, a log, a mark, a comment; the next rule is looked at.</summary>
        Continue,
        Accept,
        Drop,
        Reject,
        Jump,
        Goto,
        Return,
        Masquerade,
        Snat,
        Dnat,
        Redirect,
        /// <summary>A verdict the model has no word for (queue, an unknown target): the evaluator cannot judge it.</summary>
        Unknown,
    }

    /// <summary>One entry of a verdict map: the keys that select it and what it does.</summary>
    internal sealed class VerdictMapEntry
    {
        public VerdictMapEntry(IReadOnlyList<string> keys, RuleAction action, string targetChain)
        {
            Keys = keys;
            Action = action;
            TargetChain = targetChain;
        }

        public IReadOnlyList<string> Keys { get; }

        public RuleAction Action { get; }

        public string TargetChain { get; }
    }

    /// <summary>
    /// A rule read into conditions and an action, from nft's syntax or an iptables-save line. An nft verdict map
    /// (<c>iifname vmap { "eth0" : jump zone_public }</c>, firewalld's dispatch) is MapField with MapEntries or MapSetName.
    /// </summary>
    internal sealed class ParsedRule
    {
        public List<RuleMatch> Matches { get; } = new List<RuleMatch>();

        public RuleAction Action { get; set; } = RuleAction.Continue;

        /// <summary>The chain of a Jump or Goto.</summary>
        public string TargetChain { get; set; }

        /// <summary>The action's options as written: <c>--random-fully</c>, <c>--reject-with icmp-host-prohibited</c>, <c>--xor-mark 0x4000</c>, <c>to 10.0.0.1</c>.</summary>
        public string ActionOptions { get; set; }

        /// <summary>A MARK target or <c>meta mark set</c>: the mark operation (<c>--xor-mark 0x4000</c>, <c>--set-xmark 0x4000/0x4000</c>, <c>set mark or 0x4000</c>); the rule still continues.</summary>
        public string MarkOperation { get; set; }

        /// <summary>The field a verdict map is keyed on; null when the rule has no map.</summary>
        public RuleField? MapField { get; set; }

        public List<VerdictMapEntry> MapEntries { get; } = new List<VerdictMapEntry>();

        /// <summary>A named verdict map (<c>vmap @name</c>).</summary>
        public string MapSetName { get; set; }

        /// <summary>Why this rule's statements cannot be judged (an unknown statement); null when they all can.</summary>
        public string Unjudgeable { get; set; }

        public string Text { get; set; }
    }
}
