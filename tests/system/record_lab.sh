#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/record_lab.sh - the incident record against the lab:
# --once --record appends one snapshot per run (ksk-ds-mismatch, then
# healthy); --once --replay --json gives the verdict and findings the
# original runs printed; --export writes Markdown with the finding ids and
# the recovery; a console killed with -9 while recording leaves a file that
# replays; a recording cut mid-line replays up to the cut and names the
# line; the replay console steps and exports from its keys (tmux).
# Every wait is bounded. Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}

pass() { echo "PASS: record: $*"; }
fail() { echo "FAIL: record: $*"; }
# verdict and sorted finding ids of a --json report
summary() {
	python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["verdict"], " ".join(sorted(f["id"] for f in d["findings"])))' "$1" 2>/dev/null
}

case "${1:-}" in
inner-broken)	# inside ksk-ds-mismatch
	tmp=$2
	$BOGUS --once --json --record "$tmp/rec.jsonl" $LAB_BOGUS_ARGS >"$tmp/orig1.json"
	echo "rc1=$?" >"$tmp/rc1"
	# A recording console, killed with -9 once it has written snapshots.
	sock=bogus-rec-$$
	tmux -L "$sock" -f /dev/null new-session -d -s t -x 100 -y 30 \
		"exec env TERM=xterm-256color $BOGUS $LAB_BOGUS_ARGS --interval 1 --record $tmp/killed.jsonl"
	for ((i = 0; i < 150; i++)); do
		[ "$(grep -c '"type":"snapshot"' "$tmp/killed.jsonl" 2>/dev/null)" -ge 3 ] && break
		sleep 0.2
	done
	pid=$(tmux -L "$sock" display -p -t t '#{pane_pid}' 2>/dev/null)
	[ -n "$pid" ] && kill -9 "$pid"
	sleep 0.3
	tmux -L "$sock" kill-server 2>/dev/null
	exit 0
	;;
inner-healthy)
	tmp=$2
	$BOGUS --once --json --record "$tmp/rec.jsonl" $LAB_BOGUS_ARGS >"$tmp/orig2.json"
	exit 0
	;;
esac

tmp=$(mktemp -d)
sock=bogus-replay-$$
trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
out=$(timeout 240 tests/lab/lab run ksk-ds-mismatch -- bash "$0" inner-broken "$tmp" 2>&1) ||
	fail "lab ksk-ds-mismatch did not run: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
out=$(timeout 180 tests/lab/lab run healthy -- bash "$0" inner-healthy "$tmp" 2>&1) ||
	fail "lab healthy did not run: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
rec=$tmp/rec.jsonl

# Two runs appended two sessions: two headers, two snapshots, whole lines.
heads=$(grep -c '^{"type":"header"' "$rec" 2>/dev/null)
snaps=$(grep -c '^{"type":"snapshot"' "$rec" 2>/dev/null)
if [ "$heads" = 2 ] && [ "$snaps" = 2 ] && [ "$(tail -c 1 "$rec" | od -An -c | tr -d ' ')" = '\n' ]; then
	pass "--once --record twice appends two sessions of one snapshot each"
else
	fail "--once --record: $heads headers, $snaps snapshots in $rec"
fi
if python3 -c 'import json,sys; [json.loads(l) for l in open(sys.argv[1])]' "$rec" 2>/dev/null; then
	pass "every line of the recording is JSON (python json.loads)"
else
	fail "a line of the recording is not JSON"
fi

# Replaying gives what the original runs said.
o1=$(summary "$tmp/orig1.json"); o2=$(summary "$tmp/orig2.json")
first_at=$(grep '^{"type":"snapshot"' "$rec" | head -1 | sed 's/^{"type":"snapshot","at":\([0-9]*\).*/\1/')
$BOGUS --once --json --replay "$rec" --at "$first_at" >"$tmp/r1.json" 2>"$tmp/r1.err"; rc=$?
r1=$(summary "$tmp/r1.json")
if [ -n "$o1" ] && [ "$r1" = "$o1" ] && [ $rc = 2 ] && grep -q 'rc1=2' "$tmp/rc1"; then
	pass "--replay --at the first snapshot: same verdict and findings as the run ($r1), exit 2"
else
	fail "--replay --at $first_at: '$r1' (exit $rc) vs original '$o1' ($(cat "$tmp/rc1")) $(head -c 300 "$tmp/r1.err")"
fi
$BOGUS --once --json --replay "$rec" >"$tmp/r2.json" 2>"$tmp/r2.err"; rc=$?
r2=$(summary "$tmp/r2.json")
if [ -n "$o2" ] && [ "$r2" = "$o2" ] && [ $rc = 0 ]; then
	pass "--replay (last snapshot): same verdict and findings as the healthy run ($r2), exit 0"
else
	fail "--replay: '$r2' (exit $rc) vs original '$o2'"
fi
if [ ! -s "$tmp/r1.err" ] && [ ! -s "$tmp/r2.err" ]; then
	pass "an intact recording replays without a warning"
else
	fail "warnings replaying an intact recording: $(cat "$tmp/r1.err" "$tmp/r2.err" | head -c 300)"
fi

# The Markdown export.
$BOGUS --once --replay "$rec" --export "$tmp/pm.md" >/dev/null 2>&1
if grep -q '`ds-no-matching-key` (critical)' "$tmp/pm.md" 2>/dev/null &&
   grep -q '`validators-servfail` (critical)' "$tmp/pm.md" &&
   grep -q '^## Timeline' "$tmp/pm.md" && grep -q 'cleared at' "$tmp/pm.md"; then
	pass "--export: Markdown with the finding ids, a timeline and when they cleared"
else
	fail "--export: $(head -c 400 "$tmp/pm.md" 2>/dev/null)"
fi
if grep -q '^- \*\*Validation recovered:\*\* 20[0-9-]*T' "$tmp/pm.md" 2>/dev/null; then
	pass "--export: validation recovered at the healthy snapshot"
else
	fail "--export: no recovery time ($(grep -i recovered "$tmp/pm.md" 2>/dev/null))"
fi
if ! LC_ALL=C grep -q '[[:cntrl:]]' <(tr -d '\n' <"$tmp/pm.md"); then
	pass "--export: no control byte in the Markdown"
else
	fail "--export: control bytes in the Markdown"
fi
# The export is CommonMark a postmortem can paste: cmark renders it with no
# raw HTML from the data, the DS to publish is a code block (one line, as
# ldns-key2ds prints it with spaces), no HTML entity outside code, and the
# impact section says when it failed, when it recovered and for how long.
if cmark --to html "$tmp/pm.md" >"$tmp/pm.html" 2>"$tmp/cmark.err" &&
   ! grep -q 'raw HTML omitted' "$tmp/pm.html" && [ ! -s "$tmp/cmark.err" ]; then
	pass "--export: cmark renders it, no raw HTML"
else
	fail "--export: cmark: $(head -c 300 "$tmp/cmark.err")"
fi
outside=$(awk '/^```/{c=!c; next} !c' "$tmp/pm.md")
if ! grep -qE '&(lt|gt|amp);' <<<"$outside"; then
	pass "--export: Markdown escaping, no &lt;/&gt;/&amp; outside code"
else
	fail "--export: HTML entities outside code: $(grep -E '&(lt|gt|amp);' <<<"$outside" | head -2)"
fi
if grep -qE '<pre><code>[^<]*example\.test\. [0-9]+ IN DS [0-9]+ 13 2 [0-9a-f]{64}$' "$tmp/pm.html"; then
	pass "--export: the DS to publish is a code block, one line with spaces"
else
	fail "--export: no DS code block: $(grep -n 'IN.DS' "$tmp/pm.md" | head -3)"
fi
if grep -q '^## Impact' "$tmp/pm.md" && grep -q '^- \*\*First failure seen:\*\* 20' "$tmp/pm.md" &&
   grep -q '^- \*\*Recovery:\*\* 20' "$tmp/pm.md" && grep -q '^- \*\*Duration:\*\* [0-9]*h' "$tmp/pm.md" &&
   grep -q '^- \*\*Validating resolvers failed:\*\*' "$tmp/pm.md"; then
	pass "--export: impact (first failure, recovery, duration, resolvers failed)"
else
	fail "--export: impact: $(sed -n '/^## Impact/,/^## Timeline/p' "$tmp/pm.md" | head -8 | tr '\n' ' ')"
fi
$BOGUS --once --replay "$rec" --at "$first_at" >"$tmp/r1.txt" 2>/dev/null
if ! grep -q '\\009' "$tmp/pm.md" "$tmp/r1.txt" &&
   grep -qE '^ +example\.test\. [0-9]+ IN DS [0-9]+ 13 2 [0-9a-f]{64}$' "$tmp/r1.txt"; then
	pass "text report and export: the DS one line with spaces, no \\009"
else
	fail "records not paste-ready: $(grep -n 'DS' "$tmp/r1.txt" | head -3)"
fi

# kill -9 while recording: what is there replays.
killed=$tmp/killed.jsonl
ks=$(grep -c '"type":"snapshot"' "$killed" 2>/dev/null)
$BOGUS --once --replay "$killed" >/dev/null 2>"$tmp/k.err"; rc=$?
if [ "${ks:-0}" -ge 3 ] && [ $rc = 2 ]; then
	pass "a console killed with -9 while recording leaves $ks snapshots that replay (exit 2: bogus)"
else
	fail "killed console: ${ks:-0} snapshots, replay exit $rc: $(head -c 300 "$tmp/k.err")"
fi

# Cut in the middle of the last line: replays up to it, names file and line.
lines=$(wc -l <"$rec")
size=$(stat -c %s "$rec")
last=$(tail -n 1 "$rec" | wc -c)
head -c $((size - last / 2)) "$rec" >"$tmp/cut.jsonl"
$BOGUS --once --json --replay "$tmp/cut.jsonl" >"$tmp/cut.json" 2>"$tmp/cut.err"; rc=$?
if [ $rc = 2 ] && [ "$(summary "$tmp/cut.json")" = "$o1" ] && [ "$(wc -l <"$tmp/cut.err")" = 1 ] &&
   grep -q "cut.jsonl: line $lines: incomplete last line" "$tmp/cut.err"; then
	pass "a recording cut mid-line replays up to the cut; one stderr line names file and line $lines"
else
	fail "cut recording: exit $rc, $(summary "$tmp/cut.json"), stderr: $(head -c 300 "$tmp/cut.err")"
fi
printf 'not json\n' >"$tmp/garbage.jsonl"
$BOGUS --once --replay "$tmp/garbage.jsonl" >/dev/null 2>"$tmp/g.err"; rc=$?
if [ $rc = 3 ] && [ "$(wc -l <"$tmp/g.err")" = 1 ] && grep -q 'garbage.jsonl: line 1' "$tmp/g.err" &&
   grep -q 'no snapshot' "$tmp/g.err"; then
	pass "a recording with no good line: exit 3, names line 1"
else
	fail "garbage recording: exit $rc: $(head -c 300 "$tmp/g.err")"
fi

# The replay console: status line, keys, export (no network needed).
screen() { tmux -L "$sock" capture-pane -p -t t; }
wait_for() {
	local i
	for ((i = 0; i < ${2:-10} * 5; i++)); do
		screen 2>/dev/null | grep -qF -- "$1" && return 0
		sleep 0.2
	done
	return 1
}
tmux -L "$sock" -f /dev/null new-session -d -s t -x 120 -y 30 \
	"cd $tmp && env TERM=xterm-256color $BOGUS --replay $rec --export $tmp/console.md; sleep 30"
if wait_for "REPLAY 1/2" 10 && wait_for "BOGUS" 5; then
	pass "replay console: status says REPLAY 1/2 and the first snapshot is BOGUS"
else
	fail "replay console: $(screen 2>/dev/null | head -3 | tr '\n' ' ')"
fi
tmux -L "$sock" send-keys -t t '>'
if wait_for "REPLAY 2/2" 5 && wait_for "SECURE" 5; then
	pass "replay console: > jumps to the last snapshot, which is SECURE"
else
	fail "replay console after >: $(screen 2>/dev/null | head -2 | tr '\n' ' ')"
fi
tmux -L "$sock" send-keys -t t ','
if wait_for "REPLAY 1/2" 5; then pass "replay console: , steps back"; else fail "replay console: , did not step back"; fi
tmux -L "$sock" send-keys -t t 'e'
for ((i = 0; i < 25; i++)); do [ -s "$tmp/console.md" ] && break; sleep 0.2; done
if grep -q 'ds-no-matching-key' "$tmp/console.md" 2>/dev/null; then
	pass "replay console: e exports the Markdown summary"
else
	fail "replay console: e wrote no summary"
fi
tmux -L "$sock" send-keys -t t 'q'
exit 0
