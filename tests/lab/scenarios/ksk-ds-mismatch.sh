# SPDX-License-Identifier: BSD-3-Clause
# A KSK rollover done wrong: the zone now serves a new KSK, and nobody
# replaced the DS at the registrar, so the DS matches no key in the zone.
DESCRIPTION="KSK replaced, the parent's DS still for the old key"
EXPECT_VERDICT=bogus
EXPECT_FINDINGS="ds-no-matching-key validators-servfail nonvalidating-resolver"
EXPECT_ACTOR=zone-operator

scenario_setup() {
	local new_ksk
	new_ksk=$(key_new example.test. ksk) || return 1
	W_SIGN_KEYS="$new_ksk $EX_ZSK"	# the old KSK is gone from the zone
	# W_DS_KEYS is still $EX_KSK
}

confirm() {
	expect unbound www.example.test A SERVFAIL ede=9,6
	expect kresd www.example.test A SERVFAIL
	expect office www.example.test A NOERROR noad answer
	# CD=1: the data is there, it is the chain that is broken.
	expect unbound www.example.test A NOERROR +cd answer
	expect_delv www.example.test A failed
	confirm_done
}
