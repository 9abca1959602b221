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

/* The table's columns, in the order they are drawn when all fit. */
enum ns_col {
	COL_ADDR, COL_UDP, COL_TCP, COL_SERIAL, COL_KEYS, COL_EXPIRY, COL_RTT,
	COL_PC, COL_NAME, N_COLS
};

/* Headers, and the short forms a narrow pane takes (the ? legend has both). */
static const char *const col_head[N_COLS] = {
	"address", "UDP", "TCP", "serial", "DNSKEY", "expiry", "RTT", "P/C", "name"
};
static const char *const col_brief[N_COLS] = {
	"address", "U", "T", "serial", "DNSKEY", "exp", "RTT", "PC", "name"
};

/*
 * How the table shrinks, tried in order until it fits the pane: the least
 * important goes first (the gaps, the round trip, which Enter still shows;
 * then short headers and the expiry in its largest unit; then the P/C
 * column when it has no news, every server in both NS sets). If even that
 * does not fit, who the server is comes first, address and name whole, and
 * the rest is cut at the edge with a mark (arrows scroll, z zooms).
 */
struct ns_plan {
	int gap;
	bool rtt, brief, pc_news_only, name_first;
};
static const struct ns_plan plans[] = {
	{ 2, true, false, false, false },
	{ 1, true, false, false, false },
	{ 1, false, false, false, false },
	{ 1, false, true, false, false },
	{ 1, false, true, true, false },
	{ 1, true, true, false, true },
};
static const enum ns_col order_wide[] = {
	COL_ADDR, COL_UDP, COL_TCP, COL_SERIAL, COL_KEYS, COL_EXPIRY, COL_RTT, COL_PC, COL_NAME
};
static const enum ns_col order_name_first[] = {
	COL_ADDR, COL_NAME, COL_UDP, COL_TCP, COL_SERIAL, COL_KEYS, COL_EXPIRY, COL_PC, COL_RTT
};

/* Cells wider than this are cut with a mark (many keys are first shown
 * as the first and a count); an absurd name when it comes before the
 * other columns. */
#define KEYS_MAX_W 24
#define NAME_MAX_W 64

struct ns_cell {
	char *text;		/* raw: escaped when put */
	char *brief;		/* the short form, or NULL: the same */
	enum role role;
};

static void reach_cell(struct ns_cell *cell, const struct dns_reply *r, enum role changed)
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
	cell->text = xstrdup(text);
	cell->role = changed != ROLE_NORMAL ? changed : role;
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

/* "29d" for 29d23h: the largest unit alone, for a narrow pane. */
static char *duration_brief(int64_t secs)
{
	static const int64_t unit[] = { 86400, 3600, 60, 1 };
	static const char name[] = "dhms";
	size_t i = 0;

	while (i < 3 && secs < unit[i])
		i++;
	return xasprintf("%lld%c", (long long)(secs / unit[i]), name[i]);
}

/* One server's cells, every column. */
static void row_cells(const struct pane_ctx *c, const struct ns_ev *n, bool utf8,
		      bool have_maj, uint32_t maj_serial, const char *maj_tags,
		      struct ns_cell *cell)
{
	char *t = tags_text(n), buf[48];
	enum role r;

	cell[COL_ADDR] = (struct ns_cell){ xstrdup(n->address ? n->address : "unresolved"),
		NULL, n->address ? ROLE_NORMAL : ROLE_WARNING };
	reach_cell(&cell[COL_UDP], &n->soa_udp, changed_role(c, n, "udp"));
	reach_cell(&cell[COL_TCP], &n->soa_tcp, changed_role(c, n, "tcp"));
	if (n->has_serial) {
		bool odd = have_maj && n->serial != maj_serial;

		r = changed_role(c, n, "serial");
		cell[COL_SERIAL] = (struct ns_cell){ xasprintf("%u%s", n->serial,
			odd ? ui_sym(utf8, SYM_NEQ) : ""), NULL,
			r != ROLE_NORMAL ? r : odd ? ROLE_ODD : ROLE_NORMAL };
	} else {
		cell[COL_SERIAL] = (struct ns_cell){ xstrdup("-"), NULL, ROLE_UNKNOWN };
	}
	{
		bool odd = maj_tags != NULL && t[0] != '\0' && strcmp(t, maj_tags) != 0;
		const char *unseen = ns_keys_unseen(n);

		r = changed_role(c, n, "tags");
		/* Not fetched is "?", never an empty key set. Three keys or
		 * more, narrow or too many for the column, are the first and
		 * a count ("19260 +5"); Enter lists them all. */
		cell[COL_KEYS] = (struct ns_cell){ t[0] == '\0' && unseen != NULL ?
			xasprintf("? %s", unseen) :
			xasprintf("%s%s", t[0] ? t : "-", odd ? ui_sym(utf8, SYM_NEQ) : ""),
			n->n_dnskey_tags > 2 ? xasprintf("%.*s +%zu%s",
				(int)strcspn(t, " "), t, n->n_dnskey_tags - 1,
				odd ? ui_sym(utf8, SYM_NEQ) : "") : NULL,
			r != ROLE_NORMAL ? r : odd ? ROLE_ODD :
			t[0] ? ROLE_NORMAL : ROLE_UNKNOWN };
		if (cell[COL_KEYS].brief != NULL &&
		    strlen(cell[COL_KEYS].text) > KEYS_MAX_W) {
			free(cell[COL_KEYS].text);
			cell[COL_KEYS].text = xstrdup(cell[COL_KEYS].brief);
		}
	}
	free(t);
	if (n->earliest_expiration != 0) {
		int64_t left = n->earliest_expiration - c->now;

		/* Narrow, how long ago: "-10d" is as plain under "exp" and shorter. */
		if (left < 0) {
			char *ago = duration_brief(-left);

			cell[COL_EXPIRY] = (struct ns_cell){ xstrdup("EXPIRED"),
				xasprintf("-%s", ago), ROLE_BROKEN };
			free(ago);
		} else {
			cell[COL_EXPIRY] = (struct ns_cell){
				xstrdup(pane_duration(left, buf, sizeof(buf))), duration_brief(left),
				left < 3 * 86400 ? ROLE_WARNING : ROLE_NORMAL };
		}
	} else {
		cell[COL_EXPIRY] = (struct ns_cell){ xstrdup("-"), NULL, ROLE_UNKNOWN };
	}
	if (n->soa_udp.outcome == OUTCOME_ANSWER)
		cell[COL_RTT] = (struct ns_cell){ xasprintf("%ums", n->soa_udp.rtt_ms), NULL,
			ROLE_NORMAL };
	else
		cell[COL_RTT] = (struct ns_cell){ xstrdup("-"), NULL, ROLE_UNKNOWN };
	cell[COL_PC] = (struct ns_cell){ xasprintf("%c%c", n->in_parent ? 'P' : '-',
		n->in_child ? 'C' : '-'), NULL,
		n->in_parent && n->in_child ? ROLE_DIM : ROLE_ODD };
	cell[COL_NAME] = (struct ns_cell){ xstrdup(n->name ? n->name : "?"), NULL, ROLE_DIM };
}

/* Cells of display text @p raw takes, once escaped. */
static int text_width(const char *raw, bool utf8)
{
	struct ui_doc t = { .utf8 = utf8 };
	struct ui_line *l = ui_doc_add(&t, NULL);
	int w;

	ui_put(&t, l, ROLE_NORMAL, raw);
	w = ui_line_width(l, utf8);
	ui_doc_clear(&t);
	return w;
}

static const char *cell_text(const struct ns_cell *cell, bool brief)
{
	return brief && cell->brief != NULL ? cell->brief : cell->text;
}

/* What each column of @p p needs (its header and every cell), capped. */
static void col_widths(const struct ns_cell *cells, size_t n_rows, bool utf8,
		       const struct ns_plan *p, int *w)
{
	for (int k = 0; k < N_COLS; k++) {
		w[k] = text_width(p->brief ? col_brief[k] : col_head[k], utf8);
		for (size_t i = 0; i < n_rows; i++) {
			int cw = text_width(cell_text(&cells[i * N_COLS + k], p->brief), utf8);

			if (cw > w[k])
				w[k] = cw;
		}
	}
	if (w[COL_KEYS] > KEYS_MAX_W)
		w[COL_KEYS] = KEYS_MAX_W;
	/* Last, a name is whole whatever its length; first, it must leave room. */
	if (p->name_first && w[COL_NAME] > NAME_MAX_W)
		w[COL_NAME] = NAME_MAX_W;
}

/* The columns @p p draws, in order; returns how many. @p pc_news: some
 * server is missing from an NS set. */
static size_t plan_cols(const struct ns_plan *p, bool pc_news, enum ns_col *out)
{
	const enum ns_col *order = p->name_first ? order_name_first : order_wide;
	size_t n = 0;

	for (size_t k = 0; k < N_COLS; k++)
		if ((order[k] != COL_RTT || p->rtt) &&
		    (order[k] != COL_PC || !p->pc_news_only || pc_news))
			out[n++] = order[k];
	return n;
}

/* One line of the table: padded columns, the last one as it is. */
static void put_row(struct ui_doc *d, struct ui_line *l, const struct ns_plan *p,
		    const enum ns_col *cols, size_t n_cols, const int *w,
		    const struct ns_cell *cell, bool header)
{
	for (size_t j = 0; j < n_cols; j++) {
		enum ns_col k = cols[j];
		const char *text = header ? (p->brief ? col_brief[k] : col_head[k]) :
			cell_text(&cell[k], p->brief);
		enum role r = header ? ROLE_HEADER : cell[k].role;

		if (j + 1 == n_cols && (k != COL_NAME || text_width(text, d->utf8) <= w[k])) {
			ui_put(d, l, r, text);
			break;
		}
		ui_put_col(d, l, r, text, w[k]);
		if (j + 1 < n_cols)
			ui_putf(d, l, header ? ROLE_HEADER : ROLE_NORMAL, "%*s", p->gap, "");
	}
}

static void build(const struct pane_ctx *c, struct ui_doc *d)
{
	const struct evidence *ev = c->ev;
	uint32_t maj_serial = 0;
	bool have_maj;
	char *maj_tags;
	struct ns_cell *cells;
	const struct ns_plan *p = &plans[0];
	enum ns_col cols[N_COLS];
	size_t n_cols = 0, n_rows;
	int w[N_COLS];
	bool pc_news = false;

	if (ev == NULL) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "waiting for the first refresh...");
		return;
	}
	if (ev->n_nameservers == 0) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_UNKNOWN, "no nameserver of the zone was found");
		return;
	}
	n_rows = ev->n_nameservers;
	have_maj = majority_serial(ev, &maj_serial);
	maj_tags = majority_tags(ev);
	cells = xcalloc(n_rows * N_COLS, sizeof(*cells));
	for (size_t i = 0; i < n_rows; i++) {
		row_cells(c, &ev->nameservers[i], d->utf8, have_maj, maj_serial, maj_tags,
			  &cells[i * N_COLS]);
		pc_news |= !ev->nameservers[i].in_parent || !ev->nameservers[i].in_child;
	}
	free(maj_tags);
	/* The first plan that fits; the last one whatever the width. */
	for (size_t i = 0; i < sizeof(plans) / sizeof(plans[0]); i++) {
		int total;

		p = &plans[i];
		col_widths(cells, n_rows, d->utf8, p, w);
		n_cols = plan_cols(p, pc_news, cols);
		total = p->gap * (int)(n_cols - 1);
		for (size_t j = 0; j < n_cols; j++)
			total += w[cols[j]];
		if (c->width <= 0 || total <= c->width)
			break;
	}
	put_row(d, ui_doc_add(d, NULL), p, cols, n_cols, w, NULL, true);
	for (size_t i = 0; i < n_rows; i++) {
		char *key = events_key_ns(&ev->nameservers[i], "row");

		put_row(d, ui_doc_add(d, key), p, cols, n_cols, w, &cells[i * N_COLS], false);
		free(key);
	}
	for (size_t i = 0; i < n_rows * N_COLS; i++) {
		free(cells[i].text);
		free(cells[i].brief);
	}
	free(cells);
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
