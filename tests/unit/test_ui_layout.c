/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: where the console puts things on terminals of every size, and
 * what focus, zoom, selection and the detail view do with key actions. No
 * terminal: the layout is arithmetic and the panes render into buffers. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "ui_screen.h"
#include "evidence_builder.c"
#include "screen_fixture.c"

static bool overlap(const struct ui_rect *a, const struct ui_rect *b)
{
	if (a->h == 0 || b->h == 0)
		return false;
	return a->x < b->x + b->w && b->x < a->x + a->w &&
	       a->y < b->y + b->h && b->y < a->y + a->h;
}

static void assert_inside(const struct ui_rect *r, int w, int h)
{
	if (r->h == 0)
		return;
	assert_true(r->x >= 0 && r->y >= 0 && r->w > 0);
	assert_true(r->x + r->w <= w);
	assert_true(r->y + r->h <= h);
}

/* Every rectangle on screen, inside it and apart from each other. */
static void assert_sane(const struct ui_layout *l, int w, int h)
{
	const struct ui_rect *all[AREA_COUNT + 2];
	int n = 0;

	all[n++] = &l->status;
	all[n++] = &l->footer;
	for (int i = 0; i < AREA_COUNT; i++)
		all[n++] = &l->area[i];
	for (int i = 0; i < n; i++) {
		assert_inside(all[i], w, h);
		for (int j = i + 1; j < n; j++)
			assert_false(overlap(all[i], all[j]));
		if (l->sep_x >= 0 && all[i]->h > 0 && all[i] != &l->status &&
		    all[i] != &l->footer && all[i]->y >= l->area[AREA_CHAIN].y &&
		    all[i]->y < l->area[AREA_FINDINGS].y)
			assert_false(l->sep_x >= all[i]->x &&
				     l->sep_x < all[i]->x + all[i]->w);
	}
}

static void test_layout_80x24(void **state)
{
	struct ui_layout l;

	(void)state;
	ui_layout(80, 24, false, AREA_RESOLVERS, 0, &l);
	assert_false(l.too_small);
	assert_false(l.single);
	assert_sane(&l, 80, 24);
	/* All six areas at once, each with a title and at least 3 rows. */
	for (int i = 0; i < AREA_COUNT; i++) {
		assert_true(l.area[i].h >= 4);
		assert_true(l.area[i].w >= 30);
	}
	assert_int_equal(l.status.y, 0);
	assert_int_equal(l.footer.y, 23);
	/* Nothing wasted: the panes and strip fill rows 1..22. */
	assert_int_equal(l.area[AREA_FINDINGS].y + l.area[AREA_FINDINGS].h, 23);
	/*
	 * The resolvers grid spans the width (every probed column fits in
	 * compact cells) with its two header rows and four resolvers; the
	 * chain keeps room for root, TLD, zone, DS, two keys and an RRSIG.
	 */
	assert_int_equal(l.area[AREA_RESOLVERS].w, 80);
	assert_true(l.area[AREA_RESOLVERS].h >= 1 + 2 + 4);
	assert_true(l.area[AREA_CHAIN].h >= 1 + 7);
	assert_int_equal(l.area[AREA_CHAIN].w + 1 + l.area[AREA_CHECKLIST].w, 80);
	assert_int_equal(l.area[AREA_CHECKLIST].x, l.area[AREA_NS].x);
}

static void test_layout_200x60(void **state)
{
	struct ui_layout l;

	(void)state;
	ui_layout(200, 60, false, AREA_CHAIN, 0, &l);
	assert_false(l.single);
	assert_sane(&l, 200, 60);
	/* A big terminal gives the panes the room, the strip stays a strip. */
	assert_true(l.area[AREA_RESOLVERS].h >= 10);
	assert_true(l.area[AREA_CHAIN].h >= 30);
	assert_true(l.area[AREA_CHECKLIST].h >= 20);
	assert_true(l.area[AREA_NS].h >= 10);
	assert_true(l.area[AREA_FINDINGS].h <= 12);
	assert_int_equal(l.area[AREA_RESOLVERS].w, 200);
	assert_int_equal(l.area[AREA_FINDINGS].y + l.area[AREA_FINDINGS].h, 59);
}

/* The chain gets what its tree needs (at most half), the checklist the rest. */
static void test_layout_chain_need(void **state)
{
	struct ui_layout l;

	(void)state;
	ui_layout(140, 40, false, AREA_RESOLVERS, 46, &l);
	assert_sane(&l, 140, 40);
	assert_int_equal(l.area[AREA_CHAIN].w, 46);
	assert_int_equal(l.area[AREA_CHECKLIST].w, 140 - 46 - 1);
	assert_int_equal(l.area[AREA_NS].w, l.area[AREA_CHECKLIST].w);
	/* A wide tree never takes more than half from the fix. */
	ui_layout(140, 40, false, AREA_RESOLVERS, 120, &l);
	assert_int_equal(l.area[AREA_CHAIN].w, 70);
	assert_int_equal(l.area[AREA_CHECKLIST].w, 69);
	/* A narrow one keeps a usable minimum. */
	ui_layout(140, 40, false, AREA_RESOLVERS, 5, &l);
	assert_int_equal(l.area[AREA_CHAIN].w, UI_GRID_MIN_W / 2);
}

static void test_layout_small_single(void **state)
{
	static const int sizes[][2] = { { 59, 24 }, { 80, 19 }, { 20, 4 }, { 40, 10 } };
	struct ui_layout l;

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		int w = sizes[i][0], h = sizes[i][1];

		ui_layout(w, h, false, AREA_NS, 0, &l);
		assert_false(l.too_small);
		assert_true(l.single);
		assert_sane(&l, w, h);
		/* Only the focused pane, in the whole body. */
		for (int a = 0; a < AREA_COUNT; a++)
			assert_int_equal(l.area[a].h > 0, a == AREA_NS);
		assert_int_equal(l.area[AREA_NS].h, h - 2);
		assert_int_equal(l.area[AREA_NS].w, w);
	}
}

static void test_layout_too_small(void **state)
{
	static const int sizes[][2] = { { 19, 24 }, { 80, 3 }, { 1, 1 }, { 0, 0 }, { 10, 2 } };
	struct ui_layout l;

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		ui_layout(sizes[i][0], sizes[i][1], false, AREA_RESOLVERS, 0, &l);
		assert_true(l.too_small);
		for (int a = 0; a < AREA_COUNT; a++)
			assert_int_equal(l.area[a].h, 0);
		assert_inside(&l.status, sizes[i][0], sizes[i][1]);
	}
}

static void test_layout_zoom(void **state)
{
	struct ui_layout l;

	(void)state;
	ui_layout(200, 60, true, AREA_CHECKLIST, 0, &l);
	assert_true(l.single);
	assert_int_equal(l.area[AREA_CHECKLIST].h, 58);
	assert_int_equal(l.area[AREA_CHECKLIST].w, 200);
	assert_int_equal(l.area[AREA_RESOLVERS].h, 0);
	/* A bad focus value falls back to a real pane rather than crashing. */
	ui_layout(80, 24, true, (enum ui_area)99, 0, &l);
	assert_int_equal(l.area[AREA_RESOLVERS].h, 22);
}

static int setup(void **state)
{
	struct evidence *ev = eb_healthy();
	struct fixture *f;

	eb_validators_servfail(ev, 9);
	f = fixture_new(ev, 80, 24);
	ui_screen_rebuild(&f->s);
	*state = f;
	return 0;
}

static void test_focus_keys(void **state)
{
	struct fixture *f = *state;
	struct ui_screen *s = &f->s;

	assert_int_equal(s->focus, AREA_RESOLVERS);
	for (int i = 1; i <= AREA_COUNT; i++) {
		assert_true(ui_screen_action(s, ACT_NEXT_PANE) & UI_REDRAW);
		assert_int_equal(s->focus, i % AREA_COUNT);
	}
	ui_screen_action(s, ACT_PREV_PANE);
	assert_int_equal(s->focus, AREA_EVENTS);
	ui_screen_action(s, ACT_PANE_3);
	assert_int_equal(s->focus, AREA_NS);
	ui_screen_action(s, ACT_PANE_2);
	assert_int_equal(s->focus, AREA_CHAIN);
	assert_int_equal(ui_screen_action(s, ACT_QUIT) & UI_QUIT, UI_QUIT);
	assert_true(ui_screen_action(s, ACT_REFRESH) & UI_REFRESH);
	assert_true(ui_screen_action(s, ACT_PAUSE) & UI_PAUSE);
	assert_true(ui_screen_action(s, ACT_THEME) & UI_THEME);
}

static void test_zoom_and_back(void **state)
{
	struct fixture *f = *state;
	struct ui_screen *s = &f->s;

	ui_screen_action(s, ACT_PANE_4);
	ui_screen_action(s, ACT_ZOOM);
	assert_true(s->layout.single);
	assert_int_equal(s->layout.area[AREA_CHECKLIST].h, 22);
	ui_screen_action(s, ACT_BACK);
	assert_false(s->layout.single);
	assert_int_equal(s->focus, AREA_CHECKLIST);
}

static void test_selection_and_detail(void **state)
{
	struct fixture *f = *state;
	struct ui_screen *s = &f->s;
	struct ui_pane *p = &s->pane[AREA_RESOLVERS];
	char *text;

	/* The first selectable row is the first resolver (the header is not). */
	assert_non_null(p->sel_key);
	assert_string_equal(p->sel_key, "res:127.0.3.1#53");
	ui_screen_action(s, ACT_DOWN);
	assert_string_equal(p->sel_key, "res:127.0.3.2#53");
	ui_screen_action(s, ACT_DOWN);	/* stops at the last row */
	assert_string_equal(p->sel_key, "res:127.0.3.2#53");
	ui_screen_action(s, ACT_TOP);
	assert_string_equal(p->sel_key, "res:127.0.3.1#53");
	ui_screen_action(s, ACT_DOWN);

	/* A refresh that reorders resolvers keeps the same one selected. */
	{
		struct resolver_ev tmp = f->ev->resolvers[0];

		f->ev->resolvers[0] = f->ev->resolvers[1];
		f->ev->resolvers[1] = tmp;
	}
	ui_screen_rebuild(s);
	assert_string_equal(p->sel_key, "res:127.0.3.2#53");
	assert_int_equal(p->sel, ui_doc_find(&p->doc, "res:127.0.3.2#53"));

	/* Enter: the detail of Beta, with the EDE and the CD=1 reading. */
	ui_screen_action(s, ACT_ENTER);
	assert_true(s->detail);
	assert_string_equal(s->detail_key, "res:127.0.3.2#53");
	text = ui_line_text(&s->detail_view.doc.lines[0]);
	assert_string_equal(text, "Resolver Beta");
	free(text);
	{
		bool ede = false, cd = false;

		for (size_t i = 0; i < s->detail_view.doc.n_lines; i++) {
			text = ui_line_text(&s->detail_view.doc.lines[i]);
			ede |= strstr(text, "EDE 9 DNSKEY Missing: validation failure") != NULL;
			cd |= strstr(text, "CD=1: NOERROR") != NULL;
			free(text);
		}
		assert_true(ede);
		assert_true(cd);
	}
	ui_screen_action(s, ACT_BACK);
	assert_false(s->detail);
	/* Help opens, and any key closes it without acting. */
	ui_screen_action(s, ACT_HELP);
	assert_true(s->help);
	ui_screen_action(s, ACT_NEXT_PANE);
	assert_false(s->help);
	assert_int_equal(s->focus, AREA_RESOLVERS);
	/* On 80x24 the help is longer than its box: arrows and pages scroll
	 * it (to the legend at the end, no further), other keys close it. */
	{
		size_t n;
		long rows;

		ui_keys_help(&n);
		rows = (long)(24 - 4 - 2);
		assert_true((long)n > rows);
		ui_screen_action(s, ACT_HELP);
		assert_int_equal(s->help_top, 0);
		ui_screen_action(s, ACT_UP);
		assert_int_equal(s->help_top, 0);
		ui_screen_action(s, ACT_DOWN);
		assert_true(s->help);
		assert_int_equal(s->help_top, 1);
		ui_screen_action(s, ACT_PAGE_DOWN);
		assert_int_equal(s->help_top, 1 + rows - 1 < (long)n - rows ?
				 1 + rows - 1 : (long)n - rows);
		for (int i = 0; i < 5; i++)
			ui_screen_action(s, ACT_PAGE_DOWN);
		assert_int_equal(s->help_top, (long)n - rows);
		ui_screen_action(s, ACT_PAGE_UP);
		assert_int_equal(s->help_top, (long)n - rows - (rows - 1) > 0 ?
				 (long)n - rows - (rows - 1) : 0);
		assert_int_equal(s->focus, AREA_RESOLVERS);
		ui_screen_action(s, ACT_ZOOM);
		assert_false(s->help);
		assert_false(s->zoom);
		/* Reopened, it starts at the top; on a tall terminal nothing moves. */
		ui_screen_action(s, ACT_HELP);
		assert_int_equal(s->help_top, 0);
		ui_screen_resize(s, 120, 60);
		ui_screen_action(s, ACT_PAGE_DOWN);
		assert_int_equal(s->help_top, 0);
		ui_screen_action(s, ACT_BACK);
		assert_false(s->help);
	}
}

/* In the detail view, Down walks the copyable lines once they are in
 * view and scrolls the text otherwise; the selection survives a rebuild. */
static void test_detail_copy_selection(void **state)
{
	struct fixture *f = *state;
	struct ui_screen *s = &f->s;
	long rows;
	int i;

	ui_screen_action(s, ACT_PANE_4);
	for (i = 0; i < 20 && (s->pane[AREA_CHECKLIST].sel_key == NULL ||
			       strcmp(s->pane[AREA_CHECKLIST].sel_key, "step:3") != 0); i++)
		ui_screen_action(s, ACT_DOWN);
	assert_string_equal(s->pane[AREA_CHECKLIST].sel_key, "step:3");
	ui_screen_action(s, ACT_ENTER);
	assert_true(s->detail);
	assert_int_equal(s->detail_view.sel, -1);	/* reading first */
	assert_int_equal(s->detail_view.top, 0);
	rows = s->layout.body.h - 1;
	assert_true(ui_doc_find(&s->detail_view.doc, "step:3:copy:1") >= rows);
	/* Down scrolls until the first copy line shows, then selects it. */
	for (i = 0; i < 200 && s->detail_view.sel < 0; i++) {
		long top = s->detail_view.top;

		ui_screen_action(s, ACT_DOWN);
		assert_true(s->detail_view.sel >= 0 || s->detail_view.top == top + 1);
	}
	assert_non_null(s->detail_view.sel_key);
	assert_int_equal(strncmp(s->detail_view.sel_key, "step:3:copy:", 12), 0);
	assert_true(s->detail_view.sel >= s->detail_view.top &&
		    s->detail_view.sel < s->detail_view.top + rows);
	assert_string_equal(s->detail_view.sel_key, "step:3:copy:0");
	/* The next one, never skipping one (scrolling as needed). */
	for (i = 0; i < 20 && strcmp(s->detail_view.sel_key, "step:3:copy:0") == 0; i++)
		ui_screen_action(s, ACT_DOWN);
	assert_string_equal(s->detail_view.sel_key, "step:3:copy:1");
	/* A refresh rebuilds the detail: the same line stays selected. */
	ui_screen_rebuild(s);
	assert_string_equal(s->detail_view.sel_key, "step:3:copy:1");
	assert_int_equal(s->detail_view.sel, ui_doc_find(&s->detail_view.doc, "step:3:copy:1"));
	ui_screen_action(s, ACT_BACK);
	assert_false(s->detail);
	ui_screen_action(s, ACT_ENTER);
	assert_null(s->detail_view.sel_key);	/* a new detail starts unselected */
	ui_screen_action(s, ACT_BACK);
}

/* A runbook view takes the checklist's place, and gives it back. */
static void test_runbook_swaps_checklist(void **state)
{
	struct fixture *f = *state;
	struct ui_screen *s = &f->s;
	struct runbook_view v = { .kind = RUNBOOK_ZSK_ROLLOVER };

	assert_ptr_equal(s->pane[AREA_CHECKLIST].ops, &pane_checklist_ops);
	s->ctx.runbook = &v;
	ui_screen_rebuild(s);
	assert_ptr_equal(s->pane[AREA_CHECKLIST].ops, &pane_runbook_ops);
	assert_string_equal(s->pane[AREA_CHECKLIST].ops->name, "Runbook");
	s->ctx.runbook = NULL;
	ui_screen_rebuild(s);
	assert_ptr_equal(s->pane[AREA_CHECKLIST].ops, &pane_checklist_ops);
}

static void test_resize_keeps_state(void **state)
{
	struct fixture *f = *state;
	struct ui_screen *s = &f->s;

	ui_screen_action(s, ACT_PANE_2);
	ui_screen_resize(s, 10, 3);
	ui_screen_rebuild(s);
	assert_true(s->layout.too_small);
	ui_screen_resize(s, 50, 20);
	ui_screen_rebuild(s);
	assert_true(s->layout.single);
	assert_int_equal(s->layout.area[AREA_CHAIN].h, 18);
	ui_screen_resize(s, 120, 40);
	ui_screen_rebuild(s);
	assert_false(s->layout.single);
	assert_int_equal(s->focus, AREA_CHAIN);
}

static void test_mouse(void **state)
{
	struct fixture *f = *state;
	struct ui_screen *s = &f->s;
	const struct ui_rect *ns = &s->layout.area[AREA_NS];
	const struct ui_rect *res = &s->layout.area[AREA_RESOLVERS];

	/* A click in a pane focuses it. */
	assert_true(ui_screen_click(s, ns->y + 1, ns->x + 2, false) & UI_REDRAW);
	assert_int_equal(s->focus, AREA_NS);
	/* A click on a row selects it (row 0 is the header, 1 Alpha, 2 Beta). */
	ui_screen_click(s, res->y + 3, res->x + 1, false);
	assert_int_equal(s->focus, AREA_RESOLVERS);
	assert_string_equal(s->pane[AREA_RESOLVERS].sel_key, "res:127.0.3.2#53");
	/* The header row is not selectable: the selection stays. */
	ui_screen_click(s, res->y + 1, res->x + 1, false);
	assert_string_equal(s->pane[AREA_RESOLVERS].sel_key, "res:127.0.3.2#53");
	/* A double click opens the detail; clicks then do nothing. */
	ui_screen_click(s, res->y + 2, res->x + 1, true);
	assert_true(s->detail);
	assert_string_equal(s->detail_key, "res:127.0.3.1#53");
	assert_int_equal(ui_screen_click(s, ns->y + 1, ns->x + 1, false), 0);
	/* Nowhere (the status line): nothing. */
	s->detail = false;
	assert_int_equal(ui_screen_click(s, 0, 5, false), 0);
	assert_true(ui_screen_wheel(s, res->y + 1, res->x + 1, 3) & UI_REDRAW);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_80x24),
		cmocka_unit_test(test_layout_200x60),
		cmocka_unit_test(test_layout_chain_need),
		cmocka_unit_test(test_layout_small_single),
		cmocka_unit_test(test_layout_too_small),
		cmocka_unit_test(test_layout_zoom),
		cmocka_unit_test_setup_teardown(test_focus_keys, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zoom_and_back, setup, teardown),
		cmocka_unit_test_setup_teardown(test_selection_and_detail, setup, teardown),
		cmocka_unit_test_setup_teardown(test_resize_keeps_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_detail_copy_selection, setup, teardown),
		cmocka_unit_test_setup_teardown(test_runbook_swaps_checklist, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mouse, setup, teardown),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
