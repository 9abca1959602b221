/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * model.h - the evidence store shared by the prober and the views.
 *
 * The prober publishes a complete, immutable struct evidence per refresh;
 * readers take a reference to the current one, read it without locks, and
 * release it. The model owns the wake pipe that tells the UI loop a new
 * generation is there (redis bio.c style: a non-blocking pipe, so a full
 * pipe is harmless).
 *
 * Thread-safety: every function may be called from any thread.
 */
#ifndef BOGUS_MODEL_H
#define BOGUS_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "evidence.h"

struct model;

/** Returns a new model, or NULL if the wake pipe cannot be made. */
struct model *model_new(void);
/** Frees the model. All snapshots must have been released. NULL: no-op. */
void model_free(struct model *m);

/**
 * Publishes @p ev as the current evidence. Takes ownership of @p ev; sets
 * ev->generation; wakes the reader.
 */
void model_publish(struct model *m, struct evidence *ev);

/** Returns the current evidence with a reference held, or NULL if none yet. */
const struct evidence *model_acquire(struct model *m);
/** Drops a reference taken with model_acquire(). NULL is a no-op. */
void model_release(struct model *m, const struct evidence *ev);

/** Generation of the current evidence (0 before the first publish). */
uint64_t model_generation(struct model *m);

/*
 * Answers as they arrive, for a screen that has nothing yet: until the
 * first refresh is published, the engine fills a grid of the resolvers'
 * answers (rcode, AD, the first EDE; no records), which the resolvers pane
 * shows marked as such. Once a refresh is published only whole refreshes
 * are shown, and the grid is gone.
 */
/**
 * Takes @p grid (ev->resolvers, each with its questions, replies
 * OUTCOME_NOT_SENT) as the grid, unless a refresh is published already
 * (then frees it).
 */
void model_live_begin(struct model *m, struct evidence *grid);
/**
 * Cell @p col of row @p row takes @p r's facts (its CD=1 retry's when
 * @p cd); out of range, or no grid: ignored. Any thread; wakes the reader
 * at most every 100 ms.
 */
void model_live_answer(struct model *m, size_t row, size_t col,
		       const struct dns_reply *r, bool cd);
/** A copy of the grid so far (evidence_free() it), or NULL: none. */
struct evidence *model_live_copy(struct model *m);

/** Progress of the refresh under way, for the status line. */
struct model_progress {
	bool refreshing;
	unsigned in_flight;	/* queries sent, not ended yet */
	unsigned done;		/* queries ended in this refresh */
	int64_t next_refresh_at;	/* Unix time, 0 if paused or none */
	bool paused;
	/* The query in flight the longest, once it has waited a second (a
	 * silent server shows while the refresh runs): its server's numeric
	 * address ("" when none) and for how long. Computed on read. */
	char waiting_on[64];
	unsigned waiting_ms;
};
void model_set_progress(struct model *m, const struct model_progress *p);
void model_progress(struct model *m, struct model_progress *out);
/**
 * The engine's worker @p slot reports its oldest query in flight: to
 * @p server (numeric address) since @p since_ms (CLOCK_MONOTONIC), or none
 * (@p server NULL). Slots beyond the model's own share one (any thread).
 */
void model_set_waiting(struct model *m, unsigned slot, const char *server,
		       int64_t since_ms);
/** Bumps the in-flight/done counters (the engine calls these per query). */
void model_query_started(struct model *m);
void model_query_ended(struct model *m);

/** Read end of the wake pipe, for poll(). */
int model_wake_fd(struct model *m);
/** Empties the wake pipe (call after poll() says it is readable). */
void model_drain_wake(struct model *m);
/** Writes one wake byte (progress changes, shutdown). */
void model_wake(struct model *m);

#endif
