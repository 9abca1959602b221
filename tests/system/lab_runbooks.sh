#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/lab_runbooks.sh - the planned-change runbooks walked through
# real worlds. For each runbook, its lab world (ksk-rollover, zsk-rollover,
# provider-migration-planned) is moved through its phases in place, keys
# kept ($LAB_PHASE_CMD N), and at every phase:
#   - dig confirms the phase independently (key tags served, RRSIG signers,
#     DS and NS at the parent servers) and that unbound and kresd answer
#     NOERROR with AD, with the caches of the phase before and empty ones;
#   - bogus --once --json --runbook KIND --runbook-state FILE must be at the
#     phase the world is in, with the gate states that phase must produce.
# A wait is tested without waiting: the first sightings in the state file
# are moved 3 days back (what a cron job run days later would find), and
# the next run must find the wait over and the next phase current. Steps
# done wrong must block, saying why: a new KSK published but not signing,
# a DS published at one of the two parent servers only, the old provider
# still in the apex NS set.
#   RUNBOOK_LAB_ONLY="ksk-rollover"   runs only these runbooks.
set -u
self=$(realpath "$0")
cd "$(dirname "$self")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}

if [ -z "${LAB_HOME:-}" ]; then
	for kind in ${RUNBOOK_LAB_ONLY:-ksk-rollover zsk-rollover provider-migration algorithm-incomplete}; do
		world=$kind
		[ "$kind" = provider-migration ] && world=provider-migration-planned
		# The algorithm-rollover runbook: one look, no walk (healthy too on request).
		case $kind in algorithm-incomplete | healthy) kind=algorithm-rollover ;; esac
		out=$(RB_KIND=$kind timeout 300 tests/lab/lab run "$world" -- bash "$self" 2>&1)
		printf '%s\n' "$out" | grep -E '^(PASS|FAIL): '
		grep -q '^PASS: runbook .*done' <<<"$out" || grep -q '^FAIL: ' <<<"$out" ||
			echo "FAIL: runbook $kind: did not run to the end: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
	done
	exit 0
fi

# Inside the world from here on.
. "$LAB_HOME/world.sh"
. "$LAB_DIR/world.env"
. "$LAB_HOME/scenarios/$LAB_SCENARIO.sh"
kind=$RB_KIND
state=$LAB_DIR/rb.state
phase=0
J=

pass() { echo "PASS: runbook $kind, world phase $phase: $*"; }
fail() { echo "FAIL: runbook $kind, world phase $phase: $*"; }

# move N [SERVER...] - the world to phase N.
move() {
	if "$LAB_PHASE_CMD" "$@" 2>"$LAB_DIR/phase.err"; then
		phase="$*"
	else
		phase="$*"
		fail "\$LAB_PHASE_CMD $* ($(tail -n 3 "$LAB_DIR/phase.err" | tr '\n' ' '))"
	fi
}

# run - bogus's runbook, JSON in $J.
run() {
	J=$(timeout 60 "$BOGUS" --once --json --runbook "$kind" --runbook-state "$state" \
		$LAB_BOGUS_ARGS 2>"$LAB_DIR/bogus.err")
	jq -e '.phases | type == "array"' >/dev/null 2>&1 <<<"$J" ||
		fail "bogus --once --json --runbook $kind gave no runbook ($(head -c 200 <<<"$J") $(head -c 200 "$LAB_DIR/bogus.err"))"
}

# summary - where the runbook is, and why, for a FAIL line.
summary() {
	jq -r '"current_phase \(.current_phase) done \(.done): " + ([.phases | to_entries[] |
		"\(.key + 1) \(.value.state) [" + ([.value.gates[] | "\(.state): \(.detail)"] | join("; ")) + "]"]
		| join(" | "))' <<<"$J" 2>/dev/null | cut -c1-700
}

# want WHAT JQ-CONDITION [--arg NAME VALUE...] - a check on $J.
want() {
	local what=$1 cond=$2
	shift 2
	if jq -e "$@" "$cond" >/dev/null 2>&1 <<<"$J"; then
		pass "$what"
	else
		fail "$what (want $cond; got $(summary))"
	fi
}

# at N - bogus is at phase N (1-based, as in the JSON), not done, and every
# phase before it is met, it and every later one not.
at() {
	want "bogus at runbook phase $1: ${2:-}" \
		'.current_phase == $n and .done == false and
		 ([.phases[:$n - 1][] | .state] | all(. == "met")) and
		 ([.phases[$n - 1:][] | .state] | all(. != "met"))' --argjson n "$1"
}

# gate P G STATE TEXT - gate G (1-based) of phase P has STATE and its
# detail contains TEXT.
gate() {
	want "phase $1 gate \"$(jq -r --argjson p "$1" --argjson g "$2" \
		'.phases[$p - 1].gates[$g - 1].title' <<<"$J" 2>/dev/null)\" $3${4:+ (\"$4\")}" \
		'.phases[$p - 1].gates[$g - 1] | .state == $s and (.detail | contains($t))' \
		--argjson p "$1" --argjson g "$2" --arg s "$3" --arg t "${4:-}"
}

# moment WHAT TAG - a first sighting in the state file (TAG "" for
# delegation-changed).
moment() {
	awk -v w="$1" -v t="$2" '$1 == w && (t == "" ? NF == 2 : $2 == t) { print $NF; exit }' "$state"
}

# waits P G SINCE TTL - gate G of phase P waits until SINCE + TTL.
waits() {
	if [ -z "$3" ] || [ -z "$4" ]; then
		fail "phase $1 gate $2 waits (no first sighting '$3' or TTL '$4' to count from: $(tr '\n' ' ' <"$state"))"
		return
	fi
	want "phase $1 gate $2 waits until the first sighting + TTL $4 s ($(($3 + $4)))" \
		'.phases[$p - 1].gates[$g - 1] | .state == "waiting" and .ready_at == ($r | todate)' \
		--argjson p "$1" --argjson g "$2" --argjson r "$(($3 + $4))"
}

# age - every first sighting in the state file 3 days earlier, as a run
# days later would find it (every TTL in the lab is shorter).
age() {
	awk '$1 ~ /^(key-everywhere|ds-everywhere|ds-gone|signing)$/ && NF == 3 { $3 -= 3 * 86400 }
	     $1 == "delegation-changed" && NF == 2 { $2 -= 3 * 86400 }
	     { print }' "$state" >"$state.aged" && mv "$state.aged" "$state"
}

# state_has WHAT "VALUE..." - the state file's WHAT lines, exactly.
state_has() {
	local got
	got=$(awk -v w="$1" '$1 == w { print $2 }' "$state" | sort | tr '\n' ' ' | sed 's/ $//')
	if [ "$got" = "$(tr ' ' '\n' <<<"$2" | sort | tr '\n' ' ' | sed 's/ $//')" ]; then
		pass "the state file remembers $1 $2"
	else
		fail "the state file remembers $1 $2 (got: $(tr '\n' ' ' <"$state"))"
	fi
}

# ttl WHO NAME TYPE - the TTL an authoritative server gives.
ttl() { auth "$1" "$2" "$3" | awk -v t="$3" '$4 == t { print $2; exit }'; }

# ds_tags WHO - the DS key tags at a parent server, one line.
ds_tags() { auth "$1" example.test DS | ds_norm | cut -d' ' -f1 | sort -n | tr '\n' ' ' | sed 's/ $//'; }

# ns_names WHO - the NS names of example.test. in WHO's answer or referral.
ns_names() {
	auth "$1" example.test NS | awk '$4 == "NS" && $1 == "example.test." { print $5 }' |
		sort | tr '\n' ' ' | sed 's/ $//'
}

# same WHAT GOT WANT - an observation by dig.
same() {
	if [ "$2" = "$3" ]; then
		seen "$1: $2"
	else
		bad "$1: want [$3], got [$2]"
	fi
}

# confirm_phase CHECKS... - the phase as dig sees it (CHECKS ran before),
# then AD from the validators, with warm caches and with empty ones.
confirm_phase() {
	expect unbound www.example.test A NOERROR ad answer
	expect kresd www.example.test A NOERROR ad answer
	world_restart_resolvers >/dev/null 2>&1 || bad "restarting the resolvers"
	expect unbound www.example.test A NOERROR ad answer
	expect kresd www.example.test A NOERROR ad answer
	# Not in a subshell: confirm_done empties what was seen for the next phase.
	if confirm_done >"$LAB_DIR/confirm.out"; then
		pass "dig confirms: $(cat "$LAB_DIR/confirm.out")"
	else
		fail "dig confirmation ($(cat "$LAB_DIR/confirm.out"))"
	fi
}

tags() { local t= k; for k; do t="$t $(key_tag "$k")"; done; tr ' ' '\n' <<<"$t" | sed '/^$/d' | sort -n | tr '\n' ' ' | sed 's/ $//'; }

ksk_walk() {
	local old new
	old=$(key_tag "$EX_KSK") new=$(key_tag "$NEW_KSK")

	same "DNSKEY tags at ns1" "$(key_tags ns1 example.test)" "$(tags "$EX_KSK" "$EX_ZSK")"
	same "DS tags at tld1 and tld2" "$(ds_tags tld1)/$(ds_tags tld2)" "$old/$old"
	confirm_phase
	run
	at 1 "before the change"
	gate 1 1 blocked "no new key"
	state_has old-key "$old"

	# A step done wrong first: the new KSK published on both servers but
	# not signing the DNSKEY RRset. Still valid; the runbook must not go on.
	example_zone "$LAB_DIR/zones/ksk-not-signing" "$((W_SERIAL + 1))" "$W_INCEPTION" \
		"$W_EXPIRATION" "$NEW_KSK" "$EX_KSK" "$EX_ZSK"
	server_restart ns1 nsd_start "$NS1_ADDR" "example.test.=$LAB_DIR/zones/ksk-not-signing" &&
		server_restart ns2 nsd_start "$NS2_ADDR" "example.test.=$LAB_DIR/zones/ksk-not-signing" ||
		fail "serving the new KSK without its signature"
	phase="0, then the new KSK published without signing"
	same "DNSKEY tags at ns1" "$(key_tags ns1 example.test)" "$(tags "$EX_KSK" "$NEW_KSK" "$EX_ZSK")"
	same "DNSKEY tags at ns2" "$(key_tags ns2 example.test)" "$(tags "$EX_KSK" "$NEW_KSK" "$EX_ZSK")"
	expect_signers ns1 example.test DNSKEY "$old"
	confirm_phase
	run
	at 1 "a new KSK that does not sign blocks"
	gate 1 1 met "$new"
	gate 1 4 blocked "no valid RRSIG over the DNSKEY RRset by $new"

	move 1
	same "DNSKEY tags at ns1" "$(key_tags ns1 example.test)" "$(tags "$EX_KSK" "$NEW_KSK" "$EX_ZSK")"
	same "DNSKEY tags at ns2" "$(key_tags ns2 example.test)" "$(tags "$EX_KSK" "$NEW_KSK" "$EX_ZSK")"
	expect_signers ns1 example.test DNSKEY "$old $new"
	same "DS tags at tld1 and tld2" "$(ds_tags tld1)/$(ds_tags tld2)" "$old/$old"
	confirm_phase
	run
	at 2 "the new key is out, caches must learn it"
	gate 1 1 met "$new"
	gate 1 2 met ""
	gate 1 3 met "DS $old -> KSK $old"
	gate 1 4 met "by the new KSK"
	waits 2 1 "$(moment key-everywhere "$new")" "$(ttl ns1 example.test DNSKEY)"
	age
	run
	at 3 "the DNSKEY TTL has passed: publish the DS"
	gate 3 1 blocked "not yet at every parent server"
	want "phase 3 gives the new DS record to submit" \
		'.phases[2].records | test("DS\\s+" + $t + " 13 2 ")' --arg t "$new"

	move 2 tld1	# the new DS at one of the two parent servers so far
	same "DS tags at tld1 / tld2" "$(ds_tags tld1)/$(ds_tags tld2)" "$(tags "$EX_KSK" "$NEW_KSK")/$old"
	confirm_phase
	run
	at 3 "the DS at one parent server only blocks"
	gate 3 1 blocked "not yet at every parent server"
	gate 4 1 blocked "not seen yet"

	move 2
	same "DS tags at tld1 / tld2" "$(ds_tags tld1)/$(ds_tags tld2)" "$(tags "$EX_KSK" "$NEW_KSK")/$(tags "$EX_KSK" "$NEW_KSK")"
	expect_ds_match example.test tld2 ns2 digest
	confirm_phase
	run
	at 4 "the new DS is everywhere, caches must learn it"
	gate 3 1 met "every parent server"
	waits 4 1 "$(moment ds-everywhere "$new")" "$(ttl tld1 example.test DS)"
	age
	run
	at 5 "the DS TTL has passed: withdraw the old DS"
	gate 5 1 blocked "still published"

	move 3
	same "DS tags at tld1 / tld2" "$(ds_tags tld1)/$(ds_tags tld2)" "$new/$new"
	same "DNSKEY tags at ns1" "$(key_tags ns1 example.test)" "$(tags "$EX_KSK" "$NEW_KSK" "$EX_ZSK")"
	confirm_phase
	run
	at 5 "the old DS is gone, caches must forget it"
	gate 5 1 met "no parent server"
	waits 5 2 "$(moment ds-gone "$old")" "$(ttl tld1 example.test DS)"
	gate 6 1 blocked "still in the DNSKEY RRset"
	age
	run
	at 6 "the DS TTL has passed: remove the old KSK"
	gate 6 1 blocked "still in the DNSKEY RRset"
	gate 6 2 met "DS $new -> KSK $new"

	move 4
	same "DNSKEY tags at ns1" "$(key_tags ns1 example.test)" "$(tags "$NEW_KSK" "$EX_ZSK")"
	same "DNSKEY tags at ns2" "$(key_tags ns2 example.test)" "$(tags "$NEW_KSK" "$EX_ZSK")"
	expect_signers ns2 example.test DNSKEY "$new"
	confirm_phase
	run
	want "bogus: the rollover is done, every phase met" \
		'.done == true and .current_phase == (.phases | length) + 1 and
		 ([.phases[].state] | all(. == "met"))'
	gate 7 1 met "all secure"
}

zsk_walk() {
	local old new
	old=$(key_tag "$EX_ZSK") new=$(key_tag "$NEW_ZSK")

	same "DNSKEY tags at ns1" "$(key_tags ns1 example.test)" "$(tags "$EX_KSK" "$EX_ZSK")"
	expect_signers ns1 www.example.test A "$old"
	confirm_phase
	run
	at 1 "before the change"
	gate 1 1 blocked "no new key"

	move 1
	same "DNSKEY tags at ns1" "$(key_tags ns1 example.test)" "$(tags "$EX_KSK" "$EX_ZSK" "$NEW_ZSK")"
	same "DNSKEY tags at ns2" "$(key_tags ns2 example.test)" "$(tags "$EX_KSK" "$EX_ZSK" "$NEW_ZSK")"
	expect_signers ns2 www.example.test A "$old"
	confirm_phase
	run
	at 2 "the new ZSK is out, caches must learn it"
	gate 1 1 met "$new"
	waits 2 1 "$(moment key-everywhere "$new")" "$(ttl ns1 example.test DNSKEY)"
	age
	run
	at 3 "the DNSKEY TTL has passed: sign with the new ZSK"
	gate 3 1 blocked "only old signatures"

	move 2
	expect_signers ns1 www.example.test A "$new"
	expect_signers ns2 example.test MX "$new"
	same "DNSKEY tags at ns1" "$(key_tags ns1 example.test)" "$(tags "$EX_KSK" "$EX_ZSK" "$NEW_ZSK")"
	confirm_phase
	run
	at 4 "signed by the new ZSK, old signatures must leave caches"
	gate 3 1 met "new key on every address"
	waits 4 1 "$(moment signing "$new")" "$(ttl ns1 www.example.test A)"
	gate 5 1 blocked "still in the DNSKEY RRset"
	age
	run
	at 5 "the data TTL has passed: remove the old ZSK"
	gate 5 1 blocked "still in the DNSKEY RRset"

	move 3
	same "DNSKEY tags at ns1" "$(key_tags ns1 example.test)" "$(tags "$EX_KSK" "$NEW_ZSK")"
	same "DNSKEY tags at ns2" "$(key_tags ns2 example.test)" "$(tags "$EX_KSK" "$NEW_ZSK")"
	confirm_phase
	run
	want "bogus: the rollover is done, every phase met" \
		'.done == true and .current_phase == (.phases | length) + 1 and
		 ([.phases[].state] | all(. == "met"))'
}

migration_walk() {
	local old="ns1.example.test. ns2.example.test."
	local new="ns1.other-provider.test. ns2.other-provider.test."
	local both="ns1.example.test. ns1.other-provider.test. ns2.example.test. ns2.other-provider.test."

	same "NS at tld1 / tld2" "$(ns_names tld1)/$(ns_names tld2)" "$old/$old"
	expect_tcp_refused op1	# the new provider not serving yet
	confirm_phase
	run
	at 1 "before the change"
	gate 1 1 blocked "only the old provider"
	state_has old-ns "$old"

	move 1
	same "apex NS at ns1 / op1" "$(ns_names ns1)/$(ns_names op1)" "$both/$both"
	same "DNSKEY tags at op1 / op2" "$(key_tags op1 example.test)/$(key_tags op2 example.test)" \
		"$(tags "$EX_KSK" "$EX_ZSK")/$(tags "$EX_KSK" "$EX_ZSK")"
	expect_ds_match example.test tld1 op2 digest
	same "NS at tld1 / tld2" "$(ns_names tld1)/$(ns_names tld2)" "$old/$old"
	confirm_phase
	run
	at 2 "the new provider serves the zone: change the delegation"
	gate 1 1 met "new NS names"
	gate 1 2 met "every address"
	gate 2 1 blocked "still delegates to the old"

	move 2
	same "NS at tld1 / tld2" "$(ns_names tld1)/$(ns_names tld2)" "$new/$new"
	confirm_phase
	run
	at 2 "the parent delegates to the new provider, caches must learn it"
	gate 2 1 met "changed"
	# The wait is the NS TTL dig sees: the parent's referral, or the new
	# provider's apex NS when longer (resolvers may prefer the child's).
	local ref apex
	ref=$(ttl tld1 example.test NS)
	apex=$(ttl op1 example.test NS)
	waits 2 2 "$(moment delegation-changed "")" \
		"$( [ "${apex:-0}" -gt "${ref:-0}" ] && echo "$apex" || echo "$ref")"
	age
	run
	at 3 "the NS TTL has passed: retire the old provider"
	gate 3 1 met "only new"
	gate 3 2 blocked "still lists an old nameserver"

	move 3
	same "apex NS at op1 / op2" "$(ns_names op1)/$(ns_names op2)" "$new/$new"
	expect ns1 example.test SOA REFUSED +norec	# the old provider no longer serves it
	confirm_phase
	run
	want "bogus: the migration is done, every phase met" \
		'.done == true and .current_phase == (.phases | length) + 1 and
		 ([.phases[].state] | all(. == "met"))'
}

# algorithm_look - one run in a world that is not walked: healthy (no
# rollover begun: step 1 is the one to do) or algorithm-incomplete (DS and
# DNSKEY of two algorithms, RRsets signed by one: step 1's gate names them).
algorithm_look() {
	run
	at 1 "sign every RRset with the new algorithm first"
	if [ "$LAB_SCENARIO" = healthy ]; then
		gate 1 1 blocked "no RRSIG of a new algorithm seen yet"
	else
		gate 1 1 blocked "not signed by"
		gate 1 1 blocked "example.test. SOA"
	fi
	[ "$(jq '.phases | length' <<<"$J")" = 7 ] && pass "runbook algorithm-rollover done: 7 phases" ||
		fail "want 7 phases ($(summary))"
}

case $kind in
algorithm-rollover) algorithm_look ;;
ksk-rollover) ksk_walk ;;
zsk-rollover) zsk_walk ;;
provider-migration) migration_walk ;;
esac
exit 0
