# SPDX-License-Identifier: BSD-3-Clause
# Zone transfers to ns2 stopped: ns1 serves a newer serial with a new KSK
# published (a rollover started), ns2 the older serial and key set. Both
# still validate, so resolvers succeed: degraded, not bogus.
DESCRIPTION="ns2 serves an older serial and key set than ns1"
EXPECT_VERDICT=degraded
EXPECT_FINDINGS="ns-serial-mismatch ns-dnskey-mismatch"
EXPECT_ACTOR=dns-provider

scenario_setup() {
	NEW_KSK=$(key_new example.test. ksk) || return 1
	W_PUBLISH_KEYS=$NEW_KSK		# ns1: the new KSK pre-published
	W_SERIAL=$((W_SERIAL + 1))
}

scenario_signed() {
	W_NS2_ZONE="$LAB_DIR/zones/example.test.ns2"
	example_zone "$W_NS2_ZONE" "$((W_SERIAL - 1))" "$W_INCEPTION" "$W_EXPIRATION" "" \
		"$EX_KSK" "$EX_ZSK"
}

confirm() {
	expect_differ "SOA serials at ns1 and ns2" "$(serial_of ns1 example.test)" "$(serial_of ns2 example.test)"
	expect_differ "DNSKEY tags at ns1 and ns2" "$(key_tags ns1 example.test)" "$(key_tags ns2 example.test)"
	expect_validates
	confirm_done
}
