# SPDX-License-Identifier: BSD-3-Clause
# The signer's clock is ten days ahead: every signature's inception is in
# the future, well past the clock skew validators allow.
DESCRIPTION="signer clock skew: signatures valid only from 10 days on"
EXPECT_VERDICT=bogus
EXPECT_FINDINGS="rrsig-not-yet-valid"
EXPECT_ACTOR=dns-provider

scenario_setup() {
	W_INCEPTION=$((W_NOW + 10 * DAY))
	W_EXPIRATION=$((W_NOW + 40 * DAY))
}

confirm() {
	confirm_zone_signatures future 8
}
