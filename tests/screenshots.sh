#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/screenshots.sh - what a newcomer sees first: the console on lab
# worlds (healthy and broken), in several themes and sizes, captured from a
# real terminal (tmux) into screenshots/: NAME.txt (plain), NAME.ans (with
# colour escapes, `cat` it in a terminal) and NAME.png (rendered by
# tests/ansi2png.py). `make screenshots` runs it; every wait is bounded.
set -u
cd "$(dirname "$0")/.." || exit 3
export BOGUS=${BOGUS:-$PWD/bogus}
out=$PWD/screenshots

if [ "${1:-}" != inner ]; then
	mkdir -p "$out"
	for scenario in ${SCENARIOS:-healthy ksk-ds-mismatch ns-inconsistent rrsig-expired rollover-in-progress}; do
		timeout 300 tests/lab/lab run "$scenario" -- bash "$0" inner "$scenario" ||
			echo "screenshots: $scenario failed" >&2
	done
	# The training debrief (README, Training): the scriptable quiz's output.
	BOGUS_TRAIN_SCORES=/dev/null timeout 900 tests/lab/lab train --scenario ksk-ds-mismatch --seed 7 \
		--answer ds-no-matching-key --repair publish-ds | expand | cut -c1-130 >"$out/train-debrief.txt" &&
		/usr/bin/python3 tests/ansi2png.py "$out/train-debrief.txt" "$out/train-debrief.png" 130 \
			"$(wc -l <"$out/train-debrief.txt")" || echo "screenshots: train debrief failed" >&2
	ls "$out"
	exit 0
fi

# ---- inside a lab world: $2 is the scenario ----
scenario=$2
sock=bogus-shot-$$
tm() { tmux -L "$sock" "$@"; }
trap 'tm kill-server 2>/dev/null' EXIT
wait_for() {	# TEXT SECONDS
	local i
	for ((i = 0; i < $2 * 5; i++)); do
		tm capture-pane -p -t s | grep -qF -- "$1" && return 0
		sleep 0.2
	done
	return 1
}
# shot NAME W H THEME [KEYS...]: start, wait for a refresh, press KEYS, capture.
shot() {
	local name=$1 w=$2 h=$3 theme=$4 light=
	shift 4
	tm kill-server 2>/dev/null
	sock=bogus-shot-$$-$name
	local envs="TERM=tmux-256color"
	[ "$theme" = mono ] && envs="$envs NO_COLOR=1"
	tm -f /dev/null new-session -d -s s -x "$w" -y "$h" \
		"env $envs $BOGUS $LAB_BOGUS_ARGS --interval 60 --theme $theme ${extra:-}; sleep 60"
	wait_for " ago " 30 || echo "screenshots: $name: no refresh in 30 s" >&2
	for k in "$@"; do
		tm send-keys -t s "$k"
		sleep 0.4
	done
	sleep 1
	tm capture-pane -p -t s >"$out/$name.txt"
	tm capture-pane -p -e -N -t s >"$out/$name.ans"
	[ "$theme" = light ] && light=--light
	/usr/bin/python3 tests/ansi2png.py "$out/$name.ans" "$out/$name.png" "$w" "$h" $light ||
		echo "screenshots: $name: no PNG" >&2
	tm send-keys -t s q
}

case $scenario in
healthy)
	shot healthy-120x36 120 36 default
	shot healthy-80x24 80 24 default
	;;
rollover-in-progress)
	# Midway: the runbook remembers one KSK as the old one and the other as
	# served everywhere for ten minutes, so the DS wait counts down.
	mapfile -t ksks < <(dig +norec +multi @127.0.3.1 example.test. DNSKEY |
		sed -n 's/.*; KSK; alg = [A-Z0-9]* *; key id = \([0-9]*\).*/\1/p')
	state=$(mktemp)
	printf 'bogus-runbook 1\nkind ksk-rollover\nzone example.test.\ninitialized\nold-key %s\nkey-everywhere %s %s\n' \
		"${ksks[0]}" "${ksks[1]}" "$(($(date +%s) - 600))" >"$state"
	extra="--runbook ksk-rollover --runbook-state $state" \
		shot runbook-ksk-rollover-120x36 120 36 default 4 z
	rm -f "$state" "$state.tmp"
	;;
ns-inconsistent | rrsig-expired)
	shot "$scenario-120x36" 120 36 default 3
	;;
*)
	shot ksk-ds-mismatch-120x36 120 36 default 2
	shot ksk-ds-mismatch-80x24 80 24 default 2
	shot ksk-ds-mismatch-light 120 36 light 2
	shot ksk-ds-mismatch-colorblind 120 36 colorblind 2
	shot ksk-ds-mismatch-high-contrast 120 36 high-contrast 2
	shot ksk-ds-mismatch-mono 120 36 mono 2
	shot ksk-ds-mismatch-detail 120 36 default 5 Enter
	shot ksk-ds-mismatch-help 100 30 default '?'
	# Small terminals: the help scrolled to its cell legend, and the full
	# story behind the compact cells of the first resolver.
	shot ksk-ds-mismatch-help-legend-80x24 80 24 default '?' NPage NPage NPage
	shot ksk-ds-mismatch-resolver-detail-80x24 80 24 default Enter
	# A hand tick and a note on step 4, the DS record line selected.
	shot checklist-ticked-120x36 120 36 default 4 z j j j Space n \
		'registrar ticket 4711' Enter j
	shot ksk-ds-mismatch-200x50 200 50 default
	;;
esac
