#!/bin/sh
# Prints a node's flannel dataplane (devices, addresses, routes, neighbours, FDB) and its host layer (kernel
# settings, packet filter in every backend, offloads, counters, flannel's subnet.env and net-conf.json) as one
# document for Get-FlannelNodeState -Path. Needs only a POSIX sh; every other tool is optional, and one that is
# missing is recorded as such (exit 127) while the rest is still collected. Run it as root to see the packet filter:
#   ssh node1 sudo sh -s < collect-flannel-state.sh > node1.state
#   sh collect-flannel-state.sh [--tables | --host] [--subnet-env PATH] [--net-conf PATH]
# Each section starts with '#@ section <command>' and ends with '#@ exit <code>' (then '#@ stderr' lines), and the
# document ends with '#@ end', so that a document cut in the middle (a dropped ssh session) is told from a whole one;
# where a tool is too old for JSON, the text form of the same command follows.
# FLANNEL_SUBNET_FILE (flanneld's --subnet-file) and FLANNEL_NET_CONF, where set, are the defaults of --subnet-env
# and --net-conf.
LC_ALL=C
export LC_ALL
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH

parts=all
subnet_env=${FLANNEL_SUBNET_FILE:-/run/flannel/subnet.env}
net_conf=${FLANNEL_NET_CONF:-}
while [ $# -gt 0 ]; do
    case $1 in
        --tables) parts=tables ;;
        --host) parts=host ;;
        --subnet-env) subnet_env=$2; shift ;;
        --net-conf) net_conf=$2; shift ;;
        *) printf 'collect-flannel-state.sh: unknown argument %s\n' "$1" >&2; exit 2 ;;
    esac
    shift
done

err=$(mktemp 2>/dev/null || echo "/tmp/collect-flannel-state.$$")
trap 'rm -f "$err"' EXIT HUP INT TERM

run() {
    printf '#@ section %s\n' "$*"
    if ! command -v "$1" >/dev/null 2>&1; then
        printf '\n#@ exit 127\n#@ stderr %s: not found\n' "$1"
        return 127
    fi
    "$@" 2>"$err"
    rc=$?
    printf '\n#@ exit %s\n' "$rc"
    sed 's/^/#@ stderr /' "$err"
    return $rc
}

# Prints 'name = value' for each /proc/sys file given (the name with dots, a device's own dot as '/', as sysctl
# does); a file that is not there is not printed.
sysctls() {
    printf '#@ section sysctl (flannel keys from /proc/sys)\n'
    for f in "$@"; do
        [ -r "$f" ] || continue
        name=$(printf '%s' "${f#/proc/sys/}" | tr './' '/.')
        printf '%s = %s\n' "$name" "$(tr '\t' ' ' < "$f")"
    done
    for f in /sys/class/net/*/bridge/nf_call_iptables /sys/class/net/*/bridge/nf_call_ip6tables; do
        [ -r "$f" ] || continue
        dev=${f#/sys/class/net/}; dev=${dev%%/*}
        printf 'bridge.%s.%s = %s\n' "$dev" "${f##*/}" "$(cat "$f")"
    done
    printf '\n#@ exit 0\n'
}

# The devices whose offloads and filters matter: flannel's VTEPs and the devices of the default routes.
devices() {
    for d in /sys/class/net/flannel*; do [ -e "$d" ] && printf '%s\n' "${d##*/}"; done
    if command -v ip >/dev/null 2>&1; then
        { ip route show default; ip -6 route show default; } 2>/dev/null |
            awk '{ for (i = 1; i < NF; i++) if ($i == "dev") print $(i + 1) }'
    fi
}

host=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname 2>/dev/null || uname -n)
printf '#@ flannel-state 1\n'
printf '#@ host %s\n' "$host"
printf '#@ time %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"

if [ "$parts" != host ]; then
    run ip -j -d link show || run ip -d link show
    run ip -j addr show || run ip addr show
    run ip -j route show || run ip route show
    run ip -j -6 route show || run ip -6 route show
    run ip -j neigh show || run ip neigh show
    run bridge -j fdb show || run bridge fdb show
fi
[ "$parts" = tables ] && { printf '#@ end\n'; exit 0; }

run uname -r
sysctls /proc/sys/net/ipv4/ip_forward /proc/sys/net/ipv6/conf/all/forwarding /proc/sys/net/ipv4/conf/*/forwarding \
    /proc/sys/net/ipv4/conf/*/rp_filter /proc/sys/net/bridge/bridge-nf-call-iptables /proc/sys/net/bridge/bridge-nf-call-ip6tables \
    /proc/sys/net/ipv4/ip_local_port_range /proc/sys/net/netfilter/nf_conntrack_count /proc/sys/net/netfilter/nf_conntrack_max \
    /proc/sys/net/ipv4/neigh/default/gc_thresh1 /proc/sys/net/ipv4/neigh/default/gc_thresh2 /proc/sys/net/ipv4/neigh/default/gc_thresh3 \
    /proc/sys/net/ipv6/neigh/default/gc_thresh3
run cat /proc/net/snmp
[ -e /proc/net/snmp6 ] && run cat /proc/net/snmp6
run ip -s -j -d link show || run ip -s -d link show
run nft -j list ruleset || run nft list ruleset
if command -v iptables-nft-save >/dev/null 2>&1 || command -v iptables-legacy-save >/dev/null 2>&1; then
    run iptables-nft-save -c
    run ip6tables-nft-save -c
    if command -v iptables-legacy-save >/dev/null 2>&1; then
        run iptables-legacy-save -c
        run ip6tables-legacy-save -c
    else
        # without the legacy tool, the kernel still says whether legacy tables exist (a container's iptables-legacy)
        run cat /proc/net/ip_tables_names
        run cat /proc/net/ip6_tables_names
    fi
else
    # one iptables of its own (RHEL 7, Amazon Linux 2: legacy); its header says which backend it is
    run iptables-save -c
    run ip6tables-save -c
fi
for dev in $(devices | sort -u); do
    run ethtool --json -k "$dev" || run ethtool -k "$dev"
    run tc filter show dev "$dev" ingress
    run tc filter show dev "$dev" egress
done
run cat "$subnet_env"
if [ -z "$net_conf" ]; then
    for f in /etc/kube-flannel/net-conf.json /var/lib/rancher/k3s/agent/etc/flannel/net-conf.json; do
        [ -e "$f" ] && { net_conf=$f; break; }
    done
fi
[ -n "$net_conf" ] && run cat "$net_conf"
printf '#@ end\n'
exit 0
