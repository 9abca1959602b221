/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ui.c - the console's life: curses in, the event loop, curses out.
 *
 * ui_run() starts curses with newterm() (so an unknown TERM is an error we
 * report, not an exit inside ncurses), turns the theme into attributes
 * (colour pairs, or attributes only under NO_COLOR or on a terminal
 * without colour), and loops on poll({stdin, model wake fd}) with a timeout
 * that only serves the once-a-second countdown: an idle console sleeps.
 * When the model's generation moves it takes the new snapshot, diffs it
 * against the previous one (events), runs the diagnosis, and redraws once.
 *
 * SIGINT/SIGTERM/SIGHUP only set a flag; the loop sees it (poll returns
 * EINTR) and leaves through the one exit path, which always ends curses.
 * The terminal can also go away with no SIGHUP (a pty closed under a
 * console that is not in its session): a hangup or error polled on stdin
 * or stdout, or input that stays readable with nothing to read, leaves by
 * the same path instead of spinning on end-of-file.
 * ncurses' own SIGWINCH handler turns a resize into KEY_RESIZE, which we
 * read after EINTR, and at every other wake-up (a resize that came while
 * we drew interrupts no poll()). Never touches the network, never writes to stdout or
 * stderr while curses is active.
 */
#define _XOPEN_SOURCE_EXTENDED 1
#include <curses.h>
#include <ctype.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "clipboard.h"
#include "diag.h"
#include "events.h"
#include "export_md.h"
#include "log.h"
#include "model.h"
#include "probe.h"
#include "recorder.h"
#include "replay.h"
#include "runbook.h"
#include "theme.h"
#include "ticks.h"
#include "ui.h"
#include "ui_input.h"
#include "ui_screen.h"
#include "xmalloc.h"

/* ---- incident record (recorder.h, replay.h): begin ---- */
static struct recorder *ui_rec;	/* borrowed from app.c, may be NULL */
static struct replay *ui_replay;	/* set: the console plays a recording */
static const char *ui_export_file;

void ui_set_record(struct recorder *rec, struct replay *rp,
		   const char *export_file)
{
	ui_rec = rec;
	ui_replay = rp;
	ui_export_file = export_file;
}
/* ---- incident record: end ---- */

static volatile sig_atomic_t ui_signal;
static SCREEN *ui_term;
static bool ui_active;
/* ui_restore_terminal(): set up by start_curses(), see prepare_restore() */
static struct termios ui_saved_tio;
static bool ui_have_tio;
static char ui_restore_seq[256];
static volatile size_t ui_restore_len;
static char ui_error_text[256];

static void on_signal(int sig)
{
	ui_signal = sig;
}

void ui_done(void)
{
	if (!ui_active)
		return;
	ui_active = false;
	ui_restore_len = 0;
	endwin();
}

/*
 * What endwin() would undo, ready before anything can go wrong: the tty
 * modes as they were, and the terminal's own strings to leave the
 * alternate screen, show the cursor, reset attributes and the keypad and
 * stop mouse reports. Written with write(2) alone, so that any thread (out
 * of memory) or a SIGABRT handler can restore the terminal.
 */

static void restore_seq_add(const char *cap)
{
	size_t n, have = ui_restore_len;

	if (cap == NULL || cap == (char *)-1)
		return;
	n = strlen(cap);
	if (have + n >= sizeof(ui_restore_seq))
		return;
	memcpy(ui_restore_seq + have, cap, n);
	ui_restore_len = have + n;
}

static void prepare_restore(void)
{
	char *mouse = tigetstr("kmous");

	ui_restore_len = 0;
	restore_seq_add(tigetstr("sgr0"));
	restore_seq_add(tigetstr("cnorm"));
	restore_seq_add(tigetstr("rmkx"));
	if (mouse != NULL && mouse != (char *)-1)
		restore_seq_add("\033[?1000l\033[?1006l");	/* xterm mouse off */
	restore_seq_add(tigetstr("rmcup"));
}

void ui_restore_terminal(void)
{
	size_t n = ui_restore_len;

	if (n == 0)
		return;
	if (ui_have_tio)
		(void)tcsetattr(STDIN_FILENO, TCSANOW, &ui_saved_tio);
	(void)!write(STDOUT_FILENO, "\r\n", 2);
	(void)!write(STDOUT_FILENO, ui_restore_seq, n);
}

/* A library's abort() mid-screen: restore, then die of it as before. */
static void on_abort(int sig)
{
	static const char line[] = "bogus: internal error (abort)\n";

	ui_restore_terminal();
	(void)!write(STDERR_FILENO, line, sizeof(line) - 1);
	signal(sig, SIG_DFL);
	raise(sig);
}

const char *ui_error(void)
{
	return ui_error_text[0] != '\0' ? ui_error_text : NULL;
}

static int refuse(const char *msg)
{
	snprintf(ui_error_text, sizeof(ui_error_text), "%s", msg);
	log_msg(LOG_ERR, "ui: %s", ui_error_text);
	return EXIT_UNKNOWN;
}

static short map_colour(short c, bool default_ok, short fallback)
{
	if (c < 0)
		return default_ok ? -1 : fallback;
	if (c >= COLORS)
		c = c == C_GREY ? C_WHITE : (short)(c % 8);
	return c;
}

/* The theme as curses attributes: one colour pair per role. */
static void theme_attrs(const struct theme *t, bool colour, bool default_ok,
			unsigned long *attrs)
{
	for (int r = 0; r < ROLE_COUNT; r++) {
		const struct role_style *st = &t->style[r];
		unsigned bits = colour ? st->attrs : st->attrs | theme_mono_attrs((enum role)r);
		attr_t a = A_NORMAL;

		if (bits & THEME_BOLD)
			a |= A_BOLD;
		if (bits & THEME_DIM)
			a |= A_DIM;
		if (bits & THEME_UNDERLINE)
			a |= A_UNDERLINE;
		if (bits & THEME_REVERSE)
			a |= A_REVERSE;
		if (bits & THEME_ITALIC)
			a |= A_ITALIC;
		if (colour && r + 1 < COLOR_PAIRS) {
			init_pair((short)(r + 1), map_colour(st->fg, default_ok, C_WHITE),
				  map_colour(st->bg, default_ok, C_BLACK));
			a |= COLOR_PAIR(r + 1);
		}
		attrs[r] = a;
	}
}

struct ui_state {
	struct model *m;
	struct prober *p;
	struct ui_screen scr;
	struct theme theme;
	char **themes;
	bool colour, default_ok;
	unsigned long attrs[ROLE_COUNT];
	const struct evidence *ev;
	struct evidence *live;	/* before ev: answers so far (model.h) */
	struct diagnosis *diag;
	struct checklist *checklist;
	struct event_log log;
	uint64_t seen;
	bool have_verdict;
	enum verdict verdict;
	char *message;
	int64_t message_until;
	bool quit, dirty;
	bool mouse_on;
	int last_y, last_x;	/* last mouse press, for double clicks */
	struct timespec last_press;
	/* runbooks: hand ticks and notes, the note input, planned changes */
	const struct options *o;
	struct ticks ticks;
	struct ui_input input;
	char *prompt;		/* set while the note input is open */
	char *note_step;	/* the step the note is for; NULL: a free note */
	bool searching;		/* the input is the / search, not a note */
	char *search;		/* the last search text (user input, bounded) */
	struct runbook *rb[RUNBOOK_KIND_LAST + 1];	/* made on demand */
	struct cache_tail tail;	/* the checklist's cache tail, across snapshots */
	int rb_kind;		/* enum runbook_kind shown, -1: the checklist */
	struct runbook_view *rbv;
	bool rb_fresh;		/* just shown: select its current phase */
	int64_t snap_at;	/* the moment of the current snapshot */
	int64_t verdict_since;	/* when the current verdict was first seen */
};

static void set_message(struct ui_state *u, int64_t now, const char *msg)
{
	free(u->message);
	u->message = xstrdup_null(msg);
	u->message_until = now + 10;
}

static void next_theme(struct ui_state *u, int64_t now)
{
	size_t n = 0, cur = 0;

	while (u->themes[n] != NULL)
		n++;
	for (size_t i = 0; i < n; i++)
		if (u->theme.name != NULL && strcmp(u->themes[i], u->theme.name) == 0)
			cur = i;
	for (size_t step = 1; step <= n; step++) {
		struct theme t = { 0 };
		char *cause = NULL;

		if (theme_load(u->themes[(cur + step) % n], &t, &cause) != 0) {
			set_message(u, now, cause);
			free(cause);
			continue;
		}
		theme_free(&u->theme);
		u->theme = t;
		theme_attrs(&u->theme, u->colour, u->default_ok, u->attrs);
		if (t.n_warnings > 0)
			set_message(u, now, t.warnings[0]);
		return;
	}
}

/* ---- runbooks (ticks, notes, copy, planned changes): begin ---- */
static void apply(struct ui_state *u, unsigned flags, int64_t now);

/* Every runbook made so far learns from each snapshot; the one given with
 * --runbook-state is saved after each (not in a replay: that is history). */
static void runbooks_observe(struct ui_state *u, int64_t now)
{
	char *cause = NULL;

	for (int k = 0; k <= RUNBOOK_KIND_LAST; k++) {
		if (u->rb[k] == NULL)
			continue;
		runbook_observe(u->rb[k], u->ev, now);
		if (ui_replay == NULL && u->o->has_runbook && (int)u->o->runbook == k &&
		    u->o->runbook_state != NULL &&
		    runbook_save(u->rb[k], u->ev->zone, u->o->runbook_state, &cause) != 0) {
			set_message(u, now, cause);
			free(cause);
			cause = NULL;
		}
	}
}

/* The view of the runbook shown, as of @p now (countdowns move). */
static void runbook_refresh(struct ui_state *u, int64_t now)
{
	runbook_view_free(u->rbv);
	u->rbv = NULL;
	u->scr.ctx.runbook_at = ui_replay != NULL ? u->snap_at : now;
	if (u->rb_kind >= 0 && u->ev != NULL)
		u->rbv = runbook_evaluate(u->rb[u->rb_kind], u->ev, u->scr.ctx.runbook_at);
	u->scr.ctx.runbook = u->rbv;
	if (u->rb_fresh && u->rbv != NULL && u->rbv->n_phases > 0) {
		struct ui_pane *p = &u->scr.pane[AREA_CHECKLIST];
		size_t cur = u->rbv->current < u->rbv->n_phases ? u->rbv->current :
			u->rbv->n_phases - 1;

		free(p->sel_key);	/* by key: the screen finds the line */
		p->sel_key = xasprintf("phase:%zu", cur);
		u->rb_fresh = false;
	}
}

/* R: checklist -> ksk-rollover -> zsk-rollover -> provider-migration ->
 * algorithm-rollover. */
static void next_runbook(struct ui_state *u, int64_t now)
{
	int k = u->rb_kind + 1 > RUNBOOK_KIND_LAST ? -1 : u->rb_kind + 1;
	char *msg;

	u->rb_kind = k;
	u->rb_fresh = k >= 0;
	if (k >= 0 && u->rb[k] == NULL) {
		u->rb[k] = runbook_new((enum runbook_kind)k);
		if (u->ev != NULL)	/* observing from this snapshot on */
			runbook_observe(u->rb[k], u->ev, u->snap_at);
	}
	if (u->scr.detail && u->scr.detail_area == AREA_CHECKLIST)
		u->scr.detail = false;
	runbook_refresh(u, now);
	msg = k < 0 ? xstrdup("emergency checklist") :
		xasprintf("runbook %s: gates checked from the snapshots seen since it opened",
			  runbook_kind_name((enum runbook_kind)k));
	set_message(u, now, msg);
	free(msg);
	u->dirty = true;
}

/* The checklist step selected (in the pane, or the detail open on it). */
static const struct checklist_step *selected_step(struct ui_state *u, size_t *i)
{
	const char *key = NULL;

	if (u->checklist == NULL || u->rb_kind >= 0)
		return NULL;
	if (u->scr.detail && u->scr.detail_area == AREA_CHECKLIST)
		key = u->scr.detail_key;
	else if (!u->scr.detail && u->scr.focus == AREA_CHECKLIST)
		key = u->scr.pane[AREA_CHECKLIST].sel_key;
	if (key == NULL || sscanf(key, "step:%zu", i) != 1 || *i >= u->checklist->n_steps)
		return NULL;
	return &u->checklist->steps[*i];
}

/* Space / x: a hand tick, untick or undo; an event, and a note on record. */
static bool tick(struct ui_state *u, int64_t now)
{
	size_t i;
	const struct checklist_step *s = selected_step(u, &i);
	enum tick_override o;
	char key[32];

	if (s == NULL)
		return false;
	o = ticks_toggle(&u->ticks, s->title, s->state == STEP_DONE, now);
	snprintf(key, sizeof(key), "step:%zu", i);
	events_add(&u->log, now, EVENT_INFO, key, "step %zu %s: %s", i + 1,
		   o == TICK_BY_HAND ? "ticked by hand" : o == TICK_UNTICKED_BY_HAND ?
		   "unticked by hand" : "back to the evidence", s->title);
	recorder_note(ui_rec, now, s->title, o == TICK_BY_HAND,
		      o == TICK_BY_HAND ? "ticked by hand" : o == TICK_UNTICKED_BY_HAND ?
		      "unticked by hand" : "hand tick undone: back to the evidence");
	if (recorder_error(ui_rec) != NULL)
		set_message(u, now, recorder_error(ui_rec));
	u->dirty = true;
	return true;
}

/* n: the input opens, for the selected step or as a free note. */
static void note_open(struct ui_state *u)
{
	size_t i;
	const struct checklist_step *s = selected_step(u, &i);

	ui_input_reset(&u->input);
	free(u->note_step);
	free(u->prompt);
	u->note_step = s != NULL ? xstrdup(s->title) : NULL;
	u->prompt = s != NULL ? xasprintf(" note on step %zu (Enter saves, Esc cancels): ", i + 1) :
		xstrdup(" note for the record (Enter saves, Esc cancels): ");
	u->dirty = true;
}

static void note_close(struct ui_state *u, int64_t now, bool save)
{
	const char *text = u->input.buf;

	if (save && text[0] != '\0') {
		if (u->note_step != NULL)
			ticks_note(&u->ticks, u->note_step, text, now);
		events_add(&u->log, now, EVENT_INFO, NULL, "note%s%s: %s",
			   u->note_step ? " on " : "", u->note_step ? u->note_step : "", text);
		recorder_note(ui_rec, now, u->note_step, false, text);
		set_message(u, now, recorder_error(ui_rec) ? recorder_error(ui_rec) :
			    ui_rec == NULL ? "note kept on screen (a replay records nothing)" :
			    u->o->record_file != NULL ? "note saved, and in the --record file" :
			    "note saved (e exports it with the summary)");
	}
	free(u->prompt);
	free(u->note_step);
	u->prompt = NULL;
	u->note_step = NULL;
	ui_input_reset(&u->input);
	u->dirty = true;
}

/* /, n, N: search the panes; the message says how it went. */
static void search_go(struct ui_state *u, int64_t now, int dir)
{
	unsigned n;
	char *msg;

	if (u->search == NULL) {
		set_message(u, now, "no search yet: / types one");
		return;
	}
	n = ui_screen_search(&u->scr, u->search, dir);
	msg = n == 0 ? xasprintf("no line holds \"%s\"", u->search) :
		xasprintf("\"%s\": %u line%s (n next, N previous)", u->search, n,
			  n == 1 ? "" : "s");
	set_message(u, now, msg);	/* drawn escaped: the text is the user's */
	free(msg);
	u->dirty = true;
}

static void search_open(struct ui_state *u)
{
	ui_input_reset(&u->input);
	free(u->prompt);
	u->prompt = xstrdup(" search (Enter finds, Esc cancels): ");
	u->searching = true;
	u->dirty = true;
}

static void search_close(struct ui_state *u, int64_t now, bool go)
{
	if (go && u->input.buf[0] != '\0') {
		free(u->search);
		u->search = xstrdup(u->input.buf);
		u->scr.match_line = -1;
	}
	free(u->prompt);
	u->prompt = NULL;
	u->searching = false;
	ui_input_reset(&u->input);
	u->dirty = true;
	if (go)
		search_go(u, now, 1);
}

/* One key while the note input is open. */
static void note_key(struct ui_state *u, int key, bool is_code, int64_t now)
{
	unsigned cp;
	enum ui_input_op op = (enum ui_input_op)ui_keys_input(key, is_code, &cp);

	switch (ui_input_apply(&u->input, op, cp)) {
	case INPUT_DONE:
		if (u->searching)
			search_close(u, now, true);
		else
			note_close(u, now, true);
		break;
	case INPUT_CANCELLED:
		if (u->searching) {
			search_close(u, now, false);
			break;
		}
		note_close(u, now, false);
		set_message(u, now, "note cancelled");
		break;
	case INPUT_EDITING:
		if (u->input.full) {
			char msg[48];

			snprintf(msg, sizeof(msg), "%s holds %d bytes at most",
				 u->searching ? "a search" : "a note", UI_INPUT_MAX);
			set_message(u, now, msg);
		}
		u->dirty = true;
		break;
	}
}

/* Writes all of @p s to the terminal, between two curses refreshes. */
static void tty_write(const char *s)
{
	size_t len = strlen(s), off = 0;

	while (off < len) {
		ssize_t w = write(STDOUT_FILENO, s + off, len - off);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		off += (size_t)w;
	}
}

/* c: the selected fix, record or command to the clipboard and the file. */
static void copy_now(struct ui_state *u, int64_t now)
{
	struct ui_screen *s = &u->scr;
	enum ui_area a = s->detail ? s->detail_area : s->focus;
	const char *key = !s->detail ? s->pane[a].sel_key :
		s->detail_view.sel_key != NULL ? s->detail_view.sel_key : s->detail_key;
	const struct pane_ops *ops = s->pane[a].ops;
	char *label = NULL, *raw, *text, *path, *cause = NULL, *msg, *osc;

	raw = ops->copy != NULL ? ops->copy(&s->ctx, key, &label) : NULL;
	if (raw == NULL) {
		set_message(u, now, "nothing to copy here: select a fix, a DS record or a"
			    " command (Checklist, Findings, Runbook)");
		free(label);
		return;
	}
	text = clipboard_clean(raw);
	osc = clipboard_osc52(text);
	tty_write(osc);	/* curses has flushed: refresh() came before the keys */
	path = clipboard_path();
	if (clipboard_write_file(path, text, &cause) == 0)
		msg = xasprintf("copied %s (%zu bytes) to the terminal clipboard (OSC 52)"
				" and to %s", label, strlen(text), path);
	else
		msg = xasprintf("copied %s to the terminal clipboard (OSC 52) only: %s",
				label, cause);
	set_message(u, now, msg);
	events_add(&u->log, now, EVENT_INFO, NULL, "%s", msg);
	u->dirty = true;
	free(msg);
	free(cause);
	free(path);
	free(osc);
	free(text);
	free(raw);
	free(label);
}

/* The runbook keys; false if @p a is not one of them (or not here). */
static bool runbook_key(struct ui_state *u, enum ui_action a, int key, int64_t now)
{
	if (u->scr.help)
		return false;	/* any key closes the help first */
	if (a == ACT_REPLAY_SPEED && ui_replay == NULL)
		a = ACT_TICK;	/* x: the speed of a replay, else a tick */
	switch (a) {
	case ACT_TICK:
		if (tick(u, now))
			return true;
		if (key == ' ')	/* off the checklist, Space pages as it did */
			apply(u, ui_screen_action(&u->scr, ACT_PAGE_DOWN), now);
		else
			set_message(u, now, u->rb_kind >= 0 ?
				    "a planned change is ticked by evidence only (R: back to the checklist)" :
				    "select a checklist step (4) to tick it");
		return true;
	case ACT_NOTE:
		note_open(u);
		return true;
	case ACT_COPY:
		copy_now(u, now);
		return true;
	case ACT_RUNBOOK:
		next_runbook(u, now);
		return true;
	case ACT_SEARCH:
		search_open(u);
		return true;
	case ACT_SEARCH_NEXT: case ACT_SEARCH_PREV:
		search_go(u, now, a == ACT_SEARCH_NEXT ? 1 : -1);
		return true;
	default:
		return false;
	}
}
/* ---- runbooks: end ---- */

/* A new generation: snapshot, events, diagnosis, checklist. */
static void take_snapshot(struct ui_state *u, int64_t now)
{
	const struct evidence *ev = model_acquire(u->m);
	struct diagnosis *dg;
	size_t added;

	if (ev == NULL)
		return;
	if (ev == u->ev) {
		model_release(u->m, ev);
		return;
	}
	u->seen = ev->generation;
	if (ui_replay != NULL)	/* record: the recorded moment is "now" */
		now = replay_time_of(ui_replay, ev->generation);
	added = events_diff(u->ev, ev, now, &u->log);
	dg = diag_run(ev, now);
	/* Before the events and the record: they show the findings as the
	 * cache tail tells them. */
	diag_tail_observe(&u->tail, ev, dg, now);
	diag_tail_apply(dg, &u->tail, now);
	if (u->have_verdict && dg->verdict != u->verdict) {
		events_add(&u->log, now, dg->verdict > u->verdict ? EVENT_BAD : EVENT_GOOD,
			   NULL, "verdict %s -> %s", verdict_name(u->verdict),
			   verdict_name(dg->verdict));
		added++;
	}
	/* ---- incident record: begin ---- */
	added += events_diff_findings(u->diag, dg, now, &u->log);
	recorder_snapshot(ui_rec, ev, dg, now);
	for (size_t i = u->log.n - (added < u->log.n ? added : u->log.n); i < u->log.n; i++)
		recorder_event(ui_rec, &u->log.ev[i]);
	if (recorder_error(ui_rec) != NULL)
		set_message(u, now, recorder_error(ui_rec));
	/* ---- incident record: end ---- */
	checklist_free(u->checklist);
	diagnosis_free(u->diag);
	model_release(u->m, u->ev);
	u->ev = ev;
	u->diag = dg;
	u->checklist = diag_checklist(ev, dg, now);
	if (!u->have_verdict || dg->verdict != u->verdict)
		u->verdict_since = now;
	if (ui_replay != NULL) {	/* the record knows what came before */
		int64_t since = incident_verdict_since(&replay_recording(ui_replay)->inc, now);

		if (since > 0)
			u->verdict_since = since;
	}
	u->have_verdict = true;
	u->verdict = dg->verdict;
	u->scr.ctx.ev = u->ev;
	evidence_free(u->live);
	u->live = NULL;
	u->scr.ctx.live = NULL;
	u->scr.ctx.diag = u->diag;
	u->scr.ctx.checklist = u->checklist;
	u->snap_at = now;
	runbooks_observe(u, now);
	u->dirty = true;
}

/* ---- incident record: begin ---- */
static void export_now(struct ui_state *u, int64_t now)
{
	const struct recording *rec = ui_replay ? replay_recording(ui_replay) : NULL;
	const struct incident *inc = rec ? &rec->inc : ui_rec ? recorder_incident(ui_rec) : NULL;
	char *path, *source, *cause = NULL, stamp[32], *zone, *msg;
	time_t t = (time_t)now;
	struct tm tm;

	if (inc == NULL)
		return;
	zone = xstrdup(inc->zone && strcmp(inc->zone, ".") ? inc->zone : "root");
	if (zone[0] != '\0' && zone[strlen(zone) - 1] == '.')
		zone[strlen(zone) - 1] = '\0';
	for (char *p = zone; *p; p++)	/* a recording's zone is untrusted */
		if (!isalnum((unsigned char)*p) && *p != '.' && *p != '-' && *p != '_')
			*p = '_';
	if (gmtime_r(&t, &tm) == NULL || strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm) == 0)
		snprintf(stamp, sizeof(stamp), "%lld", (long long)now);
	path = ui_export_file ? xstrdup(ui_export_file) :
		xasprintf("bogus-%s-%s.md", zone, stamp);
	source = rec ? xasprintf("recording %s", rec->path) : xstrdup("bogus console");
	if (export_md_file(path, inc, source, rec ? rec->damage : NULL, &cause) == 0)
		msg = xasprintf("exported to %s", path);
	else
		msg = cause, cause = NULL;
	set_message(u, now, msg);
	free(msg);
	free(cause);
	free(source);
	free(path);
	free(zone);
}

/* The record's keys; false if @p a is not one of them. */
static bool record_key(struct ui_state *u, enum ui_action a, int64_t now)
{
	if (a == ACT_EXPORT) {
		export_now(u, now);
		return true;
	}
	if (a < ACT_REPLAY_NEXT || a > ACT_REPLAY_SPEED)
		return false;
	if (ui_replay == NULL) {
		set_message(u, now, "not a replay (bogus --replay FILE)");
	} else if (a == ACT_REPLAY_NEXT || a == ACT_REPLAY_PREV) {
		replay_set_speed(ui_replay, 0);
		replay_step(ui_replay, a == ACT_REPLAY_NEXT ? 1 : -1);
	} else if (a == ACT_REPLAY_FIRST || a == ACT_REPLAY_LAST) {
		replay_set_speed(ui_replay, 0);
		replay_jump(ui_replay, a == ACT_REPLAY_LAST);
	} else {
		replay_next_speed(ui_replay);
	}
	u->dirty = true;
	return true;
}
/* ---- incident record: end ---- */

/*
 * The mouse is ours in the panes; in the detail view it goes back to the
 * terminal, so that the fix and the records can be selected and copied.
 */
static void mouse_mode(struct ui_state *u)
{
	bool want = !u->scr.detail;

	if (want == u->mouse_on)
		return;
	u->mouse_on = want;
	mousemask(want ? BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
		  | BUTTON5_PRESSED
#endif
		  : 0, NULL);
}

static void apply(struct ui_state *u, unsigned flags, int64_t now)
{
	struct model_progress prog;

	if (flags & UI_QUIT)
		u->quit = true;
	if ((flags & UI_PAUSE) && ui_replay != NULL)	/* incident record */
		replay_toggle(ui_replay);
	if ((flags & UI_REFRESH) && u->p != NULL)
		prober_refresh_now(u->p);
	if ((flags & UI_PAUSE) && u->p != NULL) {
		model_progress(u->m, &prog);
		prober_set_paused(u->p, !prog.paused);
		set_message(u, now, prog.paused ? "resumed" : "paused: r still refreshes");
	}
	if (flags & UI_THEME)
		next_theme(u, now);
	if (flags & UI_REDRAW)
		u->dirty = true;
	mouse_mode(u);
}

static void mouse(struct ui_state *u, int64_t now)
{
	MEVENT me;
	struct timespec ts;
	bool dbl;
	long ms;

	if (getmouse(&me) != OK)
		return;
	if (me.bstate & BUTTON4_PRESSED) {
		apply(u, ui_screen_wheel(&u->scr, me.y, me.x, -3), now);
		return;
	}
#ifdef BUTTON5_PRESSED
	if (me.bstate & BUTTON5_PRESSED) {
		apply(u, ui_screen_wheel(&u->scr, me.y, me.x, 3), now);
		return;
	}
#endif
	if (!(me.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED)))
		return;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ms = (ts.tv_sec - u->last_press.tv_sec) * 1000 +
	     (ts.tv_nsec - u->last_press.tv_nsec) / 1000000;
	dbl = ms < 400 && me.y == u->last_y && me.x == u->last_x;
	u->last_press = ts;
	u->last_y = me.y;
	u->last_x = me.x;
	apply(u, ui_screen_click(&u->scr, me.y, me.x, dbl), now);
}

/* Reads and acts on every key waiting; returns how many there were. */
static int read_keys(struct ui_state *u, int64_t now)
{
	wint_t wch;
	int rc, n = 0;

	while (!u->quit && (rc = wget_wch(stdscr, &wch)) != ERR) {
		n++;
		if (rc == KEY_CODE_YES && wch == KEY_RESIZE) {
			int h, w;

			getmaxyx(stdscr, h, w);
			ui_screen_resize(&u->scr, w, h);
			ui_screen_rebuild(&u->scr);
			u->dirty = true;
		} else if (rc == KEY_CODE_YES && wch == KEY_MOUSE) {
			mouse(u, now);
		} else if (u->prompt != NULL) {	/* runbooks: the note input */
			note_key(u, (int)wch, rc == KEY_CODE_YES, now);
		} else {
			enum ui_action a = ui_keys_action((int)wch, rc == KEY_CODE_YES);

			/* incident record, runbooks; any key closes the help first */
			if (u->scr.help || (!runbook_key(u, a, rc == KEY_CODE_YES ? -1 : (int)wch, now) &&
					    !record_key(u, a, now)))
				apply(u, ui_screen_action(&u->scr, a), now);
		}
	}
	return n;
}

/*
 * Input said readable, yet gave no key: is it at its end? A closed pty
 * reads end-of-file (or EIO) forever and stays readable, so reading on
 * would spin. A live terminal in cbreak mode is readable only when bytes
 * are queued: readable with none queued is the end. (Bytes ncurses took
 * without making a key, half an escape sequence, are no longer readable.)
 */
static bool at_end_of_input(void)
{
	struct pollfd pfd = { .fd = STDIN_FILENO, .events = POLLIN };
	int queued = 0;

	if (poll(&pfd, 1, 0) != 1 || !(pfd.revents & (POLLIN | POLLHUP | POLLERR)))
		return false;
	return ioctl(STDIN_FILENO, FIONREAD, &queued) != 0 || queued == 0;
}

/* Milliseconds to the next whole second: the countdown's tick. */
static int ms_to_next_second(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int)(1000 - ts.tv_nsec / 1000000) + 5;
}

static int start_curses(struct ui_state *u, const struct options *o)
{
	const char *term = getenv("TERM");
	char *cause = NULL;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return refuse("the console needs a terminal; use --once for"
			      " text or --once --json");
	if (theme_load(o->theme, &u->theme, &cause) != 0) {
		refuse(cause);
		free(cause);
		return EXIT_UNKNOWN;
	}
	if (term == NULL || *term == '\0')
		return refuse("TERM is not set; set it (e.g. TERM=xterm-256color)"
			      " or use --once");
	ui_have_tio = tcgetattr(STDIN_FILENO, &ui_saved_tio) == 0;
	if ((ui_term = newterm(NULL, stdout, stdin)) == NULL) {
		char msg[160];

		snprintf(msg, sizeof(msg), "unknown terminal type '%.80s'; set TERM"
			 " or use --once", term);
		return refuse(msg);
	}
	set_term(ui_term);
	ui_active = true;
	prepare_restore();
	xmalloc_set_fatal_hook(ui_restore_terminal);
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	mouseinterval(0);
	mouse_mode(u);
	u->colour = has_colors() && cli_colour(o, true);
	if (u->colour) {
		start_color();
		u->default_ok = use_default_colors() == OK;
	}
	theme_attrs(&u->theme, u->colour, u->default_ok, u->attrs);
	return 0;
}

int ui_run(const struct options *o, struct model *m, struct prober *p)
{
	struct sigaction sa, old_int, old_term, old_hup, old_abrt;
	struct ui_state u = { .m = m, .p = p, .o = o, .rb_kind = -1 };
	int64_t last_tick = 0;
	char replay_line[96];
	const char *cs, *gone = NULL;
	bool utf8;
	int rc;

	ui_error_text[0] = '\0';
	ui_signal = 0;
	/* runbooks: --runbook opens on it, with what --runbook-state remembers */
	if (o->has_runbook) {
		char *cause = NULL;

		if (o->runbook_state != NULL && ui_replay == NULL) {
			if (runbook_load(o->runbook_state, o->runbook, o->scan.zone,
					 &u.rb[o->runbook], &cause) != 0) {
				refuse(cause);
				free(cause);
				return EXIT_UNKNOWN;
			}
		} else {
			u.rb[o->runbook] = runbook_new(o->runbook);
		}
		u.rb_kind = (int)o->runbook;
		u.rb_fresh = true;
	}
	setlocale(LC_ALL, "");
	cs = nl_langinfo(CODESET);
	utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;
	/*
	 * Ours before curses starts: ncurses then leaves SIGINT/SIGTERM alone
	 * instead of installing handlers that would outlive the screen.
	 */
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;	/* no SA_RESTART: poll() must return */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	sigaction(SIGHUP, &sa, &old_hup);
	sa.sa_handler = on_abort;
	sigaction(SIGABRT, &sa, &old_abrt);
	if ((rc = start_curses(&u, o)) != 0) {
		ui_done();
		if (ui_term != NULL) {
			delscreen(ui_term);
			ui_term = NULL;
		}
		sigaction(SIGINT, &old_int, NULL);
		sigaction(SIGTERM, &old_term, NULL);
		sigaction(SIGHUP, &old_hup, NULL);
		sigaction(SIGABRT, &old_abrt, NULL);
		theme_free(&u.theme);
		for (int k = 0; k <= RUNBOOK_KIND_LAST; k++)
			runbook_free(u.rb[k]);
		return rc;
	}

	u.themes = theme_names();
	if (u.theme.n_warnings > 0)
		set_message(&u, (int64_t)time(NULL), u.theme.warnings[0]);
	ui_screen_init(&u.scr, COLS, LINES, utf8);
	if (ui_replay != NULL && replay_recording(ui_replay)->damage != NULL)
		events_add(&u.log, (int64_t)time(NULL), EVENT_BAD, NULL, "%s",
			   replay_recording(ui_replay)->damage);	/* incident record */
	u.scr.ctx.events = &u.log;
	u.scr.ctx.ticks = &u.ticks;	/* runbooks */
	u.scr.status.zone = o->scan.zone;
	ui_screen_rebuild(&u.scr);
	u.dirty = true;

	while (!u.quit && ui_signal == 0) {
		int64_t now = (int64_t)time(NULL);
		struct model_progress prog;
		struct pollfd pfd[3];

		if (model_generation(m) != u.seen)
			take_snapshot(&u, now);
		if (now != last_tick)
			u.dirty = true;	/* the countdown moves, highlights expire */
		if (u.dirty) {
			model_progress(m, &prog);
			u.scr.status.have_verdict = u.have_verdict;
			u.scr.status.verdict = (int)u.verdict;
			u.scr.status.verdict_since = u.verdict_since;
			/* A replay's clock is the recorded moment. */
			u.scr.status.verdict_until = ui_replay != NULL ? u.snap_at : now;
			u.scr.status.finished_at = u.ev != NULL ? u.ev->finished_at : 0;
			u.scr.status.refreshing = prog.refreshing;
			u.scr.status.in_flight = prog.in_flight;
			memcpy(u.scr.status.waiting_on, prog.waiting_on,
			       sizeof(prog.waiting_on));
			u.scr.status.waiting_ms = prog.waiting_ms;
			u.scr.status.next_refresh_at = prog.next_refresh_at;
			u.scr.status.paused = prog.paused;
			u.scr.status.theme = u.theme.name;
			u.scr.status.message = now < u.message_until ? u.message : NULL;
			if (ui_replay != NULL) {	/* incident record */
				replay_status(ui_replay, replay_line, sizeof(replay_line));
				u.scr.status.replay = replay_line;
			}
			u.scr.status.prompt = u.prompt;	/* runbooks: the note input */
			u.scr.status.input = u.input.buf;
			u.scr.status.input_cur = u.input.cur;
			runbook_refresh(&u, now);
			if (u.ev == NULL) {	/* nothing whole yet: what came */
				evidence_free(u.live);
				u.live = model_live_copy(m);
				u.scr.ctx.live = u.live;
			}
			/* Ages, countdowns and highlights depend on now: rebuild. */
			u.scr.ctx.now = now;
			ui_screen_rebuild(&u.scr);
			ui_screen_draw(&u.scr, u.attrs, now);
			refresh();
			u.dirty = false;
			last_tick = now;
		}
		pfd[0] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		pfd[1] = (struct pollfd){ .fd = model_wake_fd(m), .events = POLLIN };
		/* No events asked: a hangup or an error on the screen's side. */
		pfd[2] = (struct pollfd){ .fd = STDOUT_FILENO, .events = 0 };
		if (poll(pfd, 3, ms_to_next_second()) < 0) {
			if (errno != EINTR) {
				log_msg(LOG_ERR, "ui: poll: %s", strerror(errno));
				break;
			}
			read_keys(&u, now);	/* SIGWINCH: KEY_RESIZE is waiting */
			continue;
		}
		if (pfd[1].revents & POLLIN) {
			model_drain_wake(m);
			u.dirty = true;	/* new snapshot or progress */
		}
		if ((pfd[0].revents | pfd[2].revents) & (POLLHUP | POLLERR | POLLNVAL)) {
			gone = "hangup";
			break;
		}
		if ((pfd[0].revents & POLLIN) && read_keys(&u, now) == 0 && at_end_of_input()) {
			gone = "end of input";
			break;
		}
		/* A resize signalled while we drew, not in poll(), is queued in
		 * curses as KEY_RESIZE with no byte on stdin and no EINTR: look
		 * at every wake-up, or the layout keeps the old size until the
		 * next key (seen under TSan: a 50x20 screen drawn 80 wide). */
		if (!(pfd[0].revents & POLLIN))
			read_keys(&u, now);
	}
	if (ui_signal == SIGHUP)
		gone = "SIGHUP";

	ui_done();
	delscreen(ui_term);
	ui_term = NULL;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	sigaction(SIGHUP, &old_hup, NULL);
	sigaction(SIGABRT, &old_abrt, NULL);
	if (ui_signal != 0)
		log_msg(LOG_INFO, "ui: signal %d, leaving", (int)ui_signal);
	if (gone != NULL) {
		snprintf(ui_error_text, sizeof(ui_error_text),
			 "the terminal went away (%s); the console ended", gone);
		log_msg(LOG_INFO, "ui: %s", ui_error_text);
	}
	ui_screen_free(&u.scr);
	events_clear(&u.log);
	checklist_free(u.checklist);
	diagnosis_free(u.diag);
	model_release(m, u.ev);
	evidence_free(u.live);
	theme_free(&u.theme);
	theme_names_free(u.themes);
	free(u.message);
	/* runbooks */
	ticks_clear(&u.ticks);
	free(u.prompt);
	free(u.search);
	free(u.note_step);
	runbook_view_free(u.rbv);
	for (int k = 0; k <= RUNBOOK_KIND_LAST; k++)
		runbook_free(u.rb[k]);
	/*
	 * Quitting a console is not a failure: the verdict's exit codes belong
	 * to --once. A terminating signal other than Ctrl-C is reported the
	 * shell's way; a terminal gone without a SIGHUP as if it had sent one.
	 */
	if (ui_signal != 0 && ui_signal != SIGINT)
		return 128 + (int)ui_signal;
	if (gone != NULL)
		return 128 + SIGHUP;
	return EXIT_OK;
}
