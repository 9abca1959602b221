/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * recording.c - loads an incident record, up to its first damage.
 *
 * Each line is parsed on its own (json.h), so one bad line is found and
 * named without guessing; reading stops there because what follows a
 * corrupt line cannot be trusted to be in order. Every snapshot is decoded
 * once here (to find damage early and to feed the incident summary with
 * its diagnosis at the recorded time), then kept as text. Reads only the
 * file it is given; no network.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "evidence_json.h"
#include "file.h"
#include "json.h"
#include "recorder.h"
#include "recording.h"
#include "xmalloc.h"

static const char *str_field(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* One line into @p rec. Returns NULL or a new cause. */
static char *load_line(struct recording *rec, char *text, size_t len,
		       unsigned lineno)
{
	const json_t *v;
	const char *type;
	json_t *o;
	char *cause = NULL;
	int64_t at = -1;

	if ((o = json_parse(text, len, &cause)) == NULL)
		return cause;
	type = str_field(o, "type");
	v = json_object_get(o, "at");
	if (json_is_integer(v))
		at = json_integer_value(v);
	if (type == NULL) {
		cause = xstrdup("not a record line (no \"type\")");
	} else if (at < 0 || at > RECORDING_MAX_AT) {
		cause = xstrdup("no valid \"at\" time");
	} else if (strcmp(type, "header") == 0) {
		v = json_object_get(o, "version");
		if (!json_is_integer(v) || json_integer_value(v) != RECORD_VERSION)
			cause = xasprintf("unsupported record version (this bogus"
					  " reads version %d)", RECORD_VERSION);
		else if (rec->inc.zone == NULL && str_field(o, "zone") != NULL)
			rec->inc.zone = xstrndup(str_field(o, "zone"), EVIDENCE_MAX_TEXT);
	} else if (strcmp(type, "snapshot") == 0) {
		struct evidence *ev = evidence_json_decode(json_object_get(o, "evidence"), &cause);
		struct recording_snapshot *s;
		struct diagnosis *d;

		if (ev != NULL) {
			if (rec->inc.zone == NULL)
				rec->inc.zone = xstrdup(ev->zone);
			d = diag_run(ev, at);
			incident_observe(&rec->inc, d, at);
			diagnosis_free(d);
			evidence_free(rec->last_ev);
			rec->last_ev = ev;
			s = XAPPEND(rec->snaps, rec->n_snaps);
			s->at = at;
			s->line = lineno;
			s->text = xstrndup(text, len);
			s->len = len;
			s->full = rec->n_snaps - 1;
		}
	} else if (strcmp(type, "unchanged") == 0) {
		struct recording_snapshot *s;
		struct diagnosis *d;

		if (rec->last_ev == NULL) {
			cause = xstrdup("\"unchanged\" before any snapshot");
		} else {
			d = diag_run(rec->last_ev, at);
			incident_observe(&rec->inc, d, at);
			diagnosis_free(d);
			s = XAPPEND(rec->snaps, rec->n_snaps);
			*s = (struct recording_snapshot){ .at = at, .line = lineno,
				.full = rec->snaps[rec->n_snaps - 2].full };
		}
	} else if (strcmp(type, "event") == 0) {
		const char *kind = str_field(o, "kind"), *t = str_field(o, "text");
		int tone = kind != NULL ? incident_tone_parse(kind) : -1;

		if (tone < 0 || t == NULL)
			cause = xstrdup("event without a valid \"kind\" and \"text\"");
		else
			incident_event(&rec->inc, at, (enum event_kind)tone,
				       str_field(o, "key"), t);
	} else if (strcmp(type, "note") == 0) {
		const char *t = str_field(o, "text");

		v = json_object_get(o, "ticked");
		if (!json_is_boolean(v) || t == NULL)
			cause = xstrdup("note without \"ticked\" and \"text\"");
		else
			incident_note(&rec->inc, at, str_field(o, "step"), json_is_true(v), t);
	}
	/* Other types: a newer bogus wrote them; skip. */
	json_decref(o);
	return cause;
}

int recording_load(const char *path, struct recording *rec, char **cause)
{
	FILE *f;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned lineno = 0;

	*rec = (struct recording){ 0 };
	*cause = NULL;
	incident_init(&rec->inc, NULL);
	if ((f = file_open_regular(path, "recording", 0, cause)) == NULL)
		return -1;
	rec->path = xstrdup(path);
	while ((n = getline(&line, &cap, f)) > 0) {
		bool complete = line[n - 1] == '\n';
		size_t len = (size_t)n - complete;
		char *why;

		lineno++;
		if (len == 0 || (len == 1 && line[0] == '\r'))
			continue;
		if (len > RECORDING_MAX_LINE)
			why = xasprintf("line longer than %u bytes", RECORDING_MAX_LINE);
		else if (memchr(line, '\0', len) != NULL)
			why = xstrdup("NUL byte in line");
		else
			why = load_line(rec, line, len, lineno);
		if (why != NULL && !complete) {
			char *t = xasprintf("incomplete last line (recording cut short): %s", why);

			free(why);
			why = t;
		}
		if (why != NULL) {
			rec->damage_line = lineno;
			rec->damage = xasprintf("%s: line %u: %s", path, lineno, why);
			free(why);
			break;
		}
	}
	if (n < 0 && ferror(f) && rec->damage == NULL) {
		*cause = xasprintf("cannot read recording %s: %s", path, strerror(errno));
		free(line);
		fclose(f);
		evidence_free(rec->last_ev);
		recording_free(rec);
		return -1;
	}
	free(line);
	fclose(f);
	evidence_free(rec->last_ev);
	rec->last_ev = NULL;
	return 0;
}

struct evidence *recording_evidence(const struct recording *rec, size_t i,
				    char **cause)
{
	json_t *o;
	struct evidence *ev;

	*cause = NULL;
	if (i >= rec->n_snaps) {
		*cause = xasprintf("no snapshot %zu", i + 1);
		return NULL;
	}
	i = rec->snaps[i].full;
	if ((o = json_parse(rec->snaps[i].text, rec->snaps[i].len, cause)) == NULL)
		return NULL;
	ev = evidence_json_decode(json_object_get(o, "evidence"), cause);
	json_decref(o);
	return ev;
}

size_t recording_find(const struct recording *rec, int64_t at)
{
	size_t best = 0;

	for (size_t i = 0; i < rec->n_snaps; i++)
		if (rec->snaps[i].at <= at)
			best = i;
	return best;
}

void recording_free(struct recording *rec)
{
	if (rec == NULL)
		return;
	for (size_t i = 0; i < rec->n_snaps; i++)
		free(rec->snaps[i].text);
	free(rec->snaps);
	free(rec->path);
	free(rec->damage);
	incident_clear(&rec->inc);
	*rec = (struct recording){ 0 };
}
