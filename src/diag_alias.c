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
		    c->f[i].id != FINDING_VALIDATORS_SERVFAIL &&
		    c->f[i].id != FINDING_ALIAS_TARGET_BROKEN &&
		    c->f[i].id != FINDING_ALIAS_LOOP)
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

/*
 * No walk of the target told us more (not followed, or its chain holds as
 * we saw it) but validators fail on the alias while the zone holds: the
 * validators judged the target, name it as the place to look.
 */
static void resolver_fallback(struct diag_ctx *c)
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
			    evidence_in_zone(k->cname, ev->zone))
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

/* The zone's own name an alias hop @p i belongs to (its depth-1 owner). */
static const struct alias_ev *chain_head(const struct evidence *ev, size_t i)
{
	while (i > 0 && ev->aliases[i].depth > 1)
		i--;
	return &ev->aliases[i];
}

/* "www.example.test. -> www.cdn.test. -> edge.cdn2.test." up to hop @p i. */
static char *chain_text(const struct evidence *ev, size_t i)
{
	const struct alias_ev *h = chain_head(ev, i);
	char *s = xstrdup(h->owner);

	for (const struct alias_ev *a = h; a <= &ev->aliases[i]; a++)
		diag_cat(&s, " -> %s", a->target);
	return s;
}

/* The target's zone judged by the zone's own chain and server rules. */
static void judge_target(struct diag_ctx *c, size_t i)
{
	const struct alias_ev *a = &c->ev->aliases[i];
	const struct alias_ev *head = chain_head(c->ev, i);
	struct diag_ctx sub = { .ev = a->target_ev, .now = c->now };
	const struct finding *cause = NULL;
	char tb[16];

	if (a->target_ev->zone == NULL)
		return;
	diag_chain_rules(&sub);
	diag_ns_rules(&sub);
	diag_sig_merge(&sub);
	for (size_t k = 0; k < sub.n && cause == NULL; k++)
		if (sub.f[k].severity == SEV_CRITICAL)
			cause = &sub.f[k];
	if (cause != NULL) {
		char *subject = xasprintf("%s CNAME", head->owner);
		char *path = chain_text(c->ev, i);
		const char *tz = a->target_ev->zone;
		struct finding *f = diag_add(c, FINDING_ALIAS_TARGET_BROKEN,
					     subject);
		char *fix = NULL;

		diag_summary(f, "%s is an alias for %s, whose zone %s is "
			     "broken (%s: %s): validators fail on %s; %s's own "
			     "chain of trust holds", head->owner, a->target, tz,
			     finding_id_name(cause->id), cause->subject,
			     head->owner, c->ev->zone);
		diag_evidence(f, "alias chain: %s (%s)", path,
			      rrtype_name(a->qtype, tb));
		diag_evidence(f, "the break: %s, in the zone of %s (%s)",
			      cause->subject, tz, cause->summary ?
			      cause->summary : finding_id_name(cause->id));
		for (size_t e = 0; e < cause->n_evidence && e < 8; e++)
			diag_evidence(f, "%s: %s", tz, cause->evidence[e]);
		/* Every critical fault of the target, named. */
		for (size_t k = 0; k < sub.n; k++)
			if (sub.f[k].severity == SEV_CRITICAL &&
			    &sub.f[k] != cause)
				diag_evidence(f, "%s also: %s (%s)", tz,
					      finding_id_name(sub.f[k].id),
					      sub.f[k].subject);
		failing_validators(f, c->ev, head->owner, head->qtype);
		/* A fault in the target's parent is its parent's operator's. */
		if (cause->actor == ACTOR_PARENT_OPERATOR)
			f->actor = ACTOR_PARENT_OPERATOR;
		diag_cat(&fix, "Only the owner of %s (the CDN or service behind "
			 "the alias) can repair this; nothing in %s fixes it. "
			 "Their repair:\n%s\n", tz, c->ev->zone,
			 cause->fix ? cause->fix : "(see the evidence)");
		diag_cat(&fix, "Meanwhile, one of:\n1. Repoint %s to a working "
			 "target (another of the provider's names, or A/AAAA "
			 "records of your own).\n2. On the validating resolvers "
			 "you run: a negative trust anchor for %s (Unbound: "
			 "unbound-control insecure_add %s; BIND: rndc nta %s), "
			 "removed once it validates again.", head->owner, tz,
			 tz, tz);
		diag_fix(f, fix);
		diag_cache(f, cause->cache_until);
		free(path);
		free(subject);
	}
	for (size_t k = 0; k < sub.n; k++)
		diag_finding_clear(&sub.f[k]);
	free(sub.f);
}

void diag_alias_rules(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;

	for (size_t i = 0; i < ev->n_aliases; i++) {
		const struct alias_ev *a = &ev->aliases[i];

		if (a->loop) {
			const struct alias_ev *head = chain_head(ev, i);
			char *subject = xasprintf("%s CNAME", head->owner);
			char *path = chain_text(ev, i);
			struct finding *f = diag_add(c, FINDING_ALIAS_LOOP,
						     subject);

			diag_summary(f, "The aliases of %s loop: %s", head->owner,
				     path);
			diag_evidence(f, "alias chain: %s", path);
			diag_fix(f, xasprintf("Point %s (or the hop that loops "
					      "back) at a name that holds the "
					      "data.", head->owner));
			free(path);
			free(subject);
		} else if (a->target_ev != NULL) {
			judge_target(c, i);
		}
	}
	resolver_fallback(c);
}
