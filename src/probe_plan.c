/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_plan.c - which names and types one refresh asks about.
 *
 * The plan is shared by the resolver, local-validation and nameserver
 * phases, so that they all talk about the same questions. It holds the apex
 * records users notice first (SOA, NS, DNSKEY, A, AAAA, MX, TXT), the usual
 * www and _dmarc names, the user's extra names, the in-zone MX targets once
 * known, and one random nonexistent name (new each refresh, so that no cache
 * can answer it: it exercises the zone's signed denial of existence).
 * No I/O here beyond reading random bytes.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>

#include "evidence.h"
#include "probe_phases.h"
#include "xmalloc.h"

/* @p label under @p zone; the root zone has no trailing label to join. */
static char *under(const char *label, const char *zone)
{
	return strcmp(zone, ".") == 0 ? xasprintf("%s.", label)
				      : xasprintf("%s.%s", label, zone);
}

static bool has_item(const struct probe_plan *plan, const char *qname,
		     uint16_t qtype)
{
	for (size_t i = 0; i < plan->n_items; i++)
		if (plan->items[i].qtype == qtype &&
		    strcasecmp(plan->items[i].qname, qname) == 0)
			return true;
	return false;
}

static void add(struct probe_plan *plan, const char *qname, uint16_t qtype)
{
	struct plan_item *it;

	if (has_item(plan, qname, qtype))
		return;
	it = XAPPEND(plan->items, plan->n_items);
	it->qname = xstrdup(qname);
	it->qtype = qtype;
}

static void add_owned(struct probe_plan *plan, char *qname, uint16_t qtype)
{
	add(plan, qname, qtype);
	free(qname);
}

static char *random_label(void)
{
	uint8_t r[8];
	char hex[17];

	if (getrandom(r, sizeof(r), 0) != (ssize_t)sizeof(r)) {
		uint64_t t = (uint64_t)time(NULL) ^ (uint64_t)(uintptr_t)r;

		memcpy(r, &t, sizeof(r));
	}
	for (size_t i = 0; i < sizeof(r); i++)
		snprintf(hex + 2 * i, 3, "%02x", r[i]);
	return xasprintf("bogus-nx-%s", hex);
}

struct probe_plan *probe_plan_new(const struct scan_config *cfg)
{
	static const uint16_t apex[] = {
		RRTYPE_SOA, RRTYPE_NS, RRTYPE_DNSKEY, RRTYPE_A, RRTYPE_AAAA,
		RRTYPE_MX, RRTYPE_TXT,
	};
	struct probe_plan *plan = xcalloc(1, sizeof(*plan));
	const char *zone = cfg->zone;
	char *label;

	for (size_t i = 0; i < sizeof(apex) / sizeof(apex[0]); i++)
		add(plan, zone, apex[i]);
	add_owned(plan, under("www", zone), RRTYPE_A);
	add_owned(plan, under("www", zone), RRTYPE_AAAA);
	add_owned(plan, under("_dmarc", zone), RRTYPE_TXT);
	for (size_t i = 0; i < cfg->n_names; i++) {
		add(plan, cfg->names[i], RRTYPE_A);
		add(plan, cfg->names[i], RRTYPE_AAAA);
	}
	label = random_label();
	plan->nx_name = under(label, zone);
	free(label);
	add(plan, plan->nx_name, RRTYPE_A);
	return plan;
}

void probe_plan_add_mx_target(struct probe_plan *plan, const char *zone,
			      const char *target)
{
	char *t;
	size_t len;

	if (plan == NULL || zone == NULL || target == NULL ||
	    (len = strlen(target)) == 0 || strcmp(target, ".") == 0)
		return;	/* "." is a null MX (RFC 7505): nothing to look up */
	t = target[len - 1] == '.' ? xstrdup(target) : xasprintf("%s.", target);
	for (char *c = t; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	if (!evidence_in_zone(t, zone)) {
		free(t);
		return;
	}
	for (size_t i = 0; i < plan->n_mx_targets; i++)
		if (strcmp(plan->mx_targets[i], t) == 0) {
			free(t);
			return;
		}
	*XAPPEND(plan->mx_targets, plan->n_mx_targets) = t;
	add(plan, t, RRTYPE_A);
	add(plan, t, RRTYPE_AAAA);
}

struct probe_plan *probe_plan_copy(const struct probe_plan *plan)
{
	struct probe_plan *c = xcalloc(1, sizeof(*c));

	for (size_t i = 0; i < plan->n_items; i++)
		add(c, plan->items[i].qname, plan->items[i].qtype);
	c->nx_name = plan->nx_name ? xstrdup(plan->nx_name) : NULL;
	for (size_t i = 0; i < plan->n_mx_targets; i++)
		*XAPPEND(c->mx_targets, c->n_mx_targets) = xstrdup(plan->mx_targets[i]);
	return c;
}

void probe_plan_free(struct probe_plan *plan)
{
	if (plan == NULL)
		return;
	for (size_t i = 0; i < plan->n_items; i++)
		free(plan->items[i].qname);
	free(plan->items);
	free(plan->nx_name);
	for (size_t i = 0; i < plan->n_mx_targets; i++)
		free(plan->mx_targets[i]);
	free(plan->mx_targets);
	free(plan);
}
