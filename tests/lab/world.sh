# SPDX-License-Identifier: BSD-3-Clause
# tests/lab/world.sh - builds and runs one lab world: keys, zones, servers,
# resolvers. Sourced by tests/lab/lab inside a private network namespace;
# never run it on the host network. A scenario (tests/lab/scenarios/*.sh) is
# sourced after this file and changes the world through the W_* variables and
# the scenario_* hooks below; everything else is the healthy world.
#
# Address plan (all in the namespace, port 53):
#   127.0.1.1   a.root-servers.test.    root .            knotd
#   127.0.2.1   ns1.nic.test.           test.             nsd
#   127.0.2.2   ns2.nic.test.           test.             knotd
#   127.0.3.1   ns1.example.test.       example.test. and dnssec-failed.test.   nsd
#   127.0.3.2   ns2.example.test.       example.test. and dnssec-failed.test.   nsd
#   127.0.4.1   ns1.other-provider.test.  (provider-migration, -planned)     nsd
#   127.0.4.2   ns2.other-provider.test.  (provider-migration, -planned)     nsd
#   127.0.10.1  unbound   validating Unbound (ede: yes)
#   127.0.10.2  kresd     validating Knot Resolver
#   127.0.10.3  office    Unbound with validation off

ROOT_ADDR=127.0.1.1
TLD1_ADDR=127.0.2.1
TLD2_ADDR=127.0.2.2
NS1_ADDR=127.0.3.1
NS2_ADDR=127.0.3.2
OP1_ADDR=127.0.4.1
OP2_ADDR=127.0.4.2
UNBOUND_ADDR=127.0.10.1
KRESD_ADDR=127.0.10.2
OFFICE_ADDR=127.0.10.3

LAB_ZONE=example.test.
LAB_CANARY=dnssec-failed.test.
# No DNS server runs here (bogus --decoy): only an interceptor answers it.
LAB_DECOY=127.0.99.53
DAY=86400

# ---------------------------------------------------------------- helpers

lab_log() { printf 'lab: %s\n' "$*" >&2; }
lab_die() { lab_log "$*"; exit 3; }

# Every TTL of the lab's zones, negative answers included (seconds; default
# 300, and 3600 for the DS): a classroom shortens the cache tail with
# LAB_TTL=30, which the DS then has too (tests/lab/lab checks the value).
LAB_TTL_GIVEN=${LAB_TTL:+1}
LAB_TTL=${LAB_TTL:-300}

# key_new ZONE ksk|zsk [ALG [BITS]] - makes a key in $LAB_DIR/keys, prints
# its base name (path without .key/.private).
key_new() {
	local zone=$1 kind=$2 alg=${3:-ECDSAP256SHA256} bits=${4:-} flag='' base
	[ "$kind" = ksk ] && flag=-k
	base=$(cd "$LAB_DIR/keys" && ldns-keygen -a "$alg" ${bits:+-b "$bits"} $flag "$zone") ||
		lab_die "ldns-keygen $zone failed"
	rm -f "$LAB_DIR/keys/$base.ds"
	printf '%s\n' "$LAB_DIR/keys/$base"
}

# key_ds KEY... - the SHA-256 DS records of the keys, zone-file lines.
key_ds() {
	local k
	for k in "$@"; do
		ldns-key2ds -n -2 "$k.key" | if [ -n "$LAB_TTL_GIVEN" ]; then
			awk -v ttl="$LAB_TTL" 'BEGIN { OFS = "\t" } { $2 = ttl; print }'
		else
			cat
		fi
		[ "${PIPESTATUS[0]}" -eq 0 ] || lab_die "ldns-key2ds $k failed"
	done
}

# key_tag KEY - the key tag, from the base name.
key_tag() { local b=${1##*+}; echo $((10#$b)); }

# key_dnskey KEY... - the DNSKEY lines of the keys (to publish without signing).
key_dnskey() { local k; for k in "$@"; do grep -v '^;' "$k.key"; done; }

# zone_sign ORIGIN IN OUT INCEPTION EXPIRATION KEY... - signs with ldns.
# DNSKEYs already in IN are kept; the signing keys' DNSKEYs are added.
zone_sign() {
	local origin=$1 in=$2 out=$3 inc=$4 exp=$5
	shift 5
	# shellcheck disable=SC2086 # ZONE_SIGN_ARGS: options, one per word
	ldns-signzone ${ZONE_SIGN_ARGS:-} -o "$origin" -i "$inc" -e "$exp" \
		-f "$out" "$in" "$@" || lab_die "ldns-signzone $origin failed"
}

# rr_drop FILE AWK-CONDITION - removes the records matching the condition
# ($1 owner, $4 type, $5 first rdata field) from a zone file, in place.
rr_drop() {
	awk "!($2)" "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}

# ---------------------------------------------------------------- zones

# The healthy example.test. content; $1 is the serial. ZONE_NS: the apex NS
# names (default: the in-zone ns1 ns2).
example_records() {
	local ns
	cat <<EOF
\$ORIGIN example.test.
\$TTL $LAB_TTL
@	SOA	ns1 hostmaster $1 3600 900 1209600 $LAB_TTL
EOF
	for ns in ${ZONE_NS:-ns1 ns2}; do
		printf '@\tNS\t%s\n' "$ns"
	done
	cat <<EOF
@	MX	10 mail
@	TXT	"v=spf1 mx -all"
_dmarc	TXT	"v=DMARC1; p=reject; rua=mailto:dmarc@example.test"
ns1	A	$NS1_ADDR
ns2	A	$NS2_ADDR
www	A	127.0.5.80
www	AAAA	2001:db8::80
mail	A	127.0.5.25
mail	AAAA	2001:db8::25
EOF
}

# example_zone OUT SERIAL INCEPTION EXPIRATION "PUBLISH-KEYS" KEY... - the
# example zone with the extra DNSKEYs published, signed with KEY...
example_zone() {
	local out=$1 serial=$2 inc=$3 exp=$4 publish=$5
	shift 5
	{
		example_records "$serial"
		[ -z "$publish" ] || key_dnskey $publish
		scenario_records
	} >"$out.in"
	ZONE_SIGN_ARGS=$W_SIGN_ARGS zone_sign example.test. "$out.in" "$out" "$inc" "$exp" "$@"
}

canary_zone() {
	cat >"$1.in" <<EOF
\$ORIGIN dnssec-failed.test.
\$TTL $LAB_TTL
@	SOA	ns1 hostmaster 1 3600 900 1209600 $LAB_TTL
@	NS	ns1
@	NS	ns2
@	TXT	"this zone is deliberately bogus: validating resolvers must answer SERVFAIL"
ns1	A	$NS1_ADDR
ns2	A	$NS2_ADDR
www	A	127.0.5.81
EOF
	zone_sign dnssec-failed.test. "$1.in" "$1" "$W_NOW_MINUS" "$W_NOW_PLUS" \
		"$CAN_KSK" "$CAN_ZSK"
}

# The test. zone: delegations with DS and glue. $W_DELEGATION lists the
# example.test. nameservers as NAME=ADDR; glue only for in-bailiwick names.
# $2: the example.test. DS file (default zones/example.ds); $3: the serial.
tld_zone() {
	local out=$1 dsfile=${2:-$LAB_DIR/zones/example.ds} ns name addr
	{
		cat <<EOF
\$ORIGIN test.
\$TTL $LAB_TTL
@	SOA	ns1.nic hostmaster.nic ${3:-1} 3600 900 1209600 $LAB_TTL
@	NS	ns1.nic
@	NS	ns2.nic
ns1.nic	A	$TLD1_ADDR
ns2.nic	A	$TLD2_ADDR
a.root-servers	A	$ROOT_ADDR
ns1.other-provider	A	$OP1_ADDR
ns2.other-provider	A	$OP2_ADDR
dnssec-failed	NS	ns1.dnssec-failed
dnssec-failed	NS	ns2.dnssec-failed
ns1.dnssec-failed	A	$NS1_ADDR
ns2.dnssec-failed	A	$NS2_ADDR
EOF
		for ns in $W_DELEGATION; do
			name=${ns%%=*}
			addr=${ns#*=}
			echo "example.test.	NS	$name"
			case $name in
			*.example.test.) echo "$name	A	$addr" ;;
			esac
		done
		cat "$dsfile"
		key_ds "$CAN_UNUSED" | sed 's/^[^[:space:]]*/dnssec-failed.test./'
		scenario_tld_records
	} >"$out.in"
	zone_sign test. "$out.in" "$out" "$W_NOW_MINUS" "$W_NOW_PLUS" "$TLD_KSK" "$TLD_ZSK"
}

root_zone() {
	{
		cat <<EOF
\$ORIGIN .
\$TTL $LAB_TTL
.	SOA	a.root-servers.test. hostmaster.nic.test. 1 3600 900 1209600 $LAB_TTL
.	NS	a.root-servers.test.
test.	NS	ns1.nic.test.
test.	NS	ns2.nic.test.
ns1.nic.test.	A	$TLD1_ADDR
ns2.nic.test.	A	$TLD2_ADDR
a.root-servers.test.	A	$ROOT_ADDR
EOF
		key_ds "$TLD_KSK"
	} >"$1.in"
	zone_sign . "$1.in" "$1" "$W_NOW_MINUS" "$W_NOW_PLUS" "$ROOT_KSK" "$ROOT_ZSK"
}

# ---------------------------------------------------------------- servers

# proc_start NAME CMD... - starts a daemon in its own session (so a Ctrl-C at
# the terminal does not reach it), records its pid.
proc_start() {
	local name=$1
	shift
	setsid "$@" >>"$LAB_DIR/log/$name.log" 2>&1 </dev/null &	# >>: a restart keeps the log
	echo $! >"$LAB_DIR/pids/$name"
}

# proc_alive PID - running (a zombie is not: a resolver restarted from a
# child shell is reaped by whoever adopted it, maybe never).
proc_alive() {
	local st
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

# proc_stop NAME - TERM, then KILL after 3 s; by pid only.
proc_stop() {
	local f="$LAB_DIR/pids/$1" pid i
	[ -f "$f" ] || return 0
	pid=$(cat "$f")
	rm -f "$f"
	kill "$pid" 2>/dev/null || return 0
	for i in $(seq 30); do
		proc_alive "$pid" || return 0
		sleep 0.1
	done
	kill -KILL "$pid" 2>/dev/null
	return 0
}

proc_stop_all() {
	local f
	for f in "$LAB_DIR"/pids/*; do
		[ -e "$f" ] && proc_stop "${f##*/}"
	done
	return 0
}

# wait_answer NAME ADDR QNAME [QTYPE] - until ADDR answers (any rcode), bounded.
wait_answer() {
	local i
	for i in $(seq 50); do
		dig +time=1 +tries=1 +norec +noall +comments "@$2" "$3" "${4:-SOA}" 2>/dev/null |
			grep -q 'status:' && return 0
		if [ -f "$LAB_DIR/pids/$1" ] && ! proc_alive "$(cat "$LAB_DIR/pids/$1")"; then
			lab_log "$1 died; its log:"
			tail -n 20 "$LAB_DIR/log/$1.log" >&2
			return 1
		fi
		sleep 0.1
	done
	lab_log "$1 at $2 does not answer; its log:"
	tail -n 20 "$LAB_DIR/log/$1.log" >&2
	return 1
}

# nsd_start NAME ADDR ZONE=FILE... - one NSD serving the zones at ADDR.
nsd_start() {
	local name=$1 addr=$2 z d="$LAB_DIR/srv/$1"
	shift 2
	mkdir -p "$d"
	{
		cat <<EOF
server:
	ip-address: $addr
	port: 53
	username: ""
	chroot: ""
	database: ""
	zonesdir: "$d"
	zonelistfile: "$d/zone.list"
	xfrdfile: "$d/xfrd.state"
	xfrdir: "$d"
	pidfile: "$d/nsd.pid"
	server-count: 1
	verbosity: 1
	hide-version: no
remote-control:
	control-enable: no
EOF
		for z in "$@"; do
			printf 'zone:\n\tname: "%s"\n\tzonefile: "%s"\n' "${z%%=*}" "${z#*=}"
		done
	} >"$d/nsd.conf"
	echo "nsd_start $addr $*" >"$d.cmd"	# for server_restart
	proc_start "$name" nsd -d -c "$d/nsd.conf"
	W_SERVERS="$W_SERVERS $name=$addr=${1%%=*}"
}

# knot_start NAME ADDR ZONE=FILE... - one knotd, serving the files as they
# are (no signing, no semantic checks: the lab's zones may be broken on purpose).
knot_start() {
	local name=$1 addr=$2 z d="$LAB_DIR/srv/$1"
	shift 2
	mkdir -p "$d/db"
	{
		cat <<EOF
server:
    rundir: "$d"
    listen: $addr@53
log:
  - target: stderr
    any: warning
database:
    storage: "$d/db"
template:
  - id: default
    storage: "$d"
    semantic-checks: off
    zonefile-sync: -1
    journal-content: none
zone:
EOF
		for z in "$@"; do
			printf '  - domain: "%s"\n    file: "%s"\n' "${z%%=*}" "${z#*=}"
		done
	} >"$d/knot.conf"
	echo "knot_start $addr $*" >"$d.cmd"
	proc_start "$name" knotd -c "$d/knot.conf"
	W_SERVERS="$W_SERVERS $name=$addr=${1%%=*}"
}

# unbound_server_conf ADDR DIR - the server: clause every lab Unbound
# shares (tests/lab/resolvers.sh's too), without its validation lines.
unbound_server_conf() {
	cat <<EOF
server:
	interface: $1
	port: 53
	username: ""
	chroot: ""
	directory: "$2"
	pidfile: ""
	use-syslog: no
	logfile: ""
	verbosity: ${LAB_DEBUG:+3}${LAB_DEBUG:-1}
	num-threads: 1
	do-ip6: no
	do-not-query-localhost: no
	access-control: 127.0.0.0/8 allow
	root-hints: "$LAB_HINTS"
	harden-referral-path: no
	# Unbound tries a dead server (ns-down) up to six times with backoff
	# before the other one: from the default 376 ms that adds up past
	# discard-timeout (1900 ms) and the client gets no answer at all. From
	# 100 ms it is 1.4 s at worst; a live server on loopback answers in a few.
	unknown-server-time-limit: 100
	qname-minimisation: no
	local-zone: "test." nodefault	# RFC 6761 would answer NXDOMAIN
EOF
}

# unbound_start NAME ADDR validating|office [MORE_ADDR...] - MORE_ADDRs:
# the same server answers there too (make bench's resolver farm).
unbound_start() {
	local name=$1 addr=$2 d="$LAB_DIR/srv/$1" val more
	mkdir -p "$d"
	if [ "$3" = validating ]; then
		# W_UNBOUND_ANCHOR: a stale anchor that, as in real life, survives
		# the resolver's restarts (resolver-stale-anchor).
		val="	module-config: \"validator iterator\"
	trust-anchor-file: \"${W_UNBOUND_ANCHOR:-$LAB_ANCHOR}\"
	ede: yes
	val-log-level: 2"
	else
		val="	module-config: \"iterator\""
	fi
	{
		unbound_server_conf "$addr" "$d"
		for more in "${@:4}"; do
			echo "	interface: $more"
		done
		cat <<EOF
$val
remote-control:
	control-enable: no
EOF
	} >"$d/unbound.conf"
	proc_start "$name" unbound -d -c "$d/unbound.conf"
	W_RESOLVERS="$W_RESOLVERS $name=$addr"
}

# kresd_conf ADDR - the configuration every lab Knot Resolver shares
# (tests/lab/resolvers.sh's too, which adds its control socket).
kresd_conf() {
	cat <<EOF
net.ipv6 = false
net.listen('$1', 53, { kind = 'dns' })
trust_anchors.add_file('$LAB_ANCHOR', true)
modules.load('hints > iterate')
-- test. is special-use (RFC 6761): kresd refuses it by its second
-- special_names rule (test. onion. invalid. local.); drop that rule.
table.remove(policy.special_names, 2)
-- The lab's servers are on 127.0.0.0/8, which kresd ignores as glue unless
-- a query carries ALLOW_LOCAL.
policy.add(policy.all(policy.FLAGS({ 'ALLOW_LOCAL' })))
hints.root_file('$LAB_HINTS')
cache.size = 10 * MB
${LAB_DEBUG:+log_level('debug')}
EOF
}

kresd_start() {
	local name=$1 addr=$2 d="$LAB_DIR/srv/$1"
	mkdir -p "$d"
	kresd_conf "$addr" >"$d/kresd.conf"
	proc_start "$name" kresd -n -q -c "$d/kresd.conf" "$d"
	W_RESOLVERS="$W_RESOLVERS $name=$addr"
}

# ---------------------------------------------------------------- hooks

# Defaults; a scenario redefines the ones it needs.
scenario_setup() { :; }		# after the healthy keys exist: change W_*
scenario_records() { :; }	# extra example.test. records (before signing)
scenario_signed() { :; }	# $1: signed example zone (ns1's copy), edit in place
scenario_ds() { :; }		# $1: the DS records the TLD will publish, edit in place
scenario_tld_records() { :; }	# extra test. records (before signing): other delegations
scenario_tld_signed() { :; }	# $1: signed test. zone (both TLD servers), edit in place
scenario_servers() { :; }	# after the authoritatives started (extra servers)
scenario_network() { :; }	# after everything started (e.g. nftables)

# publish_big_keyset - four extra RSA-2048 ZSKs in the DNSKEY RRset (for
# scenario_setup): its answer no longer fits 1232 bytes of UDP.
publish_big_keyset() {
	local i k
	for i in 1 2 3 4; do
		k=$(key_new example.test. zsk RSASHA256 2048) || return 1
		W_PUBLISH_KEYS="$W_PUBLISH_KEYS $k"
	done
}

# block_zone_tcp - TCP/53 to the zone's servers reset, as a firewall that
# allows only UDP does (tcp-blocked, and lab_break tcp-blocked).
block_zone_tcp() {
	lab_nft input "ip daddr { $NS1_ADDR, $NS2_ADDR } tcp dport 53 reject with tcp reset"
}

# expire_ds_rrsig TLDFILE - in the signed test. zone TLDFILE (its source in
# TLDFILE.in), the RRSIG over the example.test. DS as a parent's signer
# that stopped left it: expired 2 days ago (parent-ds-sig-expired, and
# lab_break parent-ds-sig-expired).
expire_ds_rrsig() {
	local f=$1 old=$1.expired now
	now=$(date +%s)
	zone_sign test. "$f.in" "$old" "$((now - 20 * DAY))" "$((now - 2 * DAY))" \
		"$TLD_KSK" "$TLD_ZSK"
	rr_drop "$f" '$1 == "example.test." && $4 == "RRSIG" && $5 == "DS"'
	awk '$1 == "example.test." && $4 == "RRSIG" && $5 == "DS"' "$old" >>"$f"
	grep -q 'RRSIG[[:space:]]DS' "$f"
}

# lab_nft HOOK RULE...: the world's one nftables chain, at HOOK (input,
# output), with RULEs (for scenario_network); fails clearly without nft.
lab_nft() {
	local hook=$1
	shift
	command -v nft >/dev/null || { lab_log "$LAB_SCENARIO needs nft (nftables)"; return 1; }
	{
		printf 'table inet lab {\n\tchain %s {\n' "$hook"
		printf '\t\ttype filter hook %s priority 0; policy accept;\n' "$hook"
		printf '\t\t%s\n' "$@"
		printf '\t}\n}\n'
	} | nft -f -
}
confirm() { echo "no confirmation defined"; return 1; }

# ---------------------------------------------------------------- the world

world_build() {
	mkdir -p "$LAB_DIR"/{keys,zones,log,pids,srv}
	W_NOW=$(date +%s)
	W_NOW_MINUS=$((W_NOW - DAY))
	W_NOW_PLUS=$((W_NOW + 30 * DAY))

	ROOT_KSK=$(key_new . ksk) || exit 3
	ROOT_ZSK=$(key_new . zsk) || exit 3
	TLD_KSK=$(key_new test. ksk) || exit 3
	TLD_ZSK=$(key_new test. zsk) || exit 3
	EX_KSK=$(key_new example.test. ksk) || exit 3
	EX_ZSK=$(key_new example.test. zsk) || exit 3
	CAN_KSK=$(key_new dnssec-failed.test. ksk) || exit 3
	CAN_ZSK=$(key_new dnssec-failed.test. zsk) || exit 3
	CAN_UNUSED=$(key_new dnssec-failed.test. ksk) || exit 3

	# What the scenario may change.
	W_SERIAL=$(date -u +%Y%m%d)01
	W_INCEPTION=$W_NOW_MINUS
	W_EXPIRATION=$W_NOW_PLUS
	W_SIGN_KEYS="$EX_KSK $EX_ZSK"	# keys that sign example.test.
	W_PUBLISH_KEYS=			# DNSKEYs published without signing
	W_DS_KEYS=$EX_KSK		# DS at the TLD; empty: insecure
	W_SIGN_ARGS=			# more ldns-signzone options for example.test. (NSEC3: -n -t 0)
	W_DELEGATION="ns1.example.test.=$NS1_ADDR ns2.example.test.=$NS2_ADDR"
	W_NS2_ZONE=			# another file for ns2; empty: ns1's
	W_NS_DOWN=			# names of servers not started
	W_UNBOUND_ANCHOR=		# unbound's trust anchor file; empty: LAB_ANCHOR
	W_SERVERS=
	W_RESOLVERS=

	scenario_setup || lab_die "$LAB_SCENARIO: scenario_setup failed"

	local z="$LAB_DIR/zones"
	example_zone "$z/example.test.signed" "$W_SERIAL" "$W_INCEPTION" \
		"$W_EXPIRATION" "$W_PUBLISH_KEYS" $W_SIGN_KEYS
	scenario_signed "$z/example.test.signed" || lab_die "$LAB_SCENARIO: scenario_signed failed"
	canary_zone "$z/dnssec-failed.test.signed"
	if [ -n "$W_DS_KEYS" ]; then
		key_ds $W_DS_KEYS >"$z/example.ds"
	else
		: >"$z/example.ds"
	fi
	scenario_ds "$z/example.ds" || lab_die "$LAB_SCENARIO: scenario_ds failed"
	tld_zone "$z/test.signed"
	scenario_tld_signed "$z/test.signed" || lab_die "$LAB_SCENARIO: scenario_tld_signed failed"
	root_zone "$z/root.signed"
	# The keys and choices, for confirm() run later in another process.
	(set -o posix; set) | grep -E '^(ROOT|TLD|EX|CAN|OP|NEW|W)_[A-Z0-9_]*=' >"$LAB_DIR/world.env"

	# The trust anchor (DS, zone-file format, as Unbound's trust-anchor-file),
	# the same for delv (trust-anchors clause), and the root hints.
	key_ds "$ROOT_KSK" >"$LAB_ANCHOR"
	awk '{ printf "trust-anchors {\n\t\"%s\" static-ds %s %s %s \"%s\";\n};\n", $1, $5, $6, $7, $8 }' \
		"$LAB_ANCHOR" >"$LAB_DIR/anchor.delv"
	cat >"$LAB_HINTS" <<EOF
.	3600000	IN	NS	a.root-servers.test.
a.root-servers.test.	3600000	IN	A	$ROOT_ADDR
EOF
}

world_start() {
	local z="$LAB_DIR/zones" s
	knot_start root "$ROOT_ADDR" ".=$z/root.signed"
	nsd_start tld1 "$TLD1_ADDR" "test.=$z/test.signed"
	knot_start tld2 "$TLD2_ADDR" "test.=$z/test.signed"
	case " $W_NS_DOWN " in *" ns1 "*) ;; *)
		nsd_start ns1 "$NS1_ADDR" "example.test.=$z/example.test.signed" \
			"dnssec-failed.test.=$z/dnssec-failed.test.signed" ;;
	esac
	case " $W_NS_DOWN " in *" ns2 "*) ;; *)
		nsd_start ns2 "$NS2_ADDR" "example.test.=${W_NS2_ZONE:-$z/example.test.signed}" \
			"dnssec-failed.test.=$z/dnssec-failed.test.signed" ;;
	esac
	scenario_servers || lab_die "$LAB_SCENARIO: scenario_servers failed"
	for s in $W_SERVERS; do
		set -- ${s//=/ }
		wait_answer "$1" "$2" "$3" || return 1
	done
	world_start_resolvers || return 1
	scenario_network || lab_die "$LAB_SCENARIO: scenario_network failed"
}

world_start_resolvers() {
	local s
	W_RESOLVERS=
	unbound_start unbound "$UNBOUND_ADDR" validating
	kresd_start kresd "$KRESD_ADDR"
	unbound_start office "$OFFICE_ADDR" office
	for s in $W_RESOLVERS; do
		wait_answer "${s%%=*}" "${s#*=}" localhost. A || return 1
	done
}

# Restarts the resolvers with empty caches (between the confirmation and
# bogus, so neither sees the other's cached answers).
world_restart_resolvers() {
	proc_stop unbound
	proc_stop kresd
	proc_stop office
	rm -rf "$LAB_DIR/srv/kresd"
	world_start_resolvers
}

# ---------------------------------------------------------------- phases
#
# A scenario with PHASES (lines "N: what the world is like") is a planned
# change that moves through its phases inside one running world, with the
# same keys throughout. `$LAB_DIR/phase N [SERVER...]` (LAB_PHASE_CMD; in a
# lab shell `lab_phase N`) calls the scenario's `scenario_phase N`, which
# sets the W_* variables as scenario_setup does (and ZONE_NS, the apex NS
# names, and W_ZONE_SERVERS, which of ns1 ns2 op1 op2 serve example.test.),
# rebuilds the example.test. and test. zones from them and restarts the
# authoritative servers by pid with the new files, waiting (bounded) until
# each serves the new serial. Given SERVER names (ns1 ns2 tld1 tld2 op1
# op2), only those move to phase N and the rest keep serving what they had:
# e.g. `phase 2 tld1`, a DS that reached only one parent server so far.
# The world starts in phase 0: scenario_setup calls scenario_phase 0.

# phase_numbers - the scenario's phase numbers, one line.
phase_numbers() { sed -n 's/^\([0-9][0-9]*\):.*/\1/p' <<<"${PHASES:-}" | tr '\n' ' '; }

# server_wait_serial NAME ADDR ZONE SERIAL - until ADDR serves ZONE with
# SERIAL (bounded: 5 s).
server_wait_serial() {
	local i got=
	for i in $(seq 50); do
		got=$(dig +time=1 +tries=1 +norec +short "@$2" "$3" SOA 2>/dev/null |
			awk '{ print $3; exit }')
		[ "$got" = "$4" ] && return 0
		sleep 0.1
	done
	lab_log "$1 at $2 does not serve $3 with serial $4 (got '${got:-nothing}'); its log:"
	tail -n 20 "$LAB_DIR/log/$1.log" >&2
	return 1
}

# server_restart NAME START ADDR [ZONE=FILE...] - stops the server NAME by
# pid and starts it again (START: nsd_start or knot_start, used when it was
# not running) with its zones, ZONE=FILE replacing or adding one, ZONE=
# dropping one. Without any zone left it stays stopped. Waits until it answers.
server_restart() {
	local name=$1 start=$2 addr=$3 cmd='' z zones=()
	local -a names=()
	local -A files=()
	shift 3
	if [ -f "$LAB_DIR/pids/$name" ] && [ -f "$LAB_DIR/srv/$name.cmd" ]; then
		read -r start addr cmd <"$LAB_DIR/srv/$name.cmd"
	fi
	for z in $cmd "$@"; do
		[ -n "${files[${z%%=*}]+set}" ] || names+=("${z%%=*}")
		files[${z%%=*}]=${z#*=}
	done
	for z in "${names[@]}"; do
		[ -z "${files[$z]}" ] || zones+=("$z=${files[$z]}")
	done
	proc_stop "$name"
	[ ${#zones[@]} -gt 0 ] || return 0
	rm -rf "$LAB_DIR/srv/$name/db"		# knotd's journal and timers
	"$start" "$name" "$addr" "${zones[@]}"
	wait_answer "$name" "$addr" "${zones[0]%%=*}"
}

# world_phase N [SERVER...] - moves the world (or only those servers) to phase N.
world_phase() {
	local n=${1:-} servers only z s tld_serial
	shift
	servers=$*
	only=" $servers "
	if ! declare -F scenario_phase >/dev/null; then
		lab_log "$LAB_SCENARIO has no phases"
		return 2
	fi
	case " $(phase_numbers)" in
	*" $n "*) ;;
	*) lab_log "$LAB_SCENARIO: no phase '$n' (phases: $(phase_numbers))"; return 2 ;;
	esac
	for s in $only; do
		case $s in ns1 | ns2 | tld1 | tld2 | op1 | op2) ;;
		*) lab_log "phase: no server '$s' (ns1 ns2 tld1 tld2 op1 op2)"; return 2 ;;
		esac
	done
	z=$LAB_DIR/zones/phase$n
	mkdir -p "$z"
	W_SERIAL=$((W_SERIAL + n))	# every phase a new serial
	tld_serial=$((n + 1))
	W_ZONE_SERVERS="ns1 ns2"
	ZONE_NS=
	scenario_phase "$n" || lab_die "$LAB_SCENARIO: scenario_phase $n failed"
	example_zone "$z/example.test.signed" "$W_SERIAL" "$W_INCEPTION" \
		"$W_EXPIRATION" "$W_PUBLISH_KEYS" $W_SIGN_KEYS
	if [ -n "$W_DS_KEYS" ]; then key_ds $W_DS_KEYS; fi >"$z/example.ds"
	tld_zone "$z/test.signed" "$z/example.ds" "$tld_serial"

	# in_phase NAME - this server moves to phase N.
	in_phase() { [ "$only" = "  " ] || [[ $only == *" $1 "* ]]; }
	for s in tld1=nsd_start=$TLD1_ADDR tld2=knot_start=$TLD2_ADDR; do
		set -- ${s//=/ }
		in_phase "$1" || continue
		server_restart "$1" "$2" "$3" "test.=$z/test.signed" &&
			server_wait_serial "$1" "$3" test. "$tld_serial" || return 1
	done
	for s in ns1=$NS1_ADDR ns2=$NS2_ADDR op1=$OP1_ADDR op2=$OP2_ADDR; do
		set -- ${s//=/ }
		in_phase "$1" || continue
		if [[ " $W_ZONE_SERVERS " == *" $1 "* ]]; then
			server_restart "$1" nsd_start "$2" "example.test.=$z/example.test.signed" &&
				server_wait_serial "$1" "$2" example.test. "$W_SERIAL" || return 1
		else
			server_restart "$1" nsd_start "$2" "example.test.=" || return 1
		fi
	done
	echo "$n${servers:+ (only $servers)}" >"$LAB_DIR/phase.now"
	lab_log "$LAB_SCENARIO: phase $n${servers:+ on $servers}: $(sed -n "s/^$n: *//p" <<<"$PHASES")"
}

. "$LAB_HOME/confirm.sh"
