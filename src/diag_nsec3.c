/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag_nsec3.c - rules on the zone's NSEC3 parameters (RFC 5155, RFC 9276)
 * as the authoritative servers serve them in their denial proofs.
 *
 * Above the iteration count validators accept, a denial is unauthenticated:
 * NXDOMAIN/NODATA without AD (or SERVFAIL, EDE 27, where the resolver does
 * so) although the zone is signed and nothing is "broken": degraded, with
 * the exact parameters to re-sign with. Iterations above 0 and salts are
 * warned (RFC 9276 3.1), opt-out noted. An NSEC3PARAM that does not
 * describe the chain a server's denials use is its own finding: servers
 * such as NSD and Knot pick the chain for their denials by it.
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

/* The first NSEC3 of @p ns's denials (its chain's parameters), or NULL. */
static const struct zone_rrset_check *chain_of(const struct ns_ev *ns)
{
	for (size_t j = 0; j < ns->n_checks; j++)
		if (ns->checks[j].has_nsec3)
			return &ns->checks[j];
	return NULL;
}

/* A negative answer (NXDOMAIN or NODATA) of @p ns, or NULL. */
static const struct zone_rrset_check *denial_of(const struct ns_ev *ns)
{
	for (size_t j = 0; j < ns->n_checks; j++) {
		const struct zone_rrset_check *k = &ns->checks[j];

		if (k->rcode == RCODE_NXDOMAIN ||
		    (k->rcode == RCODE_NOERROR && k->n_rrs == 0 &&
		     k->cname == NULL))
			return k;
	}
	return NULL;
}

static const char *salt_or_dash(const char *salt)
{
	return salt != NULL && *salt ? salt : "-";
}

/* Do @p ns's NSEC3PARAM and its chain @p k name the same parameters? */
static bool param_matches(const struct ns_ev *ns,
			  const struct zone_rrset_check *k)
{
	return ns->nsec3param_alg == 1 &&
	       ns->nsec3param_iterations == k->nsec3_iterations &&
	       strcmp(salt_or_dash(ns->nsec3param_salt),
		      salt_or_dash(k->nsec3_salt)) == 0;
}

/* How one server's NSEC3PARAM stands to the chain its denials use. */
enum param_fit {
	FIT_UNSEEN,	/* the question got no answer: could not see */
	FIT_NONE,	/* neither NSEC3PARAM nor NSEC3 denials */
	FIT_OK,		/* NSEC3PARAM and chain agree, or no denial seen */
	FIT_DIFFERS,	/* NSEC3PARAM names other parameters than the chain */
	FIT_NO_CHAIN,	/* NSEC3PARAM, but the denials carry no NSEC3 */
	FIT_NO_PARAM,	/* NSEC3 denials, but no NSEC3PARAM */
};

static enum param_fit param_fit(const struct ns_ev *ns)
{
	const struct zone_rrset_check *k = chain_of(ns);

	if (!ns->nsec3param_answered)
		return FIT_UNSEEN;
	if (!ns->has_nsec3param)
		return k != NULL ? FIT_NO_PARAM : FIT_NONE;
	if (k != NULL)
		return param_matches(ns, k) ? FIT_OK : FIT_DIFFERS;
	return denial_of(ns) != NULL ? FIT_NO_CHAIN : FIT_OK;
}

/* One evidence line: what @p ns serves, against its chain. */
static void param_evidence(struct finding *f, const struct ns_ev *ns,
			   enum param_fit fit)
{
	const struct zone_rrset_check *k = chain_of(ns), *d = denial_of(ns);
	char *mine = evidence_nsec3param_rdata(ns);
	char *who = diag_server_label(ns->name, ns->address);
	char rb[16];

	switch (fit) {
	case FIT_DIFFERS:
		diag_evidence(f, "%s: NSEC3PARAM %s, but its denials use NSEC3 "
			      "with %u iterations, salt %s", who, mine,
			      k->nsec3_iterations, salt_or_dash(k->nsec3_salt));
		break;
	case FIT_NO_CHAIN:
		diag_evidence(f, "%s: NSEC3PARAM %s, but its denial (%s %s) "
			      "carries no NSEC3 record", who, mine, d->qname,
			      d->rcode == RCODE_NOERROR ? "NODATA" :
			      rcode_name(d->rcode, rb));
		break;
	case FIT_NO_PARAM:
		diag_evidence(f, "%s: no NSEC3PARAM, but its denials use NSEC3 "
			      "with %u iterations, salt %s", who,
			      k->nsec3_iterations, salt_or_dash(k->nsec3_salt));
		break;
	case FIT_OK:
		diag_evidence(f, "%s: NSEC3PARAM %s%s", who, mine,
			      k != NULL ? ", as its chain" : "");
		break;
	case FIT_NONE:
		diag_evidence(f, "%s: no NSEC3PARAM", who);
		break;
	case FIT_UNSEEN:
		diag_evidence(f, "%s: NSEC3PARAM not seen (no answer)", who);
		break;
	}
	free(who);
	free(mine);
}

/*
 * NSEC3PARAM against the chain each server's denials use, and across
 * servers. A server whose answer we did not get is "could not see", never
 * a mismatch.
 */
static void nsec3param_rules(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;
	const struct zone_rrset_check *chain = NULL;
	char *first = NULL;	/* the first answering server's, NULL: none */
	bool differ = false;
	size_t bad = 0, seen = 0;

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];
		enum param_fit fit = param_fit(ns);
		char *mine;

		if (fit == FIT_UNSEEN)
			continue;
		bad += fit >= FIT_DIFFERS;
		if (chain == NULL)
			chain = chain_of(ns);
		mine = evidence_nsec3param_rdata(ns);
		if (seen++ == 0) {
			first = mine;
			continue;
		}
		/* A server without one differs from a server with one. */
		differ |= (first == NULL) != (mine == NULL) ||
			  (first != NULL && strcmp(first, mine) != 0);
		free(mine);
	}
	free(first);
	if (bad == 0 && !differ)
		return;

	struct finding *f = diag_add(c, FINDING_NSEC3PARAM_MISMATCH, ev->zone);

	for (size_t i = 0; i < ev->n_nameservers; i++)
		param_evidence(f, &ev->nameservers[i],
			       param_fit(&ev->nameservers[i]));
	/* The denials that fail for it: point the room at the cause. */
	struct finding *denial = diag_find(c, FINDING_DENIAL_PROOF_INVALID,
					   ev->zone);

	if (bad > 0 && denial != NULL)
		diag_evidence(denial, "likely cause: the NSEC3PARAM names a "
			      "chain these servers' denials do not carry "
			      "(nsec3param-mismatch)");
	if (bad > 0)
		diag_summary(f, "%s: the NSEC3PARAM does not describe the NSEC3 "
			     "chain the denials use on %zu of %zu servers: "
			     "servers that pick the chain by it (NSD, Knot) "
			     "can answer NXDOMAIN/NODATA without proof, which "
			     "validators fail", ev->zone, bad, seen);
	else
		diag_summary(f, "%s: the servers publish different NSEC3PARAM "
			     "records: they serve different versions or "
			     "signers of the zone", ev->zone);
	if (chain != NULL)
		diag_fix(f, xasprintf("Re-sign %s so that its NSEC3 chain and "
				      "NSEC3PARAM agree, and serve that "
				      "version on every server. The chain the "
				      "denials use now is:\n    %s IN "
				      "NSEC3PARAM 1 0 %u %s\n(RFC 9276 "
				      "recommends 1 0 0 -.)", ev->zone,
				      ev->zone, chain->nsec3_iterations,
				      salt_or_dash(chain->nsec3_salt)));
	else
		diag_fix(f, xasprintf("Re-sign %s with one NSEC3 parameter "
				      "set (RFC 9276: %s IN NSEC3PARAM 1 0 0 "
				      "-), or with NSEC and no NSEC3PARAM, and "
				      "serve that version on every server.",
				      ev->zone, ev->zone));
}

void diag_nsec3_rules(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;
	unsigned max_iter = 0;
	bool salt = false, opt_out = false, any = false;
	uint32_t ttl = 0;

	nsec3param_rules(c);
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
