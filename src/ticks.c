/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ticks.c - hand ticks, unticks and notes on checklist steps, keyed by the
 * step's title so that they outlive every snapshot.
 *
 * A handful of steps and notes: linear search is the right structure. No
 * I/O and no clock; the console logs and records each change itself.
 */
#include <stdlib.h>
#include <string.h>

#include "ticks.h"
#include "xmalloc.h"

static struct tick_step *find(const struct ticks *t, const char *title)
{
	for (size_t i = 0; t != NULL && title != NULL && i < t->n; i++)
		if (strcmp(t->steps[i].title, title) == 0)
			return &t->steps[i];
	return NULL;
}

static struct tick_step *get(struct ticks *t, const char *title)
{
	struct tick_step *s = find(t, title);

	if (s == NULL) {
		s = XAPPEND(t->steps, t->n);
		memset(s, 0, sizeof(*s));
		s->title = xstrdup(title);
	}
	return s;
}

enum tick_override ticks_toggle(struct ticks *t, const char *title,
				bool auto_done, int64_t now)
{
	struct tick_step *s = get(t, title);

	if (s->override != TICK_AUTO)
		s->override = TICK_AUTO;
	else
		s->override = auto_done ? TICK_UNTICKED_BY_HAND : TICK_BY_HAND;
	s->at = now;
	return s->override;
}

enum tick_override ticks_override(const struct ticks *t, const char *title)
{
	const struct tick_step *s = find(t, title);

	return s != NULL ? s->override : TICK_AUTO;
}

bool ticks_done(const struct ticks *t, const char *title, bool auto_done)
{
	switch (ticks_override(t, title)) {
	case TICK_BY_HAND: return true;
	case TICK_UNTICKED_BY_HAND: return false;
	case TICK_AUTO: break;
	}
	return auto_done;
}

/* The longest prefix of @p s of at most @p max bytes that ends on a
 * character boundary (a cut never splits a UTF-8 sequence). */
static size_t utf8_prefix(const char *s, size_t max)
{
	size_t n = strlen(s);

	if (n <= max)
		return n;
	n = max;
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

void ticks_note(struct ticks *t, const char *title, const char *text,
		int64_t now)
{
	struct tick_step *s = get(t, title);
	struct tick_note *n;

	if (s->n_notes == TICKS_NOTES_MAX) {
		free(s->notes[0].text);
		memmove(s->notes, s->notes + 1, (s->n_notes - 1) * sizeof(*s->notes));
		s->n_notes--;
	}
	n = XAPPEND(s->notes, s->n_notes);
	n->at = now;
	n->text = xstrndup(text, utf8_prefix(text, TICKS_NOTE_MAX));
}

const struct tick_step *ticks_find(const struct ticks *t, const char *title)
{
	return find(t, title);
}

void ticks_clear(struct ticks *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->n; i++) {
		for (size_t j = 0; j < t->steps[i].n_notes; j++)
			free(t->steps[i].notes[j].text);
		free(t->steps[i].notes);
		free(t->steps[i].title);
	}
	free(t->steps);
	memset(t, 0, sizeof(*t));
}
