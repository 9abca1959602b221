/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pane_ns.c - every authoritative address of the zone, asked directly:
 * UDP and TCP reachability, SOA serial, the DNSKEY tags it serves, the
 * earliest RRSIG expiry, round-trip time.
 *
 * A value that disagrees with the majority of servers (a serial behind, a
 * key set missing the new KSK) is drawn with ROLE_ODD and a mark, so a
 * half-finished provider move stands out without colour. Pure: no curses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pane.h"
#include "xmalloc.h"

static int cmp_u16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

/* Sorted tag list as text, so that sets compare as strings. Returns new. */
static char *tags_text(const struct ns_ev *n)
{
	uint16_t *t;
	char *s = xstrdup("");

	if (n->n_dnskey_tags == 0)
		return s;
	t = xreallocarray(NULL, n->n_dnskey_tags, sizeof(*t));
	memcpy(t, n->dnskey_tags, n->n_dnskey_tags * sizeof(*t));
	qsort(t, n->n_dnskey_tags, sizeof(*t), cmp_u16);
	for (size_t i = 0; i < n->n_dnskey_tags; i++) {
		char *next = xasprintf("%s%s%u", s, i ? " " : "", t[i]);

		free(s);
		s = next;
	}
	free(t);
	return s;
}

/*
 * What most servers that answered say; without a strict majority (two
 * servers, two serials) the newest serial, so the one behind stands out.
 */
static bool majority_serial(const struct evidence *ev, uint32_t *out)
{
	size_t best = 0, total = 0;

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		size_t count = 0;

		if (!ev->nameservers[i].has_serial)
			continue;
		total++;
		for (size_t j = 0; j < ev->n_nameservers; j++)
			count += ev->nameservers[j].has_serial &&
				 ev->nameservers[j].serial == ev->nameservers[i].serial;
		if (count > best) {
			best = count;
			*out = ev->nameservers[i].serial;
		}
	}
	if (best > 0 && best * 2 <= total)
		for (size_t i = 0; i < ev->n_nameservers; i++)
			if (ev->nameservers[i].has_serial &&
			    (int32_t)(ev->nameservers[i].serial - *out) > 0)
				*out = ev->nameservers[i].serial;	/* RFC 1982 */
	return best > 0;
}

static char *majority_tags(const struct evidence *ev)
{
	char **all = xcalloc(ev->n_nameservers + 1, sizeof(*all)), *best = NULL;
	size_t best_n = 0;

	for (size_t i = 0; i < ev->n_nameservers; i++)
		all[i] = tags_text(&ev->nameservers[i]);
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		size_t count = 0;

		if (all[i][0] == '\0')
			continue;
		for (size_t j = 0; j < ev->n_nameservers; j++)
			count += strcmp(all[i], all[j]) == 0;
		if (count > best_n) {
			best_n = count;
			best = all[i];
		}
	}
	best = xstrdup_null(best);
	for (size_t i = 0; i < ev->n_nameservers; i++)
		free(all[i]);
	free(all);
	return best;
}

static void reach_cell(struct ui_doc *d, struct ui_line *l,
		       const struct dns_reply *r, enum role changed, int w)
{
	const char *text;
	enum role role;

	switch (r->outcome) {
	case OUTCOME_ANSWER:
		if (r->rcode != RCODE_NOERROR) {
			text = "rcod";
			role = ROLE_WARNING;
		} else if (!r->aa) {
			text = "lame";
			role = ROLE_WARNING;
		} else {
			text = "ok";
			role = ROLE_SECURE;
		}
		break;
	case OUTCOME_TIMEOUT:
		text = "T/O";
		role = ROLE_TIMEOUT;
		break;
	case OUTCOME_NET_ERROR:
		text = "ERR";
		role = ROLE_TIMEOUT;
		break;
	case OUTCOME_MALFORMED:
		text = "BAD";
		role = ROLE_SERVFAIL;
		break;
	default:
		text = "-";
		role = ROLE_UNKNOWN;
		break;
	}
	ui_put_col(d, l, changed != ROLE_NORMAL ? changed : role, text, w);
}

static enum role changed_role(const struct pane_ctx *c, const struct ns_ev *n,
			      const char *what)
{
	char *key = events_key_ns(n, what);
	bool recent = c->events && events_recent(c->events, key, c->now,
						 PANE_CHANGED_SECS);

	free(key);
	return recent ? ROLE_CHANGED : ROLE_NORMAL;
}

static void build(const struct pane_ctx *c, struct ui_doc *d)
{
	const struct evidence *ev = c->ev;
	int addr_w = 7, tags_w = 6;
	uint32_t maj_serial = 0;
	bool have_maj;
	char *maj_tags;
	struct ui_line *l;

	if (ev == NULL) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "waiting for the first refresh...");
		return;
	}
	if (ev->n_nameservers == 0) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_UNKNOWN, "no nameserver of the zone was found");
		return;
	}
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *n = &ev->nameservers[i];
		int w = (int)strlen(n->address ? n->address : "unresolved");
		char *t = tags_text(n);

		if (w > addr_w)
			addr_w = w;
		int tw = t[0] == '\0' && ns_keys_unseen(n) != NULL ?
			 (int)strlen(ns_keys_unseen(n)) + 2 : (int)strlen(t);

		if (tw + 1 > tags_w)
			tags_w = tw + 1;
		free(t);
	}
	if (addr_w > 39)
		addr_w = 39;
	if (tags_w > 24)
		tags_w = 24;
	have_maj = majority_serial(ev, &maj_serial);
	maj_tags = majority_tags(ev);

	l = ui_doc_add(d, NULL);
	ui_put_col(d, l, ROLE_HEADER, "address", addr_w + 1);
	ui_put_col(d, l, ROLE_HEADER, "UDP", 5);
	ui_put_col(d, l, ROLE_HEADER, "TCP", 5);
	ui_put_col(d, l, ROLE_HEADER, "serial", 12);
	ui_put_col(d, l, ROLE_HEADER, "DNSKEY", tags_w + 1);
	ui_put_col(d, l, ROLE_HEADER, "expiry", 8);
	ui_put_col(d, l, ROLE_HEADER, "RTT", 7);
	ui_put_col(d, l, ROLE_HEADER, "P/C", 4);
	ui_put(d, l, ROLE_HEADER, "name");
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *n = &ev->nameservers[i];
		char *key = events_key_ns(n, "row"), *t, buf[48];
		enum role r;

		l = ui_doc_add(d, key);
		free(key);
		ui_put_col(d, l, n->address ? ROLE_NORMAL : ROLE_WARNING,
			   n->address ? n->address : "unresolved", addr_w + 1);
		reach_cell(d, l, &n->soa_udp, changed_role(c, n, "udp"), 5);
		reach_cell(d, l, &n->soa_tcp, changed_role(c, n, "tcp"), 5);
		if (n->has_serial) {
			bool odd = have_maj && n->serial != maj_serial;

			snprintf(buf, sizeof(buf), "%u%s", n->serial,
				 odd ? ui_sym(d->utf8, SYM_NEQ) : "");
			r = changed_role(c, n, "serial");
			ui_put_col(d, l, r != ROLE_NORMAL ? r : odd ? ROLE_ODD : ROLE_NORMAL,
				   buf, 12);
		} else {
			ui_put_col(d, l, ROLE_UNKNOWN, "-", 12);
		}
		t = tags_text(n);
		{
			bool odd = maj_tags != NULL && t[0] != '\0' && strcmp(t, maj_tags) != 0;
			const char *unseen = ns_keys_unseen(n);
			/* Not fetched is "?", never an empty key set. */
			char *cell = t[0] == '\0' && unseen != NULL ?
				xasprintf("? %s", unseen) :
				xasprintf("%s%s", t[0] ? t : "-",
					  odd ? ui_sym(d->utf8, SYM_NEQ) : "");

			r = changed_role(c, n, "tags");
			ui_put_col(d, l, r != ROLE_NORMAL ? r : odd ? ROLE_ODD :
				   t[0] ? ROLE_NORMAL : ROLE_UNKNOWN, cell, tags_w + 1);
			free(cell);
		}
		free(t);
		if (n->earliest_expiration != 0) {
			int64_t left = n->earliest_expiration - c->now;

			if (left < 0)
				ui_put_col(d, l, ROLE_BROKEN, "EXPIRED", 8);
			else
				ui_put_col(d, l, left < 3 * 86400 ? ROLE_WARNING : ROLE_NORMAL,
					   pane_duration(left, buf, sizeof(buf)), 8);
		} else {
			ui_put_col(d, l, ROLE_UNKNOWN, "-", 8);
		}
		if (n->soa_udp.outcome == OUTCOME_ANSWER) {
			snprintf(buf, sizeof(buf), "%ums", n->soa_udp.rtt_ms);
			ui_put_col(d, l, ROLE_NORMAL, buf, 7);
		} else {
			ui_put_col(d, l, ROLE_UNKNOWN, "-", 7);
		}
		snprintf(buf, sizeof(buf), "%c%c", n->in_parent ? 'P' : '-',
			 n->in_child ? 'C' : '-');
		ui_put_col(d, l, n->in_parent && n->in_child ? ROLE_DIM : ROLE_ODD, buf, 4);
		ui_put(d, l, ROLE_DIM, n->name);
	}
	free(maj_tags);
}

static void detail(const struct pane_ctx *c, const char *key, struct ui_doc *d)
{
	const struct evidence *ev = c->ev;

	if (ev == NULL || key == NULL) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "nothing selected");
		return;
	}
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *n = &ev->nameservers[i];
		char *k = events_key_ns(n, "row"), buf[64], *t;
		int match = strcmp(k, key) == 0;

		free(k);
		if (!match)
			continue;
		pane_detail_heading(d, "Nameserver %s %s", n->name,
				    n->address ? n->address : "(unresolved)");
		pane_detail_field(d, "in delegation", n->in_parent ? ROLE_NORMAL : ROLE_ODD,
				  n->in_parent ? "yes (parent lists it)" : "NO");
		pane_detail_field(d, "in apex NS", n->in_child ? ROLE_NORMAL : ROLE_ODD,
				  n->in_child ? "yes (zone lists it)" : "NO");
		if (n->has_serial)
			snprintf(buf, sizeof(buf), "%u", n->serial);
		pane_detail_field(d, "SOA serial", ROLE_NORMAL, n->has_serial ? buf : NULL);
		t = tags_text(n);
		if (t[0] == '\0' && ns_keys_unseen(n) != NULL) {
			char *why = xasprintf("not fetched (%s)", ns_keys_unseen(n));

			pane_detail_field(d, "DNSKEY tags", ROLE_UNKNOWN, why);
			free(why);
		} else {
			pane_detail_field(d, "DNSKEY tags", ROLE_NORMAL, t[0] ? t : NULL);
		}
		free(t);
		if (n->earliest_expiration != 0)
			pane_detail_field(d, "earliest exp.", ROLE_NORMAL,
					  pane_duration(n->earliest_expiration - c->now,
							buf, sizeof(buf)));
		pane_detail_heading(d, "Replies");
		pane_detail_reply(d, "SOA over UDP", &n->soa_udp);
		pane_detail_reply(d, "SOA over TCP", &n->soa_tcp);
		pane_detail_reply(d, "DNSKEY over UDP", &n->dnskey_udp);
		pane_detail_reply(d, "DNSKEY over TCP", &n->dnskey_tcp);
		for (size_t j = 0; j < n->n_checks; j++) {
			const struct zone_rrset_check *ck = &n->checks[j];
			char tb[16], rb[16];

			pane_detail_heading(d, "%s %s: %s, %zu records", ck->qname ? ck->qname : "?",
					    rrtype_name(ck->qtype, tb),
					    ck->rcode < 0 ? "no answer" : rcode_name(ck->rcode, rb),
					    ck->n_rrs);
			if (ck->denial != SEC_UNKNOWN)
				pane_detail_field(d, "denial proof",
						  ck->denial == SEC_BOGUS ? ROLE_BROKEN : ROLE_NORMAL,
						  security_name(ck->denial));
			pane_detail_sigs(d, ck->sigs, ck->n_sigs, c->now);
		}
		return;
	}
	ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "this server is gone from the latest refresh");
}

const struct pane_ops pane_ns_ops = { "Nameservers", build, detail, NULL };
