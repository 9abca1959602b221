#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/screenshots_match.sh - the screenshots the README shows (the
# console on ksk-ds-mismatch, and the KSK rollover runbook midway on
# rollover-in-progress, both 120x36) are what the console renders for those
# worlds today: the same captures as `make screenshots` makes, compared word
# by word up to what changes between runs (key tags, times, ages; see
# tests/screen_diff.py). The two worlds run at once (LAB_JOBS). Fails when a
# README picture is stale: run `make screenshots`. Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}
. tests/lab/self.sh

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# match NAME:WORLD - capture NAME in WORLD as tests/screenshots.sh does; compare.
match() {
	local name=${1%%:*} world=${1#*:} diff
	grep -qF "screenshots/$name.png" README.md ||
		{ echo "FAIL: screenshots: the README no longer shows $name (update this test)"; return; }
	mkdir -p "$tmp/$name"
	SCREENSHOTS_DIR=$tmp/$name SHOT_ONLY=$name timeout 240 tests/lab/lab run "$world" -- \
		bash tests/screenshots.sh inner "$world" >/dev/null 2>&1
	if [ ! -s "$tmp/$name/$name.txt" ]; then
		echo "FAIL: screenshots: $name: the console could not be captured"
	elif diff=$(python3 tests/screen_diff.py "screenshots/$name.txt" "$tmp/$name/$name.txt"); then
		echo "PASS: screenshots: the README's $name matches the console ($(tail -1 <<<"$diff"))"
	else
		echo "FAIL: screenshots: the README's $name is stale (make screenshots):"
		sed 's/^/    | /' <<<"$diff"
		# The whole capture: a one-off difference is diagnosed from it.
		echo "    the console showed:"
		sed 's/^/    > /' "$tmp/$name/$name.txt"
	fi
}
in_parallel match ksk-ds-mismatch-120x36:ksk-ds-mismatch \
	runbook-ksk-rollover-120x36:rollover-in-progress
