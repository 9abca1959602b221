/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_recording.c - incident recordings (--replay FILE) on arbitrary bytes.
 *
 * A recording is JSON Lines that bogus wrote, but it comes back from disk,
 * a ticket or a colleague: truncated, edited or hostile. The input goes
 * through (1) json_parse and evidence_json_decode as one JSON text - what
 * decodes must encode and decode again, and diagnose and report with no
 * control byte in the output (fuzz_check_reports) - and (2) recording_load
 * as a file: each snapshot (the first four) decoded, diagnosed as of its
 * recorded time and reported, the Markdown export written, and the damage
 * and causes one line each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evidence_json.h"
#include "export_md.h"
#include "fuzz.h"
#include "json.h"
#include "recording.h"

#define FUZZ_NOW ((int64_t)1800000000)
#define FUZZ_MAX_SNAPS 4

static void check_cause(char *cause)
{
	FUZZ_CHECK(cause != NULL, "a cause on failure");
	FUZZ_CHECK(strchr(cause, '\n') == NULL, "one-line cause");
	fuzz_check_escapes(cause);
	free(cause);
}

/* One JSON text as a snapshot's evidence. */
static void one_text(const uint8_t *data, size_t size)
{
	char *cause = NULL, *again;
	json_t *v = json_parse((const char *)data, size, &cause), *w;
	struct evidence *ev, *ev2;

	if (v == NULL) {
		check_cause(cause);
		return;
	}
	if ((ev = evidence_json_decode(v, &cause)) == NULL) {
		check_cause(cause);
		json_decref(v);
		return;
	}
	fuzz_check_reports(ev, FUZZ_NOW);
	again = evidence_json_encode(ev);
	w = json_parse(again, strlen(again), &cause);
	FUZZ_CHECK(w != NULL, "what we encode parses");
	ev2 = evidence_json_decode(w, &cause);
	FUZZ_CHECK(ev2 != NULL, "what we encode decodes");
	evidence_free(ev2);
	json_decref(w);
	free(again);
	evidence_free(ev);
	json_decref(v);
}

/* Markdown goes to files and tickets: newline and tab are its only controls. */
static void check_markdown(const struct recording *rec)
{
	char *buf;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	if (f == NULL)
		abort();
	export_md(f, &rec->inc, "fuzz", rec->damage);
	fclose(f);
	for (size_t i = 0; i < len; i++)
		FUZZ_CHECK(buf[i] == '\n' || buf[i] == '\t' ||
			   ((unsigned char)buf[i] >= 0x20 && buf[i] != 0x7f),
			   "control byte in the Markdown export");
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/bogus-fuzz-recording-XXXXXX";
	struct recording rec;
	char *cause = NULL;
	int fd;

	one_text(data, size);
	if ((fd = mkstemp(path)) < 0)
		abort();
	if (size > 0 && write(fd, data, size) != (ssize_t)size)
		abort();
	close(fd);
	if (recording_load(path, &rec, &cause) != 0) {
		check_cause(cause);
		unlink(path);
		return 0;
	}
	if (rec.damage != NULL) {
		FUZZ_CHECK(strchr(rec.damage, '\n') == NULL, "one-line damage");
		fuzz_check_escapes(rec.damage);
	}
	for (size_t i = 0; i < rec.n_snaps && i < FUZZ_MAX_SNAPS; i++) {
		struct evidence *ev = recording_evidence(&rec, i, &cause);

		if (ev == NULL) {
			check_cause(cause);
			continue;
		}
		fuzz_check_reports(ev, rec.snaps[i].at);
		evidence_free(ev);
	}
	if (rec.n_snaps > 0)
		(void)recording_find(&rec, FUZZ_NOW);
	check_markdown(&rec);
	recording_free(&rec);
	unlink(path);
	return 0;
}
