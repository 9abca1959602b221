# SPDX-License-Identifier: BSD-3-Clause
# A move to another DNS provider: the TLD now delegates to the new
# provider's nameservers, which serve the zone signed with their own keys,
# but the DS at the registry is still the old provider's.
DESCRIPTION="NS moved to another provider serving other keys, DS not moved"
EXPECT_VERDICT=bogus
EXPECT_FINDINGS="ds-no-matching-key"
# One snapshot cannot tell this from a KSK changed in place (nobody lists the
# old servers any more): both readings, each with its repairs.
EXPECT_ACTOR=zone-operator

scenario_setup() {
	OP_KSK=$(key_new example.test. ksk) || return 1
	OP_ZSK=$(key_new example.test. zsk) || return 1
	W_DELEGATION="ns1.other-provider.test.=$OP1_ADDR ns2.other-provider.test.=$OP2_ADDR"
	# W_DS_KEYS is still the old provider's $EX_KSK
}

scenario_servers() {
	local f="$LAB_DIR/zones/example.test.other-provider"
	ZONE_NS="ns1.other-provider.test. ns2.other-provider.test." \
		example_zone "$f" "$((W_SERIAL + 1))" "$W_INCEPTION" "$W_EXPIRATION" "" \
		"$OP_KSK" "$OP_ZSK"
	nsd_start op1 "$OP1_ADDR" "example.test.=$f"
	nsd_start op2 "$OP2_ADDR" "example.test.=$f"
}

confirm() {
	expect_grep tld1 example.test NS 'NS[[:space:]]+ns1\.other-provider\.test\.'
	expect_ds_match example.test tld1 op1 none
	expect_ds_match example.test tld1 ns1 digest	# the old provider's keys
	expect unbound www.example.test A SERVFAIL ede=9,6
	expect kresd www.example.test A SERVFAIL
	expect office www.example.test A NOERROR noad answer
	expect_delv www.example.test A failed
	confirm_done
}
