/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag_sig.c - signatures of one RRset across servers: missing, expired, not
 * yet valid, invalid, or expiring soon.
 *
 * The probe checked each RRSIG's cryptography; the time window is judged here
 * again against the caller's @p now, so that an old snapshot re-diagnosed
 * later (or a test) sees the clock it is given. One RRset served by several
 * servers gives at most one finding per failure kind, with a line per server:
 * a signature broken on one server of two is critical for that server and
 * makes the zone bogus for the users whose resolver picks it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag_rules.h"
#include "xmalloc.h"

/* SS_NO_KEY: made by a key tag the zone does not serve (a ZSK withdrawn
 * before its signatures were replaced). */
enum sig_state { SS_SKIP, SS_OK, SS_MISSING, SS_EXPIRED, SS_NOT_YET,
		 SS_INVALID, SS_NO_KEY };

static bool tag_wanted(const struct sig_rule *rule, uint16_t tag)
{
	if (rule->tags == NULL)
		return true;
	for (size_t i = 0; i < rule->n_tags; i++)
		if (rule->tags[i] == tag)
			return true;
	return false;
}

/* The state of one signature at @p now: crypto from the probe, time ours. */
static enum sig_state sig_state(const struct rrsig_info *s, int64_t now,
				bool keys_unknown)
{
	switch (s->check) {
	case SIG_VALID:
	case SIG_EXPIRED:
	case SIG_NOT_YET_VALID:
		if (s->expiration != 0 && s->expiration < now)
			return SS_EXPIRED;
		if (s->inception > now)
			return SS_NOT_YET;
		return SS_OK;
	case SIG_BAD:
		return SS_INVALID;
	case SIG_NO_KEY:
		return keys_unknown ? SS_SKIP : SS_NO_KEY;
	case SIG_NOT_CHECKED:
	case SIG_UNSUPPORTED:
		break;
	}
	return SS_SKIP;
}

/*
 * One server's verdict on the RRset: OK if any wanted signature is good,
 * else the most telling failure. *@p worst is the signature behind it and
 * *@p last_ok the latest-expiring good one.
 */
static enum sig_state obs_state(const struct sig_obs *o,
				const struct sig_rule *rule, int64_t now,
				const struct rrsig_info **worst,
				const struct rrsig_info **last_ok)
{
	enum sig_state best = SS_SKIP;
	size_t wanted = 0;
	bool any_unjudged = false;

	*worst = NULL;
	*last_ok = NULL;
	for (size_t i = 0; i < o->n_sigs; i++) {
		const struct rrsig_info *s = &o->sigs[i];

		if (!tag_wanted(rule, s->key_tag))
			continue;
		wanted++;
		enum sig_state st = sig_state(s, now, rule->keys_unknown);

		if (st == SS_OK) {
			if (*last_ok == NULL ||
			    s->expiration > (*last_ok)->expiration)
				*last_ok = s;
			continue;
		}
		if (st == SS_SKIP) {
			any_unjudged = true;
			continue;
		}
		/* Expired explains more than not-yet-valid, which explains
		 * more than a bad signature. */
		if (best == SS_SKIP || st < best) {
			best = st;
			*worst = s;
		}
	}
	if (*last_ok != NULL)
		return SS_OK;
	if (wanted == 0)
		return o->n_rrs > 0 ? SS_MISSING : SS_SKIP;
	/* A signature we could not judge might be the good one. */
	return any_unjudged ? SS_SKIP : best;
}

static char *signer_list(const struct sig_obs *o)
{
	char *s = NULL;

	for (size_t i = 0; i < o->n_sigs; i++)
		diag_cat(&s, "%s%u", i ? ", " : "", o->sigs[i].key_tag);
	return s != NULL ? s : xstrdup("none");
}

static const char *const fixes[] = {
	[SS_MISSING] = "Serve the signed zone on every server: make sure "
		"signing is enabled for the zone (or the signed zone file is "
		"loaded) and that secondaries transfer the signed version "
		"(compare their SOA serials).",
	[SS_EXPIRED] = "Re-sign the zone on the signer now (is the signing "
		"job running? are the private keys readable?), raise the SOA "
		"serial and make every server transfer it. A server that keeps "
		"serving old signatures has stopped transferring: check its "
		"zone transfer from the primary.",
	[SS_NOT_YET] = "The signatures start in the future: check the "
		"signer's clock (NTP) and re-sign with an inception in the "
		"past (most signers backdate by an hour). Check the "
		"validators' clocks too.",
	[SS_INVALID] = "The signatures do not verify with the keys the zone "
		"serves: re-sign the zone with the published keys, and make "
		"sure every server serves the same zone version and DNSKEY "
		"RRset.",
	[SS_NO_KEY] = "The signatures name a key the zone does not serve: "
		"publish that key again, or re-sign with a served key.",
};

static enum finding_id id_of(const struct sig_rule *rule, enum sig_state st)
{
	switch (st) {
	case SS_MISSING: return rule->missing_id;
	case SS_EXPIRED:
		return rule->parent_ds ? FINDING_PARENT_DS_SIGNATURE_EXPIRED :
					 FINDING_RRSIG_EXPIRED;
	case SS_NOT_YET:
		return rule->parent_ds ? FINDING_PARENT_DS_SIGNATURE_NOT_YET_VALID :
					 FINDING_RRSIG_NOT_YET_VALID;
	case SS_NO_KEY:
		/* The DNSKEY RRset (judged against the DS's tags) and the
		 * parent's DS have their own findings for this. */
		return rule->parent_ds || rule->tags != NULL ?
		       rule->invalid_id : FINDING_RRSIG_KEY_NOT_SERVED;
	default: break;
	}
	return rule->invalid_id;
}

static const char *what_of(enum sig_state st)
{
	switch (st) {
	case SS_MISSING: return "is served without a usable RRSIG";
	case SS_EXPIRED: return "has only expired RRSIGs";
	case SS_NOT_YET: return "has only RRSIGs that are not valid yet";
	case SS_NO_KEY:
		return "is signed only by a key the zone does not serve";
	default: break;
	}
	return "has RRSIGs that do not verify";
}

static void obs_evidence(struct diag_ctx *c, const struct sig_rule *rule,
			 struct finding *f, const struct sig_obs *o,
			 enum sig_state st, const struct rrsig_info *s)
{
	char t[32], d[32];

	switch (st) {
	case SS_MISSING: {
		char *signers = signer_list(o), *wanted = NULL;

		for (size_t i = 0; rule->tags != NULL && i < rule->n_tags; i++)
			diag_cat(&wanted, "%s%u", i ? ", " : "",
				 rule->tags[i]);
		if (wanted != NULL)
			diag_evidence(f, "%s: no RRSIG by key %s (the DS's); "
				      "signed only by key(s): %s", o->server,
				      wanted, signers);
		else
			diag_evidence(f, "%s: %zu record(s) without any RRSIG",
				      o->server, o->n_rrs);
		free(wanted);
		free(signers);
		break;
	}
	case SS_EXPIRED:
		diag_evidence(f, "%s: RRSIG by key %u expired %s (%s ago)",
			      o->server, s->key_tag, diag_clock(s->expiration, t),
			      diag_duration(c->now - s->expiration, d));
		break;
	case SS_NOT_YET:
		diag_evidence(f, "%s: RRSIG by key %u valid only from %s "
			      "(in %s)", o->server, s->key_tag,
			      diag_clock(s->inception, t),
			      diag_duration(s->inception - c->now, d));
		break;
	default:
		diag_evidence(f, "%s: RRSIG by key %u %s", o->server,
			      s->key_tag, s->check == SIG_NO_KEY ?
			      "names a key the zone does not serve" :
			      "fails cryptographic verification");
		break;
	}
}

/*
 * The fix when the signatures name a key the zone no longer serves: the
 * fastest repair is to publish that key again (validators then accept the
 * signatures already cached everywhere), not to re-sign; then redo the
 * rollover's timing.
 */
static char *withdrawn_key_fix(const struct diag_ctx *c,
			       const struct sig_rule *rule,
			       const struct sig_obs *obs, size_t n_obs)
{
	const struct chain_link *l = diag_zone_link(c->ev);
	uint32_t key_ttl = l != NULL ? l->dnskey_ttl : 0;
	char *tags = NULL, *fix = NULL;
	char t1[32], t2[32];

	for (size_t i = 0; i < n_obs; i++)
		for (size_t j = 0; j < obs[i].n_sigs; j++) {
			char one[8];

			if (obs[i].sigs[j].check != SIG_NO_KEY)
				continue;
			snprintf(one, sizeof(one), "%u", obs[i].sigs[j].key_tag);
			if (tags == NULL || !strstr(tags, one))
				diag_cat(&tags, "%s%s", tags ? ", " : "", one);
		}
	diag_cat(&fix, "The data is signed by key %s, which the DNSKEY RRset "
		 "no longer holds (a ZSK withdrawn before its signatures were "
		 "replaced). Fastest repair, one of:\n", tags ? tags : "?");
	diag_cat(&fix, "1. Publish the DNSKEY of key %s again (from the "
		 "signer's key store: its .key file, or 'dnssec-settime -D "
		 "none' / 'keymgr ... set remove=0') and re-sign the DNSKEY "
		 "RRset with the KSK. The signatures already served and cached "
		 "validate again once the new DNSKEY RRset reaches resolvers; "
		 "caches may keep the current one until %s (DNSKEY TTL %u s).\n",
		 tags ? tags : "?", diag_clock(c->now + key_ttl, t1), key_ttl);
	diag_cat(&fix, "2. Or re-sign every RRset with a ZSK that is served; "
		 "caches may keep the old signatures until %s (TTL %u s).\n",
		 diag_clock(c->now + rule->ttl, t2), rule->ttl);
	diag_cat(&fix, "Then redo the ZSK rollover's timing: remove the old "
		 "ZSK only once the new one has signed everything and the "
		 "largest TTL of the zone's data has passed since.");
	free(tags);
	return fix;
}

size_t diag_sig_group(struct diag_ctx *c, const struct sig_rule *rule,
		      const struct sig_obs *obs, size_t n_obs)
{
	size_t failing = 0;
	enum sig_state states[] = { SS_MISSING, SS_EXPIRED, SS_NOT_YET,
				    SS_INVALID, SS_NO_KEY };
	size_t judged = 0;
	int64_t soonest = 0;
	struct finding *soon = NULL;
	char t[32], d[32];

	for (size_t i = 0; i < n_obs; i++) {
		const struct rrsig_info *w, *ok;

		if (obs_state(&obs[i], rule, c->now, &w, &ok) != SS_SKIP)
			judged++;
	}
	for (size_t k = 0; k < sizeof(states) / sizeof(states[0]); k++) {
		struct finding *f = NULL;
		size_t hit = 0;

		for (size_t i = 0; i < n_obs; i++) {
			const struct rrsig_info *w, *ok;

			if (obs_state(&obs[i], rule, c->now, &w, &ok) !=
			    states[k])
				continue;
			if (f == NULL)
				f = diag_add(c, id_of(rule, states[k]),
					     rule->subject);
			obs_evidence(c, rule, f, &obs[i], states[k], w);
			hit++;
			failing++;
		}
		if (f == NULL)
			continue;
		if (hit < judged)
			diag_summary(f, "%s %s on %zu of %zu servers: the zone "
				     "is bogus for users whose resolver picks "
				     "them", rule->subject, what_of(states[k]),
				     hit, judged);
		else
			diag_summary(f, "%s %s on every server (%zu): "
				     "validating resolvers answer SERVFAIL",
				     rule->subject, what_of(states[k]), hit);
		if (states[k] == SS_NO_KEY && f->id == FINDING_RRSIG_KEY_NOT_SERVED)
			diag_fix(f, withdrawn_key_fix(c, rule, obs, n_obs));
		else if (f->fix == NULL)
			diag_fix(f, xstrdup(fixes[states[k]]));
		if (rule->ttl > 0)
			diag_cache(f, c->now + rule->ttl);
	}
	/* Expiring soon: the latest good signature a server has. */
	for (size_t i = 0; i < n_obs; i++) {
		const struct rrsig_info *w, *ok;

		if (obs_state(&obs[i], rule, c->now, &w, &ok) != SS_OK ||
		    ok->expiration == 0 ||
		    ok->expiration - c->now > DIAG_EXPIRY_WARN_SECS)
			continue;
		if (soon == NULL)
			soon = diag_add(c, FINDING_RRSIG_EXPIRING_SOON,
					rule->subject);
		diag_evidence(soon, "%s: latest RRSIG (key %u) expires %s "
			      "(in %s)", obs[i].server, ok->key_tag,
			      diag_clock(ok->expiration, t),
			      diag_duration(ok->expiration - c->now, d));
		if (soonest == 0 || ok->expiration < soonest)
			soonest = ok->expiration;
	}
	if (soon != NULL) {
		diag_summary(soon, "%s: signatures expire %s (in %s)",
			     rule->subject, diag_clock(soonest, t),
			     diag_duration(soonest - c->now, d));
		if (soon->fix == NULL)
			diag_fix(soon, xasprintf("Check that the signer re-signs "
				   "the zone before %s (its job runs, its keys "
				   "are readable) and that every server "
				   "transfers the new version.",
				   diag_clock(soonest, t)));
	}
	return failing;
}

/* ---- folding per-RRset findings of one zone ---- */

static const enum finding_id mergeable[] = {
	FINDING_RRSIG_EXPIRED, FINDING_RRSIG_NOT_YET_VALID,
	FINDING_RRSIG_INVALID, FINDING_RRSIG_MISSING,
	FINDING_RRSIG_EXPIRING_SOON, FINDING_DENIAL_PROOF_INVALID,
	FINDING_RRSIG_KEY_NOT_SERVED,
};

static bool is_sig_failure(enum finding_id id)
{
	return id == FINDING_RRSIG_EXPIRED || id == FINDING_RRSIG_NOT_YET_VALID ||
	       id == FINDING_RRSIG_INVALID || id == FINDING_RRSIG_KEY_NOT_SERVED;
}

/*
 * The zone whose signer made the signatures of RRset @p subject ("name
 * TYPE"): the closest enclosing zone cut, or for a DS the parent. NULL if
 * @p subject is not an RRset.
 */
static const char *group_of(const struct evidence *ev, const char *subject)
{
	const char *sp = strrchr(subject, ' ');
	const char *best = NULL;
	size_t best_len = 0;

	if (sp == NULL)
		return NULL;
	size_t qlen = (size_t)(sp - subject);
	bool ds = strcmp(sp + 1, "DS") == 0;

	for (size_t i = 0; i < ev->n_chain; i++) {
		const struct chain_link *l = &ev->chain[i];
		size_t zl = l->zone ? strlen(l->zone) : 0;

		if (zl == 0)
			continue;
		if (ds) {
			if (zl == qlen && strncasecmp(l->zone, subject, qlen) == 0)
				return l->parent ? l->parent : l->zone;
			continue;
		}
		bool under = strcmp(l->zone, ".") == 0 ||
			     (qlen >= zl &&
			      strncasecmp(subject + qlen - zl, l->zone, zl) == 0 &&
			      (qlen == zl || subject[qlen - zl - 1] == '.'));

		if (under && zl > best_len) {
			best = l->zone;
			best_len = zl;
		}
	}
	return best != NULL ? best : ev->zone;
}

static bool same_group(const struct evidence *ev, const struct finding *f,
		       const char *group)
{
	const char *g = group_of(ev, f->subject);

	return g != NULL && group != NULL && strcasecmp(g, group) == 0;
}

static void drop(struct diag_ctx *c, size_t i)
{
	diag_finding_clear(&c->f[i]);
	memmove(&c->f[i], &c->f[i + 1], (c->n - i - 1) * sizeof(*c->f));
	c->n--;
}

struct per_server {
	char *server;
	char *rrsets;
	size_t n;
	char *example;
};

static const char *merged_what(enum finding_id id)
{
	switch (id) {
	case FINDING_RRSIG_EXPIRED: return "have only expired RRSIGs";
	case FINDING_RRSIG_NOT_YET_VALID:
		return "have only RRSIGs that are not valid yet";
	case FINDING_RRSIG_INVALID: return "have RRSIGs that do not verify";
	case FINDING_RRSIG_MISSING:
		return "are served without a usable RRSIG";
	case FINDING_RRSIG_EXPIRING_SOON:
		return "have signatures that expire within 3 days";
	case FINDING_RRSIG_KEY_NOT_SERVED:
		return "are signed only by a key the zone does not serve";
	default: break;
	}
	return "lack a valid denial-of-existence proof";
}

/* Adds one "server: detail" evidence line of RRset @p rrset to @p ps. */
static void per_server_add(struct per_server **ps, size_t *n, const char *line,
			   const char *rrset)
{
	const char *cut = strstr(line, "): ");
	size_t plen = cut ? (size_t)(cut - line) + 1 : 0;
	struct per_server *p = NULL;

	if (cut == NULL && (cut = strstr(line, ": ")) != NULL)
		plen = (size_t)(cut - line);
	if (cut == NULL)
		plen = 0;
	for (size_t i = 0; i < *n; i++)
		if (strlen((*ps)[i].server) == plen &&
		    strncmp((*ps)[i].server, line, plen) == 0)
			p = &(*ps)[i];
	if (p == NULL) {
		p = XAPPEND(*ps, *n);
		*p = (struct per_server){ .server = xstrndup(line, plen) };
	}
	if (p->rrsets != NULL && strstr(p->rrsets, rrset) != NULL)
		return;
	if (p->n < 6)
		diag_cat(&p->rrsets, "%s%s", p->n ? ", " : "", rrset);
	else if (p->n == 6)
		diag_cat(&p->rrsets, ", ...");
	p->n++;
	if (p->example == NULL)
		p->example = xstrdup(line + plen + (plen ? 2 : 0));
}

static void merge_group(struct diag_ctx *c, enum finding_id id,
			const char *group, size_t *members, size_t n_members)
{
	struct finding m = { .id = id, .subject = xstrdup(group),
			      .actor = finding_default_actor(id) };
	struct per_server *ps = NULL;
	size_t n_ps = 0;
	bool everywhere = true;

	for (size_t k = 0; k < n_members; k++) {
		const struct finding *f = &c->f[members[k]];
		char *rrset = xstrdup(f->subject);

		if (f->severity > m.severity)
			m.severity = f->severity;
		diag_cache(&m, f->cache_until);
		if (m.fix == NULL && f->fix != NULL)
			m.fix = xstrdup(f->fix);
		if (f->summary == NULL || !strstr(f->summary, "every server"))
			everywhere = false;
		for (size_t e = 0; e < f->n_evidence; e++)
			per_server_add(&ps, &n_ps, f->evidence[e], rrset);
		free(rrset);
	}
	for (size_t i = 0; i < n_ps; i++) {
		diag_evidence(&m, "%s: %zu RRset%s (%s); e.g. %s", ps[i].server,
			      ps[i].n, ps[i].n == 1 ? "" : "s", ps[i].rrsets,
			      ps[i].example);
		free(ps[i].server);
		free(ps[i].rrsets);
		free(ps[i].example);
	}
	free(ps);
	if (id == FINDING_RRSIG_EXPIRING_SOON)
		diag_summary(&m, "%zu RRsets of %s %s", n_members, group,
			     merged_what(id));
	else if (id == FINDING_DENIAL_PROOF_INVALID)
		diag_summary(&m, "%zu negative answers of %s lack a valid "
			     "NSEC/NSEC3 proof on %s: validators answer "
			     "SERVFAIL instead of NXDOMAIN/NODATA", n_members,
			     group, everywhere ? "every server" :
			     "some servers");
	else if (everywhere)
		diag_summary(&m, "%zu RRsets of %s %s on every server: "
			     "validating resolvers answer SERVFAIL", n_members,
			     group, merged_what(id));
	else
		diag_summary(&m, "%zu RRsets of %s %s on some servers (%zu): the "
			     "zone is bogus for users whose resolver picks them",
			     n_members, group, merged_what(id), n_ps);
	while (n_members > 0)
		drop(c, members[--n_members]);	/* ascending: drop from end */
	*XAPPEND(c->f, c->n) = m;
}

void diag_sig_merge(struct diag_ctx *c)
{
	/* A zone whose signatures are broken also fails its denial proofs:
	 * one cause, reported once. */
	for (size_t i = 0; i < c->n; i++) {
		const char *g;
		bool explained = false;

		if (c->f[i].id != FINDING_DENIAL_PROOF_INVALID ||
		    (g = group_of(c->ev, c->f[i].subject)) == NULL)
			continue;
		for (size_t j = 0; j < c->n; j++)
			if (is_sig_failure(c->f[j].id) &&
			    same_group(c->ev, &c->f[j], g))
				explained = true;
		if (explained)
			drop(c, i--);
	}
	for (size_t k = 0; k < sizeof(mergeable) / sizeof(mergeable[0]); k++) {
		for (size_t i = 0; i < c->n; i++) {
			const char *g;
			size_t *members, n = 0;

			if (c->f[i].id != mergeable[k] ||
			    (g = group_of(c->ev, c->f[i].subject)) == NULL)
				continue;
			members = xcalloc(c->n, sizeof(*members));
			for (size_t j = i; j < c->n; j++)
				if (c->f[j].id == mergeable[k] &&
				    same_group(c->ev, &c->f[j], g))
					members[n++] = j;
			if (n >= 2) {
				char *group = xstrdup(g);

				merge_group(c, mergeable[k], group, members, n);
				free(group);
				i = (size_t)-1;	/* rescan: indices moved */
			}
			free(members);
		}
	}
}
