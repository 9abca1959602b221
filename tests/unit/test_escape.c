/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: the one escaping routine per output never lets a byte that a
 * terminal obeys through, and never garbles what is fine. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "escape.h"

static void assert_escaped(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

/* No byte below 0x20 (and no DEL) may appear in any output. */
static void assert_no_controls(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		assert_true(*p >= 0x20 && *p != 0x7f);
}

static void test_null_and_empty(void **state)
{
	(void)state;
	assert_escaped(escape_text(NULL, 0), "");
	assert_escaped(escape_json(NULL), "");
	assert_escaped(escape_display(NULL, 1), "");
	assert_escaped(escape_text("", 10), "");
}

static void test_text_controls(void **state)
{
	(void)state;
	/* "bogus\rOK" must not display as "OK". */
	assert_escaped(escape_text("bogus\rOK", 0), "bogus\\013OK");
	assert_escaped(escape_text("\033[2J", 0), "\\027[2J");
	assert_escaped(escape_text("a\bb\x7f", 0), "a\\008b\\127");
	assert_escaped(escape_text("caf\xc3\xa9", 0), "caf\\195\\169");
	/* Presentation-format escapes pass as they are. */
	assert_escaped(escape_text("v=spf1 \\\"x\\\"", 0), "v=spf1 \\\"x\\\"");
}

static void test_text_cap(void **state)
{
	char big[10001];
	char *out;

	(void)state;
	memset(big, 'A', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	out = escape_text(big, 80);
	assert_int_equal(strlen(out), 80);
	assert_string_equal(out + 77, "...");
	free(out);
	/* A cut never splits a \DDD escape. */
	out = escape_text("AAAAA\001\001\001\001", 12);
	assert_true(strlen(out) <= 12);
	assert_string_equal(out, "AAAAA\\001...");
	free(out);
	/* Exactly at the cap: nothing cut. */
	assert_escaped(escape_text("ABCDEF", 6), "ABCDEF");
}

static void test_json(void **state)
{
	char *out;

	(void)state;
	assert_escaped(escape_json("a\"b\\c"), "a\\\"b\\\\c");
	assert_escaped(escape_json("x\ny\tz\r"), "x\\ny\\tz\\u000d");
	assert_escaped(escape_json("\033[31m"), "\\u001b[31m");
	assert_escaped(escape_json("caf\xc3\xa9"), "caf\xc3\xa9");
	/* Invalid UTF-8 byte becomes the text \DDD (escaped for JSON). */
	assert_escaped(escape_json("a\xff" "b"), "a\\\\255b");
	/* RIGHT-TO-LEFT OVERRIDE and ZERO WIDTH SPACE stay visible. */
	assert_escaped(escape_json("\xe2\x80\xae" "abc\xe2\x80\x8b"),
		       "\\u202eabc\\u200b");
	/* Overlong encoding of '/' and a UTF-16 surrogate are invalid. */
	assert_escaped(escape_json("\xc0\xaf"), "\\\\192\\\\175");
	assert_escaped(escape_json("\xed\xa0\x80"), "\\\\237\\\\160\\\\128");
	out = escape_json("\x01\x02\x1f");
	assert_no_controls(out);
	free(out);
}

static void test_display(void **state)
{
	char *out;

	(void)state;
	assert_escaped(escape_display("bogus\rOK", 1), "bogus\\013OK");
	assert_escaped(escape_display("caf\xc3\xa9", 1), "caf\xc3\xa9");
	assert_escaped(escape_display("caf\xc3\xa9", 0), "caf\\195\\169");
	assert_escaped(escape_display("\xe2\x80\xae" "evil", 1), "\\u{202E}evil");
	assert_escaped(escape_display("\xef\xbb\xbf", 1), "\\u{FEFF}");
	/* C1 control CSI (U+009B) written as UTF-8. */
	assert_escaped(escape_display("\xc2\x9b" "2J", 1), "\\u{009B}2J");
	/* Truncated sequence at the end. */
	assert_escaped(escape_display("ok\xe2\x80", 1), "ok\\226\\128");
	out = escape_display("\x1b]52;c;ZXZpbA==\x07", 1);
	assert_no_controls(out);
	free(out);
}

static void test_utf8_decode(void **state)
{
	unsigned cp;

	(void)state;
	assert_int_equal(utf8_decode((const unsigned char *)"\xe2\x82\xac", 3, &cp), 3);
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(utf8_decode((const unsigned char *)"\xf4\x90\x80\x80", 4, &cp), 0);
	assert_int_equal(utf8_decode((const unsigned char *)"\xe2\x82", 2, &cp), 0);
	assert_int_equal(utf8_decode((const unsigned char *)"\x80", 1, &cp), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_null_and_empty),
		cmocka_unit_test(test_text_controls),
		cmocka_unit_test(test_text_cap),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_display),
		cmocka_unit_test(test_utf8_decode),
	};

	return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
