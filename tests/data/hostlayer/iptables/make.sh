#!/bin/bash
# Remakes the iptables test data in this folder: for each ruleset, three namespaces of its own (a node that forwards
# between a pod and a peer), the ruleset installed with the real iptables-nft / ip6tables-nft / iptables-legacy,
# a few packets sent between the namespaces so that counters are not all zero, then the outputs captured (stdout only;
# iptables writes its "legacy tables present" warning to stderr). Needs root, iptables 1.8 (nft and legacy), ipset.
#   sudo bash tests/data/hostlayer/iptables/make.sh
# Namespaces are hlipt-node, hlipt-pod and hlipt-peer; they are deleted on every exit path.
set -euo pipefail
cd "$(dirname "$0")"

NODE=hlipt-node POD=hlipt-pod PEER=hlipt-peer

teardown() {
    for ns in "$NODE" "$POD" "$PEER"; do
        ip netns del "$ns" 2>/dev/null || true
    done
}
trap teardown EXIT INT TERM HUP

in_node() { ip netns exec "$NODE" "$@"; }

# pod 10.244.1.2 / fd10:244:1::2 --(cni0 on the node: 10.244.1.1)-- node --(eth0: 192.168.50.12 / fd00::12)-- peer 192.168.50.13 / fd00::13
setup() {
    teardown
    for ns in "$NODE" "$POD" "$PEER"; do
        ip netns add "$ns"
        ip -n "$ns" link set lo up
    done
    ip link add cni0 netns "$NODE" type veth peer name eth0 netns "$POD"
    ip link add eth0 netns "$NODE" type veth peer name eth0 netns "$PEER"
    ip -n "$NODE" addr add 10.244.1.1/24 dev cni0
    ip -n "$NODE" addr add fd10:244:1::1/64 dev cni0 nodad
    ip -n "$NODE" addr add 192.168.50.12/24 dev eth0
    ip -n "$NODE" addr add fd00::12/64 dev eth0 nodad
    ip -n "$POD" addr add 10.244.1.2/24 dev eth0
    ip -n "$POD" addr add fd10:244:1::2/64 dev eth0 nodad
    ip -n "$PEER" addr add 192.168.50.13/24 dev eth0
    ip -n "$PEER" addr add fd00::13/64 dev eth0 nodad
    for ns in "$NODE" "$POD" "$PEER"; do
        ip -n "$ns" link set eth0 up
    done
    ip -n "$NODE" link set cni0 up
    ip -n "$POD" route add default via 10.244.1.1
    ip -n "$POD" -6 route add default via fd10:244:1::1
    ip -n "$PEER" -6 route add fd10:244::/56 via fd00::12
    in_node sysctl -q -w net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1
}

# Pod to peer (forwarded, masqueraded where a ruleset says so), peer to the node's VXLAN port, node to the peer's.
traffic() {
    ip netns exec "$POD" ping -c 3 -W 1 -i 0.2 192.168.50.13 >/dev/null || true
    ip netns exec "$POD" ping -6 -c 2 -W 1 -i 0.2 fd00::13 >/dev/null || true
    ip netns exec "$PEER" ping -c 2 -W 1 -i 0.2 192.168.50.12 >/dev/null || true
    ip netns exec "$PEER" bash -c 'for i in 1 2 3; do echo vxlan > /dev/udp/192.168.50.12/8472; done' || true
    in_node bash -c 'for i in 1 2; do echo vxlan > /dev/udp/192.168.50.13/8472; done' || true
}

# capture NAME COMMAND...: the command's stdout, run in the node, into NAME.txt
capture() {
    local name=$1
    shift
    in_node "$@" > "$name.txt"
}

# flannel's own rules, exactly as pkg/trafficmngr/iptables (forwardRules, masqRules, masqIP6Rules) installs them for
# Network 10.244.0.0/16 with lease 10.244.1.0/24, IPv6Network fd10:244::/56 with lease fd10:244:1::/64, random-fully
# supported. IPT is iptables-nft, iptables-legacy, ...; IPT6 the ip6tables of the same backend.
flannel_rules() {
    local ipt=$1 ipt6=$2
    $ipt -t filter -N FLANNEL-FWD
    $ipt -t filter -A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
    $ipt -t filter -A FLANNEL-FWD -s 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
    $ipt -t filter -A FLANNEL-FWD -d 10.244.0.0/16 -m comment --comment "flanneld forward" -j ACCEPT
    $ipt -t nat -N FLANNEL-POSTRTG
    $ipt -t nat -A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG
    $ipt -t nat -A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN
    $ipt -t nat -A FLANNEL-POSTRTG -s 10.244.1.0/24 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j RETURN
    $ipt -t nat -A FLANNEL-POSTRTG -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN
    $ipt -t nat -A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.1.0/24 -m comment --comment "flanneld masq" -j RETURN
    $ipt -t nat -A FLANNEL-POSTRTG -s 10.244.0.0/16 ! -d 224.0.0.0/4 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
    $ipt -t nat -A FLANNEL-POSTRTG ! -s 10.244.0.0/16 -d 10.244.0.0/16 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
    [ -n "$ipt6" ] || return 0
    $ipt6 -t filter -N FLANNEL-FWD
    $ipt6 -t filter -A FORWARD -m comment --comment "flanneld forward" -j FLANNEL-FWD
    $ipt6 -t filter -A FLANNEL-FWD -s fd10:244::/56 -m comment --comment "flanneld forward" -j ACCEPT
    $ipt6 -t filter -A FLANNEL-FWD -d fd10:244::/56 -m comment --comment "flanneld forward" -j ACCEPT
    $ipt6 -t nat -N FLANNEL-POSTRTG
    $ipt6 -t nat -A POSTROUTING -m comment --comment "flanneld masq" -j FLANNEL-POSTRTG
    $ipt6 -t nat -A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 -m comment --comment "flanneld masq" -j RETURN
    $ipt6 -t nat -A FLANNEL-POSTRTG -s fd10:244:1::/64 -d fd10:244::/56 -m comment --comment "flanneld masq" -j RETURN
    $ipt6 -t nat -A FLANNEL-POSTRTG -s fd10:244::/56 -d fd10:244:1::/64 -m comment --comment "flanneld masq" -j RETURN
    $ipt6 -t nat -A FLANNEL-POSTRTG ! -s fd10:244::/56 -d fd10:244:1::/64 -m comment --comment "flanneld masq" -j RETURN
    $ipt6 -t nat -A FLANNEL-POSTRTG -s fd10:244::/56 ! -d ff00::/8 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
    $ipt6 -t nat -A FLANNEL-POSTRTG ! -s fd10:244::/56 -d fd10:244::/56 -m comment --comment "flanneld masq" -j MASQUERADE --random-fully
}

# 1. flannel alone, iptables-nft (Debian's default backend).
setup
flannel_rules "in_node iptables-nft" "in_node ip6tables-nft"
traffic
capture flannel.iptables-nft-save-c iptables-nft-save -c
capture flannel.ip6tables-nft-save-c ip6tables-nft-save -c
capture flannel.iptables-save iptables-save
capture flannel.iptables-L-n-v iptables -L -n -v
capture flannel.iptables-L-n iptables -L -n
capture flannel.iptables-L-n-v-line-numbers iptables -L -n -v --line-numbers
capture flannel.iptables-t-nat-L-n-v iptables -t nat -L -n -v
capture flannel.ip6tables-L-n-v ip6tables -L -n -v
capture flannel.ip6tables-t-nat-L-n-v ip6tables -t nat -L -n -v

# 2. kube-proxy's iptables mode (pkg/proxy/iptables/proxier.go: KUBE-FORWARD, KUBE-POSTROUTING, KUBE-MARK-MASQ, one
# ClusterIP service with one endpoint) on a flannel node, iptables-nft.
setup
in_node iptables-nft -N KUBE-FORWARD
in_node iptables-nft -N KUBE-FIREWALL
in_node iptables-nft -A INPUT -j KUBE-FIREWALL
in_node iptables-nft -A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
in_node iptables-nft -A OUTPUT -j KUBE-FIREWALL
in_node iptables-nft -A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
in_node iptables-nft -A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP
in_node iptables-nft -A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
in_node iptables-nft -A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
in_node iptables-nft -t nat -N KUBE-SERVICES
in_node iptables-nft -t nat -N KUBE-POSTROUTING
in_node iptables-nft -t nat -N KUBE-MARK-MASQ
in_node iptables-nft -t nat -N KUBE-SVC-TCOU7JCQXEZGVUNU
in_node iptables-nft -t nat -N KUBE-SEP-7ISSGO6QOYDAW3ZR
in_node iptables-nft -t nat -N KUBE-NODEPORTS
in_node iptables-nft -t nat -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
in_node iptables-nft -t nat -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
in_node iptables-nft -t nat -A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
in_node iptables-nft -t nat -A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
in_node iptables-nft -t nat -A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
in_node iptables-nft -t nat -A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
in_node iptables-nft -t nat -A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
in_node iptables-nft -t nat -A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-SVC-TCOU7JCQXEZGVUNU
in_node iptables-nft -t nat -A KUBE-SVC-TCOU7JCQXEZGVUNU ! -s 10.244.0.0/16 -d 10.96.0.10/32 -p udp -m comment --comment "kube-system/kube-dns:dns cluster IP" -m udp --dport 53 -j KUBE-MARK-MASQ
in_node iptables-nft -t nat -A KUBE-SVC-TCOU7JCQXEZGVUNU -m comment --comment "kube-system/kube-dns:dns -> 10.244.1.2:53" -m statistic --mode random --probability 0.50000000000 -j KUBE-SEP-7ISSGO6QOYDAW3ZR
in_node iptables-nft -t nat -A KUBE-SEP-7ISSGO6QOYDAW3ZR -s 10.244.1.2/32 -m comment --comment "kube-system/kube-dns:dns" -j KUBE-MARK-MASQ
in_node iptables-nft -t nat -A KUBE-SEP-7ISSGO6QOYDAW3ZR -p udp -m comment --comment "kube-system/kube-dns:dns" -m udp -j DNAT --to-destination 10.244.1.2:53
in_node iptables-nft -t nat -A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
flannel_rules "in_node iptables-nft" ""
traffic
capture kube-proxy.iptables-nft-save-c iptables-nft-save -c
capture kube-proxy.iptables-L-n-v iptables -L -n -v
capture kube-proxy.iptables-t-nat-L-n-v iptables -t nat -L -n -v

# 3. Docker 28's FORWARD policy DROP with DOCKER-USER and DOCKER-FORWARD, on a flannel node, iptables-nft.
setup
in_node iptables-nft -P FORWARD DROP
for chain in DOCKER DOCKER-USER DOCKER-FORWARD DOCKER-BRIDGE DOCKER-CT DOCKER-ISOLATION-STAGE-1 DOCKER-ISOLATION-STAGE-2; do
    in_node iptables-nft -N "$chain"
done
in_node iptables-nft -A FORWARD -j DOCKER-USER
in_node iptables-nft -A FORWARD -j DOCKER-FORWARD
in_node iptables-nft -A DOCKER ! -i docker0 -o docker0 -j DROP
in_node iptables-nft -A DOCKER-BRIDGE -o docker0 -j DOCKER
in_node iptables-nft -A DOCKER-CT -o docker0 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
in_node iptables-nft -A DOCKER-FORWARD -j DOCKER-CT
in_node iptables-nft -A DOCKER-FORWARD -j DOCKER-ISOLATION-STAGE-1
in_node iptables-nft -A DOCKER-FORWARD -j DOCKER-BRIDGE
in_node iptables-nft -A DOCKER-FORWARD -i docker0 -j ACCEPT
in_node iptables-nft -A DOCKER-ISOLATION-STAGE-1 -i docker0 ! -o docker0 -j DOCKER-ISOLATION-STAGE-2
in_node iptables-nft -A DOCKER-ISOLATION-STAGE-2 -o docker0 -j DROP
in_node iptables-nft -A DOCKER-USER -j RETURN
in_node iptables-nft -t nat -N DOCKER
in_node iptables-nft -t nat -A PREROUTING -m addrtype --dst-type LOCAL -j DOCKER
in_node iptables-nft -t nat -A OUTPUT ! -d 127.0.0.0/8 -m addrtype --dst-type LOCAL -j DOCKER
in_node iptables-nft -t nat -A POSTROUTING -s 172.17.0.0/16 ! -o docker0 -j MASQUERADE
flannel_rules "in_node iptables-nft" ""
traffic
capture docker.iptables-nft-save-c iptables-nft-save -c
capture docker.iptables-L-n-v iptables -L -n -v

# 4. RHEL 7's /etc/sysconfig/iptables (legacy backend): REJECT with icmp-host-prohibited in INPUT and FORWARD, and
# flannel's jump appended after it, where it is never reached.
setup
in_node iptables-legacy -A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT
in_node iptables-legacy -A INPUT -p icmp -j ACCEPT
in_node iptables-legacy -A INPUT -i lo -j ACCEPT
in_node iptables-legacy -A INPUT -p tcp -m state --state NEW -m tcp --dport 22 -j ACCEPT
in_node iptables-legacy -A INPUT -j REJECT --reject-with icmp-host-prohibited
in_node iptables-legacy -A FORWARD -j REJECT --reject-with icmp-host-prohibited
flannel_rules "in_node iptables-legacy" ""
traffic
capture rhel7.iptables-legacy-save-c iptables-legacy-save -c
capture rhel7.iptables-legacy-L-n-v iptables-legacy -L -n -v
capture rhel7.iptables-legacy-t-nat-L-n-v iptables-legacy -t nat -L -n -v

# 5. ufw's chains (the shape of /etc/ufw/before.rules and user.rules, a few rules each), iptables-nft.
setup
in_node iptables-nft -P INPUT DROP
in_node iptables-nft -P FORWARD DROP
for chain in ufw-before-input ufw-before-output ufw-before-forward ufw-after-input ufw-user-input ufw-not-local ufw-logging-deny ufw-skip-to-policy-input ufw-reject-input; do
    in_node iptables-nft -N "$chain"
done
in_node iptables-nft -A INPUT -j ufw-before-input
in_node iptables-nft -A INPUT -j ufw-after-input
in_node iptables-nft -A FORWARD -j ufw-before-forward
in_node iptables-nft -A OUTPUT -j ufw-before-output
in_node iptables-nft -A ufw-before-input -i lo -j ACCEPT
in_node iptables-nft -A ufw-before-input -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
in_node iptables-nft -A ufw-before-input -m conntrack --ctstate INVALID -j ufw-logging-deny
in_node iptables-nft -A ufw-before-input -m conntrack --ctstate INVALID -j DROP
in_node iptables-nft -A ufw-before-input -p icmp -m icmp --icmp-type 8 -j ACCEPT
in_node iptables-nft -A ufw-before-input -p udp -m udp --sport 67 --dport 68 -j ACCEPT
in_node iptables-nft -A ufw-before-input -j ufw-not-local
in_node iptables-nft -A ufw-before-input -d 224.0.0.251/32 -p udp -m udp --dport 5353 -j ACCEPT
in_node iptables-nft -A ufw-before-input -j ufw-user-input
in_node iptables-nft -A ufw-not-local -m addrtype --dst-type LOCAL -j RETURN
in_node iptables-nft -A ufw-not-local -m addrtype --dst-type MULTICAST -j RETURN
in_node iptables-nft -A ufw-not-local -m addrtype --dst-type BROADCAST -j RETURN
in_node iptables-nft -A ufw-not-local -m limit --limit 3/min --limit-burst 10 -j ufw-logging-deny
in_node iptables-nft -A ufw-not-local -j DROP
in_node iptables-nft -A ufw-logging-deny -m conntrack --ctstate INVALID -m limit --limit 3/min --limit-burst 10 -j RETURN
in_node iptables-nft -A ufw-logging-deny -m limit --limit 3/min --limit-burst 10 -j LOG --log-prefix "[UFW BLOCK] "
in_node iptables-nft -A ufw-user-input -p tcp -m tcp --dport 22 -j ACCEPT
in_node iptables-nft -A ufw-user-input -p udp -m udp --dport 8472 -j ACCEPT
in_node iptables-nft -A ufw-after-input -p udp -m udp --dport 137 -j ufw-skip-to-policy-input
in_node iptables-nft -A ufw-after-input -m addrtype --dst-type BROADCAST -j ufw-skip-to-policy-input
in_node iptables-nft -A ufw-skip-to-policy-input -j DROP
in_node iptables-nft -A ufw-reject-input -j REJECT --reject-with icmp-port-unreachable
traffic
capture ufw.iptables-nft-save-c iptables-nft-save -c
capture ufw.iptables-L-n-v iptables -L -n -v

# 6. The split: flannel's rules in nf_tables, and in the legacy tables of the same namespace a drop of VXLAN's port
# and a FORWARD policy of DROP, which iptables-nft-save and nft cannot show.
setup
flannel_rules "in_node iptables-nft" ""
in_node iptables-legacy -A INPUT -p udp --dport 8472 -j DROP
in_node iptables-legacy -P FORWARD DROP
traffic
capture split.iptables-nft-save-c iptables-nft-save -c
capture split.iptables-legacy-save-c iptables-legacy-save -c
capture split.iptables-save iptables-save
capture split.iptables-legacy-L-n-v iptables-legacy -L -n -v

# 7. Masquerade of flannel's outer VXLAN traffic (UDP 8472) in nat POSTROUTING, iptables-nft.
setup
in_node iptables-nft -t nat -A POSTROUTING -p udp --dport 8472 -j MASQUERADE --random-fully
traffic
capture vxlan-masquerade.iptables-nft-save-c iptables-nft-save -c
capture vxlan-masquerade.iptables-t-nat-L-n-v iptables -t nat -L -n -v

# 8. Every match and target IptablesRuleText reads (and a few it must mark unjudgeable), in filter, nat, mangle and
# raw, iptables-nft and ip6tables-nft, with an ipset for -m set.
setup
in_node ipset create KUBE-CLUSTER-IP hash:ip,port
ipt="in_node iptables-nft"
$ipt -N FLANNEL-FWD
$ipt -N CUSTOM
$ipt -A INPUT -p udp -m udp --dport 8472 -j DROP
$ipt -A INPUT -p udp -m udp --sport 4789 -j ACCEPT
$ipt -A INPUT ! -p tcp -s 192.168.50.13/32 -j ACCEPT
$ipt -A INPUT -p tcp -m tcp --dport 1000:2000 -j REJECT --reject-with tcp-reset
$ipt -A INPUT -p tcp -m multiport --dports 80,443 -j ACCEPT
$ipt -A INPUT -p udp -m multiport --sports 53,123:124 -j ACCEPT
$ipt -A INPUT -p tcp -m multiport --ports 6443,10250 -j ACCEPT
$ipt -A INPUT -m conntrack ! --ctstate NEW,RELATED -j RETURN
$ipt -A INPUT -m state --state RELATED,ESTABLISHED -j ACCEPT
$ipt -A INPUT -m mark ! --mark 0x8000/0x8000 -j CUSTOM
$ipt -A INPUT -m addrtype --src-type LOCAL --dst-type UNICAST -j ACCEPT
$ipt -A INPUT -m set --match-set KUBE-CLUSTER-IP dst,dst -j ACCEPT
$ipt -A INPUT -m pkttype --pkt-type broadcast -j DROP
$ipt -A INPUT -m comment --comment "a comment with spaces" -j ACCEPT
$ipt -A INPUT -m physdev --physdev-in veth0 --physdev-is-bridged -j ACCEPT
$ipt -A INPUT -p tcp -m socket --transparent -j ACCEPT
$ipt -A INPUT -m limit --limit 5/sec -j LOG --log-prefix "flannel drop: " --log-level 6
$ipt -A INPUT -j NFLOG --nflog-group 2
$ipt -A INPUT -p udp -m udp --dport 8472 -j NFQUEUE --queue-num 1
$ipt -A INPUT -j REJECT --reject-with icmp-port-unreachable
$ipt -A FORWARD -i cni+ ! -o cni0 -j ACCEPT
$ipt -A FORWARD -g FLANNEL-FWD
$ipt -A FLANNEL-FWD -s 10.244.0.0/16 -j ACCEPT
$ipt -A CUSTOM -j RETURN
$ipt -t nat -A PREROUTING -p tcp -m tcp --dport 8080 -j REDIRECT --to-ports 80
$ipt -t nat -A PREROUTING -d 192.168.50.12/32 -p tcp -m tcp --dport 30080 -j DNAT --to-destination 10.244.1.2:80
$ipt -t nat -A POSTROUTING -s 10.244.0.0/16 -o eth0 -j SNAT --to-source 192.168.50.12
$ipt -t nat -A POSTROUTING -o eth0 -p tcp -j MASQUERADE --to-ports 20000-30000
$ipt -t mangle -A PREROUTING -j CONNMARK --restore-mark
$ipt -t mangle -A PREROUTING -i cni0 -j MARK --set-xmark 0x4000/0x4000
$ipt -t mangle -A PREROUTING -i eth0 -j MARK --set-mark 0x1
$ipt -t mangle -A PREROUTING -p udp -j MARK --and-mark 0xffff
$ipt -t mangle -A FORWARD -p tcp -m tcp --tcp-flags SYN,RST SYN -j TCPMSS --clamp-mss-to-pmtu
$ipt -t mangle -A POSTROUTING -p udp -m udp --dport 68 -j CHECKSUM --checksum-fill
$ipt -t raw -A PREROUTING -p udp -m udp --dport 8472 -j CT --notrack
$ipt -t raw -A PREROUTING -p udp -m udp --dport 4789 -j NOTRACK
$ipt -t raw -A OUTPUT -p icmp -j TRACE
ipt6="in_node ip6tables-nft"
$ipt6 -A INPUT -p udp -m udp --dport 8472 -j DROP
$ipt6 -A INPUT -s fd00::13/128 -p ipv6-icmp -j ACCEPT
$ipt6 -A FORWARD -d fd10:244::/56 -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
$ipt6 -A FORWARD -j REJECT --reject-with icmp6-adm-prohibited
traffic
capture matches.iptables-nft-save-c iptables-nft-save -c
capture matches.iptables-L-n-v iptables -L -n -v
capture matches.iptables-t-nat-L-n-v iptables -t nat -L -n -v
capture matches.iptables-t-mangle-L-n-v iptables -t mangle -L -n -v
capture matches.iptables-t-raw-L-n-v iptables -t raw -L -n -v
capture matches.ip6tables-nft-save-c ip6tables-nft-save -c
capture matches.ip6tables-L-n-v ip6tables -L -n -v
in_node ipset destroy KUBE-CLUSTER-IP 2>/dev/null || true

# An empty ruleset: what iptables-nft-save and iptables-legacy-save print in a namespace with no rules.
setup
capture empty.iptables-nft-save-c iptables-nft-save -c
capture empty.iptables-legacy-save-c iptables-legacy-save -c
