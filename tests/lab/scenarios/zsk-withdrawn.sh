# SPDX-License-Identifier: BSD-3-Clause
# A ZSK rollover done too fast: the new ZSK is published and the old one
# withdrawn, but the zone data still carries the old ZSK's signatures (the
# signer was not told to re-sign, or the old key left before its signatures
# did). Validators find no DNSKEY for the signatures: SERVFAIL, Unbound
# says EDE 9 (DNSKEY Missing) and is right. The fastest repair is to publish
# the old ZSK again, not to re-sign everything.
DESCRIPTION="ZSK withdrawn too early: data signed by a key the DNSKEY RRset no longer holds"
EXPECT_VERDICT=bogus
EXPECT_FINDINGS="rrsig-key-not-served validators-servfail"
EXPECT_ACTOR=dns-provider
EXPECT_ABSENT="ede-disagrees rrsig-invalid ds-no-matching-key"

scenario_setup() {
	NEW_ZSK=$(key_new example.test. zsk) || return 1
}

# The data as the old ZSK signed it; the DNSKEY RRset (and its RRSIG) as
# it is with the new ZSK only.
scenario_signed() {
	local b="$LAB_DIR/zones/withdrawn"
	example_zone "$b" "$W_SERIAL" "$W_INCEPTION" "$W_EXPIRATION" "" \
		"$EX_KSK" "$NEW_ZSK"
	rr_drop "$1" '$4 == "DNSKEY" || ($4 == "RRSIG" && $5 == "DNSKEY")'
	awk '$4 == "DNSKEY" || ($4 == "RRSIG" && $5 == "DNSKEY")' "$b" >>"$1"
}

confirm() {
	expect_signers ns1 www.example.test A "$(key_tag "$EX_ZSK")"
	expect_grep ns1 example.test DNSKEY "DNSKEY[[:space:]]+256 3 13"
	local tags
	tags=$(key_tags ns1 example.test)
	case " $tags " in
	*" $(key_tag "$EX_ZSK") "*) bad "ns1 still serves the old ZSK $(key_tag "$EX_ZSK") ($tags)" ;;
	*) seen "ns1 DNSKEY [$tags] without the old ZSK $(key_tag "$EX_ZSK")" ;;
	esac
	expect unbound www.example.test A SERVFAIL ede=9
	expect kresd www.example.test A SERVFAIL
	expect office www.example.test A NOERROR noad answer
	expect unbound www.example.test A NOERROR +cd answer
	expect_delv www.example.test A failed
	confirm_done
}

# The fix names the withdrawn key and says to publish it again.
scenario_expect_fix() { echo "Publish the DNSKEY of key $(key_tag "$EX_ZSK") again"; }
