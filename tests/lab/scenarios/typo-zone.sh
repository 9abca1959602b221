# SPDX-License-Identifier: BSD-3-Clause
# A typo in the zone name: bogus is asked about exmaple.test. while the zone
# is example.test. (healthy). The TLD's servers answer NXDOMAIN with AA=1:
# that is not a lame server (not "configure exmaple.test. on ns1.nic.test."),
# it is a zone that does not exist, and the first thing bogus says.
DESCRIPTION="a typo in the zone name: exmaple.test. asked, example.test. exists"
LAB_ZONE=exmaple.test.
EXPECT_VERDICT=unreachable
EXPECT_FINDINGS="zone-not-delegated"
EXPECT_ACTOR=zone-operator
EXPECT_FIRST=zone-not-delegated
EXPECT_SUMMARY="did you mean example\.test\.\?"
EXPECT_ABSENT="ns-lame ns-unreachable ns-delegation-mismatch ds-no-matching-key validators-servfail rrsig-missing insecure-delegation"
EXPECT_NO_FIX="configure exmaple|rndc nta|insecure_add"

confirm() {
	expect tld1 exmaple.test NS NXDOMAIN aa +norec
	expect tld2 exmaple.test SOA NXDOMAIN aa +norec
	expect unbound exmaple.test SOA NXDOMAIN ad
	expect tld1 example.test NS NOERROR +norec	# the name meant exists
	expect_validates
	confirm_done
}
