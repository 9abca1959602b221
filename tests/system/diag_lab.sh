#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/diag_lab.sh - the diagnosis and the --once reports against
# real broken worlds, checked with tools independent of bogus: the DS the
# fix tells you to paste is the one dnssec-dsfromkey computes from the keys
# the servers serve; the key to republish is the tag of the DS the parent
# really publishes (dig); the text report carries no control byte; the JSON
# has the root cause first, a cache tail and the failed runbook step; one
# zone-wide expiry is one finding, not one per RRset.
#   LAB_ONLY="ksk-ds-mismatch healthy"   runs only these scenarios.
set -u
cd "$(dirname "$0")/../.." || exit 3

# Inside a world: one line per check.
if [ "${1:-}" = --inside ]; then
	bogus=$2
	zone=${LAB_ZONE:-example.test.}
	s=$LAB_SCENARIO
	pass() { echo "PASS: diag $s: $*"; }
	fail() { echo "FAIL: diag $s: $*"; }
	check() { if eval "$2"; then pass "$1"; else fail "$1"; fi; }
	# shellcheck disable=SC2086
	txt=$(timeout 60 "$bogus" --once $LAB_BOGUS_ARGS 2>/dev/null)
	rc=$?
	# shellcheck disable=SC2086
	json=$(timeout 60 "$bogus" --once --json $LAB_BOGUS_ARGS 2>/dev/null)
	q() { jq -e "$1" >/dev/null 2>&1 <<<"$json"; }
	check "text report has no control byte but newline" \
		'! LC_ALL=C grep -q "[[:cntrl:]]" <<<"$(tr -d "\n" <<<"$txt")"'
	check "JSON parses" 'q "type == \"object\""'
	case $s in
	healthy)
		check "exit 0" '[ "$rc" -eq 0 ]'
		check "no critical finding" 'q "[.findings[].severity] | index(\"critical\") == null"'
		check "runbook: verified from several validators" \
			'q ".checklist[4].state == \"done\""'
		;;
	ksk-ds-mismatch)
		check "exit 2 (bogus)" '[ "$rc" -eq 2 ]'
		check "root cause first" 'q ".findings[0].id == \"ds-no-matching-key\""'
		check "cache tail set" 'q ".findings[0].cache_until | test(\"^[0-9-]+T[0-9:]+Z$\")"'
		check "runbook: DS comparison failed" 'q ".checklist[2].state == \"failed\""'
		# The DS to paste, as dnssec-dsfromkey makes it from ns1's KSK.
		want=$(dig +norec +noall +answer @127.0.3.1 "$zone" DNSKEY |
			dnssec-dsfromkey -2 -f - "$zone" 2>/dev/null |
			awk '{ d = ""; for (i = 7; i <= NF; i++) d = d $i; print $4, $5, $6, tolower(d) }')
		got=$(tr -s ' \t' ' ' <<<"$txt")
		check "fix holds the DS of the served KSK ($want)" \
			'[ -n "$want" ] && grep -qiF "IN DS $want" <<<"$got"'
		# ... with the TTL the parent gives its DS, not the DNSKEY's.
		dsttl=$(dig +norec +noall +answer @127.0.2.1 "$zone" DS | awk '$4 == "DS" { print $2 }' | head -n 1)
		check "fix's DS carries the parent's DS TTL ($dsttl)" \
			'[ -n "$dsttl" ] && grep -qiF "$zone $dsttl IN DS $want" <<<"$got"'
		old=$(dig +norec +noall +answer @127.0.2.1 "$zone" DS | awk '$4 == "DS" { print $5 }' | head -n 1)
		check "fix names the old key $old to republish" \
			'[ -n "$old" ] && grep -qF "Republish the old key $old" <<<"$txt"'
		check "office resolver flagged (works on my laptop)" \
			'q "[.findings[] | select(.id == \"nonvalidating-resolver\" and .severity == \"warning\")] | length == 1"'
		;;
	rrsig-expired)
		check "one zone-wide rrsig-expired finding" \
			'q "[.findings[] | select(.id == \"rrsig-expired\")] | length == 1 and .[0].subject == \"'"$zone"'\""'
		check "denial failures folded into it" \
			'q "[.findings[] | select(.id == \"denial-proof-invalid\")] | length == 0"'
		;;
	tcp-blocked)
		check "keys out of reach are not invalid signatures" \
			'q "[.findings[] | select(.id == \"rrsig-invalid\")] | length == 0"'
		check "tcp-unreachable critical" \
			'q "[.findings[] | select(.id == \"tcp-unreachable\" and .severity == \"critical\")] | length >= 1"'
		# Could not see is not saw wrong: no DS accused, no TTL of keys never seen.
		check "keys not fetched: no ds-no-matching-key" \
			'q "[.findings[] | select(.id == \"ds-no-matching-key\")] | length == 0"'
		check "text: the DS is not checked, not NO KEY" \
			'grep -q "not checked (keys not fetched)" <<<"$txt" && ! grep -q "NO KEY" <<<"$txt"'
		check "text: the DNSKEY RRset could not be fetched, no DNSKEY TTL 0 s" \
			'grep -q "could not be fetched" <<<"$txt" && ! grep -q "DNSKEY TTL 0 s" <<<"$txt"'
		check "text: the servers' keys are unknown (truncated, TCP failed)" \
			'grep -q "? (truncated, TCP failed)" <<<"$txt"'
		;;
	esac
	exit 0
fi

export BOGUS=${BOGUS:-$PWD/bogus}
bogus=$(realpath "$BOGUS")
me=$(realpath "$0")
lab=tests/lab/lab
for s in ${LAB_ONLY:-healthy ksk-ds-mismatch rrsig-expired tcp-blocked}; do
	out=$(timeout 300 "$lab" run "$s" -- bash "$me" --inside "$bogus" 2>&1)
	rc=$?
	grep -E '^(PASS|FAIL): ' <<<"$out"
	if ! grep -qE '^(PASS|FAIL): ' <<<"$out"; then
		echo "FAIL: diag $s: lab did not run (exit $rc: $(tail -n 3 <<<"$out" | tr '\n' ' '))"
	fi
done
exit 0
