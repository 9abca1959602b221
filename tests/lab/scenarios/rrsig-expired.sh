# The signer stopped re-signing: every signature in the zone expired ten
# days ago, well past the clock skew validators allow (about a day).
DESCRIPTION="the zone's signatures expired 10 days ago"
EXPECT_VERDICT=bogus
EXPECT_FINDINGS="rrsig-expired"

scenario_setup() {
	W_INCEPTION=$((W_NOW - 40 * DAY))
	W_EXPIRATION=$((W_NOW - 10 * DAY))
}

confirm() {
	expect_rrsig_window ns1 example.test DNSKEY expired
	expect_rrsig_window ns1 www.example.test A expired
	expect unbound www.example.test A SERVFAIL ede=7
	expect kresd www.example.test A SERVFAIL
	expect office www.example.test A NOERROR noad answer
	expect_delv www.example.test A failed
	confirm_done
}
