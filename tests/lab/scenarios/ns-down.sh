# SPDX-License-Identifier: BSD-3-Clause
# One of the two nameservers is dead (nothing listens at its address): the
# zone still resolves and validates through the other one.
DESCRIPTION="ns2 is down: degraded, still secure"
EXPECT_VERDICT=degraded
EXPECT_FINDINGS="ns-unreachable"
EXPECT_ACTOR=dns-provider

scenario_setup() {
	W_NS_DOWN=ns2
}

confirm() {
	expect ns2 example.test SOA TIMEOUT +norec
	expect ns1 example.test SOA NOERROR +norec answer
	expect_validates
	confirm_done
}
