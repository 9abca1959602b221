/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_vantage.c - is our own path to the DNS sane? Before any zone is
 * judged, a few root server addresses from the hints are asked ". SOA" and
 * ". NS" over UDP and ". SOA" over TCP (RD=0), in one batch beside the
 * other phases. A root server answers these authoritatively (AA=1) over
 * both transports; a middlebox that answers for it does not, a host
 * without a route gets no answer at all, a path that drops TCP answers
 * only over UDP.
 *
 * Then the decoy (--decoy), an address where no DNS server runs, is asked
 * ". SOA" with RD=1, once and briefly: an interceptor that answers DNS for
 * every address answers it too (and may forge AA for the root, or answer
 * in place of a public resolver), while a sane path gets nothing back.
 *
 * It records what came back and judges nothing: diag_vantage.c does, with
 * the root's DNSKEY RRset and its signatures from the chain walk.
 */
#include <stdlib.h>
#include <string.h>

#include "probe_chain.h"
#include "probe_dnssec.h"
#include "probe_io.h"
#include "probe_phases.h"
#include "xmalloc.h"

#define VANTAGE_V4 3		/* root addresses asked, per family */
#define VANTAGE_V6 1
/* An interceptor on our path answers at once; a sane one never does, so
 * the decoy costs the scan at most this, beside the other phases. */
#define DECOY_TIMEOUT_MS 500

/* Up to VANTAGE_V4 IPv4 and VANTAGE_V6 IPv6 addresses from the hints,
 * spread over the servers (the hints list them server by server). */
static size_t root_addresses(const char *hints, char **out, size_t max)
{
	ldns_rr_list *rrs = probe_chain_parse_rrs(hints);
	size_t n = 0, v4 = 0, v6 = 0;

	for (size_t i = 0; i < ldns_rr_list_rr_count(rrs) && n < max; i++) {
		const ldns_rr *rr = ldns_rr_list_rr(rrs, i);
		ldns_rr_type t = ldns_rr_get_type(rr);
		char *a;

		if ((t != LDNS_RR_TYPE_A || v4 >= VANTAGE_V4) &&
		    (t != LDNS_RR_TYPE_AAAA || v6 >= VANTAGE_V6))
			continue;
		if (ldns_rr_rd_count(rr) < 1 ||
		    (a = ldns_rdf2str(ldns_rr_rdf(rr, 0))) == NULL)
			continue;
		out[n++] = xstrdup(a);
		free(a);
		if (t == LDNS_RR_TYPE_A)
			v4++;
		else
			v6++;
	}
	ldns_rr_list_deep_free(rrs);
	return n;
}

/* Does @p pkt's answer section hold ". @p type"? */
static bool has_root_rrset(const ldns_pkt *pkt, uint16_t type)
{
	ldns_rdf *root = ldns_dname_new_frm_str(".");
	ldns_rr_list *l;
	bool yes;

	if (pkt == NULL || root == NULL) {
		ldns_rdf_deep_free(root);
		return false;
	}
	l = probe_dnssec_select(pkt, LDNS_SECTION_ANSWER, root, type, 0);
	yes = ldns_rr_list_rr_count(l) > 0;
	ldns_rr_list_deep_free(l);
	ldns_rdf_deep_free(root);
	return yes;
}

static void ask_decoy(struct probe_io *io, const char *address,
		      const struct probe_io_opts *opts, struct vantage_probe *v,
		      unsigned *late)
{
	struct probe_io_opts brief = *opts;
	struct probe_query q = { 0 };

	brief.timeout_ms = DECOY_TIMEOUT_MS;
	brief.tries = 1;
	probe_chain_query_init(&q, address, ".", RRTYPE_SOA, PQ_RD);
	q.flags |= PQ_NO_TCP_FALLBACK;
	*late += probe_io_run(io, &q, 1, &brief);
	v->address = xstrdup(address);
	v->qtype = RRTYPE_SOA;
	v->decoy = true;
	v->has_data = has_root_rrset(q.pkt, RRTYPE_SOA);
	v->reply = probe_chain_take_reply(&q);
	probe_query_clear(&q);
}

void probe_vantage_collect(struct probe_io *io, const struct scan_config *cfg,
			   const struct probe_io_opts *opts,
			   struct evidence *ev)
{
	static const struct { uint16_t qtype; bool tcp; } asks[] = {
		{ RRTYPE_SOA, false }, { RRTYPE_NS, false }, { RRTYPE_SOA, true },
		/* Two questions per transport: one lost is a lossy path, not
		 * a path without TCP. */
		{ RRTYPE_NS, true },
	};
	enum { N_ASKS = sizeof(asks) / sizeof(asks[0]) };
	char *addr[VANTAGE_V4 + VANTAGE_V6];
	size_t n_addr = root_addresses(cfg->hints_text, addr,
				       VANTAGE_V4 + VANTAGE_V6);
	size_t n = n_addr * N_ASKS;
	struct probe_query *q;

	if (n_addr == 0)
		return;
	q = xcalloc(n, sizeof(*q));
	for (size_t i = 0; i < n; i++) {
		probe_chain_query_init(&q[i], addr[i / N_ASKS], ".",
				       asks[i % N_ASKS].qtype,
				       asks[i % N_ASKS].tcp ? PQ_TCP : 0);
		/* A truncated UDP answer is still an answer, for this. */
		q[i].flags |= PQ_NO_TCP_FALLBACK;
	}
	ev->late_replies += probe_io_run(io, q, n, opts);
	ev->vantage = xcalloc(n + 1, sizeof(*ev->vantage));
	for (size_t i = 0; i < n; i++) {
		struct vantage_probe *v = &ev->vantage[ev->n_vantage++];

		v->address = xstrdup(q[i].server);
		v->qtype = q[i].qtype;
		v->tcp = asks[i % N_ASKS].tcp;
		v->has_data = has_root_rrset(q[i].pkt, q[i].qtype);
		v->reply = probe_chain_take_reply(&q[i]);
		probe_query_clear(&q[i]);
	}
	free(q);
	for (size_t i = 0; i < n_addr; i++)
		free(addr[i]);
	if (cfg->decoy != NULL)
		ask_decoy(io, cfg->decoy, opts, &ev->vantage[ev->n_vantage++],
			  &ev->late_replies);
}
