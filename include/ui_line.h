/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ui_line.h - styled text built by the panes, drawn by the screen.
 *
 * A pane renders a snapshot into a struct ui_doc: lines of segments, each a
 * piece of display-safe text with a role. Every string put into a line goes
 * through escape_display() here, so a pane cannot forget to escape what came
 * off the network. Lines may carry a stable key (a resolver address, a zone,
 * a finding id) that selection and the detail view hold on to across
 * refreshes. No curses: tests read the buffer (text and roles) directly.
 *
 * Ownership: a doc owns its lines and their text. Not thread-safe; the UI
 * thread builds and draws.
 */
#ifndef BOGUS_UI_LINE_H
#define BOGUS_UI_LINE_H

#include <stdbool.h>
#include <stddef.h>

#include "theme.h"

struct ui_seg {
	char *text;		/* display-safe (escaped) UTF-8 or ASCII */
	enum role role;
};

struct ui_line {
	struct ui_seg *segs;
	size_t n_segs;
	char *key;		/* stable id if the line can be selected, else NULL */
};

struct ui_doc {
	struct ui_line *lines;
	size_t n_lines;
	bool utf8;		/* the terminal takes UTF-8 */
};

/* Symbols with an ASCII fallback. */
enum ui_sym {
	SYM_OK, SYM_BAD, SYM_WARN, SYM_UNKNOWN, SYM_TEE, SYM_ELBOW, SYM_PIPE,
	SYM_ARROW, SYM_CUT, SYM_NEQ, SYM_DOT, SYM_VBAR,
};

/** The symbol in UTF-8 or in ASCII. Static. */
const char *ui_sym(bool utf8, enum ui_sym s);

/**
 * @p text with our UTF-8 symbols (✔ ✘ • ≠ ...) in their ASCII forms when
 * !@p utf8, for fixed texts such as the help's legend. Returns new.
 */
char *ui_sym_text(bool utf8, const char *text);

/** Appends a line with selection key @p key (copied; NULL: not selectable). */
struct ui_line *ui_doc_add(struct ui_doc *d, const char *key);
/** Frees every line; keeps @p d usable (utf8 unchanged). NULL: no-op. */
void ui_doc_clear(struct ui_doc *d);

/** Appends @p raw (escaped here) with role @p r. NULL @p raw puts "". */
void ui_put(struct ui_doc *d, struct ui_line *l, enum role r, const char *raw);
/** printf, then like ui_put (the arguments are escaped with the rest). */
void ui_putf(struct ui_doc *d, struct ui_line *l, enum role r,
	     const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/**
 * Like ui_put, in a column exactly @p width cells wide: cut with a visible
 * mark (… or ~) when too long, padded with spaces when short.
 */
void ui_put_col(struct ui_doc *d, struct ui_line *l, enum role r,
		const char *raw, int width);

/** Display width in cells of display-safe @p s (after escaping). */
int ui_text_width(const char *s, bool utf8);
/**
 * Bytes of display-safe @p s that fit in @p width cells; *cols gets the
 * cells they use (may be NULL).
 */
size_t ui_text_fit(const char *s, bool utf8, int width, int *cols);

/** Display width of a whole line. */
int ui_line_width(const struct ui_line *l, bool utf8);
/** The line's text, all segments joined. Returns new; caller frees. */
char *ui_line_text(const struct ui_line *l);
/**
 * The role of the first segment whose text contains @p needle, or -1.
 * For tests and for finding things on a line.
 */
int ui_line_role_of(const struct ui_line *l, const char *needle);

/**
 * Folds every line wider than @p width cells onto as many lines as it
 * needs, after a space where there is one (roles kept, characters never
 * split). For the detail view, where
 * the whole text matters more than the layout. Keys stay on the first part.
 */
void ui_doc_wrap(struct ui_doc *d, int width);
/** The same; with @p hang, a continuation starts under the line's own
 *  indent plus 2, so a wrapped step or fix still reads as one. */
void ui_doc_wrap_hang(struct ui_doc *d, int width, bool hang);

/**
 * Where @p q first occurs in @p s at or after byte @p from, ASCII case
 * ignored (other bytes compared as they are), or -1. "" is never found.
 * Both display-safe: a search matches the text as drawn.
 */
long ui_text_find(const char *s, const char *q, size_t from);

/**
 * Appends to @p d a copy of @p l (key included) with every occurrence of
 * @p q (as ui_text_find) in role @p r, across segment boundaries; the text
 * is unchanged, only roles move. Returns how many occurrences.
 */
unsigned ui_doc_add_marked(struct ui_doc *d, const struct ui_line *l,
			   const char *q, enum role r);

/** Index of the line with key @p key, or -1. */
long ui_doc_find(const struct ui_doc *d, const char *key);

#endif
