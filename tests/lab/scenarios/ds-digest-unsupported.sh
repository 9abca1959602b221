# SPDX-License-Identifier: BSD-3-Clause
# The only DS at the parent uses a digest type validators do not implement
# (type 5, GOST R 34.11-2012, RFC 9558, which no validator here implements;
# the digest is the SHA-256 one).
# RFC 4035 5.2 / RFC 6840 5.2: a DS RRset with no supported digest makes
# the zone insecure (answers without AD), not bogus (no SERVFAIL).
DESCRIPTION="the only DS has a digest type validators do not implement: insecure, not bogus"
EXPECT_VERDICT=insecure
EXPECT_FINDINGS="insecure-delegation"
EXPECT_ACTOR=zone-operator
EXPECT_ABSENT="validators-servfail ds-digest-mismatch ds-no-matching-key ede-disagrees"

scenario_ds() {
	awk 'BEGIN { OFS = "\t" } $4 == "DS" { $7 = 5 } { print }' "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}

confirm() {
	expect_grep tld1 example.test DS "DS[[:space:]]+$(key_tag "$EX_KSK") 13 5 "
	expect unbound www.example.test A NOERROR noad answer
	expect kresd www.example.test A NOERROR noad answer
	expect_delv www.example.test A unsigned
	confirm_done
}

# The fix gives the SHA-256 DS to publish instead.
scenario_expect_fix() { echo "DS $(key_tag "$EX_KSK") 13 2 "; }
