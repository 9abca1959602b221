/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag_resolvers.c - what recursive resolvers tell their users, and what
 * libunbound (our own validation from the anchor) concludes.
 *
 * A validator that answers SERVFAIL while the same question with CD=1 gets
 * the data means "bogus", not "down". A resolver that answers while the
 * validators fail is the "works on my laptop" trap: it does not validate.
 * Extended DNS Errors are hints, cross-checked against our own chain
 * analysis: when they disagree we say so, and our analysis wins.
 *
 * Runs after the chain and nameserver rules, whose findings it reads. Pure.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag_rules.h"
#include "xmalloc.h"

static bool is_bogus_answer(const struct resolver_answer *a)
{
	const struct dns_reply *cd = &a->cd_reply;

	return diag_answered(&a->reply) && a->reply.rcode == RCODE_SERVFAIL &&
	       diag_answered(cd) && (cd->rcode == RCODE_NOERROR ||
				     cd->rcode == RCODE_NXDOMAIN);
}

static bool is_data_answer(const struct resolver_answer *a)
{
	return diag_answered(&a->reply) && (a->reply.rcode == RCODE_NOERROR ||
					    a->reply.rcode == RCODE_NXDOMAIN);
}

/* A zone finding that explains a validation failure. */
static bool is_root_cause(const struct finding *f)
{
	switch (f->id) {
	case FINDING_DS_NO_MATCHING_KEY:
	case FINDING_DS_DIGEST_MISMATCH:
	case FINDING_DNSKEY_NOT_SIGNED_BY_DS_KEY:
	case FINDING_RRSIG_EXPIRED:
	case FINDING_RRSIG_NOT_YET_VALID:
	case FINDING_RRSIG_MISSING:
	case FINDING_RRSIG_INVALID:
	case FINDING_RRSIG_KEY_NOT_SERVED:
	case FINDING_ALIAS_TARGET_BROKEN:
	case FINDING_DENIAL_PROOF_INVALID:
	case FINDING_PARENT_DS_SIGNATURE_INVALID:
	case FINDING_PARENT_DS_SIGNATURE_EXPIRED:
	case FINDING_PARENT_DS_SIGNATURE_NOT_YET_VALID:
	case FINDING_PARENT_DS_SIGNATURE_MISSING:
	case FINDING_PARENT_DS_INCONSISTENT:
		return f->severity == SEV_CRITICAL;
	default:
		break;
	}
	return false;
}

static struct finding *first_root_cause(struct diag_ctx *c)
{
	for (size_t i = 0; i < c->n; i++)
		if (is_root_cause(&c->f[i]))
			return &c->f[i];
	return NULL;
}

/*
 * Which of our findings an EDE code stands for: the first one found (a
 * confirmation to show), or NULL when none does. *@p opinion is false for
 * codes that say nothing about DNSSEC (0 Other, 3 Stale, 18 Prohibited...).
 */
static struct finding *ede_agrees(struct diag_ctx *c, uint16_t code,
				  bool *opinion)
{
	static const struct {
		uint16_t code;
		enum finding_id ids[12];
		size_t n;
	} map[] = {
		{ 7, { FINDING_RRSIG_EXPIRED,
		       FINDING_PARENT_DS_SIGNATURE_EXPIRED }, 2 },
		{ 8, { FINDING_RRSIG_NOT_YET_VALID,
		       FINDING_PARENT_DS_SIGNATURE_NOT_YET_VALID }, 2 },
		/* "DNSKEY Missing": also what a resolver sees when the keys
		 * cannot be fetched, or a signature names a key not served. */
		{ 9, { FINDING_DS_NO_MATCHING_KEY, FINDING_DS_DIGEST_MISMATCH,
		       FINDING_DNSKEY_NOT_SIGNED_BY_DS_KEY,
		       FINDING_NS_DNSKEY_MISMATCH, FINDING_TCP_UNREACHABLE,
		       FINDING_RRSIG_KEY_NOT_SERVED,
		       FINDING_RRSIG_INVALID, FINDING_NS_UNREACHABLE,
		       FINDING_ZONE_UNREACHABLE,
		       FINDING_PARENT_DS_SIGNATURE_INVALID,
		       FINDING_PARENT_DS_SIGNATURE_MISSING,
		       FINDING_PARENT_DS_INCONSISTENT }, 12 },
		{ 10, { FINDING_RRSIG_MISSING,
			FINDING_DNSKEY_NOT_SIGNED_BY_DS_KEY,
			FINDING_DENIAL_PROOF_INVALID,
			FINDING_PARENT_DS_SIGNATURE_MISSING,
			FINDING_RRSIG_KEY_NOT_SERVED }, 5 },
		{ 11, { FINDING_DS_NO_MATCHING_KEY }, 1 },
		{ 12, { FINDING_DENIAL_PROOF_INVALID, FINDING_RRSIG_MISSING },
		  2 },
		{ 22, { FINDING_ZONE_UNREACHABLE, FINDING_NS_UNREACHABLE,
			FINDING_TCP_UNREACHABLE, FINDING_NS_LAME }, 4 },
		{ 23, { FINDING_ZONE_UNREACHABLE, FINDING_NS_UNREACHABLE,
			FINDING_TCP_UNREACHABLE }, 3 },
		{ 27, { FINDING_NSEC3_ITERATIONS_TOO_HIGH }, 1 },
	};

	*opinion = true;
	/* The validators judged an alias's target zone, which we did not:
	 * their DNSSEC codes are about it, not a disagreement with us. */
	if (code >= 1 && code <= 12)
		for (size_t k = 0; k < c->n; k++)
			if (c->f[k].id == FINDING_ALIAS_TARGET_BROKEN)
				return &c->f[k];
	if (code == 6) {
		/* "Bogus" fits any critical fault we found in the zone. */
		for (size_t i = 0; i < c->n; i++)
			if (c->f[i].severity == SEV_CRITICAL &&
			    c->f[i].id != FINDING_VALIDATORS_SERVFAIL)
				return &c->f[i];
		return NULL;
	}
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].code != code)
			continue;
		for (size_t j = 0; j < map[i].n; j++)
			for (size_t k = 0; k < c->n; k++)
				if (c->f[k].id == map[i].ids[j])
					return &c->f[k];
		return NULL;
	}
	*opinion = false;
	return NULL;
}

/* Is absolute @p name @p zone or below it (any case)? */
static bool in_zone(const char *name, size_t len, const char *zone)
{
	size_t zl = strlen(zone);

	if (zl == 1 && zone[0] == '.')
		return true;
	if (len < zl || strncasecmp(name + len - zl, zone, zl) != 0)
		return false;
	return len == zl || name[len - zl - 1] == '.';
}

/*
 * Is this EDE about another zone than the one our evidence covers: a name
 * outside the zone was asked (an MX host elsewhere), the answer left the
 * zone through a CNAME/DNAME (a CDN's zone), or the EDE text names a name
 * outside it ("validation failure <cdn.example.net. A IN>")? Then our
 * chain analysis says nothing for or against it.
 */
static bool ede_elsewhere(const char *zone, const struct resolver_answer *a,
			  const struct ede *e)
{
	if (a->qname != NULL && !in_zone(a->qname, strlen(a->qname), zone))
		return true;
	for (size_t i = 0; i < a->cd_reply.n_answer; i++) {
		char owner[256], cls[16], type[16], target[256];
		unsigned long ttl;

		if (a->cd_reply.answer[i] == NULL ||
		    sscanf(a->cd_reply.answer[i], "%255s %lu %15s %15s %255s",
			   owner, &ttl, cls, type, target) != 5)
			continue;
		if ((strcasecmp(type, "CNAME") == 0 ||
		     strcasecmp(type, "DNAME") == 0) &&
		    !in_zone(target, strlen(target), zone))
			return true;
	}
	const char *lt = e->text != NULL ? strchr(e->text, '<') : NULL;

	if (lt != NULL) {
		size_t len = strcspn(lt + 1, " >");

		if (len > 0 && lt[len] == '.' && !in_zone(lt + 1, len, zone))
			return true;
	}
	return false;
}

static char *our_causes(const struct diag_ctx *c)
{
	char *s = NULL;

	for (size_t i = 0; i < c->n; i++) {
		if (c->f[i].severity != SEV_CRITICAL ||
		    c->f[i].id == FINDING_VALIDATORS_SERVFAIL)
			continue;
		if (s != NULL && strstr(s, finding_id_name(c->f[i].id)))
			continue;
		diag_cat(&s, "%s%s", s ? ", " : "",
			 finding_id_name(c->f[i].id));
	}
	return s != NULL ? s : xstrdup("no DNSSEC error");
}

/* "SERVFAIL [EDE 9 DNSKEY Missing: text]" for one reply. */
static char *reply_text(const struct dns_reply *r)
{
	char rb[16];
	char *s;

	if (!diag_answered(r))
		return xstrdup(outcome_name(r->outcome));
	s = xasprintf("%s%s", rcode_name(r->rcode, rb), r->ad ? " AD" : "");
	for (size_t i = 0; i < r->n_ede; i++) {
		const char *name = ede_name(r->ede[i].code);

		diag_cat(&s, " [EDE %u %s%s%s]", r->ede[i].code,
			 name ? name : "unassigned",
			 r->ede[i].text && *r->ede[i].text ? ": " : "",
			 r->ede[i].text ? r->ede[i].text : "");
	}
	if (diag_answered(r) && r->n_answer > 0)
		diag_cat(&s, ", %zu record(s)", r->n_answer);
	return s;
}

/* "q TYPE -> SERVFAIL [EDE ...]; with CD=1 -> NOERROR, 2 record(s)" */
static char *answer_text(const struct resolver_answer *a)
{
	char tb[16];
	char *txt = reply_text(&a->reply), *s;

	if (a->cd_reply.outcome == OUTCOME_NOT_SENT) {
		s = xasprintf("%s %s -> %s", a->qname ? a->qname : "?",
			      rrtype_name(a->qtype, tb), txt);
	} else {
		char *cd = reply_text(&a->cd_reply);

		s = xasprintf("%s %s -> %s; with CD=1 -> %s",
			      a->qname ? a->qname : "?",
			      rrtype_name(a->qtype, tb), txt, cd);
		free(cd);
	}
	free(txt);
	return s;
}

/* How telling an answer is as an example: a specific EDE beats "Bogus". */
static int example_rank(const struct resolver_answer *a)
{
	int rank = 0;

	for (size_t k = 0; k < a->reply.n_ede; k++)
		rank = a->reply.ede[k].code == 6 ? 1 : 2;
	return rank;
}

/*
 * One evidence line for the answers of @p r that @p pred picks: the answer
 * itself if it is one, else "k of n questions VERB; e.g. <answer>". A
 * resolver asked a dozen questions must not bury the other evidence.
 */
static void answers_evidence(struct finding *f, const char *who,
			     const struct resolver_ev *r,
			     bool (*pred)(const struct resolver_answer *),
			     const char *verb)
{
	const struct resolver_answer *ex = NULL;
	size_t k = 0;

	for (size_t j = 0; j < r->n_answers; j++) {
		const struct resolver_answer *a = &r->answers[j];

		if (!pred(a))
			continue;
		k++;
		if (ex == NULL || example_rank(a) > example_rank(ex))
			ex = a;
	}
	if (ex == NULL)
		return;
	char *txt = answer_text(ex);

	if (k == 1)
		diag_evidence(f, "%s: %s", who, txt);
	else
		diag_evidence(f, "%s: %zu of %zu questions %s; e.g. %s", who,
			      k, r->n_answers, verb, txt);
	free(txt);
}

static bool any_answer(const struct resolver_answer *a)
{
	(void)a;
	return true;
}

static bool is_servfail(const struct resolver_answer *a)
{
	return diag_answered(&a->reply) && a->reply.rcode == RCODE_SERVFAIL;
}

/*
 * A resolver's Extended DNS Errors against our own analysis, only where both
 * speak of the same zone: an EDE that agrees goes to the finding it
 * confirms, one that disagrees is ede-disagrees (our analysis wins).
 */
static void ede_check(struct diag_ctx *c, const struct resolver_ev *r,
		      const char *who)
{
	uint16_t seen[16];
	size_t n_seen = 0;

	for (size_t j = 0; j < r->n_answers; j++) {
		const struct resolver_answer *a = &r->answers[j];

		if (!is_servfail(a))
			continue;
		for (size_t k = 0; k < a->reply.n_ede; k++) {
			uint16_t code = a->reply.ede[k].code;
			const char *name = ede_name(code);
			bool opinion, dup = false;
			size_t hits = 0;

			if (ede_elsewhere(c->ev->zone, a, &a->reply.ede[k]))
				continue;
			for (size_t m = 0; m < n_seen; m++)
				dup |= seen[m] == code;
			if (dup || n_seen == 16)
				continue;
			seen[n_seen++] = code;

			struct finding *agrees = ede_agrees(c, code, &opinion);

			if (!opinion)
				continue;
			if (agrees != NULL) {
				diag_evidence(agrees, "%s EDE %u (%s) agrees",
					      who, code,
					      name ? name : "unassigned");
				continue;
			}
			for (size_t m = 0; m < r->n_answers; m++)
				for (size_t e = 0;
				     is_servfail(&r->answers[m]) &&
				     e < r->answers[m].reply.n_ede; e++)
					hits += r->answers[m].reply.ede[e].code
						== code;

			struct finding *f = diag_add(c, FINDING_EDE_DISAGREES,
						     who);
			char *ours = our_causes(c);

			diag_summary(f, "%s's Extended DNS Error disagrees "
				     "with our own analysis (EDE is a hint, "
				     "not proof)", who);
			diag_evidence(f, "%s: EDE %u (%s) on %zu question(s), "
				      "e.g. %s; our analysis finds: %s", who,
				      code, name ? name : "unassigned", hits,
				      a->qname, ours);
			free(ours);
			if (f->fix == NULL)
				diag_fix(f, xstrdup("Trust the chain analysis "
					   "above; the resolver may report a "
					   "cached failure or a generic code."));
		}
	}
}

static bool zone_bogus(const struct diag_ctx *c, size_t bogus_resolvers)
{
	if (bogus_resolvers > 0)
		return true;
	for (size_t i = 0; i < c->n; i++)
		if (is_root_cause(&c->f[i]))
			return true;
	for (size_t i = 0; i < c->ev->n_local; i++)
		if (c->ev->local[i].security == SEC_BOGUS)
			return true;
	return false;
}

static void nonvalidating(struct diag_ctx *c, const struct resolver_ev *r,
			  const char *who, bool bogus)
{
	bool answers = false;

	for (size_t j = 0; j < r->n_answers; j++)
		if (is_data_answer(&r->answers[j]))
			answers = true;
	/* Unknown validation: only the trap itself gives it away. */
	if (r->validating == VALIDATING_UNKNOWN && !(bogus && answers))
		return;
	if (r->validating == VALIDATING_YES || !answers)
		return;

	struct finding *f = diag_add(c, FINDING_NONVALIDATING_RESOLVER, who);

	answers_evidence(f, who, r, is_data_answer, "answered");
	if (r->canary_rcode >= 0) {
		char rb[16];

		diag_evidence(f, "%s: the known-bogus canary -> %s (a "
			      "validator says SERVFAIL)", who,
			      rcode_name(r->canary_rcode, rb));
	}
	if (bogus) {
		f->severity = SEV_WARNING;
		diag_summary(f, "%s%s does not validate DNSSEC: it answers "
			     "while validators fail. Tests through it (\"works "
			     "on my laptop\") prove nothing", who,
			     r->from_system ? " (system resolver)" : "");
		diag_fix(f, xstrdup("Test with validating resolvers (the table "
				    "below), not with this one; its users are "
				    "not protected by DNSSEC."));
	} else {
		f->severity = SEV_INFO;
		diag_summary(f, "%s%s does not validate DNSSEC: its users are "
			     "not protected", who,
			     r->from_system ? " (system resolver)" : "");
		diag_fix(f, xstrdup("Enable DNSSEC validation on this resolver, "
				    "or use a validating one."));
	}
}

/*
 * The resolver fails to validate the root itself (SERVFAIL, CD=1 answers):
 * its trust anchor is stale or its clock wrong, and it fails every signed
 * name on the internet. What it says about the zone is no evidence.
 */
static void validation_broken(struct diag_ctx *c, const struct resolver_ev *r,
			      const char *who)
{
	struct finding *f = diag_add(c, FINDING_RESOLVER_VALIDATION_BROKEN, who);

	diag_summary(f, "Resolver %s cannot validate the root itself: it fails "
		     "every signed name, not only %s; its answers are left out "
		     "of the zone's diagnosis", who, c->ev->zone);
	diag_evidence(f, "%s: . SOA -> SERVFAIL; with CD=1 -> NOERROR", who);
	answers_evidence(f, who, r, is_bogus_answer, "SERVFAIL, CD=1 answers");
	diag_fix(f, xstrdup(
		"On that resolver: check its root trust anchor (both KSK-2017, "
		"tag 20326, and KSK-2024, tag 38696: unbound-anchor, "
		"dns-root-data, or the distribution's package) and its clock "
		"(timedatectl); then flush its cache. Nothing to change in "
		"the zone."));
}

static void unreachable(struct diag_ctx *c, const struct resolver_ev *r,
			const char *who)
{
	if (r->n_answers == 0)
		return;
	for (size_t j = 0; j < r->n_answers; j++)
		if (diag_answered(&r->answers[j].reply))
			return;

	/* No authoritative answer to be had: a resolver that waits for one
	 * past our timeout is a consequence, not a second fault. */
	struct finding *f = diag_find(c, FINDING_ZONE_UNREACHABLE, c->ev->zone);

	if (f != NULL) {
		diag_evidence(f, "resolver %s: no answer in time either (it "
			      "waits on the same servers)", who);
		return;
	}
	f = diag_add(c, FINDING_RESOLVER_UNREACHABLE, who);

	diag_summary(f, "Resolver %s does not answer: its view is missing "
		     "from this diagnosis", who);
	answers_evidence(f, who, r, any_answer, "unanswered");
	diag_fix(f, xstrdup("Check the resolver address and that this host may "
			    "query it (ACLs, firewall)."));
}

/*
 * libunbound's own verdicts, from our anchor. Findings are looked up again
 * after each diag_add(): adding may move the array.
 */
static size_t local_bogus(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;
	const struct local_verdict *ex = NULL;
	size_t n = 0;
	char tb[16];

	for (size_t i = 0; i < ev->n_local; i++) {
		if (ev->local[i].security != SEC_BOGUS)
			continue;
		if (ex == NULL || (ex->why_bogus == NULL &&
				   ev->local[i].why_bogus != NULL))
			ex = &ev->local[i];
		n++;
	}
	if (ex == NULL)
		return 0;
	char *line = xasprintf("local validation (libunbound, anchor %s): %zu "
			       "of %zu questions bogus; e.g. %s %s: %s",
			       ev->anchor_source ? ev->anchor_source :
			       "built-in", n, ev->n_local, ex->qname,
			       rrtype_name(ex->qtype, tb), ex->why_bogus ?
			       ex->why_bogus : "no reason given");

	diag_evidence(diag_add(c, FINDING_VALIDATORS_SERVFAIL, ev->zone),
		      "%s", line);
	struct finding *cause = first_root_cause(c);

	if (cause != NULL)
		diag_evidence(cause, "%s", line);
	free(line);
	return n;
}

void diag_resolver_rules(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;
	struct finding *vf;
	size_t bogus = 0, validators = 0;
	char **who = xcalloc(ev->n_resolvers + 1, sizeof(*who));

	for (size_t i = 0; i < ev->n_resolvers; i++) {
		const struct resolver_ev *r = &ev->resolvers[i];
		bool hit = false;

		who[i] = diag_server_label(r->name, r->address);
		if (r->root_bogus) {
			validation_broken(c, r, who[i]);
			continue;
		}
		for (size_t j = 0; j < r->n_answers; j++)
			hit |= is_bogus_answer(&r->answers[j]);
		if (hit)
			answers_evidence(diag_add(c,
						  FINDING_VALIDATORS_SERVFAIL,
						  ev->zone), who[i], r,
					 is_bogus_answer, "SERVFAIL, CD=1 "
					 "answers");
		if (hit)
			bogus++;
		if (hit || r->validating == VALIDATING_YES)
			validators++;
	}
	size_t local = local_bogus(c);
	bool is_bogus = zone_bogus(c, bogus);

	for (size_t i = 0; i < ev->n_resolvers; i++) {
		unreachable(c, &ev->resolvers[i], who[i]);
		if (ev->resolvers[i].root_bogus)
			continue;
		nonvalidating(c, &ev->resolvers[i], who[i], is_bogus);
		ede_check(c, &ev->resolvers[i], who[i]);
	}
	vf = diag_find(c, FINDING_VALIDATORS_SERVFAIL, ev->zone);
	if (vf != NULL) {
		struct finding *cause = first_root_cause(c);

		if (bogus > 0 && cause != NULL &&
		    cause->id == FINDING_ALIAS_TARGET_BROKEN)
			diag_summary(vf, "%zu of %zu validating resolvers "
				     "answer SERVFAIL while CD=1 gets the "
				     "data, through the alias %s: its "
				     "target's zone is bogus, not %s",
				     bogus, validators, cause->subject,
				     ev->zone);
		else if (bogus > 0)
			diag_summary(vf, "%zu of %zu validating resolvers "
				     "answer SERVFAIL while CD=1 gets the "
				     "data: %s is bogus, not down", bogus,
				     validators, ev->zone);
		else
			diag_summary(vf, "Local validation (libunbound, from "
				     "our trust anchor) finds %s bogus (%zu "
				     "answer(s))", ev->zone, local);
		if (cause != NULL) {
			/* The symptom's mover is the cause's. */
			vf->actor = cause->actor;
			diag_fix(vf, xasprintf("Repair the cause (%s, %s) as "
					       "described there.",
					       finding_id_name(cause->id),
					       cause->subject));
			diag_cache(vf, cause->cache_until);
		} else {
			diag_fix(vf, xstrdup("Our own chain analysis finds no "
				   "break: the resolvers may hold an old bogus "
				   "state or reach a server we did not. Flush "
				   "their caches (unbound-control flush_bogus, "
				   "rndc flushtree) and compare the servers they "
				   "use."));
		}
	}
	for (size_t i = 0; i < ev->n_resolvers; i++)
		free(who[i]);
	free(who);
}
