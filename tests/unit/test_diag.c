/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: the diagnosis rules on hand-built evidence, one scenario class
 * per test: what verdict, which findings, how severe, which fix. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "evidence_builder.c"

static const struct finding *get(const struct diagnosis *d, enum finding_id id)
{
	for (size_t i = 0; i < d->n_findings; i++)
		if (d->findings[i].id == id)
			return &d->findings[i];
	return NULL;
}

static size_t count(const struct diagnosis *d, enum severity s)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n_findings; i++)
		if (d->findings[i].severity == s)
			n++;
	return n;
}

static bool any_evidence_has(const struct finding *f, const char *needle)
{
	for (size_t i = 0; i < f->n_evidence; i++)
		if (strstr(f->evidence[i], needle) != NULL)
			return true;
	return false;
}

static void test_catalog_and_names(void **state)
{
	(void)state;
	for (int i = 0; i < FINDING_COUNT; i++) {
		assert_non_null(finding_id_name(i));
		for (int j = 0; j < i; j++)
			assert_string_not_equal(finding_id_name(i),
						finding_id_name(j));
	}
	assert_string_equal(finding_id_name(FINDING_DS_NO_MATCHING_KEY),
			    "ds-no-matching-key");
	assert_string_equal(finding_dnsviz(FINDING_DS_DIGEST_MISMATCH),
			    "DIGEST_INVALID");
	assert_null(finding_dnsviz(FINDING_DS_NO_MATCHING_KEY));
	assert_int_equal(finding_default_severity(FINDING_TCP_UNREACHABLE),
			 SEV_WARNING);
	assert_string_equal(severity_name(SEV_CRITICAL), "critical");
	assert_string_equal(verdict_name(VERDICT_UNREACHABLE), "unreachable");
	assert_int_equal(verdict_exit_code(VERDICT_SECURE), 0);
	assert_int_equal(verdict_exit_code(VERDICT_INSECURE), 0);
	assert_int_equal(verdict_exit_code(VERDICT_DEGRADED), 1);
	assert_int_equal(verdict_exit_code(VERDICT_BOGUS), 2);
	assert_int_equal(verdict_exit_code(VERDICT_UNREACHABLE), 2);
	/* Every finding names who must act; the names are distinct. */
	for (int i = 0; i < FINDING_COUNT; i++)
		assert_true((unsigned)finding_default_actor(i) < ACTOR_COUNT);
	for (int i = 0; i < ACTOR_COUNT; i++)
		for (int j = 0; j < i; j++)
			assert_string_not_equal(actor_name(i), actor_name(j));
	assert_string_equal(actor_name(ACTOR_PARENT_OPERATOR),
			    "parent-operator");
	assert_int_equal(finding_default_actor(FINDING_PARENT_DS_SIGNATURE_INVALID),
			 ACTOR_PARENT_OPERATOR);
	assert_int_equal(finding_default_actor(FINDING_RRSIG_EXPIRED),
			 ACTOR_DNS_PROVIDER);
}

static void test_null_is_safe(void **state)
{
	(void)state;
	diagnosis_free(NULL);
	checklist_free(NULL);
	assert_int_equal(diagnosis_has(NULL, FINDING_RRSIG_EXPIRED), 0);

	struct diagnosis *d = diag_run(NULL, EB_NOW);

	assert_int_equal(d->n_findings, 0);
	diagnosis_free(d);

	/* Fields the probe always fills, missing: no crash, still a verdict. */
	struct evidence *bare = eb_healthy();

	free(bare->zone);
	bare->zone = NULL;
	eb_validators_servfail(bare, 0);
	free(bare->resolvers[0].answers[0].qname);
	bare->resolvers[0].answers[0].qname = NULL;
	d = diag_run(bare, EB_NOW);
	assert_int_equal(d->verdict, VERDICT_BOGUS);
	diagnosis_free(d);
	evidence_free(bare);

	/* Empty evidence: nothing known, nothing claimed. */
	struct evidence *ev = eb_new("example.test.");

	d = diag_run(ev, EB_NOW);
	assert_int_equal(d->n_findings, 0);
	diagnosis_free(d);
	evidence_free(ev);
}

static void test_healthy(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct diagnosis *d = diag_run(ev, EB_NOW);

	assert_int_equal(d->verdict, VERDICT_SECURE);
	assert_int_equal(count(d, SEV_CRITICAL), 0);
	assert_int_equal(count(d, SEV_WARNING), 0);
	assert_int_equal(verdict_exit_code(d->verdict), 0);

	struct checklist *c = diag_checklist(ev, d, EB_NOW);

	assert_int_equal(c->n_steps, 6);
	assert_int_equal(c->steps[2].state, STEP_DONE);	/* DS matches */
	assert_int_equal(c->steps[3].state, STEP_NOT_APPLICABLE);
	assert_int_equal(c->steps[4].state, STEP_DONE);	/* 2 with AD */
	checklist_free(c);
	diagnosis_free(d);
	evidence_free(ev);
}

/* The rollover mistake: new KSK served, the parent still has the old DS;
 * validators fail, CD=1 answers, the office resolver still answers. */
static void test_ksk_replaced_ds_stale(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	eb_ksk_replaced(ev, 4321);
	eb_validators_servfail(ev, 9);
	struct resolver_ev *office = eb_resolver(ev, "office", "127.0.3.9",
						 VALIDATING_NO);

	eb_answer(office, "www.example.test.", RRTYPE_A, RCODE_NOERROR, false,
		  -1);
	eb_local(ev, "www.example.test.", RRTYPE_A, SEC_BOGUS,
		 "no DNSKEY matches the DS");

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_DS_NO_MATCHING_KEY);

	assert_int_equal(d->verdict, VERDICT_BOGUS);
	assert_int_equal(verdict_exit_code(d->verdict), 2);
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_string_equal(f->subject, "example.test.");
	assert_ptr_equal(&d->findings[0], f);	/* the root cause first */
	assert_int_equal(f->actor, ACTOR_ZONE_OPERATOR);
	/* The DS of the served KSK, tabs squeezed, ready to paste. */
	assert_non_null(strstr(f->fix, "example.test. 3600 IN DS 4321 13 2 "
				       "10e1"));
	assert_non_null(strstr(f->fix, "key tag 4321"));
	/* The old key to republish, by tag. */
	assert_non_null(strstr(f->fix, "Republish the old key 2222"));
	assert_true(any_evidence_has(f, "a.nic.test. (127.0.1.1): DS 2222"));
	assert_true(any_evidence_has(f, "ns1.example. (127.0.2.1): DNSKEY "
					"4321 (KSK), 3333 (ZSK)"));
	assert_true(any_evidence_has(f, "no DNSKEY matches the DS"));
	/* max(DS TTL 3600, DNSKEY TTL 7200) */
	assert_int_equal(f->cache_until, EB_NOW + 7200);
	/* One root cause, not a cascade. */
	assert_false(diagnosis_has(d, FINDING_DNSKEY_NOT_SIGNED_BY_DS_KEY));
	assert_false(diagnosis_has(d, FINDING_DS_DIGEST_MISMATCH));

	const struct finding *v = get(d, FINDING_VALIDATORS_SERVFAIL);

	assert_non_null(v);
	assert_non_null(strstr(v->summary, "2 of 2 validating"));
	assert_non_null(strstr(v->summary, "bogus, not down"));
	assert_true(any_evidence_has(v, "Alpha (127.0.3.1): 2 of 2 questions "
					"SERVFAIL, CD=1 answers; e.g. "
					"www.example.test. A -> SERVFAIL [EDE 9 "
					"DNSKEY Missing: validation failure]; "
					"with CD=1 -> NOERROR"));
	assert_true(any_evidence_has(v, "local validation (libunbound, anchor "
					"built-in): 1 of 1 questions bogus"));
	assert_int_equal(v->cache_until, EB_NOW + 7200);
	/* EDE 9 agrees with ds-no-matching-key. */
	assert_false(diagnosis_has(d, FINDING_EDE_DISAGREES));

	const struct finding *o = get(d, FINDING_NONVALIDATING_RESOLVER);

	assert_non_null(o);
	assert_int_equal(o->severity, SEV_WARNING);
	assert_non_null(strstr(o->summary, "works on my laptop"));
	assert_string_equal(o->subject, "office (127.0.3.9)");

	struct checklist *c = diag_checklist(ev, d, EB_NOW);

	assert_int_equal(c->steps[0].state, STEP_DONE);
	assert_non_null(strstr(c->steps[0].evidence, "Alpha, Beta"));
	assert_int_equal(c->steps[1].state, STEP_DONE);
	assert_int_equal(c->steps[2].state, STEP_FAILED);
	assert_int_equal(c->steps[3].state, STEP_PENDING);
	assert_non_null(strstr(c->steps[3].action, "DS 4321 13 2"));
	/* Mitigation on the team's own resolvers, with its undo. */
	assert_non_null(strstr(c->steps[3].action,
			       "Unbound: unbound-control insecure_add example.test && "
			       "unbound-control flush_zone example.test\n"));
	assert_non_null(strstr(c->steps[3].action,
			       "undo: unbound-control insecure_remove example.test && "
			       "unbound-control flush_zone example.test\n"));
	/* ... and its caveat. */
	assert_non_null(strstr(c->steps[3].action, "note: insecure_add has no lifetime"));
	assert_non_null(strstr(c->steps[5].action, "rndc flushtree example.test"));
	assert_int_equal(c->steps[4].state, STEP_FAILED);
	assert_int_equal(c->steps[5].state, STEP_PENDING);
	/* No clock time before the repair is seen: a duration, from then. */
	assert_non_null(strstr(c->steps[5].evidence, "for up to 2 h 0 min (DS "
			       "TTL 3600 s, DNSKEY TTL 7200 s"));
	assert_null(strstr(c->steps[5].evidence, "UTC"));
	checklist_free(c);
	diagnosis_free(d);
	evidence_free(ev);
}

static void test_ds_digest_mismatch(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct chain_link *l = eb_zone(ev);

	l->ds[0].match = DS_MATCH_DIGEST_MISMATCH;
	free(l->ds[0].digest_hex);
	l->ds[0].digest_hex = xstrdup("deadbeef");

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_DS_DIGEST_MISMATCH);

	assert_int_equal(d->verdict, VERDICT_BOGUS);
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_true(any_evidence_has(f, "published digest deadbeef"));
	assert_non_null(strstr(f->fix, "example.test. 3600 IN DS 2222 13 2 "
				       "08ae"));
	assert_int_equal(f->cache_until, EB_NOW + 3600);
	assert_false(diagnosis_has(d, FINDING_DS_NO_MATCHING_KEY));
	diagnosis_free(d);
	evidence_free(ev);
}

static void set_www_sig(struct evidence *ev, size_t server, int64_t inc,
			int64_t exp, enum sig_check check)
{
	struct zone_rrset_check *k = &ev->nameservers[server].checks[1];

	k->sigs[0].inception = inc;
	k->sigs[0].expiration = exp;
	k->sigs[0].check = check;
}

static void test_rrsig_expired_everywhere(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	for (size_t i = 0; i < 2; i++)
		set_www_sig(ev, i, EB_NOW - 30 * EB_DAY, EB_NOW - 3600,
			    SIG_EXPIRED);

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_RRSIG_EXPIRED);

	assert_int_equal(d->verdict, VERDICT_BOGUS);
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_string_equal(f->subject, "www.example.test. A");
	assert_non_null(strstr(f->summary, "every server (2)"));
	assert_true(any_evidence_has(f, "ns2.example. (127.0.2.2): RRSIG by "
					"key 3333 expired 2027-01-15 07:00 UTC"));
	assert_int_equal(f->n_evidence, 2);
	assert_non_null(strstr(f->fix, "Re-sign"));
	assert_int_equal(f->cache_until, EB_NOW + 300);	/* original TTL */
	assert_false(diagnosis_has(d, FINDING_RRSIG_MISSING));
	diagnosis_free(d);
	evidence_free(ev);
}

/* One of two servers serves an old signature: critical, for some users. */
static void test_rrsig_expired_one_server(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	/* The probe said valid, but our clock says expired an hour ago. */
	set_www_sig(ev, 1, EB_NOW - 30 * EB_DAY, EB_NOW - 3600, SIG_VALID);

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_RRSIG_EXPIRED);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_non_null(strstr(f->summary, "on 1 of 2 servers"));
	assert_int_equal(f->n_evidence, 1);
	assert_true(any_evidence_has(f, "ns2.example."));
	assert_int_equal(d->verdict, VERDICT_BOGUS);
	diagnosis_free(d);
	evidence_free(ev);
}

static void test_rrsig_not_yet_valid(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	for (size_t i = 0; i < 2; i++)
		set_www_sig(ev, i, EB_NOW + 7200, EB_NOW + 30 * EB_DAY,
			    SIG_NOT_YET_VALID);

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_RRSIG_NOT_YET_VALID);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_true(any_evidence_has(f, "valid only from 2027-01-15 10:00 "
					"UTC"));
	assert_non_null(strstr(f->fix, "clock"));
	assert_int_equal(d->verdict, VERDICT_BOGUS);
	assert_false(diagnosis_has(d, FINDING_RRSIG_EXPIRED));
	diagnosis_free(d);
	evidence_free(ev);
}

static void test_rrsig_expiring_soon(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	for (size_t i = 0; i < 2; i++)
		set_www_sig(ev, i, EB_NOW - EB_DAY, EB_NOW + EB_DAY, SIG_VALID);

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_RRSIG_EXPIRING_SOON);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_non_null(strstr(f->summary, "2027-01-16 08:00 UTC"));
	assert_int_equal(d->verdict, VERDICT_DEGRADED);
	assert_int_equal(verdict_exit_code(d->verdict), 1);
	diagnosis_free(d);
	evidence_free(ev);
}

static void test_rrsig_missing_and_invalid(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	/* www A signed by a key the zone does not serve. */
	for (size_t i = 0; i < 2; i++) {
		ev->nameservers[i].checks[1].sigs[0].key_tag = 9999;
		ev->nameservers[i].checks[1].sigs[0].check = SIG_NO_KEY;
	}

	struct diagnosis *d = diag_run(ev, EB_NOW);
	/* Its own finding (publish the key again), not "does not verify". */
	const struct finding *f = get(d, FINDING_RRSIG_KEY_NOT_SERVED);

	assert_non_null(f);
	assert_null(get(d, FINDING_RRSIG_INVALID));
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_true(any_evidence_has(f, "key 9999 names a key the zone does "
					"not serve"));
	assert_int_equal(d->verdict, VERDICT_BOGUS);
	diagnosis_free(d);

	/* A served A record without any RRSIG in a signed zone. */
	for (size_t i = 0; i < 2; i++)
		ev->nameservers[i].checks[1].n_sigs = 0;
	d = diag_run(ev, EB_NOW);
	f = get(d, FINDING_RRSIG_MISSING);
	assert_non_null(f);
	assert_string_equal(f->subject, "www.example.test. A");
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_false(diagnosis_has(d, FINDING_RRSIG_INVALID));
	/* Restore the count so that evidence_free frees the signer. */
	for (size_t i = 0; i < 2; i++)
		ev->nameservers[i].checks[1].n_sigs = 1;
	diagnosis_free(d);
	evidence_free(ev);
}

/* The DS names the KSK, which is served, but only the ZSK signs DNSKEY. */
static void test_dnskey_signed_only_by_zsk(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct chain_link *l = eb_zone(ev);

	for (size_t i = 0; i < l->n_dnskey_views; i++)
		l->dnskey_views[i].sigs[0].key_tag = 3333;
	l->dnskey_sigs[0].key_tag = 3333;
	l->keys[0].signs_dnskey = false;
	l->keys[1].signs_dnskey = true;

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d,
				      FINDING_DNSKEY_NOT_SIGNED_BY_DS_KEY);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_string_equal(f->subject, "example.test. DNSKEY");
	assert_non_null(strstr(f->fix, "Sign the DNSKEY RRset with key 2222"));
	assert_non_null(strstr(f->fix, "DS 3333 13 2"));
	assert_int_equal(f->cache_until, EB_NOW + 7200);
	assert_true(any_evidence_has(f, "ns1.example. (127.0.2.1): no RRSIG by "
					"key 2222 (the DS's); signed only by "
					"key(s): 3333"));
	assert_false(diagnosis_has(d, FINDING_DS_NO_MATCHING_KEY));
	assert_false(diagnosis_has(d, FINDING_RRSIG_MISSING));
	assert_int_equal(d->verdict, VERDICT_BOGUS);
	diagnosis_free(d);
	evidence_free(ev);
}

static void test_ns_disagree(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	ev->nameservers[1].serial = 2027011400;
	ev->nameservers[1].dnskey_tags[0] = 1111;

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *s = get(d, FINDING_NS_SERIAL_MISMATCH);
	const struct finding *k = get(d, FINDING_NS_DNSKEY_MISMATCH);

	assert_non_null(s);
	assert_int_equal(s->severity, SEV_WARNING);
	assert_true(any_evidence_has(s, "ns2.example. (127.0.2.2): serial "
					"2027011400 (behind)"));
	assert_non_null(strstr(s->fix, "ns2.example."));
	assert_non_null(k);
	assert_true(any_evidence_has(k, "DNSKEY 1111, 3333"));
	assert_true(any_evidence_has(k, "ns2.example. (127.0.2.2) lacks key(s) "
					"2222 that other servers serve"));
	assert_true(any_evidence_has(k, "ns1.example. (127.0.2.1) lacks key(s) "
					"1111 that"));
	assert_int_equal(d->verdict, VERDICT_DEGRADED);
	diagnosis_free(d);
	evidence_free(ev);
}

/* A server serving hundreds of keys: the evidence line lists 16, then a count. */
static void test_ns_many_keys(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct ns_ev *ns = &ev->nameservers[1];

	for (unsigned i = 0; i < 600; i++)
		*XAPPEND(ns->dnskey_tags, ns->n_dnskey_tags) = (uint16_t)(10000 + i);

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *k = get(d, FINDING_NS_DNSKEY_MISMATCH);

	assert_non_null(k);
	assert_true(any_evidence_has(k, "10013, ... 586 more (serial"));
	for (size_t i = 0; i < k->n_evidence; i++)
		assert_true(strlen(k->evidence[i]) < 300);
	diagnosis_free(d);
	evidence_free(ev);
}

static void test_tcp_dead(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct ns_ev *ns = &ev->nameservers[0];

	ns->soa_tcp = (struct dns_reply){ .outcome = OUTCOME_TIMEOUT,
					  .rcode = -1 };

	/* One question lost over TCP, the other answered: a lossy path,
	 * not a server without TCP. */
	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f;

	assert_false(diagnosis_has(d, FINDING_TCP_UNREACHABLE));
	assert_int_equal(d->verdict, VERDICT_SECURE);
	diagnosis_free(d);

	ns->dnskey_tcp = ns->soa_tcp;
	d = diag_run(ev, EB_NOW);
	f = get(d, FINDING_TCP_UNREACHABLE);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_string_equal(f->subject, "ns1.example. (127.0.2.1)");
	assert_non_null(strstr(f->fix, "53/tcp"));
	assert_false(diagnosis_has(d, FINDING_NS_UNREACHABLE));
	assert_int_equal(d->verdict, VERDICT_DEGRADED);
	diagnosis_free(d);

	/* The DNSKEY answer does not fit UDP: the keys cannot be had. */
	ns->dnskey_udp.tc = true;
	ns->dnskey_udp.size = 1232;
	d = diag_run(ev, EB_NOW);
	f = get(d, FINDING_TCP_UNREACHABLE);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_non_null(strstr(f->summary, "truncated"));
	assert_true(any_evidence_has(f, "TC=1, 1232 bytes"));
	assert_int_equal(d->verdict, VERDICT_BOGUS);
	diagnosis_free(d);
	evidence_free(ev);
}

/* Keys out of reach (truncated, TCP dead): the probe checked signatures
 * against no key; that proves nothing and must not read as "invalid". */
static void test_keys_unknown(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct chain_link *l = eb_zone(ev);

	for (size_t i = 0; i < l->n_keys; i++) {
		free(l->keys[i].rr_text);
		free(l->keys[i].ds_sha256);
	}
	l->n_keys = 0;
	l->ds[0].match = DS_MATCH_NO_KEY;
	for (size_t i = 0; i < l->n_dnskey_views; i++)
		l->dnskey_views[i].reply.outcome = OUTCOME_NET_ERROR;
	for (size_t i = 0; i < 2; i++) {
		struct ns_ev *ns = &ev->nameservers[i];

		ns->soa_tcp.outcome = OUTCOME_NET_ERROR;
		ns->dnskey_tcp.outcome = OUTCOME_NET_ERROR;
		ns->dnskey_udp.tc = true;
		for (size_t j = 0; j < ns->n_checks; j++)
			ns->checks[j].sigs[0].check = SIG_NO_KEY;
		struct zone_rrset_check *k = eb_check(ns, "nx.example.test.",
						      RRTYPE_A, 0);

		k->rcode = RCODE_NXDOMAIN;
		k->denial = SEC_BOGUS;
	}
	eb_validators_servfail(ev, 9);

	struct diagnosis *d = diag_run(ev, EB_NOW);

	assert_true(diagnosis_has(d, FINDING_TCP_UNREACHABLE));
	assert_false(diagnosis_has(d, FINDING_RRSIG_INVALID));
	assert_false(diagnosis_has(d, FINDING_DENIAL_PROOF_INVALID));
	assert_false(diagnosis_has(d, FINDING_DS_NO_MATCHING_KEY));
	/* EDE 9 (DNSKEY Missing) fits: the keys are out of reach. */
	assert_false(diagnosis_has(d, FINDING_EDE_DISAGREES));
	assert_int_equal(d->verdict, VERDICT_BOGUS);

	struct checklist *c = diag_checklist(ev, d, EB_NOW);

	assert_int_equal(c->steps[2].state, STEP_FAILED);
	assert_non_null(strstr(c->steps[2].evidence, "no DNSKEY"));
	checklist_free(c);
	diagnosis_free(d);
	evidence_free(ev);
}

/* Every signature of the zone expired: one finding for the zone, not one
 * per RRset, and the denial proofs that fail with them are not a second
 * cause. */
static void test_zone_wide_expiry_merged(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	for (size_t i = 0; i < 2; i++) {
		struct ns_ev *ns = &ev->nameservers[i];
		struct zone_rrset_check *k;

		for (size_t j = 0; j < ns->n_checks; j++)
			ns->checks[j].sigs[0].expiration = EB_NOW - 10 * EB_DAY;
		k = eb_check(ns, "mail.example.test.", RRTYPE_A, 1);
		eb_sig(&k->sigs, &k->n_sigs, RRTYPE_A, 3333, EB_NOW - 40 * EB_DAY,
		       EB_NOW - 10 * EB_DAY, SIG_EXPIRED);
		k = eb_check(ns, "nx.example.test.", RRTYPE_A, 0);
		k->rcode = RCODE_NXDOMAIN;
		k->denial = SEC_BOGUS;
	}

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_RRSIG_EXPIRED);
	size_t n = 0;

	for (size_t i = 0; i < d->n_findings; i++)
		n += d->findings[i].id == FINDING_RRSIG_EXPIRED;
	assert_int_equal(n, 1);
	assert_string_equal(f->subject, "example.test.");
	assert_non_null(strstr(f->summary, "3 RRsets of example.test. have "
				       "only expired RRSIGs on every server"));
	assert_int_equal(f->n_evidence, 2);	/* one line per server */
	assert_true(any_evidence_has(f, "ns1.example. (127.0.2.1): 3 RRsets "
					"(example.test. SOA, www.example.test. "
					"A, mail.example.test. A); e.g. RRSIG "
					"by key 3333 expired 2027-01-05"));
	assert_non_null(strstr(f->fix, "Re-sign"));
	assert_int_equal(f->cache_until, EB_NOW + 300);
	assert_false(diagnosis_has(d, FINDING_DENIAL_PROOF_INVALID));
	assert_int_equal(d->verdict, VERDICT_BOGUS);
	diagnosis_free(d);
	evidence_free(ev);
}

static void test_ns_down(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct dns_reply down = { .outcome = OUTCOME_TIMEOUT, .rcode = -1 };

	/* The SOA lost over UDP, the DNSKEY question answered: packet loss
	 * on the way, not a server down. */
	ev->nameservers[1].soa_udp = down;
	struct diagnosis *d = diag_run(ev, EB_NOW);

	assert_false(diagnosis_has(d, FINDING_NS_UNREACHABLE));
	assert_int_equal(d->verdict, VERDICT_SECURE);
	diagnosis_free(d);

	ev->nameservers[1].soa_tcp = down;
	ev->nameservers[1].dnskey_udp = down;
	ev->nameservers[1].dnskey_tcp = down;
	ev->nameservers[1].has_serial = false;

	d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_NS_UNREACHABLE);

	assert_non_null(f);
	assert_string_equal(f->subject, "ns2.example. (127.0.2.2)");
	assert_false(diagnosis_has(d, FINDING_ZONE_UNREACHABLE));
	assert_int_equal(d->verdict, VERDICT_DEGRADED);
	diagnosis_free(d);

	/* Every server down: one finding, and the verdict says so. */
	ev->nameservers[0].soa_udp = down;
	ev->nameservers[0].soa_tcp = down;
	ev->nameservers[0].dnskey_udp = down;
	ev->nameservers[0].dnskey_tcp = down;
	struct chain_link *l = eb_zone(ev);

	for (size_t i = 0; i < l->n_dnskey_views; i++)
		l->dnskey_views[i].reply.outcome = OUTCOME_TIMEOUT;
	d = diag_run(ev, EB_NOW);
	f = get(d, FINDING_ZONE_UNREACHABLE);
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_int_equal(f->n_evidence, 4);	/* 2 servers + 2 NS names */
	assert_false(diagnosis_has(d, FINDING_NS_UNREACHABLE));
	assert_int_equal(d->verdict, VERDICT_UNREACHABLE);
	assert_int_equal(verdict_exit_code(d->verdict), 2);
	diagnosis_free(d);
	evidence_free(ev);
}

/* No IPv6 route from here: the zone is not to blame for that. */
static void test_no_ipv6_here(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct dns_reply down = { .outcome = OUTCOME_NET_ERROR, .rcode = -1 };
	struct ns_ev *ns = eb_ns(ev, "ns1.example.", "2001:db8::53", 0);

	ns->soa_udp = ns->soa_tcp = ns->dnskey_udp = ns->dnskey_tcp = down;
	ns->has_serial = false;

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_NS_UNREACHABLE);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_INFO);
	assert_non_null(strstr(f->summary, "IPv6"));
	assert_int_equal(d->verdict, VERDICT_SECURE);
	diagnosis_free(d);
	evidence_free(ev);
}

static void test_ns_lame_and_delegation(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	ev->nameservers[1].soa_udp.rcode = RCODE_REFUSED;
	ev->nameservers[1].soa_udp.aa = false;
	free(ev->child_ns[1]);
	ev->child_ns[1] = xstrdup("ns3.example.");

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_NS_LAME);

	assert_non_null(f);
	assert_true(any_evidence_has(f, "REFUSED"));
	f = get(d, FINDING_NS_DELEGATION_MISMATCH);
	assert_non_null(f);
	assert_true(any_evidence_has(f, "ns2.example.: only in the parent"));
	assert_true(any_evidence_has(f, "ns3.example.: only in the zone"));
	assert_int_equal(d->verdict, VERDICT_DEGRADED);
	diagnosis_free(d);
	evidence_free(ev);
}

static void test_insecure(void **state)
{
	(void)state;
	struct evidence *ev = eb_new("example.test.");
	struct chain_link *l = eb_link(ev, ".", NULL, SEC_SECURE);

	eb_key(l, 20326, 257, true, false);
	eb_ds(l, 20326, DS_MATCH_OK);
	eb_sig(&l->dnskey_sigs, &l->n_dnskey_sigs, RRTYPE_DNSKEY, 20326,
	       EB_NOW - EB_DAY, EB_NOW + 20 * EB_DAY, SIG_VALID);
	l = eb_link(ev, "example.test.", "test.", SEC_INSECURE);
	eb_ds_view(l, "a.nic.test.", "127.0.1.1");
	struct ns_ev *ns = eb_ns(ev, "ns1.example.", "127.0.2.1", 1);

	eb_check(ns, "www.example.test.", RRTYPE_A, 1);

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_INSECURE_DELEGATION);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_INFO);
	assert_true(any_evidence_has(f, "a.nic.test. (127.0.1.1): DS none"));
	assert_string_equal(f->summary, "example.test. is an insecure delegation"
			    " (the parent publishes no DS): validators do not"
			    " check its answers");
	/* Unsigned data in an unsigned zone is not "missing". */
	assert_false(diagnosis_has(d, FINDING_RRSIG_MISSING));
	assert_int_equal(d->verdict, VERDICT_INSECURE);
	assert_int_equal(verdict_exit_code(d->verdict), 0);
	diagnosis_free(d);

	/* Signed but no DS: the fix is the DS to publish, and the negative
	 * answer may be cached for the parent's negative TTL. */
	eb_key(l, 6060, 257, true, false);
	d = diag_run(ev, EB_NOW);
	f = get(d, FINDING_INSECURE_DELEGATION);
	assert_non_null(strstr(f->fix, "DS 6060 13 2"));
	assert_int_equal(f->cache_until, EB_NOW + 900);

	/* Nothing broken: no AD is expected, no cache tail to wait out. */
	struct checklist *c = diag_checklist(ev, d, EB_NOW);

	assert_int_equal(c->steps[2].state, STEP_NOT_APPLICABLE);
	assert_int_equal(c->steps[4].state, STEP_NOT_APPLICABLE);
	assert_int_equal(c->steps[5].state, STEP_DONE);
	checklist_free(c);
	diagnosis_free(d);
	evidence_free(ev);
}

/* Step 6's clock for one diagnosis of @p ev. */
static char *tail_of(const struct evidence *ev, struct diagnosis **d)
{
	struct checklist *c;
	char *s;

	*d = diag_run(ev, EB_NOW);
	c = diag_checklist(ev, *d, EB_NOW);
	s = xstrdup(c->steps[5].evidence ? c->steps[5].evidence : "");
	checklist_free(c);
	return s;
}

/* Each repair waits out the TTL of what it changes: the DS TTL for a new
 * DS, the DNSKEY TTL for a republished key, the NS TTL for a delegation,
 * the negative TTL for a DS that must appear; not every TTL at once. */
static void test_cache_tail_per_repair(void **state)
{
	struct evidence *ev = eb_healthy();
	struct chain_link *l = eb_zone(ev);
	struct diagnosis *d;
	const struct finding *f;
	char *tail;

	(void)state;
	/* A mistyped DS: only the DS TTL, however long the DNSKEY TTL. */
	l->dnskey_ttl = 86400;
	l->ds[0].match = DS_MATCH_DIGEST_MISMATCH;
	tail = tail_of(ev, &d);
	assert_non_null(strstr(tail, "for up to 60 min (DS TTL 3600 s"));
	assert_null(strstr(tail, "DNSKEY TTL"));
	free(tail);
	diagnosis_free(d);
	evidence_free(ev);

	/* DNSKEY RRset signed by the wrong key: re-sign (DNSKEY TTL) or a
	 * new DS (DS TTL), each with its own clock. */
	ev = eb_healthy();
	l = eb_zone(ev);
	l->ds_ttl = 86400;
	for (size_t i = 0; i < l->n_dnskey_views; i++)
		l->dnskey_views[i].sigs[0].key_tag = 3333;
	l->dnskey_sigs[0].key_tag = 3333;
	l->keys[0].signs_dnskey = false;
	l->keys[1].signs_dnskey = true;
	tail = tail_of(ev, &d);
	f = get(d, FINDING_DNSKEY_NOT_SIGNED_BY_DS_KEY);
	assert_non_null(f);
	assert_non_null(strstr(f->fix, "until 2027-01-15 10:00 UTC (DNSKEY "
			       "TTL 7200 s)"));
	assert_non_null(strstr(f->fix, "With a new DS, caches may keep the "
			       "old DS until 2027-01-16 08:00 UTC (DS TTL "
			       "86400 s)"));
	/* The DS in it as the parent publishes it. */
	assert_non_null(strstr(f->fix, "example.test. 86400 IN DS 3333 13 2"));
	assert_int_equal(f->cache_until, EB_NOW + 86400);
	assert_non_null(strstr(tail, "DS TTL 86400 s, DNSKEY TTL 7200 s"));
	free(tail);
	diagnosis_free(d);
	evidence_free(ev);

	/* No server answers: if the fix is new NS names at the registrar,
	 * the delegation's TTL (the longer copy) is the tail. */
	ev = eb_healthy();
	l = eb_zone(ev);
	l->ns_ttl = 86400;
	l->child_ns_ttl = 3600;
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		struct dns_reply down = { .outcome = OUTCOME_TIMEOUT,
					  .rcode = -1 };

		ev->nameservers[i].soa_udp = down;
		ev->nameservers[i].soa_tcp = down;
		ev->nameservers[i].dnskey_udp = down;
		ev->nameservers[i].dnskey_tcp = down;
	}
	for (size_t i = 0; i < l->n_dnskey_views; i++)
		l->dnskey_views[i].reply.outcome = OUTCOME_TIMEOUT;
	tail = tail_of(ev, &d);
	assert_true(diagnosis_has(d, FINDING_ZONE_UNREACHABLE));
	assert_non_null(strstr(tail, "NS TTL 86400 s"));
	assert_non_null(strstr(tail, "for up to 24 h 0 min (NS TTL 86400 s)"));
	assert_null(strstr(tail, "DS TTL"));
	free(tail);
	diagnosis_free(d);
	evidence_free(ev);
}

/* Step 6 through a repair: during the outage no clock time (it would be
 * now + TTL, moving away on every refresh); from the first snapshot that
 * shows the repair, a fixed time per thing cached; it closes only when each
 * has passed and every validating resolver answers with AD. */
/* One snapshot of a series, as the console follows it. */
static struct diagnosis *follow(struct cache_tail *t, struct evidence *ev,
				int64_t at)
{
	struct diagnosis *d = diag_run(ev, at);

	diag_tail_observe(t, ev, d, at);
	diag_tail_apply(d, t, at);
	return d;
}

static void test_cache_tail_followed(void **state)
{
	(void)state;
	struct cache_tail t = { 0 };
	struct evidence *broken = eb_healthy();
	struct evidence *fixed = eb_healthy();
	struct diagnosis *d;
	struct checklist *c;
	const struct finding *vf;
	const int64_t repair = EB_NOW + 600;

	eb_ksk_replaced(broken, 4321);
	eb_validators_servfail(broken, 9);
	for (int64_t at = EB_NOW; at < repair; at += 300) {
		d = follow(&t, broken, at);
		c = diag_checklist(broken, d, at);
		assert_int_equal(c->steps[5].state, STEP_PENDING);
		assert_null(strstr(c->steps[5].evidence, "UTC"));
		checklist_free(c);
		diagnosis_free(d);
	}
	/* Repaired at the parent; the resolvers still hold the old DS. */
	eb_validators_servfail(fixed, 9);
	const char *want = "repair first seen 2027-01-15 08:10 UTC; DS TTL "
			   "3600 s: until 2027-01-15 09:10 UTC";

	for (int64_t at = repair; at < repair + 3600; at += 1200) {
		d = follow(&t, fixed, at);
		c = diag_checklist(fixed, d, at);
		assert_int_equal(c->steps[5].state, STEP_PENDING);
		assert_non_null(strstr(c->steps[5].evidence, want));
		assert_non_null(strstr(c->steps[5].evidence, "DNSKEY TTL 7200 "
				       "s: until 2027-01-15 10:10 UTC"));
		assert_non_null(strstr(c->steps[5].evidence, "2 validating "
				       "resolver(s) still fail"));
		/* The repair is done; the failures are the caches': not the
		 * zone operator's move, and their EDE confirms, not
		 * disagrees. */
		assert_int_equal(c->steps[3].state, STEP_DONE);
		vf = get(d, FINDING_VALIDATORS_SERVFAIL);
		assert_non_null(vf);
		assert_int_equal(vf->actor, ACTOR_RESOLVER_OPERATOR);
		assert_non_null(strstr(vf->summary, "from their caches"));
		assert_non_null(strstr(vf->summary, "until 2027-01-15 10:10 UTC"));
		assert_non_null(strstr(vf->fix, "Nothing more to change in the zone"));
		assert_int_equal(vf->cache_until, repair + 7200);
		assert_null(get(d, FINDING_EDE_DISAGREES));
		checklist_free(c);
		diagnosis_free(d);
	}
	/* Every wait over, but a resolver still fails: still open, and the
	 * tail no longer explains it. */
	d = follow(&t, fixed, repair + 7201);
	c = diag_checklist(fixed, d, repair + 7201);
	assert_int_equal(c->steps[5].state, STEP_PENDING);
	assert_non_null(strstr(c->steps[5].evidence, "DS TTL 3600 s: passed "
			       "2027-01-15 09:10 UTC"));
	vf = get(d, FINDING_VALIDATORS_SERVFAIL);
	assert_non_null(vf);
	assert_null(strstr(vf->summary, "from their caches"));
	assert_non_null(strstr(vf->evidence[vf->n_evidence - 1],
			       "no longer explains"));
	assert_non_null(get(d, FINDING_EDE_DISAGREES));
	checklist_free(c);
	diagnosis_free(d);
	evidence_free(fixed);

	/* ... and closed once every validator answers with AD. */
	fixed = eb_healthy();
	d = follow(&t, fixed, repair + 7300);
	c = diag_checklist(fixed, d, repair + 7300);
	assert_int_equal(c->steps[5].state, STEP_DONE);
	assert_non_null(strstr(c->steps[5].evidence, "every validating "
			       "resolver answers with AD"));
	assert_int_equal(t.repair_at, repair);
	checklist_free(c);
	diagnosis_free(d);

	/* Broken again: a new outage, a new tail, and the zone's fault. */
	d = follow(&t, broken, repair + 8000);
	assert_int_equal(t.outage_at, repair + 8000);
	assert_int_equal(t.repair_at, 0);
	assert_int_not_equal(get(d, FINDING_DS_NO_MATCHING_KEY), NULL);
	diagnosis_free(d);
	evidence_free(fixed);
	evidence_free(broken);
}

/* A DS that must appear waits out the parent's negative TTL, and when
 * none was seen the fix says so rather than printing "0 s". */
static void test_insecure_no_negative_ttl(void **state)
{
	struct evidence *ev = eb_new("example.test.");
	struct chain_link *l = eb_link(ev, ".", NULL, SEC_SECURE);
	struct diagnosis *d;
	const struct finding *f;

	(void)state;
	eb_key(l, 20326, 257, true, false);
	eb_ds(l, 20326, DS_MATCH_OK);
	l = eb_link(ev, "example.test.", "test.", SEC_INSECURE);
	eb_ds_view(l, "a.nic.test.", "127.0.1.1");
	eb_key(l, 6060, 257, true, false);
	l->neg_ttl = 0;
	l->ds_ttl = 0;
	d = diag_run(ev, EB_NOW);
	f = get(d, FINDING_INSECURE_DELEGATION);
	assert_non_null(f);
	assert_non_null(strstr(f->fix, "parent's negative TTL (not seen"));
	assert_null(strstr(f->fix, "(negative TTL 0 s)"));
	/* No DS TTL either: the DS to publish carries none. */
	assert_non_null(strstr(f->fix, "example.test. IN DS 6060 13 2"));
	assert_int_equal(f->cache_until, 0);
	diagnosis_free(d);
	evidence_free(ev);
}

static void test_rollover_in_progress(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct chain_link *l = eb_zone(ev);

	eb_key(l, 2323, 257, true, false);
	eb_ds(l, 2323, DS_MATCH_OK);
	for (size_t i = 0; i < l->n_dnskey_views; i++)
		eb_sig(&l->dnskey_views[i].sigs, &l->dnskey_views[i].n_sigs,
		       RRTYPE_DNSKEY, 2323, EB_NOW - EB_DAY,
		       EB_NOW + 20 * EB_DAY, SIG_VALID);

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_ROLLOVER_IN_PROGRESS);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_INFO);
	assert_non_null(strstr(f->summary, "2 KSKs served, 2 DS"));
	assert_int_equal(d->verdict, VERDICT_SECURE);
	assert_int_equal(count(d, SEV_CRITICAL), 0);
	diagnosis_free(d);
	evidence_free(ev);
}

/* Validators fail with a code that does not fit our own analysis. */
static void test_ede_disagrees(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct chain_link *l = eb_zone(ev);

	eb_rekey(l, 4321);
	l->ds[0].match = DS_MATCH_NO_KEY;
	l->ds[0].key_index = -1;
	eb_validators_servfail(ev, 22);

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_EDE_DISAGREES);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_INFO);
	assert_true(any_evidence_has(f, "Alpha (127.0.3.1): EDE 22 (No "
					"Reachable Authority) on 2 question(s), "
					"e.g. www.example.test.; our analysis "
					"finds: ds-no-matching-key"));
	assert_int_equal(f->n_evidence, 1);	/* one line per code */
	assert_int_equal(d->verdict, VERDICT_BOGUS);
	diagnosis_free(d);
	evidence_free(ev);
}

/* EDEs about another zone (a CNAME target's, named in the EDE text) say
 * nothing against our analysis; an EDE that fits is a confirmation. */
static void test_ede_same_zone_only(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	eb_validators_servfail(ev, 0);
	/* Alpha: www is a CNAME to a CDN whose zone is bogus (EDE 7 there). */
	struct resolver_answer *a = &ev->resolvers[0].answers[0];

	a->cd_reply.answer = xcalloc(2, sizeof(char *));
	a->cd_reply.answer[0] = xstrdup("www.example.test.\t300\tIN\tCNAME\t"
					"edge.cdn.test.");
	a->cd_reply.answer[1] = xstrdup("edge.cdn.test.\t60\tIN\tA\t"
					"192.0.2.7");
	a->cd_reply.n_answer = 2;
	eb_ede(&a->reply, 7, "signature expired");
	/* Beta: its EDE text names another zone. */
	eb_ede(&ev->resolvers[1].answers[0].reply, 9,
	       "validation failure <www.cdn.test. A IN>: no DNSKEY");

	struct diagnosis *d = diag_run(ev, EB_NOW);

	assert_false(diagnosis_has(d, FINDING_EDE_DISAGREES));
	diagnosis_free(d);
	evidence_free(ev);

	/* The same EDE 9 about our own zone, which we find broken: agrees. */
	ev = eb_healthy();
	eb_ksk_replaced(ev, 4321);
	eb_validators_servfail(ev, 9);
	d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_DS_NO_MATCHING_KEY);

	assert_false(diagnosis_has(d, FINDING_EDE_DISAGREES));
	assert_true(any_evidence_has(f, "Alpha (127.0.3.1) EDE 9 (DNSKEY "
					"Missing) agrees"));
	diagnosis_free(d);
	evidence_free(ev);
}

/* A provider move whose DS was not moved, the old provider still answering
 * with the key the DS names: the registrar's move (revert the NS, or the new
 * DS), not "republish the old key" nor "sign with key 2222". */
static void test_provider_move_old_answering(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct chain_link *l = eb_zone(ev);

	/* The delegated servers now serve the new provider's keys 5555/6666;
	 * ns1/ns2.example. (only in the apex NS) still serve 2222/3333. */
	eb_key(l, 5555, 257, true, false);
	eb_key(l, 6666, 256, false, true);
	l->ns_ttl = 7200;
	for (int i = 0; i < 2; i++) {
		struct ns_ev *ns = eb_ns(ev, i ? "ns2.new.test." : "ns1.new.test.",
					 i ? "127.0.4.2" : "127.0.4.1", 2);

		*XAPPEND(ns->dnskey_tags, ns->n_dnskey_tags) = 5555;
		*XAPPEND(ns->dnskey_tags, ns->n_dnskey_tags) = 6666;
		ns->in_child = false;
	}
	for (int i = 0; i < 2; i++)
		ev->nameservers[i].in_parent = false;
	eb_validators_servfail(ev, 9);

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_DS_NO_MATCHING_KEY);

	assert_non_null(f);
	assert_ptr_equal(f, &d->findings[0]);
	assert_int_equal(f->actor, ACTOR_REGISTRAR);
	assert_non_null(strstr(f->summary, "Provider move"));
	assert_non_null(strstr(f->fix, "1. Revert the NS at the registrar to "
			       "the previous provider's servers (ns1.example., "
			       "ns2.example.)"));
	assert_non_null(strstr(f->fix, "NS TTL 7200 s at the parent"));
	assert_non_null(strstr(f->fix, "example.test. 3600 IN DS 5555 13 2"));
	assert_non_null(strstr(f->fix, "RFC 8901"));
	assert_null(strstr(f->fix, "Republish the old key"));
	/* The union of both providers' keys is not judged as one zone. */
	assert_false(diagnosis_has(d, FINDING_DNSKEY_NOT_SIGNED_BY_DS_KEY));
	assert_int_equal(d->verdict, VERDICT_BOGUS);
	diagnosis_free(d);
	evidence_free(ev);

	/* One provider, the NS sets agree: a KSK change or a move, both
	 * readings shown, the KSK one first. */
	ev = eb_healthy();
	eb_ksk_replaced(ev, 4321);
	d = diag_run(ev, EB_NOW);
	f = get(d, FINDING_DS_NO_MATCHING_KEY);
	assert_non_null(strstr(f->fix, "Two readings; what was seen does not "
			       "decide between them (the parent's and the "
			       "zone's NS sets agree"));
	assert_non_null(strstr(f->fix, "A. The KSK was changed"));
	assert_non_null(strstr(f->fix, "B. The zone moved to another DNS "
			       "provider"));
	assert_non_null(strstr(f->fix, "4. Revert the NS at the registrar"));
	assert_true(strstr(f->fix, "A. The KSK") < strstr(f->fix, "B. The zone"));
	diagnosis_free(d);
	evidence_free(ev);
}

/* Our chain is fine, but validators fail and CD=1 answers: still bogus
 * for users (a stale cache, a server we did not see). */
static void test_validators_servfail_only(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	eb_validators_servfail(ev, 6);

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_VALIDATORS_SERVFAIL);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_non_null(strstr(f->fix, "finds no break"));
	assert_int_equal(d->verdict, VERDICT_BOGUS);
	/* EDE 6 with no DNSSEC error of ours: they disagree. */
	assert_true(diagnosis_has(d, FINDING_EDE_DISAGREES));
	diagnosis_free(d);
	evidence_free(ev);
}

static void test_local_bogus_only(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	eb_local(ev, "www.example.test.", RRTYPE_A, SEC_BOGUS,
		 "signature expired");

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_VALIDATORS_SERVFAIL);

	assert_non_null(f);
	assert_non_null(strstr(f->summary, "Local validation"));
	assert_true(any_evidence_has(f, "signature expired"));
	assert_int_equal(d->verdict, VERDICT_BOGUS);
	diagnosis_free(d);
	evidence_free(ev);
}

static void test_resolver_side(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct resolver_ev *r = eb_resolver(ev, "dead", "127.0.3.7",
					    VALIDATING_UNKNOWN);
	struct resolver_answer *a = eb_answer(r, "www.example.test.",
					      RRTYPE_A, RCODE_NOERROR, false,
					      -1);

	dns_reply_clear(&a->reply);
	a->reply.outcome = OUTCOME_TIMEOUT;
	r = eb_resolver(ev, "office", "127.0.3.9", VALIDATING_NO);
	eb_answer(r, "www.example.test.", RRTYPE_A, RCODE_NOERROR, false, -1);

	struct diagnosis *d = diag_run(ev, EB_NOW);

	assert_true(diagnosis_has(d, FINDING_RESOLVER_UNREACHABLE));
	/* Healthy zone: a non-validating resolver is a note, not an alarm,
	 * and neither changes the zone's verdict. */
	assert_int_equal(get(d, FINDING_NONVALIDATING_RESOLVER)->severity,
			 SEV_INFO);
	assert_int_equal(d->verdict, VERDICT_SECURE);
	diagnosis_free(d);
	evidence_free(ev);
}

static void test_denial_proof_invalid(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	for (size_t i = 0; i < 2; i++) {
		struct zone_rrset_check *k = eb_check(&ev->nameservers[i],
						      "nx.example.test.",
						      RRTYPE_A, 0);

		k->rcode = RCODE_NXDOMAIN;
		k->denial = i == 0 ? SEC_BOGUS : SEC_SECURE;
	}

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_DENIAL_PROOF_INVALID);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_non_null(strstr(f->summary, "1 of 2 servers"));
	assert_true(any_evidence_has(f, "ns1.example. (127.0.2.1): NXDOMAIN"));
	assert_int_equal(d->verdict, VERDICT_BOGUS);
	diagnosis_free(d);
	evidence_free(ev);
}

static void test_parent_ds_signature(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	eb_zone(ev)->ds_views[0].sigs[0].check = SIG_BAD;

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_PARENT_DS_SIGNATURE_INVALID);

	assert_non_null(f);
	assert_string_equal(f->subject, "example.test. DS");
	assert_non_null(strstr(f->fix, "test."));
	assert_int_equal(f->actor, ACTOR_PARENT_OPERATOR);
	assert_int_equal(d->verdict, VERDICT_BOGUS);
	diagnosis_free(d);
	evidence_free(ev);
}

/* The TLD's signatures expired: its DNSKEY RRset is a finding about test.,
 * the DS it signs for the zone one of its own; both are the TLD's to fix. */
static void test_parent_expired(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct chain_link *tld = &ev->chain[1];
	struct chain_link *l = eb_zone(ev);

	for (size_t i = 0; i < tld->n_dnskey_views; i++)
		tld->dnskey_views[i].sigs[0].expiration = EB_NOW - EB_DAY;
	l->ds_views[0].sigs[0].expiration = EB_NOW - EB_DAY;

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_RRSIG_EXPIRED);
	const struct finding *p = get(d, FINDING_PARENT_DS_SIGNATURE_EXPIRED);
	size_t n = 0;

	for (size_t i = 0; i < d->n_findings; i++)
		n += d->findings[i].id == FINDING_RRSIG_EXPIRED;
	assert_int_equal(n, 1);
	assert_string_equal(f->subject, "test. DNSKEY");
	assert_int_equal(f->actor, ACTOR_PARENT_OPERATOR);
	assert_non_null(p);
	assert_string_equal(p->subject, "example.test. DS");
	assert_int_equal(p->actor, ACTOR_PARENT_OPERATOR);
	assert_true(any_evidence_has(p, "a.nic.test. (127.0.1.1): RRSIG by "
					"key 7777 expired"));
	assert_int_equal(d->verdict, VERDICT_BOGUS);
	diagnosis_free(d);
	evidence_free(ev);
}

/* Only the TLD's signature over the DS expired: the parent's fault, with the
 * parent's fix; the child is told to escalate, never to re-sign. */
static void test_parent_ds_sig_expired(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct chain_link *l = eb_zone(ev);

	for (size_t i = 0; i < l->n_ds_views; i++)
		l->ds_views[i].sigs[0].expiration = EB_NOW - 2 * EB_DAY;
	eb_validators_servfail(ev, 7);

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = &d->findings[0];

	assert_int_equal(d->verdict, VERDICT_BOGUS);
	assert_int_equal(f->id, FINDING_PARENT_DS_SIGNATURE_EXPIRED);
	assert_int_equal(f->actor, ACTOR_PARENT_OPERATOR);
	assert_non_null(strstr(f->fix, "Only the operator of test."));
	assert_non_null(strstr(f->fix, "Escalate"));
	assert_non_null(strstr(f->fix, "negative trust anchor"));
	assert_false(diagnosis_has(d, FINDING_RRSIG_EXPIRED));
	for (size_t i = 0; i < d->n_findings; i++)
		if (d->findings[i].fix != NULL)
			assert_null(strstr(d->findings[i].fix, "Re-sign"));
	/* EDE 7 (signature expired) agrees with it. */
	assert_false(diagnosis_has(d, FINDING_EDE_DISAGREES));

	struct checklist *c = diag_checklist(ev, d, EB_NOW);

	assert_int_equal(c->steps[2].state, STEP_FAILED);
	assert_non_null(strstr(c->steps[3].action, "Who must act: the parent "
				       "zone's operator"));
	/* The escalation is the fix itself: told once. */
	assert_null(strstr(c->steps[3].action, "do not re-sign"));
	assert_non_null(strstr(c->steps[3].action, "Escalate now"));
	/* The symptom names the cause's mover. */
	assert_int_equal(get(d, FINDING_VALIDATORS_SERVFAIL)->actor,
			 ACTOR_PARENT_OPERATOR);
	checklist_free(c);
	diagnosis_free(d);
	evidence_free(ev);
}

/* The parent's servers disagree on the DS; one of them names no served key. */
static void test_parent_ds_inconsistent(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct chain_link *l = eb_zone(ev);
	struct ds_view *v = eb_ds_view(l, "b.nic.test.", "127.0.1.2");

	v->ds[0].tag = 9999;

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_PARENT_DS_INCONSISTENT);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_int_equal(f->actor, ACTOR_PARENT_OPERATOR);
	assert_true(any_evidence_has(f, "b.nic.test. (127.0.1.2): DS 9999"));
	assert_int_equal(d->verdict, VERDICT_BOGUS);
	diagnosis_free(d);

	/* Both DS sets work (a rollover's new DS spreading): a warning. */
	v->ds[0].tag = 2222;
	struct ds_info *extra = XAPPEND(v->ds, v->n_ds);

	*extra = l->ds[0];
	extra->tag = 4444;
	extra->digest_hex = NULL;
	extra->rr_text = NULL;
	d = diag_run(ev, EB_NOW);
	f = get(d, FINDING_PARENT_DS_INCONSISTENT);
	assert_non_null(f);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_int_equal(d->verdict, VERDICT_DEGRADED);
	diagnosis_free(d);
	evidence_free(ev);
}

/* One validator fails everything, the root included (a stale trust anchor):
 * the resolver is broken, not the zone; without the root's failure, the same
 * answers still accuse the zone. */
static void test_resolver_validation_broken(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct resolver_ev *r = NULL;
	struct diagnosis *d;
	const struct finding *f;

	for (size_t i = 0; i < ev->n_resolvers && r == NULL; i++)
		if (ev->resolvers[i].validating == VALIDATING_YES)
			r = &ev->resolvers[i];
	assert_non_null(r);
	for (size_t j = 0; j < r->n_answers; j++) {
		dns_reply_clear(&r->answers[j].reply);
		r->answers[j].reply = (struct dns_reply){
			.outcome = OUTCOME_ANSWER, .rcode = RCODE_SERVFAIL };
		r->answers[j].cd_reply = (struct dns_reply){
			.outcome = OUTCOME_ANSWER, .rcode = RCODE_NOERROR };
	}
	r->root_bogus = true;
	d = diag_run(ev, EB_NOW);
	f = get(d, FINDING_RESOLVER_VALIDATION_BROKEN);
	assert_non_null(f);
	assert_int_equal(f->actor, ACTOR_RESOLVER_OPERATOR);
	assert_non_null(strstr(f->subject, r->name));
	assert_false(diagnosis_has(d, FINDING_VALIDATORS_SERVFAIL));
	assert_false(diagnosis_has(d, FINDING_EDE_DISAGREES));
	assert_int_equal(d->verdict, VERDICT_SECURE);
	diagnosis_free(d);

	r->root_bogus = false;
	d = diag_run(ev, EB_NOW);
	assert_true(diagnosis_has(d, FINDING_VALIDATORS_SERVFAIL));
	assert_false(diagnosis_has(d, FINDING_RESOLVER_VALIDATION_BROKEN));
	diagnosis_free(d);
	evidence_free(ev);
}

/* Not even the root answers (no network, wrong hints): nothing measured is
 * not "secure". */
static void test_nothing_answers(void **state)
{
	(void)state;
	struct evidence *ev = eb_new("example.test.");
	struct chain_link *root = eb_link(ev, ".", NULL, SEC_UNKNOWN);
	struct dnskey_view *v = eb_dnskey_view(root, "", "127.0.0.1");
	eb_resolver(ev, "Alpha", "127.0.10.1", VALIDATING_UNKNOWN);
	dns_reply_clear(&v->reply);
	v->reply.outcome = OUTCOME_TIMEOUT;
	v->reply.rcode = -1;

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_ZONE_UNREACHABLE);

	assert_non_null(f);
	assert_true(any_evidence_has(f, "the walk from the root stopped at ."));
	assert_non_null(strstr(f->summary, "The servers of . do not answer"));
	assert_int_equal(d->verdict, VERDICT_UNREACHABLE);
	assert_int_equal(verdict_exit_code(d->verdict), 2);
	diagnosis_free(d);
	evidence_free(ev);
}

/* One validator fails, the other validates: not confirmed yet. */
static void test_checklist_one_validator(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	char buf[32];

	eb_validators_servfail(ev, 0);
	for (size_t j = 0; j < ev->resolvers[1].n_answers; j++) {
		struct resolver_answer *a = &ev->resolvers[1].answers[j];

		a->reply.rcode = RCODE_NOERROR;
		a->reply.ad = true;
		dns_reply_clear(&a->cd_reply);
		a->cd_reply.outcome = OUTCOME_NOT_SENT;
	}

	struct diagnosis *d = diag_run(ev, EB_NOW);
	struct checklist *c = diag_checklist(ev, d, EB_NOW);

	assert_non_null(strstr(get(d, FINDING_VALIDATORS_SERVFAIL)->summary,
			       "1 of 2 validating"));
	assert_int_equal(c->steps[0].state, STEP_PENDING);
	assert_non_null(strstr(c->steps[0].evidence, "only Alpha fails"));
	assert_non_null(strstr(c->steps[0].action, "--resolver"));
	assert_int_equal(c->steps[4].state, STEP_FAILED);
	checklist_free(c);
	diagnosis_free(d);
	evidence_free(ev);

	assert_string_equal(diag_clock(EB_NOW, buf), "2027-01-15 08:00 UTC");
	assert_string_equal(diag_iso_time(EB_NOW, buf),
			    "2027-01-15T08:00:00Z");
}

/* Most severe first, whatever order the rules found them in. */
static void test_sorted(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	ev->nameservers[1].serial = 1;
	eb_validators_servfail(ev, 0);
	struct resolver_ev *r = eb_resolver(ev, "office", "127.0.3.9",
					    VALIDATING_NO);

	eb_answer(r, "www.example.test.", RRTYPE_A, RCODE_NOERROR, false, -1);

	struct diagnosis *d = diag_run(ev, EB_NOW);

	assert_true(d->n_findings >= 3);
	for (size_t i = 1; i < d->n_findings; i++)
		assert_true(d->findings[i - 1].severity >=
			    d->findings[i].severity);
	assert_int_equal(d->findings[0].id, FINDING_VALIDATORS_SERVFAIL);
	diagnosis_free(d);
	evidence_free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_catalog_and_names),
		cmocka_unit_test(test_null_is_safe),
		cmocka_unit_test(test_healthy),
		cmocka_unit_test(test_ksk_replaced_ds_stale),
		cmocka_unit_test(test_ds_digest_mismatch),
		cmocka_unit_test(test_rrsig_expired_everywhere),
		cmocka_unit_test(test_rrsig_expired_one_server),
		cmocka_unit_test(test_rrsig_not_yet_valid),
		cmocka_unit_test(test_rrsig_expiring_soon),
		cmocka_unit_test(test_rrsig_missing_and_invalid),
		cmocka_unit_test(test_dnskey_signed_only_by_zsk),
		cmocka_unit_test(test_ns_disagree),
		cmocka_unit_test(test_tcp_dead),
		cmocka_unit_test(test_keys_unknown),
		cmocka_unit_test(test_zone_wide_expiry_merged),
		cmocka_unit_test(test_ns_down),
		cmocka_unit_test(test_no_ipv6_here),
		cmocka_unit_test(test_ns_lame_and_delegation),
		cmocka_unit_test(test_insecure),
		cmocka_unit_test(test_cache_tail_per_repair),
		cmocka_unit_test(test_cache_tail_followed),
		cmocka_unit_test(test_insecure_no_negative_ttl),
		cmocka_unit_test(test_rollover_in_progress),
		cmocka_unit_test(test_ede_disagrees),
		cmocka_unit_test(test_provider_move_old_answering),
		cmocka_unit_test(test_ede_same_zone_only),
		cmocka_unit_test(test_validators_servfail_only),
		cmocka_unit_test(test_local_bogus_only),
		cmocka_unit_test(test_resolver_side),
		cmocka_unit_test(test_denial_proof_invalid),
		cmocka_unit_test(test_parent_ds_signature),
		cmocka_unit_test(test_parent_ds_sig_expired),
		cmocka_unit_test(test_parent_ds_inconsistent),
		cmocka_unit_test(test_parent_expired),
		cmocka_unit_test(test_resolver_validation_broken),
		cmocka_unit_test(test_nothing_answers),
		cmocka_unit_test(test_ns_many_keys),
		cmocka_unit_test(test_checklist_one_validator),
		cmocka_unit_test(test_sorted),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
