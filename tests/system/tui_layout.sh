#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/tui_layout.sh - what a user checks of the console's layout
# and words in a real terminal (tmux), in lab worlds: at 140 columns the
# checklist (the fix) is never cut, the chain takes only what its tree
# needs; the footer and help name all six panes and explain every column;
# the status line says since when the verdict holds; / search finds, moves
# with n/N and marks its matches; the nameservers' table is whole at 120
# columns (six keys too) and keeps address and name whole at 80; a validated NXDOMAIN
# reads the same in wide and compact cells. Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}

if [ "${1:-}" != inner ]; then
	for world in ksk-ds-mismatch healthy dnskey-large; do
		out=$(timeout 240 tests/lab/lab run "$world" -- bash "$0" inner "$world" 2>&1)
		rc=$?
		printf '%s\n' "$out" | grep -E '^(PASS: |FAIL: |    \| )'
		grep -qE '^(PASS|FAIL): ' <<<"$out" ||
			echo "FAIL: tui-layout: lab $world did not run (exit $rc): $(tail -n 5 <<<"$out" | tr '\n' ' ')"
	done
	exit 0
fi

# ---- inside the lab world $2 ----
world=$2
n=0
sock=bogus-lay-$$-$n
. tests/lab/self.sh	# tm, screen, wait_for, check
trap 'tm kill-server 2>/dev/null' EXIT
pass() { echo "PASS: tui-layout: $world: $*"; }
fail() { echo "FAIL: tui-layout: $world: $*"; }
start() {	# start W H
	tm kill-server 2>/dev/null
	n=$((n + 1))
	sock=bogus-lay-$$-$n
	tm -f /dev/null new-session -d -s t -x "$1" -y "$2" \
		"env TERM=xterm-256color $BOGUS $LAB_BOGUS_ARGS --interval 60; echo EXIT=\$?; sleep 60"
	tm set-option -g remain-on-exit on >/dev/null
	wait_for " ago " 30 || fail "no refresh within 30 s at $1x$2"
}
# marked LINE TEXT: on a screen line holding LINE, TEXT is drawn underlined
# (the search mark: the themes draw a match bold, underlined, reversed).
marked() {
	tm capture-pane -p -e -t t | grep -a -F -- "$1" |
		grep -qaP "\e\[(\d+;)*4(;\d+)*m(\e\[[\d;]*m)*\Q$2\E"
}
# The text right of the first column separator on rows FROM..TO (1-based).
right_of_sep() { screen | sed -n "$1,$2p" | sed 's/^[^│]*│//'; }
# The nameservers' pane, its title excepted, trailing blanks stripped.
ns_rows() {
	local top bot
	top=$(screen | grep -n "3 Nameservers" | cut -d: -f1)
	bot=$(screen | grep -n "5 Findings" | cut -d: -f1)
	[ -n "$top" ] && [ -n "$bot" ] && right_of_sep $((top + 1)) $((bot - 1)) | sed 's/ *$//'
}

if [ "$world" = ksk-ds-mismatch ]; then
	start 140 40
	check "the status line says since when: BOGUS for N (since HH:MM)" \
		'BOGUS +for [0-9]+[smhd][0-9]*[mh]? \(since [0-9]{2}:[0-9]{2}\)' 5 -E
	check "the footer names all six panes" "Tab/1-6 pane"
	top=$(screen | grep -n "4 Checklist" | cut -d: -f1)
	bot=$(screen | grep -n "3 Nameservers" | cut -d: -f1)
	if [ -n "$top" ] && [ -n "$bot" ]; then
		cl=$(right_of_sep $((top + 1)) $((bot - 1)))
		if grep -q "…" <<<"$cl"; then
			fail "a checklist line is cut at 140 columns"; sed 's/^/    | /' <<<"$cl"
		else
			pass "no checklist line is cut at 140 columns"
		fi
		# The fix's words are on screen whole: "Who must act: the zone's operator."
		grep -qF "Who must act: the zone's operator." <<<"$cl" &&
			pass "the fix names who must act, uncut" ||
			{ fail "the fix's first line is not on screen whole"; sed 's/^/    | /' <<<"$cl"; }
	else
		fail "checklist or nameservers pane not found at 140x40"; screen | sed 's/^/    | /'
	fi
	# The chain takes what its tree needs, not half the screen.
	sep=$(screen | grep "4 Checklist" | sed 's/│.*//' | LC_ALL=C.UTF-8 wc -L)
	need=$(screen | sed -n "$((top + 1)),$((bot - 1))p" | sed 's/│.*//;s/ *$//' | LC_ALL=C.UTF-8 wc -L)
	if [ "$sep" -lt 70 ] && [ "$sep" -ge "$need" ]; then
		pass "the chain is $sep columns for a $need-column tree (not 70)"
	else
		fail "the chain is $sep columns for a $need-column tree"; screen | sed 's/^/    | /'
	fi
	# Zoomed, the whole checklist is there, nothing cut.
	tm send-keys -t t 4 z
	wait_for "4 Checklist *" 5
	if screen | sed 1,2d | grep -q "…"; then
		fail "the zoomed checklist has a cut line"; screen | sed 's/^/    | /'
	else
		pass "the zoomed checklist has no cut line"
	fi
	tm send-keys -t t Escape '?'
	check "? names panes 4 5 6" "panes: Checklist, Findings, Events"
	check "? documents Space's one exception" "(the one exception: elsewhere Space pages down)"
	tm send-keys -t t NPage NPage NPage NPage
	check "? explains the P/C column" "P/C                 in the Parent's NS set / in the Child's"
	check "? explains the checklist boxes" "[x] done  [!] breaks here"
	# / finds a finding; n and N move between the matches.
	tm send-keys -t t Escape Escape 1 /
	check "/ opens the search input" "search (Enter finds, Esc cancels)"
	tm send-keys -t t -l 'CRIT'
	tm send-keys -t t Enter
	check "/CRIT reports its matches" '"CRIT": 2 lines (n next, N previous)'
	check "/CRIT focuses the findings" "5 Findings *"
	if marked validators-servfail CRIT && marked ds-no-matching-key CRIT; then
		pass "both CRIT matches are marked on their rows"
	else
		fail "a CRIT match is not marked"; tm capture-pane -p -e -t t | grep -a CRIT | cat -v | sed 's/^/    | /'
	fi
	tm send-keys -t t Enter
	check "the first match is selected: its detail is ds-no-matching-key" '^CRIT ds-no-matching-key' 5 -E
	tm send-keys -t t Escape n Enter
	check "n moves to the next: its detail is validators-servfail" '^CRIT validators-servfail' 5 -E
	tm send-keys -t t Escape N Enter
	check "N moves back: its detail is ds-no-matching-key" '^CRIT ds-no-matching-key' 5 -E
	tm send-keys -t t Escape /
	wait_for "search (Enter" 3
	tm send-keys -t t -l 'no such key'
	tm send-keys -t t Enter
	check "a record is found too: the chain's DS line takes the focus" "2 Chain of trust *"
	marked "SHA-256" "NO SUCH KEY" && pass "the match is marked whatever its case" ||
		fail "the chain's NO SUCH KEY is not marked for /no such key"
	tm send-keys -t t Escape
	sleep 0.5
	marked "SHA-256" "NO SUCH KEY" && fail "Esc leaves the search marks on screen" ||
		pass "Esc takes the search marks away"
	tm send-keys -t t /
	wait_for "search (Enter" 3
	tm send-keys -t t -l '<zz&no such>'
	tm send-keys -t t Enter
	check "no match says so, with the text as typed" 'no line holds "<zz&no such>"'
	tm send-keys -t t /
	wait_for "search (Enter" 3
	tm send-keys -t t -l "$(head -c 300 /dev/zero | tr '\0' x)"
	check "the search text is bounded" "a search holds"
	tm send-keys -t t Escape
	# The nameservers' table takes the width its content needs: at 120
	# columns every column whole; at 80 the address and name come first,
	# whole, and only what follows them reaches the edge (… marks it).
	start 120 36
	wait_for "ns2.example.test." 10
	ns=$(ns_rows)
	if grep -qE '^127\.0\.3\.1 .*ns1\.example\.test\.$' <<<"$ns" &&
		grep -qE '^127\.0\.3\.2 .*ns2\.example\.test\.$' <<<"$ns" &&
		grep -q 'serial' <<<"$ns" && ! grep -q "…" <<<"$ns"; then
		pass "120x36: the nameservers' table is whole, names and addresses uncut"
	else
		fail "120x36: the nameservers' table is cut"; sed 's/^/    | /' <<<"$ns"
	fi
	start 80 24
	wait_for "ns2.example.test." 10
	ns=$(ns_rows)
	if grep -qE '^127\.0\.3\.1 +ns1\.example\.test\. ' <<<"$ns" &&
		grep -qE '^127\.0\.3\.2 +ns2\.example\.test\. ' <<<"$ns"; then
		pass "80x24: each server's address and name come first, whole"
	else
		fail "80x24: a server's address or name is not whole"; sed 's/^/    | /' <<<"$ns"
	fi
elif [ "$world" = dnskey-large ]; then
	# Six keys: at 120 columns the table stays whole, the keys read as
	# the first tag and a count (Enter lists them all).
	start 120 36
	wait_for "ns2.example.test." 10
	ns=$(ns_rows)
	if grep -qE '^127\.0\.3\.1 .* [0-9]+ \+5 .*ns1\.example\.test\.$' <<<"$ns" &&
		grep -qE '^127\.0\.3\.2 .*ns2\.example\.test\.$' <<<"$ns" && ! grep -q "…" <<<"$ns"; then
		pass "120x36, six keys: the nameservers' table is whole, the keys as a tag and +5"
	else
		fail "120x36, six keys: the nameservers' table is cut"; sed 's/^/    | /' <<<"$ns"
	fi
else
	# A validated NXDOMAIN: the nx column of a validating resolver.
	start 200 30
	check "wide cells: a validated NXDOMAIN is ✔ NXDOM" "✔ NXDOM" 5
	check "wide cells: our own validator says the same" "(local)  V  ✔ secure" 5
	screen | grep -E '^(unbound|kresd|\(local\))' | grep -q "• NXDOM" &&
		fail "a validator's NXDOMAIN is drawn without AD in wide cells" ||
		pass "no validator's NXDOMAIN reads • (without AD) in wide cells"
	check "the status line says since when: SECURE for" 'SECURE +for [0-9]+s \(since [0-9]{2}:[0-9]{2}\)' 5 -E
	start 80 24
	check "compact cells: the same answer is ✔N" "✔N" 5
fi
