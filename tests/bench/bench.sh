#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/bench/bench.sh - `make bench`: how long a diagnosis takes, against the
# floor and the tools people use instead, side by side in one run, in the
# lab (real servers on loopback) with HOP_MS (default 40) added to every
# round trip to a server: tests/bench/hopdelay holds each port-53 packet for
# HOP_MS/2 (an iptables NFQUEUE rule; this kernel has no netem). HOP_MS=0
# is bare loopback, where the differences come from waits alone.
#
# Per case, REPS repetitions (default 3), the median wall time, and for
# bogus its peak RSS and CPU time (GNU time):
#   bogus     bogus --once --json, default timeout and tries
#   floor     one question (www A) to every validating resolver at once,
#             retried every second (dig +timeout=1), until the slowest answers
#   runbook   the emergency runbook as an engineer types it, one command
#             after the other: dig at each resolver, dig +cd, the DS at the
#             parent, the DNSKEY at each server, dnssec-dsfromkey, delv
#   dnsviz    dnsviz probe through the validating resolver, when installed
# Cases: healthy-cold (resolvers restarted empty before each run),
# healthy-warm, ns-blackhole (ns2 drops every packet, no ICMP),
# resolver-blackhole (one more resolver address that drops everything),
# tcp-blocked (the world), resolvers-10/-100/-1000 (that many resolver
# addresses, all one more validating Unbound, asked warm).
# Not part of `make test`: timings are not asserted.
set -u
self=$(readlink -f "$0")
cd "$(dirname "$self")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/build/bogus}
REPS=${REPS:-3}
HOP_MS=${HOP_MS:-40}
CASES=${CASES:-"healthy-cold healthy-warm ns-blackhole resolver-blackhole tcp-blocked resolvers-10 resolvers-100 resolvers-1000"}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f", v[int((NR + 1) / 2)]; else printf "-" }'; }
now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc; }

# ---------------------------------------------------------------- inside
if [ "${1:-}" = inner ]; then
	case_name=$2
	. "$LAB_HOME/world.sh"
	. "$LAB_DIR/world.env"
	args=$LAB_BOGUS_ARGS
	args=${args/--timeout 1000/}	# the product's default budget
	validators="$UNBOUND_ADDR $KRESD_ADDR"
	if [ "$HOP_MS" -gt 0 ]; then
		# Its complaints (packets it lost) reach the table as notes.
		"$HOPDELAY" 0 $((HOP_MS / 2)) 2> >(sed "s/^/NOTE $case_name: /") &
		hop_pid=$!
		trap 'kill $hop_pid 2>/dev/null; wait $hop_pid' EXIT
		sleep 0.2	# bound to its queue before the first packet
		for proto in udp tcp; do
			for port in --dport --sport; do
				iptables -A OUTPUT -p $proto $port 53 -j NFQUEUE --queue-num 0 --queue-bypass ||
					exit 3
			done
		done
	fi
	case $case_name in
	ns-blackhole) lab_nft input "ip daddr $NS2_ADDR drop" ;;
	resolver-blackhole)
		lab_nft input "ip daddr 127.0.9.9 drop"
		args="--resolver dead=127.0.9.9 $args"
		validators="$validators 127.0.9.9" ;;
	resolvers-*)
		# One more validating Unbound, answering on N addresses of its own:
		# N resolvers to bogus. (Not NAT to the lab's Unbound: the kernel's
		# cost of mapping N addresses onto one, nf_conntrack_tuple_taken in
		# bogus's connect(), came to more CPU than all of bogus's own.)
		farm=()
		for ((i = 0; i < ${case_name#resolvers-}; i++)); do
			farm+=("127.0.$((12 + i / 250)).$((1 + i % 250))")
			args="--resolver r$i=${farm[i]} $args"
		done
		set -- "${farm[@]}"
		unbound_start farm "$1" validating "${@:2}"
		wait_answer farm "$1" localhost. A || exit 3
		# Warm: the case is about asking many, not about one cold walk.
		"$BOGUS" --once --json $args >/dev/null 2>&1 ;;
	esac
	cold() {
		case $case_name in
		healthy-warm | resolvers-*) ;;
		*) world_restart_resolvers >/dev/null 2>&1 ;;
		esac
	}
	floor() {
		local a pids=
		for a in $validators; do
			dig +timeout=1 +tries=30 +dnssec "@$a" www.example.test A >/dev/null 2>&1 &
			pids="$pids $!"
		done
		# Only these: the restarted resolvers are children of this shell too.
		# shellcheck disable=SC2086 # one pid per word
		wait $pids
	}
	runbook() {
		local a
		for a in $validators; do dig +timeout=2 +tries=2 "@$a" www.example.test A; done
		dig +timeout=2 +tries=2 +cd "@$UNBOUND_ADDR" www.example.test A
		dig +timeout=2 +tries=2 +norec "@$TLD1_ADDR" example.test DS
		for a in $NS1_ADDR $NS2_ADDR; do
			dig +timeout=2 +tries=2 +norec "@$a" example.test DNSKEY >"$LAB_DIR/bench.dnskey"
		done
		dnssec-dsfromkey -2 -f "$LAB_DIR/bench.dnskey" example.test
		delv +timeout=2 -a "$LAB_DELV_ANCHOR" +root=. "@$OFFICE_ADDR" www.example.test A
	} >/dev/null 2>&1
	for tool in bogus floor runbook dnsviz; do
		: >"$LAB_DIR/bench.t"
		: >"$LAB_DIR/bench.rss"
		for ((r = 0; r < REPS; r++)); do
			cold
			t0=$(now)
			case $tool in
			bogus)
				# shellcheck disable=SC2086 # the lab's arguments, one word each
				/usr/bin/time -f '%M %U %S' -o "$LAB_DIR/bench.time" \
					"$BOGUS" --once --json $args >/dev/null 2>&1
				# The last line: a failing verdict adds "Command exited..." first.
				read -r kb u s < <(tail -n 1 "$LAB_DIR/bench.time")
				echo "$kb $(echo "$u + $s" | bc)" >>"$LAB_DIR/bench.rss" ;;
			floor) floor ;;
			runbook) runbook ;;
			dnsviz)
				command -v dnsviz >/dev/null || break
				timeout 120 dnsviz probe -s "$UNBOUND_ADDR" example.test >/dev/null 2>&1 ;;
			esac
			since "$t0" >>"$LAB_DIR/bench.t"
		done
		t=$(median <"$LAB_DIR/bench.t")
		extra=
		if [ "$tool" = bogus ]; then
			extra="$(awk '{ print $1 }' "$LAB_DIR/bench.rss" | sort -n | tail -n 1) $(awk '{ print $2 }' "$LAB_DIR/bench.rss" | median)"
		fi
		echo "RESULT $case_name $tool $t $extra"
	done
	exit 0
fi

# ---------------------------------------------------------------- outside
[ -x "$BOGUS" ] || { echo "bench: $BOGUS not built (make)" >&2; exit 3; }
export HOP_MS HOPDELAY=${HOPDELAY:-$PWD/build/tools/hopdelay}
[ "$HOP_MS" -eq 0 ] || [ -x "$HOPDELAY" ] ||
	{ echo "bench: $HOPDELAY not built (make bench builds it; HOP_MS=0 for none)" >&2; exit 3; }
out=$(mktemp)
trap 'rm -f "$out"' EXIT
for c in $CASES; do
	world=healthy
	[ "$c" = tcp-blocked ] && world=tcp-blocked
	tests/lab/lab run "$world" -- bash "$self" inner "$c" 2>/dev/null | grep -E '^(RESULT|NOTE)' >>"$out"
done
echo "bogus bench: $(nproc) CPU ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)), $(uname -sr), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "lab on loopback, $HOP_MS ms per round trip to a server (tests/bench/hopdelay.c); median of $REPS runs; seconds (RSS: peak of bogus, CPU: user+sys of bogus)"
echo
printf '| %-18s | %9s | %9s | %9s | %9s | %12s | %9s |\n' case bogus floor runbook dnsviz "bogus RSS" "bogus CPU"
printf '|%s|%s|%s|%s|%s|%s|%s|\n' -------------------- ----------- ----------- ----------- ----------- -------------- -----------
for c in $CASES; do
	get() { awk -v c="$c" -v t="$1" '$2 == c && $3 == t { print $4 }' "$out"; }
	rss=$(awk -v c="$c" '$2 == c && $3 == "bogus" { print $5 }' "$out")
	cpu=$(awk -v c="$c" '$2 == c && $3 == "bogus" { print $6 }' "$out")
	printf '| %-18s | %9s | %9s | %9s | %9s | %12s | %9s |\n' "$c" "$(get bogus)" "$(get floor)" \
		"$(get runbook)" "$(get dnsviz)" "${rss:+$((rss / 1024)) MiB}" "${cpu:-}"
done
sed -n 's/^NOTE /note: /p' "$out"
