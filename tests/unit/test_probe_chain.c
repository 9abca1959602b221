/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_probe_chain.c - the zone-text parser, and (inside a lab world, see
 * tests/system/chain_lab.sh) the whole chain walk against real servers,
 * cross-checked with what dig sees at the same addresses.
 *
 * Outside a lab (no LAB_ZONE in the environment) the lab test is skipped.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "config.h"
#include "evidence.h"
#include "probe_chain.h"
#include "probe_dnssec.h"
#include "probe_io.h"
#include "probe_phases.h"
#include "xmalloc.h"

static void test_parse_rrs(void **state)
{
	ldns_rr_list *l;

	(void)state;
	l = probe_chain_parse_rrs(NULL);
	assert_int_equal(ldns_rr_list_rr_count(l), 0);
	ldns_rr_list_deep_free(l);

	l = probe_chain_parse_rrs(
		"; root hints\n"
		"$TTL 3600000\n"
		".  IN NS a.root-servers.test.\n"
		"\n"
		"a.root-servers.test. IN A 127.0.1.1 ; comment\n"
		"a.root-servers.test. IN AAAA ::1\n"
		". IN DS 20326 8 2 ( E06D44B80B8F1D39A95C0B0D7C65D084\n"
		"                   58E880409BBC683457104237C7F8EC8D )\n"
		"this is not a record\n");
	assert_int_equal(ldns_rr_list_rr_count(l), 4);
	assert_int_equal(ldns_rr_get_type(ldns_rr_list_rr(l, 0)),
			 LDNS_RR_TYPE_NS);
	assert_int_equal(ldns_rr_ttl(ldns_rr_list_rr(l, 1)), 3600000);
	assert_int_equal(ldns_rr_get_type(ldns_rr_list_rr(l, 3)),
			 LDNS_RR_TYPE_DS);
	ldns_rr_list_deep_free(l);
}

/* ---------------------------------------------------------------- */
/* Inside a lab world.                                               */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t n = 0, cap = 0, got;

	assert_non_null(f);
	do {
		if (n + 4096 + 1 > cap) {
			cap = 2 * cap + 4096 + 1;
			buf = xreallocarray(buf, cap, 1);
		}
		got = fread(buf + n, 1, 4096, f);
		n += got;
	} while (got > 0);
	fclose(f);
	buf[n] = '\0';
	return buf;
}

static void sort_u(unsigned *v, size_t n)
{
	for (size_t i = 1; i < n; i++)	/* insertion sort, tiny n */
		for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
			unsigned t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
}

/* Key tags (sorted) that dig finds in @p zone @p type at @p addr. */
static size_t dig_tags(const char *addr, const char *zone, const char *type,
		       unsigned tags[64])
{
	char *cmd, line[4096];
	size_t n = 0;
	FILE *p;

	if (strcmp(type, "DS") == 0)
		cmd = xasprintf("dig +norec +noall +answer +time=2 +tries=2 "
				"@%s %s DS | awk '$4 == \"DS\" { print $5 }'",
				addr, zone);
	else
		cmd = xasprintf("dig +norec +multi +time=2 +tries=2 @%s %s "
				"DNSKEY | sed -n 's/.*key id = \\([0-9]*\\).*/\\1/p'",
				addr, zone);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p) != NULL && n < 64)
		tags[n++] = (unsigned)strtoul(line, NULL, 10);
	pclose(p);
	free(cmd);
	sort_u(tags, n);
	return n;
}

/* The tags the probe saw at @p addr are the ones dig sees there. */
static void assert_dig_agrees(const char *addr, const char *zone,
			      const char *type, unsigned *ours, size_t n_ours)
{
	unsigned dig[64];
	size_t n_dig = dig_tags(addr, zone, type, dig);

	sort_u(ours, n_ours);
	if (n_ours != n_dig || memcmp(ours, dig, n_ours * sizeof(*ours)) != 0)
		fail_msg("%s %s at %s: probe saw %zu tags, dig %zu "
			 "(first %u vs %u)", zone, type, addr, n_ours, n_dig,
			 n_ours ? ours[0] : 0, n_dig ? dig[0] : 0);
}

/* The largest TTL of @p zone NS in @p section (authority: a referral;
 * answer: the apex) that dig sees at @p addr; 0 if none. */
static uint32_t dig_ns_ttl(const char *addr, const char *zone,
			   const char *section)
{
	char *cmd = xasprintf("dig +norec +noall +%s +time=2 +tries=2 @%s %s "
			      "NS | awk '$1 == \"%s\" && $4 == \"NS\" "
			      "{ print $2 }'", section, addr, zone, zone);
	FILE *p = popen(cmd, "r");
	char line[1024];
	uint32_t ttl = 0;

	assert_non_null(p);
	while (fgets(line, sizeof(line), p) != NULL)
		if ((uint32_t)strtoul(line, NULL, 10) > ttl)
			ttl = (uint32_t)strtoul(line, NULL, 10);
	pclose(p);
	free(cmd);
	return ttl;
}

/* The NS TTLs the probe kept are the ones dig sees: the referral at every
 * parent server, the apex at every server of the zone. */
static void assert_ns_ttls_match_dig(const struct chain_link *l, bool last)
{
	uint32_t ref = 0, apex = 0;

	for (size_t s = 0; s < l->n_ds_views; s++) {
		uint32_t t = dig_ns_ttl(l->ds_views[s].server.address, l->zone,
					"authority");

		ref = t > ref ? t : ref;
	}
	for (size_t s = 0; last && s < l->n_dnskey_views; s++) {
		uint32_t t = dig_ns_ttl(l->dnskey_views[s].server.address,
					l->zone, "answer");

		apex = t > apex ? t : apex;
	}
	assert_true(ref > 0);
	assert_int_equal(l->ns_ttl, ref);
	if (last)
		assert_int_equal(l->child_ns_ttl, apex);
}

static struct evidence *lab_walk(struct scan_config *cfg)
{
	struct probe_io_opts opts = { .timeout_ms = 1000, .tries = 2,
				      .edns_bufsize = 1232 };
	struct probe_io *io = probe_io_new(2);
	struct evidence *ev = xcalloc(1, sizeof(*ev));
	const char *zone = getenv("LAB_ZONE");
	size_t len = strlen(zone);

	assert_non_null(io);
	cfg->zone = len && zone[len - 1] == '.' ? xstrdup(zone) :
		    xasprintf("%s.", zone);
	cfg->anchor_text = slurp(getenv("LAB_ANCHOR"));
	cfg->hints_text = slurp(getenv("LAB_HINTS"));
	cfg->max_sig_checks = CONFIG_DEFAULT_MAX_SIG_CHECKS;
	cfg->max_nsec3_iterations = CONFIG_DEFAULT_NSEC3_ITERATIONS;
	probe_chain_collect(io, cfg, &opts, (int64_t)time(NULL), ev, NULL);
	probe_io_free(io);
	return ev;
}

/* What the zone's own link must look like in each lab world. */
struct expect {
	const char *scenario;
	enum security status;
	int ds_match;		/* every DS's match, -1: no DS at all */
	enum sig_check ksk_sig;	/* best RRSIG over the DNSKEY RRset */
};

static const struct expect expects[] = {
	{ "healthy", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "ns-down", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "ns-inconsistent", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "nsec-broken", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "rollover-in-progress", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "txt-unsigned", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "rrsig-expiring-soon", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	/* The catalog's worlds whose chain itself holds (issue 9). */
	{ "zsk-withdrawn", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "algorithm-incomplete", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "rsasha1-only", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "nsec3-iterations", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	/* The chain holds; only the zone's denials lack their proofs. */
	{ "nsec3param-mismatch", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "alias-target-broken", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "alias-target-healthy", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "cds-would-break", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "dnskey-large", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "ttl-beyond-expiration", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	/* Planned changes, walked by tests/system/lab_runbooks.sh: phase 0. */
	{ "ksk-rollover", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "zsk-rollover", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "provider-migration-planned", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "ksk-ds-mismatch", SEC_BOGUS, DS_MATCH_NO_KEY, SIG_VALID },
	/* Phase 0 of the repair world is ksk-ds-mismatch. */
	{ "ksk-ds-repair", SEC_BOGUS, DS_MATCH_NO_KEY, SIG_VALID },
	/* The zone is fine; the TLD's signature over its DS expired. */
	{ "parent-ds-sig-expired", SEC_BOGUS, DS_MATCH_OK, SIG_VALID },
	/* The old provider, still in the apex NS, serves the DS's key and
	 * signs with it: the link as the union of all servers holds (the
	 * diagnosis tells the delegated servers from the old ones). */
	{ "provider-move-old-listed", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "provider-migration", SEC_BOGUS, DS_MATCH_NO_KEY, SIG_VALID },
	{ "ds-wrong-digest", SEC_BOGUS, DS_MATCH_DIGEST_MISMATCH, SIG_VALID },
	/* The ZSK's signature is valid; the DS's key signs nothing. */
	{ "dnskey-not-signed-by-ksk", SEC_BOGUS, DS_MATCH_OK, SIG_VALID },
	{ "insecure", SEC_INSECURE, -1, SIG_VALID },
	/* The DS names the KSK, served only with the REVOKE bit (RFC 5011). */
	{ "key-revoked", SEC_BOGUS, DS_MATCH_REVOKED_KEY, SIG_VALID },
	/* Keys, signatures and DS all of an algorithm (23) no validator
	 * implements: the DS matches, the signatures cannot be checked. */
	{ "algorithm-unsupported", SEC_INSECURE, DS_MATCH_OK, SIG_UNSUPPORTED },
	/* The only DS has a digest type no validator implements. */
	{ "ds-digest-unsupported", SEC_INSECURE, DS_MATCH_UNSUPPORTED_DIGEST,
	  SIG_VALID },
	/* The zone is healthy; only the vantage's clock is wrong, and this
	 * walk runs on the true clock. */
	{ "vantage-clock-skew", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	/* The zone is healthy; one resolver's trust anchor is stale. */
	{ "resolver-stale-anchor", SEC_SECURE, DS_MATCH_OK, SIG_VALID },
	{ "rrsig-expired", SEC_BOGUS, DS_MATCH_OK, SIG_EXPIRED },
	{ "rrsig-not-yet-valid", SEC_BOGUS, DS_MATCH_OK, SIG_NOT_YET_VALID },
	/* No DNSKEY answer at all (TCP reset): nothing to match against. */
	{ "tcp-blocked", SEC_UNKNOWN, DS_MATCH_NO_KEY, SIG_NO_KEY },
	/* Every server dead: the same, for want of any answer. */
	{ "zone-unreachable", SEC_UNKNOWN, DS_MATCH_NO_KEY, SIG_NO_KEY },
};

/* Each view that answered agrees with dig at the same address. */
static void assert_views_match_dig(const struct chain_link *l)
{
	for (size_t s = 0; s < l->n_dnskey_views; s++) {
		const struct dnskey_view *v = &l->dnskey_views[s];
		unsigned ours[64];

		if (v->reply.outcome != OUTCOME_ANSWER)
			continue;
		assert_true(v->n_tags <= 64);
		for (size_t k = 0; k < v->n_tags; k++)
			ours[k] = v->tags[k];
		assert_dig_agrees(v->server.address, l->zone, "DNSKEY", ours,
				  v->n_tags);
	}
	for (size_t s = 0; s < l->n_ds_views; s++) {
		const struct ds_view *v = &l->ds_views[s];
		unsigned ours[64];

		assert_int_equal(v->reply.outcome, OUTCOME_ANSWER);
		assert_true(v->n_ds <= 64);
		for (size_t k = 0; k < v->n_ds; k++)
			ours[k] = v->ds[k].tag;
		assert_dig_agrees(v->server.address, l->zone, "DS", ours,
				  v->n_ds);
		/* The parent's signature over its DS RRset holds, but in
		 * the world where the TLD let it expire. */
		const char *sc = getenv("LAB_SCENARIO");
		bool expired = sc != NULL && l->parent != NULL &&
			       strcmp(l->parent, "test.") == 0 &&
			       strcmp(sc, "parent-ds-sig-expired") == 0;

		if (v->n_ds > 0)
			assert_int_equal(v->sigs[0].check, expired ?
					 SIG_EXPIRED : SIG_VALID);
	}
}

static void test_lab_chain(void **state)
{
	const char *scenario = getenv("LAB_SCENARIO");
	const struct expect *want = NULL;
	struct scan_config cfg = { 0 };
	struct evidence *ev;
	const struct chain_link *l;
	enum sig_check best = SIG_NO_KEY;

	(void)state;
	if (getenv("LAB_ZONE") == NULL || scenario == NULL)
		skip();
	for (size_t i = 0; i < sizeof(expects) / sizeof(expects[0]); i++)
		if (strcmp(expects[i].scenario, scenario) == 0)
			want = &expects[i];
	ev = lab_walk(&cfg);
	if (want == NULL && strcmp(scenario, "typo-zone") != 0 &&
	    strcmp(scenario, "tld-down") != 0) {
		/* Say what the walk saw, so that whoever adds a world can
		 * check it against the world's design and add the line. */
		l = &ev->chain[ev->n_chain - 1];
		fail_msg("no expectation for lab scenario %s in expects[] "
			 "(saw: status %s, first DS match %d, best DNSKEY "
			 "sig %d)", scenario, security_name(l->status),
			 l->n_ds > 0 ? (int)l->ds[0].match : -1,
			 (int)probe_dnssec_best_sig(l->dnskey_sigs,
						    l->n_dnskey_sigs));
	}

	if (strcmp(scenario, "typo-zone") == 0) {
		/* Asked about exmaple.test., which test. says does not
		 * exist: the walk ends at the TLD, sound. */
		assert_int_equal(ev->n_chain, 2);
		assert_string_equal(ev->chain[1].zone, "test.");
		assert_int_equal(ev->chain[1].status, SEC_SECURE);
		assert_non_null(ev->absent);
		goto out;
	}
	if (strcmp(scenario, "tld-down") == 0) {
		/* test.'s servers are silent: the walk ends at test., and
		 * neither its servers nor the root's pass for the zone's. */
		assert_int_equal(ev->n_chain, 2);
		assert_string_equal(ev->chain[1].zone, "test.");
		assert_null(ev->absent);
		assert_int_equal(ev->n_child_ns, 0);
		assert_int_equal(ev->n_parent_ns, 0);
		goto out;
	}
	assert_int_equal(ev->n_chain, 3);
	assert_string_equal(ev->chain[0].zone, ".");
	assert_null(ev->chain[0].parent);
	assert_true(ev->chain[0].anchored);
	assert_string_equal(ev->chain[1].zone, "test.");
	assert_string_equal(ev->chain[1].parent, ".");
	assert_string_equal(ev->chain[2].zone, cfg.zone);
	assert_string_equal(ev->chain[2].parent, "test.");
	for (size_t i = 0; i < ev->n_chain; i++) {
		assert_true(ev->chain[i].n_dnskey_views > 0);
		assert_views_match_dig(&ev->chain[i]);
		if (i > 0) {
			assert_true(ev->chain[i].n_ds_views > 0);
			assert_ns_ttls_match_dig(&ev->chain[i],
						 i + 1 == ev->n_chain);
		} else {
			assert_int_equal(ev->chain[i].ns_ttl, 0);
		}
	}

	/* The root and the TLD are fine in every world. */
	for (size_t i = 0; i < 2; i++) {
		l = &ev->chain[i];
		assert_int_equal(l->status, SEC_SECURE);
		assert_true(l->n_ds > 0 && l->ds_ttl + (i == 0) > 0);
		for (size_t d = 0; d < l->n_ds; d++) {
			assert_int_equal(l->ds[d].match, DS_MATCH_OK);
			assert_true(l->keys[l->ds[d].key_index].signs_dnskey);
			assert_int_equal(l->keys[l->ds[d].key_index].flags, 257);
		}
	}

	l = &ev->chain[2];
	assert_int_equal(l->status, want->status);
	if (want->ds_match < 0) {
		assert_int_equal(l->n_ds, 0);
		assert_true(l->neg_ttl > 0);	/* from the parent's SOA */
	} else {
		assert_true(l->n_ds > 0 && l->ds_ttl > 0);
	}
	for (size_t d = 0; d < l->n_ds; d++) {
		assert_int_equal(l->ds[d].match, want->ds_match);
		assert_int_equal(l->ds[d].key_index >= 0,
				 want->ds_match != DS_MATCH_NO_KEY);
	}
	best = probe_dnssec_best_sig(l->dnskey_sigs, l->n_dnskey_sigs);
	assert_int_equal(best, want->ksk_sig);
	if (strcmp(scenario, "dnskey-not-signed-by-ksk") == 0)
		assert_false(l->keys[l->ds[0].key_index].signs_dnskey);
	for (size_t k = 0; k < l->n_keys; k++) {
		assert_non_null(strstr(l->keys[k].ds_sha256, " IN DS "));
		assert_non_null(strstr(l->keys[k].ds_sha384, " IN DS "));
		if (want->status == SEC_SECURE && l->keys[k].flags == 257 &&
		    strcmp(scenario, "ns-inconsistent") != 0)
			assert_true(l->keys[k].signs_dnskey);
		/* The ZSK's signature over the apex NS RRset holds (two
		 * providers: only the delegated one's ZSK is seen signing). */
		if (want->ksk_sig == SIG_VALID && l->keys[k].flags == 256 &&
		    strcmp(scenario, "provider-move-old-listed") != 0 &&
		    /* By design: data signed by a withdrawn ZSK, or by
		     * one algorithm of two; dnskey-large's extra RSA keys
		     * sign nothing. */
		    strcmp(scenario, "zsk-withdrawn") != 0 &&
		    strcmp(scenario, "algorithm-incomplete") != 0 &&
		    strcmp(scenario, "dnskey-large") != 0)
			assert_true(l->keys[k].signs_zone);
	}

	assert_true(ev->n_parent_ns >= 2);
	/* With every server dead, only the parent can name them. */
	if (strcmp(scenario, "zone-unreachable") == 0)
		assert_int_equal(ev->n_child_ns, 0);
	else if (strcmp(scenario, "provider-move-old-listed") == 0)
		/* The apex NS still lists the old provider's two servers. */
		assert_int_equal(ev->n_child_ns, ev->n_parent_ns + 2);
	else
		assert_int_equal(ev->n_parent_ns, ev->n_child_ns);
	for (size_t i = 0; i < ev->n_child_ns; i++) {
		bool found = false;

		for (size_t j = 0; j < ev->n_parent_ns; j++)
			found |= strcmp(ev->child_ns[i], ev->parent_ns[j]) == 0;
		assert_true(found || (strcmp(scenario, "provider-move-old-listed") == 0 &&
				      strstr(ev->child_ns[i], ".example.test.") != NULL));
	}
out:
	evidence_free(ev);
	free(cfg.zone);
	free(cfg.anchor_text);
	free(cfg.hints_text);
}

/* A world where every server answers everything, signed and in time. */
static bool plain_world(void)
{
	const char *s = getenv("LAB_SCENARIO");

	return getenv("LAB_ZONE") != NULL && s != NULL &&
	       (strcmp(s, "healthy") == 0 || strcmp(s, "ksk-ds-mismatch") == 0);
}

/* Serial of the SOA dig sees at @p addr, or -1. */
static long dig_serial(const char *addr, const char *zone)
{
	char *cmd = xasprintf("dig +norec +short +time=2 +tries=2 @%s %s SOA",
			      addr, zone);
	FILE *p = popen(cmd, "r");
	char line[1024];
	long serial = -1;

	assert_non_null(p);
	if (fgets(line, sizeof(line), p) != NULL)
		sscanf(line, "%*s %*s %ld", &serial);
	pclose(p);
	free(cmd);
	return serial;
}

static void test_lab_ns(void **state)
{
	struct scan_config cfg = { 0 };
	struct probe_io_opts opts = { .timeout_ms = 1000, .tries = 2,
				      .edns_bufsize = 1232 };
	struct probe_plan plan = { 0 };
	struct probe_io *io;
	struct evidence *ev;
	int64_t now = (int64_t)time(NULL);

	(void)state;
	if (!plain_world())
		skip();
	ev = lab_walk(&cfg);
	plan.n_items = 3;
	plan.items = xcalloc(3, sizeof(*plan.items));
	plan.items[0] = (struct plan_item){ xstrdup(cfg.zone), RRTYPE_SOA };
	plan.items[1] = (struct plan_item){ xasprintf("www.%s", cfg.zone),
					    RRTYPE_A };
	plan.items[2] = (struct plan_item){ xasprintf("nx-4f1c.%s", cfg.zone),
					    RRTYPE_A };
	io = probe_io_new(2);
	probe_ns_collect(io, &cfg, &opts, &plan, now, ev, NULL);
	probe_io_free(io);

	assert_true(ev->n_nameservers >= 2);
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		struct ns_ev *ns = &ev->nameservers[i];
		unsigned ours[64];

		assert_non_null(ns->address);
		assert_true(ns->in_parent && ns->in_child);
		assert_true(ns->has_serial);
		assert_int_equal(ns->serial, dig_serial(ns->address, cfg.zone));
		assert_true(ns->n_dnskey_tags > 0 && ns->n_dnskey_tags <= 64);
		for (size_t k = 0; k < ns->n_dnskey_tags; k++)
			ours[k] = ns->dnskey_tags[k];
		assert_dig_agrees(ns->address, cfg.zone, "DNSKEY", ours,
				  ns->n_dnskey_tags);
		assert_int_equal(ns->soa_udp.outcome, OUTCOME_ANSWER);
		assert_false(ns->soa_udp.via_tcp);
		assert_int_equal(ns->soa_tcp.outcome, OUTCOME_ANSWER);
		assert_true(ns->soa_tcp.via_tcp);
		assert_true(ns->dnskey_tcp.via_tcp);
		assert_true(ns->dnskey_udp.size > 0);
		assert_true(ns->earliest_expiration > now);

		assert_int_equal(ns->n_checks, 3);
		for (size_t c = 0; c < 2; c++) {
			assert_int_equal(ns->checks[c].rcode, RCODE_NOERROR);
			assert_int_equal(ns->checks[c].n_rrs, 1);
			assert_true(ns->checks[c].n_sigs > 0);
			assert_int_equal(ns->checks[c].sigs[0].check, SIG_VALID);
			assert_int_equal(ns->checks[c].denial, SEC_UNKNOWN);
		}
		assert_int_equal(ns->checks[2].rcode, RCODE_NXDOMAIN);
		assert_int_equal(ns->checks[2].n_rrs, 0);
		assert_int_equal(ns->checks[2].denial, SEC_SECURE);
	}

	for (size_t i = 0; i < plan.n_items; i++)
		free(plan.items[i].qname);
	free(plan.items);
	evidence_free(ev);
	free(cfg.zone);
	free(cfg.anchor_text);
	free(cfg.hints_text);
}

/* The iterative lookup from the hints finds what the zone serves. */
static void test_lab_resolve(void **state)
{
	struct scan_config cfg = { 0 };
	struct probe_io_opts opts = { .timeout_ms = 1000, .tries = 2,
				      .edns_bufsize = 1232 };
	struct probe_io *io;
	char **addrs = NULL, *name, *cmd, line[256];
	size_t n, n_dig = 0;
	struct evidence *ev;
	FILE *p;

	(void)state;
	if (!plain_world())
		skip();
	ev = lab_walk(&cfg);
	assert_true(ev->n_chain > 0 &&
		    ev->chain[ev->n_chain - 1].n_dnskey_views > 0);
	name = xasprintf("www.%s", cfg.zone);
	io = probe_io_new(1);
	n = probe_chain_resolve(io, &cfg, &opts, name, &addrs);
	probe_io_free(io);

	/* dig at the zone's first server, for both families. */
	cmd = xasprintf("for t in A AAAA; do dig +norec +short @%s %s $t; "
			"done", ev->chain[ev->n_chain - 1].dnskey_views[0]
			.server.address, name);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p) != NULL) {
		bool found = false;

		line[strcspn(line, "\n")] = '\0';
		for (size_t i = 0; i < n; i++)
			found |= strcmp(addrs[i], line) == 0;
		if (!found)
			fail_msg("dig found %s for %s, the lookup did not",
				 line, name);
		n_dig++;
	}
	pclose(p);
	assert_true(n_dig > 0);
	assert_int_equal(n, n_dig);

	for (size_t i = 0; i < n; i++)
		free(addrs[i]);
	free(addrs);
	free(cmd);
	free(name);
	evidence_free(ev);
	free(cfg.zone);
	free(cfg.anchor_text);
	free(cfg.hints_text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_rrs),
		cmocka_unit_test(test_lab_chain),
		cmocka_unit_test(test_lab_ns),
		cmocka_unit_test(test_lab_resolve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
