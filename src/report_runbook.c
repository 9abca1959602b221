/*
 * report_runbook.c - a planned-change runbook as text or JSON.
 *
 * Gate details name servers and records that came off the network, so they
 * pass through escape.h like everything else.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "escape.h"
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
	fprintf(out, "{\"kind\":\"%s\",\"current_phase\":%zu,\"done\":%s,\"phases\":[",
		runbook_kind_name(v->kind), v->current + 1,
		v->current == v->n_phases ? "true" : "false");
	for (size_t i = 0; i < v->n_phases; i++) {
		const struct runbook_phase *p = &v->phases[i];
		char *records = p->records ? escape_json(p->records) : NULL;

		fprintf(out, "%s{\"title\":\"%s\",\"state\":\"%s\",\"action\":\"%s\",\"records\":",
			i ? "," : "", p->title, state_name(p->state), p->action);
		if (records)
			fprintf(out, "\"%s\"", records);
		else
			fputs("null", out);
		free(records);
		fputs(",\"gates\":[", out);
		for (size_t g = 0; g < p->n_gates; g++) {
			char *d = escape_json(p->gates[g].detail);

			fprintf(out, "%s{\"title\":\"%s\",\"state\":\"%s\",\"detail\":\"%s\",\"ready_at\":%lld}",
				g ? "," : "", p->gates[g].title, state_name(p->gates[g].state),
				d, (long long)p->gates[g].ready_at);
			free(d);
		}
		fputs("]}", out);
	}
	fputs("]}", out);
	return ferror(out) ? -1 : 0;
}
