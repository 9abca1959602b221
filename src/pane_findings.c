/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pane_findings.c - the findings strip (most severe first) and the event
 * log: what is wrong now, and what changed since the console started.
 *
 * Severity is spelled out (CRIT/WARN/INFO) next to its colour. The finding
 * detail holds the evidence lines and the fix as plain, unindented lines so
 * it can be copied as it stands. Pure: no curses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pane.h"
#include "xmalloc.h"

static enum role severity_role(enum severity s)
{
	switch (s) {
	case SEV_CRITICAL: return ROLE_BOGUS;
	case SEV_WARNING: return ROLE_WARNING;
	case SEV_INFO: break;
	}
	return ROLE_INFO;
}

static const char *severity_word(enum severity s)
{
	switch (s) {
	case SEV_CRITICAL: return "CRIT";
	case SEV_WARNING: return "WARN";
	case SEV_INFO: break;
	}
	return "INFO";
}

static void build(const struct pane_ctx *c, struct ui_doc *d)
{
	const struct diagnosis *dg = c->diag;

	if (dg == NULL) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "waiting for the first refresh...");
		return;
	}
	if (dg->n_findings == 0) {
		ui_putf(d, ui_doc_add(d, NULL), ROLE_SECURE, "%s no findings",
			ui_sym(d->utf8, SYM_OK));
		return;
	}
	for (size_t i = 0; i < dg->n_findings; i++) {
		const struct finding *f = &dg->findings[i];
		char *key = xasprintf("finding:%zu:%s", i, finding_id_name(f->id));
		struct ui_line *l = ui_doc_add(d, key);

		free(key);
		ui_putf(d, l, severity_role(f->severity), "%s %s",
			ui_sym(d->utf8, f->severity == SEV_CRITICAL ? SYM_BAD :
			       f->severity == SEV_WARNING ? SYM_WARN : SYM_DOT),
			severity_word(f->severity));
		ui_put(d, l, ROLE_NORMAL, " ");
		ui_put(d, l, ROLE_HEADER, finding_id_name(f->id));
		ui_put(d, l, ROLE_NORMAL, " ");
		ui_put(d, l, ROLE_DIM, f->subject);
		/* Who must act before the summary: a long summary is cut. */
		ui_put(d, l, ROLE_DIM, " (who: ");
		ui_put(d, l, ROLE_NORMAL, actor_name(f->actor));
		ui_put(d, l, ROLE_DIM, ")");
		ui_put(d, l, ROLE_NORMAL, ": ");
		ui_put(d, l, ROLE_NORMAL, f->summary);
	}
}

static void detail(const struct pane_ctx *c, const char *key, struct ui_doc *d)
{
	const struct diagnosis *dg = c->diag;
	const struct finding *f;
	size_t i;

	if (dg == NULL || key == NULL || sscanf(key, "finding:%zu:", &i) != 1 ||
	    i >= dg->n_findings) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "nothing selected");
		return;
	}
	f = &dg->findings[i];
	pane_detail_heading(d, "%s %s", severity_word(f->severity), finding_id_name(f->id));
	pane_detail_field(d, "about", ROLE_NORMAL, f->subject);
	pane_detail_field(d, "summary", severity_role(f->severity), f->summary);
	pane_detail_field(d, "who must act", ROLE_HEADER, actor_words(f->actor));
	if (finding_dnsviz(f->id) != NULL)
		pane_detail_field(d, "DNSViz code", ROLE_DIM, finding_dnsviz(f->id));
	if (f->cache_until != 0) {
		char buf[32], when[96];

		pane_duration(f->cache_until - dg->now, buf, sizeof(buf));
		snprintf(when, sizeof(when), "caches may hold the old state %s more", buf);
		pane_detail_field(d, "caches", ROLE_WARNING, when);
	}
	pane_detail_heading(d, "Evidence");
	for (size_t j = 0; j < f->n_evidence; j++)
		pane_detail_text(d, ROLE_NORMAL, f->evidence[j]);
	pane_detail_heading(d, "Fix (copy as is)");
	pane_detail_text(d, ROLE_NORMAL, f->fix ? f->fix : "no fix needed");
}

/* The fix of the selected finding, exactly as the detail shows it. */
static char *copy(const struct pane_ctx *c, const char *key, char **label)
{
	const struct diagnosis *dg = c->diag;
	size_t i;

	if (dg == NULL || key == NULL || sscanf(key, "finding:%zu:", &i) != 1 ||
	    i >= dg->n_findings || dg->findings[i].fix == NULL)
		return NULL;
	*label = xasprintf("the fix for %s", finding_id_name(dg->findings[i].id));
	return xstrdup(dg->findings[i].fix);
}

const struct pane_ops pane_findings_ops = { "Findings", build, detail, copy };

static void events_build(const struct pane_ctx *c, struct ui_doc *d)
{
	const struct event_log *log = c->events;

	if (log == NULL || log->n == 0) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "no changes seen yet");
		return;
	}
	for (size_t i = log->n; i-- > 0;) {
		const struct event *e = &log->ev[i];
		time_t t = (time_t)e->at;
		struct tm tm;
		char ts[16] = "--:--:--", key[32];
		struct ui_line *l;

		if (localtime_r(&t, &tm) != NULL)
			strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
		snprintf(key, sizeof(key), "event:%zu", i);
		l = ui_doc_add(d, key);
		ui_put(d, l, ROLE_DIM, ts);
		ui_put(d, l, ROLE_NORMAL, " ");
		ui_put(d, l, e->kind == EVENT_BAD ? ROLE_SERVFAIL :
		       e->kind == EVENT_GOOD ? ROLE_SECURE : ROLE_NORMAL, e->text);
	}
}

static void events_detail(const struct pane_ctx *c, const char *key, struct ui_doc *d)
{
	size_t i;

	if (c->events == NULL || key == NULL || sscanf(key, "event:%zu", &i) != 1 ||
	    i >= c->events->n) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "nothing selected");
		return;
	}
	pane_detail_heading(d, "Event");
	pane_detail_text(d, ROLE_NORMAL, c->events->ev[i].text);
	if (c->events->ev[i].key != NULL)
		pane_detail_field(d, "cell", ROLE_DIM, c->events->ev[i].key);
}

const struct pane_ops pane_events_ops = { "Events", events_build, events_detail, NULL };
