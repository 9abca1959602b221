#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/tui_vantage.sh - the console on a broken vantage (the lab's
# vantage-intercepted world: a middlebox answers for the root server): the
# status line says in words that our own network is broken and the zone is
# not judged, the badge is VANTAGE (never BOGUS), the findings strip names
# vantage-intercepted and nothing about the zone. Bounded waits; prints
# PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}

. tests/lab/self.sh
in_lab vantage-intercepted 180 "tui vantage" "$0" "$@"

tm -f /dev/null new-session -d -s t -x 160 -y 40 \
	"env TERM=xterm-256color $BOGUS $LAB_BOGUS_ARGS --interval 60; echo EXIT=\$?; sleep 60"
check "the status line says it in words" "the fault is on our side (see findings): the zone is not judged from here" 30
check "verdict badge VANTAGE" "? VANTAGE"
check "findings strip names vantage-intercepted" "vantage-intercepted"
for wrong in "BOGUS" "ds-no-matching-key" "nonvalidating-resolver" "validators-servfail"; do
	if screen | grep -qF -- "$wrong"; then
		fail "the screen shows \"$wrong\""
		screen | sed 's/^/    | /'
	else
		pass "no \"$wrong\" on screen"
	fi
done
tm send-keys -t t q
if wait_for "EXIT=" 10; then pass "quits on q"; else fail "does not quit on q"; fi

# What a script reads: the report's vantage[] shows the forged root answers.
"$BOGUS" --once --json $LAB_BOGUS_ARGS >"$tmp/report.json" 2>/dev/null
if python3 - "$tmp/report.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
v = d["vantage"]
sys.exit(0 if d["verdict"] == "vantage" and v and
         any(p["outcome"] == "ok" and not p["aa"] for p in v) else 1)
PY
then
	pass "--json: verdict vantage, vantage[] shows root answers without AA"
else
	fail "--json: no forged root answer in vantage[]: $(head -c 300 "$tmp/report.json")"
fi
