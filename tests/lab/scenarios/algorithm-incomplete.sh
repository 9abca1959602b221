# SPDX-License-Identifier: BSD-3-Clause
# An algorithm rollover left half-way: a KSK of algorithm 8 (RSASHA256) is
# published beside the ECDSA keys, signs the DNSKEY RRset, and its DS is at
# the TLD, but no RRset other than the DNSKEY RRset is signed with algorithm
# 8. Validators that accept any one algorithm (Unbound's default, Knot
# Resolver) still validate, so this is a warning, not an outage; it is not
# "a KSK rollover in progress, nothing to do" either.
DESCRIPTION="algorithm rollover half-way: DS and DNSKEY for RSASHA256, data signed by ECDSA only"
EXPECT_VERDICT=degraded
EXPECT_FINDINGS="algorithm-incomplete"
EXPECT_ACTOR=dns-provider
EXPECT_ABSENT="rollover-in-progress validators-servfail rrsig-missing ede-disagrees"

scenario_setup() {
	NEW_KSK=$(key_new example.test. ksk RSASHA256 2048) || return 1
	W_SIGN_KEYS="$EX_KSK $EX_ZSK $NEW_KSK"
	W_DS_KEYS="$EX_KSK $NEW_KSK"
}

# Algorithm 8 signs the DNSKEY RRset only.
scenario_signed() {
	rr_drop "$1" '$4 == "RRSIG" && $5 != "DNSKEY" && $6 == 8'
}

confirm() {
	expect_signers ns1 example.test DNSKEY "$(key_tag "$EX_KSK") $(key_tag "$NEW_KSK")"
	expect_signers ns1 www.example.test A "$(key_tag "$EX_ZSK")"
	expect_grep tld1 example.test DS "DS[[:space:]]+$(key_tag "$NEW_KSK") 8 "
	expect_validates
	confirm_done
}

scenario_expect_fix() { echo "remove the DS of algorithm 8 at the registrar first"; }
