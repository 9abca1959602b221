/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_reply.h - turning a parsed reply into plain evidence.
 *
 * Internal to the probe engine: only src/probe_*.c and their unit tests
 * include it, because it exposes ldns types.
 */
#ifndef BOGUS_PROBE_REPLY_H
#define BOGUS_PROBE_REPLY_H

#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "evidence.h"

/* How many answer RRs a dns_reply keeps (the rest are counted out). */
#define PROBE_REPLY_MAX_RRS 64
/* How many EDE options one reply may contribute. */
#define PROBE_REPLY_MAX_EDE 8

/**
 * Fills @p r from @p pkt: outcome ANSWER, rcode, header bits, size, TTLs,
 * answer texts, NSID and EDEs. Does not touch via_tcp, tc_retried, rtt_ms.
 * Strings in @p r are new (the reply owns them); @p pkt stays the caller's.
 * @p scratch (the caller's, reused across calls; NULL: a buffer of its own
 * for this call) holds each record's text on its way. Any thread.
 */
void probe_reply_fill(struct dns_reply *r, const ldns_pkt *pkt,
		      size_t wire_size, ldns_buffer *scratch);

/**
 * Walks raw EDNS option bytes (the OPT RR's RDATA: code u16, length u16,
 * data) and appends the EDEs (code 15) and NSID (code 3) to @p r. Pure and
 * defensive: stops at a truncated option, caps texts at EVIDENCE_MAX_TEXT,
 * cuts texts at an embedded NUL. A second NSID is ignored.
 * @return the number of well-formed options seen.
 */
size_t probe_reply_edns_options(struct dns_reply *r, const uint8_t *data,
				size_t len);

/** Smallest TTL of @p list, or 0 if it is empty. */
uint32_t probe_reply_min_ttl(const ldns_rr_list *list);

#endif
