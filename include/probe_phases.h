/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_phases.h - the phases of one refresh, called by probe_scan().
 *
 * Each phase fills its own part of a struct evidence under construction (the
 * evidence is not published yet, so no locking). Only probe_*.c include this.
 *
 *   plan       which names and types to ask about (shared by every phase)
 *   resolvers  ev->resolvers            (probe_resolvers.c)
 *   local      ev->local                (probe_local.c, libunbound)
 *   chain      ev->chain, parent_ns, child_ns (probe_chain.c)
 *   ns         ev->nameservers          (probe_ns.c; its queries start
 *              as soon as the chain knows the zone's servers, its evidence
 *              is filled after the chain)
 */
#ifndef BOGUS_PROBE_PHASES_H
#define BOGUS_PROBE_PHASES_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "evidence.h"
#include "probe_io.h"

struct plan_item {
	char *qname;		/* absolute */
	uint16_t qtype;
};

/* The questions of one refresh; the nonexistent name is new each refresh. */
struct probe_plan {
	struct plan_item *items;
	size_t n_items;
	char *nx_name;		/* a random name under the zone */
	char **mx_targets;	/* in-zone MX targets, once known */
	size_t n_mx_targets;
};

/** Builds the base plan from @p cfg. Returns new; free with probe_plan_free. */
struct probe_plan *probe_plan_new(const struct scan_config *cfg);
/** Adds @p target's A/AAAA if it is under the zone and not there yet. */
void probe_plan_add_mx_target(struct probe_plan *plan, const char *zone,
			      const char *target);
/** A deep copy of @p plan; free with probe_plan_free. */
struct probe_plan *probe_plan_copy(const struct probe_plan *plan);
void probe_plan_free(struct probe_plan *plan);

/**
 * Fills ev->resolvers: every plan item asked of every resolver (RD, DO) in
 * one batch, failures again with CD=1, and whether each resolver validates
 * (measured: root SOA AD bit, the canary's SERVFAIL and its CD=1 rescue).
 * Answers are in plan order. Runs on any thread; blocks about two RTTs.
 */
void probe_resolvers_collect(struct probe_io *io, const struct scan_config *cfg,
			     const struct probe_io_opts *opts,
			     const struct probe_plan *plan, struct evidence *ev);

/**
 * The same for plan items @p from on only (the MX targets, learnt while the
 * first batch runs), without the measurements: fills more->resolvers, one
 * per resolver in cfg order, for probe_resolvers_merge(). Any thread.
 */
void probe_resolvers_collect_more(struct probe_io *io,
				  const struct scan_config *cfg,
				  const struct probe_io_opts *opts,
				  const struct probe_plan *plan, size_t from,
				  struct evidence *more);

/**
 * Appends each resolver's answers in @p more to the same resolver's in
 * @p ev (so that they stay in plan order) and frees the rest of
 * more->resolvers, which is left empty.
 */
void probe_resolvers_merge(struct evidence *ev, struct evidence *more);

/**
 * Asks the first few resolvers (16) for the zone's MX (RD, DO, CD:
 * wanted even when the zone is bogus) and adds the in-zone targets to
 * @p plan. Ends with the first answer (NOERROR or NXDOMAIN): the fastest
 * resolver's round trip. Runs while the first batch does, on its own thread.
 */
void probe_resolvers_find_mx(struct probe_io *io, const struct scan_config *cfg,
			     const struct probe_io_opts *opts,
			     struct probe_plan *plan);

/*
 * A plan that may still grow (the MX lookup adds its targets) while local
 * validation already runs: @p plan's first n_first items are known at once;
 * the rest may be read once final is set (release), the plan then fixed.
 */
struct plan_growth {
	const struct probe_plan *plan;
	size_t n_first;
	atomic_bool final;
};

/**
 * Fills ev->local, one verdict per plan item in plan order: libunbound with
 * a new context, recursing from cfg->hints_text and validating from
 * cfg->anchor_text. Lookups run concurrently, within a deadline derived from
 * cfg->timeout_ms and cfg->tries. Any thread.
 */
void probe_local_collect(const struct scan_config *cfg,
			 const struct probe_plan *plan, struct evidence *ev);
/**
 * probe_local_collect() of @p plan, then of @p growth's new items once it
 * is final (NULL: @p plan is all), ending early (lookups left: rcode -1)
 * when @p cancel_fd becomes readable; -1 for none.
 */
void probe_local_collect_until(const struct scan_config *cfg,
			       const struct probe_plan *plan,
			       struct plan_growth *growth,
			       struct evidence *ev, int cancel_fd);

/*
 * The zone's server addresses, handed by the chain walk (as soon as the
 * parent's referral names them) to whoever starts the nameserver checks,
 * so that those need not wait for the rest of the walk. One publisher, any
 * number of waiters; the first publication wins.
 */
struct ns_handoff {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;		/* published, or the walk ended without */
	char **addrs;		/* owned here; NULL when none */
	size_t n_addrs;
};

void ns_handoff_init(struct ns_handoff *h);
/** Copies @p addrs (n may be 0: "none") and wakes the waiters. */
void ns_handoff_publish(struct ns_handoff *h, char *const *addrs, size_t n);
/** Blocks until something was published. */
void ns_handoff_wait(struct ns_handoff *h);
void ns_handoff_destroy(struct ns_handoff *h);

/** @p handoff: NULL, or gets the zone's server addresses once known. */
void probe_chain_collect(struct probe_io *io, const struct scan_config *cfg,
			 const struct probe_io_opts *opts, int64_t now,
			 struct evidence *ev, struct ns_handoff *handoff);

/*
 * The nameserver checks' queries to @p addrs, started at once on a thread
 * of their own (NULL when there is nothing to ask or no thread); @p plan
 * must not change until probe_ns_collect() has taken the result.
 */
struct ns_prefetch *probe_ns_prefetch(struct probe_io *io,
				      const struct scan_config *cfg,
				      const struct probe_io_opts *opts,
				      const struct probe_plan *plan,
				      char *const *addrs, size_t n);

/** Frees @p pf (NULL: no-op), waiting for its queries first. */
void probe_ns_prefetch_free(struct ns_prefetch *pf);

/** @p pf: NULL, or queries already under way (taken over and freed). */
void probe_ns_collect(struct probe_io *io, const struct scan_config *cfg,
		      const struct probe_io_opts *opts,
		      const struct probe_plan *plan, int64_t now,
		      struct evidence *ev, struct ns_prefetch *pf);

/**
 * Fills ev->aliases (probe_alias.c): the CNAMEs out of the zone that
 * ev->nameservers met (so it runs after probe_ns_collect), each target's
 * zone walked and asked like the zone's own (chain + nameservers), hop by
 * hop, bounded, loops detected. Any one thread per @p ev.
 */
void probe_alias_collect(struct probe_io *io, const struct scan_config *cfg,
			 const struct probe_io_opts *opts, int64_t now,
			 struct evidence *ev);

/**
 * For a zone that does not exist (@p a, from the walk): adds to a->nearby
 * each swap of two adjacent letters of a->name's first label that
 * @p servers (the denying zone's) delegate. One batch, NS RD=0. Any thread.
 */
void probe_exist_nearby(struct probe_io *io, const struct probe_io_opts *opts,
			const char *const *servers, size_t n_servers,
			struct absence_ev *a);

/**
 * Fills ev->vantage: ". SOA" and ". NS" over UDP and over TCP,
 * RD=0, at a few root server addresses from cfg->hints_text, in one batch.
 * Cheap (a dozen queries, one round trip). Any thread.
 */
void probe_vantage_collect(struct probe_io *io, const struct scan_config *cfg,
			   const struct probe_io_opts *opts,
			   struct evidence *ev);

#endif
