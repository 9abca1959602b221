# SPDX-License-Identifier: BSD-3-Clause
# A KSK rollover done right (double-KSK), as phases of one running world
# with the same keys throughout: `$LAB_PHASE_CMD N` moves it on (see
# tests/lab/README.md). It starts in phase 0, healthy.
DESCRIPTION="planned KSK rollover (double-KSK) in 5 phases: \$LAB_PHASE_CMD 0-4"
EXPECT_VERDICT=secure
EXPECT_FINDINGS=
PHASES="0: old KSK only, the parent's DS for it
1: new KSK published, the DNSKEY RRset signed by both KSKs; DS still the old one
2: DS for the old and the new KSK at the parent
3: DS for the new KSK only; both KSKs still served and signing
4: old KSK removed: the new KSK alone signs the DNSKEY RRset"

scenario_setup() {
	NEW_KSK=$(key_new example.test. ksk) || return 1
	scenario_phase 0
}

scenario_phase() {
	case $1 in
	0) W_SIGN_KEYS="$EX_KSK $EX_ZSK" W_DS_KEYS=$EX_KSK ;;
	1) W_SIGN_KEYS="$EX_KSK $NEW_KSK $EX_ZSK" W_DS_KEYS=$EX_KSK ;;
	2) W_SIGN_KEYS="$EX_KSK $NEW_KSK $EX_ZSK" W_DS_KEYS="$EX_KSK $NEW_KSK" ;;
	3) W_SIGN_KEYS="$EX_KSK $NEW_KSK $EX_ZSK" W_DS_KEYS=$NEW_KSK ;;
	4) W_SIGN_KEYS="$NEW_KSK $EX_ZSK" W_DS_KEYS=$NEW_KSK ;;
	esac
}

# The world as it is in phase 0 (tests/system/lab_runbooks.sh confirms the others).
confirm() {
	expect_signers ns1 example.test DNSKEY "$(key_tag "$EX_KSK")"
	expect_grep tld1 example.test DS "DS[[:space:]]+$(key_tag "$EX_KSK") "
	expect_ds_match example.test tld1 ns1 digest
	expect_validates
	confirm_done
}
