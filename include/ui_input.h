/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ui_input.h - the console's one-line text input (a note on a checklist
 * step): a bounded UTF-8 buffer with a cursor, edited by operations that
 * ui_keys.c maps from keys.
 *
 * No curses: the editing is tested without a terminal. Only printable
 * characters go in (no controls, no bidi or zero-width characters), so
 * what is typed cannot rearrange a later display. UI thread only.
 */
#ifndef BOGUS_UI_INPUT_H
#define BOGUS_UI_INPUT_H

#include <stdbool.h>
#include <stddef.h>

#define UI_INPUT_MAX 200	/* bytes; TICKS_NOTE_MAX keeps them all */

enum ui_input_op {
	INPUT_NONE = 0, INPUT_CHAR, INPUT_BACKSPACE, INPUT_DELETE,
	INPUT_LEFT, INPUT_RIGHT, INPUT_HOME, INPUT_END, INPUT_KILL,
	INPUT_ENTER, INPUT_CANCEL,
};

enum ui_input_result {
	INPUT_EDITING = 0,	/* keep going */
	INPUT_DONE,		/* Enter: the text is in buf */
	INPUT_CANCELLED,	/* Esc: throw it away */
};

struct ui_input {
	char buf[UI_INPUT_MAX + 1];	/* UTF-8, NUL-terminated */
	size_t len;		/* bytes in buf */
	size_t cur;		/* cursor, a byte offset on a character boundary */
	bool full;		/* the last character did not fit */
};

/** Empties @p in. */
void ui_input_reset(struct ui_input *in);

/**
 * Applies @p op (@p cp is the character for INPUT_CHAR). A character that
 * is not printable, or that would not fit, is refused (and sets full for
 * the latter). Returns what the caller should do next.
 */
enum ui_input_result ui_input_apply(struct ui_input *in, enum ui_input_op op,
				    unsigned cp);

#endif
