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

run_system() {
	local script out rc p f tmp
	tmp=$(mktemp)
	trap 'rm -f "$tmp"' RETURN
	export BOGUS="$(realpath "$1")"
	for script in tests/system/*.sh; do
		[ -e "$script" ] || continue
		echo "== $script"
		local t0=$SECONDS
		# tee to our own stdout: reopening /dev/stderr would clobber a log file
		bash "$script" 2>&1 | tee "$tmp"
		rc=${PIPESTATUS[0]}
		out=$(cat "$tmp")
		p=$(printf '%s\n' "$out" | grep -c '^PASS: ')
		f=$(printf '%s\n' "$out" | grep -c '^FAIL: ')
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
			f=1
			echo "FAIL: $script exited $rc"
		fi
		passed=$((passed + p))
		failed=$((failed + f))
		[ "$f" -eq 0 ] || failures+=("$script")
		# Where the suite's minutes go (make test must stay under 15).
		echo "== $script: $((SECONDS - t0)) s"
	done
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
