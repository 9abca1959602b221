/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * app.h - runs bogus once options are parsed: owns the model, the engine
 * and the prober, chooses --once output or the console, and shuts down in
 * order (prober, engine, model).
 */
#ifndef BOGUS_APP_H
#define BOGUS_APP_H

#include "cli.h"

/** @return the process exit code (enum exit_code). */
int app_run(struct options *o);

/**
 * Prints "bogus: PREFIX TEXT" as one line on stderr, TEXT escaped
 * (escape_text): causes quote file contents, argv and file names, none of
 * which may reach the terminal raw. Main thread, before or after curses.
 */
void app_complain(const char *prefix, const char *text);

/**
 * Flushes stdout. What bogus prints is its product: a report that did not
 * all get out (a full disk, a closed pipe) is said in one line on stderr
 * ("cannot write to standard output: REASON"), once. Main thread.
 * @return 0, or -1 if anything written to stdout was lost.
 */
int app_flush_stdout(void);

#endif
