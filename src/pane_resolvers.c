/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pane_resolvers.c - one row per resolver, one column per probed name and
 * type: what users of each resolver get right now.
 *
 * A cell carries a symbol and a word (never colour alone): SEC, INSEC,
 * BOGUS (SERVFAIL, but CD=1 answers: validation is what fails), SRVFL,
 * NXDOM, T/O, and the first EDE code ("e9"). When the columns do not fit
 * that way, every cell shrinks to a symbol and a code ("✘9", ui_cell.h)
 * under a two-row header (the names, then the types), and the words move
 * to the help's legend and the detail view. Non-validating resolvers are
 * marked "nv": their NOERROR says nothing about DNSSEC. A last row shows
 * what our own validator (libunbound) concludes. Pure: no curses.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pane.h"
#include "ui_cell.h"
#include "xmalloc.h"

/* A probed (name, type): the columns of the grid. */
struct column {
	const char *qname;
	uint16_t qtype;
};

static size_t collect_columns(const struct evidence *ev, struct column **out)
{
	struct column *c = NULL;
	size_t n = 0;

	for (size_t i = 0; i < ev->n_resolvers; i++) {
		const struct resolver_ev *r = &ev->resolvers[i];

		for (size_t j = 0; j < r->n_answers; j++) {
			const struct resolver_answer *a = &r->answers[j];
			size_t k;

			for (k = 0; k < n; k++)
				if (c[k].qtype == a->qtype && a->qname != NULL &&
				    strcmp(c[k].qname, a->qname) == 0)
					break;
			if (k == n && a->qname != NULL)
				*XAPPEND(c, n) = (struct column){ a->qname, a->qtype };
		}
	}
	for (size_t i = 0; i < ev->n_local; i++) {
		const struct local_verdict *v = &ev->local[i];
		size_t k;

		for (k = 0; k < n; k++)
			if (c[k].qtype == v->qtype && v->qname != NULL &&
			    strcmp(c[k].qname, v->qname) == 0)
				break;
		if (k == n && v->qname != NULL)
			*XAPPEND(c, n) = (struct column){ v->qname, v->qtype };
	}
	*out = c;
	return n;
}

/* "@ SOA" for the apex, "www A" below it, the full name elsewhere. */
static char *column_label(const char *zone, const struct column *c)
{
	char buf[16];
	size_t zl = zone ? strlen(zone) : 0, ql = strlen(c->qname);
	const char *tb = rrtype_name(c->qtype, buf);

	if (zone != NULL && strcmp(zone, c->qname) == 0)
		return xasprintf("@ %s", tb);
	if (strncmp(c->qname, "bogus-nx-", 9) == 0)
		return xasprintf("nx %s", tb);	/* random: its name says nothing */
	if (zone != NULL && ql > zl + 1 && strcmp(c->qname + ql - zl, zone) == 0 &&
	    c->qname[ql - zl - 1] == '.')
		return xasprintf("%.*s %s", (int)(ql - zl - 1), c->qname, tb);
	return xasprintf("%s %s", c->qname, tb);
}

static const struct resolver_answer *find_answer(const struct resolver_ev *r,
						 const struct column *c)
{
	for (size_t j = 0; j < r->n_answers; j++)
		if (r->answers[j].qtype == c->qtype && r->answers[j].qname != NULL &&
		    strcmp(r->answers[j].qname, c->qname) == 0)
			return &r->answers[j];
	return NULL;
}

static const struct local_verdict *find_local(const struct evidence *ev,
					      const struct column *c)
{
	for (size_t i = 0; i < ev->n_local; i++)
		if (ev->local[i].qtype == c->qtype && ev->local[i].qname != NULL &&
		    strcmp(ev->local[i].qname, c->qname) == 0)
			return &ev->local[i];
	return NULL;
}

static enum role security_role(enum security s)
{
	switch (s) {
	case SEC_SECURE: return ROLE_SECURE;
	case SEC_INSECURE: return ROLE_INSECURE;
	case SEC_BOGUS: return ROLE_BOGUS;
	case SEC_UNKNOWN: break;
	}
	return ROLE_UNKNOWN;
}

/*
 * Cell widths, separator included. Wide cells ("✘ BOGUS e9") when every
 * column fits; compact ones ("✘9") otherwise, so that the common 80-column
 * terminal still shows every probed name at a glance.
 */
#define WIDE_CELL_MIN 11	/* "x BOGUS e9" and a space: never cut a cell */
#define WIDE_CELL_MAX 16
#define COMPACT_CELL (UI_CELL_COMPACT_W + 1)

int pane_resolvers_cell_width(int width, int prefix, size_t n_cols)
{
	int room = width - prefix, w;

	if (n_cols == 0)
		return WIDE_CELL_MIN;
	w = room / (int)n_cols;
	if (w < WIDE_CELL_MIN)
		return COMPACT_CELL;	/* below this the pane scrolls sideways */
	return w > WIDE_CELL_MAX ? WIDE_CELL_MAX : w;
}

/* Compact header, top row: the name of a run of columns ("@", "www", "dm"). */
static char *column_group(const char *zone, const char *qname)
{
	size_t zl = zone ? strlen(zone) : 0, ql = strlen(qname), n;

	if (zone != NULL && strcmp(zone, qname) == 0)
		return xstrdup("@");
	if (strncmp(qname, "bogus-nx-", 9) == 0)
		return xstrdup("nx");	/* the random nonexistent name */
	if (strncmp(qname, "_dmarc.", 7) == 0)
		return xstrdup("dm");
	n = strcspn(qname, ".");
	if (zone != NULL && ql > zl + 1 && strcmp(qname + ql - zl, zone) == 0 &&
	    n > ql - zl - 1)
		n = ql - zl - 1;
	return xasprintf("%.*s", (int)n, qname);
}

/* Compact header, bottom row: the type in three cells ("KEY", "4A"). */
static const char *column_type(uint16_t qtype, char buf[16])
{
	if (qtype == RRTYPE_DNSKEY)
		return "KEY";
	if (qtype == RRTYPE_AAAA)
		return "4A";
	return rrtype_name(qtype, buf);
}

static void put_header(const struct pane_ctx *c, struct ui_doc *d,
		       const struct column *cols, size_t n_cols, int name_w,
		       int cell_w)
{
	const char *zone = c->ev->zone;
	struct ui_line *l;
	char tb[16];

	if (cell_w > COMPACT_CELL) {
		l = ui_doc_add(d, NULL);
		ui_put_col(d, l, ROLE_HEADER, "resolver", name_w);
		ui_put(d, l, ROLE_HEADER, "    ");
		for (size_t k = 0; k < n_cols; k++) {
			char *lab = column_label(zone, &cols[k]);

			ui_put_col(d, l, ROLE_HEADER, lab, cell_w - 1);
			ui_put(d, l, ROLE_NORMAL, " ");
			free(lab);
		}
		return;
	}
	/* Two rows: each name once over its run of columns, then the types. */
	l = ui_doc_add(d, NULL);
	ui_put_col(d, l, ROLE_HEADER, "", name_w + 4);
	for (size_t k = 0, run; k < n_cols; k += run) {
		char *g = column_group(zone, cols[k].qname);

		for (run = 1; k + run < n_cols &&
		     strcmp(cols[k + run].qname, cols[k].qname) == 0; run++)
			;
		ui_put_col(d, l, ROLE_HEADER, g, (int)run * cell_w - 1);
		ui_put(d, l, ROLE_NORMAL, " ");
		free(g);
	}
	l = ui_doc_add(d, NULL);
	ui_put_col(d, l, ROLE_HEADER, "resolver", name_w);
	ui_put(d, l, ROLE_HEADER, "    ");
	for (size_t k = 0; k < n_cols; k++) {
		ui_put_col(d, l, ROLE_HEADER, column_type(cols[k].qtype, tb), cell_w - 1);
		ui_put(d, l, ROLE_NORMAL, " ");
	}
}

/* One resolver's cell, wide or compact. Returns new. */
static char *cell_text(const struct resolver_answer *a, bool utf8, int cell_w)
{
	enum ui_cell_state s = ui_cell_classify(a);
	const char *sym = ui_cell_sym(a, utf8);
	char buf[16];

	if (cell_w <= COMPACT_CELL)
		return xstrdup(ui_cell_compact(a, utf8, buf));
	if (a->reply.n_ede > 0)
		return xasprintf("%s %s e%u", sym, ui_cell_word(s), a->reply.ede[0].code);
	return xasprintf("%s %s", sym, ui_cell_word(s));
}

/* Our own validator's cell: secure, insecure, bogus ("✘B" when compact,
 * "✔N" for a proven NXDOMAIN). */
static char *local_text(const struct local_verdict *v, bool utf8, int cell_w)
{
	const char *sym = ui_sym(utf8, v->security == SEC_SECURE ? SYM_OK :
				 v->security == SEC_BOGUS ? SYM_BAD :
				 v->security == SEC_INSECURE ? SYM_DOT : SYM_UNKNOWN);

	if (cell_w > COMPACT_CELL)	/* says what the compact cell says */
		return xasprintf("%s %s", sym, v->security != SEC_BOGUS &&
				 v->rcode == RCODE_NXDOMAIN ? "NXDOM" :
				 security_name(v->security));
	return xasprintf("%s%s", sym, v->security == SEC_BOGUS ? "B" :
			 v->rcode == RCODE_NXDOMAIN ? "N" : "");
}

/*
 * A live cell (model.h) still waiting: for the reply, or for the CD=1
 * retry of a SERVFAIL (bogus or down is not known before it). NULL if the
 * cell is settled; else its text, new.
 */
static char *live_pending(const struct resolver_answer *a, bool utf8, int cell_w)
{
	const char *more = utf8 ? "\u2026" : "...";

	if (a->reply.outcome == OUTCOME_NOT_SENT)
		return xstrdup(more);
	if (a->reply.outcome == OUTCOME_ANSWER && a->reply.rcode == RCODE_SERVFAIL &&
	    a->cd_reply.outcome == OUTCOME_NOT_SENT)
		return cell_w > COMPACT_CELL ? xasprintf("SF CD%s", more) : xstrdup(more);
	return NULL;
}

static void grid(const struct pane_ctx *c, struct ui_doc *d);

static void build(const struct pane_ctx *c, struct ui_doc *d)
{
	struct pane_ctx live;

	if (c->ev == NULL && c->live != NULL) {
		/* Said first, so that nobody reads it as a diagnosis. */
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM,
		       "first refresh under way: resolver answers as they arrive "
		       "(no diagnosis yet)");
		live = *c;
		live.ev = c->live;
		grid(&live, d);
		return;
	}
	if (c->ev == NULL) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "waiting for the first refresh...");
		return;
	}
	grid(c, d);
}

/* The grid of c->ev (c->live's copy, while it is live). */
static void grid(const struct pane_ctx *c, struct ui_doc *d)
{
	const struct evidence *ev = c->ev;
	bool live = c->live != NULL && ev == c->live;
	struct column *cols = NULL;
	size_t n_cols, name_w = 8;
	int cell_w;
	struct ui_line *l;

	if (ev->n_resolvers == 0 && ev->n_local == 0) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "no resolvers configured");
		return;
	}
	n_cols = collect_columns(ev, &cols);
	for (size_t i = 0; i < ev->n_resolvers; i++) {
		const char *nm = ev->resolvers[i].name ? ev->resolvers[i].name
						       : ev->resolvers[i].address;
		size_t len = nm ? strlen(nm) : 1;

		if (len > name_w)
			name_w = len;
	}
	if (name_w > 12)
		name_w = 12;
	cell_w = pane_resolvers_cell_width(c->width, (int)name_w + 4, n_cols);
	put_header(c, d, cols, n_cols, (int)name_w, cell_w);
	for (size_t i = 0; i < ev->n_resolvers; i++) {
		const struct resolver_ev *r = &ev->resolvers[i];
		char *key = events_key_resolver(r);

		l = ui_doc_add(d, key);
		free(key);
		ui_put_col(d, l, ROLE_NORMAL, r->name ? r->name : r->address,
			   (int)name_w);
		switch (r->validating) {
		case VALIDATING_YES:
			ui_put(d, l, ROLE_DIM, " V  ");
			break;
		case VALIDATING_NO:
			ui_put(d, l, ROLE_WARNING, " nv ");
			break;
		case VALIDATING_UNKNOWN:
			ui_put(d, l, ROLE_UNKNOWN, " ?  ");
			break;
		}
		for (size_t k = 0; k < n_cols; k++) {
			const struct resolver_answer *a = find_answer(r, &cols[k]);
			char *text, *ckey;
			enum role role;

			if (a == NULL) {
				ui_put_col(d, l, ROLE_UNKNOWN, "-", cell_w - 1);
				ui_put(d, l, ROLE_NORMAL, " ");
				continue;
			}
			if (live && (text = live_pending(a, d->utf8, cell_w)) != NULL) {
				ui_put_col(d, l, ROLE_DIM, text, cell_w - 1);
				ui_put(d, l, ROLE_NORMAL, " ");
				free(text);
				continue;
			}
			role = ui_cell_role(ui_cell_classify(a));
			if (ui_cell_classify(a) == CELL_NXDOMAIN && a->reply.ad)
				role = ROLE_SECURE;	/* a validated denial, as its mark says */
			ckey = events_key_cell(r, a);
			if (c->events != NULL &&
			    events_recent(c->events, ckey, c->now, PANE_CHANGED_SECS))
				role = ROLE_CHANGED;
			free(ckey);
			text = cell_text(a, d->utf8, cell_w);
			ui_put_col(d, l, role, text, cell_w - 1);
			ui_put(d, l, ROLE_NORMAL, " ");
			free(text);
		}
	}
	if (ev->n_local > 0) {
		l = ui_doc_add(d, "local");
		ui_put_col(d, l, ROLE_INFO, "(local)", (int)name_w);
		ui_put(d, l, ROLE_DIM, " V  ");
		for (size_t k = 0; k < n_cols; k++) {
			const struct local_verdict *v = find_local(ev, &cols[k]);
			char *text;

			if (v == NULL) {
				ui_put_col(d, l, ROLE_UNKNOWN, "-", cell_w - 1);
				ui_put(d, l, ROLE_NORMAL, " ");
				continue;
			}
			text = local_text(v, d->utf8, cell_w);
			ui_put_col(d, l, security_role(v->security), text, cell_w - 1);
			ui_put(d, l, ROLE_NORMAL, " ");
			free(text);
		}
	}
	/* A column whose name is an alias is about the target's zone too. */
	for (size_t i = 0; i < ev->n_aliases; i++) {
		const struct alias_ev *a = &ev->aliases[i];
		const struct evidence *t = a->target_ev;
		enum security s = t != NULL && t->n_chain > 0 ?
				  t->chain[t->n_chain - 1].status : SEC_UNKNOWN;
		struct column col = { a->owner, a->qtype };
		char *lab;

		if (a->depth != 1)
			continue;
		lab = column_label(ev->zone, &col);
		l = ui_doc_add(d, NULL);
		ui_putf(d, l, ROLE_DIM, "%s is an alias %s ", lab,
			ui_sym(d->utf8, SYM_ARROW));
		ui_put(d, l, ROLE_HEADER, a->target);
		if (t != NULL) {
			ui_putf(d, l, ROLE_DIM, ": its zone %s is ", t->zone);
			ui_put(d, l, security_role(s), s == SEC_BOGUS ? "BOGUS" :
			       security_name(s));
		}
		free(lab);
	}
	free(cols);
}

static void detail_local(const struct pane_ctx *c, struct ui_doc *d)
{
	pane_detail_heading(d, "bogus's own validation (libunbound, from the trust anchor)");
	for (size_t i = 0; i < c->ev->n_local; i++) {
		const struct local_verdict *v = &c->ev->local[i];
		char tb[16], rb[16];

		pane_detail_heading(d, "%s %s", v->qname ? v->qname : "?",
				    rrtype_name(v->qtype, tb));
		pane_detail_field(d, "security", security_role(v->security),
				  security_name(v->security));
		pane_detail_field(d, "rcode", ROLE_NORMAL,
				  v->rcode < 0 ? "lookup failed" : rcode_name(v->rcode, rb));
		pane_detail_field(d, "data", ROLE_NORMAL, v->havedata ? "yes" : "no");
		if (v->why_bogus != NULL)
			pane_detail_field(d, "why bogus", ROLE_BOGUS, v->why_bogus);
	}
}

static void detail(const struct pane_ctx *c, const char *key, struct ui_doc *d)
{
	const struct evidence *ev = c->ev;

	if (ev == NULL || key == NULL) {
		ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "nothing selected");
		return;
	}
	if (strcmp(key, "local") == 0) {
		detail_local(c, d);
		return;
	}
	for (size_t i = 0; i < ev->n_resolvers; i++) {
		const struct resolver_ev *r = &ev->resolvers[i];
		char *rk = events_key_resolver(r), port[8], rb[16];
		int match = strcmp(rk, key) == 0;

		free(rk);
		if (!match)
			continue;
		pane_detail_heading(d, "Resolver %s", r->name ? r->name : "?");
		snprintf(port, sizeof(port), "%u", (unsigned)r->port);
		pane_detail_field(d, "address", ROLE_NORMAL, r->address);
		pane_detail_field(d, "port", ROLE_NORMAL, port);
		pane_detail_field(d, "from", ROLE_NORMAL,
				  r->from_system ? "/etc/resolv.conf" : "configured");
		pane_detail_field(d, "validating",
				  r->validating == VALIDATING_NO ? ROLE_WARNING : ROLE_NORMAL,
				  r->validating == VALIDATING_YES ? "yes" :
				  r->validating == VALIDATING_NO ?
				  "NO: its answers say nothing about DNSSEC" : "unknown");
		pane_detail_field(d, "root AD bit", ROLE_NORMAL, r->root_ad ? "yes" : "no");
		pane_detail_field(d, "canary", ROLE_NORMAL,
				  r->canary_rcode >= 0 ? rcode_name(r->canary_rcode, rb) :
				  r->root_ad ? "not needed: AD on the root proves it validates" :
				  "no answer");
		for (size_t j = 0; j < r->n_answers; j++) {
			const struct resolver_answer *a = &r->answers[j];
			char tb[16], cb[16];
			enum ui_cell_state s = ui_cell_classify(a);

			/* The word, and the compact cell the narrow grid shows. */
			pane_detail_heading(d, "%s %s: %s (%s)", a->qname ? a->qname : "?",
					    rrtype_name(a->qtype, tb), ui_cell_word(s),
					    ui_cell_compact(a, d->utf8, cb));
			pane_detail_reply(d, "CD=0", &a->reply);
			if (a->cd_reply.outcome != OUTCOME_NOT_SENT)
				pane_detail_reply(d, "CD=1", &a->cd_reply);
			if (s == CELL_BOGUS)
				pane_detail_text(d, ROLE_BOGUS,
						 "  SERVFAIL with CD=0 but an answer with CD=1:"
						 " the data is there, validation fails.");
		}
		return;
	}
	ui_put(d, ui_doc_add(d, NULL), ROLE_DIM, "this resolver is gone from the latest refresh");
}

const struct pane_ops pane_resolvers_ops = { "Resolvers", build, detail, NULL };
