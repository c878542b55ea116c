#!/usr/bin/env python3
"""Writes pcapng files that exercise the rarer parts of the format, using the real frames of
lo-eth-usec.pcap (tcpdump on lo) and any-sll2.pcap (tcpdump -i any -y LINUX_SLL2):

variants.pcapng: section 1 big-endian: IDB 0 Ethernet with if_tsresol 2^-20 and if_tsoffset 100,
  IDB 1 raw IP (101, frames are the Ethernet frames less 14 bytes) with if_tsresol 10^-3,
  Enhanced Packet Blocks on both, a Simple Packet Block (interface 0, snaplen 96 cuts it),
  an obsolete Packet Block, a Name Resolution, an Interface Statistics and an unknown-type block (all skipped);
  section 2 little-endian: its interfaces reset, IDB 0 LINUX_SLL2 with if_tsresol 10^-9, EPBs.

late-interface.pcapng: little-endian, IDB 0 Ethernet, two EPBs, then IDB 1 LINUX_SLL2 (a second link type
  only after packets, where libpcap gives up and a scan of the file's start does not look), EPBs on both.
"""
import struct

def pcap_records(path):
    d = open(path, 'rb').read()
    assert struct.unpack_from('<I', d, 0)[0] == 0xa1b2c3d4
    o, out = 24, []
    while o < len(d):
        sec, usec, cap, orig = struct.unpack_from('<IIII', d, o)
        out.append((sec, usec, d[o + 16:o + 16 + cap], orig))
        o += 16 + cap
    return out

def pad(b):
    return b + b'\0' * (-len(b) % 4)

def block(e, btype, body):
    n = 12 + len(pad(body))
    return struct.pack(e + 'II', btype, n) + pad(body) + struct.pack(e + 'I', n)

def opt(e, code, value):
    return struct.pack(e + 'HH', code, len(value)) + pad(value)

def shb(e):
    return block(e, 0x0A0D0D0A, struct.pack(e + 'IHHq', 0x1A2B3C4D, 1, 0, -1) + opt(e, 0, b''))

def idb(e, linktype, snaplen, tsresol=None, tsoffset=None):
    opts = b''
    if tsresol is not None:
        opts += opt(e, 9, bytes([tsresol]))
    if tsoffset is not None:
        opts += opt(e, 14, struct.pack(e + 'q', tsoffset))
    if opts:
        opts += opt(e, 0, b'')
    return block(e, 1, struct.pack(e + 'HHI', linktype, 0, snaplen) + opts)

def ts_units(sec, usec, units_per_sec, tsoffset=0):
    return (sec - tsoffset) * units_per_sec + usec * units_per_sec // 1000000

def epb(e, ifid, units, data, orig):
    return block(e, 6, struct.pack(e + 'IIIII', ifid, units >> 32, units & 0xffffffff, len(data), orig) + data)

def pb(e, ifid, units, data, orig):
    return block(e, 2, struct.pack(e + 'HHIIII', ifid, 0, units >> 32, units & 0xffffffff, len(data), orig) + data)

def spb(e, orig, data):
    return block(e, 3, struct.pack(e + 'I', orig) + data)

eth = pcap_records('lo-eth-usec.pcap')
sll2 = pcap_records('any-sll2.pcap')
be, le = '>', '<'
f = shb(be)
f += idb(be, 1, 96, tsresol=0x80 | 20, tsoffset=100)
f += idb(be, 101, 65535, tsresol=3)
f += epb(be, 0, ts_units(*eth[0][:2], 1 << 20, 100), eth[0][2][:96], eth[0][3])
f += epb(be, 1, ts_units(*eth[1][:2], 1000), eth[1][2][14:], eth[1][3] - 14)
f += block(be, 4, struct.pack(be + 'HH', 1, 8) + bytes([127, 0, 0, 1]) + b'lo\0\0' + struct.pack(be + 'HH', 0, 0))
f += spb(be, eth[2][3], eth[2][2][:96])
f += block(be, 0x00000099, b'unknown block type')
f += pb(be, 1, ts_units(*eth[3][:2], 1000), eth[3][2][14:], eth[3][3] - 14)
f += block(be, 5, struct.pack(be + 'III', 0, 0, 0))
f += epb(be, 0, ts_units(*eth[4][:2], 1 << 20, 100), eth[4][2][:96], eth[4][3])
f += shb(le)
f += idb(le, 276, 262144, tsresol=9)
for sec, usec, data, orig in sll2[:3]:
    f += epb(le, 0, sec * 10**9 + usec * 1000 + 123, data, orig)
open('variants.pcapng', 'wb').write(f)

f = shb(le)
f += idb(le, 1, 262144)
f += epb(le, 0, eth[0][0] * 10**6 + eth[0][1], eth[0][2], eth[0][3])
f += epb(le, 0, eth[1][0] * 10**6 + eth[1][1], eth[1][2], eth[1][3])
f += idb(le, 276, 262144)
for i in range(3):
    f += epb(le, 1, sll2[i][0] * 10**6 + sll2[i][1], sll2[i][2], sll2[i][3])
    f += epb(le, 0, eth[i + 2][0] * 10**6 + eth[i + 2][1], eth[i + 2][2], eth[i + 2][3])
open('late-interface.pcapng', 'wb').write(f)
