/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * report_json.c - the --once --json document (schema in docs-json.md).
 *
 * The document is built with jansson (json.h): every string, ours or the
 * network's, goes in through json_str() and out through json_render(), so
 * the output is valid JSON under escape.h's policy whatever the servers
 * sent. Reads the evidence and the diagnosis, never
 * changes them; writes only to @p out.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "json.h"
#include "report.h"

struct jw {
	struct json_builder b;
};

static void jw_open(struct jw *w, const char *key, char c)
{
	json_builder_open(&w->b, key, c);
}

static void jw_close(struct jw *w, char c)
{
	(void)c;
	json_builder_close(&w->b);
}

static void jw_str(struct jw *w, const char *key, const char *val)
{
	json_builder_set(&w->b, key, json_str(val));
}

static void jw_int(struct jw *w, const char *key, long long v)
{
	json_builder_set(&w->b, key, json_integer(v));
}

static void jw_bool(struct jw *w, const char *key, bool v)
{
	json_builder_set(&w->b, key, json_boolean(v));
}

static void jw_null(struct jw *w, const char *key)
{
	json_builder_set(&w->b, key, json_null());
}

static void jw_time(struct jw *w, const char *key, int64_t t)
{
	char buf[32];

	if (t == 0)
		jw_null(w, key);
	else
		jw_str(w, key, diag_iso_time(t, buf));
}

static void jw_rcode(struct jw *w, const char *key, const struct dns_reply *r)
{
	char rb[16];

	if (r->outcome != OUTCOME_ANSWER || r->rcode < 0)
		jw_null(w, key);
	else
		jw_str(w, key, rcode_name(r->rcode, rb));
}

static const char *step_state_id(enum step_state s)
{
	switch (s) {
	case STEP_DONE: return "done";
	case STEP_FAILED: return "failed";
	case STEP_NOT_APPLICABLE: return "n/a";
	case STEP_PENDING: break;
	}
	return "pending";
}

static const char *reach(const struct dns_reply *r)
{
	return r->outcome == OUTCOME_ANSWER ? "ok" : outcome_name(r->outcome);
}

static void findings(struct jw *w, const struct diagnosis *d)
{
	jw_open(w, "findings", '[');
	for (size_t i = 0; i < d->n_findings; i++) {
		const struct finding *f = &d->findings[i];

		jw_open(w, NULL, '{');
		jw_str(w, "id", finding_id_name(f->id));
		jw_str(w, "severity", severity_name(f->severity));
		jw_str(w, "actor", actor_name(f->actor));
		jw_str(w, "summary", f->summary ? f->summary : "");
		jw_open(w, "evidence", '[');
		for (size_t j = 0; j < f->n_evidence; j++)
			jw_str(w, NULL, f->evidence[j]);
		jw_close(w, ']');
		jw_str(w, "fix", f->fix);
		jw_str(w, "dnsviz", finding_dnsviz(f->id));
		jw_str(w, "subject", f->subject);
		jw_time(w, "cache_until", f->cache_until);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

static void resolvers(struct jw *w, const struct evidence *ev)
{
	char tb[16];

	jw_open(w, "resolvers", '[');
	for (size_t i = 0; i < ev->n_resolvers; i++) {
		const struct resolver_ev *r = &ev->resolvers[i];

		jw_open(w, NULL, '{');
		jw_str(w, "name", r->name);
		jw_str(w, "address", r->address);
		if (r->validating == VALIDATING_UNKNOWN)
			jw_null(w, "validating");
		else
			jw_bool(w, "validating",
				r->validating == VALIDATING_YES);
		jw_open(w, "answers", '[');
		for (size_t j = 0; j < r->n_answers; j++) {
			const struct resolver_answer *a = &r->answers[j];

			jw_open(w, NULL, '{');
			jw_str(w, "qname", a->qname);
			jw_str(w, "qtype", rrtype_name(a->qtype, tb));
			jw_rcode(w, "rcode", &a->reply);
			jw_bool(w, "ad", a->reply.ad);
			jw_rcode(w, "cd_rcode", &a->cd_reply);
			jw_open(w, "ede", '[');
			for (size_t k = 0; k < a->reply.n_ede; k++) {
				const struct ede *e = &a->reply.ede[k];

				jw_open(w, NULL, '{');
				jw_int(w, "code", e->code);
				jw_str(w, "name", ede_name(e->code));
				jw_str(w, "text", e->text ? e->text : "");
				jw_close(w, '}');
			}
			jw_close(w, ']');
			if (a->reply.outcome == OUTCOME_ANSWER)
				jw_int(w, "rtt_ms", a->reply.rtt_ms);
			else
				jw_null(w, "rtt_ms");
			jw_str(w, "outcome", outcome_name(a->reply.outcome));
			jw_close(w, '}');
		}
		jw_close(w, ']');
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

static void sigs(struct jw *w, const struct rrsig_info *s, size_t n)
{
	char tb[16];

	jw_open(w, "rrsig", '[');
	for (size_t i = 0; i < n; i++) {
		jw_open(w, NULL, '{');
		jw_str(w, "covered", rrtype_name(s[i].covered, tb));
		jw_int(w, "algorithm", s[i].algorithm);
		jw_int(w, "key_tag", s[i].key_tag);
		jw_str(w, "signer", s[i].signer);
		jw_time(w, "inception", s[i].inception);
		jw_time(w, "expiration", s[i].expiration);
		jw_str(w, "state", sig_check_id(s[i].check));
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* The last whitespace-separated field of @p rr (a DS record's digest),
 * or NULL. Points into @p rr. */
static const char *last_field(const char *rr)
{
	const char *p;

	if (rr == NULL)
		return NULL;
	p = rr + strlen(rr);
	while (p > rr && (p[-1] == ' ' || p[-1] == '\t'))
		p--;
	if (p == rr)
		return NULL;
	while (p > rr && p[-1] != ' ' && p[-1] != '\t')
		p--;
	return p;
}

/* A TTL the probe may not have seen (0): null then, not a zero TTL. */
static void ttl_or_null(struct jw *w, const char *key, uint32_t ttl)
{
	if (ttl == 0)
		jw_null(w, key);
	else
		jw_int(w, key, ttl);
}

static void chain(struct jw *w, const struct evidence *ev)
{
	jw_open(w, "chain", '[');
	for (size_t i = 0; i < ev->n_chain; i++) {
		const struct chain_link *l = &ev->chain[i];

		jw_open(w, NULL, '{');
		jw_str(w, "zone", l->zone);
		jw_str(w, "parent", l->parent);
		jw_str(w, "status", security_name(l->status));
		jw_int(w, "ds_ttl", l->ds_ttl);
		jw_int(w, "dnskey_ttl", l->dnskey_ttl);
		ttl_or_null(w, "ns_ttl", l->ns_ttl);
		ttl_or_null(w, "child_ns_ttl", l->child_ns_ttl);
		jw_open(w, "ds", '[');
		for (size_t j = 0; j < l->n_ds; j++) {
			const struct ds_info *ds = &l->ds[j];

			jw_open(w, NULL, '{');
			jw_int(w, "key_tag", ds->tag);
			jw_int(w, "algorithm", ds->algorithm);
			jw_int(w, "digest_type", ds->digest_type);
			jw_str(w, "digest", ds->digest_hex);
			jw_str(w, "state", ds_match_id(ds->match));
			jw_str(w, "rr", ds->rr_text);
			jw_close(w, '}');
		}
		jw_close(w, ']');
		jw_open(w, "dnskey", '[');
		for (size_t j = 0; j < l->n_keys; j++) {
			const struct key_info *k = &l->keys[j];
			char *ds;

			jw_open(w, NULL, '{');
			jw_int(w, "key_tag", k->tag);
			jw_int(w, "algorithm", k->algorithm);
			jw_int(w, "flags", k->flags);
			jw_str(w, "role", (k->flags & 128) ? "revoked" :
			       (k->flags & 1) ? "KSK" : "ZSK");
			jw_int(w, "bits", k->bits);
			jw_bool(w, "signs_dnskey", k->signs_dnskey);
			jw_bool(w, "signs_zone", k->signs_zone);
			jw_int(w, "served_by", k->served_by);
			ds = evidence_ds_as_parent(k->ds_sha256, l->ds_ttl);
			jw_str(w, "ds_record", ds);
			free(ds);
			jw_str(w, "ds_digest_sha256", last_field(k->ds_sha256));
			jw_close(w, '}');
		}
		jw_close(w, ']');
		sigs(w, l->dnskey_sigs, l->n_dnskey_sigs);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

static void nameservers(struct jw *w, const struct evidence *ev)
{
	jw_open(w, "nameservers", '[');
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];

		jw_open(w, NULL, '{');
		jw_str(w, "name", ns->name);
		jw_str(w, "address", ns->address);
		jw_str(w, "udp", reach(&ns->soa_udp));
		jw_str(w, "tcp", reach(&ns->soa_tcp));
		if (ns->has_serial)
			jw_int(w, "serial", ns->serial);
		else
			jw_null(w, "serial");
		jw_open(w, "dnskey_tags", '[');
		for (size_t j = 0; j < ns->n_dnskey_tags; j++)
			jw_int(w, NULL, ns->dnskey_tags[j]);
		jw_close(w, ']');
		jw_time(w, "earliest_expiration", ns->earliest_expiration);
		char *n3p = evidence_nsec3param_rdata(ns);

		jw_str(w, "nsec3param", n3p);	/* null: none served, or unseen */
		free(n3p);
		/* CDS then CDNSKEY, as served; "matches": a served key. */
		jw_open(w, "cds", '[');
		for (size_t j = 0; j < ns->n_cds + ns->n_cdnskey; j++) {
			const struct ds_info *c = j < ns->n_cds ? &ns->cds[j] :
				&ns->cdnskey[j - ns->n_cds];

			jw_open(w, NULL, '{');
			jw_str(w, "type", j < ns->n_cds ? "CDS" : "CDNSKEY");
			jw_str(w, "rr", c->rr_text);
			jw_int(w, "key_tag", c->tag);
			jw_int(w, "algorithm", c->algorithm);
			jw_bool(w, "delete", c->algorithm == 0);
			jw_bool(w, "matches", c->match == DS_MATCH_OK);
			jw_close(w, '}');
		}
		jw_close(w, ']');
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* The zone's aliases into other zones and each target zone's chain. */
static void aliases(struct jw *w, const struct evidence *ev)
{
	char tb[16];

	jw_open(w, "aliases", '[');
	for (size_t i = 0; i < ev->n_aliases; i++) {
		const struct alias_ev *a = &ev->aliases[i];
		const struct evidence *t = a->target_ev;

		jw_open(w, NULL, '{');
		jw_str(w, "owner", a->owner);
		jw_str(w, "qtype", rrtype_name(a->qtype, tb));
		jw_str(w, "target", a->target);
		jw_int(w, "depth", a->depth);
		jw_bool(w, "loop", a->loop);
		jw_str(w, "target_zone", t != NULL ? t->zone : NULL);
		jw_open(w, "target_chain", '[');
		for (size_t k = 0; t != NULL && k < t->n_chain; k++) {
			jw_open(w, NULL, '{');
			jw_str(w, "zone", t->chain[k].zone);
			jw_str(w, "status", security_name(t->chain[k].status));
			jw_close(w, '}');
		}
		jw_close(w, ']');
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

/* What our own vantage saw of the root servers (diag_vantage.c judges it),
 * so that a script can tell "our network" from "the zone" as we did. */
static void vantage(struct jw *w, const struct evidence *ev)
{
	char tb[16];

	jw_int(w, "local_limited", ev->local_limited);
	jw_open(w, "vantage", '[');
	for (size_t i = 0; i < ev->n_vantage; i++) {
		const struct vantage_probe *v = &ev->vantage[i];

		jw_open(w, NULL, '{');
		jw_str(w, "address", v->address);
		jw_str(w, "qname", ".");
		jw_str(w, "qtype", rrtype_name(v->qtype, tb));
		jw_str(w, "transport", v->tcp ? "tcp" : "udp");
		jw_str(w, "outcome", reach(&v->reply));
		jw_rcode(w, "rcode", &v->reply);
		jw_bool(w, "aa", v->reply.outcome == OUTCOME_ANSWER && v->reply.aa);
		jw_bool(w, "has_data", v->has_data);
		jw_bool(w, "decoy", v->decoy);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

static void local(struct jw *w, const struct evidence *ev)
{
	char tb[16], rb[16];

	jw_open(w, "local", '[');
	for (size_t i = 0; i < ev->n_local; i++) {
		const struct local_verdict *l = &ev->local[i];

		jw_open(w, NULL, '{');
		jw_str(w, "qname", l->qname);
		jw_str(w, "qtype", rrtype_name(l->qtype, tb));
		jw_str(w, "security", security_name(l->security));
		if (l->rcode < 0)
			jw_null(w, "rcode");
		else
			jw_str(w, "rcode", rcode_name(l->rcode, rb));
		jw_bool(w, "havedata", l->havedata);
		jw_str(w, "why_bogus", l->why_bogus);
		jw_close(w, '}');
	}
	jw_close(w, ']');
}

static void checklist(struct jw *w, const struct evidence *ev,
		      const struct diagnosis *d)
{
	struct checklist *c = diag_checklist(ev, d, d->now);

	jw_open(w, "checklist", '[');
	for (size_t i = 0; i < c->n_steps; i++) {
		jw_open(w, NULL, '{');
		jw_int(w, "step", (long long)i + 1);
		jw_str(w, "title", c->steps[i].title);
		jw_str(w, "state", step_state_id(c->steps[i].state));
		jw_str(w, "evidence", c->steps[i].evidence);
		jw_str(w, "action", c->steps[i].action);
		jw_close(w, '}');
	}
	jw_close(w, ']');
	checklist_free(c);
}

int report_json(FILE *out, const struct evidence *ev,
		const struct diagnosis *d)
{
	struct jw w = { .b = { 0 } };
	char tb[32], *text;
	json_t *doc;

	if (out == NULL || ev == NULL || d == NULL)
		return -1;
	jw_open(&w, NULL, '{');
	jw_str(&w, "schema_version", JSON_SCHEMA_VERSION);
	jw_str(&w, "zone", ev->zone);
	jw_str(&w, "generated_at", diag_iso_time(d->now, tb));
	jw_str(&w, "verdict", verdict_name(d->verdict));
	findings(&w, d);
	resolvers(&w, ev);
	chain(&w, ev);
	nameservers(&w, ev);
	aliases(&w, ev);
	vantage(&w, ev);
	local(&w, ev);
	checklist(&w, ev, d);
	jw_open(&w, "notes", '[');
	for (size_t i = 0; i < ev->n_notes; i++)
		jw_str(&w, NULL, ev->notes[i]);
	jw_close(&w, ']');
	jw_close(&w, '}');
	doc = json_builder_take(&w.b);
	text = json_render(doc, true);
	json_decref(doc);
	if (text == NULL)
		return -1;
	fprintf(out, "%s\n", text);
	free(text);
	return ferror(out) ? -1 : 0;
}
