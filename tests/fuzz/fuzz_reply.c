/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_reply.c - a reply off the wire, all the way to the reports.
 *
 * The input is a DNS message as a server could send it. It goes through
 * (1) the EDNS option walker on the raw bytes, (2) ldns_wire2pkt and
 * probe_reply_fill, the path every probe takes (fresh, and with a reused
 * scratch buffer: the same texts), and (3) a healthy evidence
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

#include "fuzz.h"
#include "probe_reply.h"
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

/* The healthy world, with @p pkt as every resolver's and server's reply. */
static void check_reports(const ldns_pkt *pkt, size_t size,
			  const struct dns_reply *r)
{
	struct evidence *ev = eb_healthy();
	ldns_buffer *scratch = ldns_buffer_new(16);	/* reused, as the engine does */
	const char *text = r->n_answer > 0 ? r->answer[0] :
			   r->n_ede > 0 ? r->ede[0].text : r->nsid;

	for (size_t i = 0; i < ev->n_resolvers; i++) {
		for (size_t j = 0; j < ev->resolvers[i].n_answers; j++) {
			struct resolver_answer *a = &ev->resolvers[i].answers[j];

			dns_reply_clear(&a->reply);
			dns_reply_clear(&a->cd_reply);
			probe_reply_fill(&a->reply, pkt, size, scratch);
			if (j == 0)
				probe_reply_fill(&a->cd_reply, pkt, size, scratch);
			/* A reused buffer reads the same as a fresh one. */
			FUZZ_CHECK(a->reply.n_answer == r->n_answer,
				   "reused scratch buffer: answer count");
			for (size_t k = 0; k < r->n_answer; k++)
				FUZZ_CHECK(strcmp(a->reply.answer[k], r->answer[k]) == 0,
					   "reused scratch buffer: same text");
		}
	}
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		dns_reply_clear(&ev->nameservers[i].soa_udp);
		probe_reply_fill(&ev->nameservers[i].soa_udp, pkt, size, scratch);
	}
	ldns_buffer_free(scratch);
	if (text != NULL) {
		/* Network texts where names and reasons usually are. */
		free(ev->nameservers[0].name);
		ev->nameservers[0].name = xstrdup(text);
		*XAPPEND(ev->notes, ev->n_notes) = xstrdup(text);
		eb_local(ev, text, RRTYPE_A, SEC_BOGUS, text);
	}
	fuzz_check_reports(ev, EB_NOW);
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
	probe_reply_fill(&r, pkt, size, NULL);
	check_reply(&r);
	check_reports(pkt, size, &r);
	dns_reply_clear(&r);
	ldns_pkt_free(pkt);
	return 0;
}
