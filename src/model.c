/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * model.c - the evidence store between the prober thread and the views.
 *
 * One mutex guards the current evidence pointer, its reference counts and
 * the progress counters. Evidence itself is immutable once published, so
 * readers hold a reference and read without the lock (a simplified form of
 * Knot's RCU swap: the last release of a superseded snapshot frees it).
 * The wake pipe is non-blocking: when it is full the reader is awake anyway.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "clock.h"
#include "log.h"
#include "model.h"
#include "wake.h"
#include "xmalloc.h"

/* A published evidence and the references held on it. */
struct snapshot {
	struct evidence *ev;
	unsigned refs;		/* the model's own reference counts as one */
	struct snapshot *next;	/* superseded ones still referenced */
};

/* Engine workers whose waits are told apart (more share the last). */
#define MODEL_WAIT_SLOTS 16
/* Shorter waits are normal round trips, not worth a word. */
#define MODEL_WAIT_SHOWN_MS 1000
/* How often answers arriving for the live grid wake the reader. */
#define MODEL_LIVE_WAKE_MS 100

struct model {
	pthread_mutex_t lock;
	struct snapshot *current;
	struct snapshot *retired;	/* superseded, still referenced */
	uint64_t generation;
	struct model_progress progress;
	struct {		/* per engine worker: its oldest query */
		char server[64];	/* "" when none */
		int64_t since_ms;
	} waits[MODEL_WAIT_SLOTS];
	struct evidence *live;	/* model_live_begin(): until the first publish */
	int64_t live_woken_ms;
	struct wake wake;
};

struct model *model_new(void)
{
	struct model *m = xcalloc(1, sizeof(*m));

	if (wake_open(&m->wake) != 0)
		goto fail;
	if (pthread_mutex_init(&m->lock, NULL) != 0)
		goto fail_wake;
	return m;
fail_wake:
	wake_close(&m->wake);
fail:
	free(m);
	return NULL;
}

static void snapshot_unref(struct snapshot *s)
{
	if (--s->refs == 0) {
		evidence_free(s->ev);
		free(s);
	}
}

void model_free(struct model *m)
{
	if (m == NULL)
		return;
	if (m->current != NULL)
		snapshot_unref(m->current);
	/* Retired snapshots still referenced here are a caller bug. */
	while (m->retired != NULL) {
		struct snapshot *next = m->retired->next;

		log_msg(LOG_ERR, "model_free: snapshot %llu still referenced",
			(unsigned long long)m->retired->ev->generation);
		evidence_free(m->retired->ev);
		free(m->retired);
		m->retired = next;
	}
	evidence_free(m->live);
	LOCKRET(pthread_mutex_destroy(&m->lock));
	wake_close(&m->wake);
	free(m);
}

void model_wake(struct model *m)
{
	wake_poke(&m->wake);
}

void model_drain_wake(struct model *m)
{
	wake_drain(&m->wake);
}

int model_wake_fd(struct model *m)
{
	return m->wake.poll_fd;
}

void model_publish(struct model *m, struct evidence *ev)
{
	struct snapshot *s = xcalloc(1, sizeof(*s));

	s->ev = ev;
	s->refs = 1;
	LOCKRET(pthread_mutex_lock(&m->lock));
	ev->generation = ++m->generation;
	if (m->current != NULL) {
		if (m->current->refs == 1) {
			snapshot_unref(m->current);
		} else {
			m->current->refs--;
			m->current->next = m->retired;
			m->retired = m->current;
		}
	}
	m->current = s;
	evidence_free(m->live);	/* whole refreshes only, from now on */
	m->live = NULL;
	LOCKRET(pthread_mutex_unlock(&m->lock));
	model_wake(m);
}

const struct evidence *model_acquire(struct model *m)
{
	const struct evidence *ev = NULL;

	LOCKRET(pthread_mutex_lock(&m->lock));
	if (m->current != NULL) {
		m->current->refs++;
		ev = m->current->ev;
	}
	LOCKRET(pthread_mutex_unlock(&m->lock));
	return ev;
}

void model_release(struct model *m, const struct evidence *ev)
{
	struct snapshot **pp;

	if (ev == NULL)
		return;
	LOCKRET(pthread_mutex_lock(&m->lock));
	if (m->current != NULL && m->current->ev == ev) {
		m->current->refs--;	/* the model's own ref keeps it alive */
	} else {
		for (pp = &m->retired; *pp != NULL; pp = &(*pp)->next) {
			if ((*pp)->ev == ev) {
				struct snapshot *s = *pp;

				if (s->refs == 1)
					*pp = s->next;
				snapshot_unref(s);
				break;
			}
		}
	}
	LOCKRET(pthread_mutex_unlock(&m->lock));
}

uint64_t model_generation(struct model *m)
{
	uint64_t g;

	LOCKRET(pthread_mutex_lock(&m->lock));
	g = m->generation;
	LOCKRET(pthread_mutex_unlock(&m->lock));
	return g;
}

void model_set_progress(struct model *m, const struct model_progress *p)
{
	LOCKRET(pthread_mutex_lock(&m->lock));
	m->progress = *p;
	LOCKRET(pthread_mutex_unlock(&m->lock));
	model_wake(m);
}

void model_progress(struct model *m, struct model_progress *out)
{
	int64_t now = clock_mono_ms(), oldest = now;
	int at = -1;

	LOCKRET(pthread_mutex_lock(&m->lock));
	*out = m->progress;
	for (int i = 0; i < MODEL_WAIT_SLOTS; i++)
		if (m->waits[i].server[0] != '\0' && m->waits[i].since_ms < oldest) {
			oldest = m->waits[i].since_ms;
			at = i;
		}
	out->waiting_on[0] = '\0';
	out->waiting_ms = 0;
	if (at >= 0 && now - oldest >= MODEL_WAIT_SHOWN_MS) {
		snprintf(out->waiting_on, sizeof(out->waiting_on), "%s",
			 m->waits[at].server);
		out->waiting_ms = (unsigned)(now - oldest);
	}
	LOCKRET(pthread_mutex_unlock(&m->lock));
}

void model_set_waiting(struct model *m, unsigned slot, const char *server,
		       int64_t since_ms)
{
	if (slot >= MODEL_WAIT_SLOTS)
		slot = MODEL_WAIT_SLOTS - 1;
	LOCKRET(pthread_mutex_lock(&m->lock));
	snprintf(m->waits[slot].server, sizeof(m->waits[slot].server), "%s",
		 server != NULL ? server : "");
	m->waits[slot].since_ms = since_ms;
	LOCKRET(pthread_mutex_unlock(&m->lock));
}

void model_query_started(struct model *m)
{
	LOCKRET(pthread_mutex_lock(&m->lock));
	m->progress.in_flight++;
	LOCKRET(pthread_mutex_unlock(&m->lock));
}

void model_query_ended(struct model *m)
{
	LOCKRET(pthread_mutex_lock(&m->lock));
	if (m->progress.in_flight > 0)
		m->progress.in_flight--;
	m->progress.done++;
	LOCKRET(pthread_mutex_unlock(&m->lock));
}

/* ---------------------------------------------------------------- */
/* The live grid.                                                     */

/* What a live cell shows of @p from: outcome, rcode, header bits and the
 * first EDE's code; never the records or texts. */
static void reply_facts(struct dns_reply *to, const struct dns_reply *from)
{
	dns_reply_clear(to);
	to->outcome = from->outcome;
	to->rcode = from->rcode;
	to->aa = from->aa;
	to->tc = from->tc;
	to->ad = from->ad;
	to->ra = from->ra;
	to->cd = from->cd;
	to->rtt_ms = from->rtt_ms;
	if (from->n_ede > 0) {
		to->ede = xcalloc(1, sizeof(*to->ede));
		to->ede[0].code = from->ede[0].code;
		to->ede[0].text = xstrdup("");
		to->n_ede = 1;
	}
}

void model_live_begin(struct model *m, struct evidence *grid)
{
	LOCKRET(pthread_mutex_lock(&m->lock));
	if (m->current == NULL) {
		evidence_free(m->live);
		m->live = grid;
		grid = NULL;
	}
	LOCKRET(pthread_mutex_unlock(&m->lock));
	evidence_free(grid);
}

void model_live_answer(struct model *m, size_t row, size_t col,
		       const struct dns_reply *r, bool cd)
{
	int64_t now = clock_mono_ms();
	bool wake = false;

	LOCKRET(pthread_mutex_lock(&m->lock));
	if (m->live != NULL && row < m->live->n_resolvers &&
	    col < m->live->resolvers[row].n_answers) {
		struct resolver_answer *a = &m->live->resolvers[row].answers[col];

		reply_facts(cd ? &a->cd_reply : &a->reply, r);
		if (now - m->live_woken_ms >= MODEL_LIVE_WAKE_MS) {
			m->live_woken_ms = now;
			wake = true;
		}
	}
	LOCKRET(pthread_mutex_unlock(&m->lock));
	if (wake)
		model_wake(m);
}

struct evidence *model_live_copy(struct model *m)
{
	struct evidence *ev = NULL;

	LOCKRET(pthread_mutex_lock(&m->lock));
	if (m->live != NULL) {
		const struct evidence *g = m->live;

		ev = xcalloc(1, sizeof(*ev));
		ev->zone = g->zone ? xstrdup(g->zone) : NULL;
		ev->resolvers = xcalloc(g->n_resolvers ? g->n_resolvers : 1,
					sizeof(*ev->resolvers));
		ev->n_resolvers = g->n_resolvers;
		for (size_t i = 0; i < g->n_resolvers; i++) {
			const struct resolver_ev *from = &g->resolvers[i];
			struct resolver_ev *to = &ev->resolvers[i];

			to->name = from->name ? xstrdup(from->name) : NULL;
			to->address = from->address ? xstrdup(from->address) : NULL;
			to->port = from->port;
			to->from_system = from->from_system;
			to->canary_rcode = -1;
			to->answers = xcalloc(from->n_answers ? from->n_answers : 1,
					      sizeof(*to->answers));
			to->n_answers = from->n_answers;
			for (size_t j = 0; j < from->n_answers; j++) {
				to->answers[j].qname = xstrdup(from->answers[j].qname);
				to->answers[j].qtype = from->answers[j].qtype;
				reply_facts(&to->answers[j].reply, &from->answers[j].reply);
				reply_facts(&to->answers[j].cd_reply,
					    &from->answers[j].cd_reply);
			}
		}
	}
	LOCKRET(pthread_mutex_unlock(&m->lock));
	return ev;
}
