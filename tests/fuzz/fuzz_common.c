/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_common.c - the checks every fuzz target shares (see fuzz.h).
 *
 * Linked into each target, fuzzer and replay alike. Checks properties of
 * escape.h and report output; never calls anything that may touch the
 * network or a terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "escape.h"
#include "fuzz.h"
#include "report.h"
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

/* Length of our own colour sequence (ESC [ digits/; m) at @p p, or 0. */
static size_t sgr_len(const unsigned char *p, size_t left)
{
	size_t n = 2;

	if (left < 3 || p[0] != 0x1b || p[1] != '[')
		return 0;
	while (n < left && ((p[n] >= '0' && p[n] <= '9') || p[n] == ';'))
		n++;
	return n < left && p[n] == 'm' ? n + 1 : 0;
}

/*
 * Report bytes: newline is the only control (with @p color, also the SGR
 * colour sequences report_text writes itself); JSON must be UTF-8.
 */
static void check_output(const char *buf, size_t len, int json, int color)
{
	const unsigned char *p = (const unsigned char *)buf;
	int hidden;
	size_t sgr;

	FUZZ_CHECK(strlen(buf) == len, "no NUL in a report");
	for (size_t i = 0; i < len; i++) {
		if (color && (sgr = sgr_len(p + i, len - i)) > 0) {
			i += sgr - 1;
			continue;
		}
		FUZZ_CHECK(p[i] == '\n' || (p[i] >= 0x20 && p[i] != 0x7f),
			   json ? "control byte in JSON" : "control byte in text");
	}
	if (json) {
		FUZZ_CHECK(fuzz_utf8_scan(buf, len, &hidden), "JSON report is UTF-8");
		FUZZ_CHECK(!hidden, "hidden code point in JSON");
	}
}

void fuzz_check_reports(const struct evidence *ev, int64_t now)
{
	struct diagnosis *d = diag_run(ev, now);
	char *buf;
	size_t len;
	FILE *f;

	for (int kind = 0; kind < 3; kind++) {	/* text, coloured text, JSON */
		if ((f = open_memstream(&buf, &len)) == NULL)
			abort();
		if (kind == 2)
			report_json(f, ev, d);
		else
			report_text(f, ev, d, kind == 1);
		fclose(f);
		check_output(buf, len, kind == 2, kind == 1);
		free(buf);
	}
	diagnosis_free(d);
}
