/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag_chain.c - rules on the chain of trust: the parent's DS against the
 * keys the child serves, which key signs the DNSKEY RRset, the parent's
 * signature over the DS, unsigned delegations and rollovers in progress.
 *
 * Each link is judged once, on its root cause: a DS that matches no served
 * key is ds-no-matching-key and nothing else for that link (the DNSKEY
 * signatures are not also reported), because every other symptom follows
 * from it. Pure: reads the evidence, adds findings, no I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag_rules.h"
#include "xmalloc.h"

static bool is_ksk(const struct key_info *k)
{
	return (k->flags & 1) && !(k->flags & 128);
}

static const char *key_role(const struct key_info *k)
{
	if (k->flags & 128)
		return "revoked";
	return (k->flags & 1) ? "KSK" : "ZSK";
}

static const struct key_info *key_by_tag(const struct chain_link *l,
					 uint16_t tag)
{
	for (size_t i = 0; i < l->n_keys; i++)
		if (l->keys[i].tag == tag)
			return &l->keys[i];
	return NULL;
}

static const char *parent_name(const struct chain_link *l)
{
	return l->parent != NULL ? l->parent : "the trust anchor";
}

static const char *ds_match_name(enum ds_match m)
{
	switch (m) {
	case DS_MATCH_OK: return "matches a served key";
	case DS_MATCH_NO_KEY: return "no served key has this tag";
	case DS_MATCH_DIGEST_MISMATCH: return "digest differs from the key's";
	case DS_MATCH_UNSUPPORTED_DIGEST: return "digest type not supported";
	case DS_MATCH_REVOKED_KEY: return "its key is revoked";
	}
	return "?";
}

/* One line per parent server: which DS it publishes. */
static void ds_evidence(struct finding *f, const struct chain_link *l)
{
	for (size_t i = 0; i < l->n_ds_views; i++) {
		const struct ds_view *v = &l->ds_views[i];
		char *who = diag_server_label(v->server.ns_name,
					      v->server.address);
		char *list = NULL;

		for (size_t j = 0; j < v->n_ds &&
				   !diag_list_cut(&list, j, v->n_ds); j++)
			diag_cat(&list, "%s%u/%u/%u", j ? ", " : "",
				 v->ds[j].tag, v->ds[j].algorithm,
				 v->ds[j].digest_type);
		if (!diag_answered(&v->reply))
			diag_evidence(f, "parent %s: no answer (%s)", who,
				      outcome_name(v->reply.outcome));
		else
			diag_evidence(f, "parent %s: DS %s", who,
				      list != NULL ? list : "none");
		free(list);
		free(who);
	}
	if (l->parent == NULL || l->n_ds_views == 0) {
		for (size_t j = 0; j < l->n_ds; j++)
			diag_evidence(f, "%s %s: DS %u/%u/%u: %s",
				      l->parent == NULL ? "trust anchor" :
				      "parent", parent_name(l), l->ds[j].tag,
				      l->ds[j].algorithm, l->ds[j].digest_type,
				      ds_match_name(l->ds[j].match));
	}
}

/* One line per child server: which keys it serves. */
static void key_evidence(struct finding *f, const struct chain_link *l)
{
	for (size_t i = 0; i < l->n_dnskey_views; i++) {
		const struct dnskey_view *v = &l->dnskey_views[i];
		char *who = diag_server_label(v->server.ns_name,
					      v->server.address);
		char *list = NULL;

		for (size_t j = 0; j < v->n_tags &&
				   !diag_list_cut(&list, j, v->n_tags); j++) {
			const struct key_info *k = key_by_tag(l, v->tags[j]);

			diag_cat(&list, "%s%u (%s)", j ? ", " : "", v->tags[j],
				 k != NULL ? key_role(k) : "?");
		}
		if (!diag_answered(&v->reply))
			diag_evidence(f, "child %s: no answer (%s)", who,
				      outcome_name(v->reply.outcome));
		else
			diag_evidence(f, "child %s: DNSKEY %s", who,
				      list != NULL ? list : "none");
		free(list);
		free(who);
	}
	if (l->n_dnskey_views == 0) {
		for (size_t j = 0; j < l->n_keys; j++)
			diag_evidence(f, "child %s: DNSKEY %u (%s)", l->zone,
				      l->keys[j].tag, key_role(&l->keys[j]));
	}
}

/* The DS text of key @p k of link @p l, ready for a registrar form and, with
 * the parent's DS TTL (none when unknown), for the parent's zone file. */
static void cat_ds_of(char **fix, const struct chain_link *l,
		      const struct key_info *k)
{
	if (k->ds_sha256 == NULL) {
		diag_cat(fix, "    (DS of key %u: compute it with "
			 "'ldns-key2ds -n -2' or 'dnssec-dsfromkey -2')\n",
			 k->tag);
		return;
	}
	char *ds = evidence_ds_as_parent(k->ds_sha256, l->ds_ttl);
	char *rr = diag_tidy_rr(ds);
	const char *alg = algorithm_name(k->algorithm);

	free(ds);

	diag_cat(fix, "    %s\n", rr);
	/* The last field of the tidy text is the digest. */
	const char *digest = strrchr(rr, ' ');

	diag_cat(fix, "    (form: key tag %u, algorithm %u%s%s, digest "
		 "type 2 SHA-256, digest %s)\n", k->tag, k->algorithm,
		 alg ? " " : "", alg ? alg : "",
		 digest != NULL ? digest + 1 : rr);
	free(rr);
}

/* The keys a new DS should point at: served KSKs, else any signing key. */
static size_t ds_candidates(const struct chain_link *l,
			    const struct key_info **out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < l->n_keys && n < max; i++)
		if (is_ksk(&l->keys[i]))
			out[n++] = &l->keys[i];
	for (size_t i = 0; i < l->n_keys && n == 0; i++)
		if (l->keys[i].signs_dnskey && !(l->keys[i].flags & 128))
			out[n++] = &l->keys[i];
	return n;
}

/* ---- a provider move told apart from a KSK mistake ---- */

static bool ns_serves(const struct ns_ev *ns, uint16_t tag)
{
	for (size_t i = 0; i < ns->n_dnskey_tags; i++)
		if (ns->dnskey_tags[i] == tag)
			return true;
	return false;
}

/* Does @p ns serve a key the DS at the parent names (and matches)? */
static bool ns_serves_ds_key(const struct chain_link *l, const struct ns_ev *ns)
{
	for (size_t i = 0; i < l->n_ds; i++)
		if (l->ds[i].match == DS_MATCH_OK && ns_serves(ns, l->ds[i].tag))
			return true;
	return false;
}

/* Names of the servers @p pick selects, "a., b." (each name once). */
static char *ns_names(const struct evidence *ev, const struct chain_link *l,
		      bool (*pick)(const struct chain_link *,
				   const struct ns_ev *))
{
	char *s = NULL;

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];
		bool dup = false;

		if (!pick(l, ns))
			continue;
		for (size_t j = 0; j < i; j++)
			dup |= pick(l, &ev->nameservers[j]) &&
			       strcmp(ev->nameservers[j].name, ns->name) == 0;
		if (!dup)
			diag_cat(&s, "%s%s", s ? ", " : "", ns->name);
	}
	return s;
}

static bool delegated_with_keys(const struct chain_link *l,
				const struct ns_ev *ns)
{
	(void)l;
	return ns->in_parent && ns->n_dnskey_tags > 0;
}

/* Still answering with the key the DS names, but no longer delegated to. */
static bool old_provider(const struct chain_link *l, const struct ns_ev *ns)
{
	return !ns->in_parent && ns_serves_ds_key(l, ns);
}

static bool parent_listed(const struct chain_link *l, const struct ns_ev *ns)
{
	(void)l;
	return ns->in_parent;
}

/* The NS TTL at the parent, for people: "NS TTL 3600 s at the parent". */
static void cat_ns_ttl(char **fix, const struct chain_link *l)
{
	if (l->ns_ttl > 0)
		diag_cat(fix, "NS TTL %u s at the parent", l->ns_ttl);
	else
		diag_cat(fix, "the parent's NS TTL (not seen; often 1-2 days)");
}

/* The migration's own repairs and the lesson, for one or the other reading. */
static void cat_migration_fix(struct diag_ctx *c, char **fix,
			      const struct chain_link *l, const char *old_ns,
			      const struct key_info **cand, size_t n_cand,
			      const char *old_tags, int first)
{
	char t[32];

	diag_cat(fix, "%d. Revert the NS at the registrar to the previous "
		 "provider's servers%s%s%s, which %s the key the DS names "
		 "(%s): resolvers follow within the ", first,
		 old_ns ? " (" : "", old_ns ? old_ns : "",
		 old_ns ? ")" : "", old_ns ? "still serve" : "must still serve",
		 old_tags ? old_tags : "?");
	cat_ns_ttl(fix, l);
	diag_cat(fix, ". Only while the old provider still serves the zone, "
		 "signed as before.\n");
	diag_cat(fix, "%d. Or publish the new provider's DS at the registrar "
		 "for %s, replacing DS %s:\n", first + 1, l->zone,
		 old_tags ? old_tags : "?");
	for (size_t i = 0; i < n_cand; i++)
		cat_ds_of(fix, l, cand[i]);
	diag_cat(fix, "   Caches may keep the old DS until %s (DS TTL %u "
		 "s).\n", diag_clock(c->now + l->ds_ttl, t), l->ds_ttl);
	diag_cat(fix, "Next time: a multi-signer transition (RFC 8901): both "
		 "providers publish each other's keys and the DS names both "
		 "before the NS changes, or the keys move with the zone.\n");
}

static void ds_no_matching_key(struct diag_ctx *c, const struct chain_link *l)
{
	struct finding *f = diag_add(c, FINDING_DS_NO_MATCHING_KEY, l->zone);
	const struct key_info *cand[8];
	size_t n_cand = ds_candidates(l, cand, 8);
	char *old = NULL, *new = NULL, *fix = NULL;
	char t1[32], t2[32];

	for (size_t i = 0; i < l->n_ds; i++)
		if (l->ds[i].match != DS_MATCH_UNSUPPORTED_DIGEST)
			diag_cat(&old, "%s%u", old ? ", " : "", l->ds[i].tag);
	for (size_t i = 0; i < n_cand; i++)
		diag_cat(&new, "%s%u", new ? ", " : "", cand[i]->tag);
	if (l->n_keys == 0)
		diag_summary(f, "%s publishes DS for %s (key %s) but %s serves "
			     "no DNSKEY: validating resolvers answer SERVFAIL",
			     parent_name(l), l->zone, old ? old : "?", l->zone);
	else
		diag_summary(f, "No DS at %s matches a key %s serves: DS for "
			     "key %s, served KSK %s. Validating resolvers "
			     "answer SERVFAIL", parent_name(l), l->zone,
			     old ? old : "?", new ? new : "none");
	ds_evidence(f, l);
	key_evidence(f, l);
	for (size_t i = 0; i < l->n_ds; i++)
		if (l->ds[i].match == DS_MATCH_REVOKED_KEY)
			diag_evidence(f, "DS %u points at a key with the "
				      "REVOKE bit set", l->ds[i].tag);

	if (l->parent == NULL) {
		diag_cat(&fix, "The trust anchor does not match the root keys "
			 "served. Update the anchor file (unbound-anchor, or "
			 "--trust-anchor) to the current root KSK.\n");
	} else if (n_cand > 0) {
		bool sets_differ = false;
		char *ns = ns_names(c->ev, l, parent_listed);

		for (size_t i = 0; i < c->ev->n_nameservers; i++)
			sets_differ |= c->ev->nameservers[i].in_parent !=
				       c->ev->nameservers[i].in_child;
		/* One snapshot cannot tell a KSK changed at the same signer
		 * from a move to a provider with other keys: say so, and
		 * give each reading its own repairs. */
		diag_cat(&fix, "Two readings; what was seen does not decide "
			 "between them (%s; no server answering for %s "
			 "serves key %s):\n", sets_differ ?
			 "the parent's and the zone's NS sets differ, as "
			 "during a provider move" :
			 "the parent's and the zone's NS sets agree", l->zone,
			 old ? old : "?");
		diag_cat(&fix, "A. The KSK was changed at the same signer. "
			 "Fastest safe repair, one of:\n");
		diag_cat(&fix, "1. Republish the old key %s (the one the DS "
			 "names) in the DNSKEY RRset and sign the DNSKEY RRset "
			 "with it, if you still have its private key. Caches "
			 "may keep the current DNSKEY RRset until %s (DNSKEY "
			 "TTL %u s).\n", old ? old : "?",
			 diag_clock(c->now + l->dnskey_ttl, t1), l->dnskey_ttl);
		diag_cat(&fix, "2. Publish the DS of the served KSK at the "
			 "registrar for %s, replacing DS %s:\n", l->zone,
			 old ? old : "?");
		for (size_t i = 0; i < n_cand; i++)
			cat_ds_of(&fix, l, cand[i]);
		diag_cat(&fix, "   Caches may keep the old DS until %s (DS TTL "
			 "%u s).\n", diag_clock(c->now + l->ds_ttl, t2),
			 l->ds_ttl);
		diag_cat(&fix, "3. Last resort, time-boxed: remove the DS at "
			 "the registrar (%s turns insecure once caches drop "
			 "the DS, after %s), then publish the correct DS "
			 "within a day.\n", l->zone, t2);
		diag_cat(&fix, "B. The zone moved to another DNS provider "
			 "(the NS now %s): the old private key is usually out "
			 "of reach, so:\n", ns ? ns : "?");
		cat_migration_fix(c, &fix, l, NULL, cand, n_cand, old, 4);
		free(ns);
	} else {
		diag_cat(&fix, "The zone serves no usable key: re-sign %s with "
			 "a KSK whose DS is %s, or remove the DS at the "
			 "registrar (time-boxed) until the zone is signed "
			 "again. Caches may keep the old DS until %s.\n",
			 l->zone, old ? old : "?",
			 diag_clock(c->now + l->ds_ttl, t2));
	}
	fix[strlen(fix) - 1] = '\0';
	diag_fix(f, fix);
	diag_cache(f, c->now + (l->ds_ttl > l->dnskey_ttl ? l->ds_ttl :
				l->dnskey_ttl));
	free(old);
	free(new);
}

/*
 * The delegated servers serve keys the DS does not name, while servers the
 * parent no longer delegates to still answer with the key it does: a move
 * to another DNS provider whose DS was not moved, not a KSK mistake.
 * Returns whether it found one (then the union of keys, which mixes the two
 * providers, is not judged further).
 */
static bool provider_move(struct diag_ctx *c, const struct chain_link *l)
{
	const struct evidence *ev = c->ev;
	const struct key_info *cand[8];
	size_t n_cand = 0, delegated = 0;
	char *old_ns, *new_ns, *old_tags = NULL, *fix = NULL, *new_tags = NULL;

	if (l != diag_zone_link(ev) || l->parent == NULL)
		return false;
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];

		if (!delegated_with_keys(l, ns))
			continue;
		if (ns_serves_ds_key(l, ns))
			return false;	/* a delegated server has the key */
		delegated++;
	}
	old_ns = ns_names(ev, l, old_provider);
	if (delegated == 0 || old_ns == NULL) {
		free(old_ns);
		return false;
	}
	new_ns = ns_names(ev, l, parent_listed);
	/* The DS candidates: the delegated servers' KSKs. */
	for (size_t k = 0; k < l->n_keys && n_cand < 8; k++) {
		bool served = false;

		for (size_t i = 0; i < ev->n_nameservers; i++)
			served |= delegated_with_keys(l, &ev->nameservers[i]) &&
				  ns_serves(&ev->nameservers[i], l->keys[k].tag);
		if (served && is_ksk(&l->keys[k]))
			cand[n_cand++] = &l->keys[k];
		if (served)
			diag_cat(&new_tags, "%s%u", new_tags ? ", " : "",
				 l->keys[k].tag);
	}
	for (size_t i = 0; i < l->n_ds; i++)
		if (l->ds[i].match == DS_MATCH_OK)
			diag_cat(&old_tags, "%s%u", old_tags ? ", " : "",
				 l->ds[i].tag);

	struct finding *f = diag_add(c, FINDING_DS_NO_MATCHING_KEY, l->zone);

	f->actor = ACTOR_REGISTRAR;
	diag_summary(f, "Provider move, DS not moved: %s delegates %s to %s, "
		     "which serve keys %s; the DS names key %s, which only the "
		     "previous servers %s serve. Validating resolvers answer "
		     "SERVFAIL", l->parent, l->zone, new_ns ? new_ns : "?",
		     new_tags ? new_tags : "none", old_tags ? old_tags : "?",
		     old_ns);
	ds_evidence(f, l);
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];
		char *who = diag_server_label(ns->name, ns->address), *tags = NULL;

		for (size_t j = 0; j < ns->n_dnskey_tags; j++)
			diag_cat(&tags, "%s%u", j ? ", " : "",
				 ns->dnskey_tags[j]);
		diag_evidence(f, "%s: %s, DNSKEY %s%s", who,
			      ns->in_parent ? "delegated to" :
			      ns->in_child ? "only in the zone's apex NS, not "
					     "delegated to" :
			      "not delegated to", tags ? tags : "none",
			      ns_serves_ds_key(l, ns) ? " (has the DS's key)" : "");
		free(tags);
		free(who);
	}
	diag_cat(&fix, "This is a provider move, not a key mistake: the "
		 "previous provider still signs with the key the DS names. "
		 "Fastest safe repair, one of:\n");
	cat_migration_fix(c, &fix, l, old_ns, cand, n_cand, old_tags, 1);
	fix[strlen(fix) - 1] = '\0';
	diag_fix(f, fix);
	diag_cache(f, c->now + (l->ds_ttl > l->ns_ttl ? l->ds_ttl : l->ns_ttl));
	free(old_ns);
	free(new_ns);
	free(old_tags);
	free(new_tags);
	return true;
}

static void ds_digest_mismatch(struct diag_ctx *c, const struct chain_link *l)
{
	struct finding *f = diag_add(c, FINDING_DS_DIGEST_MISMATCH, l->zone);
	char *fix = NULL;
	char t[32];

	ds_evidence(f, l);
	key_evidence(f, l);
	for (size_t i = 0; i < l->n_ds; i++) {
		const struct ds_info *ds = &l->ds[i];

		if (ds->match != DS_MATCH_DIGEST_MISMATCH)
			continue;
		diag_summary(f, "The DS for key %u at %s has a digest that does "
			     "not match the key %s serves: validating "
			     "resolvers answer SERVFAIL", ds->tag,
			     parent_name(l), l->zone);
		diag_evidence(f, "DS %u/%u/%u published digest %s", ds->tag,
			      ds->algorithm, ds->digest_type,
			      ds->digest_hex != NULL ? ds->digest_hex : "?");
		const struct key_info *k = NULL;

		if (ds->key_index >= 0 && (size_t)ds->key_index < l->n_keys)
			k = &l->keys[ds->key_index];
		else
			k = key_by_tag(l, ds->tag);
		if (k != NULL && k->ds_sha256 != NULL) {
			char *pub = evidence_ds_as_parent(k->ds_sha256,
							  l->ds_ttl);
			char *rr = diag_tidy_rr(pub);

			free(pub);

			diag_evidence(f, "recomputed from served key %u: %s",
				      k->tag, rr);
			free(rr);
		}
		if (fix == NULL)
			diag_cat(&fix, "Replace the DS at the registrar for %s "
				 "with the DS computed from the served key "
				 "(the digest was mistyped, or the key was "
				 "regenerated):\n", l->zone);
		if (k != NULL)
			cat_ds_of(&fix, l, k);
	}
	if (fix == NULL)
		return;
	diag_cat(&fix, "Caches may keep the old DS until %s (DS TTL %u s).",
		 diag_clock(c->now + l->ds_ttl, t), l->ds_ttl);
	diag_fix(f, fix);
	diag_cache(f, c->now + l->ds_ttl);
}

/* Signatures over the DNSKEY RRset by the keys the DS vouches for. */
static size_t dnskey_sigs(struct diag_ctx *c, const struct chain_link *l,
			  const uint16_t *tags, size_t n_tags)
{
	char *subject = xasprintf("%s DNSKEY", l->zone);
	struct sig_rule rule = {
		.subject = subject, .tags = tags, .n_tags = n_tags,
		.missing_id = FINDING_DNSKEY_NOT_SIGNED_BY_DS_KEY,
		.invalid_id = FINDING_RRSIG_INVALID, .ttl = l->dnskey_ttl,
	};
	size_t n = l->n_dnskey_views ? l->n_dnskey_views : 1;
	struct sig_obs *obs = xcalloc(n, sizeof(*obs));
	char **labels = xcalloc(n, sizeof(*labels));
	size_t k = 0;

	for (size_t i = 0; i < l->n_dnskey_views; i++) {
		const struct dnskey_view *v = &l->dnskey_views[i];

		if (!diag_answered(&v->reply) || v->n_tags == 0)
			continue;
		labels[k] = diag_server_label(v->server.ns_name,
					      v->server.address);
		obs[k] = (struct sig_obs){ labels[k], v->sigs, v->n_sigs,
					   v->n_tags };
		k++;
	}
	if (l->n_dnskey_views == 0 && l->n_keys > 0) {
		labels[k] = xasprintf("%s (merged view)", l->zone);
		obs[k] = (struct sig_obs){ labels[k], l->dnskey_sigs,
					   l->n_dnskey_sigs, l->n_keys };
		k++;
	}
	size_t failing = diag_sig_group(c, &rule, obs, k);
	struct finding *f = diag_find(c, FINDING_DNSKEY_NOT_SIGNED_BY_DS_KEY,
				      subject);
	if (f != NULL) {
		char *fix = NULL, *ds_keys = NULL;
		char t[32];
		bool ds_option = false;

		for (size_t i = 0; i < n_tags; i++)
			diag_cat(&ds_keys, "%s%u", i ? ", " : "", tags[i]);
		diag_summary(f, "The DS at %s names key %s, which %s serves, "
			     "but the DNSKEY RRset is not signed by it: "
			     "validating resolvers answer SERVFAIL",
			     parent_name(l), ds_keys, l->zone);
		diag_cat(&fix, "Sign the DNSKEY RRset with key %s (make it an "
			 "active KSK in the signer).", ds_keys);
		for (size_t i = 0; i < l->n_keys; i++) {
			if (!l->keys[i].signs_dnskey)
				continue;
			diag_cat(&fix, "\nOr, if key %u (%s) is meant to be the "
				 "KSK, publish its DS at the registrar:\n",
				 l->keys[i].tag, key_role(&l->keys[i]));
			cat_ds_of(&fix, l, &l->keys[i]);
			fix[strlen(fix) - 1] = '\0';
			ds_option = true;
		}
		diag_cat(&fix, "\nCaches may keep the current DNSKEY RRset "
			 "until %s (DNSKEY TTL %u s).",
			 diag_clock(c->now + l->dnskey_ttl, t), l->dnskey_ttl);
		/* A new DS is waited out by the DS TTL, not the DNSKEY's. */
		if (ds_option) {
			diag_cat(&fix, " With a new DS, caches may keep the old "
				 "DS until %s (DS TTL %u s).",
				 diag_clock(c->now + l->ds_ttl, t), l->ds_ttl);
			diag_cache(f, c->now + l->ds_ttl);
		}
		diag_fix(f, fix);
		free(ds_keys);
	}
	for (size_t i = 0; i < k; i++)
		free(labels[i]);
	free(labels);
	free(obs);
	free(subject);
	return failing;
}

/* Do all child servers that answered serve the same key tags? */
static bool views_agree(const struct chain_link *l)
{
	const struct dnskey_view *first = NULL;

	for (size_t i = 0; i < l->n_dnskey_views; i++) {
		const struct dnskey_view *v = &l->dnskey_views[i];

		if (!diag_answered(&v->reply) || v->n_tags == 0)
			continue;
		if (first == NULL) {
			first = v;
			continue;
		}
		if (v->n_tags != first->n_tags)
			return false;
		for (size_t j = 0; j < v->n_tags; j++) {
			bool found = false;

			for (size_t k = 0; k < first->n_tags; k++)
				found |= first->tags[k] == v->tags[j];
			if (!found)
				return false;
		}
	}
	return true;
}

/*
 * The fix of every fault in the parent's signature over the DS: the parent's
 * signer made it, so only the parent's operator can repair it; the child's
 * operator escalates and shields the resolvers they run meanwhile.
 */
static char *parent_ds_fix(const struct diag_ctx *c, const struct chain_link *l,
			   enum finding_id id)
{
	char *fix = NULL;
	char t[32];
	const char *what =
		id == FINDING_PARENT_DS_SIGNATURE_EXPIRED ?
		"its signer stopped re-signing (or a parent server stopped "
		"transferring its zone)" :
		id == FINDING_PARENT_DS_SIGNATURE_NOT_YET_VALID ?
		"its signer's clock is ahead" :
		id == FINDING_PARENT_DS_SIGNATURE_MISSING ?
		"its servers serve the DS without a signature" :
		"its signature over the DS does not verify with its keys";

	diag_cat(&fix, "Only the operator of %s (the registry) can repair "
		 "this: %s. The DS records themselves are right; nothing in "
		 "%s fixes it, so leave your own zone's keys and signatures "
		 "as they are.\n", l->parent, what, l->zone);
	diag_cat(&fix, "1. Escalate now, with this evidence: your "
		 "registrar's support (they reach the registry's technical "
		 "operations) and the technical contact of %s (for a TLD: "
		 "the IANA root zone database, "
		 "https://www.iana.org/domains/root/db).\n", l->parent);
	diag_cat(&fix, "2. Meanwhile, on the validating resolvers you run: a "
		 "negative trust anchor for %s (checklist step 4); ask the "
		 "large public resolvers' operators for one too.\n", l->zone);
	diag_cat(&fix, "Once %s serves a good signature, caches may keep "
		 "the bad one until %s (DS TTL %u s).", l->parent,
		 diag_clock(c->now + l->ds_ttl, t), l->ds_ttl);
	return fix;
}

/* The DS tags one parent server publishes, "2222, 4321", sorted. */
static char *view_tags(const struct ds_view *v)
{
	uint16_t tags[64];
	size_t n = 0;
	char *s = NULL;

	for (size_t j = 0; j < v->n_ds && n < 64; j++) {
		size_t k = n;

		while (k > 0 && tags[k - 1] > v->ds[j].tag) {
			tags[k] = tags[k - 1];
			k--;
		}
		tags[k] = v->ds[j].tag;
		n++;
	}
	for (size_t j = 0; j < n; j++)
		if (j == 0 || tags[j] != tags[j - 1])
			diag_cat(&s, "%s%u", s ? ", " : "", tags[j]);
	return s != NULL ? s : xstrdup("none");
}

/* Does a DS of this view match a served key? */
static bool view_matches(const struct chain_link *l, const struct ds_view *v)
{
	for (size_t j = 0; j < v->n_ds; j++)
		for (size_t i = 0; i < l->n_ds; i++)
			if (l->ds[i].match == DS_MATCH_OK &&
			    l->ds[i].tag == v->ds[j].tag &&
			    l->ds[i].digest_type == v->ds[j].digest_type)
				return true;
	return false;
}

/*
 * Parent servers that publish different DS RRsets: a DS change still
 * spreading to every parent server (minutes), or a stale parent server.
 * Critical when some server's DS matches no served key: users whose
 * resolver asks that server get SERVFAIL.
 */
static void ds_consistency(struct diag_ctx *c, const struct chain_link *l)
{
	char *first = NULL, *subject;
	bool differ = false, some_bad = false, some_good = false;

	for (size_t i = 0; i < l->n_ds_views; i++) {
		const struct ds_view *v = &l->ds_views[i];

		if (!diag_answered(&v->reply) || v->reply.rcode != RCODE_NOERROR)
			continue;
		char *tags = view_tags(v);

		if (first == NULL)
			first = tags;
		else {
			differ |= strcmp(first, tags) != 0;
			free(tags);
		}
		if (l->n_keys > 0) {
			if (view_matches(l, v))
				some_good = true;
			else
				some_bad = true;
		}
	}
	free(first);
	if (!differ)
		return;
	subject = xasprintf("%s DS", l->zone);
	struct finding *f = diag_add(c, FINDING_PARENT_DS_INCONSISTENT, subject);

	free(subject);
	ds_evidence(f, l);
	if (some_bad && some_good) {
		f->severity = SEV_CRITICAL;
		diag_summary(f, "The servers of %s publish different DS RRsets "
			     "for %s, and some name no key %s serves: bogus for "
			     "users whose resolver asks those", l->parent,
			     l->zone, l->zone);
	} else {
		diag_summary(f, "The servers of %s publish different DS RRsets "
			     "for %s", l->parent, l->zone);
	}
	diag_fix(f, xasprintf("A DS change at %s reaches all its servers within "
			      "minutes; if the difference lasts, one of its "
			      "servers has stopped transferring the zone, and "
			      "only the operator of %s (the registry) can fix "
			      "it: escalate through your registrar with this "
			      "evidence. Until then, keep your zone's keys as "
			      "they are: every DS any server publishes must "
			      "keep matching a served key.", l->parent,
			      l->parent));
	diag_cache(f, c->now + l->ds_ttl);
}

/* The parent's RRSIGs over the DS RRset, per parent server. */
static void ds_sigs(struct diag_ctx *c, const struct chain_link *l,
		    size_t parent_keys)
{
	static const enum finding_id ids[] = {
		FINDING_PARENT_DS_SIGNATURE_INVALID,
		FINDING_PARENT_DS_SIGNATURE_EXPIRED,
		FINDING_PARENT_DS_SIGNATURE_NOT_YET_VALID,
		FINDING_PARENT_DS_SIGNATURE_MISSING,
	};
	char *subject = xasprintf("%s DS", l->zone);
	struct sig_rule rule = {
		.subject = subject,
		.missing_id = FINDING_PARENT_DS_SIGNATURE_MISSING,
		.invalid_id = FINDING_PARENT_DS_SIGNATURE_INVALID,
		.parent_ds = true,
		.ttl = l->ds_ttl,
		.keys_unknown = parent_keys == 0,
	};
	struct sig_obs *obs = xcalloc(l->n_ds_views + 1, sizeof(*obs));
	char **labels = xcalloc(l->n_ds_views + 1, sizeof(*labels));
	size_t k = 0;

	for (size_t i = 0; i < l->n_ds_views; i++) {
		const struct ds_view *v = &l->ds_views[i];

		if (!diag_answered(&v->reply) || v->n_ds == 0)
			continue;
		labels[k] = diag_server_label(v->server.ns_name,
					      v->server.address);
		obs[k] = (struct sig_obs){ labels[k], v->sigs, v->n_sigs,
					   v->n_ds };
		k++;
	}
	diag_sig_group(c, &rule, obs, k);

	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		struct finding *f = diag_find(c, ids[i], subject);

		if (f != NULL)
			diag_fix(f, parent_ds_fix(c, l, ids[i]));
	}
	ds_consistency(c, l);
	for (size_t i = 0; i < k; i++)
		free(labels[i]);
	free(labels);
	free(obs);
	free(subject);
}

static bool insecure_delegation(struct diag_ctx *c, const struct chain_link *l,
				const char *why)
{
	bool answered = false;

	for (size_t i = 0; i < l->n_ds_views; i++) {
		const struct dns_reply *r = &l->ds_views[i].reply;

		if (diag_answered(r) && (r->rcode == RCODE_NOERROR ||
					 r->rcode == RCODE_NXDOMAIN))
			answered = true;
	}
	if (!answered && l->n_ds == 0 && l->status != SEC_INSECURE)
		return false;	/* not proven: maybe the parent is down */

	struct finding *f = diag_add(c, FINDING_INSECURE_DELEGATION, l->zone);
	char *fix = NULL;
	const struct key_info *cand[8];
	size_t n_cand = ds_candidates(l, cand, 8);
	char t[32];

	diag_summary(f, "%s is an insecure delegation (%s): validators do "
		     "not check its answers", l->zone, why);
	ds_evidence(f, l);
	if (l->n_keys > 0)
		key_evidence(f, l);
	if (n_cand > 0) {
		diag_cat(&fix, "%s is signed but not secured. To secure it, "
			 "publish its DS at the registrar:\n", l->zone);
		for (size_t i = 0; i < n_cand; i++)
			cat_ds_of(&fix, l, cand[i]);
		if (l->neg_ttl > 0) {
			diag_cat(&fix, "Resolvers that cached the absence of a "
				 "DS keep it until %s (negative TTL %u s).",
				 diag_clock(c->now + l->neg_ttl, t),
				 l->neg_ttl);
			diag_cache(f, c->now + l->neg_ttl);
		} else {
			diag_cat(&fix, "Resolvers that cached the absence of a "
				 "DS keep it for the parent's negative TTL "
				 "(not seen: its SOA minimum).");
		}
	} else {
		diag_cat(&fix, "Nothing is broken. To protect %s, sign it and "
			 "publish its DS at the registrar.", l->zone);
	}
	diag_fix(f, fix);
	return true;
}

/* Two KSKs or two DS, all working: a rollover is under way. */
static void rollover(struct diag_ctx *c, const struct chain_link *l)
{
	size_t ksk = 0, stale = 0;

	for (size_t i = 0; i < l->n_keys; i++)
		if (is_ksk(&l->keys[i]))
			ksk++;
	for (size_t i = 0; i < l->n_ds; i++)
		if (l->ds[i].match != DS_MATCH_OK)
			stale++;
	if (ksk < 2 && l->n_ds < 2)
		return;
	/* Two digests of one key are not a rollover. */
	bool two_tags = false;

	for (size_t i = 1; i < l->n_ds; i++)
		if (l->ds[i].tag != l->ds[0].tag)
			two_tags = true;
	if (ksk < 2 && !two_tags)
		return;
	/* Keys of an algorithm that does not sign everything: not a KSK
	 * rollover to wait out, but one to finish (algorithm-incomplete). */
	if (l == diag_zone_link(c->ev) && !diag_algorithms_complete(c))
		return;

	struct finding *f = diag_add(c, FINDING_ROLLOVER_IN_PROGRESS, l->zone);

	diag_summary(f, "%s: KSK rollover in progress (%zu KSKs served, %zu "
		     "DS published%s); the chain validates", l->zone, ksk,
		     l->n_ds, stale ? ", some for keys not served" : "");
	ds_evidence(f, l);
	key_evidence(f, l);
	for (size_t i = 0; i < l->n_ds; i++)
		diag_evidence(f, "DS %u: %s", l->ds[i].tag,
			      ds_match_name(l->ds[i].match));
	diag_fix(f, xasprintf("Nothing to do now. Remove the old DS or key only "
			      "after the DS TTL (%u s) and DNSKEY TTL (%u s) have "
			      "passed since the new one appeared everywhere.",
			      l->ds_ttl, l->dnskey_ttl));
}

/* One link: returns false when the links below it cannot be secure. */
static bool link_rules(struct diag_ctx *c, const struct chain_link *l,
		       size_t parent_keys)
{
	size_t ok = 0, mismatch = 0, supported = 0;
	uint16_t tags[16];
	size_t n_tags = 0;

	if (l->n_ds == 0) {
		if (l->parent == NULL)
			return true;	/* no anchor: nothing to judge */
		return !insecure_delegation(c, l, "the parent publishes no DS");
	}
	for (size_t i = 0; i < l->n_ds; i++) {
		const struct ds_info *ds = &l->ds[i];

		if (ds->match != DS_MATCH_UNSUPPORTED_DIGEST)
			supported++;
		if (ds->match == DS_MATCH_DIGEST_MISMATCH)
			mismatch++;
		if (ds->match != DS_MATCH_OK || n_tags == 16)
			continue;
		uint16_t tag = ds->tag;

		if (ds->key_index >= 0 && (size_t)ds->key_index < l->n_keys)
			tag = l->keys[ds->key_index].tag;
		tags[n_tags++] = tag;
		ok++;
	}
	if (supported == 0)
		return !insecure_delegation(c, l, "every DS uses a digest type "
					    "validators do not support");
	if (l->parent != NULL)
		ds_sigs(c, l, parent_keys);
	if (provider_move(c, l))
		return true;
	if (ok == 0) {
		if (chain_link_keys_unseen(l) != NULL)
			return true;	/* not seen: the ns rules say why */
		if (mismatch > 0)
			ds_digest_mismatch(c, l);
		else
			ds_no_matching_key(c, l);
		return true;
	}
	if (dnskey_sigs(c, l, tags, n_tags) == 0 && views_agree(l))
		rollover(c, l);
	return true;
}

void diag_chain_rules(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;

	for (size_t i = 0; i < ev->n_chain; i++) {
		/* Below an insecure delegation nothing is signed for
		 * validators, so there is nothing more to judge. */
		if (!link_rules(c, &ev->chain[i],
				i > 0 ? ev->chain[i - 1].n_keys : 0))
			break;
	}
}
