#!/usr/bin/env bash
# Remakes three-node-underlay.pcap (see tests/data/README.md) in a lab of its own: tcpdump on the underlay bridge
# (br0 in the lab's underlay namespace), so the capture holds the VXLAN frames of all three node pairs:
#   2 pings node1 -> node2 pod, 2 pings node1 -> master pod, 2 pings master -> node2 pod, 2 UDP echoes node2 -> node1 pod
# and the underlay ARP before each first exchange.
# Usage: sudo bash tests/data/lab/make-three-node-capture.sh OUTDIR
set -euo pipefail
out=$(mkdir -p "$1" && cd "$1" && pwd)
lab=$(cd "$(dirname "$0")/../../lab" && pwd)/lab.sh
prefix=tnc$$
L() { bash "$lab" "$@"; }
L up --prefix "$prefix" --nodes 3 >/dev/null
trap 'L down --prefix "$prefix" >/dev/null 2>&1 || true' EXIT

L capture --prefix "$prefix" --at "underlay:br0:$out/three-node-underlay.pcap" \
  --traffic ping:node1:node2,ping:node1:master,ping:master:node2,udp:node2:node1 --count 2

# check: frames of each pair, as tshark counts them (ip.host matches outer and inner; the inner are 10.244/16)
for pair in "192.168.0.12 192.168.0.13" "192.168.0.12 192.168.0.11" "192.168.0.11 192.168.0.13"; do
  set -- $pair
  n=$(tshark -r "$out/three-node-underlay.pcap" -n -d udp.port==8472,vxlan -Y "vxlan && ip.host==$1 && ip.host==$2" 2>/dev/null | wc -l)
  echo "$1 <-> $2: $n VXLAN frames"
  ((n > 0)) || { echo "make-three-node-capture.sh: no VXLAN frame between $1 and $2" >&2; exit 1; }
done
