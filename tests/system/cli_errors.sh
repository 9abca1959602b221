#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# System test: bad input to the real binary gets exactly one line on stderr,
# nothing on stdout, and exit code 3 - never a crash or a hang. Needs no
# network: every case fails before a query is sent.
set -u
: "${BOGUS:?BOGUS must name the bogus binary}"
# Every case must fail before a query is sent; should one regress, it still
# must not reach the default resolvers: run in a namespace with no network.
if [ -z "${BOGUS_NO_NET:-}" ]; then
	if [ "$(id -u)" -eq 0 ]; then
		BOGUS_NO_NET=1 exec unshare -n bash "$0" "$@"
	else
		BOGUS_NO_NET=1 exec unshare -rn bash "$0" "$@"
	fi
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

printf 'not a zone file at all\n' >"$tmp/garbage"
printf '. IN NS a.root.test.\n' >"$tmp/hints-no-addr"
: >"$tmp/empty"
mkfifo "$tmp/fifo"	# no writer: a plain open() would block forever
head -c 300000 /dev/zero | tr '\0' 'A' >"$tmp/huge"

# expect_error NAME NEEDLE ARGS...: exit 3, one stderr line containing NEEDLE.
expect_error() {
	local name=$1 needle=$2
	shift 2
	timeout 10 "$BOGUS" "$@" >"$tmp/out" 2>"$tmp/err"
	local rc=$? lines
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" -ne 3 ]; then
		echo "FAIL: $name (exit $rc, want 3)"
	elif [ "$lines" -ne 1 ]; then
		echo "FAIL: $name ($lines stderr lines, want 1: $(head -c 200 "$tmp/err"))"
	elif LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$tmp/err"; then
		echo "FAIL: $name (raw control bytes on stderr)"
	elif [ -s "$tmp/out" ]; then
		echo "FAIL: $name (wrote to stdout)"
	elif ! grep -qF -- "$needle" "$tmp/err"; then
		echo "FAIL: $name (stderr lacks '$needle': $(cat "$tmp/err"))"
	else
		echo "PASS: $name: $(cat "$tmp/err")"
	fi
}

expect_error "no zone" "no zone" --once
expect_error "bad zone name" "invalid zone" --once 'exa mple.com'
expect_error "zone with escape sequence" "invalid zone" --once $'ex\e[2Jample.com'
expect_error "bad resolver address" "invalid resolver address" --resolver 300.1.1.1 example.com
expect_error "bad resolver port" "invalid port" --resolver 1.1.1.1@0 example.com
expect_error "missing anchor file" "cannot read trust anchor" --trust-anchor "$tmp/nope" example.com
expect_error "anchor is a directory" "not a regular file" --trust-anchor "$tmp" example.com
expect_error "garbage anchor" "line 1" --trust-anchor "$tmp/garbage" example.com
expect_error "empty anchor" "no records" --trust-anchor "$tmp/empty" example.com
expect_error "huge anchor" "too large" --trust-anchor "$tmp/huge" example.com
expect_error "anchor is a FIFO" "not a regular file" --trust-anchor "$tmp/fifo" example.com
expect_error "replay from a FIFO" "not a regular file" --once --replay "$tmp/fifo"
expect_error "replay from /dev/zero" "not a regular file" --once --replay /dev/zero
expect_error "runbook state is a FIFO" "not a regular file" --once --runbook ksk-rollover \
	--runbook-state "$tmp/fifo" example.com
expect_error "hints without addresses" "addresses" --root-hints "$tmp/hints-no-addr" example.com
expect_error "unknown option" "unknown option" --frobnicate example.com
expect_error "bad timeout" "--timeout" --timeout 0 example.com

if timeout 10 "$BOGUS" --help | grep -q 'usage: bogus'; then
	echo "PASS: --help prints usage"
else
	echo "FAIL: --help"
fi
if timeout 10 "$BOGUS" --version | grep -qE '^bogus [0-9]'; then
	echo "PASS: --version"
else
	echo "FAIL: --version"
fi
