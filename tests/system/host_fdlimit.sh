#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/host_fdlimit.sh - a descriptor limit is the vantage's problem,
# never the zone's (issue 14), inside the healthy lab world:
#   - hard limit 16: queries wait for descriptors instead of failing; the
#     verdict is secure (exit 0), vantage-local-limit is an info line, and
#     no library message (libunbound's "socketpair: Too many open files")
#     reaches stderr;
#   - hard limit 11: too few to ask anything in time; the verdict is
#     vantage (exit 3, Nagios UNKNOWN), vantage-local-limit says why, and no
#     server or the zone is called unreachable;
#   - the console copes as --once does: under hard limit 20 the zone is
#     secure; under 14 its status line says the fault is on our side, and q
#     exits 0; under hard limit 8 the engine cannot start: one line naming
#     the limit, exit 3.
# The limits sit mid-band (measured: --once is vantage from 9 to 12, the
# console from 13 to 16); libevent and libunbound must never print to
# stderr or end the process (libevent exit()s when it cannot make a socket
# pair: see probe_local_start).
# Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}
. tests/lab/self.sh
in_lab healthy 240 "fd limit" "$0" "$@"

# ---- inside the lab world ----
# summary FILE: "verdict id:severity id:severity ..." of a --json report
summary() {
	python3 -c 'import json,sys
d = json.load(open(sys.argv[1]))
print(d["verdict"], " ".join(f["id"] + ":" + f["severity"] for f in d["findings"]))' "$1" 2>/dev/null
}

(ulimit -n 16 && exec "$BOGUS" --once --json $LAB_BOGUS_ARGS) >"$tmp/16.json" 2>"$tmp/16.err"
rc=$?
s=$(summary "$tmp/16.json")
if [ "$rc" -eq 0 ] && [[ $s == "secure "* ]] && [[ $s == *"vantage-local-limit:info"* ]] &&
	[ ! -s "$tmp/16.err" ]; then
	pass "ulimit -n 16: secure, exit 0, the wait is an info line, stderr empty"
else
	fail "ulimit -n 16: exit $rc, '$s', stderr: $(head -c 300 "$tmp/16.err")"
fi

(ulimit -n 11 && exec "$BOGUS" --once --json $LAB_BOGUS_ARGS) >"$tmp/once11.json" 2>"$tmp/once11.err"
rc=$?
s=$(summary "$tmp/once11.json")
if [ "$rc" -eq 3 ] && [[ $s == "vantage "* ]] && [[ $s == *"vantage-local-limit:critical"* ]] &&
	! grep -q unreachable <<<"$s" && [ ! -s "$tmp/once11.err" ]; then
	pass "ulimit -n 11: vantage (exit 3) for vantage-local-limit, nobody called unreachable, stderr empty"
else
	fail "ulimit -n 11: exit $rc, '$s', stderr: $(head -c 300 "$tmp/once11.err")"
fi
(ulimit -n 11 && exec "$BOGUS" --once $LAB_BOGUS_ARGS) >"$tmp/once11.txt" 2>&1
if grep -q "this host ran short of file descriptors" "$tmp/once11.txt"; then
	pass "ulimit -n 11: the text report says the host ran short of descriptors"
else
	fail "ulimit -n 11: the text report does not say why: $(head -n 3 "$tmp/once11.txt" | tr '\n' ' ')"
fi

# console LIMIT: runs the console under ulimit -n LIMIT in its own tmux
# window and leaves its first screen with a verdict in $screen.
console() {
	local n=$1
	tmux -L "$sock" new-window -t t: -n "c$n" \
		"ulimit -n $n; env TERM=xterm-256color $BOGUS $LAB_BOGUS_ARGS 2>$tmp/con$n.err; echo \$? >$tmp/con$n.rc; sleep 60"
	screen=
	for ((i = 0; i < 300; i++)); do
		screen=$(tmux -L "$sock" capture-pane -p -t "t:c$n")
		grep -Eq "SECURE|VANTAGE|BOGUS|DEGRADED" <<<"$(head -n 1 <<<"$screen")" && break
		[ -e "$tmp/con$n.rc" ] && break
		sleep 0.2
	done
}
# console_quits LIMIT: three more refreshes (each makes a new validator
# context, with sockets, while the engine's threads ask too), then q ends
# the console under LIMIT with exit 0 and nothing on stderr.
console_quits() {
	local n=$1 rc
	for _ in 1 2 3; do
		tmux -L "$sock" send-keys -t "t:c$n" r
		sleep 1.5
	done
	tmux -L "$sock" send-keys -t "t:c$n" q
	wait_file "$tmp/con$n.rc"
	rc=$(cat "$tmp/con$n.rc" 2>/dev/null)
	if [ "$rc" = 0 ] && [ ! -s "$tmp/con$n.err" ]; then
		pass "console under ulimit -n $n: three refreshes, then q exits 0, stderr empty"
	else
		fail "console under ulimit -n $n: exit '${rc:-none}' after q, stderr: $(head -c 300 "$tmp/con$n.err")"
	fi
}
tmux -L "$sock" -f /dev/null new-session -d -s t -n idle -x 160 -y 40 "sleep 600"

console 20
if grep -q "SECURE" <<<"$(head -n 1 <<<"$screen")"; then
	pass "console under ulimit -n 20: SECURE, as --once says with fewer"
else
	fail "console under ulimit -n 20: exit $(cat "$tmp/con20.rc" 2>/dev/null), stderr: $(head -c 300 "$tmp/con20.err"), screen: $(head -n 2 <<<"$screen" | tr '\n' ' ')"
fi
console_quits 20

console 14
if grep -q "VANTAGE.*the fault is on our side" <<<"$screen"; then
	pass "console under ulimit -n 14: VANTAGE, the fault is on our side"
else
	fail "console under ulimit -n 14: exit $(cat "$tmp/con14.rc" 2>/dev/null), stderr: $(head -c 300 "$tmp/con14.err"), screen: $(head -n 2 <<<"$screen" | tr '\n' ' ')"
fi
console_quits 14

tmux -L "$sock" new-window -t t \
	"ulimit -n 8; env TERM=xterm-256color $BOGUS $LAB_BOGUS_ARGS 2>$tmp/8.err; echo \$? >$tmp/8.rc"
wait_file "$tmp/8.rc"
rc=$(cat "$tmp/8.rc" 2>/dev/null)
if [ "$rc" = 3 ] && [ "$(wc -l <"$tmp/8.err")" -eq 1 ] && grep -q "ulimit -n" "$tmp/8.err"; then
	pass "console under ulimit -n 8: exit 3, one line: $(cat "$tmp/8.err")"
else
	fail "console under ulimit -n 8: exit '${rc:-none}', stderr: $(head -c 300 "$tmp/8.err")"
fi
