/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_chain.h - helpers of the chain walk that the nameserver phase uses
 * too: the zone-file parser for anchors and hints, and a small iterative
 * address lookup from the root hints (no recursive resolver involved).
 *
 * Only probe_*.c include this header.
 */
#ifndef BOGUS_PROBE_CHAIN_H
#define BOGUS_PROBE_CHAIN_H

#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "config.h"
#include "probe_io.h"

/* At most this many addresses of one zone's servers are asked. */
#define PROBE_CHAIN_MAX_SERVERS 16

/**
 * Parses zone-file text (anchors, hints: $TTL, comments and parentheses
 * allowed). Returns a new list (possibly empty); ldns_rr_list_deep_free it.
 */
ldns_rr_list *probe_chain_parse_rrs(const char *text);

/**
 * Finds the A and AAAA addresses of @p name by asking from the root hints
 * of @p cfg down, RD=0, following referrals (bounded depth, glueless NS
 * resolved at most two levels deep). Any thread.
 * @param[out] addrs new array of new numeric strings; caller frees each
 * @return number of addresses (0 if none found)
 */
size_t probe_chain_resolve(struct probe_io *io, const struct scan_config *cfg,
			   const struct probe_io_opts *opts, const char *name,
			   char ***addrs);

/** Sets up @p q (zeroed) for @p server port 53; the strings stay the caller's. */
void probe_chain_query_init(struct probe_query *q, const char *server,
			    const char *qname, uint16_t qtype, unsigned flags);

/** Moves the reply out of @p q (which keeps its parsed packet). */
struct dns_reply probe_chain_take_reply(struct probe_query *q);

#endif
