#!/usr/bin/env zsh
# SPDX-License-Identifier: BSD-3-Clause
# tests/zsh_complete.zsh DIR LINE - what zsh's completion system offers
# when Tab is pressed at the end of LINE, with DIR first in fpath: one
# candidate per line, sorted. An interactive `zsh -f` runs in a pty
# (zsh/zpty) so that compinit and the completion functions run as they do
# for a user; compadd is wrapped to print every candidate it is given, and
# the shell exits once completion is done. Exits 3 without zsh/zpty.
emulate -L zsh
zmodload zsh/zpty 2>/dev/null || exit 3
dir=$1 line=$2 out= chunk=
zpty comp zsh -f -i
zpty -w comp "PS1=''; fpath=(${(q)dir} \$fpath); autoload -U compinit; compinit -u -D"
zpty -w comp 'zstyle ":completion:*" list-grouped false; zstyle ":completion:*" insert-tab false'
# The markers are split in the source so that the echoed input never
# contains them: only what the functions print does.
zpty -w comp 'compadd() { if (( ${@[(I)-[OAD]]} )); then builtin compadd "$@"; return; fi
	local -a found; builtin compadd -A found "$@"; print -rl -- "" "<""M>"${^found}; }'
zpty -w comp 'completion_done() { print -r -- "" "<""END>"; exit; }; comppostfuncs=(completion_done)'
zpty -w -n comp "$line"$'\t'
while zpty -r comp chunk; do
	out+=$chunk
	[[ $out == *'<END>'* ]] && break
done
zpty -d comp
print -rl -- ${${(M)${(f)out//$'\r'/}:#<M>*}#<M>} | sort -u
