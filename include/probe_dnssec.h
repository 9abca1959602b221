/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_dnssec.h - DNSSEC arithmetic over ldns records: key tags, DS digests,
 * RRSIG checks, denial of existence. Pure: no network, `now` is a parameter.
 *
 * Only probe_*.c include this header (it exposes ldns types). Every function
 * here is reentrant and may be called from any thread.
 */
#ifndef BOGUS_PROBE_DNSSEC_H
#define BOGUS_PROBE_DNSSEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "evidence.h"

#define DNSKEY_FLAG_ZONE 0x0100
#define DNSKEY_FLAG_REVOKE 0x0080
#define DNSKEY_FLAG_SEP 0x0001

/** The RR in presentation format, one line, no trailing newline. New. */
char *probe_dnssec_rr_text(const ldns_rr *rr);

/** Key tag of a DNSKEY RR (RFC 4034 appendix B). 0 for a non-DNSKEY. */
uint16_t probe_dnssec_keytag(const ldns_rr *dnskey);

/** Flags field of a DNSKEY RR. */
uint16_t probe_dnssec_key_flags(const ldns_rr *dnskey);

/**
 * DS RR text for @p dnskey with digest type @p digest_type (1, 2 or 4), as
 * a registrar form wants it. Returns new, or NULL if unsupported.
 */
char *probe_dnssec_ds_text(const ldns_rr *dnskey, uint8_t digest_type);

/**
 * Fills @p out (zeroed first) from a DNSKEY RR: tag, flags, algorithm,
 * bits, presentation text and the SHA-256/SHA-384 DS. served_by and signs_*
 * are left 0/false for the caller. Release with probe_dnssec_key_info_clear.
 */
void probe_dnssec_key_info(const ldns_rr *dnskey, struct key_info *out);
void probe_dnssec_key_info_clear(struct key_info *k);

/**
 * Fills @p out (zeroed first) from a DS RR and matches it against @p keys
 * (DNSKEY RRs, the order of chain_link.keys): tag and algorithm, then the
 * digest recomputed from the key. A DS that matches a key only once its
 * REVOKE bit is cleared (or a revoked key itself) is DS_MATCH_REVOKED_KEY.
 * key_index is the index in @p keys, -1 if none.
 */
void probe_dnssec_ds_info(const ldns_rr *ds, const ldns_rr_list *keys,
			  struct ds_info *out);
void probe_dnssec_ds_info_clear(struct ds_info *d);

/**
 * A 32-bit RRSIG time resolved to Unix time with serial arithmetic
 * (RFC 4034 3.1.5, RFC 1982): the value nearest to @p now.
 */
int64_t probe_dnssec_serial_time(uint32_t t, int64_t now);

/**
 * Checks every RRSIG in @p sigs that covers the type of @p rrset: against
 * each DNSKEY in @p keys with the signer's name, tag and algorithm, then in
 * time against @p now. At most @p max_checks (signature, key) verifications
 * are done for the whole RRset; signatures beyond get SIG_NOT_CHECKED.
 * @param[out] out    new array of the checked signatures (caller frees with
 *                    probe_dnssec_sigs_free); NULL when none
 * @param[out] key_ok optional, one bool per key of @p keys: set when a
 *                    SIG_VALID signature was made by that key
 * @return the number of entries in @p out
 */
size_t probe_dnssec_check_sigs(const ldns_rr_list *rrset,
			       const ldns_rr_list *sigs,
			       const ldns_rr_list *keys, int64_t now,
			       unsigned max_checks, struct rrsig_info **out,
			       bool *key_ok);
void probe_dnssec_sigs_free(struct rrsig_info *s, size_t n);

/** The best verdict over checked signatures: VALID if any is, etc. */
enum sig_check probe_dnssec_best_sig(const struct rrsig_info *s, size_t n);

/**
 * Denial of existence in a negative answer (NXDOMAIN, or NOERROR without
 * @p qtype in the answer) to the question @p qname / @p qtype: the NSEC or
 * NSEC3 records of the authority section, their RRSIGs checked against
 * @p keys (the zone's DNSKEYs), then the proof itself. NSEC3 with more than
 * @p max_iter iterations is SEC_INSECURE without hashing (RFC 9276).
 * @p max_checks bounds the verifications for the whole proof.
 * @return SEC_UNKNOWN for a positive answer, when the cap stopped us or
 *         when there is a proof but no keys to check it with,
 *         SEC_INSECURE when no keys and no proof (unsigned zone), SEC_SECURE
 *         for a verified proof, SEC_BOGUS otherwise.
 */
enum security probe_dnssec_check_denial(const ldns_pkt *pkt,
					const ldns_rdf *qname, uint16_t qtype,
					const ldns_rr_list *keys, int64_t now,
					unsigned max_checks, unsigned max_iter);

/**
 * The NSEC3 parameters of the proof in the authority section of @p pkt:
 * iterations and salt (new lower-case hex, "" for none; caller frees) of
 * the first NSEC3, and whether any has the opt-out flag. Returns false (and
 * *@p salt_hex NULL) when there is no NSEC3.
 */
bool probe_dnssec_nsec3_params(const ldns_pkt *pkt, uint16_t *iterations,
			       char **salt_hex, bool *opt_out);

/**
 * The first NSEC3PARAM of @p zone in the answer of @p pkt: hash algorithm,
 * flags, iterations and salt (new lower-case hex, "" for none; caller
 * frees). Returns false (and *@p salt_hex NULL) when there is none.
 */
bool probe_dnssec_nsec3param(const ldns_pkt *pkt, const ldns_rdf *zone,
			     uint8_t *alg, uint8_t *flags,
			     uint16_t *iterations, char **salt_hex);

/**
 * A CDS (as a DS) or a CDNSKEY (as a DNSKEY) record @p rr of the zone
 * matched against @p keys (the DNSKEYs served), into @p out like
 * probe_dnssec_ds_info(). Release with probe_dnssec_ds_info_clear.
 */
void probe_dnssec_cds_info(const ldns_rr *rr, const ldns_rr_list *keys,
			   struct ds_info *out);

/**
 * The target of the CNAME owned by @p qname in the answer of @p pkt (a
 * DNAME's synthesised CNAME included), absolute and lower case; new, or NULL
 * when the answer holds none.
 */
char *probe_dnssec_alias_target(const ldns_pkt *pkt, const ldns_rdf *qname);

/**
 * The records of @p type owned by @p owner in @p sec of @p pkt (RRSIGs:
 * those covering @p covered). Returns a new list of clones (may be empty);
 * free with ldns_rr_list_deep_free.
 */
ldns_rr_list *probe_dnssec_select(const ldns_pkt *pkt, ldns_pkt_section sec,
				  const ldns_rdf *owner, uint16_t type,
				  uint16_t covered);

#endif
