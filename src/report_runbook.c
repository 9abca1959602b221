/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * report_runbook.c - a planned-change runbook as text or JSON.
 *
 * Gate details name servers and records that came off the network, so they
 * pass through escape.h like everything else.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "diag.h"
#include "escape.h"
#include "json.h"
#include "report_runbook.h"
#include "xmalloc.h"

static const char *state_mark(enum gate_state s)
{
	switch (s) {
	case GATE_MET: return "[x]";
	case GATE_WAITING: return "[~]";
	case GATE_BLOCKED: break;
	}
	return "[ ]";
}

static const char *state_name(enum gate_state s)
{
	switch (s) {
	case GATE_MET: return "met";
	case GATE_WAITING: return "waiting";
	case GATE_BLOCKED: break;
	}
	return "blocked";
}

/* One record per line; each line escaped on its own (a newline is ours). */
static void print_lines(FILE *out, const char *text, const char *indent)
{
	const char *line = text;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		char *raw = xstrndup(line, len), *esc = escape_text(raw, 0);

		fprintf(out, "%s%s\n", indent, esc);
		free(esc);
		free(raw);
		line += len + (nl != NULL);
	}
}

static void clock_time(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, len, "%Y-%m-%d %H:%M:%SZ", &tm);
}

int report_runbook_text(FILE *out, const struct runbook_view *v, int64_t now)
{
	fprintf(out, "Runbook: %s (phase %zu of %zu%s)\n", runbook_kind_name(v->kind),
		v->current < v->n_phases ? v->current + 1 : v->n_phases, v->n_phases,
		v->current == v->n_phases ? ", done" : "");
	for (size_t i = 0; i < v->n_phases; i++) {
		const struct runbook_phase *p = &v->phases[i];

		fprintf(out, "\n%s %zu. %s%s\n", state_mark(p->state), i + 1, p->title,
			i == v->current ? "   <- now" : "");
		fprintf(out, "      %s\n", p->action);
		if (p->records != NULL) {
			fprintf(out, "      records:\n");
			print_lines(out, p->records, "        ");
		}
		for (size_t g = 0; g < p->n_gates; g++) {
			const struct runbook_gate *gt = &p->gates[g];
			char *d = escape_text(gt->detail, 400);
			char when[32] = "";

			if (gt->state == GATE_WAITING) {
				clock_time(gt->ready_at, when, sizeof(when));
				fprintf(out, "      %s %s: %s (until %s)\n", state_mark(gt->state),
					gt->title, d, when);
			} else {
				fprintf(out, "      %s %s: %s\n", state_mark(gt->state),
					gt->title, d);
			}
			free(d);
		}
	}
	(void)now;
	return ferror(out) ? -1 : 0;
}

int report_runbook_json(FILE *out, const struct runbook_view *v)
{
	struct json_builder b = { 0 };
	char tb[32], *text;
	json_t *doc;

	json_builder_open(&b, NULL, '{');
	json_builder_set(&b, "schema_version", json_string(JSON_SCHEMA_VERSION));
	json_builder_set(&b, "kind", json_string(runbook_kind_name(v->kind)));
	json_builder_set(&b, "current_phase", json_integer((json_int_t)v->current + 1));
	json_builder_set(&b, "done", json_boolean(v->current == v->n_phases));
	json_builder_open(&b, "phases", '[');
	for (size_t i = 0; i < v->n_phases; i++) {
		const struct runbook_phase *p = &v->phases[i];

		json_builder_open(&b, NULL, '{');
		json_builder_set(&b, "title", json_str(p->title));
		json_builder_set(&b, "state", json_string(state_name(p->state)));
		json_builder_set(&b, "action", json_str(p->action));
		json_builder_set(&b, "records", json_str(p->records));
		json_builder_open(&b, "gates", '[');
		for (size_t g = 0; g < p->n_gates; g++) {
			const struct runbook_gate *gt = &p->gates[g];

			json_builder_open(&b, NULL, '{');
			json_builder_set(&b, "title", json_str(gt->title));
			json_builder_set(&b, "state", json_string(state_name(gt->state)));
			json_builder_set(&b, "detail", json_str(gt->detail));
			json_builder_set(&b, "ready_at", gt->ready_at == 0 ? json_null() :
					 json_string(diag_iso_time(gt->ready_at, tb)));
			json_builder_close(&b);
		}
		json_builder_close(&b);
		json_builder_close(&b);
	}
	json_builder_close(&b);
	json_builder_close(&b);
	doc = json_builder_take(&b);
	text = json_render(doc, true);
	json_decref(doc);
	if (text == NULL)
		return -1;
	fprintf(out, "%s\n", text);
	free(text);
	return ferror(out) ? -1 : 0;
}
