/*
 * fuzz_common.c - the checks every fuzz target shares (see fuzz.h).
 *
 * Linked into each target, fuzzer and replay alike. Checks properties of
 * escape.h output; never calls anything that may touch the network or a
 * terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "fuzz.h"
#include "xmalloc.h"

void fuzz_fail(const char *file, int line, const char *cond, const char *what)
{
	fprintf(stderr, "%s:%d: property broken: %s (%s)\n", file, line, cond,
		what);
	abort();
}

char *fuzz_strndup(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	if (size > 0)
		memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

static int has_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return 1;
	return 0;
}

int fuzz_utf8_scan(const char *s, size_t len, int *hidden)
{
	const unsigned char *p = (const unsigned char *)s;

	*hidden = 0;
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t n = utf8_decode(p + i, len - i, &cp);

		if (n == 0)
			return 0;
		*hidden |= escape_is_hidden_codepoint(cp);
		i += n;
	}
	return 1;
}

/* A JSON string body: every '"' is escaped (an odd run of '\' before it). */
static int json_quotes_escaped(const char *s)
{
	for (size_t i = 0; s[i]; i++) {
		size_t bs = 0;

		if (s[i] != '"')
			continue;
		while (bs < i && s[i - 1 - bs] == '\\')
			bs++;
		if (bs % 2 == 0)
			return 0;
	}
	return 1;
}

static size_t trailing_backslashes(const char *s)
{
	size_t n = strlen(s), bs = 0;

	while (bs < n && s[n - 1 - bs] == '\\')
		bs++;
	return bs;
}

void fuzz_check_escapes(const char *s)
{
	static const size_t caps[] = { 0, 4, 17, 80 };
	char *e;
	int hidden;

	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
		e = escape_text(s, caps[i]);
		FUZZ_CHECK(!has_control(e), "escape_text");
		for (const unsigned char *p = (unsigned char *)e; *p; p++)
			FUZZ_CHECK(*p < 0x7f, "escape_text is ASCII");
		FUZZ_CHECK(caps[i] == 0 || strlen(e) <= caps[i],
			   "escape_text within its cap");
		free(e);
	}
	e = escape_json(s);
	FUZZ_CHECK(!has_control(e), "escape_json");
	FUZZ_CHECK(fuzz_utf8_scan(e, strlen(e), &hidden), "escape_json is UTF-8");
	FUZZ_CHECK(json_quotes_escaped(e), "escape_json quotes");
	FUZZ_CHECK(trailing_backslashes(e) % 2 == 0,
		   "escape_json ends outside an escape");
	FUZZ_CHECK(!hidden, "escape_json shows hidden code points");
	free(e);
	for (int utf8 = 0; utf8 <= 1; utf8++) {
		e = escape_display(s, utf8);
		FUZZ_CHECK(!has_control(e), "escape_display");
		FUZZ_CHECK(fuzz_utf8_scan(e, strlen(e), &hidden), "escape_display is UTF-8");
		FUZZ_CHECK(!hidden, "escape_display shows hidden code points");
		free(e);
	}
}
