/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ui_keys.h - key -> action, in one table that the help overlay lists too
 * (htop Action.c): a key is bound in exactly one place.
 */
#ifndef BOGUS_UI_KEYS_H
#define BOGUS_UI_KEYS_H

#include <stddef.h>

enum ui_action {
	ACT_NONE = 0, ACT_QUIT, ACT_NEXT_PANE, ACT_PREV_PANE, ACT_PANE_1,
	ACT_PANE_2, ACT_PANE_3, ACT_PANE_4, ACT_PANE_5, ACT_PANE_6, ACT_ZOOM,
	ACT_UP, ACT_DOWN, ACT_LEFT, ACT_RIGHT, ACT_TOP, ACT_BOTTOM,
	ACT_PAGE_UP, ACT_PAGE_DOWN, ACT_ENTER, ACT_BACK, ACT_REFRESH,
	ACT_PAUSE, ACT_THEME, ACT_HELP, ACT_REDRAW,
	/* The incident record (ui.c handles these itself). */
	ACT_REPLAY_NEXT, ACT_REPLAY_PREV, ACT_REPLAY_FIRST, ACT_REPLAY_LAST,
	ACT_REPLAY_SPEED, ACT_EXPORT,
	/* Runbooks: ticks, notes, copy, planned changes (ui.c handles these). */
	ACT_TICK, ACT_NOTE, ACT_COPY, ACT_RUNBOOK,
};

struct ui_key_help {
	const char *keys;	/* "Tab / Shift-Tab" */
	const char *what;	/* "next / previous pane" */
};

/**
 * The action of a key as wget_wch() returned it: @p is_code set for
 * KEY_CODE_YES (function keys), clear for a character.
 */
enum ui_action ui_keys_action(int key, int is_code);

/**
 * The editing operation of a key while the one-line input is open
 * (ui_input.h); *cp gets the character for INPUT_CHAR.
 */
int ui_keys_input(int key, int is_code, unsigned *cp);

/** The help overlay's lines. Static; *n gets the count. */
const struct ui_key_help *ui_keys_help(size_t *n);

#endif
