/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: the incident record. The evidence codec round-trips
 * hand-built evidence (hostile strings included), the JSON reader refuses
 * malformed input with a cause, the recorder writes whole lines, a damaged
 * recording loads up to the damage and names the line, the replayer moves
 * its cursor through the model, and the Markdown export escapes record data
 * and finds when validation recovered. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cli.h"
#include "diag.h"
#include "events.h"
#include "evidence_json.h"
#include "export_md.h"
#include "json.h"
#include "model.h"
#include "recorder.h"
#include "recording.h"
#include "replay.h"
#include "evidence_builder.c"

#define ESC_SEQ "\x1b[2J\x1b]0;pwned\x07"
#define BIDI "\xe2\x80\xae" "gnp.exe"

static void replace(char **slot, const char *s)
{
	free(*slot);
	*slot = xstrdup(s);
}

static char *big_string(void)
{
	char *s = xmalloc(10 * 1024 + 1);

	for (size_t i = 0; i < 10 * 1024; i++)
		s[i] = (char)('a' + i % 26);
	s[10 * 1024] = '\0';
	return s;
}

/* A stale DS with hostile strings where the network speaks. */
static struct evidence *hostile(void)
{
	struct evidence *ev = eb_healthy();
	struct chain_link *l = eb_zone(ev);
	char *big = big_string();

	l->ds[0].match = DS_MATCH_NO_KEY;
	l->ds[0].key_index = -1;
	l->status = SEC_BOGUS;
	eb_validators_servfail(ev, 9);
	replace(&ev->resolvers[0].answers[0].reply.ede[0].text,
		"bad" ESC_SEQ "\r\b" BIDI);
	eb_ede(&ev->resolvers[0].answers[0].reply, 6, "\xff\xfe\xc3(");
	eb_ede(&ev->resolvers[1].answers[0].reply, 0, big);
	replace(&ev->resolvers[1].name, "Beta\r\nFAKE: secure" ESC_SEQ);
	replace(&ev->nameservers[0].name, "ns1\x1b[31m.example.");
	*XAPPEND(ev->notes, ev->n_notes) = xstrdup("trunc\0hidden");
	*XAPPEND(ev->notes, ev->n_notes) = xstrdup("quote\" back\\slash \xc3\xa9t\xc3\xa9");
	ev->nameservers[1].earliest_expiration = -5;	/* any int64 */
	ev->late_replies = 4000000000u;
	ev->local_limited = 7;
	free(big);
	return ev;
}

static struct evidence *roundtrip(const struct evidence *ev, char **line)
{
	json_t *j;
	struct evidence *back;
	char *cause = NULL;

	*line = evidence_json_encode(ev);
	assert_non_null(*line);
	j = json_parse(*line, strlen(*line), &cause);
	assert_null(cause);
	assert_non_null(j);
	back = evidence_json_decode(j, &cause);
	if (back == NULL)
		fail_msg("decode: %s", cause);
	json_decref(j);
	return back;
}

static void test_roundtrip_healthy(void **state)
{
	struct evidence *ev = eb_healthy(), *back;
	char *line, *again;
	struct diagnosis *d1, *d2;

	(void)state;
	ev->generation = 7;
	ev->chain[2].ns_ttl = 86400;
	ev->chain[2].child_ns_ttl = 3600;
	back = roundtrip(ev, &line);
	again = evidence_json_encode(back);
	assert_string_equal(line, again);	/* every field came back */
	assert_int_equal(back->generation, 7);
	assert_int_equal(back->n_chain, ev->n_chain);
	assert_int_equal(back->chain[2].keys[0].tag, ev->chain[2].keys[0].tag);
	assert_int_equal(back->chain[2].ns_ttl, 86400);
	assert_int_equal(back->chain[2].child_ns_ttl, 3600);
	d1 = diag_run(ev, EB_NOW);
	d2 = diag_run(back, EB_NOW);
	assert_int_equal(d1->verdict, d2->verdict);
	assert_int_equal(d1->n_findings, d2->n_findings);
	diagnosis_free(d1);
	diagnosis_free(d2);
	free(line);
	free(again);
	evidence_free(back);
	evidence_free(ev);
}

/* The fields the catalog added: NSEC3 parameters and CNAME targets of the
 * servers' checks, and a followed alias whose target's evidence is nested
 * one level deep; a nested alias in a target is refused. */
static void test_roundtrip_aliases(void **state)
{
	struct evidence *ev = eb_healthy(), *back;
	struct zone_rrset_check *k = &ev->nameservers[0].checks[1];
	char *line, *again, *cause = NULL;
	json_t *j;

	(void)state;
	k->has_nsec3 = true;
	k->nsec3_iterations = 500;
	k->nsec3_salt = xstrdup("cafe");
	k->nsec3_opt_out = true;
	k->cname = xstrdup("www.cdn.test.");
	struct alias_ev *a = XAPPEND(ev->aliases, ev->n_aliases);

	*a = (struct alias_ev){ .owner = xstrdup("www.example.test."),
				.qtype = RRTYPE_A,
				.target = xstrdup("www.cdn.test."),
				.depth = 1, .target_ev = eb_healthy() };
	a = XAPPEND(ev->aliases, ev->n_aliases);
	*a = (struct alias_ev){ .owner = xstrdup("www.cdn.test."),
				.qtype = RRTYPE_A,
				.target = xstrdup("www.example.test."),
				.depth = 2, .loop = true };
	back = roundtrip(ev, &line);
	again = evidence_json_encode(back);
	assert_string_equal(line, again);
	assert_int_equal(back->n_aliases, 2);
	assert_non_null(back->aliases[0].target_ev);
	assert_null(back->aliases[1].target_ev);
	assert_true(back->aliases[1].loop);
	assert_int_equal(back->nameservers[0].checks[1].nsec3_iterations, 500);
	assert_string_equal(back->nameservers[0].checks[1].cname,
			    "www.cdn.test.");
	evidence_free(back);
	free(again);
	free(line);

	/* An alias inside a target's evidence: too deep, refused. */
	struct evidence *t = ev->aliases[0].target_ev;

	a = XAPPEND(t->aliases, t->n_aliases);
	*a = (struct alias_ev){ .owner = xstrdup("a."), .target = xstrdup("b."),
				.depth = 1, .target_ev = eb_healthy() };
	line = evidence_json_encode(ev);
	j = json_parse(line, strlen(line), &cause);
	assert_non_null(j);
	assert_null(evidence_json_decode(j, &cause));
	assert_non_null(strstr(cause, "target_ev"));
	free(cause);
	json_decref(j);
	free(line);
	evidence_free(ev);
}

/* Drops every ,"key":<digits> member from @p line, in place. */
static void drop_int_member(char *line, const char *key)
{
	char *pat = xasprintf(",\"%s\":", key), *p;

	while ((p = strstr(line, pat)) != NULL) {
		char *end = p + strlen(pat);

		while (*end >= '0' && *end <= '9')
			end++;
		memmove(p, end, strlen(end) + 1);
	}
	free(pat);
}

/* A recording made before the NS TTLs were probed still loads: they read
 * as 0 (not seen), and the rest of the link is intact. */
static void test_decode_before_ns_ttl(void **state)
{
	struct evidence *ev = eb_healthy(), *back;
	json_t *j;
	char *line, *cause = NULL;

	(void)state;
	ev->chain[2].ns_ttl = 86400;
	ev->chain[2].child_ns_ttl = 3600;
	line = evidence_json_encode(ev);
	drop_int_member(line, "ns_ttl");
	drop_int_member(line, "child_ns_ttl");
	assert_null(strstr(line, "ns_ttl"));
	j = json_parse(line, strlen(line), &cause);
	assert_non_null(j);
	back = evidence_json_decode(j, &cause);
	if (back == NULL)
		fail_msg("decode: %s", cause);
	assert_int_equal(back->chain[2].ns_ttl, 0);
	assert_int_equal(back->chain[2].child_ns_ttl, 0);
	assert_int_equal(back->chain[2].ds_ttl, ev->chain[2].ds_ttl);
	json_decref(j);
	evidence_free(back);
	/* Present, it is checked like any other TTL. */
	free(line);
	line = evidence_json_encode(ev);
	drop_int_member(line, "child_ns_ttl");
	assert_non_null(strstr(line, "\"ns_ttl\":86400"));
	memcpy(strstr(line, "\"ns_ttl\":86400") + 9, "-1   ", 5);
	j = json_parse(line, strlen(line), &cause);
	assert_non_null(j);
	assert_null(evidence_json_decode(j, &cause));
	assert_non_null(strstr(cause, "ns_ttl"));
	free(cause);
	json_decref(j);
	free(line);
	evidence_free(ev);
}

static void test_roundtrip_hostile(void **state)
{
	struct evidence *ev = hostile(), *back;
	struct diagnosis *d1, *d2;
	char *line;

	(void)state;
	back = roundtrip(ev, &line);
	/* One line, no raw control byte: safe to append and to cat. */
	for (const char *p = line; *p; p++)
		assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
	/* ESC, CR, BS and bidi come back byte for byte... */
	assert_string_equal(back->resolvers[0].answers[0].reply.ede[0].text,
			    "bad" ESC_SEQ "\r\b" BIDI);
	assert_string_equal(back->resolvers[1].name, "Beta\r\nFAKE: secure" ESC_SEQ);
	assert_string_equal(back->nameservers[0].name, "ns1\x1b[31m.example.");
	assert_string_equal(back->notes[back->n_notes - 2], "trunc");
	assert_string_equal(back->notes[back->n_notes - 1],
			    "quote\" back\\slash \xc3\xa9t\xc3\xa9");
	/* ...bytes that are not UTF-8 come back named, as \DDD text... */
	assert_string_equal(back->resolvers[0].answers[0].reply.ede[1].text,
			    "\\255\\254\\195(");
	/* ...and 10 KB is cut to the probe's cap. */
	assert_int_equal(strlen(back->resolvers[1].answers[0].reply.ede[1].text),
			 EVIDENCE_MAX_TEXT);
	assert_int_equal(back->nameservers[1].earliest_expiration, -5);
	assert_int_equal(back->late_replies, 4000000000u);
	assert_int_equal(back->local_limited, 7);
	d1 = diag_run(ev, EB_NOW);
	d2 = diag_run(back, EB_NOW);
	assert_int_equal(d1->verdict, VERDICT_BOGUS);
	assert_int_equal(d2->verdict, VERDICT_BOGUS);
	assert_int_equal(d1->n_findings, d2->n_findings);
	for (size_t i = 0; i < d1->n_findings; i++)
		assert_int_equal(d1->findings[i].id, d2->findings[i].id);
	diagnosis_free(d1);
	diagnosis_free(d2);
	free(line);
	evidence_free(back);
	evidence_free(ev);
}

/* Replaces the first @p from in @p s by @p to (new string). */
static char *edit(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);

	assert_non_null(p);
	return xasprintf("%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
}

static char *decode_error(const char *text)
{
	char *cause = NULL;
	json_t *j = json_parse(text, strlen(text), &cause);
	struct evidence *ev;

	if (j == NULL)
		return cause;
	ev = evidence_json_decode(j, &cause);
	json_decref(j);
	assert_null(ev);
	assert_non_null(cause);
	return cause;
}

static void expect_error(const char *text, const char *want)
{
	char *cause = decode_error(text);

	if (strstr(cause, want) == NULL)
		fail_msg("want '%s' in '%s'", want, cause);
	free(cause);
}

static void test_json_malformed(void **state)
{
	char deep[400], *cause = NULL;
	json_t *j;

	(void)state;
	/* jansson's grammar, with the byte offset in one line. */
	expect_error("{\"a\":", "at byte");
	expect_error("{\"a\":1", "at byte");
	expect_error("\"abc", "premature end of input");
	expect_error("\"a\\qb\"", "invalid escape");
	expect_error("\"\\ud800x\"", "invalid Unicode");
	expect_error("\"a\tb\"", "control character");
	expect_error("{\"a\":1} x", "end of file expected");
	expect_error("[1,]", "unexpected token");
	expect_error("{'a':1}", "string or '}' expected");
	expect_error("012", "invalid token");
	expect_error("", "end of file");
	expect_error("\"\xff\xfe\"", "unable to decode byte 0xff");
	/* Nesting is capped at 64 before jansson sees it... */
	memset(deep, '[', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	expect_error(deep, "nested too deeply");
	/* ...brackets inside strings do not count... */
	memset(deep, 0, sizeof(deep));
	deep[0] = '[', deep[1] = '"';
	memset(deep + 2, '[', 100);
	strcpy(deep + 102, "\\\"\"]");
	j = json_parse(deep, strlen(deep), &cause);
	assert_non_null(j);
	json_decref(j);
	/* ...and depth 64 is fine. */
	memset(deep, 0, sizeof(deep));
	memset(deep, '[', JSON_MAX_DEPTH);
	memset(deep + JSON_MAX_DEPTH, ']', JSON_MAX_DEPTH);
	j = json_parse(deep, strlen(deep), &cause);
	assert_non_null(j);
	json_decref(j);
	/* Numbers: integers that fit stay integers; huge ones do not wrap. */
	j = json_parse("[9223372036854775807, -0.5]", 27, &cause);
	assert_non_null(j);
	assert_true(json_is_integer(json_array_get(j, 0)));
	assert_true(json_integer_value(json_array_get(j, 0)) == INT64_MAX);
	assert_true(json_is_real(json_array_get(j, 1)));
	json_decref(j);
	expect_error("[9223372036854775808]", "too big");
	expect_error("[1e400]", "overflow");
	/* \u0000 decodes to a NUL: the C string ends there. */
	j = json_parse("\"ab\\u0000cd\\u00e9\\ud83d\\ude00\"", 30, &cause);
	assert_non_null(j);
	assert_string_equal(json_string_value(j), "ab");
	assert_int_equal(json_string_length(j), 2 + 1 + 2 + 2 + 4);
	json_decref(j);
}

/* What leaves a document: bad bytes as \DDD text, hidden and C1 code
 * points as \uXXXX, everything else as jansson writes it. */
static void test_json_render_policy(void **state)
{
	json_t *s = json_str("a\xff\xe2\x80\xae\xc2\x85\x7f\xc3\xa9\x1b");
	char *out = json_render(s, false);

	(void)state;
	assert_string_equal(out, "\"a\\\\255\\u202E\\u0085\\u007F\xc3\xa9\\u001B\"");
	free(out);
	json_decref(s);
	/* All ASCII (json_str's fast path): the same policy. */
	s = json_str("a\x1b[31m\x7f\"b\\");
	out = json_render(s, false);
	assert_string_equal(out, "\"a\\u001B[31m\\u007F\\\"b\\\\\"");
	free(out);
	json_decref(s);
	s = json_str(NULL);
	assert_true(json_is_null(s));
	json_decref(s);
}

static void test_evidence_wrong_fields(void **state)
{
	struct evidence *ev = eb_healthy();
	char *line = evidence_json_encode(ev), *bad;

	(void)state;
	bad = edit(line, "\"port\":53", "\"port\":\"53\"");
	expect_error(bad, "resolvers[0].port: want an integer, got string");
	free(bad);
	bad = edit(line, "\"port\":53", "\"port\":70000");
	expect_error(bad, "70000 out of range");
	free(bad);
	bad = edit(line, "\"port\":53", "\"port\":123456789012345678901234567890");
	expect_error(bad, "too big integer");	/* jansson: no silent wrap */
	free(bad);
	bad = edit(line, "\"port\":53", "\"port\":53.5");
	expect_error(bad, "number out of range");
	free(bad);
	bad = edit(line, "\"queries_sent\":", "\"queries_sentX\":");
	expect_error(bad, "evidence.queries_sent: missing");
	free(bad);
	bad = edit(line, "\"outcome\":\"answer\"", "\"outcome\":99");
	expect_error(bad, "outcome: 99 out of range");
	free(bad);
	bad = edit(line, "\"outcome\":\"answer\"", "\"outcome\":\"\\u001b[2Jsure\"");
	expect_error(bad, "outcome: unknown name \"\\027[2Jsure\"");
	free(bad);
	bad = edit(line, "\"qtype\":\"SOA\"", "\"qtype\":\"TYPE70000\"");
	expect_error(bad, "qtype: unknown name");
	free(bad);
	bad = edit(line, "\"key_index\":0", "\"key_index\":42");
	expect_error(bad, "key_index 42 beyond");
	free(bad);
	bad = edit(line, "\"answer\":[", "\"answer\":[17,");
	expect_error(bad, "want a string, got integer");
	free(bad);
	bad = edit(line, "\"resolvers\":[", "\"resolvers\":[3,");
	expect_error(bad, "resolvers[0]: want an object");
	free(bad);
	expect_error("[]", "want an object, got array");
	bad = edit(line, "\"zone\":\"example.test.\"", "\"zone\":null");
	expect_error(bad, "zone: want a string, got null");
	free(bad);
	free(line);
	evidence_free(ev);
}

/* Schema 1.0 writes names; recordings made before wrote enum numbers, and
 * both read to the same evidence. */
static void test_decode_names_and_numbers(void **state)
{
	struct evidence *ev = eb_healthy(), *back;
	char *line, *old, *t, *again;

	(void)state;
	ev->resolvers[0].answers[0].qtype = 65534;	/* no mnemonic */
	back = roundtrip(ev, &line);
	assert_non_null(strstr(line, "\"qtype\":\"TYPE65534\""));
	assert_non_null(strstr(line, "\"outcome\":\"answer\""));
	assert_non_null(strstr(line, "\"validating\":\"yes\""));
	assert_null(strstr(line, "\"outcome\":1"));
	assert_int_equal(back->resolvers[0].answers[0].qtype, 65534);
	evidence_free(back);
	/* The same evidence as an older bogus wrote it. */
	old = edit(line, "\"qtype\":\"TYPE65534\"", "\"qtype\":65534");
	t = edit(old, "\"outcome\":\"answer\"", "\"outcome\":1"), free(old), old = t;
	t = edit(old, "\"validating\":\"yes\"", "\"validating\":2"), free(old), old = t;
	t = edit(old, "\"rcode\":\"NOERROR\"", "\"rcode\":0"), free(old), old = t;
	t = edit(old, "\"status\":\"secure\"", "\"status\":2"), free(old), old = t;
	{
		char *cause = NULL;
		json_t *j = json_parse(old, strlen(old), &cause);

		assert_non_null(j);
		back = evidence_json_decode(j, &cause);
		if (back == NULL)
			fail_msg("decode: %s", cause);
		json_decref(j);
	}
	again = evidence_json_encode(back);
	assert_string_equal(again, line);
	free(again);
	free(old);
	free(line);
	evidence_free(back);
	evidence_free(ev);
}

static char *tmpfile_path(void)
{
	char *path = xstrdup("/tmp/bogus-test-record.XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	close(fd);
	return path;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = xmalloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void spit(const char *path, const char *buf, size_t len)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
}

/* A session: bogus, bogus, secure, with events and a note. */
static char *write_session(void)
{
	char *path = tmpfile_path(), *cause = NULL;
	struct recorder *r = recorder_open(path, "example.test.", "console",
					   EB_NOW, &cause);
	struct evidence *ev;
	struct diagnosis *d;
	struct event e = { .at = EB_NOW + 30, .kind = EVENT_BAD,
			   .key = (char *)"res:127.0.0.1#53:example.test.:6",
			   .text = (char *)"Alpha example.test. SOA: ok -> SERVFAIL" };

	assert_non_null(r);
	for (int i = 0; i < 3; i++) {
		ev = i < 2 ? hostile() : eb_healthy();
		d = diag_run(ev, EB_NOW + 30 * i);
		recorder_snapshot(r, ev, d, EB_NOW + 30 * i);
		diagnosis_free(d);
		evidence_free(ev);
		if (i == 1) {
			recorder_event(r, &e);
			recorder_note(r, EB_NOW + 45, "Publish the correct DS", true,
				      "done by <b>ops</b> | ticket `42`\x1b[2J");
		}
	}
	assert_null(recorder_error(r));
	assert_int_equal(recorder_incident(r)->n_snaps, 3);
	recorder_close(r);
	return path;
}

/*
 * A day of a stable zone at the console's 30 s interval: 2880 snapshots
 * whose times and RTTs differ, the same otherwise. The file stays under
 * 5 MB (the bound; full snapshots would take ~155 MB), and it
 * replays: every snapshot is there, the last one decodes, and a change
 * at the end is written in full.
 */
static void test_recorder_stable_day(void **state)
{
	char *path = tmpfile_path(), *cause = NULL;
	struct recorder *r = recorder_open(path, "example.test.", "console", EB_NOW, &cause);
	struct recording rec;
	struct evidence *ev;
	struct diagnosis *d;
	size_t len;
	char *buf;
	int n = 2880;

	(void)state;
	assert_non_null(r);
	for (int i = 0; i <= n; i++) {
		ev = i < n ? eb_healthy() : hostile();
		ev->started_at = EB_NOW + 30 * i;
		ev->finished_at = ev->started_at + 1 + i % 3;
		for (size_t k = 0; k < ev->n_resolvers; k++)
			for (size_t j = 0; j < ev->resolvers[k].n_answers; j++)
				ev->resolvers[k].answers[j].reply.rtt_ms = 1 + (uint32_t)((i * 7 + j) % 90);
		d = diag_run(ev, ev->started_at);
		recorder_snapshot(r, ev, d, ev->started_at);
		diagnosis_free(d);
		evidence_free(ev);
	}
	assert_null(recorder_error(r));
	recorder_close(r);
	buf = slurp(path, &len);
	free(buf);
	assert_true(len < 5u * 1000 * 1000);
	assert_int_equal(recording_load(path, &rec, &cause), 0);
	assert_null(rec.damage);
	assert_int_equal(rec.n_snaps, (size_t)n + 1);
	assert_true(rec.snaps[n - 1].text == NULL && rec.snaps[n - 1].full == 0);
	assert_non_null(rec.snaps[n].text);	/* the change, in full */
	assert_int_equal(rec.snaps[n - 1].at, EB_NOW + 30 * (n - 1));
	ev = recording_evidence(&rec, n - 1, &cause);
	assert_non_null(ev);
	assert_string_equal(ev->zone, "example.test.");
	evidence_free(ev);
	recording_free(&rec);
	unlink(path);
	free(path);
}

static void test_recorder_whole_lines(void **state)
{
	char *path = write_session(), *buf, *line, *save = NULL, *cause = NULL;
	size_t len, n = 0;
	/* The second snapshot is the first again, 30 s later: one short line. */
	const char *want[] = { "header", "snapshot", "unchanged", "event", "note",
			       "snapshot" };

	(void)state;
	buf = slurp(path, &len);
	assert_true(len > 0 && buf[len - 1] == '\n');
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save), n++) {
		json_t *j = json_parse(line, strlen(line), &cause);

		assert_non_null(j);
		assert_true(n < 6);
		assert_string_equal(json_string_value(json_object_get(j, "type")), want[n]);
		assert_true(json_is_integer(json_object_get(j, "at")));
		json_decref(j);
	}
	assert_int_equal(n, 6);
	free(buf);
	/* A second session appends: a second header, nothing lost. */
	{
		struct recorder *r = recorder_open(path, "example.test.", "once",
						   EB_NOW + 100, &cause);

		recorder_close(r);
		buf = slurp(path, &len);
		n = 0;
		for (char *p = buf; *p; p++)
			n += *p == '\n';
		assert_int_equal(n, 7);
		free(buf);
	}
	/* An unwritable path is a clear error, not a crash. */
	assert_null(recorder_open("/nonexistent-dir/x.jsonl", "x.", "once", 0, &cause));
	assert_non_null(strstr(cause, "/nonexistent-dir/x.jsonl"));
	free(cause);
	unlink(path);
	free(path);
}

static void test_load_intact(void **state)
{
	char *path = write_session(), *cause = NULL;
	struct recording rec;
	struct evidence *ev;

	(void)state;
	assert_int_equal(recording_load(path, &rec, &cause), 0);
	assert_null(rec.damage);
	assert_int_equal(rec.n_snaps, 3);
	assert_string_equal(rec.inc.zone, "example.test.");
	assert_int_equal(rec.snaps[1].line, 3);
	assert_int_equal(incident_recovered_at(&rec.inc), EB_NOW + 60);
	assert_int_equal(recording_find(&rec, EB_NOW + 45), 1);
	assert_int_equal(recording_find(&rec, 0), 0);
	ev = recording_evidence(&rec, 0, &cause);
	assert_non_null(ev);
	assert_string_equal(ev->nameservers[0].name, "ns1\x1b[31m.example.");
	evidence_free(ev);
	recording_free(&rec);
	assert_int_equal(recording_load("/nonexistent/rec", &rec, &cause), -1);
	assert_non_null(strstr(cause, "/nonexistent/rec"));
	free(cause);
	unlink(path);
	free(path);
}

static void test_load_truncated(void **state)
{
	char *path = write_session(), *buf, *cause = NULL, *last;
	struct recording rec;
	size_t len;

	(void)state;
	buf = slurp(path, &len);
	/* Cut the last snapshot (line 6) in the middle, as kill -9 might. */
	buf[len - 1] = '\0';
	last = strrchr(buf, '\n');
	spit(path, buf, (size_t)(last - buf) + 1 + (len - (size_t)(last - buf)) / 2);
	assert_int_equal(recording_load(path, &rec, &cause), 0);
	assert_int_equal(rec.n_snaps, 2);
	assert_int_equal(rec.damage_line, 6);
	assert_non_null(rec.damage);
	assert_non_null(strstr(rec.damage, path));
	assert_non_null(strstr(rec.damage, "line 6"));
	assert_non_null(strstr(rec.damage, "incomplete last line"));
	assert_int_equal(rec.inc.n_items > 0, 1);
	assert_int_equal(incident_recovered_at(&rec.inc), 0);	/* cut before */
	recording_free(&rec);
	free(buf);
	unlink(path);
	free(path);
}

static void test_load_corrupt_middle(void **state)
{
	char *path = write_session(), *buf, *cause = NULL, *bad, *p;
	struct recording rec;
	size_t len;

	(void)state;
	buf = slurp(path, &len);
	/* Line 4 (the event) garbled, the lines after it intact. */
	p = buf;
	for (int i = 0; i < 3; i++)
		p = strchr(p, '\n') + 1;
	bad = xasprintf("%.*s{\"type\":\"event\",\"at\":1,\"kind\":\"bad\"\x01}\n%s",
			(int)(p - buf), buf, strchr(p, '\n') + 1);
	spit(path, bad, strlen(bad));
	assert_int_equal(recording_load(path, &rec, &cause), 0);
	assert_int_equal(rec.n_snaps, 2);
	assert_int_equal(rec.damage_line, 4);
	assert_non_null(strstr(rec.damage, "line 4"));
	assert_null(strstr(rec.damage, "incomplete"));
	recording_free(&rec);
	free(bad);
	/* A snapshot whose evidence does not decode is damage too. */
	bad = edit(buf, "\"queries_sent\":", "\"queries_sent\":\"x\",\"y\":");
	spit(path, bad, strlen(bad));
	assert_int_equal(recording_load(path, &rec, &cause), 0);
	assert_int_equal(rec.n_snaps, 0);
	assert_int_equal(rec.damage_line, 2);
	assert_non_null(strstr(rec.damage, "queries_sent"));
	recording_free(&rec);
	free(bad);
	/* An unknown version is named, not misread. */
	bad = edit(buf, "\"version\":1", "\"version\":9");
	spit(path, bad, strlen(bad));
	assert_int_equal(recording_load(path, &rec, &cause), 0);
	assert_int_equal(rec.damage_line, 1);
	assert_non_null(strstr(rec.damage, "version"));
	recording_free(&rec);
	free(bad);
	free(buf);
	unlink(path);
	free(path);
}

static void wait_generation(struct model *m, uint64_t gen)
{
	for (int i = 0; i < 500 && model_generation(m) < gen; i++)
		usleep(10000);
	assert_true(model_generation(m) >= gen);
}

static void test_replay_cursor(void **state)
{
	char *path = write_session(), *cause = NULL, status[96];
	struct recording rec;
	struct model *m = model_new();
	struct replay *rp;
	const struct evidence *ev;

	(void)state;
	assert_int_equal(recording_load(path, &rec, &cause), 0);
	rp = replay_start(&rec, m, 0);
	assert_non_null(rp);
	wait_generation(m, 1);
	replay_status(rp, status, sizeof(status));
	assert_non_null(strstr(status, "REPLAY 1/3"));
	assert_non_null(strstr(status, "paused"));
	assert_int_equal(replay_time_of(rp, model_generation(m)), EB_NOW);
	replay_jump(rp, 1);
	wait_generation(m, 2);
	ev = model_acquire(m);
	assert_int_equal(ev->n_notes, 0);	/* the healthy snapshot */
	assert_int_equal(replay_time_of(rp, ev->generation), EB_NOW + 60);
	model_release(m, ev);
	replay_step(rp, 1);	/* clamped at the end: nothing new */
	replay_step(rp, -1);
	wait_generation(m, 3);
	replay_status(rp, status, sizeof(status));
	assert_non_null(strstr(status, "REPLAY 2/3"));
	/* Playing at 60x: the 30 s gap takes 0.5 s. */
	replay_set_speed(rp, 60);
	wait_generation(m, 4);
	replay_status(rp, status, sizeof(status));
	assert_non_null(strstr(status, "REPLAY 3/3"));
	assert_int_equal(replay_speed(rp), 0);	/* stopped at the end */
	replay_stop(rp);
	model_free(m);
	unlink(path);
	free(path);
}

static char *export_str(const struct incident *inc, const char *damage)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(export_md(f, inc, "test", damage), 0);
	fclose(f);
	return buf;
}

/* The document without its fenced code blocks (shown as is, never as HTML). */
#include <stdbool.h>
static char *outside_code(const char *md)
{
	char *out = strdup(md), *o = out;
	bool in_code = false;

	assert_non_null(out);
	for (const char *l = md; *l != '\0';) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l + 1) : strlen(l);

		if (strncmp(l, "```", 3) == 0)
			in_code = !in_code;
		else if (!in_code)
			memcpy(o, l, n), o += n;
		l += n;
	}
	*o = '\0';
	return out;
}

static void test_export_escaping(void **state)
{
	struct incident inc;
	char *md, *e;
	struct diagnosis *d;
	struct evidence *ev = hostile();

	(void)state;
	incident_init(&inc, "evil<script>`x`|y\x1b[2J.");
	d = diag_run(ev, EB_NOW);
	incident_observe(&inc, d, EB_NOW);
	incident_event(&inc, EB_NOW + 1, EVENT_BAD, "k", "a|b <img src=x> ![i](u) [l](u)\r\n# h");
	incident_note(&inc, EB_NOW + 2, "Step | one", true, "by `me` <b>\x1b]0;t\x07");
	md = export_str(&inc, "rec: line 3: \x1b[31mcut");
	/* No control byte but newlines; no raw HTML; no smuggled markup. */
	for (const char *p = md; *p; p++)
		assert_true(*p == '\n' || ((unsigned char)*p >= 0x20 && *p != 0x7f));
	char *text = outside_code(md);

	/* A '<' outside code is always escaped ("\\<"): no tag opens. */
	for (const char *p = text; (p = strchr(p, '<')) != NULL; p++)
		assert_true(p > text && p[-1] == '\\');
	free(text);
	assert_null(strstr(md, "[l](u)"));
	assert_non_null(strstr(md, "\\[l\\](u)"));
	assert_null(strstr(md, "`me`"));
	assert_non_null(strstr(md, "\\<img src=x\\>"));
	assert_null(strstr(md, "&lt;"));
	assert_non_null(strstr(md, "\\!\\[i\\](u)"));
	/* Every timeline row has exactly its 4 column bars. */
	for (char *l = strstr(md, "| 20"); l != NULL && *l == '|'; ) {
		char *nl = strchr(l, '\n');
		int bars = 0;

		for (char *p = l; p < nl; p++)
			bars += *p == '|' && (p == l || p[-1] != '\\');
		assert_true(bars == 4 || bars == 5);	/* 5: "What was done" */
		l = nl + 1;
	}
	/* The findings with their ids, evidence and fix. */
	assert_non_null(strstr(md, "`ds-no-matching-key` (critical)"));
	assert_non_null(strstr(md, "`validators-servfail` (critical)"));
	assert_non_null(strstr(md, "**Fix:**"));
	assert_non_null(strstr(md, "## What was done"));
	assert_non_null(strstr(md, "| ticked |"));
	assert_non_null(strstr(md, "not within this record"));
	e = export_md_escape("1. x\n- y");
	assert_string_equal(e, "1\\. x\\\\010- y");	/* shows as: 1. x\010- y */
	free(e);
	e = export_md_escape("-x");
	assert_string_equal(e, "\\-x");
	free(e);
	free(md);
	diagnosis_free(d);
	evidence_free(ev);
	incident_clear(&inc);
}

static void observe_verdict(struct incident *inc, enum verdict v, int64_t at)
{
	struct diagnosis d = { .verdict = v, .now = at };

	incident_observe(inc, &d, at);
}

static void test_recovery(void **state)
{
	struct incident inc;
	char *md;

	(void)state;
	incident_init(&inc, "example.test.");
	observe_verdict(&inc, VERDICT_SECURE, 100);
	observe_verdict(&inc, VERDICT_BOGUS, 200);
	observe_verdict(&inc, VERDICT_DEGRADED, 300);
	assert_int_equal(incident_recovered_at(&inc), 0);
	observe_verdict(&inc, VERDICT_SECURE, 400);
	observe_verdict(&inc, VERDICT_SECURE, 500);
	assert_int_equal(incident_recovered_at(&inc), 400);
	md = export_str(&inc, NULL);
	assert_non_null(strstr(md, "**Validation recovered:** 1970-01-01T00:06:40Z"));
	assert_non_null(strstr(md, "verdict bogus -\\> degraded"));
	free(md);
	observe_verdict(&inc, VERDICT_UNREACHABLE, 600);
	assert_int_equal(incident_recovered_at(&inc), 0);	/* broke again */
	/* Since when the verdict at a moment holds (a replay's status line). */
	assert_int_equal(incident_verdict_since(&inc, 50), 0);
	assert_int_equal(incident_verdict_since(&inc, 250), 200);
	assert_int_equal(incident_verdict_since(&inc, 450), 400);
	assert_int_equal(incident_verdict_since(&inc, 500), 400);
	assert_int_equal(incident_verdict_since(&inc, 9999), 600);
	incident_clear(&inc);

	incident_init(&inc, "example.test.");
	observe_verdict(&inc, VERDICT_SECURE, 100);
	observe_verdict(&inc, VERDICT_INSECURE, 200);
	assert_int_equal(incident_recovered_at(&inc), 0);
	md = export_str(&inc, NULL);
	assert_non_null(strstr(md, "validation was not broken"));
	free(md);
	incident_clear(&inc);
}

/* The console logs findings appearing and clearing (and so records them). */
static void test_events_findings(void **state)
{
	struct evidence *good = eb_healthy(), *bad = hostile();
	struct diagnosis *dg = diag_run(good, EB_NOW), *db = diag_run(bad, EB_NOW);
	struct event_log log = { 0 };
	bool up = false, down = false;

	(void)state;
	assert_int_equal(events_diff_findings(NULL, db, EB_NOW, &log), 0);
	assert_true(events_diff_findings(dg, db, EB_NOW, &log) >= 2);
	for (size_t i = 0; i < log.n; i++)
		up |= strcmp(log.ev[i].key, "finding:ds-no-matching-key:example.test.") == 0 &&
		      log.ev[i].kind == EVENT_BAD && strstr(log.ev[i].text, "appeared") != NULL;
	events_clear(&log);
	assert_true(events_diff_findings(db, dg, EB_NOW + 60, &log) >= 2);
	for (size_t i = 0; i < log.n; i++)
		down |= strcmp(log.ev[i].key, "finding:ds-no-matching-key:example.test.") == 0 &&
			log.ev[i].kind == EVENT_GOOD && log.ev[i].at == EB_NOW + 60;
	assert_true(up);
	assert_true(down);
	assert_int_equal(events_diff_findings(db, db, EB_NOW, &log), 0);
	events_clear(&log);
	diagnosis_free(dg);
	diagnosis_free(db);
	evidence_free(good);
	evidence_free(bad);
}

/* cli_parse() of "bogus" and the @p n arguments that follow. */
static int parse(struct options *o, char **cause, int n, ...)
{
	char *argv[16];
	va_list ap;

	va_start(ap, n);
	argv[0] = (char *)"bogus";
	for (int i = 1; i <= n; i++)
		argv[i] = va_arg(ap, char *);
	va_end(ap);
	argv[n + 1] = NULL;
	return cli_parse(n + 1, argv, o, cause);
}

static void test_cli_options(void **state)
{
	struct options o;
	char *cause = NULL;

	(void)state;
	/* --replay needs no zone: the recording names it. */
	assert_int_equal(parse(&o, &cause, 5, "--once", "--json", "--replay", "r.jsonl",
			       "--at=2026-11-28T01:40:44Z"), 0);
	assert_string_equal(o.replay_file, "r.jsonl");
	assert_true(o.once && o.mode == OUTPUT_JSON && o.has_at);
	assert_true(o.at == 1795830044);
	options_free(&o);
	assert_int_equal(parse(&o, &cause, 4, "--replay", "r", "--at", "1795830044"), 0);
	assert_true(!o.once && o.mode == OUTPUT_TUI && o.at == 1795830044);
	options_free(&o);
	assert_int_equal(parse(&o, &cause, 4, "--replay", "r", "--at", "yesterday"), -1);
	assert_non_null(strstr(cause, "--at wants"));
	free(cause);
	/* RFC 3339 offsets and fractions name the same instant. */
	{
		const char *same[] = { "2026-11-28T02:40:44+01:00", "2026-11-27T20:10:44-05:30",
				       "2026-11-28T01:40:44.250Z", "2026-11-28 01:40:44z" };

		for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
			assert_int_equal(parse(&o, &cause, 4, "--replay", "r", "--at", same[i]), 0);
			assert_true(o.at == 1795830044);
			options_free(&o);
		}
	}
	/* Impossible dates are errors, not another day. */
	{
		const char *bad[] = { "2026-02-30T00:00:00Z", "2026-11-31T00:00:00Z",
				      "2026-13-01T00:00:00Z", "2026-11-28T24:00:00Z",
				      "2026-11-28T01:40:44+25:00", "2026-11-28T01:40:44+0100",
				      "2026-11-28T01:40:44Zjunk", "2026-1-28T01:40:44Z" };

		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			if (parse(&o, &cause, 4, "--replay", "r", "--at", bad[i]) != -1)
				fail_msg("--at %s accepted", bad[i]);
			assert_non_null(strstr(cause, "--at wants"));
			free(cause);
		}
	}
	assert_int_equal(parse(&o, &cause, 4, "--at", "5", "--once", "example.test"), -1);
	assert_non_null(strstr(cause, "--at needs --replay"));
	free(cause);
	assert_int_equal(parse(&o, &cause, 5, "--replay", "r", "--record", "w", "example.test"), -1);
	assert_non_null(strstr(cause, "do not go together"));
	free(cause);
	assert_int_equal(parse(&o, &cause, 6, "--once", "--record", "w.jsonl", "--export",
			       "pm.md", "example.test"), 0);
	assert_string_equal(o.record_file, "w.jsonl");
	assert_string_equal(o.export_file, "pm.md");
	options_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_healthy),
		cmocka_unit_test(test_roundtrip_aliases),
		cmocka_unit_test(test_roundtrip_hostile),
		cmocka_unit_test(test_decode_before_ns_ttl),
		cmocka_unit_test(test_json_malformed),
		cmocka_unit_test(test_json_render_policy),
		cmocka_unit_test(test_decode_names_and_numbers),
		cmocka_unit_test(test_evidence_wrong_fields),
		cmocka_unit_test(test_recorder_whole_lines),
		cmocka_unit_test(test_recorder_stable_day),
		cmocka_unit_test(test_load_intact),
		cmocka_unit_test(test_load_truncated),
		cmocka_unit_test(test_load_corrupt_middle),
		cmocka_unit_test(test_replay_cursor),
		cmocka_unit_test(test_export_escaping),
		cmocka_unit_test(test_recovery),
		cmocka_unit_test(test_events_findings),
		cmocka_unit_test(test_cli_options),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
