/* Unit tests: Nagios range syntax with units, and the --nagios status line
 * (format, status, thresholds, --require-secure, the deadline, hostile
 * summaries) on built evidence. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "report_nagios.h"
#include "evidence_builder.c"

static void test_range_parse(void **state)
{
	struct nagios_range r;
	char *cause = NULL;

	(void)state;
	assert_int_equal(nagios_range_parse("7d:", &r, &cause), 0);
	assert_true(r.set && !r.no_start && r.no_end && r.start == 7 * 86400.0);
	assert_false(nagios_range_alerts(&r, 8 * 86400.0));
	assert_true(nagios_range_alerts(&r, 6 * 86400.0));
	assert_true(nagios_range_alerts(&r, -5));	/* expired */
	assert_int_equal(nagios_range_parse("10", &r, &cause), 0);	/* 0:10 */
	assert_true(nagios_range_alerts(&r, 11));
	assert_true(nagios_range_alerts(&r, -1));
	assert_false(nagios_range_alerts(&r, 10));
	assert_int_equal(nagios_range_parse("~:2h", &r, &cause), 0);
	assert_true(nagios_range_alerts(&r, 7201));
	assert_false(nagios_range_alerts(&r, -99999));
	assert_int_equal(nagios_range_parse("@1h:90m", &r, &cause), 0);
	assert_true(nagios_range_alerts(&r, 4000));
	assert_false(nagios_range_alerts(&r, 3000));
	assert_int_equal(nagios_range_parse("1.5d:", &r, &cause), 0);
	assert_true(r.start == 1.5 * 86400);
	/* Not ranges: one cause, nothing set. */
	const char *bad[] = { "", "d", "7x:", "5:3", "abc", ":", "7d:x", "~",
			      "1e999:", "@", "12345678901234567890123456789012345678901234567890:" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(nagios_range_parse(bad[i], &r, &cause), -1);
		assert_non_null(strstr(cause, "not a Nagios range"));
		assert_false(r.set);
		free(cause);
		cause = NULL;
	}
	/* Unset: never alerts. */
	memset(&r, 0, sizeof(r));
	assert_false(nagios_range_alerts(&r, -1e9));
}

static char *line_of(const struct evidence *ev, const struct nagios_opts *o,
		     int64_t now, int *status)
{
	struct diagnosis *d = diag_run(ev, now);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*status = report_nagios(f, ev, d, o, now);
	fclose(f);
	diagnosis_free(d);
	return buf;
}

static void assert_one_line(const char *s)
{
	const char *nl = strchr(s, '\n');

	assert_non_null(nl);
	assert_int_equal(nl[1], '\0');
	assert_non_null(strstr(s, " | "));
	assert_null(strchr(strstr(s, " | ") + 3, '|'));
	for (const unsigned char *p = (const unsigned char *)s; *p != '\n'; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);
}

static void test_status_line(void **state)
{
	struct evidence *ev = eb_healthy();
	struct nagios_opts o = { 0 };
	char *cause = NULL, *l;
	int64_t exp = nagios_earliest_expiry(ev);
	int st;

	(void)state;
	assert_true(exp > EB_NOW);
	l = line_of(ev, &o, EB_NOW, &st);
	assert_one_line(l);
	assert_int_equal(st, 0);
	assert_true(strncmp(l, "DNSSEC OK - example.test. secure", 32) == 0);
	{
		char *want = xasprintf("expiry=%llds;;;;", (long long)(exp - EB_NOW));

		assert_non_null(strstr(l, want));
		free(want);
	}
	free(l);
	/* Thresholds on the time left: -w outside, then -c too. */
	assert_int_equal(nagios_range_parse("1000d:", &o.warning, &cause), 0);
	l = line_of(ev, &o, EB_NOW, &st);
	assert_int_equal(st, 1);
	assert_non_null(strstr(l, "DNSSEC WARNING - "));
	assert_non_null(strstr(l, ";86400000:;;;"));
	free(l);
	assert_int_equal(nagios_range_parse("999d:", &o.critical, &cause), 0);
	l = line_of(ev, &o, EB_NOW, &st);
	assert_int_equal(st, 2);
	assert_non_null(strstr(l, "(critical 999d:)"));
	free(l);
	/* A deadline that cut the run never reports OK. */
	o = (struct nagios_opts){ .deadline_hit = true, .deadline_s = 8 };
	l = line_of(ev, &o, EB_NOW, &st);
	assert_int_equal(st, 3);
	assert_non_null(strstr(l, "deadline 8 s reached"));
	free(l);
	evidence_free(ev);
}

static void test_bogus_hostile(void **state)
{
	struct evidence *ev = eb_healthy();
	struct nagios_opts o = { 0 };
	char *l;
	int st;

	(void)state;
	eb_ksk_replaced(ev, 4242);
	eb_validators_servfail(ev, 9);
	free(ev->zone);
	ev->zone = xstrdup("a|b\x1b[2J.example.test.");
	l = line_of(ev, &o, EB_NOW, &st);
	assert_one_line(l);
	assert_int_equal(st, 2);
	assert_non_null(strstr(l, "DNSSEC CRITICAL - a/b\\027[2J.example.test. bogus: "));
	assert_non_null(strstr(l, "validators_failing="));
	free(l);
	evidence_free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_range_parse),
		cmocka_unit_test(test_status_line),
		cmocka_unit_test(test_bogus_hostile),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
