/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: the console's / search (ui_screen_search) over the six panes
 * rendered from hand-built evidence, n/N and their wrap, case, what a match
 * is matched against (the text as drawn, escaped), and the marks that show
 * where on a row the match is (ui_doc_add_marked). No terminal. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "ui_input.h"
#include "ui_screen.h"
#include "evidence_builder.c"
#include "screen_fixture.c"

/*
 * A rollover gone wrong (DS for 2222, KSK 4444 served), validators failing,
 * and a third server whose name came off the network with an escape
 * sequence in it: something in every pane.
 */
static int setup(void **state)
{
	struct evidence *ev = eb_healthy();
	struct fixture *f;

	eb_ksk_replaced(ev, 4444);
	eb_validators_servfail(ev, 9);
	eb_ns(ev, "ns\x1b[31m3.example.test.", "127.0.9.3", 7);
	f = fixture_new(ev, 120, 36);
	events_add(&f->log, EB_NOW, EVENT_INFO, NULL, "verdict secure -> bogus");
	ui_screen_rebuild(&f->s);
	*state = f;
	return 0;
}

static char *line_text(const struct ui_screen *s, enum ui_area a, long i)
{
	assert_true(i >= 0 && i < (long)s->pane[a].doc.n_lines);
	return ui_line_text(&s->pane[a].doc.lines[i]);
}

/*
 * After a search that found something: the focus is on @p a, the match
 * line holds @p q (as drawn, ASCII case ignored) and is on screen, and the
 * selected row is the match's own row or the row it belongs to.
 */
static void assert_at_match(const struct ui_screen *s, enum ui_area a, const char *q)
{
	const struct ui_pane *p = &s->pane[a];
	long rows = s->layout.area[a].h - 1;
	char *t;

	assert_int_equal(s->focus, a);
	assert_int_equal(s->match_area, a);
	t = line_text(s, a, s->match_line);
	assert_true(ui_text_find(t, q, 0) >= 0);
	free(t);
	assert_true(s->match_line >= p->top && s->match_line < p->top + rows);
	assert_true(p->sel >= 0 && p->sel <= s->match_line);
	assert_non_null(p->doc.lines[p->sel].key);
	for (long k = p->sel + 1; k <= s->match_line; k++)
		assert_null(p->doc.lines[k].key);	/* no other row in between */
	assert_string_equal(p->sel_key, p->doc.lines[p->sel].key);
}

static void test_match_in_each_pane(void **state)
{
	static const struct {
		const char *q;
		enum ui_area a;
		unsigned lines;
	} cases[] = {
		{ "Beta", AREA_RESOLVERS, 3 },	/* and twice in the checklist */
		{ "NO SUCH KEY", AREA_CHAIN, 1 },
		{ "127.0.2.2", AREA_NS, 1 },
		{ "rndc flushtree", AREA_CHECKLIST, 1 },
		{ "ns-serial-mismatch", AREA_FINDINGS, 1 },
		{ "secure -> bogus", AREA_EVENTS, 1 },
	};
	struct fixture *f = *state;
	struct ui_screen *s = &f->s;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		ui_screen_action(s, ACT_PANE_1);
		s->match_line = -1;
		assert_int_equal(ui_screen_search(s, cases[i].q, 1), cases[i].lines);
		assert_at_match(s, cases[i].a, cases[i].q);
		assert_string_equal(s->search, cases[i].q);
	}
	/* A match under a row (a step's detail) selects that step. */
	assert_int_equal(ui_screen_search(s, "CD=1 answers: bogus", 1), 1);
	assert_at_match(s, AREA_CHECKLIST, "CD=1 answers: bogus");
	assert_true(s->match_line > s->pane[AREA_CHECKLIST].sel);
	assert_string_equal(s->pane[AREA_CHECKLIST].sel_key,
			    s->pane[AREA_CHECKLIST].doc.lines[0].key);
}

static void test_next_prev_wrap(void **state)
{
	struct fixture *f = *state;
	struct ui_screen *s = &f->s;
	enum ui_area seen[8];
	long at[8];

	/* In the nameservers' table and twice in the checklist's text. */
	for (int i = 0; i < 5; i++) {
		assert_int_equal(ui_screen_search(s, "ns2.example.", 1), 3);
		seen[i] = s->match_area;
		at[i] = s->match_line;
		assert_at_match(s, seen[i], "ns2.example.");
	}
	assert_int_equal(seen[0], AREA_NS);
	assert_int_equal(seen[1], AREA_CHECKLIST);
	assert_int_equal(seen[2], AREA_CHECKLIST);
	assert_true(at[2] > at[1]);
	/* n past the last match wraps to the first, through the other panes. */
	assert_int_equal(seen[3], AREA_NS);
	assert_int_equal(at[3], at[0]);
	assert_int_equal(seen[4], AREA_CHECKLIST);
	assert_int_equal(at[4], at[1]);
	/* N goes back the same way, and wraps backwards. */
	assert_int_equal(ui_screen_search(s, "ns2.example.", -1), 3);
	assert_int_equal(s->match_area, AREA_NS);
	assert_int_equal(s->match_line, at[0]);
	assert_int_equal(ui_screen_search(s, "ns2.example.", -1), 3);
	assert_at_match(s, AREA_CHECKLIST, "ns2.example.");
	assert_int_equal(s->match_line, at[2]);
	/* Two matches in one pane: n alternates between them. */
	assert_int_equal(ui_screen_search(s, "CRIT", 1), 2);
	assert_at_match(s, AREA_FINDINGS, "CRIT");
	at[0] = s->match_line;
	ui_screen_search(s, "CRIT", 1);
	assert_int_not_equal(s->match_line, at[0]);
	ui_screen_search(s, "CRIT", 1);
	assert_int_equal(s->match_line, at[0]);
}

static void test_no_match(void **state)
{
	struct fixture *f = *state;
	struct ui_screen *s = &f->s;
	char *key;

	ui_screen_action(s, ACT_PANE_2);
	ui_screen_action(s, ACT_DOWN);
	key = strdup(s->pane[AREA_CHAIN].sel_key);
	assert_int_equal(ui_screen_search(s, "no such text anywhere", 1), 0);
	assert_int_equal(ui_screen_search(s, "no such text anywhere", -1), 0);
	/* Nothing moved. */
	assert_int_equal(s->focus, AREA_CHAIN);
	assert_string_equal(s->pane[AREA_CHAIN].sel_key, key);
	assert_int_equal(s->match_line, -1);
	assert_int_equal(ui_screen_search(s, "", 1), 0);
	assert_int_equal(ui_screen_search(s, NULL, 1), 0);
	assert_int_equal(s->focus, AREA_CHAIN);
	free(key);
}

static void test_case_ascii(void **state)
{
	struct fixture *f = *state;
	struct ui_screen *s = &f->s;

	assert_int_equal(ui_screen_search(s, "crit", 1), 2);
	assert_at_match(s, AREA_FINDINGS, "CRIT");
	assert_int_equal(ui_screen_search(s, "bEtA", 1), 3);
	/* ASCII only: a non-ASCII letter is compared as it is. */
	assert_int_equal(ui_text_find("caf\xc3\xa9 CAF\xc3\x89", "CAF\xc3\xa9", 0), 0);
	assert_int_equal(ui_text_find("CAF\xc3\x89", "caf\xc3\xa9", 0), -1);
	assert_int_equal(ui_text_find("abcABC", "abc", 1), 3);
	assert_int_equal(ui_text_find("abc", "abcd", 0), -1);
	assert_int_equal(ui_text_find("abc", "", 0), -1);
	assert_int_equal(ui_text_find("abc", "c", 9), -1);
	/* ✘ matches ✘, and the match starts on a whole character. */
	assert_int_equal(ui_screen_search(s, "\u2718 CRIT", 1), 2);
}

static void test_escaped_and_bounded(void **state)
{
	struct fixture *f = *state;
	struct ui_screen *s = &f->s;
	char big[4 * UI_INPUT_MAX + 1];

	/* The server's name is drawn escaped, and found as it is drawn. */
	assert_int_equal(ui_screen_search(s, "ns\\027[31m3.example", 1), 4);
	assert_at_match(s, AREA_NS, "ns\\027[31m3.example");
	/* No line on screen holds a control byte: a raw one finds nothing. */
	assert_int_equal(ui_screen_search(s, "\x1b[31m", 1), 0);
	assert_int_equal(ui_screen_search(s, "\r", 1), 0);
	/* Longer than any line (and than the input takes): nothing, no harm. */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(ui_screen_search(s, big, 1), 0);
	assert_int_equal(s->focus, AREA_NS);
	/* Esc with nothing open takes the marks away; the match stays for n. */
	ui_screen_action(s, ACT_BACK);
	assert_null(s->search);
	assert_int_equal(ui_screen_search(s, "ns\\027[31m3.example", 1), 4);
	assert_non_null(s->search);
}

static void add_seg(struct ui_doc *d, struct ui_line *l, enum role r, const char *t)
{
	ui_put(d, l, r, t);
}

static void test_marks(void **state)
{
	struct ui_doc d = { .utf8 = true }, m = { .utf8 = true };
	struct ui_line *l;
	char *a, *b;

	(void)state;
	l = ui_doc_add(&d, "key1");
	add_seg(&d, l, ROLE_DIM, "a ns1.");
	add_seg(&d, l, ROLE_BOGUS, "EXAMPLE. x");
	add_seg(&d, l, ROLE_NORMAL, " ns1.example.");
	/* Every occurrence, across segments, case ignored; text unchanged. */
	assert_int_equal(ui_doc_add_marked(&m, &d.lines[0], "ns1.example", ROLE_MATCH), 2);
	assert_string_equal(m.lines[0].key, "key1");
	a = ui_line_text(&d.lines[0]);
	b = ui_line_text(&m.lines[0]);
	assert_string_equal(a, b);
	free(a);
	free(b);
	/* Segments of one role merge: "ns1." and "EXAMPLE" are one mark. */
	assert_int_equal(m.lines[0].n_segs, 6);
	assert_string_equal(m.lines[0].segs[0].text, "a ");
	assert_int_equal(m.lines[0].segs[0].role, ROLE_DIM);
	assert_string_equal(m.lines[0].segs[1].text, "ns1.EXAMPLE");
	assert_int_equal(m.lines[0].segs[1].role, ROLE_MATCH);
	assert_string_equal(m.lines[0].segs[2].text, ". x");
	assert_int_equal(m.lines[0].segs[2].role, ROLE_BOGUS);
	assert_string_equal(m.lines[0].segs[3].text, " ");
	assert_int_equal(m.lines[0].segs[3].role, ROLE_NORMAL);
	assert_string_equal(m.lines[0].segs[4].text, "ns1.example");
	assert_int_equal(m.lines[0].segs[4].role, ROLE_MATCH);
	assert_string_equal(m.lines[0].segs[5].text, ".");
	assert_int_equal(m.lines[0].segs[5].role, ROLE_NORMAL);
	ui_doc_clear(&m);
	/* Non-overlapping, like the count: "xx" twice in "xxxxx". */
	l = ui_doc_add(&d, NULL);
	add_seg(&d, l, ROLE_NORMAL, "xxxxx");
	assert_int_equal(ui_doc_add_marked(&m, &d.lines[1], "xx", ROLE_MATCH), 2);
	assert_int_equal(m.lines[0].n_segs, 2);
	assert_string_equal(m.lines[0].segs[0].text, "xxxx");
	assert_int_equal(m.lines[0].segs[0].role, ROLE_MATCH);
	assert_string_equal(m.lines[0].segs[1].text, "x");
	assert_null(m.lines[0].key);
	/* No match: the same line. */
	assert_int_equal(ui_doc_add_marked(&m, &d.lines[1], "y", ROLE_MATCH), 0);
	assert_int_equal(m.lines[1].n_segs, 1);
	assert_string_equal(m.lines[1].segs[0].text, "xxxxx");
	ui_doc_clear(&m);
	ui_doc_clear(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_match_in_each_pane, setup, teardown),
		cmocka_unit_test_setup_teardown(test_next_prev_wrap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_match, setup, teardown),
		cmocka_unit_test_setup_teardown(test_case_ascii, setup, teardown),
		cmocka_unit_test_setup_teardown(test_escaped_and_bounded, setup, teardown),
		cmocka_unit_test(test_marks),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
