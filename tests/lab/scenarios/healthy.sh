# SPDX-License-Identifier: BSD-3-Clause
# The healthy world: every other scenario is a change from this one.
DESCRIPTION="everything right: signed root, TLD and zone, two nameservers"
EXPECT_VERDICT=secure
EXPECT_FINDINGS=

confirm() {
	expect unbound www.example.test A NOERROR ad answer
	expect kresd www.example.test A NOERROR ad answer
	expect office www.example.test A NOERROR noad answer
	expect unbound example.test MX NOERROR ad answer
	expect unbound _dmarc.example.test TXT NOERROR ad answer
	expect kresd nonexistent.example.test A NXDOMAIN ad
	# The canary tells validating resolvers from the rest.
	expect unbound "$LAB_CANARY" A SERVFAIL ede=6,9
	expect kresd "$LAB_CANARY" A SERVFAIL
	expect office "$LAB_CANARY" TXT NOERROR answer
	expect_delv www.example.test A validated
	confirm_done
}
