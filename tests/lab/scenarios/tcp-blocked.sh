# SPDX-License-Identifier: BSD-3-Clause
# The DNSKEY RRset is too large for UDP at 1232 bytes (several big RSA keys
# published), and a firewall resets every TCP connection to the zone's
# nameservers: resolvers get TC=1 and cannot retry over TCP.
DESCRIPTION="DNSKEY answer too large for UDP, TCP/53 to the zone's servers reset"
EXPECT_VERDICT=bogus
EXPECT_FINDINGS="tcp-unreachable"
EXPECT_ACTOR=dns-provider
EXPECT_ABSENT="ds-no-matching-key"	# the keys could not be fetched: no mismatch

scenario_setup() { publish_big_keyset; }

# A reset, not a silent drop: a drop keeps resolvers busy for minutes.
scenario_network() { block_zone_tcp; }

confirm() {
	expect ns1 example.test DNSKEY NOERROR tc +norec +bufsize=1232 +notcp +ignore
	expect_tcp_refused ns1
	expect_tcp_refused ns2
	expect unbound www.example.test A SERVFAIL
	expect kresd www.example.test A SERVFAIL
	expect office www.example.test A NOERROR noad answer
	expect_delv www.example.test A failed
	confirm_done
}
