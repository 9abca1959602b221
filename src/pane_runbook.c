/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pane_runbook.c - a planned change (KSK or ZSK rollover, provider
 * migration) in the checklist's place: its phases as a list, the current
 * one marked, each gate with its state mark, its detail and, while it
 * waits for caches, a live countdown; the records to publish selectable
 * one by one so that each can be copied.
 *
 * Renders a runbook_view (runbook.h) that ui.c evaluates every second;
 * pure, no curses. Gate details and records quote network data: ui_put
 * escapes them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pane.h"
#include "xmalloc.h"

static const char *mark(enum gate_state s)
{
	switch (s) {
	case GATE_MET: return "[x]";
	case GATE_WAITING: return "[~]";
	case GATE_BLOCKED: break;
	}
	return "[ ]";
}

static enum role gate_role(enum gate_state s)
{
	switch (s) {
	case GATE_MET: return ROLE_SECURE;
	case GATE_WAITING: return ROLE_WARNING;
	case GATE_BLOCKED: break;
	}
	return ROLE_UNKNOWN;
}

/* "1h02m03s", "4m05s", "9s": a countdown that visibly moves each second. */
static void countdown(int64_t secs, char *buf, size_t len)
{
	if (secs < 0)
		secs = 0;
	if (secs >= 3600)
		snprintf(buf, len, "%lldh%02lldm%02llds", (long long)(secs / 3600),
			 (long long)(secs % 3600 / 60), (long long)(secs % 60));
	else if (secs >= 60)
		snprintf(buf, len, "%lldm%02llds", (long long)(secs / 60),
			 (long long)(secs % 60));
	else
		snprintf(buf, len, "%llds", (long long)secs);
}

static void utc(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, len, "%H:%M:%S UTC", &tm) == 0)
		snprintf(buf, len, "%lld", (long long)t);
}

/* The moment the view stands for: a replay's countdowns are frozen there. */
static int64_t at(const struct pane_ctx *c)
{
	return c->runbook_at != 0 ? c->runbook_at : c->now;
}

static void gate_line(struct ui_doc *d, const struct runbook_gate *g,
		      int64_t now, const char *lead)
{
	struct ui_line *l = ui_doc_add(d, NULL);

	ui_put(d, l, ROLE_DIM, lead);
	ui_put(d, l, gate_role(g->state), mark(g->state));
	ui_putf(d, l, ROLE_NORMAL, " %s: ", g->title);
	ui_put(d, l, ROLE_DIM, g->detail);
	if (g->state == GATE_WAITING) {	/* own line: never cut off the edge */
		char left[32], at[32];

		countdown(g->ready_at - now, left, sizeof(left));
		utc(g->ready_at, at, sizeof(at));
		l = ui_doc_add(d, NULL);
		ui_put(d, l, ROLE_DIM, lead);
		ui_putf(d, l, ROLE_WARNING, "    ready in %s (at %s)", left, at);
	}
}

/* Record texts come tab-separated (presentation format); spaces show and
 * paste the same everywhere, and mean the same in a zone file. */
static char *untab(char *s)
{
	for (char *p = s; *p != '\0'; p++)
		if (*p == '\t')
			*p = ' ';
	return s;
}

/* Each record on its own selectable line "phase:I:rec:K". */
static void record_lines(struct ui_doc *d, size_t i, const char *records,
			 const char *lead)
{
	const char *p = records;
	size_t k = 0;

	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		char key[64], *one = untab(xstrndup(p, len));
		struct ui_line *l;

		snprintf(key, sizeof(key), "phase:%zu:rec:%zu", i, k++);
		l = ui_doc_add(d, key);
		ui_put(d, l, ROLE_DIM, lead);
		ui_put(d, l, ROLE_NORMAL, one);
		free(one);
		p += len + (nl != NULL);
	}
}

static void build(const struct pane_ctx *c, struct ui_doc *d)
{
	const struct runbook_view *v = c->runbook;
	struct ui_line *l;

	if (v == NULL) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "waiting for the first refresh...");
		return;
	}
	l = ui_doc_add(d, NULL);
	ui_put(d, l, ROLE_HEADER, runbook_kind_name(v->kind));
	if (v->current < v->n_phases)
		ui_putf(d, l, ROLE_NORMAL, "  phase %zu of %zu", v->current + 1, v->n_phases);
	else
		ui_put(d, l, ROLE_SECURE, "  done: every phase met");
	ui_put(d, l, ROLE_DIM, "  (R: next runbook)");
	for (size_t i = 0; i < v->n_phases; i++) {
		const struct runbook_phase *p = &v->phases[i];
		bool now = i == v->current;
		char key[32];

		snprintf(key, sizeof(key), "phase:%zu", i);
		l = ui_doc_add(d, key);
		ui_put(d, l, gate_role(p->state), mark(p->state));
		ui_putf(d, l, now ? ROLE_INFO : ROLE_NORMAL, " %s%zu. %s",
			now ? ui_sym(d->utf8, SYM_ARROW) : "", i + 1, p->title);
		if (now)
			ui_put(d, l, ROLE_INFO, "  <- now");
		if (i < v->current)
			continue;	/* met: the title is enough */
		if (now) {
			ui_put(d, l = ui_doc_add(d, NULL), ROLE_DIM, "    > ");
			ui_put(d, l, ROLE_NORMAL, p->action);
			if (p->records != NULL)
				record_lines(d, i, p->records, "      ");
		}
		for (size_t g = 0; g < p->n_gates; g++)
			gate_line(d, &p->gates[g], at(c), "    ");
	}
}

/* Parses "phase:I" or "phase:I:rec:K" (*k = -1 for the former). */
static const struct runbook_phase *parse(const struct runbook_view *v,
					 const char *key, size_t *i, long *k)
{
	int n = 0;

	*k = -1;
	if (v == NULL || key == NULL || sscanf(key, "phase:%zu%n", i, &n) != 1 ||
	    *i >= v->n_phases)
		return NULL;
	if (key[n] == ':' && (sscanf(key + n, ":rec:%ld", k) != 1 || *k < 0))
		return NULL;
	return &v->phases[*i];
}

static void detail(const struct pane_ctx *c, const char *key, struct ui_doc *d)
{
	const struct runbook_view *v = c->runbook;
	const struct runbook_phase *p;
	size_t i;
	long k;

	if ((p = parse(v, key, &i, &k)) == NULL) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "nothing selected");
		return;
	}
	pane_detail_heading(d, "%s, phase %zu of %zu: %s", runbook_kind_name(v->kind),
			    i + 1, v->n_phases, p->title);
	pane_detail_field(d, "state", gate_role(p->state),
			  i < v->current ? "met" : i == v->current ? "now: the phase to work on" :
			  "later: the phases before it come first");
	pane_detail_heading(d, "What to do");
	pane_detail_text(d, ROLE_NORMAL, p->action);
	if (p->records != NULL) {
		pane_detail_heading(d, "Records to publish (select, then c)");
		record_lines(d, i, p->records, "  ");
	}
	pane_detail_heading(d, "Gates");
	for (size_t g = 0; g < p->n_gates; g++)
		gate_line(d, &p->gates[g], at(c), "  ");
}

/* Line @p k of @p text, or NULL. */
static char *nth_line(const char *text, long k)
{
	const char *p = text;

	for (; k > 0 && p != NULL; k--)
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	if (p == NULL || *p == '\0')
		return NULL;
	return xstrndup(p, strcspn(p, "\n"));
}

static char *copy(const struct pane_ctx *c, const char *key, char **label)
{
	const struct runbook_phase *p;
	char *text;
	size_t i;
	long k;

	if ((p = parse(c->runbook, key, &i, &k)) == NULL)
		return NULL;
	if (k >= 0) {
		if (p->records == NULL || (text = nth_line(p->records, k)) == NULL)
			return NULL;
		*label = xasprintf("record %ld of phase %zu", k + 1, i + 1);
		return untab(text);
	}
	if (p->records != NULL) {
		*label = xasprintf("the records of phase %zu", i + 1);
		return untab(xstrdup(p->records));
	}
	*label = xasprintf("phase %zu's action", i + 1);
	return xstrdup(p->action);
}

const struct pane_ops pane_runbook_ops = { "Runbook", build, detail, copy };
