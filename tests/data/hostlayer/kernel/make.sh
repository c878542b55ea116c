#!/bin/sh
# Makes the kernel test data of the host layer from real namespaces: run as root from the repository's root,
#   sh tests/data/hostlayer/kernel/make.sh
# Namespaces hlkern-a (the "node": flannel.1, cni0, the underlay veth va) and hlkern-b (its peer vb, and a second
# veth pair xa/xb for native XDP) are created here and deleted on every exit. No packet leaves them.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../../../.." && pwd)
a=hlkern-a
b=hlkern-b
work=$(mktemp -d)
cleanup() {
    ip netns del $a 2>/dev/null || true
    ip netns del $b 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' HUP INT TERM
inA() { ip netns exec $a "$@"; }
inB() { ip netns exec $b "$@"; }

llc -march=bpf -filetype=obj "$here/xdp_pass.ll" -o "$work/xdp_pass.o"
llc -march=bpf -filetype=obj "$here/tc_pass.ll" -o "$work/tc_pass.o"
llc -march=bpf -filetype=obj "$here/tc_drop.ll" -o "$work/tc_drop.o"

ip netns add $a
ip netns add $b
ip -n $a link set lo up
ip -n $b link set lo up
# no IPv6 on the devices made below (lo keeps it), so that no router solicitation or MLD report changes their
# counters between the JSON and the text captures
inA sysctl -w net.ipv6.conf.default.disable_ipv6=1 >/dev/null
inB sysctl -w net.ipv6.conf.default.disable_ipv6=1 >/dev/null
ip -n $a link add va type veth peer name vb netns $b
ip -n $a addr add 192.168.77.1/24 dev va
ip -n $b addr add 192.168.77.2/24 dev vb
ip -n $a link set va up
ip -n $b link set vb up
ip -n $a route add default via 192.168.77.2 dev va
ip -n $a link add flannel.1 type vxlan id 1 local 192.168.77.1 dev va dstport 8472 nolearning
ip -n $a link set flannel.1 up
ip -n $a link add cni0 type bridge
ip -n $a link set cni0 type bridge nf_call_iptables 1
ip -n $a link set cni0 up

# offloads: checksum offload off on the VTEP and on the underlay; rx checksumming off on the receiver, so that the
# kernel verifies (and counts) the bad UDP checksum instead of veth marking the packet CHECKSUM_UNNECESSARY
inA ethtool -K flannel.1 tx-checksum-ip-generic off
inA ethtool -K va tx off
inB ethtool -K vb rx off

# sysctls: forwarding on in a, off (the namespace's default) in b; rp_filter strict on va, loose on flannel.1
inA sysctl -w net.ipv4.ip_forward=1 >/dev/null
inA sysctl -w net.ipv4.conf.va.rp_filter=1 >/dev/null
inA sysctl -w net.ipv4.conf.flannel/1.rp_filter=2 >/dev/null
inB sysctl -w net.ipv4.ip_forward=0 >/dev/null

# pre-stack programs: XDP (generic) on va, a tc bpf filter on va's egress, a u32 filter mirroring packets to an
# absent 192.168.77.99 on va's ingress, a bpf drop on flannel.1's ingress (this kernel has no cls_matchall/act_gact);
# native XDP on xa in b
inA ip link set dev va xdpgeneric obj "$work/xdp_pass.o" sec xdp
inA tc qdisc add dev va clsact
inA tc filter add dev va egress bpf direct-action obj "$work/tc_pass.o" sec tc
inA tc qdisc add dev flannel.1 clsact
inA tc filter add dev va ingress u32 match ip dst 192.168.77.99/32 action mirred egress mirror dev cni0
inA tc filter add dev flannel.1 ingress bpf direct-action obj "$work/tc_drop.o" sec tc
ip -n $b link add xa type veth peer name xb
ip -n $b link set xa up
ip -n $b link set xb up
inB ip link set dev xa xdpdrv obj "$work/xdp_pass.o" sec xdp

# traffic: ping across the veth; UDP to a closed port and UDP with a bad checksum from a to b; UDPv6 to a closed
# port of b's ::1; frames of EtherType 0x88b5 from b to va, which no protocol takes (va's rx_dropped)
inA ping -c 3 -i 0.2 -q 192.168.77.2 >/dev/null
inA python3 "$here/traffic.py" udp 192.168.77.1 192.168.77.2
inB python3 "$here/traffic.py" udp6 ::1
inB python3 "$here/traffic.py" ethertype vb "$(inA cat /sys/class/net/va/address)"
sleep 1

cd "$here"
inA sh -c "sysctl -a 2>/dev/null | grep -E '^net\.ipv4\.(ip_forward|ip_local_port_range|conf\.(all|va|flannel/1)\.(rp_filter|forwarding)) '" > sysctl-a-filtered.txt
inA sysctl net.ipv4.conf.flannel/1.rp_filter net.ipv4.ip_local_port_range net.ipv4.conf.nosuch.rp_filter > sysctl-keys.txt 2>&1 || true
inA ethtool -k flannel.1 > ethtool-k-flannel.1.txt
inA ethtool --json -k flannel.1 > ethtool-json-k-flannel.1.json
inA ethtool -k va > ethtool-k-va.txt
inA ethtool --json -k va > ethtool-json-k-va.json
inB cat /proc/net/snmp > proc-net-snmp-b.txt
inB cat /proc/net/snmp6 > proc-net-snmp6-b.txt
inA ip -s -j -d link show > ip-s-j-d-link-a.json
inA ip -s -d link show > ip-s-d-link-a.txt
inB ip -s -j -d link show > ip-s-j-d-link-b.json
inB ip -s -d link show > ip-s-d-link-b.txt
inA tc filter show dev flannel.1 ingress > tc-filter-flannel.1-ingress.txt
inA tc filter show dev va egress > tc-filter-va-egress.txt
inA tc filter show dev va ingress > tc-filter-va-ingress.txt
inA tc filter show dev flannel.1 egress > tc-filter-flannel.1-egress-empty.txt
# a device without a clsact or ingress qdisc: tc prints nothing and exits 0 (recorded in the README)
inB tc filter show dev vb ingress > tc-filter-vb-ingress-no-qdisc.txt
inA dash "$repo/tools/collect-flannel-state.sh" --subnet-env /nonexistent > collector-a.state
