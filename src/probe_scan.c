/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_scan.c - one full refresh, and the prober thread that repeats it.
 *
 * probe_scan() builds the plan, then runs the phases: the chain of trust,
 * the resolvers, the vantage checks and the local validation from t=0, each
 * in a thread of their own, the resolvers again for the zone's MX targets as
 * soon as the MX is known (first answer), and the nameservers' queries as soon as the chain knows the zone's servers (a
 * hand-off: the walk goes on asking for keys meanwhile, so a silent server
 * costs one wait, not one per phase); their evidence is filled once the
 * chain is done. Each phase fills its own evidence; they are joined into
 * one at the end, so no phase ever sees another's half-written data.
 *
 * The prober thread calls probe_scan() at once, then every interval (start
 * to start, so that a slow scan does not stretch the period), or sooner when
 * asked, and publishes each result into the model. A "refresh now" during a
 * scan cancels it and starts over: the room asked for the state as of now,
 * and a half-done scan is never published. It owns its query engine.
 * Neither ever touches the screen; stopping cancels in-flight queries
 * through the engine, so that prober_stop() returns promptly.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"
#include "model.h"
#include "probe.h"
#include "probe_phases.h"
#include "thread.h"
#include "xmalloc.h"

#define PROBER_WORKERS 4

/* A phase run in a thread of its own; owned by probe_scan(). */
struct phase {
	struct probe_io *io;
	const struct scan_config *cfg;
	const struct probe_io_opts *opts;
	const struct probe_plan *plan;
	int64_t now;		/* the chain's clock */
	struct evidence *ev;	/* the chain writes the scan's own evidence */
	struct evidence part;	/* what this phase found */
	struct ns_handoff *handoff;	/* chain: where the servers go */
	struct plan_growth *growth;	/* local: the MX targets, later */
	size_t from;		/* more: the first plan item it asks */
	pthread_t thread;
	bool running;
};

static void *resolvers_main(void *arg)
{
	struct phase *ph = arg;

	probe_resolvers_collect(ph->io, ph->cfg, ph->opts, ph->plan, &ph->part);
	return NULL;
}

/* The resolvers again, for the plan items learnt since (the MX targets). */
static void *resolvers_more_main(void *arg)
{
	struct phase *ph = arg;

	probe_resolvers_collect_more(ph->io, ph->cfg, ph->opts, ph->plan,
				     ph->from, &ph->part);
	return NULL;
}

static void *chain_main(void *arg)
{
	struct phase *ph = arg;

	probe_chain_collect(ph->io, ph->cfg, ph->opts, ph->now, ph->ev,
			    ph->handoff);
	return NULL;
}

static void *vantage_main(void *arg)
{
	struct phase *ph = arg;

	probe_vantage_collect(ph->io, ph->cfg, ph->opts, &ph->part);
	return NULL;
}

static void *local_main(void *arg)
{
	struct phase *ph = arg;

	probe_local_collect_until(ph->cfg, ph->plan, ph->growth, &ph->part,
				  probe_io_cancel_fd(ph->io));
	return NULL;
}

/* Starts @p fn in a thread; runs it inline if no thread can start. */
static void phase_start(struct phase *ph, void *(*fn)(void *))
{
	ph->running = thread_start(&ph->thread, fn, ph) == 0;
	if (!ph->running)
		fn(ph);
}

static void phase_join(struct phase *ph)
{
	if (ph->running)
		LOCKRET(pthread_join(ph->thread, NULL));
	ph->running = false;
}

/* Moves @p part's notes to the end of @p ev's. */
static void take_notes(struct evidence *ev, struct evidence *part)
{
	for (size_t i = 0; i < part->n_notes; i++)
		*XAPPEND(ev->notes, ev->n_notes) = part->notes[i];
	free(part->notes);
	part->notes = NULL;
	part->n_notes = 0;
}

static bool cancelled(struct probe_io *io)
{
	struct pollfd p = { .fd = probe_io_cancel_fd(io), .events = POLLIN };

	return p.fd >= 0 && poll(&p, 1, 0) > 0 && (p.revents & POLLIN);
}

static int64_t wall_now(const struct scan_config *cfg, time_t real_start)
{
	if (cfg->fixed_now > 0)
		return cfg->fixed_now + (int64_t)(time(NULL) - real_start);
	return (int64_t)time(NULL);
}

struct evidence *probe_scan(struct probe_io *io, const struct scan_config *cfg,
			    struct model *progress)
{
	struct evidence *ev = xcalloc(1, sizeof(*ev));
	struct probe_io_opts opts = {
		.timeout_ms = cfg->timeout_ms ? cfg->timeout_ms : CONFIG_DEFAULT_TIMEOUT_MS,
		.tries = cfg->tries ? cfg->tries : CONFIG_DEFAULT_TRIES,
		.edns_bufsize = cfg->edns_bufsize ? cfg->edns_bufsize : CONFIG_DEFAULT_BUFSIZE,
		.progress = progress,
	};
	time_t real_start = time(NULL);
	unsigned sent0 = probe_io_queries_sent(io);
	unsigned late0 = probe_io_late_replies(io);
	unsigned limited0 = probe_io_local_limited(io);
	struct probe_plan *plan = probe_plan_new(cfg);
	struct phase res = { .io = io, .cfg = cfg, .opts = &opts, .plan = plan };
	struct phase loc = res, van = res, chain = res, more = res;
	struct probe_plan *first = NULL;	/* the plan before the MX targets */
	struct plan_growth growth;
	int64_t now = wall_now(cfg, real_start);

	probe_io_scan_begin(io);	/* silence is judged per scan */
	ev->started_at = now;
	ev->zone = xstrdup(cfg->zone);
	ev->anchor_source = xstrdup(cfg->anchor_source ? cfg->anchor_source
						       : "built-in");
	if (!cancelled(io)) {
		/*
		 * Everything that needs nothing else starts at t=0: the chain
		 * walk (which owns ev until joined), the resolvers' batch, the
		 * vantage checks and local validation, whose cold walk from
		 * the root is the longest wait of a healthy zone. Those that
		 * ask the plan ask a copy of it without the MX targets, which
		 * the MX lookup adds meanwhile: then the resolvers are asked
		 * for them in a batch of their own, local validation picks
		 * them up, and the servers get the whole plan.
		 */
		struct ns_handoff handoff;
		struct ns_prefetch *pf;

		ns_handoff_init(&handoff);
		chain.now = now;
		chain.ev = ev;
		chain.handoff = &handoff;
		phase_start(&chain, chain_main);
		first = probe_plan_copy(plan);
		growth.plan = plan;
		growth.n_first = plan->n_items;
		atomic_init(&growth.final, false);
		loc.plan = first;
		loc.growth = &growth;
		loc.running = thread_start(&loc.thread, local_main, &loc) == 0;
		res.plan = first;
		phase_start(&res, resolvers_main);
		phase_start(&van, vantage_main);
		probe_resolvers_find_mx(io, cfg, &opts, plan);
		atomic_store_explicit(&growth.final, true, memory_order_release);
		if (!loc.running) {	/* no thread: inline, with the whole plan */
			loc.plan = plan;
			loc.growth = NULL;
			local_main(&loc);
		}
		more.from = growth.n_first;
		phase_start(&more, resolvers_more_main);
		/* The plan is final now (MX targets in): the servers' queries
		 * may go out while the walk asks for the keys. */
		ns_handoff_wait(&handoff);
		pf = probe_ns_prefetch(io, cfg, &opts, plan, handoff.addrs,
				       handoff.n_addrs);
		phase_join(&chain);
		ns_handoff_destroy(&handoff);
		if (!cancelled(io))
			probe_ns_collect(io, cfg, &opts, plan, now, ev, pf);
		else
			probe_ns_prefetch_free(pf);
		if (!cancelled(io))
			probe_alias_collect(io, cfg, &opts, now, ev);
		phase_join(&res);
		phase_join(&more);
		probe_resolvers_merge(&res.part, &more.part);
		phase_join(&loc);
		phase_join(&van);
		ev->vantage = van.part.vantage;
		ev->n_vantage = van.part.n_vantage;
		ev->late_replies += van.part.late_replies;
		ev->resolvers = res.part.resolvers;
		ev->n_resolvers = res.part.n_resolvers;
		ev->local = loc.part.local;
		ev->n_local = loc.part.n_local;
		take_notes(ev, &res.part);
		take_notes(ev, &loc.part);
	}
	if (cancelled(io))
		*XAPPEND(ev->notes, ev->n_notes) =
			xstrdup("refresh cancelled before it completed");
	probe_plan_free(first);
	probe_plan_free(plan);
	ev->finished_at = wall_now(cfg, real_start);
	ev->queries_sent = probe_io_queries_sent(io) - sent0;
	ev->late_replies = probe_io_late_replies(io) - late0;
	ev->local_limited = probe_io_local_limited(io) - limited0 +
			    loc.part.local_limited;
	if (ev->local_limited > 0)
		*XAPPEND(ev->notes, ev->n_notes) = xasprintf(
			"%u queries waited for a file descriptor (a limit of this "
			"host, not the zone's); results may be incomplete",
			ev->local_limited);
	return ev;
}

/* ---------------------------------------------------------------- */
/* The prober thread.                                                 */

struct prober {
	const struct scan_config *cfg;
	struct model *m;
	unsigned interval_s;
	struct probe_io *io;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;	/* CLOCK_MONOTONIC */
	bool stop, refresh, paused;
	bool scanning;		/* probe_scan() runs: a refresh cancels it */
};

static void set_progress(struct prober *p, bool refreshing, int64_t next_at,
			 bool paused)
{
	struct model_progress mp;

	model_progress(p->m, &mp);
	if (refreshing) {
		mp.in_flight = 0;
		mp.done = 0;
	}
	mp.refreshing = refreshing;
	mp.next_refresh_at = paused ? 0 : next_at;
	mp.paused = paused;
	model_set_progress(p->m, &mp);
}

static struct timespec mono_after(unsigned s)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += s;
	return ts;
}

static bool before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
	       (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* The Unix time of the monotonic instant @p at (now, if it is past). */
static int64_t wall_at(const struct timespec *at)
{
	struct timespec now;
	int64_t ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (int64_t)(at->tv_sec - now.tv_sec) * 1000 +
	     (at->tv_nsec - now.tv_nsec) / 1000000;
	return (int64_t)time(NULL) + (ms > 0 ? (ms + 500) / 1000 : 0);
}

static void *prober_main(void *arg)
{
	struct prober *p = arg;

	LOCKRET(pthread_mutex_lock(&p->lock));
	while (!p->stop) {
		struct evidence *ev;
		struct timespec next, now;
		bool paused = p->paused;

		p->refresh = false;
		p->scanning = true;
		LOCKRET(pthread_mutex_unlock(&p->lock));
		set_progress(p, true, 0, paused);
		next = mono_after(p->interval_s);
		ev = probe_scan(p->io, p->cfg, p->m);
		LOCKRET(pthread_mutex_lock(&p->lock));
		p->scanning = false;
		if (p->stop) {
			evidence_free(ev);	/* cancelled half-way: not news */
			break;
		}
		if (cancelled(p->io)) {
			/* Refresh now: what this scan saw is discarded (it may
			 * have ended just before the cancel came; the next one
			 * is as new), and the engine takes queries again. */
			evidence_free(ev);
			probe_io_resume(p->io);
			continue;
		}
		LOCKRET(pthread_mutex_unlock(&p->lock));
		model_publish(p->m, ev);
		LOCKRET(pthread_mutex_lock(&p->lock));
		set_progress(p, false, wall_at(&next), p->paused);
		for (;;) {
			bool was_paused = p->paused;

			clock_gettime(CLOCK_MONOTONIC, &now);
			if (p->stop || p->refresh || (!p->paused && !before(&now, &next)))
				break;
			if (p->paused)
				LOCKRET(pthread_cond_wait(&p->cond, &p->lock));
			else
				(void)pthread_cond_timedwait(&p->cond, &p->lock, &next);
			if (was_paused != p->paused) {
				if (!p->paused)	/* resumed: a full interval from now */
					next = mono_after(p->interval_s);
				set_progress(p, false, (int64_t)time(NULL) +
					     p->interval_s, p->paused);
			}
		}
	}
	LOCKRET(pthread_mutex_unlock(&p->lock));
	set_progress(p, false, 0, p->paused);
	return NULL;
}

struct prober *prober_start(const struct scan_config *cfg, struct model *m,
			    unsigned interval_s)
{
	struct prober *p = xcalloc(1, sizeof(*p));
	pthread_condattr_t ca;
	int err;

	p->cfg = cfg;
	p->m = m;
	p->interval_s = interval_s ? interval_s : 1;
	if ((p->io = probe_io_new(PROBER_WORKERS)) == NULL)
		goto fail;
	pthread_mutex_init(&p->lock, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cond, &ca);
	pthread_condattr_destroy(&ca);
	if ((err = thread_start(&p->thread, prober_main, p)) != 0) {
		pthread_cond_destroy(&p->cond);
		pthread_mutex_destroy(&p->lock);
		errno = err;
		goto fail;
	}
	return p;
fail:
	err = errno;	/* the caller says why */
	probe_io_free(p->io);
	free(p);
	errno = err;
	return NULL;
}

void prober_refresh_now(struct prober *p)
{
	if (p == NULL)
		return;
	LOCKRET(pthread_mutex_lock(&p->lock));
	p->refresh = true;
	if (p->scanning)
		probe_io_cancel(p->io);
	LOCKRET(pthread_cond_broadcast(&p->cond));
	LOCKRET(pthread_mutex_unlock(&p->lock));
}

void prober_set_paused(struct prober *p, bool paused)
{
	if (p == NULL)
		return;
	LOCKRET(pthread_mutex_lock(&p->lock));
	p->paused = paused;
	LOCKRET(pthread_cond_broadcast(&p->cond));
	LOCKRET(pthread_mutex_unlock(&p->lock));
}

void prober_stop(struct prober *p)
{
	if (p == NULL)
		return;
	LOCKRET(pthread_mutex_lock(&p->lock));
	p->stop = true;
	LOCKRET(pthread_cond_broadcast(&p->cond));
	LOCKRET(pthread_mutex_unlock(&p->lock));
	probe_io_cancel(p->io);
	LOCKRET(pthread_join(p->thread, NULL));
	probe_io_free(p->io);
	pthread_cond_destroy(&p->cond);
	pthread_mutex_destroy(&p->lock);
	free(p);
}
