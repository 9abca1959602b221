/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * evidence_json.c - the evidence codec of incident recordings.
 *
 * Writing walks struct evidence field by field into one line of JSON (no
 * newline inside: escape_json() turns every control byte into an escape).
 * Reading walks the same fields out of a json.h tree and checks each one:
 * present, of the right type, within the range of its C type or enum, and
 * cross-references (a DS's key_index) within their arrays, so that code
 * downstream may trust a decoded evidence as much as a probed one. A
 * half-built evidence is always consistent (counts match arrays), so an
 * error simply frees it. No I/O except the FILE the caller gives.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "evidence_json.h"
#include "xmalloc.h"

/* ---------------------------------------------------------------- */
/* Writing                                                           */

struct ew {
	struct json_builder b;
};

static void ew_open(struct ew *w, const char *key, char c)
{
	json_builder_open(&w->b, key, c);
}

static void ew_close(struct ew *w, char c)
{
	(void)c;
	json_builder_close(&w->b);
}

static void ew_str(struct ew *w, const char *key, const char *s)
{
	json_builder_set(&w->b, key, json_str(s));
}

static void ew_int(struct ew *w, const char *key, long long v)
{
	json_builder_set(&w->b, key, json_integer(v));
}

static void ew_uint(struct ew *w, const char *key, unsigned long long v)
{
	json_builder_set(&w->b, key, json_integer((json_int_t)v));
}

static void ew_bool(struct ew *w, const char *key, bool v)
{
	json_builder_set(&w->b, key, json_boolean(v));
}

static void ew_rrtype(struct ew *w, const char *key, uint16_t type)
{
	char b[16];

	ew_str(w, key, rrtype_name(type, b));
}

/* An rcode by name; null for none (-1). */
static void ew_rcode(struct ew *w, const char *key, int rcode)
{
	char b[16];

	ew_str(w, key, rcode < 0 ? NULL : rcode_name(rcode, b));
}

static void ew_strv(struct ew *w, const char *key, char *const *v, size_t n)
{
	ew_open(w, key, '[');
	for (size_t i = 0; i < n; i++)
		ew_str(w, NULL, v[i]);
	ew_close(w, ']');
}

static void ew_u16v(struct ew *w, const char *key, const uint16_t *v, size_t n)
{
	ew_open(w, key, '[');
	for (size_t i = 0; i < n; i++)
		ew_int(w, NULL, v[i]);
	ew_close(w, ']');
}

static void ew_reply(struct ew *w, const char *key, const struct dns_reply *r)
{
	ew_open(w, key, '{');
	ew_str(w, "outcome", outcome_name(r->outcome));
	ew_rcode(w, "rcode", r->rcode);
	ew_bool(w, "aa", r->aa);
	ew_bool(w, "tc", r->tc);
	ew_bool(w, "ad", r->ad);
	ew_bool(w, "ra", r->ra);
	ew_bool(w, "cd", r->cd);
	ew_bool(w, "via_tcp", r->via_tcp);
	ew_bool(w, "tc_retried", r->tc_retried);
	ew_int(w, "rtt_ms", r->rtt_ms);
	ew_int(w, "size", r->size);
	ew_int(w, "min_ttl", r->min_ttl);
	ew_int(w, "neg_ttl", r->neg_ttl);
	ew_str(w, "nsid", r->nsid);
	ew_open(w, "ede", '[');
	for (size_t i = 0; i < r->n_ede; i++) {
		ew_open(w, NULL, '{');
		ew_int(w, "code", r->ede[i].code);
		ew_str(w, "text", r->ede[i].text);
		ew_close(w, '}');
	}
	ew_close(w, ']');
	ew_strv(w, "answer", r->answer, r->n_answer);
	ew_str(w, "error", r->error);
	ew_close(w, '}');
}

static void ew_sigs(struct ew *w, const char *key, const struct rrsig_info *s,
		    size_t n)
{
	ew_open(w, key, '[');
	for (size_t i = 0; i < n; i++) {
		ew_open(w, NULL, '{');
		ew_rrtype(w, "covered", s[i].covered);
		ew_int(w, "algorithm", s[i].algorithm);
		ew_int(w, "labels", s[i].labels);
		ew_int(w, "original_ttl", s[i].original_ttl);
		ew_int(w, "inception", s[i].inception);
		ew_int(w, "expiration", s[i].expiration);
		ew_int(w, "key_tag", s[i].key_tag);
		ew_str(w, "signer", s[i].signer);
		ew_str(w, "check", sig_check_id(s[i].check));
		ew_close(w, '}');
	}
	ew_close(w, ']');
}

static void ew_ds(struct ew *w, const char *key, const struct ds_info *d,
		  size_t n)
{
	ew_open(w, key, '[');
	for (size_t i = 0; i < n; i++) {
		ew_open(w, NULL, '{');
		ew_int(w, "tag", d[i].tag);
		ew_int(w, "algorithm", d[i].algorithm);
		ew_int(w, "digest_type", d[i].digest_type);
		ew_str(w, "digest_hex", d[i].digest_hex);
		ew_str(w, "rr_text", d[i].rr_text);
		ew_str(w, "match", ds_match_id(d[i].match));
		ew_int(w, "key_index", d[i].key_index);
		ew_close(w, '}');
	}
	ew_close(w, ']');
}

static void ew_server(struct ew *w, const struct server_ref *s)
{
	ew_open(w, "server", '{');
	ew_str(w, "ns_name", s->ns_name);
	ew_str(w, "address", s->address);
	ew_int(w, "port", s->port);
	ew_close(w, '}');
}

static void ew_link(struct ew *w, const struct chain_link *l)
{
	ew_open(w, NULL, '{');
	ew_str(w, "zone", l->zone);
	ew_str(w, "parent", l->parent);
	ew_str(w, "status", security_name(l->status));
	ew_bool(w, "anchored", l->anchored);
	ew_open(w, "ds_views", '[');
	for (size_t i = 0; i < l->n_ds_views; i++) {
		const struct ds_view *v = &l->ds_views[i];

		ew_open(w, NULL, '{');
		ew_server(w, &v->server);
		ew_reply(w, "reply", &v->reply);
		ew_ds(w, "ds", v->ds, v->n_ds);
		ew_sigs(w, "sigs", v->sigs, v->n_sigs);
		ew_close(w, '}');
	}
	ew_close(w, ']');
	ew_open(w, "dnskey_views", '[');
	for (size_t i = 0; i < l->n_dnskey_views; i++) {
		const struct dnskey_view *v = &l->dnskey_views[i];

		ew_open(w, NULL, '{');
		ew_server(w, &v->server);
		ew_reply(w, "reply", &v->reply);
		ew_u16v(w, "tags", v->tags, v->n_tags);
		ew_sigs(w, "sigs", v->sigs, v->n_sigs);
		ew_close(w, '}');
	}
	ew_close(w, ']');
	ew_ds(w, "ds", l->ds, l->n_ds);
	ew_open(w, "keys", '[');
	for (size_t i = 0; i < l->n_keys; i++) {
		const struct key_info *k = &l->keys[i];

		ew_open(w, NULL, '{');
		ew_int(w, "tag", k->tag);
		ew_int(w, "algorithm", k->algorithm);
		ew_int(w, "flags", k->flags);
		ew_int(w, "protocol", k->protocol);
		ew_uint(w, "bits", k->bits);
		ew_bool(w, "signs_dnskey", k->signs_dnskey);
		ew_bool(w, "signs_zone", k->signs_zone);
		ew_uint(w, "served_by", k->served_by);
		ew_str(w, "rr_text", k->rr_text);
		ew_str(w, "ds_sha256", k->ds_sha256);
		ew_str(w, "ds_sha384", k->ds_sha384);
		ew_close(w, '}');
	}
	ew_close(w, ']');
	ew_sigs(w, "dnskey_sigs", l->dnskey_sigs, l->n_dnskey_sigs);
	ew_int(w, "ds_ttl", l->ds_ttl);
	ew_int(w, "dnskey_ttl", l->dnskey_ttl);
	ew_int(w, "neg_ttl", l->neg_ttl);
	ew_int(w, "ns_ttl", l->ns_ttl);
	ew_int(w, "child_ns_ttl", l->child_ns_ttl);
	ew_close(w, '}');
}

static void ew_ns(struct ew *w, const struct ns_ev *n)
{
	ew_open(w, NULL, '{');
	ew_str(w, "name", n->name);
	ew_str(w, "address", n->address);
	ew_bool(w, "in_parent", n->in_parent);
	ew_bool(w, "in_child", n->in_child);
	ew_reply(w, "soa_udp", &n->soa_udp);
	ew_reply(w, "soa_tcp", &n->soa_tcp);
	ew_reply(w, "dnskey_udp", &n->dnskey_udp);
	ew_reply(w, "dnskey_tcp", &n->dnskey_tcp);
	ew_bool(w, "has_serial", n->has_serial);
	ew_int(w, "serial", n->serial);
	ew_u16v(w, "dnskey_tags", n->dnskey_tags, n->n_dnskey_tags);
	ew_int(w, "earliest_expiration", n->earliest_expiration);
	ew_open(w, "checks", '[');
	for (size_t i = 0; i < n->n_checks; i++) {
		const struct zone_rrset_check *c = &n->checks[i];

		ew_open(w, NULL, '{');
		ew_str(w, "qname", c->qname);
		ew_rrtype(w, "qtype", c->qtype);
		ew_rcode(w, "rcode", c->rcode);
		ew_uint(w, "n_rrs", c->n_rrs);
		ew_sigs(w, "sigs", c->sigs, c->n_sigs);
		ew_str(w, "denial", security_name(c->denial));
		ew_bool(w, "has_nsec3", c->has_nsec3);
		ew_int(w, "nsec3_iterations", c->nsec3_iterations);
		ew_str(w, "nsec3_salt", c->nsec3_salt);
		ew_bool(w, "nsec3_opt_out", c->nsec3_opt_out);
		ew_str(w, "cname", c->cname);
		ew_close(w, '}');
	}
	ew_close(w, ']');
	ew_bool(w, "cds_answered", n->cds_answered);
	ew_ds(w, "cds", n->cds, n->n_cds);
	ew_ds(w, "cdnskey", n->cdnskey, n->n_cdnskey);
	ew_bool(w, "nsec3param_answered", n->nsec3param_answered);
	ew_bool(w, "has_nsec3param", n->has_nsec3param);
	ew_int(w, "nsec3param_alg", n->nsec3param_alg);
	ew_int(w, "nsec3param_flags", n->nsec3param_flags);
	ew_int(w, "nsec3param_iterations", n->nsec3param_iterations);
	ew_str(w, "nsec3param_salt", n->nsec3param_salt);
	ew_close(w, '}');
}

static void ew_aliases(struct ew *w, const struct evidence *ev);

static void ew_evidence(struct ew *w, const char *key,
			const struct evidence *ev)
{
	ew_open(w, key, '{');
	ew_uint(w, "generation", ev->generation);
	ew_int(w, "started_at", ev->started_at);
	ew_int(w, "finished_at", ev->finished_at);
	ew_str(w, "zone", ev->zone);
	ew_str(w, "anchor_source", ev->anchor_source);
	ew_open(w, "resolvers", '[');
	for (size_t i = 0; i < ev->n_resolvers; i++) {
		const struct resolver_ev *r = &ev->resolvers[i];

		ew_open(w, NULL, '{');
		ew_str(w, "name", r->name);
		ew_str(w, "address", r->address);
		ew_int(w, "port", r->port);
		ew_bool(w, "from_system", r->from_system);
		ew_str(w, "validating", validating_id(r->validating));
		ew_bool(w, "root_ad", r->root_ad);
		ew_bool(w, "root_bogus", r->root_bogus);
		ew_rcode(w, "canary_rcode", r->canary_rcode);
		ew_open(w, "answers", '[');
		for (size_t j = 0; j < r->n_answers; j++) {
			const struct resolver_answer *a = &r->answers[j];

			ew_open(w, NULL, '{');
			ew_str(w, "qname", a->qname);
			ew_rrtype(w, "qtype", a->qtype);
			ew_reply(w, "reply", &a->reply);
			ew_reply(w, "cd_reply", &a->cd_reply);
			ew_close(w, '}');
		}
		ew_close(w, ']');
		ew_close(w, '}');
	}
	ew_close(w, ']');
	ew_open(w, "local", '[');
	for (size_t i = 0; i < ev->n_local; i++) {
		const struct local_verdict *v = &ev->local[i];

		ew_open(w, NULL, '{');
		ew_str(w, "qname", v->qname);
		ew_rrtype(w, "qtype", v->qtype);
		ew_str(w, "security", security_name(v->security));
		ew_rcode(w, "rcode", v->rcode);
		ew_bool(w, "havedata", v->havedata);
		ew_str(w, "why_bogus", v->why_bogus);
		ew_close(w, '}');
	}
	ew_close(w, ']');
	ew_open(w, "chain", '[');
	for (size_t i = 0; i < ev->n_chain; i++)
		ew_link(w, &ev->chain[i]);
	ew_close(w, ']');
	ew_strv(w, "parent_ns", ev->parent_ns, ev->n_parent_ns);
	ew_strv(w, "child_ns", ev->child_ns, ev->n_child_ns);
	ew_open(w, "nameservers", '[');
	for (size_t i = 0; i < ev->n_nameservers; i++)
		ew_ns(w, &ev->nameservers[i]);
	ew_close(w, ']');
	ew_strv(w, "notes", ev->notes, ev->n_notes);
	ew_open(w, "vantage", '[');
	for (size_t i = 0; i < ev->n_vantage; i++) {
		const struct vantage_probe *v = &ev->vantage[i];

		ew_open(w, NULL, '{');
		ew_str(w, "address", v->address);
		ew_rrtype(w, "qtype", v->qtype);
		ew_bool(w, "tcp", v->tcp);
		ew_bool(w, "has_data", v->has_data);
		if (v->decoy)
			ew_bool(w, "decoy", true);
		ew_reply(w, "reply", &v->reply);
		ew_close(w, '}');
	}
	ew_close(w, ']');
	if (ev->absent != NULL) {
		const struct absence_ev *a = ev->absent;

		ew_open(w, "absent", '{');
		ew_str(w, "name", a->name);
		ew_str(w, "parent", a->parent);
		ew_str(w, "server", a->server);
		ew_rcode(w, "rcode", a->rcode);
		ew_strv(w, "nearby", a->nearby, a->n_nearby);
		ew_close(w, '}');
	} else {
		ew_str(w, "absent", NULL);
	}
	ew_uint(w, "queries_sent", ev->queries_sent);
	ew_uint(w, "late_replies", ev->late_replies);
	ew_uint(w, "local_limited", ev->local_limited);
	ew_aliases(w, ev);
	ew_close(w, '}');
}

/* Each hop of the zone's alias chains; the target's evidence one level deep. */
static void ew_aliases(struct ew *w, const struct evidence *ev)
{
	ew_open(w, "aliases", '[');
	for (size_t i = 0; i < ev->n_aliases; i++) {
		const struct alias_ev *a = &ev->aliases[i];

		ew_open(w, NULL, '{');
		ew_str(w, "owner", a->owner);
		ew_rrtype(w, "qtype", a->qtype);
		ew_str(w, "target", a->target);
		ew_uint(w, "depth", a->depth);
		ew_bool(w, "loop", a->loop);
		if (a->target_ev != NULL)
			ew_evidence(w, "target_ev", a->target_ev);
		else
			ew_str(w, "target_ev", NULL);
		ew_close(w, '}');
	}
	ew_close(w, ']');
}

json_t *evidence_json_build(const struct evidence *ev)
{
	struct ew w = { .b = { 0 } };

	ew_evidence(&w, NULL, ev);
	return json_builder_take(&w.b);
}

char *evidence_json_encode(const struct evidence *ev)
{
	json_t *v = evidence_json_build(ev);
	char *line = json_render(v, false);

	json_decref(v);
	return line;
}

/* ---------------------------------------------------------------- */
/* Reading                                                           */

struct dec {
	char path[256];	/* where we are, e.g. "chain[2].ds_views[0]" */
	size_t len;
	char *cause;
	unsigned alias_depth;	/* inside an alias's target evidence */
};

/* Appends ".name" or ".name[i]" to the path; returns the old length. */
static size_t d_push(struct dec *d, const char *name, long idx)
{
	size_t old = d->len;
	int n;

	if (idx >= 0)
		n = snprintf(d->path + d->len, sizeof(d->path) - d->len, "%s%s[%ld]",
			     d->len ? "." : "", name, idx);
	else
		n = snprintf(d->path + d->len, sizeof(d->path) - d->len, "%s%s",
			     d->len ? "." : "", name);
	if (n > 0)
		d->len += (size_t)n;
	if (d->len >= sizeof(d->path))
		d->len = sizeof(d->path) - 1;
	return old;
}

static void d_pop(struct dec *d, size_t old)
{
	d->len = old;
	d->path[old] = '\0';
}

static int d_fail(struct dec *d, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int d_fail(struct dec *d, const char *field, const char *fmt, ...)
{
	char *what;
	va_list ap;

	if (d->cause != NULL)
		return -1;
	va_start(ap, fmt);
	what = xvasprintf(fmt, ap);
	va_end(ap);
	d->cause = xasprintf("evidence%s%s%s%s: %s", d->len ? "." : "", d->path,
			     field ? "." : "", field ? field : "", what);
	free(what);
	return -1;
}

/* The member @p key of @p o: present and of kind @p want (json_kind), or
 * null when @p null_ok. */
static const json_t *d_field(struct dec *d, const json_t *o, const char *key,
			     const char *want, bool null_ok)
{
	const json_t *v = json_object_get(o, key);

	if (v == NULL) {
		d_fail(d, key, "missing");
		return NULL;
	}
	if (strcmp(json_kind(v), want) == 0 || (null_ok && json_is_null(v)))
		return v;
	d_fail(d, key, "want %s%s, got %s", want[0] == 'i' || want[0] == 'o' ||
	       want[0] == 'a' ? "an " : "a ", want, json_kind(v));
	return NULL;
}

static int d_int(struct dec *d, const json_t *o, const char *key,
		 int64_t min, int64_t max, int64_t *out)
{
	const json_t *v = json_object_get(o, key);
	int64_t i;

	if (json_is_real(v))
		return d_fail(d, key, "number out of range (want an integer from"
			      " %lld to %lld)", (long long)min, (long long)max);
	if ((v = d_field(d, o, key, "integer", false)) == NULL)
		return -1;
	i = json_integer_value(v);
	if (i < min || i > max)
		return d_fail(d, key, "%lld out of range (want %lld to %lld)",
			      (long long)i, (long long)min, (long long)max);
	*out = i;
	return 0;
}

static int d_bool(struct dec *d, const json_t *o, const char *key, bool *out)
{
	const json_t *v = d_field(d, o, key, "boolean", false);

	if (v == NULL)
		return -1;
	*out = json_is_true(v);
	return 0;
}

/* A string or null; cut at EVIDENCE_MAX_TEXT bytes like the probe does. */
static int d_str(struct dec *d, const json_t *o, const char *key, char **out)
{
	const json_t *v = d_field(d, o, key, "string", true);

	if (v == NULL)
		return -1;
	*out = json_is_null(v) ? NULL :
	       xstrndup(json_string_value(v), EVIDENCE_MAX_TEXT);
	return 0;
}

/* D_INT(obj, key, dst, min, max): min, max may come from one macro (U16). */
#define D_INT(o, key, dst, ...) do { int64_t v_; \
	if (d_int(d, (o), (key), __VA_ARGS__, &v_) != 0) return -1; \
	(dst) = v_; } while (0)
/*
 * Enums and DNS codes are written as names (schema 1.0); recordings made
 * before wrote their numbers, which still read. @p name gives a value's
 * name; values without a mnemonic are written "TYPE65534" / "RCODE12",
 * read back by number. An rcode of none (-1) is null.
 */
typedef const char *name_cb(int v, char buf[16]);

static const char *n_outcome(int v, char b[16]) { (void)b; return outcome_name((enum outcome)v); }
static const char *n_rcode(int v, char b[16]) { return rcode_name(v, b); }
static const char *n_rrtype(int v, char b[16]) { return rrtype_name((uint16_t)v, b); }
static const char *n_security(int v, char b[16]) { (void)b; return security_name((enum security)v); }
static const char *n_sig_check(int v, char b[16]) { (void)b; return sig_check_id((enum sig_check)v); }
static const char *n_ds_match(int v, char b[16]) { (void)b; return ds_match_id((enum ds_match)v); }
static const char *n_validating(int v, char b[16]) { (void)b; return validating_id((enum validating)v); }

static int d_named(struct dec *d, const json_t *o, const char *key,
		   name_cb *name, int64_t min, int64_t max, int64_t *out)
{
	const json_t *v = json_object_get(o, key);
	const char *s, *digits;
	char b[16], *end, *shown;
	long long n;

	if (json_is_null(v) && min < 0) {
		*out = -1;
		return 0;
	}
	if (!json_is_string(v))
		return d_int(d, o, key, min, max, out);
	s = json_string_value(v);
	digits = strncmp(s, "TYPE", 4) == 0 ? s + 4 :
		 strncmp(s, "RCODE", 5) == 0 ? s + 5 : NULL;
	if (digits != NULL && *digits >= '0' && *digits <= '9') {
		n = strtoll(digits, &end, 10);
		if (*end == '\0' && n >= min && n <= max) {
			*out = n;
			return 0;
		}
	}
	/* Every name bogus gives is for a small value (RR types up to CAA). */
	for (int64_t i = min; i <= max && i < min + 512; i++)
		if (strcmp(name((int)i, b), s) == 0) {
			*out = i;
			return 0;
		}
	shown = escape_text(s, 40);
	d_fail(d, key, "unknown name \"%s\"", shown);
	free(shown);
	return -1;
}

#define D_NAMED(o, key, dst, fn, ...) do { int64_t v_; \
	if (d_named(d, (o), (key), (fn), __VA_ARGS__, &v_) != 0) return -1; \
	(dst) = v_; } while (0)
/* A field later versions added: absent (an older recording) reads as 0. */
#define D_INT_ADDED(o, key, dst, ...) do { \
	if (json_object_get((o), (key)) != NULL) D_INT(o, key, dst, __VA_ARGS__); \
	else (dst) = 0; } while (0)
#define D_BOOL(o, key, dst) do { \
	if (d_bool(d, (o), (key), &(dst)) != 0) return -1; } while (0)
#define D_STR(o, key, dst) do { \
	if (d_str(d, (o), (key), &(dst)) != 0) return -1; } while (0)
/* Fields later versions added: absent reads as false / NULL. */
#define D_BOOL_ADDED(o, key, dst) do { \
	if (json_object_get((o), (key)) != NULL) D_BOOL(o, key, dst); \
	else (dst) = false; } while (0)
#define D_STR_ADDED(o, key, dst) do { \
	if (json_object_get((o), (key)) != NULL) D_STR(o, key, dst); \
	else (dst) = NULL; } while (0)

/*
 * An array of objects into (arr, n): allocates zeroed elements first, so
 * that whatever fails half-way is still consistent for evidence_free().
 */
#define D_ARRAY(o, key, arr, n, fn) do { \
	const json_t *a_ = d_field(d, (o), (key), "array", false); \
	if (a_ == NULL) return -1; \
	if (json_array_size(a_) > 0) { \
		(arr) = xcalloc(json_array_size(a_), sizeof(*(arr))); \
		(n) = json_array_size(a_); \
	} \
	for (size_t i_ = 0; i_ < json_array_size(a_); i_++) { \
		const json_t *it_ = json_array_get(a_, i_); \
		size_t old_ = d_push(d, (key), (long)i_); \
		if (!json_is_object(it_)) \
			return d_fail(d, NULL, "want an object, got %s", \
				      json_kind(it_)); \
		if (fn(d, it_, &(arr)[i_]) != 0) return -1; \
		d_pop(d, old_); \
	} } while (0)

static int d_strv(struct dec *d, const json_t *o, const char *key,
		  char ***arr, size_t *n)
{
	const json_t *a = d_field(d, o, key, "array", false);

	if (a == NULL)
		return -1;
	if (json_array_size(a) > 0)
		*arr = xcalloc(json_array_size(a), sizeof(**arr));
	for (size_t i = 0; i < json_array_size(a); i++) {
		const json_t *v = json_array_get(a, i);

		if (!json_is_string(v)) {
			size_t old = d_push(d, key, (long)i);

			return d_fail(d, NULL, "want a string, got %s",
				      json_kind(v)), d_pop(d, old), -1;
		}
		(*arr)[i] = xstrndup(json_string_value(v), EVIDENCE_MAX_TEXT);
		(*n)++;
	}
	return 0;
}

static int d_u16v(struct dec *d, const json_t *o, const char *key,
		  uint16_t **arr, size_t *n)
{
	const json_t *a = d_field(d, o, key, "array", false);

	if (a == NULL)
		return -1;
	if (json_array_size(a) > 0)
		*arr = xcalloc(json_array_size(a), sizeof(**arr));
	for (size_t i = 0; i < json_array_size(a); i++) {
		const json_t *v = json_array_get(a, i);

		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > 65535) {
			size_t old = d_push(d, key, (long)i);

			return d_fail(d, NULL, "want an integer from 0 to 65535"),
			       d_pop(d, old), -1;
		}
		(*arr)[i] = (uint16_t)json_integer_value(v);
		(*n)++;
	}
	return 0;
}

#define U8 0, 255
#define U16 0, 65535
#define U32 0, 4294967295LL
/*
 * Times: Unix seconds within +-2^40 (some 34,000 years). The probe only
 * makes times near now (RRSIG serial arithmetic is +-68 years), and the
 * bound keeps diag's sums and differences of times and TTLs far from
 * int64 overflow, whatever a recording says.
 */
#define TIME (-((int64_t)1 << 40)), ((int64_t)1 << 40)
#define RCODE -1, 4095

static int d_ede(struct dec *d, const json_t *o, struct ede *e)
{
	D_INT(o, "code", e->code, U16);
	D_STR(o, "text", e->text);
	return 0;
}

static int d_reply(struct dec *d, const json_t *parent, const char *key,
		   struct dns_reply *r)
{
	const json_t *o = d_field(d, parent, key, "object", false);
	size_t old;

	if (o == NULL)
		return -1;
	old = d_push(d, key, -1);
	D_NAMED(o, "outcome", r->outcome, n_outcome, OUTCOME_NOT_SENT, OUTCOME_CANCELLED);
	D_NAMED(o, "rcode", r->rcode, n_rcode, RCODE);
	D_BOOL(o, "aa", r->aa);
	D_BOOL(o, "tc", r->tc);
	D_BOOL(o, "ad", r->ad);
	D_BOOL(o, "ra", r->ra);
	D_BOOL(o, "cd", r->cd);
	D_BOOL(o, "via_tcp", r->via_tcp);
	D_BOOL(o, "tc_retried", r->tc_retried);
	D_INT(o, "rtt_ms", r->rtt_ms, U32);
	D_INT(o, "size", r->size, U32);
	D_INT(o, "min_ttl", r->min_ttl, U32);
	D_INT(o, "neg_ttl", r->neg_ttl, U32);
	D_STR(o, "nsid", r->nsid);
	D_ARRAY(o, "ede", r->ede, r->n_ede, d_ede);
	if (d_strv(d, o, "answer", &r->answer, &r->n_answer) != 0)
		return -1;
	D_STR(o, "error", r->error);
	d_pop(d, old);
	return 0;
}

static int d_sig(struct dec *d, const json_t *o, struct rrsig_info *s)
{
	D_NAMED(o, "covered", s->covered, n_rrtype, U16);
	D_INT(o, "algorithm", s->algorithm, U8);
	D_INT(o, "labels", s->labels, U8);
	D_INT(o, "original_ttl", s->original_ttl, U32);
	D_INT(o, "inception", s->inception, TIME);
	D_INT(o, "expiration", s->expiration, TIME);
	D_INT(o, "key_tag", s->key_tag, U16);
	D_STR(o, "signer", s->signer);
	D_NAMED(o, "check", s->check, n_sig_check, SIG_NOT_CHECKED, SIG_UNSUPPORTED);
	return 0;
}

static int d_ds(struct dec *d, const json_t *o, struct ds_info *s)
{
	D_INT(o, "tag", s->tag, U16);
	D_INT(o, "algorithm", s->algorithm, U8);
	D_INT(o, "digest_type", s->digest_type, U8);
	D_STR(o, "digest_hex", s->digest_hex);
	D_STR(o, "rr_text", s->rr_text);
	D_NAMED(o, "match", s->match, n_ds_match, DS_MATCH_NO_KEY, DS_MATCH_REVOKED_KEY);
	D_INT(o, "key_index", s->key_index, -1, INT32_MAX);
	return 0;
}

static int d_key(struct dec *d, const json_t *o, struct key_info *k)
{
	D_INT(o, "tag", k->tag, U16);
	D_INT(o, "algorithm", k->algorithm, U8);
	D_INT(o, "flags", k->flags, U16);
	D_INT(o, "protocol", k->protocol, U8);
	D_INT(o, "bits", k->bits, 0, UINT32_MAX);
	D_BOOL(o, "signs_dnskey", k->signs_dnskey);
	D_BOOL(o, "signs_zone", k->signs_zone);
	D_INT(o, "served_by", k->served_by, 0, UINT32_MAX);
	D_STR(o, "rr_text", k->rr_text);
	D_STR(o, "ds_sha256", k->ds_sha256);
	D_STR(o, "ds_sha384", k->ds_sha384);
	return 0;
}

static int d_server(struct dec *d, const json_t *parent,
		    struct server_ref *s)
{
	const json_t *o = d_field(d, parent, "server", "object", false);
	size_t old;

	if (o == NULL)
		return -1;
	old = d_push(d, "server", -1);
	D_STR(o, "ns_name", s->ns_name);
	D_STR(o, "address", s->address);
	D_INT(o, "port", s->port, U16);
	d_pop(d, old);
	return 0;
}

static int d_ds_view(struct dec *d, const json_t *o, struct ds_view *v)
{
	if (d_server(d, o, &v->server) != 0 || d_reply(d, o, "reply", &v->reply) != 0)
		return -1;
	D_ARRAY(o, "ds", v->ds, v->n_ds, d_ds);
	D_ARRAY(o, "sigs", v->sigs, v->n_sigs, d_sig);
	return 0;
}

static int d_dnskey_view(struct dec *d, const json_t *o,
			 struct dnskey_view *v)
{
	if (d_server(d, o, &v->server) != 0 || d_reply(d, o, "reply", &v->reply) != 0)
		return -1;
	if (d_u16v(d, o, "tags", &v->tags, &v->n_tags) != 0)
		return -1;
	D_ARRAY(o, "sigs", v->sigs, v->n_sigs, d_sig);
	return 0;
}

/* A DS's key_index points into the link's keys: check it, since the
 * views index with it without looking. */
static int d_key_index(struct dec *d, const struct ds_info *ds, size_t n,
		       size_t n_keys, const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (ds[i].key_index >= 0 && (size_t)ds[i].key_index >= n_keys)
			return d_fail(d, what, "key_index %d beyond the %zu keys",
				      ds[i].key_index, n_keys);
	return 0;
}

static int d_link(struct dec *d, const json_t *o, struct chain_link *l)
{
	D_STR(o, "zone", l->zone);
	D_STR(o, "parent", l->parent);
	D_NAMED(o, "status", l->status, n_security, SEC_UNKNOWN, SEC_BOGUS);
	D_BOOL(o, "anchored", l->anchored);
	D_ARRAY(o, "ds_views", l->ds_views, l->n_ds_views, d_ds_view);
	D_ARRAY(o, "dnskey_views", l->dnskey_views, l->n_dnskey_views,
		d_dnskey_view);
	D_ARRAY(o, "ds", l->ds, l->n_ds, d_ds);
	D_ARRAY(o, "keys", l->keys, l->n_keys, d_key);
	D_ARRAY(o, "dnskey_sigs", l->dnskey_sigs, l->n_dnskey_sigs, d_sig);
	D_INT(o, "ds_ttl", l->ds_ttl, U32);
	D_INT(o, "dnskey_ttl", l->dnskey_ttl, U32);
	D_INT(o, "neg_ttl", l->neg_ttl, U32);
	D_INT_ADDED(o, "ns_ttl", l->ns_ttl, U32);
	D_INT_ADDED(o, "child_ns_ttl", l->child_ns_ttl, U32);
	if (d_key_index(d, l->ds, l->n_ds, l->n_keys, "ds") != 0)
		return -1;
	for (size_t i = 0; i < l->n_ds_views; i++)
		if (d_key_index(d, l->ds_views[i].ds, l->ds_views[i].n_ds,
				l->n_keys, "ds_views") != 0)
			return -1;
	return 0;
}

static int d_check(struct dec *d, const json_t *o,
		   struct zone_rrset_check *c)
{
	D_STR(o, "qname", c->qname);
	D_NAMED(o, "qtype", c->qtype, n_rrtype, U16);
	D_NAMED(o, "rcode", c->rcode, n_rcode, RCODE);
	D_INT(o, "n_rrs", c->n_rrs, U32);
	D_ARRAY(o, "sigs", c->sigs, c->n_sigs, d_sig);
	D_NAMED(o, "denial", c->denial, n_security, SEC_UNKNOWN, SEC_BOGUS);
	D_BOOL_ADDED(o, "has_nsec3", c->has_nsec3);
	D_INT_ADDED(o, "nsec3_iterations", c->nsec3_iterations, U16);
	D_STR_ADDED(o, "nsec3_salt", c->nsec3_salt);
	D_BOOL_ADDED(o, "nsec3_opt_out", c->nsec3_opt_out);
	D_STR_ADDED(o, "cname", c->cname);
	return 0;
}

static int d_ns(struct dec *d, const json_t *o, struct ns_ev *n)
{
	D_STR(o, "name", n->name);
	D_STR(o, "address", n->address);
	D_BOOL(o, "in_parent", n->in_parent);
	D_BOOL(o, "in_child", n->in_child);
	if (d_reply(d, o, "soa_udp", &n->soa_udp) != 0 ||
	    d_reply(d, o, "soa_tcp", &n->soa_tcp) != 0 ||
	    d_reply(d, o, "dnskey_udp", &n->dnskey_udp) != 0 ||
	    d_reply(d, o, "dnskey_tcp", &n->dnskey_tcp) != 0)
		return -1;
	D_BOOL(o, "has_serial", n->has_serial);
	D_INT(o, "serial", n->serial, U32);
	if (d_u16v(d, o, "dnskey_tags", &n->dnskey_tags, &n->n_dnskey_tags) != 0)
		return -1;
	D_INT(o, "earliest_expiration", n->earliest_expiration, TIME);
	D_ARRAY(o, "checks", n->checks, n->n_checks, d_check);
	/* CDS came later: an older recording has none. */
	D_BOOL_ADDED(o, "cds_answered", n->cds_answered);
	if (json_object_get(o, "cds") != NULL)
		D_ARRAY(o, "cds", n->cds, n->n_cds, d_ds);
	if (json_object_get(o, "cdnskey") != NULL)
		D_ARRAY(o, "cdnskey", n->cdnskey, n->n_cdnskey, d_ds);
	/* NSEC3PARAM came later still. */
	D_BOOL_ADDED(o, "nsec3param_answered", n->nsec3param_answered);
	D_BOOL_ADDED(o, "has_nsec3param", n->has_nsec3param);
	D_INT_ADDED(o, "nsec3param_alg", n->nsec3param_alg, U8);
	D_INT_ADDED(o, "nsec3param_flags", n->nsec3param_flags, U8);
	D_INT_ADDED(o, "nsec3param_iterations", n->nsec3param_iterations, U16);
	D_STR_ADDED(o, "nsec3param_salt", n->nsec3param_salt);
	return 0;
}

static int d_answer(struct dec *d, const json_t *o,
		    struct resolver_answer *a)
{
	D_STR(o, "qname", a->qname);
	D_NAMED(o, "qtype", a->qtype, n_rrtype, U16);
	if (d_reply(d, o, "reply", &a->reply) != 0 ||
	    d_reply(d, o, "cd_reply", &a->cd_reply) != 0)
		return -1;
	return 0;
}

static int d_resolver(struct dec *d, const json_t *o,
		      struct resolver_ev *r)
{
	D_STR(o, "name", r->name);
	D_STR(o, "address", r->address);
	D_INT(o, "port", r->port, U16);
	D_BOOL(o, "from_system", r->from_system);
	D_NAMED(o, "validating", r->validating, n_validating, VALIDATING_UNKNOWN, VALIDATING_YES);
	D_BOOL(o, "root_ad", r->root_ad);
	D_BOOL_ADDED(o, "root_bogus", r->root_bogus);
	D_NAMED(o, "canary_rcode", r->canary_rcode, n_rcode, RCODE);
	D_ARRAY(o, "answers", r->answers, r->n_answers, d_answer);
	return 0;
}

static int d_local(struct dec *d, const json_t *o,
		   struct local_verdict *v)
{
	D_STR(o, "qname", v->qname);
	D_NAMED(o, "qtype", v->qtype, n_rrtype, U16);
	D_NAMED(o, "security", v->security, n_security, SEC_UNKNOWN, SEC_BOGUS);
	D_NAMED(o, "rcode", v->rcode, n_rcode, RCODE);
	D_BOOL(o, "havedata", v->havedata);
	D_STR(o, "why_bogus", v->why_bogus);
	return 0;
}

static int d_vantage(struct dec *d, const json_t *o, struct vantage_probe *v)
{
	D_STR(o, "address", v->address);
	D_NAMED(o, "qtype", v->qtype, n_rrtype, U16);
	D_BOOL(o, "tcp", v->tcp);
	D_BOOL(o, "has_data", v->has_data);
	D_BOOL_ADDED(o, "decoy", v->decoy);
	return d_reply(d, o, "reply", &v->reply);
}

static int d_absent(struct dec *d, const json_t *o, struct absence_ev *a)
{
	D_STR(o, "name", a->name);
	D_STR(o, "parent", a->parent);
	D_STR(o, "server", a->server);
	D_NAMED(o, "rcode", a->rcode, n_rcode, RCODE);
	return d_strv(d, o, "nearby", &a->nearby, &a->n_nearby);
}

/* The vantage check and the zone's absence came later: an older
 * recording has neither, and reads as "not checked". */
static int d_added(struct dec *d, const json_t *o, struct evidence *ev)
{
	const json_t *a = json_object_get(o, "absent");
	size_t old;

	if (json_object_get(o, "vantage") != NULL)
		D_ARRAY(o, "vantage", ev->vantage, ev->n_vantage, d_vantage);
	if (a == NULL || json_is_null(a))
		return 0;
	if (!json_is_object(a))
		return d_fail(d, "absent", "want an object or null, got %s",
			      json_kind(a));
	ev->absent = xcalloc(1, sizeof(*ev->absent));
	old = d_push(d, "absent", -1);
	if (d_absent(d, a, ev->absent) != 0)
		return -1;
	d_pop(d, old);
	return 0;
}

static int d_evidence(struct dec *d, const json_t *o, struct evidence *ev);

/* A followed alias; its target's evidence is one level deep, never more. */
static int d_alias(struct dec *d, const json_t *o, struct alias_ev *a)
{
	const json_t *t = json_object_get(o, "target_ev");
	size_t old;
	int rc;

	D_STR(o, "owner", a->owner);
	D_NAMED(o, "qtype", a->qtype, n_rrtype, U16);
	D_STR(o, "target", a->target);
	D_INT(o, "depth", a->depth, 0, 64);
	D_BOOL(o, "loop", a->loop);
	if (t == NULL || json_is_null(t))
		return 0;
	if (!json_is_object(t))
		return d_fail(d, "target_ev", "want an object or null, got %s",
			      json_kind(t));
	if (d->alias_depth > 0)
		return d_fail(d, "target_ev", "%s", "nested too deep");
	a->target_ev = xcalloc(1, sizeof(*a->target_ev));
	old = d_push(d, "target_ev", -1);
	d->alias_depth++;
	rc = d_evidence(d, t, a->target_ev);
	d->alias_depth--;
	if (rc != 0)
		return -1;
	d_pop(d, old);
	return 0;
}

static int d_evidence(struct dec *d, const json_t *o, struct evidence *ev)
{
	D_INT(o, "generation", ev->generation, 0, INT64_MAX);
	D_INT(o, "started_at", ev->started_at, TIME);
	D_INT(o, "finished_at", ev->finished_at, TIME);
	D_STR(o, "zone", ev->zone);
	D_STR(o, "anchor_source", ev->anchor_source);
	D_ARRAY(o, "resolvers", ev->resolvers, ev->n_resolvers, d_resolver);
	D_ARRAY(o, "local", ev->local, ev->n_local, d_local);
	D_ARRAY(o, "chain", ev->chain, ev->n_chain, d_link);
	if (d_strv(d, o, "parent_ns", &ev->parent_ns, &ev->n_parent_ns) != 0 ||
	    d_strv(d, o, "child_ns", &ev->child_ns, &ev->n_child_ns) != 0)
		return -1;
	D_ARRAY(o, "nameservers", ev->nameservers, ev->n_nameservers, d_ns);
	if (d_strv(d, o, "notes", &ev->notes, &ev->n_notes) != 0)
		return -1;
	if (d_added(d, o, ev) != 0)
		return -1;
	D_INT(o, "queries_sent", ev->queries_sent, U32);
	D_INT(o, "late_replies", ev->late_replies, U32);
	D_INT_ADDED(o, "local_limited", ev->local_limited, U32);
	if (json_object_get(o, "aliases") != NULL)
		D_ARRAY(o, "aliases", ev->aliases, ev->n_aliases, d_alias);
	if (ev->zone == NULL)
		return d_fail(d, "zone", "want a string, got null");
	return 0;
}

struct evidence *evidence_json_decode(const json_t *v, char **cause)
{
	struct dec d = { .len = 0 };
	struct evidence *ev;

	*cause = NULL;
	if (!json_is_object(v)) {
		*cause = xasprintf("evidence: want an object, got %s", json_kind(v));
		return NULL;
	}
	ev = xcalloc(1, sizeof(*ev));
	if (d_evidence(&d, v, ev) != 0) {
		evidence_free(ev);
		*cause = d.cause != NULL ? d.cause : xstrdup("evidence: invalid");
		return NULL;
	}
	return ev;
}
