/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_local.c - what we conclude ourselves: libunbound, recursing from the
 * configured root hints and validating from the configured trust anchor.
 *
 * A new ub_ctx per refresh, deleted at the end, so that Unbound's key and
 * bogus caches never let a verdict outlive its refresh. It never forwards
 * and never reads /etc/resolv.conf (a local resolver is exactly what may be
 * broken). Every lookup runs at once (ub_resolve_async on a thread context)
 * so the phase costs about one resolution, bounded by a deadline. Unbound's
 * own logs go to our log, never to stderr (the screen under curses).
 *
 * One context at a time in the process (unbound_one): libunbound keeps
 * process-wide state (its log, some locks) that ub_ctx_create() and
 * ub_ctx_delete() re-initialise while another context uses it, a data race
 * ThreadSanitizer shows as soon as two scans overlap (--serve).
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <unbound.h>

#include "clock.h"
#include "log.h"
#include "probe_phases.h"
#include "xmalloc.h"

/* One lookup; owned by probe_local_collect_until's array. */
struct lookup {
	struct local_verdict *v;
	int async_id;
	bool done;
	size_t *pending;
};

static void on_result(void *arg, int err, struct ub_result *res)
{
	struct lookup *l = arg;
	struct local_verdict *v = l->v;

	l->done = true;
	(*l->pending)--;
	if (err != 0 || res == NULL) {
		v->rcode = -1;
		log_msg(LOG_WARN, "probe_local: %s: %s", v->qname, ub_strerror(err));
		ub_resolve_free(res);
		return;
	}
	v->rcode = res->rcode;
	v->havedata = res->havedata != 0;
	if (res->bogus)
		v->security = SEC_BOGUS;
	else if (res->secure)
		v->security = SEC_SECURE;
	else if (res->rcode == RCODE_SERVFAIL)
		v->security = SEC_UNKNOWN;	/* no data to judge */
	else
		v->security = SEC_INSECURE;
	if (res->why_bogus != NULL)
		v->why_bogus = xstrndup(res->why_bogus, EVIDENCE_MAX_TEXT);
	ub_resolve_free(res);
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

/*
 * Are there descriptors for libunbound's two socket pairs, with as many
 * again to spare for the engine's threads racing us? ub_ctx_create() prints
 * its socketpair() failure to stderr (the screen) before any log can be
 * set: never let it try without them.
 */
#define HEADROOM_PAIRS 4

static bool fd_headroom(void)
{
	int pairs[HEADROOM_PAIRS][2];
	size_t got = 0;

	while (got < HEADROOM_PAIRS &&
	       socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pairs[got]) == 0)
		got++;
	for (size_t i = 0; i < got; i++) {
		close(pairs[i][0]);
		close(pairs[i][1]);
	}
	return got == HEADROOM_PAIRS;
}

/* Waits (up to @p ms, or a cancel) for fd_headroom(): queue, do not fail. */
static bool wait_headroom(unsigned ms, int cancel_fd)
{
	int64_t until = clock_mono_ms() + ms;

	while (!fd_headroom()) {
		struct pollfd p = { .fd = cancel_fd, .events = POLLIN };

		if (clock_mono_ms() >= until ||
		    (poll(&p, cancel_fd >= 0 ? 1 : 0, 50) > 0 && (p.revents & POLLIN)))
			return false;
	}
	return true;
}

static pthread_mutex_t unbound_one = PTHREAD_MUTEX_INITIALIZER;

/* Takes unbound_one, waiting up to @p ms unless cancelled. */
static bool take_unbound(unsigned ms, int cancel_fd)
{
	int64_t until = clock_mono_ms() + ms;

	while (pthread_mutex_trylock(&unbound_one) != 0) {
		struct pollfd p = { .fd = cancel_fd, .events = POLLIN };

		if (clock_mono_ms() >= until ||
		    (poll(&p, cancel_fd >= 0 ? 1 : 0, 20) > 0 && (p.revents & POLLIN)))
			return false;
	}
	return true;
}

static struct ub_ctx *make_ctx(const struct scan_config *cfg, FILE *out,
			       const char *hints)
{
	struct ub_ctx *ctx = ub_ctx_create();
	char num[32];

	if (ctx == NULL)
		return NULL;
	/* Before anything can log: Unbound's default is stderr. */
	ub_ctx_debugout(ctx, out);
	ub_ctx_debuglevel(ctx, 0);
	if (ub_ctx_async(ctx, 1) != 0 ||	/* a thread, never a fork */
	    set(ctx, "do-not-query-localhost:", "no") != 0 ||
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

void probe_local_collect_until(const struct scan_config *cfg,
			       const struct probe_plan *plan,
			       struct evidence *ev, int cancel_fd)
{
	size_t n = plan->n_items, pending = 0;
	struct lookup *l;
	struct ub_ctx *ctx;
	char *hints = NULL;
	FILE *devnull = NULL, *out = log_stream();
	int64_t deadline;
	unsigned tries = cfg->tries ? cfg->tries : 1;
	unsigned tmo = cfg->timeout_ms ? cfg->timeout_ms : CONFIG_DEFAULT_TIMEOUT_MS;

	if (n == 0)
		return;
	ev->local = xcalloc(n, sizeof(*ev->local));
	ev->n_local = n;
	for (size_t i = 0; i < n; i++) {
		ev->local[i].qname = xstrdup(plan->items[i].qname);
		ev->local[i].qtype = plan->items[i].qtype;
		ev->local[i].rcode = -1;
	}
	if (!wait_headroom(tmo * tries, cancel_fd)) {
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
	if (!take_unbound(tmo * tries, cancel_fd)) {
		*XAPPEND(ev->notes, ev->n_notes) = xstrdup(
			"local validation skipped: the validator was busy with another "
			"probe until the deadline (a limit of this host, not the zone's)");
		goto out;
	}
	ctx = make_ctx(cfg, out, hints);
	if (ctx == NULL) {
		LOCKRET(pthread_mutex_unlock(&unbound_one));
		log_msg(LOG_ERR, "probe_local: cannot set up libunbound");
		*XAPPEND(ev->notes, ev->n_notes) =
			xstrdup("local validation unavailable: libunbound could not be set up");
		goto out;
	}
	l = xcalloc(n, sizeof(*l));
	for (size_t i = 0; i < n; i++) {
		int err;

		l[i] = (struct lookup){ .v = &ev->local[i], .pending = &pending };
		err = ub_resolve_async(ctx, plan->items[i].qname,
				       plan->items[i].qtype, 1 /* IN */, &l[i],
				       on_result, &l[i].async_id);
		if (err != 0) {
			l[i].done = true;
			log_msg(LOG_WARN, "probe_local: %s: %s",
				plan->items[i].qname, ub_strerror(err));
			continue;
		}
		pending++;
	}
	/* Full recursion takes several round trips: allow a few tries' worth. */
	deadline = clock_mono_ms() + (int64_t)tmo * (tries + 1) * 2;
	while (pending > 0) {
		struct pollfd p[2] = {
			{ .fd = ub_fd(ctx), .events = POLLIN },
			{ .fd = cancel_fd, .events = POLLIN },
		};
		int64_t left = deadline - clock_mono_ms();

		if (left <= 0)
			break;
		if (poll(p, cancel_fd >= 0 ? 2 : 1, (int)left) < 0 && errno != EINTR)
			break;
		if (cancel_fd >= 0 && (p[1].revents & POLLIN))
			break;
		if ((p[0].revents & POLLIN) && ub_process(ctx) != 0)
			break;
	}
	size_t unfinished = 0;

	for (size_t i = 0; i < n; i++)
		if (!l[i].done) {
			ub_cancel(ctx, l[i].async_id);	/* rcode stays -1 */
			unfinished++;
		}
	if (unfinished > 0)
		*XAPPEND(ev->notes, ev->n_notes) = xasprintf(
			"local validation: %zu of %zu lookups unfinished at the deadline",
			unfinished, n);
	ub_ctx_delete(ctx);
	LOCKRET(pthread_mutex_unlock(&unbound_one));
	free(l);
out:
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
	probe_local_collect_until(cfg, plan, ev, -1);
}
