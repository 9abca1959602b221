# SPDX-License-Identifier: BSD-3-Clause
# A fault at the parent, not in the zone: the TLD's signer stopped
# re-signing the DS RRset of example.test., whose RRSIG expired two days ago.
# The zone itself, its keys and the DS records are right; only the TLD's
# operator can repair it, and "re-sign the zone" would send the room the
# wrong way.
DESCRIPTION="the TLD's RRSIG over the example.test. DS expired 2 days ago"
EXPECT_VERDICT=bogus
EXPECT_FINDINGS="parent-ds-signature-expired validators-servfail"
EXPECT_ACTOR=parent-operator
EXPECT_ABSENT="rrsig-expired ds-no-matching-key ds-digest-mismatch ede-disagrees"
EXPECT_NO_FIX="re-sign the zone"

# The DS RRset's RRSIG from a second signing of test. whose window ended
# two days ago, in place of the good one; every other RRSIG stays valid.
scenario_tld_signed() { expire_ds_rrsig "$1"; }

confirm() {
	expect_rrsig_window tld1 example.test DS expired
	expect_rrsig_window tld2 example.test DS expired
	expect_rrsig_window tld1 test DNSKEY valid
	expect_rrsig_window ns1 example.test DNSKEY valid
	expect_ds_match example.test tld1 ns1 digest
	expect unbound www.example.test A SERVFAIL ede=7,6
	expect kresd www.example.test A SERVFAIL
	expect office www.example.test A NOERROR noad answer
	expect_delv www.example.test A failed
	confirm_done
}
