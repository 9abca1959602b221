/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * recording.h - reads an incident record (recorder.h) back, for --replay
 * and the export.
 *
 * recording_load() reads the file line by line and stops at the first
 * damaged line (not JSON, a wrong field, an evidence that does not
 * decode, an incomplete last line): everything before it is kept, and the
 * damage is described as "FILE: line N: cause". Unknown line types are
 * skipped (newer versions may add some). An "unchanged" line is the last
 * full snapshot again at a new time (diagnosed at that time: signatures
 * still age). Snapshots are kept as their text
 * and decoded again when shown, so a long recording costs its file size,
 * not its evidence trees.
 *
 * Not thread-safe: one owner (the replayer or --once).
 */
#ifndef BOGUS_RECORDING_H
#define BOGUS_RECORDING_H

#include <stddef.h>
#include <stdint.h>

#include "evidence.h"
#include "incident.h"

#define RECORDING_MAX_LINE (64u << 20)	/* a longer line is damage */
/* The latest "at" a line may carry (2^40 s, some 34,000 years): the
 * recorded time becomes diag's `now`, which must leave room for sums. */
#define RECORDING_MAX_AT ((int64_t)1 << 40)

struct recording_snapshot {
	int64_t at;
	unsigned line;		/* 1-based line number in the file */
	char *text;		/* the whole line; NULL for an "unchanged" line */
	size_t len;
	size_t full;		/* the snapshot whose text holds the evidence */
};

struct recording {
	char *path;
	struct recording_snapshot *snaps;	/* in file order */
	size_t n_snaps;
	struct incident inc;	/* verdicts, findings, events, notes */
	char *damage;		/* "FILE: line N: cause", or NULL if intact */
	unsigned damage_line;	/* 0 if intact */
	struct evidence *last_ev;	/* while loading: the last full snapshot's */
};

/**
 * Loads @p path into @p rec (zeroed first). A damaged file is not an
 * error: see rec->damage.
 * @param[out] cause on error (cannot open or read) a new message.
 * @return 0, or -1 on error.
 */
int recording_load(const char *path, struct recording *rec, char **cause);

/**
 * Decodes snapshot @p i into a new evidence (evidence_free).
 * @param[out] cause on error a new message. @return NULL on error.
 */
struct evidence *recording_evidence(const struct recording *rec, size_t i,
				    char **cause);

/** Index of the last snapshot at or before @p at (0 if @p at precedes
 *  them all). The recording must have a snapshot. */
size_t recording_find(const struct recording *rec, int64_t at);

/** Frees what @p rec owns. */
void recording_free(struct recording *rec);

#endif
