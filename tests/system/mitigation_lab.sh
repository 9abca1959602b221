#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/mitigation_lab.sh - the mitigation commands bogus prints
# (checklist step 4: negative trust anchor and its undo; step 6: cache
# flush) run against real BIND, Unbound, PowerDNS Recursor and Knot Resolver
# in the ksk-ds-mismatch world.
#
# The four resolvers are our own (127.0.20.1-4, next to the lab's 127.0.10.x),
# each validating with the lab's root hints and trust anchor. They run in a
# private mount namespace where their control channels sit where Debian 12's
# packages put them (/etc/bind/rndc.key with 127.0.0.1#953, /run/unbound.ctl
# through /etc/unbound/unbound.conf, /var/run/pdns-recursor,
# /run/knot-resolver/control/1): the commands are then run exactly as bogus
# prints them, byte for byte. Per implementation: www is SERVFAIL; after the
# NTA command NOERROR without AD; after the undo SERVFAIL again; the flush
# command exits 0 and a cached answer (the zone's DS, its TTL counting down)
# is fetched afresh afterwards (full TTL again). And what the notes claim:
# BIND's lifetime as printed and its one-week cap, Knot Resolver keeping an
# NTA set before, which NTA outlives a restart (or Unbound's reload). Every
# wait is bounded; daemons are stopped by pid. Prints PASS:/FAIL: lines.
set -u
self=$(readlink -f "$0")
cd "$(dirname "$self")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}
PATH=$PATH:/usr/sbin:/sbin

pass() { echo "PASS: mitigation: $*"; }
fail() { echo "FAIL: mitigation: $*"; }

. tests/lab/resolvers.sh	# the four resolvers, ADDR, start/stop, private_paths

# ---------------------------------------------------------------- inside

# ask ADDR NAME TYPE - one query; sets R_STATUS, R_AD (ad|noad), R_TTL (of
# the first answer record), R_DATA (its data).
ask() {
	local out
	out=$(dig +time=2 +tries=1 "@$1" "$2" "$3" 2>&1)
	R_STATUS=$(sed -n 's/.*status: \([A-Z]*\),.*/\1/p' <<<"$out")
	R_STATUS=${R_STATUS:-no-answer}
	R_AD=noad
	grep -q '^;; flags:[a-z ]* ad[ ;]' <<<"$out" && R_AD=ad
	read -r _ R_TTL _ _ R_DATA < <(awk '/^;; ANSWER SECTION:/ { a = 1; next }
		a && NF { print; exit }' <<<"$out")
	R_TTL=${R_TTL:-}
	R_DATA=${R_DATA:-}
}


# printed STEP IMPL command|undo - the line bogus printed for IMPL in the
# action of checklist step STEP (from its --json report).
printed() {
	jq -r --argjson s "$1" '.checklist[] | select(.step == $s) | .action' \
		"$T/bogus.json" |
		awk -v impl="$2" -v kind="$3" '
			index($0, "  " impl ": ") == 1 {
				if (kind == "command") {
					print substr($0, length(impl) + 5)
					exit
				}
				found = 1
				next
			}
			found { if (sub(/^      undo: /, "")) print; exit }'
}

# run_printed IMPL WHAT CMD - runs CMD as the shell line it is, bounded;
# its output in $T/last.out. A FAIL line if it exits non-zero.
run_printed() {
	local rc
	timeout 10 bash -c "$3" >"$T/last.out" 2>&1
	rc=$?
	[ $rc -eq 0 ] ||
		fail "$1: $2 '$3' exited $rc: $(head -c 300 "$T/last.out")"
	return $rc
}

# check_bind_lifetime CMD - named's NTA expires after the -lifetime the
# printed command gives (TTL-style minutes), give or take a minute.
check_bind_lifetime() {
	local min exp left
	min=$(sed -n 's/.*-lifetime \([0-9]*\)m .*/\1/p' <<<"$1")
	exp=$(timeout 5 rndc nta -dump 2>&1 | sed -n "s|^${LAB_ZONE%.}/_default: expiry \(.*\)|\1|p")
	left=$(( $(date -d "$exp" +%s 2>/dev/null || echo 0) - $(date +%s) ))
	if [ -n "$min" ] && [ "$left" -gt $((min * 60 - 60)) ] && [ "$left" -le $((min * 60)) ]; then
		pass "BIND: rndc nta -dump: the NTA expires at $exp, in ${left} s (-lifetime ${min}m)"
	else
		fail "BIND: rndc nta -dump says expiry '$exp' (in ${left} s), the command asked for -lifetime '${min}'m"
	fi
	# mitigation.c caps the lifetime at a week (10080m): rndc's limit.
	local ok bad
	ok=$(timeout 5 rndc nta -lifetime 10080m "${LAB_ZONE%.}" 2>&1)
	bad=$(timeout 5 rndc nta -lifetime 10081m "${LAB_ZONE%.}" 2>&1 | tr "\n" " ")
	if [[ $ok == *"trust anchor added"* ]] && [[ $bad != *"trust anchor added"* ]]; then
		pass "BIND: rndc takes -lifetime 10080m (the cap bogus prints), refuses 10081m ($bad)"
	else
		fail "BIND: -lifetime 10080m said '$ok', 10081m said '$bad'"
	fi
}

inner() {
	local impl a www=www.$LAB_ZONE cmd undo flush full cached

	T=$(mktemp -d "$LAB_DIR/mitigation.XXXXXX") || exit 3
	trap 'stop_all' EXIT
	trap 'exit 143' TERM
	trap 'exit 130' INT
	# Not in $(...): the daemons' pids must stay in this shell.
	if ! resolvers_up >"$T/up.err"; then
		fail "$(cat "$T/up.err")"
		exit 1
	fi

	# The commands, as bogus prints them.
	# shellcheck disable=SC2086 # LAB_BOGUS_ARGS is meant to be split
	"$BOGUS" --once --json $LAB_BOGUS_ARGS >"$T/bogus.json" 2>"$T/bogus.err"
	if ! jq -e '.checklist[3].action' "$T/bogus.json" >/dev/null 2>&1; then
		fail "no checklist step 4 in bogus --once --json: $(head -c 300 "$T/bogus.err")"
		exit 1
	fi

	for impl in "${IMPLS[@]}"; do
		a=${ADDR[$impl]}
		cmd=$(printed 4 "$impl" command)
		undo=$(printed 4 "$impl" undo)
		if [ -z "$cmd" ] || [ -z "$undo" ]; then
			fail "$impl: no NTA command or undo in step 4: '$cmd' / '$undo'"
			continue
		fi
		# Knot Resolver's set_insecure() replaces the whole list: an NTA
		# someone set before (the canary's) must survive ours and our undo.
		if [ "$impl" = "Knot Resolver" ]; then
			ask "$a" "$LAB_CANARY" SOA
			[ "$R_STATUS" = SERVFAIL ] ||
				fail "$impl: $LAB_CANARY SOA is $R_STATUS without an NTA, expected SERVFAIL"
			echo "trust_anchors.set_insecure({'${LAB_CANARY%.}'})" |
				timeout 5 socat - UNIX-CONNECT:/run/knot-resolver/control/1 >/dev/null 2>&1
			ask "$a" "$LAB_CANARY" SOA
			[ "$R_STATUS" = NOERROR ] ||
				fail "$impl: could not set an NTA for $LAB_CANARY first ($R_STATUS)"
		fi
		ask "$a" "$www" A
		if [ "$R_STATUS" = SERVFAIL ]; then
			pass "$impl ($a): $www A is SERVFAIL before the NTA (bogus)"
		else
			fail "$impl ($a): $www A is $R_STATUS before the NTA, expected SERVFAIL"
			continue
		fi
		run_printed "$impl" NTA "$cmd" || continue
		ask "$a" "$www" A
		if [ "$R_STATUS" = NOERROR ] && [ "$R_AD" = noad ] && [ -n "$R_DATA" ]; then
			pass "$impl: after '$cmd': $www A NOERROR $R_DATA without AD"
		else
			fail "$impl: after '$cmd' (exit 0, said '$(head -c 200 "$T/last.out" | tr '\n' ' ')'): $www A is $R_STATUS $R_AD '$R_DATA', expected NOERROR without AD"
		fi
		[ "$impl" = BIND ] && check_bind_lifetime "$cmd"
		run_printed "$impl" undo "$undo" || continue
		ask "$a" "$www" A
		if [ "$R_STATUS" = SERVFAIL ]; then
			pass "$impl: after the undo '$undo': $www A SERVFAIL again"
		else
			fail "$impl: after the undo '$undo': $www A is $R_STATUS $R_AD '$R_DATA', expected SERVFAIL"
		fi
		if [ "$impl" = "Knot Resolver" ]; then
			# Its answer from before is cached: ask afresh.
			echo "cache.clear('${LAB_CANARY%.}')" |
				timeout 5 socat - UNIX-CONNECT:/run/knot-resolver/control/1 >/dev/null 2>&1
			ask "$a" "$LAB_CANARY" SOA
			if [ "$R_STATUS" = NOERROR ]; then
				pass "$impl: the NTA set before for $LAB_CANARY survived the NTA and its undo (SOA NOERROR)"
			else
				fail "$impl: the NTA and its undo dropped the NTA set before for $LAB_CANARY (SOA $R_STATUS)"
			fi
		fi
	done

	# Flush: the zone's DS (secure, from test.) is cached by every
	# resolver; a second later its TTL has dropped; after the flush it is
	# fetched again with the full TTL the TLD serves.
	ask 127.0.2.1 "$LAB_ZONE" DS
	full=$R_TTL
	for impl in "${IMPLS[@]}"; do
		ask "${ADDR[$impl]}" "$LAB_ZONE" DS
	done
	sleep 1.2
	for impl in "${IMPLS[@]}"; do
		a=${ADDR[$impl]}
		flush=$(printed 6 "$impl" command)
		if [ -z "$flush" ]; then
			fail "$impl: no flush command in step 6"
			continue
		fi
		ask "$a" "$LAB_ZONE" DS
		cached=$R_TTL
		if ! [ "$R_STATUS" = NOERROR ] || ! [ "${cached:-0}" -lt "${full:-0}" ]; then
			fail "$impl: $LAB_ZONE DS not answered from cache before the flush ($R_STATUS, TTL '$cached', TLD serves '$full')"
			continue
		fi
		run_printed "$impl" flush "$flush" || continue
		ask "$a" "$LAB_ZONE" DS
		if [ "$R_STATUS" = NOERROR ] && [ "$R_TTL" = "$full" ]; then
			pass "$impl: '$flush' exits 0; the cached $LAB_ZONE DS (TTL $cached) is gone: fetched again, TTL $R_TTL"
		else
			fail "$impl: after '$flush' (exit 0): $LAB_ZONE DS $R_STATUS TTL '$R_TTL', cached TTL was $cached, fresh is $full"
		fi
	done
	check_persistence
	exit 0
}

# check_persistence - what the notes say outlives the process: BIND's NTA
# survives a restart; Unbound's goes with a reload, Recursor's with a
# restart; Knot Resolver's goes with a restart, but the zone stays insecure
# from its on-disk cache until the undo.
check_persistence() {
	local z=${LAB_ZONE%.} www=www.$LAB_ZONE mail=mail.$LAB_ZONE impl
	declare -A want=(
		["BIND"]=NOERROR ["Unbound"]=SERVFAIL
		["PowerDNS Recursor"]=SERVFAIL ["Knot Resolver"]=NOERROR
	)
	declare -A how=(
		["BIND"]="named restarted" ["Unbound"]="unbound-control reload"
		["PowerDNS Recursor"]="pdns_recursor restarted"
		["Knot Resolver"]="kresd restarted (its cache on disk kept)"
	)

	for impl in "${IMPLS[@]}"; do
		run_printed "$impl" NTA "$(printed 4 "$impl" command)"
		ask "${ADDR[$impl]}" "$www" A
		[ "$R_STATUS" = NOERROR ] ||
			fail "$impl: the NTA again: $www A $R_STATUS"
	done
	restart named
	restart recursor
	# A stale socket would stop kresd's listen (Debian's unit removes it
	# after stop too).
	stop kresd
	rm -f /run/knot-resolver/control/1
	restart kresd
	timeout 5 unbound-control reload >/dev/null 2>&1
	for impl in "${IMPLS[@]}"; do
		if ! wait_up "${ADDR[$impl]}"; then
			fail "$impl did not come back after: ${how[$impl]}"
			continue
		fi
		# A name not asked before: the answer comes from validation now.
		ask "${ADDR[$impl]}" "$mail" A
		if [ "$R_STATUS" = "${want[$impl]}" ]; then
			pass "$impl: NTA set, ${how[$impl]}: $mail A $R_STATUS ($([ "$R_STATUS" = NOERROR ] && echo "still insecure" || echo "validated again"), as the note says)"
		else
			fail "$impl: NTA set, ${how[$impl]}: $mail A $R_STATUS, the note implies ${want[$impl]}"
		fi
	done
	# Knot Resolver's cache is on disk: the NTA is gone with the process,
	# but what was cached under it keeps the zone insecure; the printed
	# undo ends that too.
	local list
	list=$(echo "trust_anchors.insecure" |
		timeout 5 socat - UNIX-CONNECT:/run/knot-resolver/control/1 2>&1 | tr -d ' \n')
	if [ "$list" = "{}" ]; then
		pass "Knot Resolver: after the restart trust_anchors.insecure is empty: the NTA itself is gone"
	else
		fail "Knot Resolver: after the restart trust_anchors.insecure is '$list'"
	fi
	run_printed "Knot Resolver" undo "$(printed 4 "Knot Resolver" undo)"
	ask "${ADDR[Knot Resolver]}" "$mail" A
	if [ "$R_STATUS" = SERVFAIL ]; then
		pass "Knot Resolver: the printed undo after the restart: $mail A SERVFAIL"
	else
		fail "Knot Resolver: the printed undo after the restart: $mail A $R_STATUS, expected SERVFAIL"
	fi
	timeout 5 rndc nta -remove "$z" >/dev/null 2>&1
}

# ---------------------------------------------------------------- outside

if [ "${1:-}" = inner ]; then
	inner
fi

missing=
for tool in named rndc rndc-confgen unbound unbound-control pdns_recursor \
	rec_control kresd socat jq dig unshare mount; do
	command -v "$tool" >/dev/null || missing="$missing $tool"
done
if [ -n "$missing" ]; then
	fail "missing:$missing (tests/deps.sh installs them)"
	exit 1
fi
out=$(timeout 90 tests/lab/lab run ksk-ds-mismatch -- \
	unshare -m --propagation private bash "$self" inner 2>&1)
rc=$?
grep -E '^(PASS|FAIL): ' <<<"$out"
if [ $rc -ne 0 ] || ! grep -q '^PASS: ' <<<"$out"; then
	fail "lab ksk-ds-mismatch run exited $rc: $(grep -vE '^(PASS|FAIL): ' <<<"$out" | tail -n 5 | tr '\n' ' ')"
fi
