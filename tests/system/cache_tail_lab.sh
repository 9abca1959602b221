#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/cache_tail_lab.sh - the cache tail followed through a repair,
# in the ksk-ds-repair lab world with every TTL at 30 s (LAB_TTL), by the
# console (in tmux) and by --once --record runs side by side: bogus sees the
# outage, the world moves to the repaired state (the right DS at the TLD)
# while the resolvers keep their caches, and then:
# - the findings stop blaming the zone: validators-servfail is the caches'
#   (who: resolver-operator, "from their caches"), no ede-disagrees, step 4
#   is done;
# - step 6 stays open with a fixed clock time per thing cached, counted from
#   the first snapshot that saw the repair, even once every validator
#   answers with AD again, and closes when the waits have passed, at the
#   very time it announced (never now + TTL, which would never pass).
# Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}
export LAB_TTL=30

. tests/lab/self.sh
in_lab ksk-ds-repair 300 "cache-tail" "$0" "$@"

# ---- inside the lab world ----
. "$LAB_HOME/world.sh"
. "$LAB_DIR/world.env"
. "$LAB_HOME/scenarios/$LAB_SCENARIO.sh"
rec=$tmp/tail.jsonl
# record: one --once run appending to the record, as cron would; its own
# JSON report in $tmp/once.json (its step 6 counts from the record).
record() { timeout 60 "$BOGUS" --once --json --record "$rec" $LAB_BOGUS_ARGS >"$tmp/once.json" 2>>"$tmp/tail.err"; }
step6() { timeout 60 "$BOGUS" --once --json --replay "$rec" | jq -r ".checklist[5].$1 // \"\""; }
# want WHAT CMD...: CMD succeeds
want() { local what=$1; shift; if "$@"; then pass "$what"; else fail "$what"; fi; }
# The clock time of the DS TTL's wait in TEXT ("until T" or "passed T").
ds_wait() { grep -o 'DS TTL [0-9]* s: [a-z]* [0-9-]* [0-9:]* UTC' <<<"$1" | sed 's/.*: [a-z]* //'; }
# The console, zoomed on its checklist; its step 6 line as shown.
console_step6() { screen | grep -A1 '\] 6\. Watch the cache tail' | tail -n 1; }

tm -f /dev/null new-session -d -s t -x 160 -y 45 \
	"env TERM=xterm-256color $BOGUS $LAB_BOGUS_ARGS --interval 3; echo EXIT=\$?; sleep 60"
record
ev=$(step6 evidence)
want "during the outage step 6 is open" [ "$(step6 state)" = pending ]
want "during the outage step 6 gives durations, no clock time ($ev)" \
	bash -c '[[ $1 == *"after the repair"*"DS TTL"* && $1 != *UTC* ]]' _ "$ev"
check "the console shows the outage" "✘ BOGUS" 30

# Fresh caches of the old DS (30 s from now), then the repair.
world_restart_resolvers >/dev/null 2>&1
dig +short @"$UNBOUND_ADDR" www.example.test A >/dev/null
dig +short @"$KRESD_ADDR" www.example.test A >/dev/null
"$LAB_PHASE_CMD" 1 >/dev/null 2>&1 || fail "moving the world to phase 1"
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
until1=$(ds_wait "$first")
want "after the repair step 6 stays open" [ "$(step6 state)" = pending ]
want "after the repair step 6 names the repair and a fixed time per thing cached ($first)" \
	bash -c '[[ $1 == "repair first seen "* && $1 == *"DS TTL 30 s: until"* ]]' _ "$first"
want "resolvers still failing are counted in step 6" \
	bash -c '[[ $1 == *"still fail"* ]]' _ "$first"
who=$(jq -r '.findings[] | select(.id == "validators-servfail") | .actor' "$tmp/once.json")
want "the failing validators are the caches', not the zone's (who: $who)" [ "$who" = resolver-operator ]
want "no ede-disagrees while the caches explain the EDEs" \
	bash -c '! jq -e ".findings[] | select(.id == \"ede-disagrees\")" "$1" >/dev/null' _ "$tmp/once.json"

# The console, on its own clock, says the same.
check "the console: validators-servfail is the resolvers' to act on" \
	"validators-servfail example.test. (who: resolver-operator)" 15
tm send-keys -t t 4
sleep 0.3
tm send-keys -t t z
check "the console: step 4 done, the repair seen" "[x] 4. Choose the fastest safe repair" 5
check "the console: step 6 open with a clock time" \
	"DS TTL 30 s: until [0-9-]* [0-9:]* UTC" 5 -E
shown1=$(ds_wait "$(console_step6)")

world_restart_resolvers >/dev/null 2>&1	# they recover: AD again, the waits still run
record
want "with every validator at AD, step 6 stays open until the waits pass" [ "$(step6 state)" = pending ]
check "the console: every validator at AD, step 6 still open" "[ ] 6. Watch the cache tail" 10
check "the console: step 5 ticked (AD from every validator)" "[x] 5. Verify" 10

# The waits pass at the time announced, not at now + TTL.
check "the console closes step 6 once the waits have passed" "[x] 6. Watch the cache tail" 90
shown2=$(ds_wait "$(console_step6)")
want "the console's DS wait passed at the time it announced ($shown1 / $shown2)" \
	[ -n "$shown1" ] && [ "$shown1" = "$shown2" ]
# The runs saw the repair on their own clock, a few seconds off the console's.
for ((i = 0; i < 10; i++)); do
	record
	[ "$(step6 state)" = done ] && break
	sleep 3
done
later=$(step6 evidence)
want "--once --record closes step 6 after the waits ($(step6 state))" [ "$(step6 state)" = done ]
want "--once --record: the DS wait passed at the time first announced ($until1 / $(ds_wait "$later"))" \
	[ -n "$until1" ] && [ "$until1" = "$(ds_wait "$later")" ]
once=$(ds_wait "$(jq -r '.checklist[5].evidence // ""' "$tmp/once.json")")
want "--once --record counts from the runs before it, too ($once)" [ "$once" = "$until1" ]
verdict=$(timeout 60 "$BOGUS" --once --json --replay "$rec" | jq -r .verdict)
want "the repaired zone is secure again ($verdict)" [ "$verdict" = secure ]
tm send-keys -t t q
if wait_for "EXIT=0" 10; then pass "the console quits on q"; else fail "the console does not quit on q"; fi
exit 0
