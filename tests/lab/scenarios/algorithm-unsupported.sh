# SPDX-License-Identifier: BSD-3-Clause
# The zone is signed with an algorithm validators do not implement: 23,
# ECC-GOST12 (RFC 9558), which Unbound, Knot Resolver and BIND here do
# not validate. Keys, signatures and the DS all say algorithm 23 (the lab
# signs with ECDSA and relabels: no validator ever checks the crypto of an
# algorithm it lacks). RFC 4035 5.2: a DS RRset with no supported
# algorithm makes the zone insecure (answers without AD), not bogus.
DESCRIPTION="signed with an algorithm validators do not implement (23, ECC-GOST12): insecure, not bogus"
EXPECT_VERDICT=insecure
EXPECT_FINDINGS="algorithm-unsupported"
EXPECT_ACTOR=zone-operator
EXPECT_ABSENT="validators-servfail ds-no-matching-key ds-digest-mismatch rrsig-key-not-served rrsig-invalid ede-disagrees"

UNSUPPORTED_ALG=23

# Relabels every DNSKEY and RRSIG as algorithm 23; a key's tag covers its
# algorithm, so each RRSIG's key tag follows its key's new tag.
scenario_signed() {
	local z=$1 key tags=
	awk -v alg=$UNSUPPORTED_ALG 'BEGIN { OFS = "\t" }
		$4 == "DNSKEY" { $7 = alg } { print }' "$z" >"$z.tmp" || return 1
	for key in $W_SIGN_KEYS; do
		tags="$tags $(key_tag "$key")=$(relabelled_tag "$key")" || return 1
	done
	awk -v alg=$UNSUPPORTED_ALG -v tags="$tags" 'BEGIN {
			OFS = "\t"; n = split(tags, t, " ")
			for (i = 1; i <= n; i++) { split(t[i], p, "="); new[p[1]] = p[2] }
		}
		$4 == "RRSIG" { $6 = alg; if ($11 in new) $11 = new[$11] } { print }' \
		"$z.tmp" >"$z" && rm -f "$z.tmp"
}

# The DS of each relabelled key.
scenario_ds() {
	local key
	: >"$1"
	for key in $W_DS_KEYS; do
		relabelled "$key" >"$LAB_DIR/relabelled.key" &&
			ldns-key2ds -n -2 "$LAB_DIR/relabelled.key" >>"$1" || return 1
	done
}

# KEY's DNSKEY line (ldns-keygen: owner IN DNSKEY flags proto alg key) as 23.
relabelled() {
	awk -v alg=$UNSUPPORTED_ALG 'BEGIN { OFS = "\t" } /^;/ { next }
		{ sub(/;.*/, ""); $6 = alg; print }' "$1.key"
}

# KEY's tag once relabelled (-f: a ZSK too).
relabelled_tag() {
	relabelled "$1" >"$LAB_DIR/relabelled.key" &&
		ldns-key2ds -f -n -2 "$LAB_DIR/relabelled.key" | awk '{ print $5 }'
}

confirm() {
	expect_grep ns1 example.test DNSKEY "DNSKEY[[:space:]]+257 3 $UNSUPPORTED_ALG "
	expect_grep tld1 example.test DS "DS[[:space:]]+[0-9]+ $UNSUPPORTED_ALG 2 "
	expect unbound www.example.test A NOERROR noad answer
	expect kresd www.example.test A NOERROR noad answer
	expect_delv www.example.test A unsigned
	confirm_done
}

# The fix: re-sign with an algorithm validators implement.
scenario_expect_fix() { echo "algorithm 13"; }
