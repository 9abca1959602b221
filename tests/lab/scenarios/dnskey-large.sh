# The DNSKEY RRset is too large for a 1232-byte UDP answer (four RSA-2048
# keys published beside the ECDSA ones), but TCP works: validators fall
# back and validate. Fine today, one firewall away from tcp-blocked: a
# warning, not silence and not an outage.
DESCRIPTION="DNSKEY answer over 1232 bytes, TCP still serves it"
EXPECT_VERDICT=degraded
EXPECT_FINDINGS="dnskey-answer-large"
EXPECT_ACTOR=dns-provider
EXPECT_ABSENT="tcp-unreachable validators-servfail ede-disagrees"

scenario_setup() { publish_big_keyset; }

confirm() {
	expect ns1 example.test DNSKEY NOERROR tc +norec +bufsize=1232 +ignore
	expect ns1 example.test DNSKEY NOERROR answer +norec +tcp
	expect_validates
	confirm_done
}

scenario_expect_fix() { echo "algorithm 13"; }
