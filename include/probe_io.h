/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_io.h - the query engine: worker threads, each multiplexing many
 * non-blocking UDP/TCP queries in its own poll() loop.
 *
 * A caller hands over a batch of queries and blocks until every one of them
 * has ended in exactly one state (answer, timeout, network error, malformed,
 * cancelled). A batch of R resolvers x T queries therefore costs about one
 * slowest round trip, not their sum. Several threads may run batches at once.
 *
 * A reply counts only if its source address and port, ID, QR bit and question
 * match the query (an error reply without a question section: address, port
 * and ID); anything else is counted (late_replies) and dropped.
 * Truncated UDP replies are retried over TCP unless PQ_NO_TCP_FALLBACK.
 * A query's budget is timeout_ms x tries; within it UDP retransmits follow a
 * per-server adaptive schedule (first retry at 3 x the server's smoothed
 * RTT, 250-1000 ms, 500 ms when not measured yet; then doubling, capped at
 * timeout_ms), and a reply to any transmission is accepted.
 *
 * Silence memo, per scan (probe_io_scan_begin()): a destination (address,
 * port, and UDP or TCP apart) whose queries spent two whole budgets and
 * timed out, with nothing at all from it during the scan (no reply, late or
 * mismatched ones included, no TCP handshake), is remembered as silent
 * (one such budget is what heavy packet loss does to a live server).
 * A later query to it gets one transmission (one SYN) and
 * min(timeout_ms, 1000) ms, and still ends as OUTCOME_TIMEOUT: the same
 * evidence, a budget sooner. Why: every phase asks the dead server again,
 * and a war room should wait once per silent server, not once per phase.
 * A TCP query to an address silent over UDP and not heard over TCP gets the
 * same one SYN: a live server completes a handshake within one round trip,
 * and the handshake counts as heard (so does any UDP reply meanwhile).
 * Anything heard from it ends the memo for it: a short query whose time is
 * up while its destination has been heard from meanwhile gets the rest of
 * the full budget (a lossy path is not a dead server). At most 256
 * destinations (the oldest forgotten first); owned by the engine.
 *
 * Only probe_*.c include this header: it exposes the parsed ldns packet.
 */
#ifndef BOGUS_PROBE_IO_H
#define BOGUS_PROBE_IO_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evidence.h"

struct ldns_struct_pkt;
struct probe_io;
struct model;

enum probe_flag {
	PQ_RD = 1 << 0,		/* recursion desired (resolvers) */
	PQ_CD = 1 << 1,		/* checking disabled */
	PQ_DO = 1 << 2,		/* EDNS DO bit (DNSSEC records wanted) */
	PQ_TCP = 1 << 3,	/* TCP only */
	PQ_NSID = 1 << 4,	/* ask for NSID */
	PQ_NO_TCP_FALLBACK = 1 << 5,	/* keep a truncated UDP reply as is */
	PQ_CD_ON_SERVFAIL = 1 << 6,	/* a SERVFAIL: ask again with CD=1 at once */
	PQ_FULL_BUDGET = 1 << 7,	/* a confirmation: never shortened by the
					   silence memo */
	PQ_REPLY_ONLY = 1 << 8,	/* the caller reads reply, never pkt: the
				   parsed packet is freed on arrival */
};

struct probe_query {
	/* In: set by the caller, not changed by the engine. */
	const char *server;	/* numeric IPv4/IPv6 address */
	uint16_t port;
	const char *qname;	/* absolute presentation name */
	uint16_t qtype;
	unsigned flags;		/* enum probe_flag */
	/*
	 * Optional: once *moot is set (and probe_io_poke() called), the query,
	 * queued or in flight, ends as OUTCOME_CANCELLED: its answer is no
	 * longer needed. Owned by the caller; must outlive the batch.
	 */
	const atomic_bool *moot;
	/* Out: owned by the query until probe_query_clear(); zero it first. */
	struct dns_reply reply;
	struct ldns_struct_pkt *pkt;	/* parsed reply, NULL unless ANSWER */
	struct dns_reply cd_reply;	/* PQ_CD_ON_SERVFAIL: the CD=1 retry's
					   (OUTCOME_NOT_SENT when not asked) */
};

struct probe_io_opts {
	unsigned timeout_ms;	/* longest retransmit interval */
	unsigned tries;		/* budget = timeout_ms x tries, >= 1 */
	unsigned edns_bufsize;
	struct model *progress;	/* optional: in-flight counters to bump */
	/*
	 * Optional: called (in a worker) on each answer; once it returns true
	 * the batch's other queries end as OUTCOME_CANCELLED at once.
	 */
	bool (*enough)(const struct probe_query *q, void *arg);
	void *enough_arg;
	/*
	 * Optional: called (in a worker) with each reply the moment it is
	 * taken, a SERVFAIL before its CD=1 retry goes out: @p cd says which
	 * of q->reply and q->cd_reply it is. Must not block.
	 */
	void (*observe)(const struct probe_query *q, bool cd, void *arg);
	void *observe_arg;
};

/** Starts @p n_workers threads (signals blocked in them). NULL on failure. */
struct probe_io *probe_io_new(unsigned n_workers);
/** Cancels whatever is in flight, joins the workers, frees. NULL: no-op. */
void probe_io_free(struct probe_io *io);
/** Ends every query in flight as OUTCOME_CANCELLED (any thread). */
void probe_io_cancel(struct probe_io *io);
/** Wakes every worker to look at its queries' moot flags again (any thread). */
void probe_io_poke(struct probe_io *io);
/** A descriptor readable while @p io is cancelled (for other poll loops). */
int probe_io_cancel_fd(struct probe_io *io);
/** Undoes probe_io_cancel() for the next batch. */
void probe_io_resume(struct probe_io *io);

/**
 * Runs the @p n queries concurrently and returns when each has ended.
 * Fills q[i].reply (and q[i].pkt on an answer). Thread-safe.
 * @return late/duplicate/mismatched replies seen during the batch.
 */
unsigned probe_io_run(struct probe_io *io, struct probe_query *q, size_t n,
		      const struct probe_io_opts *opts);

/**
 * Starts a scan: forgets the silence memo, so that each refresh judges every
 * server afresh. Any thread; meant for between scans (a batch running still
 * is not harmed, its queries only lose the shortcut).
 */
void probe_io_scan_begin(struct probe_io *io);

/**
 * Counters since probe_io_new(): queries sent (each UDP try and each TCP
 * connection counts) and late/duplicate/mismatched replies. Any thread; a
 * refresh takes the difference before and after.
 */
unsigned probe_io_queries_sent(struct probe_io *io);
unsigned probe_io_late_replies(struct probe_io *io);
/**
 * Queries that had to wait for a file descriptor (the process or system
 * limit), since probe_io_new(). One that never got one by its deadline ends
 * as OUTCOME_NOT_SENT, never as the server's timeout or network error.
 */
unsigned probe_io_local_limited(struct probe_io *io);

/**
 * Raises the soft RLIMIT_NOFILE towards the hard limit (descriptors are the
 * vantage's to give, not the zone's). Called by probe_io_new(); any thread,
 * idempotent.
 */
void probe_io_raise_fd_limit(void);

/** Frees a query's results (reply and pkt); the inputs are the caller's. */
void probe_query_clear(struct probe_query *q);

#endif
