/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * incident.h - what a postmortem needs from a session, kept small: one
 * verdict per snapshot, every finding seen (with when it appeared and
 * cleared), the recorded events, and the people's checklist ticks and notes.
 *
 * Built live by the recorder (recorder.h) or from a recording file
 * (recording.h), and read by the Markdown export (export_md.h). Pure data:
 * no I/O, no clock. Strings are raw (they quote network data); the export
 * escapes them. Not thread-safe: one owner, the UI thread or --once.
 */
#ifndef BOGUS_INCIDENT_H
#define BOGUS_INCIDENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "events.h"

#define INCIDENT_MAX_ITEMS 100000	/* per list: beyond, new ones are dropped */

struct incident_snapshot {
	int64_t at;
	enum verdict verdict;
};

/* A finding as last seen; first_seen/last_seen bound its presence. */
struct incident_finding {
	struct finding f;	/* owned copy */
	int64_t first_seen;
	int64_t last_seen;
	int64_t cleared_at;	/* first snapshot without it, 0 if still there */
};

/* What the timeline shows, in order of time. */
enum incident_item_kind {
	ITEM_VERDICT = 0,	/* the verdict changed (or the first one) */
	ITEM_FINDING_UP,	/* a finding appeared */
	ITEM_FINDING_DOWN,	/* a finding cleared */
	ITEM_EVENT,		/* a recorded console event */
	ITEM_NOTE,		/* a person ticked, unticked or noted */
};

struct incident_item {
	int64_t at;
	enum incident_item_kind kind;
	enum event_kind tone;	/* good / bad / info */
	char *step;		/* ITEM_NOTE: the checklist step, or NULL */
	bool ticked;		/* ITEM_NOTE */
	char *text;		/* raw */
};

struct incident {
	char *zone;
	int64_t started_at;	/* first header or snapshot; 0 if none */
	int64_t ended_at;	/* last line seen */
	struct incident_snapshot *snaps;
	size_t n_snaps;
	struct incident_finding *findings;
	size_t n_findings;
	struct incident_item *items;	/* the timeline */
	size_t n_items;
};

/** Starts an empty incident for @p zone (may be NULL until known). */
void incident_init(struct incident *inc, const char *zone);
/** Frees what @p inc owns and zeroes it. NULL is a no-op. */
void incident_clear(struct incident *inc);

/**
 * Adds a snapshot's diagnosis at @p at: its verdict, and the findings that
 * appeared or cleared since the previous snapshot. Copies what it keeps.
 */
void incident_observe(struct incident *inc, const struct diagnosis *d,
		      int64_t at);
/**
 * Adds a recorded console event about the cell @p key. Events without a
 * key (summaries such as "verdict a -> b") and events about findings
 * ("finding:..." keys) are not added: the timeline derives those from the
 * snapshots themselves, for console and --once recordings alike.
 */
void incident_event(struct incident *inc, int64_t at, enum event_kind tone,
		    const char *key, const char *text);
/** Adds a person's checklist tick (@p ticked) or untick, with a note. */
void incident_note(struct incident *inc, int64_t at, const char *step,
		   bool ticked, const char *text);

/**
 * When validation recovered: the first snapshot whose verdict is secure
 * after a run of bogus (or unreachable) ones. 0 if it never did, or was
 * never broken.
 */
int64_t incident_recovered_at(const struct incident *inc);

/** "info", "good", "bad"; and back (-1 if unknown). */
const char *incident_tone_name(enum event_kind k);
int incident_tone_parse(const char *s);

#endif
