/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: the runbook keys are bound once, listed in the help, and
 * the note input maps editing keys to its operations (a key that is not an
 * edit is a character, which the input then vets). */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ui_input.h"
#include "ui_keys.h"

static bool in_help(const char *keys)
{
	size_t n;
	const struct ui_key_help *h = ui_keys_help(&n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(h[i].keys, keys) == 0)
			return true;
	return false;
}

static void test_runbook_keys(void **state)
{
	(void)state;
	assert_int_equal(ui_keys_action(' ', 0), ACT_TICK);
	assert_int_equal(ui_keys_action('n', 0), ACT_NOTE);
	assert_int_equal(ui_keys_action('c', 0), ACT_COPY);
	assert_int_equal(ui_keys_action('R', 0), ACT_RUNBOOK);
	/* x stays the replay speed: ui.c makes it a tick outside a replay. */
	assert_int_equal(ui_keys_action('x', 0), ACT_REPLAY_SPEED);
	assert_int_equal(ui_keys_action('r', 0), ACT_REFRESH);	/* not R */
	assert_true(in_help("Space / x"));
	assert_true(in_help("n"));
	assert_true(in_help("c"));
	assert_true(in_help("R"));
}

static void test_input_keys(void **state)
{
	unsigned cp;

	(void)state;
	assert_int_equal(ui_keys_input('\n', 0, &cp), INPUT_ENTER);
	assert_int_equal(ui_keys_input('\r', 0, &cp), INPUT_ENTER);
	assert_int_equal(ui_keys_input(KEY_ENTER, 1, &cp), INPUT_ENTER);
	assert_int_equal(ui_keys_input(27, 0, &cp), INPUT_CANCEL);
	assert_int_equal(ui_keys_input(KEY_BACKSPACE, 1, &cp), INPUT_BACKSPACE);
	assert_int_equal(ui_keys_input(127, 0, &cp), INPUT_BACKSPACE);
	assert_int_equal(ui_keys_input(KEY_DC, 1, &cp), INPUT_DELETE);
	assert_int_equal(ui_keys_input(KEY_LEFT, 1, &cp), INPUT_LEFT);
	assert_int_equal(ui_keys_input(KEY_HOME, 1, &cp), INPUT_HOME);
	assert_int_equal(ui_keys_input('u' & 0x1f, 0, &cp), INPUT_KILL);
	/* Function keys that mean nothing here do nothing. */
	assert_int_equal(ui_keys_input(KEY_F(5), 1, &cp), INPUT_NONE);
	/* Everything else is a character: q, Space, é, even a control the
	 * input then refuses (ui_input.c). */
	assert_int_equal(ui_keys_input('q', 0, &cp), INPUT_CHAR);
	assert_int_equal(cp, 'q');
	assert_int_equal(ui_keys_input(' ', 0, &cp), INPUT_CHAR);
	assert_int_equal(ui_keys_input(0xe9, 0, &cp), INPUT_CHAR);
	assert_int_equal(cp, 0xe9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_runbook_keys),
		cmocka_unit_test(test_input_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
