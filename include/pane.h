/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pane.h - the console's panes: each renders a snapshot into a ui_doc.
 *
 * A pane is a pair of pure functions (tmux window modes, htop Panel
 * classes): build() writes the pane's lines for the current evidence and
 * diagnosis, detail() writes the full story of one selected line (by its
 * stable key). Neither draws, reads keys or touches curses: ui_screen.c owns
 * scrolling, selection and drawing, and tests read the docs directly.
 */
#ifndef BOGUS_PANE_H
#define BOGUS_PANE_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "events.h"
#include "evidence.h"
#include "runbook.h"
#include "ticks.h"
#include "ui_line.h"

/* Everything a pane may read. All borrowed; any pointer may be NULL. */
struct pane_ctx {
	const struct evidence *ev;
	/* No ev yet: the first refresh's resolver answers so far, or NULL. */
	const struct evidence *live;
	const struct diagnosis *diag;
	const struct checklist *checklist;
	const struct event_log *events;
	const struct ticks *ticks;	/* hand ticks and notes on the checklist */
	const struct runbook_view *runbook;	/* set: the planned-change view */
	int64_t runbook_at;	/* when it was evaluated (replay: the recorded
				 * moment); its countdowns count from it; 0: now */
	int64_t now;
	int width;		/* columns the pane has (tables size to it) */
};

/* How long a changed cell stays highlighted. */
#define PANE_CHANGED_SECS 10

struct pane_ops {
	const char *name;	/* title: "Resolvers" */
	void (*build)(const struct pane_ctx *c, struct ui_doc *d);
	/* Detail of the line with @p key (NULL if none was found). */
	void (*detail)(const struct pane_ctx *c, const char *key,
		       struct ui_doc *d);
	/*
	 * The text to copy for the line with @p key (raw: the caller cleans
	 * it), and in *label what it is ("DS record"); NULL if nothing there
	 * can be copied. Returns new; may be NULL as a whole.
	 */
	char *(*copy)(const struct pane_ctx *c, const char *key, char **label);
};

extern const struct pane_ops pane_resolvers_ops;
extern const struct pane_ops pane_chain_ops;
extern const struct pane_ops pane_ns_ops;
extern const struct pane_ops pane_checklist_ops;
extern const struct pane_ops pane_findings_ops;
extern const struct pane_ops pane_events_ops;
extern const struct pane_ops pane_runbook_ops;	/* in the checklist's place */

/**
 * The resolvers grid's cell width, separator included, for a pane
 * @p width columns wide whose row prefix (name, validation mark) takes
 * @p prefix: wide cells when all @p n_cols columns fit, else compact ones
 * (UI_CELL_COMPACT_W + 1). Pure.
 */
int pane_resolvers_cell_width(int width, int prefix, size_t n_cols);

/* Shared by the panes' detail views (pane_detail.c). */

/** A heading line in the detail view. */
void pane_detail_heading(struct ui_doc *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/** "label: value" with the value escaped. */
void pane_detail_field(struct ui_doc *d, const char *label, enum role r,
		       const char *value);
/** Every fact of one reply: outcome, rcode, flags, EDE, NSID, records. */
void pane_detail_reply(struct ui_doc *d, const char *label,
		       const struct dns_reply *r);
/** RRSIGs with their windows relative to @p now. */
void pane_detail_sigs(struct ui_doc *d, const struct rrsig_info *s, size_t n,
		      int64_t now);
/** Multi-line text (a fix), one line each, indented. */
void pane_detail_text(struct ui_doc *d, enum role r, const char *text);
/** "3d4h" / "-2h" style duration, into @p buf. */
const char *pane_duration(int64_t secs, char *buf, size_t len);
/** The role and the short mark for a sig check. */
enum role pane_sig_role(enum sig_check c);
const char *pane_sig_name(enum sig_check c);

#endif
