/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * events.h - what changed between two snapshots, as a timestamped log.
 *
 * events_diff() compares the previous evidence with the new one and appends
 * one event per change a user would want to see scroll by: a resolver cell
 * flipping to SERVFAIL, a DS appearing at the parent, a key tag leaving a
 * nameserver, a serial moving. Each event names the cell it is about (a
 * stable key, as the panes use), so the panes can highlight it for a moment.
 *
 * Pure: no curses, no clock (the caller passes @p now). Event texts are raw
 * (they quote network strings) and are escaped when drawn.
 */
#ifndef BOGUS_EVENTS_H
#define BOGUS_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evidence.h"

#define EVENT_LOG_MAX 500	/* oldest events are dropped beyond this */

enum event_kind { EVENT_INFO = 0, EVENT_GOOD, EVENT_BAD };

struct event {
	int64_t at;
	enum event_kind kind;
	char *key;		/* the cell it is about, e.g. "ns:192.0.2.1:serial" */
	char *text;		/* raw; escape before display */
};

/* Oldest first. Owns its events. */
struct event_log {
	struct event *ev;
	size_t n;
};

/**
 * Appends the changes from @p old to @p cur (either may be NULL: the first
 * snapshot logs one summary event). Returns how many events were added.
 */
size_t events_diff(const struct evidence *old, const struct evidence *cur,
		   int64_t now, struct event_log *log);

struct diagnosis;

/**
 * Appends one event per finding that appeared in @p cur or cleared since
 * @p old, keyed "finding:<id>:<subject>" (either may be NULL: nothing is
 * logged for the first diagnosis). Returns how many events were added.
 */
size_t events_diff_findings(const struct diagnosis *old,
			    const struct diagnosis *cur, int64_t now,
			    struct event_log *log);

/** Appends one event; @p key may be NULL. */
void events_add(struct event_log *log, int64_t at, enum event_kind kind,
		const char *key, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/** Whether an event about @p key happened in (now - secs, now]. */
bool events_recent(const struct event_log *log, const char *key, int64_t now,
		   int secs);

/** Frees every event. NULL is a no-op. */
void events_clear(struct event_log *log);

/* Stable cell keys, shared by the panes and the diff. Return new strings. */
char *events_key_resolver(const struct resolver_ev *r);
char *events_key_cell(const struct resolver_ev *r,
		      const struct resolver_answer *a);
char *events_key_ns(const struct ns_ev *n, const char *what);

#endif
