# The apex TXT (SPF) has a TTL of 40 days while the zone's signatures last
# 30: a cache fetching it now would keep it past its RRSIG's expiration
# (validators cap the TTL; RFC 4035 5.3.3). Validates today: a warning.
DESCRIPTION="apex TXT TTL (40 days) longer than its signatures last (30 days)"
EXPECT_VERDICT=degraded
EXPECT_FINDINGS="ttl-beyond-expiration"
EXPECT_ACTOR=dns-provider
EXPECT_ABSENT="rrsig-expired rrsig-expiring-soon validators-servfail"

example_zone() {
	local out=$1 serial=$2 inc=$3 exp=$4 publish=$5
	shift 5
	{
		example_records "$serial" | awk '$2 == "TXT" && $1 == "@" { $1 = "@\t3456000" } { print }'
		[ -z "$publish" ] || key_dnskey $publish
		scenario_records
	} >"$out.in"
	zone_sign example.test. "$out.in" "$out" "$inc" "$exp" "$@"
}

confirm() {
	expect_grep ns1 example.test TXT "^example.test.[[:space:]]+3456000[[:space:]]+IN[[:space:]]+TXT"
	expect_rrsig_window ns1 example.test TXT valid
	expect unbound example.test TXT NOERROR ad answer
	expect_validates
	confirm_done
}

scenario_expect_fix() { echo "Lower those TTLs"; }
