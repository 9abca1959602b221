#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/hostile_network.sh - hostile answers from the network, end to
# end, without the lab: tests/tools/hostile_dns plays root, TLD, zone and
# resolver on loopback inside a private network namespace and answers with
# ESC/OSC sequences, CR, backspace, DEL, C1 and bidi controls in TXT, SOA,
# NS, MX, EDE and NSID, names with \000 and ESC in their labels, 60 KB
# TXT and DNSKEY answers over TCP (and one in a single UDP datagram), and
# a server that never answers over TCP. bogus --once (text and JSON, and
# under valgrind) and the console under tmux must show all of it escaped,
# finish in time and exit 0..2. Also: a world where nothing answers is
# our own vantage ("vantage", exit 3), not "secure"; hostile and FIFO theme files are refused
# with one escaped line, and the --log file stays escaped.
set -u
: "${BOGUS:?BOGUS must name the bogus binary}"
cd "$(dirname "$0")/../.." || exit 3
server="$(dirname "$BOGUS")/tools/hostile_dns"

if [ "${HOSTILE_IN_NS:-}" != 1 ]; then
	if [ ! -x "$server" ]; then
		echo "FAIL: hostile network ($server not built)"
		exit 0
	fi
	# Port 53 on 127.0.0.0/8 is ours only in a namespace of our own.
	if ! unshare -n true 2>/dev/null; then
		echo "FAIL: hostile network (unshare -n failed: needs root)"
		exit 0
	fi
	HOSTILE_IN_NS=1 exec unshare -n bash "$0"
fi

tmp=$(mktemp -d)
tsock="bogus-hostile-$$"
trap 'for s in "$tsock" "$tsock-theme" "$tsock-fifo"; do tmux -L "$s" kill-server 2>/dev/null; done
	kill "$spid" 2>/dev/null; rm -rf "$tmp"' EXIT
ip link set lo up
printf '. 3600 IN DS 4711 13 2 %064d\n' 7 >"$tmp/anchor"
printf '. 3600 IN NS a.root.test.\na.root.test. 3600 IN A 127.0.0.1\n' >"$tmp/hints"
# 127.0.0.1: every authoritative role; 127.0.0.2 (ns2): silent over TCP;
# port 5300: the resolver.
"$server" -t 300 127.0.0.1@53 127.0.0.2@53/silent-tcp 127.0.0.1@5300 >"$tmp/ready" &
spid=$!
for _ in $(seq 50); do [ -s "$tmp/ready" ] && break; sleep 0.1; done
# The anchor is the hostile root's own KSK: our vantage is sane, so that
# bogus judges the zone and the hostile texts reach its findings too (with
# an anchor that is not the root's it would rightly judge nothing).
dig +norec +noall +answer @127.0.0.1 . DNSKEY 2>/dev/null |
	awk '$4 == "DNSKEY" && $5 == 257' >"$tmp/ksk"
[ -s "$tmp/ksk" ] && cp "$tmp/ksk" "$tmp/anchor"
args=(--trust-anchor "$tmp/anchor" --root-hints "$tmp/hints" --canary canary.test
	--resolver hostile=127.0.0.1@5300 --timeout 500 --tries 1 example.test)
# Bytes a terminal obeys: C0 controls but newline, and DEL.
ctl=$'[\x01-\x09\x0b-\x1f\x7f]'
# What a SANITIZER= build prints when it finds something.
sanitizer='ERROR: (Address|Leak|Thread)Sanitizer|WARNING: ThreadSanitizer|runtime error:'

check_run() {	# NAME OUT ERR RC SECONDS
	local name=$1 out=$2 err=$3 rc=$4 secs=$5
	if [ "$rc" -eq 124 ]; then
		echo "FAIL: $name (no result in 60 s)"
	elif [ "$rc" -gt 2 ]; then
		echo "FAIL: $name (exit $rc: $(head -c 300 "$err"))"
	elif LC_ALL=C grep -q "$ctl" "$out"; then
		echo "FAIL: $name (raw control bytes in the output: $(LC_ALL=C grep -n -m1 "$ctl" "$out" | od -c | head -3 | tr -s ' \n' ' '))"
	elif LC_ALL=C grep -q "$ctl" "$err"; then
		echo "FAIL: $name (raw control bytes on stderr)"
	elif grep -qE "$sanitizer" "$err"; then
		echo "FAIL: $name ($(grep -m1 -E "$sanitizer" "$err"))"
	else
		echo "PASS: $name (exit $rc in ${secs} s, $(wc -c <"$out") bytes, no raw control byte)"
	fi
}

start=$SECONDS
timeout 60 "$BOGUS" --once "${args[@]}" >"$tmp/text" 2>"$tmp/text.err"
check_run "hostile answers: --once text" "$tmp/text" "$tmp/text.err" $? $((SECONDS - start))
# The hostile texts did reach the report, as escapes.
for want in 'e\027[7m\000v\013il.example.test.' '\027[2J\027[31mPWNED'; do
	if grep -qF -- "$want" "$tmp/text"; then
		echo "PASS: text report shows $want escaped"
	else
		echo "FAIL: text report lacks $want"
	fi
done

start=$SECONDS
timeout 60 "$BOGUS" --once --json "${args[@]}" >"$tmp/json" 2>"$tmp/json.err"
check_run "hostile answers: --once --json" "$tmp/json" "$tmp/json.err" $? $((SECONDS - start))
if ! jq -e . "$tmp/json" >/dev/null 2>"$tmp/jq.err"; then
	echo "FAIL: JSON report is valid JSON ($(head -c 200 "$tmp/jq.err"))"
elif ! jq -r '.. | strings' "$tmp/json" | LC_ALL=C grep -qF $'\e[2J'; then
	echo "FAIL: JSON report carries the EDE text (no ESC [2J among its strings)"
else
	echo "PASS: JSON report is valid and carries the hostile texts as JSON escapes"
fi

# Hostile data under memcheck: no invalid access, no leak.
# (Not for a SANITIZER= build: its runtime and valgrind exclude each other.)
if command -v valgrind >/dev/null && ! ldd "$BOGUS" | grep -qE 'lib(a|t|ub)san'; then
	timeout 120 valgrind --leak-check=full --errors-for-leak-kinds=definite,indirect \
		--error-exitcode=99 --log-file="$tmp/vg" \
		"$BOGUS" --once --json "${args[@]}" >/dev/null 2>&1
	rc=$?
	if [ "$rc" -le 2 ]; then
		echo "PASS: hostile answers under valgrind: $(grep -m1 'ERROR SUMMARY' "$tmp/vg" | sed 's/^==[0-9]*== //')"
	else
		echo "FAIL: hostile answers under valgrind (exit $rc: $(grep -m3 -E 'Invalid|uninitialised|definitely|indirectly' "$tmp/vg" | tr '\n' ' '))"
	fi
fi

# A world where nothing answers (hints to an address nobody serves): no
# evidence is no reason to say "secure"; no root server answering from here
# is our own network's fault: the vantage verdict, exit 3 (UNKNOWN).
printf '. 3600 IN NS a.root.test.\na.root.test. 3600 IN A 127.0.0.9\n' >"$tmp/hints-dead"
timeout 60 "$BOGUS" --once --json --trust-anchor "$tmp/anchor" --root-hints "$tmp/hints-dead" \
	--resolver dead=127.0.0.9 --timeout 300 --tries 1 example.test >"$tmp/dead" 2>&1
rc=$?
verdict=$(jq -r .verdict "$tmp/dead" 2>/dev/null)
if [ "$rc" -eq 3 ] && [ "$verdict" = vantage ] &&
	[ "$(jq -r '.findings[0].id' "$tmp/dead")" = vantage-offline ]; then
	echo "PASS: nothing answers: verdict vantage (vantage-offline), exit 3"
else
	echo "FAIL: nothing answers (exit $rc, verdict '$verdict', want 3, vantage and vantage-offline)"
fi

# The console: the same world under tmux. Raw escapes would clear the
# screen, set the pane title (OSC 0) or recolour; escaped, they are text.
tmux -L "$tsock" -f /dev/null new-session -d -x 200 -y 60 \
	"TERM=xterm-256color $BOGUS ${args[*]} 2>$tmp/tui.err; echo exited \$? >$tmp/tui.rc; sleep 30"
# wait_screen TEXT: until the pane shows TEXT (15 s); the screen in $tmp/screen.
wait_screen() {
	for _ in $(seq 30); do
		tmux -L "$tsock" capture-pane -p >"$tmp/screen" 2>/dev/null
		grep -qF -- "$1" "$tmp/screen" && return 0
		sleep 0.5
	done
	return 1
}
title() { tmux -L "$tsock" display-message -p '#{pane_title}' 2>/dev/null; }
# A name with ESC and \000 in a label, in the nameservers pane.
if wait_screen 'e\027[7m\000v\013il'; then
	echo "PASS: console shows the hostile NS name escaped"
else
	echo "FAIL: console shows the hostile NS name escaped ($(head -c 300 "$tmp/screen" | tr '\n' ' '))"
fi
# Enter: the resolver detail, with the NSID and EDE texts.
tmux -L "$tsock" send-keys Enter
if ! wait_screen 'EDE 6 DNSSEC Bogus: \027[2J\027[31mPWNED\027]0;owned\007\013\008\008\127\u{009B}31m\u{202E}evil\u{202C}'; then
	echo "FAIL: console detail shows EDE with ESC, C1 and bidi escaped ($(grep -m1 'EDE' "$tmp/screen"))"
elif [ "$(title)" = owned ]; then
	echo "FAIL: console: an OSC sequence from the network set the pane title"
elif ! head -1 "$tmp/screen" | grep -q 'example.test.'; then
	echo "FAIL: console status line lost ($(head -1 "$tmp/screen"))"
else
	echo "PASS: console detail shows EDE and NSID escaped (pane title '$(title)')"
fi
# Back, refresh, and a small window: still drawn whole, status line first.
tmux -L "$tsock" send-keys Escape r
tmux -L "$tsock" resize-window -x 80 -y 24 2>/dev/null
sleep 2
if wait_screen 'BOGUS' && head -1 "$tmp/screen" | grep -q 'example.test.' &&
	[ "$(wc -l <"$tmp/screen")" -le 24 ]; then
	echo "PASS: console redraws after refresh and resize to 80x24"
else
	echo "FAIL: console redraws after refresh and resize ($(head -2 "$tmp/screen" | tr '\n' ' '))"
fi
tmux -L "$tsock" send-keys q
for _ in $(seq 20); do [ -s "$tmp/tui.rc" ] && break; sleep 0.5; done
if [ -s "$tmp/tui.rc" ] && ! LC_ALL=C grep -q "$ctl" "$tmp/tui.err" &&
	! grep -qE "$sanitizer" "$tmp/tui.err"; then
	echo "PASS: console quits on q ($(cat "$tmp/tui.rc"))"
else
	echo "FAIL: console quits on q ($(cat "$tmp/tui.rc" 2>/dev/null || echo 'still running'); $(grep -m1 -E "$sanitizer" "$tmp/tui.err"))"
fi

# Not from the network, but quoted the same way: a theme file with an OSC
# sequence in a colour name gets one escaped line on stderr and exit 3; the
# warning about its unknown role goes to --log escaped too.
printf 'bogus\e[2J = fg=red\nsecure = fg=gr\e]0;owned\aeen\n' >"$tmp/evil.theme"
tmux -L "$tsock-theme" -f /dev/null new-session -d -x 100 -y 20 \
	"TERM=xterm-256color $BOGUS --log $tmp/log --theme $tmp/evil.theme ${args[*]} 2>$tmp/theme.err; echo \$? >$tmp/theme.rc; sleep 30"
for _ in $(seq 20); do [ -s "$tmp/theme.rc" ] && break; sleep 0.5; done
if [ "$(cat "$tmp/theme.rc" 2>/dev/null)" = 3 ] && [ "$(wc -l <"$tmp/theme.err")" -eq 1 ] &&
	grep -qF "'gr\027]0;owned\007een'" "$tmp/theme.err" &&
	grep -qF "unknown role 'bogus\027[2J'" "$tmp/log" &&
	! LC_ALL=C grep -q "$ctl" "$tmp/log"; then
	echo "PASS: hostile theme file: $(cat "$tmp/theme.err")"
else
	echo "FAIL: hostile theme file (exit $(cat "$tmp/theme.rc" 2>/dev/null); $(od -c "$tmp/theme.err" | head -3 | tr -s ' \n' ' '); log: $(od -c "$tmp/log" | head -3 | tr -s ' \n' ' '))"
fi

# A theme that is a FIFO with no writer: refused at once, not a hang.
mkfifo "$tmp/fifo.theme"
rm -f "$tmp/theme.rc"
tmux -L "$tsock-fifo" -f /dev/null new-session -d -x 100 -y 20 \
	"TERM=xterm-256color $BOGUS --theme $tmp/fifo.theme ${args[*]} 2>$tmp/theme.err; echo \$? >$tmp/theme.rc; sleep 30"
for _ in $(seq 20); do [ -s "$tmp/theme.rc" ] && break; sleep 0.5; done
if [ "$(cat "$tmp/theme.rc" 2>/dev/null)" = 3 ] && grep -q 'not a regular file' "$tmp/theme.err"; then
	echo "PASS: theme from a FIFO: $(cat "$tmp/theme.err")"
else
	echo "FAIL: theme from a FIFO ($(cat "$tmp/theme.rc" 2>/dev/null || echo 'no exit in 10 s'): $(cat "$tmp/theme.err"))"
fi
