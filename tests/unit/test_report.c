/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: the --once reports of a broken zone whose servers send hostile
 * strings. The JSON must parse (a small validator here, and jq when it is
 * installed) and hold the diagnosis; neither report may carry a control
 * byte a terminal would obey. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "diag.h"
#include "report.h"
#include "evidence_builder.c"

#define ESC_SEQ "\x1b[2J\x1b]0;pwned\x07"
#define BIDI "\xe2\x80\xae" "gnp.exe"

static char *big_string(void)
{
	char *s = xmalloc(10 * 1024 + 1);

	for (size_t i = 0; i < 10 * 1024; i++)
		s[i] = (char)("ab\x1b\r\x08\xff"[i % 6]);
	s[10 * 1024] = '\0';
	return s;
}

static void replace(char **slot, const char *s)
{
	free(*slot);
	*slot = xstrdup(s);
}

/* The stale-DS rollover, with hostile strings wherever the network speaks. */
static struct evidence *hostile(void)
{
	struct evidence *ev = eb_healthy();
	struct chain_link *l = eb_zone(ev);

	l->ds[0].match = DS_MATCH_NO_KEY;
	l->ds[0].key_index = -1;
	l->status = SEC_BOGUS;
	eb_validators_servfail(ev, 9);
	replace(&ev->resolvers[0].answers[0].reply.ede[0].text,
		"bad" ESC_SEQ "\r\b" BIDI);
	ev->resolvers[0].answers[0].reply.ede[1 - 1].code = 9;
	eb_ede(&ev->resolvers[0].answers[0].reply, 6, "\xff\xfe\xc3(");
	char *big = big_string();

	eb_ede(&ev->resolvers[1].answers[0].reply, 0, big);
	replace(&ev->resolvers[1].name, "Beta\r\nFAKE: secure" ESC_SEQ);
	replace(&ev->nameservers[0].name, "ns1\x1b[31m.example.");
	replace(&ev->nameservers[1].name, BIDI ".example.");
	replace(&l->keys[0].ds_sha256, "example.test.\t3600\tIN\tDS\t2222 "
		"13 2 AB\x1b[0mCD");
	replace(&l->dnskey_sigs[0].signer, "sig\x08ner\xc0\xaf.");
	eb_local(ev, "www.example.test.", RRTYPE_A, SEC_BOGUS, big);
	*XAPPEND(ev->notes, ev->n_notes) = xstrdup("note\x1b]52;c;AAAA\x07");
	/* NUL-truncated: only "trunc" exists as a C string. */
	*XAPPEND(ev->notes, ev->n_notes) = xstrdup("trunc\0hidden");
	free(big);
	return ev;
}

static char *render(const struct evidence *ev, const struct diagnosis *d,
		    int json, bool color)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (json)
		assert_int_equal(report_json(f, ev, d), 0);
	else
		assert_int_equal(report_text(f, ev, d, color), 0);
	fclose(f);
	assert_int_equal(strlen(buf), len);	/* no NUL inside */
	return buf;
}

/* ---- a minimal JSON validator (RFC 8259 grammar, no semantics) ---- */

static const char *ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *value(const char *p, int depth);

static const char *string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!strchr("0123456789abcdefABCDEF",
						    p[i]) || p[i] == '\0')
						return NULL;
				p += 4;
			} else if (!strchr("\"\\/bfnrt", *p) || *p == '\0') {
				return NULL;
			}
		}
		p++;
	}
	return p + 1;
}

static const char *value(const char *p, int depth)
{
	p = ws(p);
	if (depth > 64)
		return NULL;
	if (*p == '{' || *p == '[') {
		char close = *p == '{' ? '}' : ']';

		p = ws(p + 1);
		if (*p == close)
			return p + 1;
		for (;;) {
			if (close == '}') {
				p = string(ws(p));
				if (p == NULL || *(p = ws(p)) != ':')
					return NULL;
				p++;
			}
			p = value(p, depth + 1);
			if (p == NULL)
				return NULL;
			p = ws(p);
			if (*p == close)
				return p + 1;
			if (*p++ != ',')
				return NULL;
		}
	}
	if (*p == '"')
		return string(p);
	if (strncmp(p, "true", 4) == 0)
		return p + 4;
	if (strncmp(p, "false", 5) == 0)
		return p + 5;
	if (strncmp(p, "null", 4) == 0)
		return p + 4;
	if (*p == '-' || (*p >= '0' && *p <= '9')) {
		p++;
		while ((*p >= '0' && *p <= '9') || *p == '.' || *p == 'e' ||
		       *p == 'E' || *p == '+' || *p == '-')
			p++;
		return p;
	}
	return NULL;
}

static void assert_valid_json(const char *doc)
{
	const char *end = value(doc, 0);

	assert_non_null(end);
	assert_int_equal(*ws(end), '\0');
}

static void test_json_validator_rejects(void **state)
{
	(void)state;
	/* The validator itself must be able to fail. */
	assert_null(value("{\"a\": \"x\x1by\"}", 0));
	assert_null(value("{\"a\" 1}", 0));
	assert_null(value("[1,]", 0));
	assert_null(value("\"\\q\"", 0));
	assert_non_null(value("{\"a\": [1, true, null, \"\\u001b\"]}", 0));
}

/* Runs jq with @p filter (-e: false/null fails) on @p doc; -1 if no jq. */
static int jq(const char *doc, const char *filter)
{
	char path[] = "/tmp/bogus-test-report-XXXXXX";
	int fd = mkstemp(path);
	char *cmd;
	int rc;

	if (system("command -v jq >/dev/null 2>&1") != 0) {
		if (fd >= 0) {
			close(fd);
			unlink(path);
		}
		return -1;
	}
	assert_true(fd >= 0);
	assert_int_equal(write(fd, doc, strlen(doc)), (ssize_t)strlen(doc));
	close(fd);
	cmd = xasprintf("jq -e '%s' %s >/dev/null 2>&1", filter, path);
	FILE *p = popen(cmd, "r");

	assert_non_null(p);
	rc = pclose(p);
	unlink(path);
	free(cmd);
	return rc;
}

static void test_json_hostile(void **state)
{
	(void)state;
	struct evidence *ev = hostile();
	struct diagnosis *d = diag_run(ev, EB_NOW);
	char *doc = render(ev, d, 1, false);

	for (const unsigned char *p = (const unsigned char *)doc; *p; p++)
		assert_true(*p >= 0x20 || *p == '\n');
	assert_valid_json(doc);
	assert_null(strstr(doc, "hidden"));
	/* The terminal-escape payload is there, but as text. */
	assert_non_null(strstr(doc, "\\u001B[2J"));
	if (jq(doc, ".") == -1) {
		free(doc);
		diagnosis_free(d);
		evidence_free(ev);
		skip();
	}
	static const char *const checks[] = {
		".zone == \"example.test.\"",
		".verdict == \"bogus\"",
		".generated_at == \"2027-01-15T08:00:00Z\"",
		".findings[0].id == \"ds-no-matching-key\"",
		".findings[0].severity == \"critical\"",
		".findings[0].actor == \"zone-operator\"",
		"[.findings[].actor] | all(. != null)",
		".findings[0].dnsviz == null",
		".findings[0].cache_until == \"2027-01-15T10:00:00Z\"",
		".findings[0].subject == \"example.test.\"",
		"(.findings[0].evidence | length) > 0",
		"(.findings[0].fix | test(\"DS 2222 13 2\"))",
		"[.findings[].severity] | all(. == \"critical\" or "
		". == \"warning\" or . == \"info\")",
		"[.findings[] | select(.id == \"validators-servfail\")] | "
		"length == 1",
		".resolvers[0].validating == true",
		".resolvers[0].answers[0].qtype == \"A\"",
		".resolvers[0].answers[0].rcode == \"SERVFAIL\"",
		".resolvers[0].answers[0].cd_rcode == \"NOERROR\"",
		".resolvers[0].answers[0].ad == false",
		".resolvers[0].answers[0].ede[0].code == 9",
		".resolvers[0].answers[0].ede[0].name == \"DNSKEY Missing\"",
		".resolvers[0].answers[0].ede[0].text | test(\"\\u001b\")",
		".resolvers[0].answers[0].outcome == \"answer\"",
		"(.resolvers[1].answers[0].ede[1].text | length) >= 10240",
		"(.chain | length) == 3",
		".chain[2].zone == \"example.test.\"",
		".chain[2].status == \"bogus\"",
		".chain[2].ds[0].key_tag == 2222",
		".chain[2].ds[0].state == \"no-key\"",
		".chain[2].dnskey[0].role == \"KSK\"",
		".chain[2].rrsig[0].state == \"valid\"",
		".chain[2].rrsig[0].expiration == \"2027-02-04T08:00:00Z\"",
		".nameservers[0].udp == \"ok\"",
		".nameservers[0].tcp == \"ok\"",
		".nameservers[0].serial == 2027011501",
		".nameservers[0].dnskey_tags == [2222, 3333]",
		".nameservers[0].earliest_expiration == \"2027-02-04T08:00:00Z\"",
		".local[0].security == \"bogus\"",
		"(.checklist | length) == 6",
		".checklist[2].state == \"failed\"",
		".notes[1] == \"trunc\"",
	};
	for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
		int rc = jq(doc, checks[i]);

		if (rc != 0)
			fail_msg("jq -e '%s' failed", checks[i]);
	}
	free(doc);
	diagnosis_free(d);
	evidence_free(ev);
}

/* Every ESC must start one of our own colour codes: ESC [ digits;digits m. */
static void assert_only_our_escapes(const char *s, bool color)
{
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '\n')
			continue;
		if (c != 0x1b) {
			assert_true(c >= 0x20 && c != 0x7f);
			continue;
		}
		assert_true(color);
		assert_int_equal(p[1], '[');
		p += 2;
		while ((*p >= '0' && *p <= '9') || *p == ';')
			p++;
		assert_int_equal(*p, 'm');
	}
}

static void test_text_hostile(void **state)
{
	(void)state;
	struct evidence *ev = hostile();
	struct diagnosis *d = diag_run(ev, EB_NOW);

	for (int color = 0; color < 2; color++) {
		char *txt = render(ev, d, 0, color);

		assert_only_our_escapes(txt, color);
		assert_null(strstr(txt, "hidden"));
		/* A forged line cannot start a line of its own. */
		assert_null(strstr(txt, "\nFAKE"));
		assert_non_null(strstr(txt, "BOGUS"));
		assert_non_null(strstr(txt, "ds-no-matching-key"));
		assert_non_null(strstr(txt, "CHECKLIST"));
		free(txt);
	}
	diagnosis_free(d);
	evidence_free(ev);
}

static void test_text_layout(void **state)
{
	(void)state;
	struct evidence *ev = eb_healthy();
	struct chain_link *l = eb_zone(ev);

	l->ds[0].match = DS_MATCH_NO_KEY;
	l->ds[0].key_index = -1;
	eb_validators_servfail(ev, 9);

	struct diagnosis *d = diag_run(ev, EB_NOW);
	char *txt = render(ev, d, 0, false);
	const char *find = strstr(txt, "FINDINGS");
	const char *check = strstr(txt, "CHECKLIST");
	const char *res = strstr(txt, "RESOLVERS");
	const char *chain = strstr(txt, "CHAIN OF TRUST");
	const char *ns = strstr(txt, "NAMESERVERS");

	/* Grouped as the console: verdict, findings, runbook, tables. */
	assert_true(strncmp(txt, "example.test.  BOGUS  (exit 2)", 30) == 0);
	assert_non_null(find);
	assert_true(find < check && check < res && res < chain && chain < ns);
	/* The fix's DS, pasteable: tabs squeezed to spaces. */
	assert_non_null(strstr(txt, "    example.test. 3600 IN DS 2222 13 2 "));
	/* Who must act, under each finding and in the repair step. */
	assert_non_null(strstr(txt, "\n         who: the zone's operator\n"));
	assert_non_null(strstr(txt, "> Who must act: the zone's operator."));
	/* The checklist ticks. */
	assert_non_null(strstr(txt, "[x] 1. Confirm the validation failure"));
	assert_non_null(strstr(txt, "[!] 3. Compare the parent's DS"));
	assert_non_null(strstr(txt, "[ ] 4. Choose the fastest safe repair"));
	/* Aligned columns: both resolver rows put RCODE at one offset. */
	const char *a = strstr(res, "\n  Alpha");
	const char *b = strstr(res, "\n  Beta");

	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(strstr(a, "SERVFAIL") - a, strstr(b, "SERVFAIL") - b);
	free(txt);
	diagnosis_free(d);
	evidence_free(ev);
}

/* The DS as the parent publishes it: its TTL swapped in, or none. */
static void test_ds_as_parent(void **state)
{
	static const struct {
		const char *in;
		uint32_t ttl;
		const char *out;
	} cases[] = {
		{ "example.test. 300 IN DS 4321 13 2 ab", 3600,
		  "example.test. 3600 IN DS 4321 13 2 ab" },
		{ "example.test. 300 IN DS 4321 13 2 ab", 0,
		  "example.test. IN DS 4321 13 2 ab" },
		{ "example.test. IN DS 4321 13 2 ab", 86400,
		  "example.test. 86400 IN DS 4321 13 2 ab" },
		{ "example.test. 300 DS 4321 13 2 ab", 60,
		  "example.test. 60 IN DS 4321 13 2 ab" },
		/* Not a DS record: left alone. */
		{ "example.test. 300 IN DNSKEY 257 3 13 AA==", 60,
		  "example.test. 300 IN DNSKEY 257 3 13 AA==" },
		{ "example.test. 300 IN DS", 60, "example.test. 300 IN DS" },
		{ "", 60, "" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = evidence_ds_as_parent(cases[i].in, cases[i].ttl);

		assert_string_equal(got, cases[i].out);
		free(got);
	}
	assert_null(evidence_ds_as_parent(NULL, 60));
}

/* The TTLs of the cache tail, in both reports: NS at the parent and at
 * the zone, and the DS to paste with the parent's DS TTL. */
static void test_ttls_shown(void **state)
{
	struct evidence *ev = eb_healthy();
	struct chain_link *l = eb_zone(ev);
	struct diagnosis *d;
	char *txt, *doc;

	(void)state;
	l->ds[0].match = DS_MATCH_NO_KEY;
	l->ds[0].key_index = -1;
	l->status = SEC_BOGUS;
	l->ns_ttl = 86400;
	l->child_ns_ttl = 3600;
	ev->chain[1].ns_ttl = 172800;	/* test.: no apex NS asked */
	eb_validators_servfail(ev, 9);
	d = diag_run(ev, EB_NOW);
	txt = render(ev, d, 0, false);
	assert_non_null(strstr(txt, "example.test.  bogus  (DS TTL 3600 s, "
			       "DNSKEY TTL 7200 s, NS TTL 86400 s at the "
			       "parent, 3600 s at the zone)"));
	assert_non_null(strstr(txt, "test.  secure  (DS TTL 3600 s, DNSKEY "
			       "TTL 7200 s, NS TTL 172800 s at the parent)"));
	/* The DNSKEY's TTL (7200) is not the parent's. */
	assert_non_null(strstr(txt, "example.test. 3600 IN DS 2222 13 2 "));
	assert_null(strstr(txt, "7200 IN DS"));
	free(txt);
	doc = render(ev, d, 1, false);
	assert_valid_json(doc);
	assert_non_null(strstr(doc, "\"ns_ttl\": 86400,\n      "
			       "\"child_ns_ttl\": 3600,"));
	assert_non_null(strstr(doc, "\"ns_ttl\": 172800,\n      "
			       "\"child_ns_ttl\": null,"));
	assert_non_null(strstr(doc, "\"ns_ttl\": null,"));	/* the root */
	assert_non_null(strstr(doc, "\"ds_record\": \"example.test. 3600"
			       " IN DS 2222 13 2 "));
	assert_null(strstr(doc, "\"ds_sha256\""));
	{	/* and the digest alone, as the parent compares it */
		const char *dg = strrchr(l->keys[0].ds_sha256, ' ') + 1;
		char *want = xasprintf("\"ds_digest_sha256\": \"%s\"", dg);

		assert_non_null(strstr(doc, want));
		free(want);
	}
	assert_null(strstr(doc, "7200 IN DS"));
	free(doc);
	diagnosis_free(d);
	/* No DS TTL seen (no DS at the parent): the DS comes without one. */
	l->ds_ttl = 0;
	d = diag_run(ev, EB_NOW);
	txt = render(ev, d, 0, false);
	assert_non_null(strstr(txt, "    example.test. IN DS 2222 13 2 "));
	free(txt);
	diagnosis_free(d);
	evidence_free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_validator_rejects),
		cmocka_unit_test(test_json_hostile),
		cmocka_unit_test(test_text_hostile),
		cmocka_unit_test(test_text_layout),
		cmocka_unit_test(test_ds_as_parent),
		cmocka_unit_test(test_ttls_shown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
