/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_local.c - what we conclude ourselves: libunbound, recursing from the
 * configured root hints and validating from the configured trust anchor.
 *
 * A new ub_ctx per refresh, deleted at the end, so that Unbound's key and
 * bogus caches never let a verdict outlive its refresh. It never forwards
 * and never reads /etc/resolv.conf (a local resolver is exactly what may be
 * broken). Every lookup runs at once (ub_resolve_event) so the phase costs
 * about one resolution, bounded by a deadline. Unbound's own logs go to our
 * log, never to stderr (the screen under curses).
 *
 * The contexts run on one libevent base made by probe_local_start() while
 * the process is still single-threaded: a base needs a socket pair, and
 * libevent exit()s the process when it cannot make one. A thread context
 * (ub_ctx_async) would make a base, and two more socket pairs, at every
 * refresh, racing the engine's threads for descriptors under a tight
 * ulimit -n; an event context makes none.
 *
 * One context at a time in the process (unbound_one): libunbound keeps
 * process-wide state (its log, some locks) that ub_ctx_create() and
 * ub_ctx_delete() re-initialise while another context uses it, a data race
 * ThreadSanitizer shows as soon as two scans overlap (--serve).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <event2/event.h>
#include <ldns/ldns.h>
#include <unbound.h>
#include <unbound-event.h>

#include "clock.h"
#include "log.h"
#include "probe.h"
#include "probe_phases.h"
#include "xmalloc.h"

/* One refresh's lookups; lives in probe_local_collect_until's frame. */
struct local_run {
	struct ub_ctx *ctx;
	struct evidence *ev;	/* ev->local grows as the plan does */
	struct lookup **lookups;	/* one per ev->local entry */
	size_t pending;
	bool closing;		/* ub_ctx_delete() fails what is left: ignore */
	struct plan_growth *growth;	/* NULL: the plan was whole at once */
	bool stop;		/* deadline or cancel */
};

/* One lookup; owned by run->lookups, its address given to libunbound. */
struct lookup {
	struct local_run *run;
	size_t at;		/* ev->local[at]: an index, ev->local grows */
	bool done;
};

/* Whether @p packet answers with data of the type asked. */
static bool has_data(const void *packet, int len, uint16_t qtype)
{
	ldns_pkt *pkt = NULL;
	ldns_rr_list *rrs;
	bool found;

	if (packet == NULL || len <= 0 ||
	    ldns_wire2pkt(&pkt, packet, (size_t)len) != LDNS_STATUS_OK)
		return false;
	rrs = ldns_pkt_rr_list_by_type(pkt, qtype, LDNS_SECTION_ANSWER);
	found = rrs != NULL && ldns_rr_list_rr_count(rrs) > 0;
	ldns_rr_list_deep_free(rrs);
	ldns_pkt_free(pkt);
	return found;
}

/* ub_event_callback_type: @p sec is 0 insecure, 1 bogus, 2 secure. */
static void on_answer(void *arg, int rcode, void *packet, int len, int sec,
		      char *why_bogus, int ratelimited)
{
	struct lookup *l = arg;
	struct local_verdict *v = &l->run->ev->local[l->at];
	const uint8_t *wire = packet;

	(void)ratelimited;
	if (l->run->closing || l->done)
		return;
	l->done = true;
	l->run->pending--;
	/* The answer's own rcode (NXDOMAIN...), unless resolution failed. */
	v->rcode = rcode == 0 && wire != NULL && len >= 12 ? (wire[3] & 0x0f) :
		   rcode != 0 ? rcode : RCODE_SERVFAIL;
	v->havedata = v->rcode == 0 && has_data(packet, len, v->qtype);
	if (sec == 1)
		v->security = SEC_BOGUS;
	else if (sec == 2)
		v->security = SEC_SECURE;
	else if (v->rcode == RCODE_SERVFAIL)
		v->security = SEC_UNKNOWN;	/* no data to judge */
	else
		v->security = SEC_INSECURE;
	if (why_bogus != NULL)
		v->why_bogus = xstrndup(why_bogus, EVIDENCE_MAX_TEXT);
}

static int set(struct ub_ctx *ctx, const char *opt, const char *val)
{
	int err = ub_ctx_set_option(ctx, opt, val);

	if (err != 0)
		log_msg(LOG_WARN, "libunbound: %s %s: %s", opt, val,
			ub_strerror(err));
	return err;
}

/*
 * Adds each RR of the zone-file text @p text as a trust anchor, joining the
 * lines of a parenthesised RR and dropping comments. Returns how many.
 */
static int add_anchors(struct ub_ctx *ctx, const char *text)
{
	char *rr = NULL;
	size_t len = 0;
	int depth = 0, added = 0;
	const char *p = text;

	while (p != NULL && *p != '\0') {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		char *line = xstrndup(p, n), *semi = strchr(line, ';');

		p = eol ? eol + 1 : NULL;
		if (semi != NULL)
			*semi = '\0';
		for (char *c = line; *c; c++) {
			if (*c == '(')
				depth++, *c = ' ';
			else if (*c == ')')
				depth--, *c = ' ';
		}
		rr = xreallocarray(rr, len + strlen(line) + 2, 1);
		memcpy(rr + len, line, strlen(line));
		len += strlen(line);
		rr[len++] = ' ';
		rr[len] = '\0';
		free(line);
		if (depth > 0)
			continue;
		depth = 0;
		if (strspn(rr, " \t\r") < len && rr[0] != '$') {
			int err = ub_ctx_add_ta(ctx, rr);

			if (err == 0)
				added++;
			else
				log_msg(LOG_WARN, "libunbound: trust anchor: %s",
					ub_strerror(err));
		}
		len = 0;
		rr[0] = '\0';
	}
	free(rr);
	return added;
}

/* Writes @p text to a private temporary file; returns its name or NULL. */
static char *temp_file(const char *text)
{
	const char *dir = getenv("TMPDIR");
	char *name = xasprintf("%s/bogus-hints-XXXXXX", dir && *dir ? dir : "/tmp");
	int fd = mkstemp(name);
	size_t off = 0, n = strlen(text);

	if (fd < 0) {
		log_msg(LOG_ERR, "probe_local: mkstemp %s: %s", name, strerror(errno));
		free(name);
		return NULL;
	}
	while (off < n) {
		ssize_t w = write(fd, text + off, n - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			unlink(name);
			free(name);
			return NULL;
		}
		off += (size_t)w;
	}
	close(fd);
	return name;
}

/* Lookups start only with this many socket pairs' worth of descriptors free:
 * Unbound's queries need sockets, with as many again for the engine's
 * threads racing us. */
#define HEADROOM_PAIRS 4

/*
 * Are there descriptors for @p pairs socket pairs? Making a libevent base
 * needs one pair, and libevent exit()s when it fails; a lookup needs a few
 * sockets, and fails when it cannot have them (its verdict would then be
 * the host's, not the zone's).
 */
static bool fd_headroom(size_t pairs)
{
	int fds[HEADROOM_PAIRS][2];
	size_t got = 0;

	while (got < pairs && got < HEADROOM_PAIRS &&
	       socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds[got]) == 0)
		got++;
	for (size_t i = 0; i < got; i++) {
		close(fds[i][0]);
		close(fds[i][1]);
	}
	return got == pairs;
}

/*
 * Polls @p ready every @p step_ms until it says yes (true), @p ms passed or
 * @p cancel_fd became readable (false): what the phase waits for (free
 * descriptors, the validator, the whole plan) is queued for, not failed.
 */
static bool wait_for(bool (*ready)(void *), void *arg, unsigned ms,
		     int step_ms, int cancel_fd)
{
	int64_t until = clock_mono_ms() + ms;

	while (!ready(arg)) {
		struct pollfd p = { .fd = cancel_fd, .events = POLLIN };

		if (clock_mono_ms() >= until ||
		    (poll(&p, cancel_fd >= 0 ? 1 : 0, step_ms) > 0 && (p.revents & POLLIN)))
			return false;
	}
	return true;
}

static bool have_headroom(void *arg)
{
	(void)arg;
	return fd_headroom(HEADROOM_PAIRS);
}

/* unbound_one guards local_base and every context on it. */
static pthread_mutex_t unbound_one = PTHREAD_MUTEX_INITIALIZER;
static struct event_base *local_base;

int probe_local_start(void)
{
	int ret = 0;

	LOCKRET(pthread_mutex_lock(&unbound_one));
	if (local_base == NULL) {
		if (!fd_headroom(2)) {
			errno = EMFILE;
			ret = -1;
		} else if ((local_base = event_base_new()) == NULL) {
			ret = -1;
		}
	}
	LOCKRET(pthread_mutex_unlock(&unbound_one));
	return ret;
}

void probe_local_stop(void)
{
	LOCKRET(pthread_mutex_lock(&unbound_one));
	if (local_base != NULL)
		event_base_free(local_base);
	local_base = NULL;
	LOCKRET(pthread_mutex_unlock(&unbound_one));
}

/* unbound_one without blocking: the wait for it stays cancellable. */
static bool took_unbound(void *arg)
{
	(void)arg;
	return pthread_mutex_trylock(&unbound_one) == 0;
}

static struct ub_ctx *make_ctx(const struct scan_config *cfg, FILE *out,
			       const char *hints)
{
	struct ub_ctx *ctx = ub_ctx_create_event(local_base);
	char num[32];

	if (ctx == NULL)
		return NULL;
	/* Before anything can log: Unbound's default is stderr. */
	ub_ctx_debugout(ctx, out);
	ub_ctx_debuglevel(ctx, 0);
	if (set(ctx, "do-not-query-localhost:", "no") != 0 ||
	    set(ctx, "val-log-level:", "2") != 0 ||
	    set(ctx, "use-syslog:", "no") != 0 ||
	    (hints != NULL && set(ctx, "root-hints:", hints) != 0))
		goto fail;
	/*
	 * Unbound answers some special-use names itself (test., invalid.,
	 * onion., private reverse zones...). The zone we probe must be asked
	 * on the wire, so make it and its ancestors transparent (without local
	 * data that means: resolve as usual). "nodefault" would say it better
	 * but libunbound 1.17 ignores it when set through ub_ctx_set_option.
	 */
	for (const char *z = cfg->zone; z != NULL && strcmp(z, ".") != 0 &&
	     *z != '\0';) {
		const char *dot = strchr(z, '.');
		char *lz = xasprintf("%s transparent", z);

		(void)set(ctx, "local-zone:", lz);
		free(lz);
		z = dot ? dot + 1 : NULL;
	}
	if (cfg->fixed_now > 0) {
		snprintf(num, sizeof(num), "%lld", (long long)cfg->fixed_now);
		if (set(ctx, "val-override-date:", num) != 0)
			goto fail;
	}
	if (cfg->max_nsec3_iterations > 0) {
		snprintf(num, sizeof(num), "1024 %u", cfg->max_nsec3_iterations);
		(void)set(ctx, "val-nsec3-keysize-iterations:", num);
	}
	if (cfg->anchor_text != NULL && add_anchors(ctx, cfg->anchor_text) == 0)
		log_msg(LOG_WARN, "probe_local: no usable trust anchor");
	return ctx;
fail:
	ub_ctx_delete(ctx);
	return NULL;
}

/* Lists @p items[from..to) in ev->local, unanswered (rcode -1); returns
 * where they begin. */
static size_t list_items(struct evidence *ev, const struct plan_item *items,
			 size_t from, size_t to)
{
	size_t first = ev->n_local;

	if (to <= from)
		return first;
	ev->local = xreallocarray(ev->local, to - from + ev->n_local, sizeof(*ev->local));
	for (size_t i = from; i < to; i++)
		ev->local[ev->n_local++] = (struct local_verdict){
			.qname = xstrdup(items[i].qname),
			.qtype = items[i].qtype, .rcode = -1 };
	return first;
}

/* Lists @p items[from..to) and starts a lookup for each. */
static void start_lookups(struct local_run *run, const struct plan_item *items,
			  size_t from, size_t to)
{
	struct evidence *ev = run->ev;
	size_t first = list_items(ev, items, from, to);

	if (ev->n_local == first)
		return;
	run->lookups = xreallocarray(run->lookups, ev->n_local, sizeof(*run->lookups));
	for (size_t at = first; at < ev->n_local; at++) {
		struct lookup *l = xcalloc(1, sizeof(*l));
		const struct local_verdict *v = &ev->local[at];
		int err, id;

		*l = (struct lookup){ .run = run, .at = at };
		run->lookups[at] = l;
		run->pending++;
		err = ub_resolve_event(run->ctx, v->qname, v->qtype, 1 /* IN */,
				       l, on_answer, &id);
		if (err != 0 && !l->done) {
			l->done = true;
			run->pending--;
			log_msg(LOG_WARN, "probe_local: %s: %s", v->qname,
				ub_strerror(err));
		}
	}
}

static void on_stop(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	((struct local_run *)arg)->stop = true;
}

static bool plan_final(void *arg)
{
	return atomic_load_explicit(&((struct plan_growth *)arg)->final,
				    memory_order_acquire);
}

/* Every few milliseconds until the plan is whole: its new items start. */
#define GROWTH_CHECK_MS 20

static void on_growth_check(evutil_socket_t fd, short what, void *arg)
{
	struct local_run *run = arg;
	struct plan_growth *g = run->growth;

	(void)fd;
	(void)what;
	if (g == NULL || !plan_final(g))
		return;
	start_lookups(run, g->plan->items, g->n_first, g->plan->n_items);
	run->growth = NULL;
}

/* Runs local_base until every lookup answered and the plan is whole, @p ms
 * passed, or @p cancel_fd became readable. */
static void wait_answers(struct local_run *run, unsigned ms, int cancel_fd)
{
	struct timeval tv = { .tv_sec = ms / 1000, .tv_usec = ms % 1000 * 1000 };
	struct timeval tick = { .tv_usec = GROWTH_CHECK_MS * 1000 };
	struct event *deadline = evtimer_new(local_base, on_stop, run);
	struct event *cancel = cancel_fd < 0 ? NULL :
		event_new(local_base, cancel_fd, EV_READ, on_stop, run);
	struct event *growth = run->growth == NULL ? NULL :
		event_new(local_base, -1, EV_PERSIST, on_growth_check, run);

	if (deadline == NULL || evtimer_add(deadline, &tv) != 0 ||
	    (cancel != NULL && event_add(cancel, NULL) != 0) ||
	    (growth != NULL && event_add(growth, &tick) != 0))
		run->stop = true;	/* out of memory: what answered is all */
	while ((run->pending > 0 || run->growth != NULL) && !run->stop)
		if (event_base_loop(local_base, EVLOOP_ONCE) != 0)
			break;
	if (growth != NULL)
		event_free(growth);
	if (cancel != NULL)
		event_free(cancel);
	if (deadline != NULL)
		event_free(deadline);
}

void probe_local_collect_until(const struct scan_config *cfg,
			       const struct probe_plan *plan,
			       struct plan_growth *growth,
			       struct evidence *ev, int cancel_fd)
{
	struct local_run run = { .ev = ev, .growth = growth };
	bool ran = false;
	char *hints = NULL;
	FILE *devnull = NULL, *out = log_stream();
	unsigned tries = cfg->tries ? cfg->tries : 1;
	unsigned tmo = cfg->timeout_ms ? cfg->timeout_ms : CONFIG_DEFAULT_TIMEOUT_MS;

	if (plan->n_items == 0 && growth == NULL)
		return;
	if (!wait_for(have_headroom, NULL, tmo * tries, 50, cancel_fd)) {
		ev->local_limited++;
		*XAPPEND(ev->notes, ev->n_notes) = xstrdup(
			"local validation skipped: out of file descriptors here "
			"(a limit of this host, not the zone's)");
		goto out;
	}
	if (out == NULL)
		out = devnull = fopen("/dev/null", "w");
	if (out == NULL)
		goto out;	/* libunbound would log to the screen */
	if (cfg->hints_text != NULL && (hints = temp_file(cfg->hints_text)) == NULL)
		goto out;
	if (!wait_for(took_unbound, NULL, tmo * tries, 20, cancel_fd)) {
		*XAPPEND(ev->notes, ev->n_notes) = xstrdup(
			"local validation skipped: the validator was busy with another "
			"probe until the deadline (a limit of this host, not the zone's)");
		goto out;
	}
	if (local_base == NULL) {
		LOCKRET(pthread_mutex_unlock(&unbound_one));
		*XAPPEND(ev->notes, ev->n_notes) = xstrdup(
			"local validation unavailable: it could not start "
			"(out of file descriptors when bogus started)");
		goto out;
	}
	run.ctx = make_ctx(cfg, out, hints);
	if (run.ctx == NULL) {
		LOCKRET(pthread_mutex_unlock(&unbound_one));
		log_msg(LOG_ERR, "probe_local: cannot set up libunbound");
		*XAPPEND(ev->notes, ev->n_notes) =
			xstrdup("local validation unavailable: libunbound could not be set up");
		goto out;
	}
	start_lookups(&run, plan->items, 0, plan->n_items);
	/* Full recursion takes several round trips: allow a few tries' worth. */
	wait_answers(&run, tmo * (tries + 1) * 2, cancel_fd);
	size_t asked = ev->n_local, unfinished = 0;

	for (size_t i = 0; i < asked; i++)
		unfinished += !run.lookups[i]->done;	/* rcode stays -1 */
	/* Ended before the plan was whole (cancelled): the rest unasked. */
	if (run.growth != NULL && plan_final(run.growth))
		list_items(ev, run.growth->plan->items, run.growth->n_first,
			   run.growth->plan->n_items);
	unfinished += ev->n_local - asked;
	if (unfinished > 0)
		*XAPPEND(ev->notes, ev->n_notes) = xasprintf(
			"local validation: %zu of %zu lookups unfinished at the deadline",
			unfinished, ev->n_local);
	run.closing = true;	/* deleting fails the unfinished: not an answer */
	ub_ctx_delete(run.ctx);	/* never ub_cancel: it needs a thread context */
	LOCKRET(pthread_mutex_unlock(&unbound_one));
	for (size_t i = 0; i < asked; i++)
		free(run.lookups[i]);
	free(run.lookups);
	ran = true;
out:
	/* Skipped: still one verdict (unanswered) per question of the plan,
	 * once it is whole (the MX lookup ends within its own budget). */
	if (!ran) {
		list_items(ev, plan->items, 0, plan->n_items);
		if (growth != NULL && wait_for(plan_final, growth, tmo * (tries + 1) * 2,
					       GROWTH_CHECK_MS, cancel_fd))
			list_items(ev, growth->plan->items, growth->n_first,
				   growth->plan->n_items);
	}
	if (hints != NULL) {
		unlink(hints);
		free(hints);
	}
	if (devnull != NULL)
		fclose(devnull);
}

void probe_local_collect(const struct scan_config *cfg,
			 const struct probe_plan *plan, struct evidence *ev)
{
	probe_local_collect_until(cfg, plan, NULL, ev, -1);
}
