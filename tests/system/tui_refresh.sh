#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/tui_refresh.sh - the console while a refresh waits on a
# silent server (issue 10): in the healthy world with ns2.example.test.
# dropped silently (nftables: no ICMP, no reset), the status line names the
# server the refresh waits on and for how long ("waiting 2 s on
# 127.0.3.2"), before any verdict, while the resolvers pane fills in with
# the answers that came; "r" (refresh now) during the refresh
# starts it over, and the console still comes to the verdict, blaming the
# silent server; q quits. Bounded waits; prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}

. tests/lab/self.sh
in_lab healthy 180 "tui refresh" "$0" "$@"

if ! nft -f - <<'NFT'
table inet silent {
	chain input {
		type filter hook input priority 0; policy accept;
		ip daddr 127.0.3.2 drop
	}
}
NFT
then
	fail "cannot add the nftables drop rule"
	exit 0
fi
# A budget of 8 s (the lab's is 2 s): the wait stays on screen for seconds,
# even on a loaded machine where the screen is read less often.
tm -f /dev/null new-session -d -s t -x 160 -y 40 \
	"env TERM=xterm-256color $BOGUS ${LAB_BOGUS_ARGS/--timeout 1000/--timeout 4000} --interval 3600; echo EXIT=\$?; sleep 60"
# The silent one, never ns1 (127.0.3.1), whose queries started in the same
# millisecond and were answered: its name stayed on screen for the whole
# budget until the engine compared queries rather than start times.
check "the status line names the silent server it waits on" \
	'refreshing, [0-9]+ queries in flight, waiting [1-9][0-9]* s on 127\.0\.3\.2' 30 -E
# Meanwhile the empty first screen fills in with the resolvers' answers as
# they come (the resolvers reach ns1), said to be no diagnosis yet; no
# verdict is shown before the refresh ends.
check "the resolvers pane shows answers as they arrive, before any verdict" \
	'first refresh under way: resolver answers as they arrive' 10
check "a validated answer is in a cell while the refresh still waits" 'SEC' 10
if screen | grep -qE 'refreshing' && ! screen | grep -qE 'BOGUS|SECURE|DEGRADED'; then
	pass "still refreshing, and no verdict on screen yet"
else
	fail "a verdict (or no refresh) on screen while the first refresh waits"
	screen | sed 's/^/    | /'
fi
tm send-keys -t t r
check "refresh now during the refresh: it starts over, and ends with the verdict" "next in" 60
if screen | grep -q 'first refresh under way'; then
	fail "the live grid is still shown after the refresh was published"
	screen | sed 's/^/    | /'
else
	pass "the live grid gives way to the published refresh"
fi
check "the silent server is blamed (ns-unreachable)" "ns-unreachable"
if screen | grep -q 'waiting [0-9]* s on'; then
	fail "the status line still says it waits after the refresh"
	screen | sed 's/^/    | /'
else
	pass "no wait on the status line once the refresh is done"
fi
tm send-keys -t t q
if wait_for "EXIT=" 10; then pass "quits on q"; else fail "does not quit on q"; fi
