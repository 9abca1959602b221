# SPDX-License-Identifier: BSD-3-Clause
# bash completion for bogus's lab (tests/lab/lab) and for `make demo|lab|train
# SCENARIO=...` in a bogus source tree: lab scenario names where they are
# taken. The lab lives in the source tree, not in an installed bogus, so this
# file is not installed: source it in the shell you train or test from,
#   . completions/lab.bash
# The names are read from the lab's scenarios/ when completing, so they are
# always those `tests/lab/lab list` prints.

# _bogus_lab_dir WORD0: the lab's directory for the command as typed
# (tests/lab/lab, ./lab, or lab on the PATH).
_bogus_lab_dir()
{
	local cmd=$1
	[[ $cmd == */* ]] || cmd=$(type -P -- "$cmd" 2>/dev/null)
	[ -n "$cmd" ] && [ -d "${cmd%/*}/scenarios" ] && printf '%s\n' "${cmd%/*}"
}

# _bogus_lab_scenarios DIR: every scenario of the lab in DIR.
_bogus_lab_scenarios()
{
	local f
	for f in "$1"/scenarios/*.sh; do
		[ -e "$f" ] || continue
		f=${f##*/}
		printf '%s\n' "${f%.sh}"
	done
}

_bogus_lab()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} dir f
	COMPREPLY=()
	dir=$(_bogus_lab_dir "${COMP_WORDS[0]}") || return
	if [ "$COMP_CWORD" -eq 1 ]; then
		COMPREPLY=($(compgen -W "list run shell train worlds break fix" -- "$cur"))
		return
	fi
	case ${COMP_WORDS[1]} in
	run|shell)
		# The scenario is the word after the subcommand; then "--" and a command.
		if [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "$(_bogus_lab_scenarios "$dir")" -- "$cur"))
		elif [ "${COMP_WORDS[1]}" = run ] && [ "$COMP_CWORD" -eq 3 ]; then
			COMPREPLY=($(compgen -W "--" -- "$cur"))
		elif [ "${COMP_WORDS[1]}" = run ]; then
			COMPREPLY=($(compgen -c -- "$cur"))
		fi
		;;
	fix)
		# lab fix OPTION [--world DIR]: the quiz's repair options.
		if [ "$prev" = --world ]; then
			COMPREPLY=($(compgen -d -- "$cur"))
		elif [ "$COMP_CWORD" -eq 2 ]; then
			COMPREPLY=($(compgen -W "$("$dir/lab" train --options 2>/dev/null |
				cut -d' ' -f1)" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "--world" -- "$cur"))
		fi
		;;
	train)
		case $prev in
		--scenario)
			# Only the worlds the quiz trains on.
			COMPREPLY=($(compgen -W "$("$dir/lab" train --worlds 2>/dev/null)" -- "$cur")) ;;
		--replay)
			for f in "$dir"/replays/*.jsonl; do
				[ -e "$f" ] || continue
				f=${f##*/}
				COMPREPLY+=($(compgen -W "${f%.jsonl}" -- "$cur"))
			done ;;
		--repair)
			COMPREPLY=($(compgen -W "$("$dir/lab" train --options 2>/dev/null |
				cut -d' ' -f1)" -- "$cur")) ;;
		--export)
			COMPREPLY=($(compgen -f -- "$cur")) ;;
		--seed|--answer)
			;;
		*)
			COMPREPLY=($(compgen -W "--seed --scenario --answer --repair --options
				--worlds --replay --export" -- "$cur")) ;;
		esac
		;;
	esac
}
complete -F _bogus_lab lab

# make demo|lab|train SCENARIO=NAME: bash splits the word at '=', so the
# value is the word after "SCENARIO" "="; anything else is make's own
# completion (bash-completion's _make), loaded on first use.
_bogus_lab_make()
{
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} value=
	local before=${COMP_WORDS[COMP_CWORD-2]:-} prefix=
	if [[ $cur == SCENARIO=* ]]; then
		value=${cur#SCENARIO=} prefix=SCENARIO=
	elif [ "$cur" = = ] && [ "$prev" = SCENARIO ]; then
		value=
	elif [ "$prev" = = ] && [ "$before" = SCENARIO ]; then
		value=$cur
	else
		if ! declare -F _make >/dev/null; then
			declare -F __load_completion >/dev/null && __load_completion make
			complete -F _bogus_lab_make make	# loading make's took our place
		fi
		declare -F _make >/dev/null && _make "$@"
		return
	fi
	COMPREPLY=()
	[ -d tests/lab/scenarios ] || return
	COMPREPLY=($(compgen -P "$prefix" -W "$(_bogus_lab_scenarios tests/lab)" -- "$value"))
}
complete -F _bogus_lab_make make
