/*
 * diag_cds.c - rules on the CDS and CDNSKEY records the zone publishes
 * for its parent (RFC 7344, RFC 8078, RFC 9615), as every authoritative
 * server serves them.
 *
 * A parent (or registrar) that scans CDS applies whatever one server
 * shows. So the question is per server: if the parent applied these now,
 * would the zone validate? It does when some record points at a key the
 * zone serves and that key signs the DNSKEY RRset. Servers that disagree,
 * delete records and CDS that wait for the parent are said too.
 *
 * Pure: reads the evidence, adds findings, no I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag_rules.h"
#include "xmalloc.h"

static bool is_delete(const struct ds_info *d)
{
	return d->algorithm == 0;
}

static const struct key_info *zone_key(const struct chain_link *l,
				       const struct ds_info *d)
{
	for (size_t i = 0; i < l->n_keys; i++)
		if (l->keys[i].tag == d->tag &&
		    l->keys[i].algorithm == d->algorithm)
			return &l->keys[i];
	return NULL;
}

/* Would this record, as a DS at the parent, vouch for a working key? */
static bool vouches(const struct chain_link *l, const struct ds_info *d)
{
	const struct key_info *k;

	if (is_delete(d) || d->match != DS_MATCH_OK)
		return false;
	k = zone_key(l, d);
	return k != NULL && k->signs_dnskey && !(k->flags & 128);
}

/* "CDS 12345/13/2, CDNSKEY 12345/13" of one server, sorted by the probe's
 * order (the server's); for comparing servers and for evidence. */
static char *set_text(const struct ns_ev *ns)
{
	char *s = NULL;

	for (size_t i = 0; i < ns->n_cds; i++)
		diag_cat(&s, "%sCDS %u/%u/%u", s ? ", " : "", ns->cds[i].tag,
			 ns->cds[i].algorithm, ns->cds[i].digest_type);
	for (size_t i = 0; i < ns->n_cdnskey; i++)
		diag_cat(&s, "%sCDNSKEY %u/%u", s ? ", " : "",
			 ns->cdnskey[i].tag, ns->cdnskey[i].algorithm);
	return s != NULL ? s : xstrdup("none");
}

/* Does the current DS RRset at the parent say the same as @p ns's CDS? */
static bool same_as_ds(const struct chain_link *l, const struct ns_ev *ns)
{
	if (ns->n_cds == 0)
		return true;
	if (ns->n_cds != l->n_ds)
		return false;
	for (size_t i = 0; i < ns->n_cds; i++) {
		bool found = false;

		for (size_t j = 0; j < l->n_ds; j++)
			found |= l->ds[j].tag == ns->cds[i].tag &&
				 l->ds[j].algorithm == ns->cds[i].algorithm &&
				 l->ds[j].digest_type == ns->cds[i].digest_type &&
				 l->ds[j].digest_hex && ns->cds[i].digest_hex &&
				 strcmp(l->ds[j].digest_hex,
					ns->cds[i].digest_hex) == 0;
		if (!found)
			return false;
	}
	return true;
}

void diag_cds_rules(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;
	const struct chain_link *l = diag_zone_link(ev);
	char *first = NULL;
	bool differ = false;
	struct finding *f;

	if (l == NULL || l->n_keys == 0)
		return;
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];
		bool any = ns->n_cds + ns->n_cdnskey > 0;
		bool del = false, good = false;
		char *who, *set;

		if (!ns->cds_answered)
			continue;
		set = set_text(ns);
		if (first == NULL)
			first = xstrdup(set);
		else
			differ |= strcmp(first, set) != 0;
		if (!any) {
			free(set);
			continue;
		}
		who = diag_server_label(ns->name, ns->address);
		for (size_t k = 0; k < ns->n_cds; k++) {
			del |= is_delete(&ns->cds[k]);
			good |= vouches(l, &ns->cds[k]);
		}
		for (size_t k = 0; k < ns->n_cdnskey; k++) {
			del |= is_delete(&ns->cdnskey[k]);
			good |= vouches(l, &ns->cdnskey[k]);
		}
		if (del) {
			f = diag_add(c, FINDING_CDS_DELETE, ev->zone);
			diag_summary(f, "%s publishes CDS/CDNSKEY delete records "
				     "(RFC 8078): a parent that scans them will "
				     "remove the DS and the zone turns insecure",
				     ev->zone);
			diag_evidence(f, "%s: %s", who, set);
			diag_fix(f, xasprintf("If turning DNSSEC off for %s is "
					      "not intended, remove the CDS and "
					      "CDNSKEY delete records now, before "
					      "the parent's next scan.",
					      ev->zone));
		} else if (!good) {
			f = diag_add(c, FINDING_CDS_WOULD_BREAK, ev->zone);
			diag_summary(f, "The CDS/CDNSKEY of %s name no key that "
				     "signs its DNSKEY RRset: if the parent "
				     "applies them, validating resolvers answer "
				     "SERVFAIL", ev->zone);
			diag_evidence(f, "%s: %s", who, set);
			for (size_t k = 0; k < ns->n_cds; k++) {
				const struct key_info *key = zone_key(l, &ns->cds[k]);

				diag_evidence(f, "%s: CDS %u: %s", who,
					      ns->cds[k].tag, key == NULL ?
					      "no served key has this tag" :
					      ns->cds[k].match != DS_MATCH_OK ?
					      "digest differs from the key's" :
					      "its key does not sign the DNSKEY "
					      "RRset");
			}
			char *fix = NULL;

			diag_cat(&fix, "Before the parent's next CDS scan: make "
				 "the signer publish CDS/CDNSKEY for the KSK that "
				 "signs the DNSKEY RRset, or remove them. The "
				 "right CDS:");
			for (size_t k = 0; k < l->n_keys; k++) {
				if (!l->keys[k].signs_dnskey ||
				    l->keys[k].ds_sha256 == NULL)
					continue;
				char *rr = diag_tidy_rr(l->keys[k].ds_sha256);
				char *sp = strstr(rr, " DS ");

				if (sp != NULL) {
					/* The same rdata, as a CDS. */
					*sp = '\0';
					diag_cat(&fix, "\n    %s CDS %s", rr,
						 sp + 4);
				} else {
					diag_cat(&fix, "\n    %s", rr);
				}
				free(rr);
			}
			diag_cat(&fix, "\nIf the parent applied them already, "
				 "publish the DS of the signing KSK at the "
				 "registrar (ds-no-matching-key gives it).");
			diag_fix(f, fix);
			diag_cache(f, c->now + l->ds_ttl);
		} else if (!same_as_ds(l, ns)) {
			f = diag_add(c, FINDING_CDS_PENDING, ev->zone);
			diag_summary(f, "%s asks its parent for a DS change (CDS "
				     "differs from the DS published); applied, "
				     "the zone would still validate", ev->zone);
			diag_evidence(f, "%s: %s", who, set);
			for (size_t k = 0; k < l->n_ds; k++)
				diag_evidence(f, "parent %s: DS %u/%u/%u",
					      l->parent ? l->parent : "?",
					      l->ds[k].tag, l->ds[k].algorithm,
					      l->ds[k].digest_type);
			diag_fix(f, xstrdup("Nothing to do if a rollover is "
					    "under way: the parent (or the "
					    "registrar's CDS scan) applies it; "
					    "otherwise submit the DS at the "
					    "registrar."));
		}
		free(who);
		free(set);
	}
	if (differ) {
		f = diag_add(c, FINDING_CDS_INCONSISTENT, ev->zone);
		diag_summary(f, "The servers of %s publish different CDS/CDNSKEY "
			     "sets: a parent scanning them sees whichever it "
			     "asks", ev->zone);
		for (size_t i = 0; i < ev->n_nameservers; i++) {
			const struct ns_ev *ns = &ev->nameservers[i];
			char *who, *set;

			if (!ns->cds_answered)
				continue;
			who = diag_server_label(ns->name, ns->address);
			set = set_text(ns);
			diag_evidence(f, "%s: %s", who, set);
			free(set);
			free(who);
		}
		diag_fix(f, xstrdup("Serve one zone version on every server "
				    "(check the SOA serials and zone transfers) "
				    "before the parent's next CDS scan."));
	}
	free(first);
}
