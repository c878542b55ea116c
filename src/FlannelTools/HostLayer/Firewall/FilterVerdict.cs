namespace FlannelTools.HostLayer.Firewall
{
    /// <summary>What the packet filter does with a probe packet.</summary>
    internal enum PacketFate
    {
        /// <summary>Every base chain on its path let it through (for the NAT walk: no rule rewrote it).</summary>
        Accepted,
        Dropped,
        Rejected,
        /// <summary>A NAT rule rewrote it (masquerade, snat, dnat, redirect).</summary>
        Translated,
        /// <summary>A rule on its path could not be judged and its verdict would decide.</summary>
        Unknown,
    }

    /// <summary>What one base chain does with the probe, and the rule (or the policy) that decides it.</summary>
    internal sealed class ChainVerdict
    {
        /// <summary>The base chain the packet entered from its hook.</summary>
        public FirewallChain BaseChain { get; set; }

        public string Hook { get; set; }

        public PacketFate Fate { get; set; }

        /// <summary>The chain holding the deciding rule: a chain jumped to, or BaseChain itself.</summary>
        public FirewallChain DecidingChain { get; set; }

        /// <summary>The deciding rule; null when the base chain's policy decides. For Unknown, the rule that could not be judged.</summary>
        public FirewallRule Rule { get; set; }

        /// <summary>For Unknown: the condition or statement that could not be judged.</summary>
        public string Unjudged { get; set; }

        public string Reason { get; set; }

        public bool ByPolicy => Rule == null && Fate != PacketFate.Unknown;

        /// <summary>The rule as a finding names it, or the chain and its policy.</summary>
        public string DecidedBy => Rule != null ? Rule.ToString() : BaseChain + " policy " + (BaseChain.Policy ?? "accept");

        public override string ToString() => Fate + " by " + DecidedBy + ": " + Reason;
    }

    /// <summary>The packet filter's verdict on a probe: every base chain it passed, and the one that decides.</summary>
    /// <param name="Probe">The packet judged.</param>
    /// <param name="Chains">Every base chain on the probe's path, in the order the packet meets them.</param>
    /// <param name="Fate">What becomes of the packet.</param>
    /// <param name="Deciding">The first chain that drops (or rewrites, or cannot be judged); null when every chain accepts.</param>
    internal sealed record FilterVerdict(PacketProbe Probe, IReadOnlyList<ChainVerdict> Chains, PacketFate Fate, ChainVerdict Deciding)
    {
        /// <summary>Every base chain that drops or rejects the probe: each needs its own accept for the packet to pass.</summary>
        public IEnumerable<ChainVerdict> Blocking => Chains.Where(v => v.Fate == PacketFate.Dropped || v.Fate == PacketFate.Rejected);

        public override string ToString() => Fate + (Deciding != null ? " by " + Deciding.DecidedBy : string.Empty);
    }
}
