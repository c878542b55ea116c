namespace FlannelTools.Overlay
{
    /// <summary>
    /// Derives the headers of a packet from one pod address to another from the sending node's tables, lookup by lookup
    /// as the kernel makes them: route, VTEP, neighbour on the VTEP, FDB, then route, device and neighbour on the underlay.
    /// Missing or inconsistent entries become failed steps, never exceptions.
    /// </summary>
    internal static class OverlayPathResolver
    {
        /// <summary>
        /// The path of a packet from <paramref name="source"/> to <paramref name="destination"/> as <paramref name="state"/> sends it.
        /// <paramref name="nodes"/> (optional) lets the FDB and neighbour entries be checked against what the owner of the destination announces.
        /// </summary>
        /// <exception cref="ArgumentException">An address is not an IP address, or the two are of different families.</exception>
        public static OverlayPath Resolve(NodeState state, string source, string destination, IReadOnlyList<FlannelNode> nodes = null)
        {
            if (state == null)
            {
                throw new ArgumentNullException(nameof(state));
            }
            if (!IpAddressValue.TryParse(source, out IpAddressValue src))
            {
                throw new ArgumentException("'" + source + "' is not an IPv4 or IPv6 address.", nameof(source));
            }
            if (!IpAddressValue.TryParse(destination, out IpAddressValue dst))
            {
                throw new ArgumentException("'" + destination + "' is not an IPv4 or IPv6 address.", nameof(destination));
            }
            if (src.Version != dst.Version)
            {
                throw new ArgumentException("'" + source + "' and '" + destination + "' are not of the same address family.", nameof(destination));
            }
            var work = new Resolution(state, src, dst, nodes ?? new FlannelNode[0]);
            work.Run();
            return work.Finish();
        }

        /// <summary>
        /// Sets the path's Observed and Mismatches from captured frames: frames of the same inner pair in the same direction
        /// either carry every predicted header (Observed) or differ in some (a Mismatch per field and captured value).
        /// Fields the path did not predict, or the capture did not record (a cooked capture's MACs), are not compared.
        /// </summary>
        public static void Compare(OverlayPath path, IEnumerable<CapturedHeaders> frames)
        {
            IpAddressValue.TryParse(path.InnerSourceAddress, out IpAddressValue src);
            IpAddressValue.TryParse(path.InnerDestinationAddress, out IpAddressValue dst);
            var predicted = Fields(path.InnerSourceMac, path.InnerDestinationMac, path.OuterSourceAddress, path.OuterDestinationAddress,
                path.OuterSourceMac, path.OuterDestinationMac, path.Vni, path.OuterDestinationPort);
            int observed = 0;
            var mismatches = new List<(string Field, string Predicted, string Observed, List<long> Frames)>();
            foreach (CapturedHeaders frame in frames)
            {
                if (!IpAddressValue.TryParse(frame.InnerSourceAddress, out IpAddressValue fs) || fs != src ||
                    !IpAddressValue.TryParse(frame.InnerDestinationAddress, out IpAddressValue fd) || fd != dst)
                {
                    continue;
                }
                var actual = Fields(frame.InnerSourceMac, frame.InnerDestinationMac, frame.OuterSourceAddress, frame.OuterDestinationAddress,
                    frame.OuterSourceMac, frame.OuterDestinationMac, frame.Vni, frame.OuterDestinationPort);
                bool same = true;
                for (int i = 0; i < predicted.Length; i++)
                {
                    if (predicted[i].Value == null || actual[i].Value == null || predicted[i].Value == actual[i].Value)
                    {
                        continue;
                    }
                    same = false;
                    var known = mismatches.FirstOrDefault(m => m.Field == predicted[i].Name && m.Observed == actual[i].Value);
                    if (known.Field == null)
                    {
                        mismatches.Add((predicted[i].Name, predicted[i].Value, actual[i].Value, new List<long> { frame.FrameNumber }));
                    }
                    else
                    {
                        known.Frames.Add(frame.FrameNumber);
                    }
                }
                if (same)
                {
                    observed++;
                }
            }
            path.Observed = observed;
            path.Mismatches = new ReadOnlyCollection<OverlayMismatch>(
                mismatches.Select(m => new OverlayMismatch
                {
                    Field = m.Field,
                    Predicted = m.Predicted,
                    Observed = m.Observed,
                    Frames = m.Frames.Count,
                    FirstFrameNumber = m.Frames.Min(),
                }).ToList());
        }

        private static (string Name, string Value)[] Fields(string innerSourceMac, string innerDestinationMac, string outerSourceAddress,
            string outerDestinationAddress, string outerSourceMac, string outerDestinationMac, int? vni, int? port) => new[]
        {
            (nameof(OverlayPath.InnerSourceMac), MacAddress.Normalize(innerSourceMac)),
            (nameof(OverlayPath.InnerDestinationMac), MacAddress.Normalize(innerDestinationMac)),
            (nameof(OverlayPath.OuterSourceAddress), Canonical(outerSourceAddress)),
            (nameof(OverlayPath.OuterDestinationAddress), Canonical(outerDestinationAddress)),
            (nameof(OverlayPath.OuterSourceMac), MacAddress.Normalize(outerSourceMac)),
            (nameof(OverlayPath.OuterDestinationMac), MacAddress.Normalize(outerDestinationMac)),
            (nameof(OverlayPath.Vni), vni?.ToString(CultureInfo.InvariantCulture)),
            (nameof(OverlayPath.OuterDestinationPort), port?.ToString(CultureInfo.InvariantCulture)),
        };

        private static string Canonical(string address) => IpAddressValue.TryParse(address, out IpAddressValue value) ? value.ToString() : address;

        /// <summary>One resolution: the state, the path being filled and its steps.</summary>
        private sealed class Resolution
        {
            private readonly NodeState _state;
            private readonly IpAddressValue _source;
            private readonly IpAddressValue _destination;
            private readonly IReadOnlyList<FlannelNode> _nodes;
            private readonly List<OverlayStep> _steps = new List<OverlayStep>();
            private readonly OverlayPath _path;
            private readonly Vtep _vtep;
            private readonly bool _v6;

            public Resolution(NodeState state, IpAddressValue source, IpAddressValue destination, IReadOnlyList<FlannelNode> nodes)
            {
                _state = state;
                _source = source;
                _destination = destination;
                _nodes = nodes;
                _v6 = destination.Version == 6;
                _vtep = _v6 ? state.VtepV6 : state.Vtep;
                _path = new OverlayPath
                {
                    InnerSourceAddress = source.ToString(),
                    InnerDestinationAddress = destination.ToString(),
                    HostName = state.HostName,
                };
            }

            private string Src => _path.InnerSourceAddress;

            private string Dst => _path.InnerDestinationAddress;

            private string VtepName => _vtep?.Name ?? (_v6 ? "flannel-v6.<VNI>" : "flannel.<VNI>");

            public OverlayPath Finish()
            {
                _path.Steps = new ReadOnlyCollection<OverlayStep>(_steps);
                _path.FailedStep = _steps.FirstOrDefault(s => s.Outcome == OverlayStepOutcome.Failed);
                _path.Status = _path.FailedStep == null ? OverlayPathStatus.Resolved : OverlayPathStatus.Incomplete;
                return _path;
            }

            private OverlayStep Add(string table, object entry, string field, string value, string outcome, string explanation)
            {
                var step = new OverlayStep
                {
                    Number = _steps.Count + 1,
                    Table = table,
                    Entry = entry?.ToString(),
                    Field = field,
                    Value = value,
                    Outcome = outcome,
                    Explanation = explanation,
                };
                _steps.Add(step);
                return step;
            }

            private void Fail(string table, object entry, string field, string explanation) =>
                Add(table, entry, field, null, OverlayStepOutcome.Failed, explanation);

            public void Run()
            {
                LookUpSource();
                Route route = _state.FindRoute(Dst);
                if (!LookUpRoute(route))
                {
                    return;
                }
                string nextHop = route.Gateway ?? Dst;
                if (!LookUpVtep())
                {
                    return;
                }
                string innerDestinationMac = LookUpNeighbor(nextHop);
                if (innerDestinationMac == null)
                {
                    return;
                }
                FdbEntry entry = LookUpFdb(innerDestinationMac);
                if (entry == null)
                {
                    return;
                }
                LookUpUnderlay(entry.Destination);
            }

            /// <summary>The source: a pod on one of the node's networks (a warning otherwise: the state may be another node's).</summary>
            private void LookUpSource()
            {
                Interface device = _state.Interfaces.FirstOrDefault(i => i.Addresses.Any(a => Holds(a, _source)));
                if (device != null)
                {
                    string network = device.Addresses.First(a => Holds(a, _source));
                    Add("interface", device, nameof(OverlayPath.InnerSourceAddress), Src, OverlayStepOutcome.Ok,
                        Src + " is on " + device.Name + "'s network " + network + ", so the packet is routed by this node");
                }
                else
                {
                    Add("interface", null, nameof(OverlayPath.InnerSourceAddress), Src, OverlayStepOutcome.Warning,
                        Src + " is on none of this node's networks: is this the state of the node that runs the source pod?");
                }
            }

            /// <summary>The route to the destination; false when the path ends there (not via the VTEP, or no route).</summary>
            private bool LookUpRoute(Route route)
            {
                const string Field = nameof(OverlayPath.EgressDevice);
                FlannelNode owner = OwnerOf(_destination);
                string ownerText = owner == null ? string.Empty : " (" + Dst + " is in " + owner.Name + "'s pod subnet " + OwnerCidr(owner) + ")";
                if (route == null)
                {
                    _path.Kind = OverlayPathKind.Underlay;
                    Fail("route", null, Field, "no route holds " + Dst + ", not even a default route: the kernel answers 'Network is unreachable'" + ownerText);
                    return false;
                }
                _path.EgressDevice = route.Device;
                if (route.Type != "unicast")
                {
                    _path.Kind = OverlayPathKind.Underlay;
                    Fail("route", route, Field, "the longest prefix that holds " + Dst + " is a " + route.Type + " route: the kernel does not forward the packet" + ownerText);
                    return false;
                }
                string chosen = "the longest prefix that holds " + Dst + " (/" + route.GetPrefix().Length.ToString(CultureInfo.InvariantCulture) +
                                (route.Metric.HasValue ? ", metric " + route.Metric.Value.ToString(CultureInfo.InvariantCulture) : string.Empty) + ")";
                if (_vtep != null && route.Device == _vtep.Name)
                {
                    _path.Kind = OverlayPathKind.Overlay;
                    string gateway = route.Gateway == null
                        ? "no gateway, so the neighbour looked up is " + Dst + " itself"
                        : "next hop " + route.Gateway + " on " + route.Device + OnlinkReason(route);
                    Add("route", route, Field, route.Device, OverlayStepOutcome.Ok, chosen + " enters the VTEP " + route.Device + "; " + gateway);
                    return true;
                }
                string underlayDevice = _vtep?.UnderlayDevice;
                if (route.Gateway == null && route.Device != underlayDevice && route.Destination != "default")
                {
                    _path.Kind = OverlayPathKind.LocalBridge;
                    Add("route", route, Field, route.Device, OverlayStepOutcome.Ok,
                        chosen + " is connected on " + route.Device + ": a pod on this node, reached across the bridge without encapsulation");
                    return false;
                }
                if (IsDirectRoute(route, underlayDevice, owner))
                {
                    _path.Kind = OverlayPathKind.Direct;
                    Add("route", route, Field, route.Device, OverlayStepOutcome.Ok,
                        chosen + " goes straight to the node " + route.Gateway + " over " + route.Device + " (flannel's DirectRouting): not encapsulated" + ownerText);
                    LookUpUnderlayNeighbor(route.Gateway, route.Device, null);
                    return false;
                }
                _path.Kind = OverlayPathKind.Underlay;
                string vtepText = _vtep == null ? "the node state has no " + (_v6 ? "IPv6" : "IPv4") + " VTEP (ip -d link show)" : "it does not enter the VTEP " + _vtep.Name;
                string missing = owner != null
                    ? "; flannel's route " + OwnerCidr(owner) + " via " + FirstAddress(OwnerCidr(owner)) + " dev " + VtepName + " onlink is missing"
                    : "; no route via " + VtepName + " holds " + Dst;
                Fail("route", route, Field, chosen + " sends the packet out of " + route.Device + " unencapsulated: " + vtepText + missing + ownerText);
                return false;
            }

            private bool IsDirectRoute(Route route, string underlayDevice, FlannelNode owner)
            {
                if (route.Gateway == null || route.Destination == "default" || route.Device != underlayDevice)
                {
                    return false;
                }
                if (owner != null)
                {
                    return owner.PublicAddress == route.Gateway || owner.PublicAddressV6 == route.Gateway || owner.InternalAddress == route.Gateway;
                }
                return !_state.Routes.Any(r => r.Destination == "default" && r.Gateway == route.Gateway);
            }

            private string OnlinkReason(Route route)
            {
                if (route.Flags.Has("onlink"))
                {
                    return " (onlink: taken as on the link without a connected route, as flannel programs it)";
                }
                if (IpAddressValue.TryParse(route.Gateway, out IpAddressValue gateway) &&
                    _state.Routes.Any(r => r.Device == route.Device && r.Gateway == null && r.Type == "unicast" && r.GetPrefix().Contains(gateway) && r.GetPrefix().Length > 0))
                {
                    return " (on a connected network of " + route.Device + ")";
                }
                return " (the route shows no onlink flag, and route -n cannot show one: onlink is unknown and the gateway is accepted)";
            }

            /// <summary>The VTEP: inner source MAC, VNI, UDP port and outer source address.</summary>
            private bool LookUpVtep()
            {
                string fields = nameof(OverlayPath.InnerSourceMac) + ", " + nameof(OverlayPath.OuterSourceAddress) + ", " +
                                nameof(OverlayPath.Vni) + ", " + nameof(OverlayPath.OuterDestinationPort);
                string mac = _vtep.MacAddress ?? _state.FindInterface(_vtep.Name)?.MacAddress;
                _path.InnerSourceMac = mac;
                _path.OuterSourceAddress = _vtep.LocalAddress;
                _path.Vni = _vtep.Vni;
                _path.OuterDestinationPort = _vtep.Port;
                string value = string.Join(", ", mac ?? "?", _vtep.LocalAddress ?? "?", _vtep.Vni?.ToString(CultureInfo.InvariantCulture) ?? "?",
                    _vtep.Port?.ToString(CultureInfo.InvariantCulture) ?? "?");
                var unknown = new List<string>();
                if (mac == null)
                {
                    unknown.Add("its MAC");
                }
                if (_vtep.LocalAddress == null)
                {
                    unknown.Add("its local address");
                }
                if (_vtep.Vni == null)
                {
                    unknown.Add("its VNI");
                }
                if (_vtep.Port == null)
                {
                    unknown.Add("its UDP port");
                }
                if (unknown.Count > 0)
                {
                    Fail("interface", _vtep, fields, "the VTEP " + _vtep.Name + " is read without " + string.Join(", ", unknown) + ": give ip -d link show and ip addr show of the node");
                    return false;
                }
                Add("interface", _vtep, fields, value, OverlayStepOutcome.Ok,
                    "the VTEP " + _vtep.Name + " sends from its own MAC, with VNI " + value.Split(',')[2].Trim() + " to UDP port " + value.Split(',')[3].Trim() +
                    " from its local address on " + (_vtep.UnderlayDevice ?? "the underlay"));
                return true;
            }

            /// <summary>The neighbour entry of the next hop on the VTEP: the inner destination MAC, or null when the path ends.</summary>
            private string LookUpNeighbor(string nextHop)
            {
                const string Field = nameof(OverlayPath.InnerDestinationMac);
                FlannelNode owner = OwnerOf(_destination);
                string announced = owner == null ? null : _v6 ? owner.VtepMacV6 : owner.VtepMac;
                Neighbor neighbor = _state.FindNeighbor(nextHop, _vtep.Name);
                if (neighbor == null)
                {
                    Fail("neighbor", null, Field, "no neighbour entry for " + nextHop + " on " + _vtep.Name +
                        ": flannel programs it permanent (ip neigh replace " + nextHop + " lladdr " + (announced ?? "<VtepMAC>") + " dev " + _vtep.Name +
                        " nud permanent); without it the kernel would have to resolve " + nextHop + " on a device that neither learns nor proxies, so the packet is not sent");
                    return null;
                }
                string state = neighbor.State ?? string.Empty;
                if (neighbor.MacAddress == null || state.Contains("FAILED") || state.Contains("INCOMPLETE"))
                {
                    Fail("neighbor", neighbor, Field, "the neighbour entry of " + nextHop + " on " + _vtep.Name + " is " + (state.Length > 0 ? state : "without a MAC") +
                        ": not a MAC; flannel programs it permanent with the VtepMAC of the node that owns the subnet");
                    return null;
                }
                _path.InnerDestinationMac = neighbor.MacAddress;
                if (announced != null && MacAddress.Normalize(announced) != neighbor.MacAddress)
                {
                    Fail("neighbor", neighbor, Field, "the neighbour entry of " + nextHop + " gives " + neighbor.MacAddress + ", but " + owner.Name +
                        ", which owns " + OwnerCidr(owner) + ", announces VtepMAC " + MacAddress.Normalize(announced) + ": the entry is stale (" + owner.Name +
                        "'s VTEP was recreated?), and " + owner.Name + " drops frames to the old MAC");
                    return null;
                }
                if (state.Contains("PERMANENT"))
                {
                    Add("neighbor", neighbor, Field, neighbor.MacAddress, OverlayStepOutcome.Ok,
                        "the permanent neighbour entry flannel programs for the next hop " + nextHop + " gives the remote VTEP's MAC");
                }
                else
                {
                    Add("neighbor", neighbor, Field, neighbor.MacAddress, OverlayStepOutcome.Warning,
                        "the neighbour entry of " + nextHop + " is " + state + ", not PERMANENT: flannel's entries are permanent, so this one was learned or added by hand; its MAC is used");
                }
                return neighbor.MacAddress;
            }

            /// <summary>The FDB entry of the inner destination MAC on the VTEP: the outer destination address.</summary>
            private FdbEntry LookUpFdb(string mac)
            {
                const string Field = nameof(OverlayPath.OuterDestinationAddress);
                IReadOnlyList<FdbEntry> entries = _state.FindFdb(mac, _vtep.Name);
                FdbEntry entry = entries.FirstOrDefault(e => e.Destination != null);
                if (entry == null)
                {
                    FdbEntry fallback = _state.FindFdb("00:00:00:00:00:00", _vtep.Name).FirstOrDefault(e => e.Destination != null);
                    if (fallback == null)
                    {
                        Fail("fdb", null, Field, "no FDB entry for " + mac + " on " + _vtep.Name + ": the kernel then looks for the all-zeros default entry " +
                            "(00:00:00:00:00:00), which flannel does not program (no remote, no group), so the packet is dropped and counted in " +
                            _vtep.Name + "'s tx_dropped");
                        return null;
                    }
                    entry = fallback;
                    Add("fdb", entry, Field, entry.Destination, OverlayStepOutcome.Warning,
                        "no FDB entry for " + mac + " on " + _vtep.Name + ": the all-zeros default entry sends it to " + entry.Destination + " (flannel programs no default entry)");
                }
                else
                {
                    FlannelNode owner = OwnerOf(_destination);
                    string expected = owner == null ? null : _v6 ? owner.PublicAddressV6 : owner.PublicAddress;
                    if (expected != null && Canonical(expected) != Canonical(entry.Destination))
                    {
                        FlannelNode wrong = _nodes.FirstOrDefault(n => Canonical(_v6 ? n.PublicAddressV6 : n.PublicAddress) == Canonical(entry.Destination));
                        Fail("fdb", entry, Field, "the FDB entry of " + mac + " sends to " + entry.Destination + (wrong != null ? " (" + wrong.Name + ")" : string.Empty) +
                            ", but " + OwnerCidr(owner) + " belongs to " + owner.Name + ", whose public-ip is " + expected + ": the packet goes to the wrong node");
                        return null;
                    }
                    FdbEntry twin = _state.Fdb.FirstOrDefault(e => e.Device == _vtep.Name && e.MacAddress != mac && e.Destination != null &&
                                                                    Canonical(e.Destination) == Canonical(entry.Destination) && e.MacAddress != "00:00:00:00:00:00");
                    if (twin != null)
                    {
                        Add("fdb", entry, Field, entry.Destination, OverlayStepOutcome.Warning,
                            "the FDB entry of " + mac + " sends to " + entry.Destination + ", as does the entry of " + twin.MacAddress +
                            ": flannel gives each node one VTEP MAC, so one of the two is wrong (give -Node to know which)");
                    }
                    else
                    {
                        Add("fdb", entry, Field, entry.Destination, OverlayStepOutcome.Ok,
                            "the FDB entry flannel programs for the remote VTEP's MAC names its node's underlay address");
                    }
                }
                _path.OuterDestinationAddress = entry.Destination;
                if (entry.Vni.HasValue)
                {
                    _path.Vni = entry.Vni;
                }
                if (entry.Port.HasValue)
                {
                    _path.OuterDestinationPort = entry.Port;
                }
                return entry;
            }

            /// <summary>The underlay: the route to the remote VTEP address, the underlay device's MAC, and the next hop's neighbour entry.</summary>
            private void LookUpUnderlay(string remote)
            {
                string device = _vtep.UnderlayDevice;
                Route route = _state.FindRoute(remote);
                string nextHop = remote;
                if (route == null)
                {
                    bool anyRoute = _state.Routes.Any(r => r.Family == (_v6 ? "inet6" : "inet") && (device == null || r.Device == device));
                    if (anyRoute)
                    {
                        Fail("route", null, nameof(OverlayPath.OuterDestinationAddress), "no route holds the remote VTEP address " + remote + ": the kernel cannot send the encapsulated packet");
                        return;
                    }
                    Interface underlay = device == null ? null : _state.FindInterface(device);
                    string network = underlay?.Addresses.FirstOrDefault(a => IpAddressValue.TryParse(remote, out IpAddressValue r) && Holds(a, r));
                    Add("route", null, "OuterDestinationMac", null, OverlayStepOutcome.Assumed,
                        "the tables hold no route to " + remote + ": assumed on " + (device ?? "the underlay device") + "'s connected network" +
                        (network != null ? " " + network : string.Empty) + ", so its own neighbour entry gives the MAC");
                }
                else if (route.Type != "unicast")
                {
                    Fail("route", route, nameof(OverlayPath.OuterDestinationAddress), "the route to the remote VTEP address " + remote + " is " + route.Type + ": the encapsulated packet is not sent");
                    return;
                }
                else
                {
                    nextHop = route.Gateway ?? remote;
                    string how = route.Gateway == null ? "connected: its own neighbour entry gives the MAC" : "through the gateway " + route.Gateway + ", whose MAC the packet takes";
                    if (device != null && route.Device != device)
                    {
                        Add("route", route, "OuterDestinationMac", null, OverlayStepOutcome.Warning,
                            "the route to " + remote + " leaves through " + route.Device + ", but the VTEP is bound to " + device + " (dev " + device + "), which the kernel keeps");
                    }
                    else
                    {
                        Add("route", route, "OuterDestinationMac", null, OverlayStepOutcome.Ok, "the route to the remote VTEP address " + remote + " is " + how);
                    }
                    device = device ?? route.Device;
                }
                LookUpUnderlayDevice(device);
                LookUpUnderlayNeighbor(nextHop, device, nameof(OverlayPath.OuterDestinationMac));
            }

            private void LookUpUnderlayDevice(string device)
            {
                Interface underlay = device == null ? null : _state.FindInterface(device);
                if (underlay?.MacAddress == null)
                {
                    Fail("interface", underlay, nameof(OverlayPath.OuterSourceMac), "the underlay device " + (device ?? "(unknown)") + " is not in the node state with a MAC: give ip link show or ip addr show");
                    return;
                }
                _path.OuterSourceMac = underlay.MacAddress;
                Add("interface", underlay, nameof(OverlayPath.OuterSourceMac), underlay.MacAddress, OverlayStepOutcome.Ok,
                    "the encapsulated packet leaves from the underlay device " + device + "'s MAC");
            }

            private void LookUpUnderlayNeighbor(string nextHop, string device, string field)
            {
                Neighbor neighbor = _state.FindNeighbor(nextHop, device);
                string state = neighbor?.State ?? string.Empty;
                if (neighbor == null || neighbor.MacAddress == null)
                {
                    Add("neighbor", neighbor, field, null, OverlayStepOutcome.Warning,
                        (neighbor == null ? "no neighbour entry for " + nextHop + " on " + device : "the neighbour entry of " + nextHop + " is " + state) +
                        ": the kernel ARPs (or solicits) for it first, and the MAC is known once it answers");
                    return;
                }
                if (state.Contains("FAILED"))
                {
                    Fail("neighbor", neighbor, field, nextHop + " did not answer the kernel's ARP on " + device + " (FAILED): the packet is dropped");
                    return;
                }
                if (field != null)
                {
                    _path.OuterDestinationMac = neighbor.MacAddress;
                }
                Add("neighbor", neighbor, field, neighbor.MacAddress, OverlayStepOutcome.Ok,
                    "the underlay neighbour entry of " + nextHop + " gives the destination MAC on " + device);
            }

            private FlannelNode OwnerOf(IpAddressValue address) =>
                _nodes.FirstOrDefault(n => Cidrs(n).Any(c => IpPrefix.TryParse(c, out IpPrefix p) && p.Contains(address)));

            private string OwnerCidr(FlannelNode node) =>
                Cidrs(node).First(c => IpPrefix.TryParse(c, out IpPrefix p) && p.Contains(_destination));

            private static IEnumerable<string> Cidrs(FlannelNode node) =>
                (node.PodCidrs ?? new string[0]).Concat(new[] { node.PodCidr }).Where(c => c != null);

            private static string FirstAddress(string cidr) => IpPrefix.TryParse(cidr, out IpPrefix p) ? p.Address.ToString() : cidr;

            private static bool Holds(string addressWithLength, IpAddressValue address) =>
                IpPrefix.TryParse(addressWithLength, out IpPrefix prefix) && prefix.Contains(address);
        }
    }
}
