# SPDX-License-Identifier: BSD-3-Clause
# A zone signed only with RSASHA1 (algorithm 5), its only DS a SHA-1 digest.
# Validators here still accept it (AD), but RFC 8624 no longer recommends
# either, and validators with a strict crypto policy (RHEL 9) already treat
# such zones as insecure: a warning with the way out, not silence.
DESCRIPTION="signed only with RSASHA1, SHA-1 DS only"
EXPECT_VERDICT=degraded
EXPECT_FINDINGS="algorithm-deprecated ds-digest-deprecated"
EXPECT_ACTOR=dns-provider
EXPECT_ABSENT="validators-servfail algorithm-incomplete ede-disagrees"

scenario_setup() {
	EX_KSK=$(key_new example.test. ksk RSASHA1 2048) || return 1
	EX_ZSK=$(key_new example.test. zsk RSASHA1 2048) || return 1
	W_SIGN_KEYS="$EX_KSK $EX_ZSK"
	W_DS_KEYS=$EX_KSK
}

# The DS as SHA-1 only.
scenario_ds() {
	ldns-key2ds -n -1 "$EX_KSK.key" >"$1" || return 1
}

confirm() {
	expect_grep ns1 example.test DNSKEY "DNSKEY[[:space:]]+257 3 5 "
	expect_grep tld1 example.test DS "DS[[:space:]]+$(key_tag "$EX_KSK") 5 1 "
	expect_validates
	confirm_done
}

scenario_expect_fix() { echo "algorithm 13"; }
