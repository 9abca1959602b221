/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ticks.h - what the people in the war room did to the emergency
 * checklist: steps ticked or unticked by hand, and their notes.
 *
 * The checklist (diag.h) is rebuilt from every snapshot; this is the part
 * that is not evidence and must survive those rebuilds, so it is keyed by
 * the step's stable title, never by a pointer into a snapshot. A hand tick
 * or untick overrides what the evidence says until it is undone (toggled
 * again). Pure: no I/O, no clock (@p now is given). UI thread only.
 */
#ifndef BOGUS_TICKS_H
#define BOGUS_TICKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TICKS_NOTE_MAX 200	/* bytes of one note; longer ones are cut */
#define TICKS_NOTES_MAX 16	/* per step; the oldest go beyond this */

enum tick_override {
	TICK_AUTO = 0,		/* the evidence decides */
	TICK_BY_HAND,		/* ticked by a person */
	TICK_UNTICKED_BY_HAND,	/* unticked by a person */
};

struct tick_note {
	int64_t at;
	char *text;		/* what the person typed; escape when drawn */
};

struct tick_step {
	char *title;		/* the key */
	enum tick_override override;
	int64_t at;		/* when the override last changed */
	struct tick_note *notes;	/* oldest first */
	size_t n_notes;
};

/* Owns its steps. Zero-initialised is empty. */
struct ticks {
	struct tick_step *steps;
	size_t n;
};

/**
 * A person toggles the step @p title whose evidence says @p auto_done: an
 * override goes back to the evidence; otherwise the step gets the opposite
 * of what the evidence says. Returns the new override.
 */
enum tick_override ticks_toggle(struct ticks *t, const char *title,
				bool auto_done, int64_t now);

/** The override of @p title (TICK_AUTO if none). */
enum tick_override ticks_override(const struct ticks *t, const char *title);

/** Whether @p title counts as done, overrides applied. */
bool ticks_done(const struct ticks *t, const char *title, bool auto_done);

/**
 * Adds a note to @p title: copied, cut to TICKS_NOTE_MAX bytes (on a UTF-8
 * boundary); beyond TICKS_NOTES_MAX notes the oldest is dropped.
 */
void ticks_note(struct ticks *t, const char *title, const char *text,
		int64_t now);

/** The state of @p title, or NULL if nobody touched it. Borrowed. */
const struct tick_step *ticks_find(const struct ticks *t, const char *title);

/** Frees everything and zeroes @p t. NULL is a no-op. */
void ticks_clear(struct ticks *t);

#endif
