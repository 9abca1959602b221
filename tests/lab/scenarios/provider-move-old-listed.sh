# SPDX-License-Identifier: BSD-3-Clause
# A provider move caught half-way: the registrar now delegates to the new
# provider, whose servers serve the zone signed with their own keys, with an
# apex NS RRset imported from the old zone that still lists the old
# provider's servers beside the new ones; the old provider still answers
# with the old key, the one the DS at the registry names. Not a KSK mistake:
# the fix is the registrar's (revert the NS, or publish the new DS).
DESCRIPTION="NS moved to a new provider (own keys), DS not moved, the old provider still listed and answering"
EXPECT_VERDICT=bogus
EXPECT_FINDINGS="ds-no-matching-key"
EXPECT_ACTOR=registrar
EXPECT_ABSENT="dnskey-not-signed-by-ds-key"	# the two providers' keys are not one zone
EXPECT_NO_FIX="Republish the old key"

scenario_setup() {
	OP_KSK=$(key_new example.test. ksk) || return 1
	OP_ZSK=$(key_new example.test. zsk) || return 1
	W_DELEGATION="ns1.other-provider.test.=$OP1_ADDR ns2.other-provider.test.=$OP2_ADDR"
	# W_DS_KEYS is still the old provider's $EX_KSK; ns1/ns2 (the old
	# provider) keep serving the zone signed with it.
}

scenario_servers() {
	local f="$LAB_DIR/zones/example.test.other-provider"
	ZONE_NS="ns1.other-provider.test. ns2.other-provider.test. ns1 ns2" \
		example_zone "$f" "$((W_SERIAL + 1))" "$W_INCEPTION" "$W_EXPIRATION" "" \
		"$OP_KSK" "$OP_ZSK"
	nsd_start op1 "$OP1_ADDR" "example.test.=$f"
	nsd_start op2 "$OP2_ADDR" "example.test.=$f"
}

confirm() {
	expect_grep tld1 example.test NS 'NS[[:space:]]+ns1\.other-provider\.test\.'
	expect_grep tld1 example.test NS 'NS[[:space:]]+ns1\.example\.test\.' no
	expect_grep op1 example.test NS 'NS[[:space:]]+ns1\.example\.test\.'
	expect_ds_match example.test tld1 op1 none
	expect_ds_match example.test tld1 ns1 digest	# the old provider, still answering
	expect unbound www.example.test A SERVFAIL
	expect kresd www.example.test A SERVFAIL
	expect office www.example.test A NOERROR noad answer
	expect_delv www.example.test A failed
	confirm_done
}
