#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/run.sh - runs the unit tests (cmocka) and the system tests (the lab),
# and ends with one line "N passed, N failed" over both.
#
#   tests/run.sh unit   BIN...
#   tests/run.sh system BOGUS
#   tests/run.sh all    BOGUS BIN...
#
# System tests are tests/system/*.sh. Each gets the bogus binary in $BOGUS and
# prints one line per check: "PASS: what" or "FAIL: what (why)". A script
# that exits non-zero without printing a FAIL counts as one failure.
set -u
cd "$(dirname "$0")/.." || exit 3

# Sanitizer builds (make SANITIZER=...): a UBSan finding fails the test
# that hit it, and known library leaks are suppressed (tests/lsan.supp).
# The clock-skew world runs bogus under faketime, an LD_PRELOAD library that
# ASan would otherwise refuse to follow.
export ASAN_OPTIONS="${ASAN_OPTIONS:-verify_asan_link_order=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
export LSAN_OPTIONS="suppressions=$PWD/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

passed=0
failed=0
failures=()

run_unit() {
	local bin out p f
	for bin in "$@"; do
		out=$("$bin" 2>&1)
		local rc=$?
		printf '%s\n' "$out"
		p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
		f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | awk '{s+=$1} END {print s+0}')
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1	# crashed before cmocka could count
		fi
		passed=$((passed + p))
		failed=$((failed + f))
		[ "$f" -eq 0 ] || failures+=("$(basename "$bin")")
	done
}

# The system tests mostly wait (timeouts, TTLs, servers starting), each in
# its own network namespace, so a few run side by side: BOGUS_TEST_JOBS
# lanes (default 3). The slowest start first so that they do not end last;
# each script's output is printed whole when it ends.
slow_first="lab_scenarios lab_train chain_lab lab_runbooks monitor_lab
	cache_tail_lab valgrind_lab mitigation_lab"

system_scripts() {
	local name
	for name in $slow_first; do
		[ -e "tests/system/$name.sh" ] && echo "tests/system/$name.sh"
	done
	for name in tests/system/*.sh; do
		[ -e "$name" ] || continue
		case " $(echo $slow_first) " in
		*" $(basename "$name" .sh) "*) ;;
		*) echo "$name" ;;
		esac
	done
}

# tally SCRIPT LOG RC SECONDS: prints one script's output and counts it.
tally() {
	local script=$1 log=$2 rc=$3 took=$4 p f
	echo "== $script"
	cat "$log"
	p=$(grep -c '^PASS: ' "$log")
	f=$(grep -c '^FAIL: ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "FAIL: $script exited $rc"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	[ "$f" -eq 0 ] || failures+=("$script")
	# Where the suite's minutes go (make test must stay under 15).
	echo "== $script: $took s"
}

run_system() {
	local jobs=${BOGUS_TEST_JOBS:-3} logs script pid rc n=0
	local -A script_of=() started=() log_of=()
	logs=$(mktemp -d)
	trap 'rm -rf "$logs"' RETURN
	export BOGUS="$(realpath "$1")"
	case "$jobs" in '' | *[!0-9]* | 0) jobs=1 ;; esac
	reap() {
		local done_pid
		wait -n -p done_pid
		rc=$?
		tally "${script_of[$done_pid]}" "${log_of[$done_pid]}" "$rc" \
			$((SECONDS - ${started[$done_pid]}))
		unset "script_of[$done_pid]"
	}
	for script in $(system_scripts); do
		while [ "${#script_of[@]}" -ge "$jobs" ]; do reap; done
		# Named before the start: the child opens it, maybe after we
		# would have renamed it.
		n=$((n + 1))
		bash "$script" >"$logs/$n" 2>&1 </dev/null &
		pid=$!
		log_of[$pid]=$logs/$n
		script_of[$pid]=$script
		started[$pid]=$SECONDS
	done
	while [ "${#script_of[@]}" -gt 0 ]; do reap; done
}

mode=$1
shift
case "$mode" in
unit) run_unit "$@" ;;
system) run_system "$1" ;;
all)
	bogus=$1
	shift
	run_unit "$@"
	run_system "$bogus"
	;;
*) echo "usage: $0 unit|system|all ..." >&2; exit 3 ;;
esac

[ ${#failures[@]} -eq 0 ] || printf 'failed: %s\n' "${failures[*]}"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
