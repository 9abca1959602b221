#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/record_long.sh - recordings that can run for weeks, in the
# healthy lab world: a snapshot identical to the last one but for times,
# RTTs and TTLs is written as one "unchanged" line (valid against
# schemas/record-line.schema.json); one that differs is written in full;
# such a recording replays (last snapshot, --at in the middle);
# --record-max-size rotates FILE to FILE.1 and each file replays on its
# own. Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}

pass() { echo "PASS: record-long: $*"; }
fail() { echo "FAIL: record-long: $*"; }

if [ "${1:-}" = inner ]; then
	cd "$2" || exit 3
	for i in $(seq 10); do
		$BOGUS --once --record same.jsonl $LAB_BOGUS_ARGS >/dev/null 2>>err
		date +%s >>times
		sleep 0.2
	done
	# A resolver more: different evidence, a full snapshot.
	$BOGUS --once --record same.jsonl --resolver extra=127.0.9.9 $LAB_BOGUS_ARGS >/dev/null 2>>err
	for i in $(seq 12); do
		$BOGUS --once --record rot.jsonl --record-max-size 59k $LAB_BOGUS_ARGS >/dev/null 2>>err
	done
	exit 0
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
log=$(timeout 240 tests/lab/lab run healthy -- bash "$0" inner "$tmp" 2>&1) ||
	fail "lab healthy did not run: $(tail -n 3 <<<"$log" | tr '\n' ' ')"
f=$tmp/same.jsonl
types=$(jq -r .type "$f" 2>/dev/null | grep -v header | uniq -c | awk '{printf "%s%s ", $1, $2}')
if [ "$types" = "1snapshot 9unchanged 1snapshot " ]; then
	pass "10 runs of a stable zone: 1 snapshot + 9 'unchanged' lines; a changed one in full"
else
	fail "lines: '$types', want '1snapshot 9unchanged 1snapshot ' ($(head -c 200 "$tmp/err"))"
fi
if [ "$(jq -r 'select(.type=="unchanged") | .since' "$f" | sort -u)" = \
     "$(jq -r 'select(.type=="snapshot") | .at' "$f" | head -n 1)" ] &&
   errs=$(tests/validate_json.py schemas/record-line.schema.json "$f" 2>&1); then
	pass "'unchanged' lines say since when, and validate against schemas/record-line.schema.json"
else
	fail "'unchanged' lines: $(grep unchanged "$f" | head -n 1) ${errs:-}"
fi
# Size: a day of a stable zone at the console's 30 s interval, from what
# an "unchanged" line (and, for --once, its header) costs here.
full=$(grep -m1 '"type":"snapshot"' "$f" | wc -c)
per=$(( $(grep -v '"type":"snapshot"' "$f" | wc -c) / 9 ))
day=$(( full + per * 2880 ))
[ "$day" -lt 5000000 ] && pass "a stable day at 30 s: $full + 2880 x $per bytes = $day bytes (< 5 MB; 54 KB per snapshot before)" ||
	fail "a stable day would take $day bytes (> 5 MB)"
# Replay: the last run, and a time among the unchanged lines.
mid=$(sed -n 5p "$tmp/times")
v1=$($BOGUS --replay "$f" --once --json 2>"$tmp/r1.err" | jq -r .verdict)
v2=$($BOGUS --replay "$f" --once --json --at "$mid" 2>"$tmp/r2.err" | jq -r '.verdict')
if [ "$v1" = secure ] && [ "$v2" = secure ] && [ ! -s "$tmp/r2.err" ]; then
	pass "the recording replays: last snapshot secure, --at $mid (an 'unchanged' line) secure"
else
	fail "replay: '$v1' '$v2': $(cat "$tmp/r1.err" "$tmp/r2.err" | head -n 2 | tr '\n' ' ')"
fi
# Rotation at 59k (a full snapshot is ~58 KB here): FILE.1 holds the full one; FILE starts over, in full.
r=$tmp/rot.jsonl
if [ -f "$r.1" ] && [ ! -f "$r.2" ] && [ "$(stat -c %s "$r.1")" -ge 60416 ] &&
   [ "$(jq -r .type "$r" | grep -v header | head -n 1)" = snapshot ] &&
   [ "$(jq -r .type "$r.1" | grep -v header | head -n 1)" = snapshot ]; then
	pass "--record-max-size 59k: rot.jsonl.1 ($(stat -c %s "$r.1") bytes) and a new rot.jsonl ($(stat -c %s "$r") bytes), each starting with a full snapshot"
else
	fail "rotation: $(ls -l "$r"* | awk '{print $5, $9}' | tr '\n' ' ')"
fi
ok=0
for x in "$r" "$r.1"; do
	[ "$($BOGUS --replay "$x" --once --json 2>/dev/null | jq -r .verdict)" = secure ] && ok=$((ok + 1))
done
[ $ok = 2 ] && pass "both files replay on their own (secure)" || fail "$ok of 2 rotated files replay"
