# SPDX-License-Identifier: BSD-3-Clause
# The ksk-ds-mismatch outage, then its repair, in one running world: phase 1
# publishes the DS of the served KSK at both TLD servers. Validating
# resolvers keep the old DS for its TTL after that: the cache tail that
# tests/system/cache_tail_lab.sh follows through the repair.
DESCRIPTION="KSK replaced, DS stale (phase 0); the right DS published (\$LAB_PHASE_CMD 1)"
EXPECT_VERDICT=bogus
EXPECT_FINDINGS="ds-no-matching-key validators-servfail"
EXPECT_ACTOR=zone-operator
PHASES="0: the outage: a new KSK served, the DS at the TLD still for the old one
1: the repair: the DS for the served KSK at both TLD servers"

scenario_setup() {
	NEW_KSK=$(key_new example.test. ksk) || return 1
	scenario_phase 0
}

scenario_phase() {
	case $1 in
	0) W_SIGN_KEYS="$NEW_KSK $EX_ZSK" W_DS_KEYS=$EX_KSK ;;
	1) W_SIGN_KEYS="$NEW_KSK $EX_ZSK" W_DS_KEYS=$NEW_KSK ;;
	esac
}

# Phase 0 (tests/system/cache_tail_lab.sh confirms phase 1).
confirm() {
	expect_ds_match example.test tld1 ns1 none
	expect unbound www.example.test A SERVFAIL ede=9,6
	expect kresd www.example.test A SERVFAIL
	expect office www.example.test A NOERROR noad answer
	expect_delv www.example.test A failed
	confirm_done
}
