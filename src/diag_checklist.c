/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag_checklist.c - the emergency runbook for a bogus zone, ticked from the
 * evidence and the diagnosis.
 *
 * Six steps, always the same titles in the same order, so that a team under
 * pressure finds its place: confirm, check the servers, compare DS and keys,
 * repair, verify, wait out the caches. Each step says what ticked it and, if
 * something is left to do, what exactly. Pure: no I/O, @p now is given.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "diag_rules.h"
#include "mitigation.h"
#include "runbook.h"
#include "xmalloc.h"

enum {
	STEP_CONFIRM, STEP_RECORDS, STEP_COMPARE, STEP_REPAIR, STEP_VERIFY,
	STEP_TAIL, STEP_COUNT
};

static const char *const titles[STEP_COUNT] = {
	"Confirm the validation failure on two validating resolvers",
	"Confirm the records exist on the authoritative servers (CD=1/direct)",
	"Compare the parent's DS with the child's DNSKEY (digests recomputed)",
	"Choose the fastest safe repair",
	"Verify from several validating resolvers",
	"Watch the cache tail",
};

static const struct finding *find(const struct diagnosis *d,
				  enum finding_id id)
{
	for (size_t i = 0; i < d->n_findings; i++)
		if (d->findings[i].id == id)
			return &d->findings[i];
	return NULL;
}

static bool answer_bogus(const struct resolver_answer *a)
{
	return diag_answered(&a->reply) && a->reply.rcode == RCODE_SERVFAIL &&
	       diag_answered(&a->cd_reply) &&
	       (a->cd_reply.rcode == RCODE_NOERROR ||
		a->cd_reply.rcode == RCODE_NXDOMAIN);
}

/* Resolvers that fail validation, and validators that answer with AD. */
static void tally(const struct evidence *ev, char **bad, size_t *n_bad,
		  char **good, size_t *n_good)
{
	for (size_t i = 0; i < ev->n_resolvers; i++) {
		const struct resolver_ev *r = &ev->resolvers[i];
		bool fails = false, ad = r->n_answers > 0;

		/* It fails the root too: no witness for or against the zone. */
		if (r->root_bogus)
			continue;
		for (size_t j = 0; j < r->n_answers; j++) {
			const struct resolver_answer *a = &r->answers[j];

			if (answer_bogus(a))
				fails = true;
			if (!diag_answered(&a->reply) || !a->reply.ad)
				ad = false;
		}
		if (fails) {
			diag_cat(bad, "%s%s", *n_bad ? ", " : "", r->name);
			(*n_bad)++;
		} else if (ad && r->validating != VALIDATING_NO) {
			diag_cat(good, "%s%s", *n_good ? ", " : "", r->name);
			(*n_good)++;
		}
	}
	for (size_t i = 0; i < ev->n_local; i++) {
		if (ev->local[i].security == SEC_BOGUS) {
			diag_cat(bad, "%slocal validation (libunbound)",
				 *n_bad ? ", " : "");
			(*n_bad)++;
			break;
		}
	}
}

static bool has_critical(const struct diagnosis *d)
{
	for (size_t i = 0; i < d->n_findings; i++)
		if (d->findings[i].severity == SEV_CRITICAL)
			return true;
	return false;
}

static void step_records(const struct evidence *ev,
			 const struct diagnosis *d, struct checklist_step *s)
{
	char *who = NULL;
	size_t n = 0, rescued = 0;

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];

		if (!ns->has_serial)
			continue;
		diag_cat(&who, "%s%s (serial %u)", n ? ", " : "", ns->name,
			 ns->serial);
		n++;
	}
	for (size_t i = 0; i < ev->n_resolvers; i++)
		for (size_t j = 0; j < ev->resolvers[i].n_answers &&
				   !ev->resolvers[i].root_bogus; j++)
			if (answer_bogus(&ev->resolvers[i].answers[j]))
				rescued++;
	const struct finding *gone = find(d, FINDING_ZONE_UNREACHABLE);

	if (gone != NULL && gone->actor == ACTOR_PARENT_OPERATOR) {
		s->state = STEP_FAILED;
		s->evidence = xstrdup("the parent's servers do not answer: the "
				      "zone's servers cannot be found");
		s->action = xstrdup("Escalate to the parent's operator first "
				    "(see zone-unreachable).");
	} else if (gone != NULL) {
		s->state = STEP_FAILED;
		s->evidence = xstrdup("no authoritative server answers");
		s->action = xstrdup("Bring an authoritative server back first "
				    "(see zone-unreachable).");
	} else if (n > 0) {
		s->state = STEP_DONE;
		s->evidence = rescued > 0 ?
			xasprintf("answering directly: %s; CD=1 gets the data "
				  "in %zu resolver answer(s)", who, rescued) :
			xasprintf("answering directly: %s", who);
	} else if (rescued > 0) {
		s->state = STEP_DONE;
		s->evidence = xasprintf("CD=1 gets the data in %zu resolver "
					"answer(s)", rescued);
	}
	free(who);
}

static void step_compare(const struct evidence *ev,
			 const struct diagnosis *d, struct checklist_step *s)
{
	static const enum finding_id broken[] = {
		FINDING_DS_NO_MATCHING_KEY, FINDING_DS_DIGEST_MISMATCH,
		FINDING_DNSKEY_NOT_SIGNED_BY_DS_KEY,
		FINDING_PARENT_DS_SIGNATURE_INVALID,
		FINDING_PARENT_DS_SIGNATURE_EXPIRED,
		FINDING_PARENT_DS_SIGNATURE_NOT_YET_VALID,
		FINDING_PARENT_DS_SIGNATURE_MISSING,
		FINDING_PARENT_DS_INCONSISTENT,
	};
	const struct chain_link *l = diag_zone_link(ev);

	for (size_t i = 0; i < sizeof(broken) / sizeof(broken[0]); i++) {
		const struct finding *f = find(d, broken[i]);

		if (f == NULL)
			continue;
		s->state = STEP_FAILED;
		s->evidence = xasprintf("%s: %s", finding_id_name(f->id),
					f->summary ? f->summary : f->subject);
		return;
	}
	if (find(d, FINDING_INSECURE_DELEGATION) != NULL) {
		s->state = STEP_NOT_APPLICABLE;
		s->evidence = xstrdup("no DS at the parent: the delegation is "
				      "insecure");
		return;
	}
	if (l == NULL || l->n_ds == 0)
		return;
	if (l->n_keys == 0) {
		s->state = STEP_FAILED;
		s->evidence = xasprintf("the parent publishes %zu DS, but no "
					"DNSKEY of %s could be fetched from its "
					"servers", l->n_ds, l->zone);
		s->action = xstrdup("Make the DNSKEY RRset reachable first "
				    "(see the server findings).");
		return;
	}
	char *ok = NULL;

	for (size_t i = 0; i < l->n_ds; i++) {
		if (l->ds[i].match != DS_MATCH_OK)
			continue;
		diag_cat(&ok, "%sDS %u matches served key %u", ok ? ", " : "",
			 l->ds[i].tag, l->ds[i].tag);
	}
	if (ok == NULL)
		return;
	s->state = STEP_DONE;
	s->evidence = xasprintf("%s (digest recomputed)", ok);
	free(ok);
}

/* NTA lifetime offered: long enough to publish a DS, short enough that a
 * forgotten one does not hide the next outage (RFC 7646 section 2). */
#define NTA_LIFETIME_S 3600

static void add_copy(struct checklist_step *s, char *label, const char *text)
{
	struct checklist_copy *c = XAPPEND(s->copy, s->n_copy);

	c->label = label;
	c->text = xstrdup(text);
}

/*
 * The commands for the resolvers the team runs itself, one per line; each
 * command and undo also becomes a copyable item of @p s, from the same
 * strings, so what is copied is exactly what is shown.
 */
static char *mitigation_text(const char *zone, enum mitigation_kind kind,
			     struct checklist_step *s)
{
	size_t n;
	struct mitigation *m = mitigations_for_zone(zone, NTA_LIFETIME_S, &n);
	char *text = NULL;

	for (size_t i = 0; i < n; i++) {
		if (m[i].kind != kind)
			continue;
		diag_cat(&text, "%s  %s: %s", text ? "\n" : "",
			 m[i].implementation, m[i].command);
		add_copy(s, xasprintf("%s: %s", m[i].implementation,
				      kind == MITIGATION_NTA ? "negative trust anchor" :
				      "cache flush"), m[i].command);
		if (m[i].undo != NULL) {
			diag_cat(&text, "\n      undo: %s", m[i].undo);
			add_copy(s, xasprintf("%s: undo the negative trust anchor",
					      m[i].implementation), m[i].undo);
		}
		/* The caveats (lifetime, other instances) matter as much. */
		if (m[i].note != NULL)
			diag_cat(&text, "\n      note: %s", m[i].note);
	}
	mitigations_free(m, n);
	return text;
}

/* The fix as a whole, then each DS record in it on its own. */
static void fix_copies(struct checklist_step *s, const char *fix)
{
	const char *p = fix;

	add_copy(s, xstrdup(CHECKLIST_COPY_FIX), fix);
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, len), *rec = line;

		while (*rec == ' ' || *rec == '\t')
			rec++;
		bool dup = false;

		/* A DS the fix offers twice (two readings) is one item. */
		for (size_t i = 0; i < s->n_copy; i++)
			dup |= strcmp(s->copy[i].text, rec) == 0;
		if (!dup && strstr(rec, " IN DS ") != NULL)
			add_copy(s, xstrdup("DS record"), rec);
		free(line);
		p += len + (nl != NULL);
	}
}

/*
 * Whose move it is, and what the zone's operator does when it is not theirs:
 * the escalation path and what can be done meanwhile. A NULL: nothing to add.
 */
static const char *escalation(enum actor a)
{
	switch (a) {
	case ACTOR_ZONE_OPERATOR:
		return NULL;
	case ACTOR_DNS_PROVIDER:
		return "If the provider's signer or servers cannot be fixed "
		       "quickly: open an urgent ticket with the provider; "
		       "meanwhile the negative trust anchors below, and, as a "
		       "last resort, reverting the NS at the registrar to a "
		       "provider that serves the keys the DS names.";
	case ACTOR_REGISTRAR:
		return "Make the change in the registrar's control panel or "
		       "API (or through its support line); the registrar "
		       "passes it to the registry, which publishes it in the "
		       "parent zone.";
	case ACTOR_PARENT_OPERATOR:
		return "Nothing in your own zone fixes this: do not re-sign "
		       "the zone or change its keys. Escalate to the parent "
		       "zone's operator: your registrar's support (they reach "
		       "the registry) and the registry's technical contact "
		       "(for a TLD, listed in the IANA root zone database, "
		       "https://www.iana.org/domains/root/db). Meanwhile, the "
		       "negative trust anchors below on the resolvers you "
		       "run.";
	case ACTOR_CNAME_TARGET_OWNER:
		return "The broken zone is the alias target's, not yours: "
		       "escalate to its owner (the CDN's support). Meanwhile "
		       "you can repoint the alias (CNAME) to a target that "
		       "validates.";
	case ACTOR_RESOLVER_OPERATOR:
		return "Tell the resolver's operator; meanwhile use another "
		       "validating resolver.";
	case ACTOR_LOCAL_NETWORK:
		return "Our own network is in the way: fix it (or run bogus "
		       "from elsewhere) before acting on the zone.";
	case ACTOR_COUNT:
		break;
	}
	return NULL;
}

/* Broken in the zone or its chain, not only failing at resolvers. */
static bool zone_broken(const struct diagnosis *d)
{
	for (size_t i = 0; i < d->n_findings; i++)
		if (d->findings[i].severity == SEV_CRITICAL &&
		    d->findings[i].id != FINDING_VALIDATORS_SERVFAIL)
			return true;
	return false;
}

static void step_repair(const struct evidence *ev, const struct diagnosis *d,
			struct checklist_step *s)
{
	char *nta;

	const struct finding *cause = NULL;

	for (size_t i = 0; i < d->n_findings && cause == NULL; i++) {
		const struct finding *f = &d->findings[i];

		if (f->severity == SEV_CRITICAL && f->fix != NULL &&
		    f->id != FINDING_VALIDATORS_SERVFAIL)
			cause = f;
	}
	if (cause == NULL && d->tail.repair_at != 0) {
		char when[32];

		/* Seen repaired: what is left is the caches' (step 6). */
		s->state = STEP_DONE;
		s->evidence = xasprintf("repair first seen %s; the zone "
					"validates from its own servers since",
					diag_clock(d->tail.repair_at, when));
		return;
	}
	if (cause == NULL && has_critical(d))
		cause = find(d, FINDING_VALIDATORS_SERVFAIL);
	if (cause == NULL) {
		s->state = STEP_NOT_APPLICABLE;
		s->evidence = xstrdup("nothing to repair");
		return;
	}
	s->state = STEP_PENDING;
	s->evidence = xasprintf("cause: %s on %s; who must act: %s",
				finding_id_name(cause->id), cause->subject,
				actor_words(cause->actor));
	if (cause->fix != NULL)
		fix_copies(s, cause->fix);
	/* A fix that is itself the escalation (the parent's faults) is not
	 * told twice. */
	const char *esc = cause->fix != NULL && strstr(cause->fix, "Escalate") ?
			  NULL : escalation(cause->actor);

	/* Nothing answers: there is no validation to switch off. */
	if (cause->id == FINDING_ZONE_UNREACHABLE) {
		s->action = xasprintf("Who must act: %s.\n%s%s%s",
				      actor_words(cause->actor),
				      cause->fix ? cause->fix : "See the findings.",
				      esc ? "\n\n" : "", esc ? esc : "");
		return;
	}
	nta = mitigation_text(ev->zone, MITIGATION_NTA, s);

	s->action = xasprintf("Who must act: %s.\n%s%s%s\n\nMeanwhile, on the "
			      "validating resolvers you run yourself, a "
			      "negative trust anchor (RFC 7646) stops "
			      "validating %s for a while; undo it as soon as "
			      "the repair is verified:\n%s",
			      actor_words(cause->actor),
			      cause->fix ? cause->fix : "See the findings.",
			      esc ? "\n\n" : "", esc ? esc : "", ev->zone, nta);
	free(nta);
}

static void step_verify(const struct diagnosis *d, struct checklist_step *s,
			const char *bad, size_t n_bad, const char *good,
			size_t n_good)
{
	if (n_bad == 0 && !has_critical(d) &&
	    find(d, FINDING_INSECURE_DELEGATION) != NULL) {
		s->state = STEP_NOT_APPLICABLE;
		s->evidence = xstrdup("insecure delegation: answers come "
				      "without AD, as expected");
	} else if (n_bad == 0 && !has_critical(d) &&
		   find(d, FINDING_ALGORITHM_UNSUPPORTED) != NULL) {
		s->state = STEP_NOT_APPLICABLE;
		s->evidence = xstrdup("an algorithm validators do not "
				      "implement: answers come without AD, "
				      "as expected");
	} else if (n_bad > 0) {
		s->state = STEP_FAILED;
		s->evidence = xasprintf("still failing: %s", bad);
		s->action = xstrdup("After the repair, ask again (r) until "
				    "every validating resolver answers with "
				    "AD.");
	} else if (has_critical(d)) {
		s->evidence = xstrdup("our analysis still finds the zone "
				      "broken");
		s->action = xstrdup("Repair first, then verify.");
	} else if (n_good >= 2) {
		s->state = STEP_DONE;
		s->evidence = xasprintf("answering with AD: %s", good);
	} else {
		s->evidence = n_good ? xasprintf("only %s answers with AD",
						 good) :
			xstrdup("no validating resolver answered with AD");
		s->action = xstrdup("Add validating resolvers (--resolver) to "
				    "verify from several places.");
	}
}

/* Is the zone itself broken, as our own probes see it? Resolvers that
 * still fail while it is not are the cache tail, not the outage. */
static void tail_max(uint32_t ttl[TAIL_COUNT], enum tail_item i, uint32_t v)
{
	if (v > ttl[i])
		ttl[i] = v;
}

/*
 * What the repairs on offer make resolvers wait out, from this snapshot:
 * the DS TTL for a DS change, the DNSKEY TTL for republishing a key, the
 * parent's negative TTL where a DS must appear, the NS TTL (the longer of
 * the parent's and the zone's) where the fix is the delegation; and the
 * answers' TTL, which any re-signing waits out.
 */
static void tail_ttls(const struct evidence *ev, const struct diagnosis *d,
		      uint32_t ttl[TAIL_COUNT])
{
	const struct chain_link *l = diag_zone_link(ev);

	for (size_t i = 0; l != NULL && i < d->n_findings; i++) {
		const struct finding *f = &d->findings[i];

		if (f->severity != SEV_CRITICAL)
			continue;
		switch (f->id) {
		case FINDING_DS_NO_MATCHING_KEY:
		case FINDING_DNSKEY_NOT_SIGNED_BY_DS_KEY:
			/* A new DS, or the DS's key republished; after a
			 * provider move, the NS reverted at the registrar. */
			tail_max(ttl, TAIL_DS, l->ds_ttl);
			tail_max(ttl, TAIL_DNSKEY, l->dnskey_ttl);
			if (f->actor == ACTOR_REGISTRAR)
				tail_max(ttl, TAIL_NS, l->ns_ttl);
			break;
		case FINDING_DS_DIGEST_MISMATCH:
		case FINDING_PARENT_DS_SIGNATURE_INVALID:
		case FINDING_PARENT_DS_SIGNATURE_EXPIRED:
		case FINDING_PARENT_DS_SIGNATURE_NOT_YET_VALID:
		case FINDING_PARENT_DS_SIGNATURE_MISSING:
		case FINDING_PARENT_DS_INCONSISTENT:
			tail_max(ttl, TAIL_DS, l->ds_ttl);
			break;
		case FINDING_ZONE_UNREACHABLE:
			/* If the fix is new NS names at the registrar. */
			tail_max(ttl, TAIL_NS, l->ns_ttl > l->child_ns_ttl ?
				 l->ns_ttl : l->child_ns_ttl);
			break;
		default:
			break;
		}
	}
	/* A zone that lost its DS: resolvers cached the parent's denial. */
	if (l != NULL && l->n_ds == 0 && l->parent != NULL &&
	    l->neg_ttl > 0 && diagnosis_has(d, FINDING_INSECURE_DELEGATION))
		tail_max(ttl, TAIL_NEG, l->neg_ttl);
	for (size_t i = 0; i < ev->n_resolvers; i++)
		for (size_t j = 0; j < ev->resolvers[i].n_answers; j++)
			tail_max(ttl, TAIL_ANSWERS, ev->resolvers[i].answers[j]
				 .cd_reply.min_ttl);
}

void diag_tail_observe(struct cache_tail *t, const struct evidence *ev,
		       const struct diagnosis *d, int64_t now)
{
	/* A broken vantage saw nothing of the zone: no outage, no repair. */
	if (ev == NULL || d == NULL || d->verdict == VERDICT_VANTAGE)
		return;
	if (now < t->last_at)
		*t = (struct cache_tail){ 0 };
	t->last_at = now;
	if (zone_broken(d)) {
		if (t->outage_at == 0 || t->repair_at != 0)
			*t = (struct cache_tail){ .outage_at = now,
						  .last_at = now };
		tail_ttls(ev, d, t->ttl);
		/* Resolvers that cached "no DS" keep it for the negative TTL
		 * once a DS is published again. */
		const struct chain_link *l = diag_zone_link(ev);

		if (l != NULL && l->n_ds == 0 && l->neg_ttl > 0)
			tail_max(t->ttl, TAIL_NEG, l->neg_ttl);
	} else if (t->outage_at != 0 && t->repair_at == 0) {
		t->repair_at = now;	/* the clock of every wait: fixed */
	}
}

static const char *const tail_label[TAIL_COUNT] = {
	[TAIL_DS] = "DS TTL", [TAIL_DNSKEY] = "DNSKEY TTL",
	[TAIL_NEG] = "negative TTL (a cached \"no DS\")",
	[TAIL_NS] = "NS TTL", [TAIL_ANSWERS] = "answers' TTL",
};

/* "DS TTL 3600 s, DNSKEY TTL 300 s" and the longest, for an outage. */
static char *tail_list(const struct cache_tail *t, uint32_t *longest)
{
	char *s = NULL;

	*longest = 0;
	for (int i = 0; i < TAIL_COUNT; i++) {
		if (t->ttl[i] == 0)
			continue;
		diag_cat(&s, "%s%s %u s", s ? ", " : "", tail_label[i],
			 t->ttl[i]);
		if (t->ttl[i] > *longest)
			*longest = t->ttl[i];
	}
	return s;
}

/* When the last thing cached from the outage may expire: the repair plus
 * the longest TTL (the repair itself when nothing was cached). */
static int64_t tail_end(const struct cache_tail *t)
{
	int64_t last = t->repair_at;

	for (int i = 0; i < TAIL_COUNT; i++)
		if (t->ttl[i] != 0 && t->repair_at + t->ttl[i] > last)
			last = t->repair_at + t->ttl[i];
	return last;
}

void diag_tail_apply(struct diagnosis *d, const struct cache_tail *t,
		     int64_t now)
{
	struct finding *vf = NULL;
	char seen[32], until[32];
	int64_t last = tail_end(t);
	size_t kept = 0;

	d->tail = *t;
	if (t->repair_at == 0 || zone_broken(d))
		return;
	for (size_t i = 0; i < d->n_findings && vf == NULL; i++)
		if (d->findings[i].id == FINDING_VALIDATORS_SERVFAIL)
			vf = &d->findings[i];
	if (vf == NULL)
		return;
	diag_clock(t->repair_at, seen);
	diag_clock(last, until);
	if (now >= last) {
		/* The caches should have let go: the tail no longer explains
		 * it, and the finding keeps both of its readings. */
		diag_evidence(vf, "the cache tail of the repair first seen %s "
			      "passed %s: the old cached state no longer "
			      "explains these failures", seen, until);
		return;
	}
	diag_evidence(vf, "%s", vf->summary);
	diag_summary(vf, "Validating resolvers still answer SERVFAIL from "
		     "their caches: the repair was first seen %s, and caches "
		     "may keep the old state until %s", seen, until);
	diag_evidence(vf, "the repair was first seen %s; our own chain "
		      "analysis finds no break since", seen);
	diag_fix(vf, xasprintf("Nothing more to change in the zone: the "
			       "repair is in place. Resolvers recover by %s "
			       "as their copies expire (checklist step 6 "
			       "counts down each TTL). Flush the caches you "
			       "run to shorten it (unbound-control "
			       "flush_bogus, rndc flushtree, see step 6); "
			       "do not undo the repair.", until));
	vf->actor = ACTOR_RESOLVER_OPERATOR;
	vf->cache_until = last;
	/* Their Extended DNS Errors speak of the same cached state: they
	 * confirm this finding rather than disagree with our analysis. */
	for (size_t i = 0; i < d->n_findings; i++)
		for (size_t j = 0; d->findings[i].id == FINDING_EDE_DISAGREES &&
				   j < d->findings[i].n_evidence; j++)
			diag_evidence(vf, "%s (from its cache: agrees)",
				      d->findings[i].evidence[j]);
	for (size_t i = 0; i < d->n_findings; i++) {
		if (d->findings[i].id == FINDING_EDE_DISAGREES)
			diag_finding_clear(&d->findings[i]);
		else
			d->findings[kept++] = d->findings[i];
	}
	d->n_findings = kept;
}

static void step_tail(const struct evidence *ev, const struct diagnosis *d,
		      const struct cache_tail *t, int64_t now,
		      struct checklist_step *s, size_t n_bad, size_t n_good)
{
	char when[32], dur[32];
	uint32_t longest;
	char *list = tail_list(t, &longest);
	char *flush = NULL;

	if (zone_broken(d)) {
		/* No clock time yet: the wait starts when the repair lands. */
		if (list != NULL) {
			s->evidence = xasprintf("after the repair, caches may "
						"keep the old state for up to "
						"%s (%s), counted from when "
						"the repair is first seen",
						diag_duration(longest, dur),
						list);
			flush = mitigation_text(ev->zone, MITIGATION_FLUSH, s);
			s->action = xasprintf("Expect failures from some "
					      "resolvers for up to %s after "
					      "the repair; flush the caches "
					      "you run to shorten it:\n%s", dur,
					      flush);
		}
	} else if (t->repair_at != 0) {
		bool open = n_bad > 0 || n_good == 0;
		int64_t last = tail_end(t);

		s->evidence = xasprintf("repair first seen %s",
					diag_clock(t->repair_at, when));
		for (int i = 0; i < TAIL_COUNT; i++) {
			int64_t ready;

			if (t->ttl[i] == 0)
				continue;
			if (runbook_wait(t->repair_at, t->ttl[i], now, &ready) ==
			    GATE_WAITING) {
				open = true;
				diag_cat(&s->evidence, "; %s %u s: until %s "
					 "(%s more)", tail_label[i], t->ttl[i],
					 diag_clock(ready, when),
					 diag_duration(ready - now, dur));
			} else {
				diag_cat(&s->evidence, "; %s %u s: passed %s",
					 tail_label[i], t->ttl[i],
					 diag_clock(t->repair_at + t->ttl[i],
						    when));
			}
		}
		if (n_bad > 0)
			diag_cat(&s->evidence, "; %zu validating resolver(s) "
				 "still fail", n_bad);
		else if (n_good == 0)
			diag_cat(&s->evidence, "; no validating resolver "
				 "answers with AD yet");
		if (open) {
			flush = mitigation_text(ev->zone, MITIGATION_FLUSH, s);
			s->action = xasprintf("Caches may keep the old state "
					      "until %s; the step closes when "
					      "every wait has passed and every "
					      "validating resolver answers "
					      "with AD. Flush the caches you "
					      "run to shorten it:\n%s",
					      diag_clock(last, when), flush);
		} else {
			s->state = STEP_DONE;
			diag_cat(&s->evidence, "; every validating resolver "
				 "answers with AD");
		}
	} else if (n_bad > 0) {
		/* Repaired before we looked: how long is not known here. */
		s->evidence = xasprintf("%zu validating resolver(s) still fail "
					"while the zone validates from its "
					"servers: they hold an old state (no "
					"outage seen by this run to count from)",
					n_bad);
		flush = mitigation_text(ev->zone, MITIGATION_FLUSH, s);
		s->action = xasprintf("Flush the caches you run; the others "
				      "recover when their copies expire:\n%s",
				      flush);
	} else if (!has_critical(d)) {
		s->state = STEP_DONE;
		s->evidence = xstrdup("nothing cached to wait for");
	}
	free(flush);
	free(list);
}

/*
 * Our own vantage is broken, or the zone does not exist: the emergency
 * runbook (confirm, compare DS, NTAs, cache tail) does not apply, and its
 * steps would point the wrong way. Step 4 carries the one fix; the rest
 * says why it is not judged. Returns false when the runbook applies.
 */
static bool not_judged(const struct diagnosis *d, struct checklist *c)
{
	const struct finding *cause = NULL;
	const char *why;

	for (size_t i = 0; i < d->n_findings && cause == NULL; i++)
		if (d->findings[i].severity == SEV_CRITICAL &&
		    (d->verdict == VERDICT_VANTAGE ||
		     d->findings[i].id == FINDING_ZONE_NOT_DELEGATED))
			cause = &d->findings[i];
	if (cause == NULL)
		return false;
	why = cause->id == FINDING_ZONE_NOT_DELEGATED ?
	      "the zone does not exist" : diag_vantage_words(d);
	for (size_t i = 0; i < c->n_steps; i++) {
		c->steps[i].state = STEP_NOT_APPLICABLE;
		c->steps[i].evidence = xasprintf(
			"not judged: %s%s (%s)", why,
			cause->id == FINDING_ZONE_NOT_DELEGATED ? "" :
			", not the zone", finding_id_name(cause->id));
	}
	struct checklist_step *s = &c->steps[STEP_REPAIR];

	s->state = STEP_PENDING;
	free(s->evidence);
	s->evidence = xasprintf("cause: %s on %s; who must act: %s",
				finding_id_name(cause->id), cause->subject,
				actor_words(cause->actor));
	if (cause->fix != NULL)
		fix_copies(s, cause->fix);
	s->action = xasprintf("Who must act: %s.\n%s", actor_words(cause->actor),
			      cause->fix ? cause->fix : "See the findings.");
	return true;
}

struct checklist *diag_checklist(const struct evidence *ev,
				 const struct diagnosis *d, int64_t now)
{
	struct checklist *c = xcalloc(1, sizeof(*c));
	char *bad = NULL, *good = NULL;
	size_t n_bad = 0, n_good = 0;

	c->steps = xcalloc(STEP_COUNT, sizeof(*c->steps));
	c->n_steps = STEP_COUNT;
	for (size_t i = 0; i < STEP_COUNT; i++)
		c->steps[i].title = titles[i];
	if (ev == NULL || d == NULL || not_judged(d, c))
		return c;
	tally(ev, &bad, &n_bad, &good, &n_good);

	struct checklist_step *s = &c->steps[STEP_CONFIRM];

	if (n_bad >= 2) {
		s->state = STEP_DONE;
		s->evidence = xasprintf("failing validation: %s (CD=1 answers: "
					"bogus, not down)", bad);
	} else if (n_bad == 1) {
		s->evidence = xasprintf("only %s fails so far", bad);
		s->action = xstrdup("Ask a second validating resolver (add one "
				    "with --resolver).");
	} else if (find(d, FINDING_ZONE_UNREACHABLE) != NULL) {
		s->state = STEP_NOT_APPLICABLE;
		s->evidence = xstrdup("no validation to confirm: no answer at "
				      "all (see zone-unreachable)");
	} else if (has_critical(d)) {
		s->evidence = xstrdup("our analysis finds the zone broken, but "
				      "no validating resolver fails yet "
				      "(cached answers?)");
		s->action = xstrdup("Ask again (r) and watch the resolvers "
				    "table.");
	} else {
		s->state = STEP_NOT_APPLICABLE;
		s->evidence = n_good ? xasprintf("no failure: %s answer with "
						 "AD", good) :
			xstrdup("no validation failure seen");
	}
	step_records(ev, d, &c->steps[STEP_RECORDS]);
	step_compare(ev, d, &c->steps[STEP_COMPARE]);
	step_repair(ev, d, &c->steps[STEP_REPAIR]);
	step_verify(d, &c->steps[STEP_VERIFY], bad, n_bad, good, n_good);
	step_tail(ev, d, &d->tail, now, &c->steps[STEP_TAIL], n_bad, n_good);
	free(bad);
	free(good);
	return c;
}

void checklist_free(struct checklist *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->n_steps; i++) {
		free(c->steps[i].evidence);
		free(c->steps[i].action);
		for (size_t j = 0; j < c->steps[i].n_copy; j++) {
			free(c->steps[i].copy[j].label);
			free(c->steps[i].copy[j].text);
		}
		free(c->steps[i].copy);
	}
	free(c->steps);
	free(c);
}
