/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: the note input edits by whole characters, stays within its
 * bound, and never takes a control or an invisible character. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ui_input.h"

static void type(struct ui_input *in, const char *ascii)
{
	for (const char *p = ascii; *p; p++)
		assert_int_equal(ui_input_apply(in, INPUT_CHAR, (unsigned char)*p),
				 INPUT_EDITING);
}

static void test_edit(void **state)
{
	struct ui_input in;

	(void)state;
	ui_input_reset(&in);
	type(&in, "DS sent");
	assert_string_equal(in.buf, "DS sent");
	/* Insert in the middle, delete around the cursor. */
	for (int i = 0; i < 5; i++)
		ui_input_apply(&in, INPUT_LEFT, 0);
	type(&in, " was");
	assert_string_equal(in.buf, "DS was sent");
	ui_input_apply(&in, INPUT_BACKSPACE, 0);
	assert_string_equal(in.buf, "DS wa sent");
	ui_input_apply(&in, INPUT_DELETE, 0);
	assert_string_equal(in.buf, "DS wasent");
	ui_input_apply(&in, INPUT_HOME, 0);
	ui_input_apply(&in, INPUT_BACKSPACE, 0);	/* nothing before */
	ui_input_apply(&in, INPUT_DELETE, 0);
	assert_string_equal(in.buf, "S wasent");
	ui_input_apply(&in, INPUT_END, 0);
	ui_input_apply(&in, INPUT_DELETE, 0);	/* nothing after */
	assert_int_equal(in.cur, in.len);
	assert_int_equal(ui_input_apply(&in, INPUT_ENTER, 0), INPUT_DONE);
	assert_string_equal(in.buf, "S wasent");
	ui_input_apply(&in, INPUT_KILL, 0);
	assert_string_equal(in.buf, "");
	assert_int_equal(in.cur, 0);
	assert_int_equal(ui_input_apply(&in, INPUT_CANCEL, 0), INPUT_CANCELLED);
}

/* Multi-byte characters go in whole and come out whole. */
static void test_utf8(void **state)
{
	struct ui_input in;

	(void)state;
	ui_input_reset(&in);
	ui_input_apply(&in, INPUT_CHAR, 0xe9);		/* é, 2 bytes */
	ui_input_apply(&in, INPUT_CHAR, 0x2713);	/* ✓, 3 bytes */
	ui_input_apply(&in, INPUT_CHAR, 0x1f512);	/* 🔒, 4 bytes */
	assert_string_equal(in.buf, "\xc3\xa9\xe2\x9c\x93\xf0\x9f\x94\x92");
	ui_input_apply(&in, INPUT_LEFT, 0);
	assert_int_equal(in.cur, 5);
	ui_input_apply(&in, INPUT_BACKSPACE, 0);
	assert_string_equal(in.buf, "\xc3\xa9\xf0\x9f\x94\x92");
	assert_int_equal(in.cur, 2);
	ui_input_apply(&in, INPUT_RIGHT, 0);
	assert_int_equal(in.cur, 6);
	ui_input_apply(&in, INPUT_LEFT, 0);
	ui_input_apply(&in, INPUT_LEFT, 0);
	assert_int_equal(in.cur, 0);
	ui_input_apply(&in, INPUT_LEFT, 0);
	assert_int_equal(in.cur, 0);
}

/* Controls, escape sequences, bidi overrides and zero-width characters
 * are refused: a note cannot rearrange the screen it is shown on. */
static void test_refuses_hidden(void **state)
{
	static const unsigned bad[] = {
		0x00, 0x07, 0x08, 0x0a, 0x0d, 0x1b, 0x7f, 0x85, 0x9b,
		0x202e, 0x2066, 0x200b, 0xfeff, 0xd800, 0x110000,
	};
	struct ui_input in;

	(void)state;
	ui_input_reset(&in);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ui_input_apply(&in, INPUT_CHAR, bad[i]);
	assert_int_equal(in.len, 0);
	assert_string_equal(in.buf, "");
}

static void test_bounded(void **state)
{
	struct ui_input in;

	(void)state;
	ui_input_reset(&in);
	for (int i = 0; i < UI_INPUT_MAX - 1; i++)
		ui_input_apply(&in, INPUT_CHAR, 'a');
	assert_false(in.full);
	/* A 2-byte character does not fit in the last byte: refused whole. */
	ui_input_apply(&in, INPUT_CHAR, 0xe9);
	assert_true(in.full);
	assert_int_equal(in.len, UI_INPUT_MAX - 1);
	ui_input_apply(&in, INPUT_CHAR, 'b');
	assert_false(in.full);
	assert_int_equal(in.len, UI_INPUT_MAX);
	ui_input_apply(&in, INPUT_CHAR, 'c');
	assert_true(in.full);
	assert_int_equal(in.len, UI_INPUT_MAX);
	assert_int_equal(strlen(in.buf), UI_INPUT_MAX);
	assert_int_equal(in.buf[UI_INPUT_MAX - 1], 'b');
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_edit),
		cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_refuses_hidden),
		cmocka_unit_test(test_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
