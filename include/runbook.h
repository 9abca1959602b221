/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * runbook.h - guided planned changes (KSK rollover, ZSK rollover, provider
 * migration, algorithm rollover) whose gates are checked against live evidence.
 *
 * A runbook remembers, across refreshes, when each thing was first seen
 * (the new key on every nameserver, the new DS at every parent server, the
 * old DS gone), because the waits are counted from those moments plus the
 * TTLs seen. Evaluation is pure: evidence and @p now in, phases and gates
 * out. A phase is open only when every gate before it is met: a gate that is
 * not met says why and blocks the next step.
 *
 * Not thread-safe: one runbook belongs to the thread that drives it (the UI
 * thread, or --once).
 */
#ifndef BOGUS_RUNBOOK_H
#define BOGUS_RUNBOOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evidence.h"

enum runbook_kind {
	RUNBOOK_KSK_ROLLOVER = 0,
	RUNBOOK_ZSK_ROLLOVER,
	RUNBOOK_PROVIDER_MIGRATION,
	RUNBOOK_ALGORITHM_ROLLOVER,	/* RFC 6781 4.1.4, conservative */
};
#define RUNBOOK_KIND_LAST RUNBOOK_ALGORITHM_ROLLOVER

enum gate_state {
	GATE_BLOCKED = 0,	/* not met: the detail says why */
	GATE_WAITING,		/* met but a cache wait runs until ready_at */
	GATE_MET,
};

struct runbook_gate {
	const char *title;	/* static */
	enum gate_state state;
	char *detail;		/* evidence or reason; new string */
	int64_t ready_at;	/* for GATE_WAITING: when it will be met */
};

struct runbook_phase {
	const char *title;	/* static */
	const char *action;	/* what the operator does in this phase */
	char *records;		/* exact records to publish, or NULL */
	struct runbook_gate *gates;
	size_t n_gates;
	enum gate_state state;	/* the worst of its gates */
};

struct runbook_view {
	enum runbook_kind kind;
	struct runbook_phase *phases;
	size_t n_phases;
	size_t current;		/* first phase not met; n_phases when done */
};

struct runbook;

/**
 * The one clock of every wait, the runbooks' gates and the emergency
 * checklist's cache tail alike: a wait counted from a first sighting.
 * GATE_BLOCKED while @p since is 0 (not seen yet), GATE_WAITING until
 * @p since + @p ttl (then *@p ready_at is that moment), GATE_MET after.
 */
enum gate_state runbook_wait(int64_t since, uint32_t ttl, int64_t now,
			     int64_t *ready_at);

/** Parses "ksk-rollover", "zsk-rollover", "provider-migration",
 * "algorithm-rollover". 0 or -1. */
int runbook_kind_parse(const char *name, enum runbook_kind *out);
const char *runbook_kind_name(enum runbook_kind kind);

/** Returns a new runbook for @p kind. Free with runbook_free(). */
struct runbook *runbook_new(enum runbook_kind kind);
void runbook_free(struct runbook *rb);

/**
 * Records what @p ev shows (call once per new snapshot, in order). The
 * first observation fixes which keys and DS records are "old".
 */
void runbook_observe(struct runbook *rb, const struct evidence *ev, int64_t now);

/**
 * Restores the memory of earlier runs from @p path (written by
 * runbook_save), so that a cron job running --once can follow a rollover
 * over days. A missing file is a fresh start, not an error.
 * @param[out] rb new runbook; caller frees
 * @param[out] cause on error a new one-line reason naming file and line
 * @return 0, or -1 (unreadable, malformed, or for another kind or zone).
 */
int runbook_load(const char *path, enum runbook_kind kind, const char *zone,
		 struct runbook **rb, char **cause);

/** Writes the memory to @p path atomically (temp file + rename). 0 or -1. */
int runbook_save(const struct runbook *rb, const char *zone, const char *path,
		 char **cause);

/** Evaluates every gate. Returns new; free with runbook_view_free(). */
struct runbook_view *runbook_evaluate(const struct runbook *rb,
				      const struct evidence *ev, int64_t now);
void runbook_view_free(struct runbook_view *v);

#endif
