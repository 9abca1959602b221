#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/screenshots_match.sh - the screenshot the README shows
# (screenshots/ksk-ds-mismatch-120x36) is what the console renders for that
# world today: the same capture as `make screenshots` makes, compared word by
# word up to what changes between runs (key tags, times, ages; see
# tests/screen_diff.py). Fails when the README's picture is stale: run
# `make screenshots`. Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for name in ksk-ds-mismatch-120x36; do
	grep -qF "screenshots/$name.png" README.md ||
		{ echo "FAIL: screenshots: the README no longer shows $name (update this test)"; continue; }
	SCREENSHOTS_DIR=$tmp SHOT_ONLY=$name timeout 240 tests/lab/lab run ksk-ds-mismatch -- \
		bash tests/screenshots.sh inner ksk-ds-mismatch >/dev/null 2>&1
	if [ ! -s "$tmp/$name.txt" ]; then
		echo "FAIL: screenshots: $name: the console could not be captured"
	elif diff=$(python3 tests/screen_diff.py "screenshots/$name.txt" "$tmp/$name.txt"); then
		echo "PASS: screenshots: the README's $name matches the console ($(tail -1 <<<"$diff"))"
	else
		echo "FAIL: screenshots: the README's $name is stale (make screenshots):"
		sed 's/^/    | /' <<<"$diff"
	fi
done
