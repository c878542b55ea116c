#!/usr/bin/env bash
# Remakes samples/walkthrough.pcap from a real lab run (root needed):
# lab up, capture on node1's eth0 while the node1 pod curls the node2 pod, lab down.
# usage: samples/make-sample.sh [OUTFILE]     (default samples/walkthrough.pcap)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
lab=$here/../tests/lab/lab.sh
out=${1:-$here/walkthrough.pcap}
prefix=ftls$$
tmp=$(mktemp -d)
cleanup() { bash "$lab" down --prefix "$prefix" || true; rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

bash "$lab" up --prefix "$prefix" --out "$tmp/state"
bash "$lab" walkthrough --prefix "$prefix" --out "$tmp/walkthrough.pcap"

if command -v tshark >/dev/null; then
  # the walkthrough's table: outer = the two eth0, inner = the two pods with the two flannel.1 MACs
  got=$(tshark -r "$tmp/walkthrough.pcap" -d udp.port==8472,vxlan -Y vxlan \
    -T fields -e eth.src -e eth.dst -e ip.src -e ip.dst -e vxlan.vni -E occurrence=a 2>/dev/null | sort -u)
  want=$(printf '%s\t%s\t%s\t%s\t%s\n' \
    9e:66:01:47:0d:72,32:73:d8:d1:e9:78 0a:d2:1d:9d:dc:f7,ee:81:17:b0:fd:7b 192.168.0.12,10.244.1.178 192.168.0.13,10.244.2.101 1 \
    0a:d2:1d:9d:dc:f7,ee:81:17:b0:fd:7b 9e:66:01:47:0d:72,32:73:d8:d1:e9:78 192.168.0.13,10.244.2.101 192.168.0.12,10.244.1.178 1 | sort -u)
  if [[ $got != "$want" ]]; then
    printf 'make-sample.sh: capture does not show the walkthrough table:\n%s\n' "$got" >&2
    exit 1
  fi
fi
mkdir -p "$(dirname "$out")"
cp "$tmp/walkthrough.pcap" "$out"
