#!/usr/bin/env bash
# FlannelTools test lab: the walkthrough's flannel VXLAN cluster, wired as
# flannel's VXLAN backend wires a node, inside network namespaces of its own.
# See tests/lab/README.md for the CLI. Needs root, iproute2, python3, tcpdump.
set -euo pipefail

RUNROOT=${FLANNEL_LAB_RUNDIR:-/run/flannel-lab}
PY=python3
[[ -x /usr/bin/python3 ]] && PY=/usr/bin/python3
export PATH="$PATH:/usr/sbin:/sbin"

die() { printf 'lab.sh: error: %s\n' "$*" >&2; exit 1; }
say() { printf 'lab.sh: %s\n' "$*" >&2; }

usage() {
  cat <<'EOF'
usage: lab.sh COMMAND [options]
  up [--prefix P] [--nodes N] [--vni V] [--port U] [--dual-stack] [--nftables] [--pods K] [--ssh] [--out DIR]
  walkthrough [--prefix P] [--out FILE]        curl node1 pod -> node2 pod, capture node1 eth0
  capture [--prefix P] --out FILE [--node N] [--iface IF] [--traffic K[,K..]] [--from POD] [--to POD]
          [--count C] [--size S] [--timeout T] [--v6] [--allow-fail] [--tool tcpdump|dumpcap] [-- CAPTURE_ARGS...]
  capture [--prefix P] --at NODE:IF:FILE [--at NODE:IF:FILE ...] [traffic options as above] [-- CAPTURE_ARGS...]
          several captures at once (IF may be any), all listening before the traffic starts
  traffic [--prefix P] KIND[,KIND..] [--from POD] [--to POD] [--count C] [--size S] [--timeout T] [--v6]
          KIND: curl ping bigping udp   (curl6 ping6 udp6 bigping6 = with --v6), KIND:FROM:TO (its own pods),
          wait:S (S seconds of no traffic)
  state [--prefix P] [--out DIR]
  fault [--prefix P] KIND ARGS...   (lab.sh fault list)
  exec [--prefix P] TARGET CMD...   TARGET: master node1 ... node1-pod1 ... underlay
  ns [--prefix P] TARGET            print the namespace name of TARGET
  info [--prefix P]                 print the lab description (lab.json)
  list                              prefixes of labs that are up
  down [--prefix P]
  down-all
  deps                              apt-get install the tools the lab uses
EOF
}

# ---------------------------------------------------------------- options
O_PREFIX='' O_NODES='' O_VNI='' O_PORT='' O_DUAL='' O_PODS='' O_OUT='' O_NODE='' O_IFACE=''
O_TRAFFIC='' O_FROM='' O_TO='' O_COUNT='' O_SIZE='' O_TIMEOUT='' O_ALLOW_FAIL=0 O_MAC='' O_MTU=''
O_V6=0 O_DST='' O_TOOL='' O_NFTABLES='' O_MISSING=0 O_SUBNET='' O_SSH=''
ARGS=() EXTRA=() O_AT=()

parse_opts() {
  while (($#)); do
    case $1 in
      --*=*) set -- "${1%%=*}" "${1#*=}" "${@:2}"; continue ;;
    esac
    case $1 in
      --prefix|--nodes|--vni|--port|--pods|--out|--node|--iface|--traffic|--from|--to|--count|--size|--timeout|--mac|--mtu|--dst|--tool|--subnet)
        (($# >= 2)) || die "option $1 needs a value"
        local v=$2 n=${1#--}
        printf -v "O_${n^^}" '%s' "$v"
        shift 2 ;;
      --at)
        (($# >= 2)) || die "option $1 needs a value"
        O_AT+=("$2"); shift 2 ;;
      --dual-stack) O_DUAL=1; shift ;;
      --nftables) O_NFTABLES=1; shift ;;
      --ssh) O_SSH=1; shift ;;
      --missing) O_MISSING=1; shift ;;
      --v6) O_V6=1; shift ;;
      --allow-fail) O_ALLOW_FAIL=1; shift ;;
      -h|--help) usage; exit 0 ;;
      --) shift; EXTRA=("$@"); break ;;
      -*) die "unknown option: $1" ;;
      *) ARGS+=("$1"); shift ;;
    esac
  done
}

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

# ---------------------------------------------------------------- prefix, config
P='' RUN='' GENERATED=0
resolve_prefix() { # $1 = new | existing
  P=${O_PREFIX:-${FLANNEL_LAB_PREFIX:-}}
  if [[ -z $P ]]; then
    if [[ $1 == new ]]; then
      P=ftl$$; GENERATED=1
    else
      local labs=()
      [[ -d $RUNROOT ]] && mapfile -t labs < <(find "$RUNROOT" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
      ((${#labs[@]} == 1)) || die "give --prefix (labs up: ${labs[*]:-none})"
      P=${labs[0]}
    fi
  fi
  [[ $P =~ ^[A-Za-z0-9_]{1,24}$ ]] || die "bad prefix '$P' (letters, digits, _; at most 24)"
  RUN=$RUNROOT/$P
}

load_config() {
  [[ -f $RUN/config ]] || die "no lab '$P' is up (lab.sh up --prefix $P)"
  NFT=0 SSH=0 # labs made before --nftables and --ssh existed
  # shellcheck disable=SC1091
  source "$RUN/config"
  derive
}

save_config() {
  {
    printf 'NODES=%q\nVNI=%q\nPORT=%q\nDUAL=%q\nNFT=%q\nPODS=%q\nOUT=%q\nCREATED=%q\nSSH=%q\n' \
      "$NODES" "$VNI" "$PORT" "$DUAL" "$NFT" "$PODS" "$OUT" "$CREATED" "$SSH"
  } > "$RUN/config.tmp"
  mv "$RUN/config.tmp" "$RUN/config"
}

# ---------------------------------------------------------------- naming and addressing
# flannel's Network and IPv6Network: they hold every node's 10.244.N.0/24 and fd10:244:N::/64
NETWORK4=10.244.0.0/16 NETWORK6=fd10:244::/32
LABDIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
COLLECTOR=$LABDIR/../../tools/collect-flannel-state.sh
U='' VX='' VX6=''
declare -a NAME NS IP4 IP6 SUB4 SUB6 VTIP4 VTIP6 GW4 GW6 ETHMAC VTMAC VTMAC6
derive() {
  U=$P-underlay
  VX=flannel.$VNI
  VX6=flannel-v6.$VNI
  local i
  for ((i = 0; i < NODES; i++)); do
    if ((i == 0)); then NAME[i]=master; else NAME[i]=node$i; fi
    NS[i]=$P-${NAME[i]}
    IP4[i]=192.168.0.$((11 + i))
    IP6[i]=fd00::$((11 + i))
    SUB4[i]=10.244.$i.0/24
    VTIP4[i]=10.244.$i.0
    GW4[i]=10.244.$i.1
    SUB6[i]=fd10:244:$i::/64
    VTIP6[i]=fd10:244:$i::
    GW6[i]=fd10:244:$i::1
    case $i in
      1) ETHMAC[i]=9e:66:01:47:0d:72; VTMAC[i]=32:73:d8:d1:e9:78 ;;
      2) ETHMAC[i]=0a:d2:1d:9d:dc:f7; VTMAC[i]=ee:81:17:b0:fd:7b ;;
      *) printf -v 'ETHMAC[i]' '02:f1:e0:00:%02x:%02x' $((i >> 8)) $(((11 + i) & 255))
         printf -v 'VTMAC[i]' '02:f1:a4:00:%02x:%02x' $((i >> 8)) $(((11 + i) & 255)) ;;
    esac
    printf -v 'VTMAC6[i]' '02:f1:a6:00:%02x:%02x' $((i >> 8)) $(((11 + i) & 255))
  done
}

pod_host() { # node index, pod number -> last octet (node1 pod1 = .178, node2 pod1 = .101)
  local base=10
  case $1 in 1) base=178 ;; 2) base=101 ;; esac
  echo $((base + $2 - 1))
}
pod_ns() { echo "$P-${NAME[$1]}-pod$2"; }
pod_ip4() { echo "10.244.$1.$(pod_host "$1" "$2")"; }
pod_ip6() { echo "fd10:244:$1::$(pod_host "$1" "$2")"; }
pod_veth() { printf 'veth%04x%04x' "$1" "$2"; }

node_index() { # name -> index
  local n=$1
  case $n in
    master) echo 0; return 0 ;;
    node[0-9]*) n=${n#node}; is_uint "$n" && ((n >= 1 && n < NODES)) && { echo $((10#$n)); return 0; } ;;
  esac
  die "no node '$1' in lab '$P' (nodes: ${NAME[*]})"
}

target_ns() { # master | nodeN | nodeN-podK | underlay -> namespace
  local t=$1
  if [[ $t == underlay ]]; then echo "$U"; return; fi
  if [[ $t =~ ^(master|node[0-9]+)-pod([0-9]+)$ ]]; then
    local i k=${BASH_REMATCH[2]}
    i=$(node_index "${BASH_REMATCH[1]}") || exit 1
    ((k >= 1 && k <= PODS)) || die "no pod '$t' (pods per node: $PODS)"
    pod_ns "$i" "$k"; return
  fi
  local i; i=$(node_index "$t") || exit 1; echo "${NS[i]}"
}

ns_exists() { [[ -e /run/netns/$1 ]]; }
nsx() { ip netns exec "$@"; }

dev_mac() { # ns dev -> mac or empty
  ip -n "$1" -br link show dev "$2" 2>/dev/null | awk '{print $3}'
}

lab_namespaces() { # prefix -> namespaces of that lab, pods first, underlay last
  local p=$1
  ip netns list 2>/dev/null | awk '{print $1}' |
    grep -E "^${p}-(underlay|master|node[0-9]+)(-pod[0-9]+)?\$" |
    awk '{ o = /-pod[0-9]+$/ ? 0 : (/-underlay$/ ? 2 : 1); print o " " $0 }' | sort | cut -d' ' -f2- || true
}

# ---------------------------------------------------------------- teardown
kill_ns_procs() { # namespaces... : every process inside the lab's namespaces (HTTP servers, captures, ...)
  # ($RUN/pids records what the lab started; killing by namespace never hits a reused pid)
  local ns pids=() p
  for ns in "$@"; do
    for p in $(ip netns pids "$ns" 2>/dev/null || true); do pids+=("$p"); done
  done
  ((${#pids[@]})) || return 0
  kill -TERM "${pids[@]}" 2>/dev/null || true
  local t
  for t in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
    local alive=0
    for p in "${pids[@]}"; do
      # a zombie (state Z) is dead; its parent reaps it
      [[ -r /proc/$p/stat && $(awk '{print $3}' "/proc/$p/stat" 2>/dev/null) != Z ]] && alive=1
    done
    ((alive)) || return 0
    sleep 0.1
  done
  kill -KILL "${pids[@]}" 2>/dev/null || true
}

do_down() { # uses P, RUN
  local nss=() ns
  mapfile -t nss < <(lab_namespaces "$P")
  kill_ns_procs "${nss[@]}"
  for ns in "${nss[@]}"; do
    ip netns del "$ns" 2>/dev/null || say "could not delete namespace $ns"
  done
  rm -rf "$RUN"
}

cmd_down() {
  resolve_prefix existing
  do_down
}

cmd_down_all() {
  local prefixes=() p ns
  if [[ -d $RUNROOT ]]; then
    mapfile -t prefixes < <(find "$RUNROOT" -mindepth 1 -maxdepth 1 -type d -printf '%f\n')
  fi
  for ns in $(ip netns list 2>/dev/null | awk '{print $1}'); do
    if [[ $ns =~ ^([A-Za-z0-9_]+)-underlay$ ]]; then
      p=${BASH_REMATCH[1]}
      ip -n "$ns" -d link show dev br0 2>/dev/null | grep -q "alias flannel-lab:$p" && prefixes+=("$p")
    elif [[ $ns =~ ^(ftl[0-9]+)-(underlay|master|node[0-9]+)(-pod[0-9]+)?$ ]]; then
      prefixes+=("${BASH_REMATCH[1]}")
    fi
  done
  ((${#prefixes[@]})) || return 0
  for p in $(printf '%s\n' "${prefixes[@]}" | sort -u); do
    P=$p RUN=$RUNROOT/$p
    do_down
  done
}

# ---------------------------------------------------------------- bring-up
make_vtep() { # index family(4|6) [mac] : create flannel.<VNI> / flannel-v6.<VNI> as flannel does
  local i=$1 fam=$2 mac=${3:-} ns=${NS[$1]} addr=()
  [[ -n $mac ]] && addr=(address "$mac")
  if [[ $fam == 4 ]]; then
    ip -n "$ns" link add "$VX" "${addr[@]}" type vxlan id "$VNI" local "${IP4[i]}" dev eth0 dstport "$PORT" nolearning
    ip -n "$ns" link set "$VX" mtu 1450
    ip -n "$ns" addr add "${VTIP4[i]}/32" dev "$VX"
    ip -n "$ns" link set "$VX" up
  else
    ip -n "$ns" link add "$VX6" "${addr[@]}" type vxlan id "$VNI" local "${IP6[i]}" dev eth0 dstport "$PORT" nolearning
    ip -n "$ns" addr add "${VTIP6[i]}/128" dev "$VX6" nodad
    ip -n "$ns" link set "$VX6" up
  fi
}

program_peers() { # index family : for every other node, neighbour, FDB, route (flannel's order)
  local i=$1 fam=$2 ns=${NS[$1]} j mac
  for ((j = 0; j < NODES; j++)); do
    ((j == i)) && continue
    if [[ $fam == 4 ]]; then
      mac=$(dev_mac "${NS[j]}" "$VX")
      [[ -n $mac ]] || die "node ${NAME[j]} has no $VX"
      ip -n "$ns" neigh replace "${VTIP4[j]}" lladdr "$mac" dev "$VX" nud permanent
      bridge -n "$ns" fdb replace "$mac" dev "$VX" dst "${IP4[j]}" self permanent
      ip -n "$ns" route replace "${SUB4[j]}" via "${VTIP4[j]}" dev "$VX" onlink
    else
      mac=$(dev_mac "${NS[j]}" "$VX6")
      [[ -n $mac ]] || die "node ${NAME[j]} has no $VX6"
      ip -n "$ns" -6 neigh replace "${VTIP6[j]}" lladdr "$mac" dev "$VX6" nud permanent
      bridge -n "$ns" fdb replace "$mac" dev "$VX6" dst "${IP6[j]}" self permanent
      ip -n "$ns" -6 route replace "${SUB6[j]}" via "${VTIP6[j]}" dev "$VX6" onlink
    fi
  done
}

# flannel's own rules, as flanneld run with --ip-masq (kube-flannel.yml) installs them on start: pkg/trafficmngr/iptables
# (ClearChain, then iptables-restore --noflush of the rules in its order) or, with EnableNFTables,
# pkg/trafficmngr/nftables (tables ip flannel-ipv4 and ip6 flannel-ipv6, the latter empty without IPv6).
# iptables means iptables-nft here, Debian's default backend.
flannel_masq_rules() { # family(4|6) pod-subnet network : masqRules / masqIP6Rules
  local fam=$1 pod=$2 net=$3 mcast=224.0.0.0/4 c='-m comment --comment "flanneld masq"'
  ((fam == 6)) && mcast=ff00::/8
  printf '%s\n' '*nat' \
    "-A POSTROUTING $c -j FLANNEL-POSTRTG" \
    "-A FLANNEL-POSTRTG -m mark --mark 0x4000/0x4000 $c -j RETURN" \
    "-A FLANNEL-POSTRTG -s $pod -d $net $c -j RETURN" \
    "-A FLANNEL-POSTRTG -s $net -d $pod $c -j RETURN" \
    "-A FLANNEL-POSTRTG ! -s $net -d $pod $c -j RETURN" \
    "-A FLANNEL-POSTRTG -s $net ! -d $mcast $c -j MASQUERADE --random-fully" \
    "-A FLANNEL-POSTRTG ! -s $net -d $net $c -j MASQUERADE --random-fully" \
    COMMIT
}

flannel_forward_rules() { # network : forwardRules
  local c='-m comment --comment "flanneld forward"'
  printf '%s\n' '*filter' \
    "-A FORWARD $c -j FLANNEL-FWD" \
    "-A FLANNEL-FWD -s $1 $c -j ACCEPT" \
    "-A FLANNEL-FWD -d $1 $c -j ACCEPT" \
    COMMIT
}

flannel_nft_table() { # family(ip|ip6) table pod-subnet network : Init, SetupAndEnsureMasqRules, SetupAndEnsureForwardRules
  local f=$1 t=$2 pod=$3 net=$4 mcast=224.0.0.0/4
  [[ $f == ip6 ]] && mcast=ff00::/8
  printf 'add table %s %s { comment "rules for %s" ; }\n' "$f" "$t" "$t"
  [[ -n $net ]] || return 0
  printf '%s\n' \
    "add chain $f $t postrtg { type nat hook postrouting priority srcnat ; comment \"chain to manage traffic masquerading by flannel\" ; }" \
    "flush chain $f $t postrtg" \
    "add rule $f $t postrtg meta mark 0x4000 return" \
    "add rule $f $t postrtg $f saddr $pod $f daddr $net return" \
    "add rule $f $t postrtg $f saddr $net $f daddr $pod return" \
    "add rule $f $t postrtg $f saddr != $pod $f daddr $net return" \
    "add rule $f $t postrtg $f saddr $net $f daddr != $mcast masquerade fully-random" \
    "add rule $f $t postrtg $f saddr != $net $f daddr $net masquerade fully-random" \
    "add chain $f $t forward { type filter hook forward priority filter ; comment \"chain to accept flannel traffic\" ; }" \
    "flush chain $f $t forward" \
    "add rule $f $t forward $f saddr $net accept" \
    "add rule $f $t forward $f daddr $net accept"
}

install_flannel_rules() { # index
  local i=$1 ns=${NS[$1]}
  if ((NFT)); then
    { flannel_nft_table ip flannel-ipv4 "${SUB4[i]}" "$NETWORK4"
      flannel_nft_table ip6 flannel-ipv6 "${SUB6[i]}" "$( ((DUAL)) && echo "$NETWORK6")"; } | nsx "$ns" nft -f -
    return
  fi
  nsx "$ns" iptables-nft -t nat -N FLANNEL-POSTRTG
  flannel_masq_rules 4 "${SUB4[i]}" "$NETWORK4" | nsx "$ns" iptables-nft-restore --noflush
  nsx "$ns" iptables-nft -t filter -N FLANNEL-FWD
  flannel_forward_rules "$NETWORK4" | nsx "$ns" iptables-nft-restore --noflush
  if ((DUAL)); then
    nsx "$ns" ip6tables-nft -t nat -N FLANNEL-POSTRTG
    flannel_masq_rules 6 "${SUB6[i]}" "$NETWORK6" | nsx "$ns" ip6tables-nft-restore --noflush
    nsx "$ns" ip6tables-nft -t filter -N FLANNEL-FWD
    flannel_forward_rules "$NETWORK6" | nsx "$ns" ip6tables-nft-restore --noflush
  fi
}

# /run/flannel/subnet.env as flanneld writes it (pkg/subnet WriteSubnetFile: the subnet's first address, MTU of the
# VXLAN backend = the IPv4 VTEP's, --ip-masq on), and net-conf.json in kube-flannel.yml's shape
write_subnet_env() { # index file
  local i=$1
  {
    printf 'FLANNEL_NETWORK=%s\nFLANNEL_SUBNET=%s/24\n' "$NETWORK4" "${GW4[i]}"
    ((DUAL)) && printf 'FLANNEL_IPV6_NETWORK=%s\nFLANNEL_IPV6_SUBNET=%s/64\n' "$NETWORK6" "${GW6[i]}"
    printf 'FLANNEL_MTU=1450\nFLANNEL_IPMASQ=true\n'
  } > "$2.tmp"
  mv "$2.tmp" "$2"
}

write_net_conf() { # file [port]
  local port=${2:-$PORT} backend='"Type": "vxlan"' nft=false
  ((NFT)) && nft=true
  ((VNI != 1)) && backend+=$',\n    "VNI": '$VNI
  ((port != 8472)) && backend+=$',\n    "Port": '$port
  {
    printf '{\n  "Network": "%s",\n' "$NETWORK4"
    ((DUAL)) && printf '  "EnableIPv6": true,\n  "IPv6Network": "%s",\n' "$NETWORK6"
    printf '  "EnableNFTables": %s,\n  "Backend": {\n    %s\n  }\n}\n' "$nft" "$backend"
  } > "$1.tmp"
  mv "$1.tmp" "$1"
}

start_server() { # pod-ns bind-address name
  local pns=$1 addr=$2 name=$3
  mkdir -p "$RUN/www/$name" "$RUN/logs"
  [[ -f $RUN/www/$name/index.html ]] ||
    printf '<html><body>flannel lab %s %s</body></html>\n' "$P" "$name" > "$RUN/www/$name/index.html"
  # python3 -m http.server would resolve its own address (socket.getfqdn) and send a DNS query
  # out of the lab; this server is http.server without that lookup.
  [[ -f $RUN/flannel-lab-httpd.py ]] || cat > "$RUN/flannel-lab-httpd.py" <<'PYEOF'
import functools, http.server, socket, socketserver, sys
addr, root = sys.argv[1], sys.argv[2]
class Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6 if ':' in addr else socket.AF_INET
    def server_bind(self):
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = addr, self.server_address[1]
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=root)
Server((addr, 80), handler).serve_forever()
PYEOF
  ip netns exec "$pns" setsid "$PY" -u "$RUN/flannel-lab-httpd.py" "$addr" "$RUN/www/$name" \
    </dev/null >>"$RUN/logs/http-$name.log" 2>&1 &
  echo "$! http $pns $addr" >> "$RUN/pids"
}

wait_listen() { # ns proto(t|u) port [seconds]
  local ns=$1 proto=$2 port=$3 tries=$((${4:-5} * 20))
  while ((tries-- > 0)); do
    [[ -n $(ss -N "$ns" -Hl"$proto"n "sport = :$port" 2>/dev/null) ]] && return 0
    sleep 0.05
  done
  return 1
}

# ---------------------------------------------------------------- ssh (--ssh)
# Every node runs Debian's sshd in its own namespace (and its own UTS namespace, whose host name is the node's name,
# and mount namespace, whose /etc/hosts names it),
# on SSH_PORT at its eth0 addresses, with its own config, host key and pid under $RUN/ssh/<node>/, the lab run's own
# client key as the only authorized key (root), and PowerShell's SSH subsystem: the pwsh of the repository's tool
# manifest through a wrapper. Its sessions see the node's subnet.env and the lab's net-conf.json through the
# collector's FLANNEL_SUBNET_FILE and FLANNEL_NET_CONF (sshd's SetEnv). down, a failed up and a signal stop them with
# every other process of the lab's namespaces.
SSH_PORT=2222
SSHD=/usr/sbin/sshd

find_pwsh() { # the pwsh.dll of the tool manifest (.config/dotnet-tools.json), or $FLANNEL_LAB_PWSH
  if [[ -n ${FLANNEL_LAB_PWSH:-} ]]; then
    [[ -f $FLANNEL_LAB_PWSH ]] || die "FLANNEL_LAB_PWSH=$FLANNEL_LAB_PWSH is not a file"
    echo "$FLANNEL_LAB_PWSH"; return 0
  fi
  local manifest=$LABDIR/../../.config/dotnet-tools.json version dll
  version=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["tools"]["powershell"]["version"])' "$manifest" 2>/dev/null) ||
    die "no powershell tool in $manifest"
  for dll in "${NUGET_PACKAGES:-$HOME/.nuget/packages}"/powershell/"$version"/tools/*/any/unix/pwsh.dll; do
    [[ -f $dll ]] && { echo "$dll"; return 0; }
  done
  die "pwsh $version of the tool manifest is not in the NuGet cache (dotnet tool restore)"
}

setup_ssh() { # pwsh.dll : the lab's client key, authorized_keys, known_hosts, the subsystem wrapper
  local dll=$1 dotnet d=$RUN/ssh
  dotnet=$(command -v dotnet) || die "dotnet missing (the PowerShell subsystem runs pwsh through it)"
  mkdir -p "$d"; chmod 700 "$d"
  # sshd's privilege separation directory (the package's tmpfiles.d makes it at boot; a container may not have it)
  mkdir -p /run/sshd; chmod 755 /run/sshd
  ssh-keygen -q -t ed25519 -N '' -C "flannel-lab $P admin" -f "$d/id_ed25519"
  cp "$d/id_ed25519.pub" "$d/authorized_keys"
  : > "$d/known_hosts"
  printf '#!/bin/sh
# PowerShell over SSH (sshd: Subsystem powershell): the pwsh of the tool manifest
exec %q %q "$@"
' \
    "$(readlink -f "$dotnet")" "$dll" > "$d/pwsh-subsystem"
  chmod 755 "$d/pwsh-subsystem"
}

start_sshd() { # index
  local i=$1 d=$RUN/ssh/${NAME[$1]}
  mkdir -p "$d"
  ssh-keygen -q -t ed25519 -N '' -C "flannel-lab $P ${NAME[i]}" -f "$d/ssh_host_ed25519_key"
  {
    printf 'Port %s
ListenAddress %s
' "$SSH_PORT" "${IP4[i]}"
    ((DUAL)) && printf 'ListenAddress %s
' "${IP6[i]}"
    printf 'HostKey %s
PidFile %s
AuthorizedKeysFile %s
' "$d/ssh_host_ed25519_key" "$d/sshd.pid" "$RUN/ssh/authorized_keys"
    printf 'PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
'
    printf 'UsePAM no
StrictModes no
UseDNS no
X11Forwarding no
AllowTcpForwarding no
PrintMotd no
PrintLastLog no
'
    printf 'LogLevel VERBOSE
SetEnv FLANNEL_SUBNET_FILE=%s FLANNEL_NET_CONF=%s
' "$OUT/${NAME[i]}/subnet.env" "$OUT/net-conf.json"
    printf 'Subsystem powershell %s -sshs -NoLogo
' "$RUN/ssh/pwsh-subsystem"
  } > "$d/sshd_config"
  "$SSHD" -t -f "$d/sshd_config" || die "sshd rejects $d/sshd_config"
  # the node's host name resolves as Debian's installer writes it (127.0.1.1), so that sudo does not ask DNS, which
  # no namespace of the lab reaches: a hosts file of its own, bound over /etc/hosts in sshd's own mount namespace
  { printf '127.0.0.1\tlocalhost\n127.0.1.1\t%s\n' "${NAME[i]}"
    ((DUAL)) && printf '::1\tlocalhost ip6-localhost ip6-loopback\n'; } > "$d/hosts"
  # ip netns exec, unshare, sh and sshd -D each exec the next: $! is sshd's pid
  ip netns exec "${NS[i]}" unshare --uts --mount --propagation private \
    sh -c 'hostname "$1" && mount --bind "$2" /etc/hosts && exec "$3" -D -e -f "$4"' sh "${NAME[i]}" "$d/hosts" "$SSHD" "$d/sshd_config" \
    </dev/null >>"$RUN/logs/sshd-${NAME[i]}.log" 2>&1 &
  echo "$!" > "$d/pid"
  echo "$! sshd ${NS[i]} ${IP4[i]}:$SSH_PORT" >> "$RUN/pids"
}

up_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  if ((rc != 0)) && [[ ${FLANNEL_LAB_KEEP_ON_FAIL:-} == 1 ]]; then
    say "up failed (exit $rc); lab '$P' kept (FLANNEL_LAB_KEEP_ON_FAIL=1)"
  elif ((rc != 0)); then
    say "up failed (exit $rc); tearing lab '$P' down"
    do_down || true
  fi
  exit "$rc"
}

cmd_up() {
  resolve_prefix new
  NODES=${O_NODES:-3} VNI=${O_VNI:-1} PORT=${O_PORT:-8472} DUAL=${O_DUAL:-0} NFT=${O_NFTABLES:-0} PODS=${O_PODS:-1} SSH=${O_SSH:-0}
  is_uint "$NODES" && ((NODES >= 2 && NODES <= 40)) || die "--nodes must be 2..40"
  is_uint "$VNI" && ((VNI >= 1 && VNI <= 16777215)) || die "--vni must be 1..16777215"
  is_uint "$PORT" && ((PORT >= 1 && PORT <= 65535)) || die "--port must be 1..65535"
  is_uint "$PODS" && ((PODS >= 1 && PODS <= 20)) || die "--pods must be 1..20"
  ((${#VNI} + 11 <= 15)) || die "VNI $VNI makes the device name flannel-v6.$VNI longer than 15 characters"
  [[ $(id -u) == 0 ]] || die "the lab needs root"
  command -v "$PY" >/dev/null || die "python3 missing (lab.sh deps)"
  if ((NFT)); then
    command -v nft >/dev/null || die "nft missing (lab.sh deps)"
  else
    command -v iptables-nft-restore >/dev/null || die "iptables-nft missing (lab.sh deps)"
  fi
  local pwsh_dll=''
  if ((SSH)); then
    [[ -x $SSHD ]] || die "$SSHD missing (openssh-server: lab.sh deps)"
    command -v ssh-keygen >/dev/null || die "ssh-keygen missing (openssh-client: lab.sh deps)"
    command -v unshare >/dev/null || die "unshare missing (util-linux)"
    pwsh_dll=$(find_pwsh) || exit 1
  fi
  trap up_cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if [[ -d $RUN || -n $(lab_namespaces "$P") ]]; then do_down; fi
  mkdir -p "$RUN/logs"
  OUT=${O_OUT:-$RUN/state}
  mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
  CREATED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  save_config
  derive
  : > "$RUN/pids"

  # underlay: one L2 segment (bridge br0) in a namespace of the lab; 192.168.0.1 answers as gateway, forwards nothing
  ip netns add "$U"
  if ((DUAL)); then
    nsx "$U" sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.forwarding=0 \
      net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.router_solicitations=0
  else
    nsx "$U" sysctl -qw net.ipv4.ip_forward=0 net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  fi
  ip -n "$U" link set lo up
  ip -n "$U" link add br0 type bridge
  ip -n "$U" link set br0 alias "flannel-lab:$P"
  ip -n "$U" addr add 192.168.0.1/24 dev br0
  ((DUAL)) && ip -n "$U" addr add fd00::1/64 dev br0 nodad
  ip -n "$U" link set br0 up

  local i k pns veth
  for ((i = 0; i < NODES; i++)); do
    ip netns add "${NS[i]}"
    local sc=(net.ipv4.ip_forward=1 net.ipv4.conf.all.rp_filter=0 net.ipv4.conf.default.rp_filter=0
      net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 net.ipv6.conf.default.router_solicitations=0)
    ((DUAL)) && sc+=(net.ipv6.conf.all.forwarding=1)
    nsx "${NS[i]}" sysctl -qw "${sc[@]}"
    ip -n "${NS[i]}" link set lo up
    # eth0: veth whose other end (named after the node) is a port of the underlay bridge
    ip -n "$U" link add name "${NAME[i]}" type veth peer name eth0 address "${ETHMAC[i]}" netns "${NS[i]}"
    ip -n "$U" link set dev "${NAME[i]}" master br0 up
    ((DUAL)) || nsx "${NS[i]}" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
    ip -n "${NS[i]}" addr add "${IP4[i]}/24" brd + dev eth0
    ((DUAL)) && ip -n "${NS[i]}" addr add "${IP6[i]}/64" dev eth0 nodad
    ip -n "${NS[i]}" link set eth0 up
    ip -n "${NS[i]}" route add default via 192.168.0.1 dev eth0
    ((DUAL)) && ip -n "${NS[i]}" -6 route add default via fd00::1 dev eth0
    # cni0 and the pods, as flannel's CNI (bridge plugin) sets them up from subnet.env (MTU 1450)
    ip -n "${NS[i]}" link add cni0 type bridge
    ip -n "${NS[i]}" link set cni0 mtu 1450
    ip -n "${NS[i]}" addr add "${GW4[i]}/24" dev cni0
    ((DUAL)) && ip -n "${NS[i]}" addr add "${GW6[i]}/64" dev cni0 nodad
    ip -n "${NS[i]}" link set cni0 up
    for ((k = 1; k <= PODS; k++)); do
      pns=$(pod_ns "$i" "$k"); veth=$(pod_veth "$i" "$k")
      ip netns add "$pns"
      ((DUAL)) && nsx "$pns" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
      ip -n "${NS[i]}" link add "$veth" mtu 1450 type veth peer name eth0 mtu 1450 netns "$pns"
      ip -n "${NS[i]}" link set "$veth" master cni0 up
      ip -n "$pns" link set lo up
      ip -n "$pns" addr add "$(pod_ip4 "$i" "$k")/24" dev eth0
      ((DUAL)) && ip -n "$pns" addr add "$(pod_ip6 "$i" "$k")/64" dev eth0 nodad
      ip -n "$pns" link set eth0 up
      ip -n "$pns" route add default via "${GW4[i]}" dev eth0
      ((DUAL)) && ip -n "$pns" -6 route add default via "${GW6[i]}" dev eth0
    done
    make_vtep "$i" 4 "${VTMAC[i]}"
    ((DUAL)) && make_vtep "$i" 6 "${VTMAC6[i]}"
  done
  # flannel on each node learns the others' leases and programs neighbour, FDB, route, its packet filter rules
  # and subnet.env
  write_net_conf "$OUT/net-conf.json"
  for ((i = 0; i < NODES; i++)); do
    program_peers "$i" 4
    ((DUAL)) && program_peers "$i" 6
    install_flannel_rules "$i"
    mkdir -p "$OUT/${NAME[i]}"
    write_subnet_env "$i" "$OUT/${NAME[i]}/subnet.env"
  done
  # an HTTP server (port 80) in every pod
  for ((i = 0; i < NODES; i++)); do
    for ((k = 1; k <= PODS; k++)); do
      start_server "$(pod_ns "$i" "$k")" "$(pod_ip4 "$i" "$k")" "${NAME[i]}-pod$k"
      ((DUAL)) && start_server "$(pod_ns "$i" "$k")" "$(pod_ip6 "$i" "$k")" "${NAME[i]}-pod$k-v6"
    done
  done
  for ((i = 0; i < NODES; i++)); do
    for ((k = 1; k <= PODS; k++)); do
      wait_listen "$(pod_ns "$i" "$k")" t 80 5 ||
        die "HTTP server in $(pod_ns "$i" "$k") did not start: $(tail -n 3 "$RUN/logs/http-${NAME[i]}-pod$k.log" 2>/dev/null)"
    done
  done
  if ((SSH)); then
    setup_ssh "$pwsh_dll"
    for ((i = 0; i < NODES; i++)); do start_sshd "$i"; done
    for ((i = 0; i < NODES; i++)); do
      wait_listen "${NS[i]}" t "$SSH_PORT" 5 ||
        die "sshd in ${NS[i]} did not start: $(tail -n 3 "$RUN/logs/sshd-${NAME[i]}.log" 2>/dev/null)"
    done
  fi
  : > "$RUN/faults"
  write_state "$OUT"
  [[ $OUT == "$RUN/state" ]] || ln -sfn "$OUT" "$RUN/state"
  trap - EXIT INT TERM
  ((GENERATED)) && echo "$P"
  return 0
}

# ---------------------------------------------------------------- state
ensure_net_tools() {
  command -v route >/dev/null && command -v arp >/dev/null && return 0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq net-tools >/dev/null 2>&1 || true
  command -v route >/dev/null && command -v arp >/dev/null
}

write_state() { # dir
  local dir=$1 i k d mac mac6 have_nt=1 pns
  mkdir -p "$dir"; dir=$(cd "$dir" && pwd)
  # subnet.env and net-conf.json live in the lab's DIR (faults edit them there); another DIR gets a copy
  if [[ $dir != "$OUT" ]]; then
    [[ -e $OUT/net-conf.json ]] && cp "$OUT/net-conf.json" "$dir/net-conf.json"
    for ((i = 0; i < NODES; i++)); do
      mkdir -p "$dir/${NAME[i]}"
      rm -f "$dir/${NAME[i]}/subnet.env"
      [[ -e $OUT/${NAME[i]}/subnet.env ]] && cp "$OUT/${NAME[i]}/subnet.env" "$dir/${NAME[i]}/subnet.env"
    done
  fi
  local have_collector=1
  [[ -f $COLLECTOR ]] || { have_collector=0; say "$COLLECTOR missing: node.state skipped"; }
  ensure_net_tools || { have_nt=0; say "net-tools (route, arp) missing and not installable: route-n.txt and arp-n.txt skipped"; }
  local facts="$RUN/facts.tsv"
  {
    printf 'lab\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$P" "$NODES" "$VNI" "$PORT" "$DUAL" "$PODS" "$CREATED" "$U" \
      "$NFT" "$NETWORK4" "$NETWORK6"
    for ((i = 0; i < NODES; i++)); do
      d=$dir/${NAME[i]}; mkdir -p "$d"
      local n=${NS[i]}
      ip -n "$n" -j -d link show > "$d/ip-j-d-link.json"
      ip -n "$n" -j addr show > "$d/ip-j-addr.json"
      ip -n "$n" -j route show > "$d/ip-j-route.json"
      ip -n "$n" -j -6 route show > "$d/ip-j-6-route.json"
      ip -n "$n" -j neigh show > "$d/ip-j-neigh.json"
      bridge -n "$n" -j fdb show > "$d/bridge-j-fdb.json"
      ip -n "$n" route show > "$d/ip-route.txt"
      ip -n "$n" -6 route show > "$d/ip-6-route.txt"
      ip -n "$n" neigh show > "$d/ip-neigh.txt"
      bridge -n "$n" fdb show > "$d/bridge-fdb.txt"
      ip -n "$n" -d link show > "$d/ip-d-link.txt"
      ip -n "$n" addr show > "$d/ip-addr.txt"
      if ((have_nt)); then
        nsx "$n" route -n > "$d/route-n.txt"
        nsx "$n" arp -n > "$d/arp-n.txt"
      fi
      # the collector's document, as Get-FlannelNodeState -Path reads it (the tables, the host layer, flannel's files)
      ((have_collector)) &&
        nsx "$n" sh "$COLLECTOR" --subnet-env "$d/subnet.env" --net-conf "$dir/net-conf.json" > "$d/node.state"
      mac=$(dev_mac "$n" "$VX"); mac6=''
      ((DUAL)) && mac6=$(dev_mac "$n" "$VX6")
      printf 'node\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${NAME[i]}" "$i" "$n" "${IP4[i]}" "${IP6[i]}" \
        "$(dev_mac "$n" eth0)" "$VX" "${mac:--}" "$VX6" "${mac6:--}" "${SUB4[i]}" "${SUB6[i]}" "$(ip -n "$n" -o link show dev eth0 | sed -n 's/.* mtu \([0-9]*\) .*/\1/p')"
      for ((k = 1; k <= PODS; k++)); do
        pns=$(pod_ns "$i" "$k")
        printf 'pod\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "${NAME[i]}" "${NAME[i]}-pod$k" "$pns" "$(pod_ip4 "$i" "$k")" \
          "$(pod_ip6 "$i" "$k")" "$(dev_mac "$pns" eth0)" "$(pod_veth "$i" "$k")"
      done
    done
    ((SSH)) && printf 'ssh\t%s\t%s\t%s\troot\n' "$SSH_PORT" "$RUN/ssh/id_ed25519" "$RUN/ssh/known_hosts"
    [[ -s $RUN/faults ]] && sed 's/^/fault\t/' "$RUN/faults"
  } > "$facts"
  "$PY" - "$facts" "$dir" <<'PYEOF'
import json, os, sys, uuid, platform
facts, out = sys.argv[1], sys.argv[2]
lab, nodes, pods, faults, ssh = None, [], [], [], None
for line in open(facts):
    f = line.rstrip('\n').split('\t')
    if f[0] == 'lab':
        lab = dict(prefix=f[1], nodes=int(f[2]), vni=int(f[3]), port=int(f[4]), dualStack=f[5] == '1',
                   podsPerNode=int(f[6]), created=f[7], underlayNamespace=f[8], nftables=f[9] == '1',
                   network=f[10], ipv6Network=f[11] if f[5] == '1' else None, netConf=os.path.join(out, 'net-conf.json'))
    elif f[0] == 'node':
        nodes.append(dict(name=f[1], index=int(f[2]), namespace=f[3], ip=f[4], ip6=f[5], eth0Mac=f[6],
                          vtep=f[7], vtepMac=None if f[8] == '-' else f[8], vtep6=f[9],
                          vtep6Mac=None if f[10] == '-' else f[10], podCIDR=f[11], podCIDR6=f[12], eth0Mtu=int(f[13]),
                          subnetEnv=os.path.join(out, f[1], 'subnet.env'), nodeState=os.path.join(out, f[1], 'node.state')))
    elif f[0] == 'pod':
        pods.append(dict(node=f[1], name=f[2], namespace=f[3], ip=f[4], ip6=f[5], mac=f[6], hostVeth=f[7]))
    elif f[0] == 'ssh':
        ssh = dict(port=int(f[1]), identityFile=f[2], knownHostsFile=f[3], user=f[4])
    elif f[0] == 'fault':
        faults.append(' '.join(f[1:]))
dual = lab['dualStack']
items = []
for n in nodes:
    ann = {
        'flannel.alpha.coreos.com/backend-type': 'vxlan',
        'flannel.alpha.coreos.com/kube-subnet-manager': 'true',
        'flannel.alpha.coreos.com/public-ip': n['ip'],
        'kubeadm.alpha.kubernetes.io/cri-socket': '/var/run/dockershim.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
    }
    if n['vtepMac']:
        ann['flannel.alpha.coreos.com/backend-data'] = json.dumps({'VNI': lab['vni'], 'VtepMAC': n['vtepMac']}, separators=(',', ':'))
    if dual:
        ann['flannel.alpha.coreos.com/public-ipv6'] = n['ip6']
        if n['vtep6Mac']:
            ann['flannel.alpha.coreos.com/backend-v6-data'] = json.dumps({'VNI': lab['vni'], 'VtepMAC': n['vtep6Mac']}, separators=(',', ':'))
    labels = {
        'beta.kubernetes.io/arch': 'amd64', 'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64', 'kubernetes.io/hostname': n['name'], 'kubernetes.io/os': 'linux',
    }
    spec = {'podCIDR': n['podCIDR'], 'podCIDRs': [n['podCIDR']] + ([n['podCIDR6']] if dual else [])}
    if n['name'] == 'master':
        labels.update({'node-role.kubernetes.io/control-plane': '', 'node-role.kubernetes.io/master': '',
                       'node.kubernetes.io/exclude-from-external-load-balancers': ''})
        spec['taints'] = [{'effect': 'NoSchedule', 'key': 'node-role.kubernetes.io/master'}]
    addrs = [{'address': n['ip'], 'type': 'InternalIP'}]
    if dual:
        addrs.append({'address': n['ip6'], 'type': 'InternalIP'})
    addrs.append({'address': n['name'], 'type': 'Hostname'})
    t = lab['created']
    def cond(typ, status, reason, msg):
        return {'lastHeartbeatTime': t, 'lastTransitionTime': t, 'message': msg, 'reason': reason, 'status': status, 'type': typ}
    items.append({
        'apiVersion': 'v1', 'kind': 'Node',
        'metadata': {
            'annotations': ann, 'creationTimestamp': t, 'labels': labels, 'name': n['name'],
            'resourceVersion': str(1000 + n['index']),
            'uid': str(uuid.uuid5(uuid.NAMESPACE_URL, 'flannel-lab:%s:%s' % (lab['prefix'], n['name']))),
        },
        'spec': spec,
        'status': {
            'addresses': addrs,
            'allocatable': {'cpu': '2', 'ephemeral-storage': '17019017598', 'hugepages-2Mi': '0', 'memory': '3825548Ki', 'pods': '110'},
            'capacity': {'cpu': '2', 'ephemeral-storage': '18466Mi', 'hugepages-2Mi': '0', 'memory': '3927948Ki', 'pods': '110'},
            'conditions': [
                cond('NetworkUnavailable', 'False', 'FlannelIsUp', 'Flannel is running on this node'),
                cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
                cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
                cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
                cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
            ],
            'daemonEndpoints': {'kubeletEndpoint': {'Port': 10250}},
            'nodeInfo': {
                'architecture': 'amd64', 'bootID': str(uuid.uuid5(uuid.NAMESPACE_URL, 'boot:%s:%s' % (lab['prefix'], n['name']))),
                'containerRuntimeVersion': 'docker://20.10.12', 'kernelVersion': platform.release(),
                'kubeProxyVersion': 'v1.22.7', 'kubeletVersion': 'v1.22.7',
                'machineID': uuid.uuid5(uuid.NAMESPACE_URL, 'machine:%s:%s' % (lab['prefix'], n['name'])).hex,
                'operatingSystem': 'linux', 'osImage': 'Debian GNU/Linux 12 (bookworm)',
                'systemUUID': str(uuid.uuid5(uuid.NAMESPACE_URL, 'system:%s:%s' % (lab['prefix'], n['name']))),
            },
        },
    })
doc = {'apiVersion': 'v1', 'items': items, 'kind': 'List', 'metadata': {'resourceVersion': '', 'selfLink': ''}}
def dump(obj, name):
    tmp = os.path.join(out, '.' + name + '.tmp')
    with open(tmp, 'w') as fh:
        json.dump(obj, fh, indent=4, sort_keys=True)
        fh.write('\n')
    os.replace(tmp, os.path.join(out, name))
dump(doc, 'nodes.json')
lab['devices'] = {'vtep': 'flannel.%d' % lab['vni'], 'vtep6': 'flannel-v6.%d' % lab['vni'] if dual else None}
for n in nodes:
    n['pods'] = [p for p in pods if p['node'] == n['name']]
    if not dual:
        n['ip6'] = n['podCIDR6'] = n['vtep6'] = None
        for p in n['pods']:
            p['ip6'] = None
lab['nodeList'] = nodes
lab['faults'] = faults
lab['ssh'] = ssh
dump(lab, 'lab.json')
PYEOF
}

cmd_state() {
  resolve_prefix existing; load_config
  local dir=${O_OUT:-$OUT}
  write_state "$dir"
}

cmd_info() {
  resolve_prefix existing; load_config
  cat "$OUT/lab.json"
}

cmd_list() {
  [[ -d $RUNROOT ]] || return 0
  find "$RUNROOT" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort
}

# ---------------------------------------------------------------- traffic
resolve_pod() { # spec -> PNS PIP4 PIP6 (spec: nodeN or nodeN-podK)
  local s=$1 k=1 i
  if [[ $s =~ ^(master|node[0-9]+)-pod([0-9]+)$ ]]; then s=${BASH_REMATCH[1]}; k=${BASH_REMATCH[2]}; fi
  i=$(node_index "$s") || exit 1
  ((k >= 1 && k <= PODS)) || die "no pod $1"
  PNS=$(pod_ns "$i" "$k"); PIP4=$(pod_ip4 "$i" "$k"); PIP6=$(pod_ip6 "$i" "$k")
}

check_traffic() { # kinds: fail before anything runs if a kind or pod is wrong
  local k ks
  IFS=, read -r -a ks <<<"$1"
  for k in "${ks[@]}"; do
    [[ $k =~ ^wait:([0-9]+(\.[0-9]+)?)$ ]] && continue
    if [[ $k =~ ^([a-z0-9]+):([A-Za-z0-9-]+):([A-Za-z0-9-]+)$ ]]; then
      local pair=("${BASH_REMATCH[2]}" "${BASH_REMATCH[3]}")
      k=${BASH_REMATCH[1]}; resolve_pod "${pair[0]}"; resolve_pod "${pair[1]}"
    fi
    [[ $k =~ ^(curl|ping|bigping|udp)6?$ ]] || die "unknown traffic kind '$k' (curl ping bigping udp, suffix 6 for IPv6; KIND:FROM:TO; wait:S)"
    [[ $k == *6 || $O_V6 == 1 ]] && ! ((DUAL)) && die "traffic over IPv6 needs a --dual-stack lab"
  done
  resolve_pod "${O_FROM:-node1}"; resolve_pod "${O_TO:-node2}"
}

run_traffic() { # kinds(comma list); uses O_FROM O_TO O_COUNT O_SIZE O_TIMEOUT O_V6; quiet=1 discards output
  local kinds=$1 quiet=$2 kind v6 from_ns dst rc=0 count=${O_COUNT:-} size=${O_SIZE:-} tmo=${O_TIMEOUT:-5} from to
  local sink
  if ((quiet)); then exec {sink}>/dev/null; else exec {sink}>&1; fi
  IFS=, read -r -a kinds <<<"$kinds"
  for kind in "${kinds[@]}"; do
    if [[ $kind =~ ^wait:([0-9]+(\.[0-9]+)?)$ ]]; then sleep "${BASH_REMATCH[1]}"; continue; fi
    from=${O_FROM:-node1} to=${O_TO:-node2}
    if [[ $kind =~ ^([a-z0-9]+):([A-Za-z0-9-]+):([A-Za-z0-9-]+)$ ]]; then
      kind=${BASH_REMATCH[1]} from=${BASH_REMATCH[2]} to=${BASH_REMATCH[3]}
    fi
    resolve_pod "$from"; from_ns=$PNS
    resolve_pod "$to"
    v6=$O_V6
    case $kind in *6) v6=1; kind=${kind%6} ;; esac
    if ((v6)); then ((DUAL)) || die "traffic over IPv6 needs a --dual-stack lab"; dst=$PIP6; else dst=$PIP4; fi
    # only ever a literal lab pod address: nothing may be resolved or sent out of the lab
    [[ $dst =~ ^10\.244\.[0-9]+\.[0-9]+$ || $dst =~ ^fd10:244:[0-9a-f]*::[0-9a-f]+$ ]] || die "internal: bad destination '$dst'"
    case $kind in
      curl)
        local url="http://$dst/"
        ((v6)) && url="http://[$dst]/"
        if command -v curl >/dev/null; then
          nsx "$from_ns" curl -sS -g --noproxy '*' --max-time "$tmo" "$url" >&"$sink" || rc=$?
        else
          nsx "$from_ns" timeout "$tmo" "$PY" -c 'import sys,urllib.request; sys.stdout.write(urllib.request.build_opener(urllib.request.ProxyHandler({})).open(sys.argv[1]).read().decode())' "$url" >&"$sink" || rc=$?
        fi ;;
      ping|bigping)
        command -v ping >/dev/null || die "ping missing (apt-get install iputils-ping, or lab.sh deps)"
        local pa=(-n -c "${count:-2}" -i 0.2 -W "$tmo")
        [[ $kind == bigping ]] && pa+=(-M dont -s "${size:-3000}")
        [[ $kind == ping && -n $size ]] && pa+=(-s "$size")
        ((v6)) && pa=(-6 "${pa[@]}")
        nsx "$from_ns" ping -q "${pa[@]}" "$dst" >&"$sink" || rc=$?
        ;;
      udp)
        local fam=AF_INET n=${count:-2}
        ((v6)) && fam=AF_INET6
        nsx "$PNS" timeout $((tmo + 2)) "$PY" -c '
import socket, sys
s = socket.socket(socket.'"$fam"', socket.SOCK_DGRAM); s.bind((sys.argv[1], 7))
for _ in range(int(sys.argv[2])):
    d, a = s.recvfrom(65535); s.sendto(d, a)' "$dst" "$n" </dev/null >/dev/null 2>&1 &
        local srv=$!
        wait_listen "$PNS" u 7 3 || { kill "$srv" 2>/dev/null; die "UDP echo server did not start in $PNS"; }
        nsx "$from_ns" "$PY" -c '
import socket, sys
s = socket.socket(socket.'"$fam"', socket.SOCK_DGRAM); s.settimeout(float(sys.argv[3]))
for i in range(int(sys.argv[2])):
    s.sendto(b"flannel-lab udp %d" % i, (sys.argv[1], 7)); print(s.recvfrom(65535)[0].decode())' "$dst" "$n" "$tmo" >&"$sink" || rc=$?
        kill "$srv" 2>/dev/null || true
        wait "$srv" 2>/dev/null || true
        ;;
      *) die "unknown traffic kind '$kind' (curl ping bigping udp, suffix 6 for IPv6)" ;;
    esac
  done
  return "$rc"
}

cmd_traffic() {
  resolve_prefix existing; load_config
  ((${#ARGS[@]} == 1)) || die "usage: lab.sh traffic KIND[,KIND..] [--from POD] [--to POD]"
  local rc=0
  run_traffic "${ARGS[0]}" 0 || rc=$?
  ((rc == 0 || O_ALLOW_FAIL)) || die "traffic '${ARGS[0]}' failed (exit $rc)"
}

CAP_PIDS=() CAP_ERRS=() CAP_TERR=''
capture_cleanup() { # every exit path of capture: stop what it started, remove its logs
  local rc=$? pid e
  for pid in "${CAP_PIDS[@]}"; do
    kill -0 "$pid" 2>/dev/null && kill -INT "$pid" 2>/dev/null
  done
  for pid in "${CAP_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [[ -n $CAP_TERR && -f $CAP_TERR ]]; then
    ((rc == 0)) || cat "$CAP_TERR" >&"$ERRFD"
    rm -f "$CAP_TERR"
  fi
  for e in "${CAP_ERRS[@]}"; do rm -f "$e"; done
}

start_capture() { # ns iface file err tool : starts one capture in the background; its pid in CAP_PIDS
  local ns=$1 iface=$2 file=$3 err=$4
  case $5 in
    tcpdump)
      # immediate mode hands each packet over at once (no packet left in an unretired ring block at SIGINT);
      # its ring has fixed snaplen-sized slots, so a 16 MiB buffer keeps bursts (-i any) from being dropped
      ip netns exec "$ns" tcpdump -i "$iface" -U --immediate-mode -B 16384 -n -Z root -w "$file" "${EXTRA[@]}" </dev/null >/dev/null 2>"$err" & ;;
    dumpcap)
      ip netns exec "$ns" dumpcap -i "$iface" -B 16 -q -w "$file" "${EXTRA[@]}" </dev/null >/dev/null 2>"$err" & ;;
  esac
  CAP_PIDS+=($!)
  echo "$! $5 $ns" >> "$RUN/pids"
}

cmd_capture() { # $1 = default traffic
  resolve_prefix existing; load_config
  command -v tcpdump >/dev/null || die "tcpdump missing (lab.sh deps)"
  local traffic=${O_TRAFFIC:-$1} tool=${O_TOOL:-tcpdump} ready
  case $tool in
    tcpdump) ready='listening on' ;;
    dumpcap) command -v dumpcap >/dev/null || die "dumpcap missing (apt-get install wireshark-common)"; ready='Capturing on' ;;
    *) die "--tool must be tcpdump or dumpcap" ;;
  esac
  # every capture as NODE:IF:FILE; --node/--iface/--out give the one capture of the command's first form
  local specs=("${O_AT[@]}") spec
  if ((${#specs[@]})); then
    [[ -z $O_NODE$O_IFACE$O_OUT ]] || die "--at goes without --node, --iface and --out"
  else
    specs=("${O_NODE:-node1}:${O_IFACE:-eth0}:${O_OUT:-$OUT/walkthrough.pcap}")
  fi
  local nss=() ifaces=() files=() ns file
  for spec in "${specs[@]}"; do
    [[ $spec =~ ^([A-Za-z0-9-]+):([A-Za-z0-9_.@-]+):(.+)$ ]] || die "--at takes NODE:IF:FILE, not '$spec'"
    ns=$(target_ns "${BASH_REMATCH[1]}") || exit 1
    file=${BASH_REMATCH[3]}
    mkdir -p "$(dirname "$file")"
    file=$(cd "$(dirname "$file")" && pwd)/$(basename "$file")
    [[ " ${files[*]} " != *" $file "* ]] || die "two captures into $file"
    nss+=("$ns"); ifaces+=("${BASH_REMATCH[2]}"); files+=("$file")
  done
  if [[ $traffic != none ]]; then check_traffic "$traffic"; fi
  exec {ERRFD}>&2
  trap 'capture_cleanup' EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  local k
  for k in "${!files[@]}"; do
    rm -f "${files[k]}"
    CAP_ERRS+=("$RUN/logs/capture.$$.$k.err")
    start_capture "${nss[k]}" "${ifaces[k]}" "${files[k]}" "${CAP_ERRS[k]}" "$tool"
  done
  for k in "${!files[@]}"; do
    local t=100
    until grep -q "$ready" "${CAP_ERRS[k]}" 2>/dev/null; do
      kill -0 "${CAP_PIDS[k]}" 2>/dev/null || { cat "${CAP_ERRS[k]}" >&2; die "$tool failed in ${nss[k]} on ${ifaces[k]}"; }
      ((t-- > 0)) || die "$tool did not start in ${nss[k]} on ${ifaces[k]}"
      sleep 0.05
    done
  done
  local rc=0
  CAP_TERR=$RUN/logs/traffic.$$.err
  if [[ $traffic != none ]]; then run_traffic "$traffic" 1 2>"$CAP_TERR" || rc=$?; fi
  sleep 0.5
  local pid
  for pid in "${CAP_PIDS[@]}"; do kill -INT "$pid"; done
  for pid in "${CAP_PIDS[@]}"; do wait "$pid" || true; done
  CAP_PIDS=()
  trap - EXIT INT TERM
  if ((rc != 0 && !O_ALLOW_FAIL)); then cat "$CAP_TERR" >&2; fi
  rm -f "$CAP_TERR"
  for k in "${!files[@]}"; do
    [[ -s ${files[k]} ]] || die "capture ${files[k]} is empty"
    if grep -qE '^[1-9][0-9]* packets dropped by kernel|dropped: [1-9]|/[1-9][0-9]* \(pcap' "${CAP_ERRS[k]}"; then
      say "warning: the capture ${files[k]} dropped packets: $(grep -iE 'dropped' "${CAP_ERRS[k]}" | tr '\n' ' ')"
    fi
    rm -f "${CAP_ERRS[k]}"
  done
  ((rc == 0 || O_ALLOW_FAIL)) || die "traffic '$traffic' failed (exit $rc); captures kept in ${files[*]}"
}

# ---------------------------------------------------------------- faults
fdb_macs_to() { # ns dev dst -> MACs whose FDB entry points at dst
  bridge -n "$1" fdb show dev "$2" | awk -v d="$3" '$2 == "dst" && $3 == d {print $1}'
}

cmd_fault() {
  resolve_prefix existing; load_config
  local kind=${ARGS[0]:-}
  local fam=4 dev=$VX
  if ((O_V6)); then ((DUAL)) || die "--v6 needs a --dual-stack lab"; fam=6; dev=$VX6; fi
  need() { ((${#ARGS[@]} == $1 + 1)) || die "usage: lab.sh fault $kind $2"; }
  need_tool() { command -v "$1" >/dev/null || die "$1 missing (lab.sh deps)"; }
  local i j ns macs mac
  case $kind in
    list|'')
      printf '%s\n' \
        'stale-vtepmac NODE [--mac MAC] [--v6]   recreate NODE flannel device with a new MAC; others keep the old one' \
        'missing-fdb NODE PEER [--v6]           delete NODE FDB entry for PEER' \
        'wrong-fdb-dst NODE PEER [--dst IP] [--v6]  NODE FDB entry for PEER MAC points at another node IP' \
        'missing-route NODE PEER [--v6]         delete NODE route to PEER pod subnet' \
        'missing-neigh NODE PEER [--v6]         delete NODE permanent neighbour entry for PEER VTEP' \
        'drop-udp NODE [--port U]               drop inbound UDP to the VXLAN port in NODE (nftables or iptables)' \
        'mtu NODE [--mtu M]                     lower NODE eth0 MTU (default 1400) below flannel MTU + 50' \
        'nft-input-drop NODE [--port U]         drop-udp with nft: table inet flannel_lab, input chain drops the VXLAN port' \
        'underlay-drop NODE PEER [--port U] [--v6]  the underlay bridge drops VXLAN from NODE to PEER (that direction only)' \
        'nft-forward-drop NODE                  table inet flannel_lab_fwd: forward chain with policy drop' \
        'legacy-input-drop NODE                 iptables-legacy -A INPUT -p udp --dport PORT -j DROP' \
        'reject-forward NODE                    iptables-nft REJECT (icmp-host-prohibited) ahead of the FLANNEL-FWD jump' \
        'legacy-forward-drop NODE               iptables-legacy -P FORWARD DROP beside the iptables-nft flannel rules' \
        'ip-forward-off NODE                    sysctl net.ipv4.ip_forward=0' \
        'checksum NODE                          eth0 tx checksum offload off + MASQUERADE --random-fully of outer VXLAN' \
        'subnet-env NODE --missing|--subnet CIDR|--mtu M   remove or rewrite DIR/NODE/subnet.env' \
        'netconf-port [--port U]                DIR/net-conf.json with Backend.Port U (default 4789, or 8472)' \
        'docker-forward-drop NODE               iptables-nft -P FORWARD DROP: healthy with FLANNEL-FWD, a fault with --nftables' \
        'sshd-stop NODE                         stop NODE sshd (a lab made with --ssh): the node refuses SSH'
      return 0 ;;
    stale-vtepmac)
      need 1 'NODE [--mac MAC] [--v6]'
      i=$(node_index "${ARGS[1]}") || exit 1; ns=${NS[i]}
      local old; old=$(dev_mac "$ns" "$dev")
      ip -n "$ns" link del "$dev"
      make_vtep "$i" "$fam" "$O_MAC"
      [[ $(dev_mac "$ns" "$dev") != "$old" ]] || die "new MAC equals the old one"
      program_peers "$i" "$fam" ;;
    missing-fdb|wrong-fdb-dst|missing-route|missing-neigh)
      need 2 'NODE PEER'
      i=$(node_index "${ARGS[1]}") || exit 1; j=$(node_index "${ARGS[2]}") || exit 1; ns=${NS[i]}
      ((i != j)) || die "NODE and PEER are the same"
      local pip=${IP4[j]} sub=${SUB4[j]} vip=${VTIP4[j]}
      ((fam == 6)) && { pip=${IP6[j]} sub=${SUB6[j]} vip=${VTIP6[j]}; }
      case $kind in
        missing-fdb|wrong-fdb-dst)
          mapfile -t macs < <(fdb_macs_to "$ns" "$dev" "$pip")
          ((${#macs[@]})) || die "${NAME[i]} has no FDB entry on $dev pointing at ${NAME[j]} ($pip)"
          if [[ $kind == missing-fdb ]]; then
            for mac in "${macs[@]}"; do bridge -n "$ns" fdb del "$mac" dev "$dev" dst "$pip" self; done
          else
            local wrong=$O_DST k
            if [[ -z $wrong ]]; then
              for ((k = 0; k < NODES; k++)); do
                ((k != i && k != j)) && { wrong=${IP4[k]}; ((fam == 6)) && wrong=${IP6[k]}; break; }
              done
              [[ -n $wrong ]] || { wrong=192.168.0.250; ((fam == 6)) && wrong=fd00::250; }
            fi
            for mac in "${macs[@]}"; do bridge -n "$ns" fdb replace "$mac" dev "$dev" dst "$wrong" self permanent; done
          fi ;;
        missing-route) ip -n "$ns" -"$fam" route del "$sub" dev "$dev" ;;
        missing-neigh) ip -n "$ns" -"$fam" neigh del "$vip" dev "$dev" ;;
      esac ;;
    drop-udp|nft-input-drop)
      need 1 'NODE [--port U]'
      i=$(node_index "${ARGS[1]}") || exit 1; ns=${NS[i]}
      local port=${O_PORT:-$PORT}
      [[ $kind == drop-udp ]] || need_tool nft
      if command -v nft >/dev/null; then
        nsx "$ns" nft -f - <<EOF
table inet flannel_lab {
  chain input {
    type filter hook input priority filter; policy accept;
    udp dport $port counter drop comment "flannel-lab fault drop-udp"
  }
}
EOF
      elif command -v iptables >/dev/null; then
        nsx "$ns" iptables -I INPUT -p udp --dport "$port" -j DROP
        ((DUAL)) && nsx "$ns" ip6tables -I INPUT -p udp --dport "$port" -j DROP
      else
        die "neither nft nor iptables is installed"
      fi ;;
    underlay-drop)
      # between the nodes: the underlay's bridge (its own namespace, nft's bridge family) drops one direction's VXLAN,
      # as a security group or a firewall on the path would; the nodes' own tables stay as they are
      need 2 'NODE PEER [--port U] [--v6]'
      i=$(node_index "${ARGS[1]}") || exit 1; j=$(node_index "${ARGS[2]}") || exit 1
      ((i != j)) || die "NODE and PEER are the same"
      need_tool nft
      local fam_kw=ip src=${IP4[i]} dst=${IP4[j]}
      ((fam == 6)) && { fam_kw=ip6 src=${IP6[i]} dst=${IP6[j]}; }
      nsx "$U" nft -f - <<EOF
table bridge flannel_lab_underlay {
  chain forward {
    type filter hook forward priority filter; policy accept;
    $fam_kw saddr $src $fam_kw daddr $dst udp dport ${O_PORT:-$PORT} counter drop comment "flannel-lab fault underlay-drop"
  }
}
EOF
      ;;
    mtu)
      need 1 'NODE [--mtu M]'
      i=$(node_index "${ARGS[1]}") || exit 1
      ip -n "${NS[i]}" link set eth0 mtu "${O_MTU:-1400}" ;;
    nft-forward-drop)
      need 1 NODE
      i=$(node_index "${ARGS[1]}") || exit 1
      need_tool nft
      nsx "${NS[i]}" nft -f - <<'EOF'
table inet flannel_lab_fwd {
  chain forward {
    type filter hook forward priority filter; policy drop;
  }
}
EOF
      ;;
    legacy-input-drop)
      need 1 NODE
      i=$(node_index "${ARGS[1]}") || exit 1
      need_tool iptables-legacy
      nsx "${NS[i]}" iptables-legacy -A INPUT -p udp --dport "$PORT" -j DROP ;;
    reject-forward)
      need 1 NODE
      i=$(node_index "${ARGS[1]}") || exit 1
      ((!NFT)) || die "reject-forward goes ahead of flannel's iptables FLANNEL-FWD: a lab without --nftables"
      nsx "${NS[i]}" iptables-nft -I FORWARD 1 -j REJECT --reject-with icmp-host-prohibited ;;
    legacy-forward-drop)
      need 1 NODE
      i=$(node_index "${ARGS[1]}") || exit 1
      need_tool iptables-legacy
      nsx "${NS[i]}" iptables-legacy -P FORWARD DROP ;;
    ip-forward-off)
      need 1 NODE
      i=$(node_index "${ARGS[1]}") || exit 1
      nsx "${NS[i]}" sysctl -qw net.ipv4.ip_forward=0 ;;
    checksum)
      # the outer UDP checksum is computed over an inner TCP checksum the NIC is to fill in (CHECKSUM_PARTIAL); the
      # masquerade's port rewrite then updates it as if it covered the pseudo-header only, and with eth0's own offload
      # off the kernel fills in the inner checksum and sends the wrong outer one: the peer drops it (Udp InCsumErrors)
      need 1 NODE
      i=$(node_index "${ARGS[1]}") || exit 1
      need_tool ethtool
      nsx "${NS[i]}" ethtool -K eth0 tx off >/dev/null
      nsx "${NS[i]}" iptables-nft -t nat -A POSTROUTING -p udp --dport "$PORT" -m comment --comment "flannel-lab fault checksum" \
        -j MASQUERADE --random-fully ;;
    subnet-env)
      need 1 'NODE --missing | --subnet CIDR | --mtu M'
      i=$(node_index "${ARGS[1]}") || exit 1
      local file=$OUT/${NAME[i]}/subnet.env
      if ((O_MISSING)); then
        [[ -z $O_SUBNET$O_MTU ]] || die "--missing goes alone"
        rm -f "$file"
      else
        [[ -n $O_SUBNET$O_MTU ]] || die "usage: lab.sh fault subnet-env NODE --missing | --subnet CIDR | --mtu M"
        [[ -f $file ]] || write_subnet_env "$i" "$file"
        [[ -z $O_SUBNET ]] || sed -i "s|^FLANNEL_SUBNET=.*|FLANNEL_SUBNET=$O_SUBNET|" "$file"
        [[ -z $O_MTU ]] || sed -i "s|^FLANNEL_MTU=.*|FLANNEL_MTU=$O_MTU|" "$file"
      fi ;;
    netconf-port)
      need 0 '[--port U]'
      local port=${O_PORT:-4789}
      [[ -n $O_PORT ]] || ((PORT != 4789)) || port=8472
      is_uint "$port" && ((port >= 1 && port <= 65535 && port != PORT)) || die "--port must be 1..65535 and not the lab's $PORT"
      write_net_conf "$OUT/net-conf.json" "$port" ;;
    docker-forward-drop)
      need 1 NODE
      i=$(node_index "${ARGS[1]}") || exit 1
      # healthy beside flannel's iptables FLANNEL-FWD; with --nftables it breaks forwarding (flannel's nft accept ends
      # only its own base chain)
      nsx "${NS[i]}" iptables-nft -P FORWARD DROP ;;
    sshd-stop)
      need 1 NODE
      ((SSH)) || die "sshd-stop needs a lab made with --ssh"
      i=$(node_index "${ARGS[1]}") || exit 1
      local pid
      pid=$(cat "$RUN/ssh/${NAME[i]}/pid" 2>/dev/null) || die "no sshd pid for ${NAME[i]}"
      kill -TERM "$pid" 2>/dev/null || true
      local tries=100
      while ((tries-- > 0)) && [[ -n $(ss -N "${NS[i]}" -Hltn "sport = :$SSH_PORT" 2>/dev/null) ]]; do sleep 0.05; done
      [[ -z $(ss -N "${NS[i]}" -Hltn "sport = :$SSH_PORT" 2>/dev/null) ]] || die "sshd of ${NAME[i]} still listens" ;;
    *) die "unknown fault '$kind' (lab.sh fault list)" ;;
  esac
  local recorded=("${ARGS[@]}") o
  for o in mac dst mtu port subnet; do
    local v="O_${o^^}"
    [[ -z ${!v} ]] || recorded+=("--$o" "${!v}")
  done
  ((O_MISSING)) && recorded+=(--missing)
  ((O_V6)) && recorded+=(--v6)
  printf '%s\n' "${recorded[*]}" >> "$RUN/faults"
  write_state "$OUT"
}

# ---------------------------------------------------------------- misc
cmd_exec() {
  local args=("$@")
  while ((${#args[@]})) && [[ ${args[0]} == --* ]]; do
    case ${args[0]} in
      --prefix) O_PREFIX=${args[1]:-}; args=("${args[@]:2}") ;;
      --prefix=*) O_PREFIX=${args[0]#*=}; args=("${args[@]:1}") ;;
      --) args=("${args[@]:1}"); break ;;
      *) die "unknown option ${args[0]}" ;;
    esac
  done
  ((${#args[@]} >= 2)) || die "usage: lab.sh exec [--prefix P] TARGET CMD..."
  resolve_prefix existing; load_config
  local ns; ns=$(target_ns "${args[0]}") || exit 1
  exec ip netns exec "$ns" "${args[@]:1}"
}

cmd_ns() {
  resolve_prefix existing; load_config
  ((${#ARGS[@]} == 1)) || die "usage: lab.sh ns [--prefix P] TARGET"
  target_ns "${ARGS[0]}"
}

cmd_deps() {
  local need=() c pkg
  for c in ip:iproute2 tcpdump:tcpdump python3:python3 route:net-tools ping:iputils-ping nft:nftables \
    curl:curl tshark:tshark editcap:wireshark-common tcprewrite:tcpreplay iptables-nft:iptables ethtool:ethtool \
    ssh:openssh-client ssh-keygen:openssh-client "$SSHD":openssh-server sudo:sudo; do
    command -v "${c%%:*}" >/dev/null || need+=("${c#*:}")
  done
  ((${#need[@]})) || return 0
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null ||
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; }
}

main() {
  (($#)) || { usage >&2; exit 2; }
  local cmd=$1; shift
  case $cmd in
    exec) cmd_exec "$@"; return ;;
    -h|--help|help) usage; return ;;
  esac
  parse_opts "$@"
  case $cmd in
    up) cmd_up ;;
    down) cmd_down ;;
    down-all) cmd_down_all ;;
    state) cmd_state ;;
    walkthrough) O_TRAFFIC=${O_TRAFFIC:-curl}; cmd_capture curl ;;
    capture) cmd_capture curl ;;
    traffic) cmd_traffic ;;
    fault) cmd_fault ;;
    ns) cmd_ns ;;
    info) cmd_info ;;
    list) cmd_list ;;
    deps) cmd_deps ;;
    *) usage >&2; die "unknown command '$cmd'" ;;
  esac
}

main "$@"
