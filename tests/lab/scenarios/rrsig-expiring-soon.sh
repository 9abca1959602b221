# SPDX-License-Identifier: BSD-3-Clause
# The signer stopped re-signing two days ago... almost: the signatures are
# still valid, but expire in 36 hours. Everything validates today; the
# outage is scheduled.
DESCRIPTION="signatures valid, but expiring in 36 hours"
EXPECT_VERDICT=degraded
EXPECT_FINDINGS="rrsig-expiring-soon"
EXPECT_ACTOR=dns-provider

scenario_setup() {
	W_INCEPTION=$((W_NOW - 28 * DAY))
	W_EXPIRATION=$((W_NOW + 36 * 3600))
}

confirm() {
	expect_rrsig_expires_within ns1 example.test DNSKEY $((2 * DAY))
	expect_rrsig_expires_within ns1 www.example.test A $((2 * DAY))
	expect_validates
	confirm_done
}
