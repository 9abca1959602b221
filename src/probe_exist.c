/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_exist.c - when the zone does not exist, the names it may have been
 * meant to be: each swap of two adjacent letters of its first label, asked
 * (NS, RD=0) of the servers of the zone that denied it, in one batch. A
 * referral means the swapped name is delegated: "did you mean" it.
 *
 * Runs only after an authoritative NXDOMAIN, so a healthy zone costs
 * nothing. It judges nothing: diag_exist.c picks and words the suggestion.
 */
#include <stdlib.h>
#include <string.h>

#include "probe_dnssec.h"
#include "probe_io.h"
#include "probe_phases.h"
#include "xmalloc.h"

#define MAX_SWAPS 16		/* a label of 17 letters; longer ones: the first 16 */

/* Did @p pkt delegate (or, authoritatively, serve) @p name? */
static bool delegated(const ldns_pkt *pkt, const char *name)
{
	ldns_rdf *d = ldns_dname_new_frm_str(name);
	ldns_rr_list *ns;
	bool yes;

	if (d == NULL || pkt == NULL ||
	    ldns_pkt_get_rcode(pkt) != LDNS_RCODE_NOERROR) {
		ldns_rdf_deep_free(d);
		return false;
	}
	ns = probe_dnssec_select(pkt, ldns_pkt_aa(pkt) ? LDNS_SECTION_ANSWER :
				 LDNS_SECTION_AUTHORITY, d, LDNS_RR_TYPE_NS, 0);
	yes = ldns_rr_list_rr_count(ns) > 0;
	ldns_rr_list_deep_free(ns);
	ldns_rdf_deep_free(d);
	return yes;
}

void probe_exist_nearby(struct probe_io *io, const struct probe_io_opts *opts,
			const char *const *servers, size_t n_servers,
			struct absence_ev *a)
{
	char *names[MAX_SWAPS];
	struct probe_query q[MAX_SWAPS];
	size_t n = 0, len;
	const char *dot;

	if (a == NULL || a->name == NULL || n_servers == 0)
		return;
	dot = strchr(a->name, '.');
	len = dot != NULL ? (size_t)(dot - a->name) : strlen(a->name);
	for (size_t j = 0; j + 1 < len && n < MAX_SWAPS; j++) {
		char *c;

		/* A label with escapes (\DDD, \.) is not worth guessing at. */
		if (a->name[j] == '\\' || a->name[j + 1] == '\\')
			return;
		if (a->name[j] == a->name[j + 1])
			continue;
		c = xstrdup(a->name);
		c[j] = a->name[j + 1];
		c[j + 1] = a->name[j];
		names[n] = c;
		q[n] = (struct probe_query){ .server = servers[n % n_servers],
					     .port = 53, .qname = c,
					     .qtype = LDNS_RR_TYPE_NS };
		q[n].reply.rcode = -1;
		n++;
	}
	if (n > 0)
		probe_io_run(io, q, n, opts);
	for (size_t i = 0; i < n; i++) {
		bool seen = false;

		for (size_t k = 0; k < a->n_nearby; k++)
			seen |= strcmp(a->nearby[k], names[i]) == 0;
		if (!seen && delegated(q[i].pkt, names[i]))
			*XAPPEND(a->nearby, a->n_nearby) = xstrdup(names[i]);
		probe_query_clear(&q[i]);
		free(names[i]);
	}
}
