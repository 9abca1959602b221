/*
 * fuzz_reply.c - a reply off the wire, all the way to the reports.
 *
 * The input is a DNS message as a server could send it. It goes through
 * (1) the EDNS option walker on the raw bytes, (2) ldns_wire2pkt and
 * probe_reply_fill, the path every probe takes, and (3) a healthy evidence
 * whose resolver answers, CD retries and nameserver SOAs are replaced by
 * that reply (and whose names and notes carry its texts), through
 * diag_run, report_text (plain and coloured) and report_json. Checked: the
 * caps of probe_reply.h, every stored string through escape.h
 * (fuzz_check_escapes), and report output with no control byte but newline
 * (and our own colour sequences), no DEL, JSON in valid UTF-8.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "fuzz.h"
#include "probe_reply.h"
#include "report.h"
#include "xmalloc.h"

#include "../unit/evidence_builder.c"

static void check_reply(const struct dns_reply *r)
{
	FUZZ_CHECK(r->n_answer <= PROBE_REPLY_MAX_RRS, "answer cap");
	FUZZ_CHECK(r->n_ede <= PROBE_REPLY_MAX_EDE, "EDE cap");
	for (size_t i = 0; i < r->n_answer; i++) {
		FUZZ_CHECK(strlen(r->answer[i]) <= EVIDENCE_MAX_TEXT, "RR text cap");
		fuzz_check_escapes(r->answer[i]);
	}
	for (size_t i = 0; i < r->n_ede; i++) {
		FUZZ_CHECK(strlen(r->ede[i].text) <= EVIDENCE_MAX_TEXT, "EDE cap");
		fuzz_check_escapes(r->ede[i].text);
	}
	if (r->nsid != NULL) {
		FUZZ_CHECK(strlen(r->nsid) <= EVIDENCE_MAX_TEXT, "NSID cap");
		fuzz_check_escapes(r->nsid);
	}
}

/* Length of our own colour sequence (ESC [ digits/; m) at @p p, or 0. */
static size_t sgr_len(const unsigned char *p, size_t left)
{
	size_t n = 2;

	if (left < 3 || p[0] != 0x1b || p[1] != '[')
		return 0;
	while (n < left && ((p[n] >= '0' && p[n] <= '9') || p[n] == ';'))
		n++;
	return n < left && p[n] == 'm' ? n + 1 : 0;
}

/*
 * Report bytes: newline is the only control (with @p color, also the SGR
 * colour sequences report_text writes itself); JSON must be UTF-8.
 */
static void check_output(const char *buf, size_t len, int json, int color)
{
	const unsigned char *p = (const unsigned char *)buf;
	int hidden;
	size_t sgr;

	FUZZ_CHECK(strlen(buf) == len, "no NUL in a report");
	for (size_t i = 0; i < len; i++) {
		if (color && (sgr = sgr_len(p + i, len - i)) > 0) {
			i += sgr - 1;
			continue;
		}
		FUZZ_CHECK(p[i] == '\n' || (p[i] >= 0x20 && p[i] != 0x7f),
			   json ? "control byte in JSON" : "control byte in text");
	}
	if (json) {
		FUZZ_CHECK(fuzz_utf8_scan(buf, len, &hidden), "JSON report is UTF-8");
		FUZZ_CHECK(!hidden, "hidden code point in JSON");
	}
}

/* The healthy world, with @p pkt as every resolver's and server's reply. */
static void check_reports(const ldns_pkt *pkt, size_t size,
			  const struct dns_reply *r)
{
	struct evidence *ev = eb_healthy();
	const char *text = r->n_answer > 0 ? r->answer[0] :
			   r->n_ede > 0 ? r->ede[0].text : r->nsid;
	struct diagnosis *d;
	char *buf;
	size_t len;
	FILE *f;

	for (size_t i = 0; i < ev->n_resolvers; i++) {
		for (size_t j = 0; j < ev->resolvers[i].n_answers; j++) {
			struct resolver_answer *a = &ev->resolvers[i].answers[j];

			dns_reply_clear(&a->reply);
			dns_reply_clear(&a->cd_reply);
			probe_reply_fill(&a->reply, pkt, size);
			if (j == 0)
				probe_reply_fill(&a->cd_reply, pkt, size);
		}
	}
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		dns_reply_clear(&ev->nameservers[i].soa_udp);
		probe_reply_fill(&ev->nameservers[i].soa_udp, pkt, size);
	}
	if (text != NULL) {
		/* Network texts where names and reasons usually are. */
		free(ev->nameservers[0].name);
		ev->nameservers[0].name = xstrdup(text);
		*XAPPEND(ev->notes, ev->n_notes) = xstrdup(text);
		eb_local(ev, text, RRTYPE_A, SEC_BOGUS, text);
	}
	d = diag_run(ev, EB_NOW);
	for (int kind = 0; kind < 3; kind++) {	/* text, coloured text, JSON */
		if ((f = open_memstream(&buf, &len)) == NULL)
			abort();
		if (kind == 2)
			report_json(f, ev, d);
		else
			report_text(f, ev, d, kind == 1);
		fclose(f);
		check_output(buf, len, kind == 2, kind == 1);
		free(buf);
	}
	diagnosis_free(d);
	evidence_free(ev);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_reply r = { 0 };
	ldns_pkt *pkt = NULL;

	probe_reply_edns_options(&r, data, size);
	check_reply(&r);
	dns_reply_clear(&r);
	if (ldns_wire2pkt(&pkt, data, size) != LDNS_STATUS_OK) {
		ldns_pkt_free(pkt);
		return 0;
	}
	probe_reply_fill(&r, pkt, size);
	check_reply(&r);
	check_reports(pkt, size, &r);
	dns_reply_clear(&r);
	ldns_pkt_free(pkt);
	return 0;
}
