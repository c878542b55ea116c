using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Linq;
using FlannelTools.Addressing;

namespace FlannelTools
{
    /// <summary>
    /// A node's dataplane as the walkthrough reads it: the VTEP, the devices, the main routing table, the neighbour
    /// table and the FDB. The lookups answer the walkthrough's questions as the kernel would.
    /// </summary>
    public sealed class NodeState
    {
        /// <summary>flannel's IPv4 VTEP (<c>flannel.&lt;VNI&gt;</c>, else the first VXLAN device with an IPv4 local address).</summary>
        public Vtep Vtep { get; internal set; }

        /// <summary>flannel's IPv6 VTEP (<c>flannel-v6.&lt;VNI&gt;</c>) on a dual-stack node.</summary>
        public Vtep VtepV6 { get; internal set; }

        public ReadOnlyCollection<Interface> Interfaces { get; internal set; } = new ReadOnlyCollection<Interface>(new Interface[0]);

        /// <summary>The main table's IPv4 and IPv6 routes.</summary>
        public ReadOnlyCollection<Route> Routes { get; internal set; } = new ReadOnlyCollection<Route>(new Route[0]);

        public ReadOnlyCollection<Neighbor> Neighbors { get; internal set; } = new ReadOnlyCollection<Neighbor>(new Neighbor[0]);

        public ReadOnlyCollection<FdbEntry> Fdb { get; internal set; } = new ReadOnlyCollection<FdbEntry>(new FdbEntry[0]);

        /// <summary>The node's host name (inside a network namespace, the machine's).</summary>
        public string HostName { get; internal set; }

        /// <summary>When the tables were read (UTC); null when the text does not say.</summary>
        public DateTime? CollectedAt { get; internal set; }

        /// <summary><c>live</c>, or the file or parameters the state was read from.</summary>
        public string Source { get; internal set; }

        /// <summary>
        /// The route the kernel would pick for the address: the longest matching prefix, then the lowest metric,
        /// among routes that forward (unicast); null when none matches.
        /// </summary>
        public Route FindRoute(string address)
        {
            if (!IpAddressValue.TryParse(address, out IpAddressValue target))
            {
                return null;
            }
            Route best = null;
            int bestLength = -1;
            foreach (Route route in Routes)
            {
                IpPrefix prefix = route.GetPrefix();
                if (prefix.Address.IsEmpty || !prefix.Contains(target))
                {
                    continue;
                }
                if (prefix.Length > bestLength || (prefix.Length == bestLength && (route.Metric ?? 0) < (best.Metric ?? 0)))
                {
                    best = route;
                    bestLength = prefix.Length;
                }
            }
            return best;
        }

        /// <summary>The neighbour entry of the address (on the device, when one is given), or null.</summary>
        public Neighbor FindNeighbor(string address, string device = null)
        {
            if (!IpAddressValue.TryParse(address, out IpAddressValue target))
            {
                return null;
            }
            return Neighbors.FirstOrDefault(n =>
                (device == null || n.Device == device) && IpAddressValue.TryParse(n.Address, out IpAddressValue a) && a == target);
        }

        /// <summary>The FDB entries of the MAC (on the device, when one is given); a unicast MAC has at most one per device.</summary>
        public IReadOnlyList<FdbEntry> FindFdb(string macAddress, string device = null)
        {
            string mac = MacAddress.Normalize(macAddress);
            return Fdb.Where(e => e.MacAddress == mac && (device == null || e.Device == device)).ToList();
        }

        public Interface FindInterface(string name) => Interfaces.FirstOrDefault(i => i.Name == name);

        /// <summary>The VTEPs the node has: the IPv4 one, then the IPv6 one.</summary>
        public IEnumerable<Vtep> GetVteps() => new[] { Vtep, VtepV6 }.Where(v => v != null);

        public override string ToString() => "NodeState " + (HostName ?? string.Empty) + " (" + Source + ")";
    }
}
