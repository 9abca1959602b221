/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ui_screen.h - the console's state and layout: which pane is where, which
 * has the focus, what is selected, which overlay is open; and the
 * translation of actions into state changes (htop ScreenManager).
 *
 * Layout is plain arithmetic (ui_layout), testable without a terminal.
 * Drawing (ui_screen_draw) is the only part that touches curses. All of it
 * runs on the UI thread.
 */
#ifndef BOGUS_UI_SCREEN_H
#define BOGUS_UI_SCREEN_H

#include <stdbool.h>
#include <stdint.h>

#include "pane.h"
#include "ui_keys.h"
#include "ui_line.h"

enum ui_area {
	AREA_RESOLVERS = 0, AREA_CHAIN, AREA_NS, AREA_CHECKLIST,
	AREA_FINDINGS, AREA_EVENTS, AREA_COUNT
};

struct ui_rect {
	int y, x, h, w;		/* h == 0: not shown */
};

/*
 * Below these the grid does not fit (the resolvers across the top, the
 * chain beside the checklist and nameservers, the findings/events strip):
 * one pane at a time.
 */
#define UI_GRID_MIN_W 60
#define UI_GRID_MIN_H 20
/* Below these nothing useful fits: one "terminal too small" line. */
#define UI_MIN_W 20
#define UI_MIN_H 4

struct ui_layout {
	bool too_small;
	bool single;		/* one pane at a time (small terminal or zoom) */
	struct ui_rect status;	/* first row */
	struct ui_rect footer;	/* last row (key hints) */
	struct ui_rect body;	/* between them: where overlays go */
	struct ui_rect area[AREA_COUNT];	/* each includes its title row */
	int sep_x;		/* column of the separator under the resolvers, -1 none */
	int strip_sep_x;	/* the same for the findings/events strip */
};

/**
 * Computes where everything goes on a @p w x @p h terminal. @p zoom shows
 * only @p focus; small terminals also show only @p focus. @p chain_need:
 * the columns the chain's tree needs (0: not known), which it gets up to
 * half the width; the checklist and nameservers share the rest.
 */
void ui_layout(int w, int h, bool zoom, enum ui_area focus, int chain_need,
	       struct ui_layout *out);

/* Per pane: its rendered lines and where the user is in them. */
struct ui_pane {
	const struct pane_ops *ops;
	struct ui_doc doc;
	char *sel_key;		/* stable: survives refreshes */
	long sel;		/* line index, -1 if nothing selectable */
	long top;		/* first line shown */
	int hscroll;		/* columns scrolled sideways */
};

/* What the status line says; filled by ui.c from the model. */
struct ui_status {
	const char *zone;	/* raw; escaped when drawn */
	bool have_verdict;
	int verdict;		/* enum verdict */
	int64_t verdict_since;	/* first seen; 0 if not known */
	int64_t verdict_until;	/* the moment it is held at (now, or a replay's) */
	int64_t finished_at;	/* last refresh; 0 if none */
	bool refreshing;
	unsigned in_flight;
	char waiting_on[64];	/* the longest wait's server (raw), or "" */
	unsigned waiting_ms;
	int64_t next_refresh_at;
	bool paused;
	const char *theme;
	const char *message;	/* a passing note (theme warnings), or NULL */
	const char *replay;	/* "REPLAY 3/17 ..." when replaying, or NULL */
	/* The one-line input, when open: the footer shows it instead of keys. */
	const char *prompt;	/* "note on step 3: ", or NULL (closed) */
	const char *input;	/* what is typed so far (UTF-8) */
	size_t input_cur;	/* cursor, a byte offset into input */
};

struct ui_screen {
	int w, h;
	bool utf8;
	enum ui_area focus;
	bool zoom;
	bool help;
	long help_top;		/* first help line shown: the help scrolls */
	bool detail;		/* the detail view is open */
	enum ui_area detail_area;
	char *detail_key;
	struct ui_pane detail_view;	/* ops NULL; doc from the pane's detail() */
	struct ui_pane pane[AREA_COUNT];
	struct ui_layout layout;
	int chain_need;		/* the chain tree's width, for the layout */
	enum ui_area match_area;	/* the last search match, for n and N */
	long match_line;	/* -1: none */
	char *search;		/* the last search's text, marked when drawn; owned, NULL: none */
	struct pane_ctx ctx;	/* borrowed snapshot data */
	struct ui_status status;
};

/* Flags an action returns (htop HandlerResult). */
#define UI_REDRAW	0x01u
#define UI_REFRESH	0x02u	/* ask the prober for a refresh now */
#define UI_PAUSE	0x04u	/* toggle pause */
#define UI_THEME	0x08u	/* next theme */
#define UI_QUIT		0x10u

/** Sets up @p s for a @p w x @p h terminal. */
void ui_screen_init(struct ui_screen *s, int w, int h, bool utf8);
/** Frees what @p s owns. */
void ui_screen_free(struct ui_screen *s);
/** New terminal size. */
void ui_screen_resize(struct ui_screen *s, int w, int h);
/**
 * Re-renders every pane from s->ctx (call after changing the snapshot or
 * when highlights expire); keeps selections by key.
 */
void ui_screen_rebuild(struct ui_screen *s);
/** Applies @p a. Returns UI_* flags. */
unsigned ui_screen_action(struct ui_screen *s, enum ui_action a);
/** A mouse click at (y, x); @p open asks for the detail (double click). */
unsigned ui_screen_click(struct ui_screen *s, int y, int x, bool open);
/** Mouse wheel over (y, x): @p lines > 0 scrolls down. */
unsigned ui_screen_wheel(struct ui_screen *s, int y, int x, int lines);

/**
 * Draws everything on stdscr with @p attrs (one curses attribute per role,
 * as an unsigned long to keep curses out of this header).
 */
void ui_screen_draw(struct ui_screen *s, const unsigned long *attrs, int64_t now);

/**
 * Moves to the next (@p dir 1) or previous (-1) line that holds @p q
 * (ASCII case ignored), from the last match or the selection, across the
 * panes in order: focuses that pane, selects the match's row and scrolls
 * the line into view. The text matched is the text as drawn (escaped),
 * so what the user sees is what they can find. Keeps a copy of @p q in
 * s->search: every occurrence on screen is drawn in ROLE_MATCH until the
 * next search or an Esc with nothing else to close. Returns how many
 * lines match in all (0: nothing moved).
 */
unsigned ui_screen_search(struct ui_screen *s, const char *q, int dir);

#endif
