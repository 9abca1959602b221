#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/cache_tail_lab.sh - the cache tail followed through a repair,
# in the ksk-ds-repair lab world: bogus records the outage, the world moves
# to the repaired state (the right DS at the TLD) while the resolvers keep
# their caches, bogus records again, and the checklist's step 6 (from the
# recording, as the console keeps it, and in each --once --record run's own
# report) must stay open with a fixed clock time
# per thing cached, counted from the first snapshot that saw the repair: the
# same "until" on every later refresh, never now + TTL. Prints PASS:/FAIL:.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}

if [ "${1:-}" = "" ]; then
	out=$(timeout 300 tests/lab/lab run ksk-ds-repair -- bash "$0" inside 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E '^(PASS|FAIL): '
	grep -qE '^(PASS|FAIL): ' <<<"$out" ||
		echo "FAIL: cache-tail: lab did not run (exit $rc): $(tail -n 5 <<<"$out" | tr '\n' ' ')"
	exit 0
fi

# ---- inside the lab world ----
. "$LAB_HOME/world.sh"
. "$LAB_DIR/world.env"
. "$LAB_HOME/scenarios/$LAB_SCENARIO.sh"
pass() { echo "PASS: cache-tail: $*"; }
fail() { echo "FAIL: cache-tail: $*"; }
rec=$LAB_DIR/tail.jsonl
# record: one --once run appending to the record, as cron would; its own
# JSON report in $LAB_DIR/once.json (its step 6 counts from the record).
record() { timeout 60 "$BOGUS" --once --json --record "$rec" $LAB_BOGUS_ARGS >"$LAB_DIR/once.json" 2>>"$LAB_DIR/tail.err"; }
step6() { timeout 60 "$BOGUS" --once --json --replay "$rec" | jq -r ".checklist[5].$1 // \"\""; }
# want WHAT CMD...: CMD succeeds
want() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }

record
ev=$(step6 evidence)
want "during the outage step 6 is open" [ "$(step6 state)" = pending ]
want "during the outage step 6 gives durations, no clock time ($ev)" \
	bash -c '[[ $1 == *"after the repair"*"DS TTL"* && $1 != *UTC* ]]' _ "$ev"

"$LAB_PHASE_CMD" 1 2>/dev/null || fail "moving the world to phase 1"
confirm_phase1() {
	expect_ds_match example.test tld1 ns1 digest
	expect_ds_match example.test tld2 ns1 digest
	# The resolvers still hold the old DS: the tail is real.
	expect unbound www.example.test A SERVFAIL
	confirm_done
}
if out=$(confirm_phase1 2>&1); then pass "repair confirmed by dig: $out"; else fail "repair confirmed by dig ($out)"; fi

record
first=$(step6 evidence)
until1=$(grep -o 'DS TTL [0-9]* s: until [0-9-]* [0-9:]* UTC' <<<"$first")
want "after the repair step 6 stays open" [ "$(step6 state)" = pending ]
want "after the repair step 6 names the repair and a fixed time per thing cached ($first)" \
	bash -c '[[ $1 == "repair first seen "* && -n $2 ]]' _ "$first" "$until1"
want "resolvers still failing are counted in step 6" \
	bash -c '[[ $1 == *"still fail"* ]]' _ "$first"

sleep 61	# a later refresh, a minute on: now + TTL would have moved
world_restart_resolvers >/dev/null 2>&1	# they recover: AD again, the waits still run
record
later=$(step6 evidence)
until2=$(grep -o 'DS TTL [0-9]* s: until [0-9-]* [0-9:]* UTC' <<<"$later")
want "a minute later the until is the same ($until1 / $until2)" [ -n "$until2" ] && [ "$until1" = "$until2" ]
once=$(jq -r '.checklist[5].evidence // ""' "$LAB_DIR/once.json" | grep -o 'DS TTL [0-9]* s: until [0-9-]* [0-9:]* UTC')
want "--once --record counts from the runs before it, too ($once)" [ "$once" = "$until1" ]
want "with every validator at AD, step 6 stays open until the waits pass" [ "$(step6 state)" = pending ]
verdict=$(timeout 60 "$BOGUS" --once --json --replay "$rec" | jq -r .verdict)
want "the repaired zone is secure again ($verdict)" [ "$verdict" = secure ]
exit 0
