/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_resolvers.c - what recursive resolvers tell their users.
 *
 * Every plan item goes to every configured resolver in one batch (RD, DO),
 * together with two measurements per resolver: the root SOA (a validating
 * resolver sets AD on it) and the canary, a name known to be bogus (a
 * validating resolver answers SERVFAIL, and CD=1 then gets the data). A
 * SERVFAIL is asked again with CD=1 the moment it arrives
 * (PQ_CD_ON_SERVFAIL), which tells "the data is bogus" from "the resolver or
 * the zone is down"; a resolver silent for a whole budget is not asked again.
 * The canary is only needed where the root's AD does not already prove that
 * a resolver validates: once it does, that resolver's canary is dropped, so
 * that a cold resolver's slow failing validation of it holds up nothing.
 * A resolver's lone failures are asked again once before they count (see
 * confirm_lone_failures()).
 * The zone's MX targets are not known when that batch starts: a small
 * lookup finds them meanwhile, and a second batch asks for their addresses.
 *
 * Whether a resolver validates is measured here, never assumed; judging
 * what the answers mean for the zone is left to diag.
 */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include <ldns/ldns.h>

#include "model.h"
#include "probe_phases.h"
#include "xmalloc.h"

/* Per resolver: the plan items, then these two. */
enum { EXTRA_ROOT = 0, EXTRA_CANARY = 1, N_EXTRA = 2 };

#define RESOLVER_FLAGS (PQ_RD | PQ_DO | PQ_NSID | PQ_CD_ON_SERVFAIL | PQ_REPLY_ONLY)
/*
 * Resolvers asked for the zone's MX. One answer is all the plan needs; a
 * few allow for dead ones, and a thousand would add a thousand queries to
 * the busiest moment of the scan.
 */
#define MX_RESOLVERS 16

/* Moves the replies out of @p q (which is cleared). */
static void take(struct dns_reply *dst, struct dns_reply *cd_dst,
		 struct probe_query *q)
{
	*dst = q->reply;
	q->reply = (struct dns_reply){ .rcode = -1 };
	*cd_dst = q->cd_reply;
	q->cd_reply = (struct dns_reply){ .rcode = -1 };
	probe_query_clear(q);
}

static enum validating judge(const struct dns_reply *root,
			     const struct dns_reply *canary,
			     const struct dns_reply *canary_cd)
{
	if (canary->outcome == OUTCOME_ANSWER &&
	    canary->rcode == RCODE_SERVFAIL &&
	    canary_cd->outcome == OUTCOME_ANSWER &&
	    canary_cd->rcode != RCODE_SERVFAIL)
		return VALIDATING_YES;	/* bogus refused, CD=1 rescues it */
	if (root->outcome == OUTCOME_ANSWER && root->ad)
		return VALIDATING_YES;
	if (canary->outcome == OUTCOME_ANSWER &&
	    canary->rcode == RCODE_NOERROR && !canary->ad)
		return VALIDATING_NO;	/* hands out known-bogus data */
	if (root->outcome == OUTCOME_ANSWER && root->rcode == RCODE_NOERROR)
		return VALIDATING_NO;	/* answers the root, never with AD */
	return VALIDATING_UNKNOWN;
}

/* What the answer hooks need to place a query: its resolver and question. */
struct batch_hooks {
	struct probe_io *io;
	const struct probe_query *base;
	size_t per, root_at;
	atomic_bool *moot;	/* one per resolver, for its canary */
	struct model *live;	/* the first screen's grid, or NULL */
	size_t n_items;		/* the grid's columns: the plan items */
};

/* Called in a worker on each reply: into the live grid (model.h). */
static void show_live(const struct probe_query *q, bool cd, void *arg)
{
	const struct batch_hooks *d = arg;
	size_t at = (size_t)(q - d->base);

	if (at % d->per < d->n_items)
		model_live_answer(d->live, at / d->per, at % d->per,
				  cd ? &q->cd_reply : &q->reply, cd);
}

/* @p rs as evidence, with plan items @p from on as questions, not sent. */
static void resolver_shell(struct resolver_ev *re, const struct resolver_spec *rs,
			   const struct probe_plan *plan, size_t from)
{
	size_t n_items = plan->n_items > from ? plan->n_items - from : 0;

	re->name = xstrdup(rs->name ? rs->name : rs->address);
	re->address = xstrdup(rs->address);
	re->port = rs->port ? rs->port : 53;
	re->from_system = rs->from_system;
	re->validating = VALIDATING_UNKNOWN;
	re->canary_rcode = -1;
	re->answers = xcalloc(n_items ? n_items : 1, sizeof(*re->answers));
	re->n_answers = n_items;
	for (size_t i = 0; i < n_items; i++) {
		struct resolver_answer *a = &re->answers[i];

		a->qname = xstrdup(plan->items[from + i].qname);
		a->qtype = plan->items[from + i].qtype;
		a->reply.rcode = -1;
		a->cd_reply.rcode = -1;
	}
}

/* The live grid before any answer: every resolver, every plan item. */
static struct evidence *live_grid(const struct scan_config *cfg,
				  const struct probe_plan *plan)
{
	struct evidence *g = xcalloc(1, sizeof(*g));

	g->zone = xstrdup(cfg->zone);
	g->resolvers = xcalloc(cfg->n_resolvers, sizeof(*g->resolvers));
	g->n_resolvers = cfg->n_resolvers;
	for (size_t r = 0; r < cfg->n_resolvers; r++)
		resolver_shell(&g->resolvers[r], &cfg->resolvers[r], plan, 0);
	return g;
}

/*
 * Called in a worker on each answer: AD on the root SOA proves the resolver
 * validates, which is all its canary would tell (see judge()). Never
 * "enough" for the batch: the other questions are all still wanted.
 */
static bool drop_proven_canary(const struct probe_query *q, void *arg)
{
	struct batch_hooks *d = arg;
	size_t at = (size_t)(q - d->base);

	if (at % d->per == d->root_at && q->reply.ad &&
	    q->reply.rcode == RCODE_NOERROR) {
		atomic_store(&d->moot[at / d->per], true);
		probe_io_poke(d->io);
	}
	return false;
}

/* Whether @p r is a SERVFAIL (whatever its CD=1 retry said). */
static bool servfail(const struct dns_reply *r)
{
	return r->outcome == OUTCOME_ANSWER && r->rcode == RCODE_SERVFAIL;
}

/*
 * A resolver that fails some questions about the zone while it answers
 * others may have failed them once only: a cold resolver hit by a burst of
 * questions about one zone can fail a validation it gets right a moment
 * later (CI saw Knot Resolver answer one name SERVFAIL, EDE 6, in a
 * healthy zone). Before such a failure is kept as evidence, it is asked
 * again once, after the batch; the second answer is the one kept. A
 * resolver that fails every question is not asked again (that is the
 * outage), nor one that timed out.
 */
static void confirm_lone_failures(struct probe_io *io,
				  const struct probe_io_opts *opts,
				  struct probe_query *q, size_t nr, size_t per,
				  size_t n_items)
{
	struct probe_query *again = NULL;
	size_t *at = NULL, n_again = 0;

	for (size_t r = 0; r < nr; r++) {
		const struct probe_query *base = &q[r * per];
		bool answered = false;

		for (size_t i = 0; i < n_items && !answered; i++)
			answered = base[i].reply.outcome == OUTCOME_ANSWER &&
				   !servfail(&base[i].reply);
		for (size_t i = 0; answered && i < n_items; i++) {
			if (!servfail(&base[i].reply))
				continue;
			*XAPPEND(at, n_again) = r * per + i;
			again = xreallocarray(again, n_again, sizeof(*again));
			again[n_again - 1] = (struct probe_query){
				.server = base[i].server, .port = base[i].port,
				.qname = base[i].qname, .qtype = base[i].qtype,
				.flags = base[i].flags };
		}
	}
	if (n_again > 0)
		probe_io_run(io, again, n_again, opts);
	for (size_t k = 0; k < n_again; k++) {
		struct probe_query *was = &q[at[k]];

		if (again[k].reply.outcome == OUTCOME_ANSWER) {
			probe_query_clear(was);
			was->reply = again[k].reply;
			was->cd_reply = again[k].cd_reply;
			again[k].reply = (struct dns_reply){ .rcode = -1 };
			again[k].cd_reply = (struct dns_reply){ .rcode = -1 };
		}
		probe_query_clear(&again[k]);
	}
	free(again);
	free(at);
}

/*
 * Asks every resolver plan items @p from to the end, in one batch, and when
 * @p from is 0 the two measurements too (whether each resolver validates).
 * Fills ev->resolvers, one per resolver in cfg order, answers in plan order.
 */
static void ask(struct probe_io *io, const struct scan_config *cfg,
		const struct probe_io_opts *opts, const struct probe_plan *plan,
		size_t from, struct evidence *ev)
{
	size_t n_items = plan->n_items > from ? plan->n_items - from : 0;
	size_t n_extra = from == 0 ? N_EXTRA : 0;
	size_t per = n_items + n_extra, nr = cfg->n_resolvers;
	size_t n = per * nr;
	struct probe_query *q;
	struct probe_io_opts batch = *opts;
	struct batch_hooks drop = { .io = io, .per = per,
				    .root_at = n_items + EXTRA_ROOT };

	if (nr == 0 || per == 0)
		return;
	q = xcalloc(n, sizeof(*q));
	drop.base = q;
	drop.moot = xcalloc(nr, sizeof(*drop.moot));
	for (size_t r = 0; r < nr; r++)
		atomic_init(&drop.moot[r], false);
	if (n_extra > 0) {
		batch.enough = drop_proven_canary;
		batch.enough_arg = &drop;
		/* A console with nothing published yet shows them as they come. */
		if (opts->progress != NULL && model_generation(opts->progress) == 0) {
			drop.live = opts->progress;
			drop.n_items = n_items;
			model_live_begin(drop.live, live_grid(cfg, plan));
			batch.observe = show_live;
			batch.observe_arg = &drop;
		}
	}
	for (size_t r = 0; r < nr; r++) {
		const struct resolver_spec *rs = &cfg->resolvers[r];

		for (size_t i = 0; i < per; i++) {
			struct probe_query *x = &q[r * per + i];

			x->server = rs->address;
			x->port = rs->port ? rs->port : 53;
			x->flags = RESOLVER_FLAGS;
			if (i < n_items) {
				x->qname = plan->items[from + i].qname;
				x->qtype = plan->items[from + i].qtype;
			} else if (i - n_items == EXTRA_ROOT) {
				x->qname = ".";
				x->qtype = RRTYPE_SOA;
			} else {
				x->qname = cfg->canary ? cfg->canary
						       : CONFIG_DEFAULT_CANARY;
				x->qtype = RRTYPE_A;
				x->moot = &drop.moot[r];
			}
		}
	}
	probe_io_run(io, q, n, &batch);
	free(drop.moot);
	confirm_lone_failures(io, opts, q, nr, per, n_items);

	ev->resolvers = xcalloc(nr, sizeof(*ev->resolvers));
	ev->n_resolvers = nr;
	for (size_t r = 0; r < nr; r++) {
		struct resolver_ev *re = &ev->resolvers[r];
		struct probe_query *base = &q[r * per];
		struct dns_reply root, root_cd, canary, canary_cd;

		resolver_shell(re, &cfg->resolvers[r], plan, from);
		for (size_t i = 0; i < n_items; i++)
			take(&re->answers[i].reply, &re->answers[i].cd_reply, &base[i]);
		if (n_extra == 0)
			continue;
		take(&root, &root_cd, &base[n_items + EXTRA_ROOT]);
		take(&canary, &canary_cd, &base[n_items + EXTRA_CANARY]);
		re->root_ad = root.outcome == OUTCOME_ANSWER && root.ad;
		re->root_bogus = root.outcome == OUTCOME_ANSWER &&
				 root.rcode == RCODE_SERVFAIL &&
				 root_cd.outcome == OUTCOME_ANSWER &&
				 root_cd.rcode == RCODE_NOERROR;
		/* Once the root's AD proved it, the canary is not kept even
		 * when it won the race: the same resolver gives the same
		 * evidence every scan (recordings write "unchanged"). */
		re->canary_rcode = canary.outcome == OUTCOME_ANSWER &&
				   !(root.outcome == OUTCOME_ANSWER && root.ad &&
				     root.rcode == RCODE_NOERROR) ?
				   canary.rcode : -1;
		re->validating = judge(&root, &canary, &canary_cd);
		dns_reply_clear(&root);
		dns_reply_clear(&root_cd);
		dns_reply_clear(&canary);
		dns_reply_clear(&canary_cd);
	}
	free(q);
}

void probe_resolvers_collect(struct probe_io *io, const struct scan_config *cfg,
			     const struct probe_io_opts *opts,
			     const struct probe_plan *plan, struct evidence *ev)
{
	ask(io, cfg, opts, plan, 0, ev);
}

void probe_resolvers_collect_more(struct probe_io *io,
				  const struct scan_config *cfg,
				  const struct probe_io_opts *opts,
				  const struct probe_plan *plan, size_t from,
				  struct evidence *more)
{
	if (from < plan->n_items)
		ask(io, cfg, opts, plan, from, more);
}

void probe_resolvers_merge(struct evidence *ev, struct evidence *more)
{
	for (size_t r = 0; r < more->n_resolvers; r++) {
		struct resolver_ev *from = &more->resolvers[r];

		if (r < ev->n_resolvers && from->n_answers > 0) {
			struct resolver_ev *to = &ev->resolvers[r];

			to->answers = xreallocarray(to->answers,
						    to->n_answers + from->n_answers,
						    sizeof(*to->answers));
			memcpy(to->answers + to->n_answers, from->answers,
			       from->n_answers * sizeof(*from->answers));
			to->n_answers += from->n_answers;
			from->n_answers = 0;	/* moved */
		}
		resolver_ev_clear(from);
	}
	free(more->resolvers);
	more->resolvers = NULL;
	more->n_resolvers = 0;
}

/* The exchange names of the MX records in @p pkt's answer section. */
static void add_mx_from(struct probe_plan *plan, const char *zone,
			const ldns_pkt *pkt)
{
	const ldns_rr_list *an = ldns_pkt_answer(pkt);
	const ldns_rr *question = ldns_rr_list_rr(ldns_pkt_question(pkt), 0);

	if (question == NULL)
		return;
	for (size_t i = 0; i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		char *name;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_MX ||
		    ldns_rr_rd_count(rr) < 2 ||
		    ldns_dname_compare(ldns_rr_owner(rr),
				       ldns_rr_owner(question)) != 0)
			continue;
		name = ldns_rdf2str(ldns_rr_rdf(rr, 1));
		if (name != NULL)
			probe_plan_add_mx_target(plan, zone, name);
		free(name);
	}
}

/* The zone's MX as one resolver sees it (with CD) is all the plan needs. */
static bool mx_known(const struct probe_query *q, void *arg)
{
	(void)arg;
	return q->reply.rcode == RCODE_NOERROR || q->reply.rcode == RCODE_NXDOMAIN;
}

void probe_resolvers_find_mx(struct probe_io *io, const struct scan_config *cfg,
			     const struct probe_io_opts *opts,
			     struct probe_plan *plan)
{
	size_t nr = cfg->n_resolvers < MX_RESOLVERS ? cfg->n_resolvers : MX_RESOLVERS;
	struct probe_query *q;
	struct probe_io_opts first = *opts;

	if (nr == 0)
		return;
	q = xcalloc(nr, sizeof(*q));
	for (size_t r = 0; r < nr; r++)
		q[r] = (struct probe_query){ .server = cfg->resolvers[r].address,
			.port = cfg->resolvers[r].port ? cfg->resolvers[r].port : 53,
			.qname = cfg->zone, .qtype = RRTYPE_MX,
			/* CD: the targets are wanted even when the zone is bogus. */
			.flags = PQ_RD | PQ_DO | PQ_CD };
	/* The first resolver to answer settles it: a slow or silent one costs
	 * nothing but the wait for the targets' batch. */
	first.enough = mx_known;
	probe_io_run(io, q, nr, &first);
	for (size_t r = 0; r < nr; r++) {
		if (q[r].pkt != NULL && q[r].reply.rcode == RCODE_NOERROR)
			add_mx_from(plan, cfg->zone, q[r].pkt);
		probe_query_clear(&q[r]);
	}
	free(q);
}
