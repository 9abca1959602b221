/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_reply.c - what a server said, read out of a parsed reply.
 *
 * Converts an ldns packet into a struct dns_reply: header bits, rcode, TTLs,
 * answer records as text, NSID and Extended DNS Errors. EDNS options are
 * walked here by hand (ldns 1.8.3 does not parse EDE), over raw bytes, so
 * that the walker can be tested on malformed input. Everything stored is
 * capped in size; nothing is escaped here (that is escape.c's job at output
 * time), and nothing here does I/O or keeps ldns objects.
 */
#include <stdlib.h>
#include <string.h>

#include "probe_reply.h"
#include "xmalloc.h"

#define EDNS_OPT_NSID 3
#define EDNS_OPT_EDE 15

/* A copy of untrusted bytes, cut at the first NUL and at the text cap. */
static char *capped_text(const uint8_t *p, size_t len)
{
	const uint8_t *nul = memchr(p, 0, len);

	if (nul != NULL)
		len = (size_t)(nul - p);
	if (len > EVIDENCE_MAX_TEXT)
		len = EVIDENCE_MAX_TEXT;
	char *s = xmalloc(len + 1);

	memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

size_t probe_reply_edns_options(struct dns_reply *r, const uint8_t *data,
				size_t len)
{
	size_t off = 0, seen = 0;

	if (data == NULL)
		return 0;
	while (len - off >= 4) {
		uint16_t code = (uint16_t)(data[off] << 8 | data[off + 1]);
		uint16_t olen = (uint16_t)(data[off + 2] << 8 | data[off + 3]);
		const uint8_t *od = data + off + 4;

		if (olen > len - off - 4)
			break;	/* length runs past the end: stop trusting */
		off += 4 + (size_t)olen;
		seen++;
		if (code == EDNS_OPT_EDE && olen >= 2 &&
		    r->n_ede < PROBE_REPLY_MAX_EDE) {
			struct ede *e = XAPPEND(r->ede, r->n_ede);

			e->code = (uint16_t)(od[0] << 8 | od[1]);
			e->text = capped_text(od + 2, olen - 2u);
		} else if (code == EDNS_OPT_NSID && r->nsid == NULL) {
			r->nsid = capped_text(od, olen);
		}
	}
	return seen;
}

uint32_t probe_reply_min_ttl(const ldns_rr_list *list)
{
	uint32_t min = 0;

	for (size_t i = 0; i < ldns_rr_list_rr_count(list); i++) {
		uint32_t t = ldns_rr_ttl(ldns_rr_list_rr(list, i));

		if (i == 0 || t < min)
			min = t;
	}
	return min;
}

/* min(SOA TTL, SOA MINIMUM) of the first SOA in the authority section. */
static uint32_t negative_ttl(const ldns_pkt *pkt)
{
	const ldns_rr_list *auth = ldns_pkt_authority(pkt);

	for (size_t i = 0; i < ldns_rr_list_rr_count(auth); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(auth, i);
		const ldns_rdf *min;

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA ||
		    ldns_rr_rd_count(rr) < 7)
			continue;
		min = ldns_rr_rdf(rr, 6);
		if (ldns_rdf_size(min) != 4)
			continue;
		uint32_t m = ldns_rdf2native_int32(min);

		return m < ldns_rr_ttl(rr) ? m : ldns_rr_ttl(rr);
	}
	return 0;
}

/*
 * @p rr as text, cut at the cap. ldns_rr2str() would allocate a 64 KiB
 * buffer per record: a thousand resolvers' answers made that most of the
 * engine's malloc time, so the caller's scratch buffer is reused instead.
 */
static char *rr_text(const ldns_rr *rr, ldns_buffer *scratch)
{
	const char *s;
	size_t n;

	ldns_buffer_clear(scratch);
	if (ldns_rr2buffer_str_fmt(scratch, ldns_output_format_default, rr) !=
	    LDNS_STATUS_OK || !ldns_buffer_status_ok(scratch))
		return xstrdup("");
	s = (const char *)ldns_buffer_begin(scratch);
	n = ldns_buffer_position(scratch);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r' || s[n - 1] == '\0'))
		n--;
	return xstrndup(s, n < EVIDENCE_MAX_TEXT ? n : EVIDENCE_MAX_TEXT);
}

void probe_reply_fill(struct dns_reply *r, const ldns_pkt *pkt,
		      size_t wire_size, ldns_buffer *scratch)
{
	ldns_buffer *own = NULL;
	const ldns_rr_list *an = ldns_pkt_answer(pkt);
	const ldns_rdf *opts = ldns_pkt_edns_data(pkt);
	size_t n_an = ldns_rr_list_rr_count(an);

	if (scratch == NULL && (scratch = own = ldns_buffer_new(1024)) == NULL)
		abort();	/* out of memory, as xmalloc */
	r->outcome = OUTCOME_ANSWER;
	r->rcode = (int)ldns_pkt_edns_extended_rcode(pkt) << 4 |
		   (int)ldns_pkt_get_rcode(pkt);
	r->aa = ldns_pkt_aa(pkt);
	r->tc = ldns_pkt_tc(pkt);
	r->ad = ldns_pkt_ad(pkt);
	r->ra = ldns_pkt_ra(pkt);
	r->cd = ldns_pkt_cd(pkt);
	r->size = (uint32_t)wire_size;
	r->min_ttl = probe_reply_min_ttl(an);
	if (r->rcode == RCODE_NXDOMAIN || (r->rcode == RCODE_NOERROR && n_an == 0))
		r->neg_ttl = negative_ttl(pkt);
	for (size_t i = 0; i < n_an && r->n_answer < PROBE_REPLY_MAX_RRS; i++)
		*XAPPEND(r->answer, r->n_answer) =
			rr_text(ldns_rr_list_rr(an, i), scratch);
	if (opts != NULL)
		probe_reply_edns_options(r, ldns_rdf_data(opts), ldns_rdf_size(opts));
	ldns_buffer_free(own);
}
