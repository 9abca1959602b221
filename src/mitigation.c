/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mitigation.c - negative trust anchors and cache flushes, per resolver
 * implementation, each with its undo.
 *
 * The command syntax is each implementation's own (rndc, unbound-control,
 * rec_control, the kresd control socket); keep it to what Debian 12's
 * versions accept (BIND 9.18, Unbound 1.17, Recursor 4.8, Knot Resolver 5.6),
 * and to their default control channels there: rndc with /etc/bind/rndc.key
 * to 127.0.0.1#953, unbound-control through /etc/unbound/unbound.conf
 * (control-interface /run/unbound.ctl), rec_control to /var/run/pdns-recursor,
 * kresd@1's socket /run/knot-resolver/control/1. The notes say how to reach
 * another instance. tests/system/mitigation_lab.sh runs every command, as
 * printed, against the four resolvers in the ksk-ds-mismatch lab world.
 *
 * An NTA is only useful if the answers cached while the zone was bogus go,
 * and its undo only if the insecure ones go: where the tool leaves the cache
 * alone (Unbound both ways, Knot Resolver on undo), the command flushes the
 * zone too. BIND and Recursor flush it themselves.
 */
#include <stdlib.h>
#include <string.h>

#include "mitigation.h"
#include "xmalloc.h"

#define KRESD_SOCKET "/run/knot-resolver/control/1"
/* rndc refuses NTA lifetimes over a week; 0 would mean "remove". */
#define BIND_NTA_MAX_MIN (7u * 24 * 60)

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

/* Lua for the kresd control socket, piped through socat. */
static char *kresd(const char *lua)
{
	return xasprintf("echo \"%s\" | socat - UNIX-CONNECT:%s", lua,
			 KRESD_SOCKET);
}

static void add_kresd(struct mitigation **v, size_t *n, const char *name)
{
	/* set_insecure() replaces the whole NTA list: keep the others. */
	char *nta = xasprintf("trust_anchors.set_insecure({'%s', "
			      "unpack(trust_anchors.insecure)})", name);
	char *undo = xasprintf("local l = {} for _, z in "
			       "ipairs(trust_anchors.insecure) do if z ~= '%s' "
			       "then l[#l + 1] = z end end "
			       "trust_anchors.set_insecure(l) cache.clear('%s')",
			       name, name);
	char *flush = xasprintf("cache.clear('%s')", name);

	add(v, n, "Knot Resolver", MITIGATION_NTA, kresd(nta), kresd(undo),
	    "NTAs are per process: run both on every instance "
	    "(/run/knot-resolver/control/N for kresd@N); other NTAs are kept; "
	    "no lifetime; a restart drops the NTA, yet the zone stays "
	    "insecure from the on-disk cache: undo anyway (it clears that)");
	add(v, n, "Knot Resolver", MITIGATION_FLUSH, kresd(flush), NULL,
	    "the cache is shared by all kresd instances: once is enough");
	free(nta);
	free(undo);
	free(flush);
}

struct mitigation *mitigations_for_zone(const char *zone, unsigned nta_lifetime_s,
					size_t *n)
{
	struct mitigation *v = NULL;
	size_t len = strlen(zone);
	/* Every tool here takes the name without the root dot. */
	char *name = len > 1 && zone[len - 1] == '.' ? xstrndup(zone, len - 1)
						     : xstrdup(zone);
	unsigned minutes = nta_lifetime_s / 60 + (nta_lifetime_s % 60 != 0);

	if (minutes == 0)
		minutes = 1;
	if (minutes > BIND_NTA_MAX_MIN)
		minutes = BIND_NTA_MAX_MIN;
	*n = 0;
	add(&v, n, "BIND", MITIGATION_NTA,
	    xasprintf("rndc nta -lifetime %um %s", minutes, name),
	    xasprintf("rndc nta -remove %s", name),
	    "lifetime at most a week; named retries validation every "
	    "nta-recheck (default 5m) and drops the NTA once the zone "
	    "validates (-force keeps it); NTAs survive a restart");
	add(&v, n, "BIND", MITIGATION_FLUSH,
	    xasprintf("rndc flushtree %s", name), NULL, NULL);
	add(&v, n, "Unbound", MITIGATION_NTA,
	    xasprintf("unbound-control insecure_add %s && "
		      "unbound-control flush_zone %s", name, name),
	    xasprintf("unbound-control insecure_remove %s && "
		      "unbound-control flush_zone %s", name, name),
	    "insecure_add has no lifetime and is lost on restart or reload: "
	    "set a reminder to undo it; it keeps cached bogus answers, hence "
	    "flush_zone; -c FILE for another unbound.conf");
	add(&v, n, "Unbound", MITIGATION_FLUSH,
	    xasprintf("unbound-control flush_zone %s && unbound-control flush_bogus"
		      " && unbound-control flush_negative", name), NULL,
	    "flush_bogus and flush_negative empty those from the whole cache");
	add(&v, n, "PowerDNS Recursor", MITIGATION_NTA,
	    xasprintf("rec_control add-nta %s 'DNSSEC outage, bogus'", name),
	    xasprintf("rec_control clear-nta %s", name),
	    "no lifetime, lost on restart: undo after the repair; both wipe "
	    "the zone from the cache; --socket-dir DIR for another instance");
	add(&v, n, "PowerDNS Recursor", MITIGATION_FLUSH,
	    xasprintf("rec_control wipe-cache %s$", name), NULL,
	    "the trailing $ wipes the whole subtree, negative answers too");
	add_kresd(&v, n, name);
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
