/*
 * fuzz_escape.c - escape.h on arbitrary bytes.
 *
 * The input, cut at its first NUL, goes through escape_text (several caps),
 * escape_json and escape_display (UTF-8 and ASCII); fuzz_check_escapes()
 * asserts that no control byte or hidden code point comes out and that JSON
 * output is well-formed UTF-8. utf8_decode is also checked against the
 * length it is given.
 */
#include <stdlib.h>

#include "escape.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size);

	fuzz_check_escapes(s);
	free(s);
	for (size_t i = 0; i < size; i++) {
		unsigned cp = 0;
		size_t n = utf8_decode(data + i, size - i, &cp);

		FUZZ_CHECK(n <= size - i && n <= 4, "utf8_decode length");
		FUZZ_CHECK(n == 0 || cp <= 0x10ffff, "utf8_decode range");
	}
	return 0;
}
