/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: the diff between two snapshots. Each change a user would want
 * to see scroll by gives one event with the right cell key; nothing changed
 * gives nothing; the log is capped. Hand-built evidence, fixed clock. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "events.h"
#include "evidence_builder.c"

static void test_first_and_unchanged(void **state)
{
	struct evidence *a = eb_healthy(), *b = eb_healthy();
	struct event_log log = { 0 };

	(void)state;
	assert_int_equal(events_diff(NULL, NULL, EB_NOW, &log), 0);
	assert_int_equal(events_diff(NULL, a, EB_NOW, &log), 1);
	assert_non_null(strstr(log.ev[0].text, "first refresh of example.test.: 2 resolvers,"
			       " 3 zone cuts, 2 nameserver addresses"));
	assert_null(log.ev[0].key);
	/* Same world again: no event at all. */
	assert_int_equal(events_diff(a, b, EB_NOW + 30, &log), 0);
	assert_int_equal(log.n, 1);
	events_clear(&log);
	events_clear(&log);	/* twice: harmless */
	events_clear(NULL);
	evidence_free(a);
	evidence_free(b);
}

static void test_resolver_flips(void **state)
{
	struct evidence *a = eb_healthy(), *b = eb_healthy();
	struct event_log log = { 0 };

	(void)state;
	eb_validators_servfail(b, 9);
	/* Two resolvers x two names flip from SEC to BOGUS. */
	assert_int_equal(events_diff(a, b, EB_NOW, &log), 4);
	assert_int_equal(log.ev[0].kind, EVENT_BAD);
	assert_string_equal(log.ev[0].text, "Alpha www.example.test. A: SEC -> BOGUS (EDE 9 DNSKEY Missing)");
	assert_string_equal(log.ev[0].key, "res:127.0.3.1#53:www.example.test.:1");
	assert_true(events_recent(&log, "res:127.0.3.1#53:www.example.test.:1", EB_NOW + 3, 8));
	assert_false(events_recent(&log, "res:127.0.3.1#53:www.example.test.:1", EB_NOW + 9, 8));
	assert_false(events_recent(&log, "res:127.0.3.9#53:www.example.test.:1", EB_NOW, 8));
	/* And back: the repair is a good event. */
	assert_int_equal(events_diff(b, a, EB_NOW + 60, &log), 4);
	assert_int_equal(log.ev[4].kind, EVENT_GOOD);
	assert_string_equal(log.ev[4].text, "Alpha www.example.test. A: BOGUS (EDE 9 DNSKEY Missing) -> SEC");
	events_clear(&log);
	evidence_free(a);
	evidence_free(b);
}

static void test_resolver_order_does_not_matter(void **state)
{
	struct evidence *a = eb_healthy(), *b = eb_healthy();
	struct event_log log = { 0 };
	struct resolver_ev tmp;

	(void)state;
	tmp = b->resolvers[0];
	b->resolvers[0] = b->resolvers[1];
	b->resolvers[1] = tmp;
	assert_int_equal(events_diff(a, b, EB_NOW, &log), 0);
	evidence_free(a);
	evidence_free(b);
}

static void test_ds_and_keys(void **state)
{
	struct evidence *a = eb_healthy(), *b = eb_healthy();
	struct event_log log = { 0 };

	(void)state;
	/* A rollover step: a new KSK 7777 published, its DS added at the parent. */
	eb_key(eb_zone(b), 7777, 257, false, false);
	eb_ds(eb_zone(b), 7777, DS_MATCH_OK);
	assert_int_equal(events_diff(a, b, EB_NOW, &log), 2);
	assert_string_equal(log.ev[0].text, "DS 7777 alg 13 digest 2 appeared for example.test.");
	assert_string_equal(log.ev[0].key, "ds:example.test.");
	assert_string_equal(log.ev[1].text, "DNSKEY 7777 alg 13 appeared in example.test.");
	assert_string_equal(log.ev[1].key, "dnskey:example.test.");
	/* The link turning bogus is its own, bad, event. */
	eb_zone(a)->status = SEC_BOGUS;
	events_clear(&log);
	assert_int_equal(events_diff(b, a, EB_NOW, &log), 3);
	assert_string_equal(log.ev[0].text, "chain example.test.: secure -> bogus");
	assert_int_equal(log.ev[0].kind, EVENT_BAD);
	assert_string_equal(log.ev[1].text, "DS 7777 alg 13 digest 2 gone from example.test.");
	events_clear(&log);
	evidence_free(a);
	evidence_free(b);
}

static void test_nameservers(void **state)
{
	struct evidence *a = eb_healthy(), *b = eb_healthy();
	struct event_log log = { 0 };

	(void)state;
	b->nameservers[0].serial = 2027011502;
	b->nameservers[1].soa_tcp.outcome = OUTCOME_TIMEOUT;
	b->nameservers[1].n_dnskey_tags = 1;
	assert_int_equal(events_diff(a, b, EB_NOW, &log), 3);
	assert_string_equal(log.ev[0].text, "ns1.example. 127.0.2.1 serial 2027011501 -> 2027011502");
	assert_string_equal(log.ev[0].key, "ns:ns1.example./127.0.2.1:serial");
	assert_string_equal(log.ev[1].text, "ns2.example. 127.0.2.2 tcp: timeout");
	assert_int_equal(log.ev[1].kind, EVENT_BAD);
	assert_string_equal(log.ev[2].text, "ns2.example. 127.0.2.2 DNSKEY tags 2222 3333 -> 2222");
	b->nameservers[1].n_dnskey_tags = 2;
	events_clear(&log);
	evidence_free(a);
	evidence_free(b);
}

static void test_cap(void **state)
{
	struct event_log log = { 0 };

	(void)state;
	for (int i = 0; i < EVENT_LOG_MAX + 20; i++)
		events_add(&log, EB_NOW + i, EVENT_INFO, "k", "event %d", i);
	assert_int_equal(log.n, EVENT_LOG_MAX);
	assert_string_equal(log.ev[0].text, "event 20");	/* oldest dropped */
	assert_string_equal(log.ev[log.n - 1].text, "event 519");
	events_clear(&log);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_and_unchanged),
		cmocka_unit_test(test_resolver_flips),
		cmocka_unit_test(test_resolver_order_does_not_matter),
		cmocka_unit_test(test_ds_and_keys),
		cmocka_unit_test(test_nameservers),
		cmocka_unit_test(test_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
