#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/completions_lab.sh - the lab's completions, as bash runs
# them (completions/lab.bash sourced, COMP_WORDS as bash splits the line),
# and zsh's (completions/_lab, through compinit in a pty):
# `tests/lab/lab run|shell <Tab>` and `make demo SCENARIO=<Tab>` offer
# exactly the scenarios `tests/lab/lab list` prints; `lab train --scenario`
# the training worlds, `--replay` the recorded incidents, `lab fix` the
# repair options. No lab is started. Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
pass() { echo "PASS: completions: $*"; }
fail() { echo "FAIL: completions: $*"; }

# comp FUNCTION WORD...: what completing the last word offers, sorted.
comp() {
	bash -c '. completions/lab.bash; f=$1; shift; COMP_WORDS=("$@")
		COMP_CWORD=$(($# - 1)); "$f"; printf "%s\n" "${COMPREPLY[@]}"' _ "$@" | sort
}
want=$(tests/lab/lab list | awk '{ print $1 }' | sort)
[ "$(wc -l <<<"$want")" -ge 10 ] || fail "lab list printed too few scenarios: $want"

got=$(comp _bogus_lab tests/lab/lab run '')
[ "$got" = "$want" ] && pass "lab run <Tab>: the $(wc -l <<<"$want") scenarios lab list prints" ||
	fail "lab run <Tab>: $(diff <(echo "$want") <(echo "$got") | tr '\n' ' ')"
got=$(comp _bogus_lab tests/lab/lab shell ksk-ds)
[ "$got" = "$(grep '^ksk-ds' <<<"$want")" ] && pass "lab shell ksk-ds<Tab>: $(echo $got)" ||
	fail "lab shell ksk-ds<Tab>: $(echo $got)"
got=$(comp _bogus_lab tests/lab/lab '')
subs=$(tests/lab/lab 2>&1 | sed -n 's/^\(usage:\)\? *lab \([a-z]*\).*/\2/p' | sort)
[ "$got" = "$subs" ] && [ -n "$subs" ] && pass "lab <Tab>: the subcommands its usage names" ||
	fail "lab <Tab>: $(echo $got), usage: $(echo $subs)"
got=$(comp _bogus_lab tests/lab/lab fix publish)
[ "$got" = publish-ds ] && pass "lab fix publish<Tab>: a repair option" || fail "lab fix publish<Tab>: $got"
# bash splits "SCENARIO=rrsig" at '=' (COMP_WORDBREAKS); both forms.
got=$(comp _bogus_lab_make make demo SCENARIO = '')
[ "$got" = "$want" ] && pass "make demo SCENARIO=<Tab>: the same scenarios" ||
	fail "make demo SCENARIO=<Tab>: $(diff <(echo "$want") <(echo "$got") | tr '\n' ' ')"
got=$(comp _bogus_lab_make make train SCENARIO=rrsig-not)
[ "$got" = SCENARIO=rrsig-not-yet-valid ] && pass "make train SCENARIO=rrsig-not<Tab> (unsplit): $got" ||
	fail "make train SCENARIO=rrsig-not<Tab>: $got"
worlds=$(tests/lab/lab train --worlds | sort)
got=$(comp _bogus_lab tests/lab/lab train --scenario '')
[ -n "$worlds" ] && [ "$got" = "$worlds" ] && [ -z "$(comm -23 <(echo "$got") <(echo "$want"))" ] &&
	pass "lab train --scenario <Tab>: the $(wc -l <<<"$worlds") training worlds" ||
	fail "lab train --scenario <Tab>: $(echo $got)"
got=$(comp _bogus_lab tests/lab/lab train --replay '')
[ "$got" = "$(ls tests/lab/replays | sed -n 's/\.jsonl$//p' | sort)" ] && [ -n "$got" ] &&
	pass "lab train --replay <Tab>: $(echo $got)" || fail "lab train --replay <Tab>: $(echo $got)"
# The same in zsh, through its completion system (tests/zsh_complete.zsh).
zcomp() { timeout 30 zsh tests/zsh_complete.zsh "$PWD/completions" "$1"; }
if ! command -v zsh >/dev/null; then
	fail "zsh: not installed (tests/deps.sh installs it)"
else
	got=$(zcomp 'tests/lab/lab run ')
	[ "$got" = "$want" ] && pass "zsh: lab run <Tab>: the $(wc -l <<<"$want") scenarios" ||
		fail "zsh: lab run <Tab>: $(diff <(echo "$want") <(echo "$got") | tr '\n' ' ')"
	got=$(zcomp 'tests/lab/lab ')
	[ "$got" = "$subs" ] && pass "zsh: lab <Tab>: the subcommands" || fail "zsh: lab <Tab>: $(echo $got)"
	got=$(zcomp 'tests/lab/lab fix publish')
	[ "$got" = publish-ds ] && pass "zsh: lab fix publish<Tab>" || fail "zsh: lab fix publish<Tab>: $got"
	got=$(zcomp 'tests/lab/lab train --scenario ')
	[ "$got" = "$worlds" ] && pass "zsh: lab train --scenario <Tab>: the training worlds" ||
		fail "zsh: lab train --scenario <Tab>: $(echo $got)"
fi
