# SPDX-License-Identifier: BSD-3-Clause
# bash completion for bogus(1)
_bogus_themes()
{
	local d f
	echo default
	for d in "${XDG_CONFIG_HOME:-$HOME/.config}/bogus/themes" \
		/usr/local/share/bogus/themes /usr/share/bogus/themes; do
		for f in "$d"/*.theme; do
			[ -e "$f" ] || continue
			f=${f##*/}
			echo "${f%.theme}"
		done
	done
}

_bogus_profiles()
{
	sed -n 's/^[[:space:]]*\[profile[[:space:]]\{1,\}\([^]]*\)\].*/\1/p' \
		/etc/bogus/config "${XDG_CONFIG_HOME:-$HOME/.config}/bogus/config" \
		2>/dev/null
}

_bogus()
{
	local cur prev opts
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}
	opts="--once --json --resolver --name --trust-anchor --root-hints --canary --decoy
		--timeout --tries --interval --runbook --runbook-state --theme
		--color --log --resolv-conf --config --profile --record --record-max-size --replay
		--at --export --nagios --warning --critical --require-secure
		--prometheus --deadline --serve --max-probes --version --help"
	case $prev in
	--runbook)
		COMPREPLY=($(compgen -W "ksk-rollover zsk-rollover provider-migration algorithm-rollover" -- "$cur"))
		return ;;
	--theme)
		COMPREPLY=($(compgen -W "$(_bogus_themes | sort -u)" -- "$cur"))
		return ;;
	--color)
		COMPREPLY=($(compgen -W "auto always never" -- "$cur"))
		return ;;
	--profile)
		COMPREPLY=($(compgen -W "$(_bogus_profiles)" -- "$cur"))
		return ;;
	--prometheus|--trust-anchor|--root-hints|--log|--resolv-conf|--config|--record|--replay|--export|--runbook-state)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	--resolver|-r|--name|-n|--canary|--decoy|--timeout|-T|--tries|--interval|--at|--warning|-w|--critical|-c|--deadline|--serve|--max-probes|--record-max-size)
		return ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	fi
}
complete -F _bogus bogus
