#!/usr/bin/env bash
# Makes the captures of tests/data/wire (see README.md there) on the lab: real kernel VXLAN in network namespaces.
# Needs root. Usage: sudo bash tests/data/wire/make-wire-captures.sh OUTDIR   (about 10 s; two labs, each torn down)
set -euo pipefail
OUT=${1:?usage: make-wire-captures.sh OUTDIR}
HERE=$(cd "$(dirname "$0")" && pwd)
LAB="$HERE/../../lab/lab.sh"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
P=wire$$
trap 'bash "$LAB" down --prefix "$P" >/dev/null 2>&1 || true; bash "$LAB" down --prefix "${P}c" >/dev/null 2>&1 || true' EXIT

# A healthy lab: curl and 2 UDP echoes from node1's pod to node2's, on node1's eth0 and node2's `-i any` at once.
bash "$LAB" up --prefix "$P" --out "$OUT/state" >/dev/null
bash "$LAB" capture --prefix "$P" --at "node1:eth0:$OUT/offload-node1-eth0.pcap" --at "node2:any:$OUT/offload-node2-any.pcap" \
  --traffic curl,udp --count 2 >/dev/null
cp "$OUT/state/nodes.json" "$OUT/nodes.json"
# Edited copies of node1's capture: every checksum completed, then the outer UDP checksum of frames 3 and 6 made wrong.
python3 "$HERE/complete-checksums.py" "$OUT/offload-node1-eth0.pcap" "$OUT/completed-node1-eth0.pcap"
python3 "$HERE/complete-checksums.py" "$OUT/offload-node1-eth0.pcap" "$OUT/outer-wrong-node1-eth0.pcap" --break-outer 3,6
bash "$LAB" down --prefix "$P" >/dev/null

# The checksum bug for real (lab.sh fault checksum node1): node2's eth0 receives node1's frames with a wrong outer
# UDP checksum and a right inner TCP checksum, and drops them; captured on both nodes' eth0 at once.
bash "$LAB" up --prefix "${P}c" --out "$OUT/state-c" >/dev/null
bash "$LAB" fault --prefix "${P}c" checksum node1 >/dev/null
bash "$LAB" capture --prefix "${P}c" --at "node1:eth0:$OUT/bug-node1-eth0.pcap" --at "node2:eth0:$OUT/bug-node2-eth0.pcap" \
  --traffic curl --timeout 2 --allow-fail >/dev/null
rm -rf "$OUT/state" "$OUT/state-c"

