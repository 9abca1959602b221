# SPDX-License-Identifier: BSD-3-Clause
# The KSK is published and the DS points to it, but the DNSKEY RRset is
# signed only by the ZSK, so the chain from the DS does not reach it.
DESCRIPTION="DNSKEY RRset signed only by the ZSK while the DS points to the KSK"
EXPECT_VERDICT=bogus
EXPECT_FINDINGS="dnskey-not-signed-by-ds-key"
EXPECT_ACTOR=dns-provider

scenario_setup() {
	W_SIGN_KEYS=$EX_ZSK
	W_PUBLISH_KEYS=$EX_KSK
}

confirm() {
	expect_ds_match example.test tld1 ns1 digest
	expect_signers ns1 example.test DNSKEY "$(key_tag "$EX_ZSK")"
	expect unbound www.example.test A SERVFAIL ede=9,6,10
	expect kresd www.example.test A SERVFAIL
	expect office www.example.test A NOERROR noad answer
	expect_delv www.example.test A failed
	confirm_done
}
