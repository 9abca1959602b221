# SPDX-License-Identifier: BSD-3-Clause
# One RRset goes out without its signature (a signer or middlebox bug): the
# apex TXT (SPF) has no RRSIG, the rest of the zone is fine.
DESCRIPTION="the apex TXT (SPF) RRset served without RRSIG"
EXPECT_VERDICT=bogus
EXPECT_FINDINGS="rrsig-missing"
EXPECT_ACTOR=dns-provider

scenario_signed() {
	rr_drop "$1" '$1 == "example.test." && $4 == "RRSIG" && $5 == "TXT"'
}

confirm() {
	expect_signers ns1 example.test TXT ""
	expect unbound example.test TXT SERVFAIL ede=10,6
	expect kresd example.test TXT SERVFAIL
	expect office example.test TXT NOERROR noad answer
	expect unbound www.example.test A NOERROR ad answer
	expect_delv example.test TXT failed
	confirm_done
}
