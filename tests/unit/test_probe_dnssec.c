/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_probe_dnssec.c - key tags, DS digests, RRSIG checks, the crypto cap
 * and denial proofs, against the RFC examples and keys made here.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "probe_dnssec.h"

/* RFC 4034 section 5.4 and RFC 4509 section 2.3 (the same key). */
static const char rfc_key[] =
	"dskey.example.com. 86400 IN DNSKEY 256 3 5 "
	"AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/"
	"2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvx"
	"egXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9Xzc"
	"nOf+EPbtG9DMBmADjFDc2w/rljwvFw==";
static const char rfc_ds1[] = "dskey.example.com. 86400 IN DS 60485 5 1 "
	"2BB183AF5F22588179A53B0A98631FAD1A292118";
static const char rfc_ds2[] = "dskey.example.com. 86400 IN DS 60485 5 2 "
	"D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A";

static ldns_rr *rr(const char *text)
{
	ldns_rr *r = NULL;

	assert_int_equal(ldns_rr_new_frm_str(&r, text, 3600, NULL, NULL),
			 LDNS_STATUS_OK);
	return r;
}

static ldns_rr_list *list_of(ldns_rr *a)
{
	ldns_rr_list *l = ldns_rr_list_new();

	ldns_rr_list_push_rr(l, a);
	return l;
}

static void test_keytag_rfc4034(void **state)
{
	ldns_rr *key = rr(rfc_key);
	struct key_info ki;

	(void)state;
	assert_int_equal(probe_dnssec_keytag(key), 60485);
	assert_int_equal(probe_dnssec_keytag(NULL), 0);
	probe_dnssec_key_info(key, &ki);
	assert_int_equal(ki.tag, 60485);
	assert_int_equal(ki.flags, 256);
	assert_int_equal(ki.algorithm, 5);
	assert_int_equal(ki.protocol, 3);
	assert_int_equal(ki.bits, 1024);	/* 128-octet modulus */
	assert_non_null(strstr(ki.ds_sha256, "60485 5 2 "
		"d4b7d520e7bb5f0f67674a0cceb1e3e0614b93c4f9e99b8383f6a1e4469da50a"));
	assert_non_null(strstr(ki.ds_sha384, "60485 5 4 "));
	assert_non_null(strstr(ki.rr_text, "DNSKEY 256 3 5 AQOeiiR0"));
	assert_null(strchr(ki.rr_text, '\n'));
	assert_null(strchr(ki.rr_text, ';'));	/* no ldns comment */
	probe_dnssec_key_info_clear(&ki);
	ldns_rr_free(key);
}

static void test_ds_digests_rfc(void **state)
{
	ldns_rr *key = rr(rfc_key);
	ldns_rr_list *keys = list_of(key);
	ldns_rr *ds1 = rr(rfc_ds1), *ds2 = rr(rfc_ds2);
	struct ds_info d;
	char *text;

	(void)state;
	text = probe_dnssec_ds_text(key, 1);
	assert_non_null(strstr(text,
		"60485 5 1 2bb183af5f22588179a53b0a98631fad1a292118"));
	free(text);
	assert_null(probe_dnssec_ds_text(key, 3));

	probe_dnssec_ds_info(ds1, keys, &d);
	assert_int_equal(d.tag, 60485);
	assert_int_equal(d.digest_type, 1);
	assert_string_equal(d.digest_hex,
			    "2bb183af5f22588179a53b0a98631fad1a292118");
	assert_int_equal(d.match, DS_MATCH_OK);
	assert_int_equal(d.key_index, 0);
	probe_dnssec_ds_info_clear(&d);

	probe_dnssec_ds_info(ds2, keys, &d);
	assert_int_equal(d.match, DS_MATCH_OK);
	assert_int_equal(d.digest_type, 2);
	probe_dnssec_ds_info_clear(&d);

	ldns_rr_free(ds1);
	ldns_rr_free(ds2);
	ldns_rr_list_deep_free(keys);
}

/* The match class of the DS @p text against @p keys; its key index out. */
static enum ds_match ds_match_of(const char *text, ldns_rr_list *keys,
				 int *key_index)
{
	ldns_rr *ds = rr(text);
	struct ds_info d;
	enum ds_match m;

	probe_dnssec_ds_info(ds, keys, &d);
	m = d.match;
	*key_index = d.key_index;
	probe_dnssec_ds_info_clear(&d);
	ldns_rr_free(ds);
	return m;
}

static void test_ds_mismatch_classes(void **state)
{
	ldns_rr_list *keys = list_of(rr(rfc_key));
	int idx;

	(void)state;
	/* No key with that tag. */
	assert_int_equal(ds_match_of("dskey.example.com. IN DS 12345 5 2 "
		"D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A",
		keys, &idx), DS_MATCH_NO_KEY);
	assert_int_equal(idx, -1);
	/* Right tag, wrong algorithm: no key either. */
	assert_int_equal(ds_match_of("dskey.example.com. IN DS 60485 8 1 "
		"2BB183AF5F22588179A53B0A98631FAD1A292118", keys, &idx),
		DS_MATCH_NO_KEY);
	/* Right tag and algorithm, digest of something else. */
	assert_int_equal(ds_match_of("dskey.example.com. IN DS 60485 5 2 "
		"D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50B",
		keys, &idx), DS_MATCH_DIGEST_MISMATCH);
	assert_int_equal(idx, 0);
	/* Right digest, but published under another owner name. */
	assert_int_equal(ds_match_of("other.example.com. IN DS 60485 5 1 "
		"2BB183AF5F22588179A53B0A98631FAD1A292118", keys, &idx),
		DS_MATCH_DIGEST_MISMATCH);
	/* GOST (3): a digest type we cannot compute. */
	assert_int_equal(ds_match_of("dskey.example.com. IN DS 60485 5 3 "
		"D4B7D520E7BB5F0F67674A0CCEB1E3E0614B93C4F9E99B8383F6A1E4469DA50A",
		keys, &idx), DS_MATCH_UNSUPPORTED_DIGEST);
	ldns_rr_list_deep_free(keys);

	/* The key now served with REVOKE (256+128): its tag changed, but
	 * the DS still names the key it was. */
	keys = list_of(rr("dskey.example.com. 86400 IN DNSKEY 384 3 5 "
		"AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/"
		"2pHm822aJ5iI9BMzNXxeYCmZDRD99WYwYqUSdjMmmAphXdvx"
		"egXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2wwjM9Xzc"
		"nOf+EPbtG9DMBmADjFDc2w/rljwvFw=="));
	assert_int_not_equal(probe_dnssec_keytag(ldns_rr_list_rr(keys, 0)),
			     60485);
	assert_int_equal(ds_match_of(rfc_ds2, keys, &idx),
			 DS_MATCH_REVOKED_KEY);
	assert_int_equal(idx, 0);
	ldns_rr_list_deep_free(keys);
}

static void test_serial_time(void **state)
{
	int64_t now = 1700000000;

	(void)state;
	assert_int_equal(probe_dnssec_serial_time((uint32_t)(now + 5), now),
			 now + 5);
	assert_int_equal(probe_dnssec_serial_time((uint32_t)(now - 5), now),
			 now - 5);
	/* In 2106 the 32-bit field wraps: a small value is in the future. */
	now = 4294967296LL - 100;
	assert_int_equal(probe_dnssec_serial_time(1000, now), 4294967296LL + 1000);
	now = 4294967296LL + 100;
	assert_int_equal(probe_dnssec_serial_time(4294967000U, now),
			 4294967000LL);
}

/* A fresh ECDSA P-256 zone key for @p owner with a signing window. */
static ldns_key *make_key(const char *owner, uint16_t flags,
			  uint32_t inception, uint32_t expiration)
{
	ldns_key *k = ldns_key_new_frm_algorithm(LDNS_SIGN_ECDSAP256SHA256, 256);
	ldns_rr *pub;

	assert_non_null(k);
	ldns_key_set_pubkey_owner(k, ldns_dname_new_frm_str(owner));
	ldns_key_set_flags(k, flags);
	ldns_key_set_inception(k, inception);
	ldns_key_set_expiration(k, expiration);
	pub = ldns_key2rr(k);
	ldns_key_set_keytag(k, ldns_calc_keytag(pub));
	ldns_rr_free(pub);
	return k;
}

static ldns_rr_list *sign(ldns_rr_list *rrset, ldns_key *k)
{
	ldns_key_list *kl = ldns_key_list_new();
	ldns_rr_list *sigs;

	ldns_key_list_push_key(kl, k);
	sigs = ldns_sign_public(rrset, kl);
	assert_non_null(sigs);
	ldns_key_list_set_key_count(kl, 0);	/* the caller keeps the key */
	ldns_key_list_free(kl);
	return sigs;
}

static enum sig_check check1(ldns_rr_list *rrset, ldns_rr_list *sigs,
			     ldns_rr_list *keys, int64_t now, bool *key_ok)
{
	struct rrsig_info *info;
	size_t n = probe_dnssec_check_sigs(rrset, sigs, keys, now, 16, &info,
					   key_ok);
	enum sig_check c;

	assert_int_equal(n, 1);
	c = info[0].check;
	probe_dnssec_sigs_free(info, n);
	return c;
}

static void test_rrsig_checks(void **state)
{
	int64_t now = 1700000000;
	ldns_key *k = make_key("example.test.", 257, (uint32_t)(now - 3600),
			       (uint32_t)(now + 86400));
	ldns_key *other = make_key("example.test.", 257, (uint32_t)(now - 3600),
				   (uint32_t)(now + 86400));
	ldns_rr_list *rrset = list_of(rr("www.example.test. 300 IN A 192.0.2.1"));
	ldns_rr_list *keys = list_of(ldns_key2rr(k));
	ldns_rr_list *other_keys = list_of(ldns_key2rr(other));
	ldns_rr_list *sigs = sign(rrset, k);
	ldns_rr_list *tampered;
	struct rrsig_info *info;
	bool key_ok[1] = { false };
	size_t n;

	(void)state;
	assert_int_equal(check1(rrset, sigs, keys, now, key_ok), SIG_VALID);
	assert_true(key_ok[0]);
	n = probe_dnssec_check_sigs(rrset, sigs, keys, now, 16, &info, NULL);
	assert_int_equal(info[0].covered, LDNS_RR_TYPE_A);
	assert_int_equal(info[0].algorithm, 13);
	assert_int_equal(info[0].original_ttl, 300);
	assert_int_equal(info[0].inception, now - 3600);
	assert_int_equal(info[0].expiration, now + 86400);
	assert_string_equal(info[0].signer, "example.test.");
	assert_int_equal(info[0].key_tag, ldns_key_keytag(k));
	probe_dnssec_sigs_free(info, n);

	assert_int_equal(check1(rrset, sigs, keys, now + 86401, NULL),
			 SIG_EXPIRED);
	assert_int_equal(check1(rrset, sigs, keys, now - 3601, NULL),
			 SIG_NOT_YET_VALID);
	assert_int_equal(check1(rrset, sigs, other_keys, now, NULL),
			 SIG_NO_KEY);
	assert_int_equal(check1(rrset, sigs, NULL, now, NULL), SIG_NO_KEY);

	tampered = list_of(rr("www.example.test. 300 IN A 192.0.2.2"));
	assert_int_equal(check1(tampered, sigs, keys, now, NULL), SIG_BAD);

	/* A key that is not a zone key (flags 0) never counts. */
	ldns_rr_list_deep_free(other_keys);
	other_keys = list_of(ldns_key2rr(k));
	ldns_rdf_deep_free(ldns_rr_set_rdf(ldns_rr_list_rr(other_keys, 0),
		ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16, 0), 0));
	assert_int_equal(check1(rrset, sigs, other_keys, now, NULL),
			 SIG_NO_KEY);

	ldns_rr_list_deep_free(tampered);
	ldns_rr_list_deep_free(other_keys);
	ldns_rr_list_deep_free(sigs);
	ldns_rr_list_deep_free(keys);
	ldns_rr_list_deep_free(rrset);
	ldns_key_deep_free(k);
	ldns_key_deep_free(other);
}

static void test_rrsig_wraparound(void **state)
{
	/* Signed across the 2^32 boundary (February 2106). */
	int64_t now = 4294967296LL + 50;
	ldns_key *k = make_key("example.test.", 256, (uint32_t)(now - 1000),
			       (uint32_t)(now + 1000));
	ldns_rr_list *rrset = list_of(rr("example.test. 300 IN TXT \"x\""));
	ldns_rr_list *keys = list_of(ldns_key2rr(k));
	ldns_rr_list *sigs = sign(rrset, k);
	struct rrsig_info *info;
	size_t n;

	(void)state;
	n = probe_dnssec_check_sigs(rrset, sigs, keys, now, 16, &info, NULL);
	assert_int_equal(n, 1);
	assert_int_equal(info[0].check, SIG_VALID);
	assert_int_equal(info[0].inception, now - 1000);
	assert_int_equal(info[0].expiration, now + 1000);
	probe_dnssec_sigs_free(info, n);
	assert_int_equal(check1(rrset, sigs, keys, now + 1001, NULL),
			 SIG_EXPIRED);
	assert_int_equal(check1(rrset, sigs, keys, now - 1001, NULL),
			 SIG_NOT_YET_VALID);

	ldns_rr_list_deep_free(sigs);
	ldns_rr_list_deep_free(keys);
	ldns_rr_list_deep_free(rrset);
	ldns_key_deep_free(k);
}

static void test_verification_cap(void **state)
{
	int64_t now = 1700000000;
	ldns_key *k = make_key("example.test.", 257, (uint32_t)(now - 3600),
			       (uint32_t)(now + 86400));
	ldns_rr_list *rrset = list_of(rr("www.example.test. 300 IN A 192.0.2.1"));
	ldns_rr_list *tampered = list_of(rr("www.example.test. 300 IN A 192.0.2.9"));
	ldns_rr_list *sig1 = sign(rrset, k);
	ldns_rr_list *sigs = ldns_rr_list_new();
	ldns_rr_list *keys = ldns_rr_list_new();
	struct rrsig_info *info;
	size_t n, bad = 0, unchecked = 0;

	(void)state;
	/* 50 keys sharing one tag, 50 signatures that fail with each. */
	for (int i = 0; i < 50; i++) {
		ldns_rr_list_push_rr(keys, ldns_key2rr(k));
		ldns_rr_list_push_rr(sigs,
				     ldns_rr_clone(ldns_rr_list_rr(sig1, 0)));
	}
	n = probe_dnssec_check_sigs(tampered, sigs, keys, now, 16, &info, NULL);
	assert_int_equal(n, 50);
	for (size_t i = 0; i < n; i++) {
		bad += info[i].check == SIG_BAD;
		unchecked += info[i].check == SIG_NOT_CHECKED;
	}
	/* 16 verifications all went to the first signature. */
	assert_int_equal(info[0].check, SIG_BAD);
	assert_int_equal(bad, 1);
	assert_int_equal(unchecked, 49);
	probe_dnssec_sigs_free(info, n);

	/* With a cap of 0, nothing is verified, even a good signature. */
	n = probe_dnssec_check_sigs(rrset, sig1, keys, now, 0, &info, NULL);
	assert_int_equal(n, 1);
	assert_int_equal(info[0].check, SIG_NOT_CHECKED);
	probe_dnssec_sigs_free(info, n);

	ldns_rr_list_deep_free(sig1);
	ldns_rr_list_deep_free(sigs);
	ldns_rr_list_deep_free(keys);
	ldns_rr_list_deep_free(rrset);
	ldns_rr_list_deep_free(tampered);
	ldns_key_deep_free(k);
}

/* Adds @p rrset and its signatures by @p k to the authority section. */
static void push_signed(ldns_pkt *p, const char *text, ldns_key *k)
{
	ldns_rr_list *set = list_of(rr(text));
	ldns_rr_list *sigs = sign(set, k);

	ldns_pkt_push_rr_list(p, LDNS_SECTION_AUTHORITY, set);
	ldns_pkt_push_rr_list(p, LDNS_SECTION_AUTHORITY, sigs);
	ldns_rr_list_free(set);
	ldns_rr_list_free(sigs);
}

static void test_denial_nsec(void **state)
{
	int64_t now = 1700000000;
	ldns_key *k = make_key("example.test.", 256, (uint32_t)(now - 3600),
			       (uint32_t)(now + 86400));
	ldns_rr_list *keys = list_of(ldns_key2rr(k));
	ldns_rdf *qname = ldns_dname_new_frm_str("b.example.test.");
	ldns_rdf *apex = ldns_dname_new_frm_str("example.test.");
	ldns_pkt *p = ldns_pkt_new();

	(void)state;
	ldns_pkt_set_rcode(p, LDNS_RCODE_NXDOMAIN);
	push_signed(p, "example.test. 300 IN NSEC a.example.test. "
		    "SOA NS RRSIG NSEC DNSKEY", k);
	push_signed(p, "a.example.test. 300 IN NSEC c.example.test. "
		    "A RRSIG NSEC", k);
	assert_int_equal(probe_dnssec_check_denial(p, qname, LDNS_RR_TYPE_A,
			 keys, now, 16, 150), SEC_SECURE);
	/* Expired signatures on the proof: bogus. */
	assert_int_equal(probe_dnssec_check_denial(p, qname, LDNS_RR_TYPE_A,
			 keys, now + 90000, 16, 150), SEC_BOGUS);
	/* A proof, but no keys to check it with: unknown. */
	assert_int_equal(probe_dnssec_check_denial(p, qname, LDNS_RR_TYPE_A,
			 NULL, now, 16, 150), SEC_UNKNOWN);
	/* The cap reached: unknown, not bogus. */
	assert_int_equal(probe_dnssec_check_denial(p, qname, LDNS_RR_TYPE_A,
			 keys, now, 0, 150), SEC_UNKNOWN);
	/* Two NSEC RRsets, one verification each: a budget of 1 is spent
	 * on the first, so the proof as a whole stays unchecked. */
	assert_int_equal(probe_dnssec_check_denial(p, qname, LDNS_RR_TYPE_A,
			 keys, now, 1, 150), SEC_UNKNOWN);
	assert_int_equal(probe_dnssec_check_denial(p, qname, LDNS_RR_TYPE_A,
			 keys, now, 2, 150), SEC_SECURE);
	/* NODATA at the apex for MX: the apex NSEC proves it. */
	ldns_pkt_set_rcode(p, LDNS_RCODE_NOERROR);
	assert_int_equal(probe_dnssec_check_denial(p, apex, LDNS_RR_TYPE_MX,
			 keys, now, 16, 150), SEC_SECURE);
	/* ...but not for SOA, which the bitmap lists. */
	assert_int_equal(probe_dnssec_check_denial(p, apex, LDNS_RR_TYPE_SOA,
			 keys, now, 16, 150), SEC_BOGUS);
	ldns_pkt_free(p);

	/* A negative answer without any proof from a signed zone. */
	p = ldns_pkt_new();
	ldns_pkt_set_rcode(p, LDNS_RCODE_NXDOMAIN);
	assert_int_equal(probe_dnssec_check_denial(p, qname, LDNS_RR_TYPE_A,
			 keys, now, 16, 150), SEC_BOGUS);
	assert_int_equal(probe_dnssec_check_denial(p, qname, LDNS_RR_TYPE_A,
			 NULL, now, 16, 150), SEC_INSECURE);
	/* A positive answer is not a denial. */
	ldns_pkt_set_rcode(p, LDNS_RCODE_NOERROR);
	ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER,
			 rr("b.example.test. 300 IN A 192.0.2.1"));
	assert_int_equal(probe_dnssec_check_denial(p, qname, LDNS_RR_TYPE_A,
			 keys, now, 16, 150), SEC_UNKNOWN);
	ldns_pkt_free(p);

	ldns_rdf_deep_free(qname);
	ldns_rdf_deep_free(apex);
	ldns_rr_list_deep_free(keys);
	ldns_key_deep_free(k);
}

static void test_nsec3_iteration_cap(void **state)
{
	int64_t now = 1700000000;
	ldns_key *k = make_key("example.test.", 256, (uint32_t)(now - 3600),
			       (uint32_t)(now + 86400));
	ldns_rr_list *keys = list_of(ldns_key2rr(k));
	ldns_rdf *qname = ldns_dname_new_frm_str("b.example.test.");
	ldns_pkt *p = ldns_pkt_new();

	(void)state;
	ldns_pkt_set_rcode(p, LDNS_RCODE_NXDOMAIN);
	push_signed(p, "0p9mhaveqvm6t7vbl5lop2u3t2rp3tom.example.test. 300 IN "
		    "NSEC3 1 0 500 aabbccdd 2vptu5timamqttgl4luu9kg21e0aor3s "
		    "A RRSIG", k);
	/* 500 > 150: insecure, and no hashing was needed to say so. */
	assert_int_equal(probe_dnssec_check_denial(p, qname, LDNS_RR_TYPE_A,
			 keys, now, 16, 150), SEC_INSECURE);
	/* With a higher cap the proof is checked, and this one proves
	 * nothing about b.example.test.: bogus. */
	assert_int_equal(probe_dnssec_check_denial(p, qname, LDNS_RR_TYPE_A,
			 keys, now, 16, 1000), SEC_BOGUS);
	ldns_pkt_free(p);
	ldns_rdf_deep_free(qname);
	ldns_rr_list_deep_free(keys);
	ldns_key_deep_free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keytag_rfc4034),
		cmocka_unit_test(test_ds_digests_rfc),
		cmocka_unit_test(test_ds_mismatch_classes),
		cmocka_unit_test(test_serial_time),
		cmocka_unit_test(test_rrsig_checks),
		cmocka_unit_test(test_rrsig_wraparound),
		cmocka_unit_test(test_verification_cap),
		cmocka_unit_test(test_denial_nsec),
		cmocka_unit_test(test_nsec3_iteration_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
