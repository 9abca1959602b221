/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe.h - one full refresh, and the thread that repeats it.
 *
 * probe_scan() runs every probe of one refresh (resolvers, local validation,
 * chain of trust, nameservers) and returns a new struct evidence. The prober
 * is the thread that calls it every interval (or when asked) and publishes
 * the result into the model. Neither ever touches the screen.
 */
#ifndef BOGUS_PROBE_H
#define BOGUS_PROBE_H

#include <stdbool.h>

#include "config.h"
#include "evidence.h"

struct model;
struct probe_io;
struct prober;

/**
 * Makes what local validation runs on (a libevent base), once per process.
 * Call it before starting threads: making it needs a socket pair, and
 * libevent ends the process when it cannot have one. Returns 0, or -1 with
 * errno (EMFILE: too few descriptors); validation is then skipped, noted.
 */
int probe_local_start(void);
/** Frees what probe_local_start() made; no collection may be running. */
void probe_local_stop(void);

/**
 * One complete refresh. @p cancel is polled between phases (and the engine
 * is cancelled through probe_io_cancel by whoever sets it).
 * @return new evidence; caller owns it (evidence_free).
 */
struct evidence *probe_scan(struct probe_io *io, const struct scan_config *cfg,
			    struct model *progress);

/**
 * Starts the refresh thread: a refresh at once, then every @p interval_s.
 * @p cfg must outlive the prober. Returns NULL on failure.
 */
struct prober *prober_start(const struct scan_config *cfg, struct model *m,
			    unsigned interval_s);
/** Asks for a refresh now (any thread). */
void prober_refresh_now(struct prober *p);
/** Pauses or resumes periodic refreshes (any thread). */
void prober_set_paused(struct prober *p, bool paused);
/** Cancels in-flight queries, joins the thread, frees. NULL: no-op. */
void prober_stop(struct prober *p);

#endif
