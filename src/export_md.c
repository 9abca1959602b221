/*
 * export_md.c - writes an incident as Markdown for the postmortem.
 *
 * The document is ours; the data in it is not: names, EDE texts, record
 * texts and people's notes all go through export_md_escape(), so that a
 * hostile string can neither move a terminal (it is shown escaped) nor
 * become a link, an image, raw HTML, a heading or a table column in the
 * rendered page. Reads the incident, never changes it; writes only to the
 * stream or file it is given.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "escape.h"
#include "export_md.h"
#include "xmalloc.h"

char *export_md_escape(const char *in)
{
	char *shown = escape_display(in, 1), *out, *o;
	size_t len = strlen(shown);
	bool digits = true;	/* only digits so far: "1." would start a list */

	/* The worst case is "&amp;" (5 bytes) for each byte. */
	out = o = xmalloc(len * 5 + 1);
	for (size_t i = 0; i < len; i++) {
		char c = shown[i];

		if (c == '<') {
			memcpy(o, "&lt;", 4), o += 4;
		} else if (c == '>') {
			memcpy(o, "&gt;", 4), o += 4;
		} else if (c == '&') {
			memcpy(o, "&amp;", 5), o += 5;
		} else if (strchr("\\`*_[]#!|~", c) != NULL ||
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
		if (f->f.fix != NULL) {
			const char *p = f->f.fix;

			fputs("- **Fix:**\n", out);
			while (*p != '\0') {
				const char *nl = strchr(p, '\n');
				size_t n = nl ? (size_t)(nl - p) : strlen(p);
				char *one = xstrndup(p, n);

				if (n > 0) {
					fputs("  - ", out);
					put(out, one);
					fputc('\n', out);
				}
				free(one);
				p += n + (nl != NULL);
			}
		}
		fputc('\n', out);
	}
}

static void done(FILE *out, const struct incident *inc)
{
	size_t n = 0;
	char t[32];

	fputs("\n## What was done\n\n", out);
	for (size_t i = 0; i < inc->n_items; i++) {
		const struct incident_item *it = &inc->items[i];

		if (it->kind != ITEM_NOTE)
			continue;
		if (n++ == 0)
			fputs("| Time (UTC) | Step | Action | Note |\n|---|---|---|---|\n", out);
		fprintf(out, "| %s | ", iso(it->at, t));
		put(out, it->step ? it->step : "-");
		fprintf(out, " | %s | ", it->step == NULL ? "note" :
			it->ticked ? "ticked" : "unticked");
		put(out, it->text);
		fputs(" |\n", out);
	}
	if (n == 0)
		fputs("No checklist tick or note was recorded.\n", out);
}

int export_md(FILE *out, const struct incident *inc, const char *source,
	      const char *damage)
{
	summary(out, inc, source, damage);
	timeline(out, inc);
	findings(out, inc);
	done(out, inc);
	return ferror(out) ? -1 : 0;
}

int export_md_file(const char *path, const struct incident *inc,
		   const char *source, const char *damage, char **cause)
{
	FILE *f = fopen(path, "w");
	int rc;

	*cause = NULL;
	if (f == NULL) {
		*cause = xasprintf("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	rc = export_md(f, inc, source, damage);
	if (fclose(f) != 0 || rc != 0) {
		*cause = xasprintf("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}
