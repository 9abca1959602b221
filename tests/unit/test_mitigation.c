/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: mitigation commands name the zone as each tool wants it, and
 * every negative trust anchor comes with its undo and a caveat, BIND's
 * lifetime stays within what rndc accepts. (tests/system/mitigation_lab.sh
 * runs every command against the real resolvers.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "mitigation.h"

static void test_every_implementation_has_nta_and_flush(void **state)
{
	static const char *const impls[] = {
		"BIND", "Unbound", "PowerDNS Recursor", "Knot Resolver",
	};
	size_t n;
	struct mitigation *m = mitigations_for_zone("example.com.", 3600, &n);

	(void)state;
	for (size_t i = 0; i < sizeof(impls) / sizeof(impls[0]); i++) {
		int nta = 0, flush = 0;

		for (size_t j = 0; j < n; j++) {
			if (strcmp(m[j].implementation, impls[i]) != 0)
				continue;
			/* The tools want the name without the root dot. */
			assert_non_null(strstr(m[j].command, "example.com"));
			assert_null(strstr(m[j].command, "example.com."));
			if (m[j].kind == MITIGATION_NTA) {
				nta++;
				assert_non_null(m[j].undo);
			} else {
				flush++;
			}
		}
		assert_int_equal(nta, 1);
		assert_int_equal(flush, 1);
	}
	mitigations_free(m, n);
}

/* The commands tests/system/mitigation_lab.sh ran, as printed, against
 * BIND 9.18, Unbound 1.17, Recursor 4.8 and Knot Resolver 5.6. */
static void test_exact_commands(void **state)
{
	size_t n;
	struct mitigation *m = mitigations_for_zone("shop.example.", 1800, &n);

	(void)state;
	assert_int_equal(n, 8);
	assert_string_equal(m[0].command, "rndc nta -lifetime 30m shop.example");
	assert_string_equal(m[0].undo, "rndc nta -remove shop.example");
	assert_string_equal(m[1].command, "rndc flushtree shop.example");
	/* insecure_add leaves cached bogus answers; insecure_remove cached
	 * insecure ones. */
	assert_string_equal(m[2].command, "unbound-control insecure_add shop.example"
			    " && unbound-control flush_zone shop.example");
	assert_string_equal(m[2].undo, "unbound-control insecure_remove shop.example"
			    " && unbound-control flush_zone shop.example");
	assert_string_equal(m[3].command, "unbound-control flush_zone shop.example"
			    " && unbound-control flush_bogus"
			    " && unbound-control flush_negative");
	assert_string_equal(m[4].command,
			    "rec_control add-nta shop.example 'DNSSEC outage, bogus'");
	assert_string_equal(m[4].undo, "rec_control clear-nta shop.example");
	assert_string_equal(m[5].command, "rec_control wipe-cache shop.example$");
	/* set_insecure() replaces the list: the NTA keeps the others, the
	 * undo removes only this zone and clears its insecure answers. */
	assert_string_equal(m[6].command,
			    "echo \"trust_anchors.set_insecure({'shop.example', "
			    "unpack(trust_anchors.insecure)})\" | "
			    "socat - UNIX-CONNECT:/run/knot-resolver/control/1");
	assert_string_equal(m[6].undo,
			    "echo \"local l = {} for _, z in "
			    "ipairs(trust_anchors.insecure) do if z ~= 'shop.example' "
			    "then l[#l + 1] = z end end trust_anchors.set_insecure(l) "
			    "cache.clear('shop.example')\" | "
			    "socat - UNIX-CONNECT:/run/knot-resolver/control/1");
	assert_string_equal(m[7].command,
			    "echo \"cache.clear('shop.example')\" | "
			    "socat - UNIX-CONNECT:/run/knot-resolver/control/1");
	mitigations_free(m, n);
	mitigations_free(NULL, 0);
}

/* Every NTA says how long it lasts, none promises more than the tool does. */
static void test_nta_notes(void **state)
{
	size_t n;
	struct mitigation *m = mitigations_for_zone("example.com.", 3600, &n);

	(void)state;
	for (size_t i = 0; i < n; i++) {
		if (m[i].kind == MITIGATION_NTA)
			assert_non_null(m[i].note);
	}
	assert_non_null(strstr(m[0].note, "at most a week"));
	assert_null(strstr(m[0].note, "caps"));
	assert_non_null(strstr(m[2].note, "no lifetime"));
	assert_non_null(strstr(m[4].note, "no lifetime"));
	assert_non_null(strstr(m[6].note, "every instance"));
	mitigations_free(m, n);
}

/* rndc rounds to whole minutes, refuses more than a week and takes a
 * lifetime of 0 as "remove". */
static void test_bind_lifetime_bounds(void **state)
{
	static const struct {
		unsigned seconds;
		const char *command;
	} cases[] = {
		{ 0, "rndc nta -lifetime 1m a.example" },
		{ 1, "rndc nta -lifetime 1m a.example" },
		{ 60, "rndc nta -lifetime 1m a.example" },
		{ 61, "rndc nta -lifetime 2m a.example" },
		{ 3600, "rndc nta -lifetime 60m a.example" },
		{ 7 * 86400, "rndc nta -lifetime 10080m a.example" },
		{ 7 * 86400 + 1, "rndc nta -lifetime 10080m a.example" },
		{ 4294967295u, "rndc nta -lifetime 10080m a.example" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		size_t n;
		struct mitigation *m = mitigations_for_zone("a.example.",
							    cases[i].seconds, &n);

		assert_string_equal(m[0].command, cases[i].command);
		mitigations_free(m, n);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_implementation_has_nta_and_flush),
		cmocka_unit_test(test_exact_commands),
		cmocka_unit_test(test_nta_notes),
		cmocka_unit_test(test_bind_lifetime_bounds),
	};

	return cmocka_run_group_tests_name("mitigation", tests, NULL, NULL);
}
