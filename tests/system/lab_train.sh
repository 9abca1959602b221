#!/usr/bin/env bash
# tests/system/lab_train.sh - the scriptable quiz (`lab train`) on every
# training world: the right cause with the fastest safe repair scores and
# exits 0, the repair done to the world brings validation back (dig AD from
# unbound and kresd, delv "fully validated", with the resolvers restarted
# empty); a wrong cause scores 0 and exits 1; the label never names the
# world; each run appends its score line. And one wrong repair with its real
# consequence: removing the DS in ksk-ds-mismatch leaves the zone unsigned in
# delv's eyes. TRAIN_LAB_ONLY=NAME runs one world. Prints PASS:/FAIL: lines.
set -u
self=$(readlink -f "$0")
cd "$(dirname "$self")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}
LAB=tests/lab/lab
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export BOGUS_TRAIN_SCORES=$tmp/scores

pass() { echo "PASS: train: $*"; }
fail() { echo "FAIL: train: $*"; }

# The repairs that change nothing in the world (advice): no validation check.
advice_only() { case $1 in escalate | algorithm-rollover) return 0 ;; esac; return 1; }

# check_right NAME OUT RC - the right answer's run.
check_right() {
	local w=$1 out=$2 rc=$3 last label
	last=$(tail -n1 "$out")
	label=$(sed -n '1s/^world \(world-[0-9a-f]*\) .*/\1/p' "$out")
	if [ "$rc" -eq 0 ] && [[ $last =~ ^score\ ([0-9]+)/100$ ]] && [ "${BASH_REMATCH[1]}" -ge 85 ]; then
		pass "$w: right cause and repair: exit 0, $last"
	else
		fail "$w: right cause and repair: exit $rc, last line '$last'"
	fi
	if [ -n "$label" ] && ! grep -q "^world .*$w" <(head -n1 "$out"); then
		pass "$w: neutral label $label"
	else
		fail "$w: label line '$(head -n1 "$out")'"
	fi
	grep -q '^THE CLASSIC COMMANDS' "$out" && grep -q '^EVIDENCE' "$out" &&
		grep -q '^THE CACHE TAIL' "$out" && pass "$w: debrief has evidence, classic commands, cache tail" ||
		fail "$w: debrief sections missing"
	advice_only "$4" && return
	if grep -q '(unbound): NOERROR ad$' "$out" && grep -q '(kresd): NOERROR ad$' "$out" &&
		grep -q 'www.example.test A: ; fully validated' "$out"; then
		pass "$w: after lab_fix $4: unbound and kresd NOERROR AD, delv fully validated"
	else
		fail "$w: after lab_fix $4: $(sed -n '/^AFTER THE REPAIR/,/^$/p' "$out" | tr '\n' ' ')"
	fi
}

# check_wrong NAME OUT RC
check_wrong() {
	local w=$1 out=$2 rc=$3
	if [ "$rc" -eq 1 ] && [ "$(tail -n1 "$out")" = "score 0/100" ] && grep -q 'WRONG: the cause is' "$out"; then
		pass "$w: wrong cause: exit 1, score 0/100, the right cause named"
	else
		fail "$w: wrong cause: exit $rc, last line '$(tail -n1 "$out")'"
	fi
}

# Instructor mode: a healthy world broken by lab_break (now, and on a timer),
# then repaired by lab_fix; the validators' answers, resolvers restarted empty.
if [ "${1:-}" = instructor ]; then
	T=$LAB_HOME/train
	. "$LAB_HOME/world.sh"
	. "$LAB_DIR/world.env"
	st() {
		world_restart_resolvers >/dev/null 2>&1
		echo "$(dig +time=2 +tries=2 +dnssec @127.0.10.1 www.example.test. A |
			awk '/status:/ { gsub(",", ""); s = $6 } /flags:/ && / ad/ { ad = " ad" } END { print s ad }')" \
			"$(dig +time=2 +tries=2 +dnssec @127.0.10.2 www.example.test. A |
			awk '/status:/ { gsub(",", ""); s = $6 } /flags:/ && / ad/ { ad = " ad" } END { print s ad }')"
	}
	a=$(st)
	"$T" break ksk-ds-mismatch --in 10s >/dev/null
	pid=$(ls "$LAB_DIR/pids" | sed -n 's/^break-//p')
	for i in $(seq 300); do proc_alive "$pid" || break; sleep 0.2; done	# the break done
	b=$(st)
	"$T" fix publish-ds >/dev/null 2>&1
	c=$(st)
	"$T" break ksk-ds-mismatch >/dev/null 2>&1
	"$T" fix republish-old-key >/dev/null 2>&1
	d=$(st)
	echo "$a|$b|$c|$d"
	exit 0
fi

runs=0
for w in $("tests/lab/train" --worlds); do
	[ -n "${TRAIN_LAB_ONLY:-}" ] && [ "$w" != "$TRAIN_LAB_ONLY" ] && continue
	cause=$(. "tests/lab/scenarios/$w.sh"; echo "${EXPECT_FINDINGS%% *}")
	repair=$(tests/lab/train --right "$w" | awk '{ print $1 }')
	wrong=zone-unreachable
	[ "$cause" = zone-unreachable ] && wrong=ns-lame
	# Two worlds at once: each is its own namespace.
	$LAB train --scenario "$w" --seed 1 --answer "$cause" --repair "$repair" >"$tmp/$w.right" 2>"$tmp/$w.right.err" &
	p1=$!
	$LAB train --scenario "$w" --seed 2 --answer "$wrong" >"$tmp/$w.wrong" 2>"$tmp/$w.wrong.err" &
	p2=$!
	wait "$p1"; rc1=$?
	wait "$p2"; rc2=$?
	runs=$((runs + 2))
	check_right "$w" "$tmp/$w.right" "$rc1" "$repair"
	check_wrong "$w" "$tmp/$w.wrong" "$rc2"
	[ "$rc1" -eq 0 ] || sed 's/^/    /' "$tmp/$w.right.err" | tail -n 5
done

if [ -z "${TRAIN_LAB_ONLY:-}" ] || [ "$TRAIN_LAB_ONLY" = ksk-ds-mismatch ]; then
	$LAB train --scenario ksk-ds-mismatch --answer ds-no-matching-key --repair remove-ds >"$tmp/rm" 2>&1
	rc=$?
	runs=$((runs + 1))
	if [ "$rc" -eq 0 ] && [ "$(tail -n1 "$tmp/rm")" = "score 75/100" ] &&
		grep -q 'your repair: remove-ds  WRONG' "$tmp/rm" && grep -q 'turns the zone insecure' "$tmp/rm" &&
		grep -q 'www.example.test A: ; unsigned answer' "$tmp/rm"; then
		pass "ksk-ds-mismatch: remove-ds: right cause, wrong repair (75/100), the zone unsigned afterwards (delv), the debrief says why"
	else
		fail "ksk-ds-mismatch: remove-ds: exit $rc; $(grep -E 'your repair|delv @|^score' "$tmp/rm" | tr '\n' ' ')"
	fi
fi

n=$(wc -l <"$BOGUS_TRAIN_SCORES" 2>/dev/null || echo 0)
[ "$n" -eq "$runs" ] && pass "one score line per run ($n) in \$BOGUS_TRAIN_SCORES" ||
	fail "$n score lines for $runs runs"

if [ -z "${TRAIN_LAB_ONLY:-}" ]; then
	got=$($LAB run healthy -- bash "$self" instructor 2>/dev/null | tail -n1)
	if [ "$got" = "NOERROR ad NOERROR ad|SERVFAIL SERVFAIL|NOERROR ad NOERROR ad|NOERROR ad NOERROR ad" ]; then
		pass "instructor: healthy world, lab_break ksk-ds-mismatch --in 10s: validators SERVFAIL; lab_fix publish-ds: AD again; broken again, lab_fix republish-old-key: AD again"
	else
		fail "instructor: unbound+kresd before|after break|after publish-ds|after republish-old-key: $got"
	fi
fi

# The shipped recordings play back without root or network, with the debrief as Markdown.
for s in provider-migration ksk-ds-mismatch ds-wrong-digest; do
	md=$tmp/$s.md
	if tests/lab/train --replay "$s" --export "$md" >/dev/null 2>&1 &&
		grep -q "^# Training story: $s" "$md" && grep -q '^## Questions' "$md" &&
		grep -q 'verdict | verdict bogus |' "$md" && grep -q 'Last verdict:\*\* secure' "$md"; then
		pass "replay $s: story, questions, the outage (bogus) and the recovery (secure) in the Markdown debrief"
	else
		fail "replay $s: $(head -c 300 "$md" 2>/dev/null)"
	fi
done
