# SPDX-License-Identifier: BSD-3-Clause
# tests/lab/self.sh - sourced by a system test that runs itself inside a lab
# world:
#   . tests/lab/self.sh
#   in_lab WORLD SECONDS TAG "$0" "$@"
# Called without the argument "inner", in_lab runs "SCRIPT inner" inside
# WORLD (bounded by SECONDS), passes its PASS:/FAIL:/SKIP: lines (and
# screen dumps indented "    | ") on, says FAIL when the lab did not run,
# and exits 0. Inside the world it returns and the script goes on, with
# pass/fail (lines tagged TAG), a scratch directory $tmp and a tmux server
# $sock, both removed at exit.
in_lab() {
	local world=$1 limit=$2 tag=$3 script=$4 out rc
	shift 4
	if [ "${1:-}" = inner ]; then
		lab_tag=$tag
		tmp=$(mktemp -d)
		sock=bogus-test-$$
		trap 'tmux -L "$sock" kill-server 2>/dev/null; rm -rf "$tmp"' EXIT
		return 0
	fi
	out=$(timeout "$limit" tests/lab/lab run "$world" -- bash "$script" inner 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -E '^(PASS: |FAIL: |SKIP: |    \| )'
	grep -qE '^(PASS|FAIL): ' <<<"$out" ||
		echo "FAIL: $tag: lab did not run (exit $rc): $(tail -n 5 <<<"$out" | tr '\n' ' ')"
	exit 0
}

pass() { echo "PASS: $lab_tag: $*"; }
fail() { echo "FAIL: $lab_tag: $*"; }

# wait_file FILE [SECONDS]: until FILE is there and not empty (default 10 s).
wait_file() {
	local i
	for ((i = 0; i < ${2:-10} * 5; i++)); do
		[ -s "$1" ] && return 0
		sleep 0.2
	done
	return 1
}

# in_parallel FUNC ITEM...: runs "FUNC ITEM" for each ITEM, LAB_JOBS at a
# time (default 2: lab worlds mostly wait on timers, not on the CPU), and
# prints their outputs in the order of the ITEMs.
in_parallel() {
	local fn=$1 dir item i=0
	shift
	dir=$(mktemp -d)
	for item in "$@"; do
		"$fn" "$item" >"$dir/$i" 2>&1 &
		i=$((i + 1))
		while [ "$(jobs -rp | wc -l)" -ge "${LAB_JOBS:-2}" ]; do
			wait -n
		done
	done
	wait
	for ((i = 0; i < $#; i++)); do
		cat "$dir/$i"
	done
	rm -rf "$dir"
}

# The console in tmux, for tests that drive it: the session "t" of the
# test's own tmux server $sock.
tm() { tmux -L "$sock" "$@"; }
screen() { tm capture-pane -p -t t; }
# wait_for TEXT [SECONDS [-E]]: until the screen shows TEXT (a fixed string,
# or an extended regex with -E); default 10 s.
wait_for() {
	local i
	for ((i = 0; i < ${2:-10} * 5; i++)); do
		screen | grep -q "${3:--F}" -- "$1" && return 0
		sleep 0.2
	done
	return 1
}
# check WHAT TEXT [SECONDS [-E]]: PASS if the screen comes to show TEXT
# (default 5 s), else FAIL with the screen.
check() {
	if wait_for "$2" "${3:-5}" "${4:--F}"; then
		pass "$1"
	else
		fail "$1 (no \"$2\" on screen)"
		screen | sed 's/^/    | /'
	fi
}
