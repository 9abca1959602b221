/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * incident.c - the postmortem's memory of a session.
 *
 * Snapshots are reduced to what a postmortem reads: the verdict, and the
 * findings by (id, subject), so that "ds-no-matching-key on example.test."
 * appears once with when it was first and last seen, however many refreshes
 * saw it. Timeline items come from three places: verdict and finding
 * changes derived here from consecutive snapshots, console events recorded
 * as they happened, and people's notes. Pure: no I/O, no clock.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "incident.h"
#include "xmalloc.h"

void incident_init(struct incident *inc, const char *zone)
{
	*inc = (struct incident){ .zone = xstrdup_null(zone) };
}

static void finding_copy(struct finding *dst, const struct finding *src)
{
	*dst = *src;
	dst->subject = xstrdup_null(src->subject);
	dst->summary = xstrdup_null(src->summary);
	dst->fix = xstrdup_null(src->fix);
	dst->evidence = NULL;
	if (src->n_evidence > 0) {
		dst->evidence = xcalloc(src->n_evidence, sizeof(char *));
		for (size_t i = 0; i < src->n_evidence; i++)
			dst->evidence[i] = xstrdup_null(src->evidence[i]);
	}
}

void incident_clear(struct incident *inc)
{
	if (inc == NULL)
		return;
	free(inc->zone);
	free(inc->snaps);
	for (size_t i = 0; i < inc->n_findings; i++)
		diag_finding_clear(&inc->findings[i].f);
	free(inc->findings);
	for (size_t i = 0; i < inc->n_items; i++) {
		free(inc->items[i].step);
		free(inc->items[i].text);
	}
	free(inc->items);
	*inc = (struct incident){ 0 };
}

static void touch(struct incident *inc, int64_t at)
{
	if (inc->started_at == 0 || (at != 0 && at < inc->started_at))
		inc->started_at = at;
	if (at > inc->ended_at)
		inc->ended_at = at;
}

static struct incident_item *add_item(struct incident *inc, int64_t at,
				      enum incident_item_kind kind,
				      enum event_kind tone, const char *text)
{
	struct incident_item *it;
	size_t pos = inc->n_items;

	if (inc->n_items >= INCIDENT_MAX_ITEMS)
		return NULL;
	touch(inc, at);
	/* Keep time order; lines normally arrive in order, so this is O(1). */
	while (pos > 0 && inc->items[pos - 1].at > at)
		pos--;
	XAPPEND(inc->items, inc->n_items);
	memmove(&inc->items[pos + 1], &inc->items[pos],
		(inc->n_items - 1 - pos) * sizeof(inc->items[0]));
	it = &inc->items[pos];
	*it = (struct incident_item){ .at = at, .kind = kind, .tone = tone,
				      .text = xstrdup(text ? text : "") };
	return it;
}

static bool same_subject(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

static struct incident_finding *find(struct incident *inc,
				     const struct finding *f)
{
	for (size_t i = 0; i < inc->n_findings; i++)
		if (inc->findings[i].f.id == f->id &&
		    same_subject(inc->findings[i].f.subject, f->subject))
			return &inc->findings[i];
	return NULL;
}

static void finding_text(char *buf, size_t len, const struct finding *f)
{
	snprintf(buf, len, "%s %s%s%s", severity_name(f->severity),
		 finding_id_name(f->id), f->subject ? " " : "",
		 f->subject ? f->subject : "");
}

void incident_observe(struct incident *inc, const struct diagnosis *d,
		      int64_t at)
{
	struct incident_snapshot *prev = inc->n_snaps ? &inc->snaps[inc->n_snaps - 1] : NULL;
	char text[600];

	if (inc->n_snaps >= INCIDENT_MAX_ITEMS)
		return;
	if (prev == NULL || prev->verdict != d->verdict) {
		snprintf(text, sizeof(text), "verdict %s%s%s",
			 prev ? verdict_name(prev->verdict) : "",
			 prev ? " -> " : "", verdict_name(d->verdict));
		add_item(inc, at, ITEM_VERDICT,
			 prev == NULL ? (d->verdict >= VERDICT_DEGRADED ? EVENT_BAD : EVENT_INFO) :
			 d->verdict > prev->verdict ? EVENT_BAD : EVENT_GOOD, text);
	}
	*XAPPEND(inc->snaps, inc->n_snaps) = (struct incident_snapshot){
		.at = at, .verdict = d->verdict };
	touch(inc, at);
	/* Cleared: known, still open, absent now. */
	for (size_t i = 0; i < inc->n_findings; i++) {
		struct incident_finding *f = &inc->findings[i];

		if (f->cleared_at == 0 && diagnosis_find(d, f->f.id, f->f.subject) == NULL) {
			f->cleared_at = at;
			finding_text(text, sizeof(text), &f->f);
			add_item(inc, at, ITEM_FINDING_DOWN, EVENT_GOOD, text);
		}
	}
	for (size_t i = 0; i < d->n_findings; i++) {
		const struct finding *src = &d->findings[i];
		struct incident_finding *f = find(inc, src);

		if (f == NULL) {
			f = XAPPEND(inc->findings, inc->n_findings);
			finding_copy(&f->f, src);
			f->first_seen = at;
			f->cleared_at = at;	/* so that it is announced below */
		} else {
			diag_finding_clear(&f->f);	/* keep the latest wording */
			finding_copy(&f->f, src);
		}
		if (f->cleared_at != 0) {
			f->cleared_at = 0;
			finding_text(text, sizeof(text), src);
			add_item(inc, at, ITEM_FINDING_UP,
				 src->severity == SEV_INFO ? EVENT_INFO : EVENT_BAD, text);
		}
		f->last_seen = at;
	}
}

void incident_event(struct incident *inc, int64_t at, enum event_kind tone,
		    const char *key, const char *text)
{
	if (key == NULL || strncmp(key, "finding:", 8) == 0) {
		touch(inc, at);
		return;
	}
	add_item(inc, at, ITEM_EVENT, tone, text);
}

void incident_note(struct incident *inc, int64_t at, const char *step,
		   bool ticked, const char *text)
{
	struct incident_item *it = add_item(inc, at, ITEM_NOTE, EVENT_INFO, text);

	if (it != NULL) {
		it->step = xstrdup_null(step);
		it->ticked = ticked;
	}
}

int64_t incident_recovered_at(const struct incident *inc)
{
	bool broken = false;
	int64_t recovered = 0;

	for (size_t i = 0; i < inc->n_snaps; i++) {
		enum verdict v = inc->snaps[i].verdict;

		if (v == VERDICT_BOGUS || v == VERDICT_UNREACHABLE) {
			broken = true;
			recovered = 0;	/* broke again: only the last recovery counts */
		} else if (v == VERDICT_SECURE && broken) {
			broken = false;
			recovered = inc->snaps[i].at;
		}
	}
	return recovered;
}

const char *incident_tone_name(enum event_kind k)
{
	switch (k) {
	case EVENT_GOOD: return "good";
	case EVENT_BAD: return "bad";
	case EVENT_INFO: break;
	}
	return "info";
}

int incident_tone_parse(const char *s)
{
	if (strcmp(s, "info") == 0)
		return EVENT_INFO;
	if (strcmp(s, "good") == 0)
		return EVENT_GOOD;
	if (strcmp(s, "bad") == 0)
		return EVENT_BAD;
	return -1;
}
