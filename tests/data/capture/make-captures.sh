#!/bin/sh
# Remakes the small captures the capture-layer tests read (run as root; needs tcpdump, editcap,
# mergecap, python3). Traffic: UDP datagrams to 127.0.0.1 ports 8472 and 9999 on loopback.
set -eu
cd "$(dirname "$0")"
send() { # $1 = count
  python3 - "$1" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[1])):
    port = 8472 if i % 3 != 2 else 9999
    s.sendto(bytes([i % 256]) * (20 + 37 * i), ("127.0.0.1", port))
    time.sleep(0.01)
PY
}
capture() { # $1 = output, rest = tcpdump options; captures while sending 9 datagrams
  out=$1; shift
  tcpdump -q -U -i lo "$@" -w "$out" 'udp and (port 8472 or port 9999)' 2>/dev/null & pid=$!
  sleep 1; send 9; sleep 1; kill -INT $pid; wait $pid || true
}
capture lo-eth-usec.pcap
# no VXLAN at all: 4 datagrams to port 9999 only
tcpdump -q -U -i lo -w no-vxlan.pcap 'udp and port 9999' 2>/dev/null & pid=$!
sleep 1; python3 -c "
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(4): s.sendto(bytes([i]) * (20 + 37 * i), ('127.0.0.1', 9999)); time.sleep(0.01)"
sleep 1; kill -INT $pid; wait $pid || true
capture lo-eth-nsec.pcap --time-stamp-precision=nano
tcpdump -q -U -i any -y LINUX_SLL2 -w any-sll2.pcap 'udp and dst host 127.0.0.1 and (port 8472 or port 9999)' 2>/dev/null & pid=$!
sleep 1; send 6; sleep 1; kill -INT $pid; wait $pid || true
editcap -F pcapng lo-eth-usec.pcap lo-eth.pcapng
editcap -T ieee-802-11 lo-eth-usec.pcap unknown-link.pcap
editcap -F pcap -C 14 -T rawip lo-eth-usec.pcap rawip.pcap
mergecap -F pcapng -w mixed-link.pcapng lo-eth-usec.pcap any-sll2.pcap
# cut mid-record: the pcap header (24) + the first 4 records whole + 30 bytes of the 5th
len4=$(python3 -c "
import struct
d=open('lo-eth-usec.pcap','rb').read(); o=24
for i in range(4): o += 16 + struct.unpack_from('<I', d, o+8)[0]
print(o + 30)")
head -c "$len4" lo-eth-usec.pcap > truncated.pcap
# pcapng cut inside its last block
size=$(stat -c %s mixed-link.pcapng); head -c $((size - 20)) mixed-link.pcapng > truncated.pcapng
python3 make-pcapng-variants.py
: > empty.pcap
printf 'this is not a capture file\n' > not-a-capture.pcap
