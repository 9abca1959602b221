/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_escape.c - escape.h on arbitrary bytes.
 *
 * The input, cut at its first NUL, goes through escape_text (several caps),
 * escape_json and escape_display (UTF-8 and ASCII); fuzz_check_escapes()
 * asserts that no control byte or hidden code point comes out and that JSON
 * output is well-formed UTF-8. utf8_decode is also checked against the
 * length it is given. The console's copy path too: clipboard_clean() keeps
 * newline as its only control, and the OSC 52 sequence carries nothing but
 * base64 between its opening and its BEL.
 */
#include <stdlib.h>
#include <string.h>

#include "clipboard.h"
#include "escape.h"
#include "fuzz.h"

static void check_clipboard(const char *s)
{
	char *clean = clipboard_clean(s), *seq;
	const char *b64;
	int hidden;

	FUZZ_CHECK(strlen(clean) <= CLIPBOARD_MAX, "clipboard cap");
	for (const unsigned char *p = (unsigned char *)clean; *p; p++)
		FUZZ_CHECK(*p == '\n' || (*p >= 0x20 && *p != 0x7f),
			   "control byte in a copy");
	FUZZ_CHECK(fuzz_utf8_scan(clean, strlen(clean), &hidden) && !hidden,
		   "a copy is visible UTF-8");
	seq = clipboard_osc52(clean);
	FUZZ_CHECK(strncmp(seq, "\033]52;c;", 7) == 0, "OSC 52 start");
	b64 = seq + 7;
	FUZZ_CHECK(strspn(b64, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			       "0123456789+/=") == strlen(b64) - 1 &&
		   b64[strlen(b64) - 1] == '\a', "OSC 52 body is base64");
	free(seq);
	free(clean);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);

	fuzz_check_escapes(s);
	check_clipboard(s);
	free(s);
	for (size_t i = 0; i < size; i++) {
		unsigned cp = 0;
		size_t n = utf8_decode(data + i, size - i, &cp);

		FUZZ_CHECK(n <= size - i && n <= 4, "utf8_decode length");
		FUZZ_CHECK(n == 0 || cp <= 0x10ffff, "utf8_decode range");
	}
	return 0;
}
