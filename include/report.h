/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * report.h - the one-shot reports (--once): text and JSON.
 *
 * Both are views of the same evidence and diagnosis the console shows. Every
 * string that came from the network is escaped (escape.h) on the way out.
 */
#ifndef BOGUS_REPORT_H
#define BOGUS_REPORT_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "evidence.h"

/** Readable report; @p color adds ANSI colour (only on a tty, no NO_COLOR). */
int report_text(FILE *out, const struct evidence *ev,
		const struct diagnosis *d, bool color);

/** The JSON document described in README.md. */
int report_json(FILE *out, const struct evidence *ev,
		const struct diagnosis *d);

#endif
