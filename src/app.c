/*
 * app.c - owns the model, the engine and the prober for one run.
 *
 * --once: one probe_scan(), one diagnosis, one report. The console: the
 * prober refreshes in its thread while ui_run() owns the main thread.
 * Shutdown order is the reverse of start-up: prober (cancels and joins its
 * queries), engine, model.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "diag.h"
#include "log.h"
#include "model.h"
#include "probe.h"
#include "probe_io.h"
#include "report.h"
#include "report_runbook.h"
#include "theme.h"
#include "runbook.h"
#include "ui.h"

#define ENGINE_WORKERS 2

/* --once --runbook: the gates as they stand now (no history, so a wait
 * counts from this refresh). */
static int print_runbook(const struct options *o, const struct evidence *ev,
			 int64_t now)
{
	struct runbook *rb = runbook_new(o->runbook);
	struct runbook_view *v;
	int ret;

	runbook_observe(rb, ev, now);
	v = runbook_evaluate(rb, ev, now);
	if (o->mode == OUTPUT_JSON) {
		ret = report_runbook_json(stdout, v);
		putchar('\n');
	} else {
		ret = report_runbook_text(stdout, v, now);
	}
	runbook_view_free(v);
	runbook_free(rb);
	return ret;
}

static int run_once(struct options *o)
{
	struct probe_io *io = probe_io_new(ENGINE_WORKERS);
	struct evidence *ev;
	struct diagnosis *d;
	int64_t now;
	bool color;
	int ret;

	if (io == NULL) {
		fprintf(stderr, "bogus: cannot start the query engine\n");
		return EXIT_UNKNOWN;
	}
	ev = probe_scan(io, &o->scan, NULL);
	probe_io_free(io);
	now = o->scan.fixed_now ? o->scan.fixed_now : (int64_t)time(NULL);
	d = diag_run(ev, now);
	if (o->has_runbook) {
		ret = print_runbook(o, ev, now);
	} else if (o->mode == OUTPUT_JSON) {
		ret = report_json(stdout, ev, d);
	} else {
		const char *no_color = getenv("NO_COLOR");

		color = isatty(STDOUT_FILENO) && (no_color == NULL || *no_color == '\0');
		ret = report_text(stdout, ev, d, color);
	}
	if (fflush(stdout) != 0)
		ret = -1;
	ret = ret == 0 ? verdict_exit_code(d->verdict) : EXIT_UNKNOWN;
	diagnosis_free(d);
	evidence_free(ev);
	return ret;
}

static int run_console(struct options *o)
{
	const char *term = getenv("TERM");
	struct model *m;
	struct prober *p;
	int ret;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "bogus: not a terminal: use --once (or --once --json) for a report\n");
		return EXIT_UNKNOWN;
	}
	if (term == NULL || *term == '\0') {
		fprintf(stderr, "bogus: TERM is not set: set it, or use --once for a report\n");
		return EXIT_UNKNOWN;
	}
	/* A broken theme file is a usage error: say so before any probing. */
	{
		struct theme t = { 0 };
		char *cause = NULL;

		if (theme_load(o->theme, &t, &cause) != 0) {
			fprintf(stderr, "bogus: %s\n", cause);
			free(cause);
			return EXIT_UNKNOWN;
		}
		for (size_t i = 0; i < t.n_warnings; i++)
			fprintf(stderr, "bogus: warning: %s\n", t.warnings[i]);
		theme_free(&t);
	}
	if ((m = model_new()) == NULL) {
		fprintf(stderr, "bogus: cannot create the evidence store\n");
		return EXIT_UNKNOWN;
	}
	if ((p = prober_start(&o->scan, m, o->interval_s)) == NULL) {
		fprintf(stderr, "bogus: cannot start the prober\n");
		model_free(m);
		return EXIT_UNKNOWN;
	}
	ret = ui_run(o, m, p);
	prober_stop(p);	/* before the model: the prober publishes into it */
	model_free(m);
	if (ui_error() != NULL)
		fprintf(stderr, "bogus: %s\n", ui_error());
	return ret;
}

int app_run(struct options *o)
{
	int ret;

	if (o->log_file != NULL && log_open(o->log_file, LOG_DEBUG) != 0) {
		fprintf(stderr, "bogus: cannot open log file %s\n", o->log_file);
		return EXIT_UNKNOWN;
	}
	log_msg(LOG_INFO, "bogus %s: zone %s, %zu resolvers, anchor %s, hints %s",
		BOGUS_VERSION, o->scan.zone, o->scan.n_resolvers,
		o->scan.anchor_source, o->scan.hints_source);
	ret = o->once ? run_once(o) : run_console(o);
	log_close();
	return ret;
}
