/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * screen_fixture.c - included by console unit tests: a screen over one
 * snapshot, its diagnosis, checklist and event log, as the console holds
 * them. Include after evidence_builder.c.
 */
#include "ui_screen.h"

struct fixture {
	struct evidence *ev;
	struct diagnosis *diag;
	struct checklist *cl;
	struct event_log log;
	struct ui_screen s;
};

/* A W x H screen over @p ev (now owned by the fixture); not built yet, so
 * that the caller may add events first, then ui_screen_rebuild(). */
static struct fixture *fixture_new(struct evidence *ev, int w, int h)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->ev = ev;
	f->diag = diag_run(f->ev, EB_NOW);
	f->cl = diag_checklist(f->ev, f->diag, EB_NOW);
	ui_screen_init(&f->s, w, h, true);
	f->s.ctx = (struct pane_ctx){ .ev = f->ev, .diag = f->diag, .checklist = f->cl,
				      .events = &f->log, .now = EB_NOW };
	return f;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	ui_screen_free(&f->s);
	events_clear(&f->log);
	checklist_free(f->cl);
	diagnosis_free(f->diag);
	evidence_free(f->ev);
	free(f);
	return 0;
}
