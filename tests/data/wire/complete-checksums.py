#!/usr/bin/env python3
"""Rewrites the VXLAN frames of a classic Ethernet pcap (UDP 8472, IPv4 outer and inner) so that their checksums are
complete: the inner IPv4 header and inner TCP/UDP checksums computed over the inner packet, then the outer IPv4
header and outer UDP checksums over the result, as a NIC finishing the transmit offload would.
With --break-outer N[,N...] the outer UDP checksum of those frames (numbered from 1, as Wireshark numbers them) is then
changed to a wrong value (its complement's bytes swapped and 1 added, never 0): outer wrong, inner right.

    complete-checksums.py IN.pcap OUT.pcap [--break-outer 3,5]
"""
import struct
import sys


def fold(total):
    while total > 0xffff:
        total = (total & 0xffff) + (total >> 16)
    return total


def ones_sum(data):
    if len(data) % 2:
        data = data + b"\0"
    return sum(struct.unpack("!%dH" % (len(data) // 2), data))


def checksum(data, pseudo=b""):
    value = 0xffff - fold(ones_sum(pseudo) + ones_sum(data))
    return value


def ip_header_fix(packet, offset):
    ihl = (packet[offset] & 0x0f) * 4
    packet[offset + 10:offset + 12] = b"\0\0"
    packet[offset + 10:offset + 12] = struct.pack("!H", checksum(bytes(packet[offset:offset + ihl])))
    return ihl


def transport_fix(packet, ip_offset, ihl, zero_is_none):
    total = struct.unpack("!H", packet[ip_offset + 2:ip_offset + 4])[0]
    proto = packet[ip_offset + 9]
    start, end = ip_offset + ihl, ip_offset + total
    field = {6: 16, 17: 6}.get(proto)
    if field is None or struct.unpack("!H", packet[ip_offset + 6:ip_offset + 8])[0] & 0x3fff:
        return
    if proto == 17 and zero_is_none and packet[start + 6:start + 8] == b"\0\0":
        return
    pseudo = bytes(packet[ip_offset + 12:ip_offset + 20]) + struct.pack("!BBH", 0, proto, end - start)
    packet[start + field:start + field + 2] = b"\0\0"
    value = checksum(bytes(packet[start:end]), pseudo)
    if proto == 17 and value == 0:
        value = 0xffff
    packet[start + field:start + field + 2] = struct.pack("!H", value)


def fix_frame(frame):
    packet = bytearray(frame)
    if len(packet) < 14 + 20 + 8 + 8 + 14 + 20 or packet[12:14] != b"\x08\x00" or packet[14 + 9] != 17:
        return frame, False
    outer_ihl = (packet[14] & 0x0f) * 4
    udp = 14 + outer_ihl
    if struct.unpack("!H", packet[udp + 2:udp + 4])[0] != 8472:
        return frame, False
    inner_eth = udp + 8 + 8
    if packet[inner_eth + 12:inner_eth + 14] == b"\x08\x00":
        inner_ip = inner_eth + 14
        inner_ihl = ip_header_fix(packet, inner_ip)
        transport_fix(packet, inner_ip, inner_ihl, zero_is_none=True)
    ip_header_fix(packet, 14)
    transport_fix(packet, 14, outer_ihl, zero_is_none=False)
    return bytes(packet), True


def main(argv):
    source, target = argv[1], argv[2]
    broken = set()
    if len(argv) > 4 and argv[3] == "--break-outer":
        broken = {int(n) for n in argv[4].split(",")}
    data = open(source, "rb").read()
    magic = data[:4]
    endian = "<" if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1") else ">"
    out = bytearray(data[:24])
    position, number = 24, 0
    while position + 16 <= len(data):
        seconds, fraction, captured, original = struct.unpack(endian + "IIII", data[position:position + 16])
        frame = data[position + 16:position + 16 + captured]
        position += 16 + captured
        number += 1
        fixed, vxlan = fix_frame(frame)
        if vxlan and number in broken:
            packet = bytearray(fixed)
            udp = 14 + (packet[14] & 0x0f) * 4
            value = struct.unpack("!H", packet[udp + 6:udp + 8])[0]
            wrong = (((~value & 0xffff) >> 8) | ((~value & 0xff) << 8)) + 1 & 0xffff or 1
            packet[udp + 6:udp + 8] = struct.pack("!H", wrong)
            fixed = bytes(packet)
        out += struct.pack(endian + "IIII", seconds, fraction, len(fixed), original) + fixed
    open(target, "wb").write(out)


if __name__ == "__main__":
    main(sys.argv)
