#!/bin/sh
# Prints a node's flannel dataplane tables (devices, addresses, routes, neighbours, FDB) as one document for
# Get-FlannelNodeState -Path. Needs only a POSIX sh and iproute2; run it as any user on the node:
#   ssh node1 sh -s < collect-flannel-state.sh > node1.state
# Each section starts with '#@ section <command>' and ends with '#@ exit <code>' (then '#@ stderr' lines);
# where iproute2 is too old for JSON (-j), the text form of the same command follows.
LC_ALL=C
export LC_ALL
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH

err=$(mktemp 2>/dev/null || echo "/tmp/collect-flannel-state.$$")
trap 'rm -f "$err"' EXIT HUP INT TERM

run() {
    printf '#@ section %s\n' "$*"
    "$@" 2>"$err"
    rc=$?
    printf '\n#@ exit %s\n' "$rc"
    sed 's/^/#@ stderr /' "$err"
    return $rc
}

host=$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname 2>/dev/null || uname -n)
printf '#@ flannel-state 1\n'
printf '#@ host %s\n' "$host"
printf '#@ time %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"

run ip -j -d link show || run ip -d link show
run ip -j addr show || run ip addr show
run ip -j route show || run ip route show
run ip -j -6 route show || run ip -6 route show
run ip -j neigh show || run ip neigh show
run bridge -j fdb show || run bridge fdb show
exit 0
