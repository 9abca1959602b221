/*
 * report_nagios.c - the --nagios status line and its thresholds.
 *
 * The status starts from the verdict's exit code (so a verdict that means
 * "our own vantage is broken" maps to UNKNOWN like any exit code 3), then
 * --require-secure and the -w/-c thresholds on the time to the earliest
 * signature expiry can only make it worse. A run cut short by --deadline
 * keeps a WARNING or CRITICAL it could establish, but never says OK: what
 * was not seen is not known to be fine. Pure; writes only to @p out.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "report_nagios.h"
#include "xmalloc.h"

static const char *const status_names[] = { "OK", "WARNING", "CRITICAL", "UNKNOWN" };

/* One bound: a number with an optional unit (s, m, h, d), in seconds. */
static int bound(const char *s, size_t len, double *out)
{
	char buf[32], *end;
	double mult = 1, v;

	if (len == 0 || len >= sizeof(buf))
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	switch (buf[len - 1]) {
	case 's': mult = 1; buf[--len] = '\0'; break;
	case 'm': mult = 60; buf[--len] = '\0'; break;
	case 'h': mult = 3600; buf[--len] = '\0'; break;
	case 'd': mult = 86400; buf[--len] = '\0'; break;
	}
	if (len == 0 || !(isdigit((unsigned char)buf[0]) || buf[0] == '-' ||
			  buf[0] == '+' || buf[0] == '.'))
		return -1;
	v = strtod(buf, &end);
	if (*end != '\0' || !isfinite(v))
		return -1;
	*out = v * mult;
	return 0;
}

int nagios_range_parse(const char *s, struct nagios_range *r, char **cause)
{
	const char *p = s, *colon;

	*r = (struct nagios_range){ 0 };
	*cause = NULL;
	if (strlen(s) >= sizeof(r->text))
		goto bad;
	snprintf(r->text, sizeof(r->text), "%s", s);
	if (*p == '@')
		r->inside = true, p++;
	if ((colon = strchr(p, ':')) == NULL) {
		/* "N": 0 to N */
		if (bound(p, strlen(p), &r->end) != 0)
			goto bad;
	} else {
		if (colon - p == 1 && *p == '~')
			r->no_start = true;
		else if (bound(p, (size_t)(colon - p), &r->start) != 0)
			goto bad;
		if (colon[1] == '\0')
			r->no_end = true;
		else if (bound(colon + 1, strlen(colon + 1), &r->end) != 0)
			goto bad;
	}
	if (!r->no_start && !r->no_end && r->start > r->end)
		goto bad;
	r->set = true;
	return 0;
bad:
	*cause = xasprintf("'%s' is not a Nagios range (like 7d: or ~:3600 or"
			   " @1h:2h; units s, m, h, d)", s);
	*r = (struct nagios_range){ 0 };
	return -1;
}

bool nagios_range_alerts(const struct nagios_range *r, double v)
{
	bool inside;

	if (!r->set)
		return false;
	inside = (r->no_start || v >= r->start) && (r->no_end || v <= r->end);
	return r->inside ? inside : !inside;
}

int64_t nagios_earliest_expiry(const struct evidence *ev)
{
	int64_t best = 0;

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		int64_t t = ev->nameservers[i].earliest_expiration;

		if (t != 0 && (best == 0 || t < best))
			best = t;
	}
	for (size_t i = 0; i < ev->n_chain; i++) {
		const struct chain_link *l = &ev->chain[i];

		if (l->zone == NULL || ev->zone == NULL || strcmp(l->zone, ev->zone) != 0)
			continue;
		for (size_t j = 0; j < l->n_dnskey_sigs; j++) {
			int64_t t = l->dnskey_sigs[j].expiration;

			if (t != 0 && (best == 0 || t < best))
				best = t;
		}
	}
	return best;
}

/* "5d 3h", "2h 10m", "42s"; negative as "-5d 3h". */
static void span(int64_t s, char buf[32])
{
	const char *sign = s < 0 ? "-" : "";
	int64_t a = s < 0 ? -s : s;

	if (a >= 86400)
		snprintf(buf, 32, "%s%lldd %lldh", sign, (long long)(a / 86400),
			 (long long)(a % 86400 / 3600));
	else if (a >= 3600)
		snprintf(buf, 32, "%s%lldh %lldm", sign, (long long)(a / 3600),
			 (long long)(a % 3600 / 60));
	else
		snprintf(buf, 32, "%s%llds", sign, (long long)a);
}

/* A range for perfdata, in seconds: "604800:", "~:3600", "@60:120". */
static void perf_range(const struct nagios_range *r, char buf[64])
{
	char a[24] = "", b[24] = "";

	buf[0] = '\0';
	if (!r->set)
		return;
	if (r->no_start)
		snprintf(a, sizeof(a), "~");
	else
		snprintf(a, sizeof(a), "%.0f", r->start);
	if (!r->no_end)
		snprintf(b, sizeof(b), "%.0f", r->end);
	if (!r->no_start && r->start == 0 && !r->no_end && !r->inside)
		snprintf(buf, 64, "%s", b);
	else
		snprintf(buf, 64, "%s%s:%s", r->inside ? "@" : "", a, b);
}

/* Validating resolvers that answered SERVFAIL to any question. */
static void validators(const struct evidence *ev, unsigned *failing,
		       unsigned *total)
{
	*failing = *total = 0;
	for (size_t i = 0; i < ev->n_resolvers; i++) {
		const struct resolver_ev *r = &ev->resolvers[i];
		bool fails = false;

		if (r->validating != VALIDATING_YES)
			continue;
		(*total)++;
		for (size_t j = 0; j < r->n_answers && !fails; j++)
			fails = r->answers[j].reply.outcome == OUTCOME_ANSWER &&
				r->answers[j].reply.rcode == 2;
		*failing += fails;
	}
}

/* Whether not one resolver, root, parent or zone server answered: then
 * the problem is where we stand, and no verdict on the zone is fair. */
static bool vantage_dark(const struct evidence *ev)
{
	for (size_t i = 0; i < ev->n_resolvers; i++)
		for (size_t j = 0; j < ev->resolvers[i].n_answers; j++)
			if (ev->resolvers[i].answers[j].reply.outcome == OUTCOME_ANSWER)
				return false;
	for (size_t i = 0; i < ev->n_nameservers; i++)
		if (ev->nameservers[i].soa_udp.outcome == OUTCOME_ANSWER ||
		    ev->nameservers[i].soa_tcp.outcome == OUTCOME_ANSWER)
			return false;
	for (size_t i = 0; i < ev->n_chain; i++)
		for (size_t j = 0; j < ev->chain[i].n_ds_views; j++)
			if (ev->chain[i].ds_views[j].reply.outcome == OUTCOME_ANSWER)
				return false;
	return true;
}

/* Text from findings and the network: no '|' (it starts perfdata), no
 * control bytes, bounded. New string. */
static char *clean(const char *s, size_t max)
{
	char *e = escape_text(s, max);

	for (char *p = e; *p; p++)
		if (*p == '|')
			*p = '/';
	return e;
}

int report_nagios(FILE *out, const struct evidence *ev,
		  const struct diagnosis *d, const struct nagios_opts *o,
		  int64_t now)
{
	int status = verdict_exit_code(d->verdict);
	int64_t expiry = nagios_earliest_expiry(ev);
	double left = (double)(expiry - now);
	unsigned failing, total, ns_down = 0, n_crit = 0, n_warn = 0;
	char *zone = clean(ev->zone, 255), *text = NULL, *why;
	char sb[32], wr[64], cr[64];
	const struct finding *top = NULL;

	if (status < 0 || status > 3)
		status = 3;
	validators(ev, &failing, &total);
	for (size_t i = 0; i < ev->n_nameservers; i++)
		ns_down += ev->nameservers[i].soa_udp.outcome != OUTCOME_ANSWER &&
			   ev->nameservers[i].soa_tcp.outcome != OUTCOME_ANSWER;
	for (size_t i = 0; i < d->n_findings; i++) {
		n_crit += d->findings[i].severity == SEV_CRITICAL;
		n_warn += d->findings[i].severity == SEV_WARNING;
		if (top == NULL && d->findings[i].severity != SEV_INFO)
			top = &d->findings[i];
	}
	if (top != NULL) {
		char *sum = clean(top->summary ? top->summary : "", 160), more[32] = "";

		if (n_crit + n_warn > 1)
			snprintf(more, sizeof(more), " and %u more", n_crit + n_warn - 1);
		text = xasprintf("%s %s: %s (%s)%s", zone, verdict_name(d->verdict),
				 finding_id_name(top->id), sum, more);
		free(sum);
	} else {
		text = xasprintf("%s %s", zone, verdict_name(d->verdict));
	}
	if (o->require_secure && d->verdict == VERDICT_INSECURE && status < 2) {
		status = 2;
		why = xasprintf("%s; --require-secure", text);
		free(text), text = why;
	}
	if (expiry != 0) {
		span((int64_t)left, sb);
		if (nagios_range_alerts(&o->critical, left) && status < 2) {
			status = 2;
			why = xasprintf("%s; earliest signature expires in %s (critical %s)",
					text, sb, o->critical.text);
		} else if (nagios_range_alerts(&o->warning, left) && status < 1) {
			status = 1;
			why = xasprintf("%s; earliest signature expires in %s (warning %s)",
					text, sb, o->warning.text);
		} else {
			why = xasprintf("%s; signatures valid for %s", text, sb);
		}
		free(text), text = why;
	}
	if (!o->deadline_hit && vantage_dark(ev)) {
		/* Nothing answered at all: our own network, not the zone. */
		why = xasprintf("%s; vantage: no resolver and no name server answered"
				" (is this host's network up?)", text);
		free(text), text = why;
		status = 3;
	}
	if (o->deadline_hit) {
		why = xasprintf("%s; deadline %u s reached, partial evidence", text,
				o->deadline_s);
		free(text), text = why;
		if (status == 0)
			status = 3;	/* unseen is not fine */
	}
	perf_range(&o->warning, wr);
	perf_range(&o->critical, cr);
	fprintf(out, "DNSSEC %s - %s | ", status_names[status], text);
	if (expiry != 0)
		fprintf(out, "expiry=%llds;%s;%s;; ", (long long)(expiry - now), wr, cr);
	else
		fprintf(out, "expiry=U;%s;%s;; ", wr, cr);
	fprintf(out, "validators_failing=%u;;;0;%u findings_critical=%u;;;0; "
		"findings_warning=%u;;;0; ns_unreachable=%u;;;0;%zu duration=%llds;;;0;\n",
		failing, total, n_crit, n_warn, ns_down, ev->n_nameservers,
		(long long)(ev->finished_at > ev->started_at ?
			    ev->finished_at - ev->started_at : 0));
	free(zone);
	free(text);
	return ferror(out) ? 3 : status;
}
