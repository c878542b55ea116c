namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>
    /// Sends a probe packet through the node's packet filter in thought, as the kernel would: every base chain of each
    /// hook on its path, in every table and every backend, by priority. An accept ends only its own base chain; a drop
    /// in any base chain wins. Each condition matches yes, no or maybe; a maybe on a rule whose verdict would decide
    /// makes the verdict Unknown, naming the rule. It never guesses a pass.
    /// </summary>
    internal sealed class FirewallEvaluator
    {
        private const int MaximumDepth = 64;

        private readonly NodeState _state;
        private readonly Func<FirewallRule, ParsedRule> _parse;
        private readonly Dictionary<FirewallRule, ParsedRule> _parsed = new Dictionary<FirewallRule, ParsedRule>();
        private readonly Dictionary<string, FirewallChain> _chains = new Dictionary<string, FirewallChain>(StringComparer.Ordinal);
        private readonly Dictionary<string, List<FirewallRule>> _rules = new Dictionary<string, List<FirewallRule>>(StringComparer.Ordinal);

        public FirewallEvaluator(NodeState state, Func<FirewallRule, ParsedRule> parse = null)
        {
            _state = state ?? throw new ArgumentNullException(nameof(state));
            _parse = parse ?? FirewallRuleParser.Parse;
            foreach (FirewallChain chain in state.FirewallChains ?? Enumerable.Empty<FirewallChain>())
            {
                _chains[Key(chain.Backend, chain.Family, chain.Table, chain.Name)] = chain;
            }
            foreach (IGrouping<string, FirewallRule> rules in (state.FirewallRules ?? Enumerable.Empty<FirewallRule>()).GroupBy(r => Key(r.Backend, r.Family, r.Table, r.Chain)))
            {
                _rules[rules.Key] = rules.OrderBy(r => r.Position).ToList();
            }
        }

        /// <summary>Whether any backend was read: without chains there is nothing to judge.</summary>
        public bool HasRuleset => _state.FirewallChains != null;

        /// <summary>What the filter (filter, route and netdev chains) does with the probe on every hook of its path.</summary>
        public FilterVerdict Filter(PacketProbe probe)
        {
            List<ChainVerdict> chains = Walk(probe, nat: false);
            ChainVerdict blocking = chains.FirstOrDefault(v => v.Fate == PacketFate.Dropped || v.Fate == PacketFate.Rejected);
            ChainVerdict unknown = chains.FirstOrDefault(v => v.Fate == PacketFate.Unknown);
            ChainVerdict deciding = blocking ?? unknown;
            return new FilterVerdict(probe, chains, deciding?.Fate ?? PacketFate.Accepted, deciding);
        }

        /// <summary>Whether a NAT chain on the probe's path rewrites it: Translated naming the rule, Accepted when none does.</summary>
        public FilterVerdict Translation(PacketProbe probe)
        {
            List<ChainVerdict> chains = Walk(probe, nat: true);
            ChainVerdict deciding = chains.FirstOrDefault(v => v.Fate == PacketFate.Translated) ?? chains.FirstOrDefault(v => v.Fate == PacketFate.Unknown);
            return new FilterVerdict(probe, chains, deciding?.Fate ?? PacketFate.Accepted, deciding);
        }

        /// <summary>Whether a chain (a regular one, such as FLANNEL-FWD) surely accepts the probe when jumped to from a chain on the hook.</summary>
        public bool SurelyAccepts(FirewallChain chain, PacketProbe probe, string hook)
        {
            var walk = new ChainWalk(this, probe, hook);
            List<Exit> exits = walk.Run(chain, 0, probe.Mark, 0);
            return exits.Count > 0 && exits.All(e => e.Kind == ExitKind.Accept);
        }

        /// <summary>The base chains a probe meets on one hook, by priority. The nftables copy of a table iptables-nft-save read is left out: that table is judged once, from iptables-nft-save's exact text.</summary>
        public IEnumerable<FirewallChain> BaseChains(PacketProbe probe, string hook, bool nat) =>
            (_state.FirewallChains ?? Enumerable.Empty<FirewallChain>())
                .Where(c => c.IsBaseChain && string.Equals(c.Hook, hook, StringComparison.OrdinalIgnoreCase) && IsNat(c) == nat &&
                            FamilySees(c, probe) && !IsIptablesNftCopy(c))
                .OrderBy(c => c.Priority ?? 0).ThenBy(c => BackendOrder(c.Backend)).ThenBy(c => c.Family, StringComparer.Ordinal)
                .ThenBy(c => c.Table, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal);

        /// <summary>The nftables view of a table that iptables-nft also wrote (<c>ip filter</c>, <c>ip6 nat</c>…), when iptables-nft-save was read.</summary>
        public bool IsIptablesNftCopy(FirewallChain chain) =>
            chain.Backend == FirewallBackend.Nftables && _state.FirewallBackends != null && _state.FirewallBackends.Contains(FirewallBackend.IptablesNft) &&
            _state.FirewallChains.Any(c => c.Backend == FirewallBackend.IptablesNft && c.Family == chain.Family && c.Table == chain.Table);

        public IReadOnlyList<FirewallRule> RulesOf(FirewallChain chain) =>
            _rules.TryGetValue(Key(chain.Backend, chain.Family, chain.Table, chain.Name), out List<FirewallRule> rules) ? rules : (IReadOnlyList<FirewallRule>)new FirewallRule[0];

        public FirewallChain FindChain(string backend, string family, string table, string name) =>
            _chains.TryGetValue(Key(backend, family, table, name), out FirewallChain chain) ? chain : null;

        public ParsedRule ParsedRuleOf(FirewallRule rule)
        {
            if (!_parsed.TryGetValue(rule, out ParsedRule parsed))
            {
                parsed = _parse(rule) ?? new ParsedRule { Text = rule.Text, Unjudgeable = "the rule could not be read" };
                _parsed[rule] = parsed;
            }
            return parsed;
        }

        /// <summary>A NAT base chain rewrites addresses and does not filter; iptables' nat table is one whatever the parser calls its chains.</summary>
        public static bool IsNat(FirewallChain chain) =>
            string.Equals(chain.Type, "nat", StringComparison.OrdinalIgnoreCase) ||
            (chain.Backend != FirewallBackend.Nftables && string.Equals(chain.Table, "nat", StringComparison.Ordinal));

        /// <summary>
        /// The new mark after a MARK target or <c>meta mark set</c> (null when the operation cannot be read):
        /// iptables-save writes every MARK as <c>--set-xmark value/mask</c> (new = (old AND NOT mask) XOR value);
        /// nft as <c>meta mark set meta mark ^ 0x00004000</c>.
        /// </summary>
        public static uint? ApplyMark(string operation, uint? mark)
        {
            if (string.IsNullOrWhiteSpace(operation))
            {
                return mark;
            }
            if (mark == null)
            {
                return null;
            }
            uint old = mark.Value;
            string[] words = operation.Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            for (int i = 0; i < words.Length - 1; i++)
            {
                string word = words[i];
                string operand = words[i + 1];
                switch (word)
                {
                    case "--set-xmark":
                        return TryReadValueMask(operand, out uint value, out uint mask) ? (old & ~mask) ^ value : (uint?)null;
                    case "--set-mark":
                        return TryReadValueMask(operand, out value, out mask) ? (old & ~(mask | value)) ^ value : (uint?)null;
                    case "--xor-mark":
                    case "^":
                    case "xor":
                        return TryReadNumber(operand, out value) ? old ^ value : (uint?)null;
                    case "--or-mark":
                    case "|":
                    case "or":
                        return TryReadNumber(operand, out value) ? old | value : (uint?)null;
                    case "--and-mark":
                    case "&":
                    case "and":
                        return TryReadNumber(operand, out value) ? old & value : (uint?)null;
                }
            }
            // nft's plain assignment: "meta mark set 0x4000", "mark set 0x4000", "set mark 0x4000".
            int set = Array.IndexOf(words, "set");
            if (set >= 0 && set + 1 < words.Length && TryReadNumber(words[words.Length - 1], out uint assigned) &&
                words.Skip(set + 1).Take(words.Length - set - 2).All(w => w == "mark" || w == "meta"))
            {
                return assigned;
            }
            return null;
        }

        private List<ChainVerdict> Walk(PacketProbe probe, bool nat)
        {
            var verdicts = new List<ChainVerdict>();
            uint? mark = probe.Mark;
            foreach (string hook in probe.Path)
            {
                foreach (FirewallChain chain in BaseChains(probe, hook, nat))
                {
                    var walk = new ChainWalk(this, probe, hook);
                    List<Exit> exits = walk.Run(chain, 0, mark, 0)
                        .Select(e => e.Kind == ExitKind.Continue ? e.AsPolicy(chain) : e).ToList();
                    verdicts.Add(Summarize(chain, hook, exits, nat));
                    // A mark set here is what later chains match on, when every way through agrees on it.
                    List<uint?> marks = exits.Where(e => e.Kind == ExitKind.Accept).Select(e => e.Mark).Distinct().ToList();
                    mark = marks.Count == 1 ? marks[0] : marks.Count == 0 ? mark : null;
                }
            }
            return verdicts;
        }

        private static ChainVerdict Summarize(FirewallChain chain, string hook, List<Exit> exits, bool nat)
        {
            var verdict = new ChainVerdict { BaseChain = chain, Hook = hook };
            var kinds = new HashSet<ExitKind>(exits.Select(e => e.Kind));
            Exit first = exits.FirstOrDefault();
            if (first != null && kinds.All(k => k == ExitKind.Accept))
            {
                verdict.Fate = PacketFate.Accepted;
                verdict.DecidingChain = first.Chain;
                verdict.Rule = first.Rule;
                verdict.Reason = first.Reason;
                return verdict;
            }
            bool blocks = !nat && kinds.All(k => k == ExitKind.Drop || k == ExitKind.Reject);
            bool rewrites = nat && kinds.All(k => k == ExitKind.Translate);
            if (first != null && (blocks || rewrites))
            {
                verdict.Fate = rewrites ? PacketFate.Translated : first.Kind == ExitKind.Reject ? PacketFate.Rejected : PacketFate.Dropped;
                verdict.DecidingChain = first.Chain;
                verdict.Rule = first.Rule;
                verdict.Reason = first.Reason;
                return verdict;
            }
            Exit unjudged = exits.FirstOrDefault(e => e.Kind == ExitKind.Unknown) ?? exits.FirstOrDefault(e => e.UncertainRule != null);
            verdict.Fate = PacketFate.Unknown;
            if (unjudged == null)
            {
                // A NAT statement in a filter chain, or a drop in a NAT chain: nothing a node should hold, so nothing to guess about.
                verdict.DecidingChain = chain;
                verdict.Reason = "the chain ends in " + string.Join(" or ", kinds.Select(k => k.ToString().ToLowerInvariant())) + ", which the evaluator does not judge in a " + (nat ? "NAT" : "filter") + " chain";
                return verdict;
            }
            bool unknownExit = unjudged.Kind == ExitKind.Unknown;
            verdict.Rule = unknownExit ? unjudged.Rule : unjudged.UncertainRule;
            verdict.DecidingChain = unknownExit ? unjudged.Chain : unjudged.UncertainChain;
            verdict.Unjudged = unknownExit ? unjudged.Reason : unjudged.UncertainCondition;
            string outcomes = string.Join("; ", exits.Where(e => e.Kind != ExitKind.Unknown).Select(e => Describe(e)).Distinct());
            verdict.Reason = unknownExit
                ? unjudged.Reason + (outcomes.Length > 0 ? "; otherwise " + outcomes : string.Empty)
                : "its condition " + unjudged.UncertainCondition + " cannot be judged for this packet, and the verdict depends on it: " + outcomes;
            return verdict;
        }

        private static string Describe(Exit exit)
        {
            string what = exit.Kind == ExitKind.Translate ? "rewritten" : exit.Kind == ExitKind.Accept ? "accepted" : exit.Kind == ExitKind.Reject ? "rejected" : "dropped";
            return what + " by " + (exit.Rule != null ? exit.Rule.ToString() : exit.Chain + " policy");
        }

        private bool FamilySees(FirewallChain chain, PacketProbe probe)
        {
            switch (chain.Family)
            {
                case "inet":
                    return true;
                case "ip":
                case "ip6":
                    return chain.Family == probe.Family;
                case "netdev":
                    // An ingress chain sees what arrives on its own device, before the IP stack.
                    return probe.InInterface != null && chain.Device == probe.InInterface;
                default:
                    // bridge and arp tables see bridged frames and ARP, not the routed packets flannel's traffic is.
                    return false;
            }
        }

        private static int BackendOrder(string backend) =>
            backend == FirewallBackend.IptablesLegacy ? 0 : backend == FirewallBackend.IptablesNft ? 1 : 2;

        private static string Key(string backend, string family, string table, string chain) => backend + "\u0001" + family + "\u0001" + table + "\u0001" + chain;

        private static bool TryReadValueMask(string text, out uint value, out uint mask)
        {
            mask = uint.MaxValue;
            int slash = text.IndexOf('/');
            if (slash < 0)
            {
                return TryReadNumber(text, out value);
            }
            return TryReadNumber(text.Substring(0, slash), out value) & TryReadNumber(text.Substring(slash + 1), out mask);
        }

        internal static bool TryReadNumber(string text, out uint value)
        {
            value = 0;
            if (string.IsNullOrEmpty(text))
            {
                return false;
            }
            text = text.Trim().TrimEnd(',', ';');
            return text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                ? uint.TryParse(text.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value)
                : uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }

        private enum ExitKind
        {
            Accept,
            Drop,
            Reject,
            Translate,
            /// <summary>Falls off the end of the chain, or returns: the caller goes on (a base chain: its policy).</summary>
            Continue,
            Unknown,
        }

        /// <summary>One way out of a chain, with the rule that takes it and the first condition on the way that could not be judged.</summary>
        private sealed class Exit
        {
            public ExitKind Kind;
            public FirewallChain Chain;
            public FirewallRule Rule;
            public string Reason;
            public uint? Mark;
            public FirewallRule UncertainRule;
            public FirewallChain UncertainChain;
            public string UncertainCondition;

            public Exit With(uint? mark) => new Exit
            {
                Kind = Kind, Chain = Chain, Rule = Rule, Reason = Reason, Mark = mark,
                UncertainRule = UncertainRule, UncertainChain = UncertainChain, UncertainCondition = UncertainCondition,
            };

            public Exit AsPolicy(FirewallChain baseChain)
            {
                bool drops = string.Equals(baseChain.Policy, "drop", StringComparison.OrdinalIgnoreCase);
                Exit exit = With(Mark);
                exit.Kind = drops ? ExitKind.Drop : ExitKind.Accept;
                exit.Chain = baseChain;
                exit.Rule = null;
                exit.Reason = "no rule of " + baseChain.Name + " decides, so its policy " + (baseChain.Policy ?? "accept").ToLowerInvariant() + " does";
                return exit;
            }
        }

        /// <summary>One walk of a base chain (and what it jumps to) for one probe on one hook.</summary>
        private sealed class ChainWalk
        {
            private readonly FirewallEvaluator _evaluator;
            private readonly PacketProbe _probe;
            private readonly string _hook;
            private readonly RuleConditions _conditions;
            private readonly Dictionary<string, List<Exit>> _done = new Dictionary<string, List<Exit>>(StringComparer.Ordinal);

            public ChainWalk(FirewallEvaluator evaluator, PacketProbe probe, string hook)
            {
                _evaluator = evaluator;
                _probe = probe;
                _hook = hook;
                _conditions = new RuleConditions(evaluator._state, probe, hook);
            }

            /// <summary>The ways out of the chain from the rule at index on, for a packet carrying mark.</summary>
            public List<Exit> Run(FirewallChain chain, int index, uint? mark, int depth)
            {
                string key = chain.Backend + "\u0001" + chain.Family + "\u0001" + chain.Table + "\u0001" + chain.Name + "\u0001" +
                             index.ToString(CultureInfo.InvariantCulture) + "\u0001" + (mark?.ToString(CultureInfo.InvariantCulture) ?? "?");
                if (_done.TryGetValue(key, out List<Exit> known))
                {
                    return known;
                }
                List<Exit> exits = Evaluate(chain, index, mark, depth);
                _done[key] = exits;
                return exits;
            }

            private List<Exit> Evaluate(FirewallChain chain, int index, uint? mark, int depth)
            {
                IReadOnlyList<FirewallRule> rules = _evaluator.RulesOf(chain);
                if (index >= rules.Count)
                {
                    return new List<Exit> { new Exit { Kind = ExitKind.Continue, Chain = chain, Mark = mark, Reason = "the end of " + chain.Name } };
                }
                if (depth > MaximumDepth)
                {
                    return One(ExitKind.Unknown, chain, rules[index], mark, "jumps nest deeper than " + MaximumDepth + " chains (a loop?)");
                }
                FirewallRule rule = rules[index];
                ParsedRule parsed = _evaluator.ParsedRuleOf(rule);
                Tri match = Tri.Yes;
                RuleMatch uncertain = null;
                foreach (RuleMatch condition in parsed.Matches)
                {
                    Tri one = _conditions.Match(condition, rule, mark);
                    if (one == Tri.No)
                    {
                        match = Tri.No;
                        break;
                    }
                    if (one == Tri.Maybe && match == Tri.Yes)
                    {
                        match = Tri.Maybe;
                        uncertain = condition;
                    }
                }
                Func<uint?, List<Exit>> rest = m => Run(chain, index + 1, m, depth);
                if (match == Tri.No)
                {
                    return rest(mark);
                }
                List<Exit> matched = parsed.Unjudgeable != null
                    ? One(ExitKind.Unknown, chain, rule, mark, "it holds what the evaluator cannot judge (" + parsed.Unjudgeable + ")")
                    : Act(chain, rule, parsed, ApplyMark(parsed.MarkOperation, mark), rest, depth);
                if (match == Tri.Yes)
                {
                    return matched;
                }
                return Either(matched, rest(mark), rule, chain, uncertain.ToString());
            }

            private List<Exit> Act(FirewallChain chain, FirewallRule rule, ParsedRule parsed, uint? mark, Func<uint?, List<Exit>> rest, int depth)
            {
                if (parsed.MapField != null || parsed.MapSetName != null)
                {
                    return Dispatch(chain, rule, parsed, mark, rest, depth);
                }
                return Verdict(chain, rule, parsed.Action, parsed.TargetChain, mark, rest, depth);
            }

            private List<Exit> Verdict(FirewallChain chain, FirewallRule rule, RuleAction action, string target, uint? mark, Func<uint?, List<Exit>> rest, int depth)
            {
                switch (action)
                {
                    case RuleAction.Continue:
                        return rest(mark);
                    case RuleAction.Accept:
                        return One(ExitKind.Accept, chain, rule, mark, "accepted");
                    case RuleAction.Drop:
                        return One(ExitKind.Drop, chain, rule, mark, "dropped");
                    case RuleAction.Reject:
                        return One(ExitKind.Reject, chain, rule, mark, "rejected");
                    case RuleAction.Return:
                        return One(ExitKind.Continue, chain, rule, mark, "returned");
                    case RuleAction.Masquerade:
                    case RuleAction.Snat:
                    case RuleAction.Dnat:
                    case RuleAction.Redirect:
                        return One(ExitKind.Translate, chain, rule, mark, action.ToString().ToLowerInvariant());
                    case RuleAction.Jump:
                    case RuleAction.Goto:
                        FirewallChain next = target == null ? null : _evaluator.FindChain(chain.Backend, chain.Family, chain.Table, target);
                        if (next == null)
                        {
                            return One(ExitKind.Unknown, chain, rule, mark, "it jumps to chain " + (target ?? "(none)") + ", which was not read");
                        }
                        List<Exit> inner = Run(next, 0, mark, depth + 1);
                        if (action == RuleAction.Goto)
                        {
                            // A goto's return goes back to the caller of this chain, not to the rule after the goto.
                            return inner;
                        }
                        var exits = new List<Exit>();
                        foreach (Exit exit in inner)
                        {
                            Add(exits, exit.Kind == ExitKind.Continue ? rest(exit.Mark).Select(e => e.UncertainRule == null && exit.UncertainRule != null ? Inherit(e, exit) : e) : new[] { exit });
                        }
                        return exits;
                    default:
                        return One(ExitKind.Unknown, chain, rule, mark, "its action " + rule.Text + " is one the evaluator cannot judge");
                }
            }

            /// <summary>A verdict map: the entry whose key matches decides; entries that may match each add their way out; no entry matching goes on.</summary>
            private List<Exit> Dispatch(FirewallChain chain, FirewallRule rule, ParsedRule parsed, uint? mark, Func<uint?, List<Exit>> rest, int depth)
            {
                IReadOnlyList<VerdictMapEntry> entries = parsed.MapEntries;
                if (parsed.MapSetName != null)
                {
                    FirewallSet map = _conditions.FindSet(rule, parsed.MapSetName);
                    if (map == null)
                    {
                        return One(ExitKind.Unknown, chain, rule, mark, "its verdict map @" + parsed.MapSetName + " was not read");
                    }
                    entries = map.Elements.Select(ReadMapElement).ToList();
                    if (entries.Any(e => e == null))
                    {
                        return One(ExitKind.Unknown, chain, rule, mark, "an element of its verdict map @" + parsed.MapSetName + " cannot be read");
                    }
                }
                if (parsed.MapField == null)
                {
                    return One(ExitKind.Unknown, chain, rule, mark, "its verdict map's key is one the evaluator cannot judge");
                }
                var mayTake = new List<KeyValuePair<string, List<Exit>>>();
                List<Exit> taken = null;
                foreach (VerdictMapEntry entry in entries)
                {
                    Tri match = _conditions.Match(new RuleMatch(parsed.MapField.Value, entry.Keys), rule, mark);
                    if (match == Tri.No)
                    {
                        continue;
                    }
                    List<Exit> exits = Verdict(chain, rule, entry.Action, entry.TargetChain, mark, rest, depth);
                    if (match == Tri.Yes)
                    {
                        taken = exits;
                        break;
                    }
                    mayTake.Add(new KeyValuePair<string, List<Exit>>(parsed.MapField + " " + string.Join(",", entry.Keys), exits));
                }
                List<Exit> result = taken ?? rest(mark);
                for (int i = mayTake.Count - 1; i >= 0; i--)
                {
                    result = Either(mayTake[i].Value, result, rule, chain, mayTake[i].Key);
                }
                return result;
            }

            private static VerdictMapEntry ReadMapElement(string element)
            {
                int colon = element.LastIndexOf(" : ", StringComparison.Ordinal);
                if (colon < 0)
                {
                    return null;
                }
                string key = element.Substring(0, colon).Trim();
                string[] verdict = element.Substring(colon + 3).Trim().Split(new[] { ' ' }, StringSplitOptions.RemoveEmptyEntries);
                if (verdict.Length == 0)
                {
                    return null;
                }
                RuleAction action;
                switch (verdict[0])
                {
                    case "accept":
                        action = RuleAction.Accept;
                        break;
                    case "drop":
                        action = RuleAction.Drop;
                        break;
                    case "reject":
                        action = RuleAction.Reject;
                        break;
                    case "return":
                        action = RuleAction.Return;
                        break;
                    case "continue":
                        action = RuleAction.Continue;
                        break;
                    case "jump":
                        action = RuleAction.Jump;
                        break;
                    case "goto":
                        action = RuleAction.Goto;
                        break;
                    default:
                        return null;
                }
                return new VerdictMapEntry(new[] { key }, action, verdict.Length > 1 ? verdict[1] : null);
            }

            private static List<Exit> One(ExitKind kind, FirewallChain chain, FirewallRule rule, uint? mark, string reason) =>
                new List<Exit> { new Exit { Kind = kind, Chain = chain, Rule = rule, Mark = mark, Reason = kind == ExitKind.Unknown ? rule + ": " + reason : reason + " by " + rule } };

            /// <summary>Both ways out are possible; when they differ, each way untold so far is marked as hanging on this rule's condition.</summary>
            private static List<Exit> Either(List<Exit> matched, List<Exit> unmatched, FirewallRule rule, FirewallChain chain, string condition)
            {
                List<Exit> all = Concat(matched, unmatched);
                if (all.Select(e => e.Kind).Distinct().Count() <= 1)
                {
                    return all;
                }
                return all.Select(e =>
                {
                    if (e.UncertainRule != null)
                    {
                        return e;
                    }
                    Exit tagged = e.With(e.Mark);
                    tagged.UncertainRule = rule;
                    tagged.UncertainChain = chain;
                    tagged.UncertainCondition = condition;
                    return tagged;
                }).ToList();
            }

            private static Exit Inherit(Exit exit, Exit from)
            {
                Exit tagged = exit.With(exit.Mark);
                tagged.UncertainRule = from.UncertainRule;
                tagged.UncertainChain = from.UncertainChain;
                tagged.UncertainCondition = from.UncertainCondition;
                return tagged;
            }

            private static List<Exit> Concat(List<Exit> first, IEnumerable<Exit> second)
            {
                var all = new List<Exit>(first);
                Add(all, second);
                return all;
            }

            private static void Add(List<Exit> into, IEnumerable<Exit> exits)
            {
                foreach (Exit exit in exits)
                {
                    if (!into.Any(e => e.Kind == exit.Kind && e.Mark == exit.Mark))
                    {
                        into.Add(exit);
                    }
                }
            }
        }
    }
}
