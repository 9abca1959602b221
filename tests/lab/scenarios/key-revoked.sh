# SPDX-License-Identifier: BSD-3-Clause
# The KSK the DS points at is published with the RFC 5011 REVOKE bit set
# (flags 385) and signs the DNSKEY RRset; the DS at the TLD is the one of
# the key before it was revoked. A revoked key may not be used to validate
# anything but its own revocation, so the DS leads to no usable key and
# validators SERVFAIL. The repair: a DS for a key that is not revoked.
DESCRIPTION="the KSK the DS points at carries the REVOKE bit: validators fail"
EXPECT_VERDICT=bogus
EXPECT_FINDINGS="key-revoked ds-no-matching-key validators-servfail"
EXPECT_ACTOR=zone-operator
EXPECT_ABSENT="ede-disagrees rrsig-key-not-served"

scenario_setup() {
	REV_KSK=$EX_KSK.revoked
	cp "$EX_KSK.key" "$REV_KSK.key" && cp "$EX_KSK.private" "$REV_KSK.private" || return 1
	ldns-revoke "$REV_KSK.key" >/dev/null || return 1
	W_SIGN_KEYS="$REV_KSK $EX_ZSK"
	W_DS_KEYS=$EX_KSK
}

confirm() {
	expect_grep ns1 example.test DNSKEY "DNSKEY[[:space:]]+385 3 13"
	expect_grep tld1 example.test DS "DS[[:space:]]+$(key_tag "$EX_KSK") 13 "
	expect unbound www.example.test A SERVFAIL ede=9
	expect kresd www.example.test A SERVFAIL
	expect unbound www.example.test A NOERROR +cd answer
	expect_delv www.example.test A failed
	confirm_done
}

scenario_expect_fix() { echo "revoked"; }
