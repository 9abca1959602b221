/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * mitigation.h - what the team can do on the resolvers it runs itself while
 * the zone is being repaired: a negative trust anchor (RFC 7646) to stop
 * validating the zone for a bounded time, and cache flushes once the repair
 * is published. Each command comes with its undo.
 *
 * Pure text generation: no I/O. The zone name is validated by the caller
 * (cli.c accepts only LDH names), so it is safe in a shell command line.
 */
#ifndef BOGUS_MITIGATION_H
#define BOGUS_MITIGATION_H

#include <stddef.h>

enum mitigation_kind {
	MITIGATION_NTA = 0,	/* stop validating the zone for a while */
	MITIGATION_FLUSH,	/* forget cached bogus/old data for the zone */
};

struct mitigation {
	const char *implementation;	/* "BIND", "Unbound", ... (static) */
	enum mitigation_kind kind;
	char *command;		/* ready to paste */
	char *undo;		/* ready to paste; NULL if nothing to undo */
	const char *note;	/* caveat (static), or NULL */
};

/**
 * The commands for @p zone (absolute, as in struct evidence), for BIND,
 * Unbound, PowerDNS Recursor and Knot Resolver. @p nta_lifetime_s bounds
 * the negative trust anchor (RFC 7646 recommends short lifetimes).
 * @return a new array of *n entries; free with mitigations_free().
 */
struct mitigation *mitigations_for_zone(const char *zone, unsigned nta_lifetime_s,
					size_t *n);
void mitigations_free(struct mitigation *m, size_t n);

#endif
