/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * export_md.c - writes an incident as Markdown for the postmortem.
 *
 * The document is ours; the data in it is not: names, EDE texts, record
 * texts and people's notes all go through export_md_escape(), so that a
 * hostile string can neither move a terminal (it is shown escaped) nor
 * become a link, an image, raw HTML, a heading or a table column in the
 * rendered page. Records and commands go in fenced code blocks, shown as
 * they are (controls still escaped), so that they paste as they are.
 * The output is CommonMark (tests/system/export_md.sh checks it with cmark).
 * Reads the incident, never changes it; writes only to the stream or file
 * it is given.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "export_md.h"
#include "file.h"
#include "xmalloc.h"

char *export_md_escape(const char *in)
{
	char *shown = escape_display(in, 1), *out, *o;
	size_t len = strlen(shown);
	bool digits = true;	/* only digits so far: "1." would start a list */

	/* The worst case is a backslash before each byte. */
	out = o = xmalloc(len * 2 + 1);
	for (size_t i = 0; i < len; i++) {
		char c = shown[i];

		/* CommonMark escapes any ASCII punctuation with a backslash:
		 * '<' cannot open HTML, and no entity shows up outside
		 * renderers that decode it. */
		if (strchr("\\`*_[]#!|~<>&", c) != NULL ||
		    (i == 0 && strchr("-+=", c) != NULL) ||
		    (c == '.' && digits && i > 0) || (c == ')' && digits && i > 0)) {
			*o++ = '\\';
			*o++ = c;
		} else {
			*o++ = c;
		}
		if (c < '0' || c > '9')
			digits = false;
	}
	*o = '\0';
	free(shown);
	return out;
}

/* Writes @p s escaped. */
static void put(FILE *out, const char *s)
{
	char *e = export_md_escape(s);

	fputs(e, out);
	free(e);
}

static const char *iso(int64_t t, char buf[32])
{
	return t != 0 ? diag_iso_time(t, buf) : "-";
}

static const char *duration(int64_t secs, char buf[32])
{
	if (secs < 0)
		secs = 0;
	snprintf(buf, 32, "%lldh %02lldm %02llds", (long long)(secs / 3600),
		 (long long)(secs / 60 % 60), (long long)(secs % 60));
	return buf;
}

static const char *item_label(const struct incident_item *it)
{
	switch (it->kind) {
	case ITEM_VERDICT: return "verdict";
	case ITEM_FINDING_UP: return "finding";
	case ITEM_FINDING_DOWN: return "cleared";
	case ITEM_NOTE: return it->ticked ? "ticked" : "note";
	case ITEM_EVENT: break;
	}
	return it->tone == EVENT_BAD ? "bad" : it->tone == EVENT_GOOD ? "good" : "event";
}

static void summary(FILE *out, const struct incident *inc, const char *source,
		    const char *damage)
{
	char a[32], b[32], dur[32];
	int64_t rec = incident_recovered_at(inc);
	bool broke = false;

	for (size_t i = 0; i < inc->n_snaps; i++)
		broke |= inc->snaps[i].verdict == VERDICT_BOGUS ||
			 inc->snaps[i].verdict == VERDICT_UNREACHABLE;
	fputs("# Incident record: ", out);
	put(out, inc->zone ? inc->zone : "(unknown zone)");
	fputs("\n\n", out);
	fputs("- **Zone:** ", out);
	put(out, inc->zone ? inc->zone : "(unknown)");
	fprintf(out, "\n- **Time span:** %s to %s (%s)\n", iso(inc->started_at, a),
		iso(inc->ended_at, b),
		duration(inc->ended_at - inc->started_at, dur));
	fprintf(out, "- **Snapshots:** %zu\n", inc->n_snaps);
	if (inc->n_snaps > 0)
		fprintf(out, "- **Last verdict:** %s\n",
			verdict_name(inc->snaps[inc->n_snaps - 1].verdict));
	if (rec != 0)
		fprintf(out, "- **Validation recovered:** %s (first secure snapshot"
			" after the bogus period)\n", iso(rec, a));
	else if (broke)
		fputs("- **Validation recovered:** not within this record\n", out);
	else
		fputs("- **Validation recovered:** validation was not broken in"
		      " this record\n", out);
	if (source != NULL) {
		fputs("- **Source:** ", out);
		put(out, source);
		fputc('\n', out);
	}
	if (damage != NULL) {
		fputs("- **Warning:** the recording is damaged; it is summarised up"
		      " to the damage: ", out);
		put(out, damage);
		fputc('\n', out);
	}
}

static void timeline(FILE *out, const struct incident *inc)
{
	char t[32];

	fputs("\n## Timeline\n\n", out);
	if (inc->n_items == 0) {
		fputs("Nothing was recorded.\n", out);
		return;
	}
	fputs("| Time (UTC) | What | Detail |\n|---|---|---|\n", out);
	for (size_t i = 0; i < inc->n_items; i++) {
		const struct incident_item *it = &inc->items[i];

		fprintf(out, "| %s | %s | ", iso(it->at, t), item_label(it));
		if (it->kind == ITEM_NOTE && it->step != NULL) {
			put(out, it->step);
			fputs(it->text[0] ? ": " : "", out);
		}
		put(out, it->text);
		fputs(" |\n", out);
	}
}

/*
 * Untrusted lines as a fenced code block: controls and invisible
 * characters escaped, nothing else touched, and a fence longer than any
 * run of backticks inside, so that no line can close it.
 */
static void code_block(FILE *out, char **lines, size_t n)
{
	size_t fence = 3;

	for (size_t i = 0; i < n; i++) {
		size_t run = 0;

		for (const char *p = lines[i]; *p; p++) {
			run = *p == '`' ? run + 1 : 0;
			if (run >= fence)
				fence = run + 1;
		}
	}
	for (size_t k = 0; k < fence; k++)
		fputc('`', out);
	fputc('\n', out);
	for (size_t i = 0; i < n; i++) {
		char *shown = escape_display(lines[i], 1);

		fprintf(out, "%s\n", shown);
		free(shown);
	}
	for (size_t k = 0; k < fence; k++)
		fputc('`', out);
	fputs("\n\n", out);
}

/* A fix: prose lines as a list, indented lines (records, commands) as
 * code blocks, in their order. */
static void fix_text(FILE *out, const char *fix)
{
	char **code = NULL;
	size_t n_code = 0;
	bool in_list = false;
	const char *p = fix;

	fputs("\n**Fix:**\n\n", out);
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		size_t indent = strspn(p, " ");
		bool is_code = indent >= 2 && indent < n;

		if (!is_code && n_code > 0) {
			code_block(out, code, n_code);
			for (size_t i = 0; i < n_code; i++)
				free(code[i]);
			n_code = 0;
		}
		if (is_code) {
			if (in_list)
				fputc('\n', out);
			in_list = false;
			*XAPPEND(code, n_code) = xstrndup(p + indent, n - indent);
		} else if (n > 0) {
			char *one = xstrndup(p, n);

			fputs("- ", out);
			put(out, one);
			fputc('\n', out);
			free(one);
			in_list = true;
		}
		p += n + (nl != NULL);
	}
	if (n_code > 0)
		code_block(out, code, n_code);
	else if (in_list)
		fputc('\n', out);
	for (size_t i = 0; i < n_code; i++)
		free(code[i]);
	free(code);
}

static void findings(FILE *out, const struct incident *inc)
{
	char a[32], b[32];

	fputs("\n## Findings\n\n", out);
	if (inc->n_findings == 0) {
		fputs("No finding during this record.\n", out);
		return;
	}
	for (size_t i = 0; i < inc->n_findings; i++) {
		const struct incident_finding *f = &inc->findings[i];

		fprintf(out, "### %zu. `%s` (%s)", i + 1, finding_id_name(f->f.id),
			severity_name(f->f.severity));
		if (f->f.subject != NULL) {
			fputs(": ", out);
			put(out, f->f.subject);
		}
		fputs("\n\n", out);
		fprintf(out, "- **Seen:** %s to %s", iso(f->first_seen, a),
			iso(f->last_seen, b));
		if (f->cleared_at != 0)
			fprintf(out, "; cleared at %s", iso(f->cleared_at, a));
		else
			fputs("; still present at the end", out);
		fputs("\n- **Summary:** ", out);
		put(out, f->f.summary ? f->f.summary : "");
		fprintf(out, "\n- **Who must act:** %s\n", actor_words(f->f.actor));
		if (f->f.n_evidence > 0)
			fputs("- **Evidence:**\n", out);
		for (size_t j = 0; j < f->f.n_evidence; j++) {
			fputs("  - ", out);
			put(out, f->f.evidence[j]);
			fputc('\n', out);
		}
		if (f->f.fix != NULL)
			fix_text(out, f->f.fix);
		fputc('\n', out);
	}
}

/* What a person did: a tick, an untick, a tick undone, or a note. The
 * recorder logs the three tick moves with fixed texts (ui.c). */
static const char *action_of(const struct incident_item *it, bool *is_note)
{
	*is_note = false;
	if (it->ticked)
		return "ticked by hand";
	if (strncmp(it->text, "unticked by hand", 16) == 0)
		return "unticked by hand";
	if (strncmp(it->text, "hand tick undone", 16) == 0)
		return "hand tick undone";
	*is_note = true;
	return "note";
}

static void done(FILE *out, const struct incident *inc)
{
	size_t n = 0;
	char t[32];

	fputs("\n## What was done\n\n", out);
	for (size_t i = 0; i < inc->n_items; i++) {
		const struct incident_item *it = &inc->items[i];
		bool is_note;
		const char *action;

		if (it->kind != ITEM_NOTE)
			continue;
		action = action_of(it, &is_note);
		if (n++ == 0)
			fputs("| Time (UTC) | Step | Action | Note |\n|---|---|---|---|\n", out);
		fprintf(out, "| %s | ", iso(it->at, t));
		put(out, it->step ? it->step : "-");
		fprintf(out, " | %s | ", action);
		if (is_note)
			put(out, it->text);
		fputs(" |\n", out);
	}
	if (n == 0)
		fputs("No checklist tick or note was recorded.\n", out);
}

/* Who was hurt and for how long: from the verdicts of the snapshots and
 * the resolver findings (which validators failed, which resolvers did not
 * validate and so hid the failure, which could not be reached). */
static void impact(FILE *out, const struct incident *inc)
{
	static const enum finding_id resolver_findings[] = {
		FINDING_VALIDATORS_SERVFAIL, FINDING_NONVALIDATING_RESOLVER,
		FINDING_RESOLVER_UNREACHABLE,
	};
	static const char *const labels[] = {
		"Validating resolvers failed",
		"Not validating (answered, hiding the failure)",
		"Unreachable resolvers",
	};
	int64_t first = 0, rec = incident_recovered_at(inc), end;
	enum verdict worst = VERDICT_SECURE;
	char a[32], dur[32];

	for (size_t i = 0; i < inc->n_snaps; i++) {
		if (inc->snaps[i].verdict >= VERDICT_BOGUS && first == 0)
			first = inc->snaps[i].at;
		if (inc->snaps[i].verdict > worst)
			worst = inc->snaps[i].verdict;
	}
	fputs("\n## Impact\n\n", out);
	if (first == 0) {
		fprintf(out, "Validation did not fail in this record (worst verdict: %s).\n",
			inc->n_snaps > 0 ? verdict_name(worst) : "none");
		return;
	}
	end = rec != 0 ? rec : inc->ended_at;
	fprintf(out, "- **First failure seen:** %s (%s)\n", iso(first, a),
		verdict_name(worst));
	if (rec != 0)
		fprintf(out, "- **Recovery:** %s\n", iso(rec, a));
	else
		fputs("- **Recovery:** not within this record\n", out);
	fprintf(out, "- **Duration:** %s%s\n", duration(end - first, dur),
		rec != 0 ? "" : " so far (to the end of the record)");
	for (size_t k = 0; k < 3; k++) {
		for (size_t i = 0; i < inc->n_findings; i++) {
			const struct finding *f = &inc->findings[i].f;

			if (f->id != resolver_findings[k])
				continue;
			fprintf(out, "- **%s:** ", labels[k]);
			put(out, f->summary ? f->summary : "");
			fputc('\n', out);
			for (size_t j = 0; j < f->n_evidence; j++) {
				fputs("  - ", out);
				put(out, f->evidence[j]);
				fputc('\n', out);
			}
		}
	}
}

int export_md(FILE *out, const struct incident *inc, const char *source,
	      const char *damage)
{
	summary(out, inc, source, damage);
	impact(out, inc);
	timeline(out, inc);
	findings(out, inc);
	done(out, inc);
	return ferror(out) ? -1 : 0;
}

struct export_args {
	const struct incident *inc;
	const char *source, *damage;
};

static int export_fill(FILE *f, const void *arg)
{
	const struct export_args *a = arg;

	return export_md(f, a->inc, a->source, a->damage);
}

int export_md_file(const char *path, const struct incident *inc,
		   const char *source, const char *damage, char **cause)
{
	struct export_args a = { inc, source, damage };

	return file_write_atomic(path, NULL, 0666, export_fill, &a, cause);
}
