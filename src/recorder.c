/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * recorder.c - appends the incident record, one whole line per write(2).
 *
 * A line is built completely in memory (jansson, json.h) and written with a
 * single write(2) on an O_APPEND descriptor: there is no stdio buffer that
 * could hold half a line at a crash, and a second bogus appending to the
 * same file cannot interleave inside a line. A failed write is logged and
 * remembered for the status line, and recording goes on: losing one line
 * must not stop the console. Runs on the UI thread only; no network.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "evidence_json.h"
#include "json.h"
#include "log.h"
#include "recorder.h"
#include "xmalloc.h"

struct recorder {
	int fd;			/* -1: memory only */
	char *path;
	char *error;
	struct incident inc;
	char *zone, *mode;	/* for the header of a new file after rotation */
	/* The last full snapshot with times, RTTs and TTLs taken out
	 * (snapshot_key), and when it was taken; NULL: none in this file. */
	char *last_key;
	int64_t last_at;
	uint64_t max_size;	/* rotate beyond this many bytes; 0 never */
	unsigned rotations;	/* files started since open */
};


int recorder_write_line(int fd, const char *buf, size_t len)
{
	ssize_t n;

	do {
		n = write(fd, buf, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	return (size_t)n == len ? 0 : -EIO;
}

/* A new record line: {"type":..., "at":...}; the caller adds the rest. */
static json_t *line_start(const char *type, int64_t at)
{
	json_t *o = json_object();

	json_object_set_new(o, "type", json_string(type));
	json_object_set_new(o, "at", json_integer(at));
	json_object_set_new(o, "schema_version", json_string(JSON_SCHEMA_VERSION));
	return o;
}

/* Renders @p o (consumed) on one line and writes it with one write(2). */
static void line_finish(struct recorder *r, json_t *o)
{
	char *text = json_render(o, false), *line;
	int rc = -ENOMEM;

	json_decref(o);
	if (text != NULL) {
		line = xasprintf("%s\n", text);
		rc = r->fd >= 0 ? recorder_write_line(r->fd, line, strlen(line)) : 0;
		free(line);
		free(text);
	}
	if (rc != 0 && r->fd >= 0) {
		free(r->error);
		r->error = xasprintf("recording to %s: %s", r->path, strerror(-rc));
		log_msg(LOG_ERR, "%s", r->error);
	}
}

static void write_header(struct recorder *r, int64_t now)
{
	json_t *o = line_start("header", now);

	json_object_set_new(o, "version", json_integer(RECORD_VERSION));
	json_object_set_new(o, "zone", json_str(r->zone));
	json_object_set_new(o, "started_at", json_integer(now));
	json_object_set_new(o, "mode", json_str(r->mode));
	json_object_set_new(o, "bogus", json_string(BOGUS_VERSION));
	line_finish(r, o);
}

/*
 * FILE is full: FILE.1 becomes FILE.2 (and so on, RECORD_KEEP files
 * kept), FILE becomes FILE.1, and a new FILE starts with a header and,
 * next, a full snapshot, so that every file replays on its own.
 */
static void rotate(struct recorder *r)
{
	char *from, *to;
	int fd;

	for (int i = RECORD_KEEP; i >= 1; i--) {
		from = i > 1 ? xasprintf("%s.%d", r->path, i - 1) : xstrdup(r->path);
		to = xasprintf("%s.%d", r->path, i);
		if (rename(from, to) != 0 && errno != ENOENT && i == 1) {
			free(r->error);
			r->error = xasprintf("rotating %s: %s", r->path, strerror(errno));
			log_msg(LOG_ERR, "%s", r->error);
		}
		free(from);
		free(to);
	}
	fd = open(r->path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0) {
		free(r->error);
		r->error = xasprintf("cannot open %s for recording: %s", r->path, strerror(errno));
		log_msg(LOG_ERR, "%s", r->error);
		return;	/* the full file stays open: better too big than lost */
	}
	close(r->fd);
	r->fd = fd;
	free(r->last_key);
	r->last_key = NULL;
	r->rotations++;
	write_header(r, (int64_t)time(NULL));
}

static int by_text(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* An array of strings (record texts) in sorted order: resolvers rotate
 * the records of an RRset from one answer to the next. */
static void sort_strings(json_t *v)
{
	size_t n = json_array_size(v), i;
	const char **t;
	json_t *x, *sorted;

	if (n < 2)
		return;
	json_array_foreach(v, i, x)
		if (!json_is_string(x))
			return;
	t = xcalloc(n, sizeof(*t));
	json_array_foreach(v, i, x)
		t[i] = json_string_value(x);
	qsort(t, n, sizeof(*t), by_text);
	sorted = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(sorted, json_string(t[i]));
	free(t);
	json_array_clear(v);
	json_array_extend(v, sorted);
	json_decref(sorted);
}

/*
 * What must change for a snapshot to be worth a full line: the evidence
 * without when it was taken, how fast the answers came and how many
 * queries and retransmits it took, how much of a cached TTL was left (the
 * TTL field of record texts too), the order of records in an RRset and the
 * random label of the nonexistent name asked.
 */
static void strip_volatile(json_t *v)
{
	static const char *const drop[] = { "rtt_ms", "started_at", "finished_at",
					    "min_ttl", "neg_ttl", "queries_sent",
					    "late_replies" };
	const char *key;
	json_t *x;
	void *tmp;
	size_t i;

	if (json_is_object(v)) {
		for (i = 0; i < sizeof(drop) / sizeof(drop[0]); i++)
			json_object_del(v, drop[i]);
		json_object_foreach_safe(v, tmp, key, x)
			strip_volatile(x);
	} else if (json_is_array(v)) {
		json_array_foreach(v, i, x) {
			const char *t = json_string_value(x), *tab, *tab2;

			if (t != NULL && (tab = strchr(t, '\t')) != NULL &&
			    (tab2 = strchr(tab + 1, '\t')) != NULL &&
			    strspn(tab + 1, "0123456789") == (size_t)(tab2 - tab - 1)) {
				char *s = xasprintf("%.*s\t*%s", (int)(tab - t), t, tab2);

				json_array_set_new(v, i, json_string(s));
				free(s);
				x = json_array_get(v, i);
			}
			strip_volatile(x);
		}
		sort_strings(v);
	} else if (json_is_string(v) && strncmp(json_string_value(v), "bogus-nx-", 9) == 0) {
		const char *dot = strchr(json_string_value(v), '.');
		char *s = xasprintf("bogus-nx-*%s", dot ? dot : "");

		json_string_set(v, s);
		free(s);
	}
}

/* The comparison key of an evidence tree (not consumed). New string. */
static char *snapshot_key(const json_t *evidence)
{
	json_t *copy = json_deep_copy(evidence);
	char *key;

	strip_volatile(copy);
	key = json_dumps(copy, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(copy);
	return key;
}

struct recorder *recorder_open(const char *path, const char *zone,
			       const char *mode, int64_t now, char **cause)
{
	struct recorder *r;

	*cause = NULL;
	r = xcalloc(1, sizeof(*r));
	r->fd = -1;
	incident_init(&r->inc, zone);
	if (path == NULL)
		return r;
	r->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (r->fd < 0) {
		*cause = xasprintf("cannot open %s for recording: %s", path,
				   strerror(errno));
		recorder_close(r);
		return NULL;
	}
	r->path = xstrdup(path);
	r->zone = xstrdup_null(zone);
	r->mode = xstrdup_null(mode);
	write_header(r, now);
	if (r->error != NULL) {
		*cause = xstrdup(r->error);
		recorder_close(r);
		return NULL;
	}
	return r;
}

void recorder_snapshot(struct recorder *r, const struct evidence *ev,
		       const struct diagnosis *d, int64_t at)
{
	json_t *o, *tree;
	char *key;

	if (r == NULL)
		return;
	if (r->inc.zone == NULL)
		r->inc.zone = xstrdup_null(ev->zone);
	incident_observe(&r->inc, d, at);
	if (r->fd < 0)
		return;
	if (r->max_size > 0) {
		struct stat st;

		/* Before the snapshot: a new file starts with it in full. */
		if (fstat(r->fd, &st) == 0 && (uint64_t)st.st_size >= r->max_size)
			rotate(r);
	}
	tree = evidence_json_build(ev);
	key = snapshot_key(tree);
	if (key != NULL && r->last_key != NULL && strcmp(key, r->last_key) == 0) {
		/* Weeks of a stable zone: a line, not 50 KB, per refresh. */
		json_decref(tree);
		free(key);
		o = line_start("unchanged", at);
		json_object_set_new(o, "since", json_integer(r->last_at));
		json_object_set_new(o, "verdict", json_string(verdict_name(d->verdict)));
		line_finish(r, o);
		return;
	}
	o = line_start("snapshot", at);
	json_object_set_new(o, "verdict", json_string(verdict_name(d->verdict)));
	json_object_set_new(o, "evidence", tree);
	line_finish(r, o);
	free(r->last_key);
	r->last_key = key;
	r->last_at = at;
}

void recorder_seed(struct recorder *r, const struct evidence *ev, int64_t at)
{
	json_t *tree;

	if (r == NULL || r->fd < 0 || r->rotations > 0 || ev == NULL)
		return;
	tree = evidence_json_build(ev);
	free(r->last_key);
	r->last_key = snapshot_key(tree);
	r->last_at = at;
	json_decref(tree);
}

void recorder_set_max_size(struct recorder *r, uint64_t bytes)
{
	if (r != NULL)
		r->max_size = bytes;
}

void recorder_event(struct recorder *r, const struct event *e)
{
	json_t *o;

	if (r == NULL)
		return;
	incident_event(&r->inc, e->at, e->kind, e->key, e->text);
	if (r->fd < 0)
		return;
	o = line_start("event", e->at);
	json_object_set_new(o, "kind", json_string(incident_tone_name(e->kind)));
	json_object_set_new(o, "key", json_str(e->key));
	json_object_set_new(o, "text", json_str(e->text));
	line_finish(r, o);
}

void recorder_note(struct recorder *r, int64_t at, const char *step,
		   bool ticked, const char *text)
{
	json_t *o;

	if (r == NULL)
		return;
	incident_note(&r->inc, at, step, ticked, text);
	if (r->fd < 0)
		return;
	o = line_start("note", at);
	json_object_set_new(o, "step", json_str(step));
	json_object_set_new(o, "ticked", json_boolean(ticked));
	json_object_set_new(o, "text", json_str(text ? text : ""));
	line_finish(r, o);
}

const struct incident *recorder_incident(const struct recorder *r)
{
	return &r->inc;
}

const char *recorder_error(const struct recorder *r)
{
	return r != NULL ? r->error : NULL;
}

void recorder_close(struct recorder *r)
{
	if (r == NULL)
		return;
	if (r->fd >= 0)
		close(r->fd);
	incident_clear(&r->inc);
	free(r->last_key);
	free(r->zone);
	free(r->mode);
	free(r->path);
	free(r->error);
	free(r);
}
