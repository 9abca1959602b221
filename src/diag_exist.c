/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag_exist.c - does the zone exist? Run after the vantage check and
 * before every rule about the zone: when an authoritative server of a zone
 * above it says NXDOMAIN (for the zone or an ancestor), or NODATA for the
 * zone's NS (a name inside the parent, not a delegation), the servers the
 * walk ended on are the parent's, and judging them as the zone's (ns-lame,
 * keys, signatures) would send the room the wrong way. One finding,
 * zone-not-delegated, with "did you mean" when a name one or two edits away
 * was seen to exist (the parent's NSEC neighbours, a letter swap that got a
 * referral). Pure.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag_rules.h"
#include "xmalloc.h"

#define LABEL_MAX 63

/* Edit distance with adjacent swaps counting one (optimal string
 * alignment), case-insensitive; LABEL_MAX + 1 for longer labels. */
static size_t distance(const char *a, size_t na, const char *b, size_t nb)
{
	size_t d[LABEL_MAX + 1][LABEL_MAX + 1];

	if (na > LABEL_MAX || nb > LABEL_MAX)
		return LABEL_MAX + 1;
	for (size_t i = 0; i <= na; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= nb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= na; i++) {
		for (size_t j = 1; j <= nb; j++) {
			size_t cost = strncasecmp(a + i - 1, b + j - 1, 1) != 0;
			size_t best = d[i - 1][j] + 1;

			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < best)
				best = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[na][nb];
}

/* @p near, if it is @p name with its first label one or two edits off. */
static bool close_to(const char *name, const char *near)
{
	const char *dn = strchr(name, '.'), *dm = strchr(near, '.');
	size_t ln, lm;

	if (dn == NULL || dm == NULL || strcasecmp(dn, dm) != 0 ||
	    strcasecmp(name, near) == 0)
		return false;
	ln = (size_t)(dn - name);
	lm = (size_t)(dm - near);
	return ln > 0 && lm > 0 && distance(name, ln, near, lm) <= 2;
}

bool diag_exist_rules(struct diag_ctx *c)
{
	const struct absence_ev *a = c->ev->absent;
	struct finding *f;
	char *guess = NULL;

	if (a == NULL || a->name == NULL || a->parent == NULL)
		return false;
	f = diag_add(c, FINDING_ZONE_NOT_DELEGATED, c->ev->zone);
	for (size_t i = 0; i < a->n_nearby && guess == NULL; i++)
		if (close_to(a->name, a->nearby[i]))
			guess = xstrdup(a->nearby[i]);
	if (a->rcode == RCODE_NXDOMAIN) {
		diag_evidence(f, "%s: %s NS -> NXDOMAIN, AA=1 (authoritative "
			      "for %s)", a->server, a->name, a->parent);
		if (strcasecmp(a->name, c->ev->zone) == 0)
			diag_summary(f, "%s does not exist: %s says NXDOMAIN "
				     "(authoritative), it delegates no such zone",
				     a->name, a->parent);
		else
			diag_summary(f, "%s cannot exist: %s does not exist "
				     "(NXDOMAIN at %s)", c->ev->zone, a->name,
				     a->parent);
	} else {
		diag_evidence(f, "%s: %s NS -> NOERROR, no NS records, AA=1 "
			      "(a name inside %s, not a delegation)",
			      a->server, a->name, a->parent);
		diag_summary(f, "%s is not a zone: it is a name inside %s, "
			     "which delegates nothing there", c->ev->zone,
			     a->parent);
		if (guess == NULL)
			guess = xstrdup(a->parent);
	}
	if (guess != NULL && a->rcode == RCODE_NXDOMAIN)
		diag_evidence(f, "%s exists (seen at %s)", guess, a->parent);
	if (guess != NULL) {
		char *was = f->summary;

		f->summary = NULL;
		diag_summary(f, "%s; did you mean %s?", was, guess);
		free(was);
	}
	diag_fix(f, xasprintf(
		"Check the zone name%s%s%s Nothing about its DNSSEC can be "
		"judged until it exists: if %s should exist, it must be "
		"registered and delegated (the registrar publishes its NS, and "
		"DS when signed, in %s).",
		guess != NULL ? ": did you mean " : "",
		guess != NULL ? guess : "", guess != NULL ? "?" : ".",
		a->name, a->parent));
	free(guess);
	return true;
}
