/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * escape.c - turns untrusted bytes into text that is safe to show.
 *
 * One routine per destination (text report, JSON, console), sharing one
 * UTF-8 decoder and one notion of "hidden" code points, so that a string
 * hostile to one output is hostile to none. Nothing here allocates more
 * than a small multiple of the input.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "escape.h"
#include "xmalloc.h"

/* A growable byte buffer local to this file. */
struct sbuf {
	char *p;
	size_t len, cap;
};

static void sb_put(struct sbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;

		while (b->len + n + 1 > cap)
			cap *= 2;
		b->p = xreallocarray(b->p, cap, 1);
		b->cap = cap;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_byte_ddd(struct sbuf *b, unsigned char c)
{
	char tmp[8];

	snprintf(tmp, sizeof(tmp), "\\%03u", c);
	sb_put(b, tmp, 4);
}

static char *sb_finish(struct sbuf *b)
{
	if (b->p == NULL)
		return xstrdup("");
	return b->p;
}

size_t utf8_decode(const unsigned char *s, size_t len, unsigned *cp)
{
	unsigned c, min;
	size_t n;

	if (len == 0)
		return 0;
	c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		n = 2, c &= 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3, c &= 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

int escape_is_hidden_codepoint(unsigned cp)
{
	return (cp >= 0x80 && cp <= 0x9f) ||	/* C1 controls */
	       cp == 0x061c ||			/* Arabic letter mark */
	       (cp >= 0x200b && cp <= 0x200f) ||	/* zero-width, LRM/RLM */
	       (cp >= 0x2028 && cp <= 0x202e) ||	/* separators, embeddings */
	       (cp >= 0x2060 && cp <= 0x2069) ||	/* word joiner, isolates */
	       cp == 0xfeff;			/* zero-width no-break space */
}

static bool printable_ascii(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

char *escape_text(const char *in, size_t max_out)
{
	struct sbuf b = { 0 };
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t keep = 0;	/* output length at the last cut point that fits */

	if (max_out > 0 && max_out < 4)
		max_out = 4;
	for (; *s; s++) {
		if (printable_ascii(*s))
			sb_put(&b, (const char *)s, 1);
		else
			sb_byte_ddd(&b, *s);
		if (max_out == 0)
			continue;
		if (b.len <= max_out - 3)
			keep = b.len;
		if (b.len > max_out) {
			/* Cut on an escape boundary, so no \DDD is split. */
			b.len = keep;
			b.p[b.len] = '\0';
			sb_put(&b, "...", 3);
			break;
		}
	}
	return sb_finish(&b);
}

char *escape_json(const char *in)
{
	struct sbuf b = { 0 };
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t len = strlen((const char *)s);
	char tmp[16];

	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		unsigned cp;
		size_t n;

		if (c == '"' || c == '\\') {
			tmp[0] = '\\', tmp[1] = (char)c;
			sb_put(&b, tmp, 2);
			i++;
		} else if (c == '\n') {
			sb_put(&b, "\\n", 2), i++;
		} else if (c == '\t') {
			sb_put(&b, "\\t", 2), i++;
		} else if (c < 0x20 || c == 0x7f) {
			snprintf(tmp, sizeof(tmp), "\\u%04x", c);
			sb_put(&b, tmp, 6);
			i++;
		} else if (c < 0x80) {
			sb_put(&b, (const char *)&s[i], 1);
			i++;
		} else if ((n = utf8_decode(s + i, len - i, &cp)) == 0) {
			/* Not UTF-8: JSON cannot carry the byte, so name it. */
			snprintf(tmp, sizeof(tmp), "\\\\%03u", c);
			sb_put(&b, tmp, 5);
			i++;
		} else if (escape_is_hidden_codepoint(cp)) {
			snprintf(tmp, sizeof(tmp), "\\u%04x", cp);
			sb_put(&b, tmp, 6);
			i += n;
		} else {
			sb_put(&b, (const char *)&s[i], n);
			i += n;
		}
	}
	return sb_finish(&b);
}

char *escape_display(const char *in, int utf8)
{
	struct sbuf b = { 0 };
	const unsigned char *s = (const unsigned char *)(in ? in : "");
	size_t len = strlen((const char *)s);
	char tmp[16];

	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t n;

		if (printable_ascii(s[i])) {
			sb_put(&b, (const char *)&s[i], 1);
			i++;
		} else if (!utf8 || s[i] < 0x80 ||
			   (n = utf8_decode(s + i, len - i, &cp)) == 0) {
			sb_byte_ddd(&b, s[i]);
			i++;
		} else if (escape_is_hidden_codepoint(cp)) {
			snprintf(tmp, sizeof(tmp), "\\u{%04X}", cp);
			sb_put(&b, tmp, strlen(tmp));
			i += n;
		} else {
			sb_put(&b, (const char *)&s[i], n);
			i += n;
		}
	}
	return sb_finish(&b);
}
