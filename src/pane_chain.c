/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pane_chain.c - the chain of trust as a tree: root -> TLD -> ... -> zone.
 *
 * At each zone cut: the DS records the parent publishes and what each one
 * points at, the DNSKEYs the child serves (tag, algorithm, KSK/ZSK, which
 * sign the DNSKEY RRset), and the RRSIG windows over the DNSKEY RRset. The
 * link that breaks the chain is drawn with ROLE_BROKEN and says why in
 * words, so it stands out on a monochrome terminal as well. Pure: no curses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pane.h"
#include "xmalloc.h"

static enum role status_role(enum security s)
{
	switch (s) {
	case SEC_SECURE: return ROLE_SECURE;
	case SEC_INSECURE: return ROLE_INSECURE;
	case SEC_BOGUS: return ROLE_BROKEN;
	case SEC_UNKNOWN: break;
	}
	return ROLE_UNKNOWN;
}

static const char *ds_match_text(enum ds_match m)
{
	switch (m) {
	case DS_MATCH_OK: return "matches";
	case DS_MATCH_NO_KEY: return "NO SUCH KEY";
	case DS_MATCH_DIGEST_MISMATCH: return "DIGEST MISMATCH";
	case DS_MATCH_UNSUPPORTED_DIGEST: return "digest type unsupported";
	case DS_MATCH_REVOKED_KEY: return "KEY IS REVOKED";
	}
	return "?";
}

static bool ds_points_at(const struct chain_link *l, size_t key)
{
	for (size_t i = 0; i < l->n_ds; i++)
		if (l->ds[i].match == DS_MATCH_OK && l->ds[i].key_index == (int)key)
			return true;
	return false;
}

static bool any_ds_ok(const struct chain_link *l)
{
	for (size_t i = 0; i < l->n_ds; i++)
		if (l->ds[i].match == DS_MATCH_OK)
			return true;
	return false;
}

static const char *alg(uint8_t a, char *buf, size_t len)
{
	const char *n = algorithm_name(a);

	if (n != NULL)
		return n;
	snprintf(buf, len, "alg%u", a);
	return buf;
}

/* The tree's indent and branch for line @p last of depth @p depth. */
static void branch(struct ui_doc *d, struct ui_line *l, size_t depth, bool last)
{
	for (size_t i = 0; i < depth; i++)
		ui_put(d, l, ROLE_DIM, " ");
	ui_put(d, l, ROLE_DIM, ui_sym(d->utf8, last ? SYM_ELBOW : SYM_TEE));
}

static void build_link(const struct pane_ctx *c, struct ui_doc *d,
		       const struct chain_link *lk, size_t depth)
{
	bool changed_ds, changed_keys;
	size_t n_items, item = 0;
	struct ui_line *l;
	char *key;

	key = xasprintf("ds:%s", lk->zone);
	changed_ds = c->events && events_recent(c->events, key, c->now, PANE_CHANGED_SECS);
	free(key);
	key = xasprintf("dnskey:%s", lk->zone);
	changed_keys = c->events && events_recent(c->events, key, c->now, PANE_CHANGED_SECS);
	free(key);

	key = xasprintf("link:%s", lk->zone);
	l = ui_doc_add(d, key);
	for (size_t i = 0; i < depth; i++)
		ui_put(d, l, ROLE_DIM, " ");
	ui_put(d, l, ROLE_HEADER, lk->zone);
	ui_put(d, l, ROLE_NORMAL, " ");
	ui_putf(d, l, c->events && events_recent(c->events, key, c->now, PANE_CHANGED_SECS) ?
		ROLE_CHANGED : status_role(lk->status), "%s %s",
		ui_sym(d->utf8, lk->status == SEC_SECURE ? SYM_OK :
		       lk->status == SEC_BOGUS ? SYM_BAD : SYM_DOT),
		lk->status == SEC_BOGUS ? "BOGUS" : security_name(lk->status));
	free(key);
	if (lk->anchored)
		ui_putf(d, l, ROLE_DIM, "  anchor: %s",
			c->ev->anchor_source ? c->ev->anchor_source : "?");

	const char *unseen = chain_link_keys_unseen(lk);

	n_items = lk->n_ds + lk->n_keys + lk->n_dnskey_sigs +
		  (lk->parent != NULL && lk->n_ds == 0) + (unseen != NULL);
	if (lk->parent != NULL && lk->n_ds == 0) {
		l = ui_doc_add(d, NULL);
		branch(d, l, depth, ++item == n_items);
		ui_put(d, l, lk->status == SEC_BOGUS ? ROLE_BROKEN : ROLE_INSECURE,
		       "no DS at the parent: unsigned delegation");
	}
	for (size_t i = 0; i < lk->n_ds; i++) {
		const struct ds_info *ds = &lk->ds[i];
		const char *dt = digest_type_name(ds->digest_type);

		key = xasprintf("ds:%s:%zu", lk->zone, i);
		l = ui_doc_add(d, key);
		free(key);
		branch(d, l, depth, ++item == n_items);
		ui_putf(d, l, changed_ds ? ROLE_CHANGED : ROLE_NORMAL,
			"DS %u/%u %s", ds->tag, ds->algorithm, dt ? dt : "digest?");
		ui_putf(d, l, ROLE_DIM, " %s ", ui_sym(d->utf8, SYM_ARROW));
		if (ds->match == DS_MATCH_OK && ds->key_index >= 0 &&
		    (size_t)ds->key_index < lk->n_keys)
			ui_putf(d, l, ROLE_SECURE, "%s key %u", ui_sym(d->utf8, SYM_OK),
				lk->keys[ds->key_index].tag);
		else if (unseen != NULL)	/* could not see: not a mismatch */
			ui_putf(d, l, ROLE_UNKNOWN, "? keys not fetched");
		else
			ui_putf(d, l, ds->match == DS_MATCH_UNSUPPORTED_DIGEST ?
				ROLE_UNKNOWN : ROLE_BROKEN, "%s %s",
				ui_sym(d->utf8, SYM_BAD), ds_match_text(ds->match));
	}
	for (size_t i = 0; i < lk->n_keys; i++) {
		const struct key_info *k = &lk->keys[i];
		bool ksk = (k->flags & 1) != 0, revoked = (k->flags & 128) != 0;

		key = xasprintf("key:%s:%u:%u", lk->zone, k->tag, k->algorithm);
		l = ui_doc_add(d, key);
		free(key);
		branch(d, l, depth, ++item == n_items);
		ui_putf(d, l, changed_keys ? ROLE_CHANGED : ROLE_NORMAL, "%s %u/%u",
			ksk ? "KSK" : "ZSK", k->tag, k->algorithm);
		if (revoked)
			ui_put(d, l, ROLE_WARNING, " REVOKED");
		if (k->signs_dnskey)
			ui_put(d, l, ROLE_NORMAL, " signs DNSKEY");
		if (k->signs_zone)
			ui_put(d, l, ROLE_NORMAL, " signs zone");
		if (lk->parent != NULL && lk->n_ds > 0) {
			if (ds_points_at(lk, i))
				ui_putf(d, l, ROLE_SECURE, " %s DS", ui_sym(d->utf8, SYM_OK));
			else if (ksk && !any_ds_ok(lk)) {
				ui_put(d, l, ROLE_NORMAL, " ");
				ui_put(d, l, ROLE_BROKEN, "NO DS");
			}
			else if (ksk)
				ui_put(d, l, ROLE_DIM, " (no DS)");
		}
	}
	if (unseen != NULL) {
		l = ui_doc_add(d, NULL);
		branch(d, l, depth, ++item == n_items);
		ui_putf(d, l, ROLE_UNKNOWN, "DNSKEY ? could not be fetched: %s",
			unseen);
	}
	for (size_t i = 0; i < lk->n_dnskey_sigs; i++) {
		const struct rrsig_info *s = &lk->dnskey_sigs[i];
		char left[24];

		l = ui_doc_add(d, NULL);
		branch(d, l, depth, ++item == n_items);
		ui_putf(d, l, ROLE_DIM, "RRSIG by %u ", s->key_tag);
		if (s->check == SIG_VALID)
			ui_putf(d, l, s->expiration - c->now < 3 * 86400 ? ROLE_WARNING :
				ROLE_SECURE, "%s %s left", ui_sym(d->utf8, SYM_OK),
				pane_duration(s->expiration - c->now, left, sizeof(left)));
		else
			ui_putf(d, l, pane_sig_role(s->check), "%s %s",
				ui_sym(d->utf8, SYM_BAD), pane_sig_name(s->check));
	}
}

/*
 * A secure link above the zone folds to one line: the eye goes to where
 * the chain breaks, and the detail view still has everything.
 */
static void build_folded(const struct pane_ctx *c, struct ui_doc *d,
			 const struct chain_link *lk, size_t depth)
{
	char *key = xasprintf("link:%s", lk->zone), left[24];
	struct ui_line *l = ui_doc_add(d, key);
	bool changed = c->events && events_recent(c->events, key, c->now,
						  PANE_CHANGED_SECS);
	int64_t exp = 0;

	free(key);
	for (size_t i = 0; i < depth; i++)
		ui_put(d, l, ROLE_DIM, " ");
	ui_put(d, l, ROLE_HEADER, lk->zone);
	ui_putf(d, l, changed ? ROLE_CHANGED : ROLE_SECURE, " %s secure",
		ui_sym(d->utf8, SYM_OK));
	for (size_t i = 0; i < lk->n_ds; i++)
		if (lk->ds[i].match == DS_MATCH_OK && lk->ds[i].key_index >= 0) {
			ui_putf(d, l, ROLE_DIM, "  DS %s key %u", ui_sym(d->utf8, SYM_ARROW),
				lk->ds[i].tag);
			break;
		}
	ui_putf(d, l, ROLE_DIM, ", %zu keys", lk->n_keys);
	for (size_t i = 0; i < lk->n_dnskey_sigs; i++)
		if (lk->dnskey_sigs[i].check == SIG_VALID &&
		    (exp == 0 || lk->dnskey_sigs[i].expiration < exp))
			exp = lk->dnskey_sigs[i].expiration;
	if (exp != 0)
		ui_putf(d, l, exp - c->now < 3 * 86400 ? ROLE_WARNING : ROLE_DIM,
			", sig %s left", pane_duration(exp - c->now, left, sizeof(left)));
}

static bool link_clean(const struct chain_link *lk, int64_t now)
{
	if (lk->status != SEC_SECURE)
		return false;
	for (size_t i = 0; i < lk->n_ds; i++)
		if (lk->ds[i].match != DS_MATCH_OK &&
		    lk->ds[i].match != DS_MATCH_UNSUPPORTED_DIGEST)
			return false;
	for (size_t i = 0; i < lk->n_dnskey_sigs; i++)
		if (lk->dnskey_sigs[i].check != SIG_VALID ||
		    lk->dnskey_sigs[i].expiration - now < 3 * 86400)
			return false;
	return true;
}

/* Is @p zone a link of the zone's own chain (drawn already)? */
static bool in_own_chain(const struct evidence *ev, const char *zone)
{
	for (size_t i = 0; i < ev->n_chain; i++)
		if (strcmp(ev->chain[i].zone, zone) == 0)
			return true;
	return false;
}

/*
 * Each alias into another zone: "alias www A -> www.cdn.test.", then the
 * links of the target's chain that the zone's own chain does not share
 * (the target's zone, and its parents up to the shared ancestor).
 */
static void build_aliases(const struct pane_ctx *c, struct ui_doc *d)
{
	char tb[16];

	for (size_t i = 0; i < c->ev->n_aliases; i++) {
		const struct alias_ev *a = &c->ev->aliases[i];
		const struct evidence *t = a->target_ev;
		struct ui_line *l = ui_doc_add(d, NULL);

		ui_putf(d, l, ROLE_DIM, "alias %s %s %s ", a->owner,
			rrtype_name(a->qtype, tb), ui_sym(d->utf8, SYM_ARROW));
		ui_put(d, l, ROLE_HEADER, a->target);
		if (a->loop)
			ui_put(d, l, ROLE_BROKEN, " LOOP");
		else if (t == NULL)
			ui_put(d, l, ROLE_DIM, " (not walked)");
		else
			ui_putf(d, l, ROLE_DIM, " (zone %s)", t->zone);
		for (size_t k = 0; t != NULL && k < t->n_chain; k++) {
			const struct chain_link *lk = &t->chain[k];

			if (in_own_chain(c->ev, lk->zone))
				continue;
			if (k + 1 < t->n_chain && link_clean(lk, c->now))
				build_folded(c, d, lk, k);
			else
				build_link(c, d, lk, k);
		}
	}
}

static void build(const struct pane_ctx *c, struct ui_doc *d)
{
	if (c->ev == NULL) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "waiting for the first refresh...");
		return;
	}
	if (c->ev->n_chain == 0) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_UNKNOWN,
		       "no chain of trust could be followed (see findings)");
		return;
	}
	/* What a broken vantage saw is our network's doing, not the chain's:
	 * a "BOGUS" root here would send the room the wrong way. */
	if (c->diag != NULL && c->diag->verdict == VERDICT_VANTAGE) {
		ui_putf(d, ui_doc_add(d, NULL), ROLE_UNKNOWN,
			"not judged: %s (see findings)",
			diag_vantage_words(c->diag));
		return;
	}
	for (size_t i = 0; i < c->ev->n_chain; i++) {
		const struct chain_link *lk = &c->ev->chain[i];

		if (i + 1 < c->ev->n_chain && link_clean(lk, c->now))
			build_folded(c, d, lk, i);
		else
			build_link(c, d, lk, i);
	}
	build_aliases(c, d);
}

/* The link a line key is about: "<kind>:<zone>" or "<kind>:<zone>:...". */
static const struct chain_link *link_of(const struct evidence *ev, const char *key)
{
	const char *z = strchr(key, ':');

	if (z == NULL)
		return NULL;
	z++;
	for (size_t i = ev->n_chain; i-- > 0;) {
		size_t len = strlen(ev->chain[i].zone);

		if (strncmp(z, ev->chain[i].zone, len) == 0 &&
		    (z[len] == '\0' || z[len] == ':'))
			return &ev->chain[i];
	}
	/* A link of an alias target's chain (drawn below the zone's). */
	for (size_t a = 0; a < ev->n_aliases; a++) {
		const struct evidence *t = ev->aliases[a].target_ev;

		for (size_t i = 0; t != NULL && i < t->n_chain; i++) {
			size_t len = strlen(t->chain[i].zone);

			if (strncmp(z, t->chain[i].zone, len) == 0 &&
			    (z[len] == '\0' || z[len] == ':'))
				return &t->chain[i];
		}
	}
	return NULL;
}

/* One server's reply in the detail view, and the line its tags go on. */
static struct ui_line *server_view_head(struct ui_doc *d, const struct server_ref *srv,
					const struct dns_reply *reply,
					const char *tags_label)
{
	char *label = xasprintf("%s %s", srv->ns_name ? srv->ns_name : "",
				srv->address ? srv->address : "?");
	struct ui_line *l;

	pane_detail_reply(d, label, reply);
	free(label);
	l = ui_doc_add(d, NULL);
	ui_put(d, l, ROLE_DIM, tags_label);
	return l;
}

static void detail(const struct pane_ctx *c, const char *key, struct ui_doc *d)
{
	const struct chain_link *lk;
	char buf[32];

	if (c->ev == NULL || key == NULL || (lk = link_of(c->ev, key)) == NULL) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "nothing selected");
		return;
	}
	pane_detail_heading(d, "Zone cut %s (parent %s): %s", lk->zone,
			    lk->parent ? lk->parent : "none, trust anchor",
			    security_name(lk->status));
	snprintf(buf, sizeof(buf), "%u s", lk->ds_ttl);
	pane_detail_field(d, "DS TTL", ROLE_NORMAL, buf);
	const char *unseen = chain_link_keys_unseen(lk);

	snprintf(buf, sizeof(buf), "%u s", lk->dnskey_ttl);
	if (unseen != NULL)
		pane_detail_field(d, "DNSKEY TTL", ROLE_UNKNOWN,
				  "not seen: the DNSKEY RRset could not be fetched");
	else
		pane_detail_field(d, "DNSKEY TTL", ROLE_NORMAL, buf);
	pane_detail_heading(d, lk->parent ? "DS at the parent" : "Trust anchor");
	for (size_t i = 0; i < lk->n_ds; i++) {
		char *k = xasprintf("ds:%s:%zu", lk->zone, i);	/* c copies it */
		struct ui_line *l = ui_doc_add(d, k);

		free(k);
		ui_put(d, l, ROLE_NORMAL, "  ");
		ui_put(d, l, ROLE_NORMAL, lk->ds[i].rr_text);
		l = ui_doc_add(d, NULL);
		if (unseen != NULL && lk->ds[i].match != DS_MATCH_OK) {
			ui_putf(d, l, ROLE_UNKNOWN, "    not checked: %s", unseen);
			continue;
		}
		ui_put(d, l, lk->ds[i].match == DS_MATCH_OK ? ROLE_SECURE : ROLE_BROKEN,
		       "    ");
		ui_put(d, l, lk->ds[i].match == DS_MATCH_OK ? ROLE_SECURE : ROLE_BROKEN,
		       ds_match_text(lk->ds[i].match));
	}
	pane_detail_heading(d, "DNSKEYs the child serves");
	if (unseen != NULL)
		pane_detail_text(d, ROLE_UNKNOWN, "could not be fetched: the keys are "
				 "unknown, not missing");
	for (size_t i = 0; i < lk->n_keys; i++) {
		const struct key_info *k = &lk->keys[i];
		struct ui_line *l = ui_doc_add(d, NULL);

		char ab[16];

		ui_putf(d, l, ROLE_HEADER, "  %s %u flags %u %s %u bits, served by %u of %zu addresses",
			(k->flags & 1) ? "KSK" : "ZSK", k->tag, k->flags,
			alg(k->algorithm, ab, sizeof(ab)), k->bits, k->served_by,
			lk->n_dnskey_views);
		ui_put(d, ui_doc_add(d, NULL), ROLE_NORMAL, k->rr_text);
		if (k->ds_sha256 != NULL) {
			char *kk = xasprintf("key:%s:%u:%u", lk->zone, k->tag, k->algorithm);

			ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "  DS for this key (SHA-256):");
			ui_put(d, ui_doc_add(d, kk), ROLE_NORMAL, k->ds_sha256);	/* c copies it */
			free(kk);
		}
		if (k->ds_sha384 != NULL) {
			ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "  DS for this key (SHA-384):");
			ui_put(d, ui_doc_add(d, NULL), ROLE_NORMAL, k->ds_sha384);
		}
	}
	pane_detail_heading(d, "RRSIGs over the DNSKEY RRset");
	pane_detail_sigs(d, lk->dnskey_sigs, lk->n_dnskey_sigs, c->now);
	pane_detail_heading(d, "DS as each parent server publishes it");
	for (size_t i = 0; i < lk->n_ds_views; i++) {
		const struct ds_view *v = &lk->ds_views[i];
		struct ui_line *l = server_view_head(d, &v->server, &v->reply,
						     "    DS tags:");

		for (size_t j = 0; j < v->n_ds; j++)
			ui_putf(d, l, ROLE_NORMAL, " %u", v->ds[j].tag);
		pane_detail_sigs(d, v->sigs, v->n_sigs, c->now);
	}
	pane_detail_heading(d, "DNSKEY as each child server serves it");
	for (size_t i = 0; i < lk->n_dnskey_views; i++) {
		const struct dnskey_view *v = &lk->dnskey_views[i];
		struct ui_line *l = server_view_head(d, &v->server, &v->reply,
						     "    key tags:");

		for (size_t j = 0; j < v->n_tags; j++)
			ui_putf(d, l, ROLE_NORMAL, " %u", v->tags[j]);
		pane_detail_sigs(d, v->sigs, v->n_sigs, c->now);
	}
}

/*
 * A DS line copies the record the parent publishes; a key line copies the
 * DS record to publish for that key (SHA-256), as the detail shows them.
 */
static char *copy(const struct pane_ctx *c, const char *key, char **label)
{
	const struct chain_link *lk;
	const char *rest;
	unsigned tag, alg;
	size_t i;

	if (c->ev == NULL || key == NULL || (lk = link_of(c->ev, key)) == NULL)
		return NULL;
	rest = strchr(key, ':') + 1 + strlen(lk->zone);
	if (strncmp(key, "ds:", 3) == 0 && sscanf(rest, ":%zu", &i) == 1 &&
	    i < lk->n_ds && lk->ds[i].rr_text != NULL) {
		*label = xasprintf("the DS %u published at the parent", lk->ds[i].tag);
		return xstrdup(lk->ds[i].rr_text);
	}
	if (strncmp(key, "key:", 4) != 0 || sscanf(rest, ":%u:%u", &tag, &alg) != 2)
		return NULL;
	for (i = 0; i < lk->n_keys; i++)
		if (lk->keys[i].tag == tag && lk->keys[i].algorithm == alg &&
		    lk->keys[i].ds_sha256 != NULL) {
			*label = xasprintf("the DS record for key %u", tag);
			return xstrdup(lk->keys[i].ds_sha256);
		}
	return NULL;
}

const struct pane_ops pane_chain_ops = { "Chain of trust", build, detail, copy };
