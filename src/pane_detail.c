/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pane_detail.c - the pieces every detail view is made of: headings,
 * fields, one DNS reply in full, RRSIG windows, multi-line fix text.
 *
 * The detail view is where a user copies records and fixes from, so values
 * are shown whole (the screen scrolls rather than cuts) and record texts in
 * presentation format. Everything still goes through ui_put (escaped).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pane.h"
#include "xmalloc.h"

void pane_detail_heading(struct ui_doc *d, const char *fmt, ...)
{
	struct ui_line *l;
	va_list ap;
	char *s;

	if (d->n_lines > 0)
		ui_doc_add(d, NULL);
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	l = ui_doc_add(d, NULL);
	ui_put(d, l, ROLE_HEADER, s);
	free(s);
}

void pane_detail_field(struct ui_doc *d, const char *label, enum role r,
		       const char *value)
{
	struct ui_line *l = ui_doc_add(d, NULL);

	ui_putf(d, l, ROLE_DIM, "  %-14s ", label);
	ui_put(d, l, r, value != NULL ? value : "-");
}

const char *pane_duration(int64_t secs, char *buf, size_t len)
{
	int64_t a = secs < 0 ? -secs : secs;
	const char *sign = secs < 0 ? "-" : "";

	if (a >= 86400)
		snprintf(buf, len, "%s%lldd%lldh", sign, (long long)(a / 86400),
			 (long long)(a % 86400 / 3600));
	else if (a >= 3600)
		snprintf(buf, len, "%s%lldh%lldm", sign, (long long)(a / 3600),
			 (long long)(a % 3600 / 60));
	else if (a >= 60)
		snprintf(buf, len, "%s%lldm", sign, (long long)(a / 60));
	else
		snprintf(buf, len, "%s%llds", sign, (long long)a);
	return buf;
}

enum role pane_sig_role(enum sig_check c)
{
	switch (c) {
	case SIG_VALID:
		return ROLE_SECURE;
	case SIG_NOT_CHECKED:
	case SIG_UNSUPPORTED:
		return ROLE_UNKNOWN;
	default:
		return ROLE_BROKEN;
	}
}

const char *pane_sig_name(enum sig_check c)
{
	switch (c) {
	case SIG_NOT_CHECKED: return "not checked";
	case SIG_VALID: return "valid";
	case SIG_BAD: return "BAD SIGNATURE";
	case SIG_NO_KEY: return "NO SUCH KEY";
	case SIG_EXPIRED: return "EXPIRED";
	case SIG_NOT_YET_VALID: return "NOT YET VALID";
	case SIG_UNSUPPORTED: return "unsupported algorithm";
	}
	return "?";
}

static void utc(int64_t t, char *buf, size_t len)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (gmtime_r(&tt, &tm) == NULL || strftime(buf, len, "%Y-%m-%d %H:%M:%SZ", &tm) == 0)
		snprintf(buf, len, "%lld", (long long)t);
}

void pane_detail_sigs(struct ui_doc *d, const struct rrsig_info *s, size_t n,
		      int64_t now)
{
	for (size_t i = 0; i < n; i++) {
		struct ui_line *l = ui_doc_add(d, NULL);
		char tb[16], inc[32], exp[32], left[24];

		utc(s[i].inception, inc, sizeof(inc));
		utc(s[i].expiration, exp, sizeof(exp));
		ui_putf(d, l, ROLE_NORMAL, "  RRSIG %s key %u alg %u by %s  ",
			rrtype_name(s[i].covered, tb), s[i].key_tag,
			s[i].algorithm, s[i].signer ? s[i].signer : "?");
		ui_put(d, l, pane_sig_role(s[i].check), pane_sig_name(s[i].check));
		l = ui_doc_add(d, NULL);
		ui_putf(d, l, ROLE_DIM, "    from %s until %s (%s %s)", inc, exp,
			s[i].expiration >= now ? "expires in" : "expired",
			pane_duration(s[i].expiration >= now ? s[i].expiration - now
				      : now - s[i].expiration, left, sizeof(left)));
	}
}

void pane_detail_text(struct ui_doc *d, enum role r, const char *text)
{
	const char *p = text != NULL ? text : "";

	for (;;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl != NULL ? (size_t)(nl - p) : strlen(p);
		char *one = xstrndup(p, len);

		ui_put(d, ui_doc_add(d, NULL), r, one);
		free(one);
		if (nl == NULL)
			break;
		p = nl + 1;
	}
}

void pane_detail_reply(struct ui_doc *d, const char *label,
		       const struct dns_reply *r)
{
	struct ui_line *l = ui_doc_add(d, NULL);
	char rb[16];

	ui_putf(d, l, ROLE_NORMAL, "  %s: ", label);
	if (r->outcome != OUTCOME_ANSWER) {
		ui_put(d, l, r->outcome == OUTCOME_NOT_SENT ? ROLE_DIM : ROLE_TIMEOUT,
		       outcome_name(r->outcome));
		if (r->error != NULL) {
			ui_put(d, l, ROLE_NORMAL, " (");
			ui_put(d, l, ROLE_NORMAL, r->error);
			ui_put(d, l, ROLE_NORMAL, ")");
		}
		return;
	}
	ui_put(d, l, r->rcode == RCODE_NOERROR ? ROLE_SECURE : ROLE_SERVFAIL,
	       rcode_name(r->rcode, rb));
	ui_putf(d, l, ROLE_NORMAL, "  flags%s%s%s%s%s  %ums  %u bytes%s%s",
		r->aa ? " aa" : "", r->tc ? " tc" : "", r->ad ? " ad" : "",
		r->ra ? " ra" : "", r->cd ? " cd" : "", r->rtt_ms, r->size,
		r->via_tcp ? "  TCP" : "  UDP",
		r->tc_retried ? " (UDP truncated, retried)" : "");
	if (r->nsid != NULL) {
		l = ui_doc_add(d, NULL);
		ui_put(d, l, ROLE_DIM, "    NSID ");
		ui_put(d, l, ROLE_NORMAL, r->nsid);
	}
	for (size_t i = 0; i < r->n_ede; i++) {
		const char *name = ede_name(r->ede[i].code);

		l = ui_doc_add(d, NULL);
		ui_putf(d, l, ROLE_WARNING, "    EDE %u %s", r->ede[i].code,
			name ? name : "(unassigned)");
		if (r->ede[i].text != NULL && r->ede[i].text[0] != '\0') {
			ui_put(d, l, ROLE_NORMAL, ": ");
			ui_put(d, l, ROLE_NORMAL, r->ede[i].text);
		}
	}
	for (size_t i = 0; i < r->n_answer; i++) {
		l = ui_doc_add(d, NULL);
		ui_put(d, l, ROLE_DIM, "    ");
		ui_put(d, l, ROLE_NORMAL, r->answer[i]);
	}
}
