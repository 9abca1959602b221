#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/lab_scenarios.sh - every lab scenario: the world is built, its
# breakage confirmed by dig/delv (independent of bogus), then bogus --once
# --json must give the scenario's verdict and findings (tests/lab/check.sh).
#   LAB_ONLY="ksk-ds-mismatch healthy"   runs only these scenarios;
#   LAB_JOBS=N                           N worlds at a time (default 2).
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}
lab=tests/lab/lab
scenarios=${LAB_ONLY:-$($lab list | awk '{ print $1 }')}
. tests/lab/self.sh

one_world() {
	local s=$1 out rc
	# The lab itself is bounded: a world that does not come up is a FAIL.
	out=$(timeout 300 "$lab" run "$s" -- "$PWD/tests/lab/check.sh" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E '^(PASS|FAIL): '
	if ! grep -q '^PASS: .*confirmed by' <<<"$out" && ! grep -q '^FAIL: ' <<<"$out"; then
		echo "FAIL: $s: lab did not run (exit $rc): $(tail -n 5 <<<"$out" | tr '\n' ' ')"
	fi
}
# shellcheck disable=SC2086 # one word per scenario
in_parallel one_world $scenarios
exit 0
