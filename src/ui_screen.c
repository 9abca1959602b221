/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ui_screen.c - layout arithmetic, focus, selection, scrolling, overlays,
 * and drawing the panes' docs on the terminal.
 *
 * The panes produce docs; this file decides where each one goes and which
 * part of it is visible, and is the only place that blits text to curses
 * (with ui.c, which owns init and the loop). It never reads evidence
 * itself: all it knows about a row is its stable key. Selections are held
 * by key, so a refresh that reorders or adds rows leaves the user where
 * they were (htop Table, tmux window modes).
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "ui_screen.h"
#include "xmalloc.h"

static const struct pane_ops *const area_ops[AREA_COUNT] = {
	[AREA_RESOLVERS] = &pane_resolvers_ops, [AREA_CHAIN] = &pane_chain_ops,
	[AREA_NS] = &pane_ns_ops, [AREA_CHECKLIST] = &pane_checklist_ops,
	[AREA_FINDINGS] = &pane_findings_ops, [AREA_EVENTS] = &pane_events_ops,
};

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void ui_layout(int w, int h, bool zoom, enum ui_area focus, int chain_need,
	       struct ui_layout *o)
{
	int bh, sh, gh, rh, mid, nh, lw, sw;

	memset(o, 0, sizeof(*o));
	o->sep_x = -1;
	o->strip_sep_x = -1;
	if ((unsigned)focus >= AREA_COUNT)
		focus = AREA_RESOLVERS;
	if (w < UI_MIN_W || h < UI_MIN_H) {
		o->too_small = true;
		if (w > 0 && h > 0)
			o->status = (struct ui_rect){ 0, 0, 1, w };
		return;
	}
	o->status = (struct ui_rect){ 0, 0, 1, w };
	o->footer = (struct ui_rect){ h - 1, 0, 1, w };
	o->body = (struct ui_rect){ 1, 0, h - 2, w };
	if (zoom || w < UI_GRID_MIN_W || h < UI_GRID_MIN_H) {
		o->single = true;
		o->area[focus] = o->body;
		return;
	}
	bh = h - 2;
	/* The strip (findings, events) takes a fifth, 4 to 12 rows. */
	sh = clamp(bh / 5, 4, 12);
	gh = bh - sh;
	/*
	 * The resolvers grid has one column per probed name: it gets the full
	 * width (title, two header rows and a few resolvers), the rest shares
	 * what is below it.
	 */
	rh = clamp(gh / 3, 7, 10);
	if (gh - rh < 8)
		rh = gh - 8 > 3 ? gh - 8 : 3;
	mid = gh - rh;
	/* Nameservers: a third of the right column, under the checklist. */
	nh = clamp(mid / 3, 4, 12);
	if (mid - nh < 2)
		nh = mid / 2;
	/*
	 * The chain gets the width its tree needs, at most half: the
	 * checklist (the fix) and the nameservers' table take the rest. Not
	 * known yet: half, the chain taking the odd column.
	 */
	lw = chain_need > 0 ? clamp(chain_need, UI_GRID_MIN_W / 2, w / 2) : w / 2;
	o->sep_x = lw;
	o->area[AREA_RESOLVERS] = (struct ui_rect){ 1, 0, rh, w };
	o->area[AREA_CHAIN] = (struct ui_rect){ 1 + rh, 0, mid, lw };
	o->area[AREA_CHECKLIST] = (struct ui_rect){ 1 + rh, lw + 1, mid - nh, w - lw - 1 };
	o->area[AREA_NS] = (struct ui_rect){ 1 + rh + mid - nh, lw + 1, nh, w - lw - 1 };
	/* Findings need the width more than the event log does. */
	sw = w * 3 / 5;
	o->strip_sep_x = sw;
	o->area[AREA_FINDINGS] = (struct ui_rect){ 1 + gh, 0, sh, sw };
	o->area[AREA_EVENTS] = (struct ui_rect){ 1 + gh, sw + 1, sh, w - sw - 1 };
}

void ui_screen_init(struct ui_screen *s, int w, int h, bool utf8)
{
	memset(s, 0, sizeof(*s));
	s->utf8 = utf8;
	s->focus = AREA_RESOLVERS;
	s->match_line = -1;
	for (int i = 0; i < AREA_COUNT; i++) {
		s->pane[i].ops = area_ops[i];
		s->pane[i].doc.utf8 = utf8;
		s->pane[i].sel = -1;
	}
	s->detail_view.doc.utf8 = utf8;
	ui_screen_resize(s, w, h);
}

void ui_screen_free(struct ui_screen *s)
{
	for (int i = 0; i < AREA_COUNT; i++) {
		ui_doc_clear(&s->pane[i].doc);
		free(s->pane[i].sel_key);
	}
	ui_doc_clear(&s->detail_view.doc);
	free(s->detail_view.sel_key);
	free(s->detail_key);
	free(s->search);
	memset(s, 0, sizeof(*s));
}

static void relayout(struct ui_screen *s)
{
	ui_layout(s->w, s->h, s->zoom, s->focus, s->chain_need, &s->layout);
}

void ui_screen_resize(struct ui_screen *s, int w, int h)
{
	s->w = w;
	s->h = h;
	relayout(s);
}

/* Rows of content an area shows (its title row excluded). */
static long content_rows(const struct ui_screen *s, enum ui_area a)
{
	long h = s->layout.area[a].h;

	return h > 1 ? h - 1 : 0;
}

static void clamp_top(struct ui_pane *p, long rows)
{
	long max = (long)p->doc.n_lines - rows;

	if (max < 0)
		max = 0;
	if (p->top > max)
		p->top = max;
	if (p->top < 0)
		p->top = 0;
}

static void keep_visible(struct ui_pane *p, long rows)
{
	if (p->sel >= 0 && rows > 0) {
		long end = p->sel + 1;

		if (p->sel < p->top)
			p->top = p->sel;
		else if (p->sel >= p->top + rows)
			p->top = p->sel - rows + 1;
		/* The lines under the selected row (a step's fix, its notes)
		 * come into view too, as far as the row itself stays. */
		while (end < (long)p->doc.n_lines && p->doc.lines[end].key == NULL)
			end++;
		if (end > p->top + rows)
			p->top = end - rows < p->sel ? end - rows : p->sel;
	}
	clamp_top(p, rows);
}

static void select_line(struct ui_pane *p, long i)
{
	p->sel = i;
	free(p->sel_key);
	p->sel_key = i >= 0 ? xstrdup(p->doc.lines[i].key) : NULL;
}

/* The selectable line nearest to @p from (forward first), or -1. */
static long nearest_selectable(const struct ui_doc *d, long from)
{
	if (d->n_lines == 0)
		return -1;
	if (from >= (long)d->n_lines)
		from = (long)d->n_lines - 1;
	if (from < 0)
		from = 0;
	for (long i = from; i < (long)d->n_lines; i++)
		if (d->lines[i].key != NULL)
			return i;
	for (long i = from; i >= 0; i--)
		if (d->lines[i].key != NULL)
			return i;
	return -1;
}

static void build_detail(struct ui_screen *s)
{
	const struct pane_ops *ops = s->pane[s->detail_area].ops;
	struct ui_pane *p = &s->detail_view;

	ui_doc_clear(&p->doc);
	s->ctx.width = s->layout.body.w;
	ops->detail(&s->ctx, s->detail_key, &p->doc);
	ui_doc_wrap(&p->doc, s->layout.body.w);
	clamp_top(p, s->layout.body.h - 1);
	/* A copy item the user selected stays selected across refreshes. */
	p->sel = ui_doc_find(&p->doc, p->sel_key);
	if (p->sel < 0) {
		free(p->sel_key);
		p->sel_key = NULL;
	}
}

static int doc_width(const struct ui_doc *d);
static void focus_area(struct ui_screen *s, enum ui_area a);

/* Does line @p i of @p d hold @p q (as drawn, ASCII case ignored)? */
static bool line_matches(const struct ui_doc *d, long i, const char *q)
{
	char *t = ui_line_text(&d->lines[i]);
	bool hit = ui_text_find(t, q, 0) >= 0;

	free(t);
	return hit;
}

unsigned ui_screen_search(struct ui_screen *s, const char *q, int dir)
{
	long total = 0, pos, line;
	unsigned found = 0;
	enum ui_area a;

	if (q == NULL || q[0] == '\0')
		return 0;
	/* Kept for drawing: every occurrence on screen is marked. */
	if (s->search == NULL || strcmp(s->search, q) != 0) {
		free(s->search);
		s->search = xstrdup(q);
	}
	for (int i = 0; i < AREA_COUNT; i++) {
		total += (long)s->pane[i].doc.n_lines;
		for (long j = 0; j < (long)s->pane[i].doc.n_lines; j++)
			found += line_matches(&s->pane[i].doc, j, q);
	}
	if (found == 0)
		return 0;
	/* From the last match if it is in the focused pane, else the selection. */
	a = s->focus;
	line = s->match_area == a && s->match_line >= 0 ? s->match_line :
		s->pane[a].sel >= 0 ? s->pane[a].sel : s->pane[a].top - dir;
	for (pos = 0; pos <= total; pos++) {
		line += dir;
		while (line < 0 || line >= (long)s->pane[a].doc.n_lines) {
			a = (enum ui_area)((a + (dir > 0 ? 1 : AREA_COUNT - 1)) % AREA_COUNT);
			line = dir > 0 ? 0 : (long)s->pane[a].doc.n_lines - 1;
		}
		if (line_matches(&s->pane[a].doc, line, q))
			break;
	}
	s->detail = false;
	s->help = false;
	if (a != s->focus) {
		long nth = 0;

		/* Focus may change the layout: find the same match again. */
		for (long j = 0; j < line; j++)
			nth += line_matches(&s->pane[a].doc, j, q);
		focus_area(s, a);
		for (line = 0; line < (long)s->pane[a].doc.n_lines; line++)
			if (line_matches(&s->pane[a].doc, line, q) && nth-- == 0)
				break;
		if (line >= (long)s->pane[a].doc.n_lines)
			line = 0;
	}
	{
		struct ui_pane *p = &s->pane[a];
		long rows = content_rows(s, a), k = line;

		/* The row the match belongs to is selected; the match is shown. */
		while (k >= 0 && p->doc.lines[k].key == NULL)
			k--;
		if (k >= 0)
			select_line(p, k);
		p->top = line - rows / 3 > (k >= 0 ? k : 0) ? line - rows / 3 : (k >= 0 ? k : line);
		if (line >= p->top + rows)
			p->top = line - rows + 1;
		clamp_top(p, rows);
	}
	s->match_area = a;
	s->match_line = line;
	return found;
}


/* The width the chain's tree needs, for the layout; relayout if it moved. */
static void measure_chain(struct ui_screen *s)
{
	struct ui_doc d = { .utf8 = s->utf8 };
	int need;

	s->ctx.width = s->w;
	pane_chain_ops.build(&s->ctx, &d);
	need = doc_width(&d);
	ui_doc_clear(&d);
	if (need != s->chain_need) {
		s->chain_need = need;
		relayout(s);
	}
}

void ui_screen_rebuild(struct ui_screen *s)
{
	/* A planned-change runbook takes the checklist's place. */
	s->pane[AREA_CHECKLIST].ops = s->ctx.runbook != NULL ? &pane_runbook_ops :
		&pane_checklist_ops;
	measure_chain(s);
	for (int i = 0; i < AREA_COUNT; i++) {
		struct ui_pane *p = &s->pane[i];
		long idx;

		ui_doc_clear(&p->doc);
		s->ctx.width = s->layout.area[i].w > 0 ? s->layout.area[i].w : s->w;
		p->ops->build(&s->ctx, &p->doc);
		/* The checklist (the fix) is never cut: it folds instead. */
		if (i == AREA_CHECKLIST)
			ui_doc_wrap_hang(&p->doc, s->ctx.width, true);
		if (i == AREA_EVENTS && s->focus != AREA_EVENTS) {
			/* Unwatched, the log follows the newest event (at the top). */
			free(p->sel_key);
			p->sel_key = NULL;
			p->sel = 0;
			p->top = 0;
		}
		idx = ui_doc_find(&p->doc, p->sel_key);
		if (idx < 0)
			idx = nearest_selectable(&p->doc, p->sel < 0 ? 0 : p->sel);
		select_line(p, idx);
		keep_visible(p, content_rows(s, (enum ui_area)i));
	}
	if (s->detail)
		build_detail(s);
}

static void move_sel(struct ui_pane *p, long rows, int dir, long count)
{
	long i = p->sel;

	if (p->sel < 0) {	/* nothing to select: scroll */
		p->top += dir * count;
		clamp_top(p, rows);
		return;
	}
	while (count-- > 0) {
		long j = i + dir;

		while (j >= 0 && j < (long)p->doc.n_lines && p->doc.lines[j].key == NULL)
			j += dir;
		if (j < 0 || j >= (long)p->doc.n_lines)
			break;
		i = j;
	}
	select_line(p, i);
	keep_visible(p, rows);
	/* Show the lines that belong to the last row (details under it). */
	if (dir > 0 && i == nearest_selectable(&p->doc, (long)p->doc.n_lines - 1)) {
		p->top = (long)p->doc.n_lines - rows;
		keep_visible(p, rows);
	}
}

/*
 * Up/Down in the detail view: the selectable lines in view (copy items)
 * are stepped through one by one; past them the text scrolls, so a long
 * detail reads as before.
 */
static void detail_move(struct ui_pane *p, long rows, int dir)
{
	long j = p->sel >= 0 ? p->sel + dir : dir > 0 ? p->top : -1;

	while (j >= 0 && j < (long)p->doc.n_lines && p->doc.lines[j].key == NULL)
		j += dir;
	if (j >= p->top && j < p->top + rows && j < (long)p->doc.n_lines) {
		select_line(p, j);
		return;
	}
	p->top += dir;
	clamp_top(p, rows);
	if (p->sel >= 0 && (p->sel < p->top || p->sel >= p->top + rows))
		select_line(p, -1);	/* scrolled away: c copies the whole again */
}

static void focus_area(struct ui_screen *s, enum ui_area a)
{
	s->focus = a;
	s->detail = false;
	relayout(s);
	ui_screen_rebuild(s);
}

static void open_detail(struct ui_screen *s)
{
	struct ui_pane *p = &s->pane[s->focus];

	if (p->sel_key == NULL)
		return;
	free(s->detail_key);
	s->detail_key = xstrdup(p->sel_key);
	s->detail_area = s->focus;
	s->detail = true;
	s->detail_view.top = 0;
	s->detail_view.hscroll = 0;
	s->detail_view.sel = -1;
	free(s->detail_view.sel_key);
	s->detail_view.sel_key = NULL;
	build_detail(s);
}

static int doc_width(const struct ui_doc *d)
{
	int w = 0;

	for (size_t i = 0; i < d->n_lines; i++) {
		int lw = ui_line_width(&d->lines[i], d->utf8);

		if (lw > w)
			w = lw;
	}
	return w;
}

/* The help box: at most 72 x (lines + 2), inside a 2-cell margin. */
static void help_box(const struct ui_screen *s, int *w, int *h)
{
	size_t n;

	ui_keys_help(&n);
	*w = s->w - 4 < 72 ? s->w - 4 : 72;
	*h = (int)n + 2 < s->h - 4 ? (int)n + 2 : s->h - 4;
}

/* Help lines the box shows at once (its title and "more" rows excluded). */
static long help_rows(const struct ui_screen *s)
{
	int w, h;

	help_box(s, &w, &h);
	return h > 2 ? h - 2 : 0;
}

static void help_scroll(struct ui_screen *s, long by)
{
	size_t n;
	long max;

	ui_keys_help(&n);
	max = (long)n - help_rows(s);
	s->help_top += by;
	if (s->help_top > max)
		s->help_top = max;
	if (s->help_top < 0)
		s->help_top = 0;
}

unsigned ui_screen_action(struct ui_screen *s, enum ui_action a)
{
	struct ui_pane *p = s->detail ? &s->detail_view : &s->pane[s->focus];
	long rows = s->detail ? s->layout.body.h - 1 : content_rows(s, s->focus);
	int view_w = s->detail ? s->layout.body.w : s->layout.area[s->focus].w;

	if (a == ACT_QUIT)
		return UI_QUIT;
	if (s->help) {
		/* Arrows and pages scroll the help; any other key closes it. */
		switch (a) {
		case ACT_UP: case ACT_DOWN:
			help_scroll(s, a == ACT_UP ? -1 : 1);
			break;
		case ACT_PAGE_UP: case ACT_PAGE_DOWN: {
			long page = help_rows(s) > 1 ? help_rows(s) - 1 : 1;

			help_scroll(s, a == ACT_PAGE_UP ? -page : page);
			break;
		}
		default:
			s->help = false;
		}
		return UI_REDRAW;
	}
	switch (a) {
	case ACT_NONE:
	case ACT_QUIT:
	/* The incident record's keys: ui.c acts on them (replay, export). */
	case ACT_REPLAY_NEXT: case ACT_REPLAY_PREV: case ACT_REPLAY_FIRST:
	case ACT_REPLAY_LAST: case ACT_REPLAY_SPEED: case ACT_EXPORT:
	/* The runbook keys: ui.c too (ticks, notes, copy, runbooks). */
	case ACT_TICK: case ACT_NOTE: case ACT_COPY: case ACT_RUNBOOK:
	/* Search: ui.c reads the text, ui_screen_search() moves. */
	case ACT_SEARCH: case ACT_SEARCH_NEXT: case ACT_SEARCH_PREV:
		return 0;
	case ACT_HELP:
		s->help = true;
		s->help_top = 0;
		return UI_REDRAW;
	case ACT_NEXT_PANE:
	case ACT_PREV_PANE:
		focus_area(s, (enum ui_area)((s->focus + (a == ACT_NEXT_PANE ? 1 : AREA_COUNT - 1))
					     % AREA_COUNT));
		return UI_REDRAW;
	case ACT_PANE_1: case ACT_PANE_2: case ACT_PANE_3:
	case ACT_PANE_4: case ACT_PANE_5: case ACT_PANE_6:
		focus_area(s, (enum ui_area)(a - ACT_PANE_1));
		return UI_REDRAW;
	case ACT_ZOOM:
		s->zoom = !s->zoom;
		s->detail = false;
		relayout(s);
		ui_screen_rebuild(s);
		return UI_REDRAW;
	case ACT_UP:
	case ACT_DOWN:
		if (s->detail)
			detail_move(p, rows, a == ACT_UP ? -1 : 1);
		else
			move_sel(p, rows, a == ACT_UP ? -1 : 1, 1);
		return UI_REDRAW;
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
		if (s->detail) {	/* pages scroll; the selection stays put */
			p->top += (a == ACT_PAGE_UP ? -1 : 1) * (rows > 1 ? rows - 1 : 1);
			clamp_top(p, rows);
			return UI_REDRAW;
		}
		move_sel(p, rows, a == ACT_PAGE_UP ? -1 : 1, rows > 1 ? rows - 1 : 1);
		return UI_REDRAW;
	case ACT_TOP:
	case ACT_BOTTOM:
		move_sel(p, rows, a == ACT_TOP ? -1 : 1, (long)p->doc.n_lines + 1);
		return UI_REDRAW;
	case ACT_LEFT:
		p->hscroll = p->hscroll > 8 ? p->hscroll - 8 : 0;
		return UI_REDRAW;
	case ACT_RIGHT: {
		int max = doc_width(&p->doc) - view_w + 1;

		if (p->hscroll + 8 <= max)
			p->hscroll += 8;
		else if (max > p->hscroll)
			p->hscroll = max;
		return UI_REDRAW;
	}
	case ACT_ENTER:
		if (!s->detail)
			open_detail(s);
		return UI_REDRAW;
	case ACT_BACK:
		if (s->detail)
			s->detail = false;
		else if (s->zoom)
			return ui_screen_action(s, ACT_ZOOM);
		else {	/* nothing else to close: the search marks go (n brings them back) */
			free(s->search);
			s->search = NULL;
		}
		return UI_REDRAW;
	case ACT_REFRESH:
		return UI_REFRESH | UI_REDRAW;
	case ACT_PAUSE:
		return UI_PAUSE | UI_REDRAW;
	case ACT_THEME:
		return UI_THEME | UI_REDRAW;
	case ACT_REDRAW:
		clearok(curscr, TRUE);
		return UI_REDRAW;
	}
	return 0;
}

static bool inside(const struct ui_rect *r, int y, int x)
{
	return r->h > 0 && y >= r->y && y < r->y + r->h && x >= r->x && x < r->x + r->w;
}

unsigned ui_screen_click(struct ui_screen *s, int y, int x, bool open)
{
	if (s->help || s->detail || s->layout.too_small)
		return 0;
	for (int i = 0; i < AREA_COUNT; i++) {
		const struct ui_rect *r = &s->layout.area[i];
		struct ui_pane *p = &s->pane[i];
		long line;

		if (!inside(r, y, x))
			continue;
		if (s->focus != (enum ui_area)i)
			focus_area(s, (enum ui_area)i);
		line = p->top + (y - r->y - 1);
		if (y > r->y && line < (long)p->doc.n_lines && p->doc.lines[line].key != NULL)
			select_line(p, line);
		if (open)
			open_detail(s);
		return UI_REDRAW;
	}
	return 0;
}

unsigned ui_screen_wheel(struct ui_screen *s, int y, int x, int lines)
{
	if (s->help) {
		help_scroll(s, lines);
		return UI_REDRAW;
	}
	if (s->detail) {
		s->detail_view.top += lines;
		clamp_top(&s->detail_view, s->layout.body.h - 1);
		return UI_REDRAW;
	}
	for (int i = 0; i < AREA_COUNT; i++) {
		if (!inside(&s->layout.area[i], y, x))
			continue;
		s->pane[i].top += lines;
		clamp_top(&s->pane[i], content_rows(s, (enum ui_area)i));
		return UI_REDRAW;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Drawing                                                             */

/*
 * A segment's attribute on a row drawn with @p extra (the selection). A
 * search match keeps its own style on the selected row, so that it shows
 * where in the row the text is; reversed on a reversed bar it would
 * vanish, so there it is drawn un-reversed.
 */
static unsigned long seg_attr(enum role r, unsigned long extra, const unsigned long *attrs)
{
	unsigned long a = attrs[r];

	if (r != ROLE_MATCH)
		return a | extra;
	if ((extra & A_REVERSE) && (a & A_REVERSE))
		a &= ~(unsigned long)A_REVERSE;
	return a;
}

/*
 * Draws @p l at (y, x) in @p w cells, @p skip cells scrolled away, with
 * @p extra or'ed into every attribute (the selection). A line that does not
 * fit ends in a cut mark; a selected line is filled to the edge.
 */
static void draw_line(const struct ui_screen *s, int y, int x, int w,
		      const struct ui_line *l, int skip, unsigned long extra,
		      const unsigned long *attrs)
{
	int col = 0;
	bool cut = false;

	for (size_t i = 0; i < l->n_segs && !cut; i++) {
		const char *t = l->segs[i].text;
		int used;
		size_t n;

		if (skip > 0) {
			n = ui_text_fit(t, s->utf8, skip, &used);
			t += n;
			skip -= used;
			if (*t == '\0')
				continue;
			if (skip > 0) {	/* a wide character straddles the edge */
				n = ui_text_fit(t, s->utf8, 2, &used);
				t += n ? n : 1;
				skip = 0;
			}
		}
		n = ui_text_fit(t, s->utf8, w - col, &used);
		attrset((attr_t)seg_attr(l->segs[i].role, extra, attrs));
		if (n > 0)
			mvaddnstr(y, x + col, t, (int)n);
		col += used;
		cut = t[n] != '\0';
	}
	if (cut) {
		attrset((attr_t)(attrs[ROLE_DIM] | extra));
		mvaddstr(y, x + w - 1, ui_sym(s->utf8, SYM_CUT));
	} else if (extra != 0 && col < w) {
		attrset((attr_t)(attrs[ROLE_NORMAL] | extra));
		mvhline(y, x + col, ' ', w - col);
	}
	attrset(A_NORMAL);
}

/* A one-row bar: filled with @p role, then the doc line drawn over it. */
static void draw_bar(const struct ui_screen *s, int y, int x, int w,
		     const struct ui_line *l, enum role role,
		     const unsigned long *attrs)
{
	attrset((attr_t)attrs[role]);
	mvhline(y, x, ' ', w);
	draw_line(s, y, x, w, l, 0, 0, attrs);
}

static void draw_title(struct ui_screen *s, enum ui_area a, const struct ui_rect *r,
		       const unsigned long *attrs)
{
	struct ui_doc d = { .utf8 = s->utf8 };
	enum role role = a == s->focus ? ROLE_TITLE_FOCUS : ROLE_TITLE;
	struct ui_pane *p = &s->pane[a];
	struct ui_line *l = ui_doc_add(&d, NULL);
	long rows = content_rows(s, a);

	ui_putf(&d, l, role, " %d %s", (int)a + 1, p->ops->name);
	if (a == s->focus)
		ui_put(&d, l, role, " *");
	if ((long)p->doc.n_lines > rows && rows > 0)
		ui_putf(&d, l, role, "  %ld-%ld/%zu", p->top + 1,
			p->top + rows < (long)p->doc.n_lines ? p->top + rows :
			(long)p->doc.n_lines, p->doc.n_lines);
	if (p->hscroll > 0)
		ui_putf(&d, l, role, "  %s%d", ui_sym(s->utf8, SYM_ARROW), p->hscroll);
	draw_bar(s, r->y, r->x, r->w, l, role, attrs);
	ui_doc_clear(&d);
}

static void draw_doc(struct ui_screen *s, const struct ui_pane *p,
		     const struct ui_rect *r, bool focused,
		     const unsigned long *attrs)
{
	for (int row = 0; row < r->h - 1; row++) {
		long i = p->top + row;
		struct ui_doc marked = { .utf8 = s->utf8 };
		const struct ui_line *l;

		if (i >= (long)p->doc.n_lines)
			break;
		l = &p->doc.lines[i];
		/* The last search's text is marked wherever it shows. */
		if (s->search != NULL && ui_doc_add_marked(&marked, l, s->search, ROLE_MATCH) > 0)
			l = &marked.lines[0];
		draw_line(s, r->y + 1 + row, r->x, r->w, l, p->hscroll,
			  /* Attributes only: or-ing two colour pairs makes a third. */
			  focused && i == p->sel ? attrs[ROLE_SELECTED] & ~A_COLOR : 0, attrs);
		ui_doc_clear(&marked);
	}
}

static const char *verdict_badge(bool utf8, bool have, int v, enum role *role)
{
	if (!have) {
		*role = ROLE_BADGE_UNKNOWN;
		return "? WAITING";
	}
	switch ((enum verdict)v) {
	case VERDICT_SECURE:
		*role = ROLE_BADGE_SECURE;
		return utf8 ? "\u2714 SECURE" : "+ SECURE";
	case VERDICT_INSECURE:
		*role = ROLE_BADGE_INSECURE;
		return utf8 ? "\u25cb INSECURE" : "o INSECURE";
	case VERDICT_DEGRADED:
		*role = ROLE_BADGE_DEGRADED;
		return "! DEGRADED";
	case VERDICT_BOGUS:
		*role = ROLE_BADGE_BOGUS;
		return utf8 ? "\u2718 BOGUS" : "x BOGUS";
	case VERDICT_UNREACHABLE:
		*role = ROLE_BADGE_BOGUS;
		return utf8 ? "\u2718 UNREACHABLE" : "x UNREACHABLE";
	case VERDICT_VANTAGE:
		*role = ROLE_BADGE_UNKNOWN;
		return "? VANTAGE";
	}
	*role = ROLE_BADGE_UNKNOWN;
	return "?";
}

static void draw_status(struct ui_screen *s, const unsigned long *attrs, int64_t now)
{
	const struct ui_status *st = &s->status;
	struct ui_doc d = { .utf8 = s->utf8 };
	struct ui_line *l = ui_doc_add(&d, NULL);
	const char *bar = ui_sym(s->utf8, SYM_VBAR);
	enum role badge_role;
	const char *badge = verdict_badge(s->utf8, st->have_verdict, st->verdict, &badge_role);
	char buf[32];

	ui_put(&d, l, ROLE_STATUS, " ");
	ui_put(&d, l, ROLE_STATUS, st->zone ? st->zone : "?");
	ui_put(&d, l, ROLE_STATUS, " ");
	ui_putf(&d, l, badge_role, " %s ", badge);
	if (st->have_verdict && st->verdict_since > 0 && st->verdict_until >= st->verdict_since) {
		time_t t = (time_t)st->verdict_since;
		struct tm tm;
		char hm[16];

		if (localtime_r(&t, &tm) == NULL || strftime(hm, sizeof(hm), "%H:%M", &tm) == 0)
			strcpy(hm, "?");
		ui_putf(&d, l, ROLE_STATUS, " for %s (since %s)",
			pane_duration(st->verdict_until - st->verdict_since, buf, sizeof(buf)), hm);
	}
	/* In words: the zone was not judged, our own network is the news. */
	if (st->have_verdict && st->verdict == VERDICT_VANTAGE)
		ui_putf(&d, l, ROLE_WARNING, " the fault is on our side "
			"(see findings): the zone is not judged from here ");
	if (st->finished_at > 0 && st->replay == NULL) {
		time_t t = (time_t)st->finished_at;
		struct tm tm;

		if (localtime_r(&t, &tm) == NULL || strftime(buf, sizeof(buf), "%H:%M:%S", &tm) == 0)
			strcpy(buf, "?");
		/* Narrow: the age alone, so that LIVE and the since-when fit. */
		if (s->w < 100)
			ui_putf(&d, l, ROLE_STATUS, " %s %llds ago", bar,
				(long long)(now - st->finished_at));
		else
			ui_putf(&d, l, ROLE_STATUS, " %s at %s, %llds ago", bar, buf,
				(long long)(now - st->finished_at));
	}
	if (st->refreshing) {
		ui_putf(&d, l, ROLE_STATUS, " %s refreshing, %u queries in flight", bar,
			st->in_flight);
		if (st->waiting_on[0] != '\0') {	/* a silent server shows */
			ui_putf(&d, l, ROLE_WARNING, ", waiting %u s on ",
				st->waiting_ms / 1000);
			ui_put(&d, l, ROLE_WARNING, st->waiting_on);
		}
	}
	if (st->replay != NULL)	/* incident record: a replay, not LIVE */
		ui_putf(&d, l, ROLE_WARNING, " %s %s ", bar, st->replay);
	else if (st->paused)
		ui_putf(&d, l, ROLE_WARNING, " %s PAUSED", bar);
	else if (st->next_refresh_at > 0 && !st->refreshing)
		ui_putf(&d, l, ROLE_STATUS, " %s next in %llds %s LIVE ", bar,
			(long long)(st->next_refresh_at > now ? st->next_refresh_at - now : 0),
			bar);
	else
		ui_putf(&d, l, ROLE_STATUS, " %s LIVE ", bar);
	if (st->message != NULL) {
		ui_putf(&d, l, ROLE_STATUS, " %s ", bar);
		ui_put(&d, l, ROLE_WARNING, st->message);
	}
	draw_bar(s, 0, 0, s->w, l, ROLE_STATUS, attrs);
	ui_doc_clear(&d);
}

/*
 * The open one-line input: prompt, then the text with a block cursor,
 * scrolled so that the cursor stays in view.
 */
static void draw_input(struct ui_screen *s, const unsigned long *attrs)
{
	const char *in = s->status.input ? s->status.input : "";
	size_t cur = s->status.input_cur <= strlen(in) ? s->status.input_cur : strlen(in);
	struct ui_doc d = { .utf8 = s->utf8 };
	struct ui_line *l = ui_doc_add(&d, NULL);
	char *before = xstrndup(in, cur), *at, *view = before;
	size_t n;
	int room = s->w - ui_text_width(s->status.prompt, s->utf8) - 3;

	ui_put(&d, l, ROLE_KEY, s->status.prompt);
	/* Drop whole characters from the left until the cursor fits. */
	while (room > 0 && *view != '\0' && ui_text_width(view, s->utf8) > room) {
		view++;
		while ((*view & 0xc0) == 0x80)
			view++;
	}
	ui_put(&d, l, ROLE_NORMAL, view);
	n = in[cur] == '\0' ? 0 : 1;
	while (in[cur + n] != '\0' && (in[cur + n] & 0xc0) == 0x80)
		n++;
	at = n > 0 ? xstrndup(in + cur, n) : xstrdup(" ");
	ui_put(&d, l, ROLE_SELECTED, at);
	ui_put(&d, l, ROLE_NORMAL, in + cur + n);
	draw_bar(s, s->h - 1, 0, s->w, l, ROLE_FOOTER, attrs);
	free(at);
	free(before);
	ui_doc_clear(&d);
}

static void draw_footer(struct ui_screen *s, const unsigned long *attrs)
{
	/* The keys that matter most come first: a narrow terminal cuts the end. */
	static const char *const hints[][2] = {
		{ "q", "quit" }, { "?", "help" }, { "Tab/1-6", "pane" },
		{ "Enter", "detail" }, { "/", "search" }, { "z", "zoom" }, { "r", "refresh" },
		{ "p", "pause" }, { "t", "theme" },
	};
	/* On the checklist, its own keys come right after the essentials. */
	static const char *const checklist_hints[][2] = {
		{ "Space", "tick" }, { "a", "note" }, { "c", "copy" }, { "R", "runbook" },
	};
	struct ui_doc d = { .utf8 = s->utf8 };
	struct ui_line *l = ui_doc_add(&d, NULL);
	bool on_checklist = s->focus == AREA_CHECKLIST || s->detail;

	if (s->status.prompt != NULL) {
		ui_doc_clear(&d);
		draw_input(s, attrs);
		return;
	}
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		ui_put(&d, l, ROLE_KEY, hints[i][0]);
		ui_putf(&d, l, ROLE_FOOTER, " %s  ", hints[i][1]);
		/* hints[3] is Enter: the checklist's keys follow it */
		for (size_t j = 0; i == 3 && on_checklist && j < 4; j++) {
			if (j == 0 && s->ctx.runbook != NULL)
				continue;	/* a planned change has nothing to tick */
			if (j < 2 && s->detail && s->detail_area != AREA_CHECKLIST)
				continue;
			ui_put(&d, l, ROLE_KEY, checklist_hints[j][0]);
			ui_putf(&d, l, ROLE_FOOTER, " %s  ", checklist_hints[j][1]);
		}
	}
	if (s->status.theme != NULL)
		ui_putf(&d, l, ROLE_FOOTER, "(%s)", s->status.theme);
	draw_bar(s, s->h - 1, 0, s->w, l, ROLE_FOOTER, attrs);
	ui_doc_clear(&d);
}

static void draw_help(struct ui_screen *s, const unsigned long *attrs)
{
	size_t n;
	const struct ui_key_help *help = ui_keys_help(&n);
	int w, h, y0, x0;
	long rows = help_rows(s), top;
	struct ui_doc d = { .utf8 = s->utf8 };
	struct ui_line *l;

	help_box(s, &w, &h);
	if (w < 10 || h < 3)
		return;
	help_scroll(s, 0);	/* the terminal may have grown */
	top = s->help_top;
	y0 = (s->h - h) / 2;
	x0 = (s->w - w) / 2;
	/* A one-cell margin keeps the panes underneath from touching the box. */
	attrset((attr_t)attrs[ROLE_NORMAL]);
	for (int y = y0 - 1; y <= y0 + h; y++)
		if (y >= 1 && y < s->h - 1)
			mvhline(y, x0 > 0 ? x0 - 1 : 0, ' ', w + 2);
	attrset((attr_t)attrs[ROLE_DIM]);
	if (y0 + h < s->h - 1)
		for (int x = x0; x < x0 + w; x++)
			mvaddstr(y0 + h, x, s->utf8 ? "\u2500" : "-");
	l = ui_doc_add(&d, NULL);
	ui_putf(&d, l, ROLE_TITLE_FOCUS, " Keys (arrows scroll, other keys close)   theme: %s",
		s->status.theme ? s->status.theme : "default");
	if ((long)n > rows)
		ui_putf(&d, l, ROLE_TITLE_FOCUS, "   %ld-%ld/%zu", top + 1, top + rows, n);
	draw_bar(s, y0, x0, w, l, ROLE_TITLE_FOCUS, attrs);
	for (int i = 0; i < h - 1; i++) {
		attrset((attr_t)attrs[ROLE_NORMAL]);
		mvhline(y0 + 1 + i, x0, ' ', w);
	}
	for (long i = 0; i < rows && top + i < (long)n; i++) {
		char *keys = ui_sym_text(s->utf8, help[top + i].keys);
		char *what = ui_sym_text(s->utf8, help[top + i].what);

		l = ui_doc_add(&d, NULL);
		ui_put(&d, l, ROLE_NORMAL, " ");
		ui_put_col(&d, l, ROLE_KEY, keys, 20);
		ui_put(&d, l, ROLE_NORMAL, what);
		draw_line(s, y0 + 1 + (int)i, x0, w, l, 0, 0, attrs);
		free(keys);
		free(what);
	}
	/* The last row says whether there is more, and which way. */
	if ((long)n > rows) {
		bool below = top + rows < (long)n, above = top > 0;
		const char *dn = s->utf8 ? "\u25bc" : "v", *up = s->utf8 ? "\u25b2" : "^";

		l = ui_doc_add(&d, NULL);
		if (below && above)
			ui_putf(&d, l, ROLE_DIM, " %s%s more above and below: Up Down, PgUp PgDn",
				up, dn);
		else if (below)
			ui_putf(&d, l, ROLE_DIM, " %s more below: Down, PgDn", dn);
		else
			ui_putf(&d, l, ROLE_DIM, " %s more above: Up, PgUp", up);
		draw_line(s, y0 + h - 1, x0, w, l, 0, 0, attrs);
	}
	ui_doc_clear(&d);
}

static void draw_detail(struct ui_screen *s, const unsigned long *attrs)
{
	const struct ui_rect *r = &s->layout.body;
	struct ui_doc d = { .utf8 = s->utf8 };
	struct ui_line *l = ui_doc_add(&d, NULL);

	ui_putf(&d, l, ROLE_TITLE_FOCUS, " Detail: %s  (Esc back, arrows scroll, c copy)",
		s->pane[s->detail_area].ops->name);
	if ((long)s->detail_view.doc.n_lines > r->h - 1)
		ui_putf(&d, l, ROLE_TITLE_FOCUS, "  %ld/%zu", s->detail_view.top + 1,
			s->detail_view.doc.n_lines);
	draw_bar(s, r->y, r->x, r->w, l, ROLE_TITLE_FOCUS, attrs);
	ui_doc_clear(&d);
	draw_doc(s, &s->detail_view, r, s->detail_view.sel >= 0, attrs);
}

static void draw_too_small(struct ui_screen *s, const unsigned long *attrs)
{
	struct ui_doc d = { .utf8 = s->utf8 };
	struct ui_line *l = ui_doc_add(&d, NULL);
	char *msg = xasprintf("terminal too small (%dx%d, need %dx%d); q quits",
			      s->w, s->h, UI_MIN_W, UI_MIN_H);

	if (s->w > 0 && s->h > 0) {
		ui_put_col(&d, l, ROLE_TOO_SMALL, msg, s->w);
		draw_line(s, 0, 0, s->w, l, 0, 0, attrs);
	}
	free(msg);
	ui_doc_clear(&d);
}

void ui_screen_draw(struct ui_screen *s, const unsigned long *attrs, int64_t now)
{
	attrset(A_NORMAL);
	erase();
	if (s->layout.too_small) {
		draw_too_small(s, attrs);
		return;
	}
	draw_status(s, attrs, now);
	if (s->detail) {
		draw_detail(s, attrs);
	} else {
		for (int i = 0; i < AREA_COUNT; i++) {
			const struct ui_rect *r = &s->layout.area[i];

			if (r->h == 0)
				continue;
			draw_title(s, (enum ui_area)i, r, attrs);
			draw_doc(s, &s->pane[i], r, (enum ui_area)i == s->focus, attrs);
		}
		if (s->layout.sep_x >= 0) {
			/* Our own symbol, not ACS: the same on every terminal. */
			const char *bar = ui_sym(s->utf8, SYM_VBAR);
			const struct ui_rect *f = &s->layout.area[AREA_FINDINGS];

			attrset((attr_t)attrs[ROLE_DIM]);
			for (int y = s->layout.area[AREA_CHAIN].y; y < f->y; y++)
				mvaddstr(y, s->layout.sep_x, bar);
			for (int y = f->y; y < f->y + f->h; y++)
				mvaddstr(y, s->layout.strip_sep_x, bar);
		}
	}
	draw_footer(s, attrs);
	if (s->help)
		draw_help(s, attrs);
	attrset(A_NORMAL);
}
