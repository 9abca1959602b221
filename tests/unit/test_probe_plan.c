/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_probe_plan.c - the questions of one refresh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "probe_phases.h"

static size_t count(const struct probe_plan *p, const char *qname, uint16_t t)
{
	size_t n = 0;

	for (size_t i = 0; i < p->n_items; i++)
		if (p->items[i].qtype == t && strcmp(p->items[i].qname, qname) == 0)
			n++;
	return n;
}

static void test_free_null(void **state)
{
	(void)state;
	probe_plan_free(NULL);
	probe_plan_add_mx_target(NULL, "example.test.", "mx.example.test.");
}

static void test_base_plan(void **state)
{
	char n1[] = "api.example.test.", n2[] = "www.example.test.";
	char zone[] = "example.test.";
	char *names[] = { n1, n2 };
	struct scan_config cfg = { .zone = zone, .names = names, .n_names = 2 };
	struct probe_plan *p = probe_plan_new(&cfg);
	const uint16_t apex[] = { RRTYPE_SOA, RRTYPE_NS, RRTYPE_DNSKEY, RRTYPE_A,
				  RRTYPE_AAAA, RRTYPE_MX, RRTYPE_TXT };

	(void)state;
	for (size_t i = 0; i < 7; i++)
		assert_int_equal(count(p, "example.test.", apex[i]), 1);
	assert_int_equal(count(p, "www.example.test.", RRTYPE_A), 1);	/* no dup */
	assert_int_equal(count(p, "www.example.test.", RRTYPE_AAAA), 1);
	assert_int_equal(count(p, "_dmarc.example.test.", RRTYPE_TXT), 1);
	assert_int_equal(count(p, "api.example.test.", RRTYPE_A), 1);
	assert_int_equal(count(p, "api.example.test.", RRTYPE_AAAA), 1);
	assert_non_null(p->nx_name);
	assert_int_equal(strncmp(p->nx_name, "bogus-nx-", 9), 0);
	assert_int_equal(strlen(p->nx_name), strlen("bogus-nx-.example.test.") + 16);
	assert_int_equal(count(p, p->nx_name, RRTYPE_A), 1);
	assert_int_equal(p->n_items, 7 + 3 + 2 + 1);
	probe_plan_free(p);
}

static void test_nx_name_new_each_time(void **state)
{
	char zone[] = "example.test.";
	struct scan_config cfg = { .zone = zone };
	struct probe_plan *a = probe_plan_new(&cfg), *b = probe_plan_new(&cfg);

	(void)state;
	assert_string_not_equal(a->nx_name, b->nx_name);
	probe_plan_free(a);
	probe_plan_free(b);
}

static void test_root_zone(void **state)
{
	char zone[] = ".";
	struct scan_config cfg = { .zone = zone };
	struct probe_plan *p = probe_plan_new(&cfg);

	(void)state;
	assert_int_equal(count(p, ".", RRTYPE_SOA), 1);
	assert_int_equal(count(p, "www.", RRTYPE_A), 1);
	probe_plan_free(p);
}

static void test_mx_targets(void **state)
{
	char zone[] = "example.test.";
	struct scan_config cfg = { .zone = zone };
	struct probe_plan *p = probe_plan_new(&cfg);
	size_t base = p->n_items;

	(void)state;
	probe_plan_add_mx_target(p, cfg.zone, "MX1.Example.Test.");
	probe_plan_add_mx_target(p, cfg.zone, "mx1.example.test");	/* dup */
	probe_plan_add_mx_target(p, cfg.zone, "mx.elsewhere.test.");	/* out */
	probe_plan_add_mx_target(p, cfg.zone, "badexample.test.");	/* out */
	probe_plan_add_mx_target(p, cfg.zone, ".");			/* null MX */
	probe_plan_add_mx_target(p, cfg.zone, "example.test.");	/* apex */
	assert_int_equal(p->n_mx_targets, 2);
	assert_string_equal(p->mx_targets[0], "mx1.example.test.");
	assert_int_equal(count(p, "mx1.example.test.", RRTYPE_A), 1);
	assert_int_equal(count(p, "mx1.example.test.", RRTYPE_AAAA), 1);
	/* The apex A/AAAA were asked already. */
	assert_int_equal(p->n_items, base + 2);
	probe_plan_free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_free_null),
		cmocka_unit_test(test_base_plan),
		cmocka_unit_test(test_nx_name_new_each_time),
		cmocka_unit_test(test_root_zone),
		cmocka_unit_test(test_mx_targets),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
