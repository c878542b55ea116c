namespace FlannelTools.Diagnosis
{
    /// <summary>
    /// The commands that mend a node's tables, in the forms flannel's own netlink calls amount to. Always replace, never
    /// add (fails on an existing entry) nor append (a unicast MAC ignores it).
    /// </summary>
    internal static class Remedies
    {
        public static string NeighborReplace(string address, string mac, string device) =>
            "ip neigh replace " + address + " lladdr " + mac + " dev " + device + " nud permanent";

        public static string NeighborDelete(string address, string device) => "ip neigh del " + address + " dev " + device;

        public static string FdbReplace(string mac, string device, string destination) =>
            "bridge fdb replace " + mac + " dev " + device + " dst " + destination + " self permanent";

        public static string FdbDelete(string mac, string device) => "bridge fdb del " + mac + " dev " + device + " self";

        public static string RouteReplace(string prefix, string gateway, string device) =>
            "ip route replace " + prefix + " via " + gateway + " dev " + device + " onlink";

        public static string RouteDelete(string prefix, string device) => "ip route del " + prefix + " dev " + device;

        public static string LinkAddress(string device, string mac) => "ip link set dev " + device + " address " + mac;

        public static string LinkMtu(string device, int mtu) =>
            "ip link set dev " + device + " mtu " + mtu.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
