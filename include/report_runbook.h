/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * report_runbook.h - a planned-change runbook as text, for --once --runbook.
 */
#ifndef BOGUS_REPORT_RUNBOOK_H
#define BOGUS_REPORT_RUNBOOK_H

#include <stdint.h>
#include <stdio.h>

#include "runbook.h"

/** Prints the phases and gates of @p v; details are escaped. 0 or -1. */
int report_runbook_text(FILE *out, const struct runbook_view *v, int64_t now);

/** The same as a JSON object (no trailing newline). 0 or -1. */
int report_runbook_json(FILE *out, const struct runbook_view *v);

#endif
