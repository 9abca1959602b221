# SPDX-License-Identifier: BSD-3-Clause
# The signer stopped re-signing: every signature in the zone expired ten
# days ago, well past the clock skew validators allow (about a day).
DESCRIPTION="the zone's signatures expired 10 days ago"
EXPECT_VERDICT=bogus
EXPECT_FINDINGS="rrsig-expired"
EXPECT_ACTOR=dns-provider

scenario_setup() {
	W_INCEPTION=$((W_NOW - 40 * DAY))
	W_EXPIRATION=$((W_NOW - 10 * DAY))
}

confirm() {
	confirm_zone_signatures expired 7
}
