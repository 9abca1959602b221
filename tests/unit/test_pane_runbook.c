/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: the checklist pane with hand ticks, notes and copyable
 * lines, and the planned-change runbook pane, rendered from hand-built
 * evidence into docs (no terminal). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "evidence_builder.c"
#include "pane.h"
#include "runbook.h"

/* The KSK was replaced (new tag @p ksk), the parent's DS was not. */
static struct evidence *ksk_replaced(uint16_t ksk)
{
	struct evidence *ev = eb_healthy();

	eb_ksk_replaced(ev, ksk);
	eb_validators_servfail(ev, 9);
	return ev;
}

/* The index of the first line whose text contains @p needle, or -1. */
static long find_line(const struct ui_doc *d, const char *needle)
{
	for (size_t i = 0; i < d->n_lines; i++) {
		char *t = ui_line_text(&d->lines[i]);
		bool hit = strstr(t, needle) != NULL;

		free(t);
		if (hit)
			return (long)i;
	}
	return -1;
}

static bool starts(const struct ui_doc *d, long i, const char *prefix)
{
	char *t = ui_line_text(&d->lines[i]);
	bool ok = strncmp(t, prefix, strlen(prefix)) == 0;

	free(t);
	return ok;
}

struct fixture {
	struct evidence *ev;
	struct diagnosis *dg;
	struct checklist *cl;
	struct ticks ticks;
	struct pane_ctx c;
	struct ui_doc d;
};

static void setup(struct fixture *f)
{
	memset(f, 0, sizeof(*f));
	f->ev = ksk_replaced(4321);
	f->dg = diag_run(f->ev, EB_NOW);
	f->cl = diag_checklist(f->ev, f->dg, EB_NOW);
	f->c = (struct pane_ctx){ .ev = f->ev, .diag = f->dg, .checklist = f->cl,
				  .ticks = &f->ticks, .now = EB_NOW, .width = 100 };
	f->d.utf8 = true;
}

static void teardown(struct fixture *f)
{
	ui_doc_clear(&f->d);
	ticks_clear(&f->ticks);
	checklist_free(f->cl);
	diagnosis_free(f->dg);
	evidence_free(f->ev);
}

/* A hand tick shows "by you" in words, beside what the evidence says. */
static void test_checklist_hand_ticks(void **state)
{
	struct fixture f;
	long i;

	(void)state;
	setup(&f);
	assert_int_equal(f.cl->steps[0].state, STEP_DONE);
	assert_int_equal(f.cl->steps[3].state, STEP_PENDING);
	ticks_toggle(&f.ticks, f.cl->steps[3].title, false, EB_NOW);	/* tick */
	ticks_toggle(&f.ticks, f.cl->steps[0].title, true, EB_NOW);	/* untick */
	ticks_note(&f.ticks, f.cl->steps[4].title, "called \033[31mAlpha\a ops", EB_NOW);
	pane_checklist_ops.build(&f.c, &f.d);

	i = ui_doc_find(&f.d, "step:3");
	assert_true(i >= 0);
	assert_true(starts(&f.d, i, "[\u2713 by you] 4. Choose the fastest safe repair"));
	assert_int_equal(ui_line_role_of(&f.d.lines[i], "by you"), ROLE_SECURE);
	assert_true(starts(&f.d, i + 1, "      evidence alone: [ ] not known yet"));
	/* Ticked by hand: its action folds away like a done step's. */
	assert_int_equal(find_line(&f.d, "negative trust anchor"), -1);

	i = ui_doc_find(&f.d, "step:0");
	assert_true(starts(&f.d, i, "[ ] by you 1. Confirm"));
	assert_true(starts(&f.d, i + 1, "      evidence alone: [x] done"));

	/* The note is there, its control bytes shown escaped, not obeyed. */
	i = find_line(&f.d, "note ");
	assert_true(i > ui_doc_find(&f.d, "step:4"));
	for (size_t s = 0; s < f.d.lines[i].n_segs; s++) {
		assert_null(strchr(f.d.lines[i].segs[s].text, '\033'));
		assert_null(strchr(f.d.lines[i].segs[s].text, '\a'));
	}
	assert_true(find_line(&f.d, "called \\027[31mAlpha\\007 ops") == i);

	/* Undone: back to the evidence's own marks. */
	ticks_toggle(&f.ticks, f.cl->steps[3].title, false, EB_NOW + 1);
	ui_doc_clear(&f.d);
	pane_checklist_ops.build(&f.c, &f.d);
	assert_true(starts(&f.d, ui_doc_find(&f.d, "step:3"), "[ ] 4. Choose"));
	assert_int_equal(find_line(&f.d, "evidence alone: [ ]"), -1);
	teardown(&f);
}

/* Each DS record and command of the repair step is a line of its own
 * that copies exactly the text it shows. */
static void test_checklist_copy_lines(void **state)
{
	const struct checklist_step *s;
	struct fixture f;
	char *label = NULL, *text;
	size_t placed = 0;
	long i;

	(void)state;
	setup(&f);
	s = &f.cl->steps[3];
	pane_checklist_ops.build(&f.c, &f.d);
	assert_true(s->n_copy >= 10);	/* fix, DS, 4 NTAs with undo, ... */
	assert_string_equal(s->copy[0].label, "the fix");
	/* The step line itself copies the whole fix. */
	text = pane_checklist_ops.copy(&f.c, "step:3", &label);
	assert_string_equal(text, f.dg->findings[0].fix);
	assert_string_equal(label, "the fix");
	free(text);
	free(label);
	/* The DS line: selectable, copies the record alone. */
	i = find_line(&f.d, "IN DS 4321 13 2");
	assert_true(i >= 0);
	assert_non_null(f.d.lines[i].key);
	text = pane_checklist_ops.copy(&f.c, f.d.lines[i].key, &label);
	assert_string_equal(label, "DS record");
	assert_true(strncmp(text, "example.test. 3600 IN DS 4321 13 2 ", 35) == 0);
	assert_null(strchr(text, '\n'));
	assert_non_null(strstr(f.dg->findings[0].fix, text));	/* as in the fix */
	free(text);
	free(label);
	/* Every single-line item has its line, and copies what it shows. */
	for (size_t k = 1; k < s->n_copy; k++) {
		char key[64];
		long at;
		char *line;

		snprintf(key, sizeof(key), "step:3:copy:%zu", k);
		at = ui_doc_find(&f.d, key);
		assert_true(at >= 0);
		line = ui_line_text(&f.d.lines[at]);
		text = pane_checklist_ops.copy(&f.c, key, &label);
		assert_non_null(strstr(line, text));
		free(line);
		free(text);
		free(label);
		placed++;
	}
	assert_int_equal(placed, s->n_copy - 1);
	/* The BIND undo, alone. */
	i = find_line(&f.d, "undo: rndc nta -remove example.test");
	text = pane_checklist_ops.copy(&f.c, f.d.lines[i].key, &label);
	assert_string_equal(text, "rndc nta -remove example.test");
	assert_string_equal(label, "BIND: undo the negative trust anchor");
	free(text);
	free(label);
	/* The cache-tail step has no fix: its line copies its whole action. */
	text = pane_checklist_ops.copy(&f.c, "step:5", &label);
	assert_string_equal(text, f.cl->steps[5].action);
	assert_string_equal(label, "step 6's action");
	free(text);
	free(label);
	/* Keys that name nothing copy nothing. */
	assert_null(pane_checklist_ops.copy(&f.c, "step:3:copy:999", &label));
	assert_null(pane_checklist_ops.copy(&f.c, "step:99", &label));
	assert_null(pane_checklist_ops.copy(&f.c, NULL, &label));
	teardown(&f);
}

/* The chain: a DS line copies the published DS, a key line the DS to
 * publish for that key; the detail has the same lines, selectable. */
static void test_chain_copy(void **state)
{
	struct fixture f;
	char *label = NULL, *text;
	const struct chain_link *l;

	(void)state;
	setup(&f);
	l = eb_zone(f.ev);
	pane_chain_ops.build(&f.c, &f.d);
	assert_true(ui_doc_find(&f.d, "key:example.test.:4321:13") >= 0);
	text = pane_chain_ops.copy(&f.c, "key:example.test.:4321:13", &label);
	assert_string_equal(text, l->keys[0].ds_sha256);
	assert_string_equal(label, "the DS record for key 4321");
	free(text);
	free(label);
	assert_true(ui_doc_find(&f.d, "ds:example.test.:0") >= 0);
	text = pane_chain_ops.copy(&f.c, "ds:example.test.:0", &label);
	assert_string_equal(text, l->ds[0].rr_text);
	free(text);
	free(label);
	assert_null(pane_chain_ops.copy(&f.c, "ds:example.test.:7", &label));
	assert_null(pane_chain_ops.copy(&f.c, "key:example.test.:1:13", &label));
	assert_null(pane_chain_ops.copy(&f.c, "link:example.test.", &label));
	assert_null(pane_chain_ops.copy(&f.c, "key:nowhere.:4321:13", &label));
	ui_doc_clear(&f.d);
	pane_chain_ops.detail(&f.c, "link:example.test.", &f.d);
	assert_true(ui_doc_find(&f.d, "key:example.test.:4321:13") >= 0);
	assert_true(ui_doc_find(&f.d, "ds:example.test.:0") >= 0);
	teardown(&f);
}

static void add_served_key(struct evidence *ev, uint16_t tag)
{
	eb_key(eb_zone(ev), tag, 257, true, false);
	for (size_t i = 0; i < ev->n_nameservers; i++)
		*XAPPEND(ev->nameservers[i].dnskey_tags, ev->nameservers[i].n_dnskey_tags) = tag;
}

/* A KSK rollover: the current phase marked, a wait with its countdown,
 * then the DS to publish, selectable and copyable record by record. */
static void test_runbook_pane(void **state)
{
	struct evidence *ev = eb_healthy();
	struct runbook *rb = runbook_new(RUNBOOK_KSK_ROLLOVER);
	struct runbook_view *v;
	struct ui_doc d = { .utf8 = true };
	struct pane_ctx c = { .ev = ev, .width = 100 };
	int64_t t = EB_NOW;
	char *text, *label = NULL;
	long i;

	(void)state;
	runbook_observe(rb, ev, t);
	add_served_key(ev, 6666);
	runbook_observe(rb, ev, t += 60);	/* the new key everywhere */
	c.now = t + 100;
	v = runbook_evaluate(rb, ev, c.now);
	c.runbook = v;
	pane_runbook_ops.build(&c, &d);
	assert_true(starts(&d, 0, "ksk-rollover  phase 2 of 7"));
	i = ui_doc_find(&d, "phase:1");
	assert_true(starts(&d, i, "[~] \u21922. Wait for caches to learn the new key  <- now"));
	assert_int_equal(ui_line_role_of(&d.lines[i], "<- now"), ROLE_INFO);
	/* The DNSKEY TTL (7200 s) from t, 100 s gone: 1h58m20s left. */
	i = find_line(&d, "ready in 1h58m20s");
	assert_true(i >= 0);
	assert_true(starts(&d, i, "        ready in 1h58m20s (at "));
	assert_int_equal(ui_line_role_of(&d.lines[i], "ready in"), ROLE_WARNING);
	assert_true(starts(&d, i - 1, "    [~] the DNSKEY TTL has passed"));
	assert_int_equal(ui_line_role_of(&d.lines[i - 1], "[~]"), ROLE_WARNING);
	/* Met phases fold to their title; later ones show their gates. */
	i = ui_doc_find(&d, "phase:0");
	assert_true(starts(&d, i, "[x] 1. Publish the new KSK"));
	assert_true(starts(&d, i + 1, "[~]"));
	assert_true(find_line(&d, "the new DS is visible at every parent server") >
		    ui_doc_find(&d, "phase:2"));
	/* A second later the countdown has moved. */
	c.now++;
	ui_doc_clear(&d);
	pane_runbook_ops.build(&c, &d);
	assert_true(find_line(&d, "ready in 1h58m19s") >= 0);
	/* A replay freezes the countdown at the recorded moment. */
	c.runbook_at = t + 100;
	c.now = t + 5000;
	ui_doc_clear(&d);
	pane_runbook_ops.build(&c, &d);
	assert_true(find_line(&d, "ready in 1h58m20s") >= 0);
	c.runbook_at = 0;
	runbook_view_free(v);

	/* Wait over: phase 3, its DS record on a line of its own. */
	c.now = t + 7200;
	v = runbook_evaluate(rb, ev, c.now);
	c.runbook = v;
	ui_doc_clear(&d);
	pane_runbook_ops.build(&c, &d);
	assert_int_equal(v->current, 2);
	i = ui_doc_find(&d, "phase:2:rec:0");
	assert_true(i >= 0);
	text = pane_runbook_ops.copy(&c, "phase:2:rec:0", &label);
	/* One record, its tabs as spaces (as shown). */
	assert_int_equal(strlen(text), strlen(v->phases[2].records));
	for (size_t b = 0; text[b] != '\0'; b++)
		assert_int_equal(text[b], v->phases[2].records[b] == '\t' ? ' ' :
				 v->phases[2].records[b]);
	assert_non_null(strstr(text, " IN DS 6666 13 2 "));
	assert_true(find_line(&d, text) == i);
	free(text);
	free(label);
	/* The phase line copies all its records. */
	text = pane_runbook_ops.copy(&c, "phase:2", &label);
	assert_int_equal(strlen(text), strlen(v->phases[2].records));
	assert_null(strchr(text, '\t'));
	free(text);
	free(label);
	assert_null(pane_runbook_ops.copy(&c, "phase:2:rec:5", &label));
	assert_null(pane_runbook_ops.copy(&c, "phase:70", &label));
	/* The detail lists the gates and the records. */
	ui_doc_clear(&d);
	pane_runbook_ops.detail(&c, "phase:2", &d);
	assert_true(find_line(&d, "Records to publish") >= 0);
	assert_true(ui_doc_find(&d, "phase:2:rec:0") >= 0);
	assert_true(find_line(&d, "[ ] the new DS is visible at every parent server") >= 0);
	runbook_view_free(v);

	/* Before the first snapshot: a wait line, nothing selectable. */
	c.runbook = NULL;
	ui_doc_clear(&d);
	pane_runbook_ops.build(&c, &d);
	assert_int_equal(d.n_lines, 1);
	assert_null(d.lines[0].key);
	ui_doc_clear(&d);
	runbook_free(rb);
	evidence_free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checklist_hand_ticks),
		cmocka_unit_test(test_checklist_copy_lines),
		cmocka_unit_test(test_chain_copy),
		cmocka_unit_test(test_runbook_pane),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
