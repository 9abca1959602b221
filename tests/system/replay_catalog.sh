#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/replay_catalog.sh - every catalog world has a shipped
# recording (tests/lab/replays/WORLD.jsonl, made in the lab by `make
# catalog-replays`) that validates against schemas/record-line.schema.json
# and replays, without a lab, root or network, to the diagnosis the world's
# scenario expects live: the same checks as tests/lab/check.sh
# (tests/lab/expect.sh: verdict, exit code, findings, who must act, the
# lures absent), in JSON, and the text report names the cause. The training
# stories have their own recordings (outage and repair, tests/lab/train).
# A world without a recording fails: record it. Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}
export LAB_HOME=$PWD/tests/lab	# scenarios source each other from it
stories=$(sed -n 's/^STORIES="\(.*\)"$/\1/p' tests/lab/train)

for scenario in tests/lab/scenarios/*.sh; do
	w=$(basename "$scenario" .sh)
	case " $stories " in *" $w "*) continue ;; esac
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
		json=$("$BOGUS" --replay "$f" --once --json 2>/dev/null)
		rc=$?
		if ! jq -e 'type == "object"' >/dev/null 2>&1 <<<"$json"; then
			fail "bogus --replay --once --json: exit $rc, no JSON object"
			exit 0
		fi
		expect_bogus "$json" "$rc"
		cause=${LAB_EXPECT_FINDINGS%% *}
		if [ -n "$cause" ]; then
			text=$("$BOGUS" --replay "$f" --once 2>&1)
			if grep -Eq "^  \[[A-Za-z]+\] $cause " <<<"$text"; then
				pass "the text report names $cause"
			else
				fail "the text report does not name $cause: $(head -n 1 <<<"$text")"
			fi
		fi
	)
done
exit 0
