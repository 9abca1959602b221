# SPDX-License-Identifier: BSD-3-Clause
# The TLD is down, not the zone: every packet to test.'s two servers is
# dropped (nftables, no ICMP), as in a registry's outage. The zone and its
# servers are healthy; nobody can find them. bogus must not blame the
# zone's provider ("bring an authoritative server back"), must not take
# test.'s or the root's servers for the zone's (no ns-lame), and must name
# the parent's operator.
DESCRIPTION="both servers of the TLD silent: the parent is down (zone healthy)"
EXPECT_VERDICT=unreachable
EXPECT_FINDINGS="zone-unreachable"
EXPECT_ACTOR=parent-operator
EXPECT_ABSENT="ns-lame ns-unreachable ds-no-matching-key rrsig-missing zone-not-delegated vantage-offline"
EXPECT_NO_FIX="Bring at least one authoritative server|rndc nta|insecure_add"

scenario_network() {
	lab_nft input "ip daddr { $TLD1_ADDR, $TLD2_ADDR } drop"
}

confirm() {
	expect tld1 example.test NS TIMEOUT +norec
	expect tld2 example.test NS TIMEOUT +norec +tcp
	expect ns1 example.test SOA NOERROR aa +norec	# the zone itself is fine
	expect unbound www.example.test A 'SERVFAIL|TIMEOUT' +time=2
	confirm_done
}
