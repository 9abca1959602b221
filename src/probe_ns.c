/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_ns.c - every authoritative server address of the zone, asked
 * directly (RD=0, DO=1) over UDP and over TCP: SOA serial, DNSKEY tags,
 * truncation of the big DNSKEY answer, NSID, RRSIG expiry, CDS/CDNSKEY,
 * NSEC3PARAM, and for each question of the plan what this server serves,
 * signatures checked against the keys THIS server serves (so one stale
 * server shows up as itself).
 *
 * Its queries to the delegation's addresses start as soon as the chain walk
 * has them (probe_ns_prefetch(), on a thread of its own, while the walk
 * asks for the keys); the evidence is filled after the walk, which gives
 * the rest: the apex NS set's extra servers (asked then, in one batch) and
 * the keys. Names without an address are looked up from the root hints.
 * No verdicts beyond per-answer checks.
 */
#include <pthread.h>
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

/* Per address: SOA/UDP, SOA/TCP, DNSKEY/UDP, DNSKEY/TCP, CDS, CDNSKEY,
 * NSEC3PARAM, then the plan. */
enum { Q_SOA_UDP, Q_SOA_TCP, Q_KEY_UDP, Q_KEY_TCP, Q_CDS, Q_CDNSKEY,
       Q_NSEC3PARAM, Q_FIXED };
/* Addresses asked at most (names x addresses), against a huge NS set. */
#define MAX_NS_ADDRS 64

static bool strv_has(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

static struct ns_ev *ns_add(struct evidence *ev, const char *name,
			    const char *addr)
{
	struct ns_ev *ns;

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		ns = &ev->nameservers[i];
		if (strcmp(ns->name, name) == 0 && ns->address != NULL &&
		    addr != NULL && strcmp(ns->address, addr) == 0)
			return ns;
	}
	if (ev->n_nameservers >= MAX_NS_ADDRS)
		return NULL;
	ns = XAPPEND(ev->nameservers, ev->n_nameservers);
	*ns = (struct ns_ev){ .name = xstrdup(name),
			      .address = xstrdup_null(addr) };
	ns->in_parent = strv_has(ev->parent_ns, ev->n_parent_ns, name);
	ns->in_child = strv_has(ev->child_ns, ev->n_child_ns, name);
	ns->soa_udp.rcode = ns->soa_tcp.rcode = -1;
	ns->dnskey_udp.rcode = ns->dnskey_tcp.rcode = -1;
	return ns;
}

/* Every (name, address) of the zone: the chain's glue first, then lookups. */
static void collect_servers(struct probe_io *io, const struct scan_config *cfg,
			    const struct probe_io_opts *opts,
			    struct evidence *ev)
{
	const struct chain_link *last = NULL;
	char **names = NULL;
	size_t n_names = 0;

	if (ev->n_chain > 0 && strcmp(ev->chain[ev->n_chain - 1].zone,
				      cfg->zone) == 0)
		last = &ev->chain[ev->n_chain - 1];
	for (size_t i = 0; i < ev->n_parent_ns; i++)
		if (!strv_has(names, n_names, ev->parent_ns[i]))
			*XAPPEND(names, n_names) = ev->parent_ns[i];
	for (size_t i = 0; i < ev->n_child_ns; i++)
		if (!strv_has(names, n_names, ev->child_ns[i]))
			*XAPPEND(names, n_names) = ev->child_ns[i];

	for (size_t i = 0; i < n_names; i++) {
		bool have = false;
		char **addrs = NULL;
		size_t n;

		for (size_t s = 0; last != NULL && s < last->n_dnskey_views; s++) {
			const struct server_ref *r = &last->dnskey_views[s].server;

			if (strcmp(r->ns_name, names[i]) == 0) {
				ns_add(ev, names[i], r->address);
				have = true;
			}
		}
		if (have)
			continue;
		n = probe_chain_resolve(io, cfg, opts, names[i], &addrs);
		for (size_t a = 0; a < n; a++) {
			ns_add(ev, names[i], addrs[a]);
			free(addrs[a]);
		}
		free(addrs);
		if (n == 0)
			ns_add(ev, names[i], NULL);	/* did not resolve */
	}
	free(names);	/* the strings are the evidence's */
}

static void note_expiry(struct ns_ev *ns, const struct rrsig_info *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (ns->earliest_expiration == 0 ||
		    s[i].expiration < ns->earliest_expiration)
			ns->earliest_expiration = s[i].expiration;
}

/* RRSIGs over @p type at @p owner in @p pkt, checked against @p keys. */
static size_t answer_sigs(const ldns_pkt *pkt, const ldns_rdf *owner,
			  uint16_t type, const ldns_rr_list *keys,
			  const struct scan_config *cfg, int64_t now,
			  struct rrsig_info **out, size_t *n_rrs)
{
	ldns_rr_list *set = probe_dnssec_select(pkt, LDNS_SECTION_ANSWER,
						owner, type, 0);
	ldns_rr_list *sigs = probe_dnssec_select(pkt, LDNS_SECTION_ANSWER,
						 owner, LDNS_RR_TYPE_RRSIG, type);
	size_t n = probe_dnssec_check_sigs(set, sigs, keys, now,
					   cfg->max_sig_checks, out, NULL);

	/* Without any key set (DNSKEY unreachable), "no key" would accuse
	 * the signatures of what is a transport problem. */
	for (size_t i = 0; ldns_rr_list_rr_count(keys) == 0 && i < n; i++)
		(*out)[i].check = SIG_NOT_CHECKED;

	if (n_rrs != NULL)
		*n_rrs = ldns_rr_list_rr_count(set);
	ldns_rr_list_deep_free(set);
	ldns_rr_list_deep_free(sigs);
	return n;
}

/* The CDS and CDNSKEY RRsets this server serves, matched to its keys. */
static void fill_cds(struct ns_ev *ns, const struct probe_query *q,
		     const ldns_rdf *zone, const ldns_rr_list *keys)
{
	static const struct { int q; uint16_t type; } which[] = {
		{ Q_CDS, LDNS_RR_TYPE_CDS }, { Q_CDNSKEY, LDNS_RR_TYPE_CDNSKEY },
	};

	ns->cds_answered = q[Q_CDS].pkt != NULL && q[Q_CDNSKEY].pkt != NULL;
	for (size_t w = 0; w < 2; w++) {
		ldns_rr_list *set = probe_dnssec_select(q[which[w].q].pkt,
			LDNS_SECTION_ANSWER, zone, which[w].type, 0);

		for (size_t i = 0; i < ldns_rr_list_rr_count(set) && i < 64; i++) {
			struct ds_info *d = w == 0 ?
				XAPPEND(ns->cds, ns->n_cds) :
				XAPPEND(ns->cdnskey, ns->n_cdnskey);

			probe_dnssec_cds_info(ldns_rr_list_rr(set, i), keys, d);
			d->key_index = -1;	/* this server's list: none */
		}
		ldns_rr_list_deep_free(set);
	}
}

/* Fills one server's evidence from its slice of the batch. */
static void fill_server(struct ns_ev *ns, struct probe_query *q,
			const struct probe_plan *plan,
			const struct scan_config *cfg, int64_t now,
			const ldns_rr_list *chain_keys)
{
	ldns_rdf *zone = ldns_dname_new_frm_str(cfg->zone);
	const ldns_pkt *kp = q[Q_KEY_TCP].pkt != NULL ? q[Q_KEY_TCP].pkt :
			     q[Q_KEY_UDP].pkt;
	ldns_rr_list *keys = probe_dnssec_select(kp, LDNS_SECTION_ANSWER, zone,
						 LDNS_RR_TYPE_DNSKEY, 0);
	struct rrsig_info *s;
	size_t n;

	for (size_t i = 0; i < ldns_rr_list_rr_count(keys); i++)
		*XAPPEND(ns->dnskey_tags, ns->n_dnskey_tags) =
			probe_dnssec_keytag(ldns_rr_list_rr(keys, i));
	/* No DNSKEY answer from this server (e.g. TCP blocked): check its
	 * signatures against the keys the chain phase saw, rather than
	 * calling every signature keyless. */
	if (ldns_rr_list_rr_count(keys) == 0 && chain_keys != NULL) {
		ldns_rr_list_deep_free(keys);
		keys = ldns_rr_list_clone(chain_keys);
	}

	for (int t = Q_SOA_UDP; t <= Q_SOA_TCP; t++) {
		ldns_rr_list *soa = probe_dnssec_select(q[t].pkt,
			LDNS_SECTION_ANSWER, zone, LDNS_RR_TYPE_SOA, 0);

		if (!ns->has_serial && ldns_rr_list_rr_count(soa) > 0 &&
		    ldns_rr_rd_count(ldns_rr_list_rr(soa, 0)) >= 3) {
			ns->serial = ldns_rdf2native_int32(
				ldns_rr_rdf(ldns_rr_list_rr(soa, 0), 2));
			ns->has_serial = true;
		}
		ldns_rr_list_deep_free(soa);
		n = answer_sigs(q[t].pkt, zone, LDNS_RR_TYPE_SOA, keys, cfg,
				now, &s, NULL);
		note_expiry(ns, s, n);
		probe_dnssec_sigs_free(s, n);
	}
	n = answer_sigs(kp, zone, LDNS_RR_TYPE_DNSKEY, keys, cfg, now, &s, NULL);
	note_expiry(ns, s, n);
	probe_dnssec_sigs_free(s, n);
	fill_cds(ns, q, zone, keys);
	/* An answer from the zone itself (AA): an empty one means none. */
	if (q[Q_NSEC3PARAM].pkt != NULL && ldns_pkt_aa(q[Q_NSEC3PARAM].pkt) &&
	    ldns_pkt_get_rcode(q[Q_NSEC3PARAM].pkt) == LDNS_RCODE_NOERROR) {
		ns->nsec3param_answered = true;
		ns->has_nsec3param = probe_dnssec_nsec3param(
			q[Q_NSEC3PARAM].pkt, zone, &ns->nsec3param_alg,
			&ns->nsec3param_flags, &ns->nsec3param_iterations,
			&ns->nsec3param_salt);
	}

	ns->soa_udp = probe_chain_take_reply(&q[Q_SOA_UDP]);
	ns->soa_tcp = probe_chain_take_reply(&q[Q_SOA_TCP]);
	ns->dnskey_udp = probe_chain_take_reply(&q[Q_KEY_UDP]);
	ns->dnskey_tcp = probe_chain_take_reply(&q[Q_KEY_TCP]);

	ns->checks = plan->n_items ?
		     xcalloc(plan->n_items, sizeof(*ns->checks)) : NULL;
	ns->n_checks = plan->n_items;
	for (size_t i = 0; i < plan->n_items; i++) {
		struct zone_rrset_check *c = &ns->checks[i];
		const ldns_pkt *pkt = q[Q_FIXED + i].pkt;
		ldns_rdf *qname = ldns_dname_new_frm_str(plan->items[i].qname);

		c->qname = xstrdup(plan->items[i].qname);
		c->qtype = plan->items[i].qtype;
		c->rcode = -1;
		c->denial = SEC_UNKNOWN;
		if (pkt != NULL && qname != NULL) {
			c->rcode = ldns_pkt_get_rcode(pkt);
			c->n_sigs = answer_sigs(pkt, qname, c->qtype, keys,
						cfg, now, &c->sigs, &c->n_rrs);
			note_expiry(ns, c->sigs, c->n_sigs);
			c->denial = probe_dnssec_check_denial(pkt, qname,
				c->qtype, keys, now, cfg->max_sig_checks,
				cfg->max_nsec3_iterations);
			c->has_nsec3 = probe_dnssec_nsec3_params(pkt,
				&c->nsec3_iterations, &c->nsec3_salt,
				&c->nsec3_opt_out);
			c->cname = probe_dnssec_alias_target(pkt, qname);
		}
		ldns_rdf_deep_free(qname);
	}
	ldns_rr_list_deep_free(keys);
	ldns_rdf_deep_free(zone);
}

/* The zone's keys as the chain phase merged them, back as ldns RRs. */
static ldns_rr_list *zone_keys(const struct scan_config *cfg,
			       const struct evidence *ev)
{
	const struct chain_link *l;
	ldns_rr_list *keys;

	if (ev->n_chain == 0)
		return NULL;
	l = &ev->chain[ev->n_chain - 1];
	if (strcmp(l->zone, cfg->zone) != 0 || l->n_keys == 0)
		return NULL;
	keys = ldns_rr_list_new();
	for (size_t k = 0; k < l->n_keys; k++) {
		ldns_rr *rr = NULL;

		if (ldns_rr_new_frm_str(&rr, l->keys[k].rr_text, 0, NULL,
					NULL) == LDNS_STATUS_OK)
			ldns_rr_list_push_rr(keys, rr);
	}
	return keys;
}

/* The questions every server address gets, into @p mine[0..per). */
static void server_queries(struct probe_query *mine, const char *a,
			   const struct scan_config *cfg,
			   const struct probe_plan *plan)
{
	probe_chain_query_init(&mine[Q_SOA_UDP], a, cfg->zone,
			       LDNS_RR_TYPE_SOA, PQ_DO | PQ_NSID);
	probe_chain_query_init(&mine[Q_SOA_TCP], a, cfg->zone,
			       LDNS_RR_TYPE_SOA, PQ_DO | PQ_TCP);
	probe_chain_query_init(&mine[Q_KEY_UDP], a, cfg->zone,
			       LDNS_RR_TYPE_DNSKEY, PQ_DO | PQ_NO_TCP_FALLBACK);
	probe_chain_query_init(&mine[Q_KEY_TCP], a, cfg->zone,
			       LDNS_RR_TYPE_DNSKEY, PQ_DO | PQ_TCP);
	probe_chain_query_init(&mine[Q_CDS], a, cfg->zone, LDNS_RR_TYPE_CDS,
			       PQ_DO);
	probe_chain_query_init(&mine[Q_CDNSKEY], a, cfg->zone,
			       LDNS_RR_TYPE_CDNSKEY, PQ_DO);
	probe_chain_query_init(&mine[Q_NSEC3PARAM], a, cfg->zone,
			       LDNS_RR_TYPE_NSEC3PARAM, PQ_DO);
	for (size_t p = 0; p < plan->n_items; p++)
		probe_chain_query_init(&mine[Q_FIXED + p], a,
				       plan->items[p].qname,
				       plan->items[p].qtype, PQ_DO);
}

/* Queries to known addresses, run before the walk ends. */
struct ns_prefetch {
	struct probe_io *io;
	const struct probe_io_opts *opts;
	char **addrs;		/* owned */
	bool *taken;		/* per address: a server's evidence has it */
	size_t n_addrs, per;
	struct probe_query *q;	/* per address, per queries; owned */
	unsigned late;		/* read after the join */
	pthread_t thread;
	bool running;
};

static void *prefetch_main(void *arg)
{
	struct ns_prefetch *pf = arg;

	pf->late = probe_io_run(pf->io, pf->q, pf->n_addrs * pf->per, pf->opts);
	return NULL;
}

struct ns_prefetch *probe_ns_prefetch(struct probe_io *io,
				      const struct scan_config *cfg,
				      const struct probe_io_opts *opts,
				      const struct probe_plan *plan,
				      char *const *addrs, size_t n)
{
	struct ns_prefetch *pf;

	if (n == 0)
		return NULL;
	if (n > MAX_NS_ADDRS)
		n = MAX_NS_ADDRS;
	pf = xcalloc(1, sizeof(*pf));
	pf->io = io;
	pf->opts = opts;
	pf->per = Q_FIXED + plan->n_items;
	pf->n_addrs = n;
	pf->addrs = xcalloc(n, sizeof(*pf->addrs));
	pf->taken = xcalloc(n, sizeof(*pf->taken));
	pf->q = xcalloc(n * pf->per, sizeof(*pf->q));
	for (size_t i = 0; i < n; i++) {
		pf->addrs[i] = xstrdup(addrs[i]);
		server_queries(&pf->q[i * pf->per], pf->addrs[i], cfg, plan);
	}
	pf->running = thread_start(&pf->thread, prefetch_main, pf) == 0;
	if (!pf->running) {
		probe_ns_prefetch_free(pf);	/* asked in the batch instead */
		return NULL;
	}
	return pf;
}

static void prefetch_join(struct ns_prefetch *pf)
{
	if (pf != NULL && pf->running)
		LOCKRET(pthread_join(pf->thread, NULL));
	if (pf != NULL)
		pf->running = false;
}

void probe_ns_prefetch_free(struct ns_prefetch *pf)
{
	if (pf == NULL)
		return;
	prefetch_join(pf);
	for (size_t i = 0; i < pf->n_addrs * pf->per; i++)
		probe_query_clear(&pf->q[i]);
	for (size_t i = 0; i < pf->n_addrs; i++)
		free(pf->addrs[i]);
	free(pf->q);
	free(pf->addrs);
	free(pf->taken);
	free(pf);
}

/* @p addr's queries in @p pf, not given to another server yet, or NULL. */
static struct probe_query *prefetched(struct ns_prefetch *pf, const char *addr)
{
	for (size_t i = 0; pf != NULL && i < pf->n_addrs; i++)
		if (!pf->taken[i] && strcmp(pf->addrs[i], addr) == 0) {
			pf->taken[i] = true;
			return &pf->q[i * pf->per];
		}
	return NULL;
}

/*
 * Both TCP questions to a server timed out while it answered over UDP: TCP
 * is blocked, or the path lost every handshake (a lossy link, a busy
 * server). Before the evidence says "timeout", one more SOA over TCP, with
 * a whole budget, for all such servers at once: a wrong tcp-unreachable
 * sends the room to a firewall that is fine. An answer takes the first
 * try's place; a silent TCP port costs one more budget, that is all.
 */
static void tcp_ask_again(struct probe_io *io, const struct scan_config *cfg,
			  const struct probe_io_opts *opts, struct evidence *ev,
			  struct probe_query **slice)
{
	struct probe_query *again = xcalloc(ev->n_nameservers + 1, sizeof(*again));
	size_t *of = xcalloc(ev->n_nameservers + 1, sizeof(*of)), n = 0;

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct probe_query *s = slice[i];

		if (s == NULL || s[Q_SOA_TCP].reply.outcome != OUTCOME_TIMEOUT ||
		    s[Q_KEY_TCP].reply.outcome != OUTCOME_TIMEOUT ||
		    (s[Q_SOA_UDP].reply.outcome != OUTCOME_ANSWER &&
		     s[Q_KEY_UDP].reply.outcome != OUTCOME_ANSWER))
			continue;
		probe_chain_query_init(&again[n], ev->nameservers[i].address,
				       cfg->zone, LDNS_RR_TYPE_SOA,
				       PQ_DO | PQ_TCP | PQ_FULL_BUDGET);
		of[n++] = i;
	}
	if (n > 0)
		ev->late_replies += probe_io_run(io, again, n, opts);
	for (size_t k = 0; k < n; k++) {
		struct probe_query *first = &slice[of[k]][Q_SOA_TCP];

		if (again[k].reply.outcome == OUTCOME_ANSWER) {
			probe_query_clear(first);
			*first = again[k];
		} else {
			probe_query_clear(&again[k]);
		}
	}
	free(again);
	free(of);
}

/**
 * Fills ev->nameservers: one entry per (NS name, address) of the union of
 * ev->parent_ns and ev->child_ns (so it runs after probe_chain_collect), a
 * name that did not resolve as one entry without address. One batch, plus
 * lookups for names the chain gave no address. Owned by @p ev. Any one
 * thread per @p ev; @p io is shared.
 */
void probe_ns_collect(struct probe_io *io, const struct scan_config *cfg,
		      const struct probe_io_opts *opts,
		      const struct probe_plan *plan, int64_t now,
		      struct evidence *ev, struct ns_prefetch *pf)
{
	size_t per = Q_FIXED + plan->n_items, n_q = 0, off = 0;
	struct probe_query *q, **slice;
	ldns_rr_list *chain_keys;

	collect_servers(io, cfg, opts, ev);
	/* Each server's queries: prefetched, or asked now in one batch. */
	slice = xcalloc(ev->n_nameservers + 1, sizeof(*slice));
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const char *a = ev->nameservers[i].address;

		if (a != NULL && (slice[i] = prefetched(pf, a)) == NULL)
			n_q += per;
	}
	q = xcalloc(n_q + 1, sizeof(*q));
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const char *a = ev->nameservers[i].address;

		if (a == NULL || slice[i] != NULL)
			continue;	/* did not resolve, or prefetched */
		slice[i] = &q[off];
		server_queries(slice[i], a, cfg, plan);
		off += per;
	}
	ev->late_replies += probe_io_run(io, q, n_q, opts);
	prefetch_join(pf);
	if (pf != NULL)
		ev->late_replies += pf->late;
	tcp_ask_again(io, cfg, opts, ev, slice);

	chain_keys = zone_keys(cfg, ev);
	for (size_t i = 0; i < ev->n_nameservers; i++)
		if (slice[i] != NULL)
			fill_server(&ev->nameservers[i], slice[i], plan, cfg,
				    now, chain_keys);
	ldns_rr_list_deep_free(chain_keys);
	for (size_t j = 0; j < n_q; j++)
		probe_query_clear(&q[j]);
	free(q);
	free(slice);
	probe_ns_prefetch_free(pf);
}
