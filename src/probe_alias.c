/*
 * probe_alias.c - follows the zone's aliases into other zones.
 *
 * After the nameserver phase, every answer of the zone's own servers that
 * is a CNAME (or a DNAME's synthesised CNAME) to a name outside the zone
 * is followed: the target's zone is walked from the root and its servers
 * asked for the target like the zone's are for its names (probe_chain.c
 * and probe_ns.c, unchanged), so that diagnosis can judge the target's
 * chain of trust with the same rules. A target that is itself an alias is
 * followed in turn, up to ALIAS_MAX_DEPTH hops, with loops detected and
 * never followed twice. Owns nothing beyond what it adds to the evidence.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "evidence.h"
#include "probe_phases.h"
#include "xmalloc.h"

/* Hops of one chain, and distinct targets walked in one refresh: each is a
 * walk from the root, bounded so that a zone of many aliases stays quick. */
#define ALIAS_MAX_DEPTH 8
#define ALIAS_MAX_TARGETS 4

static bool seen(char **v, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (strcasecmp(v[i], s) == 0)
			return true;
	return false;
}

/* The first CNAME target the servers of @p ev give for @p qname/@p qtype. */
static const char *cname_of(const struct evidence *ev, const char *qname,
			    uint16_t qtype)
{
	for (size_t i = 0; i < ev->n_nameservers; i++)
		for (size_t j = 0; j < ev->nameservers[i].n_checks; j++) {
			const struct zone_rrset_check *k =
				&ev->nameservers[i].checks[j];

			if (k->cname != NULL && k->qname != NULL &&
			    k->qtype == qtype && strcasecmp(k->qname, qname) == 0)
				return k->cname;
		}
	return NULL;
}

/* The target's zone, walked and asked for @p target with each of the
 * @p n_types types the alias was met with. New. */
static struct evidence *walk_target(struct probe_io *io,
				    const struct scan_config *cfg,
				    const struct probe_io_opts *opts,
				    int64_t now, const char *target,
				    const uint16_t *types, size_t n_types)
{
	struct evidence *t = xcalloc(1, sizeof(*t));
	struct scan_config sub = *cfg;
	struct plan_item items[4];
	struct probe_plan plan = { .items = items, .n_items = n_types };

	for (size_t i = 0; i < n_types && i < 4; i++)
		items[i] = (struct plan_item){ .qname = (char *)target,
					       .qtype = types[i] };

	t->started_at = now;
	sub.zone = (char *)target;
	probe_chain_collect(io, &sub, opts, now, t, NULL);
	if (t->n_chain == 0) {
		t->zone = xstrdup(target);
		return t;
	}
	t->zone = xstrdup(t->chain[t->n_chain - 1].zone);
	sub.zone = t->zone;
	/* The target is a name inside its zone, so the walk stopped at the
	 * zone cut above it and kept no NS set (for the zone itself that
	 * means "not delegated"). The servers it asked for the zone's DNSKEY
	 * are the delegation's: ask those for the target, as for the zone. */
	if (t->n_parent_ns == 0) {
		const struct chain_link *l = &t->chain[t->n_chain - 1];

		for (size_t i = 0; i < l->n_dnskey_views; i++) {
			const char *ns = l->dnskey_views[i].server.ns_name;
			bool have = false;

			for (size_t k = 0; ns != NULL && k < t->n_parent_ns; k++)
				have |= strcasecmp(t->parent_ns[k], ns) == 0;
			if (ns != NULL && !have)
				*XAPPEND(t->parent_ns, t->n_parent_ns) = xstrdup(ns);
		}
	}
	probe_ns_collect(io, &sub, opts, &plan, now, t, NULL);
	t->finished_at = now;
	return t;
}

void probe_alias_collect(struct probe_io *io, const struct scan_config *cfg,
			 const struct probe_io_opts *opts, int64_t now,
			 struct evidence *ev)
{
	char **met = NULL;	/* owners and targets met: loops */
	size_t n_met = 0, walked = 0;
	size_t n_first = 0;
	struct {
		char *owner, *target;
		uint16_t types[4];	/* the questions that met it */
		size_t n_types;
	} first[16];

	/* The zone's own aliases out of the zone, each (owner, target) once,
	 * with the types it answered for (A and AAAA: one walk). */
	for (size_t i = 0; i < ev->n_nameservers; i++)
		for (size_t j = 0; j < ev->nameservers[i].n_checks; j++) {
			const struct zone_rrset_check *k =
				&ev->nameservers[i].checks[j];
			size_t m;

			if (k->cname == NULL || k->qname == NULL ||
			    evidence_in_zone(k->cname, cfg->zone))
				continue;
			for (m = 0; m < n_first; m++)
				if (strcasecmp(first[m].owner, k->qname) == 0 &&
				    strcasecmp(first[m].target, k->cname) == 0)
					break;
			if (m == n_first) {
				if (n_first == 16)
					continue;
				first[m].owner = k->qname;
				first[m].target = k->cname;
				first[m].n_types = 0;
				n_first++;
			}
			bool have = false;

			for (size_t t = 0; t < first[m].n_types; t++)
				have |= first[m].types[t] == k->qtype;
			if (!have && first[m].n_types < 4)
				first[m].types[first[m].n_types++] = k->qtype;
		}

	for (size_t f = 0; f < n_first; f++) {
		const char *owner = first[f].owner, *target = first[f].target;
		uint16_t qtype = first[f].types[0];
		size_t mark = n_met;

		*XAPPEND(met, n_met) = xstrdup(owner);
		for (unsigned depth = 1; target != NULL &&
					 depth <= ALIAS_MAX_DEPTH; depth++) {
			struct alias_ev *a = XAPPEND(ev->aliases, ev->n_aliases);

			*a = (struct alias_ev){ .owner = xstrdup(owner),
						.qtype = qtype,
						.target = xstrdup(target),
						.depth = depth };
			if (seen(met + mark, n_met - mark, target)) {
				a->loop = true;
				break;
			}
			*XAPPEND(met, n_met) = xstrdup(target);
			/* Back into the zone: its own checks cover it. */
			if (evidence_in_zone(target, cfg->zone) ||
			    walked == ALIAS_MAX_TARGETS)
				break;
			a->target_ev = walk_target(io, cfg, opts, now, target,
						   first[f].types,
						   first[f].n_types);
			walked++;
			owner = a->target;
			target = cname_of(a->target_ev, a->target, qtype);
		}
	}
	for (size_t i = 0; i < n_met; i++)
		free(met[i]);
	free(met);
}
