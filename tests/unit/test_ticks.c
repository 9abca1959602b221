/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: a person's ticks and unticks override the evidence until
 * undone, keyed by the step's title, and notes stay bounded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ticks.h"

#define T0 ((int64_t)1800000000)

static void test_tick_untick_undo(void **state)
{
	struct ticks t = { 0 };
	const char *a = "Choose the fastest safe repair", *b = "Verify";

	(void)state;
	/* Untouched: the evidence decides. */
	assert_int_equal(ticks_override(&t, a), TICK_AUTO);
	assert_false(ticks_done(&t, a, false));
	assert_true(ticks_done(&t, a, true));
	/* A pending step ticked by hand is done whatever the evidence says. */
	assert_int_equal(ticks_toggle(&t, a, false, T0), TICK_BY_HAND);
	assert_true(ticks_done(&t, a, false));
	assert_true(ticks_done(&t, a, true));
	assert_int_equal(ticks_find(&t, a)->at, T0);
	/* Again: back to the evidence, not to "unticked". */
	assert_int_equal(ticks_toggle(&t, a, false, T0 + 5), TICK_AUTO);
	assert_false(ticks_done(&t, a, false));
	assert_int_equal(ticks_find(&t, a)->at, T0 + 5);
	/* A step the evidence ticked is unticked by hand, and stays so. */
	assert_int_equal(ticks_toggle(&t, b, true, T0 + 9), TICK_UNTICKED_BY_HAND);
	assert_false(ticks_done(&t, b, true));
	assert_int_equal(ticks_toggle(&t, b, true, T0 + 10), TICK_AUTO);
	assert_true(ticks_done(&t, b, true));
	/* The other step was not touched by any of this. */
	assert_int_equal(ticks_override(&t, a), TICK_AUTO);
	ticks_clear(&t);
	assert_int_equal(t.n, 0);
	ticks_clear(NULL);
}

/* Keyed by title: a copy of the title (a rebuilt checklist) finds it. */
static void test_keyed_by_title(void **state)
{
	struct ticks t = { 0 };
	char *title = strdup("Watch the cache tail"), *again;

	(void)state;
	ticks_toggle(&t, title, false, T0);
	again = strdup(title);
	free(title);	/* the snapshot that held the first one is gone */
	assert_int_equal(ticks_override(&t, again), TICK_BY_HAND);
	assert_null(ticks_find(&t, "Watch the cache"));
	free(again);
	ticks_clear(&t);
}

static void test_notes_bounded(void **state)
{
	struct ticks t = { 0 };
	char big[TICKS_NOTE_MAX + 50];
	const struct tick_step *s;

	(void)state;
	/* Cut to the bound on a character boundary: "é" is two bytes. */
	memset(big, 'a', sizeof(big));
	big[TICKS_NOTE_MAX - 1] = (char)0xc3;
	big[TICKS_NOTE_MAX] = (char)0xa9;
	big[sizeof(big) - 1] = '\0';
	ticks_note(&t, "Verify", big, T0);
	s = ticks_find(&t, "Verify");
	assert_int_equal(s->n_notes, 1);
	assert_int_equal(strlen(s->notes[0].text), TICKS_NOTE_MAX - 1);
	assert_int_equal(s->override, TICK_AUTO);	/* a note is no tick */
	/* The oldest notes go beyond the bound, in order. */
	for (int i = 0; i < TICKS_NOTES_MAX + 3; i++) {
		char n[16];

		snprintf(n, sizeof(n), "n%d", i);
		ticks_note(&t, "Verify", n, T0 + i);
	}
	s = ticks_find(&t, "Verify");
	assert_int_equal(s->n_notes, TICKS_NOTES_MAX);
	assert_string_equal(s->notes[0].text, "n3");
	assert_string_equal(s->notes[TICKS_NOTES_MAX - 1].text, "n18");
	assert_int_equal(s->notes[TICKS_NOTES_MAX - 1].at, T0 + 18);
	ticks_clear(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tick_untick_undo),
		cmocka_unit_test(test_keyed_by_title),
		cmocka_unit_test(test_notes_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
