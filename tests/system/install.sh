#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# System test: bogus installs like a Debian tool. `make install DESTDIR=...`
# puts the binary, themes, man page, bash and zsh completions and the
# licence in place; the man page renders (man -l) and is lint-clean
# (mandoc -T lint); every option `bogus --help` lists is documented by the
# man page, both completions and the README's options table; the bash
# and zsh completions complete options, runbooks, colours, themes and
# profiles (zsh through its completion system); `make uninstall`
# leaves nothing behind. Config mistakes are file:line and exit 3.
set -u
: "${BOGUS:?BOGUS must name the bogus binary}"
cd "$(dirname "$0")/../.." || exit 3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*"; }

# The options --help lists, one per line: --once, --json, ...
opts=$("$BOGUS" --help | grep -oE -- '--[a-z][a-z-]*' | sort -u)
[ "$(wc -l <<<"$opts")" -ge 20 ] && pass "--help lists $(wc -l <<<"$opts") options" ||
	fail "--help lists too few options: $opts"

# Same PREFIX as the build: nothing is rebuilt.
d=$tmp/dest
if make -s install DESTDIR="$d" >"$tmp/log" 2>&1; then
	pass "make install DESTDIR=..."
else
	fail "make install: $(tail -3 "$tmp/log")"
fi
prefix=$(make -s -p -n install 2>/dev/null | sed -n 's/^PREFIX ?= //p;s/^PREFIX := //p' | head -1)
prefix=${prefix:-/usr/local}
for f in bin/bogus share/man/man1/bogus.1 share/bash-completion/completions/bogus \
	share/zsh/vendor-completions/_bogus share/doc/bogus/LICENSE \
	share/bogus/themes/default.theme share/bogus/themes/mono.theme; do
	[ -f "$d$prefix/$f" ] && pass "installed $f" || fail "not installed: $prefix/$f"
done
man=$d$prefix/share/man/man1/bogus.1

if MANWIDTH=80 man -l "$man" >"$tmp/man.txt" 2>"$tmp/man.err" && [ ! -s "$tmp/man.err" ] &&
	grep -q 'EXIT STATUS' "$tmp/man.txt" && grep -q 'CONFIGURATION' "$tmp/man.txt"; then
	pass "man -l renders bogus(1) without warnings"
else
	fail "man -l: $(head -c 300 "$tmp/man.err")"
fi
if mandoc -T lint -W warning "$man" >"$tmp/lint" 2>&1; then
	pass "mandoc -T lint: clean"
else
	fail "mandoc -T lint: $(head -5 "$tmp/lint")"
fi
for sec in NAME SYNOPSIS OPTIONS CONFIGURATION 'EXIT STATUS' ENVIRONMENT FILES EXAMPLES; do
	grep -q "^$sec" "$tmp/man.txt" || fail "man page lacks the section $sec"
done
grep -q "$prefix/share/bogus/themes" "$tmp/man.txt" &&
	pass "man page names the installed themes directory" ||
	fail "man page lacks $prefix/share/bogus/themes"

# Every option: in the man page, both completions, the README table.
# (man renders hyphens as U+2010 in some locales: compare in C.)
LC_ALL=C MANWIDTH=200 man -l "$man" 2>/dev/null | sed 's/\xe2\x80\x90/-/g' >"$tmp/man.c"
missing=
for o in $opts; do
	grep -qF -- "$o" "$tmp/man.c" || missing+=" man:$o"
	grep -qF -- "$o" completions/bogus.bash || missing+=" bash:$o"
	grep -qE -- "[{,']$o[[},]" completions/_bogus || missing+=" zsh:$o"
	grep -E '^\| `' README.md | grep -qE -- "^\| \`$o[ \`]|, \`$o[ \`]" || missing+=" README:$o"
done
[ -z "$missing" ] && pass "every --help option is in the man page, both completions and the README" ||
	fail "options not documented:$missing"

# The bash completion, as bash runs it.
comp() {	# comp WORD... : what completing the last word offers
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _bogus; printf "%s\n" "${COMPREPLY[@]}"' \
		_ "$d$prefix/share/bash-completion/completions/bogus" "$@"
}
[ "$(comp bogus --runb)" = "--runbook
--runbook-state" ] && pass "bash: --runb completes to --runbook, --runbook-state" ||
	fail "bash: --runb -> $(comp bogus --runb | tr '\n' ' ')"
[ "$(comp bogus --runbook ksk)" = ksk-rollover ] && pass "bash: runbook names" ||
	fail "bash: --runbook ksk -> $(comp bogus --runbook ksk)"
[ "$(comp bogus --color n)" = never ] && pass "bash: --color values" || fail "bash: --color n"
mkdir -p "$tmp/cfg/bogus/themes"
: >"$tmp/cfg/bogus/themes/mine.theme"
XDG_CONFIG_HOME=$tmp/cfg comp bogus --theme '' | grep -qx mine &&
	grep -qF "$prefix/share/bogus/themes" "$d$prefix/share/bash-completion/completions/bogus" &&
	pass "bash: theme names (the user's, the installed directory)" ||
	fail "bash: --theme -> $(XDG_CONFIG_HOME=$tmp/cfg comp bogus --theme '' | tr '\n' ' ')"
printf '[profile office]\nzone = example.test\n' >"$tmp/cfg/bogus/config"
[ "$(XDG_CONFIG_HOME=$tmp/cfg comp bogus --profile '')" = office ] && pass "bash: profile names" ||
	fail "bash: --profile"
# The zsh completion, as installed, through zsh's completion system.
zcomp() { timeout 30 zsh tests/zsh_complete.zsh "$d$prefix/share/zsh/vendor-completions" "$1"; }
if ! command -v zsh >/dev/null; then
	fail "zsh: not installed (tests/deps.sh installs it)"
else
	got=$(zcomp 'bogus --' | grep -- '^--')
	[ "$got" = "$opts" ] && pass "zsh: --<Tab> offers exactly the $(wc -l <<<"$opts") options of --help" ||
		fail "zsh: --<Tab>: $(diff <(echo "$opts") <(echo "$got") | tr '\n' ' ')"
	[ "$(zcomp 'bogus --runbook ')" = "$(comp bogus --runbook '' | sort)" ] &&
		pass "zsh: runbook names, as bash offers them" ||
		fail "zsh: --runbook <Tab>: $(zcomp 'bogus --runbook ' | tr '\n' ' ')"
	[ "$(zcomp 'bogus --color ' | tr '\n' ' ')" = "always auto never " ] && pass "zsh: --color values" ||
		fail "zsh: --color <Tab>: $(zcomp 'bogus --color ' | tr '\n' ' ')"
	got=$(XDG_CONFIG_HOME=$tmp/cfg zcomp 'bogus --theme ')
	grep -qx mine <<<"$got" && grep -qx default <<<"$got" &&
		grep -qF "$prefix/share/bogus/themes" "$d$prefix/share/zsh/vendor-completions/_bogus" &&
		pass "zsh: theme names (the user's, the installed directory)" ||
		fail "zsh: --theme <Tab>: $(echo $got)"
	[ "$(XDG_CONFIG_HOME=$tmp/cfg zcomp 'bogus --profile ')" = office ] && pass "zsh: profile names" ||
		fail "zsh: --profile <Tab>: $(XDG_CONFIG_HOME=$tmp/cfg zcomp 'bogus --profile ')"
fi

if make -s uninstall DESTDIR="$d" >"$tmp/log" 2>&1 && [ -z "$(find "$d" -type f)" ]; then
	pass "make uninstall removes every installed file"
else
	fail "make uninstall left: $(find "$d" -type f | head -5 | tr '\n' ' ')"
fi

# Config: a bad line is file:line and exit 3; the user's file is read.
printf 'timeout = 2000\ninterval = soon\n' >"$tmp/cfg/bogus/config"
out=$(XDG_CONFIG_HOME=$tmp/cfg timeout 10 "$BOGUS" --once example.test 2>&1)
rc=$?
[ $rc -eq 3 ] && [ "$out" = "bogus: $tmp/cfg/bogus/config:2: --interval wants seconds from 1 to 86400, not 'soon'" ] &&
	pass "bad config line: file:line, exit 3" || fail "bad config line: exit $rc: $out"
out=$(timeout 10 "$BOGUS" --config "$tmp/cfg/bogus/config" --help 2>&1) &&
	pass "--help works whatever the config says" || fail "--help with a bad config: $out"

# --version names the libraries.
v=$("$BOGUS" --version)
for lib in '^bogus [0-9]' '^ldns [0-9]' '^libunbound [0-9]' '^ncurses [0-9]' '^OpenSSL [0-9]'; do
	grep -qE "$lib" <<<"$v" || fail "--version lacks $lib: $v"
done
pass "--version: $(tr '\n' ';' <<<"$v")"
[ -f LICENSE ] && grep -q 'BSD 3-Clause' LICENSE && pass "LICENSE: BSD-3-Clause" || fail "no BSD-3-Clause LICENSE"
exit 0
