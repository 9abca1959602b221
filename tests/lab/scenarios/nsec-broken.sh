# SPDX-License-Identifier: BSD-3-Clause
# Denial of existence fails: the NSEC records lost their signatures, so
# no NXDOMAIN or NODATA answer can be proven.
DESCRIPTION="NSEC records served without RRSIG: denial of existence fails"
EXPECT_VERDICT=bogus
EXPECT_FINDINGS="denial-proof-invalid"
EXPECT_ACTOR=dns-provider

scenario_signed() {
	rr_drop "$1" '$4 == "RRSIG" && $5 == "NSEC"'
}

confirm() {
	expect_grep ns1 nonexistent.example.test A 'NSEC[[:space:]]'
	expect_grep ns1 nonexistent.example.test A 'IN[[:space:]]+RRSIG[[:space:]]+NSEC' no
	expect unbound nonexistent.example.test A SERVFAIL
	expect kresd nonexistent.example.test A SERVFAIL
	expect office nonexistent.example.test A NXDOMAIN noad
	expect unbound www.example.test A NOERROR ad answer
	expect_delv nonexistent.example.test A failed
	confirm_done
}
