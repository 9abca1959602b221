/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * report_text.c - the --once text report, laid out as the console is: the
 * verdict and the findings with their fixes first, then the runbook, the
 * resolvers, the chain of trust and the nameservers.
 *
 * Every string is passed through escape_text() (line by line for multi-line
 * fixes), so nothing the network sent reaches the terminal raw; colour is
 * our own ANSI codes and only when the caller asks. Tables are aligned on
 * the escaped (pure ASCII) cells. Writes only to @p out.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "escape.h"
#include "report.h"
#include "xmalloc.h"

/* Cap per cell or line, so that a 10 KB hostile string stays readable. */
#define CELL_MAX 200
#define LINE_MAX_OUT 2000
#define EDE_MAX 72

enum tone { TONE_NONE, TONE_BAD, TONE_WARN, TONE_GOOD, TONE_INFO, TONE_BOLD };

struct out {
	FILE *f;
	bool color;
};

static void paint(struct out *o, enum tone t, const char *s)
{
	static const char *const codes[] = {
		[TONE_NONE] = "", [TONE_BAD] = "\033[1;31m",
		[TONE_WARN] = "\033[33m", [TONE_GOOD] = "\033[32m",
		[TONE_INFO] = "\033[36m", [TONE_BOLD] = "\033[1m",
	};

	if (o->color && t != TONE_NONE)
		fprintf(o->f, "%s%s\033[0m", codes[t], s);
	else
		fputs(s, o->f);
}

/* Prints @p s escaped, each of its lines after @p indent. */
static void lines(struct out *o, const char *indent, const char *s)
{
	const char *p = s != NULL ? s : "";

	do {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		char *line = xstrndup(p, len);
		char *e = escape_text(line, LINE_MAX_OUT);

		fprintf(o->f, "%s%s\n", indent, e);
		free(e);
		free(line);
		p = nl ? nl + 1 : NULL;
	} while (p != NULL);
}

/* ---- aligned tables ---- */

struct table {
	size_t cols;
	char **cells;	/* escaped, owned */
	size_t n;
};

static void cell(struct table *t, const char *s)
{
	*XAPPEND(t->cells, t->n) = escape_text(s != NULL ? s : "-", CELL_MAX);
}

static void cellf(struct table *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void cellf(struct table *t, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	cell(t, s);
	free(s);
}

static void table_print(struct out *o, struct table *t, const char *indent)
{
	size_t *w = xcalloc(t->cols, sizeof(*w));

	for (size_t i = 0; i < t->n; i++) {
		size_t len = strlen(t->cells[i]);

		if (len > w[i % t->cols])
			w[i % t->cols] = len;
	}
	for (size_t i = 0; i < t->n; i++) {
		size_t c = i % t->cols;

		if (c == 0)
			fputs(indent, o->f);
		if (c + 1 == t->cols)
			fprintf(o->f, "%s\n", t->cells[i]);
		else
			fprintf(o->f, "%-*s  ", (int)w[c], t->cells[i]);
	}
	for (size_t i = 0; i < t->n; i++)
		free(t->cells[i]);
	free(t->cells);
	free(w);
	t->cells = NULL;
	t->n = 0;
}

/* ---- sections ---- */

static enum tone verdict_tone(enum verdict v)
{
	switch (v) {
	case VERDICT_SECURE: return TONE_GOOD;
	case VERDICT_INSECURE: return TONE_INFO;
	case VERDICT_DEGRADED: return TONE_WARN;
	case VERDICT_BOGUS:
	case VERDICT_UNREACHABLE: break;
	case VERDICT_VANTAGE: return TONE_WARN;
	}
	return TONE_BAD;
}

static void heading(struct out *o, const char *title)
{
	fputc('\n', o->f);
	paint(o, TONE_BOLD, title);
	fputc('\n', o->f);
}

static void header(struct out *o, const struct evidence *ev,
		   const struct diagnosis *d)
{
	char t[32], buf[64];
	char *zone = escape_text(ev->zone, CELL_MAX);
	size_t n[3] = { 0 };

	for (size_t i = 0; i < d->n_findings; i++)
		n[d->findings[i].severity]++;
	fprintf(o->f, "%s  ", zone);
	snprintf(buf, sizeof(buf), "%s", verdict_name(d->verdict));
	for (char *p = buf; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	paint(o, verdict_tone(d->verdict), buf);
	fprintf(o->f, "  (exit %d)  %zu critical, %zu warning, %zu info  %s\n",
		verdict_exit_code(d->verdict), n[SEV_CRITICAL],
		n[SEV_WARNING], n[SEV_INFO], diag_clock(d->now, t));
	if (d->verdict == VERDICT_VANTAGE)
		fprintf(o->f, "%s (see below): nothing about the zone is judged "
			"from here\n", diag_vantage_words(d));
	free(zone);
}

static void findings(struct out *o, const struct diagnosis *d)
{
	static const char *const mark[] = {
		[SEV_INFO] = "[info]", [SEV_WARNING] = "[WARN]",
		[SEV_CRITICAL] = "[CRIT]",
	};
	static const enum tone tone[] = {
		[SEV_INFO] = TONE_INFO, [SEV_WARNING] = TONE_WARN,
		[SEV_CRITICAL] = TONE_BAD,
	};
	char t[32];

	heading(o, "FINDINGS");
	if (d->n_findings == 0)
		fputs("  none\n", o->f);
	for (size_t i = 0; i < d->n_findings; i++) {
		const struct finding *f = &d->findings[i];
		char *subject = escape_text(f->subject, CELL_MAX);

		fputs("  ", o->f);
		paint(o, tone[f->severity], mark[f->severity]);
		fprintf(o->f, " %s  %s", finding_id_name(f->id), subject);
		if (finding_dnsviz(f->id))
			fprintf(o->f, "  (DNSViz %s)", finding_dnsviz(f->id));
		fputc('\n', o->f);
		lines(o, "         ", f->summary);
		fprintf(o->f, "         who: %s\n", actor_words(f->actor));
		for (size_t j = 0; j < f->n_evidence; j++)
			lines(o, "         - ", f->evidence[j]);
		if (f->fix != NULL) {
			fputs("         fix:\n", o->f);
			lines(o, "           ", f->fix);
		}
		if (f->cache_until != 0)
			fprintf(o->f, "         caches may keep the old state "
				"until %s\n", diag_clock(f->cache_until, t));
		free(subject);
	}
}

static void checklist(struct out *o, const struct evidence *ev,
		      const struct diagnosis *d)
{
	static const char *const mark[] = {
		[STEP_PENDING] = "[ ]", [STEP_DONE] = "[x]",
		[STEP_FAILED] = "[!]", [STEP_NOT_APPLICABLE] = "[-]",
	};
	static const enum tone tone[] = {
		[STEP_PENDING] = TONE_NONE, [STEP_DONE] = TONE_GOOD,
		[STEP_FAILED] = TONE_BAD, [STEP_NOT_APPLICABLE] = TONE_NONE,
	};
	struct checklist *c = diag_checklist(ev, d, d->now);

	heading(o, "CHECKLIST");
	for (size_t i = 0; i < c->n_steps; i++) {
		const struct checklist_step *s = &c->steps[i];

		fputs("  ", o->f);
		paint(o, tone[s->state], mark[s->state]);
		fprintf(o->f, " %zu. %s\n", i + 1, s->title);
		if (s->evidence)
			lines(o, "         ", s->evidence);
		if (s->action)
			lines(o, "         > ", s->action);
	}
	checklist_free(c);
}

static char *ede_list(const struct dns_reply *r)
{
	char *s = NULL;

	for (size_t i = 0; i < r->n_ede; i++) {
		const char *name = ede_name(r->ede[i].code);
		char *more = xasprintf("%s%u %s%s%s", s ? "; " : "",
				       r->ede[i].code, name ? name : "?",
				       r->ede[i].text && *r->ede[i].text ?
				       ": " : "",
				       r->ede[i].text ? r->ede[i].text : "");
		char *both = xasprintf("%s%s", s ? s : "", more);

		free(more);
		free(s);
		s = both;
	}
	return s;
}

static const char *reply_rcode(const struct dns_reply *r, char buf[16])
{
	if (r->outcome == OUTCOME_NOT_SENT)
		return "-";
	if (r->outcome != OUTCOME_ANSWER)
		return outcome_name(r->outcome);
	return rcode_name(r->rcode, buf);
}

static void resolvers(struct out *o, const struct evidence *ev)
{
	struct table t = { .cols = 9 };
	char tb[16], rb[16], cb[16];

	heading(o, "RESOLVERS");
	if (ev->n_resolvers == 0) {
		fputs("  none asked\n", o->f);
		return;
	}
	cell(&t, "NAME"); cell(&t, "ADDRESS"); cell(&t, "VALIDATES");
	cell(&t, "QUERY"); cell(&t, "RCODE"); cell(&t, "AD");
	cell(&t, "CD=1"); cell(&t, "RTT"); cell(&t, "EDE");
	for (size_t i = 0; i < ev->n_resolvers; i++) {
		const struct resolver_ev *r = &ev->resolvers[i];

		for (size_t j = 0; j < r->n_answers || j == 0; j++) {
			const struct resolver_answer *a =
				j < r->n_answers ? &r->answers[j] : NULL;

			cell(&t, j == 0 ? r->name : "");
			cell(&t, j == 0 ? r->address : "");
			cell(&t, j != 0 ? "" :
			     r->validating == VALIDATING_YES ? "yes" :
			     r->validating == VALIDATING_NO ? "NO" : "?");
			if (a == NULL) {
				for (int k = 0; k < 6; k++)
					cell(&t, "-");
				continue;
			}
			cellf(&t, "%s %s", a->qname ? a->qname : "?",
			      rrtype_name(a->qtype, tb));
			cell(&t, reply_rcode(&a->reply, rb));
			cell(&t, a->reply.ad ? "AD" : "-");
			cell(&t, reply_rcode(&a->cd_reply, cb));
			if (a->reply.outcome == OUTCOME_ANSWER)
				cellf(&t, "%u ms", a->reply.rtt_ms);
			else
				cell(&t, "-");
			char *ede = ede_list(&a->reply);

			/* The table shows the gist; the JSON has it all. */
			*XAPPEND(t.cells, t.n) = ede ?
				escape_text(ede, EDE_MAX) : xstrdup("-");
			free(ede);
		}
	}
	table_print(o, &t, "  ");
}

static const char *ds_state(enum ds_match m)
{
	switch (m) {
	case DS_MATCH_OK: return "ok";
	case DS_MATCH_NO_KEY: return "NO KEY";
	case DS_MATCH_DIGEST_MISMATCH: return "DIGEST MISMATCH";
	case DS_MATCH_UNSUPPORTED_DIGEST: return "unsupported digest";
	case DS_MATCH_REVOKED_KEY: return "REVOKED KEY";
	}
	return "?";
}

static const char *sig_state(const struct rrsig_info *s)
{
	switch (s->check) {
	case SIG_VALID: return "valid";
	case SIG_BAD: return "BAD";
	case SIG_NO_KEY: return "NO KEY";
	case SIG_EXPIRED: return "EXPIRED";
	case SIG_NOT_YET_VALID: return "NOT YET VALID";
	case SIG_UNSUPPORTED: return "unsupported";
	case SIG_NOT_CHECKED: break;
	}
	return "not checked";
}

static void chain(struct out *o, const struct evidence *ev)
{
	char t1[32], t2[32], tb[16];

	heading(o, "CHAIN OF TRUST");
	if (ev->n_chain == 0) {
		fputs("  not measured\n", o->f);
		return;
	}
	for (size_t i = 0; i < ev->n_chain; i++) {
		const struct chain_link *l = &ev->chain[i];
		struct table t = { .cols = 5 };
		char *zone = escape_text(l->zone, CELL_MAX);

		fprintf(o->f, "  %s  ", zone);
		paint(o, l->status == SEC_BOGUS ? TONE_BAD :
		      l->status == SEC_SECURE ? TONE_GOOD : TONE_NONE,
		      security_name(l->status));
		const char *unseen = chain_link_keys_unseen(l);

		if (l->parent != NULL) {
			if (unseen != NULL)
				fprintf(o->f, "  (DS TTL %u s, DNSKEY not seen",
					l->ds_ttl);
			else
				fprintf(o->f, "  (DS TTL %u s, DNSKEY TTL %u s",
					l->ds_ttl, l->dnskey_ttl);
			if (l->ns_ttl != 0)
				fprintf(o->f, ", NS TTL %u s at the parent",
					l->ns_ttl);
			if (l->child_ns_ttl != 0)
				fprintf(o->f, ", %s%u s at the zone",
					l->ns_ttl != 0 ? "" : "NS TTL ",
					l->child_ns_ttl);
			fputs(")\n", o->f);
		} else
			fprintf(o->f, "  (trust anchor, DNSKEY TTL %u s)\n",
				l->dnskey_ttl);
		free(zone);
		for (size_t j = 0; j < l->n_ds; j++) {
			const struct ds_info *ds = &l->ds[j];
			const char *dt = digest_type_name(ds->digest_type);

			cell(&t, l->parent ? "DS" : "anchor");
			cellf(&t, "%u", ds->tag);
			cellf(&t, "alg %u", ds->algorithm);
			cellf(&t, "digest %u %s", ds->digest_type,
			      dt ? dt : "?");
			cell(&t, unseen != NULL && ds->match != DS_MATCH_OK ?
			     "not checked (keys not fetched)" :
			     ds_state(ds->match));
		}
		if (unseen != NULL) {
			cell(&t, "DNSKEY");
			cell(&t, "?");
			cell(&t, "");
			cell(&t, "could not be fetched:");
			cell(&t, unseen);
		}
		for (size_t j = 0; j < l->n_keys; j++) {
			const struct key_info *k = &l->keys[j];

			cell(&t, "DNSKEY");
			cellf(&t, "%u", k->tag);
			cellf(&t, "alg %u", k->algorithm);
			cellf(&t, "%s (flags %u)", (k->flags & 128) ?
			      "revoked" : (k->flags & 1) ? "KSK" : "ZSK",
			      k->flags);
			cell(&t, k->signs_dnskey && k->signs_zone ?
			     "signs DNSKEY, zone" : k->signs_dnskey ?
			     "signs DNSKEY" : k->signs_zone ? "signs zone" :
			     "signs nothing");
		}
		for (size_t j = 0; j < l->n_dnskey_sigs; j++) {
			const struct rrsig_info *s = &l->dnskey_sigs[j];

			cellf(&t, "RRSIG %s", rrtype_name(s->covered, tb));
			cellf(&t, "%u", s->key_tag);
			cellf(&t, "alg %u", s->algorithm);
			cellf(&t, "%s .. %s", diag_clock(s->inception, t1),
			      diag_clock(s->expiration, t2));
			cell(&t, sig_state(s));
		}
		table_print(o, &t, "     ");
	}
}

static void nameservers(struct out *o, const struct evidence *ev)
{
	struct table t = { .cols = 8 };
	char tb[32];

	heading(o, "NAMESERVERS");
	if (ev->n_nameservers == 0) {
		fputs("  none measured\n", o->f);
		return;
	}
	cell(&t, "NAME"); cell(&t, "ADDRESS"); cell(&t, "UDP");
	cell(&t, "TCP"); cell(&t, "SERIAL"); cell(&t, "KEYS");
	cell(&t, "EARLIEST EXPIRY"); cell(&t, "CDS");
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];
		char *tags = NULL;

		cell(&t, ns->name);
		cell(&t, ns->address);
		cell(&t, ns->soa_udp.outcome == OUTCOME_ANSWER ? "ok" :
		     outcome_name(ns->soa_udp.outcome));
		cell(&t, ns->soa_tcp.outcome == OUTCOME_ANSWER ? "ok" :
		     outcome_name(ns->soa_tcp.outcome));
		if (ns->has_serial)
			cellf(&t, "%u", ns->serial);
		else
			cell(&t, "-");
		for (size_t j = 0; j < ns->n_dnskey_tags; j++) {
			char *more = xasprintf("%s%s%u", tags ? tags : "",
					       tags ? "," : "",
					       ns->dnskey_tags[j]);

			free(tags);
			tags = more;
		}
		if (tags == NULL && ns_keys_unseen(ns) != NULL)
			cellf(&t, "? (%s)", ns_keys_unseen(ns));
		else
			cell(&t, tags ? tags : "-");
		free(tags);
		cell(&t, ns->earliest_expiration ?
		     diag_clock(ns->earliest_expiration, tb) : "-");
		tags = NULL;
		for (size_t j = 0; j < ns->n_cds; j++) {
			char *more = xasprintf("%s%s%u%s", tags ? tags : "",
					       tags ? "," : "", ns->cds[j].tag,
					       ns->cds[j].algorithm == 0 ?
					       "(delete)" :
					       ns->cds[j].match == DS_MATCH_OK ?
					       "" : "(no key)");

			free(tags);
			tags = more;
		}
		cell(&t, tags ? tags : "-");
		free(tags);
	}
	table_print(o, &t, "  ");
}

/* ALIASES: each CNAME out of the zone, the target's zone and its chain. */
static void aliases(struct out *o, const struct evidence *ev)
{
	struct table t = { .cols = 4 };
	char tb[16];

	if (ev->n_aliases == 0)
		return;
	heading(o, "ALIASES");
	cell(&t, "ALIAS"); cell(&t, "TARGET"); cell(&t, "TARGET ZONE");
	cell(&t, "ITS CHAIN");
	for (size_t i = 0; i < ev->n_aliases; i++) {
		const struct alias_ev *a = &ev->aliases[i];
		const struct evidence *te = a->target_ev;
		char *path = NULL;

		cellf(&t, "%s %s", a->owner, rrtype_name(a->qtype, tb));
		cellf(&t, "%s%s", a->target, a->loop ? " (loop)" : "");
		cell(&t, te != NULL ? te->zone : "-");
		for (size_t k = 0; te != NULL && k < te->n_chain; k++) {
			char *more = xasprintf("%s%s%s %s", path ? path : "",
					       k ? " -> " : "",
					       te->chain[k].zone,
					       security_name(te->chain[k].status));

			free(path);
			path = more;
		}
		cell(&t, path != NULL ? path : (a->loop ? "not followed" :
						"not walked"));
		free(path);
	}
	table_print(o, &t, "  ");
}

static void local(struct out *o, const struct evidence *ev)
{
	struct table t = { .cols = 4 };
	char tb[16], rb[16];

	if (ev->n_local == 0)
		return;
	heading(o, "LOCAL VALIDATION (libunbound)");
	for (size_t i = 0; i < ev->n_local; i++) {
		const struct local_verdict *l = &ev->local[i];

		cellf(&t, "%s %s", l->qname ? l->qname : "?",
		      rrtype_name(l->qtype, tb));
		cell(&t, security_name(l->security));
		cell(&t, rcode_name(l->rcode, rb));
		cell(&t, l->why_bogus ? l->why_bogus : "");
	}
	table_print(o, &t, "  ");
}

int report_text(FILE *out, const struct evidence *ev,
		const struct diagnosis *d, bool color)
{
	struct out o = { .f = out, .color = color };

	if (out == NULL || ev == NULL || d == NULL)
		return -1;
	header(&o, ev, d);
	findings(&o, d);
	checklist(&o, ev, d);
	resolvers(&o, ev);
	chain(&o, ev);
	nameservers(&o, ev);
	aliases(&o, ev);
	local(&o, ev);
	if (ev->n_notes > 0) {
		heading(&o, "NOTES");
		for (size_t i = 0; i < ev->n_notes; i++)
			lines(&o, "  - ", ev->notes[i]);
	}
	return ferror(out) ? -1 : 0;
}
