# SPDX-License-Identifier: BSD-3-Clause
# www.example.test. is a CNAME into a CDN's zone, cdn.test. (its own
# server, 127.0.6.1, its own keys and DS), whose signatures expired 10 days
# ago. example.test. itself is fine. Validators fail on www with EDE 7
# (Signature Expired) and they are right: the break is in the CDN's zone,
# the CDN must act. Not "flush caches", not "the resolver disagrees".
DESCRIPTION="www is a CNAME into a CDN zone whose signatures expired"
EXPECT_VERDICT=bogus
EXPECT_FINDINGS="alias-target-broken validators-servfail"
EXPECT_ACTOR=cname-target-owner
EXPECT_ABSENT="ede-disagrees rrsig-expired denial-proof-invalid ds-no-matching-key"
EXPECT_NO_FIX="flush"
CDN_ADDR=127.0.6.1
CDN_WINDOW_END=-10	# days from now: expired (alias-target-healthy: +30)

scenario_setup() {
	CDN_KSK=$(key_new cdn.test. ksk) || return 1
	CDN_ZSK=$(key_new cdn.test. zsk) || return 1
}

# www is the alias; nothing else may own data there.
example_zone() {
	local out=$1 serial=$2 inc=$3 exp=$4 publish=$5
	shift 5
	{
		example_records "$serial" | awk '$1 != "www"'
		echo "www	CNAME	www.cdn.test."
		[ -z "$publish" ] || key_dnskey $publish
		scenario_records
	} >"$out.in"
	zone_sign example.test. "$out.in" "$out" "$inc" "$exp" "$@"
}

scenario_tld_records() {
	printf 'cdn\tNS\tns1.cdn\nns1.cdn\tA\t%s\n' "$CDN_ADDR"
	key_ds "$CDN_KSK"
}

# The CDN's zone, signed with a window that ended 10 days ago.
scenario_servers() {
	local z="$LAB_DIR/zones/cdn.test"
	cat >"$z.in" <<EOF2
\$ORIGIN cdn.test.
\$TTL 300
@	SOA	ns1 hostmaster 1 3600 900 1209600 300
@	NS	ns1
ns1	A	$CDN_ADDR
www	A	127.0.5.80
www	AAAA	2001:db8::80
EOF2
	zone_sign cdn.test. "$z.in" "$z.signed" $((W_NOW - 40 * DAY)) \
		$((W_NOW + CDN_WINDOW_END * DAY)) "$CDN_KSK" "$CDN_ZSK"
	nsd_start cdn "$CDN_ADDR" "cdn.test.=$z.signed"
}

confirm() {
	expect_grep ns1 www.example.test A "CNAME[[:space:]]+www.cdn.test."
	expect_rrsig_window $CDN_ADDR www.cdn.test A expired
	expect unbound www.example.test A SERVFAIL ede=7
	expect kresd www.example.test A SERVFAIL
	expect unbound www.example.test A NOERROR +cd answer
	expect unbound example.test SOA NOERROR ad answer
	expect kresd example.test SOA NOERROR ad answer
	expect_delv www.cdn.test A failed "expired"
	confirm_done
}

# The fix names the target's zone (from the walk, not a guess) and the
# repairs meanwhile.
scenario_expect_fix() { echo 'Repoint www\.example\.test\. to a working target[\s\S]*negative trust anchor for cdn\.test\.'; }
