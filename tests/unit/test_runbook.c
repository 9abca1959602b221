/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: the planned-change runbooks walk their phases in order, each
 * gate opening only on evidence, and each wait counting from the moment the
 * change was first seen everywhere plus the TTL seen. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evidence_builder.c"
#include "runbook.h"

#define DNSKEY_TTL 7200	/* what eb_healthy's links carry */
#define DS_TTL 3600

static void add_served_key(struct evidence *ev, uint16_t tag, uint16_t flags)
{
	eb_key(eb_zone(ev), tag, flags, flags == 257, flags == 256);
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		struct ns_ev *ns = &ev->nameservers[i];

		*XAPPEND(ns->dnskey_tags, ns->n_dnskey_tags) = tag;
	}
}

static void unserve_key(struct evidence *ev, uint16_t tag)
{
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		struct ns_ev *ns = &ev->nameservers[i];

		for (size_t j = 0; j < ns->n_dnskey_tags; j++)
			if (ns->dnskey_tags[j] == tag)
				ns->dnskey_tags[j--] = ns->dnskey_tags[--ns->n_dnskey_tags];
	}
}

static void publish_ds(struct evidence *ev, uint16_t tag)
{
	struct chain_link *l = eb_zone(ev);
	struct ds_info *ds = eb_ds(l, tag, DS_MATCH_OK);

	for (size_t i = 0; i < l->n_ds_views; i++) {
		struct ds_view *v = &l->ds_views[i];
		struct ds_info *copy = XAPPEND(v->ds, v->n_ds);

		*copy = *ds;
		copy->digest_hex = xstrdup(ds->digest_hex);
		copy->rr_text = xstrdup(ds->rr_text);
	}
}

static void remove_ds(struct ds_info *ds, size_t *n, uint16_t tag)
{
	for (size_t j = 0; j < *n; j++) {
		if (ds[j].tag == tag) {
			free(ds[j].digest_hex);
			free(ds[j].rr_text);
			ds[j--] = ds[--*n];
		}
	}
}

static void withdraw_ds(struct evidence *ev, uint16_t tag)
{
	struct chain_link *l = eb_zone(ev);

	remove_ds(l->ds, &l->n_ds, tag);
	for (size_t i = 0; i < l->n_ds_views; i++)
		remove_ds(l->ds_views[i].ds, &l->ds_views[i].n_ds, tag);
	for (size_t i = 0; i < l->n_ds; i++)	/* indexes moved */
		for (size_t k = 0; k < l->n_keys; k++)
			if (l->keys[k].tag == l->ds[i].tag)
				l->ds[i].key_index = (int)k;
}

/* Observes @p ev at @p now; hands the evaluation to @p out or frees it. */
static void step(struct runbook *rb, const struct evidence *ev, int64_t now,
		 struct runbook_view **out)
{
	struct runbook_view *v;

	runbook_observe(rb, ev, now);
	v = runbook_evaluate(rb, ev, now);
	if (out != NULL)
		*out = v;
	else
		runbook_view_free(v);
}

static size_t current(struct runbook *rb, const struct evidence *ev, int64_t now)
{
	struct runbook_view *v;
	size_t c;

	step(rb, ev, now, &v);
	c = v->current;
	runbook_view_free(v);
	return c;
}

static void test_kind_names(void **state)
{
	enum runbook_kind k;

	(void)state;
	assert_int_equal(runbook_kind_parse("ksk-rollover", &k), 0);
	assert_int_equal(k, RUNBOOK_KSK_ROLLOVER);
	assert_int_equal(runbook_kind_parse("provider-migration", &k), 0);
	assert_string_equal(runbook_kind_name(k), "provider-migration");
	assert_int_equal(runbook_kind_parse("algorithm-rollover", &k), 0);
	assert_int_equal(k, RUNBOOK_ALGORITHM_ROLLOVER);
	assert_int_equal(runbook_kind_parse("ksk", &k), -1);
	runbook_free(NULL);
	runbook_view_free(NULL);
}

static void test_ksk_rollover_walk(void **state)
{
	struct evidence *ev = eb_healthy();
	struct runbook *rb = runbook_new(RUNBOOK_KSK_ROLLOVER);
	struct runbook_view *v;
	int64_t t = EB_NOW;

	(void)state;
	/* Nothing new yet: phase 1 is where we are, and it says why. */
	step(rb, ev, t, &v);
	assert_int_equal(v->current, 0);
	assert_int_equal(v->phases[0].state, GATE_BLOCKED);
	assert_non_null(strstr(v->phases[0].gates[0].detail, "no new key"));
	/* Later phases are blocked behind it, never "met" early. */
	assert_int_equal(v->phases[v->n_phases - 1].state, GATE_BLOCKED);
	runbook_view_free(v);

	/* The new KSK appears on one server only: still phase 1. */
	eb_key(eb_zone(ev), 6666, 257, true, false);
	*XAPPEND(ev->nameservers[0].dnskey_tags, ev->nameservers[0].n_dnskey_tags) = 6666;
	step(rb, ev, t += 60, &v);
	assert_int_equal(v->current, 0);
	assert_non_null(strstr(v->phases[0].gates[1].detail, "ns2.example."));
	runbook_view_free(v);

	/* On both: phase 2, the DNSKEY TTL wait, counted from now. */
	*XAPPEND(ev->nameservers[1].dnskey_tags, ev->nameservers[1].n_dnskey_tags) = 6666;
	int64_t everywhere = t += 60;
	step(rb, ev, t, &v);
	assert_int_equal(v->current, 1);
	assert_int_equal(v->phases[1].state, GATE_WAITING);
	assert_int_equal(v->phases[1].gates[0].ready_at, everywhere + DNSKEY_TTL);
	runbook_view_free(v);

	/* Wait over: phase 3 names the DS to publish. */
	step(rb, ev, everywhere + DNSKEY_TTL, &v);
	assert_int_equal(v->current, 2);
	assert_non_null(v->phases[2].records);
	assert_non_null(strstr(v->phases[2].records, "6666 13 2 "));
	runbook_view_free(v);

	/* DS at the parent: wait its TTL, then withdraw the old one. */
	t = everywhere + DNSKEY_TTL + 100;
	publish_ds(ev, 6666);
	assert_int_equal(current(rb, ev, t), 3);
	assert_int_equal(current(rb, ev, t + DS_TTL), 4);

	/* The old DS goes: wait again before the old key may go. */
	withdraw_ds(ev, 2222);
	t += DS_TTL + 10;
	step(rb, ev, t, &v);
	assert_int_equal(v->current, 4);
	assert_int_equal(v->phases[4].state, GATE_WAITING);
	runbook_view_free(v);
	assert_int_equal(current(rb, ev, t + DS_TTL), 5);

	/* The old key leaves: every phase met, verification passes. */
	unserve_key(ev, 2222);
	step(rb, ev, t + DS_TTL + 10, &v);
	assert_int_equal(v->current, v->n_phases);
	for (size_t i = 0; i < v->n_phases; i++)
		assert_int_equal(v->phases[i].state, GATE_MET);
	runbook_view_free(v);

	runbook_free(rb);
	evidence_free(ev);
}

static void test_wait_restarts_when_change_disappears(void **state)
{
	struct evidence *ev = eb_healthy();
	struct runbook *rb = runbook_new(RUNBOOK_KSK_ROLLOVER);
	struct runbook_view *v;

	(void)state;
	step(rb, ev, EB_NOW, NULL);
	add_served_key(ev, 6666, 257);
	assert_int_equal(current(rb, ev, EB_NOW + 10), 1);
	/* A server loses the key (a stale secondary): back to phase 1... */
	unserve_key(ev, 6666);
	*XAPPEND(ev->nameservers[0].dnskey_tags, ev->nameservers[0].n_dnskey_tags) = 6666;
	assert_int_equal(current(rb, ev, EB_NOW + 20), 0);
	/* ...and the wait counts again from when it is back everywhere. */
	*XAPPEND(ev->nameservers[1].dnskey_tags, ev->nameservers[1].n_dnskey_tags) = 6666;
	step(rb, ev, EB_NOW + 1000, &v);
	assert_int_equal(v->phases[1].gates[0].ready_at, EB_NOW + 1000 + DNSKEY_TTL);
	runbook_view_free(v);
	runbook_free(rb);
	evidence_free(ev);
}

static void test_verify_gate_fails_on_servfail(void **state)
{
	struct evidence *ev = eb_healthy();
	struct runbook *rb = runbook_new(RUNBOOK_ZSK_ROLLOVER);
	struct runbook_view *v;
	const struct runbook_phase *verify;

	(void)state;
	eb_validators_servfail(ev, 6);
	step(rb, ev, EB_NOW, &v);
	verify = &v->phases[v->n_phases - 1];
	assert_string_equal(verify->title, "Verify");
	assert_int_equal(verify->gates[0].state, GATE_BLOCKED);
	assert_non_null(strstr(verify->gates[0].detail, "Alpha"));
	runbook_view_free(v);
	runbook_free(rb);
	evidence_free(ev);
}

static void test_zsk_rollover_needs_new_signatures(void **state)
{
	struct evidence *ev = eb_healthy();
	struct runbook *rb = runbook_new(RUNBOOK_ZSK_ROLLOVER);
	struct runbook_view *v;

	(void)state;
	step(rb, ev, EB_NOW, NULL);
	add_served_key(ev, 7777, 256);
	assert_int_equal(current(rb, ev, EB_NOW + 10), 1);
	assert_int_equal(current(rb, ev, EB_NOW + 10 + DNSKEY_TTL), 2);
	/* Re-sign on every server with the new ZSK. */
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		struct zone_rrset_check *c = &ev->nameservers[i].checks[0];

		eb_sig(&c->sigs, &c->n_sigs, RRTYPE_SOA, 7777, EB_NOW, EB_NOW + 30 * EB_DAY,
		       SIG_VALID);
	}
	step(rb, ev, EB_NOW + 20 + DNSKEY_TTL, &v);
	assert_int_equal(v->current, 3);
	assert_int_equal(v->phases[3].state, GATE_WAITING);
	runbook_view_free(v);
	runbook_free(rb);
	evidence_free(ev);
}

/* A new KSK published but not signing the DNSKEY RRset does not open the
 * DS phases: withdrawing the old DS later would leave the zone bogus. */
static void test_ksk_new_key_must_sign(void **state)
{
	struct evidence *ev = eb_healthy();
	struct runbook *rb = runbook_new(RUNBOOK_KSK_ROLLOVER);
	struct runbook_view *v;

	(void)state;
	assert_int_equal(current(rb, ev, EB_NOW), 0);
	eb_key(eb_zone(ev), 6666, 257, false, false);
	for (size_t i = 0; i < ev->n_nameservers; i++)
		*XAPPEND(ev->nameservers[i].dnskey_tags, ev->nameservers[i].n_dnskey_tags) = 6666;
	step(rb, ev, EB_NOW + 60, &v);
	assert_int_equal(v->current, 0);
	assert_int_equal(v->phases[0].gates[0].state, GATE_MET);
	assert_int_equal(v->phases[0].gates[3].state, GATE_BLOCKED);
	assert_non_null(strstr(v->phases[0].gates[3].detail, "by 6666"));
	runbook_view_free(v);
	eb_zone(ev)->keys[eb_zone(ev)->n_keys - 1].signs_dnskey = true;
	assert_int_equal(current(rb, ev, EB_NOW + 120), 1);
	runbook_free(rb);
	evidence_free(ev);
}

/* The gate of @p title in phase @p ph of @p v, or NULL. */
static const struct runbook_gate *find_gate(const struct runbook_view *v, size_t ph,
					    const char *title)
{
	for (size_t g = 0; g < v->phases[ph].n_gates; g++)
		if (strncmp(v->phases[ph].gates[g].title, title, strlen(title)) == 0)
			return &v->phases[ph].gates[g];
	return NULL;
}

#define CDS_GATE "CDS/CDNSKEY match the new KSK"
#define DS_PHASE 2	/* "Publish the new DS at the parent" */

/* @p ns serves a CDS and a CDNSKEY for @p tag. */
static void serve_cds(struct ns_ev *ns, uint16_t tag, enum ds_match m)
{
	eb_cds(ns, false, tag, 13, m);
	eb_cds(ns, true, tag, 13, m);
}

/* Steps to @p now; the CDS gate of the DS phase in *@p v (caller frees),
 * which must be in state @p want. */
static const struct runbook_gate *cds_gate(struct runbook *rb, const struct evidence *ev,
					   int64_t now, struct runbook_view **v,
					   enum gate_state want)
{
	const struct runbook_gate *g;

	step(rb, ev, now, v);
	g = find_gate(*v, DS_PHASE, CDS_GATE);
	assert_non_null(g);
	assert_int_equal(g->state, want);
	return g;
}

/* Where the child publishes CDS/CDNSKEY, the parent may apply them as the
 * DS: the DS phase gates on them naming the new KSK on every server, and a
 * set that would break the zone (cds-would-break) keeps it open, saying
 * which server serves what. Without CDS there is no such gate. */
static void test_ksk_cds_gate(void **state)
{
	struct evidence *ev = eb_healthy();
	struct runbook *rb = runbook_new(RUNBOOK_KSK_ROLLOVER);
	struct runbook_view *v;
	const struct runbook_gate *g;
	int64_t t = EB_NOW;

	(void)state;
	/* No CDS anywhere: the registrar route, no CDS gate. */
	step(rb, ev, t, &v);
	assert_string_equal(v->phases[DS_PHASE].title, "Publish the new DS at the parent");
	assert_null(find_gate(v, DS_PHASE, CDS_GATE));
	runbook_view_free(v);

	/* cds-would-break before any rollover: CDS for a key nobody serves. */
	for (size_t i = 0; i < ev->n_nameservers; i++)
		serve_cds(&ev->nameservers[i], 9999, DS_MATCH_NO_KEY);
	g = cds_gate(rb, ev, t += 10, &v, GATE_BLOCKED);
	assert_string_equal(g->title, "CDS/CDNSKEY match the new KSK (the parent may pick "
			    "them up: RFC 7344/8078)");
	assert_non_null(strstr(g->detail, "no new KSK yet"));
	assert_non_null(strstr(g->detail, "ns1.example. (127.0.2.1): CDS 9999: "
				       "no served key has this tag"));
	assert_non_null(strstr(g->detail, "ns2.example. (127.0.2.2): CDNSKEY 9999: "
				       "no served key has this tag"));
	runbook_view_free(v);

	/* The signer now publishes CDS for the old KSK only, and the new KSK
	 * 6666 is served and signing everywhere: on to the DS phase, where
	 * the CDS gate names what is missing on each server. */
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		struct ns_ev *ns = &ev->nameservers[i];

		ns->cds[0].tag = ns->cdnskey[0].tag = 2222;
		ns->cds[0].match = ns->cdnskey[0].match = DS_MATCH_OK;
	}
	add_served_key(ev, 6666, 257);
	step(rb, ev, t += 10, NULL);
	g = cds_gate(rb, ev, t += DNSKEY_TTL, &v, GATE_BLOCKED);
	assert_int_equal(v->current, DS_PHASE);
	assert_non_null(strstr(g->detail, "ns1.example. (127.0.2.1): no CDS for the new KSK 6666"));
	assert_non_null(strstr(g->detail, "ns2.example. (127.0.2.2): no CDNSKEY for the new KSK 6666"));
	runbook_view_free(v);

	/* For the new KSK on ns1 only: ns2 still holds the gate. */
	serve_cds(&ev->nameservers[0], 6666, DS_MATCH_OK);
	g = cds_gate(rb, ev, t += 10, &v, GATE_BLOCKED);
	assert_null(strstr(g->detail, "ns1.example."));
	assert_non_null(strstr(g->detail, "ns2.example. (127.0.2.2): no CDS for the new KSK 6666"));
	runbook_view_free(v);

	/* On both: the gate ticks; the DS phase still waits for the parent. */
	serve_cds(&ev->nameservers[1], 6666, DS_MATCH_OK);
	g = cds_gate(rb, ev, t += 10, &v, GATE_MET);
	assert_non_null(strstr(g->detail, "name the new KSK"));
	assert_int_equal(v->current, DS_PHASE);
	runbook_view_free(v);
	publish_ds(ev, 6666);
	assert_int_equal(current(rb, ev, t += 10), DS_PHASE + 1);

	/* A delete record on ns2 (RFC 8078) would remove the DS: open again. */
	eb_cds(&ev->nameservers[1], false, 0, 0, DS_MATCH_NO_KEY);
	g = cds_gate(rb, ev, t += 10, &v, GATE_BLOCKED);
	assert_non_null(strstr(g->detail, "ns2.example. (127.0.2.2): CDS 0: a delete record"));
	assert_int_equal(v->current, DS_PHASE);
	runbook_view_free(v);

	runbook_free(rb);
	evidence_free(ev);
}

/* A provider migration is not over while the apex NS set still names the
 * old provider, even once the parent delegates to the new one only (the
 * lab's provider-migration-planned world, phase 2). */
static void test_migration_retire_needs_apex(void **state)
{
	struct evidence *ev = eb_healthy();
	struct runbook *rb = runbook_new(RUNBOOK_PROVIDER_MIGRATION);
	struct runbook_view *v;
	int64_t t = EB_NOW;

	(void)state;
	assert_int_equal(current(rb, ev, t), 0);
	/* The new provider serves the zone with the same keys, in the apex NS. */
	for (int i = 0; i < 2; i++) {
		struct ns_ev *ns = eb_ns(ev, i ? "ns2.new." : "ns1.new.",
					 i ? "127.0.4.2" : "127.0.4.1", 2027011502);

		*XAPPEND(ns->dnskey_tags, ns->n_dnskey_tags) = 2222;
		*XAPPEND(ns->dnskey_tags, ns->n_dnskey_tags) = 3333;
		*XAPPEND(ev->child_ns, ev->n_child_ns) = xstrdup(ns->name);
	}
	assert_int_equal(current(rb, ev, t), 1);
	/* The parent delegates to the new provider only; the NS TTL passes. */
	for (size_t i = 0; i < ev->n_parent_ns; i++) {
		free(ev->parent_ns[i]);
		ev->parent_ns[i] = xstrdup(i ? "ns2.new." : "ns1.new.");
	}
	assert_int_equal(current(rb, ev, t), 1);	/* waiting */
	t += 3 * EB_DAY;
	step(rb, ev, t, &v);
	assert_int_equal(v->current, 2);
	assert_false(v->current == v->n_phases);
	assert_int_equal(v->phases[2].gates[0].state, GATE_MET);
	assert_int_equal(v->phases[2].gates[1].state, GATE_BLOCKED);
	assert_non_null(strstr(v->phases[2].gates[1].detail, "still lists an old"));
	runbook_view_free(v);
	/* The old provider leaves the apex NS set: done. */
	for (size_t i = 0; i < 2; i++)
		free(ev->child_ns[i]);
	memmove(ev->child_ns, ev->child_ns + 2, 2 * sizeof(*ev->child_ns));
	ev->n_child_ns = 2;
	step(rb, ev, t, &v);
	assert_int_equal(v->current, v->n_phases);
	runbook_view_free(v);
	runbook_free(rb);
	evidence_free(ev);
}

/* Moves @p ev to the new provider in the apex NS set and the delegation. */
static void move_to_new_provider(struct evidence *ev)
{
	for (int i = 0; i < 2; i++) {
		struct ns_ev *ns = eb_ns(ev, i ? "ns2.new." : "ns1.new.",
					 i ? "127.0.4.2" : "127.0.4.1", 2027011502);

		*XAPPEND(ns->dnskey_tags, ns->n_dnskey_tags) = 2222;
		*XAPPEND(ns->dnskey_tags, ns->n_dnskey_tags) = 3333;
		*XAPPEND(ev->child_ns, ev->n_child_ns) = xstrdup(ns->name);
	}
}

static void delegate_to_new(struct evidence *ev)
{
	for (size_t i = 0; i < ev->n_parent_ns; i++) {
		free(ev->parent_ns[i]);
		ev->parent_ns[i] = xstrdup(i ? "ns2.new." : "ns1.new.");
	}
}

/* The delegation wait is the NS TTL seen: the parent's, or the zone's apex
 * NS TTL when that is longer; the 2-day guess only when none was seen. */
static void test_migration_waits_ns_ttl(void **state)
{
	static const struct {
		uint32_t parent, child, wait;
		const char *label;
	} cases[] = {
		{ 86400, 3600, 86400, "NS TTL 86400s at the parent, 3600s at the zone" },
		{ 600, 7200, 7200, "NS TTL 600s at the parent, 7200s at the zone" },
		{ 900, 0, 900, "NS TTL 900s at the parent)" },
		{ 0, 3600, 172800, "at the parent not seen: assumed 2 days; 3600s" },
		{ 0, 0, 172800, "NS TTL not seen: assumed 2 days" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct evidence *ev = eb_healthy();
		struct runbook *rb = runbook_new(RUNBOOK_PROVIDER_MIGRATION);
		struct runbook_view *v;
		const struct runbook_gate *g;
		int64_t t = EB_NOW;

		eb_zone(ev)->ns_ttl = cases[i].parent;
		eb_zone(ev)->child_ns_ttl = cases[i].child;
		assert_int_equal(current(rb, ev, t), 0);
		move_to_new_provider(ev);
		assert_int_equal(current(rb, ev, t), 1);
		delegate_to_new(ev);
		step(rb, ev, t + 10, &v);
		assert_int_equal(v->current, 1);
		g = &v->phases[1].gates[1];
		assert_int_equal(g->state, GATE_WAITING);
		assert_int_equal(g->ready_at, t + 10 + cases[i].wait);
		if (strstr(g->detail, cases[i].label) == NULL)
			fail_msg("case %zu: \"%s\" lacks \"%s\"", i, g->detail,
				 cases[i].label);
		runbook_view_free(v);
		/* One second early it still waits; on time it opens. */
		assert_int_equal(current(rb, ev, t + 10 + cases[i].wait - 1), 1);
		assert_int_equal(current(rb, ev, t + 10 + cases[i].wait), 2);
		runbook_free(rb);
		evidence_free(ev);
	}
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void assert_load_fails(const char *path, const char *zone,
			      const char *needle)
{
	struct runbook *rb = NULL;
	char *cause = NULL;

	assert_int_equal(runbook_load(path, RUNBOOK_KSK_ROLLOVER, zone, &rb, &cause), -1);
	assert_null(rb);
	if (strstr(cause, needle) == NULL)
		fail_msg("cause \"%s\" lacks \"%s\"", cause, needle);
	free(cause);
}

/* What one --once run saw carries over to the next: the wait keeps
 * counting from the first sighting, not from the later run. */
static void test_state_round_trip(void **state)
{
	char dir[] = "/tmp/bogus-test-runbook.XXXXXX", path[128], cmd[160];
	struct evidence *ev = eb_healthy();
	struct runbook *rb;
	struct runbook_view *v;
	char *cause = NULL;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);

	/* First run: no file yet is a fresh start. */
	assert_int_equal(runbook_load(path, RUNBOOK_KSK_ROLLOVER, "example.test.",
				      &rb, &cause), 0);
	step(rb, ev, EB_NOW, NULL);
	add_served_key(ev, 6666, 257);
	step(rb, ev, EB_NOW + 100, NULL);
	assert_int_equal(runbook_save(rb, "example.test.", path, &cause), 0);
	runbook_free(rb);

	/* Second run, a TTL later: the wait is over. */
	assert_int_equal(runbook_load(path, RUNBOOK_KSK_ROLLOVER, "example.test.",
				      &rb, &cause), 0);
	step(rb, ev, EB_NOW + 100 + DNSKEY_TTL, &v);
	assert_int_equal(v->current, 2);
	runbook_view_free(v);
	runbook_free(rb);

	/* The old key is still the old key after a reload. */
	assert_int_equal(runbook_load(path, RUNBOOK_KSK_ROLLOVER, "example.test.",
				      &rb, &cause), 0);
	step(rb, ev, EB_NOW + 200, &v);
	assert_non_null(strstr(v->phases[0].gates[0].detail, "6666"));
	runbook_view_free(v);
	runbook_free(rb);

	assert_load_fails(path, "other.test.", "line 3: it is for zone example.test.");
	evidence_free(ev);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* The longest name the network can send (255 bytes, each shown as \DDD) is
 * remembered as an old NS and loads back. */
static void test_state_long_ns_name(void **state)
{
	char dir[] = "/tmp/bogus-test-runbook.XXXXXX", path[128], cmd[160];
	char name[1100] = "";
	struct evidence *ev = eb_healthy();
	struct runbook *rb;
	char *cause = NULL;

	(void)state;
	for (int label = 0; label < 4; label++) {
		for (int i = 0; i < 62; i++)
			strcat(name, "\\255");
		strcat(name, ".");
	}
	free(ev->parent_ns[0]);
	ev->parent_ns[0] = xstrdup(name);
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);
	rb = runbook_new(RUNBOOK_PROVIDER_MIGRATION);
	runbook_observe(rb, ev, EB_NOW);
	assert_int_equal(runbook_save(rb, "example.test.", path, &cause), 0);
	runbook_free(rb);
	rb = NULL;
	if (runbook_load(path, RUNBOOK_PROVIDER_MIGRATION, "example.test.", &rb,
			 &cause) != 0)
		fail_msg("state with a %zu-character NS name: %s", strlen(name), cause);
	runbook_free(rb);
	evidence_free(ev);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

static void test_state_errors(void **state)
{
	char dir[] = "/tmp/bogus-test-runbook.XXXXXX", path[128], cmd[160];

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/state", dir);
	write_text(path, "hello\n");
	assert_load_fails(path, "example.test.", "line 1: not a bogus runbook state file");
	write_text(path, "bogus-runbook 1\nkind zsk-rollover\n");
	assert_load_fails(path, "example.test.", "line 2: it is for --runbook zsk-rollover");
	write_text(path, "bogus-runbook 1\nkind ksk-rollover\nzone example.test.\n"
		   "key-everywhere 99999999 5\n");
	assert_load_fails(path, "example.test.", "line 4: bad key-everywhere line");
	write_text(path, "bogus-runbook 1\nfrobnicate 1\n");
	assert_load_fails(path, "example.test.", "line 2: unknown entry 'frobnicate'");
	assert_load_fails(dir, "example.test.", "Is a directory");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	assert_int_equal(system(cmd), 0);
}

/* Algorithm rollover helpers: the builder makes everything algorithm 13;
 * the new algorithm is 15 (ED25519). */
static void set_alg(struct evidence *ev, uint16_t tag, uint8_t alg)
{
	struct chain_link *l = eb_zone(ev);

	for (size_t i = 0; i < l->n_keys; i++)
		if (l->keys[i].tag == tag)
			l->keys[i].algorithm = alg;
	for (size_t i = 0; i < l->n_ds; i++)
		if (l->ds[i].tag == tag)
			l->ds[i].algorithm = alg;
	for (size_t v = 0; v < l->n_ds_views; v++)
		for (size_t i = 0; i < l->ds_views[v].n_ds; i++)
			if (l->ds_views[v].ds[i].tag == tag)
				l->ds_views[v].ds[i].algorithm = alg;
}

/* Adds an RRSIG of algorithm 15 by @p tag to check @p c of every server. */
static void sign_alg15(struct evidence *ev, size_t c, uint16_t tag)
{
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		struct zone_rrset_check *k = &ev->nameservers[i].checks[c];

		eb_sig(&k->sigs, &k->n_sigs, k->qtype, tag, EB_NOW, EB_NOW + 30 * EB_DAY,
		       SIG_VALID);
		k->sigs[k->n_sigs - 1].algorithm = 15;
	}
}

/* The old algorithm's keys and signatures go. */
static void drop_alg13(struct evidence *ev)
{
	struct chain_link *l = eb_zone(ev);

	for (size_t i = 0; i < l->n_keys; i++) {
		if (l->keys[i].algorithm == 13) {
			unserve_key(ev, l->keys[i].tag);
			free(l->keys[i].rr_text);
			free(l->keys[i].ds_sha256);
			l->keys[i--] = l->keys[--l->n_keys];
		}
	}
	for (size_t i = 0; i < ev->n_nameservers; i++)
		for (size_t c = 0; c < ev->nameservers[i].n_checks; c++) {
			struct zone_rrset_check *k = &ev->nameservers[i].checks[c];

			for (size_t j = 0; j < k->n_sigs; j++)
				if (k->sigs[j].algorithm == 13) {
					free(k->sigs[j].signer);
					k->sigs[j--] = k->sigs[--k->n_sigs];
				}
		}
}

/* RFC 6781 4.1.4 walked: signatures, keys, DS, wait, old DS, old keys. */
static void test_algorithm_rollover_walk(void **state)
{
	struct evidence *ev = eb_healthy();
	struct runbook *rb = runbook_new(RUNBOOK_ALGORITHM_ROLLOVER);
	struct runbook_view *v;
	int64_t t = EB_NOW;

	(void)state;
	step(rb, ev, t, &v);
	assert_int_equal(v->n_phases, 7);
	assert_int_equal(v->current, 0);
	assert_non_null(strstr(v->phases[0].gates[0].detail, "no RRSIG of a new algorithm"));
	runbook_view_free(v);

	/* Signed by the new algorithm on the SOA only: the gate names www A. */
	sign_alg15(ev, 0, 9999);
	step(rb, ev, t += 10, &v);
	assert_int_equal(v->current, 0);
	assert_non_null(strstr(v->phases[0].gates[0].detail, "www.example.test. A"));
	assert_null(strstr(v->phases[0].gates[0].detail, "example.test. SOA"));
	runbook_view_free(v);
	sign_alg15(ev, 1, 9999);
	assert_int_equal(current(rb, ev, t += 10), 1);

	/* The new DNSKEYs, then their TTL. */
	add_served_key(ev, 9998, 257);
	add_served_key(ev, 9999, 256);
	set_alg(ev, 9998, 15);
	set_alg(ev, 9999, 15);
	step(rb, ev, t += 10, &v);
	assert_int_equal(v->current, 1);
	assert_int_equal(v->phases[1].state, GATE_WAITING);
	runbook_view_free(v);
	assert_int_equal(current(rb, ev, t += DNSKEY_TTL), 2);

	/* The new DS, then the DS TTL. */
	publish_ds(ev, 9998);
	set_alg(ev, 9998, 15);
	assert_int_equal(current(rb, ev, t += 10), 3);
	assert_int_equal(current(rb, ev, t += DS_TTL), 4);

	/* The old DS goes; the old keys may go only a DS TTL later. */
	withdraw_ds(ev, 2222);
	assert_int_equal(current(rb, ev, t += 10), 5);
	drop_alg13(ev);
	step(rb, ev, t += 10, &v);
	assert_int_equal(v->current, 5);
	assert_int_equal(v->phases[5].gates[0].state, GATE_WAITING);
	runbook_view_free(v);
	assert_int_equal(current(rb, ev, t += DS_TTL), 7);
	runbook_free(rb);
	evidence_free(ev);
}

/* DS and DNSKEY of two algorithms, data signed by one (the lab's
 * algorithm-incomplete): step 1 is open and names what lacks signatures. */
static void test_algorithm_incomplete(void **state)
{
	struct evidence *ev = eb_healthy();
	struct runbook *rb = runbook_new(RUNBOOK_ALGORITHM_ROLLOVER);
	struct runbook_view *v;

	(void)state;
	add_served_key(ev, 9998, 257);
	set_alg(ev, 9998, 15);
	publish_ds(ev, 9998);
	set_alg(ev, 9998, 15);
	step(rb, ev, EB_NOW, &v);
	assert_int_equal(v->current, 0);
	assert_int_equal(v->phases[0].gates[0].state, GATE_BLOCKED);
	assert_non_null(strstr(v->phases[0].gates[0].detail, "15 (ED25519)"));
	assert_non_null(strstr(v->phases[0].gates[0].detail, "example.test. SOA"));
	assert_non_null(strstr(v->phases[0].gates[0].detail, "www.example.test. A"));
	runbook_view_free(v);
	runbook_free(rb);
	evidence_free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kind_names),
		cmocka_unit_test(test_ksk_rollover_walk),
		cmocka_unit_test(test_wait_restarts_when_change_disappears),
		cmocka_unit_test(test_verify_gate_fails_on_servfail),
		cmocka_unit_test(test_zsk_rollover_needs_new_signatures),
		cmocka_unit_test(test_migration_retire_needs_apex),
		cmocka_unit_test(test_migration_waits_ns_ttl),
		cmocka_unit_test(test_ksk_new_key_must_sign),
		cmocka_unit_test(test_ksk_cds_gate),
		cmocka_unit_test(test_state_round_trip),
		cmocka_unit_test(test_state_long_ns_name),
		cmocka_unit_test(test_state_errors),
		cmocka_unit_test(test_algorithm_rollover_walk),
		cmocka_unit_test(test_algorithm_incomplete),
	};

	return cmocka_run_group_tests_name("runbook", tests, NULL, NULL);
}
