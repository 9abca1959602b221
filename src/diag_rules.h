/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag_rules.h - what the rule files (diag_*.c) share; private to them.
 *
 * A rule reads the evidence and adds findings to a struct diag_ctx. Findings
 * are keyed by (id, subject): adding the same pair twice returns the finding
 * already there, so that one root cause seen by many servers becomes one
 * finding with one evidence line per server, not many findings.
 *
 * Finding texts embed untrusted strings raw (names, record texts, EDE text);
 * every output escapes them line by line. Nothing here does I/O.
 */
#ifndef BOGUS_DIAG_RULES_H
#define BOGUS_DIAG_RULES_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "evidence.h"

/* A signature that expires sooner than this is worth a warning. */
#define DIAG_EXPIRY_WARN_SECS (3 * 86400)

struct diag_ctx {
	const struct evidence *ev;
	int64_t now;
	struct finding *f;	/* owned; moved into the diagnosis */
	size_t n;
	/* Local validation's bogus answers left unjudged: this host ran short
	 * of descriptors, so libunbound's fetches may have failed for that
	 * (diag_resolvers.c leaves them, diag_vantage.c says why). */
	size_t local_bogus_unjudged;
};

/** The finding (@p id, @p subject), created with the catalog severity. */
struct finding *diag_add(struct diag_ctx *c, enum finding_id id,
			 const char *subject);
/** The finding (@p id, @p subject) if there is one, else NULL. */
struct finding *diag_find(struct diag_ctx *c, enum finding_id id,
			  const char *subject);
/** Does any finding in @p c have @p id? */
bool diag_any(const struct diag_ctx *c, enum finding_id id);

/** Replaces the summary. */
void diag_summary(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/**
 * Sets the fix of @p f to @p fix (new, now owned by @p f), freeing the one
 * before: a rule may meet the same finding twice (two servers with the same
 * label, a recording with repeated entries), and the last word wins, as with
 * diag_summary().
 */
void diag_fix(struct finding *f, char *fix);
/** Appends one evidence line (an identical line is kept once). */
void diag_evidence(struct finding *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/** Appends formatted text to the heap string *@p dst (NULL is ""). */
void diag_cat(char **dst, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Lists in one evidence line show at most this many items. */
#define DIAG_LIST_MAX 16
/**
 * For a loop appending item @p j of @p n to *@p list: false while there is
 * room; at item DIAG_LIST_MAX appends ", ... N more" and returns true (stop).
 * A server can serve hundreds of keys; a line of all their tags helps no one.
 */
bool diag_list_cut(char **list, size_t j, size_t n);
/** Frees what @p f owns and zeroes it. */
void diag_finding_clear(struct finding *f);
/** Raises f->cache_until to @p until (never lowers it). */
void diag_cache(struct finding *f, int64_t until);

/** "3 h 20 min", "45 s": a duration for people. */
const char *diag_duration(int64_t secs, char buf[32]);
/** "ns1.example.test. (192.0.2.1)", new string. */
char *diag_server_label(const char *name, const char *address);
/** @p rr with tabs and runs of blanks squeezed to one space, new string. */
char *diag_tidy_rr(const char *rr);

/** The chain link of the zone itself, or NULL. */
const struct chain_link *diag_zone_link(const struct evidence *ev);
/** Is @p l's DS RRset published (it is signed) or unknown? */
bool diag_link_signed(const struct chain_link *l);
/** Did a reply come back at all (any rcode)? */
bool diag_answered(const struct dns_reply *r);

/* The rule sets, in the order diag_run() calls them. */
void diag_chain_rules(struct diag_ctx *c);
void diag_ns_rules(struct diag_ctx *c);
void diag_algo_rules(struct diag_ctx *c);
void diag_nsec3_rules(struct diag_ctx *c);
void diag_alias_rules(struct diag_ctx *c);
void diag_cds_rules(struct diag_ctx *c);
void diag_keys_rules(struct diag_ctx *c);

/** Does every algorithm of the zone's DS and DNSKEY RRsets sign every
 * signed RRset seen (RFC 4035 2.2)? diag_algo.c. */
bool diag_algorithms_complete(const struct diag_ctx *c);
void diag_resolver_rules(struct diag_ctx *c);
/*
 * Run first. diag_vantage_rules(): is our own path to the DNS sane (root
 * servers authoritative over UDP and TCP, the anchor matching the root's
 * keys, our clock inside the root's signature windows)? Returns true when
 * it is broken: then no rule about the zone may run. diag_exist_rules():
 * does the zone exist (delegated by its parent)? Returns true when it does
 * not: then the rules about its servers and keys have nothing to judge.
 */
bool diag_vantage_rules(struct diag_ctx *c);
bool diag_exist_rules(struct diag_ctx *c);
/* Last: drops what a limited vantage (a UDP-only path) cannot tell. */
void diag_vantage_filter(struct diag_ctx *c);

/*
 * Signatures of one RRset as several servers served it: one finding per
 * failure kind, one evidence line per server, "on k of n servers".
 */
struct sig_obs {
	const char *server;	/* label, borrowed */
	const struct rrsig_info *sigs;
	size_t n_sigs;
	size_t n_rrs;		/* 0: nothing to sign, no "missing" */
};

struct sig_rule {
	const char *subject;	/* "www.example.test. A" */
	const uint16_t *tags;	/* only these signers count; NULL: any */
	size_t n_tags;
	enum finding_id missing_id;	/* RRSIG_MISSING or DNSKEY_NOT_... */
	enum finding_id invalid_id;	/* RRSIG_INVALID or PARENT_DS_... */
	/* The DS RRset at the parent: the parent's own finding ids
	 * (parent-ds-signature-expired...) instead of rrsig-*. */
	bool parent_ds;
	uint32_t ttl;		/* how long caches keep the RRset */
	/* The zone's keys could not be fetched: "no such key" proves
	 * nothing, the signatures cannot be judged. */
	bool keys_unknown;
};

/** Returns how many servers fail (any kind but expiring soon). */
size_t diag_sig_group(struct diag_ctx *c, const struct sig_rule *rule,
		      const struct sig_obs *obs, size_t n_obs);

/*
 * Folds per-RRset signature findings of one zone into one finding per
 * kind ("10 RRsets of example.test. have only expired RRSIGs"), and drops
 * denial-proof failures that a zone-wide signature failure explains.
 */
void diag_sig_merge(struct diag_ctx *c);

#endif
