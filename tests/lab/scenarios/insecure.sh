# SPDX-License-Identifier: BSD-3-Clause
# The zone is signed but the parent has no DS: nothing validates it, the
# answers are insecure (no AD), not bogus.
DESCRIPTION="signed zone without DS at the parent: insecure delegation"
EXPECT_VERDICT=insecure
EXPECT_FINDINGS="insecure-delegation"
EXPECT_ACTOR=zone-operator

scenario_setup() {
	W_DS_KEYS=
}

confirm() {
	expect tld1 example.test DS NOERROR +norec
	expect_grep tld1 example.test DS 'DS[[:space:]]+[0-9]' no
	expect_grep tld1 example.test DS 'NSEC[[:space:]]'
	expect unbound www.example.test A NOERROR noad answer
	expect kresd www.example.test A NOERROR noad answer
	expect_delv www.example.test A unsigned
	confirm_done
}
