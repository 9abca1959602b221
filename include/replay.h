/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * replay.h - plays an incident record back into the model (--replay FILE),
 * in place of the prober: no network at all.
 *
 * A cursor points at one recorded snapshot; moving it (a step, a jump, or
 * playback at 1x/10x/60x of the recorded pace) publishes that snapshot into
 * the model, which wakes the console as a refresh would. The replayer's
 * thread does the publishing; the console calls the functions below for its
 * keys and status line.
 *
 * Thread-safety: every function may be called from any thread (the console
 * calls them from the UI thread); one mutex guards the cursor.
 */
#ifndef BOGUS_REPLAY_H
#define BOGUS_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "recording.h"

struct model;
struct replay;

/* A recorded gap longer than this (in wall time, after the speed-up) is
 * played as this: sessions a day apart should not mean a day of waiting. */
#define REPLAY_MAX_WAIT_MS 3000

/**
 * Starts replaying @p rec (taking ownership of what it holds; @p rec is
 * zeroed) into @p m, paused at snapshot @p start (clamped).
 * @return a new replayer, or NULL if @p rec has no snapshot or the thread
 * cannot start (@p rec is then freed).
 */
struct replay *replay_start(struct recording *rec, struct model *m,
			    size_t start);

/** Moves the cursor @p dir snapshots (+1 next, -1 previous), clamped. */
void replay_step(struct replay *rp, int dir);
/** Jumps to the first (@p last 0) or last (@p last 1) snapshot. */
void replay_jump(struct replay *rp, int last);
/** Plays at @p speed times the recorded pace (1, 10, 60), or pauses (0). */
void replay_set_speed(struct replay *rp, unsigned speed);
/** The playing speed, 0 when paused. */
unsigned replay_speed(struct replay *rp);
/** Paused: play at the last speed (1x at first); playing: pause. */
void replay_toggle(struct replay *rp);
/** 1x -> 10x -> 60x -> 1x, and plays. */
void replay_next_speed(struct replay *rp);

/** "REPLAY 3/17 01:40:44 x10" (or "paused") into @p buf. */
void replay_status(struct replay *rp, char *buf, size_t len);

/**
 * The recorded time of the snapshot published as model generation @p gen
 * (the console's "now" for its diagnosis), or of the cursor if unknown.
 */
int64_t replay_time_of(struct replay *rp, uint64_t gen);

/** The recording (incident summary, damage). Borrowed, immutable. */
const struct recording *replay_recording(struct replay *rp);

/** Stops the thread, frees the recording. NULL is a no-op. */
void replay_stop(struct replay *rp);

#endif
