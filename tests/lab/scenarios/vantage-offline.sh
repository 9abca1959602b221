# SPDX-License-Identifier: BSD-3-Clause
# Our own network is broken, not the zone: no route to the DNS. Every
# packet to the root server is refused with ICMP "network unreachable"
# (nftables), as on a host that is offline or lost its default route; the
# local resolvers still answer (SERVFAIL: they cannot reach the DNS either).
# bogus must say the vantage is offline (exit 3, UNKNOWN), not "unreachable:
# bring an authoritative server back", and judge nothing about the zone.
DESCRIPTION="no route to the root server from here: offline (zone healthy)"
EXPECT_VERDICT=vantage
EXPECT_FINDINGS="vantage-offline"
EXPECT_ACTOR=local-network
EXPECT_EXIT=3
EXPECT_ABSENT="zone-unreachable ns-unreachable ds-no-matching-key nonvalidating-resolver validators-servfail resolver-unreachable zone-not-delegated"
EXPECT_NO_FIX="authoritative server back|rndc nta|insecure_add"

scenario_network() {
	lab_nft output "ip daddr $ROOT_ADDR reject with icmp type net-unreachable"
}

confirm() {
	expect root . SOA TIMEOUT +norec
	expect root . SOA TIMEOUT +norec +tcp
	expect unbound www.example.test A 'SERVFAIL|TIMEOUT' +time=2
	confirm_done
}
