/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_probe_reply.c - reading EDE/NSID option bytes and whole replies.
 *
 * The option walker gets well-formed and hostile bytes; the converter gets
 * packets built with ldns the way a server would send them.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "probe_reply.h"

static void test_no_options(void **state)
{
	struct dns_reply r = { 0 };

	(void)state;
	assert_int_equal(probe_reply_edns_options(&r, NULL, 0), 0);
	assert_int_equal(probe_reply_edns_options(&r, (const uint8_t *)"", 0), 0);
	assert_int_equal(r.n_ede, 0);
	assert_null(r.nsid);
}

static void test_one_ede_with_text(void **state)
{
	const uint8_t b[] = { 0, 15, 0, 9, 0, 6, 'n', 'o', ' ', 'k', 'e', 'y', 's' };
	struct dns_reply r = { 0 };

	(void)state;
	assert_int_equal(probe_reply_edns_options(&r, b, sizeof(b)), 1);
	assert_int_equal(r.n_ede, 1);
	assert_int_equal(r.ede[0].code, 6);
	assert_string_equal(r.ede[0].text, "no keys");
	dns_reply_clear(&r);
}

static void test_multiple_ede_and_nsid(void **state)
{
	const uint8_t b[] = {
		0, 10, 0, 8, 1, 2, 3, 4, 5, 6, 7, 8,		/* COOKIE: skipped */
		0, 15, 0, 2, 0, 9,				/* EDE 9, no text */
		0, 3, 0, 3, 'n', 's', '1',			/* NSID */
		0, 15, 0, 5, 0, 22, 'a', 'b', 'c',		/* EDE 22 "abc" */
		0, 3, 0, 3, 'x', 'x', 'x',			/* 2nd NSID: ignored */
	};
	struct dns_reply r = { 0 };

	(void)state;
	assert_int_equal(probe_reply_edns_options(&r, b, sizeof(b)), 5);
	assert_int_equal(r.n_ede, 2);
	assert_int_equal(r.ede[0].code, 9);
	assert_string_equal(r.ede[0].text, "");
	assert_int_equal(r.ede[1].code, 22);
	assert_string_equal(r.ede[1].text, "abc");
	assert_string_equal(r.nsid, "ns1");
	dns_reply_clear(&r);
}

static void test_truncated_and_overlong(void **state)
{
	/* Good EDE, then an option whose length runs past the end. */
	const uint8_t b[] = { 0, 15, 0, 2, 0, 1, 0, 15, 0, 200, 0, 7, 'x' };
	/* An option header cut in half. */
	const uint8_t c[] = { 0, 15, 0 };
	/* EDE too short to carry an INFO-CODE. */
	const uint8_t d[] = { 0, 15, 0, 1, 7 };
	struct dns_reply r = { 0 };

	(void)state;
	assert_int_equal(probe_reply_edns_options(&r, b, sizeof(b)), 1);
	assert_int_equal(r.n_ede, 1);
	assert_int_equal(r.ede[0].code, 1);
	dns_reply_clear(&r);
	assert_int_equal(probe_reply_edns_options(&r, c, sizeof(c)), 0);
	assert_int_equal(r.n_ede, 0);
	assert_int_equal(probe_reply_edns_options(&r, d, sizeof(d)), 1);
	assert_int_equal(r.n_ede, 0);
	dns_reply_clear(&r);
}

static void test_huge_text_and_nul(void **state)
{
	size_t tl = 3000;
	uint8_t *b = calloc(1, 6 + tl + 10);
	struct dns_reply r = { 0 };

	(void)state;
	b[1] = 15;
	b[2] = (uint8_t)((tl + 2) >> 8);
	b[3] = (uint8_t)(tl + 2);
	b[5] = 18;
	memset(b + 6, 'A', tl);
	/* NSID with a NUL inside: cut there. */
	memcpy(b + 6 + tl, "\0\3\0\4ab\0c", 8);
	assert_int_equal(probe_reply_edns_options(&r, b, 6 + tl + 8), 2);
	assert_int_equal(r.ede[0].code, 18);
	assert_int_equal(strlen(r.ede[0].text), EVIDENCE_MAX_TEXT);
	assert_string_equal(r.nsid, "ab");
	dns_reply_clear(&r);
	free(b);
}

static void test_many_ede_capped(void **state)
{
	uint8_t b[40 * 6];
	struct dns_reply r = { 0 };

	(void)state;
	for (int i = 0; i < 40; i++) {
		uint8_t *o = b + i * 6;

		o[0] = 0; o[1] = 15; o[2] = 0; o[3] = 2; o[4] = 0; o[5] = (uint8_t)i;
	}
	assert_int_equal(probe_reply_edns_options(&r, b, sizeof(b)), 40);
	assert_int_equal(r.n_ede, PROBE_REPLY_MAX_EDE);
	dns_reply_clear(&r);
}

static ldns_rr *rr(const char *text)
{
	ldns_rr *x = NULL;

	assert_int_equal(ldns_rr_new_frm_str(&x, text, 0, NULL, NULL), LDNS_STATUS_OK);
	return x;
}

static ldns_rr *question(const char *text)
{
	ldns_rr *x = NULL;

	assert_int_equal(ldns_rr_new_question_frm_str(&x, text, NULL, NULL),
			 LDNS_STATUS_OK);
	return x;
}

static void test_fill_answer(void **state)
{
	ldns_pkt *p = ldns_pkt_new();
	struct dns_reply r = { 0 };
	const uint8_t opt[] = { 0, 15, 0, 6, 0, 6, 'b', 'a', 'd', '!' };

	(void)state;
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_ad(p, true);
	ldns_pkt_set_ra(p, true);
	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, question("www.example.test. IN A"));
	ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr("www.example.test. 300 IN A 192.0.2.1"));
	ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr("www.example.test. 60 IN A 192.0.2.2"));
	ldns_pkt_set_edns_udp_size(p, 1232);
	ldns_pkt_set_edns_data(p, ldns_rdf_new_frm_data(LDNS_RDF_TYPE_UNKNOWN,
							sizeof(opt), opt));
	probe_reply_fill(&r, p, 123, NULL);
	assert_int_equal(r.outcome, OUTCOME_ANSWER);
	assert_int_equal(r.rcode, RCODE_NOERROR);
	assert_true(r.ad);
	assert_true(r.ra);
	assert_false(r.aa);
	assert_false(r.tc);
	assert_int_equal(r.size, 123);
	assert_int_equal(r.min_ttl, 60);
	assert_int_equal(r.neg_ttl, 0);
	assert_int_equal(r.n_answer, 2);
	assert_non_null(strstr(r.answer[0], "192.0.2.1"));
	assert_null(strchr(r.answer[0], '\n'));
	assert_int_equal(r.n_ede, 1);
	assert_string_equal(r.ede[0].text, "bad!");
	dns_reply_clear(&r);
	ldns_pkt_free(p);
}

static void test_fill_negative(void **state)
{
	ldns_pkt *p = ldns_pkt_new();
	struct dns_reply r = { 0 };

	(void)state;
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_aa(p, true);
	ldns_pkt_set_rcode(p, LDNS_RCODE_NXDOMAIN);
	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, question("nx.example.test. IN A"));
	ldns_pkt_push_rr(p, LDNS_SECTION_AUTHORITY, rr(
		"example.test. 3600 IN SOA ns1.example.test. h.example.test. 1 7200 900 1209600 300"));
	probe_reply_fill(&r, p, 99, NULL);
	assert_int_equal(r.rcode, RCODE_NXDOMAIN);
	assert_true(r.aa);
	assert_int_equal(r.neg_ttl, 300);
	assert_int_equal(r.n_answer, 0);
	dns_reply_clear(&r);

	/* SOA TTL lower than MINIMUM: the TTL wins (RFC 2308). */
	ldns_rr_set_ttl(ldns_rr_list_rr(ldns_pkt_authority(p), 0), 30);
	ldns_pkt_set_rcode(p, LDNS_RCODE_NOERROR);
	probe_reply_fill(&r, p, 99, NULL);
	assert_int_equal(r.neg_ttl, 30);
	dns_reply_clear(&r);
	ldns_pkt_free(p);
}

static void test_fill_caps_rr_count(void **state)
{
	ldns_pkt *p = ldns_pkt_new();
	struct dns_reply r = { 0 };
	char line[128];

	(void)state;
	for (int i = 0; i < 100; i++) {
		snprintf(line, sizeof(line), "big.example.test. 300 IN A 10.0.%d.%d",
			 i / 250, i % 250);
		ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, rr(line));
	}
	probe_reply_fill(&r, p, 1000, NULL);
	assert_int_equal(r.n_answer, PROBE_REPLY_MAX_RRS);
	dns_reply_clear(&r);
	ldns_pkt_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_options),
		cmocka_unit_test(test_one_ede_with_text),
		cmocka_unit_test(test_multiple_ede_and_nsid),
		cmocka_unit_test(test_truncated_and_overlong),
		cmocka_unit_test(test_huge_text_and_nul),
		cmocka_unit_test(test_many_ede_capped),
		cmocka_unit_test(test_fill_answer),
		cmocka_unit_test(test_fill_negative),
		cmocka_unit_test(test_fill_caps_rr_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
