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
 * Runs the console until the user quits or a signal asks to. Must be called
 * from the main thread; the prober is already running.
 * @return EXIT_OK when the user quits (q, Ctrl-C) whatever the verdict;
 *         128 + N after signal N (SIGTERM, SIGHUP).
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

/** Ends curses if it is active (safe from fatal paths). */
void ui_done(void);

/**
 * Why the last ui_run() refused to start (no terminal, TERM unset or
 * unknown, a bad theme), as one line for the user; NULL if it did start.
 * Static storage; main thread only.
 */
const char *ui_error(void);

#endif
