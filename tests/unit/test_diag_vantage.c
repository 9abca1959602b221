/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: our own vantage (diag_vantage.c) and the zone's existence
 * (diag_exist.c) on hand-built evidence: a broken vantage gets its own
 * verdict and findings and no finding about the zone; a zone that does not
 * exist is said first, with "did you mean", and never "lame". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "evidence_json.h"
#include "json.h"
#include "evidence_builder.c"

static bool only_vantage(const struct diagnosis *d)
{
	for (size_t i = 0; i < d->n_findings; i++)
		if (d->findings[i].actor != ACTOR_LOCAL_NETWORK)
			return false;
	return true;
}

static bool evidence_has(const struct finding *f, const char *needle)
{
	for (size_t i = 0; i < f->n_evidence; i++)
		if (strstr(f->evidence[i], needle) != NULL)
			return true;
	return false;
}

/* The healthy world seen from a sane vantage, and from an older recording
 * without the check: secure, nothing about the vantage. */
static void test_sane_vantage(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct diagnosis *d = diag_run(ev, EB_NOW);

	assert_int_equal(d->verdict, VERDICT_SECURE);
	diagnosis_free(d);
	eb_vantage_sane(ev);
	d = diag_run(ev, EB_NOW);
	assert_int_equal(d->verdict, VERDICT_SECURE);
	for (size_t i = 0; i < d->n_findings; i++)
		assert_int_not_equal(d->findings[i].actor, ACTOR_LOCAL_NETWORK);
	assert_int_equal(verdict_exit_code(d->verdict), 0);
	diagnosis_free(d);
	/* A v6-less host: its IPv6 root address is unreachable; not offline. */
	eb_vantage(ev, "2001:503:ba3e::2:30", RRTYPE_SOA, false, -1, false);
	eb_vantage(ev, "2001:503:ba3e::2:30", RRTYPE_SOA, true, -1, false);
	d = diag_run(ev, EB_NOW);
	assert_int_equal(d->verdict, VERDICT_SECURE);
	diagnosis_free(d);
	evidence_free(ev);
}

/* A middlebox answers for the root (NXDOMAIN, no AA): the zone's evidence
 * looks like a KSK mistake seen by failing validators and a non-validating
 * Cloudflare; none of it may be said. */
static void test_intercepted(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	eb_ksk_replaced(ev, 7777);
	eb_validators_servfail(ev, 9);
	eb_resolver(ev, "Cloudflare", "1.1.1.1", VALIDATING_NO);
	for (int i = 0; i < 2; i++) {
		const char *a = i ? "199.9.14.201" : "198.41.0.4";

		eb_vantage(ev, a, RRTYPE_SOA, false, RCODE_NXDOMAIN, false);
		eb_vantage(ev, a, RRTYPE_NS, false, RCODE_NXDOMAIN, false);
		eb_vantage(ev, a, RRTYPE_SOA, true, RCODE_NXDOMAIN, false);
	}

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = diagnosis_find(d, FINDING_VANTAGE_INTERCEPTED, ".");

	assert_int_equal(d->verdict, VERDICT_VANTAGE);
	assert_string_equal(verdict_name(d->verdict), "vantage");
	assert_int_equal(verdict_exit_code(d->verdict), 3);
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_int_equal(f->actor, ACTOR_LOCAL_NETWORK);
	assert_true(evidence_has(f, "198.41.0.4, . SOA over UDP: NXDOMAIN, AA=0"));
	assert_non_null(strstr(f->fix, "dig +norec @198.41.0.4 . SOA"));
	assert_null(strstr(f->fix, "trust anchor"));
	assert_ptr_equal(&d->findings[0], f);
	assert_true(only_vantage(d));
	assert_false(diagnosis_has(d, FINDING_DS_NO_MATCHING_KEY));
	assert_false(diagnosis_has(d, FINDING_NONVALIDATING_RESOLVER));
	assert_false(diagnosis_has(d, FINDING_VALIDATORS_SERVFAIL));

	/* The checklist offers no NTA and no DS repair: only the network. */
	struct checklist *c = diag_checklist(ev, d, EB_NOW);

	for (size_t i = 0; i < c->n_steps; i++) {
		const char *a = c->steps[i].action;

		assert_true(a == NULL || (strstr(a, "rndc nta") == NULL &&
					  strstr(a, "insecure_add") == NULL));
	}
	assert_non_null(strstr(c->steps[3].action, "our own network"));
	checklist_free(c);
	diagnosis_free(d);
	evidence_free(ev);
}

/* One address answering without AA is enough: half a forged path is
 * still a forged path. A DNSKEY answer without AA counts the same. */
static void test_intercepted_partly(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	eb_vantage_sane(ev);
	eb_vantage(ev, "192.5.5.241", RRTYPE_SOA, false, RCODE_NOERROR, false);

	struct diagnosis *d = diag_run(ev, EB_NOW);

	assert_int_equal(d->verdict, VERDICT_VANTAGE);
	assert_true(diagnosis_has(d, FINDING_VANTAGE_INTERCEPTED));
	diagnosis_free(d);
	evidence_free(ev);

	ev = eb_healthy();
	eb_vantage_sane(ev);
	ev->chain[0].dnskey_views[1].reply.aa = false;
	d = diag_run(ev, EB_NOW);
	assert_true(diagnosis_has(d, FINDING_VANTAGE_INTERCEPTED));
	assert_true(evidence_has(diagnosis_find(d, FINDING_VANTAGE_INTERCEPTED, "."),
				 ". DNSKEY over UDP: NOERROR, AA=0"));
	diagnosis_free(d);
	evidence_free(ev);
}

/* No root server answers, over UDP or TCP: offline, not "the zone is
 * unreachable". A refresh cut short (cancelled) is not offline. */
static void test_offline(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		ev->nameservers[i].soa_udp.outcome = OUTCOME_TIMEOUT;
		ev->nameservers[i].soa_tcp.outcome = OUTCOME_TIMEOUT;
	}
	for (size_t i = 0; i < ev->chain[0].n_dnskey_views; i++)
		ev->chain[0].dnskey_views[i].reply.outcome = OUTCOME_NET_ERROR;
	eb_vantage(ev, "198.41.0.4", RRTYPE_SOA, false, -1, false);
	eb_vantage(ev, "198.41.0.4", RRTYPE_SOA, true, -1, false);

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = diagnosis_find(d, FINDING_VANTAGE_OFFLINE, ".");

	assert_int_equal(d->verdict, VERDICT_VANTAGE);
	assert_non_null(f);
	assert_non_null(strstr(f->fix, "ip route"));
	/* The resolvers still answer: DNS reaches them only. */
	assert_non_null(strstr(f->summary, "only the resolvers"));
	assert_false(diagnosis_has(d, FINDING_ZONE_UNREACHABLE));
	assert_true(only_vantage(d));
	diagnosis_free(d);

	for (size_t i = 0; i < ev->n_vantage; i++)
		ev->vantage[i].reply.outcome = OUTCOME_CANCELLED;
	d = diag_run(ev, EB_NOW);
	assert_false(diagnosis_has(d, FINDING_VANTAGE_OFFLINE));
	diagnosis_free(d);
	evidence_free(ev);
}

/* Our clock 60 days ahead (or behind): every signature, the root's too,
 * is out of window. The clock is blamed, never the zone's signatures. */
static void test_clock_skew(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	eb_vantage_sane(ev);

	struct diagnosis *d = diag_run(ev, EB_NOW + 60 * EB_DAY);
	const struct finding *f = diagnosis_find(d, FINDING_VANTAGE_CLOCK_SKEW, ".");

	assert_int_equal(d->verdict, VERDICT_VANTAGE);
	assert_non_null(f);
	assert_non_null(strstr(f->summary, "ahead"));
	assert_non_null(strstr(f->summary, "40 d"));
	assert_non_null(strstr(f->fix, "timedatectl"));
	assert_false(diagnosis_has(d, FINDING_RRSIG_EXPIRED));
	assert_true(only_vantage(d));
	diagnosis_free(d);

	d = diag_run(ev, EB_NOW - 30 * EB_DAY);
	f = diagnosis_find(d, FINDING_VANTAGE_CLOCK_SKEW, ".");
	assert_non_null(f);
	assert_non_null(strstr(f->summary, "behind"));
	assert_false(diagnosis_has(d, FINDING_RRSIG_NOT_YET_VALID));
	diagnosis_free(d);

	/* The zone's own signatures expired, the root's are fine: the zone. */
	d = diag_run(ev, EB_NOW + 10 * EB_DAY);
	assert_false(diagnosis_has(d, FINDING_VANTAGE_CLOCK_SKEW));
	diagnosis_free(d);
	evidence_free(ev);
}

/* Our anchor is not the root's: never "ds-no-matching-key ." (update the
 * root's DS) but a vantage finding about our own anchor. */
static void test_anchor_mismatch(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	eb_vantage_sane(ev);
	ev->chain[0].ds[0].match = DS_MATCH_NO_KEY;
	ev->chain[0].ds[0].key_index = -1;
	ev->chain[0].status = SEC_BOGUS;

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = diagnosis_find(d, FINDING_VANTAGE_ANCHOR_MISMATCH, ".");

	assert_int_equal(d->verdict, VERDICT_VANTAGE);
	assert_non_null(f);
	assert_non_null(strstr(f->fix, "--trust-anchor"));
	assert_false(diagnosis_has(d, FINDING_DS_NO_MATCHING_KEY));
	diagnosis_free(d);
	evidence_free(ev);
}

/* TCP dropped on our path: a warning about us; the zone's servers are not
 * blamed for TCP, and the verdict stays the zone's. */
static void test_udp_only(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	for (int i = 0; i < 2; i++) {
		const char *a = i ? "199.9.14.201" : "198.41.0.4";

		eb_vantage(ev, a, RRTYPE_SOA, false, RCODE_NOERROR, true);
		eb_vantage(ev, a, RRTYPE_SOA, true, -1, false);
	}
	for (size_t i = 0; i < ev->n_nameservers; i++)
		ev->nameservers[i].soa_tcp = (struct dns_reply){
			.outcome = OUTCOME_TIMEOUT, .rcode = -1 };

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = diagnosis_find(d, FINDING_VANTAGE_UDP_ONLY, ".");

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_false(diagnosis_has(d, FINDING_TCP_UNREACHABLE));
	assert_int_equal(d->verdict, VERDICT_SECURE);
	diagnosis_free(d);
	evidence_free(ev);
}

/* The root servers look sane, but the decoy, where no DNS server runs,
 * answers: our path answers for any address (here in place of the public
 * validators, which then seem not to validate). Vantage, nothing about the
 * resolvers. A decoy with no answer, or refused by the network, is sane. */
static void test_decoy(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct vantage_probe *decoy;
	struct diagnosis *d;
	const struct finding *f;

	eb_vantage_sane(ev);
	eb_resolver(ev, "Cloudflare", "1.1.1.1", VALIDATING_NO);
	decoy = eb_vantage(ev, "192.0.2.53", RRTYPE_SOA, false, RCODE_NOERROR,
			   false);
	decoy->decoy = true;
	d = diag_run(ev, EB_NOW);
	f = diagnosis_find(d, FINDING_VANTAGE_INTERCEPTED, ".");
	assert_non_null(f);
	assert_int_equal(d->verdict, VERDICT_VANTAGE);
	assert_true(only_vantage(d));
	assert_non_null(strstr(f->summary, "even 192.0.2.53 where no DNS "
				"server runs"));
	assert_true(evidence_has(f, "decoy 192.0.2.53 (no DNS server runs "
				 "there)"));
	assert_non_null(strstr(f->fix, "dig @192.0.2.53 . SOA must get no "
			       "answer"));
	diagnosis_free(d);

	decoy->reply.outcome = OUTCOME_TIMEOUT;
	d = diag_run(ev, EB_NOW);
	assert_false(diagnosis_has(d, FINDING_VANTAGE_INTERCEPTED));
	assert_int_equal(d->verdict, VERDICT_SECURE);
	diagnosis_free(d);
	decoy->reply.outcome = OUTCOME_NET_ERROR;
	d = diag_run(ev, EB_NOW);
	assert_false(diagnosis_has(d, FINDING_VANTAGE_INTERCEPTED));
	assert_int_not_equal(d->verdict, VERDICT_VANTAGE);
	diagnosis_free(d);
	evidence_free(ev);
}

/* Queries waited for descriptors of this host (ulimit -n). All answered:
 * an info line, the zone's verdict. A server then silent: our limit may be
 * why, so the verdict is vantage and no server is called unreachable. */
static void test_local_limit(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct diagnosis *d;
	const struct finding *f;

	eb_vantage_sane(ev);
	ev->local_limited = 12;
	d = diag_run(ev, EB_NOW);
	f = diagnosis_find(d, FINDING_VANTAGE_LOCAL_LIMIT, ".");
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_INFO);
	assert_int_equal(d->verdict, VERDICT_SECURE);
	diagnosis_free(d);

	/* Without the limit, this silence is the server's. */
	ev->local_limited = 0;
	ev->nameservers[0].soa_udp = (struct dns_reply){
		.outcome = OUTCOME_TIMEOUT, .rcode = -1 };
	ev->nameservers[0].soa_tcp = ev->nameservers[0].soa_udp;
	ev->nameservers[0].dnskey_udp = ev->nameservers[0].soa_udp;
	ev->nameservers[0].dnskey_tcp = ev->nameservers[0].soa_udp;
	d = diag_run(ev, EB_NOW);
	assert_true(diagnosis_has(d, FINDING_NS_UNREACHABLE));
	assert_false(diagnosis_has(d, FINDING_VANTAGE_LOCAL_LIMIT));
	diagnosis_free(d);

	ev->local_limited = 12;
	d = diag_run(ev, EB_NOW);
	f = diagnosis_find(d, FINDING_VANTAGE_LOCAL_LIMIT, ".");
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_true(evidence_has(f, "not judged (ns-unreachable"));
	assert_false(diagnosis_has(d, FINDING_NS_UNREACHABLE));
	assert_false(diagnosis_has(d, FINDING_TCP_UNREACHABLE));
	assert_int_equal(d->verdict, VERDICT_VANTAGE);
	assert_int_equal(verdict_exit_code(d->verdict), 3);
	assert_string_equal(diag_vantage_words(d),
			    "this host ran short of file descriptors");
	diagnosis_free(d);
	evidence_free(ev);
}

/* exmaple.test.: NXDOMAIN with AA at test. is a zone that does not exist,
 * said first, with "did you mean"; the TLD's servers are not lame. */
static void test_zone_not_delegated(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	free(ev->zone);
	ev->zone = xstrdup("exmaple.test.");
	eb_vantage_sane(ev);
	/* What the walk left: the TLD's servers answering NXDOMAIN, AA=1. */
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		ev->nameservers[i].soa_udp.rcode = RCODE_NXDOMAIN;
		ev->nameservers[i].soa_tcp.rcode = RCODE_NXDOMAIN;
	}
	eb_absent(ev, "exmaple.test.", "test.", RCODE_NXDOMAIN, "example.test.");

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = &d->findings[0];

	assert_int_equal(f->id, FINDING_ZONE_NOT_DELEGATED);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_string_equal(f->subject, "exmaple.test.");
	assert_non_null(strstr(f->summary, "exmaple.test. does not exist"));
	assert_non_null(strstr(f->summary, "did you mean example.test.?"));
	assert_true(evidence_has(f, "NXDOMAIN, AA=1"));
	assert_int_equal(d->verdict, VERDICT_UNREACHABLE);
	assert_false(diagnosis_has(d, FINDING_NS_LAME));
	assert_int_equal(d->n_findings, 1);
	diagnosis_free(d);

	/* A far name is no suggestion; an ancestor that does not exist. */
	eb_absent(ev, "exmaple.test.", "test.", RCODE_NXDOMAIN, "ns1.nic.test.");
	free(ev->zone);
	ev->zone = xstrdup("www.exmaple.test.");
	d = diag_run(ev, EB_NOW);
	f = &d->findings[0];
	assert_int_equal(f->id, FINDING_ZONE_NOT_DELEGATED);
	assert_null(strstr(f->summary, "did you mean"));
	assert_non_null(strstr(f->summary, "www.exmaple.test. cannot exist"));
	diagnosis_free(d);

	/* NODATA for NS: a name inside example.test., not a zone. */
	eb_absent(ev, "www.example.test.", "example.test.", RCODE_NOERROR, NULL);
	free(ev->zone);
	ev->zone = xstrdup("www.example.test.");
	d = diag_run(ev, EB_NOW);
	f = &d->findings[0];
	assert_non_null(strstr(f->summary, "is not a zone"));
	assert_non_null(strstr(f->summary, "did you mean example.test.?"));
	diagnosis_free(d);

	/* A broken vantage outranks it: no zone finding at all. */
	eb_vantage(ev, "192.5.5.241", RRTYPE_SOA, false, RCODE_NXDOMAIN, false);
	d = diag_run(ev, EB_NOW);
	assert_false(diagnosis_has(d, FINDING_ZONE_NOT_DELEGATED));
	assert_int_equal(d->verdict, VERDICT_VANTAGE);
	diagnosis_free(d);
	evidence_free(ev);
}

/* Recordings keep what the vantage probes saw and the zone's absence;
 * an older recording without them reads as "not checked". */
static void test_recording_round_trip(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy(), *back;
	char *text, *cause = NULL;
	json_t *j;

	eb_vantage(ev, "198.41.0.4", RRTYPE_SOA, true, RCODE_NXDOMAIN, false);
	eb_vantage(ev, "192.0.2.53", RRTYPE_SOA, false, RCODE_NOERROR,
		   false)->decoy = true;
	eb_absent(ev, "exmaple.test.", "test.", RCODE_NXDOMAIN, "example.test.");
	text = evidence_json_encode(ev);
	assert_non_null(text);
	j = json_parse(text, strlen(text), &cause);
	assert_non_null(j);
	back = evidence_json_decode(j, &cause);
	assert_non_null(back);
	assert_int_equal(back->n_vantage, 2);
	assert_string_equal(back->vantage[0].address, "198.41.0.4");
	assert_true(back->vantage[0].tcp);
	assert_false(back->vantage[0].decoy);
	assert_true(back->vantage[1].decoy);
	assert_int_equal(back->vantage[0].reply.rcode, RCODE_NXDOMAIN);
	assert_false(back->vantage[0].reply.aa);
	assert_non_null(back->absent);
	assert_string_equal(back->absent->nearby[0], "example.test.");
	evidence_free(back);
	json_decref(j);
	free(text);

	/* Without the new fields (an older recording). */
	evidence_absence_free(ev->absent);
	ev->absent = NULL;
	text = evidence_json_encode(ev);
	char *v = strstr(text, ",\"vantage\":");
	char *q = strstr(text, ",\"queries_sent\"");

	assert_non_null(v);
	assert_non_null(q);
	memmove(v, q, strlen(q) + 1);
	j = json_parse(text, strlen(text), &cause);
	assert_non_null(j);
	back = evidence_json_decode(j, &cause);
	assert_non_null(back);
	assert_int_equal(back->n_vantage, 0);
	assert_null(back->absent);
	evidence_free(back);
	json_decref(j);
	free(text);
	evidence_free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sane_vantage),
		cmocka_unit_test(test_intercepted),
		cmocka_unit_test(test_intercepted_partly),
		cmocka_unit_test(test_offline),
		cmocka_unit_test(test_clock_skew),
		cmocka_unit_test(test_anchor_mismatch),
		cmocka_unit_test(test_udp_only),
		cmocka_unit_test(test_decoy),
		cmocka_unit_test(test_local_limit),
		cmocka_unit_test(test_zone_not_delegated),
		cmocka_unit_test(test_recording_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
