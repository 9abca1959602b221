# SPDX-License-Identifier: BSD-3-Clause
# A move to another DNS provider done right (multi-signer style, DNSSEC
# valid throughout), as phases of one running world with the same keys:
# the new provider (ns1/ns2.other-provider.test.) imports the zone's keys.
# `$LAB_PHASE_CMD N` moves it on (see tests/lab/README.md). It starts in
# phase 0, healthy; compare provider-migration, the same move done wrong.
DESCRIPTION="planned provider migration (keys imported) in 4 phases: \$LAB_PHASE_CMD 0-3"
EXPECT_VERDICT=secure
EXPECT_FINDINGS=
PHASES="0: the old provider (ns1/ns2.example.test.) serves the zone
1: the new provider (ns1/ns2.other-provider.test.) serves it too, same keys; the apex NS lists both
2: the parent (test.) delegates to the new provider
3: the old provider retired: apex NS the new provider only, ns1/ns2 no longer serve the zone"

scenario_setup() {
	scenario_phase 0
}

scenario_phase() {
	local op="ns1.other-provider.test.=$OP1_ADDR ns2.other-provider.test.=$OP2_ADDR"
	case $1 in
	0) ;;
	1)
		ZONE_NS="ns1 ns2 ns1.other-provider.test. ns2.other-provider.test."
		W_ZONE_SERVERS="ns1 ns2 op1 op2"
		;;
	2)
		ZONE_NS="ns1 ns2 ns1.other-provider.test. ns2.other-provider.test."
		W_ZONE_SERVERS="ns1 ns2 op1 op2"
		W_DELEGATION=$op
		;;
	3)
		ZONE_NS="ns1.other-provider.test. ns2.other-provider.test."
		W_ZONE_SERVERS="op1 op2"
		W_DELEGATION=$op
		;;
	esac
}

# The world as it is in phase 0 (tests/system/lab_runbooks.sh confirms the others).
confirm() {
	expect_grep tld1 example.test NS 'NS[[:space:]]+ns1\.example\.test\.'
	expect_ds_match example.test tld1 ns1 digest
	expect_validates
	confirm_done
}
