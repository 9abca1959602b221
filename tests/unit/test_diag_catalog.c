/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: the catalog's rules for keys, algorithms and NSEC3
 * (diag_sig.c, diag_algo.c, diag_nsec3.c) on hand-built evidence: the
 * finding, its severity, the verdict, what the fix names, and the false
 * alarms each shape used to raise. */
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

static size_t count_sev(const struct diagnosis *d, enum severity s)
{
	size_t n = 0;

	for (size_t i = 0; i < d->n_findings; i++)
		n += d->findings[i].severity == s;
	return n;
}

/* Diagnoses @p ev and frees it: the verdict is @p v, finding @p has is
 * there and @p hasnt is not (FINDING_COUNT: not checked). */
static void expect_verdict(struct evidence *ev, enum verdict v,
			   enum finding_id has, enum finding_id hasnt)
{
	struct diagnosis *d = diag_run(ev, EB_NOW);

	if (has != FINDING_COUNT)
		assert_non_null(get(d, has));
	if (hasnt != FINDING_COUNT)
		assert_null(get(d, hasnt));
	assert_int_equal(d->verdict, v);
	diagnosis_free(d);
	evidence_free(ev);
}

/* Every data signature of every server made by @p tag, checked @p check. */
static void resign_data(struct evidence *ev, uint16_t tag, enum sig_check check)
{
	for (size_t i = 0; i < ev->n_nameservers; i++)
		for (size_t j = 0; j < ev->nameservers[i].n_checks; j++) {
			struct zone_rrset_check *k = &ev->nameservers[i].checks[j];

			for (size_t s = 0; s < k->n_sigs; s++) {
				k->sigs[s].key_tag = tag;
				k->sigs[s].check = check;
			}
		}
}

/* The data signed by ZSK 4545, which the DNSKEY RRset no longer holds. */
static void test_zsk_withdrawn(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	resign_data(ev, 4545, SIG_NO_KEY);
	eb_validators_servfail(ev, 9);

	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_RRSIG_KEY_NOT_SERVED);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_CRITICAL);
	assert_int_equal(f->actor, ACTOR_DNS_PROVIDER);
	assert_non_null(strstr(f->fix, "Publish the DNSKEY of key 4545 again"));
	assert_non_null(strstr(f->fix, "redo the ZSK rollover"));
	assert_true(f->cache_until > EB_NOW);
	/* Not "signatures do not verify", and Unbound's EDE 9 is right. */
	assert_null(get(d, FINDING_RRSIG_INVALID));
	assert_null(get(d, FINDING_EDE_DISAGREES));
	assert_int_equal(d->verdict, VERDICT_BOGUS);
	/* validators-servfail points at it, not at "flush caches". */
	const struct finding *v = get(d, FINDING_VALIDATORS_SERVFAIL);

	assert_non_null(v);
	assert_non_null(strstr(v->fix, "rrsig-key-not-served"));
	diagnosis_free(d);
	evidence_free(ev);
}

/* A valid RRSIG over @p covered by KSK 2323, algorithm 8. */
static void sig_rsa(struct rrsig_info **sigs, size_t *n, uint16_t covered)
{
	eb_sig(sigs, n, covered, 2323, EB_NOW - EB_DAY, EB_NOW + 20 * EB_DAY,
	       SIG_VALID);
	(*sigs)[*n - 1].algorithm = 8;
}

/* KSK 2323 of algorithm 8 (RSASHA256) beside the zone's ECDSA keys, its DS
 * at the parent, signing the DNSKEY RRset; with @p signs_zone, every RRset
 * the zone's servers serve too. */
static void add_rsa_ksk(struct evidence *ev, bool signs_zone)
{
	struct chain_link *l = eb_zone(ev);

	eb_key(l, 2323, 257, true, signs_zone)->algorithm = 8;
	eb_ds(l, 2323, DS_MATCH_OK)->algorithm = 8;
	sig_rsa(&l->dnskey_sigs, &l->n_dnskey_sigs, RRTYPE_DNSKEY);
	for (size_t i = 0; i < l->n_dnskey_views; i++)
		sig_rsa(&l->dnskey_views[i].sigs, &l->dnskey_views[i].n_sigs,
			RRTYPE_DNSKEY);
	for (size_t i = 0; signs_zone && i < ev->n_nameservers; i++)
		for (size_t j = 0; j < ev->nameservers[i].n_checks; j++) {
			struct zone_rrset_check *c = &ev->nameservers[i].checks[j];

			sig_rsa(&c->sigs, &c->n_sigs, c->qtype);
		}
}

/* A KSK of algorithm 8 and its DS, the data signed by algorithm 13 only. */
static void test_algorithm_incomplete(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	add_rsa_ksk(ev, false);
	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_ALGORITHM_INCOMPLETE);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_non_null(strstr(f->summary, "algorithm 8 (RSASHA256)"));
	assert_non_null(strstr(f->fix, "remove the DS of algorithm 8"));
	assert_non_null(strstr(f->fix, "Never remove the signatures"));
	/* Validators accept it: degraded, and no "nothing to do". */
	assert_null(get(d, FINDING_ROLLOVER_IN_PROGRESS));
	assert_int_equal(d->verdict, VERDICT_DEGRADED);
	diagnosis_free(d);
	evidence_free(ev);

	/* Both algorithms sign everything: a rollover in progress, fine. */
	ev = eb_healthy();
	add_rsa_ksk(ev, true);
	expect_verdict(ev, VERDICT_SECURE, FINDING_ROLLOVER_IN_PROGRESS,
		       FINDING_ALGORITHM_INCOMPLETE);
}

static void set_algorithm(struct evidence *ev, uint8_t alg, uint8_t digest)
{
	struct chain_link *l = eb_zone(ev);

	for (size_t i = 0; i < l->n_keys; i++)
		l->keys[i].algorithm = alg;
	for (size_t i = 0; i < l->n_ds; i++) {
		l->ds[i].algorithm = alg;
		l->ds[i].digest_type = digest;
	}
	for (size_t i = 0; i < l->n_dnskey_sigs; i++)
		l->dnskey_sigs[i].algorithm = alg;
	for (size_t i = 0; i < l->n_dnskey_views; i++)
		for (size_t s = 0; s < l->dnskey_views[i].n_sigs; s++)
			l->dnskey_views[i].sigs[s].algorithm = alg;
	for (size_t i = 0; i < ev->n_nameservers; i++)
		for (size_t j = 0; j < ev->nameservers[i].n_checks; j++)
			for (size_t s = 0; s < ev->nameservers[i].checks[j].n_sigs; s++)
				ev->nameservers[i].checks[j].sigs[s].algorithm = alg;
}

static void test_algorithm_deprecated_and_unsupported(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	set_algorithm(ev, 5, 1);	/* RSASHA1, SHA-1 DS */
	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_ALGORITHM_DEPRECATED);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_non_null(strstr(f->summary, "5 (RSASHA1)"));
	assert_non_null(get(d, FINDING_DS_DIGEST_DEPRECATED));
	assert_int_equal(get(d, FINDING_DS_DIGEST_DEPRECATED)->actor,
			 ACTOR_REGISTRAR);
	assert_null(get(d, FINDING_ALGORITHM_INCOMPLETE));
	assert_int_equal(d->verdict, VERDICT_DEGRADED);
	diagnosis_free(d);
	evidence_free(ev);

	/* An algorithm validators do not implement: insecure, not bogus. */
	ev = eb_healthy();
	set_algorithm(ev, 12, 2);	/* GOST */
	expect_verdict(ev, VERDICT_INSECURE, FINDING_ALGORITHM_UNSUPPORTED,
		       FINDING_ALGORITHM_INCOMPLETE);

	/* ECC-GOST12 (RFC 9558) is named; nobody is told to "add validating
	 * resolvers" because none answers with AD: none can, as expected. */
	ev = eb_healthy();
	set_algorithm(ev, 23, 2);
	d = diag_run(ev, EB_NOW);
	f = get(d, FINDING_ALGORITHM_UNSUPPORTED);
	assert_non_null(f);
	bool named = false;

	for (size_t i = 0; i < f->n_evidence; i++)
		named |= strstr(f->evidence[i], "23 (ECC-GOST12)") != NULL;
	assert_true(named);
	struct checklist *c = diag_checklist(ev, d, EB_NOW);

	assert_int_equal(c->steps[4].state, STEP_NOT_APPLICABLE);
	assert_null(c->steps[4].action);
	checklist_free(c);
	diagnosis_free(d);
	evidence_free(ev);
}

/* A negative answer proven by NSEC3 with @p iter iterations and @p salt. */
static void nsec3_denials(struct evidence *ev, uint16_t iter, const char *salt)
{
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		struct zone_rrset_check *k = eb_check(&ev->nameservers[i],
			"nx.example.test.", RRTYPE_A, 0);

		k->rcode = RCODE_NXDOMAIN;
		k->denial = iter > 150 ? SEC_INSECURE : SEC_SECURE;
		k->has_nsec3 = true;
		k->nsec3_iterations = iter;
		k->nsec3_salt = xstrdup(salt);
		eb_sig(&k->sigs, &k->n_sigs, RRTYPE_NSEC3, 3333,
		       EB_NOW - EB_DAY, EB_NOW + 20 * EB_DAY, SIG_VALID);
	}
}

static void test_nsec3(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	nsec3_denials(ev, 500, "cafe");
	for (size_t i = 0; i < ev->n_resolvers; i++)
		eb_answer(&ev->resolvers[i], "nx.example.test.", RRTYPE_A,
			  RCODE_NXDOMAIN, false, -1);
	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_NSEC3_ITERATIONS_TOO_HIGH);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_non_null(strstr(f->summary, "500 iterations"));
	assert_non_null(strstr(f->fix, "NSEC3PARAM 1 0 0 -"));
	bool resolver_line = false;

	for (size_t i = 0; i < f->n_evidence; i++)
		resolver_line |= strstr(f->evidence[i], "without AD") != NULL;
	assert_true(resolver_line);
	/* One finding for the iterations, the worst. */
	assert_null(get(d, FINDING_NSEC3_ITERATIONS_NONZERO));
	assert_null(get(d, FINDING_DENIAL_PROOF_INVALID));
	assert_int_equal(d->verdict, VERDICT_DEGRADED);
	diagnosis_free(d);
	evidence_free(ev);

	ev = eb_healthy();
	nsec3_denials(ev, 10, "");
	expect_verdict(ev, VERDICT_DEGRADED, FINDING_NSEC3_ITERATIONS_NONZERO,
		       FINDING_NSEC3_ITERATIONS_TOO_HIGH);

	/* RFC 9276's parameters: nothing to say (a salt would be a warning). */
	ev = eb_healthy();
	nsec3_denials(ev, 0, "");
	expect_verdict(ev, VERDICT_SECURE, FINDING_COUNT,
		       FINDING_NSEC3_ITERATIONS_NONZERO);
}

/* Server @p i serves NSEC3PARAM 1 0 @p iter @p salt (NULL salt: none
 * served; the question answered either way). */
static void serve_nsec3param(struct evidence *ev, size_t i, uint16_t iter,
			     const char *salt)
{
	struct ns_ev *ns = &ev->nameservers[i];

	ns->nsec3param_answered = true;
	ns->has_nsec3param = salt != NULL;
	ns->nsec3param_alg = 1;
	ns->nsec3param_iterations = iter;
	free(ns->nsec3param_salt);
	ns->nsec3param_salt = salt != NULL ? xstrdup(salt) : NULL;
}

static bool evidence_has(const struct finding *f, const char *needle)
{
	for (size_t i = 0; i < f->n_evidence; i++)
		if (strstr(f->evidence[i], needle) != NULL)
			return true;
	return false;
}

/* NSEC3PARAM against the chain each server's denials use (RFC 5155 4). */
static void test_nsec3param(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	/* Agreeing everywhere: nothing to say. */
	nsec3_denials(ev, 0, "");
	for (size_t i = 0; i < ev->n_nameservers; i++)
		serve_nsec3param(ev, i, 0, "");
	struct diagnosis *d = diag_run(ev, EB_NOW);

	assert_null(get(d, FINDING_NSEC3PARAM_MISMATCH));
	assert_int_equal(d->verdict, VERDICT_SECURE);
	diagnosis_free(d);

	/* One server announces other parameters than its chain. */
	serve_nsec3param(ev, 1, 10, "cafe");
	d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_NSEC3PARAM_MISMATCH);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_int_equal(f->actor, ACTOR_DNS_PROVIDER);
	assert_non_null(strstr(f->summary, "on 1 of 2 servers"));
	assert_true(evidence_has(f, "NSEC3PARAM 1 0 10 cafe, but its denials "
				 "use NSEC3 with 0 iterations, salt -"));
	assert_non_null(strstr(f->fix, "example.test. IN NSEC3PARAM 1 0 0 -"));
	assert_int_equal(d->verdict, VERDICT_DEGRADED);
	diagnosis_free(d);

	/* That server's answer unseen: could not see, no finding. */
	ev->nameservers[1].nsec3param_answered = false;
	d = diag_run(ev, EB_NOW);
	assert_null(get(d, FINDING_NSEC3PARAM_MISMATCH));
	diagnosis_free(d);

	/* NSEC3 denials but no NSEC3PARAM anywhere. */
	serve_nsec3param(ev, 0, 0, NULL);
	serve_nsec3param(ev, 1, 0, NULL);
	d = diag_run(ev, EB_NOW);
	f = get(d, FINDING_NSEC3PARAM_MISMATCH);
	assert_non_null(f);
	assert_true(evidence_has(f, "no NSEC3PARAM, but its denials use NSEC3"));
	diagnosis_free(d);
	evidence_free(ev);

	/* An NSEC zone without NSEC3PARAM: nothing to say. */
	ev = eb_healthy();
	for (size_t i = 0; i < ev->n_nameservers; i++)
		serve_nsec3param(ev, i, 0, NULL);
	expect_verdict(ev, VERDICT_SECURE, FINDING_COUNT,
		       FINDING_NSEC3PARAM_MISMATCH);
}

/* example.test.'s www is a CNAME to www.cdn.test., whose zone's data
 * signatures expired. */
static struct evidence *alias_world(bool target_broken)
{
	struct evidence *ev = eb_healthy();
	struct evidence *t = eb_healthy();
	struct chain_link *tl = eb_zone(t);

	free(t->zone);
	t->zone = xstrdup("cdn.test.");
	free(tl->zone);
	tl->zone = xstrdup("cdn.test.");
	for (size_t i = 0; i < t->n_nameservers; i++)
		for (size_t j = 0; j < t->nameservers[i].n_checks; j++) {
			struct zone_rrset_check *k = &t->nameservers[i].checks[j];

			free(k->qname);
			k->qname = xstrdup(j == 0 ? "cdn.test." : "www.cdn.test.");
			for (size_t s = 0; target_broken && s < k->n_sigs; s++)
				k->sigs[s].expiration = EB_NOW - 2 * EB_DAY;
		}
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		struct zone_rrset_check *k = &ev->nameservers[i].checks[1];

		k->cname = xstrdup("www.cdn.test.");
		k->n_rrs = 0;
	}
	struct alias_ev *a = XAPPEND(ev->aliases, ev->n_aliases);

	*a = (struct alias_ev){ .owner = xstrdup("www.example.test."),
				.qtype = RRTYPE_A,
				.target = xstrdup("www.cdn.test."),
				.depth = 1, .target_ev = t };
	if (target_broken)
		for (size_t i = 0; i < ev->n_resolvers; i++) {
			struct resolver_answer *ans = &ev->resolvers[i].answers[0];

			ans->reply.rcode = RCODE_SERVFAIL;
			ans->reply.ad = false;
			eb_ede(&ans->reply, 7, "signature expired for key cdn.test.");
			ans->cd_reply.outcome = OUTCOME_ANSWER;
			ans->cd_reply.rcode = RCODE_NOERROR;
		}
	return ev;
}

static void test_alias_target_broken(void **state)
{
	(void)state;
	struct evidence *ev = alias_world(true);
	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_ALIAS_TARGET_BROKEN);

	assert_non_null(f);
	assert_string_equal(f->subject, "www.example.test. CNAME");
	assert_int_equal(f->actor, ACTOR_CNAME_TARGET_OWNER);
	assert_non_null(strstr(f->summary, "whose zone cdn.test. is broken"));
	assert_non_null(strstr(f->summary, "rrsig-expired"));
	assert_non_null(strstr(f->fix, "negative trust anchor for cdn.test."));
	assert_null(strstr(f->fix, "flush"));
	/* The validators' EDE 7 is right, and it is not our zone's fault. */
	assert_null(get(d, FINDING_EDE_DISAGREES));
	assert_null(get(d, FINDING_RRSIG_EXPIRED));
	const struct finding *v = get(d, FINDING_VALIDATORS_SERVFAIL);

	assert_non_null(v);
	assert_null(strstr(v->fix, "Flush"));
	assert_int_equal(v->actor, ACTOR_CNAME_TARGET_OWNER);
	/* Its words do not call our own zone bogus either. */
	assert_non_null(strstr(v->summary, "its target's zone is bogus, not "
			       "example.test."));
	diagnosis_free(d);
	evidence_free(ev);

	/* A healthy target: nothing to say. */
	expect_verdict(alias_world(false), VERDICT_SECURE, FINDING_COUNT,
		       FINDING_ALIAS_TARGET_BROKEN);
}

static void test_cds(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();

	/* A CDS for a key nobody serves, on both servers. */
	for (size_t i = 0; i < ev->n_nameservers; i++)
		eb_cds(&ev->nameservers[i], false, 6102, 13, DS_MATCH_NO_KEY);
	struct diagnosis *d = diag_run(ev, EB_NOW);
	const struct finding *f = get(d, FINDING_CDS_WOULD_BREAK);

	assert_non_null(f);
	assert_int_equal(f->severity, SEV_WARNING);
	assert_non_null(strstr(f->fix, "CDS 2222 13 2"));	/* the KSK's */
	assert_null(get(d, FINDING_CDS_INCONSISTENT));
	assert_int_equal(d->verdict, VERDICT_DEGRADED);
	diagnosis_free(d);
	evidence_free(ev);

	/* The KSK's own CDS on one server, a delete record on the other. */
	ev = eb_healthy();
	eb_cds(&ev->nameservers[0], false, 2222, 13, DS_MATCH_OK);
	eb_cds(&ev->nameservers[1], false, 0, 0, DS_MATCH_NO_KEY);
	d = diag_run(ev, EB_NOW);
	assert_null(get(d, FINDING_CDS_WOULD_BREAK));
	assert_non_null(get(d, FINDING_CDS_DELETE));
	assert_non_null(get(d, FINDING_CDS_INCONSISTENT));
	diagnosis_free(d);
	evidence_free(ev);

	/* Servers that answered with no CDS at all: nothing. */
	ev = eb_healthy();
	ev->nameservers[0].cds_answered = ev->nameservers[1].cds_answered = true;
	expect_verdict(ev, VERDICT_SECURE, FINDING_COUNT, FINDING_CDS_INCONSISTENT);
}

static void test_keys_and_ttls(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct chain_link *l = eb_zone(ev);

	eb_key(l, 2222, 256, false, false);	/* same tag as the KSK */
	eb_key(l, 4444, 257 | 128, true, false);	/* revoked */
	ev->nameservers[0].dnskey_tcp.outcome = OUTCOME_ANSWER;
	ev->nameservers[0].dnskey_tcp.size = 1600;
	/* www A: TTL 30 days, its signature has 20 days left. */
	ev->nameservers[1].checks[1].sigs[0].original_ttl = 30 * 86400;
	struct diagnosis *d = diag_run(ev, EB_NOW);

	assert_non_null(get(d, FINDING_KEY_TAG_COLLISION));
	assert_non_null(get(d, FINDING_KEY_REVOKED));
	assert_int_equal(get(d, FINDING_KEY_REVOKED)->severity, SEV_INFO);
	const struct finding *f = get(d, FINDING_DNSKEY_ANSWER_LARGE);

	assert_non_null(f);
	assert_non_null(strstr(f->evidence[0], "1600 bytes"));
	f = get(d, FINDING_TTL_BEYOND_EXPIRATION);
	assert_non_null(f);
	assert_non_null(strstr(f->evidence[0], "www.example.test. A"));
	assert_int_equal(count_sev(d, SEV_CRITICAL), 0);
	diagnosis_free(d);
	evidence_free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_zsk_withdrawn),
		cmocka_unit_test(test_algorithm_incomplete),
		cmocka_unit_test(test_algorithm_deprecated_and_unsupported),
		cmocka_unit_test(test_nsec3),
		cmocka_unit_test(test_nsec3param),
		cmocka_unit_test(test_alias_target_broken),
		cmocka_unit_test(test_cds),
		cmocka_unit_test(test_keys_and_ttls),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
