/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * replay.c - the thread that plays a recording into the model.
 *
 * It behaves like the prober from the model's side (it publishes complete,
 * owned evidence and the model wakes the UI), but its evidence comes from
 * the recording: each snapshot is decoded again when the cursor reaches it,
 * so the model owns a fresh copy as it would a probed one. The keys only
 * move the cursor and signal; the thread notices the cursor differs from
 * what it published and publishes, or, when playing, waits until the next
 * snapshot is due at the chosen speed. Never touches the network.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"
#include "model.h"
#include "replay.h"
#include "thread.h"
#include "xmalloc.h"

struct replay {
	struct recording rec;	/* immutable after start */
	struct model *m;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;	/* cursor, speed or stop changed */
	/* Under lock: */
	size_t cursor;
	size_t published;	/* SIZE_MAX: nothing yet */
	uint64_t published_gen;
	unsigned speed;		/* 0: paused */
	unsigned last_speed;
	bool stop;
};

static struct timespec deadline_after(long ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += ms / 1000;
	ts.tv_nsec += (ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/* Wall milliseconds until the snapshot after the cursor is due. */
static long wait_ms(const struct replay *rp)
{
	int64_t gap = rp->rec.snaps[rp->cursor + 1].at - rp->rec.snaps[rp->cursor].at;
	long ms;

	if (gap <= 0)
		return 0;
	if (gap > (int64_t)REPLAY_MAX_WAIT_MS * rp->speed / 1000 + 1)
		return REPLAY_MAX_WAIT_MS;
	ms = (long)(gap * 1000 / rp->speed);
	return ms < REPLAY_MAX_WAIT_MS ? ms : REPLAY_MAX_WAIT_MS;
}

/* Decodes and publishes the cursor's snapshot; called with the lock held,
 * which only the console's key handling contends for. */
static void publish(struct replay *rp)
{
	size_t i = rp->cursor;
	char *cause = NULL;
	struct evidence *ev = recording_evidence(&rp->rec, i, &cause);

	rp->published = i;
	if (ev == NULL) {
		log_msg(LOG_ERR, "replay: snapshot %zu: %s", i + 1, cause);
		free(cause);
		return;
	}
	model_publish(rp->m, ev);
	rp->published_gen = model_generation(rp->m);
}

static void *replay_main(void *arg)
{
	struct replay *rp = arg;

	LOCKRET(pthread_mutex_lock(&rp->lock));
	while (!rp->stop) {
		if (rp->published != rp->cursor) {
			publish(rp);
			continue;
		}
		if (rp->speed == 0 || rp->cursor + 1 >= rp->rec.n_snaps) {
			if (rp->speed != 0 && rp->cursor + 1 >= rp->rec.n_snaps)
				rp->speed = 0;	/* the end: stop playing */
			LOCKRET(pthread_cond_wait(&rp->cond, &rp->lock));
			continue;
		}
		{
			struct timespec ts = deadline_after(wait_ms(rp));
			size_t was = rp->cursor;
			unsigned speed = rp->speed;
			int rc = pthread_cond_timedwait(&rp->cond, &rp->lock, &ts);

			if (rc == ETIMEDOUT && !rp->stop && rp->cursor == was &&
			    rp->speed == speed)
				rp->cursor++;
		}
	}
	LOCKRET(pthread_mutex_unlock(&rp->lock));
	return NULL;
}

struct replay *replay_start(struct recording *rec, struct model *m,
			    size_t start)
{
	struct replay *rp;
	pthread_condattr_t ca;
	int rc;

	if (rec->n_snaps == 0) {
		recording_free(rec);
		return NULL;
	}
	rp = xcalloc(1, sizeof(*rp));
	rp->rec = *rec;
	*rec = (struct recording){ 0 };
	rp->m = m;
	rp->cursor = start < rp->rec.n_snaps ? start : rp->rec.n_snaps - 1;
	rp->published = SIZE_MAX;
	rp->last_speed = 1;
	LOCKRET(pthread_mutex_init(&rp->lock, NULL));
	LOCKRET(pthread_condattr_init(&ca));
	LOCKRET(pthread_condattr_setclock(&ca, CLOCK_MONOTONIC));
	LOCKRET(pthread_cond_init(&rp->cond, &ca));
	LOCKRET(pthread_condattr_destroy(&ca));
	/* Signals belong to the UI thread. */
	if ((rc = thread_start(&rp->thread, replay_main, rp)) != 0) {
		log_msg(LOG_ERR, "replay: cannot start the thread: %d", rc);
		pthread_cond_destroy(&rp->cond);
		pthread_mutex_destroy(&rp->lock);
		recording_free(&rp->rec);
		free(rp);
		return NULL;
	}
	return rp;
}

/* Changes under the lock, then wakes the thread. */
#define REPLAY_CHANGE(rp, body) do { \
	LOCKRET(pthread_mutex_lock(&(rp)->lock)); \
	body; \
	LOCKRET(pthread_cond_signal(&(rp)->cond)); \
	LOCKRET(pthread_mutex_unlock(&(rp)->lock)); } while (0)

void replay_step(struct replay *rp, int dir)
{
	REPLAY_CHANGE(rp, {
		if (dir < 0 && rp->cursor > 0)
			rp->cursor--;
		else if (dir > 0 && rp->cursor + 1 < rp->rec.n_snaps)
			rp->cursor++;
	});
}

void replay_jump(struct replay *rp, int last)
{
	REPLAY_CHANGE(rp, rp->cursor = last ? rp->rec.n_snaps - 1 : 0);
}

void replay_set_speed(struct replay *rp, unsigned speed)
{
	REPLAY_CHANGE(rp, {
		rp->speed = speed;
		if (speed != 0)
			rp->last_speed = speed;
	});
}

void replay_toggle(struct replay *rp)
{
	REPLAY_CHANGE(rp, {
		if (rp->speed != 0) {
			rp->speed = 0;
		} else {
			if (rp->cursor + 1 >= rp->rec.n_snaps)
				rp->cursor = 0;	/* at the end: play from the start */
			rp->speed = rp->last_speed;
		}
	});
}

void replay_next_speed(struct replay *rp)
{
	REPLAY_CHANGE(rp, {
		unsigned cur = rp->speed ? rp->speed : rp->last_speed;

		rp->speed = cur == 1 ? 10 : cur == 10 ? 60 : 1;
		rp->last_speed = rp->speed;
	});
}

unsigned replay_speed(struct replay *rp)
{
	unsigned s;

	LOCKRET(pthread_mutex_lock(&rp->lock));
	s = rp->speed;
	LOCKRET(pthread_mutex_unlock(&rp->lock));
	return s;
}

void replay_status(struct replay *rp, char *buf, size_t len)
{
	char t[16];
	time_t at;
	struct tm tm;
	size_t cur;
	unsigned speed;

	LOCKRET(pthread_mutex_lock(&rp->lock));
	cur = rp->cursor;
	speed = rp->speed;
	LOCKRET(pthread_mutex_unlock(&rp->lock));
	at = (time_t)rp->rec.snaps[cur].at;
	if (gmtime_r(&at, &tm) == NULL || strftime(t, sizeof(t), "%H:%M:%S", &tm) == 0)
		snprintf(t, sizeof(t), "?");
	if (speed != 0)
		snprintf(buf, len, "REPLAY %zu/%zu %s UTC x%u", cur + 1,
			 rp->rec.n_snaps, t, speed);
	else
		snprintf(buf, len, "REPLAY %zu/%zu %s UTC paused", cur + 1,
			 rp->rec.n_snaps, t);
}

int64_t replay_time_of(struct replay *rp, uint64_t gen)
{
	int64_t at;

	LOCKRET(pthread_mutex_lock(&rp->lock));
	at = rp->rec.snaps[gen == rp->published_gen && rp->published < rp->rec.n_snaps ?
			   rp->published : rp->cursor].at;
	LOCKRET(pthread_mutex_unlock(&rp->lock));
	return at;
}

const struct recording *replay_recording(struct replay *rp)
{
	return &rp->rec;
}

void replay_stop(struct replay *rp)
{
	if (rp == NULL)
		return;
	REPLAY_CHANGE(rp, rp->stop = true);
	LOCKRET(pthread_join(rp->thread, NULL));
	pthread_cond_destroy(&rp->cond);
	pthread_mutex_destroy(&rp->lock);
	recording_free(&rp->rec);
	free(rp);
}
