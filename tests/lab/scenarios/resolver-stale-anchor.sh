# SPDX-License-Identifier: BSD-3-Clause
# One validating resolver is broken, not the zone: Unbound's trust anchor
# is stale (a root key the root no longer serves, as after a missed root
# KSK rollover), so it answers SERVFAIL for every signed name, the canary
# and the zone alike, while Knot Resolver validates the zone. bogus must not
# blame the zone (no validators-servfail, no NTA for example.test.): the
# resolver's operator must act. The stale anchor is unbound's configuration
# (W_UNBOUND_ANCHOR), so it survives a restart, as it would in real life.
DESCRIPTION="unbound's root trust anchor is stale: it fails everything (zone healthy)"
EXPECT_VERDICT=secure
EXPECT_FINDINGS="resolver-validation-broken"
EXPECT_ACTOR=resolver-operator
EXPECT_ABSENT="validators-servfail ds-no-matching-key zone-unreachable rrsig-missing"
EXPECT_NO_FIX="rndc nta|insecure_add"

scenario_setup() {
	W_UNBOUND_ANCHOR=$LAB_DIR/stale-anchor.ds
	echo ". 3600 IN DS 12345 13 2 0000000000000000000000000000000000000000000000000000000000000000" \
		>"$W_UNBOUND_ANCHOR"
}

confirm() {
	expect unbound www.example.test A SERVFAIL
	expect kresd www.example.test A NOERROR ad answer
	expect_delv www.example.test A validated
	confirm_done
}
