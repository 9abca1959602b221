# SPDX-License-Identifier: BSD-3-Clause
# tests/lab/resolvers.sh - BIND, Unbound, PowerDNS Recursor and Knot
# Resolver as validating resolvers of a lab world (127.0.20.1-4, next to the
# lab's own 127.0.10.x), each with its control channel where Debian 12's
# packages put it: /etc/bind/rndc.key with 127.0.0.1#953, /run/unbound.ctl
# through /etc/unbound/unbound.conf, /var/run/pdns-recursor,
# /run/knot-resolver/control/1. So the mitigation commands bogus prints
# (rndc nta, unbound-control insecure_add, rec_control add-nta, kresd's
# trust_anchors) run exactly as printed. Needs a private mount namespace
# (unshare -m --propagation private): private_paths mounts a fresh /run and
# our own /etc/bind, /etc/unbound and /etc/powerdns, so the host's files
# are neither read nor touched. Sourced inside a world (LAB_HINTS,
# LAB_ANCHOR, LAB_DELV_ANCHOR set), with $T a scratch directory; used by
# tests/system/mitigation_lab.sh and by `LAB_ALL_RESOLVERS=1 lab shell`.

# The lab's Unbound and kresd configuration (unbound_server_conf,
# kresd_conf), unless the world's own shell has it already.
if ! declare -F unbound_server_conf >/dev/null; then
	LAB_HOME=${LAB_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
	. "$LAB_HOME/world.sh"
fi

IMPLS=("BIND" "Unbound" "PowerDNS Recursor" "Knot Resolver")
declare -A ADDR=(
	["BIND"]=127.0.20.1 ["Unbound"]=127.0.20.2
	["PowerDNS Recursor"]=127.0.20.3 ["Knot Resolver"]=127.0.20.4
)

# wait_up ADDR - until ADDR answers anything (any rcode); 20 tries of at
# most 1.3 s.
wait_up() {
	for _ in $(seq 20); do
		dig +time=1 +tries=1 +noall +comments "@$1" . SOA 2>/dev/null |
			grep -q 'status:' && return 0
		sleep 0.3
	done
	return 1
}

# Our daemons: pid and command line by name.
declare -A PID CMDLINE

# start NAME CMD... - a daemon, its output in $T/NAME.log.
start() {
	local name=$1
	shift
	CMDLINE[$name]="$*"
	"$@" >>"$T/$name.log" 2>&1 </dev/null &
	PID[$name]=$!
}

# stop NAME - TERM, KILL after 3 s; by pid only.
stop() {
	local p=${PID[$1]:-}
	[ -n "$p" ] || return 0
	unset "PID[$1]"
	kill "$p" 2>/dev/null || return 0
	for _ in $(seq 30); do
		kill -0 "$p" 2>/dev/null || return 0
		sleep 0.1
	done
	kill -KILL "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	return 0
}

stop_all() {
	local name
	for name in "${!PID[@]}"; do
		stop "$name"
	done
}

# restart NAME - the same command line again (no spaces in our paths).
restart() {
	stop "$1"
	# shellcheck disable=SC2086
	start "$1" ${CMDLINE[$1]}
}

# The private mount namespace: a fresh /run, and our own /etc/bind,
# /etc/unbound and /etc/powerdns (so neither the host's keys are read nor
# its files touched).
private_paths() {
	local d
	mount -t tmpfs tmpfs /run || return 1
	mkdir -p /run/knot-resolver/control /run/pdns-recursor || return 1
	for d in /etc/bind /etc/unbound /etc/powerdns; do
		[ -d "$d" ] || { echo "$d missing (package not installed?)"; return 1; }
		mkdir -p "$T/etc$d" && mount --bind "$T/etc$d" "$d" || return 1
	done
}

start_bind() {
	local d=$T/bind
	mkdir -p "$d"
	# named listens only on addresses an interface has (the others use
	# the 127.0.0.0/8 route); this namespace ends with the lab.
	ip addr add "${ADDR[BIND]}/32" dev lo || return 1
	rndc-confgen -a -A hmac-sha256 >/dev/null 2>&1 || return 1
	# No controls statement: named's default channel (127.0.0.1#953 with
	# /etc/bind/rndc.key), as on Debian.
	cat >"$d/named.conf" <<EOF
options {
	directory "$d";
	pid-file "$d/named.pid";
	listen-on port 53 { ${ADDR[BIND]}; };
	listen-on-v6 { none; };
	recursion yes;
	allow-query { any; };
	allow-recursion { 127.0.0.0/8; };
	dnssec-validation yes;
};
include "$LAB_DELV_ANCHOR";
zone "." { type hint; file "$LAB_HINTS"; };
EOF
	start named named -g -c "$d/named.conf"
}

start_unbound() {
	local d=$T/unbound
	mkdir -p "$d"
	# The control channel as Debian's unbound.conf.d/remote-control.conf.
	{
		unbound_server_conf "${ADDR[Unbound]}" "$d"
		cat <<EOF
	trust-anchor-file: "$LAB_ANCHOR"
remote-control:
	control-enable: yes
	control-interface: /run/unbound.ctl
EOF
	} >/etc/unbound/unbound.conf
	start unbound unbound -d -c /etc/unbound/unbound.conf
}

start_recursor() {
	local d=$T/recursor ds
	mkdir -p "$d"
	ds=$(awk '$4 == "DS" { print $5, $6, $7, $8; exit }' "$LAB_ANCHOR")
	echo "addTA('.', '$ds')" >"$d/recursor.lua"
	# socket-dir unset: rec_control and the recursor meet in the default
	# /var/run/pdns-recursor (systemd's RuntimeDirectory on Debian).
	cat >/etc/powerdns/recursor.conf <<EOF
local-address=${ADDR[PowerDNS Recursor]}
local-port=53
allow-from=127.0.0.0/8
dont-query=
hint-file=$LAB_HINTS
lua-config-file=$d/recursor.lua
dnssec=validate
daemon=no
threads=1
quiet=yes
security-poll-suffix=
qname-minimization=no
EOF
	start recursor pdns_recursor --config-dir=/etc/powerdns
}

start_kresd() {
	local d=$T/kresd
	mkdir -p "$d"
	# The control socket where Debian's distro-preconfig.lua puts it for
	# kresd@1; the rest as the lab's kresd (tests/lab/world.sh).
	{
		kresd_conf "${ADDR[Knot Resolver]}"
		echo "net.listen('/run/knot-resolver/control/1', nil, { kind = 'control' })"
	} >"$d/kresd.conf"
	start kresd kresd -n -q -c "$d/kresd.conf" "$d"
}

# resolvers_up - the private paths and the four resolvers, each answering;
# on failure says why on stdout and returns 1.
resolvers_up() {
	local impl err
	err=$(private_paths 2>&1) || { echo "cannot set up the private mount namespace: $err"; return 1; }
	start_bind || { echo "BIND: ip addr add or rndc-confgen -a failed"; return 1; }
	start_unbound
	start_recursor
	start_kresd
	for impl in "${IMPLS[@]}"; do
		wait_up "${ADDR[$impl]}" || {
			echo "$impl on ${ADDR[$impl]} did not come up: $(tail -n 5 "$T"/*.log | tr '\n' ' ' | head -c 600)"
			return 1
		}
	done
}
