using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using FlannelTools.HostLayer.Firewall;
using FlannelTools.HostLayer;

namespace FlannelTools.Tests.HostLayer
{
    /// <summary>
    /// A node's packet filter built in code: chains, rules with the ParsedRule each stands for, and sets, for tests of
    /// the evaluation rules (the rule-text readers are tested on real rulesets of their own).
    /// </summary>
    internal sealed class TestRuleset
    {
        public const string Nft = FirewallBackend.Nftables;
        public const string IptNft = FirewallBackend.IptablesNft;
        public const string Legacy = FirewallBackend.IptablesLegacy;

        public readonly List<FirewallChain> Chains = new List<FirewallChain>();
        public readonly List<FirewallRule> Rules = new List<FirewallRule>();
        public readonly List<FirewallSet> Sets = new List<FirewallSet>();
        public readonly Dictionary<FirewallRule, ParsedRule> Parsed = new Dictionary<FirewallRule, ParsedRule>();

        public FirewallChain Base(string backend, string family, string table, string name, string hook, int priority, string policy = "accept", string type = "filter")
        {
            var chain = new FirewallChain { Backend = backend, Family = family, Table = table, Name = name, Hook = hook, Priority = priority, Policy = policy, Type = type };
            Chains.Add(chain);
            return chain;
        }

        public FirewallChain Regular(FirewallChain sameTable, string name)
        {
            var chain = new FirewallChain { Backend = sameTable.Backend, Family = sameTable.Family, Table = sameTable.Table, Name = name };
            Chains.Add(chain);
            return chain;
        }

        public FirewallRule Rule(FirewallChain chain, string text, RuleAction action, string target = null, params RuleMatch[] matches) =>
            Rule(chain, text, new ParsedRule { Action = action, TargetChain = target }, matches);

        public FirewallRule Rule(FirewallChain chain, string text, ParsedRule parsed, params RuleMatch[] matches)
        {
            var rule = new FirewallRule
            {
                Backend = chain.Backend, Family = chain.Family, Table = chain.Table, Chain = chain.Name,
                Position = Rules.Count(r => r.Backend == chain.Backend && r.Family == chain.Family && r.Table == chain.Table && r.Chain == chain.Name) + 1,
                Text = text,
            };
            parsed.Text = text;
            parsed.Matches.AddRange(matches);
            Rules.Add(rule);
            Parsed[rule] = parsed;
            return rule;
        }

        public FirewallSet Set(FirewallChain sameTable, string name, string type, params string[] elements)
        {
            var set = new FirewallSet { Backend = sameTable.Backend, Family = sameTable.Family, Table = sameTable.Table, Name = name, Type = type, Elements = new TextList(elements) };
            Sets.Add(set);
            return set;
        }

        public static RuleMatch M(RuleField field, params string[] values) => new RuleMatch(field, values, text: field + " " + string.Join(",", values));

        public static RuleMatch Not(RuleField field, params string[] values) => new RuleMatch(field, values, negated: true, text: field + " != " + string.Join(",", values));

        public static RuleMatch InSet(RuleField field, string set) => new RuleMatch(field, null, setName: set, text: field + " @" + set);

        public static RuleMatch Other(string text) => new RuleMatch(RuleField.Other, null, text: text);

        /// <summary>Puts the ruleset on a state (a fresh one by default), with the backends that hold a chain as read.</summary>
        public FlannelTools.NodeState ApplyTo(FlannelTools.NodeState state = null, params string[] readParts)
        {
            state = state ?? new FlannelTools.NodeState();
            state.FirewallChains = new ReadOnlyCollection<FirewallChain>(Chains);
            state.FirewallRules = new ReadOnlyCollection<FirewallRule>(Rules);
            state.FirewallSets = new ReadOnlyCollection<FirewallSet>(Sets);
            state.FirewallBackends = new ReadOnlyCollection<string>(Chains.Select(c => c.Backend).Distinct().ToList());
            state.ReadParts = new TextList(readParts.Length > 0 ? readParts
                : new[] { HostParts.Nftables, HostParts.IptablesNft, HostParts.Ip6tablesNft, HostParts.IptablesLegacy, HostParts.Ip6tablesLegacy });
            return state;
        }

        public FirewallEvaluator Evaluator(FlannelTools.NodeState state = null) => new FirewallEvaluator(state ?? ApplyTo(), r => Parsed[r]);

        /// <summary>A VXLAN packet from node2 to node1 of the walkthrough's lab, as it reaches node1's input hook.</summary>
        public static PacketProbe Vxlan(string sourceAddress = "192.168.0.13", string inInterface = "eth0") => new PacketProbe
        {
            Family = "ip", L4Proto = "udp", SourceAddress = sourceAddress, DestinationAddress = "192.168.0.12", DestinationPort = 8472,
            InInterface = inInterface, DestinationAddressType = "local", Path = PacketProbe.ReceivedPath,
        };
    }
}
