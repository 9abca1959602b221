/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * app.c - owns the model, the engine and the prober for one run.
 *
 * --once: one probe_scan(), one diagnosis, one report. The console: the
 * prober refreshes in its thread while ui_run() owns the main thread.
 * Shutdown order is the reverse of start-up: prober (cancels and joins its
 * queries), engine, model.
 *
 * The incident record: --record/--export open a recorder next to either
 * mode; --replay loads a recording and, in the console, starts the
 * replayer in place of the prober (no network), or with --once reports
 * one recorded snapshot.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "deadline.h"
#include "diag.h"
#include "escape.h"
#include "export_md.h"
#include "log.h"
#include "model.h"
#include "probe.h"
#include "probe_io.h"
#include "recorder.h"
#include "recording.h"
#include "replay.h"
#include "report.h"
#include "report_nagios.h"
#include "report_prom.h"
#include "report_runbook.h"
#include "theme.h"
#include "runbook.h"
#include "serve.h"
#include "ui.h"
#include "xmalloc.h"

#define ENGINE_WORKERS 2

void app_complain(const char *prefix, const char *text)
{
	char *safe = escape_text(text, 0);

	fprintf(stderr, "bogus: %s%s\n", prefix, safe);
	free(safe);
}

/* The engine did not start: one line, with the host's limit named when
 * that is the cause (errno as the engine left it). */
static void engine_failed(void)
{
	int e = errno;

	if (e == EMFILE || e == ENFILE)
		fprintf(stderr, "bogus: cannot start the query engine: %s "
			"(raise the descriptor limit: ulimit -n)\n", strerror(e));
	else if (e == EAGAIN || e == ENOMEM)
		fprintf(stderr, "bogus: cannot start the query engine: %s "
			"(threads or memory limited: ulimit -u, ulimit -v)\n",
			strerror(e));
	else
		fprintf(stderr, "bogus: cannot start the query engine\n");
}

int app_flush_stdout(void)
{
	int e;

	/* errno as the failed write left it when the flush itself succeeds
	 * (stdio drops what it could not write): callers clear it before. */
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	e = errno;
	fprintf(stderr, "bogus: cannot write to standard output: %s\n",
		e != 0 ? strerror(e) : "write error");
	clearerr(stdout);	/* said once */
	return -1;
}

/* --once --runbook: the gates as they stand now. Waits count from when a
 * change was first seen: by this run, or by earlier ones remembered in
 * --runbook-state. Takes ownership of @p rb. */
static int print_runbook(const struct options *o, struct runbook *rb,
			 const struct evidence *ev, int64_t now)
{
	struct runbook_view *v;
	char *cause = NULL;
	int ret;

	runbook_observe(rb, ev, now);
	if (o->runbook_state != NULL &&
	    runbook_save(rb, ev->zone, o->runbook_state, &cause) != 0) {
		app_complain("", cause);
		free(cause);
		runbook_free(rb);
		return -1;
	}
	v = runbook_evaluate(rb, ev, now);
	if (o->mode == OUTPUT_JSON) {
		ret = report_runbook_json(stdout, v);
	} else {
		ret = report_runbook_text(stdout, v, now);
	}
	runbook_view_free(v);
	runbook_free(rb);
	return ret;
}

/* The runbook to follow, with what earlier runs remembered; checked before
 * any query is sent. NULL with a message on stderr if the state is bad. */
static struct runbook *open_runbook(const struct options *o)
{
	struct runbook *rb;
	char *cause;

	if (o->runbook_state == NULL)
		return runbook_new(o->runbook);
	if (runbook_load(o->runbook_state, o->runbook, o->scan.zone, &rb, &cause) != 0) {
		app_complain("", cause);
		free(cause);
		return NULL;
	}
	return rb;
}

/* The --once report of @p ev (the runbook's when @p rb is set, which it
 * takes); returns the exit code. */
static int print_report(const struct options *o, struct runbook *rb,
			const struct evidence *ev, const struct diagnosis *d,
			int64_t now)
{
	int ret;

	errno = 0;	/* what a failed write sets, for app_flush_stdout() */
	if (rb != NULL) {
		ret = print_runbook(o, rb, ev, now);
	} else if (o->mode == OUTPUT_NAGIOS) {
		/* The plugin's own status is the exit code, whatever the verdict. */
		ret = report_nagios(stdout, ev, d, &o->nagios, now);
		return fflush(stdout) != 0 ? EXIT_UNKNOWN : ret;
	} else if (o->mode == OUTPUT_JSON) {
		ret = report_json(stdout, ev, d);
	} else {
		ret = report_text(stdout, ev, d,
				  cli_colour(o, isatty(STDOUT_FILENO)));
	}
	if (app_flush_stdout() != 0)
		ret = -1;
	return ret == 0 ? verdict_exit_code(d->verdict) : EXIT_UNKNOWN;
}

/* --export: returns 0, or prints why and returns -1. */
static int export(const struct options *o, const struct incident *inc,
		  const char *source, const char *damage)
{
	char *cause = NULL;

	if (o->export_file == NULL)
		return 0;
	if (export_md_file(o->export_file, inc, source, damage, &cause) != 0) {
		app_complain("", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* The checklist's cache tail as it stood at snapshot @p upto of @p rec:
 * every snapshot before it observed in order (unreadable ones skipped). */
static struct cache_tail replay_tail(const struct recording *rec, size_t upto)
{
	struct cache_tail t = { 0 };

	for (size_t j = 0; j <= upto; j++) {
		char *cause = NULL;
		struct evidence *ev = recording_evidence(rec, j, &cause);

		free(cause);
		if (ev == NULL)
			continue;
		struct diagnosis *d = diag_run(ev, rec->snaps[j].at);

		diag_tail_observe(&t, ev, d, rec->snaps[j].at);
		diagnosis_free(d);
		evidence_free(ev);
	}
	return t;
}

/*
 * --once --record FILE, run again and again (cron): step 6 counts the cache
 * tail from the snapshots earlier runs recorded in FILE, as the console
 * would. A missing or unreadable file, or another zone's, is a fresh start.
 */
static struct cache_tail recorded_tail(const char *path, const char *zone,
				       struct evidence **last, int64_t *last_at)
{
	struct recording rec;
	struct cache_tail t = { 0 };
	char *cause = NULL;

	*last = NULL;
	if (path == NULL || access(path, R_OK) != 0)
		return t;
	if (recording_load(path, &rec, &cause) != 0) {
		free(cause);
		return t;
	}
	if (rec.n_snaps > 0 && rec.inc.zone != NULL && zone != NULL &&
	    strcasecmp(rec.inc.zone, zone) == 0) {
		t = replay_tail(&rec, rec.n_snaps - 1);
		/* The recorder writes an identical next snapshot as
		 * "unchanged"; not after damage, which readers never pass. */
		if (rec.damage == NULL) {
			*last = recording_evidence(&rec, rec.n_snaps - 1, &cause);
			*last_at = rec.snaps[rec.snaps[rec.n_snaps - 1].full].at;
			free(cause);
		}
	}
	recording_free(&rec);
	return t;
}

static int run_once(struct options *o)
{
	struct deadline *dl = NULL;
	struct runbook *rb = NULL;
	struct probe_io *io;
	struct recorder *rec = NULL;
	struct evidence *ev;
	struct diagnosis *d;
	char *cause = NULL;
	int64_t now;
	int ret;

	if (o->has_runbook && (rb = open_runbook(o)) == NULL)
		return EXIT_UNKNOWN;
	struct evidence *last;
	int64_t last_at = 0;
	struct cache_tail tail = recorded_tail(o->record_file, o->scan.zone, &last, &last_at);

	if (o->record_file != NULL || o->export_file != NULL) {
		rec = recorder_open(o->record_file, o->scan.zone, "once",
				    (int64_t)time(NULL), &cause);
		if (rec == NULL) {
			app_complain("", cause);
			free(cause);
			evidence_free(last);
			runbook_free(rb);
			return EXIT_UNKNOWN;
		}
		recorder_set_max_size(rec, o->record_max_size);
		recorder_seed(rec, last, last_at);
	}
	evidence_free(last);
	if ((io = probe_io_new(ENGINE_WORKERS)) == NULL) {
		engine_failed();
		recorder_close(rec);
		runbook_free(rb);
		return EXIT_UNKNOWN;
	}
	if (o->deadline_s != 0)
		dl = deadline_start(io, o->deadline_s * 1000);
	ev = probe_scan(io, &o->scan, NULL);
	o->nagios.deadline_hit = deadline_stop(dl);
	o->nagios.deadline_s = o->deadline_s;
	probe_io_free(io);
	now = o->scan.fixed_now ? o->scan.fixed_now : (int64_t)time(NULL);
	d = diag_run(ev, now);
	diag_tail_observe(&tail, ev, d, now);
	diag_tail_apply(d, &tail, now);
	recorder_snapshot(rec, ev, d, now);
	ret = print_report(o, rb, ev, d, now);
	if (o->prometheus_file != NULL &&
	    report_prometheus_file(o->prometheus_file, ev, d, now, &cause) != 0) {
		app_complain("", cause);
		free(cause);
		ret = EXIT_UNKNOWN;
	}
	if (recorder_error(rec) != NULL) {
		app_complain("", recorder_error(rec));
		ret = EXIT_UNKNOWN;
	}
	if (rec != NULL && export(o, recorder_incident(rec), "bogus --once", NULL) != 0)
		ret = EXIT_UNKNOWN;
	recorder_close(rec);
	diagnosis_free(d);
	evidence_free(ev);
	return ret;
}

/*
 * Loads --replay FILE. A damaged recording is played up to the damage:
 * with --once the damage is one line on stderr, in the console a message
 * in the event log. Returns 0 or an exit code.
 */
static int load_recording(struct options *o, struct recording *rec)
{
	char *cause = NULL;

	if (recording_load(o->replay_file, rec, &cause) != 0) {
		app_complain("", cause);
		free(cause);
		return EXIT_UNKNOWN;
	}
	if (rec->n_snaps == 0) {
		/* One line: why nothing is left, or that nothing was there. */
		if (rec->damage != NULL)
			app_complain("no snapshot to replay: ", rec->damage);
		else
			app_complain("no snapshot to replay in ", o->replay_file);
		recording_free(rec);
		return EXIT_UNKNOWN;
	}
	if (rec->damage != NULL && o->once)
		app_complain("", rec->damage);
	if (o->scan.zone == NULL)
		o->scan.zone = xstrdup(rec->inc.zone ? rec->inc.zone : "?");
	return 0;
}

/* The snapshot --at names; says so on stderr when it lies outside the
 * recording and the first or last snapshot stands in. */
static size_t at_snapshot(const struct options *o, const struct recording *rec)
{
	char want[32], got[32];
	size_t i = recording_find(rec, o->at);

	if (rec->n_snaps == 0)
		return 0;
	if (o->at < rec->snaps[0].at || o->at > rec->snaps[rec->n_snaps - 1].at) {
		diag_iso_time(o->at, want);
		diag_iso_time(rec->snaps[i].at, got);
		fprintf(stderr, "bogus: --at %s is %s the recording: using its %s"
			" snapshot, %s\n", want, o->at < rec->snaps[0].at ? "before" :
			"after", i == 0 ? "first" : "last", got);
	}
	return i;
}

static int run_replay_once(struct options *o)
{
	struct recording rec;
	struct evidence *ev;
	struct diagnosis *d;
	char *cause = NULL, *source;
	size_t i;
	int ret;

	if ((ret = load_recording(o, &rec)) != 0)
		return ret;
	i = o->has_at ? at_snapshot(o, &rec) : rec.n_snaps - 1;
	if ((ev = recording_evidence(&rec, i, &cause)) == NULL) {
		char *why = xasprintf("%s: line %u: %s", o->replay_file,
				      rec.snaps[i].line, cause);

		app_complain("", why);
		free(why);
		free(cause);
		recording_free(&rec);
		return EXIT_UNKNOWN;
	}
	/* The diagnosis as of the recorded moment, not as of today; its cache
	 * tail counted over the snapshots up to it, as the console would. */
	d = diag_run(ev, rec.snaps[i].at);
	struct cache_tail tail = replay_tail(&rec, i);

	diag_tail_apply(d, &tail, rec.snaps[i].at);
	/* A replayed runbook has no remembered state: it starts at the snapshot. */
	ret = print_report(o, o->has_runbook ? runbook_new(o->runbook) : NULL, ev, d,
			   rec.snaps[i].at);
	source = xasprintf("recording %s", o->replay_file);
	if (export(o, &rec.inc, source, rec.damage) != 0)
		ret = EXIT_UNKNOWN;
	free(source);
	diagnosis_free(d);
	evidence_free(ev);
	recording_free(&rec);
	return ret;
}

/* The console on a recording: the replayer publishes, nothing probes. */
static int run_replay_console(struct options *o, struct model *m)
{
	struct recording rec;
	struct replay *rp;
	size_t start;
	int ret;

	if ((ret = load_recording(o, &rec)) != 0) {
		model_free(m);
		return ret;
	}
	start = o->has_at ? at_snapshot(o, &rec) : 0;
	if ((rp = replay_start(&rec, m, start)) == NULL) {
		fprintf(stderr, "bogus: cannot start the replay\n");
		model_free(m);
		return EXIT_UNKNOWN;
	}
	ui_set_record(NULL, rp, o->export_file);
	ret = ui_run(o, m, NULL);
	ui_set_record(NULL, NULL, NULL);
	replay_stop(rp);	/* before the model: it publishes into it */
	model_free(m);
	if (ui_error() != NULL)
		app_complain("", ui_error());
	return ret;
}

/* A broken theme file is a usage error: say so before any probing, and
 * pass on its warnings (unknown roles) while stderr is still the terminal. */
static int check_theme(const struct options *o)
{
	struct theme t = { 0 };
	char *cause = NULL;

	if (theme_load(o->theme, &t, &cause) != 0) {
		app_complain("", cause);
		free(cause);
		return -1;
	}
	for (size_t i = 0; i < t.n_warnings; i++)
		app_complain("warning: ", t.warnings[i]);
	theme_free(&t);
	return 0;
}

static int run_console(struct options *o)
{
	const char *term = getenv("TERM");
	struct model *m;
	struct prober *p;
	struct recorder *rec;
	char *why = NULL;
	int ret;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "bogus: not a terminal: use --once (or --once --json) for a report\n");
		return EXIT_UNKNOWN;
	}
	if (term == NULL || *term == '\0') {
		fprintf(stderr, "bogus: TERM is not set: set it, or use --once for a report\n");
		return EXIT_UNKNOWN;
	}
	if (check_theme(o) != 0)
		return EXIT_UNKNOWN;
	if ((m = model_new()) == NULL) {
		fprintf(stderr, "bogus: cannot create the evidence store\n");
		return EXIT_UNKNOWN;
	}
	if (o->replay_file != NULL)
		return run_replay_console(o, m);
	if ((rec = recorder_open(o->record_file, o->scan.zone, "console",
				 (int64_t)time(NULL), &why)) == NULL) {
		app_complain("", why);
		free(why);
		model_free(m);
		return EXIT_UNKNOWN;
	}
	recorder_set_max_size(rec, o->record_max_size);
	if ((p = prober_start(&o->scan, m, o->interval_s)) == NULL) {
		engine_failed();
		recorder_close(rec);
		model_free(m);
		return EXIT_UNKNOWN;
	}
	ui_set_record(rec, NULL, o->export_file);
	ret = ui_run(o, m, p);
	prober_stop(p);	/* before the model: the prober publishes into it */
	ui_set_record(NULL, NULL, NULL);
	recorder_close(rec);	/* the UI thread wrote to it; it has returned */
	model_free(m);
	if (ui_error() != NULL)
		app_complain("", ui_error());
	return ret;
}

int app_run(struct options *o)
{
	int ret;

	if (o->log_file != NULL && log_open(o->log_file, LOG_DEBUG) != 0) {
		app_complain("cannot open log file ", o->log_file);
		return EXIT_UNKNOWN;
	}
	/* Still one thread: see probe_local_start(). Without it the scans say
	 * that local validation was skipped, and why. */
	if (o->replay_file == NULL && probe_local_start() != 0)
		log_msg(LOG_WARN, "local validation unavailable: %s", strerror(errno));
	if (o->serve_addr != NULL) {
		log_msg(LOG_INFO, "bogus %s: exporter, %zu resolvers, anchor %s, hints %s",
			BOGUS_VERSION, o->scan.n_resolvers, o->scan.anchor_source,
			o->scan.hints_source);
		ret = serve_run(o);
		probe_local_stop();
		log_close();
		return ret;
	}
	if (o->replay_file != NULL)
		log_msg(LOG_INFO, "bogus %s: replaying %s", BOGUS_VERSION,
			o->replay_file);
	else
		log_msg(LOG_INFO, "bogus %s: zone %s, %zu resolvers, anchor %s, hints %s",
			BOGUS_VERSION, o->scan.zone, o->scan.n_resolvers,
			o->scan.anchor_source, o->scan.hints_source);
	if (o->once && o->replay_file != NULL)
		ret = run_replay_once(o);
	else
		ret = o->once ? run_once(o) : run_console(o);
	probe_local_stop();
	log_close();
	return ret;
}
