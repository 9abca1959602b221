/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: the evidence store. Snapshots stay valid while held, are freed
 * when superseded and released (ASan/LSan would see a leak or a use after
 * free), generations grow, and the wake pipe wakes. */
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clock.h"
#include "model.h"
#include "xmalloc.h"

static struct evidence *new_evidence(const char *zone)
{
	struct evidence *ev = xcalloc(1, sizeof(*ev));

	ev->zone = xstrdup(zone);
	return ev;
}

static int wake_pending(struct model *m)
{
	struct pollfd p = { .fd = model_wake_fd(m), .events = POLLIN };

	return poll(&p, 1, 0) == 1;
}

static void test_empty_and_null(void **state)
{
	struct model *m = model_new();

	(void)state;
	assert_non_null(m);
	assert_null(model_acquire(m));
	assert_int_equal(model_generation(m), 0);
	model_release(m, NULL);
	model_free(m);
	model_free(NULL);
}

static void test_publish_acquire(void **state)
{
	struct model *m = model_new();
	const struct evidence *held;

	(void)state;
	model_publish(m, new_evidence("one."));
	assert_true(wake_pending(m));
	model_drain_wake(m);
	assert_false(wake_pending(m));
	held = model_acquire(m);
	assert_string_equal(held->zone, "one.");
	assert_int_equal(held->generation, 1);

	/* A newer publish must not free what a reader still holds. */
	model_publish(m, new_evidence("two."));
	assert_int_equal(model_generation(m), 2);
	assert_string_equal(held->zone, "one.");
	model_release(m, held);

	held = model_acquire(m);
	assert_string_equal(held->zone, "two.");
	model_release(m, held);
	model_free(m);
}

static void test_progress(void **state)
{
	struct model *m = model_new();
	struct model_progress p = { .refreshing = true, .next_refresh_at = 42 };

	(void)state;
	model_set_progress(m, &p);
	model_query_started(m);
	model_query_started(m);
	model_query_ended(m);
	model_progress(m, &p);
	assert_true(p.refreshing);
	assert_int_equal(p.in_flight, 1);
	assert_int_equal(p.done, 1);
	assert_int_equal(p.next_refresh_at, 42);
	model_free(m);
}

/* The status line's "waiting N s on SERVER": the oldest wait of any
 * worker, once it is a second old; a worker's "none" clears its own. */
static void test_waiting(void **state)
{
	struct model *m = model_new();
	struct model_progress p;
	int64_t now = clock_mono_ms();

	(void)state;
	model_progress(m, &p);
	assert_string_equal(p.waiting_on, "");
	model_set_waiting(m, 0, "192.0.2.1", now);	/* a normal round trip */
	model_progress(m, &p);
	assert_string_equal(p.waiting_on, "");
	assert_int_equal(p.waiting_ms, 0);
	model_set_waiting(m, 0, "192.0.2.1", now - 1500);
	model_set_waiting(m, 3, "2001:db8::53", now - 4000);
	model_set_waiting(m, 99, "198.51.100.7", now - 2000);	/* shares a slot */
	model_progress(m, &p);
	assert_string_equal(p.waiting_on, "2001:db8::53");
	assert_true(p.waiting_ms >= 4000 && p.waiting_ms < 60000);
	model_set_waiting(m, 3, NULL, 0);
	model_progress(m, &p);
	assert_string_equal(p.waiting_on, "198.51.100.7");
	model_set_waiting(m, 99, NULL, 0);
	model_progress(m, &p);
	assert_string_equal(p.waiting_on, "192.0.2.1");
	assert_true(p.waiting_ms >= 1500);
	model_set_waiting(m, 0, NULL, 0);
	model_progress(m, &p);
	assert_string_equal(p.waiting_on, "");
	model_free(m);
}

#define PUBLISHES 2000

static void *publisher(void *arg)
{
	struct model *m = arg;

	for (int i = 0; i < PUBLISHES; i++)
		model_publish(m, new_evidence("racing."));
	return NULL;
}

/* One writer, the reader here: every snapshot read is whole, and the
 * generations a reader sees never go backwards. */
static void test_concurrent(void **state)
{
	struct model *m = model_new();
	pthread_t t;
	uint64_t last = 0;

	(void)state;
	assert_int_equal(pthread_create(&t, NULL, publisher, m), 0);
	while (last < PUBLISHES) {
		const struct evidence *ev = model_acquire(m);

		if (ev != NULL) {
			assert_true(ev->generation >= last);
			last = ev->generation;
			assert_string_equal(ev->zone, "racing.");
			model_release(m, ev);
		}
		model_drain_wake(m);
	}
	pthread_join(t, NULL);
	model_free(m);
}

/* A grid of one resolver with two questions, replies not sent yet. */
static struct evidence *live_grid(void)
{
	struct evidence *g = new_evidence("example.test.");
	struct resolver_ev *r;

	g->resolvers = xcalloc(1, sizeof(*g->resolvers));
	g->n_resolvers = 1;
	r = &g->resolvers[0];
	r->name = xstrdup("unbound");
	r->address = xstrdup("127.0.2.1");
	r->answers = xcalloc(2, sizeof(*r->answers));
	r->n_answers = 2;
	r->answers[0].qname = xstrdup("example.test.");
	r->answers[0].qtype = 6;
	r->answers[1].qname = xstrdup("www.example.test.");
	r->answers[1].qtype = 1;
	return g;
}

/* The first screen's grid: answers land in their cell as facts only (no
 * records), out-of-range cells are ignored, and the grid is gone once a
 * refresh is published, never to come back. */
static void test_live_grid(void **state)
{
	struct model *m = model_new();
	struct dns_reply r = { .outcome = OUTCOME_ANSWER, .rcode = 2 };
	struct evidence *copy;

	(void)state;
	assert_null(model_live_copy(m));
	model_live_answer(m, 0, 0, &r, false);	/* no grid: ignored */
	model_live_begin(m, live_grid());
	r.answer = xcalloc(1, sizeof(*r.answer));
	r.answer[0] = xstrdup("not kept");
	r.n_answer = 1;
	r.ede = xcalloc(1, sizeof(*r.ede));
	r.ede[0] = (struct ede){ .code = 6, .text = xstrdup("DNSSEC Bogus") };
	r.n_ede = 1;
	model_live_answer(m, 0, 1, &r, false);	/* SERVFAIL, EDE 6 */
	model_live_answer(m, 0, 2, &r, false);	/* no such column */
	model_live_answer(m, 1, 0, &r, false);	/* no such row */
	dns_reply_clear(&r);
	r = (struct dns_reply){ .outcome = OUTCOME_ANSWER, .rcode = 0 };
	model_live_answer(m, 0, 1, &r, true);	/* its CD=1 retry */
	copy = model_live_copy(m);
	assert_non_null(copy);
	assert_int_equal(copy->n_resolvers, 1);
	assert_string_equal(copy->resolvers[0].name, "unbound");
	assert_int_equal(copy->resolvers[0].answers[0].reply.outcome, OUTCOME_NOT_SENT);
	assert_int_equal(copy->resolvers[0].answers[1].reply.outcome, OUTCOME_ANSWER);
	assert_int_equal(copy->resolvers[0].answers[1].reply.rcode, 2);
	assert_int_equal(copy->resolvers[0].answers[1].reply.n_answer, 0);
	assert_int_equal(copy->resolvers[0].answers[1].reply.n_ede, 1);
	assert_int_equal(copy->resolvers[0].answers[1].reply.ede[0].code, 6);
	assert_int_equal(copy->resolvers[0].answers[1].cd_reply.rcode, 0);
	evidence_free(copy);
	assert_true(wake_pending(m));

	model_publish(m, new_evidence("example.test."));
	assert_null(model_live_copy(m));
	model_live_begin(m, live_grid());	/* a later refresh: not taken */
	assert_null(model_live_copy(m));
	model_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty_and_null),
		cmocka_unit_test(test_publish_acquire),
		cmocka_unit_test(test_progress),
		cmocka_unit_test(test_waiting),
		cmocka_unit_test(test_live_grid),
		cmocka_unit_test(test_concurrent),
	};

	return cmocka_run_group_tests_name("model", tests, NULL, NULL);
}
