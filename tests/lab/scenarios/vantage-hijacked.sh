# SPDX-License-Identifier: BSD-3-Clause
# Our own network is broken, not the zone, and the root servers look fine:
# something on our path answers every DNS query sent to the public
# validating resolvers itself, from a resolver that does not validate (an
# ISP "answering for 1.1.1.1", a DNS-filtering firewall), and it answers
# for any address, even the decoy where no DNS server runs. The zone is
# healthy. Without the decoy bogus would say the validating resolvers do
# not validate; it must say that it cannot see the DNS from here.
DESCRIPTION="our path answers for the public resolvers and for any address (zone healthy)"
EXPECT_VERDICT=vantage
EXPECT_FINDINGS="vantage-intercepted"
EXPECT_ACTOR=local-network
EXPECT_EXIT=3
EXPECT_ABSENT="nonvalidating-resolver validators-servfail resolver-validation-broken ds-no-matching-key zone-unreachable"
EXPECT_NO_FIX="does not validate|rndc nta|insecure_add"

# Every DNS packet for the validating resolvers or the decoy goes to the
# office's non-validating resolver instead (NAT on the way out; the
# replies come back from the address asked).
scenario_network() {
	command -v nft >/dev/null || { lab_log "$LAB_SCENARIO needs nft (nftables)"; return 1; }
	nft -f - <<NFT
table ip labnat {
	chain output {
		type nat hook output priority -100; policy accept;
		ip daddr { $UNBOUND_ADDR, $KRESD_ADDR, $LAB_DECOY } meta l4proto { udp, tcp } th dport 53 dnat to $OFFICE_ADDR
	}
}
NFT
}

confirm() {
	# A validating resolver's address answers the bogus canary without
	# complaint, and the decoy answers at all: neither is the real thing.
	expect unbound "$LAB_CANARY" A NOERROR noad
	expect kresd "$LAB_CANARY" A NOERROR noad
	expect "$LAB_DECOY" . SOA NOERROR
	# The root and the zone's servers are untouched.
	expect root . SOA NOERROR aa +norec
	expect ns1 www.example.test A NOERROR aa answer +norec
	confirm_done
}
