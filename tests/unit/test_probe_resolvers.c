/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_probe_resolvers.c - the resolver phase against loopback resolvers
 * that behave like a validating one, a non-validating one, one whose
 * upstream is dead and one that is down: is validation measured right, are
 * failures retried with CD=1 (and only they), are MX targets found?
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#include "loopback_dns.h"
#include "probe_io.h"
#include "probe_phases.h"

static char zone[] = "example.test.";
static char canary[] = "dnssec-failed.test.";
static char addr[] = "127.0.0.1";
static char n_val[] = "validator", n_plain[] = "plain", n_dead[] = "dead",
	    n_down[] = "down";

static const struct resolver_answer *find(const struct resolver_ev *r,
					  const char *qname, uint16_t qtype)
{
	for (size_t i = 0; i < r->n_answers; i++)
		if (r->answers[i].qtype == qtype &&
		    strcmp(r->answers[i].qname, qname) == 0)
			return &r->answers[i];
	return NULL;
}

static void test_validation_measured(void **state)
{
	struct server *val = server_start(M_VALIDATOR), *plain = server_start(M_GOOD),
		      *dead = server_start(M_SERVFAIL), *down = server_start(M_SILENT);
	struct resolver_spec rs[4] = {
		{ .name = n_val, .address = addr, .port = val->port },
		{ .name = n_plain, .address = addr, .port = plain->port },
		{ .name = n_dead, .address = addr, .port = dead->port },
		{ .name = n_down, .address = addr, .port = down->port, .from_system = true },
	};
	struct scan_config cfg = { .zone = zone, .resolvers = rs, .n_resolvers = 4,
				   .canary = canary };
	/* Generous: the loopback servers are threads that a loaded CI machine may
	 * not schedule within a few hundred ms; only the silent one waits it out. */
	struct probe_io_opts o = { .timeout_ms = 1500, .tries = 1, .edns_bufsize = 1232 };
	struct probe_io *io = probe_io_new(2);
	struct probe_plan *plan = probe_plan_new(&cfg);
	struct evidence *evp = calloc(1, sizeof(*evp)), ev, more = { 0 };
	const struct resolver_answer *a;
	size_t n_first = plan->n_items;

	(void)state;
	/* As a scan does: the first batch before the MX targets are known,
	 * then one for them, merged into each resolver's answers. */
	probe_resolvers_collect(io, &cfg, &o, plan, evp);
	assert_int_equal(evp->resolvers[0].n_answers, n_first);
	probe_resolvers_find_mx(io, &cfg, &o, plan);
	assert_int_equal(plan->n_mx_targets, 1);
	assert_string_equal(plan->mx_targets[0], "mail.example.test.");
	assert_true(plan->n_items > n_first);
	probe_resolvers_collect_more(io, &cfg, &o, plan, n_first, &more);
	assert_int_equal(more.n_resolvers, 4);
	probe_resolvers_merge(evp, &more);
	assert_int_equal(more.n_resolvers, 0);
	assert_null(more.resolvers);
	ev = *evp;
	assert_int_equal(ev.n_resolvers, 4);

	/* Validator: AD on the root proves it; its canary is not kept,
	 * whether or not it answered before being dropped. */
	assert_string_equal(ev.resolvers[0].name, "validator");
	assert_int_equal(ev.resolvers[0].validating, VALIDATING_YES);
	assert_true(ev.resolvers[0].root_ad);
	assert_int_equal(ev.resolvers[0].canary_rcode, -1);
	assert_int_equal(ev.resolvers[0].n_answers, plan->n_items);
	a = find(&ev.resolvers[0], "mail.example.test.", RRTYPE_A);
	assert_non_null(a);
	assert_true(a->reply.ad);
	assert_int_equal(a->cd_reply.outcome, OUTCOME_NOT_SENT);

	/* Non-validating: hands out the canary. */
	assert_int_equal(ev.resolvers[1].validating, VALIDATING_NO);
	assert_false(ev.resolvers[1].root_ad);
	assert_int_equal(ev.resolvers[1].canary_rcode, RCODE_NOERROR);

	/* Dead upstream: SERVFAIL, and CD=1 does not help: not "validating". */
	assert_int_not_equal(ev.resolvers[2].validating, VALIDATING_YES);
	a = find(&ev.resolvers[2], "www.example.test.", RRTYPE_A);
	assert_int_equal(a->reply.rcode, RCODE_SERVFAIL);
	assert_int_equal(a->cd_reply.outcome, OUTCOME_ANSWER);
	assert_int_equal(a->cd_reply.rcode, RCODE_SERVFAIL);
	assert_true(a->cd_reply.cd);	/* the retry really had CD set */
	assert_false(a->reply.cd);

	/* Down: every query timed out, nothing known; a silent resolver costs
	 * one budget, so it is not asked again with CD=1. */
	assert_true(ev.resolvers[3].from_system);
	assert_int_equal(ev.resolvers[3].validating, VALIDATING_UNKNOWN);
	assert_int_equal(ev.resolvers[3].canary_rcode, -1);
	a = find(&ev.resolvers[3], "example.test.", RRTYPE_SOA);
	assert_int_equal(a->reply.outcome, OUTCOME_TIMEOUT);
	assert_int_equal(a->cd_reply.outcome, OUTCOME_NOT_SENT);

	for (size_t i = 0; i < ev.n_resolvers; i++)
		for (size_t j = 0; j < ev.resolvers[i].n_answers; j++)
			assert_string_equal(ev.resolvers[i].answers[j].qname,
					    plan->items[j].qname);

	evidence_free(evp);
	probe_plan_free(plan);
	probe_io_free(io);
	server_stop(val);
	server_stop(plain);
	server_stop(dead);
	server_stop(down);
}

/*
 * A validating resolver that fails one question once (cold, under a burst)
 * and answers everything else: the failure is asked again, and the second
 * answer is the evidence. One that fails everything keeps its SERVFAILs.
 */
static void test_lone_failure_confirmed(void **state)
{
	struct server *cold = server_start(M_VALIDATOR_COLD), *dead = server_start(M_SERVFAIL);
	struct resolver_spec rs[2] = {
		{ .name = n_val, .address = addr, .port = cold->port },
		{ .name = n_dead, .address = addr, .port = dead->port },
	};
	struct scan_config cfg = { .zone = zone, .resolvers = rs, .n_resolvers = 2,
				   .canary = canary };
	struct probe_io_opts o = { .timeout_ms = 1500, .tries = 1, .edns_bufsize = 1232 };
	struct probe_io *io = probe_io_new(2);
	struct probe_plan *plan = probe_plan_new(&cfg);
	struct evidence *ev = calloc(1, sizeof(*ev));
	const struct resolver_answer *a;

	(void)state;
	probe_resolvers_collect(io, &cfg, &o, plan, ev);
	assert_int_equal(atomic_load(&cold->cold_fails) >= 2, true);	/* failed, asked again */
	a = find(&ev->resolvers[0], "www.example.test.", RRTYPE_A);
	assert_int_equal(a->reply.outcome, OUTCOME_ANSWER);
	assert_int_equal(a->reply.rcode, RCODE_NOERROR);
	assert_true(a->reply.ad);
	assert_int_equal(ev->resolvers[0].validating, VALIDATING_YES);
	a = find(&ev->resolvers[1], "www.example.test.", RRTYPE_A);
	assert_int_equal(a->reply.rcode, RCODE_SERVFAIL);	/* the outage stays */
	evidence_free(ev);
	probe_plan_free(plan);
	probe_io_free(io);
	server_stop(cold);
	server_stop(dead);
}

static void test_no_resolvers(void **state)
{
	struct scan_config cfg = { .zone = zone, .canary = canary };
	struct probe_io_opts o = { .timeout_ms = 300, .tries = 1 };
	struct probe_io *io = probe_io_new(1);
	struct probe_plan *plan = probe_plan_new(&cfg);
	struct evidence ev = { 0 };

	(void)state;
	probe_resolvers_find_mx(io, &cfg, &o, plan);
	probe_resolvers_collect(io, &cfg, &o, plan, &ev);
	probe_resolvers_collect_more(io, &cfg, &o, plan, 0, &ev);
	assert_int_equal(ev.n_resolvers, 0);
	assert_null(ev.resolvers);
	probe_plan_free(plan);
	probe_io_free(io);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_resolvers),
		cmocka_unit_test(test_validation_measured),
		cmocka_unit_test(test_lone_failure_confirmed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
