using System.Collections.Generic;
using System.Linq;

namespace FlannelTools.Diagnosis
{
    /// <summary>Runs every check: the cluster's announcements, the node's VTEP, each other node's path, and leftovers.</summary>
    public static class NodeDiagnosis
    {
        /// <summary>Every finding, passed checks (Information) included; the caller filters.</summary>
        public static IReadOnlyList<Finding> Run(DiagnosisContext c)
        {
            var findings = new List<Finding>();
            findings.AddRange(ClusterChecks.PublicAddressUnique(c));
            findings.AddRange(ClusterChecks.VtepMacAnnounced(c));
            findings.AddRange(ClusterChecks.PodCidrOverlap(c));
            findings.AddRange(ClusterChecks.VniConsistent(c));
            if (!DiagnosisContext.IsVxlan(c.LocalNode) && c.State.Vtep == null && c.State.VtepV6 == null)
            {
                findings.Add(c.Warning("Backend", c.LocalNode.Name, "vxlan", c.LocalNode.BackendType ?? "none",
                    c.LocalNode.Name + " announces backend " + (c.LocalNode.BackendType ?? "none") + " and has no VXLAN device: Test-FlannelNode checks the VXLAN backend only.", null));
                return findings;
            }
            foreach (OverlayFamily family in c.Families)
            {
                List<Finding> present = VtepChecks.VtepPresent(c, family).ToList();
                findings.AddRange(present);
                Vtep vtep = family.VtepOf(c.State);
                if (vtep == null)
                {
                    continue;
                }
                findings.AddRange(VtepChecks.VtepMac(c, family, vtep));
                findings.AddRange(VtepChecks.VtepVni(c, family, vtep));
                findings.AddRange(VtepChecks.VtepPort(c, family, vtep));
                findings.AddRange(VtepChecks.VtepLocalAddress(c, family, vtep));
                findings.AddRange(VtepChecks.VtepMtu(c, family, vtep));
                foreach (FlannelNode peer in c.Peers.Where(p => family.PodCidrOf(p).HasValue))
                {
                    findings.AddRange(PeerChecks.Route(c, family, vtep, peer));
                    if (family.VtepMacOf(peer) == null || PeerChecks.FindDirectRoute(c, family, peer) != null)
                    {
                        continue;
                    }
                    findings.AddRange(PeerChecks.Neighbor(c, family, vtep, peer));
                    findings.AddRange(PeerChecks.Fdb(c, family, vtep, peer));
                }
                findings.AddRange(LeftoverChecks.StaleNeighbor(c, family, vtep));
                findings.AddRange(LeftoverChecks.StaleFdb(c, family, vtep));
                findings.AddRange(LeftoverChecks.StaleRoute(c, family, vtep));
            }
            return findings;
        }
    }
}
