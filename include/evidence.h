/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * evidence.h - what one refresh saw, as plain data.
 *
 * The evidence is the contract between the probe engine (which fills it) and
 * everything downstream (diagnosis, reports, the console). It holds no library
 * types (no ldns, no unbound) and no locks: once published through the model it
 * is immutable and may be read from any thread.
 *
 * Ownership: a struct evidence owns everything reachable from it (every string,
 * every array). evidence_free() releases the lot. Strings that came off the
 * network are stored raw (NUL-terminated, capped at EVIDENCE_MAX_TEXT bytes by
 * the probe) and MUST go through escape.h before they reach a terminal or a
 * report.
 */
#ifndef BOGUS_EVIDENCE_H
#define BOGUS_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest untrusted string the probe keeps (EDE text, NSID, why_bogus...). */
#define EVIDENCE_MAX_TEXT 1024

/* DNS types we talk about, so that nothing outside probe_* needs ldns. */
enum {
	RRTYPE_A = 1, RRTYPE_NS = 2, RRTYPE_CNAME = 5, RRTYPE_SOA = 6,
	RRTYPE_MX = 15, RRTYPE_TXT = 16, RRTYPE_AAAA = 28, RRTYPE_DS = 43,
	RRTYPE_RRSIG = 46, RRTYPE_NSEC = 47, RRTYPE_DNSKEY = 48,
	RRTYPE_NSEC3 = 50,
};

enum {
	RCODE_NOERROR = 0, RCODE_FORMERR = 1, RCODE_SERVFAIL = 2,
	RCODE_NXDOMAIN = 3, RCODE_NOTIMP = 4, RCODE_REFUSED = 5,
};

/* How one query ended. Every query ends in exactly one of these. */
enum outcome {
	OUTCOME_NOT_SENT = 0,	/* not asked (e.g. CD=1 retry of a good answer) */
	OUTCOME_ANSWER,		/* a matching, well-formed reply (any rcode) */
	OUTCOME_TIMEOUT,	/* no reply before the absolute deadline */
	OUTCOME_NET_ERROR,	/* ICMP unreachable, connection refused/reset... */
	OUTCOME_MALFORMED,	/* a matching reply we could not parse */
	OUTCOME_CANCELLED,	/* shutdown or a newer refresh took over */
};

/*
 * Security status, ordered by how much it tells us so that a merge is max():
 * bogus outranks secure outranks insecure outranks indeterminate.
 */
enum security {
	SEC_UNKNOWN = 0,	/* not determined (no answer, not checked) */
	SEC_INSECURE,		/* provably unsigned (no DS on the path) */
	SEC_SECURE,
	SEC_BOGUS,
};

/* One Extended DNS Error (RFC 8914, EDNS option 15). */
struct ede {
	uint16_t code;
	char *text;		/* EXTRA-TEXT, raw and untrusted; "" if none */
};

/* Result of checking one RRSIG cryptographically and in time. */
enum sig_check {
	SIG_NOT_CHECKED = 0,	/* the verification cap was reached, or no
				 * DNSKEY set could be fetched to check it */
	SIG_VALID,		/* verifies with a served key, within window */
	SIG_BAD,		/* a key with that tag/alg exists; crypto fails */
	SIG_NO_KEY,		/* no served DNSKEY with that tag and algorithm */
	SIG_EXPIRED,		/* crypto fine, expiration in the past */
	SIG_NOT_YET_VALID,	/* crypto fine, inception in the future */
	SIG_UNSUPPORTED,	/* algorithm we cannot verify */
};

struct rrsig_info {
	uint16_t covered;	/* RR type covered */
	uint8_t algorithm;
	uint8_t labels;
	uint32_t original_ttl;
	int64_t inception;	/* Unix time, serial arithmetic resolved */
	int64_t expiration;
	uint16_t key_tag;
	char *signer;		/* presentation format, untrusted */
	enum sig_check check;
};

/* One DNSKEY as the child serves it. */
struct key_info {
	uint16_t tag;
	uint8_t algorithm;
	uint16_t flags;		/* 257 KSK/SEP, 256 ZSK, +128 REVOKE */
	uint8_t protocol;
	unsigned bits;		/* key size, 0 if unknown */
	bool signs_dnskey;	/* a valid RRSIG by it covers the DNSKEY RRset */
	bool signs_zone;	/* a valid RRSIG by it covers other zone data */
	unsigned served_by;	/* how many child server addresses served it */
	char *rr_text;		/* the DNSKEY RR in presentation format */
	char *ds_sha256;	/* DS RR computed from this key (digest type 2) */
	char *ds_sha384;	/* DS RR computed from this key (digest type 4) */
};

/* How a DS record at the parent relates to the keys the child serves. */
enum ds_match {
	DS_MATCH_NO_KEY = 0,	/* no served DNSKEY has this tag and algorithm */
	DS_MATCH_OK,		/* digest recomputed from a served key matches */
	DS_MATCH_DIGEST_MISMATCH, /* key with tag+alg exists, digest differs */
	DS_MATCH_UNSUPPORTED_DIGEST, /* digest type we cannot compute */
	DS_MATCH_REVOKED_KEY,	/* matches a key that has the REVOKE bit */
};

struct ds_info {
	uint16_t tag;
	uint8_t algorithm;
	uint8_t digest_type;
	char *digest_hex;	/* as published, lower-case hex */
	char *rr_text;		/* the DS RR in presentation format */
	enum ds_match match;
	int key_index;		/* index into chain_link.keys, -1 if none */
};

/*
 * One reply from one server to one query, with what the probe could read
 * out of it. Record texts are presentation format (ldns), still untrusted.
 */
struct dns_reply {
	enum outcome outcome;
	int rcode;		/* -1 unless outcome == OUTCOME_ANSWER */
	bool aa, tc, ad, ra, cd;	/* header bits of the reply */
	bool via_tcp;		/* the reply that counts came over TCP */
	bool tc_retried;	/* UDP was truncated, TCP was tried */
	uint32_t rtt_ms;
	uint32_t size;		/* bytes on the wire */
	uint32_t min_ttl;	/* smallest TTL in the answer section */
	uint32_t neg_ttl;	/* SOA minimum/TTL of a negative answer, 0 */
	char *nsid;		/* EDNS NSID, raw bytes as text, or NULL */
	struct ede *ede;
	size_t n_ede;
	char **answer;		/* answer-section RRs, presentation format */
	size_t n_answer;
	char *error;		/* why, for NET_ERROR/MALFORMED; else NULL */
};

/* ---------------------------------------------------------------- */
/* Resolvers: what recursive resolvers tell their users.             */

enum validating {
	VALIDATING_UNKNOWN = 0,	/* not measured yet / resolver down */
	VALIDATING_NO,
	VALIDATING_YES,
};

struct resolver_answer {
	char *qname;		/* absolute, presentation format */
	uint16_t qtype;
	struct dns_reply reply;	/* DO=1, CD=0 */
	struct dns_reply cd_reply;	/* DO=1, CD=1; NOT_SENT if reply was fine */
};

struct resolver_ev {
	char *name;		/* e.g. "Cloudflare" or "system-1" */
	char *address;		/* numeric address, no port */
	uint16_t port;
	bool from_system;	/* came from /etc/resolv.conf */
	enum validating validating;
	bool root_ad;		/* the root SOA came back with AD */
	bool root_bogus;	/* the root SOA: SERVFAIL, yet CD=1 answers: this
				 * resolver cannot validate anything (anchor,
				 * clock), whatever the zone */
	int canary_rcode;	/* rcode for the known-bogus canary, -1 none */
	struct resolver_answer *answers;
	size_t n_answers;
};

/* What libunbound, recursing on its own from our anchor, concludes. */
struct local_verdict {
	char *qname;
	uint16_t qtype;
	enum security security;
	int rcode;		/* -1 if the lookup itself failed */
	bool havedata;
	char *why_bogus;	/* Unbound's reason text, or NULL */
};

/* ---------------------------------------------------------------- */
/* Chain of trust: one link per zone cut, root first.                */

/* A server of a zone: the NS name and one of its addresses. */
struct server_ref {
	char *ns_name;		/* presentation format, may be "" for hints */
	char *address;		/* numeric */
	uint16_t port;
};

/* The DS RRset as one parent server published it (asked with RD=0). */
struct ds_view {
	struct server_ref server;
	struct dns_reply reply;
	struct ds_info *ds;
	size_t n_ds;
	struct rrsig_info *sigs;	/* parent's RRSIGs over the DS RRset */
	size_t n_sigs;
};

/* The DNSKEY RRset as one child server served it. */
struct dnskey_view {
	struct server_ref server;
	struct dns_reply reply;
	uint16_t *tags;		/* key tags served, in order */
	size_t n_tags;
	struct rrsig_info *sigs;	/* RRSIGs over the DNSKEY RRset */
	size_t n_sigs;
};

struct chain_link {
	char *zone;		/* the child, e.g. "example.test." ("." for root) */
	char *parent;		/* NULL for the root */
	enum security status;	/* our own verdict for this link */
	bool anchored;		/* the root: keys checked against the anchor */
	struct ds_view *ds_views;	/* one per parent server address */
	size_t n_ds_views;
	struct dnskey_view *dnskey_views;	/* one per child server address */
	size_t n_dnskey_views;
	/* Merged views: union of what was seen, deduplicated. */
	struct ds_info *ds;	/* for the root: the configured trust anchor */
	size_t n_ds;
	struct key_info *keys;
	size_t n_keys;
	struct rrsig_info *dnskey_sigs;	/* over the DNSKEY RRset */
	size_t n_dnskey_sigs;
	uint32_t ds_ttl;	/* TTL of the DS RRset at the parent */
	uint32_t dnskey_ttl;
	uint32_t neg_ttl;	/* parent's negative TTL (for a missing DS) */
	/*
	 * TTL of the NS RRset in the parent's referral (the largest any parent
	 * server sent; 0: none seen, and always 0 for the root), and of the
	 * apex NS RRset the child serves (the zone's own link only; 0: not
	 * seen). Resolvers that prefer the child's copy cache that one.
	 */
	uint32_t ns_ttl;
	uint32_t child_ns_ttl;
};

/* ---------------------------------------------------------------- */
/* Nameservers of the zone: each address, asked directly.            */

/* One signed RRset (or denial) as one authoritative server served it. */
struct zone_rrset_check {
	char *qname;
	uint16_t qtype;
	int rcode;		/* -1 if no answer */
	size_t n_rrs;		/* records of qtype in the answer */
	struct rrsig_info *sigs;
	size_t n_sigs;
	/* For NXDOMAIN/NODATA: is there a denial proof, and does it verify? */
	enum security denial;	/* UNKNOWN if not a negative answer */
	/* The NSEC3 parameters of the proof (RFC 5155), when it is NSEC3. */
	bool has_nsec3;
	uint16_t nsec3_iterations;
	char *nsec3_salt;	/* hex, "" for none; NULL without NSEC3 */
	bool nsec3_opt_out;	/* some NSEC3 of the proof has opt-out */
	/* The answer is an alias: the CNAME target of qname (or the one a
	 * DNAME synthesised), absolute; NULL when qname is no alias. */
	char *cname;
};

struct ns_ev {
	char *name;		/* NS name, presentation format */
	char *address;		/* numeric; NULL if the name did not resolve */
	bool in_parent;		/* listed in the parent's delegation */
	bool in_child;		/* listed in the child's apex NS */
	struct dns_reply soa_udp;
	struct dns_reply soa_tcp;
	struct dns_reply dnskey_udp;	/* the biggest answer: shows truncation */
	struct dns_reply dnskey_tcp;
	bool has_serial;
	uint32_t serial;
	uint16_t *dnskey_tags;
	size_t n_dnskey_tags;
	int64_t earliest_expiration;	/* 0 if no RRSIG seen */
	struct zone_rrset_check *checks;
	size_t n_checks;
	/*
	 * CDS and CDNSKEY (RFC 7344) this server serves at the apex, each
	 * matched against the DNSKEYs it serves: match and tag as for a DS
	 * (a CDNSKEY is DS_MATCH_OK when a served key has the same data; its
	 * digest_type is 0, its rr_text the CDNSKEY). A delete record (RFC
	 * 8078: "0 0 0 00", "0 3 0 AA==") has algorithm 0. cds_answered: both
	 * questions got an answer (an empty set is "none served"). key_index
	 * is always -1: match by tag and algorithm against the zone's keys.
	 */
	bool cds_answered;
	struct ds_info *cds;
	size_t n_cds;
	struct ds_info *cdnskey;
	size_t n_cdnskey;
	/*
	 * The apex NSEC3PARAM (RFC 5155 4): the parameters this server's
	 * signer and server use to pick the NSEC3 chain for denials.
	 * nsec3param_answered: the question got an answer from the zone (so
	 * no record means none served); the fields hold the first record.
	 */
	bool nsec3param_answered;
	bool has_nsec3param;
	uint8_t nsec3param_alg, nsec3param_flags;
	uint16_t nsec3param_iterations;
	char *nsec3param_salt;	/* hex, "" for none; NULL without a record */
};

/* ---------------------------------------------------------------- */
/* Aliases: names of the zone that are CNAMEs into other zones.      */

/*
 * One hop of an alias chain: @p owner (a name the zone's servers answer
 * with a CNAME, or the previous hop's target) points at @p target, whose
 * zone was walked and asked like the zone itself. Chains are flat: hop 2
 * of www's chain is another alias_ev with depth 2 and owner = hop 1's
 * target.
 */
struct alias_ev {
	char *owner;		/* absolute */
	uint16_t qtype;		/* the question that met the alias */
	char *target;		/* the CNAME target, absolute */
	unsigned depth;		/* 1: the zone's own name */
	bool loop;		/* the target was met before: not followed */
	/*
	 * The target's zone as the zone itself is probed: zone = the
	 * target's zone, chain root -> that zone, its nameservers asked for
	 * target/qtype (checks), no resolvers. NULL: not followed (a loop,
	 * the bound, or inside the zone itself).
	 */
	struct evidence *target_ev;
};

/* ---------------------------------------------------------------- */
/* Our own vantage: is the path from here to the DNS sane?           */

/*
 * One question about the root zone to one root server address from the
 * hints, RD=0. A root server answers ". SOA" and ". NS" authoritatively
 * (AA=1, NOERROR, the RRset in the answer) over UDP and TCP; anything else
 * came from something on our own path.
 */
struct vantage_probe {
	char *address;		/* numeric, from the root hints (or the decoy) */
	uint16_t qtype;		/* RRTYPE_SOA or RRTYPE_NS, of "." */
	bool tcp;		/* asked over TCP only */
	bool has_data;		/* the answer holds ". qtype" records */
	/* Asked of the decoy, an address where no DNS server runs (RD=1,
	 * one short try): any answer came from our own path. */
	bool decoy;
	struct dns_reply reply;
};

/*
 * The zone does not exist in the DNS: an authoritative server of a zone
 * above it said so (NXDOMAIN for the zone or an ancestor, or NODATA for the
 * zone's NS: a name inside the parent, not a delegation).
 */
struct absence_ev {
	char *name;		/* what does not exist (the zone, or an ancestor) */
	char *parent;		/* the zone whose servers said so */
	char *server;		/* "ns1.nic.test. (192.0.2.1)": one that said so */
	int rcode;		/* RCODE_NXDOMAIN, or RCODE_NOERROR for NODATA */
	char **nearby;		/* names seen to exist near it: the parent's
				 * NSEC neighbours, letter swaps that got a
				 * referral; untrusted */
	size_t n_nearby;
};

/* ---------------------------------------------------------------- */

struct evidence {
	uint64_t generation;	/* set by the model when published */
	int64_t started_at;	/* Unix time the refresh began */
	int64_t finished_at;
	char *zone;		/* absolute, lower case, presentation format */
	char *anchor_source;	/* file name, or "built-in" */

	struct resolver_ev *resolvers;
	size_t n_resolvers;
	struct local_verdict *local;
	size_t n_local;
	struct chain_link *chain;	/* root first, the zone last */
	size_t n_chain;
	char **parent_ns;	/* the delegation NS set at the parent */
	size_t n_parent_ns;
	char **child_ns;	/* the apex NS set the child serves */
	size_t n_child_ns;
	struct ns_ev *nameservers;
	size_t n_nameservers;
	struct alias_ev *aliases;	/* CNAMEs out of the zone, followed */
	size_t n_aliases;
	/* The vantage check: none when it did not run (older recordings). */
	struct vantage_probe *vantage;
	size_t n_vantage;
	struct absence_ev *absent;	/* NULL: the zone exists (or unknown) */
	char **notes;		/* probe-side problems worth showing */
	size_t n_notes;
	unsigned queries_sent;
	unsigned late_replies;	/* late, duplicate or mismatched replies */
	/*
	 * Queries that had to wait for a file descriptor (our own process or
	 * system limit): a vantage problem, never the zone's. Those that got
	 * none in time are OUTCOME_NOT_SENT.
	 */
	unsigned local_limited;
};

/** Frees @p ev and everything it owns. NULL is a no-op. */
void evidence_free(struct evidence *ev);
/** Releases what @p r owns (not @p r itself) and zeroes it. */
void resolver_ev_clear(struct resolver_ev *r);

/** Frees @p a and what it owns. NULL is a no-op. */
void evidence_absence_free(struct absence_ev *a);

/** Releases what @p r owns (not @p r itself) and zeroes it. */
void dns_reply_clear(struct dns_reply *r);

/**
 * The DS record @p ds_rr (a key_info.ds_sha256/384, made from the DNSKEY RR
 * and so carrying the DNSKEY's TTL) as the parent publishes it: with
 * @p ds_ttl, the parent's DS TTL, or with no TTL field when it is 0 (not
 * seen). Fields are tab-separated like the probe's. Text that does not look
 * like "owner [ttl] [IN] DS rdata" comes back unchanged. NULL gives NULL.
 * Caller frees the result. Pure; any thread.
 */
char *evidence_ds_as_parent(const char *ds_rr, uint32_t ds_ttl);

/** Is absolute @p name at or below the absolute @p zone (any case)? */
bool evidence_in_zone(const char *name, const char *zone);

/**
 * Why the DNSKEY RRset of @p l could not be seen at all, or NULL when it
 * was: no key is known and no child server answered the question in full
 * (each timed out, failed, or truncated its UDP answer with TCP out of
 * reach). "Could not see" is not "saw no key": a DS cannot be judged
 * against keys nobody could fetch. Returns a static string.
 */
const char *chain_link_keys_unseen(const struct chain_link *l);

/** The same for one server address: why its DNSKEY RRset was not seen
 * ("truncated, TCP failed", "timeout"...), or NULL when it answered. */
const char *ns_keys_unseen(const struct ns_ev *ns);

/** Name of an RR type ("DNSKEY", "TYPE65534"). Returns a static or @p buf. */
const char *rrtype_name(uint16_t type, char buf[16]);

/** Name of an rcode ("NXDOMAIN", "RCODE12"). Returns a static or @p buf. */
const char *rcode_name(int rcode, char buf[16]);

/** "secure", "insecure", "bogus" or "unknown". */
const char *security_name(enum security s);

/** "ok", "no-key", "digest-mismatch", "unsupported-digest", "revoked-key". */
const char *ds_match_id(enum ds_match m);

/** "valid", "bad", "no-key", "expired", "not-yet-valid", "unsupported",
 *  "not-checked". */
const char *sig_check_id(enum sig_check s);

/** "yes", "no" or "unknown". */
const char *validating_id(enum validating v);

/** Short name of an outcome: "answer", "timeout", "net-error"... */
const char *outcome_name(enum outcome o);

/**
 * The rdata of @p ns's NSEC3PARAM in presentation format ("1 0 0 -", the
 * salt in hex), new; NULL when it serves none or was not asked.
 */
char *evidence_nsec3param_rdata(const struct ns_ev *ns);

/** Mnemonic of a DNSSEC algorithm number ("ECDSAP256SHA256"), or NULL. */
const char *algorithm_name(uint8_t alg);
/* Whether validators implement @p alg (RFC 8624 MUST/RECOMMENDED to
 * validate); a zone whose DS names none of these is insecure to them. */
bool algorithm_validated(uint8_t alg);

/** Name of a DS digest type ("SHA-256"), or NULL. */
const char *digest_type_name(uint8_t type);

/** Registry name of an EDE code (RFC 8914 + IANA), or NULL if unassigned. */
const char *ede_name(uint16_t code);

#endif
