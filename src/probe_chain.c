/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_chain.c - the chain of trust as the authoritative servers publish
 * it: from the root hints down to the zone, every zone cut, the DS RRset at
 * every server of the parent and the DNSKEY RRset at every server of the
 * child, with digests and signatures checked by probe_dnssec.c.
 *
 * It asks servers directly (RD=0) and never through a recursive resolver,
 * so that what it shows is what each server says, not what a cache kept.
 * Each level of the walk is one parallel batch; the DNSKEY RRsets of every
 * zone are one final batch. It does not judge beyond one status per link:
 * explaining a break is diag's job.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "log.h"
#include "probe_chain.h"
#include "probe_dnssec.h"
#include "probe_io.h"
#include "probe_phases.h"
#include "thread.h"
#include "xmalloc.h"

#define DNS_PORT 53
#define MAX_CUTS 16		/* zone cuts below the root */
#define MAX_REFERRALS 12	/* referrals one address lookup follows */
#define MAX_GLUELESS 2		/* nested lookups for glueless NS names */
#define RESOLVE_FANOUT 4	/* servers asked at once by a lookup */
#define MAX_ZONE_RRS 10000	/* records read from an anchor/hints text */

struct server {
	char *ns_name;
	char *addr;
};

/* One zone of the walk: its servers, and what its parent said about it. */
struct zone {
	char *name;
	struct server *srv;
	size_t n_srv;
	char **ns;		/* NS names of the delegation (hints: root) */
	size_t n_ns;
	uint32_t ns_ttl;	/* largest NS TTL in the parent's referrals */
	uint32_t apex_ns_ttl;	/* largest apex NS TTL its servers sent */
	struct probe_query *ds_q;	/* DS asked at each parent server */
	size_t n_ds_q;
	ldns_rr_list *keys;	/* merged DNSKEYs, order of chain_link.keys */
};

struct walk {
	struct probe_io *io;
	const struct scan_config *cfg;
	const struct probe_io_opts *opts;
	int64_t now;
	struct evidence *ev;
	struct zone *zones;
	size_t n_zones;
};

ldns_rr_list *probe_chain_parse_rrs(const char *text)
{
	ldns_rr_list *out = ldns_rr_list_new();
	ldns_rdf *origin = NULL, *prev = NULL;
	uint32_t ttl = 3600;
	int line = 1;
	FILE *f;

	if (text == NULL || *text == '\0')
		return out;
	f = fmemopen((void *)text, strlen(text), "r");
	if (f == NULL)
		return out;
	for (int i = 0; i < MAX_ZONE_RRS && !feof(f); i++) {
		ldns_rr *rr = NULL;
		ldns_status st = ldns_rr_new_frm_fp_l(&rr, f, &ttl, &origin,
						      &prev, &line);

		if (st == LDNS_STATUS_OK)
			ldns_rr_list_push_rr(out, rr);
		else if (st != LDNS_STATUS_SYNTAX_EMPTY &&
			 st != LDNS_STATUS_SYNTAX_TTL &&
			 st != LDNS_STATUS_SYNTAX_ORIGIN)
			log_msg(LOG_WARN, "zone text line %d: %s", line,
				ldns_get_errorstr_by_id(st));
	}
	fclose(f);
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	return out;
}

/* A name from the wire as lower-case presentation text. New. */
static char *dname_text(const ldns_rdf *d)
{
	ldns_rdf *c = ldns_rdf_clone(d);
	char *s, *out;

	ldns_dname2canonical(c);
	s = ldns_rdf2str(c);
	ldns_rdf_deep_free(c);
	out = xstrndup(s != NULL ? s : "", EVIDENCE_MAX_TEXT - 1);
	free(s);
	return out;
}

static bool strv_has(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static void strv_add(char ***v, size_t *n, const char *s)
{
	if (!strv_has(*v, *n, s))
		*XAPPEND(*v, *n) = xstrdup(s);
}

static void strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static void server_add(struct zone *z, const char *ns_name, const char *addr)
{
	struct server *s;

	for (size_t i = 0; i < z->n_srv; i++)
		if (strcmp(z->srv[i].addr, addr) == 0)
			return;
	if (z->n_srv >= PROBE_CHAIN_MAX_SERVERS)
		return;
	s = XAPPEND(z->srv, z->n_srv);
	s->ns_name = xstrdup(ns_name);
	s->addr = xstrdup(addr);
}

static bool server_has_name(const struct zone *z, const char *ns_name)
{
	for (size_t i = 0; i < z->n_srv; i++)
		if (strcmp(z->srv[i].ns_name, ns_name) == 0)
			return true;
	return false;
}

static void zone_clear(struct zone *z)
{
	free(z->name);
	for (size_t i = 0; i < z->n_srv; i++) {
		free(z->srv[i].ns_name);
		free(z->srv[i].addr);
	}
	free(z->srv);
	strv_free(z->ns, z->n_ns);
	for (size_t i = 0; i < z->n_ds_q; i++)
		probe_query_clear(&z->ds_q[i]);
	free(z->ds_q);
	ldns_rr_list_deep_free(z->keys);
	*z = (struct zone){ 0 };
}

static bool is_addr_rr(const ldns_rr *rr)
{
	return ldns_rr_get_type(rr) == LDNS_RR_TYPE_A ||
	       ldns_rr_get_type(rr) == LDNS_RR_TYPE_AAAA;
}

/* Addresses in @p list owned by @p owner, added as servers of @p z. */
static void add_addresses(struct zone *z, const ldns_rr_list *list,
			  const ldns_rdf *owner, const char *ns_name)
{
	for (size_t i = 0; list != NULL && i < ldns_rr_list_rr_count(list); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(list, i);
		char *a;

		if (!is_addr_rr(rr) || ldns_rr_rd_count(rr) < 1 ||
		    ldns_dname_compare(ldns_rr_owner(rr), owner) != 0)
			continue;
		a = ldns_rdf2str(ldns_rr_rdf(rr, 0));
		if (a != NULL)
			server_add(z, ns_name, a);
		free(a);
	}
}

/* The root zone from the hints: NS names and their addresses. */
static void root_from_hints(struct zone *root, const char *hints)
{
	ldns_rr_list *rrs = probe_chain_parse_rrs(hints);

	root->name = xstrdup(".");
	for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		char *name;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NS ||
		    ldns_rr_rd_count(rr) < 1)
			continue;
		name = dname_text(ldns_rr_rdf(rr, 0));
		strv_add(&root->ns, &root->n_ns, name);
		add_addresses(root, rrs, ldns_rr_rdf(rr, 0), name);
		free(name);
	}
	ldns_rr_list_deep_free(rrs);
}

void probe_chain_query_init(struct probe_query *q, const char *server,
			    const char *qname, uint16_t qtype, unsigned flags)
{
	*q = (struct probe_query){ .server = server, .port = DNS_PORT,
				   .qname = qname, .qtype = qtype,
				   .flags = flags };
	q->reply.rcode = -1;
}

static void run_batch(struct probe_io *io, const struct probe_io_opts *opts,
		      struct probe_query *q, size_t n, struct evidence *ev)
{
	unsigned late = probe_io_run(io, q, n, opts);

	if (ev != NULL)
		ev->late_replies += late;
}

/* ---------------------------------------------------------------- */
/* Address lookup, iterative from the root.                          */

static size_t resolve_from(struct probe_io *io, const struct scan_config *cfg,
			   const struct probe_io_opts *opts,
			   const struct zone *root, const char *name,
			   int depth, char ***addrs);

/* Servers for the NS names of a referral: glue, else nested lookups. */
static void referral_servers(struct probe_io *io,
			     const struct scan_config *cfg,
			     const struct probe_io_opts *opts,
			     const struct zone *root, const ldns_pkt *pkt,
			     const ldns_rr_list *ns, int depth,
			     struct zone *next)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(ns); i++) {
		const ldns_rdf *target = ldns_rr_rdf(ldns_rr_list_rr(ns, i), 0);
		char *tname = dname_text(target);

		add_addresses(next, ldns_pkt_additional(pkt), target, tname);
		free(tname);
	}
	for (size_t i = 0; next->n_srv == 0 && depth < MAX_GLUELESS &&
	     i < ldns_rr_list_rr_count(ns) && i < 2; i++) {
		char *tname = dname_text(ldns_rr_rdf(ldns_rr_list_rr(ns, i), 0));
		char **a = NULL;
		size_t n = resolve_from(io, cfg, opts, root, tname, depth + 1, &a);

		for (size_t j = 0; j < n; j++)
			server_add(next, tname, a[j]);
		strv_free(a, n);
		free(tname);
	}
}

static size_t resolve_from(struct probe_io *io, const struct scan_config *cfg,
			   const struct probe_io_opts *opts,
			   const struct zone *root, const char *name,
			   int depth, char ***addrs)
{
	ldns_rdf *qname = ldns_dname_new_frm_str(name);
	struct zone cur = { 0 };
	size_t found = 0;
	uint8_t cut_labels = 0;

	*addrs = NULL;
	if (qname == NULL)
		return 0;
	for (size_t i = 0; i < root->n_srv; i++)
		server_add(&cur, root->srv[i].ns_name, root->srv[i].addr);

	for (int step = 0; step < MAX_REFERRALS && cur.n_srv > 0; step++) {
		size_t m = cur.n_srv < RESOLVE_FANOUT ? cur.n_srv : RESOLVE_FANOUT;
		struct probe_query q[2 * RESOLVE_FANOUT];
		struct zone next = { 0 };
		bool stop = false;

		for (size_t i = 0; i < m; i++) {
			const char *a = cur.srv[i].addr;

			probe_chain_query_init(&q[2 * i], a, name,
					       LDNS_RR_TYPE_A, 0);
			probe_chain_query_init(&q[2 * i + 1], a, name,
					       LDNS_RR_TYPE_AAAA, 0);
		}
		run_batch(io, opts, q, 2 * m, NULL);
		for (size_t i = 0; i < 2 * m; i++) {
			const ldns_pkt *pkt = q[i].pkt;
			const ldns_rr_list *an;

			if (pkt == NULL)
				continue;
			an = ldns_pkt_answer(pkt);
			for (size_t j = 0; j < ldns_rr_list_rr_count(an); j++) {
				const ldns_rr *rr = ldns_rr_list_rr(an, j);
				char *a;

				if (!is_addr_rr(rr) || ldns_rr_rd_count(rr) < 1 ||
				    ldns_dname_compare(ldns_rr_owner(rr), qname))
					continue;
				a = ldns_rdf2str(ldns_rr_rdf(rr, 0));
				if (a != NULL && !strv_has(*addrs, found, a))
					*XAPPEND(*addrs, found) = xstrdup(a);
				free(a);
			}
			if (ldns_pkt_aa(pkt))
				stop = true;	/* an authoritative word */
		}
		for (size_t i = 0; found == 0 && !stop && i < 2 * m &&
		     next.n_srv == 0; i++) {
			ldns_rr_list *ns;
			const ldns_rdf *cut;

			if (q[i].pkt == NULL)
				continue;
			ns = probe_dnssec_select(q[i].pkt, LDNS_SECTION_AUTHORITY,
						 NULL, LDNS_RR_TYPE_NS, 0);
			cut = ldns_rr_list_rr_count(ns) > 0 ?
			      ldns_rr_owner(ldns_rr_list_rr(ns, 0)) : NULL;
			/* Only a referral closer to the name moves us on. */
			if (cut != NULL && ldns_dname_label_count(cut) > cut_labels &&
			    (ldns_dname_is_subdomain(qname, cut) ||
			     ldns_dname_compare(qname, cut) == 0)) {
				cut_labels = ldns_dname_label_count(cut);
				referral_servers(io, cfg, opts, root, q[i].pkt,
						 ns, depth, &next);
			}
			ldns_rr_list_deep_free(ns);
		}
		for (size_t i = 0; i < 2 * m; i++)
			probe_query_clear(&q[i]);
		zone_clear(&cur);
		cur = next;
		if (found > 0 || stop)
			break;
	}
	zone_clear(&cur);
	ldns_rdf_deep_free(qname);
	return found;
}

size_t probe_chain_resolve(struct probe_io *io, const struct scan_config *cfg,
			   const struct probe_io_opts *opts, const char *name,
			   char ***addrs)
{
	struct zone root = { 0 };
	size_t n;

	root_from_hints(&root, cfg->hints_text);
	n = resolve_from(io, cfg, opts, &root, name, 0, addrs);
	zone_clear(&root);
	return n;
}

/* Addresses for NS names that came without glue. */
static void resolve_missing(struct walk *w, struct zone *z)
{
	for (size_t i = 0; i < z->n_ns; i++) {
		char **a = NULL;
		size_t n;

		if (server_has_name(z, z->ns[i]))
			continue;
		n = resolve_from(w->io, w->cfg, w->opts, &w->zones[0],
				 z->ns[i], 0, &a);
		for (size_t j = 0; j < n; j++)
			server_add(z, z->ns[i], a[j]);
		strv_free(a, n);
	}
}

/* ---------------------------------------------------------------- */
/* The walk down.                                                    */

enum level { LEVEL_CUT, LEVEL_NO_CUT, LEVEL_NXDOMAIN, LEVEL_NO_ANSWER };

/* The larger of @p ttl and the largest TTL in @p list. */
static uint32_t max_ttl(const ldns_rr_list *list, uint32_t ttl)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(list); i++)
		if (ldns_rr_ttl(ldns_rr_list_rr(list, i)) > ttl)
			ttl = ldns_rr_ttl(ldns_rr_list_rr(list, i));
	return ttl;
}

/* NS names (and glue) for @p cand from one reply, if it shows a cut. */
static bool take_cut(const ldns_pkt *pkt, const ldns_rdf *cand,
		     const ldns_rdf *parent, struct zone *child)
{
	ldns_rr_list *ns = probe_dnssec_select(pkt, LDNS_SECTION_ANSWER, cand,
					       LDNS_RR_TYPE_NS, 0);

	/* An authoritative NS answer: the server serves the child too. */
	if (ldns_rr_list_rr_count(ns) == 0 || !ldns_pkt_aa(pkt)) {
		ldns_rr_list_deep_free(ns);
		ns = ldns_pkt_aa(pkt) ? ldns_rr_list_new() :
		     probe_dnssec_select(pkt, LDNS_SECTION_AUTHORITY, cand,
					 LDNS_RR_TYPE_NS, 0);
		/* A referral: the parent's copy, what resolvers cache first. */
		child->ns_ttl = max_ttl(ns, child->ns_ttl);
	}
	for (size_t i = 0; i < ldns_rr_list_rr_count(ns); i++) {
		const ldns_rdf *target = ldns_rr_rdf(ldns_rr_list_rr(ns, i), 0);
		char *tname = dname_text(target);

		strv_add(&child->ns, &child->n_ns, tname);
		/* Glue only where the parent may speak for it. */
		if (ldns_dname_is_subdomain(target, parent)) {
			add_addresses(child, ldns_pkt_additional(pkt), target,
				      tname);
			add_addresses(child, ldns_pkt_answer(pkt), target,
				      tname);
		}
		free(tname);
	}
	if (ldns_rr_list_rr_count(ns) > 0) {
		ldns_rr_list_deep_free(ns);
		return true;
	}
	ldns_rr_list_deep_free(ns);
	return false;
}

/*
 * One level: every server of @p parent is asked NS and DS for @p cand in
 * one batch. On a cut, @p child gets the NS names, glue and DS queries.
 */
/*
 * What an authoritative "no such zone" from @p parent's server @p s said
 * about @p cand: the NSEC owners and next names of its denial (names that
 * exist near it, for "did you mean"). New; evidence_absence_free().
 */
static struct absence_ev *absence_new(const struct zone *parent,
				      const struct server *s, const char *cand,
				      int rcode, const ldns_pkt *denial)
{
	struct absence_ev *a = xcalloc(1, sizeof(*a));
	ldns_rr_list *auth = denial != NULL ? ldns_pkt_authority(denial) : NULL;

	a->name = xstrdup(cand);
	a->parent = xstrdup(parent->name);
	a->server = xasprintf("%s (%s)", s->ns_name, s->addr);
	a->rcode = rcode;
	for (size_t i = 0; i < ldns_rr_list_rr_count(auth) && a->n_nearby < 8;
	     i++) {
		const ldns_rr *rr = ldns_rr_list_rr(auth, i);
		char *t;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_NSEC ||
		    ldns_rr_rd_count(rr) < 1)
			continue;
		t = dname_text(ldns_rr_owner(rr));
		strv_add(&a->nearby, &a->n_nearby, t);
		free(t);
		t = dname_text(ldns_rr_rdf(rr, 0));
		strv_add(&a->nearby, &a->n_nearby, t);
		free(t);
	}
	return a;
}

static enum level probe_level(struct walk *w, struct zone *parent,
			      const char *cand, struct zone *child,
			      struct absence_ev **absent)
{
	size_t n = parent->n_srv;
	struct probe_query *q;
	ldns_rdf *cand_rdf = ldns_dname_new_frm_str(cand);
	ldns_rdf *parent_rdf = ldns_dname_new_frm_str(parent->name);
	bool cut = false, nx = false, no_cut = false;

	if (n == 0 || cand_rdf == NULL || parent_rdf == NULL) {
		ldns_rdf_deep_free(cand_rdf);
		ldns_rdf_deep_free(parent_rdf);
		return LEVEL_NO_ANSWER;
	}
	child->name = xstrdup(cand);
	q = xcalloc(2 * n, sizeof(*q));
	for (size_t i = 0; i < n; i++) {
		const char *a = parent->srv[i].addr;

		probe_chain_query_init(&q[i], a, child->name,
				       LDNS_RR_TYPE_NS, 0);
		probe_chain_query_init(&q[n + i], a, child->name,
				       LDNS_RR_TYPE_DS, PQ_DO);
	}
	run_batch(w->io, w->opts, q, 2 * n, w->ev);
	for (size_t i = 0; i < n; i++) {
		const ldns_pkt *pkt = q[i].pkt;

		if (pkt == NULL)
			continue;
		if (take_cut(pkt, cand_rdf, parent_rdf, child))
			cut = true;
		else if (ldns_pkt_aa(pkt) &&
			 ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NXDOMAIN) {
			if (!nx) {
				evidence_absence_free(*absent);
				*absent = absence_new(parent, &parent->srv[i],
						      cand, RCODE_NXDOMAIN,
						      q[n + i].pkt);
			}
			nx = true;
		} else if (ldns_pkt_aa(pkt) &&
			 ldns_pkt_get_rcode(pkt) == LDNS_RCODE_NOERROR) {
			if (!nx && !no_cut)
				*absent = absence_new(parent, &parent->srv[i],
						      cand, RCODE_NOERROR, NULL);
			no_cut = true;
		}
	}
	if (cut) {
		evidence_absence_free(*absent);
		*absent = NULL;
	}
	for (size_t i = 0; i < n; i++)
		probe_query_clear(&q[i]);
	if (cut) {
		child->ds_q = xcalloc(n, sizeof(*child->ds_q));
		memcpy(child->ds_q, q + n, n * sizeof(*q));
		child->n_ds_q = n;
	} else {
		for (size_t i = n; i < 2 * n; i++)
			probe_query_clear(&q[i]);
	}
	free(q);
	ldns_rdf_deep_free(cand_rdf);
	ldns_rdf_deep_free(parent_rdf);
	if (cut)
		return LEVEL_CUT;
	return nx ? LEVEL_NXDOMAIN : no_cut ? LEVEL_NO_CUT : LEVEL_NO_ANSWER;
}

/* Notes hold raw names; like all evidence text they are escaped on output. */
static void note(struct evidence *ev, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note(struct evidence *ev, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	*XAPPEND(ev->notes, ev->n_notes) = xvasprintf(fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------- */
/* One link: views, merged sets, status.                             */

static struct server_ref server_ref(const struct server *s)
{
	return (struct server_ref){ .ns_name = xstrdup(s->ns_name),
				    .address = xstrdup(s->addr),
				    .port = DNS_PORT };
}

struct dns_reply probe_chain_take_reply(struct probe_query *q)
{
	struct dns_reply r = q->reply;

	q->reply = (struct dns_reply){ .rcode = -1 };
	return r;
}

static size_t rr_list_find(const ldns_rr_list *l, const ldns_rr *rr)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++)
		if (ldns_rr_compare(ldns_rr_list_rr(l, i), rr) == 0)
			return i;
	return (size_t)-1;
}

static void merge_sigs(struct rrsig_info **arr, size_t *n,
		       const struct rrsig_info *add, size_t n_add)
{
	for (size_t i = 0; i < n_add; i++) {
		const struct rrsig_info *a = &add[i];
		struct rrsig_info *m;
		bool seen = false;

		for (size_t j = 0; j < *n && !seen; j++)
			seen = (*arr)[j].key_tag == a->key_tag &&
			       (*arr)[j].algorithm == a->algorithm &&
			       (*arr)[j].inception == a->inception &&
			       (*arr)[j].expiration == a->expiration &&
			       (*arr)[j].check == a->check;
		if (seen)
			continue;
		m = XAPPEND(*arr, *n);
		*m = *a;
		m->signer = xstrdup(a->signer);
	}
}

/* The DNSKEY views of @p z's servers, merged keys and their signatures. */
static void link_keys(struct walk *w, struct zone *z, struct chain_link *l,
		      struct probe_query *dk, const ldns_rdf *zrdf)
{
	size_t n_keys;
	bool *ok;

	z->keys = ldns_rr_list_new();
	for (size_t s = 0; s < z->n_srv; s++) {
		struct dnskey_view *v = XAPPEND(l->dnskey_views,
						l->n_dnskey_views);
		ldns_rr_list *set, *mine;

		*v = (struct dnskey_view){ .server = server_ref(&z->srv[s]) };
		v->reply = probe_chain_take_reply(&dk[s]);
		if (dk[s].pkt == NULL)
			continue;
		set = probe_dnssec_select(dk[s].pkt, LDNS_SECTION_ANSWER, zrdf,
					  LDNS_RR_TYPE_DNSKEY, 0);
		mine = ldns_rr_list_new();
		for (size_t i = 0; i < ldns_rr_list_rr_count(set); i++) {
			ldns_rr *rr = ldns_rr_list_rr(set, i);

			if (rr_list_find(mine, rr) != (size_t)-1)
				continue;	/* served twice by one server */
			ldns_rr_list_push_rr(mine, rr);
			*XAPPEND(v->tags, v->n_tags) = probe_dnssec_keytag(rr);
			if (rr_list_find(z->keys, rr) == (size_t)-1)
				ldns_rr_list_push_rr(z->keys, ldns_rr_clone(rr));
			if (l->dnskey_ttl == 0)
				l->dnskey_ttl = ldns_rr_ttl(rr);
		}
		ldns_rr_list_free(mine);
		ldns_rr_list_deep_free(set);
	}

	n_keys = ldns_rr_list_rr_count(z->keys);
	l->keys = n_keys ? xcalloc(n_keys, sizeof(*l->keys)) : NULL;
	l->n_keys = n_keys;
	for (size_t k = 0; k < n_keys; k++)
		probe_dnssec_key_info(ldns_rr_list_rr(z->keys, k), &l->keys[k]);

	ok = xcalloc(n_keys + 1, sizeof(*ok));
	for (size_t s = 0; s < z->n_srv; s++) {
		struct dnskey_view *v = &l->dnskey_views[s];
		ldns_rr_list *set, *sigs;

		if (dk[s].pkt == NULL)
			continue;
		set = probe_dnssec_select(dk[s].pkt, LDNS_SECTION_ANSWER, zrdf,
					  LDNS_RR_TYPE_DNSKEY, 0);
		sigs = probe_dnssec_select(dk[s].pkt, LDNS_SECTION_ANSWER, zrdf,
					   LDNS_RR_TYPE_RRSIG,
					   LDNS_RR_TYPE_DNSKEY);
		for (size_t i = 0; i < ldns_rr_list_rr_count(set); i++) {
			size_t k = rr_list_find(z->keys, ldns_rr_list_rr(set, i));

			if (k != (size_t)-1 &&
			    (i == 0 || rr_list_find(set, ldns_rr_list_rr(set, i)) == i))
				l->keys[k].served_by++;
		}
		v->n_sigs = probe_dnssec_check_sigs(set, sigs, z->keys, w->now,
						    w->cfg->max_sig_checks,
						    &v->sigs, ok);
		merge_sigs(&l->dnskey_sigs, &l->n_dnskey_sigs, v->sigs,
			   v->n_sigs);
		ldns_rr_list_deep_free(set);
		ldns_rr_list_deep_free(sigs);
	}
	for (size_t k = 0; k < n_keys; k++)
		l->keys[k].signs_dnskey = ok[k];
	free(ok);
}

/* Marks keys of @p l whose valid signature covers other zone data. */
static void mark_zone_signers(struct walk *w, struct chain_link *l,
			      const ldns_rr_list *keys, const ldns_rr_list *set,
			      const ldns_rr_list *sigs, struct rrsig_info **out,
			      size_t *n_out)
{
	bool *ok = xcalloc(ldns_rr_list_rr_count(keys) + 1, sizeof(*ok));
	struct rrsig_info *info;
	size_t n = probe_dnssec_check_sigs(set, sigs, keys, w->now,
					   w->cfg->max_sig_checks, &info, ok);

	for (size_t k = 0; l != NULL && k < l->n_keys; k++)
		if (ok[k])
			l->keys[k].signs_zone = true;
	free(ok);
	if (out != NULL) {
		*out = info;
		*n_out = n;
	} else {
		probe_dnssec_sigs_free(info, n);
	}
}

/* Negative TTL of a negative answer: min(SOA TTL, SOA minimum). */
static uint32_t negative_ttl(const ldns_pkt *pkt)
{
	const ldns_rr_list *au = ldns_pkt_authority(pkt);

	for (size_t i = 0; i < ldns_rr_list_rr_count(au); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(au, i);
		uint32_t min;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA ||
		    ldns_rr_rd_count(rr) < 7)
			continue;
		min = ldns_rdf2native_int32(ldns_rr_rdf(rr, 6));
		return ldns_rr_ttl(rr) < min ? ldns_rr_ttl(rr) : min;
	}
	return 0;
}

static void ds_merge(struct chain_link *l, ldns_rr_list *merged,
		     const ldns_rr *ds, const ldns_rr_list *keys)
{
	if (rr_list_find(merged, ds) != (size_t)-1)
		return;
	ldns_rr_list_push_rr(merged, ldns_rr_clone(ds));
	probe_dnssec_ds_info(ds, keys, XAPPEND(l->ds, l->n_ds));
}

/* One good proof from any parent server outweighs a bad one elsewhere. */
static int denial_rank(enum security s)
{
	switch (s) {
	case SEC_SECURE:
		return 3;
	case SEC_INSECURE:
		return 2;
	case SEC_BOGUS:
		return 1;
	default:
		return 0;
	}
}

/* The DS views at the parent's servers; returns the best denial seen. */
static enum security link_ds(struct walk *w, struct zone *z,
			     const struct zone *p, struct chain_link *l,
			     struct chain_link *pl, const ldns_rdf *zrdf,
			     enum sig_check *best_sig, bool *answered)
{
	ldns_rr_list *merged = ldns_rr_list_new();
	enum security denial = SEC_UNKNOWN;

	*best_sig = SIG_NO_KEY;
	*answered = false;
	for (size_t s = 0; s < z->n_ds_q; s++) {
		struct probe_query *q = &z->ds_q[s];
		struct ds_view *v = XAPPEND(l->ds_views, l->n_ds_views);
		ldns_rr_list *set, *sigs;

		*v = (struct ds_view){ .server = server_ref(&p->srv[s]) };
		v->reply = probe_chain_take_reply(q);
		if (q->pkt == NULL)
			continue;
		*answered = true;
		set = probe_dnssec_select(q->pkt, LDNS_SECTION_ANSWER, zrdf,
					  LDNS_RR_TYPE_DS, 0);
		sigs = probe_dnssec_select(q->pkt, LDNS_SECTION_ANSWER, zrdf,
					   LDNS_RR_TYPE_RRSIG, LDNS_RR_TYPE_DS);
		if (ldns_rr_list_rr_count(set) > 0) {
			enum sig_check b;

			v->ds = xcalloc(ldns_rr_list_rr_count(set),
					sizeof(*v->ds));
			for (size_t i = 0; i < ldns_rr_list_rr_count(set); i++) {
				const ldns_rr *ds = ldns_rr_list_rr(set, i);

				probe_dnssec_ds_info(ds, z->keys, &v->ds[v->n_ds++]);
				ds_merge(l, merged, ds, z->keys);
			}
			if (l->ds_ttl == 0)
				l->ds_ttl = ldns_rr_ttl(ldns_rr_list_rr(set, 0));
			mark_zone_signers(w, pl, p->keys, set, sigs, &v->sigs,
					  &v->n_sigs);
			b = probe_dnssec_best_sig(v->sigs, v->n_sigs);
			if (*best_sig != SIG_VALID &&
			    (b == SIG_VALID || *best_sig == SIG_NO_KEY))
				*best_sig = b;
		} else {
			enum security d = probe_dnssec_check_denial(q->pkt,
				zrdf, LDNS_RR_TYPE_DS, p->keys, w->now,
				w->cfg->max_sig_checks,
				w->cfg->max_nsec3_iterations);

			if (l->neg_ttl == 0)
				l->neg_ttl = negative_ttl(q->pkt);
			if (denial_rank(d) > denial_rank(denial))
				denial = d;
		}
		ldns_rr_list_deep_free(set);
		ldns_rr_list_deep_free(sigs);
	}
	ldns_rr_list_deep_free(merged);
	return denial;
}

/* The configured anchor as the root link's "DS" set. */
static void link_anchor(struct walk *w, struct zone *root,
			struct chain_link *l)
{
	ldns_rr_list *rrs = probe_chain_parse_rrs(w->cfg->anchor_text);
	ldns_rr_list *merged = ldns_rr_list_new();

	for (size_t i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		ldns_rr *ds;
		struct ds_info *d;

		if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_DS) {
			ds_merge(l, merged, rr, root->keys);
			continue;
		}
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_DNSKEY)
			continue;
		/* A DNSKEY anchor matches by key data: its SHA-256 digest
		 * covers owner, flags, protocol, algorithm and key. */
		ds = ldns_key_rr2ds(rr, LDNS_SHA256);
		if (ds == NULL)
			continue;
		d = XAPPEND(l->ds, l->n_ds);
		probe_dnssec_ds_info(ds, root->keys, d);
		free(d->rr_text);
		d->rr_text = probe_dnssec_rr_text(rr);
		ldns_rr_free(ds);
	}
	ldns_rr_list_deep_free(merged);
	ldns_rr_list_deep_free(rrs);
}

/* SECURE when a DS/anchor matches a key whose RRSIG over the DNSKEYs holds. */
static enum security ds_verdict(const struct chain_link *l)
{
	bool usable = false;

	for (size_t i = 0; i < l->n_ds; i++) {
		const struct ds_info *d = &l->ds[i];

		if (d->match != DS_MATCH_UNSUPPORTED_DIGEST &&
		    algorithm_validated(d->algorithm))
			usable = true;
		if (d->match == DS_MATCH_OK && d->key_index >= 0 &&
		    (size_t)d->key_index < l->n_keys &&
		    l->keys[d->key_index].signs_dnskey)
			return SEC_SECURE;
	}
	/* Only algorithms or digests we cannot check: RFC 4035 5.2 says
	 * treat the zone as unsigned. */
	return usable ? SEC_BOGUS : SEC_INSECURE;
}

static enum security link_status(const struct chain_link *l,
				 enum security parent, enum security denial,
				 enum sig_check ds_sig, bool answered,
				 bool keys_answered)
{
	enum security own;

	if (l->parent == NULL) {
		if (!keys_answered)
			return SEC_UNKNOWN;
		return l->n_ds == 0 ? SEC_INSECURE : ds_verdict(l);
	}
	if (parent == SEC_INSECURE)
		return SEC_INSECURE;
	if (!answered)
		own = SEC_UNKNOWN;
	else if (l->n_ds == 0)
		own = denial == SEC_SECURE ? SEC_INSECURE : denial;
	else if (ds_sig == SIG_NOT_CHECKED)
		own = SEC_UNKNOWN;
	else if (ds_sig != SIG_VALID)
		own = SEC_BOGUS;	/* the parent's signing fault */
	else if (!keys_answered)
		own = SEC_UNKNOWN;
	else
		own = ds_verdict(l);
	if (parent == SEC_SECURE || own == SEC_BOGUS)
		return own;
	return parent;
}

/* ---------------------------------------------------------------- */

/* Ancestors of @p zone below the root, shortest first. New strings. */
static size_t ancestors(const char *zone, char ***out)
{
	ldns_rdf *d = ldns_dname_new_frm_str(zone);
	char **v = NULL;
	size_t n = 0;

	*out = NULL;
	while (d != NULL && ldns_dname_label_count(d) > 0 && n < MAX_CUTS) {
		ldns_rdf *up = ldns_dname_left_chop(d);

		*XAPPEND(v, n) = dname_text(d);
		ldns_rdf_deep_free(d);
		d = up;
	}
	ldns_rdf_deep_free(d);
	for (size_t i = 0; i < n / 2; i++) {
		char *t = v[i];

		v[i] = v[n - 1 - i];
		v[n - 1 - i] = t;
	}
	*out = v;
	return n;
}

/* Walks down from the root; fills w->zones with every cut found. */
static void discover(struct walk *w)
{
	char **names;
	size_t n_names = ancestors(w->cfg->zone, &names);

	for (size_t i = 0; i < n_names; i++) {
		struct zone *parent = &w->zones[w->n_zones - 1];
		struct zone child = { 0 };
		struct absence_ev *absent = NULL;
		enum level lv = probe_level(w, parent, names[i], &child,
					    &absent);

		/* Every server of the parent silent: ask once more before
		 * stopping. On a lossy path each question can lose all its
		 * tries; a stop here would leave the zone unseen. */
		if (lv == LEVEL_NO_ANSWER && parent->n_srv > 0) {
			zone_clear(&child);
			evidence_absence_free(absent);
			absent = NULL;
			lv = probe_level(w, parent, names[i], &child, &absent);
		}

		/* NXDOMAIN anywhere up the path, or NODATA for the zone's own
		 * NS: the zone does not exist, however its servers answer. */
		if (lv == LEVEL_NXDOMAIN ||
		    (lv == LEVEL_NO_CUT && i + 1 == n_names)) {
			const char **addrs = xcalloc(parent->n_srv + 1,
						     sizeof(*addrs));

			for (size_t s = 0; s < parent->n_srv; s++)
				addrs[s] = parent->srv[s].addr;
			if (lv == LEVEL_NXDOMAIN)
				probe_exist_nearby(w->io, w->opts, addrs,
						   parent->n_srv, absent);
			free(addrs);
			evidence_absence_free(w->ev->absent);
			w->ev->absent = absent;
			absent = NULL;
		}
		evidence_absence_free(absent);

		if (lv == LEVEL_CUT) {
			resolve_missing(w, &child);
			if (child.n_srv == 0)
				note(w->ev, "no address found for any "
				     "nameserver of %s", child.name);
			*XAPPEND(w->zones, w->n_zones) = child;
			continue;
		}
		zone_clear(&child);
		if (lv == LEVEL_NXDOMAIN) {
			note(w->ev, "%s does not exist (NXDOMAIN at %s)",
			     names[i], parent->name);
			break;
		}
		if (lv == LEVEL_NO_ANSWER) {
			note(w->ev, "no server of %s answered about %s",
			     parent->name, names[i]);
			break;
		}
	}
	strv_free(names, n_names);
}

/*
 * The apex NS set the zone's own servers serve (ev->child_ns); servers it
 * names that the delegation lacks join the zone, so that their DNSKEYs are
 * asked too. Returns the queries (kept for their NS RRSIGs); caller clears.
 */
static struct probe_query *apex_ns(struct walk *w, struct zone *last,
				   size_t *n_out)
{
	size_t n = last->n_srv;
	struct probe_query *q = xcalloc(n + 1, sizeof(*q));
	ldns_rdf *zrdf = ldns_dname_new_frm_str(last->name);

	for (size_t s = 0; s < n; s++)
		probe_chain_query_init(&q[s], last->srv[s].addr, last->name,
				       LDNS_RR_TYPE_NS, PQ_DO);
	run_batch(w->io, w->opts, q, n, w->ev);
	for (size_t s = 0; s < n && zrdf != NULL; s++) {
		ldns_rr_list *set;

		if (q[s].pkt == NULL)
			continue;
		set = probe_dnssec_select(q[s].pkt, LDNS_SECTION_ANSWER, zrdf,
					  LDNS_RR_TYPE_NS, 0);
		if (ldns_pkt_aa(q[s].pkt))
			last->apex_ns_ttl = max_ttl(set, last->apex_ns_ttl);
		for (size_t i = 0; i < ldns_rr_list_rr_count(set); i++) {
			const ldns_rdf *target =
				ldns_rr_rdf(ldns_rr_list_rr(set, i), 0);
			char *t = dname_text(target);

			strv_add(&w->ev->child_ns, &w->ev->n_child_ns, t);
			if (!strv_has(last->ns, last->n_ns, t) &&
			    ldns_dname_is_subdomain(target, zrdf))
				add_addresses(last, ldns_pkt_additional(q[s].pkt),
					      target, t);
			free(t);
		}
		ldns_rr_list_deep_free(set);
	}
	for (size_t i = 0; i < w->ev->n_child_ns; i++) {
		const char *t = w->ev->child_ns[i];
		char **a = NULL;
		size_t n_a;

		if (strv_has(last->ns, last->n_ns, t) || server_has_name(last, t))
			continue;
		n_a = resolve_from(w->io, w->cfg, w->opts, &w->zones[0], t, 0,
				   &a);
		for (size_t j = 0; j < n_a; j++)
			server_add(last, t, a[j]);
		strv_free(a, n_a);
	}
	ldns_rdf_deep_free(zrdf);
	*n_out = n;
	return q;
}

/* The DNSKEY batch, run on a thread of its own while the apex NS is asked. */
struct keys_batch {
	struct probe_io *io;
	const struct probe_io_opts *opts;
	struct probe_query *q;
	size_t n;
	unsigned late;		/* read after the join */
};

static void *keys_main(void *arg)
{
	struct keys_batch *kb = arg;

	kb->late = probe_io_run(kb->io, kb->q, kb->n, kb->opts);
	return NULL;
}

/* Keys of the zone whose signature over its apex NS RRset holds. */
static void mark_apex_signers(struct walk *w, struct zone *last,
			      struct probe_query *q, size_t n)
{
	ldns_rdf *zrdf = ldns_dname_new_frm_str(last->name);

	for (size_t s = 0; s < n && zrdf != NULL; s++) {
		ldns_rr_list *set, *sigs;

		if (q[s].pkt == NULL)
			continue;
		set = probe_dnssec_select(q[s].pkt, LDNS_SECTION_ANSWER, zrdf,
					  LDNS_RR_TYPE_NS, 0);
		sigs = probe_dnssec_select(q[s].pkt, LDNS_SECTION_ANSWER, zrdf,
					   LDNS_RR_TYPE_RRSIG, LDNS_RR_TYPE_NS);
		mark_zone_signers(w, &w->ev->chain[w->ev->n_chain - 1],
				  last->keys, set, sigs, NULL, NULL);
		ldns_rr_list_deep_free(set);
		ldns_rr_list_deep_free(sigs);
	}
	ldns_rdf_deep_free(zrdf);
}

/* Swaps the DNSKEY's TTL in @p k's DS texts for the parent's @p ds_ttl. */
static void ds_as_parent(struct key_info *k, uint32_t ds_ttl)
{
	char *t = evidence_ds_as_parent(k->ds_sha256, ds_ttl);

	free(k->ds_sha256);
	k->ds_sha256 = t;
	t = evidence_ds_as_parent(k->ds_sha384, ds_ttl);
	free(k->ds_sha384);
	k->ds_sha384 = t;
}

void ns_handoff_init(struct ns_handoff *h)
{
	*h = (struct ns_handoff){ .done = false };
	pthread_mutex_init(&h->lock, NULL);
	pthread_cond_init(&h->cond, NULL);
}

void ns_handoff_publish(struct ns_handoff *h, char *const *addrs, size_t n)
{
	if (h == NULL)
		return;
	LOCKRET(pthread_mutex_lock(&h->lock));
	if (!h->done) {
		h->addrs = n ? xcalloc(n, sizeof(*h->addrs)) : NULL;
		for (size_t i = 0; i < n; i++)
			h->addrs[i] = xstrdup(addrs[i]);
		h->n_addrs = n;
		h->done = true;
		LOCKRET(pthread_cond_broadcast(&h->cond));
	}
	LOCKRET(pthread_mutex_unlock(&h->lock));
}

void ns_handoff_wait(struct ns_handoff *h)
{
	LOCKRET(pthread_mutex_lock(&h->lock));
	while (!h->done)
		LOCKRET(pthread_cond_wait(&h->cond, &h->lock));
	LOCKRET(pthread_mutex_unlock(&h->lock));
}

void ns_handoff_destroy(struct ns_handoff *h)
{
	strv_free(h->addrs, h->n_addrs);
	pthread_cond_destroy(&h->cond);
	pthread_mutex_destroy(&h->lock);
}

/* Hands the delegation's server addresses on (see struct ns_handoff). */
static void publish_servers(struct ns_handoff *h, const struct zone *z)
{
	char **addrs = xcalloc(z->n_srv + 1, sizeof(*addrs));

	for (size_t s = 0; s < z->n_srv; s++)
		addrs[s] = z->srv[s].addr;
	ns_handoff_publish(h, addrs, z->n_srv);
	free(addrs);	/* the strings are the zone's */
}

/**
 * Fills ev->chain (root first), ev->parent_ns and ev->child_ns, and adds
 * notes for a walk that stopped early. Blocks for a few round trips (one
 * batch per level, then the apex NS and the DNSKEY batches at once). Everything it
 * adds is owned by @p ev. Any one thread per @p ev; @p io is shared.
 */
void probe_chain_collect(struct probe_io *io, const struct scan_config *cfg,
			 const struct probe_io_opts *opts, int64_t now,
			 struct evidence *ev, struct ns_handoff *handoff)
{
	struct walk w = { .io = io, .cfg = cfg, .opts = opts, .now = now,
			  .ev = ev };
	struct probe_query *fin, *apex = NULL;
	size_t n_fin = 0, off = 0, n_apex = 0, n_last;
	struct zone *last;
	enum security parent_status = SEC_SECURE;
	bool reached, keys_thread;
	struct keys_batch kb = { .io = io, .opts = opts };
	pthread_t keys_t;

	w.zones = xcalloc(1, sizeof(*w.zones));
	w.n_zones = 1;
	root_from_hints(&w.zones[0], cfg->hints_text);
	if (w.zones[0].n_srv == 0)
		note(ev, "%s", "the root hints give no server address");
	else
		discover(&w);
	last = &w.zones[w.n_zones - 1];
	reached = strcmp(last->name, cfg->zone) == 0;
	if (!reached)
		note(ev, "the deepest zone cut found above %s is %s",
		     cfg->zone, last->name);
	/* The nameserver checks may start now, while the keys are asked. */
	if (reached)
		publish_servers(handoff, last);
	/* The root has no parent: its NS set comes from the hints only. */
	for (size_t i = 0; reached && w.n_zones > 1 && i < last->n_ns; i++)
		strv_add(&ev->parent_ns, &ev->n_parent_ns, last->ns[i]);

	/*
	 * DNSKEY at every server of every zone, asked while the apex NS is
	 * (a silent server then costs one wait, not two); servers that only
	 * the apex NS names are asked after it, at the end of the array, so
	 * that each zone's queries stay together in zone order.
	 */
	for (size_t i = 0; i < w.n_zones; i++)
		n_fin += w.zones[i].n_srv;
	n_last = last->n_srv;
	fin = xcalloc(n_fin + 1, sizeof(*fin));
	for (size_t i = 0; i < w.n_zones; i++)
		for (size_t s = 0; s < w.zones[i].n_srv; s++)
			probe_chain_query_init(&fin[off++],
					       w.zones[i].srv[s].addr,
					       w.zones[i].name,
					       LDNS_RR_TYPE_DNSKEY, PQ_DO);
	kb.q = fin;
	kb.n = n_fin;
	keys_thread = thread_start(&keys_t, keys_main, &kb) == 0;
	if (!keys_thread)
		keys_main(&kb);
	apex = apex_ns(&w, last, &n_apex);
	if (keys_thread)
		LOCKRET(pthread_join(keys_t, NULL));
	ev->late_replies += kb.late;
	if (last->n_srv > n_last) {
		size_t more = last->n_srv - n_last;

		fin = xreallocarray(fin, n_fin + more + 1, sizeof(*fin));
		for (size_t s = n_last; s < last->n_srv; s++)
			probe_chain_query_init(&fin[n_fin + (s - n_last)],
					       last->srv[s].addr, last->name,
					       LDNS_RR_TYPE_DNSKEY, PQ_DO);
		run_batch(io, opts, fin + n_fin, more, ev);
		n_fin += more;
	}
	/* Short of the zone, that NS set is an ancestor's: its servers are
	 * not the zone's, and must not be judged as if they were. */
	if (!reached) {
		strv_free(ev->child_ns, ev->n_child_ns);
		ev->child_ns = NULL;
		ev->n_child_ns = 0;
	}

	off = 0;
	for (size_t i = 0; i < w.n_zones; i++) {
		struct zone *z = &w.zones[i];
		struct chain_link *l = XAPPEND(ev->chain, ev->n_chain);
		struct chain_link *pl = i > 0 ? &ev->chain[i - 1] : NULL;
		ldns_rdf *zrdf = ldns_dname_new_frm_str(z->name);
		enum security denial = SEC_UNKNOWN;
		enum sig_check ds_sig = SIG_NO_KEY;
		bool answered = false, keys_answered = false;

		*l = (struct chain_link){ .zone = xstrdup(z->name) };
		l->parent = i > 0 ? xstrdup(w.zones[i - 1].name) : NULL;
		l->anchored = i == 0;
		l->ns_ttl = i > 0 ? z->ns_ttl : 0;
		if (i + 1 == w.n_zones)
			l->child_ns_ttl = z->apex_ns_ttl;
		link_keys(&w, z, l, &fin[off], zrdf);
		for (size_t s = 0; s < z->n_srv; s++)
			keys_answered |= fin[off + s].pkt != NULL;
		off += z->n_srv;
		if (i == 0)
			link_anchor(&w, z, l);
		else
			denial = link_ds(&w, z, &w.zones[i - 1], l, pl, zrdf,
					 &ds_sig, &answered);
		/* The DS offered for each key: as the parent publishes it. */
		for (size_t k = 0; k < l->n_keys; k++)
			ds_as_parent(&l->keys[k], l->ds_ttl);
		l->status = link_status(l, parent_status, denial, ds_sig,
					answered, keys_answered);
		parent_status = l->status;
		ldns_rdf_deep_free(zrdf);
	}
	mark_apex_signers(&w, last, apex, n_apex);

	for (size_t i = 0; i < n_apex; i++)
		probe_query_clear(&apex[i]);
	free(apex);
	for (size_t i = 0; i < n_fin; i++)
		probe_query_clear(&fin[i]);
	free(fin);
	for (size_t i = 0; i < w.n_zones; i++)
		zone_clear(&w.zones[i]);
	free(w.zones);
	ns_handoff_publish(handoff, NULL, 0);	/* waiters go on without */
}
