/*
 * deadline.c - the watchdog behind --deadline.
 *
 * One thread, one mutex, one condvar on CLOCK_MONOTONIC: it waits until the
 * deadline or until told the run is over, and on the deadline calls
 * probe_io_cancel() (safe from any thread) and nothing else. Starts with
 * every signal blocked, like every bogus thread.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "deadline.h"
#include "log.h"
#include "probe_io.h"
#include "thread.h"
#include "xmalloc.h"

struct deadline {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct timespec at;	/* CLOCK_MONOTONIC */
	struct probe_io *io;
	bool over;		/* the run ended first */
	bool fired;
};

static void *watch(void *arg)
{
	struct deadline *d = arg;
	int rc = 0;

	LOCKRET(pthread_mutex_lock(&d->lock));
	while (!d->over && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&d->cond, &d->lock, &d->at);
	if (!d->over) {
		d->fired = true;
		probe_io_cancel(d->io);
		log_msg(LOG_INFO, "deadline reached: probes cancelled");
	}
	LOCKRET(pthread_mutex_unlock(&d->lock));
	return NULL;
}

struct deadline *deadline_start(struct probe_io *io, unsigned ms)
{
	struct deadline *d = xcalloc(1, sizeof(*d));
	pthread_condattr_t ca;
	int err;

	d->io = io;
	clock_gettime(CLOCK_MONOTONIC, &d->at);
	d->at.tv_sec += ms / 1000;
	d->at.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (d->at.tv_nsec >= 1000000000L)
		d->at.tv_sec++, d->at.tv_nsec -= 1000000000L;
	pthread_mutex_init(&d->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&d->cond, &ca);
	pthread_condattr_destroy(&ca);
	if ((err = thread_start(&d->thread, watch, d)) != 0) {
		pthread_cond_destroy(&d->cond);
		pthread_mutex_destroy(&d->lock);
		free(d);
		return NULL;
	}
	return d;
}

bool deadline_stop(struct deadline *d)
{
	bool fired;

	if (d == NULL)
		return false;
	LOCKRET(pthread_mutex_lock(&d->lock));
	d->over = true;
	LOCKRET(pthread_cond_signal(&d->cond));
	LOCKRET(pthread_mutex_unlock(&d->lock));
	LOCKRET(pthread_join(d->thread, NULL));
	fired = d->fired;
	pthread_cond_destroy(&d->cond);
	pthread_mutex_destroy(&d->lock);
	free(d);
	return fired;
}
