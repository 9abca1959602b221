/* Unit tests: mitigation commands name the zone as each tool wants it, and
 * every negative trust anchor comes with its undo. (The lab's system tests
 * run the Unbound commands against a real Unbound.) */
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

static void test_exact_commands(void **state)
{
	size_t n;
	struct mitigation *m = mitigations_for_zone("shop.example.", 1800, &n);

	(void)state;
	assert_string_equal(m[0].command, "rndc nta -lifetime 30m shop.example");
	assert_string_equal(m[0].undo, "rndc nta -remove shop.example");
	assert_string_equal(m[2].command, "unbound-control insecure_add shop.example");
	assert_string_equal(m[2].undo, "unbound-control insecure_remove shop.example");
	assert_string_equal(m[5].command, "rec_control wipe-cache shop.example$");
	mitigations_free(m, n);
	mitigations_free(NULL, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_implementation_has_nta_and_flush),
		cmocka_unit_test(test_exact_commands),
	};

	return cmocka_run_group_tests_name("mitigation", tests, NULL, NULL);
}
