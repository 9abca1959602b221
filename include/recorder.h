/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * recorder.h - the incident record: every snapshot, event and person's
 * note of a session, appended to a JSON Lines file (--record FILE).
 *
 * Each line is one JSON object with a "type": "header" (one per session),
 * "snapshot" (the full evidence), "event" (a change the console saw),
 * "note" (a checklist tick/untick with a note), or "unchanged" (a
 * snapshot identical to the last full one but for times, RTTs and TTLs:
 * its time, the last full one's as "since", and the verdict). Each line goes out with
 * one write(2) on an O_APPEND descriptor, so a crash or kill -9 leaves at
 * most one partial last line and every complete line before it.
 *
 * The recorder also keeps the session's incident summary (incident.h) in
 * memory, with or without a file, for the Markdown export.
 *
 * Threads: the UI thread (or --once) only; never a worker.
 */
#ifndef BOGUS_RECORDER_H
#define BOGUS_RECORDER_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "events.h"
#include "evidence.h"
#include "incident.h"

#define RECORD_VERSION 1
/* --record-max-size: FILE.1 ... FILE.RECORD_KEEP are kept. */
#define RECORD_KEEP 3

struct recorder;

/**
 * Opens @p path for appending (creating it 0644) and writes a header line
 * for a session on @p zone started at @p now; @p mode is "console",
 * "once" or "replay". @p path NULL: keep the incident in memory only.
 * @param[out] cause on error a new one-line message; caller frees.
 * @return a new recorder (recorder_close), or NULL on error.
 */
struct recorder *recorder_open(const char *path, const char *zone,
			       const char *mode, int64_t now, char **cause);

/** Appends a snapshot taken at @p at, with its diagnosis @p d. */
void recorder_snapshot(struct recorder *r, const struct evidence *ev,
		       const struct diagnosis *d, int64_t at);

/**
 * The last snapshot already in the file (--once runs appending to one
 * recording): an identical next snapshot is written as "unchanged".
 * Ignored once the file has rotated.
 */
void recorder_seed(struct recorder *r, const struct evidence *ev, int64_t at);

/**
 * Rotates the file once it reaches @p bytes (0: never): FILE becomes
 * FILE.1 (FILE.1 FILE.2, ..., RECORD_KEEP kept) and a new FILE starts
 * with a header and a full snapshot, so each file replays on its own.
 */
void recorder_set_max_size(struct recorder *r, uint64_t bytes);

/** Appends one console event. */
void recorder_event(struct recorder *r, const struct event *e);

/**
 * Appends a person's checklist action: @p step is the step's title (or
 * NULL for a free note), @p ticked whether it was ticked (false: unticked
 * or a plain note), @p text what they wrote (may be NULL).
 */
void recorder_note(struct recorder *r, int64_t at, const char *step,
		   bool ticked, const char *text);

/** The session so far (for the export). Borrowed; valid until close. */
const struct incident *recorder_incident(const struct recorder *r);

/** The last write error as one line, or NULL (writes go on trying). */
const char *recorder_error(const struct recorder *r);

/** Closes the file and frees. NULL is a no-op. */
void recorder_close(struct recorder *r);

/**
 * Writes @p len bytes with one write(2), retrying only on EINTR, so that
 * a line is either whole or (at a crash) the partial last one. Exposed
 * for the tests. Returns 0, or -errno (a short write is -EIO).
 */
int recorder_write_line(int fd, const char *buf, size_t len);

#endif
