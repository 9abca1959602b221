/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * evidence_builder.h - hand-built evidence for the diagnosis and report
 * tests: a healthy world (root, test., example.test., two servers, two
 * validating resolvers) that each test then breaks in one way.
 *
 * Tests only. The Makefile builds each test from one file, so a test that
 * uses this does #include "evidence_builder.c". Pointers returned into the
 * evidence's arrays are valid until the next append to the same array.
 */
#ifndef BOGUS_EVIDENCE_BUILDER_H
#define BOGUS_EVIDENCE_BUILDER_H

#include <stdbool.h>
#include <stdint.h>

#include "evidence.h"

/* A fixed clock for every test: 2027-01-15 08:00:00 UTC. */
#define EB_NOW ((int64_t)1800000000)
#define EB_DAY ((int64_t)86400)

struct evidence *eb_new(const char *zone);
struct chain_link *eb_link(struct evidence *ev, const char *zone,
			   const char *parent, enum security status);
/** A DNSKEY with a made-up but stable DS text: "<zone> 3600 IN DS tag...". */
struct key_info *eb_key(struct chain_link *l, uint16_t tag, uint16_t flags,
			bool signs_dnskey, bool signs_zone);
/** A DS for @p tag; key_index is found by tag when @p m is DS_MATCH_OK. */
struct ds_info *eb_ds(struct chain_link *l, uint16_t tag, enum ds_match m);
/** A parent server's answered view of the link's DS RRset (signed). */
struct ds_view *eb_ds_view(struct chain_link *l, const char *ns,
			   const char *addr);
/** A child server's answered view with the link's keys, no signatures. */
struct dnskey_view *eb_dnskey_view(struct chain_link *l, const char *ns,
				   const char *addr);
void eb_sig(struct rrsig_info **sigs, size_t *n, uint16_t covered,
	    uint16_t tag, int64_t inception, int64_t expiration,
	    enum sig_check check);
/** Answers SOA over UDP and TCP with @p serial; serves @p tags. */
struct ns_ev *eb_ns(struct evidence *ev, const char *name, const char *addr,
		    uint32_t serial);
/** A CDS (or, @p cdnskey, a CDNSKEY) @p ns serves; sets cds_answered.
 *  @p alg 0: an RFC 8078 delete record. */
struct ds_info *eb_cds(struct ns_ev *ns, bool cdnskey, uint16_t tag,
		       uint8_t alg, enum ds_match m);
struct zone_rrset_check *eb_check(struct ns_ev *ns, const char *qname,
				  uint16_t qtype, size_t n_rrs);
struct resolver_ev *eb_resolver(struct evidence *ev, const char *name,
				const char *addr, enum validating v);
/** @p cd_rcode < 0: no CD=1 retry. */
struct resolver_answer *eb_answer(struct resolver_ev *r, const char *qname,
				  uint16_t qtype, int rcode, bool ad,
				  int cd_rcode);
void eb_ede(struct dns_reply *r, uint16_t code, const char *text);
struct local_verdict *eb_local(struct evidence *ev, const char *qname,
			       uint16_t qtype, enum security s,
			       const char *why);

/**
 * root -> test. -> example.test., all secure: KSK 2222 + ZSK 3333 with
 * DS 2222, ns1/ns2 serving SOA, DNSKEY and www A with valid signatures
 * (expiring in 20 days), validating resolvers "Alpha" and "Beta" answering
 * with AD.
 */
struct evidence *eb_healthy(void);
/** The zone's link (the last). */
struct chain_link *eb_zone(struct evidence *ev);
/** Replaces the zone's keys: KSK @p ksk (signing the DNSKEY RRset) + ZSK 3333. */
void eb_rekey(struct chain_link *l, uint16_t ksk);
/**
 * The rollover mistake: the KSK was replaced by @p ksk, the parent's DS
 * (for the old key) was not; the zone's link is bogus.
 */
void eb_ksk_replaced(struct evidence *ev, uint16_t ksk);
/** Replaces every SERVFAIL-able answer of every validating resolver. */
void eb_validators_servfail(struct evidence *ev, uint16_t ede);

/**
 * One vantage probe: ". @p qtype" asked of root address @p addr over UDP
 * or TCP, answered @p rcode with AA @p aa (the RRset in the answer when
 * NOERROR); @p rcode < 0: a timeout.
 */
struct vantage_probe *eb_vantage(struct evidence *ev, const char *addr,
				 uint16_t qtype, bool tcp, int rcode, bool aa);
/** A sane vantage: two root addresses answering . SOA and . NS over UDP
 * and . SOA over TCP, authoritatively. */
void eb_vantage_sane(struct evidence *ev);
/** The zone does not exist: @p parent's server said @p rcode (NXDOMAIN,
 * or NOERROR for NODATA) for @p name; @p nearby: a name seen near, or NULL. */
struct absence_ev *eb_absent(struct evidence *ev, const char *name,
			     const char *parent, int rcode, const char *nearby);

#endif
