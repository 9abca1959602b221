/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag_algo.c - rules on DNSSEC algorithms and DS digest types (RFC 8624,
 * RFC 4035 section 2.2, RFC 6840 section 5.11) for the zone itself:
 *
 *  - an algorithm in the DS or DNSKEY RRset that does not sign every RRset
 *    (an algorithm rollover left half-way): validators that accept any one
 *    algorithm still validate, stricter ones do not; a warning, with the
 *    safe order to finish or undo it, and never "rollover, nothing to do";
 *  - algorithms validators do not implement (the zone is insecure to them,
 *    not bogus) and deprecated ones (RSASHA1, SHA-1 DS) that some validators'
 *    crypto policies already treat as insecure.
 *
 * Pure: reads the evidence, adds findings, no I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag_rules.h"
#include "xmalloc.h"

/* Signing with these is NOT RECOMMENDED or worse (RFC 8624 section 3.1). */
static bool alg_deprecated(uint8_t alg)
{
	return alg == 5 || alg == 7 || alg == 10;
}

static const char *alg_label(uint8_t alg, char buf[32])
{
	const char *n = algorithm_name(alg);

	if (n != NULL)
		snprintf(buf, 32, "%u (%s)", alg, n);
	else
		snprintf(buf, 32, "%u", alg);
	return buf;
}

/* The algorithms of the zone's DS and (non-revoked) DNSKEY RRsets. */
struct algs {
	uint8_t alg[16];
	bool in_ds[16], in_key[16];
	size_t n;
};

static size_t alg_slot(struct algs *a, uint8_t alg)
{
	for (size_t i = 0; i < a->n; i++)
		if (a->alg[i] == alg)
			return i;
	if (a->n == 16)
		return 16;
	a->alg[a->n] = alg;
	return a->n++;
}

static void algs_of(const struct chain_link *l, struct algs *a)
{
	memset(a, 0, sizeof(*a));
	for (size_t i = 0; i < l->n_ds; i++) {
		size_t s = alg_slot(a, l->ds[i].algorithm);

		if (s < 16)
			a->in_ds[s] = true;
	}
	for (size_t i = 0; i < l->n_keys; i++) {
		if (l->keys[i].flags & 128)
			continue;	/* revoked: signs nothing but itself */
		size_t s = alg_slot(a, l->keys[i].algorithm);

		if (s < 16)
			a->in_key[s] = true;
	}
}

static bool has_alg(const struct rrsig_info *s, size_t n, uint8_t alg)
{
	for (size_t i = 0; i < n; i++)
		if (s[i].algorithm == alg)
			return true;
	return false;
}

/*
 * The RRsets of the zone that carry no RRSIG of algorithm @p alg: "name
 * TYPE" list into *@p list, how many into the return value. Only RRsets
 * that are signed at all count: an unsigned one has its own finding.
 */
static size_t unsigned_by(const struct diag_ctx *c, const struct chain_link *l,
			  uint8_t alg, char **list, size_t *n_signed)
{
	const struct evidence *ev = c->ev;
	size_t n = 0;
	char tb[16];

	*n_signed = 0;
	if (l->n_dnskey_sigs > 0) {
		(*n_signed)++;
		if (!has_alg(l->dnskey_sigs, l->n_dnskey_sigs, alg)) {
			diag_cat(list, "%s DNSKEY", l->zone);
			n++;
		}
	}
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];

		for (size_t j = 0; j < ns->n_checks; j++) {
			const struct zone_rrset_check *k = &ns->checks[j];
			char *name;

			if (k->n_sigs == 0 || k->qname == NULL ||
			    k->qtype == RRTYPE_DNSKEY)
				continue;
			(*n_signed)++;
			if (has_alg(k->sigs, k->n_sigs, alg))
				continue;
			name = xasprintf("%s %s", k->qname,
					 rrtype_name(k->qtype, tb));
			if (*list == NULL || strstr(*list, name) == NULL) {
				if (n < 6)
					diag_cat(list, "%s%s", *list ? ", " : "",
						 name);
				else if (n == 6)
					diag_cat(list, ", ...");
				n++;
			}
			free(name);
		}
	}
	return n;
}

bool diag_algorithms_complete(const struct diag_ctx *c)
{
	const struct chain_link *l = diag_zone_link(c->ev);
	struct algs a;

	if (l == NULL)
		return true;
	algs_of(l, &a);
	for (size_t i = 0; i < a.n; i++) {
		char *list = NULL;
		size_t n_signed, n;

		if (!algorithm_validated(a.alg[i]))
			continue;
		n = unsigned_by(c, l, a.alg[i], &list, &n_signed);
		free(list);
		if (n > 0 && n_signed > 0)
			return false;
	}
	return true;
}

/* The safe order to finish or undo an algorithm rollover (RFC 6781 4.1.4). */
static char *rollover_fix(const struct diag_ctx *c, const struct chain_link *l,
			  uint8_t alg, bool in_ds)
{
	char *fix = NULL;
	char ab[32], t[32];
	uint32_t wait = l->dnskey_ttl > l->ds_ttl ? l->dnskey_ttl : l->ds_ttl;

	alg_label(alg, ab);
	diag_cat(&fix, "Algorithm %s is %s but does not sign every RRset: an "
		 "algorithm rollover left half-way. Validators that accept any "
		 "one algorithm still validate; stricter ones (and RFC 4035 "
		 "2.2) do not. Safe order, one of:\n", ab,
		 in_ds ? "in the parent's DS RRset" : "in the DNSKEY RRset");
	diag_cat(&fix, "Finish it: 1. sign every RRset with both algorithms "
		 "(add a ZSK of algorithm %u, or sign with the new keys "
		 "throughout); 2. wait the largest TTL of the zone's data; "
		 "3. only then publish the DS of the new KSK%s; 4. after the DS "
		 "TTL (%u s), remove the old algorithm's DS, then its keys and "
		 "signatures (in that order, waiting the DNSKEY TTL %u s "
		 "between).\n", alg, in_ds ? " (it is already there: skip)" :
		 "", l->ds_ttl, l->dnskey_ttl);
	if (in_ds)
		diag_cat(&fix, "Or undo it: 1. remove the DS of algorithm %u at "
			 "the registrar first; 2. wait the DS TTL (%u s, until "
			 "%s); 3. then remove its DNSKEYs.\n", alg, l->ds_ttl,
			 diag_clock(c->now + wait, t));
	else
		diag_cat(&fix, "Or undo it: remove the DNSKEYs of algorithm %u "
			 "(nothing at the parent names them).\n", alg);
	diag_cat(&fix, "Never remove the signatures of an algorithm while its "
		 "DS or DNSKEY is still published.");
	return fix;
}

/*
 * A finding @p id about algorithm @p alg of the zone, its label in @p ab,
 * and one evidence line per DNSKEY of that algorithm: what the key is and
 * what it signs. The caller adds the summary and the fix.
 */
static struct finding *alg_finding(struct diag_ctx *c,
				   const struct chain_link *l, enum finding_id id,
				   uint8_t alg, char ab[32])
{
	struct finding *f = diag_add(c, id, l->zone);

	alg_label(alg, ab);
	for (size_t k = 0; k < l->n_keys; k++)
		if (l->keys[k].algorithm == alg)
			diag_evidence(f, "DNSKEY %u (flags %u): algorithm %s, "
				      "%u bits; signs the DNSKEY RRset: %s, "
				      "zone data: %s", l->keys[k].tag,
				      l->keys[k].flags, ab, l->keys[k].bits,
				      l->keys[k].signs_dnskey ? "yes" : "no",
				      l->keys[k].signs_zone ? "yes" : "no");
	return f;
}

/* One evidence line per DS at the parent (of algorithm @p alg only, unless
 * @p alg is negative), with its algorithm and digest type named. */
static void ds_evidence(struct finding *f, const struct chain_link *l, int alg)
{
	char ab[32];

	for (size_t i = 0; i < l->n_ds; i++) {
		const char *dn = digest_type_name(l->ds[i].digest_type);

		if (alg >= 0 && l->ds[i].algorithm != alg)
			continue;
		diag_evidence(f, "parent %s: DS %u/%u/%u (algorithm %s, "
			      "digest %s)", l->parent ? l->parent : "?",
			      l->ds[i].tag, l->ds[i].algorithm,
			      l->ds[i].digest_type,
			      alg_label(l->ds[i].algorithm, ab), dn ? dn : "?");
	}
}

static void incomplete(struct diag_ctx *c, const struct chain_link *l,
		       const struct algs *a)
{
	for (size_t i = 0; i < a->n; i++) {
		char *list = NULL;
		size_t n_signed, n;
		char ab[32];

		if (!algorithm_validated(a->alg[i]))
			continue;
		n = unsigned_by(c, l, a->alg[i], &list, &n_signed);
		if (n == 0 || n_signed == 0) {
			free(list);
			continue;
		}
		struct finding *f = alg_finding(c, l, FINDING_ALGORITHM_INCOMPLETE,
						a->alg[i], ab);

		diag_summary(f, "%s: algorithm %s is in the %s but does not "
			     "sign %zu of %zu RRsets (RFC 4035 2.2): an "
			     "algorithm rollover left half-way", l->zone, ab,
			     a->in_ds[i] && a->in_key[i] ? "DS and DNSKEY RRsets" :
			     a->in_ds[i] ? "DS RRset" : "DNSKEY RRset", n,
			     n_signed);
		ds_evidence(f, l, a->alg[i]);
		diag_evidence(f, "RRsets without an RRSIG of algorithm %u: %s",
			      a->alg[i], list);
		diag_fix(f, rollover_fix(c, l, a->alg[i], a->in_ds[i]));
		diag_cache(f, c->now + l->ds_ttl);
		free(list);
	}
}

static void deprecated(struct diag_ctx *c, const struct chain_link *l,
		       const struct algs *a)
{
	bool modern = false;
	char ab[32];

	for (size_t i = 0; i < a->n; i++)
		if (algorithm_validated(a->alg[i]) && !alg_deprecated(a->alg[i]))
			modern = true;
	for (size_t i = 0; i < a->n && !modern; i++) {
		if (!alg_deprecated(a->alg[i]))
			continue;
		struct finding *f = alg_finding(c, l, FINDING_ALGORITHM_DEPRECATED,
						a->alg[i], ab);

		diag_summary(f, "%s is signed only with algorithm %s, which "
			     "RFC 8624 no longer recommends for signing; some "
			     "validators' crypto policies (e.g. RHEL 9's "
			     "DEFAULT) already treat it as insecure", l->zone,
			     ab);
		diag_fix(f, xasprintf("Roll %s to algorithm 13 "
				      "(ECDSAP256SHA256) with an algorithm "
				      "rollover: new keys sign every RRset "
				      "first, the new DS goes to the registrar "
				      "after the data TTL, the old DS and keys "
				      "leave last (RFC 6781 4.1.4). Nothing is "
				      "broken today for validators that still "
				      "accept it.", l->zone));
	}
	/* SHA-1 DS (digest type 1) with nothing stronger beside it. */
	bool strong = false, sha1 = false;

	for (size_t i = 0; i < l->n_ds; i++) {
		if (l->ds[i].digest_type == 1)
			sha1 = true;
		else if (l->ds[i].match != DS_MATCH_UNSUPPORTED_DIGEST)
			strong = true;
	}
	if (!sha1)
		return;
	struct finding *f = diag_add(c, FINDING_DS_DIGEST_DEPRECATED, l->zone);
	char *fix = NULL;

	if (strong) {
		f->severity = SEV_INFO;
		diag_summary(f, "The parent publishes a SHA-1 DS for %s beside "
			     "a stronger one: harmless, but RFC 8624 says not "
			     "to publish SHA-1 DS", l->zone);
	} else {
		diag_summary(f, "The only DS for %s at %s uses SHA-1 (digest "
			     "type 1), which RFC 8624 says not to publish; "
			     "validators whose policy rejects SHA-1 treat the "
			     "zone as insecure", l->zone,
			     l->parent ? l->parent : "the parent");
	}
	ds_evidence(f, l, -1);
	diag_cat(&fix, "At the registrar, publish the SHA-256 DS (digest "
		 "type 2) of the KSK, then remove the SHA-1 one:");
	for (size_t i = 0; i < l->n_keys; i++) {
		if (!(l->keys[i].flags & 1) || (l->keys[i].flags & 128) ||
		    l->keys[i].ds_sha256 == NULL)
			continue;
		char *ds = evidence_ds_as_parent(l->keys[i].ds_sha256,
						 l->ds_ttl);
		char *rr = diag_tidy_rr(ds);

		diag_cat(&fix, "\n    %s", rr);
		free(rr);
		free(ds);
	}
	diag_fix(f, fix);
	diag_cache(f, c->now + l->ds_ttl);
}

static void unsupported(struct diag_ctx *c, const struct chain_link *l,
			const struct algs *a)
{
	bool usable = false;
	char ab[32];

	for (size_t i = 0; i < l->n_ds; i++)
		if (algorithm_validated(l->ds[i].algorithm))
			usable = true;
	if (usable || l->n_ds == 0)
		return;
	struct finding *f = diag_add(c, FINDING_ALGORITHM_UNSUPPORTED, l->zone);

	diag_summary(f, "%s: every DS at %s names an algorithm validators do "
		     "not implement: validators treat the zone as insecure "
		     "(unsigned), not bogus", l->zone,
		     l->parent ? l->parent : "the parent");
	ds_evidence(f, l, -1);
	for (size_t i = 0; i < a->n; i++)
		if (a->in_key[i])
			diag_evidence(f, "child %s: DNSKEY algorithm %s", l->zone,
				      alg_label(a->alg[i], ab));
	diag_fix(f, xasprintf("Nothing fails, but nothing is protected: "
			      "re-sign %s with algorithm 13 (ECDSAP256SHA256) "
			      "through an algorithm rollover (RFC 6781 "
			      "4.1.4), then publish its DS.", l->zone));
}

void diag_algo_rules(struct diag_ctx *c)
{
	const struct chain_link *l = diag_zone_link(c->ev);
	struct algs a;

	if (l == NULL || l->n_ds == 0 || l->n_keys == 0)
		return;
	algs_of(l, &a);
	unsupported(c, l, &a);
	if (diag_any(c, FINDING_ALGORITHM_UNSUPPORTED))
		return;
	incomplete(c, l, &a);
	deprecated(c, l, &a);
}
