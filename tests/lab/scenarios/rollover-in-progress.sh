# SPDX-License-Identifier: BSD-3-Clause
# A KSK rollover done right (double signature): two KSKs both signing the
# DNSKEY RRset and two DS at the parent. Must come out secure.
DESCRIPTION="KSK rollover in progress, done right: two KSKs, two DS"
EXPECT_VERDICT=secure
EXPECT_FINDINGS="rollover-in-progress"

scenario_setup() {
	NEW_KSK=$(key_new example.test. ksk) || return 1
	W_SIGN_KEYS="$EX_KSK $NEW_KSK $EX_ZSK"
	W_DS_KEYS="$EX_KSK $NEW_KSK"
}

confirm() {
	expect_signers ns1 example.test DNSKEY "$(key_tag "$EX_KSK") $(key_tag "$NEW_KSK")"
	expect_grep tld1 example.test DS "DS[[:space:]]+$(key_tag "$NEW_KSK") "
	expect_grep tld1 example.test DS "DS[[:space:]]+$(key_tag "$EX_KSK") "
	expect_ds_match example.test tld1 ns1 digest
	expect_validates
	confirm_done
}
