# The alias world with the CDN's zone healthy: www is a CNAME into
# cdn.test., which validates. Following the alias must not invent a fault.
. "$LAB_HOME/scenarios/alias-target-broken.sh"
DESCRIPTION="www is a CNAME into a healthy CDN zone (no false alarm)"
EXPECT_VERDICT=secure
EXPECT_FINDINGS=
EXPECT_ACTOR=
EXPECT_ABSENT="alias-target-broken alias-loop validators-servfail ede-disagrees"
EXPECT_NO_FIX=
CDN_WINDOW_END=30
unset -f scenario_expect_fix

confirm() {
	expect_grep ns1 www.example.test A "CNAME[[:space:]]+www.cdn.test."
	expect_validates
	confirm_done
}
