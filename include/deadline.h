/*
 * deadline.h - a bound on one --once run (--deadline SECONDS).
 *
 * A watchdog thread cancels the query engine when the time is up, so that
 * probe_scan() returns promptly with what it could establish (queries cut
 * short are OUTCOME_CANCELLED: "could not see", never a mismatch). Owned
 * and joined by whoever starts it (run_once); never cancelled itself.
 */
#ifndef BOGUS_DEADLINE_H
#define BOGUS_DEADLINE_H

#include <stdbool.h>

struct deadline;
struct probe_io;

/** Starts the watchdog for @p ms milliseconds over @p io. NULL on
 *  failure (the run is then unbounded, and logged). */
struct deadline *deadline_start(struct probe_io *io, unsigned ms);

/** Stops and joins the watchdog. @return whether it fired. NULL: false. */
bool deadline_stop(struct deadline *d);

#endif
