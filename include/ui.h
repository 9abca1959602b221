/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ui.h - the war-room console (curses). Only ui*.c and pane*.c include
 * <curses.h>; the console reads snapshots from the model and never touches
 * the network.
 */
#ifndef BOGUS_UI_H
#define BOGUS_UI_H

#include "cli.h"

struct model;
struct prober;
struct recorder;
struct replay;

/**
 * Runs the console until the user quits, a signal asks to, or its terminal
 * goes away (SIGHUP, a hangup or end of input, an error on the terminal).
 * Must be called from the main thread; the prober is already running.
 * @return EXIT_OK when the user quits (q, Ctrl-C) whatever the verdict;
 *         128 + N after signal N (SIGTERM, SIGHUP); 128 + SIGHUP when the
 *         terminal went away without one (ui_error() says so).
 */
int ui_run(const struct options *o, struct model *m, struct prober *p);

/**
 * The incident record for the next ui_run(): @p rec receives every
 * snapshot and event (may be NULL), @p rp is the replayer when the console
 * plays a recording (then the prober is NULL), @p export_file is where the
 * e key writes the Markdown summary (NULL: bogus-ZONE-TIME.md). Borrowed;
 * call again with NULLs after ui_run(). Main thread only.
 */
void ui_set_record(struct recorder *rec, struct replay *rp,
		   const char *export_file);

/** Ends curses if it is active. Main thread only. */
void ui_done(void);

/**
 * Puts the terminal back as it was before the console (tty modes, main
 * screen, cursor) with write(2) alone, for the paths that cannot return to
 * the UI loop: out of memory on any thread, a library's abort(). Any
 * thread, async-signal-safe; a no-op when the console is not on screen.
 */
void ui_restore_terminal(void);

/**
 * Why the last ui_run() refused to start (no terminal, TERM unset or
 * unknown, a bad theme) or ended without the user (its terminal went
 * away), as one line for the user; NULL otherwise.
 * Static storage; main thread only.
 */
const char *ui_error(void);

#endif
