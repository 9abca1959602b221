/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ui_line.c - the styled line buffer the panes write and the screen blits.
 *
 * Every string goes through escape_display() on the way in, so what a line
 * holds is always safe to hand to the terminal: no controls, no carriage
 * return or backspace that could make "bogus\rOK" read as "OK". Widths are
 * counted in terminal cells (wcwidth), so cutting never splits a character.
 * No curses here.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "escape.h"
#include "ui_line.h"
#include "xmalloc.h"

static const char *const sym_utf8[] = {
	[SYM_OK] = "\u2714", [SYM_BAD] = "\u2718", [SYM_WARN] = "!",
	[SYM_UNKNOWN] = "?", [SYM_TEE] = "\u251c\u2500", [SYM_ELBOW] = "\u2514\u2500",
	[SYM_PIPE] = "\u2502 ", [SYM_ARROW] = "\u2192", [SYM_CUT] = "\u2026",
	[SYM_NEQ] = "\u2260", [SYM_DOT] = "\u2022", [SYM_VBAR] = "\u2502",
};
static const char *const sym_ascii[] = {
	[SYM_OK] = "+", [SYM_BAD] = "x", [SYM_WARN] = "!", [SYM_UNKNOWN] = "?",
	[SYM_TEE] = "|-", [SYM_ELBOW] = "`-", [SYM_PIPE] = "| ",
	[SYM_ARROW] = "->", [SYM_CUT] = "~", [SYM_NEQ] = "*", [SYM_DOT] = "*",
	[SYM_VBAR] = "|",
};

const char *ui_sym(bool utf8, enum ui_sym s)
{
	return utf8 ? sym_utf8[s] : sym_ascii[s];
}

char *ui_sym_text(bool utf8, const char *text)
{
	char *out = NULL;
	size_t n = 0;

	if (utf8 || text == NULL)
		return xstrdup(text ? text : "");
	while (*text != '\0') {
		size_t i, len = 0;

		for (i = 0; i < sizeof(sym_utf8) / sizeof(sym_utf8[0]); i++) {
			len = strlen(sym_utf8[i]);
			if (strncmp(text, sym_utf8[i], len) == 0)
				break;
		}
		if (i < sizeof(sym_utf8) / sizeof(sym_utf8[0])) {
			for (const char *a = sym_ascii[i]; *a != '\0'; a++)
				*XAPPEND(out, n) = *a;
			text += len;
		} else {
			*XAPPEND(out, n) = *text++;
		}
	}
	*XAPPEND(out, n) = '\0';
	return out;
}

struct ui_line *ui_doc_add(struct ui_doc *d, const char *key)
{
	struct ui_line *l = XAPPEND(d->lines, d->n_lines);

	*l = (struct ui_line){ .key = xstrdup_null(key) };
	return l;
}

void ui_doc_clear(struct ui_doc *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n_lines; i++) {
		struct ui_line *l = &d->lines[i];

		for (size_t j = 0; j < l->n_segs; j++)
			free(l->segs[j].text);
		free(l->segs);
		free(l->key);
	}
	free(d->lines);
	d->lines = NULL;
	d->n_lines = 0;
}

/* Takes ownership of @p safe (already escaped). */
static void put_safe(struct ui_line *l, enum role r, char *safe)
{
	struct ui_seg *s;

	if (*safe == '\0') {
		free(safe);
		return;
	}
	/* Merge with the previous segment of the same role: fewer draws. */
	if (l->n_segs > 0 && l->segs[l->n_segs - 1].role == r) {
		s = &l->segs[l->n_segs - 1];
		char *joined = xasprintf("%s%s", s->text, safe);

		free(s->text);
		free(safe);
		s->text = joined;
		return;
	}
	s = XAPPEND(l->segs, l->n_segs);
	s->text = safe;
	s->role = r;
}

/*
 * Tabs separate fields in presentation format (ldns prints them): show
 * them as spaces rather than as \009. Everything else is escape_display's.
 */
static char *display_safe(const char *raw, bool utf8)
{
	char *copy, *safe;

	if (raw == NULL || strchr(raw, '\t') == NULL)
		return escape_display(raw, utf8);
	copy = xstrdup(raw);
	for (char *p = copy; *p != '\0'; p++)
		if (*p == '\t')
			*p = ' ';
	safe = escape_display(copy, utf8);
	free(copy);
	return safe;
}

void ui_put(struct ui_doc *d, struct ui_line *l, enum role r, const char *raw)
{
	put_safe(l, r, display_safe(raw, d->utf8));
}

void ui_putf(struct ui_doc *d, struct ui_line *l, enum role r,
	     const char *fmt, ...)
{
	va_list ap;
	char *raw;

	va_start(ap, fmt);
	raw = xvasprintf(fmt, ap);
	va_end(ap);
	ui_put(d, l, r, raw);
	free(raw);
}

/* Decodes one character of display-safe text: bytes used, cells in *w. */
static size_t next_char(const char *s, bool utf8, int *w)
{
	unsigned cp;
	size_t n;
	int cw;

	if (!utf8 || (unsigned char)*s < 0x80) {
		*w = 1;
		return 1;
	}
	n = utf8_decode((const unsigned char *)s, strlen(s), &cp);
	if (n == 0) {
		*w = 1;		/* cannot happen after escaping; stay safe */
		return 1;
	}
	cw = wcwidth((wchar_t)cp);
	*w = cw < 0 ? 1 : cw;
	return n;
}

/* Width of the first @p n bytes of @p s. */
static int ui_text_width_n(const char *s, size_t n, bool utf8)
{
	char *part = xstrndup(s, n);
	int w = ui_text_width(part, utf8);

	free(part);
	return w;
}

int ui_text_width(const char *s, bool utf8)
{
	int total = 0, w;

	while (*s != '\0') {
		s += next_char(s, utf8, &w);
		total += w;
	}
	return total;
}

size_t ui_text_fit(const char *s, bool utf8, int width, int *cols)
{
	size_t used = 0;
	int total = 0, w;

	while (s[used] != '\0') {
		size_t n = next_char(s + used, utf8, &w);

		if (total + w > width)
			break;
		total += w;
		used += n;
	}
	if (cols != NULL)
		*cols = total;
	return used;
}

void ui_put_col(struct ui_doc *d, struct ui_line *l, enum role r,
		const char *raw, int width)
{
	char *safe, *out;
	int w, cols;

	if (width <= 0)
		return;
	safe = display_safe(raw, d->utf8);
	w = ui_text_width(safe, d->utf8);
	if (w > width) {
		const char *mark = ui_sym(d->utf8, SYM_CUT);
		size_t keep = ui_text_fit(safe, d->utf8, width - 1, &cols);

		out = xasprintf("%.*s%s%*s", (int)keep, safe, mark,
				width - 1 - cols, "");
	} else {
		out = xasprintf("%s%*s", safe, width - w, "");
	}
	free(safe);
	put_safe(l, r, out);
}

int ui_line_width(const struct ui_line *l, bool utf8)
{
	int w = 0;

	for (size_t i = 0; i < l->n_segs; i++)
		w += ui_text_width(l->segs[i].text, utf8);
	return w;
}

char *ui_line_text(const struct ui_line *l)
{
	size_t len = 0, off = 0;
	char *s;

	for (size_t i = 0; i < l->n_segs; i++)
		len += strlen(l->segs[i].text);
	s = xmalloc(len + 1);
	for (size_t i = 0; i < l->n_segs; i++) {
		size_t n = strlen(l->segs[i].text);

		memcpy(s + off, l->segs[i].text, n);
		off += n;
	}
	s[off] = '\0';
	return s;
}

int ui_line_role_of(const struct ui_line *l, const char *needle)
{
	for (size_t i = 0; i < l->n_segs; i++)
		if (strstr(l->segs[i].text, needle) != NULL)
			return (int)l->segs[i].role;
	return -1;
}

static char ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

long ui_text_find(const char *s, const char *q, size_t from)
{
	size_t n = strlen(s), m = strlen(q);

	if (m == 0 || from > n)
		return -1;
	for (size_t i = from; i + m <= n; i++) {
		size_t j = 0;

		while (j < m && ascii_lower(s[i + j]) == ascii_lower(q[j]))
			j++;
		if (j == m)
			return (long)i;
	}
	return -1;
}

unsigned ui_doc_add_marked(struct ui_doc *d, const struct ui_line *l,
			   const char *q, enum role r)
{
	struct ui_line *out = ui_doc_add(d, l->key);
	char *text = ui_line_text(l);
	size_t off = 0, m = strlen(q);	/* off: the line's byte at segment start */
	long hit = ui_text_find(text, q, 0);
	unsigned count = hit >= 0;

	for (size_t i = 0; i < l->n_segs; i++) {
		const char *t = l->segs[i].text;
		size_t len = strlen(t), at = 0;

		while (at < len) {
			size_t pos = off + at, end;
			bool in;

			/* The next match that has not ended before this byte. */
			while (hit >= 0 && (size_t)hit + m <= pos) {
				hit = ui_text_find(text, q, (size_t)hit + m);
				count += hit >= 0;
			}
			in = hit >= 0 && (size_t)hit <= pos;
			end = hit < 0 ? off + len : in ? (size_t)hit + m : (size_t)hit;
			if (end > off + len)
				end = off + len;
			put_safe(out, in ? r : l->segs[i].role, xstrndup(t + at, end - pos));
			at = end - off;
		}
		off += len;
	}
	free(text);
	return count;
}

long ui_doc_find(const struct ui_doc *d, const char *key)
{
	if (key == NULL)
		return -1;
	for (size_t i = 0; i < d->n_lines; i++)
		if (d->lines[i].key != NULL && strcmp(d->lines[i].key, key) == 0)
			return (long)i;
	return -1;
}

/* The leading spaces of @p l, then 2 more: where its continuation starts. */
static int hang_of(const struct ui_line *l, int width)
{
	int n = 0;

	for (size_t j = 0; j < l->n_segs; j++) {
		const char *t = l->segs[j].text;

		while (*t == ' ') {
			t++;
			n++;
		}
		if (*t != '\0')
			break;
	}
	/* A continuation keeps at least half the width for its text. */
	n += 2;
	return n < width / 2 ? n : 0;
}

void ui_doc_wrap_hang(struct ui_doc *d, int width, bool hang)
{
	struct ui_line *out = NULL;
	size_t n_out = 0;

	if (width < 1)
		return;
	for (size_t i = 0; i < d->n_lines; i++) {
		struct ui_line *src = &d->lines[i], *cur;
		int col = 0, indent, start = 0;	/* start: where this line's text begins */

		if (ui_line_width(src, d->utf8) <= width) {
			*XAPPEND(out, n_out) = *src;
			continue;
		}
		indent = hang ? hang_of(src, width) : 0;
		cur = XAPPEND(out, n_out);
		*cur = (struct ui_line){ .key = src->key };
		for (size_t j = 0; j < src->n_segs; j++) {
			const char *t = src->segs[j].text;

			while (*t != '\0') {
				int used;
				size_t n = ui_text_fit(t, d->utf8, width - col, &used);

				/* Break after a space rather than inside a word. */
				if (t[n] != '\0' && t[n] != ' ' && n > 0) {
					size_t k = n;

					while (k > 0 && t[k - 1] != ' ')
						k--;
					if (k > 0) {
						n = k;
						used = ui_text_width_n(t, n, d->utf8);
					} else if (col > start) {
						n = 0;	/* the word starts the next line */
					}
				}
				if (n == 0 && col == start) {
					/* A character wider than the view: show it anyway. */
					n = next_char(t, d->utf8, &used);
				}
				if (n > 0) {
					put_safe(cur, src->segs[j].role, xstrndup(t, n));
					t += n;
					col += used;
				}
				if (*t != '\0') {
					cur = XAPPEND(out, n_out);
					*cur = (struct ui_line){ 0 };
					col = 0;
					if (indent > 0) {
						put_safe(cur, ROLE_NORMAL, xasprintf("%*s", indent, ""));
						col = start = indent;
					}
					while (indent > 0 && *t == ' ')
						t++;	/* the break's space */
				}
			}
			free(src->segs[j].text);
		}
		free(src->segs);
	}
	free(d->lines);
	d->lines = out;
	d->n_lines = n_out;
}

void ui_doc_wrap(struct ui_doc *d, int width)
{
	ui_doc_wrap_hang(d, width, false);
}
