# SPDX-License-Identifier: BSD-3-Clause
# Our own network is broken, not the zone: a middlebox on our path answers
# every DNS query itself (NXDOMAIN, AA=0, RA=1), here in place of the root
# server, as an intercepting firewall or captive portal does. The zone is
# healthy. bogus must say that it cannot see the DNS from here, and make no
# finding about the zone (no "update the trust anchor", no "Cloudflare does
# not validate", no negative trust anchors).
DESCRIPTION="a middlebox answers for the root server: NXDOMAIN, not authoritative (zone healthy)"
EXPECT_VERDICT=vantage
EXPECT_FINDINGS="vantage-intercepted"
EXPECT_ACTOR=local-network
EXPECT_EXIT=3
EXPECT_ABSENT="ds-no-matching-key nonvalidating-resolver validators-servfail ns-lame zone-unreachable resolver-unreachable zone-not-delegated"
EXPECT_NO_FIX="trust anchor|rndc nta|insecure_add"

# The root server's address answers through the middlebox instead.
scenario_servers() {
	proc_stop root
	proc_start root python3 "$LAB_HOME/middlebox.py" "$ROOT_ADDR" 3
	wait_answer root "$ROOT_ADDR" . SOA
}

confirm() {
	# No root server answers NXDOMAIN for the root, nor without AA.
	expect root . SOA NXDOMAIN noaa +norec
	expect root . DNSKEY NXDOMAIN noaa +norec +tcp
	expect tld1 example.test NS NOERROR +norec	# the zone's delegation is fine
	expect ns1 www.example.test A NOERROR answer +norec
	confirm_done
}
