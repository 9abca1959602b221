/* SPDX-License-Identifier: BSD-3-Clause */
/* Unit tests: the styled line buffer (escaping, cutting, widths) and the
 * panes rendered from hand-built evidence, read back as text and roles
 * without a terminal. */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diag.h"
#include "pane.h"
#include "ui_cell.h"
#include "evidence_builder.c"

/* Whether line @p l shows @p needle. */
static bool has_text(const struct ui_line *l, const char *needle)
{
	char *t = ui_line_text(l);
	bool hit = strstr(t, needle) != NULL;

	free(t);
	return hit;
}

/* The first line of @p d containing @p needle, or NULL. */
static const struct ui_line *find(const struct ui_doc *d, const char *needle)
{
	for (size_t i = 0; i < d->n_lines; i++) {
		char *t = ui_line_text(&d->lines[i]);
		bool hit = strstr(t, needle) != NULL;

		free(t);
		if (hit)
			return &d->lines[i];
	}
	return NULL;
}

static void test_escaping(void **state)
{
	struct ui_doc d = { .utf8 = true };
	struct ui_line *l = ui_doc_add(&d, NULL);
	char *t;

	(void)state;
	/* A carriage return must not let "OK" overwrite "bogus". */
	ui_put(&d, l, ROLE_NORMAL, "bogus\rOK");
	ui_put(&d, l, ROLE_BOGUS, "\x1b[31mred\x08");
	ui_put(&d, l, ROLE_NORMAL, "a\tb");
	ui_put(&d, l, ROLE_NORMAL, NULL);
	t = ui_line_text(l);
	assert_string_equal(t, "bogus\\013OK\\027[31mred\\008a b");
	assert_null(strchr(t, '\r'));
	assert_null(strchr(t, '\x1b'));
	free(t);
	assert_int_equal(ui_line_role_of(l, "[31m"), ROLE_BOGUS);
	assert_int_equal(ui_line_role_of(l, "absent"), -1);
	/* printf goes through the same escaping. */
	l = ui_doc_add(&d, "k");
	ui_putf(&d, l, ROLE_INFO, "%s=%d", "x\ny", 5);
	t = ui_line_text(l);
	assert_string_equal(t, "x\\010y=5");
	free(t);
	/* Bidi overrides stay visible instead of reordering the screen. */
	l = ui_doc_add(&d, NULL);
	ui_put(&d, l, ROLE_NORMAL, "ab\xe2\x80\xaeoc");
	t = ui_line_text(l);
	assert_null(strstr(t, "\xe2\x80\xae"));
	free(t);
	assert_int_equal(ui_doc_find(&d, "k"), 1);
	assert_int_equal(ui_doc_find(&d, "nope"), -1);
	ui_doc_clear(&d);
	ui_doc_clear(NULL);
}

static void test_columns_and_width(void **state)
{
	struct ui_doc d = { .utf8 = true }, a = { .utf8 = false };
	struct ui_line *l = ui_doc_add(&d, NULL), *m = ui_doc_add(&a, NULL);
	char *t;
	int cols;

	(void)state;
	ui_put_col(&d, l, ROLE_NORMAL, "ns1.example.test.", 8);
	ui_put_col(&d, l, ROLE_SECURE, "ok", 4);
	t = ui_line_text(l);
	assert_string_equal(t, "ns1.exa\u2026ok  ");
	free(t);
	assert_int_equal(ui_line_width(l, true), 12);
	/* ASCII terminals get "~" as the cut mark, and no UTF-8 at all. */
	ui_put_col(&a, m, ROLE_NORMAL, "ns1.example.test.", 8);
	ui_put_col(&a, m, ROLE_NORMAL, "caf\xc3\xa9", 8);
	t = ui_line_text(m);
	assert_string_equal(t, "ns1.exa~caf\\195~");
	free(t);
	/* Wide characters count double and are never split. */
	assert_int_equal(ui_text_width("\xe4\xb8\xad\xe6\x96\x87", true), 4);
	assert_int_equal(ui_text_fit("\xe4\xb8\xad\xe6\x96\x87", true, 3, &cols), 3);
	assert_int_equal(cols, 2);
	assert_int_equal(ui_text_fit("abc", false, 10, &cols), 3);
	assert_string_equal(ui_sym(false, SYM_TEE), "|-");
	assert_string_equal(ui_sym(true, SYM_TEE), "\u251c\u2500");
	ui_doc_clear(&d);
	ui_doc_clear(&a);
}

/* The checklist's fold: a continuation starts under the line's indent + 2,
 * a word longer than what is left is cut rather than looping. */
static void test_wrap_hang(void **state)
{
	static const char *const want[] = {
		"    > Publish the ", "      DS at the ", "      registrar: ",
		"      0123456789ab", "      cdef",
	};
	struct ui_doc d = { .utf8 = true };

	(void)state;
	ui_put(&d, ui_doc_add(&d, "step:1"), ROLE_NORMAL,
	       "    > Publish the DS at the registrar: 0123456789abcdef");
	ui_doc_wrap_hang(&d, 18, true);
	assert_int_equal(d.n_lines, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < d.n_lines; i++) {
		char *t = ui_line_text(&d.lines[i]);

		if (strcmp(t, want[i]) != 0)
			fail_msg("line %zu: \"%s\", want \"%s\"", i, t, want[i]);
		free(t);
		assert_true(ui_line_width(&d.lines[i], true) <= 18);
	}
	assert_string_equal(d.lines[0].key, "step:1");
	assert_null(d.lines[1].key);
	ui_doc_clear(&d);
}

static void test_wrap(void **state)
{
	static const char *const want[] = {
		"Republish ", "the old ", "key ", "4986812345", "6 ", ("now\xe4\xb8\xad\xe6\x96\x87" "ab"), "shrt",
	};
	struct ui_doc d = { .utf8 = true };
	struct ui_line *l = ui_doc_add(&d, "fix");

	(void)state;
	ui_put(&d, l, ROLE_DIM, "Republish the old ");
	ui_put(&d, l, ROLE_BOGUS, "key 49868123456 now\xe4\xb8\xad\xe6\x96\x87" "ab");
	ui_put(&d, ui_doc_add(&d, NULL), ROLE_NORMAL, "shrt");
	ui_doc_wrap(&d, 10);
	/* Breaks after spaces; a word longer than the line is cut; wide
	 * characters count double. */
	assert_int_equal(d.n_lines, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < d.n_lines; i++) {
		char *t = ui_line_text(&d.lines[i]);

		if (strcmp(t, want[i]) != 0)
			fail_msg("line %zu: \"%s\", want \"%s\"", i, t, want[i]);
		free(t);
		assert_true(ui_line_width(&d.lines[i], true) <= 10);
	}
	assert_string_equal(d.lines[0].key, "fix");
	assert_null(d.lines[1].key);
	assert_int_equal(ui_line_role_of(&d.lines[1], "old"), ROLE_DIM);
	assert_int_equal(ui_line_role_of(&d.lines[2], "key"), ROLE_BOGUS);
	ui_doc_clear(&d);
}

static void build(const struct pane_ops *ops, const struct evidence *ev,
		  const struct diagnosis *dg, const struct checklist *cl,
		  struct ui_doc *d)
{
	struct pane_ctx c = { .ev = ev, .diag = dg, .checklist = cl, .events = NULL,
				.now = EB_NOW, .width = 80 };

	ui_doc_clear(d);
	ops->build(&c, d);
}

static void test_resolvers_pane(void **state)
{
	struct evidence *ev = eb_healthy();
	struct ui_doc d = { .utf8 = true };
	const struct ui_line *l;
	struct resolver_ev *r;
	char *t;

	(void)state;
	r = eb_resolver(ev, "office", "127.0.3.3", VALIDATING_NO);
	eb_answer(r, "www.example.test.", RRTYPE_A, RCODE_NOERROR, false, -1);
	eb_answer(r, "example.test.", RRTYPE_SOA, RCODE_NOERROR, false, -1);
	eb_validators_servfail(ev, 9);
	eb_local(ev, "www.example.test.", RRTYPE_A, SEC_BOGUS, "no DS match");
	build(&pane_resolvers_ops, ev, NULL, NULL, &d);

	/* Header: the columns, named relative to the zone. */
	t = ui_line_text(&d.lines[0]);
	assert_non_null(strstr(t, "www A"));
	assert_non_null(strstr(t, "@ SOA"));
	assert_null(d.lines[0].key);
	free(t);
	assert_int_equal(d.n_lines, 5);	/* header, 3 resolvers, local */
	/* Alpha: SERVFAIL that CD=1 rescues is BOGUS, with its EDE code. */
	l = find(&d, "Alpha");
	assert_non_null(l);
	assert_string_equal(l->key, "res:127.0.3.1#53");
	assert_int_equal(ui_line_role_of(l, "BOGUS e9"), ROLE_BOGUS);
	assert_true(has_text(l, "\u2718 BOGUS e9"));
	/* office: non-validating, marked so; its answers are INSEC. */
	l = find(&d, "office");
	assert_int_equal(ui_line_role_of(l, " nv "), ROLE_WARNING);
	assert_int_equal(ui_line_role_of(l, "INSEC"), ROLE_INSECURE);
	l = find(&d, "(local)");
	assert_int_equal(ui_line_role_of(l, "bogus"), ROLE_BOGUS);

	/* A changed cell is highlighted for a moment, then not. */
	{
		struct event_log log = { 0 };
		struct pane_ctx c = { .ev = ev, .diag = NULL, .checklist = NULL, .events = &log,
				.now = EB_NOW, .width = 80 };

		events_add(&log, EB_NOW - 2, EVENT_BAD, "res:127.0.3.2#53:www.example.test.:1", "x");
		ui_doc_clear(&d);
		pane_resolvers_ops.build(&c, &d);
		l = find(&d, "Beta");
		assert_int_equal(ui_line_role_of(l, "BOGUS"), ROLE_CHANGED);
		c.now = EB_NOW + PANE_CHANGED_SECS;
		ui_doc_clear(&d);
		pane_resolvers_ops.build(&c, &d);
		l = find(&d, "Beta");
		assert_int_equal(ui_line_role_of(l, "BOGUS"), ROLE_BOGUS);
		events_clear(&log);
	}
	/* Before the first refresh: a clear word, no crash. */
	build(&pane_resolvers_ops, NULL, NULL, NULL, &d);
	assert_non_null(find(&d, "waiting for the first refresh"));
	ui_doc_clear(&d);
	evidence_free(ev);
}

/* The compact cell: a symbol and a code, never colour alone, ASCII too. */
static void test_cell_compact_text(void **state)
{
	struct evidence *ev = eb_new("example.test.");
	struct resolver_ev *r = eb_resolver(ev, "R", "127.0.3.9", VALIDATING_YES);
	struct resolver_answer *a;
	char buf[16];

	(void)state;
	a = eb_answer(r, "example.test.", RRTYPE_SOA, RCODE_NOERROR, true, -1);
	assert_string_equal(ui_cell_compact(a, true, buf), "\u2714");
	assert_string_equal(ui_cell_compact(a, false, buf), "+");
	a = eb_answer(r, "example.test.", RRTYPE_NS, RCODE_NOERROR, false, -1);
	assert_string_equal(ui_cell_compact(a, true, buf), "\u2022");
	a = eb_answer(r, "nx.example.test.", RRTYPE_A, RCODE_NXDOMAIN, true, -1);
	assert_string_equal(ui_cell_compact(a, true, buf), "\u2714N");
	a = eb_answer(r, "nx.example.test.", RRTYPE_AAAA, RCODE_NXDOMAIN, false, -1);
	assert_string_equal(ui_cell_compact(a, false, buf), "*N");
	/* SERVFAIL that CD=1 rescues: validation fails, with its EDE. */
	a = eb_answer(r, "example.test.", RRTYPE_MX, RCODE_SERVFAIL, false, RCODE_NOERROR);
	assert_string_equal(ui_cell_compact(a, true, buf), "\u2718B");
	eb_ede(&a->reply, 6, "DNSSEC Bogus");
	assert_string_equal(ui_cell_compact(a, true, buf), "\u27186");
	assert_string_equal(ui_cell_compact(a, false, buf), "x6");
	a = eb_answer(r, "example.test.", RRTYPE_TXT, RCODE_SERVFAIL, false, RCODE_NOERROR);
	eb_ede(&a->reply, 10, "RRSIGs Missing");
	assert_string_equal(ui_cell_compact(a, true, buf), "\u271810");
	assert_int_equal(ui_text_width(buf, true), UI_CELL_COMPACT_W);
	a->reply.ede[0].code = 4242;	/* unassigned: no room, the detail has it */
	assert_string_equal(ui_cell_compact(a, true, buf), "\u2718#");
	/* SERVFAIL even with CD=1: not DNSSEC; the EDE does not make it bogus. */
	a = eb_answer(r, "example.test.", RRTYPE_A, RCODE_SERVFAIL, false, RCODE_SERVFAIL);
	eb_ede(&a->reply, 22, "No Reachable Authority");
	assert_string_equal(ui_cell_compact(a, true, buf), "\u2718S");
	a = eb_answer(r, "example.test.", RRTYPE_AAAA, RCODE_REFUSED, false, -1);
	assert_string_equal(ui_cell_compact(a, false, buf), "xR");
	a->reply.outcome = OUTCOME_TIMEOUT;
	assert_string_equal(ui_cell_compact(a, true, buf), "\u2718T");
	a->reply.outcome = OUTCOME_NET_ERROR;
	assert_string_equal(ui_cell_compact(a, true, buf), "\u2718X");
	a->reply.outcome = OUTCOME_NOT_SENT;
	assert_string_equal(ui_cell_compact(a, true, buf), "-");
	evidence_free(ev);
}

/* Wide cells only when every column fits; else compact, never cut. */
static void test_resolvers_cell_width(void **state)
{
	(void)state;
	/* 13 columns: 80 columns cannot hold "x BOGUS e9" cells, 200 can. */
	assert_int_equal(pane_resolvers_cell_width(80, 12, 13), UI_CELL_COMPACT_W + 1);
	assert_int_equal(pane_resolvers_cell_width(120, 12, 13), UI_CELL_COMPACT_W + 1);
	assert_true(pane_resolvers_cell_width(200, 12, 13) >= 11);
	assert_true(pane_resolvers_cell_width(200, 12, 13) * 13 + 12 <= 200);
	/* Few columns: wide, and no wider than 16. */
	assert_int_equal(pane_resolvers_cell_width(80, 12, 2), 16);
	assert_int_equal(pane_resolvers_cell_width(12 + 11 * 6, 12, 6), 11);
	assert_int_equal(pane_resolvers_cell_width(12 + 11 * 6 - 1, 12, 6),
			 UI_CELL_COMPACT_W + 1);
}

/* The lab's 13 probed columns at 80 columns: all there, compact. */
static void test_resolvers_pane_compact(void **state)
{
	static const struct { const char *name; uint16_t type; } cols[] = {
		{ "example.test.", RRTYPE_SOA }, { "example.test.", RRTYPE_NS },
		{ "example.test.", RRTYPE_DNSKEY }, { "example.test.", RRTYPE_A },
		{ "example.test.", RRTYPE_AAAA }, { "example.test.", RRTYPE_MX },
		{ "example.test.", RRTYPE_TXT }, { "www.example.test.", RRTYPE_A },
		{ "www.example.test.", RRTYPE_AAAA }, { "_dmarc.example.test.", RRTYPE_TXT },
		{ "bogus-nx-0123456789abcdef.example.test.", RRTYPE_A },
		{ "mail.example.test.", RRTYPE_A }, { "mail.example.test.", RRTYPE_AAAA },
	};
	struct evidence *ev = eb_new("example.test.");
	struct resolver_ev *v, *o;
	struct pane_ctx c = { .ev = ev, .now = EB_NOW, .width = 80 };
	struct ui_doc d = { .utf8 = true };
	const struct ui_line *l;
	char *t;

	(void)state;
	eb_resolver(ev, "unbound", "127.0.10.1", VALIDATING_YES);
	eb_resolver(ev, "office", "127.0.10.3", VALIDATING_NO);
	v = &ev->resolvers[0];	/* the array may have moved */
	o = &ev->resolvers[1];
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		struct resolver_answer *a = eb_answer(v, cols[i].name, cols[i].type,
						      RCODE_SERVFAIL, false, RCODE_NOERROR);

		eb_ede(&a->reply, cols[i].type == RRTYPE_DNSKEY ? 9 : 6, "bogus");
		eb_answer(o, cols[i].name, cols[i].type, i == 10 ? RCODE_NXDOMAIN :
			  RCODE_NOERROR, false, -1);
		eb_local(ev, cols[i].name, cols[i].type, SEC_BOGUS, "no DS match");
	}
	pane_resolvers_ops.build(&c, &d);
	/* Two header rows (names over their runs, then short types), 3 rows. */
	assert_int_equal(d.n_lines, 5);
	t = ui_line_text(&d.lines[0]);
	assert_string_equal(t, "            @                           www     dm  nx  mail    ");
	free(t);
	t = ui_line_text(&d.lines[1]);
	assert_string_equal(t, "resolver    SOA NS  KEY A   4A  MX  TXT A   4A  TXT A   A   4A  ");
	free(t);
	for (size_t i = 0; i < d.n_lines; i++)
		assert_true(ui_line_width(&d.lines[i], true) <= 80);
	l = find(&d, "unbound");
	assert_true(has_text(l, "unbound  V  \u27186  \u27186  \u27189  \u27186"));
	assert_int_equal(ui_line_role_of(l, "\u27189"), ROLE_BOGUS);
	l = find(&d, "office");
	assert_true(has_text(l, "office   nv \u2022   \u2022   "));
	assert_int_equal(ui_line_role_of(l, "\u2022N"), ROLE_INSECURE);
	assert_true(has_text(find(&d, "(local)"), "(local)  V  \u2718B  \u2718B"));
	/* ASCII terminals: the same cells in ASCII. */
	ui_doc_clear(&d);
	d.utf8 = false;
	pane_resolvers_ops.build(&c, &d);
	assert_true(has_text(find(&d, "unbound"), "unbound  V  x6  x6  x9"));
	/* With room, the words come back. */
	ui_doc_clear(&d);
	d.utf8 = true;
	c.width = 200;
	pane_resolvers_ops.build(&c, &d);
	assert_int_equal(d.n_lines, 4);
	assert_true(has_text(&d.lines[0], "_dmarc TXT"));
	assert_true(has_text(&d.lines[0], "nx A"));
	assert_true(has_text(find(&d, "unbound"), "\u2718 BOGUS e9"));
	for (size_t i = 0; i < d.n_lines; i++)
		assert_true(ui_line_width(&d.lines[i], true) <= 200);
	ui_doc_clear(&d);
	evidence_free(ev);
}

static void test_chain_pane_mismatch(void **state)
{
	struct evidence *ev = eb_healthy();
	struct chain_link *z = eb_zone(ev);
	struct ui_doc d = { .utf8 = true };
	const struct ui_line *l;

	(void)state;
	/* The ksk-ds-mismatch world: DS 2222 at the parent, KSK 8888 served. */
	z->status = SEC_BOGUS;
	z->keys[0].tag = 8888;
	z->ds[0].match = DS_MATCH_NO_KEY;
	z->ds[0].key_index = -1;
	build(&pane_chain_ops, ev, NULL, NULL, &d);
	/* Clean links above fold to one line each, the broken one opens. */
	l = find(&d, ". \u2714 secure");
	assert_non_null(l);
	assert_string_equal(l->key, "link:.");
	assert_non_null(find(&d, "test. \u2714 secure  DS \u2192 key 4444"));
	l = find(&d, "example.test. \u2718 BOGUS");
	assert_non_null(l);
	assert_int_equal(ui_line_role_of(l, "BOGUS"), ROLE_BROKEN);
	l = find(&d, "DS 2222/13 SHA-256");
	assert_non_null(l);
	assert_int_equal(ui_line_role_of(l, "NO SUCH KEY"), ROLE_BROKEN);
	l = find(&d, "KSK 8888/13 signs DNSKEY");
	assert_non_null(l);
	assert_int_equal(ui_line_role_of(l, "NO DS"), ROLE_BROKEN);
	assert_non_null(find(&d, "ZSK 3333/13 signs zone"));
	assert_non_null(find(&d, "RRSIG by 2222 \u2714 20d0h left"));
	/* The tree in ASCII for non-UTF-8 terminals. */
	ui_doc_clear(&d);
	d.utf8 = false;
	build(&pane_chain_ops, ev, NULL, NULL, &d);
	assert_non_null(find(&d, "|-DS 2222/13 SHA-256 -> x NO SUCH KEY"));
	assert_non_null(find(&d, "`-RRSIG by 2222"));
	/* The detail view has the records in presentation format. */
	{
		struct pane_ctx c = { .ev = ev, .diag = NULL, .checklist = NULL, .events = NULL,
				.now = EB_NOW, .width = 80 };

		ui_doc_clear(&d);
		pane_chain_ops.detail(&c, "ds:example.test.:0", &d);
		assert_non_null(find(&d, "Zone cut example.test. (parent test.): bogus"));
		assert_non_null(find(&d, "NO SUCH KEY"));
		assert_non_null(find(&d, "KSK 8888 flags 257"));
	}
	ui_doc_clear(&d);
	evidence_free(ev);
}

/* Keys that could not be fetched (TC over UDP, TCP refused): the chain and
 * nameserver panes say "could not see", never "no such key" or "TTL 0 s". */
static void test_panes_keys_not_fetched(void **state)
{
	struct evidence *ev = eb_healthy();
	struct chain_link *z = eb_zone(ev);
	struct ui_doc d = { .utf8 = true };
	const struct ui_line *l;

	(void)state;
	for (size_t i = 0; i < z->n_keys; i++) {
		free(z->keys[i].rr_text);
		free(z->keys[i].ds_sha256);
	}
	z->n_keys = 0;
	for (size_t i = 0; i < z->n_dnskey_sigs; i++)
		free(z->dnskey_sigs[i].signer);
	z->n_dnskey_sigs = 0;
	z->dnskey_ttl = 0;
	z->status = SEC_BOGUS;
	z->ds[0].match = DS_MATCH_NO_KEY;
	z->ds[0].key_index = -1;
	for (size_t i = 0; i < z->n_dnskey_views; i++) {
		dns_reply_clear(&z->dnskey_views[i].reply);
		z->dnskey_views[i].reply.outcome = OUTCOME_NET_ERROR;
		z->dnskey_views[i].reply.tc_retried = true;
		z->dnskey_views[i].n_tags = 0;
		for (size_t j = 0; j < z->dnskey_views[i].n_sigs; j++)
			free(z->dnskey_views[i].sigs[j].signer);
		z->dnskey_views[i].n_sigs = 0;
	}
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		struct ns_ev *n = &ev->nameservers[i];

		n->n_dnskey_tags = 0;
		dns_reply_clear(&n->dnskey_udp);
		n->dnskey_udp.outcome = OUTCOME_NET_ERROR;
		n->dnskey_udp.tc_retried = true;
		dns_reply_clear(&n->dnskey_tcp);
		n->dnskey_tcp.outcome = OUTCOME_NET_ERROR;
	}
	build(&pane_chain_ops, ev, NULL, NULL, &d);
	assert_null(find(&d, "NO SUCH KEY"));
	l = find(&d, "DS 2222/13 SHA-256");
	assert_non_null(l);
	assert_int_equal(ui_line_role_of(l, "? keys not fetched"), ROLE_UNKNOWN);
	assert_non_null(find(&d, "DNSKEY ? could not be fetched: the DNSKEY "
			     "answer is truncated over UDP and TCP fails"));
	{
		struct pane_ctx c = { .ev = ev, .now = EB_NOW, .width = 80 };

		ui_doc_clear(&d);
		pane_chain_ops.detail(&c, "ds:example.test.:0", &d);
		assert_null(find(&d, "NO SUCH KEY"));
		l = find(&d, "DNSKEY TTL");
		assert_non_null(l);
		assert_true(has_text(l, "not seen: the DNSKEY RRset could not be "
				     "fetched"));
		assert_false(has_text(l, " 0 s"));
	}
	ui_doc_clear(&d);
	build(&pane_ns_ops, ev, NULL, NULL, &d);
	l = find(&d, "127.0.2.1");
	assert_non_null(l);
	assert_true(has_text(l, "? truncated, TCP failed"));
	ui_doc_clear(&d);
	evidence_free(ev);
}

static void test_ns_pane_disagreement(void **state)
{
	struct evidence *ev = eb_healthy();
	struct ui_doc d = { .utf8 = true };
	const struct ui_line *l;
	struct ns_ev *n;

	(void)state;
	n = eb_ns(ev, "ns3.example.", "127.0.2.3", 2027011400);
	*XAPPEND(n->dnskey_tags, n->n_dnskey_tags) = 3333;
	n->soa_tcp.outcome = OUTCOME_TIMEOUT;
	n->in_child = false;
	build(&pane_ns_ops, ev, NULL, NULL, &d);
	l = find(&d, "127.0.2.1");
	assert_non_null(l);
	assert_int_equal(ui_line_role_of(l, "2027011501"), ROLE_NORMAL);
	assert_int_equal(ui_line_role_of(l, "2222 3333"), ROLE_NORMAL);
	/* The laggard: serial and key set off the majority, TCP down. */
	l = find(&d, "127.0.2.3");
	assert_int_equal(ui_line_role_of(l, "2027011400\u2260"), ROLE_ODD);
	assert_int_equal(ui_line_role_of(l, "3333\u2260"), ROLE_ODD);
	assert_int_equal(ui_line_role_of(l, "T/O"), ROLE_TIMEOUT);
	assert_int_equal(ui_line_role_of(l, "P-"), ROLE_ODD);
	assert_true(has_text(l, "ok   T/O"));
	/* Two servers, two serials: no majority, the one behind stands out. */
	ev->n_nameservers = 2;
	ev->nameservers[0].serial = 2027011400;
	build(&pane_ns_ops, ev, NULL, NULL, &d);
	assert_int_equal(ui_line_role_of(find(&d, "127.0.2.1"), "2027011400\u2260"), ROLE_ODD);
	assert_int_equal(ui_line_role_of(find(&d, "127.0.2.2"), "2027011501"), ROLE_NORMAL);
	ev->n_nameservers = 3;
	ui_doc_clear(&d);
	evidence_free(ev);
}

/* The nameservers' table at @p width columns. */
static void build_ns_at(const struct evidence *ev, int width, struct ui_doc *d)
{
	struct pane_ctx c = { .ev = ev, .now = EB_NOW, .width = width };

	ui_doc_clear(d);
	pane_ns_ops.build(&c, d);
}

/* Every line fits @p width, nothing is cut, every address and name whole. */
static void assert_ns_fits(const struct ui_doc *d, int width)
{
	static const char *const whole[] = {
		"127.0.2.1", "2001:db8:53:1::3", "ns1.example.", "ns2.example.",
	};

	for (size_t i = 0; i < d->n_lines; i++) {
		assert_true(ui_line_width(&d->lines[i], true) <= width);
		assert_false(has_text(&d->lines[i], "\u2026"));
	}
	for (size_t i = 0; i < sizeof(whole) / sizeof(whole[0]); i++)
		assert_non_null(find(d, whole[i]));
}

/*
 * Content width first: the columns take what their text needs; a narrower
 * pane loses the gaps, then the round trip, then takes short headers and
 * the expiry in its largest unit; only then does the row start with who
 * the server is and get cut at the edge. A name or address is never cut
 * while the pane can hold it.
 */
static void test_ns_pane_widths(void **state)
{
	struct evidence *ev = eb_healthy();
	struct ui_doc d = { .utf8 = true };
	struct ns_ev *n;
	const struct ui_line *l;
	char *head;

	(void)state;
	n = eb_ns(ev, "ns3.example.", "2001:db8:53:1::3", 2027011400);
	n->soa_tcp.outcome = OUTCOME_TIMEOUT;
	/* 82 columns hold everything with two spaces between columns. */
	build_ns_at(ev, 82, &d);
	assert_ns_fits(&d, 82);
	assert_true(has_text(&d.lines[0], "expiry  RTT  P/C  name"));
	assert_true(has_text(find(&d, "::3"), "ok   T/O  2027011400\u2260  -"));
	/* One column less: one space between them, nothing else lost. */
	build_ns_at(ev, 81, &d);
	assert_ns_fits(&d, 81);
	assert_true(has_text(&d.lines[0], "expiry RTT P/C name"));
	assert_true(has_text(find(&d, "127.0.2.1"), "20d0h  3ms"));
	/* 73: the round trip goes first (Enter still shows it). */
	build_ns_at(ev, 73, &d);
	assert_ns_fits(&d, 73);
	assert_false(has_text(&d.lines[0], "RTT"));
	assert_false(has_text(find(&d, "127.0.2.1"), "3ms"));
	assert_true(has_text(find(&d, "127.0.2.1"), "20d0h"));
	/* 65: short headers and the expiry in days. */
	build_ns_at(ev, 65, &d);
	assert_ns_fits(&d, 65);
	head = ui_line_text(&d.lines[0]);
	assert_string_equal(head, "address          U  T   serial      DNSKEY    exp PC name");
	free(head);
	l = find(&d, "127.0.2.1");
	assert_true(has_text(l, " 20d PC ns1.example."));
	assert_false(has_text(l, "20d0h"));
	/* 62: P/C goes while it has no news (every server in both NS sets)... */
	build_ns_at(ev, 62, &d);
	assert_ns_fits(&d, 62);
	head = ui_line_text(&d.lines[0]);
	assert_string_equal(head, "address          U  T   serial      DNSKEY    exp name");
	free(head);
	/* ...and stays when it has: then 62 cannot all fit. Address and name
	 * come first, whole; the rest (the round trip again included) runs off
	 * the edge for the screen to cut with a mark. */
	n->in_child = false;
	build_ns_at(ev, 62, &d);
	head = ui_line_text(&d.lines[0]);
	assert_string_equal(head, "address          name         U  T   serial      DNSKEY    exp PC RTT");
	free(head);
	assert_true(has_text(find(&d, "::3"), "2001:db8:53:1::3 ns3.example. ok T/O 2027011400"));
	assert_true(has_text(find(&d, "::3"), " P- "));
	n->in_child = true;
	build_ns_at(ev, 61, &d);
	assert_true(has_text(&d.lines[0], "address          name "));
	/* A name longer than any pane: whole when it comes last... */
	free(n->name);
	n->name = xstrdup("a-very-long-name-that-a-provider-really-could-use.ns.dns-hosting.example.");
	build_ns_at(ev, 200, &d);
	assert_ns_fits(&d, 200);
	assert_non_null(find(&d, n->name));
	/* ...cut with a mark only when it would push every other column away. */
	build_ns_at(ev, 80, &d);
	l = find(&d, "::3");
	assert_true(has_text(l, "a-very-long-name-that-a-provider-really-could-use.ns.dns-hostin\u2026 ok"));
	/* Expired: EXPIRED at ease, how long ago when narrow, both marked. */
	n->earliest_expiration = EB_NOW - 10 * EB_DAY - 3600;
	build_ns_at(ev, 300, &d);
	assert_int_equal(ui_line_role_of(find(&d, "::3"), "EXPIRED"), ROLE_BROKEN);
	build_ns_at(ev, 80, &d);
	assert_int_equal(ui_line_role_of(find(&d, "::3"), "-10d"), ROLE_BROKEN);
	assert_false(has_text(find(&d, "::3"), "EXPIRED"));
	/* Unknown width (a caller that does not say): everything, at ease. */
	build_ns_at(ev, 0, &d);
	assert_true(has_text(&d.lines[0], "RTT  P/C  name"));
	ui_doc_clear(&d);
	evidence_free(ev);
}

static void test_findings_and_checklist(void **state)
{
	struct evidence *ev = eb_healthy();
	struct chain_link *z = eb_zone(ev);
	struct diagnosis *dg;
	struct checklist *cl;
	struct ui_doc d = { .utf8 = true };
	const struct ui_line *l;

	(void)state;
	z->status = SEC_BOGUS;
	z->keys[0].tag = 8888;
	z->ds[0].match = DS_MATCH_NO_KEY;
	z->ds[0].key_index = -1;
	eb_validators_servfail(ev, 9);
	dg = diag_run(ev, EB_NOW);
	cl = diag_checklist(ev, dg, EB_NOW);
	build(&pane_findings_ops, ev, dg, cl, &d);
	l = find(&d, "ds-no-matching-key");
	assert_non_null(l);
	assert_int_equal(ui_line_role_of(l, "CRIT"), ROLE_BOGUS);
	assert_true(has_text(l, "\u2718 CRIT ds-no-matching-key example.test. "
			     "(who: zone-operator): No DS"));
	/* Its detail: evidence and the fix, line by line, ready to copy. */
	{
		struct pane_ctx c = { .ev = ev, .diag = dg, .checklist = cl, .events = NULL,
				.now = EB_NOW, .width = 80 };
		char *key = xstrdup(l->key);

		ui_doc_clear(&d);
		pane_findings_ops.detail(&c, key, &d);
		free(key);
	}
	assert_non_null(find(&d, "Fix (copy as is)"));
	assert_non_null(find(&d, "8888"));
	/* The checklist marks where it breaks with [!], not only colour. */
	build(&pane_checklist_ops, ev, dg, cl, &d);
	{
		bool failed = false;

		for (size_t i = 0; i < d.n_lines; i++)
			if (ui_line_role_of(&d.lines[i], "[!]") == ROLE_BROKEN)
				failed = true;
		assert_true(failed);
	}
	assert_int_equal(cl->n_steps > 0, true);
	l = find(&d, "1. ");
	assert_string_equal(l->key, "step:0");
	ui_doc_clear(&d);
	checklist_free(cl);
	diagnosis_free(dg);
	evidence_free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_columns_and_width),
		cmocka_unit_test(test_cell_compact_text),
		cmocka_unit_test(test_resolvers_cell_width),
		cmocka_unit_test(test_resolvers_pane_compact),
		cmocka_unit_test(test_wrap),
		cmocka_unit_test(test_wrap_hang),
		cmocka_unit_test(test_resolvers_pane),
		cmocka_unit_test(test_chain_pane_mismatch),
		cmocka_unit_test(test_panes_keys_not_fetched),
		cmocka_unit_test(test_ns_pane_disagreement),
		cmocka_unit_test(test_ns_pane_widths),
		cmocka_unit_test(test_findings_and_checklist),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
