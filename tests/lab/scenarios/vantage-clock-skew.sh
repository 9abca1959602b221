# SPDX-License-Identifier: BSD-3-Clause
# Our own clock is wrong, not the zone: bogus runs with its clock 60 days
# ahead (faketime), so every signature it sees, the root's included, looks
# expired, while the world's resolvers (right clocks) validate everything.
# bogus must blame our clock (exit 3, UNKNOWN), not the zone's signatures.
DESCRIPTION="our clock is 60 days ahead (faketime): every signature looks expired (zone healthy)"
EXPECT_VERDICT=vantage
EXPECT_FINDINGS="vantage-clock-skew"
EXPECT_ACTOR=local-network
EXPECT_EXIT=3
EXPECT_ABSENT="rrsig-expired parent-ds-signature-expired validators-servfail nonvalidating-resolver ds-no-matching-key"
EXPECT_NO_FIX="re-sign|rndc nta|insecure_add"
# How check.sh runs bogus: under a clock 60 days ahead (the monotonic clock
# is left alone, so timeouts stay timeouts).
BOGUS_WRAP="env FAKETIME_DONT_FAKE_MONOTONIC=1 faketime -f +60d"

confirm() {
	command -v faketime >/dev/null || { echo "faketime is not installed (tests/deps.sh)"; return 1; }
	expect_rrsig_window root . DNSKEY valid
	expect_validates
	# At bogus's clock the root's own DNSKEY signature is out of its window:
	# dig shows the window, date under the same faketime the clock.
	date() { $BOGUS_WRAP date "$@"; }
	expect_rrsig_window root . DNSKEY expired
	expect_rrsig_window tld1 test DNSKEY expired
	unset -f date
	confirm_done
}
