# The zone publishes a CDS (and CDNSKEY) for a KSK it does not serve: a
# half-done automation, or keys generated on the wrong signer. Everything
# validates today; a parent or registrar that scans CDS (RFC 7344, RFC
# 9615) would replace the DS with it and the zone would go bogus. A
# warning with the CDS to publish instead, before the next scan.
DESCRIPTION="CDS/CDNSKEY for a key the zone does not serve: applied, they would break it"
EXPECT_VERDICT=degraded
EXPECT_FINDINGS="cds-would-break"
EXPECT_ACTOR=dns-provider
EXPECT_ABSENT="validators-servfail ds-no-matching-key cds-delete cds-pending ede-disagrees"

scenario_setup() {
	NEW_CDS_KEY=$(key_new example.test. ksk) || return 1
}

scenario_records() {
	key_ds "$NEW_CDS_KEY" | awk '{ $4 = "CDS"; print }'
	key_dnskey "$NEW_CDS_KEY" | awk '{ for (i = 1; i <= NF; i++) if ($i == "DNSKEY") $i = "CDNSKEY"; print }'
}

confirm() {
	expect_grep ns1 example.test CDS "CDS[[:space:]]+$(key_tag "$NEW_CDS_KEY") 13 2 "
	expect_grep ns2 example.test CDS "CDS[[:space:]]+$(key_tag "$NEW_CDS_KEY") 13 2 "
	expect_grep ns1 example.test CDNSKEY "CDNSKEY[[:space:]]+257 3 13"
	local tags
	tags=$(key_tags ns1 example.test)
	case " $tags " in
	*" $(key_tag "$NEW_CDS_KEY") "*) bad "ns1 serves the CDS's key $(key_tag "$NEW_CDS_KEY") ($tags)" ;;
	*) seen "ns1 DNSKEY [$tags] without the CDS's key $(key_tag "$NEW_CDS_KEY")" ;;
	esac
	expect_validates
	confirm_done
}

# The fix gives the CDS of the KSK that signs (the world's own KSK).
scenario_expect_fix() { echo "CDS $(key_tag "$EX_KSK") 13 2 "; }
