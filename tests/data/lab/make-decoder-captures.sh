#!/usr/bin/env bash
# Remakes the decoder-detail captures of this folder (see tests/data/README.md) in a lab of their own:
#   snap96.pcap        the curl exchange and 2 UDP echoes, captured with tcpdump -s 96
#   nested-vxlan.pcap  2 pings over a VXLAN device (VNI 42, UDP 4789) between the node1 and node2 pods,
#                      so node1's eth0 carries VXLAN in flannel's VXLAN
#   frag-udp.pcap      one 3000-byte UDP datagram from the node1 pod to port 9000 of the node2 pod (pod MTU 1450):
#                      the pod sends it as three IP fragments, each carried in its own VXLAN frame
# Usage: sudo bash tests/data/lab/make-decoder-captures.sh OUTDIR
set -euo pipefail
out=$(mkdir -p "$1" && cd "$1" && pwd)
lab=$(cd "$(dirname "$0")/../../lab" && pwd)/lab.sh
prefix=dec$$
L() { bash "$lab" "$@"; }
L up --prefix "$prefix" >/dev/null
trap 'L down --prefix "$prefix" >/dev/null 2>&1 || true' EXIT

L capture --prefix "$prefix" --out "$out/snap96.pcap" --traffic curl,udp -- -s 96

node1=$(L ns --prefix "$prefix" node1)
pod1=$(L ns --prefix "$prefix" node1-pod1)
pod2=$(L ns --prefix "$prefix" node2-pod1)

capture() { # file command...: tcpdump on node1's eth0 while command runs
  local file=$1 err=$out/.tcpdump.err cap; shift
  rm -f "$file" "$err"
  ip netns exec "$node1" tcpdump -i eth0 -U --immediate-mode -n -Z root -w "$file" udp port 8472 </dev/null >/dev/null 2>"$err" &
  cap=$!
  for _ in $(seq 100); do grep -q 'listening on' "$err" 2>/dev/null && break; sleep 0.05; done
  "$@"
  sleep 0.5
  kill -INT "$cap"; wait "$cap" || true
  rm -f "$err"
}

ip netns exec "$pod2" timeout 5 python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("10.244.2.101", 9000)); s.recvfrom(65535)' &
srv=$!
sleep 0.5
capture "$out/frag-udp.pcap" ip netns exec "$pod1" python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("10.244.1.178", 40007))
s.sendto(bytes(3000), ("10.244.2.101", 9000))'
wait "$srv" || true

ip -n "$pod1" link add vxn42 type vxlan id 42 local 10.244.1.178 remote 10.244.2.101 dstport 4789 dev eth0
ip -n "$pod2" link add vxn42 type vxlan id 42 local 10.244.2.101 remote 10.244.1.178 dstport 4789 dev eth0
ip -n "$pod1" addr add 172.16.42.1/24 dev vxn42
ip -n "$pod2" addr add 172.16.42.2/24 dev vxn42
ip -n "$pod1" link set vxn42 up
ip -n "$pod2" link set vxn42 up
capture "$out/nested-vxlan.pcap" ip netns exec "$pod1" ping -c 2 -i 0.2 -W 2 172.16.42.2 >/dev/null
