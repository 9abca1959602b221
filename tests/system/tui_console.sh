#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/tui_console.sh - the real console in a real terminal (tmux)
# inside the ksk-ds-mismatch lab world: the panes are there, the broken
# link shows the key tags dig sees, the keys move focus and open views,
# resizes keep a sane screen, and q, SIGTERM and errors restore the terminal.
# Every wait is bounded. Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}

. tests/lab/self.sh
in_lab ksk-ds-mismatch 240 "tui" "$0" "$@"

# ---- inside the lab world ----
n=0
sock=bogus-tui-$$-$n
cleanup() { tm kill-server 2>/dev/null; rm -f "$tmp"/*; rmdir "$tmp" 2>/dev/null; }
trap cleanup EXIT
# wait_gone TEXT [SECONDS]: TEXT has left the screen (the key was handled);
# checking for absence at once would race the console.
wait_gone() {
	local i
	for ((i = 0; i < ${2:-5} * 5; i++)); do
		screen | grep -qF -- "$1" || return 0
		sleep 0.2
	done
	return 1
}
# start W H ENV...: the console in a fresh tmux session; the shell reports
# the exit code and whether the terminal came back (alternate screen off).
start() {
	local w=$1 h=$2
	shift 2
	tm kill-server 2>/dev/null
	n=$((n + 1))
	sock=bogus-tui-$$-$n	# a fresh server: no race with the old one
	tm -f /dev/null new-session -d -s t -x "$w" -y "$h" \
		"env $* $BOGUS $LAB_BOGUS_ARGS --interval 60; echo EXIT=\$?; sleep 60"
	tm set-option -g remain-on-exit on >/dev/null
}

# What dig sees: the DS tag the parent publishes, the KSK the child serves.
ds_tag=$(dig +norec +short @127.0.2.1 example.test. DS | awk 'NR == 1 { print $1 }')
ksk_tag=$(dig +norec +multi @127.0.3.1 example.test. DNSKEY |
	sed -n 's/.*; KSK; alg = [A-Z0-9]* *; key id = \([0-9]*\).*/\1/p' | head -1)
[ -n "$ds_tag" ] && [ -n "$ksk_tag" ] && [ "$ds_tag" != "$ksk_tag" ] ||
	fail "dig could not read the DS ($ds_tag) and KSK ($ksk_tag) tags"

start 80 24 TERM=xterm-256color
if wait_for " ago " 30; then pass "first refresh shown in the status line"; else fail "no refresh within 30 s"; fi
all=yes
for t in "1 Resolvers" "2 Chain of trust" "3 Nameservers" "4 Checklist" "5 Findings" "6 Events"; do
	screen | grep -qF "$t" || { all=no; fail "pane title \"$t\" missing at 80x24"; }
done
[ $all = yes ] && pass "all six pane titles at 80x24"
check "verdict badge with a word, not colour alone" "BOGUS"
check "the broken link: DS $ds_tag at the parent matches no key" "DS $ds_tag/13 SHA-256 → ✘ NO SUCH KEY"
check "the served KSK $ksk_tag has no DS" "KSK $ksk_tag/13 signs DNSKEY NO DS"
check "resolvers: validators fail validation, with EDE (compact cells)" "kresd    V  ✘6  ✘6" 5
check "resolvers: every probed column fits at 80x24 (_dmarc, nx, MX host)" "TXT A   4A  TXT A   A   4A"
check "resolvers: non-validating office marked" "office   nv"
check "findings strip names the finding" "ds-no-matching-key"
# The broken link is drawn with the broken role: reverse/colour in -e output.
if tm capture-pane -p -e -t t | grep -F "NO SUCH KEY" | grep -q $'\e\\['; then
	pass "broken link is highlighted (attributes around it)"
else
	fail "broken link has no attributes"
fi
w=$(screen | LC_ALL=C.UTF-8 wc -L)
[ "$w" -le 80 ] && pass "no line wider than the terminal ($w)" || fail "a line is $w wide on 80 columns"

tm send-keys -t t Tab
check "Tab moves the focus to the chain" "2 Chain of trust *"
tm send-keys -t t 3
check "3 focuses the nameservers" "3 Nameservers *"
tm send-keys -t t BTab
check "Shift-Tab goes back" "2 Chain of trust *"
tm send-keys -t t 4 z
check "z zooms the checklist" "4 Checklist *"
if wait_gone "1 Resolvers" 5; then pass "zoom shows one pane"; else fail "zoom still shows other panes"; fi
tm send-keys -t t Escape
check "Esc leaves the zoom" "1 Resolvers"
tm send-keys -t t 2 G Enter
check "Enter opens the detail of the selected row" "Detail: Chain of trust"
check "the detail shows the DS record in presentation format" "IN DS $ds_tag 13 2"
tm send-keys -t t Escape
check "Esc closes the detail" "1 Resolvers"
tm send-keys -t t '?'
check "? shows the help" "Keys (arrows scroll, other keys close)"
check "the help lists every key" "pause / resume refreshing"
check "the help says there is more below" "more below: Down, PgDn"
tm send-keys -t t NPage
check "PgDn scrolls the help to the cell legend" "BOGUS e6 / ✘6"
check "scrolled, the help says there is more above" "more above"
tm send-keys -t t x
if wait_gone "Keys (arrows scroll" 5; then pass "any other key closes the help"; else fail "help did not close"; fi
tm send-keys -t t p
check "p pauses" "PAUSED"
tm send-keys -t t p
check "p resumes" "LIVE"

# A change between refreshes: the office resolver dies, r refreshes now,
# the event log says what flipped and the cell is highlighted for a moment.
kill "$(cat "$LAB_DIR/pids/office")" 2>/dev/null
tm send-keys -t t r
check "r refreshes now and the event log shows office flipping" "[0-9][0-9] office " 20 -E
hl=no
for ((i = 0; i < 10; i++)); do
	tm capture-pane -p -e -t t | grep -F "office" | grep -qE $'\e\\[([0-9;]*;)?43m' && { hl=yes; break; }
	sleep 0.2
done
[ $hl = yes ] && pass "the changed cell is highlighted" || fail "no highlight on the changed cell"
if wait_for "office   ?  ✘" 5 && screen | grep -qE "office   \?  (✘[TX]  ){12}✘[TX]"; then
	pass "the office row flips to a failure, validation unknown"
else
	fail "office row did not flip"; screen | sed 's/^/    | /'
fi
check "the event log shows the newest event on top" "6 Events  1-"

tm send-keys -t t t '?'
check "t switches to the next theme" "theme: high-contrast"
tm send-keys -t t Escape

tm resize-window -t t -x 50 -y 20
check "50x20: one pane at a time" "2 Chain of trust *"
# Until it holds (5 s): a capture may catch the redraw half done (CI once
# saw a second pane title, the old frame's, under the new one).
for ((i = 0; i < 25; i++)); do
	w=$(screen | LC_ALL=C.UTF-8 wc -L)
	n=$(screen | grep -cE '[0-9] (Resolvers|Chain of trust|Nameservers|Checklist)')
	[ "$w" -le 50 ] && [ "$n" -eq 1 ] && break
	sleep 0.2
done
[ "$w" -le 50 ] && [ "$n" -eq 1 ] && pass "50x20 stays sane (width $w, $n pane)" ||
	{ fail "50x20: width $w, $n panes"; screen | sed 's/^/    | /'; }
tm resize-window -t t -x 15 -y 3
check "15x3: says the terminal is too small" "terminal too"
tm resize-window -t t -x 200 -y 60
check "200x60: back to all panes" "6 Events"
check "200x60: the wide resolver table" "@ DNSKEY"
check "200x60: wide cells with words" "✘ BOGUS e"
check "200x60: the findings strip says who must act" "who: zone-operator"
tm send-keys -t t 5 Enter
check "the finding's detail names who must act" "who must act   the zone's operator"
tm send-keys -t t Escape

tm send-keys -t t q
if wait_for "EXIT=0" 10; then pass "q quits with exit 0 on a bogus world (quitting is no failure)"; else fail "q did not quit with 0"; screen | tail -3; fi
[ "$(tm display -p -t t '#{alternate_on}')" = 0 ] && pass "q restores the terminal (alternate screen off)" ||
	fail "alternate screen still on after q"

# SIGTERM: the flag, the loop, endwin.
start 80 24 TERM=xterm-256color
wait_for "1 Resolvers" 10
pid=$(pgrep -P "$(tm display -p -t t '#{pane_pid}')" || true)
if [ -n "$pid" ]; then
	kill -TERM "$pid"
	if wait_for "EXIT=143" 10 && [ "$(tm display -p -t t '#{alternate_on}')" = 0 ]; then
		pass "SIGTERM ends the console (exit 143) and restores the terminal"
	else
		fail "SIGTERM did not restore the terminal"
	fi
else
	fail "could not find the console's pid"
fi

# SIGINT (Ctrl-C) the same way.
start 80 24 TERM=xterm-256color
wait_for "1 Resolvers" 10
tm send-keys -t t C-c
if wait_for "EXIT=0" 10 && [ "$(tm display -p -t t '#{alternate_on}')" = 0 ]; then
	pass "Ctrl-C ends the console (exit 0) and restores the terminal"
else
	fail "Ctrl-C did not restore the terminal"
fi

# No colour (NO_COLOR, or a terminal without): attributes only.
for envs in "TERM=xterm-256color NO_COLOR=1" "TERM=vt100"; do
	start 80 24 $envs
	wait_for "1 Resolvers" 10
	if ! wait_for "BOGUS" 30; then
		fail "$envs: no verdict"
	elif tm capture-pane -p -e -t t | grep -qE $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5|48;5|9[0-7]|10[0-7])[;m]'; then
		fail "$envs: still shows colours"
	elif ! tm capture-pane -p -e -t t | grep -F "NO SUCH KEY" | grep -qE $'\e\\[([0-9;]*;)?7[;m]'; then
		fail "$envs: the broken link is not in reverse video"
	else
		pass "$envs: no colour, the broken link in reverse video"
	fi
	tm send-keys -t t q
done

# ASCII terminal: no UTF-8 bytes in tree lines and marks.
start 80 24 TERM=xterm LANG=C LC_ALL=C
if wait_for " ago " 30 && wait_for "|-DS $ds_tag/13 SHA-256 -> x NO SUCH KEY" 5; then
	pass "C locale: ASCII tree and marks"
else
	fail "C locale: no ASCII tree"; screen | sed 's/^/    | /'
fi
tm send-keys -t t q

# Refusals: clean messages, exit 3, no curses left behind.
start 80 24 TERM=no-such-terminal
if wait_for "EXIT=3" 10 && wait_for "unknown terminal type" 1; then
	pass "unknown TERM: message and exit 3"
else
	fail "unknown TERM"; screen | sed 's/^/    | /'
fi
printf 'bogus = fg=red\nsecure = fg=grean\n' >"$tmp/bad.theme"
tm kill-server
sock=bogus-tui-$$-theme
tm -f /dev/null new-session -d -s t -x 80 -y 24 \
	"$BOGUS $LAB_BOGUS_ARGS --theme $tmp/bad.theme; echo EXIT=\$?; sleep 60"
if wait_for "EXIT=3" 10 && wait_for "bad.theme:2: unknown colour 'grean'" 1; then
	pass "bad theme file: file:line and exit 3"
else
	fail "bad theme file"; screen | sed 's/^/    | /'
fi
"$BOGUS" $LAB_BOGUS_ARGS </dev/null >"$tmp/out" 2>&1
rc=$?
[ $rc -eq 3 ] && grep -q -- "--once" "$tmp/out" && pass "not a terminal: exit 3 pointing to --once" ||
	fail "not a terminal: exit $rc: $(head -c 200 "$tmp/out")"
exit 0
