/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag.c - the finding catalog, the verdict, and diag_run().
 *
 * diag_run() hands one evidence snapshot to the rule files (diag_chain.c,
 * diag_ns.c, diag_resolvers.c), sorts what they found most severe first and
 * derives the verdict from it. The catalog tables come from the one
 * FINDING_CATALOG X-macro in diag.h, so names cannot drift.
 *
 * Pure: no I/O, no clock, no globals besides constant tables. It must not
 * escape or print anything: the views do that.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "diag.h"
#include "diag_rules.h"
#include "xmalloc.h"

static const struct {
	const char *id;
	enum severity severity;
	const char *dnsviz;
	enum actor actor;
} catalog[FINDING_COUNT] = {
#define FINDING_ROW(e, id, sev, dnsviz, actor) { id, sev, dnsviz, actor },
	FINDING_CATALOG(FINDING_ROW)
#undef FINDING_ROW
};

const char *finding_id_name(enum finding_id id)
{
	return (unsigned)id < FINDING_COUNT ? catalog[id].id : "unknown";
}

const char *finding_dnsviz(enum finding_id id)
{
	return (unsigned)id < FINDING_COUNT ? catalog[id].dnsviz : NULL;
}

enum severity finding_default_severity(enum finding_id id)
{
	return (unsigned)id < FINDING_COUNT ? catalog[id].severity : SEV_INFO;
}

enum actor finding_default_actor(enum finding_id id)
{
	return (unsigned)id < FINDING_COUNT ? catalog[id].actor :
	       ACTOR_ZONE_OPERATOR;
}

static const struct {
	const char *name, *words;
} actors[ACTOR_COUNT] = {
#define ACTOR_ROW(e, name, words) { name, words },
	ACTOR_CATALOG(ACTOR_ROW)
#undef ACTOR_ROW
};

const char *actor_name(enum actor a)
{
	return (unsigned)a < ACTOR_COUNT ? actors[a].name : "unknown";
}

const char *actor_words(enum actor a)
{
	return (unsigned)a < ACTOR_COUNT ? actors[a].words : "unknown";
}

const char *severity_name(enum severity s)
{
	switch (s) {
	case SEV_INFO: return "info";
	case SEV_WARNING: return "warning";
	case SEV_CRITICAL: return "critical";
	}
	return "unknown";
}

const char *verdict_name(enum verdict v)
{
	switch (v) {
	case VERDICT_SECURE: return "secure";
	case VERDICT_INSECURE: return "insecure";
	case VERDICT_DEGRADED: return "degraded";
	case VERDICT_BOGUS: return "bogus";
	case VERDICT_UNREACHABLE: return "unreachable";
	case VERDICT_VANTAGE: return "vantage";
	}
	return "unknown";
}

const char *diag_vantage_words(const struct diagnosis *d)
{
	if (d == NULL || d->verdict != VERDICT_VANTAGE)
		return NULL;
	for (size_t i = 0; i < d->n_findings; i++)
		if (d->findings[i].id == FINDING_VANTAGE_LOCAL_LIMIT &&
		    d->findings[i].severity == SEV_CRITICAL)
			return "this host ran short of file descriptors";
	return "our own network is broken";
}

int verdict_exit_code(enum verdict v)
{
	switch (v) {
	case VERDICT_SECURE:
	case VERDICT_INSECURE:
		return 0;
	case VERDICT_DEGRADED:
		return 1;
	case VERDICT_BOGUS:
	case VERDICT_UNREACHABLE:
		break;
	case VERDICT_VANTAGE:
		return 3;
	}
	return 2;
}

const char *diag_clock(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, 32, "%Y-%m-%d %H:%M UTC", &tm) == 0)
		snprintf(buf, 32, "@%lld", (long long)t);
	return buf;
}

const char *diag_iso_time(int64_t t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, 32, "1970-01-01T00:00:00Z");
	return buf;
}

const char *diag_duration(int64_t secs, char buf[32])
{
	if (secs < 0)
		secs = -secs;
	if (secs < 120)
		snprintf(buf, 32, "%lld s", (long long)secs);
	else if (secs < 2 * 3600)
		snprintf(buf, 32, "%lld min", (long long)(secs / 60));
	else if (secs < 2 * 86400)
		snprintf(buf, 32, "%lld h %lld min", (long long)(secs / 3600),
			 (long long)(secs % 3600 / 60));
	else
		snprintf(buf, 32, "%lld d %lld h", (long long)(secs / 86400),
			 (long long)(secs % 86400 / 3600));
	return buf;
}

char *diag_server_label(const char *name, const char *address)
{
	if (name == NULL || *name == '\0')
		return xstrdup(address != NULL ? address : "?");
	if (address == NULL || *address == '\0')
		return xasprintf("%s (no address)", name);
	return xasprintf("%s (%s)", name, address);
}

char *diag_tidy_rr(const char *rr)
{
	char *out = xstrdup(rr != NULL ? rr : "");
	char *w = out;
	bool blank = false;

	for (const char *r = out; *r != '\0'; r++) {
		if (*r == '\t' || *r == ' ' || *r == '\n' || *r == '\r') {
			blank = true;
			continue;
		}
		if (blank && w != out)
			*w++ = ' ';
		blank = false;
		*w++ = *r;
	}
	*w = '\0';
	return out;
}

const struct chain_link *diag_zone_link(const struct evidence *ev)
{
	if (ev->n_chain == 0)
		return NULL;
	const struct chain_link *l = &ev->chain[ev->n_chain - 1];

	if (ev->zone != NULL && l->zone != NULL &&
	    strcasecmp(ev->zone, l->zone) != 0)
		return NULL;
	return l;
}

bool diag_link_signed(const struct chain_link *l)
{
	return l->n_ds > 0 || l->status == SEC_SECURE ||
	       l->status == SEC_BOGUS;
}

bool diag_answered(const struct dns_reply *r)
{
	return r->outcome == OUTCOME_ANSWER;
}

static void vcat(char **dst, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static void vcat(char **dst, const char *fmt, va_list ap)
{
	char *more = xvasprintf(fmt, ap);

	if (*dst == NULL) {
		*dst = more;
		return;
	}
	char *both = xasprintf("%s%s", *dst, more);

	free(*dst);
	free(more);
	*dst = both;
}

void diag_cat(char **dst, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcat(dst, fmt, ap);
	va_end(ap);
}

bool diag_list_cut(char **list, size_t j, size_t n)
{
	if (j < DIAG_LIST_MAX || j >= n)
		return false;
	diag_cat(list, ", ... %zu more", n - j);
	return true;
}

void diag_summary(struct finding *f, const char *fmt, ...)
{
	va_list ap;

	free(f->summary);
	va_start(ap, fmt);
	f->summary = xvasprintf(fmt, ap);
	va_end(ap);
}

void diag_fix(struct finding *f, char *fix)
{
	free(f->fix);
	f->fix = fix;
}

void diag_evidence(struct finding *f, const char *fmt, ...)
{
	va_list ap;
	char *line;

	va_start(ap, fmt);
	line = xvasprintf(fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < f->n_evidence; i++) {
		if (strcmp(f->evidence[i], line) == 0) {
			free(line);
			return;
		}
	}
	*XAPPEND(f->evidence, f->n_evidence) = line;
}

void diag_cache(struct finding *f, int64_t until)
{
	if (until > f->cache_until)
		f->cache_until = until;
}

struct finding *diag_find(struct diag_ctx *c, enum finding_id id,
			  const char *subject)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->f[i].id == id &&
		    strcmp(c->f[i].subject, subject ? subject : "") == 0)
			return &c->f[i];
	return NULL;
}

struct finding *diag_add(struct diag_ctx *c, enum finding_id id,
			 const char *subject)
{
	struct finding *f = diag_find(c, id, subject);

	if (f != NULL)
		return f;
	f = XAPPEND(c->f, c->n);
	*f = (struct finding){
		.id = id,
		.severity = finding_default_severity(id),
		.actor = finding_default_actor(id),
		.subject = xstrdup(subject != NULL ? subject : ""),
	};
	return f;
}

bool diag_any(const struct diag_ctx *c, enum finding_id id)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->f[i].id == id)
			return true;
	return false;
}

/* Findings about our vantage point (resolvers), not about the zone. */
static bool about_zone(enum finding_id id)
{
	return id != FINDING_VANTAGE_UDP_ONLY &&
	       id != FINDING_NONVALIDATING_RESOLVER &&
	       id != FINDING_RESOLVER_UNREACHABLE &&
	       id != FINDING_RESOLVER_VALIDATION_BROKEN &&
	       id != FINDING_EDE_DISAGREES;
}

static enum verdict verdict_of(const struct finding *f, size_t n)
{
	bool critical = false, warning = false, insecure = false;

	for (size_t i = 0; i < n; i++)
		if (f[i].severity == SEV_CRITICAL &&
		    f[i].id >= FINDING_VANTAGE_OFFLINE &&
		    f[i].id <= FINDING_VANTAGE_LOCAL_LIMIT)
			return VERDICT_VANTAGE;
	for (size_t i = 0; i < n; i++) {
		if (f[i].id == FINDING_ZONE_UNREACHABLE ||
		    f[i].id == FINDING_ZONE_NOT_DELEGATED)
			return VERDICT_UNREACHABLE;
		if (!about_zone(f[i].id))
			continue;
		if (f[i].severity == SEV_CRITICAL)
			critical = true;
		else if (f[i].severity == SEV_WARNING)
			warning = true;
		/* Algorithms validators do not implement: unsigned to them. */
		if (f[i].id == FINDING_INSECURE_DELEGATION ||
		    f[i].id == FINDING_ALGORITHM_UNSUPPORTED)
			insecure = true;
	}
	if (critical)
		return VERDICT_BOGUS;
	if (warning)
		return VERDICT_DEGRADED;
	return insecure ? VERDICT_INSECURE : VERDICT_SECURE;
}

/* Most severe first; within a severity, catalog order (root causes are
 * listed first there), then the order the rules found them. */
static bool before(const struct finding *a, size_t ia, const struct finding *b,
		   size_t ib)
{
	if (a->severity != b->severity)
		return a->severity > b->severity;
	if (a->id != b->id)
		return a->id < b->id;
	return ia < ib;
}

static void sort_findings(struct finding *f, size_t n)
{
	if (n < 2)
		return;
	size_t *order = xcalloc(n + 1, sizeof(*order));
	struct finding *tmp = xcalloc(n + 1, sizeof(*tmp));

	for (size_t i = 0; i < n; i++) {
		size_t j = i;

		while (j > 0 && before(&f[i], i, &f[order[j - 1]], order[j - 1])) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	for (size_t i = 0; i < n; i++)
		tmp[i] = f[order[i]];
	memcpy(f, tmp, n * sizeof(*f));
	free(tmp);
	free(order);
}

/* Is @p name (absolute, any case) a proper ancestor of @p zone? */
static bool ancestor_of(const char *name, size_t len, const char *zone)
{
	size_t zl = strlen(zone);

	if (len == 0 || len >= zl)
		return false;
	if (len == 1 && name[0] == '.')
		return true;
	return zone[zl - len - 1] == '.' &&
	       strncasecmp(zone + zl - len, name, len) == 0;
}

/*
 * A server or signature fault in a parent zone, or in the DS RRset (which
 * the parent serves and signs), is the parent's operator's to fix, whatever
 * the catalog says of the same fault in the zone itself.
 */
static void parent_actor(struct finding *f, const char *zone)
{
	const char *sp = strchr(f->subject, ' ');
	size_t len = sp != NULL ? (size_t)(sp - f->subject) : strlen(f->subject);

	if (f->actor != ACTOR_DNS_PROVIDER)
		return;
	if (ancestor_of(f->subject, len, zone) ||
	    (sp != NULL && strcmp(sp, " DS") == 0))
		f->actor = ACTOR_PARENT_OPERATOR;
}

struct diagnosis *diag_run(const struct evidence *ev, int64_t now)
{
	static char no_zone[] = "";
	struct evidence copy;
	struct diag_ctx c = { .ev = ev, .now = now };
	struct diagnosis *d = xcalloc(1, sizeof(*d));

	d->now = now;
	if (ev == NULL) {
		d->verdict = VERDICT_UNREACHABLE;
		return d;
	}
	/* The rules may then take ev->zone for granted. */
	if (ev->zone == NULL) {
		copy = *ev;
		copy.zone = no_zone;
		c.ev = &copy;
	}
	/* Order matters: resolver rules read what chain and ns rules found
	 * (root causes for EDE cross-checks and the cache tail). */
	if (!diag_vantage_rules(&c) && !diag_exist_rules(&c)) {
		diag_chain_rules(&c);
		diag_ns_rules(&c);
		diag_sig_merge(&c);
		diag_algo_rules(&c);
		diag_nsec3_rules(&c);
		diag_cds_rules(&c);
		diag_keys_rules(&c);
		diag_alias_rules(&c);
		diag_resolver_rules(&c);
		diag_vantage_filter(&c);
	}
	for (size_t i = 0; i < c.n; i++)
		parent_actor(&c.f[i], c.ev->zone);
	sort_findings(c.f, c.n);
	d->findings = c.f;
	d->n_findings = c.n;
	d->verdict = verdict_of(c.f, c.n);
	diag_tail_observe(&d->tail, c.ev, d, now);
	return d;
}

void diag_finding_clear(struct finding *f)
{
	free(f->subject);
	free(f->summary);
	for (size_t j = 0; j < f->n_evidence; j++)
		free(f->evidence[j]);
	free(f->evidence);
	free(f->fix);
	*f = (struct finding){ 0 };
}

void diagnosis_free(struct diagnosis *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; i < d->n_findings; i++)
		diag_finding_clear(&d->findings[i]);
	free(d->findings);
	free(d);
}

const struct finding *diagnosis_find(const struct diagnosis *d,
				     enum finding_id id, const char *subject)
{
	for (size_t i = 0; d != NULL && i < d->n_findings; i++) {
		const struct finding *f = &d->findings[i];

		if (f->id == id && (f->subject == NULL || subject == NULL ?
				    f->subject == subject :
				    strcmp(f->subject, subject) == 0))
			return f;
	}
	return NULL;
}

int diagnosis_has(const struct diagnosis *d, enum finding_id id)
{
	if (d == NULL)
		return 0;
	for (size_t i = 0; i < d->n_findings; i++)
		if (d->findings[i].id == id)
			return 1;
	return 0;
}
