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

struct recorder *recorder_open(const char *path, const char *zone,
			       const char *mode, int64_t now, char **cause)
{
	struct recorder *r;
	json_t *o;

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
	o = line_start("header", now);
	json_object_set_new(o, "version", json_integer(RECORD_VERSION));
	json_object_set_new(o, "zone", json_str(zone));
	json_object_set_new(o, "started_at", json_integer(now));
	json_object_set_new(o, "mode", json_str(mode));
	json_object_set_new(o, "bogus", json_string(BOGUS_VERSION));
	line_finish(r, o);
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
	json_t *o;

	if (r == NULL)
		return;
	if (r->inc.zone == NULL)
		r->inc.zone = xstrdup_null(ev->zone);
	incident_observe(&r->inc, d, at);
	if (r->fd < 0)
		return;
	o = line_start("snapshot", at);
	json_object_set_new(o, "verdict", json_string(verdict_name(d->verdict)));
	json_object_set_new(o, "evidence", evidence_json_build(ev));
	line_finish(r, o);
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
	free(r->path);
	free(r->error);
	free(r);
}
