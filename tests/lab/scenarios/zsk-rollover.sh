# SPDX-License-Identifier: BSD-3-Clause
# A ZSK rollover done right (pre-publish), as phases of one running world
# with the same keys throughout: `$LAB_PHASE_CMD N` moves it on (see
# tests/lab/README.md). It starts in phase 0, healthy.
DESCRIPTION="planned ZSK rollover (pre-publish) in 4 phases: \$LAB_PHASE_CMD 0-3"
EXPECT_VERDICT=secure
EXPECT_FINDINGS=
PHASES="0: old ZSK only
1: new ZSK published beside the old one; the zone data still signed by the old
2: the zone data signed by the new ZSK; the old one still published
3: old ZSK removed"

scenario_setup() {
	NEW_ZSK=$(key_new example.test. zsk) || return 1
	scenario_phase 0
}

scenario_phase() {
	case $1 in
	0) W_SIGN_KEYS="$EX_KSK $EX_ZSK" W_PUBLISH_KEYS= ;;
	1) W_SIGN_KEYS="$EX_KSK $EX_ZSK" W_PUBLISH_KEYS=$NEW_ZSK ;;
	2) W_SIGN_KEYS="$EX_KSK $NEW_ZSK" W_PUBLISH_KEYS=$EX_ZSK ;;
	3) W_SIGN_KEYS="$EX_KSK $NEW_ZSK" W_PUBLISH_KEYS= ;;
	esac
}

# The world as it is in phase 0 (tests/system/lab_runbooks.sh confirms the others).
confirm() {
	expect_signers ns1 www.example.test A "$(key_tag "$EX_ZSK")"
	expect_ds_match example.test tld1 ns1 digest
	expect_validates
	confirm_done
}
