/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag_alias.c - names of the zone that are aliases (CNAME, or a CNAME a
 * DNAME synthesised) into another zone, as the zone's own servers answer.
 *
 * When validators fail on an alias while the zone's own chain holds, the
 * break is in the target's zone, which is not ours to fix: the finding
 * says so, names the target and its owner as the one who must act, and
 * gives what the zone's operator can do meanwhile (repoint the alias, an
 * NTA for the target's zone on the resolvers they run). Without it, the
 * validators' correct EDE would look like a disagreement and the advice
 * would be to flush caches.
 *
 * Pure: reads the evidence, adds findings, no I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag_rules.h"
#include "xmalloc.h"

/* Is absolute @p name at or under the zone @p zone? */
static bool in_zone(const char *name, const char *zone)
{
	size_t n = strlen(name), z = strlen(zone);

	if (strcmp(zone, ".") == 0)
		return true;
	return n >= z && strcasecmp(name + n - z, zone) == 0 &&
	       (n == z || name[n - z - 1] == '.');
}

/* A validator's SERVFAIL that CD=1 rescues: the data is there, bogus. */
static bool bogus_answer(const struct resolver_answer *a)
{
	const struct dns_reply *cd = &a->cd_reply;

	return diag_answered(&a->reply) && a->reply.rcode == RCODE_SERVFAIL &&
	       diag_answered(cd) && (cd->rcode == RCODE_NOERROR ||
				     cd->rcode == RCODE_NXDOMAIN);
}

/* Has a rule found the zone itself broken (a critical fault of ours)? */
static bool zone_broken(const struct diag_ctx *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->f[i].severity == SEV_CRITICAL &&
		    c->f[i].id != FINDING_VALIDATORS_SERVFAIL)
			return true;
	return false;
}

/* Evidence lines from validators that fail on @p owner; how many. */
static size_t failing_validators(struct finding *f, const struct evidence *ev,
				 const char *owner, uint16_t qtype)
{
	size_t n = 0;
	char tb[16];

	for (size_t i = 0; i < ev->n_resolvers; i++) {
		const struct resolver_ev *r = &ev->resolvers[i];

		for (size_t j = 0; j < r->n_answers; j++) {
			const struct resolver_answer *a = &r->answers[j];

			if (a->qname == NULL || a->qtype != qtype ||
			    strcasecmp(a->qname, owner) != 0 ||
			    !bogus_answer(a))
				continue;
			char *who = diag_server_label(r->name, r->address);
			char *ede = NULL;

			for (size_t e = 0; e < a->reply.n_ede; e++)
				diag_cat(&ede, " [EDE %u%s%s]",
					 a->reply.ede[e].code,
					 a->reply.ede[e].text &&
					 *a->reply.ede[e].text ? ": " : "",
					 a->reply.ede[e].text ?
					 a->reply.ede[e].text : "");
			diag_evidence(f, "%s: %s %s -> SERVFAIL%s; with CD=1 -> "
				      "data", who, owner,
				      rrtype_name(qtype, tb), ede ? ede : "");
			free(ede);
			free(who);
			n++;
			break;
		}
	}
	return n;
}

void diag_alias_rules(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;

	if (zone_broken(c))
		return;
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];

		for (size_t j = 0; j < ns->n_checks; j++) {
			const struct zone_rrset_check *k = &ns->checks[j];
			char tb[16];

			if (k->cname == NULL || k->qname == NULL ||
			    in_zone(k->cname, ev->zone))
				continue;
			char *subject = xasprintf("%s CNAME", k->qname);
			struct finding *f = diag_find(c,
				FINDING_ALIAS_TARGET_BROKEN, subject);
			char *who = diag_server_label(ns->name, ns->address);

			if (f == NULL) {
				struct finding probe = { 0 };

				/* Only when validators do fail on it. */
				if (failing_validators(&probe, ev, k->qname,
						       k->qtype) == 0) {
					diag_finding_clear(&probe);
					free(who);
					free(subject);
					continue;
				}
				f = diag_add(c, FINDING_ALIAS_TARGET_BROKEN,
					     subject);
				for (size_t e = 0; e < probe.n_evidence; e++)
					diag_evidence(f, "%s", probe.evidence[e]);
				diag_finding_clear(&probe);
				diag_summary(f, "%s is an alias (CNAME) for %s, "
					     "outside %s: validators fail on the "
					     "target's zone, not on %s, whose own "
					     "chain of trust holds", k->qname,
					     k->cname, ev->zone, ev->zone);
				diag_fix(f, xasprintf("The owner of the zone of "
					"%s (the CDN or service behind the "
					"alias) must repair its DNSSEC; nothing "
					"in %s fixes it. Meanwhile, one of:\n"
					"1. Repoint %s to a working target (a "
					"CNAME to another of the provider's "
					"names, or A/AAAA records of your own).\n"
					"2. On the validating resolvers you run: "
					"a negative trust anchor for the target's "
					"zone (Unbound: unbound-control "
					"insecure_add ZONE; BIND: rndc nta ZONE), "
					"with ZONE the target's zone as the "
					"resolvers' EDE text names it.\n"
					"Caches may keep the failure for up to "
					"the resolvers' bogus TTL (Unbound "
					"val-bogus-ttl: 60 s) after the fix.",
					k->cname, ev->zone, k->qname));
				diag_cache(f, c->now + 60);
			}
			diag_evidence(f, "%s: %s %s -> CNAME %s", who, k->qname,
				      rrtype_name(k->qtype, tb), k->cname);
			free(who);
			free(subject);
		}
	}
}
