/*
 * mitigation.c - negative trust anchors and cache flushes, per resolver
 * implementation, each with its undo.
 *
 * The command syntax is each implementation's own (rndc, unbound-control,
 * rec_control, the kresd control socket); keep it to what Debian 12's
 * versions accept (BIND 9.18, Unbound 1.17, Recursor 4.8, Knot Resolver 5.6).
 */
#include <stdlib.h>
#include <string.h>

#include "mitigation.h"
#include "xmalloc.h"

#define KRESD_SOCKET "/run/knot-resolver/control/1"

static void add(struct mitigation **v, size_t *n, const char *impl,
		enum mitigation_kind kind, char *command, char *undo,
		const char *note)
{
	struct mitigation *m = XAPPEND(*v, *n);

	m->implementation = impl;
	m->kind = kind;
	m->command = command;
	m->undo = undo;
	m->note = note;
}

struct mitigation *mitigations_for_zone(const char *zone, unsigned nta_lifetime_s,
					size_t *n)
{
	struct mitigation *v = NULL;
	size_t len = strlen(zone);
	/* Every tool here takes the name without the root dot. */
	char *name = len > 1 && zone[len - 1] == '.' ? xstrndup(zone, len - 1)
						     : xstrdup(zone);
	unsigned minutes = (nta_lifetime_s + 59) / 60;

	*n = 0;
	add(&v, n, "BIND", MITIGATION_NTA,
	    xasprintf("rndc nta -lifetime %um %s", minutes, name),
	    xasprintf("rndc nta -remove %s", name),
	    "BIND caps NTA lifetimes at nta-lifetime (default 1h) and rechecks "
	    "the zone every nta-recheck");
	add(&v, n, "BIND", MITIGATION_FLUSH,
	    xasprintf("rndc flushtree %s", name), NULL, NULL);
	add(&v, n, "Unbound", MITIGATION_NTA,
	    xasprintf("unbound-control insecure_add %s", name),
	    xasprintf("unbound-control insecure_remove %s", name),
	    "Unbound's insecure_add has no lifetime: set a reminder to undo it");
	add(&v, n, "Unbound", MITIGATION_FLUSH,
	    xasprintf("unbound-control flush_zone %s && unbound-control flush_bogus"
		      " && unbound-control flush_negative", name), NULL, NULL);
	add(&v, n, "PowerDNS Recursor", MITIGATION_NTA,
	    xasprintf("rec_control add-nta %s 'DNSSEC outage, bogus'", name),
	    xasprintf("rec_control clear-nta %s", name),
	    "Recursor NTAs do not expire: undo after the repair");
	add(&v, n, "PowerDNS Recursor", MITIGATION_FLUSH,
	    xasprintf("rec_control wipe-cache %s$", name), NULL,
	    "the trailing $ wipes the whole subtree");
	add(&v, n, "Knot Resolver", MITIGATION_NTA,
	    xasprintf("echo \"trust_anchors.set_insecure({'%s'})\" | socat - UNIX-CONNECT:%s",
		      name, KRESD_SOCKET),
	    xasprintf("echo \"trust_anchors.set_insecure({})\" | socat - UNIX-CONNECT:%s",
		      KRESD_SOCKET),
	    "set_insecure replaces the whole list; run it on every kresd instance");
	add(&v, n, "Knot Resolver", MITIGATION_FLUSH,
	    xasprintf("echo \"cache.clear('%s')\" | socat - UNIX-CONNECT:%s",
		      name, KRESD_SOCKET), NULL, NULL);
	free(name);
	return v;
}

void mitigations_free(struct mitigation *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(m[i].command);
		free(m[i].undo);
	}
	free(m);
}
