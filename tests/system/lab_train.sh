#!/usr/bin/env bash
# tests/system/lab_train.sh - the scriptable quiz (`lab train`) on every
# training world: the right cause with the fastest safe repair scores and
# exits 0, the repair done to the world brings validation back (dig AD from
# unbound and kresd, delv "fully validated", with the resolvers restarted
# empty); a wrong cause scores 0 and exits 1; the label never names the
# world; each run appends its score line. And one wrong repair with its real
# consequence: removing the DS in ksk-ds-mismatch leaves the zone unsigned in
# delv's eyes; and in the worlds whose fault is not in the zone, the tempting
# wrong repair rejected with the reason. And every lab_break breakage, each
# repaired by lab_fix, in one healthy world (@breaks). TRAIN_LAB_ONLY=NAME
# runs one world (or @breaks). Prints PASS:/FAIL: lines.
# Each world is built once: inside it the scriptable quiz answers about it,
# the wrong cause first, then the right one with its repair; worlds two at a
# time (LAB_JOBS, in_parallel in tests/lab/self.sh), outputs in order.
set -u
self=$(readlink -f "$0")
cd "$(dirname "$self")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}
LAB=tests/lab/lab
. tests/lab/self.sh

pass() { echo "PASS: train: $*"; }
fail() { echo "FAIL: train: $*"; }

# The tempting wrong repair of a world, and what its debrief must say (ERE).
declare -A BAD_REPAIR=([tld-down]=start-server [resolver-stale-anchor]=flush-caches)
declare -A BAD_WHY=(
	[tld-down]='nothing to start.*TLD'
	[resolver-stale-anchor]='same stale anchor fails the same way'
)

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

# In one world: the wrong cause, then the right cause and its repair, each a
# scripted answer about the running world. OUT: the files' prefix.
if [ "${1:-}" = world ]; then
	w=$2 cause=$3 repair=$4 wrong=$5 out=$6
	"$LAB_HOME/train" --scenario "$w" --seed 2 --answer "$wrong" >"$out.wrong" 2>"$out.wrong.err"
	echo $? >"$out.wrong.rc"
	if [ -n "${BAD_REPAIR[$w]:-}" ]; then
		"$LAB_HOME/train" --scenario "$w" --seed 3 --answer "$cause" --repair "${BAD_REPAIR[$w]}" \
			>"$out.bad" 2>"$out.bad.err"
		echo $? >"$out.bad.rc"
	fi
	"$LAB_HOME/train" --scenario "$w" --seed 1 --answer "$cause" --repair "$repair" \
		>"$out.right" 2>"$out.right.err"
	echo $? >"$out.right.rc"
	exit 0
fi

# st [NAME TYPE] - inside a world: what unbound and kresd answer (rcode,
# " ad"), restarted with empty caches; www.example.test. A by default.
st() {
	world_restart_resolvers >/dev/null 2>&1
	local r
	for r in 127.0.10.1 127.0.10.2; do
		dig +time=2 +tries=2 +dnssec "@$r" "${1:-www.example.test.}" "${2:-A}" |
			awk '/status:/ { gsub(",", ""); s = $6 } /flags:/ && / ad/ { ad = " ad" } END { print s ad }'
	done | paste -sd' '
}

# Every breakage lab_break offers, one after the other in one healthy world:
# the finding bogus reports (the catalog world's own cause), what the
# validators say once it is broken (the name that shows it; a
# regular expression: with both servers stopped a resolver may give up
# later than dig waits), and once lab_fix has repaired it the way the
# catalog world's repair does.
if [ "${1:-}" = breaks ]; then
	# The finding ids bogus reports about the world as it is now.
	seen_by_bogus() {
		timeout 60 "$BOGUS" --once --json $LAB_BOGUS_ARGS 2>/dev/null |
			jq -r '[.findings[]?.id] | join(" ")'
	}
	T=$LAB_HOME/train
	. "$LAB_HOME/world.sh"
	. "$LAB_DIR/world.env"
	while IFS='|' read -r name qname qtype broken repair fixed; do
		"$T" break "$name" >/dev/null 2>&1
		b=$(st "$qname" "$qtype")
		seen=$(seen_by_bogus)
		"$T" fix "$repair" >/dev/null 2>&1
		f=$(st "$qname" "$qtype")
		cause=$(. "$LAB_HOME/scenarios/$name.sh"; echo "${EXPECT_FINDINGS%% *}")
		if [[ $b =~ ^$broken$ ]] && [ "$f" = "$fixed" ] && [[ " $seen " == *" $cause "* ]]; then
			echo "PASS: train: breaks: lab_break $name: $qname $qtype $b at unbound and kresd, bogus finds $cause as in the world $name; lab_fix $repair: $f"
		else
			echo "FAIL: train: breaks: lab_break $name: $qname $qtype: want '$broken', got '$b'; bogus: want $cause, got '$seen'; after lab_fix $repair: want '$fixed', got '$f'"
		fi
	done <<'TABLE'
rrsig-expired|www.example.test.|A|SERVFAIL SERVFAIL|resign|NOERROR ad NOERROR ad
rrsig-not-yet-valid|www.example.test.|A|SERVFAIL SERVFAIL|resign|NOERROR ad NOERROR ad
dnskey-not-signed-by-ksk|www.example.test.|A|SERVFAIL SERVFAIL|resign|NOERROR ad NOERROR ad
txt-unsigned|example.test.|TXT|SERVFAIL SERVFAIL|resign|NOERROR ad NOERROR ad
nsec-broken|nonexistent.example.test.|A|SERVFAIL SERVFAIL|resign|NXDOMAIN ad NXDOMAIN ad
ds-wrong-digest|www.example.test.|A|SERVFAIL SERVFAIL|publish-ds|NOERROR ad NOERROR ad
insecure|www.example.test.|A|NOERROR NOERROR|publish-ds|NOERROR ad NOERROR ad
zone-unreachable|www.example.test.|A|(SERVFAIL)? (SERVFAIL)?|start-server|NOERROR ad NOERROR ad
parent-ds-sig-expired|www.example.test.|A|SERVFAIL SERVFAIL|resign-parent|NOERROR ad NOERROR ad
tcp-blocked|www.example.test.|A|SERVFAIL SERVFAIL|open-tcp|NOERROR ad NOERROR ad
TABLE
	# One server of two down: resolvers still answer (from the other); the
	# server itself is silent, and answers again once started.
	"$T" break ns-down >/dev/null 2>&1
	b="$(st) / ns2 $(dig +norec +time=1 +tries=1 @127.0.3.2 example.test. SOA | awk '/status:/ { gsub(",", ""); print $6 }')"
	seen=$(seen_by_bogus)
	"$T" fix start-server >/dev/null 2>&1
	f="$(st) / ns2 $(dig +norec +time=1 +tries=1 @127.0.3.2 example.test. SOA | awk '/status:/ { gsub(",", ""); print $6 }')"
	if [ "$b" = "NOERROR ad NOERROR ad / ns2 " ] && [ "$f" = "NOERROR ad NOERROR ad / ns2 NOERROR" ] &&
		[[ " $seen " == *" ns-unreachable "* ]]; then
		echo "PASS: train: breaks: lab_break ns-down: validators still answer, ns2 silent, bogus finds ns-unreachable; lab_fix start-server: ns2 answers"
	else
		echo "FAIL: train: breaks: lab_break ns-down: '$b', bogus: '$seen'; after lab_fix start-server: '$f'"
	fi
	exit 0
fi

# Instructor mode: a healthy world broken by lab_break (now, and on a timer),
# then repaired by lab_fix; the validators' answers, resolvers restarted empty.
if [ "${1:-}" = instructor ]; then
	T=$LAB_HOME/train
	. "$LAB_HOME/world.sh"
	. "$LAB_DIR/world.env"
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

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export BOGUS_TRAIN_SCORES=$tmp/scores

rc_of() { cat "$1" 2>/dev/null || echo 99; }

# check_bad NAME OUT RC - the right cause with the tempting wrong repair:
# 75/100, the repair named wrong with the world's reason, and it did not
# bring validation back at unbound.
check_bad() {
	local w=$1 out=$2 rc=$3 r=${BAD_REPAIR[$1]}
	if [ "$rc" -eq 0 ] && [ "$(tail -n1 "$out")" = "score 75/100" ] &&
		grep -q "your repair: $r  WRONG" "$out" && grep -Eq "what it does: .*${BAD_WHY[$w]}" "$out" &&
		! grep -q '(unbound): NOERROR ad$' "$out"; then
		pass "$w: $r: right cause, wrong repair (75/100), rejected with the reason, unbound still failing"
	else
		fail "$w: $r: exit $rc; $(grep -E 'your repair|what it does|\(unbound\)|^score' "$out" | tr '\n' ' ')"
	fi
}

# one_world NAME - the world built once, both answers in it, then the checks.
one_world() {
	local w=$1 cause repair wrong rc
	cause=$(. "tests/lab/scenarios/$w.sh"; echo "${EXPECT_FINDINGS%% *}")
	repair=$(tests/lab/train --right "$w" | awk '{ print $1 }')
	wrong=zone-unreachable
	[ "$cause" = zone-unreachable ] && wrong=ns-lame
	timeout 300 $LAB run "$w" -- bash "$self" world "$w" "$cause" "$repair" "$wrong" "$tmp/$w" \
		>"$tmp/$w.lab" 2>&1
	rc=$(rc_of "$tmp/$w.right.rc")
	check_right "$w" "$tmp/$w.right" "$rc" "$repair"
	check_wrong "$w" "$tmp/$w.wrong" "$(rc_of "$tmp/$w.wrong.rc")"
	[ -z "${BAD_REPAIR[$w]:-}" ] || check_bad "$w" "$tmp/$w.bad" "$(rc_of "$tmp/$w.bad.rc")"
	[ "$rc" -eq 0 ] || cat "$tmp/$w.right.err" "$tmp/$w.lab" 2>/dev/null | tail -n 5 | sed 's/^/    /'
}

# A wrong repair in a world of its own (it changes the world): through the
# whole command, world and all.
remove_ds() {
	local rc
	$LAB train --scenario ksk-ds-mismatch --answer ds-no-matching-key --repair remove-ds >"$tmp/rm" 2>&1
	rc=$?
	if [ "$rc" -eq 0 ] && [ "$(tail -n1 "$tmp/rm")" = "score 75/100" ] &&
		grep -q 'your repair: remove-ds  WRONG' "$tmp/rm" && grep -q 'turns the zone insecure' "$tmp/rm" &&
		grep -q 'www.example.test A: ; unsigned answer' "$tmp/rm"; then
		pass "ksk-ds-mismatch: remove-ds: right cause, wrong repair (75/100), the zone unsigned afterwards (delv), the debrief says why"
	else
		fail "ksk-ds-mismatch: remove-ds: exit $rc; $(grep -E 'your repair|delv @|^score' "$tmp/rm" | tr '\n' ' ')"
	fi
}

instructor() {
	local got
	got=$($LAB run healthy -- bash "$self" instructor 2>/dev/null | tail -n1)
	if [ "$got" = "NOERROR ad NOERROR ad|SERVFAIL SERVFAIL|NOERROR ad NOERROR ad|NOERROR ad NOERROR ad" ]; then
		pass "instructor: healthy world, lab_break ksk-ds-mismatch --in 10s: validators SERVFAIL; lab_fix publish-ds: AD again; broken again, lab_fix republish-old-key: AD again"
	else
		fail "instructor: unbound+kresd before|after break|after publish-ds|after republish-old-key: $got"
	fi
}

# Every breakage, in a world of its own: PASS/FAIL lines from inside.
breaks() {
	local out
	out=$($LAB run healthy -- bash "$self" breaks 2>/dev/null)
	if grep -q '^PASS: train: breaks: lab_break ns-down' <<<"$out" || grep -q '^FAIL' <<<"$out"; then
		grep -E '^(PASS|FAIL): ' <<<"$out"
	else
		fail "breaks: the world did not run them: $(tail -n 3 <<<"$out" | tr '\n' ' ')"
	fi
}

job() {
	case $1 in
	@remove-ds) remove_ds ;;
	@instructor) instructor ;;
	@breaks) breaks ;;
	*) one_world "$1" ;;
	esac
}

items=() runs=0
for w in $(tests/lab/train --worlds); do
	[ -n "${TRAIN_LAB_ONLY:-}" ] && [ "$w" != "$TRAIN_LAB_ONLY" ] && continue
	items+=("$w")
	runs=$((runs + 2))
	[ -z "${BAD_REPAIR[$w]:-}" ] || runs=$((runs + 1))
done
if [ -z "${TRAIN_LAB_ONLY:-}" ] || [ "$TRAIN_LAB_ONLY" = ksk-ds-mismatch ]; then
	items+=(@remove-ds)
	runs=$((runs + 1))
fi
[ -n "${TRAIN_LAB_ONLY:-}" ] || items+=(@instructor @breaks)
[ "${TRAIN_LAB_ONLY:-}" != @breaks ] || items=(@breaks)
in_parallel job "${items[@]}"

n=$(wc -l 2>/dev/null <"$BOGUS_TRAIN_SCORES" || echo 0)
[ "$n" -eq "$runs" ] && pass "one score line per run ($n) in \$BOGUS_TRAIN_SCORES" ||
	fail "$n score lines for $runs runs"

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
