/*
 * pane_checklist.c - the emergency runbook, ticked from evidence.
 *
 * Each step shows its state as a box with a mark ([x] done, [!] this is
 * where it breaks, [ ] not known yet, [-] does not apply) and, where the
 * evidence says what to do, the action right under it. Pure: no curses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* Each line of @p text, indented under its step. */
static void indented(struct ui_doc *d, enum role r, const char *lead,
		     const char *text)
{
	const char *p = text;
	bool first = true;

	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		struct ui_line *l = ui_doc_add(d, NULL);
		char *one = xstrndup(p, len);

		ui_put(d, l, ROLE_DIM, first ? lead : "      ");
		ui_put(d, l, r, one);
		free(one);
		first = false;
		if (nl == NULL)
			break;
		p = nl + 1;
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
		char key[32];
		struct ui_line *l;

		snprintf(key, sizeof(key), "step:%zu", i);
		l = ui_doc_add(d, key);
		ui_put(d, l, step_role(s->state), box(s->state));
		ui_putf(d, l, s->state == STEP_FAILED ? ROLE_BOGUS : ROLE_NORMAL,
			" %zu. %s", i + 1, s->title);
		if (s->evidence != NULL && s->state != STEP_NOT_APPLICABLE)
			indented(d, ROLE_DIM, "      ", s->evidence);
		if (s->action != NULL &&
		    (s->state == STEP_FAILED || s->state == STEP_PENDING))
			indented(d, s->state == STEP_FAILED ? ROLE_WARNING : ROLE_NORMAL,
				 "    > ", s->action);
	}
}

static void detail(const struct pane_ctx *c, const char *key, struct ui_doc *d)
{
	const struct checklist *cl = c->checklist;
	size_t i;

	if (cl == NULL || key == NULL || sscanf(key, "step:%zu", &i) != 1 ||
	    i >= cl->n_steps) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "nothing selected");
		return;
	}
	pane_detail_heading(d, "Step %zu: %s", i + 1, cl->steps[i].title);
	pane_detail_field(d, "state", step_role(cl->steps[i].state),
			  cl->steps[i].state == STEP_DONE ? "done (ticked by evidence)" :
			  cl->steps[i].state == STEP_FAILED ? "FAILED: the chain breaks here" :
			  cl->steps[i].state == STEP_NOT_APPLICABLE ? "does not apply" :
			  "not known yet");
	pane_detail_heading(d, "Evidence");
	pane_detail_text(d, ROLE_NORMAL, cl->steps[i].evidence ? cl->steps[i].evidence : "-");
	pane_detail_heading(d, "What to do");
	pane_detail_text(d, ROLE_NORMAL, cl->steps[i].action ? cl->steps[i].action : "-");
}

const struct pane_ops pane_checklist_ops = { "Checklist", build, detail };
