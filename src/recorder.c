/*
 * recorder.c - appends the incident record, one whole line per write(2).
 *
 * A line is built completely in memory (open_memstream) and written with a
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

/* A line under construction. */
struct line {
	char *buf;
	size_t len;
	FILE *f;
};

static FILE *line_start(struct line *l, const char *type, int64_t at)
{
	*l = (struct line){ 0 };
	if ((l->f = open_memstream(&l->buf, &l->len)) == NULL)
		return NULL;
	fprintf(l->f, "{\"type\":\"%s\",\"at\":%lld", type, (long long)at);
	return l->f;
}

static void line_finish(struct recorder *r, struct line *l)
{
	int rc;

	if (l->f == NULL) {
		rc = -ENOMEM;
	} else {
		fputs("}\n", l->f);
		rc = fclose(l->f) != 0 ? -EIO : 0;
		if (rc == 0 && r->fd >= 0)
			rc = recorder_write_line(r->fd, l->buf, l->len);
	}
	free(l->buf);
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
	struct line l;
	FILE *f;

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
	if ((f = line_start(&l, "header", now)) != NULL) {
		fprintf(f, ",\"version\":%d,\"zone\":", RECORD_VERSION);
		json_put_string(f, zone);
		fprintf(f, ",\"started_at\":%lld,\"mode\":", (long long)now);
		json_put_string(f, mode);
		fputs(",\"bogus\":\"" BOGUS_VERSION "\"", f);
	}
	line_finish(r, &l);
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
	struct line l;
	FILE *f;

	if (r == NULL)
		return;
	if (r->inc.zone == NULL)
		r->inc.zone = xstrdup_null(ev->zone);
	incident_observe(&r->inc, d, at);
	if (r->fd < 0)
		return;
	if ((f = line_start(&l, "snapshot", at)) != NULL) {
		fprintf(f, ",\"verdict\":\"%s\",\"evidence\":", verdict_name(d->verdict));
		evidence_json_write(f, ev);
	}
	line_finish(r, &l);
}

void recorder_event(struct recorder *r, const struct event *e)
{
	struct line l;
	FILE *f;

	if (r == NULL)
		return;
	incident_event(&r->inc, e->at, e->kind, e->key, e->text);
	if (r->fd < 0)
		return;
	if ((f = line_start(&l, "event", e->at)) != NULL) {
		fprintf(f, ",\"kind\":\"%s\",\"key\":", incident_tone_name(e->kind));
		json_put_string(f, e->key);
		fputs(",\"text\":", f);
		json_put_string(f, e->text);
	}
	line_finish(r, &l);
}

void recorder_note(struct recorder *r, int64_t at, const char *step,
		   bool ticked, const char *text)
{
	struct line l;
	FILE *f;

	if (r == NULL)
		return;
	incident_note(&r->inc, at, step, ticked, text);
	if (r->fd < 0)
		return;
	if ((f = line_start(&l, "note", at)) != NULL) {
		fputs(",\"step\":", f);
		json_put_string(f, step);
		fprintf(f, ",\"ticked\":%s,\"text\":", ticked ? "true" : "false");
		json_put_string(f, text ? text : "");
	}
	line_finish(r, &l);
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
