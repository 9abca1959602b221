# SPDX-License-Identifier: BSD-3-Clause
# The zone is signed with NSEC3 (RFC 9276's parameters: 0 iterations, no
# salt), but the apex NSEC3PARAM announces another chain (10 iterations,
# salt CAFE), as when the parameters were changed and the signer never
# built the new chain. Validators never read NSEC3PARAM; NSD does, to pick
# the chain for its denials, and finds none with those parameters.
DESCRIPTION="NSEC3PARAM announces a chain the zone does not have (1 0 10 CAFE against 1 0 0 -)"
EXPECT_VERDICT=bogus
EXPECT_FINDINGS="nsec3param-mismatch"
EXPECT_ACTOR=dns-provider
EXPECT_ABSENT="nsec3-iterations-too-high nsec3-iterations-nonzero nsec3-salt ede-disagrees ds-no-matching-key rrsig-expired"

scenario_setup() { W_SIGN_ARGS="-n -t 0"; }

scenario_signed() {
	awk 'BEGIN { OFS = "\t" } $4 == "NSEC3PARAM" { $5 = "1 0 10 CAFE"; NF = 5 } { print }' \
		"$1" >"$1.tmp" && mv "$1.tmp" "$1"
}

confirm() {
	expect_grep ns1 example.test NSEC3PARAM "NSEC3PARAM[[:space:]]+1 0 10 (CAFE|cafe)"
	expect unbound www.example.test A NOERROR ad answer
	expect kresd www.example.test A NOERROR ad answer
	expect unbound nx.example.test A SERVFAIL ede=12
	confirm_done
}

scenario_expect_fix() { echo "NSEC3PARAM 1 0 0 -"; }
