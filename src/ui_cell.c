/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ui_cell.c - one reading of a resolver's reply pair, shared by every view
 * so that the grid, the event log and the detail view never disagree.
 * Pure: no curses, no clock.
 */
#include <stdio.h>

#include "ui_cell.h"
#include "ui_line.h"

enum ui_cell_state ui_cell_classify(const struct resolver_answer *a)
{
	const struct dns_reply *r = &a->reply, *cd = &a->cd_reply;

	switch (r->outcome) {
	case OUTCOME_NOT_SENT:
	case OUTCOME_CANCELLED:
		return CELL_NONE;
	case OUTCOME_TIMEOUT:
		return CELL_TIMEOUT;
	case OUTCOME_NET_ERROR:
		return CELL_NET_ERROR;
	case OUTCOME_MALFORMED:
		return CELL_MALFORMED;
	case OUTCOME_ANSWER:
		break;
	}
	switch (r->rcode) {
	case RCODE_NOERROR:
		return r->ad ? CELL_SECURE : CELL_INSECURE;
	case RCODE_NXDOMAIN:
		return CELL_NXDOMAIN;
	case RCODE_SERVFAIL:
		if (cd->outcome == OUTCOME_ANSWER &&
		    (cd->rcode == RCODE_NOERROR || cd->rcode == RCODE_NXDOMAIN))
			return CELL_BOGUS;
		return CELL_SERVFAIL;
	case RCODE_REFUSED:
		return CELL_REFUSED;
	default:
		return CELL_OTHER_RCODE;
	}
}

const char *ui_cell_word(enum ui_cell_state s)
{
	static const char *const words[] = {
		[CELL_NONE] = "-", [CELL_SECURE] = "SEC",
		[CELL_INSECURE] = "INSEC", [CELL_NXDOMAIN] = "NXDOM",
		[CELL_BOGUS] = "BOGUS", [CELL_SERVFAIL] = "SRVFL",
		[CELL_REFUSED] = "REFUS", [CELL_OTHER_RCODE] = "RCODE",
		[CELL_TIMEOUT] = "T/O", [CELL_NET_ERROR] = "NETER",
		[CELL_MALFORMED] = "MALF",
	};
	return (unsigned)s < sizeof(words) / sizeof(words[0]) ? words[s] : "?";
}

enum role ui_cell_role(enum ui_cell_state s)
{
	switch (s) {
	case CELL_SECURE:
		return ROLE_SECURE;
	case CELL_INSECURE:
	case CELL_NXDOMAIN:
		return ROLE_INSECURE;
	case CELL_BOGUS:
		return ROLE_BOGUS;
	case CELL_SERVFAIL:
	case CELL_MALFORMED:
		return ROLE_SERVFAIL;
	case CELL_REFUSED:
	case CELL_OTHER_RCODE:
		return ROLE_WARNING;
	case CELL_TIMEOUT:
	case CELL_NET_ERROR:
		return ROLE_TIMEOUT;
	case CELL_NONE:
		break;
	}
	return ROLE_UNKNOWN;
}

int ui_cell_is_bad(enum ui_cell_state s)
{
	return s >= CELL_BOGUS;
}

const char *ui_cell_compact(const struct resolver_answer *a, bool utf8,
			    char buf[16])
{
	enum ui_cell_state s = ui_cell_classify(a);
	const char *sym = ui_sym(utf8, SYM_BAD), *code = "";
	char ede[8];

	switch (s) {
	case CELL_NONE:
		sym = "-";
		break;
	case CELL_SECURE:
		sym = ui_sym(utf8, SYM_OK);
		break;
	case CELL_INSECURE:
		sym = ui_sym(utf8, SYM_DOT);
		break;
	case CELL_NXDOMAIN:
		sym = ui_sym(utf8, a->reply.ad ? SYM_OK : SYM_DOT);
		code = "N";
		break;
	case CELL_BOGUS:
		/* Two digits fit; a longer (unassigned) code is "#": see detail. */
		if (a->reply.n_ede == 0) {
			code = "B";
		} else if (a->reply.ede[0].code < 100) {
			snprintf(ede, sizeof(ede), "%u", (unsigned)a->reply.ede[0].code);
			code = ede;
		} else {
			code = "#";
		}
		break;
	case CELL_SERVFAIL: code = "S"; break;
	case CELL_REFUSED: code = "R"; break;
	case CELL_OTHER_RCODE: code = "C"; break;
	case CELL_TIMEOUT: code = "T"; break;
	case CELL_NET_ERROR: code = "X"; break;
	case CELL_MALFORMED: code = "M"; break;
	}
	snprintf(buf, 16, "%s%s", sym, code);
	return buf;
}
