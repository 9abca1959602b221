#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/replay_catalog.sh - every catalog world has a shipped
# recording (tests/lab/replays/WORLD.jsonl, made in the lab by `make
# catalog-replays`) that validates against schemas/record-line.schema.json
# and replays, without a lab, root or network, to the diagnosis the world's
# scenario expects live: its first snapshot is held to the same checks as
# tests/lab/check.sh (tests/lab/expect.sh: verdict, exit code, findings, who
# must act, the lures absent), and the text report names the cause. A
# training world's recording is its incident: after the outage, the repair
# (tests/lab/train's fastest safe one) and the recovery, where the cause is
# gone (unless the repair is advice that changes nothing in the world). A
# world without a recording fails: record it. Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}
export LAB_HOME=$PWD/tests/lab	# scenarios source each other from it

for scenario in tests/lab/scenarios/*.sh; do
	w=$(basename "$scenario" .sh)
	# A subshell: each scenario's EXPECT_* and hooks stay its own.
	(
		pass() { echo "PASS: replay $w: $*"; }
		fail() { echo "FAIL: replay $w: $*"; }
		f=tests/lab/replays/$w.jsonl
		if [ ! -s "$f" ]; then
			fail "no $f (make catalog-replays WORLDS=$w)"
			exit 0
		fi
		if errs=$(tests/validate_json.py schemas/record-line.schema.json "$f" 2>&1); then
			pass "the recording validates against schemas/record-line.schema.json"
		else
			fail "$(head -n 2 <<<"$errs" | tr '\n' ' ')"
		fi
		. "$scenario"
		. tests/lab/expect.sh
		LAB_EXPECT_VERDICT=$EXPECT_VERDICT
		LAB_EXPECT_FINDINGS=${EXPECT_FINDINGS:-}
		EXPECT_SKIP_FIX=1	# the fix's key tags come from the world's keys
		# The outage: the first snapshot.
		first=$(jq -r 'select(.type == "snapshot") | .at' "$f" | head -n 1)
		json=$("$BOGUS" --replay "$f" --at "$first" --once --json 2>/dev/null)
		rc=$?
		if ! jq -e 'type == "object"' >/dev/null 2>&1 <<<"$json"; then
			fail "bogus --replay --at $first --once --json: exit $rc, no JSON object"
			exit 0
		fi
		expect_bogus "$json" "$rc"
		cause=${LAB_EXPECT_FINDINGS%% *}
		if [ -n "$cause" ]; then
			text=$("$BOGUS" --replay "$f" --at "$first" --once 2>&1)
			if grep -Eq "^  \[[A-Za-z]+\] $cause " <<<"$text"; then
				pass "the text report names $cause"
			else
				fail "the text report does not name $cause: $(head -n 1 <<<"$text")"
			fi
		fi
		# A training world's incident: the repair, then the recovery.
		repair=$(tests/lab/train --right "$w" 2>/dev/null | awk '{ print $1 }')
		[ -n "$repair" ] || exit 0
		n=$(jq -r 'select(.type == "snapshot") | .at' "$f" | wc -l)
		last=$("$BOGUS" --replay "$f" --once --json 2>/dev/null |
			jq -r '.verdict + ":" + ([.findings[]?.id] | join(" "))')
		case $repair in
		escalate | algorithm-rollover)	# advice: nothing in the world changes
			[ "$n" -ge 1 ] && pass "the incident: $repair is advice, the world as it was (${last%%:*})" ||
				fail "the incident: no snapshot" ;;
		*)
			# The cause gone; not always all: provider-move-old-listed's
			# repair is the first of two (its debrief says the second).
			if [ "$n" -ge 2 ] && [ -n "$cause" ] && [[ " ${last#*:} " != *" $cause "* ]]; then
				pass "the incident: $n snapshots, after lab_fix $repair the last is ${last%%:*} without $cause"
			else
				fail "the incident: $n snapshots, after lab_fix $repair the last is '$last'"
			fi ;;
		esac
	)
done
exit 0
