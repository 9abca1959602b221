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

#include "diag_rules.h"
#include "xmalloc.h"

enum sig_state { SS_SKIP, SS_OK, SS_MISSING, SS_EXPIRED, SS_NOT_YET,
		 SS_INVALID };

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
static enum sig_state sig_state(const struct rrsig_info *s, int64_t now)
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
	case SIG_NO_KEY:
		return SS_INVALID;
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
		enum sig_state st = sig_state(s, now);

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
};

static enum finding_id id_of(const struct sig_rule *rule, enum sig_state st)
{
	switch (st) {
	case SS_MISSING: return rule->missing_id;
	case SS_EXPIRED: return FINDING_RRSIG_EXPIRED;
	case SS_NOT_YET: return FINDING_RRSIG_NOT_YET_VALID;
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
	default: break;
	}
	return "has RRSIGs that do not verify";
}

static void obs_evidence(struct diag_ctx *c, struct finding *f,
			 const struct sig_obs *o, enum sig_state st,
			 const struct rrsig_info *s)
{
	char t[32], d[32];

	switch (st) {
	case SS_MISSING: {
		char *signers = signer_list(o);

		diag_evidence(f, "%s: %zu record(s), no RRSIG by a key that "
			      "counts (RRSIGs by key tags: %s)", o->server,
			      o->n_rrs, signers);
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

void diag_sig_group(struct diag_ctx *c, const struct sig_rule *rule,
		    const struct sig_obs *obs, size_t n_obs)
{
	enum sig_state states[] = { SS_MISSING, SS_EXPIRED, SS_NOT_YET,
				    SS_INVALID };
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
			obs_evidence(c, f, &obs[i], states[k], w);
			hit++;
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
		if (f->fix == NULL)
			f->fix = xstrdup(fixes[states[k]]);
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
			soon->fix = xasprintf("Check that the signer re-signs "
				"the zone before %s (its job runs, its keys "
				"are readable) and that every server "
				"transfers the new version.",
				diag_clock(soonest, t));
	}
}
