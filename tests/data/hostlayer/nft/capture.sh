#!/bin/bash
# Captures every file of this folder from the real nft and iptables-nft, in namespaces of its own
# (hlnft-a holds the rules, hlnft-b sends packets to it over a veth pair so counters count).
# Run as root from this folder: bash capture.sh
set -euo pipefail
cd "$(dirname "$0")"
A=hlnft-a B=hlnft-b
cleanup() { ip netns del "$A" 2>/dev/null || true; ip netns del "$B" 2>/dev/null || true; }
trap cleanup EXIT INT TERM
cleanup
ip netns add "$A"; ip netns add "$B"
ip link add hlnft-va netns "$A" type veth peer name hlnft-vb netns "$B"
ip -n "$A" addr add 192.168.50.1/24 dev hlnft-va; ip -n "$A" link set hlnft-va up; ip -n "$A" link set lo up
ip -n "$B" addr add 192.168.50.2/24 dev hlnft-vb; ip -n "$B" link set hlnft-vb up; ip -n "$B" link set lo up

inA() { ip netns exec "$A" "$@"; }
# Three UDP datagrams to flannel's VXLAN port and two pings, from hlnft-b to hlnft-a.
traffic() {
    ip netns exec "$B" bash -c 'for i in 1 2 3; do echo vxlan > /dev/udp/192.168.50.1/8472; done'
    ip netns exec "$B" ping -c 2 -W 1 192.168.50.1 >/dev/null || true
}
capture() { # name: load src/NAME.nft into an empty ruleset, send traffic, list it both ways
    inA nft flush ruleset
    inA nft -f "src/$1.nft"
    traffic
    inA nft -j list ruleset > "$1.json"
    inA nft list ruleset > "$1.txt"
}
capture input-drop-8472
capture forward-policy-drop
capture flannel-nftables
capture firewalld
capture sets-and-maps

# iptables-nft rules as nft shows them (ruleset 5).
inA nft flush ruleset
inA iptables-nft -A INPUT -p udp --dport 8472 -j DROP
inA iptables-nft -A FORWARD -m comment --comment "flanneld forward" -j ACCEPT
inA iptables-nft -t nat -A POSTROUTING -j MASQUERADE --random-fully
traffic
inA nft -j list ruleset > iptables-nft.json
inA nft list ruleset > iptables-nft.txt
inA iptables-nft-save -c > iptables-nft-save.txt
