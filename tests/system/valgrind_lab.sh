#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/valgrind_lab.sh - bogus --once and --once --json under
# valgrind (memcheck, full leak check) in the ksk-ds-mismatch lab world,
# where every code path of a bogus diagnosis runs: no invalid access, no use
# of uninitialised memory, no definite or indirect leak, and the verdict is
# still "bogus" (exit 2). Reachable blocks (libunbound and OpenSSL globals)
# are not leaks.
#   VALGRIND_WORLD=healthy   another lab world (its expected exit code).
set -u
cd "$(dirname "$0")/../.." || exit 3
: "${BOGUS:?BOGUS must name the bogus binary}"
if ! command -v valgrind >/dev/null; then
	echo "FAIL: valgrind in the lab (valgrind not installed: make deps)"
	exit 0
fi
if ldd "$BOGUS" | grep -qE 'lib(a|t|ub)san'; then
	echo "SKIP: valgrind in the lab (a SANITIZER= build: the sanitizer checks it)"
	exit 0
fi
world=${VALGRIND_WORLD:-ksk-ds-mismatch}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
timeout 300 tests/lab/lab run "$world" -- sh -c '
	for mode in text json; do
		j=; [ $mode = json ] && j=--json
		valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
			--error-exitcode=99 --log-file="$0/vg-$mode" \
			"$1" --once $j $LAB_BOGUS_ARGS >"$0/out-$mode" 2>"$0/err-$mode"
		echo $? >"$0/rc-$mode"
		echo "$LAB_EXPECT_VERDICT" >"$0/verdict"
	done' "$tmp" "$BOGUS" >"$tmp/lab.log" 2>&1
for mode in text json; do
	rc=$(cat "$tmp/rc-$mode" 2>/dev/null || echo none)
	errors=$(grep -m1 'ERROR SUMMARY' "$tmp/vg-$mode" 2>/dev/null | sed 's/^==[0-9]*== //')
	if [ "$rc" = none ]; then
		echo "FAIL: valgrind --once $mode in $world (did not run: $(tail -n 2 "$tmp/lab.log" | tr '\n' ' '))"
	elif [ "$rc" = 99 ]; then
		echo "FAIL: valgrind --once $mode in $world ($errors; $(grep -m3 -E 'Invalid|uninitialised|definitely|indirectly' "$tmp/vg-$mode" | tr '\n' ' '))"
	elif [ "$rc" -gt 2 ]; then
		echo "FAIL: valgrind --once $mode in $world (exit $rc: $(head -c 200 "$tmp/err-$mode"))"
	elif [ "$mode" = text ] && ! head -1 "$tmp/out-text" | grep -qi -- "$(cat "$tmp/verdict")"; then
		echo "FAIL: valgrind --once text in $world (verdict $(head -1 "$tmp/out-text"), want $(cat "$tmp/verdict"))"
	else
		echo "PASS: valgrind --once $mode in $world: exit $rc, $errors"
	fi
done
exit 0
