/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag.h - the diagnosis: a fixed catalog of findings, computed from one
 * evidence snapshot.
 *
 * Pure: no I/O, no clock (the caller passes @p now), no globals. The same
 * evidence and the same @p now always give the same diagnosis, which is what
 * makes the rules testable on hand-built evidence.
 */
#ifndef BOGUS_DIAG_H
#define BOGUS_DIAG_H

#include <stddef.h>
#include <stdint.h>

#include "evidence.h"

enum severity { SEV_INFO = 0, SEV_WARNING, SEV_CRITICAL };

/*
 * Who must act: whose move the fix is. A finding's catalog row gives the
 * usual party; a rule may name another for one instance (a DS mismatch left
 * by a provider move is the registrar's, not the signer's).
 * X(enum, JSON name, words for people). JSON names are a public interface.
 */
#define ACTOR_CATALOG(X) \
	X(ZONE_OPERATOR, "zone-operator", "the zone's operator") \
	X(DNS_PROVIDER, "dns-provider", "the zone's DNS provider / signer") \
	X(REGISTRAR, "registrar", "the registrar (through the zone's operator)") \
	X(PARENT_OPERATOR, "parent-operator", "the parent zone's operator (registry / TLD)") \
	X(CNAME_TARGET_OWNER, "cname-target-owner", "the owner of the CNAME target's zone (CDN)") \
	X(RESOLVER_OPERATOR, "resolver-operator", "the resolver's operator") \
	X(LOCAL_NETWORK, "local-network", "our own network (where bogus runs)")

enum actor {
#define ACTOR_ENUM(e, name, words) ACTOR_##e,
	ACTOR_CATALOG(ACTOR_ENUM)
#undef ACTOR_ENUM
	ACTOR_COUNT
};

/*
 * The catalog, listed once: X(enum, id, severity, DNSViz code or NULL, who
 * must act by default). Within a severity, findings are reported in this
 * order: root causes first, the parent's before the zone's. The id strings are a public interface (JSON,
 * monitoring): never rename.
 */
#define FINDING_CATALOG(X) \
	X(VANTAGE_OFFLINE, "vantage-offline", SEV_CRITICAL, NULL, ACTOR_LOCAL_NETWORK) \
	X(VANTAGE_INTERCEPTED, "vantage-intercepted", SEV_CRITICAL, NULL, ACTOR_LOCAL_NETWORK) \
	X(VANTAGE_ANCHOR_MISMATCH, "vantage-anchor-mismatch", SEV_CRITICAL, NULL, ACTOR_LOCAL_NETWORK) \
	X(VANTAGE_CLOCK_SKEW, "vantage-clock-skew", SEV_CRITICAL, NULL, ACTOR_LOCAL_NETWORK) \
	X(VANTAGE_LOCAL_LIMIT, "vantage-local-limit", SEV_CRITICAL, NULL, ACTOR_LOCAL_NETWORK) \
	X(VANTAGE_UDP_ONLY, "vantage-udp-only", SEV_WARNING, NULL, ACTOR_LOCAL_NETWORK) \
	X(ZONE_NOT_DELEGATED, "zone-not-delegated", SEV_CRITICAL, NULL, ACTOR_ZONE_OPERATOR) \
	X(PARENT_DS_SIGNATURE_INVALID, "parent-ds-signature-invalid", SEV_CRITICAL, "SIGNATURE_INVALID", ACTOR_PARENT_OPERATOR) \
	X(PARENT_DS_SIGNATURE_EXPIRED, "parent-ds-signature-expired", SEV_CRITICAL, "EXPIRATION_IN_PAST", ACTOR_PARENT_OPERATOR) \
	X(PARENT_DS_SIGNATURE_NOT_YET_VALID, "parent-ds-signature-not-yet-valid", SEV_CRITICAL, "INCEPTION_IN_FUTURE", ACTOR_PARENT_OPERATOR) \
	X(PARENT_DS_SIGNATURE_MISSING, "parent-ds-signature-missing", SEV_CRITICAL, "MISSING_RRSIG", ACTOR_PARENT_OPERATOR) \
	X(PARENT_DS_INCONSISTENT, "parent-ds-inconsistent", SEV_WARNING, NULL, ACTOR_PARENT_OPERATOR) \
	X(DS_NO_MATCHING_KEY, "ds-no-matching-key", SEV_CRITICAL, NULL, ACTOR_ZONE_OPERATOR) \
	X(DS_DIGEST_MISMATCH, "ds-digest-mismatch", SEV_CRITICAL, "DIGEST_INVALID", ACTOR_REGISTRAR) \
	X(DNSKEY_NOT_SIGNED_BY_DS_KEY, "dnskey-not-signed-by-ds-key", SEV_CRITICAL, "NO_SEP", ACTOR_DNS_PROVIDER) \
	X(RRSIG_EXPIRED, "rrsig-expired", SEV_CRITICAL, "EXPIRATION_IN_PAST", ACTOR_DNS_PROVIDER) \
	X(RRSIG_NOT_YET_VALID, "rrsig-not-yet-valid", SEV_CRITICAL, "INCEPTION_IN_FUTURE", ACTOR_DNS_PROVIDER) \
	X(RRSIG_EXPIRING_SOON, "rrsig-expiring-soon", SEV_WARNING, "EXPIRATION_WITHIN_CLOCK_SKEW", ACTOR_DNS_PROVIDER) \
	X(RRSIG_MISSING, "rrsig-missing", SEV_CRITICAL, "MISSING_RRSIG", ACTOR_DNS_PROVIDER) \
	X(RRSIG_INVALID, "rrsig-invalid", SEV_CRITICAL, "SIGNATURE_INVALID", ACTOR_DNS_PROVIDER) \
	X(RRSIG_KEY_NOT_SERVED, "rrsig-key-not-served", SEV_CRITICAL, NULL, ACTOR_DNS_PROVIDER) \
	X(ALIAS_TARGET_BROKEN, "alias-target-broken", SEV_CRITICAL, NULL, ACTOR_CNAME_TARGET_OWNER) \
	X(ALIAS_LOOP, "alias-loop", SEV_CRITICAL, "CNAME_LOOP", ACTOR_ZONE_OPERATOR) \
	X(DENIAL_PROOF_INVALID, "denial-proof-invalid", SEV_CRITICAL, "MISSING_NSEC_FOR_NXDOMAIN", ACTOR_DNS_PROVIDER) \
	X(TCP_UNREACHABLE, "tcp-unreachable", SEV_WARNING, "SERVER_UNRESPONSIVE_TCP", ACTOR_DNS_PROVIDER) \
	X(ALGORITHM_INCOMPLETE, "algorithm-incomplete", SEV_WARNING, "MISSING_RRSIG_FOR_ALG_DNSKEY", ACTOR_DNS_PROVIDER) \
	X(NSEC3_ITERATIONS_TOO_HIGH, "nsec3-iterations-too-high", SEV_WARNING, "NONZERO_NSEC3_ITERATION_COUNT", ACTOR_DNS_PROVIDER) \
	X(ALGORITHM_DEPRECATED, "algorithm-deprecated", SEV_WARNING, "ALGORITHM_NOT_RECOMMENDED", ACTOR_DNS_PROVIDER) \
	X(DS_DIGEST_DEPRECATED, "ds-digest-deprecated", SEV_WARNING, "DIGEST_ALGORITHM_NOT_RECOMMENDED", ACTOR_REGISTRAR) \
	X(NSEC3_ITERATIONS_NONZERO, "nsec3-iterations-nonzero", SEV_WARNING, "NONZERO_NSEC3_ITERATION_COUNT", ACTOR_DNS_PROVIDER) \
	X(NSEC3_SALT, "nsec3-salt", SEV_WARNING, "NONEMPTY_NSEC3_SALT", ACTOR_DNS_PROVIDER) \
	X(NSEC3PARAM_MISMATCH, "nsec3param-mismatch", SEV_WARNING, NULL, ACTOR_DNS_PROVIDER) \
	X(CDS_WOULD_BREAK, "cds-would-break", SEV_WARNING, NULL, ACTOR_DNS_PROVIDER) \
	X(CDS_INCONSISTENT, "cds-inconsistent", SEV_WARNING, "MULTIPLE_CDS", ACTOR_DNS_PROVIDER) \
	X(CDS_DELETE, "cds-delete", SEV_WARNING, NULL, ACTOR_ZONE_OPERATOR) \
	X(DNSKEY_ANSWER_LARGE, "dnskey-answer-large", SEV_WARNING, NULL, ACTOR_DNS_PROVIDER) \
	X(TTL_BEYOND_EXPIRATION, "ttl-beyond-expiration", SEV_WARNING, "TTL_BEYOND_EXPIRATION", ACTOR_DNS_PROVIDER) \
	X(KEY_TAG_COLLISION, "key-tag-collision", SEV_WARNING, NULL, ACTOR_DNS_PROVIDER) \
	X(VALIDATORS_SERVFAIL, "validators-servfail", SEV_CRITICAL, NULL, ACTOR_ZONE_OPERATOR) \
	X(NONVALIDATING_RESOLVER, "nonvalidating-resolver", SEV_WARNING, NULL, ACTOR_RESOLVER_OPERATOR) \
	X(NS_SERIAL_MISMATCH, "ns-serial-mismatch", SEV_WARNING, NULL, ACTOR_DNS_PROVIDER) \
	X(NS_DNSKEY_MISMATCH, "ns-dnskey-mismatch", SEV_WARNING, "DNSKEY_MISSING_FROM_SERVERS", ACTOR_DNS_PROVIDER) \
	X(NS_UNREACHABLE, "ns-unreachable", SEV_WARNING, "SERVER_UNRESPONSIVE_UDP", ACTOR_DNS_PROVIDER) \
	X(NS_LAME, "ns-lame", SEV_WARNING, "SERVER_NOT_AUTHORITATIVE", ACTOR_DNS_PROVIDER) \
	X(NS_DELEGATION_MISMATCH, "ns-delegation-mismatch", SEV_WARNING, "NS_NAME_NOT_IN_CHILD", ACTOR_ZONE_OPERATOR) \
	X(INSECURE_DELEGATION, "insecure-delegation", SEV_INFO, NULL, ACTOR_ZONE_OPERATOR) \
	X(ALGORITHM_UNSUPPORTED, "algorithm-unsupported", SEV_INFO, "ALGORITHM_NOT_SUPPORTED", ACTOR_ZONE_OPERATOR) \
	X(NSEC3_OPT_OUT, "nsec3-opt-out", SEV_INFO, NULL, ACTOR_ZONE_OPERATOR) \
	X(CDS_PENDING, "cds-pending", SEV_INFO, "CDS_INCONSISTENT_WITH_DS", ACTOR_ZONE_OPERATOR) \
	X(KEY_REVOKED, "key-revoked", SEV_INFO, "DNSKEY_REVOKED_DS", ACTOR_ZONE_OPERATOR) \
	X(ROLLOVER_IN_PROGRESS, "rollover-in-progress", SEV_INFO, NULL, ACTOR_ZONE_OPERATOR) \
	X(EDE_DISAGREES, "ede-disagrees", SEV_INFO, NULL, ACTOR_RESOLVER_OPERATOR) \
	X(RESOLVER_UNREACHABLE, "resolver-unreachable", SEV_WARNING, "TIMEOUT", ACTOR_RESOLVER_OPERATOR) \
	X(RESOLVER_VALIDATION_BROKEN, "resolver-validation-broken", SEV_WARNING, NULL, ACTOR_RESOLVER_OPERATOR) \
	X(ZONE_UNREACHABLE, "zone-unreachable", SEV_CRITICAL, "TIMEOUT", ACTOR_DNS_PROVIDER)

enum finding_id {
#define FINDING_ENUM(e, id, sev, dnsviz, actor) FINDING_##e,
	FINDING_CATALOG(FINDING_ENUM)
#undef FINDING_ENUM
	FINDING_COUNT
};

/* Ordered by how bad: the verdict of a merge is the max(). */
enum verdict {
	VERDICT_SECURE = 0,
	VERDICT_INSECURE,
	VERDICT_DEGRADED,
	VERDICT_BOGUS,
	VERDICT_UNREACHABLE,
	/* Our own vantage is broken (intercepted, offline, clock far off):
	 * nothing about the zone can be judged from here (Nagios UNKNOWN). */
	VERDICT_VANTAGE,
};

/*
 * Texts (subject, summary, evidence, fix) embed untrusted strings raw, such as
 * names, record texts and EDE text: escape each line on output (escape.h).
 * fix may span several lines separated by '\n'; the others are one line.
 */
struct finding {
	enum finding_id id;
	enum severity severity;
	char *subject;		/* what it is about: a zone, a server, a name */
	char *summary;		/* one line */
	char **evidence;	/* which server said what, one line each */
	size_t n_evidence;
	char *fix;		/* concrete, may be several lines; NULL if none */
	enum actor actor;	/* whose move the fix is */
	int64_t cache_until;	/* caches may hold the old state until; 0 n/a */
};

/*
 * The cache tail, remembered across snapshots: what resolvers may still hold
 * from an outage once the zone is repaired. For each thing cached, the
 * largest TTL seen during the outage; and the moment the repair was first
 * seen, from which each wait counts (runbook_wait(), the runbooks' clock),
 * so that the "until" of each is a fixed clock time, not now + TTL.
 * Kept beside the runbooks by whoever follows the snapshots (the console;
 * --once --replay over the recording), handed to the checklist in
 * diagnosis.tail. Zero-initialised: nothing seen.
 */
enum tail_item { TAIL_DS = 0, TAIL_DNSKEY, TAIL_NEG, TAIL_NS, TAIL_ANSWERS,
		 TAIL_COUNT };

struct cache_tail {
	int64_t outage_at;	/* first snapshot of the last outage; 0: none */
	int64_t repair_at;	/* first one after it that was repaired; 0: not yet */
	int64_t last_at;	/* the last snapshot observed */
	uint32_t ttl[TAIL_COUNT];	/* 0: not involved */
};

struct diagnosis {
	enum verdict verdict;
	int64_t now;
	/* Step 6's memory: diag_run() fills it from this snapshot alone; a
	 * caller that follows the snapshots puts its own in its place. */
	struct cache_tail tail;
	struct finding *findings;	/* most severe first */
	size_t n_findings;
};

/** Runs every rule. Returns new; caller frees with diagnosis_free(). */
struct diagnosis *diag_run(const struct evidence *ev, int64_t now);
/** NULL is a no-op. */
void diagnosis_free(struct diagnosis *d);

/** Does @p d contain finding @p id? */
int diagnosis_has(const struct diagnosis *d, enum finding_id id);
/** The finding @p id about @p subject (NULL matches NULL) in @p d, or NULL. */
const struct finding *diagnosis_find(const struct diagnosis *d,
				     enum finding_id id, const char *subject);
/** Releases what @p f owns (not @p f itself). */
void diag_finding_clear(struct finding *f);

const char *finding_id_name(enum finding_id id);	/* "ds-no-matching-key" */
const char *finding_dnsviz(enum finding_id id);	/* "DIGEST_INVALID" or NULL */
enum severity finding_default_severity(enum finding_id id);
enum actor finding_default_actor(enum finding_id id);
const char *actor_name(enum actor a);	/* "registrar": JSON, tests */
const char *actor_words(enum actor a);	/* "the registrar (...)": people */
const char *severity_name(enum severity s);	/* "critical"... */
const char *verdict_name(enum verdict v);	/* "bogus"... */
/** "2026-11-28 03:15 UTC" (UTC, minutes) into @p buf; returns @p buf. */
const char *diag_clock(int64_t t, char buf[32]);
/** "2026-11-28T03:15:00Z" (ISO 8601 UTC) into @p buf; returns @p buf. */
const char *diag_iso_time(int64_t t, char buf[32]);
/** Nagios-style exit code: 0 secure/insecure, 1 degraded, 2 bogus/unreachable,
 * 3 vantage (UNKNOWN: our own path to the DNS is broken). */
int verdict_exit_code(enum verdict v);
/* Verdict vantage: what is wrong on our side, in words ("our own network
 * is broken"); NULL for any other verdict. */
const char *diag_vantage_words(const struct diagnosis *d);

/* ---------------------------------------------------------------- */
/* The emergency runbook, ticked from evidence.                      */

enum step_state {
	STEP_PENDING = 0,	/* not known yet */
	STEP_DONE,		/* ticked by evidence */
	STEP_FAILED,		/* evidence says this is where it breaks */
	STEP_NOT_APPLICABLE,
};

/* A text a person may copy out of a step, exactly as the action shows it.
 * A step whose action starts with a finding's fix has it as its first
 * item, labelled CHECKLIST_COPY_FIX. */
#define CHECKLIST_COPY_FIX "the fix"
struct checklist_copy {
	char *label;		/* "DS record", "BIND: negative trust anchor" */
	char *text;		/* raw (may quote network data); one or more lines */
};

struct checklist_step {
	const char *title;	/* static */
	enum step_state state;
	char *evidence;		/* what ticked it; may be NULL */
	char *action;		/* what to do now; may be NULL */
	struct checklist_copy *copy;	/* the fix, each DS record, each command */
	size_t n_copy;
};

struct checklist {
	struct checklist_step *steps;
	size_t n_steps;
};

/** Learns from one snapshot and its diagnosis; call for each, in order
 * (one older than the last, as a replay stepping back, starts afresh). */
void diag_tail_observe(struct cache_tail *t, const struct evidence *ev,
		       const struct diagnosis *d, int64_t now);

/**
 * Hands @p t (the caller's, after diag_tail_observe() of this snapshot) to
 * @p d: the checklist counts from it, and validators still failing after a
 * repair are told as the cache tail they are (who must act: the resolvers'
 * operators, until when) rather than as a fault of the zone.
 */
void diag_tail_apply(struct diagnosis *d, const struct cache_tail *t,
		     int64_t now);

/** Step 6 from d->tail. Returns new; caller frees with checklist_free(). */
struct checklist *diag_checklist(const struct evidence *ev,
				 const struct diagnosis *d, int64_t now);
void checklist_free(struct checklist *c);

#endif
