# SPDX-License-Identifier: BSD-3-Clause
# The DS at the parent has the right key tag and algorithm but a wrong
# digest, as when a registrar's web form stored a mistyped digest.
DESCRIPTION="DS with the right key tag but a mangled digest"
EXPECT_VERDICT=bogus
EXPECT_FINDINGS="ds-digest-mismatch"
EXPECT_ACTOR=registrar

# Every hex digit of the digest shifted by one: same tag, algorithm, type.
scenario_ds() {
	awk 'BEGIN { OFS = "\t" } $4 == "DS" {
		d = ""
		for (i = 1; i <= length($8); i++) {
			c = index("0123456789abcdef", tolower(substr($8, i, 1)))
			d = d substr("123456789abcdef0", c, 1)
		}
		$8 = d
	} { print }' "$1" >"$1.tmp" && mv "$1.tmp" "$1"
}

confirm() {
	expect_ds_match example.test tld1 ns1 tag-only
	expect unbound www.example.test A SERVFAIL ede=9,6
	expect kresd www.example.test A SERVFAIL
	expect office www.example.test A NOERROR noad answer
	expect_delv www.example.test A failed
	confirm_done
}
