namespace FlannelTools
{
    /// <summary>
    /// One forwarding-database entry of a bridge or VXLAN device, as <c>bridge fdb show</c> prints it. On flannel's
    /// VTEP each entry maps a remote VTEP's MAC to the underlay address of its node:
    /// <c>ee:81:17:b0:fd:7b dev flannel.1 dst 192.168.0.13 self permanent</c>.
    /// </summary>
    public sealed class FdbEntry
    {
        /// <summary>Canonical <c>aa:bb:cc:dd:ee:ff</c>.</summary>
        public string MacAddress { get; internal set; }

        /// <summary>The remote VTEP address (<c>dst</c>); null for entries of ordinary bridge ports.</summary>
        public string Destination { get; internal set; }

        /// <summary>The device the entry belongs to; null when it was printed without one (<c>bridge fdb show dev X</c>).</summary>
        public string Device { get; internal set; }

        /// <summary>The entry's flags: self, master, router, extern_learn, offload, sticky, locked.</summary>
        public TextList Flags { get; internal set; } = TextList.Empty;

        /// <summary>permanent, static, stale; null for a reachable (learned) entry, which iproute2 prints without a state.</summary>
        public string State { get; internal set; }

        /// <summary>The VNI of the remote end (<c>vni</c>), when the entry overrides the device's.</summary>
        public int? Vni { get; internal set; }

        /// <summary>The remote UDP port (<c>port</c>), when the entry overrides the device's.</summary>
        public int? Port { get; internal set; }

        /// <summary>The VLAN of a bridge entry (<c>vlan</c>).</summary>
        public int? Vlan { get; internal set; }

        /// <summary>The device the remote end is reached through (<c>via</c>).</summary>
        public string Via { get; internal set; }

        /// <summary>The bridge the device is a port of (<c>master cni0</c>).</summary>
        public string Master { get; internal set; }

        /// <summary>Where the entry was read: <c>live</c>, or a file (or parameter) and line number such as <c>node1.fdb:3</c>.</summary>
        public string Source { get; internal set; }

        /// <summary>The entry as <c>bridge fdb show</c> prints it.</summary>
        public override string ToString()
        {
            var text = new StringBuilder(MacAddress);
            Append(text, "dev", Device);
            Append(text, "vlan", Vlan?.ToString(CultureInfo.InvariantCulture));
            Append(text, "dst", Destination);
            Append(text, "port", Port?.ToString(CultureInfo.InvariantCulture));
            Append(text, "vni", Vni?.ToString(CultureInfo.InvariantCulture));
            Append(text, "via", Via);
            foreach (string flag in Flags)
            {
                text.Append(' ').Append(flag);
            }
            Append(text, "master", Master);
            if (!string.IsNullOrEmpty(State))
            {
                text.Append(' ').Append(State);
            }
            return text.ToString();
        }

        private static void Append(StringBuilder text, string keyword, string value)
        {
            if (value != null)
            {
                text.Append(' ').Append(keyword).Append(' ').Append(value);
            }
        }
    }
}
