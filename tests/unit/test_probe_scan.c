/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_probe_scan.c - one refresh and the prober thread, on loopback only.
 *
 * The "resolver" is a loopback test server that answers everything with
 * NOERROR and no AD (so: not validating); the root hints point at
 * 127.0.0.1:53, where nothing listens, so the chain walk and libunbound fail
 * fast without a packet leaving the machine.
 */
#include <stdarg.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "loopback_dns.h"
#include "model.h"
#include "probe.h"
#include "probe_io.h"

static char zone[] = "example.test.";
static char canary[] = "dnssec-failed.test.";
static char rname[] = "loop";
static char raddr[] = "127.0.0.1";
static char hints[] = ". 3600 IN NS a.root.test.\na.root.test. 3600 IN A 127.0.0.1\n";
static char anchor[] = ". 3600 IN DS 20326 8 2 "
	"E06D44B80B8F1D39A95C0B0D7C65D08458E880409BBC683457104237C7F8EC8D\n";
static char source[] = "test";

static int64_t now_ms(void)
{
	return mono_ms();
}

static void make_cfg(struct scan_config *cfg, struct resolver_spec *rs,
		     uint16_t port)
{
	*rs = (struct resolver_spec){ .name = rname, .address = raddr, .port = port };
	*cfg = (struct scan_config){
		.zone = zone, .resolvers = rs, .n_resolvers = 1,
		.anchor_text = anchor, .anchor_source = source,
		.hints_text = hints, .hints_source = source, .canary = canary,
		.timeout_ms = 800, .tries = 1, .edns_bufsize = 1232,	/* loaded CI */
		.max_sig_checks = 16, .max_nsec3_iterations = 150,
	};
}

static void test_scan_once(void **state)
{
	struct server *s = server_start(M_GOOD);
	struct resolver_spec rs;
	struct scan_config cfg;
	struct probe_io *io = probe_io_new(2);
	struct evidence *ev;
	int64_t t0 = now_ms();

	(void)state;
	make_cfg(&cfg, &rs, s->port);
	cfg.fixed_now = 1700000000;
	ev = probe_scan(io, &cfg, NULL);
	assert_true(now_ms() - t0 < 12000);	/* bounded, whatever times out */
	assert_string_equal(ev->zone, "example.test.");
	assert_string_equal(ev->anchor_source, "test");
	assert_int_equal(ev->started_at, 1700000000);
	assert_true(ev->finished_at >= ev->started_at);
	assert_int_equal(ev->n_resolvers, 1);
	assert_string_equal(ev->resolvers[0].name, "loop");
	assert_int_equal(ev->resolvers[0].port, s->port);
	/* Answers everything, never with AD: measured as not validating. */
	assert_int_equal(ev->resolvers[0].validating, VALIDATING_NO);
	assert_false(ev->resolvers[0].root_ad);
	assert_int_equal(ev->resolvers[0].canary_rcode, RCODE_NOERROR);
	assert_true(ev->resolvers[0].n_answers >= 11);
	for (size_t i = 0; i < ev->resolvers[0].n_answers; i++) {
		const struct resolver_answer *a = &ev->resolvers[0].answers[i];

		assert_int_equal(a->reply.outcome, OUTCOME_ANSWER);
		assert_int_equal(a->cd_reply.outcome, OUTCOME_NOT_SENT);
	}
	/* Local validation: one verdict per plan item, the MX targets (added
	 * while it ran) included, none secure here. */
	assert_int_equal(ev->n_local, ev->resolvers[0].n_answers);
	for (size_t i = 0; i < ev->n_local; i++)
		assert_int_not_equal(ev->local[i].security, SEC_SECURE);
	assert_true(ev->queries_sent >= ev->resolvers[0].n_answers + 2);
	evidence_free(ev);
	probe_io_free(io);
	server_stop(s);
}

static bool wait_generation(struct model *m, uint64_t g, int64_t ms)
{
	int64_t end = now_ms() + ms;

	while (now_ms() < end) {
		if (model_generation(m) >= g)
			return true;
		usleep(20000);
	}
	return false;
}

static void test_prober_lifecycle(void **state)
{
	struct server *s = server_start(M_GOOD);
	struct resolver_spec rs;
	struct scan_config cfg;
	struct model *m = model_new();
	struct model_progress pr;
	struct prober *p;
	const struct evidence *ev;
	int64_t t0;

	(void)state;
	prober_stop(NULL);
	make_cfg(&cfg, &rs, s->port);
	p = prober_start(&cfg, m, 3600);
	assert_non_null(p);
	/* A refresh at once... */
	assert_true(wait_generation(m, 1, 8000));
	ev = model_acquire(m);
	assert_int_equal(ev->n_resolvers, 1);
	model_release(m, ev);
	usleep(50000);
	model_progress(m, &pr);
	assert_false(pr.refreshing);
	assert_true(pr.next_refresh_at > (int64_t)time(NULL) + 3000);
	/* ...then only when asked, long before the interval. */
	prober_refresh_now(p);
	assert_true(wait_generation(m, 2, 8000));
	prober_set_paused(p, true);
	usleep(50000);
	model_progress(m, &pr);
	assert_true(pr.paused);
	assert_int_equal(pr.next_refresh_at, 0);
	prober_set_paused(p, false);
	/* Stopping during a refresh is prompt and publishes nothing half-done. */
	prober_refresh_now(p);
	usleep(30000);
	t0 = now_ms();
	prober_stop(p);
	assert_true(now_ms() - t0 < 2000);
	assert_true(model_generation(m) <= 3);
	model_free(m);
	server_stop(s);
}

/*
 * "Refresh now" during a slow scan (the resolver is silent: every question
 * waits out the budget) starts over: what is published is a whole scan that
 * began after the request, never the cut-short one; and the next refresh is
 * due one interval after that scan's start, not after its end.
 */
static void test_prober_refresh_restarts(void **state)
{
	struct server *s = server_start(M_SILENT);
	struct resolver_spec rs;
	struct scan_config cfg;
	struct model *m = model_new();
	struct model_progress pr;
	const struct evidence *ev;
	struct prober *p;
	time_t asked;

	(void)state;
	make_cfg(&cfg, &rs, s->port);
	cfg.timeout_ms = 2000;
	p = prober_start(&cfg, m, 3600);
	assert_non_null(p);
	usleep(1200000);
	assert_int_equal(model_generation(m), 0);	/* still waiting */
	asked = time(NULL);
	prober_refresh_now(p);
	assert_true(wait_generation(m, 1, 30000));
	ev = model_acquire(m);
	assert_true(ev->started_at >= (int64_t)asked);
	for (size_t i = 0; i < ev->n_notes; i++)
		assert_null(strstr(ev->notes[i], "cancelled"));
	assert_int_equal(ev->n_resolvers, 1);
	assert_int_equal(ev->resolvers[0].answers[0].reply.outcome, OUTCOME_TIMEOUT);
	usleep(50000);
	model_progress(m, &pr);
	assert_false(pr.refreshing);
	assert_true(pr.next_refresh_at <= ev->started_at + 3600 + 1);
	assert_true(ev->finished_at - ev->started_at >= 2);	/* so it tells */
	model_release(m, ev);
	assert_int_equal(model_generation(m), 1);
	prober_stop(p);
	model_free(m);
	server_stop(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scan_once),
		cmocka_unit_test(test_prober_lifecycle),
		cmocka_unit_test(test_prober_refresh_restarts),
	};

	/* Local validation for real, as bogus runs it (it fails fast here):
	 * its MX targets arrive while it already runs. */
	if (probe_local_start() != 0)
		return 1;
	int failed = cmocka_run_group_tests(tests, NULL, NULL);

	probe_local_stop();
	return failed;
}
