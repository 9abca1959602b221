# SPDX-License-Identifier: BSD-3-Clause
# Both nameservers of the zone are dead: nobody can resolve it, validating
# or not, with CD=1 or without. Unreachable, not bogus.
DESCRIPTION="both nameservers down: the zone does not answer at all"
EXPECT_VERDICT=unreachable
EXPECT_FINDINGS="zone-unreachable"
EXPECT_ACTOR=dns-provider

scenario_setup() {
	W_NS_DOWN="ns1 ns2"
}

confirm() {
	expect ns1 example.test SOA TIMEOUT +norec
	expect ns2 example.test SOA TIMEOUT +norec
	expect tld1 example.test NS NOERROR +norec	# the delegation is still there
	# The resolvers keep retrying; what a client sees is a SERVFAIL or,
	# mostly, nothing (Unbound drops it at discard-timeout).
	expect unbound www.example.test A 'SERVFAIL|TIMEOUT' +time=2
	expect kresd www.example.test A 'SERVFAIL|TIMEOUT' +time=2
	expect office www.example.test A 'SERVFAIL|TIMEOUT' +cd +time=2
	confirm_done
}
