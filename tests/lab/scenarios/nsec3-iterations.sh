# SPDX-License-Identifier: BSD-3-Clause
# The zone is signed with NSEC3 and 500 iterations (an old signer default
# times ten). Positive answers validate; every denial is beyond what
# validators hash (RFC 9276): NXDOMAIN without AD. Not "secure", not bogus:
# degraded, with the parameters to re-sign with.
DESCRIPTION="NSEC3 with 500 iterations and a salt: denials unauthenticated"
EXPECT_VERDICT=degraded
EXPECT_FINDINGS="nsec3-iterations-too-high"
EXPECT_ACTOR=dns-provider
EXPECT_ABSENT="denial-proof-invalid validators-servfail nsec3-iterations-nonzero ede-disagrees"

scenario_setup() { W_SIGN_ARGS="-n -t 500 -s cafe"; }

confirm() {
	expect_grep ns1 example.test NSEC3PARAM "NSEC3PARAM[[:space:]]+1 0 500 (CAFE|cafe)"
	expect unbound nx.example.test A NXDOMAIN noad
	expect kresd nx.example.test A NXDOMAIN noad
	expect unbound www.example.test A NOERROR ad answer
	expect kresd www.example.test A NOERROR ad answer
	confirm_done
}

scenario_expect_fix() { echo "NSEC3PARAM 1 0 0 -"; }
