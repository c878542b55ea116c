#!/bin/sh
# node1 of the walkthrough lab, host layer as the collector reads it.
set -u
ns=hlhostchecks-n1
trap 'ip netns del $ns 2>/dev/null' EXIT INT TERM
ip netns add $ns
x() { ip netns exec $ns "$@"; }
x ip link set lo up
x ip link add eth0 type veth peer name eth0p
x ip link set eth0p up
x ip addr add 192.168.0.12/24 dev eth0
x ip link set eth0 up
x ip route add default via 192.168.0.1 dev eth0
x ip link add flannel.1 type vxlan id 1 local 192.168.0.12 dev eth0 dstport 8472 nolearning
x ip link set flannel.1 mtu 1450 up
x ip addr add 10.244.1.0/32 dev flannel.1
x ip link add cni0 type bridge
x ip addr add 10.244.1.1/24 dev cni0
x ip link set cni0 up
x ip route add 10.244.0.0/24 via 10.244.0.0 dev flannel.1 onlink
x ip route add 10.244.2.0/24 via 10.244.2.0 dev flannel.1 onlink
x sysctl -qw net.ipv4.ip_forward=1
x sh "$1" --host > "$2"
# Other VXLAN devices beside flannel.1, as a node may hold them: a leftover flannel device of another VNI on the same
# port, a device on another port, one with an IPv6 local address, and two the kernel lets exist on flannel's VNI and
# port only because their receive flags differ (gbp; external, as cilium_vxlan), which cannot come up while flannel.1 holds it.
x ip link add flannel.4 type vxlan id 4 local 192.168.0.12 dev eth0 dstport 8472 nolearning
x ip link set flannel.4 up
x ip link add vxlan4789 type vxlan id 1 local 192.168.0.12 dev eth0 dstport 4789
x ip link set vxlan4789 up
x ip link add vx6 type vxlan id 1 local fd00::12 dstport 8472
x ip link add flannel.9 type vxlan id 1 local 192.168.0.12 dev eth0 dstport 8472 nolearning gbp
x ip link set flannel.9 up 2> "$3"
x ip link add cilium_vxlan type vxlan external dstport 8472
x ip link set cilium_vxlan up 2>> "$3"
x ip -d link show > "$4"
