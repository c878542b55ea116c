"""Traffic between the capture's namespaces only: UDP to a closed port (Udp NoPorts, Udp6 NoPorts), UDP with a wrong
checksum written by hand through a raw socket (Udp InCsumErrors on the receiver), and Ethernet frames of an
EtherType no protocol takes (the receiving device's rx_dropped).
  python3 traffic.py udp SOURCE DESTINATION
  python3 traffic.py udp6 DESTINATION6
  python3 traffic.py ethertype DEVICE DESTINATION_MAC"""
import socket
import struct
import sys


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def closed_port(family, address, count):
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        for _ in range(count):
            s.sendto(b"hlkern", (address, 9))


def bad_checksum(source, destination, count):
    payload = b"bad checksum"
    udp_length = 8 + len(payload)
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + udp_length, 1, 0, 64, socket.IPPROTO_UDP, 0,
                     socket.inet_aton(source), socket.inet_aton(destination))
    ip = ip[:10] + struct.pack("!H", checksum(ip)) + ip[12:]
    pseudo = socket.inet_aton(source) + socket.inet_aton(destination) + struct.pack("!BBH", 0, socket.IPPROTO_UDP, udp_length)
    good = checksum(pseudo + struct.pack("!HHHH", 40000, 9, udp_length, 0) + payload)
    udp = struct.pack("!HHHH", 40000, 9, udp_length, (good + 1) & 0xFFFF or 1) + payload
    with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW) as s:
        for _ in range(count):
            s.sendto(ip + udp, (destination, 0))


def unknown_ethertype(device, destination, count):
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as s:
        s.bind((device, 0))
        source = s.getsockname()[4]
        frame = bytes.fromhex(destination.replace(":", "")) + source + struct.pack("!H", 0x88B5) + b"hlkern".ljust(46, b"\0")
        for _ in range(count):
            s.send(frame)


if __name__ == "__main__":
    if sys.argv[1] == "udp":
        closed_port(socket.AF_INET, sys.argv[3], 3)
        bad_checksum(sys.argv[2], sys.argv[3], 4)
    elif sys.argv[1] == "udp6":
        closed_port(socket.AF_INET6, sys.argv[2], 2)
    elif sys.argv[1] == "ethertype":
        unknown_ethertype(sys.argv[2], sys.argv[3], 5)
