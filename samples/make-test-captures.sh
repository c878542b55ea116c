#!/usr/bin/env bash
# Makes, from real lab traffic, the capture variants the decoder tests need (root needed).
# usage: samples/make-test-captures.sh OUTDIR [--install]
#   OUTDIR     every capture is (re)written here
#   --install  also copy the committed set into tests/data/lab/ (see tests/data/README.md)
# Three labs run side by side: A (VNI 1, port 8472), B (VNI 4096, port 4789), C (dual-stack).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/.." && pwd)
lab=$repo/tests/lab/lab.sh
install=0 out=''
for a in "$@"; do
  case $a in
    --install) install=1 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    -*) echo "make-test-captures.sh: unknown option $a" >&2; exit 2 ;;
    *) out=$a ;;
  esac
done
[[ -n $out ]] || { echo "usage: make-test-captures.sh OUTDIR [--install]" >&2; exit 2; }
for c in tcpdump tshark editcap mergecap tcprewrite capinfos; do
  command -v "$c" >/dev/null || { echo "make-test-captures.sh: $c missing (bash tests/lab/lab.sh deps)" >&2; exit 1; }
done
mkdir -p "$out"; out=$(cd "$out" && pwd)

A=ftlca$$ B=ftlcb$$ C=ftlcc$$
tmp=$(mktemp -d)
cleanup() {
  local p
  for p in "$A" "$B" "$C"; do bash "$lab" down --prefix "$p" || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cap() { # prefix file [lab.sh capture options...]
  local p=$1 f=$2; shift 2
  bash "$lab" capture --prefix "$p" --out "$out/$f" "$@"
}

bash "$lab" up --prefix "$A" --out "$tmp/A"
bash "$lab" up --prefix "$B" --out "$tmp/B" --vni 4096 --port 4789
bash "$lab" up --prefix "$C" --out "$tmp/C" --dual-stack

# Lab A: the walkthrough's curl, captured in every format (the first one includes the underlay ARP)
cap "$A" eth.pcap
cap "$A" eth-nano.pcap -- --time-stamp-precision=nano
cap "$A" eth-dumpcap.pcapng --tool dumpcap
chmod 644 "$out/eth-dumpcap.pcapng"
cap "$A" sll.pcap --iface any -- -y LINUX_SLL
cap "$A" sll2.pcap --iface any -- -y LINUX_SLL2
cap "$A" snaplen60.pcap -- -s 60
cap "$A" icmp-udp.pcap --traffic ping,udp
editcap -F pcapng "$out/eth.pcap" "$out/eth.pcapng"
tcprewrite --enet-vlan=add --enet-vlan-tag=100 --enet-vlan-cfi=0 --enet-vlan-pri=0 -i "$out/eth.pcap" -o "$out/vlan100.pcap"
tcprewrite --enet-vlan=add --enet-vlan-tag=200 --enet-vlan-cfi=0 --enet-vlan-pri=0 --enet-vlan-proto=802.1ad -i "$out/vlan100.pcap" -o "$out/qinq-200-100.pcap"
mergecap -F pcapng -w "$out/mixed-eth-sll2.pcapng" "$out/eth.pcap" "$out/sll2.pcap"
# file cut inside the last record's data, and inside the second record's header
size=$(stat -c %s "$out/eth.pcap")
head -c $((size - 20)) "$out/eth.pcap" > "$out/truncated-data.pcap"
first=$("${PY:-python3}" -c 'import struct,sys; d=open(sys.argv[1],"rb").read(40); print(24 + 16 + struct.unpack("<I", d[32:36])[0])' "$out/eth.pcap")
head -c $((first + 8)) "$out/eth.pcap" > "$out/truncated-header.pcap"
# outer IP fragmentation: the underlay MTU drops below flannel.1's 1450 + 50 on both nodes
bash "$lab" fault --prefix "$A" mtu node1 --mtu 1400
bash "$lab" fault --prefix "$A" mtu node2 --mtu 1400
cap "$A" frag-outer.pcap --traffic bigping --size 1400 --count 2
cap "$A" frag-inner-outer.pcap --traffic bigping --size 3000 --count 1

# Lab B: VNI 4096 on port 4789 (device flannel.4096)
cap "$B" vni4096-port4789.pcap

# Lab C: dual-stack, IPv6 outer and inner (flannel-v6.1)
cap "$C" dualstack-v6.pcap --traffic curl6,ping6
cap "$C" dualstack-v4.pcap --traffic curl

# check: every complete capture holds VXLAN frames between the node1 and node2 pods
check() { # file port inner-src-field inner-src
  local n
  n=$(tshark -r "$out/$1" -d "udp.port==$2,vxlan" -Y "vxlan && $3 == $4" 2>/dev/null | wc -l)
  ((n > 0)) || { echo "make-test-captures.sh: $1 has no VXLAN frame from $4" >&2; exit 1; }
}
for f in eth.pcap eth-nano.pcap eth-dumpcap.pcapng sll.pcap sll2.pcap icmp-udp.pcap eth.pcapng \
  vlan100.pcap qinq-200-100.pcap mixed-eth-sll2.pcapng frag-outer.pcap frag-inner-outer.pcap dualstack-v4.pcap; do
  check "$f" 8472 ip.src 10.244.1.178
done
check snaplen60.pcap 8472 ip.src 192.168.0.12
check vni4096-port4789.pcap 4789 ip.src 10.244.1.178
check dualstack-v6.pcap 8472 ipv6.src fd10:244:1::178

if ((install)); then
  mkdir -p "$repo/tests/data/lab"
  for f in eth.pcap eth-nano.pcap eth.pcapng eth-dumpcap.pcapng sll.pcap sll2.pcap vlan100.pcap qinq-200-100.pcap \
    mixed-eth-sll2.pcapng vni4096-port4789.pcap dualstack-v6.pcap dualstack-v4.pcap icmp-udp.pcap frag-outer.pcap \
    frag-inner-outer.pcap snaplen60.pcap truncated-data.pcap truncated-header.pcap; do
    cp "$out/$f" "$repo/tests/data/lab/$f"
  done
fi
