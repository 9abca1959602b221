/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag_nsec3.c - rules on the zone's NSEC3 parameters (RFC 5155, RFC 9276)
 * as the authoritative servers serve them in their denial proofs.
 *
 * Above the iteration count validators accept, a denial is unauthenticated:
 * NXDOMAIN/NODATA without AD (or SERVFAIL, EDE 27, where the resolver does
 * so) although the zone is signed and nothing is "broken": degraded, with
 * the exact parameters to re-sign with. Iterations above 0 and salts are
 * warned (RFC 9276 3.1), opt-out noted.
 *
 * Pure: reads the evidence, adds findings, no I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag_rules.h"
#include "xmalloc.h"

/*
 * Validators treat NSEC3 with more iterations than this as insecure: BIND
 * 9.18, Unbound, Knot Resolver and PowerDNS Recursor 4 by default; some
 * newer releases already stop at 50 (DIAG_NSEC3_SOME_LIMIT).
 */
#define DIAG_NSEC3_LIMIT 150
#define DIAG_NSEC3_SOME_LIMIT 50

/* The exact re-signing parameters (RFC 9276: 0 iterations, no salt). */
static char *resign_fix(const char *zone)
{
	return xasprintf("Re-sign %s with NSEC3 iterations 0 and no salt "
			 "(RFC 9276), so that its NSEC3PARAM reads "
			 "'%s NSEC3PARAM 1 0 0 -'; or switch to NSEC:\n"
			 "    BIND: dnssec-policy { nsec3param iterations 0 "
			 "optout no salt-length 0; };\n"
			 "    Knot: policy nsec3-iterations: 0, "
			 "nsec3-salt-length: 0\n"
			 "    PowerDNS: pdnsutil set-nsec3 %s '1 0 0 -' && "
			 "pdnsutil rectify-zone %s\n"
			 "    ldns: ldns-signzone -n -t 0 -s - ...\n"
			 "Then check that every server serves the new chain "
			 "(NSEC3PARAM and the NSEC3 records agree).",
			 zone, zone, zone, zone);
}

/* Validating resolvers' negative answers without AD: the symptom. */
static void resolver_evidence(struct finding *f, const struct evidence *ev)
{
	char rb[16];

	for (size_t i = 0; i < ev->n_resolvers; i++) {
		const struct resolver_ev *r = &ev->resolvers[i];

		if (r->validating != VALIDATING_YES)
			continue;
		for (size_t j = 0; j < r->n_answers; j++) {
			const struct resolver_answer *a = &r->answers[j];
			const struct dns_reply *p = &a->reply;
			char *who;

			if (!diag_answered(p) ||
			    (p->rcode != RCODE_NXDOMAIN &&
			     !(p->rcode == RCODE_NOERROR && p->n_answer == 0)) ||
			    p->ad)
				continue;
			who = diag_server_label(r->name, r->address);
			diag_evidence(f, "%s: %s %s without AD (denial not "
				      "authenticated)%s", who, a->qname,
				      rcode_name(p->rcode, rb),
				      p->n_ede > 0 && p->ede[0].code == 27 ?
				      ", EDE 27" : "");
			free(who);
			break;
		}
	}
}

void diag_nsec3_rules(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;
	unsigned max_iter = 0;
	bool salt = false, opt_out = false, any = false;
	uint32_t ttl = 0;

	for (size_t i = 0; i < ev->n_nameservers; i++)
		for (size_t j = 0; j < ev->nameservers[i].n_checks; j++) {
			const struct zone_rrset_check *k =
				&ev->nameservers[i].checks[j];

			if (!k->has_nsec3)
				continue;
			any = true;
			if (k->nsec3_iterations > max_iter)
				max_iter = k->nsec3_iterations;
			salt |= k->nsec3_salt != NULL && *k->nsec3_salt != '\0';
			opt_out |= k->nsec3_opt_out;
			for (size_t s = 0; s < k->n_sigs; s++)
				if (k->sigs[s].original_ttl > ttl)
					ttl = k->sigs[s].original_ttl;
		}
	if (!any)
		return;

	enum finding_id id = max_iter > DIAG_NSEC3_SOME_LIMIT ?
			     FINDING_NSEC3_ITERATIONS_TOO_HIGH :
			     max_iter > 0 ? FINDING_NSEC3_ITERATIONS_NONZERO :
			     salt ? FINDING_NSEC3_SALT : FINDING_COUNT;

	if (id != FINDING_COUNT) {
		struct finding *f = diag_add(c, id, ev->zone);

		for (size_t i = 0; i < ev->n_nameservers; i++) {
			const struct ns_ev *ns = &ev->nameservers[i];

			for (size_t j = 0; j < ns->n_checks; j++) {
				const struct zone_rrset_check *k = &ns->checks[j];
				char rb[16];
				char *who;

				if (!k->has_nsec3)
					continue;
				who = diag_server_label(ns->name, ns->address);
				diag_evidence(f, "%s: %s %s proven by NSEC3 with "
					      "%u iterations, salt %s%s", who,
					      k->qname, k->rcode == RCODE_NOERROR ?
					      "NODATA" : rcode_name(k->rcode, rb),
					      k->nsec3_iterations,
					      k->nsec3_salt && *k->nsec3_salt ?
					      k->nsec3_salt : "none",
					      k->nsec3_opt_out ? ", opt-out" : "");
				free(who);
				break;
			}
		}
		if (id == FINDING_NSEC3_ITERATIONS_TOO_HIGH) {
			diag_summary(f, "%s uses NSEC3 with %u iterations: %s "
				     "treat its denials (NXDOMAIN/NODATA) as "
				     "unauthenticated (RFC 9276), as if the "
				     "names were unsigned", ev->zone, max_iter,
				     max_iter > DIAG_NSEC3_LIMIT ?
				     "validators (BIND, Unbound, Knot Resolver, "
				     "PowerDNS Recursor)" :
				     "some validators (above 50)");
			resolver_evidence(f, ev);
		} else if (id == FINDING_NSEC3_ITERATIONS_NONZERO) {
			diag_summary(f, "%s uses NSEC3 with %u iterations%s: RFC "
				     "9276 says 0; extra iterations cost "
				     "resolvers work and add no protection",
				     ev->zone, max_iter, salt ? " and a salt" :
				     "");
		} else {
			diag_summary(f, "%s uses an NSEC3 salt: RFC 9276 says "
				     "none; it adds no protection", ev->zone);
		}
		diag_fix(f, resign_fix(ev->zone));
		if (ttl > 0)
			diag_cache(f, c->now + ttl);
	}
	if (opt_out) {
		struct finding *f = diag_add(c, FINDING_NSEC3_OPT_OUT, ev->zone);

		diag_summary(f, "%s uses NSEC3 opt-out: unsigned delegations "
			     "may be added or removed without proof", ev->zone);
		diag_evidence(f, "the NSEC3 records of the denials have the "
			      "opt-out flag");
		diag_fix(f, xstrdup("Nothing to do unless the zone has no "
				    "large number of unsigned delegations; "
				    "then re-sign without opt-out."));
	}
}
