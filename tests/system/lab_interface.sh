#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/lab_interface.sh - the lab's contract with the rest of the
# project: scenario definitions that name real finding ids, the environment
# a command gets, its exit status passed on, and nothing left behind (no
# process, no state directory) after a normal end, a failure or a TERM;
# LAB_ALL_RESOLVERS=1 adds four resolvers with working control channels.
set -u
cd "$(dirname "$0")/../.." || exit 3
lab=tests/lab/lab
tmp=$(mktemp -d) || exit 3
trap 'rm -rf "$tmp"' EXIT

pass() { echo "PASS: lab: $*"; }
fail() { echo "FAIL: lab: $*"; }
check() {	# check WHAT CONDITION-STATUS [WHY]
	if [ "$2" -eq 0 ]; then pass "$1"; else fail "$1${3:+ ($3)}"; fi
}

# Every scenario: listed, with a verdict from the set and ids from the catalog.
ids=$(sed -n 's/^[[:space:]]*X([A-Z0-9_]*, "\([a-z0-9-]*\)".*/\1/p' include/diag.h)
listed=$($lab list | awk '{ print $1 }')
for f in tests/lab/scenarios/*.sh; do
	s=$(basename "$f" .sh)
	bad=$(
		EXPECT_VERDICT='' EXPECT_FINDINGS='' DESCRIPTION=''
		LAB_HOME=$PWD/tests/lab	# a world may build on another
		. "$f"
		[ -n "$DESCRIPTION" ] || echo "no DESCRIPTION"
		case $EXPECT_VERDICT in
		secure | insecure | degraded | bogus | unreachable | vantage) ;;
		*) echo "verdict '$EXPECT_VERDICT'" ;;
		esac
		for id in $EXPECT_FINDINGS; do
			grep -qx -- "$id" <<<"$ids" || echo "unknown finding id '$id'"
		done
		declare -F confirm >/dev/null || echo "no confirm()"
		# A planned change: numbered phases from 0, and the hook that makes them.
		if [ -n "${PHASES:-}" ]; then
			declare -F scenario_phase >/dev/null || echo "PHASES without scenario_phase()"
			[ "$(sed -n 's/^\([0-9]*\):.*/\1/p' <<<"$PHASES" | tr '\n' ' ')" = \
				"$(seq -s ' ' 0 $(($(wc -l <<<"$PHASES") - 1))) " ] ||
				echo "PHASES not numbered 0, 1, ... one a line"
		fi
	)
	grep -qx -- "$s" <<<"$listed" || bad="$bad not in 'lab list'"
	check "scenario $s is well defined" "$([ -z "$bad" ]; echo $?)" "$bad"
done

# The environment and the exit status.
$lab run healthy -- bash -c 'env | grep "^LAB_" | sort >"$0/env"; test -s "$LAB_ANCHOR" && test -s "$LAB_HINTS" && touch "$0/files"; exit 7' "$tmp" 2>"$tmp/err"
rc=$?
check "run passes the command's exit status on" "$([ $rc -eq 7 ]; echo $?)" "exit $rc: $(head -c 300 "$tmp/err")"
missing=
for v in LAB_ZONE LAB_ANCHOR LAB_HINTS LAB_CANARY LAB_DECOY LAB_RESOLVERS LAB_DIR LAB_SCENARIO \
	LAB_EXPECT_VERDICT LAB_BOGUS_ARGS LAB_PHASE_CMD; do
	grep -q "^$v=." "$tmp/env" 2>/dev/null || missing="$missing $v"
done
check "run sets the LAB_* environment" "$([ -z "$missing" ]; echo $?)" "missing:$missing"
check "anchor and hints files exist" "$([ -e "$tmp/files" ]; echo $?)"
args=$(sed -n 's/^LAB_BOGUS_ARGS=//p' "$tmp/env")
want="--trust-anchor [^ ]+ --root-hints [^ ]+ --canary dnssec-failed\.test\. --decoy 127\.0\.99\.53 --resolver unbound=127\.0\.10\.1 --resolver kresd=127\.0\.10\.2 --resolver office=127\.0\.10\.3 --timeout 1000 example\.test\.$"
check "LAB_BOGUS_ARGS" "$(grep -Eq -- "^$want" <<<"$args"; echo $?)" "$args"

# left_behind DIR - what of a lab is still there after it ended.
left_behind() {
	local d=$1 what=
	[ -n "$d" ] || { echo "no LAB_DIR seen"; return; }
	[ -e "$d" ] && what="$d"
	pgrep -f -- "$d/" >/dev/null && what="$what processes: $(pgrep -f -- "$d/" | tr '\n' ' ')"
	echo "$what"
}
dir=$(sed -n 's/^LAB_DIR=//p' "$tmp/env")
sleep 0.2
left=$(left_behind "$dir")
check "nothing left after a normal end" "$([ -z "$left" ]; echo $?)" "$left"

# TERM in the middle of the command (as timeout(1) sends it).
# Sent once the command runs: a loaded machine may take seconds to build
# the world, and a TERM before that tests something else.
$lab run healthy -- bash -c 'echo "$LAB_DIR" >"$0/dir"; sleep 60' "$tmp" 2>/dev/null &
tpid=$!
for i in $(seq 600); do [ -s "$tmp/dir" ] && break; sleep 0.1; done
kill -TERM "$tpid" 2>/dev/null
wait "$tpid"
rc=$?
sleep 0.2
left=$(left_behind "$(cat "$tmp/dir" 2>/dev/null)")
check "nothing left after TERM (exit $rc)" "$([ -z "$left" ] && [ $rc -ne 0 ]; echo $?)" "$left"

# Ctrl-C, as a terminal sends it: SIGINT to the whole process group. The
# command gets it and ends; then the world goes down.
setsid $lab run healthy -- bash -c 'echo "$LAB_DIR" >"$0/dir2"; sleep 60' "$tmp" 2>/dev/null &
spid=$!
for i in $(seq 100); do [ -s "$tmp/dir2" ] && break; sleep 0.1; done
kill -INT -- -"$spid" 2>/dev/null
wait "$spid"
rc=$?
sleep 0.2
left=$(left_behind "$(cat "$tmp/dir2" 2>/dev/null)")
check "Ctrl-C ends the command and the world (exit $rc)" "$([ -z "$left" ] && [ $rc -eq 130 ]; echo $?)" "$left"

# The phase command of a planned change: it moves the running world (a new
# serial at ns1 and the parent), refuses a phase that does not exist, and
# the servers it restarted are stopped with the world like the others.
$lab run zsk-rollover -- bash -c 'echo "$LAB_DIR" >"$0/dir3"; echo "$LAB_PHASES" >"$0/phases"
	s0=$(dig +short @127.0.3.1 example.test SOA | cut -d" " -f3)
	"$LAB_PHASE_CMD" 7 2>/dev/null; echo "bad $?" >"$0/phase"
	"$LAB_PHASE_CMD" 1 tld3 2>/dev/null; echo "badserver $?" >>"$0/phase"
	"$LAB_PHASE_CMD" 1 2>/dev/null; echo "good $?" >>"$0/phase"
	s1=$(dig +short @127.0.3.1 example.test SOA | cut -d" " -f3)
	[ $((s0 + 1)) -eq "$s1" ] && echo "serial" >>"$0/phase"
	echo "now $(cat "$LAB_DIR/phase.now")" >>"$0/phase"' "$tmp" 2>"$tmp/err3"
check "phase command: LAB_PHASES" "$(grep -qx '0 1 2 3' "$tmp/phases"; echo $?)" "$(cat "$tmp/phases" 2>/dev/null)"
want=$'bad 2\nbadserver 2\ngood 0\nserial\nnow 1'
check "phase command moves the world, refuses what is not there" \
	"$([ "$(cat "$tmp/phase" 2>/dev/null)" = "$want" ]; echo $?)" \
	"$(tr '\n' ' ' <"$tmp/phase" 2>/dev/null) $(head -c 300 "$tmp/err3")"
sleep 0.2
left=$(left_behind "$(cat "$tmp/dir3" 2>/dev/null)")
check "nothing left after a world changed phase" "$([ -z "$left" ]; echo $?)" "$left"
$lab run healthy -- bash -c '"$LAB_PHASE_CMD" 1 2>/dev/null; echo "$? [$LAB_PHASES]"' >"$tmp/nophase" 2>/dev/null
check "a world without phases says so" "$(grep -qx '2 \[\]' "$tmp/nophase"; echo $?)" "$(cat "$tmp/nophase")"

# The classroom's TTL: every record, the DS at the parent included.
LAB_TTL=30 $lab run healthy -- bash -c 'dig +norec +noall +answer @127.0.3.1 www.example.test A
	dig +norec +noall +answer @127.0.2.1 example.test DS' >"$tmp/ttl" 2>&1
check "LAB_TTL=30: www A and the DS served with TTL 30" \
	"$([ "$(awk '$2 == 30 && ($4 == "A" || $4 == "DS")' "$tmp/ttl" | wc -l)" -eq 2 ]; echo $?)" \
	"$(tr '\n' ' ' <"$tmp/ttl")"
LAB_TTL=abc $lab run healthy -- true 2>"$tmp/ttlerr"
rc=$?
check "LAB_TTL=abc: refused with one line, exit 2" \
	"$([ "$rc" -eq 2 ] && [ "$(wc -l <"$tmp/ttlerr")" -eq 1 ]; echo $?)" "exit $rc: $(cat "$tmp/ttlerr")"

# Two worlds at once, each answering on the same addresses in its namespace.
$lab run ns-down -- dig +short +time=3 @127.0.10.1 www.example.test A >"$tmp/a" 2>/dev/null &
$lab run healthy -- dig +short +time=3 @127.0.10.1 www.example.test A >"$tmp/b" 2>/dev/null
wait
check "two labs at once" "$(grep -q 127.0.5.80 "$tmp/a" && grep -q 127.0.5.80 "$tmp/b"; echo $?)" \
	"$(cat "$tmp/a" "$tmp/b" | tr '\n' ' ')"

# Instructor mode from another terminal: `lab worlds` lists the running
# world, `lab break` (on a timer) and `lab fix` change it from outside its
# namespace; the validator sees both (its cache emptied each time).
# TMPDIR of its own: the only world there, whatever else runs on the machine.
mkdir -p "$tmp/w" "$tmp/none"
TMPDIR=$tmp/w $lab run healthy -- bash -c '. "$LAB_HOME/world.sh"; . "$LAB_DIR/world.env"
	st() { world_restart_resolvers >/dev/null 2>&1
		dig +time=2 +tries=2 @127.0.10.1 www.example.test A | awk "/status:/ { sub(\",\", \"\", \$6); print \$6 }"; }
	until_file() { for i in $(seq 300); do [ -e "$1" ] && return 0; sleep 0.2; done; return 1; }
	echo "$LAB_DIR" >"$0/dir4"
	until_file "$0/broken" || exit 1
	for i in $(seq 300); do	# the timer break done
		proc_alive "$(cat "$LAB_DIR"/pids/break-* 2>/dev/null)" || break
		sleep 0.2
	done
	echo "break $(st)" >"$0/instr"
	touch "$0/checked"
	until_file "$0/fixed" || exit 1
	echo "fix $(st)" >>"$0/instr"' "$tmp" 2>"$tmp/err4" &
wpid=$!
for i in $(seq 300); do [ -s "$tmp/dir4" ] && break; sleep 0.2; done
dir=$(cat "$tmp/dir4" 2>/dev/null)
TMPDIR=$tmp/w $lab worlds >"$tmp/worlds"
check "lab worlds: the running world" "$(grep -q "^$dir healthy [0-9]*$" "$tmp/worlds"; echo $?)" \
	"$(cat "$tmp/worlds") ($dir)"
TMPDIR=$tmp/w $lab break ksk-ds-mismatch --in 1s >"$tmp/brk" 2>&1
rc=$?
touch "$tmp/broken"
for i in $(seq 300); do [ -e "$tmp/checked" ] && break; sleep 0.2; done
TMPDIR=$tmp/none $lab fix publish-ds --world "$dir" >>"$tmp/brk" 2>&1
rc2=$?
touch "$tmp/fixed"
wait "$wpid"
check "lab break --in 1s, lab fix publish-ds, from outside the world: unbound SERVFAIL, then NOERROR" \
	"$([ $rc -eq 0 ] && [ $rc2 -eq 0 ] && [ "$(cat "$tmp/instr" 2>/dev/null)" = $'break SERVFAIL\nfix NOERROR' ]; echo $?)" \
	"exit $rc, $rc2: $(cat "$tmp/instr" "$tmp/brk" 2>/dev/null | tr '\n' ' ') $(tail -n 3 "$tmp/err4")"
TMPDIR=$tmp/none $lab break ksk-ds-mismatch 2>"$tmp/noworld"
rc=$?
check "lab break without a running world: one line, exit 2" \
	"$([ $rc -eq 2 ] && [ "$(wc -l <"$tmp/noworld")" -eq 1 ]; echo $?)" "exit $rc: $(cat "$tmp/noworld")"
sleep 0.2
left=$(left_behind "$dir")
check "nothing left after a world broken from outside" "$([ -z "$left" ]; echo $?)" "$left"

# LAB_ALL_RESOLVERS=1: BIND, Unbound, PowerDNS Recursor and Knot Resolver
# join the world with their control channels at the Debian paths, in the
# world's own mount namespace; bogus asks them; they end with the world.
LAB_ALL_RESOLVERS=1 timeout 120 $lab run healthy -- bash -c '
	echo "LAB_DIR=$LAB_DIR"; echo "R=$LAB_RESOLVERS"
	rndc status >/dev/null 2>&1 && echo ctl-bind
	unbound-control status >/dev/null 2>&1 && echo ctl-unbound
	rec_control ping 2>/dev/null | grep -q pong && echo ctl-pdns
	echo "trust_anchors.insecure" | timeout 5 socat - UNIX-CONNECT:/run/knot-resolver/control/1 >/dev/null 2>&1 && echo ctl-kresd
	"$BOGUS" --once --json $LAB_BOGUS_ARGS | jq -r ".resolvers[] | select(.validating) | .name" | sort | tr "\n" " "; echo
' >"$tmp/all" 2>"$tmp/all.err"
rc=$?
got=$(grep -c '^ctl-' "$tmp/all")
check "LAB_ALL_RESOLVERS=1: rndc, unbound-control, rec_control and kresd's socket answer inside the world" \
	"$([ $rc -eq 0 ] && [ "$got" -eq 4 ]; echo $?)" "exit $rc, $(tr '\n' ' ' <"$tmp/all") $(tail -n 3 "$tmp/all.err")"
check "LAB_ALL_RESOLVERS=1: bogus asks bind, pdns, unbound-ctl and kresd-ctl, and each validates" \
	"$(grep -qx 'bind kresd kresd-ctl pdns unbound unbound-ctl ' "$tmp/all"; echo $?)" "$(tail -n 1 "$tmp/all")"
dir=$(sed -n 's/^LAB_DIR=//p' "$tmp/all")
left=$(left_behind "$dir")
check "LAB_ALL_RESOLVERS=1: nothing left after the world ends" "$([ -z "$left" ] && [ ! -e /run/unbound.ctl ]; echo $?)" \
	"$left $(ls /run/unbound.ctl 2>&1)"

# The host network is not the lab's: the lab's resolver address is not here.
out=$(dig +short +time=1 +tries=1 @127.0.10.1 www.example.test A 2>&1)
check "the world is not on the host network" "$(! grep -q 127.0.5.80 <<<"$out"; echo $?)" "$out"
exit 0
