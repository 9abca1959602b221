#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# tests/system/replay_fixtures.sh - the shipped recordings of catalog worlds
# (tests/lab/replays/, made by `make catalog-replays` in the lab) replay
# without a lab, root or network to what the world showed live: the CDS
# that would break the zone (cds-would-break), the alias into a broken CDN
# zone (alias-target-broken), in detail, in text and JSON (every world's
# recording is held to its expectations by replay_catalog.sh, which also
# validates each against the schema). Prints PASS:/FAIL: lines.
set -u
cd "$(dirname "$0")/../.." || exit 3
BOGUS=${BOGUS:-$PWD/bogus}
dir=tests/lab/replays

pass() { echo "PASS: replay: $*"; }
fail() { echo "FAIL: replay: $*"; }

# replay NAME: text and JSON of the recording's last snapshot in $text,
# $json; their exit codes in $rc_text, $rc_json.
replay() {
	text=$("$BOGUS" --replay "$dir/$1.jsonl" --once 2>&1)
	rc_text=$?
	json=$("$BOGUS" --replay "$dir/$1.jsonl" --once --json 2>&1)
	rc_json=$?
}
# has WHAT PATTERN: $text holds a line matching the extended regex PATTERN.
has() {
	if grep -Eq -- "$2" <<<"$text"; then
		pass "$w: $1"
	else
		fail "$w: $1 (no line like '$2')"
	fi
}
# holds WHAT JQ: $json makes JQ print true.
holds() {
	if [ "$(jq "$2" <<<"$json" 2>/dev/null)" = true ]; then
		pass "$w: $1"
	else
		fail "$w: $1 (not in the JSON: $2)"
	fi
}

w=cds-would-break
replay $w
ksk=$(jq -r '[.chain[-1].dnskey[] | select(.flags == 257 and .signs_dnskey) | .key_tag] | first // empty' <<<"$json" 2>/dev/null)
cds=$(jq -r '[.nameservers[].cds[] | select(.type == "CDS") | .key_tag] | unique | join(",")' <<<"$json" 2>/dev/null)
if [ "$rc_text" = 1 ] && [ "$rc_json" = 1 ] && [ -n "$ksk" ] && [ -n "$cds" ] && [ "$cds" != "$ksk" ]; then
	pass "$w: replays degraded (exit 1): CDS for key $cds, the DNSKEY RRset signed by KSK $ksk"
else
	fail "$w: exit $rc_text/$rc_json, CDS '$cds', signing KSK '$ksk': $(head -n 1 <<<"$text")"
fi
has "the cds-would-break warning on the zone" '^  \[WARN\] cds-would-break  example\.test\.$'
has "evidence names each server and the unserved key" "^         - ns2\.example\.test\. \(127\.0\.3\.2\): CDS $cds: no served key has this tag$"
has "the fix gives the CDS of the signing KSK" "^               example\.test\. [0-9]+ IN CDS $ksk 13 2 [0-9a-f]{64}$"
has "the nameserver table's CDS column says no key" "^  ns1\.example\.test\. .* $cds\(no key\)$"
holds "JSON: CDS then CDNSKEY at both servers, none matches a served key" \
	'[.nameservers[] | [.cds[] | .type] == ["CDS", "CDNSKEY"] and all(.cds[]; .matches == false)] == [true, true]'
holds "JSON: the DS at the parent still matches, so no ds-no-matching-key" \
	'([.findings[].id] | index("ds-no-matching-key") == null) and .verdict == "degraded"'

w=alias-target-broken
replay $w
if [ "$rc_text" = 2 ] && [ "$rc_json" = 2 ]; then
	pass "$w: replays bogus (exit 2)"
else
	fail "$w: exit $rc_text/$rc_json: $(head -n 1 <<<"$text")"
fi
has "alias-target-broken names the alias" '^  \[CRIT\] alias-target-broken  www\.example\.test\. CNAME$'
has "the target's own server was asked: www.cdn.test. A's expired signature named" \
	'^         - cdn\.test\.: ns1\.cdn\.test\. \(127\.0\.6\.1\): .*www\.cdn\.test\. A.*expired'
has "who: the CDN" '^         who: the owner of the CNAME target.s zone'
has "the ALIASES table: www -> www.cdn.test., its zone's chain broken at cdn.test." \
	'^  www\.example\.test\. A +www\.cdn\.test\. +cdn\.test\. +\. secure -> test\. secure -> cdn\.test\. bogus$'
holds "JSON: aliases[] with the target zone bogus, the finding acted on by cname-target-owner" \
	'(.aliases[0] | .target == "www.cdn.test." and .target_zone == "cdn.test." and .target_chain[-1].status == "bogus")
	 and (.findings[0] | .id == "alias-target-broken" and .actor == "cname-target-owner")'
holds "JSON: no ede-disagrees, no rrsig-expired on example.test., no flush" \
	'[.findings[] | select(.id == "ede-disagrees" or (.id == "rrsig-expired" and .subject == "example.test.") or
	  ((.fix // "") | test("flush"; "i")))] == []'
exit 0
