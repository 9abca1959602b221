/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ui_cell.h - what one resolver answer means at a glance.
 *
 * The resolvers pane, the event log and the detail view all need the same
 * reading of a (CD=0, CD=1) pair of replies: secure, insecure, bogus (the
 * resolver says SERVFAIL but answers with CD=1, so validation is what
 * fails), plain SERVFAIL, NXDOMAIN, timeout... Pure; no curses.
 */
#ifndef BOGUS_UI_CELL_H
#define BOGUS_UI_CELL_H

#include <stdbool.h>

#include "evidence.h"
#include "theme.h"

enum ui_cell_state {
	CELL_NONE = 0,		/* not asked, or cancelled */
	CELL_SECURE,		/* NOERROR with AD */
	CELL_INSECURE,		/* NOERROR without AD */
	CELL_NXDOMAIN,		/* NXDOMAIN (secure if AD) */
	CELL_BOGUS,		/* SERVFAIL, but CD=1 answers: validation fails */
	CELL_SERVFAIL,		/* SERVFAIL, CD=1 did not help */
	CELL_REFUSED,
	CELL_OTHER_RCODE,
	CELL_TIMEOUT,
	CELL_NET_ERROR,
	CELL_MALFORMED,
};

/** Classifies one resolver answer. */
enum ui_cell_state ui_cell_classify(const struct resolver_answer *a);
/** Short word for a cell, at most 6 characters ("SEC", "BOGUS", "T/O"). */
const char *ui_cell_word(enum ui_cell_state s);
/** The role a cell is drawn with. */
enum role ui_cell_role(enum ui_cell_state s);
/** Whether the state is a failure a user cares about. */
int ui_cell_is_bad(enum ui_cell_state s);

/* Display cells of the longest compact text (a symbol and two digits). */
#define UI_CELL_COMPACT_W 3

/**
 * The compact form of a cell for narrow grids, at most UI_CELL_COMPACT_W
 * display cells: a symbol (ASCII if !@p utf8) and a short code, so that it
 * never relies on colour. "✔" secure, "•" answered without AD, "✔N" / "•N"
 * NXDOMAIN with / without AD, "✘6" validation fails (CD=1 answers) with
 * EDE 6 ("✘#" past two digits), "✘B" the same without EDE, "✘S" SERVFAIL even with CD=1, "✘R"
 * REFUSED, "✘C" another rcode, "✘T" timeout, "✘X" network error, "✘M"
 * malformed, "-" not asked. Writes into @p buf and returns it.
 */
const char *ui_cell_compact(const struct resolver_answer *a, bool utf8,
			    char buf[16]);

#endif
