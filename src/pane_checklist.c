/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pane_checklist.c - the emergency runbook, ticked from evidence and by
 * hand.
 *
 * Each step shows its state as a box with a mark ([x] done, [!] this is
 * where it breaks, [ ] not known yet, [-] does not apply) and, where the
 * evidence says what to do, the action right under it. A person's tick or
 * untick (ticks.h) overrides the box with a mark that says so in words
 * ("by you"), never by colour alone, and the evidence's own verdict stays
 * visible under it. The lines of the action that hold a command or a DS
 * record are selectable on their own, so each can be copied alone.
 * Pure: no curses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pane.h"
#include "xmalloc.h"

static const char *box(enum step_state s)
{
	switch (s) {
	case STEP_DONE: return "[x]";
	case STEP_FAILED: return "[!]";
	case STEP_NOT_APPLICABLE: return "[-]";
	case STEP_PENDING: break;
	}
	return "[ ]";
}

static enum role step_role(enum step_state s)
{
	switch (s) {
	case STEP_DONE: return ROLE_SECURE;
	case STEP_FAILED: return ROLE_BROKEN;
	case STEP_NOT_APPLICABLE: return ROLE_DIM;
	case STEP_PENDING: break;
	}
	return ROLE_UNKNOWN;
}

static const char *state_words(enum step_state s)
{
	switch (s) {
	case STEP_DONE: return "done (ticked by evidence)";
	case STEP_FAILED: return "FAILED: the chain breaks here";
	case STEP_NOT_APPLICABLE: return "does not apply";
	case STEP_PENDING: break;
	}
	return "not known yet";
}

/* The mark of a hand override, which always says "by you". */
static const char *hand_box(bool utf8, enum tick_override o)
{
	if (o == TICK_BY_HAND)
		return utf8 ? "[\u2713 by you]" : "[v by you]";
	return "[ ] by you";
}

static void clock_hm(int64_t at, char buf[16])
{
	time_t t = (time_t)at;
	struct tm tm;

	if (localtime_r(&t, &tm) == NULL || strftime(buf, 16, "%H:%M", &tm) == 0)
		strcpy(buf, "--:--");
}

/* The copy item whose (one-line) text is on @p line and not yet placed. */
static long copy_on_line(const struct checklist_step *s, const char *line,
			 const bool *placed)
{
	for (size_t k = 0; k < s->n_copy; k++)
		if (!placed[k] && strchr(s->copy[k].text, '\n') == NULL &&
		    s->copy[k].text[0] != '\0' && strstr(line, s->copy[k].text) != NULL)
			return (long)k;
	return -1;
}

/*
 * Each line of the action, indented under step @p i; a line that holds a
 * copy item gets that item's key ("step:I:copy:K").
 */
static void action_lines(struct ui_doc *d, size_t i, const struct checklist_step *s,
			 enum role r)
{
	bool *placed = xcalloc(s->n_copy + 1, sizeof(*placed));
	const char *p = s->action;
	bool first = true;

	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		char *one = xstrndup(p, len), key[64];
		long k = copy_on_line(s, one, placed);
		struct ui_line *l;

		if (k >= 0) {
			placed[k] = true;
			snprintf(key, sizeof(key), "step:%zu:copy:%ld", i, k);
		}
		l = ui_doc_add(d, k >= 0 ? key : NULL);
		ui_put(d, l, ROLE_DIM, first ? "    > " : "      ");
		ui_put(d, l, r, one);
		free(one);
		first = false;
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	free(placed);
}

/* Each line of @p text, indented under its step. */
static void indented(struct ui_doc *d, enum role r, const char *text)
{
	const char *p = text;

	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		struct ui_line *l = ui_doc_add(d, NULL);
		char *one = xstrndup(p, len);

		ui_put(d, l, ROLE_DIM, "      ");
		ui_put(d, l, r, one);
		free(one);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

static void notes(struct ui_doc *d, const struct tick_step *t, const char *lead)
{
	for (size_t j = 0; t != NULL && j < t->n_notes; j++) {
		struct ui_line *l = ui_doc_add(d, NULL);
		char hm[16];

		clock_hm(t->notes[j].at, hm);
		ui_putf(d, l, ROLE_DIM, "%snote %s: ", lead, hm);
		ui_put(d, l, ROLE_INFO, t->notes[j].text);
	}
}

static void build(const struct pane_ctx *c, struct ui_doc *d)
{
	const struct checklist *cl = c->checklist;

	if (cl == NULL) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "waiting for the first refresh...");
		return;
	}
	for (size_t i = 0; i < cl->n_steps; i++) {
		const struct checklist_step *s = &cl->steps[i];
		enum tick_override o = ticks_override(c->ticks, s->title);
		char key[32];
		struct ui_line *l;

		snprintf(key, sizeof(key), "step:%zu", i);
		l = ui_doc_add(d, key);
		if (o == TICK_AUTO)
			ui_put(d, l, step_role(s->state), box(s->state));
		else
			ui_put(d, l, o == TICK_BY_HAND ? ROLE_SECURE : ROLE_WARNING,
			       hand_box(d->utf8, o));
		ui_putf(d, l, s->state == STEP_FAILED && o != TICK_BY_HAND ? ROLE_BOGUS :
			ROLE_NORMAL, " %zu. %s", i + 1, s->title);
		if (o != TICK_AUTO)	/* what the evidence alone says */
			ui_putf(d, ui_doc_add(d, NULL), ROLE_DIM, "      evidence alone: %s %s",
				box(s->state), state_words(s->state));
		if (s->evidence != NULL && s->state != STEP_NOT_APPLICABLE)
			indented(d, ROLE_DIM, s->evidence);
		notes(d, ticks_find(c->ticks, s->title), "      ");
		if (s->action != NULL && o != TICK_BY_HAND &&
		    (s->state == STEP_FAILED || s->state == STEP_PENDING))
			action_lines(d, i, s, s->state == STEP_FAILED ? ROLE_WARNING :
				     ROLE_NORMAL);
	}
}

/* Parses "step:I" or "step:I:copy:K" (*k = -1 for the former). */
static const struct checklist_step *parse(const struct checklist *cl,
					  const char *key, size_t *i, long *k)
{
	int n = 0;

	*k = -1;
	if (cl == NULL || key == NULL || sscanf(key, "step:%zu%n", i, &n) != 1 ||
	    *i >= cl->n_steps)
		return NULL;
	if (key[n] == ':' && (sscanf(key + n, ":copy:%ld", k) != 1 || *k < 0 ||
			      (size_t)*k >= cl->steps[*i].n_copy))
		return NULL;
	return &cl->steps[*i];
}

static void detail(const struct pane_ctx *c, const char *key, struct ui_doc *d)
{
	const struct checklist_step *s;
	const struct tick_step *t;
	size_t i;
	long k;

	if ((s = parse(c->checklist, key, &i, &k)) == NULL) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "nothing selected");
		return;
	}
	t = ticks_find(c->ticks, s->title);
	pane_detail_heading(d, "Step %zu: %s", i + 1, s->title);
	pane_detail_field(d, "evidence says", step_role(s->state), state_words(s->state));
	if (t != NULL && t->override != TICK_AUTO) {
		char hm[16], *v;

		clock_hm(t->at, hm);
		v = xasprintf("%s at %s (Space again: back to the evidence)",
			      t->override == TICK_BY_HAND ? "ticked by you" : "unticked by you", hm);
		pane_detail_field(d, "by hand", ROLE_WARNING, v);
		free(v);
	}
	pane_detail_heading(d, "Evidence");
	pane_detail_text(d, ROLE_NORMAL, s->evidence ? s->evidence : "-");
	pane_detail_heading(d, "What to do");
	pane_detail_text(d, ROLE_NORMAL, s->action ? s->action : "-");
	if (t != NULL && t->n_notes > 0) {
		pane_detail_heading(d, "Notes");
		notes(d, t, "  ");
	}
	if (s->n_copy > 0) {
		pane_detail_heading(d, "Copy (select, then c)");
		for (size_t j = 0; j < s->n_copy; j++) {
			char ck[64];
			struct ui_line *l;
			const char *nl = strchr(s->copy[j].text, '\n');

			snprintf(ck, sizeof(ck), "step:%zu:copy:%zu", i, j);
			l = ui_doc_add(d, ck);
			ui_putf(d, l, ROLE_DIM, "  %s: ", s->copy[j].label);
			if (nl != NULL)
				ui_put(d, l, ROLE_NORMAL, "as shown under What to do");
			else
				ui_put(d, l, ROLE_NORMAL, s->copy[j].text);
		}
	}
}

static char *copy(const struct pane_ctx *c, const char *key, char **label)
{
	const struct checklist_step *s;
	size_t i;
	long k;

	if ((s = parse(c->checklist, key, &i, &k)) == NULL)
		return NULL;
	if (k < 0 && s->n_copy > 0 && strcmp(s->copy[0].label, CHECKLIST_COPY_FIX) == 0)
		k = 0;	/* the step itself: its fix */
	if (k >= 0) {
		*label = xstrdup(s->copy[k].label);
		return xstrdup(s->copy[k].text);
	}
	if (s->action != NULL) {
		*label = xasprintf("step %zu's action", i + 1);
		return xstrdup(s->action);
	}
	if (s->evidence != NULL) {
		*label = xasprintf("step %zu's evidence", i + 1);
		return xstrdup(s->evidence);
	}
	return NULL;
}

const struct pane_ops pane_checklist_ops = { "Checklist", build, detail, copy };
