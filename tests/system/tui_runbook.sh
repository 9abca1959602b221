#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/tui_runbook.sh - the runbook side of the console in a real
# terminal (tmux) in the lab: a hand tick and untick show "by you" and an
# event, a note is written (and one cancelled), the DS record and a command
# are copied (OSC 52 into tmux's buffer, and the file, byte for byte the DS
# of the fix, free of control bytes, mode 600), all of it recorded with
# --record; then --runbook ksk-rollover in the rollover-in-progress world
# shows its phases, and R cycles the runbooks. Every wait is bounded.
# Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}

if [ "${1:-}" = "" ]; then
	for world in ksk-ds-mismatch rollover-in-progress; do
		out=$(timeout 240 tests/lab/lab run "$world" -- bash "$0" "$world" 2>&1)
		rc=$?
		printf '%s\n' "$out" | grep -E '^(PASS: |FAIL: |    \| )'
		grep -qE '^(PASS|FAIL): ' <<<"$out" ||
			echo "FAIL: tui-runbook: lab $world did not run (exit $rc): $(tail -n 5 <<<"$out" | tr '\n' ' ')"
	done
	exit 0
fi

# ---- inside the lab world ----
world=$1
. tests/lab/self.sh	# tm, screen, wait_for, check, pass, fail
lab_tag=tui-runbook
sock=bogus-tuirb-$$
tmp=$(mktemp -d)
cleanup() { tm kill-server 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
gone() {	# gone WHAT TEXT: TEXT is not (or no longer) on screen
	local i
	for ((i = 0; i < 10; i++)); do
		screen | grep -qF -- "$2" || { pass "$1"; return; }
		sleep 0.2
	done
	fail "$1 (\"$2\" still on screen)"
}
start() {	# start ARGS...: the console at 120x45, OSC 52 allowed
	tm -f /dev/null new-session -d -s t -x 120 -y 45 \
		"env TERM=xterm-256color XDG_RUNTIME_DIR=$tmp/run $BOGUS $LAB_BOGUS_ARGS --interval 60 $*; echo EXIT=\$?; sleep 60"
	tm set-option -g remain-on-exit on >/dev/null
	tm set-option -g set-clipboard on >/dev/null
}
mkdir -m 700 "$tmp/run"
clip=$tmp/run/bogus-clipboard.txt

if [ "$world" = ksk-ds-mismatch ]; then
	# The DS record the fix asks for, as --once prints it.
	# shellcheck disable=SC2086 # the lab's arguments, one word each
	ds=$("$BOGUS" $LAB_BOGUS_ARGS --once 2>/dev/null |
		grep -oE 'example\.test\. [0-9]+ IN DS [0-9]+ 13 2 [0-9a-f]{64}' | head -1)
	[ -n "$ds" ] || fail "--once printed no DS record to publish"

	start --record "$tmp/rec.jsonl"
	wait_for " ago " 30 || fail "no refresh within 30 s"
	tm send-keys -t t 4
	check "checklist focused" "4 Checklist *"

	# Step 1 is ticked by evidence; Space unticks it by hand.
	tm send-keys -t t Space
	check "Space unticks an evidence-ticked step: marked by you" "[ ] by you 1. Confirm"
	check "the evidence's own mark stays visible" "evidence alone: [x] done"
	check "the untick is an event" "step 1 unticked by hand"
	tm send-keys -t t Space
	check "Space again goes back to the evidence" "[x] 1. Confirm"
	check "the undo is an event too" "step 1 back to the evidence"

	# x ticks as well outside a replay; step 4 (pending) ticked by hand.
	tm send-keys -t t j j j x
	check "x ticks a pending step by hand" "[✓ by you] 4. Choose the fastest safe repair"
	check "the tick is an event" "step 4 ticked by hand"
	# A refresh rebuilds the checklist from a new snapshot: the tick stays.
	# (A second first: a refresh takes less, and "at" shows whole seconds.)
	before=$(screen | grep -o 'at [0-9:]*, ' | head -1)
	sleep 1.1
	tm send-keys -t t r
	for ((i = 0; i < 75; i++)); do
		now=$(screen | grep -o 'at [0-9:]*, ' | head -1)
		[ -n "$now" ] && [ "$now" != "$before" ] && break
		sleep 0.2
	done
	if [ "$now" != "$before" ] && wait_for "[✓ by you] 4. Choose the fastest safe repair" 2; then
		pass "the hand tick survives a refresh ($before-> $now)"
	else
		fail "after r: no new snapshot ($before/$now) or the tick is gone"; screen | sed 's/^/    | /'
	fi
	tm send-keys -t t x
	check "x again: back to the evidence" "[ ] 4. Choose the fastest safe repair"

	# A note on step 4; a second one cancelled with Esc.
	tm send-keys -t t a
	check "a opens the note input" "note on step 4 (Enter saves, Esc cancels)"
	tm send-keys -t t -l 'registrar ticket 4711'
	tm send-keys -t t Enter
	check "the note shows under the step" "registrar ticket 4711"
	check "the note is an event" "note on Choose the fastest safe"
	tm send-keys -t t a
	wait_for "Esc cancels" 3
	tm send-keys -t t -l 'do not keep'
	tm send-keys -t t Escape
	check "Esc cancels the note" "note cancelled"
	gone "the cancelled note is nowhere" "do not keep"

	# The DS record line right under step 4: c copies it.
	tm send-keys -t t j c
	check "c tells where the copy went" "copied DS record"
	if [ -f "$clip" ] && [ "$(cat "$clip")" = "$ds" ] && cmp -s "$clip" <(printf '%s\n' "$ds"); then
		pass "the file holds the DS of the fix, byte for byte"
	else
		fail "file copy is not the DS ($ds): $(head -c 200 "$clip" 2>&1 | od -c | head -3)"
	fi
	if [ -f "$clip" ] && ! tr -d '\n' <"$clip" | LC_ALL=C grep -q '[[:cntrl:]]'; then
		pass "the copied text has no control bytes"
	else
		fail "control bytes in the copied text"
	fi
	if [ "$(stat -c %a "$clip" 2>/dev/null)" = 600 ]; then pass "the clipboard file is mode 600"; else
		fail "clipboard file mode $(stat -c %a "$clip" 2>&1)"
	fi
	if [ "$(tm show-buffer 2>/dev/null)" = "$ds" ]; then
		pass "OSC 52 reached the terminal (tmux buffer = the DS)"
	else
		fail "tmux buffer is not the DS: $(tm show-buffer 2>&1 | head -c 200)"
	fi

	# The next line: the BIND negative trust anchor, alone.
	tm send-keys -t t j c
	wait_for "BIND: negative trust anchor" 3
	if [ "$(cat "$clip")" = "rndc nta -lifetime 60m example.test" ]; then
		pass "one command copied alone (BIND NTA)"
	else
		fail "command copy: $(head -c 200 "$clip")"
	fi
	tm send-keys -t t j c
	wait_for "BIND: undo" 3
	if [ "$(cat "$clip")" = "rndc nta -remove example.test" ]; then pass "its undo copied alone"; else
		fail "undo copy: $(head -c 200 "$clip")"
	fi

	# The detail view of step 4: c copies the whole fix.
	tm send-keys -t t k k k Enter
	check "Enter opens the step's detail" "Detail: Checklist"
	tm send-keys -t t c
	check "c in the detail copies the fix" "copied the fix"
	if grep -qF "$ds" "$clip" && grep -q "Fastest safe repair" "$clip"; then
		pass "the fix, with its DS, in the file"
	else
		fail "fix copy: $(head -c 200 "$clip")"
	fi
	tm send-keys -t t Escape Escape q
	wait_for "EXIT=" 10 || fail "q did not quit"

	# The record: every tick, untick, undo and note, with the step.
	notes=$(grep -c '"type":"note"' "$tmp/rec.jsonl" 2>/dev/null)
	if [ "${notes:-0}" -eq 5 ] &&
		grep -q '"type":"note".*"step":"Choose the fastest safe repair","ticked":true,"text":"ticked by hand"' "$tmp/rec.jsonl" &&
		grep -q '"step":"Choose the fastest safe repair","ticked":false,"text":"registrar ticket 4711"' "$tmp/rec.jsonl"; then
		pass "ticks, unticks and the note are in the --record file"
	else
		fail "record has $notes note lines: $(grep '"note"' "$tmp/rec.jsonl" | head -c 600)"
	fi
	if grep -q "do not keep" "$tmp/rec.jsonl"; then fail "the cancelled note was recorded"; else
		pass "the cancelled note was not recorded"
	fi
else
	state=$tmp/rollover.state
	start --runbook ksk-rollover --runbook-state "$state"
	wait_for " ago " 30 || fail "no refresh within 30 s"
	check "--runbook opens the runbook view" "4 Runbook"
	tm send-keys -t t 4 z	# whole lines: the checks read them
	check "its phases, the current one marked" "→1. Publish the new KSK beside the old one  <- now"
	check "a met gate with its mark and evidence" "[x] the DNSKEY RRset is signed by the key the parent DS points to"
	check "a blocked gate with the reason" "[ ] the old DS is gone from every parent server: still published"
	check "the last phase is the verification" "7. Verify"
	check "the footer offers R" "R runbook"
	if grep -q '^kind ksk-rollover' "$state" 2>/dev/null && grep -q '^initialized' "$state"; then
		pass "--runbook-state is saved after the observation"
	else
		fail "no runbook state in $state: $(head -c 200 "$state" 2>&1)"
	fi
	tm send-keys -t t R
	check "R: zsk-rollover" "zsk-rollover  phase"
	tm send-keys -t t R
	check "R: provider-migration" "provider-migration  phase"
	tm send-keys -t t R
	check "R: algorithm-rollover" "algorithm-rollover  phase"
	tm send-keys -t t R
	check "R: back to the emergency checklist" "4 Checklist"
	check "the checklist is back in place" "1. Confirm the validation failure"
	tm send-keys -t t R
	check "R: ksk-rollover again, its memory kept" "ksk-rollover  phase 1 of 7"
	tm send-keys -t t j Enter
	check "Enter: a phase's detail with its gates" "Gates"
	tm send-keys -t t Escape q
	if wait_for "EXIT=0" 10; then pass "q quits (secure world: 0)"; else fail "no clean exit"; screen | tail -3; fi

	# Midway through: a state that remembers one KSK as old and the other
	# served everywhere for ten minutes. The new DS is already at the
	# parent, so the DS TTL wait runs, and its countdown moves.
	mapfile -t ksks < <(dig +norec +multi @127.0.3.1 example.test. DNSKEY |
		sed -n 's/.*; KSK; alg = [A-Z0-9]* *; key id = \([0-9]*\).*/\1/p')
	printf 'bogus-runbook 1\nkind ksk-rollover\nzone example.test.\ninitialized\nold-key %s\nkey-everywhere %s %s\n' \
		"${ksks[0]:-1}" "${ksks[1]:-2}" "$(($(date +%s) - 600))" >"$state"
	tm kill-server
	sock=bogus-tuirb-$$-2	# a fresh server: no race with the old one
	start --runbook ksk-rollover --runbook-state "$state"
	wait_for " ago " 30 || fail "no refresh within 30 s"
	tm send-keys -t t 4 z
	check "the state file resumes the rollover at the DS wait" "[~] →4. Wait for caches to learn the new DS  <- now"
	check "met phases before it" "[x] 3. Publish the new DS at the parent"
	if wait_for "ready in 59m" 5; then
		a=$(screen | grep -o 'ready in [0-9ms]*')
		sleep 2.2
		b=$(screen | grep -o 'ready in [0-9ms]*')
		if [ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ]; then
			pass "the waiting gate counts down live ($a, then $b)"
		else
			fail "the countdown did not move ($a, $b)"
		fi
	else
		fail "no countdown on the waiting gate"; screen | sed 's/^/    | /'
	fi
	if grep -q "^ds-everywhere ${ksks[1]:-2} " "$state"; then pass "the state remembers when the new DS was seen"; else
		fail "state not updated: $(tr '\n' ' ' <"$state")"
	fi
	tm send-keys -t t q
	wait_for "EXIT=" 10 || fail "q did not quit"

	# A state file of another runbook: refused before the screen opens.
	printf 'bogus-runbook 1\nkind zsk-rollover\nzone example.test.\n' >"$state"
	tm kill-server
	sock=bogus-tuirb-$$-3
	start --runbook ksk-rollover --runbook-state "$state"
	if wait_for "EXIT=3" 10 && wait_for "it is for --runbook zsk-rollover" 1; then
		pass "a state file of another runbook is refused (exit 3, says why)"
	else
		fail "wrong state file not refused"; screen | sed 's/^/    | /'
	fi
fi
