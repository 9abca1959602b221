/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * serve.c - the exporter (--serve): HTTP by libmicrohttpd, one thread per
 * connection; each /probe runs probe_scan() on its own engine, as --once
 * does, and prints report_prometheus().
 *
 * Ownership: serve_run() owns the listening socket (handed to MHD, which
 * closes it), the MHD daemon and its threads (joined by MHD_stop_daemon),
 * and struct server. A connection thread owns its request's scan_config
 * parts (zone, resolvers), engine, evidence and diagnosis; it registers
 * its engine in server.active so that shutdown can cancel it.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>

#include "app.h"
#include "deadline.h"
#include "diag.h"
#include "escape.h"
#include "log.h"
#include "probe.h"
#include "probe_io.h"
#include "report_prom.h"
#include "serve.h"
#include "thread.h"
#include "xmalloc.h"

#define ENGINE_WORKERS 2	/* per probe, as run_once */
#define MAX_RESOLVER_PARAMS 16
#define CONNECTION_LIMIT 64	/* threads MHD may run for connections */
#define CONNECTION_TIMEOUT_S 60	/* an idle or trickling client */

/* Request counters: by handler and status code. */
enum handler { H_PROBE, H_METRICS, H_OTHER, N_HANDLERS };
static const char *const handler_names[N_HANDLERS] = { "probe", "metrics", "other" };
static const unsigned codes[] = { 200, 400, 404, 405, 500, 503 };
#define N_CODES (sizeof(codes) / sizeof(codes[0]))

/* What /metrics shows. */
struct counters {
	unsigned long long requests[N_HANDLERS][N_CODES];
	unsigned long long probes, deadline_hits, engine_errors;
	double probe_seconds;		/* sum over finished probes */
	unsigned in_flight;
};

struct server {
	const struct options *o;	/* borrowed: the base config */
	unsigned max_probes;
	pthread_mutex_t lock;		/* guards everything below */
	bool stopping;
	struct probe_io **active;	/* max_probes slots: engines in flight */
	struct counters n;
};

static double monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void count(struct server *s, enum handler h, unsigned code)
{
	LOCKRET(pthread_mutex_lock(&s->lock));
	for (size_t i = 0; i < N_CODES; i++)
		if (codes[i] == code)
			s->n.requests[h][i]++;
	LOCKRET(pthread_mutex_unlock(&s->lock));
}

/* Sends @p body (malloc'd; MHD frees it) with @p code. */
static enum MHD_Result reply(struct server *s, struct MHD_Connection *c,
			     enum handler h, unsigned code, const char *type,
			     char *body)
{
	struct MHD_Response *r;
	enum MHD_Result ret;

	r = MHD_create_response_from_buffer_with_free_callback(strlen(body), body, free);
	if (r == NULL) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	if (code == 405)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	count(s, h, code);
	return ret;
}

/* A one-line error for a human reading curl's output or Prometheus' UI. */
static enum MHD_Result fail(struct server *s, struct MHD_Connection *c,
			    enum handler h, unsigned code, char *why)
{
	char *body = xasprintf("%s\n", why);

	free(why);
	return reply(s, c, h, code, "text/plain; charset=utf-8", body);
}

/* The parameters of one /probe, as the query string gave them. */
struct probe_req {
	const char *zone;		/* borrowed from MHD */
	const char *resolvers[MAX_RESOLVER_PARAMS];
	size_t n_resolvers;
	char *error;			/* the first problem, or NULL */
};

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind,
			       const char *key, const char *value)
{
	struct probe_req *q = cls;
	char *k;

	(void)kind;
	if (q->error != NULL)
		return MHD_NO;
	if (strcmp(key, "zone") == 0 && q->zone == NULL && value != NULL) {
		q->zone = value;
	} else if (strcmp(key, "zone") == 0) {
		q->error = xstrdup(value == NULL ? "zone= needs a value" :
				   "one zone per probe: zone= given twice");
	} else if (strcmp(key, "resolver") == 0 && value != NULL &&
		   q->n_resolvers < MAX_RESOLVER_PARAMS) {
		q->resolvers[q->n_resolvers++] = value;
	} else if (strcmp(key, "resolver") == 0) {
		q->error = value == NULL ? xstrdup("resolver= needs a value") :
			   xasprintf("at most %d resolver= per probe", MAX_RESOLVER_PARAMS);
	} else {
		k = escape_text(key, 40);
		q->error = xasprintf("unknown parameter '%s' (want zone= and resolver=)", k);
		free(k);
	}
	return q->error == NULL ? MHD_YES : MHD_NO;
}

/*
 * The probe's bound: --deadline (or the default), shortened to what
 * Prometheus will wait (its scrape timeout, less half a second for the
 * reply), never under half a second.
 */
static unsigned probe_ms(const struct server *s, struct MHD_Connection *c)
{
	unsigned ms = (s->o->deadline_s ? s->o->deadline_s : SERVE_DEFAULT_DEADLINE_S) * 1000;
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
						    "X-Prometheus-Scrape-Timeout-Seconds");
	char *end;
	double t;

	if (h != NULL) {
		errno = 0;
		t = strtod(h, &end);
		if (errno == 0 && end != h && *end == '\0' && t > 0 && t < 3600 &&
		    t * 1000 - 500 < ms)
			ms = t * 1000 - 500 < 500 ? 500 : (unsigned)(t * 1000 - 500);
	}
	return ms;
}

/* Takes a probe slot, or says why not (caller frees). */
static char *admit(struct server *s)
{
	char *why = NULL;

	LOCKRET(pthread_mutex_lock(&s->lock));
	if (s->stopping)
		why = xstrdup("the exporter is shutting down");
	else if (s->n.in_flight >= s->max_probes)
		why = xasprintf("busy: %u probes already running (--max-probes %u); try again later",
				s->n.in_flight, s->max_probes);
	else
		s->n.in_flight++;
	LOCKRET(pthread_mutex_unlock(&s->lock));
	return why;
}

/* Registers (or, @p io NULL, unregisters) an engine in flight; an engine
 * that arrives during shutdown is cancelled at once. */
static void track(struct server *s, struct probe_io *io, struct probe_io *gone)
{
	LOCKRET(pthread_mutex_lock(&s->lock));
	for (unsigned i = 0; i < s->max_probes; i++) {
		if (io != NULL && s->active[i] == NULL) {
			s->active[i] = io;
			break;
		}
		if (io == NULL && s->active[i] == gone) {
			s->active[i] = NULL;
			break;
		}
	}
	if (io != NULL && s->stopping)
		probe_io_cancel(io);
	LOCKRET(pthread_mutex_unlock(&s->lock));
}

/* Runs the probe; returns the metrics (new string) or NULL. */
static char *run_probe(struct server *s, const struct scan_config *cfg,
		       unsigned ms)
{
	struct probe_io *io = probe_io_new(ENGINE_WORKERS);
	struct deadline *dl;
	struct evidence *ev;
	struct diagnosis *d;
	double start = monotonic_s();
	char *buf = NULL;
	size_t len = 0;
	FILE *out;
	bool fired;
	int err;

	if (io == NULL)
		return NULL;
	track(s, io, NULL);
	dl = deadline_start(io, ms);
	ev = probe_scan(io, cfg, NULL);
	fired = deadline_stop(dl);
	track(s, NULL, io);
	probe_io_free(io);
	d = diag_run(ev, (int64_t)time(NULL));
	if ((out = open_memstream(&buf, &len)) != NULL) {
		err = report_prometheus(out, ev, d, (int64_t)time(NULL));
		if (fclose(out) != 0 || err != 0) {
			free(buf);
			buf = NULL;
		}
	}
	diagnosis_free(d);
	evidence_free(ev);
	LOCKRET(pthread_mutex_lock(&s->lock));
	s->n.probes++;
	s->n.deadline_hits += fired;
	s->n.probe_seconds += monotonic_s() - start;
	LOCKRET(pthread_mutex_unlock(&s->lock));
	return buf;
}

static enum MHD_Result probe(struct server *s, struct MHD_Connection *c)
{
	struct probe_req q = { 0 };
	struct scan_config cfg = s->o->scan;	/* shallow: borrowed but for the zone and resolvers */
	struct scan_config mine = { 0 };	/* owns the request's resolvers */
	char *why = NULL, *body;

	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect, &q);
	if (q.error != NULL)
		return fail(s, c, H_PROBE, 400, q.error);
	if (q.zone == NULL)
		return fail(s, c, H_PROBE, 400, xstrdup("no zone: /probe?zone=example.com[&resolver=[NAME=]ADDR[@PORT]]"));
	if ((cfg.zone = cli_zone_name(q.zone, &why)) == NULL) {
		char *z = escape_text(q.zone, 80), *line = xasprintf("invalid zone '%s': %s", z, why);

		free(z);
		free(why);
		return fail(s, c, H_PROBE, 400, line);
	}
	for (size_t i = 0; i < q.n_resolvers; i++) {
		if (cli_resolver(&mine, q.resolvers[i], &why) != 0) {
			char *e = escape_text(why, 200);

			free(why);
			why = e;
			break;
		}
	}
	cfg.names = NULL;
	cfg.n_names = 0;
	if (mine.n_resolvers > 0) {
		cfg.resolvers = mine.resolvers;
		cfg.n_resolvers = mine.n_resolvers;
	}
	if (why == NULL && (why = admit(s)) != NULL) {
		free(cfg.zone);
		scan_config_free(&mine);
		return fail(s, c, H_PROBE, 503, why);
	}
	if (why != NULL) {
		free(cfg.zone);
		scan_config_free(&mine);
		return fail(s, c, H_PROBE, 400, why);
	}
	body = run_probe(s, &cfg, probe_ms(s, c));
	LOCKRET(pthread_mutex_lock(&s->lock));
	s->n.in_flight--;
	s->n.engine_errors += body == NULL;
	LOCKRET(pthread_mutex_unlock(&s->lock));
	free(cfg.zone);
	scan_config_free(&mine);
	if (body == NULL)
		return fail(s, c, H_PROBE, 500, xstrdup("cannot start the query engine (see the log)"));
	return reply(s, c, H_PROBE, 200, "text/plain; version=0.0.4; charset=utf-8", body);
}

static void metric_help(FILE *out, const char *name, const char *type, const char *text)
{
	fprintf(out, "# HELP %s %s\n# TYPE %s %s\n", name, text, name, type);
}

static enum MHD_Result own_metrics(struct server *s, struct MHD_Connection *c)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct counters v;

	if (out == NULL)
		return fail(s, c, H_METRICS, 500, xstrdup("out of memory"));
	LOCKRET(pthread_mutex_lock(&s->lock));
	v = s->n;
	LOCKRET(pthread_mutex_unlock(&s->lock));
	/* This request counts before it is answered: it shows itself. */
	v.requests[H_METRICS][0]++;
	metric_help(out, "bogus_exporter_build_info", "gauge", "The bogus version serving.");
	fprintf(out, "bogus_exporter_build_info{version=\"%s\"} 1\n", BOGUS_VERSION);
	metric_help(out, "bogus_exporter_requests_total", "counter",
		    "HTTP requests answered, by handler (probe, metrics, other) and status code.");
	for (int h = 0; h < N_HANDLERS; h++)
		for (size_t i = 0; i < N_CODES; i++)
			if (v.requests[h][i] > 0 || (h == H_PROBE && (codes[i] == 200 || codes[i] == 503)))
				fprintf(out, "bogus_exporter_requests_total{handler=\"%s\",code=\"%u\"} %llu\n",
					handler_names[h], codes[i], v.requests[h][i]);
	metric_help(out, "bogus_exporter_probe_duration_seconds", "summary",
		    "Wall-clock time of the probes run (engine, diagnosis, metrics).");
	fprintf(out, "bogus_exporter_probe_duration_seconds_sum %.6f\n", v.probe_seconds);
	fprintf(out, "bogus_exporter_probe_duration_seconds_count %llu\n", v.probes);
	metric_help(out, "bogus_exporter_probe_deadline_hits_total", "counter",
		    "Probes cut short by their deadline (the report says what could be seen).");
	fprintf(out, "bogus_exporter_probe_deadline_hits_total %llu\n", v.deadline_hits);
	metric_help(out, "bogus_exporter_probe_errors_total", "counter",
		    "Probes that could not run (query engine or output failure).");
	fprintf(out, "bogus_exporter_probe_errors_total %llu\n", v.engine_errors);
	metric_help(out, "bogus_exporter_probes_in_flight", "gauge", "Probes running now.");
	fprintf(out, "bogus_exporter_probes_in_flight %u\n", v.in_flight);
	metric_help(out, "bogus_exporter_max_probes", "gauge",
		    "Probes allowed at once (--max-probes); beyond, /probe answers 503.");
	fprintf(out, "bogus_exporter_max_probes %u\n", s->max_probes);
	if (fclose(out) != 0) {
		free(buf);
		return fail(s, c, H_METRICS, 500, xstrdup("out of memory"));
	}
	return reply(s, c, H_METRICS, 200, "text/plain; version=0.0.4; charset=utf-8", buf);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c,
			      const char *url, const char *method,
			      const char *version, const char *upload_data,
			      size_t *upload_size, void **con_cls)
{
	static int seen;	/* marks the first call for this request */
	struct server *s = cls;
	enum handler h = strcmp(url, "/probe") == 0 ? H_PROBE :
			 strcmp(url, "/metrics") == 0 ? H_METRICS : H_OTHER;

	(void)version;
	(void)upload_data;
	if (*con_cls == NULL) {	/* headers only so far */
		*con_cls = &seen;
		return MHD_YES;
	}
	if (*upload_size != 0) {	/* a body: not read, not wanted */
		*upload_size = 0;
		return MHD_YES;
	}
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return fail(s, c, h, 405, xstrdup("only GET and HEAD"));
	if (h == H_PROBE)
		return probe(s, c);
	if (h == H_METRICS)
		return own_metrics(s, c);
	return fail(s, c, H_OTHER, 404, xstrdup("not found: try /probe?zone=example.com or /metrics"));
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	char line[512];

	(void)cls;
	vsnprintf(line, sizeof(line), fmt, ap);
	line[strcspn(line, "\n")] = '\0';
	log_msg(LOG_INFO, "http: %s", line);
}

/*
 * "[ADDR:]PORT" or "[V6ADDR]:PORT" to a bound, listening socket. Returns
 * the descriptor, or -1 with a one-line @p cause. @p shown gets the address
 * as bound (port 0 picks one).
 */
static int listen_on(const char *spec, char shown[80], char **cause)
{
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *v4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&ss;
	socklen_t len;
	const char *colon = strrchr(spec, ':'), *port_s = colon ? colon + 1 : spec;
	char host[64] = "127.0.0.1", addr[INET6_ADDRSTRLEN], *end;
	unsigned long port;
	int fd, one = 1;

	errno = 0;
	port = strtoul(port_s, &end, 10);
	if (*port_s < '0' || *port_s > '9' || *end != '\0' || errno != 0 || port > 65535)
		goto syntax;
	if (colon != NULL && colon > spec) {
		size_t n = (size_t)(colon - spec);

		if (spec[0] == '[' && spec[n - 1] == ']')
			spec++, n -= 2;
		if (n == 0 || n >= sizeof(host))
			goto syntax;
		memcpy(host, spec, n);
		host[n] = '\0';
	}
	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons((uint16_t)port);
		len = sizeof(*v4);
	} else if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons((uint16_t)port);
		len = sizeof(*v6);
	} else {
		goto syntax;
	}
	if ((fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0) {
		*cause = xasprintf("--serve %s: socket: %s", spec, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (ss.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, len) != 0 || listen(fd, 64) != 0) {
		*cause = xasprintf("--serve: cannot listen on %s port %lu: %s", host, port,
				   strerror(errno));
		close(fd);
		return -1;
	}
	len = sizeof(ss);
	getsockname(fd, (struct sockaddr *)&ss, &len);
	inet_ntop(ss.ss_family, ss.ss_family == AF_INET ? (void *)&v4->sin_addr :
		  (void *)&v6->sin6_addr, addr, sizeof(addr));
	snprintf(shown, 80, ss.ss_family == AF_INET ? "%s:%u" : "[%s]:%u", addr,
		 ntohs(ss.ss_family == AF_INET ? v4->sin_port : v6->sin6_port));
	return fd;
syntax:
	*cause = xasprintf("--serve wants [ADDR:]PORT (9553, 127.0.0.1:9553, [::1]:9553), not '%s'", spec);
	return -1;
}

int serve_run(const struct options *o)
{
	struct server s = { .o = o };
	struct MHD_Daemon *d;
	sigset_t stop, old;
	char shown[80], *cause = NULL;
	int fd, sig = 0;

	if ((fd = listen_on(o->serve_addr, shown, &cause)) < 0) {
		app_complain("", cause);
		free(cause);
		return EXIT_UNKNOWN;
	}
	s.max_probes = o->max_probes ? o->max_probes : SERVE_DEFAULT_MAX_PROBES;
	s.active = xcalloc(s.max_probes, sizeof(*s.active));
	pthread_mutex_init(&s.lock, NULL);
	/* Every thread (MHD's, the engines') inherits the mask: the signals
	 * reach only sigwait() below. */
	sigemptyset(&stop);
	sigaddset(&stop, SIGTERM);
	sigaddset(&stop, SIGINT);
	pthread_sigmask(SIG_BLOCK, &stop, &old);
	signal(SIGPIPE, SIG_IGN);	/* a client that hangs up mid-reply */
	d = MHD_start_daemon(MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
			     MHD_USE_ERROR_LOG, 0, NULL, NULL, handle, &s,
			     MHD_OPTION_LISTEN_SOCKET, (MHD_socket)fd,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)CONNECTION_LIMIT,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)CONNECTION_TIMEOUT_S,
			     MHD_OPTION_THREAD_STACK_SIZE, (size_t)THREAD_STACK_BYTES,
			     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
			     MHD_OPTION_END);
	if (d == NULL) {
		app_complain("--serve: cannot start the HTTP server on ", shown);
		close(fd);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
		pthread_mutex_destroy(&s.lock);
		free(s.active);
		return EXIT_UNKNOWN;
	}
	fprintf(stderr, "bogus: serving on http://%s/ (/probe?zone=ZONE, /metrics)\n", shown);
	fflush(stderr);
	log_msg(LOG_INFO, "serving on %s, %u probes at once", shown, s.max_probes);
	while (sigwait(&stop, &sig) != 0)
		;
	LOCKRET(pthread_mutex_lock(&s.lock));
	s.stopping = true;
	for (unsigned i = 0; i < s.max_probes; i++)
		if (s.active[i] != NULL)
			probe_io_cancel(s.active[i]);
	LOCKRET(pthread_mutex_unlock(&s.lock));
	MHD_stop_daemon(d);	/* joins the connection threads */
	fprintf(stderr, "bogus: stopped serving (%s)\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_mutex_destroy(&s.lock);
	free(s.active);
	return EXIT_OK;
}
