/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_dnssec.c - the DNSSEC arithmetic on hostile RR sets.
 *
 * The input is a DNS message. Its DNSKEY, DS and RRSIG records at the owner
 * of the question (as a DNSKEY or DS query would return them) go through
 * key tags, DS texts and matching, RRSIG checks (capped), and the denial
 * proof of the message, the way probe_chain.c and probe_ns.c use them. Every
 * text that comes back is checked through escape.h; the counts must agree
 * with what went in.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "probe_dnssec.h"

#define FUZZ_NOW ((int64_t)1800000000)
#define FUZZ_MAX_CHECKS 8
#define FUZZ_MAX_ITER 150

static void check_text(char *s)
{
	if (s != NULL) {
		fuzz_check_escapes(s);
		free(s);
	}
}

static void check_keys_and_ds(const ldns_rr_list *keys, const ldns_rr_list *ds)
{
	for (size_t i = 0; i < ldns_rr_list_rr_count(keys); i++) {
		const ldns_rr *k = ldns_rr_list_rr(keys, i);
		struct key_info ki;

		probe_dnssec_key_info(k, &ki);
		FUZZ_CHECK(ki.tag == probe_dnssec_keytag(k), "key tag agrees");
		if (ki.rr_text != NULL)
			fuzz_check_escapes(ki.rr_text);
		probe_dnssec_key_info_clear(&ki);
		check_text(probe_dnssec_ds_text(k, 1));
		check_text(probe_dnssec_ds_text(k, 2));
		check_text(probe_dnssec_ds_text(k, 4));
		check_text(probe_dnssec_ds_text(k, 3));
	}
	for (size_t i = 0; i < ldns_rr_list_rr_count(ds); i++) {
		struct ds_info di;

		probe_dnssec_ds_info(ldns_rr_list_rr(ds, i), keys, &di);
		FUZZ_CHECK(di.key_index >= -1 &&
			   di.key_index < (int)ldns_rr_list_rr_count(keys),
			   "DS key index in range");
		if (di.digest_hex != NULL)
			fuzz_check_escapes(di.digest_hex);
		if (di.rr_text != NULL)
			fuzz_check_escapes(di.rr_text);
		probe_dnssec_ds_info_clear(&di);
	}
}

static void check_sigs(const ldns_rr_list *rrset, const ldns_rr_list *sigs,
		       const ldns_rr_list *keys)
{
	size_t n_keys = ldns_rr_list_rr_count(keys);
	bool *key_ok = calloc(n_keys + 1, sizeof(*key_ok));
	struct rrsig_info *out = NULL;
	size_t n;

	if (key_ok == NULL)
		abort();
	n = probe_dnssec_check_sigs(rrset, sigs, keys, FUZZ_NOW,
				    FUZZ_MAX_CHECKS, &out, key_ok);
	FUZZ_CHECK(n <= ldns_rr_list_rr_count(sigs), "no more checks than sigs");
	FUZZ_CHECK((n == 0) == (out == NULL), "out NULL when none");
	for (size_t i = 0; i < n; i++)
		if (out[i].signer != NULL)
			fuzz_check_escapes(out[i].signer);
	(void)probe_dnssec_best_sig(out, n);
	probe_dnssec_sigs_free(out, n);
	free(key_ok);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	ldns_pkt *pkt = NULL;
	const ldns_rdf *owner;
	uint16_t qtype = LDNS_RR_TYPE_DNSKEY;

	if (ldns_wire2pkt(&pkt, data, size) != LDNS_STATUS_OK) {
		ldns_pkt_free(pkt);
		return 0;
	}
	if (ldns_pkt_qdcount(pkt) > 0 && ldns_pkt_question(pkt) != NULL &&
	    ldns_rr_list_rr_count(ldns_pkt_question(pkt)) > 0) {
		const ldns_rr *q = ldns_rr_list_rr(ldns_pkt_question(pkt), 0);

		owner = ldns_rr_owner(q);
		qtype = (uint16_t)ldns_rr_get_type(q);
	} else if (ldns_rr_list_rr_count(ldns_pkt_answer(pkt)) > 0) {
		owner = ldns_rr_owner(ldns_rr_list_rr(ldns_pkt_answer(pkt), 0));
	} else {
		ldns_pkt_free(pkt);
		return 0;
	}
	for (ldns_pkt_section s = LDNS_SECTION_ANSWER;
	     s <= LDNS_SECTION_ADDITIONAL; s++) {
		ldns_rr_list *l = ldns_pkt_get_section_clone(pkt, s);

		for (size_t i = 0; i < ldns_rr_list_rr_count(l); i++)
			check_text(probe_dnssec_rr_text(ldns_rr_list_rr(l, i)));
		ldns_rr_list_deep_free(l);
	}

	ldns_rr_list *keys = probe_dnssec_select(pkt, LDNS_SECTION_ANSWER, owner,
						 LDNS_RR_TYPE_DNSKEY, 0);
	ldns_rr_list *ds = probe_dnssec_select(pkt, LDNS_SECTION_ANSWER, owner,
					       LDNS_RR_TYPE_DS, 0);
	ldns_rr_list *key_sigs = probe_dnssec_select(pkt, LDNS_SECTION_ANSWER,
						     owner, LDNS_RR_TYPE_RRSIG,
						     LDNS_RR_TYPE_DNSKEY);
	ldns_rr_list *ds_sigs = probe_dnssec_select(pkt, LDNS_SECTION_ANSWER,
						    owner, LDNS_RR_TYPE_RRSIG,
						    LDNS_RR_TYPE_DS);

	check_keys_and_ds(keys, ds);
	check_sigs(keys, key_sigs, keys);
	check_sigs(ds, ds_sigs, keys);
	(void)probe_dnssec_check_denial(pkt, owner, qtype, keys, FUZZ_NOW,
					FUZZ_MAX_CHECKS, FUZZ_MAX_ITER);
	ldns_rr_list_deep_free(keys);
	ldns_rr_list_deep_free(ds);
	ldns_rr_list_deep_free(key_sigs);
	ldns_rr_list_deep_free(ds_sigs);
	ldns_pkt_free(pkt);
	return 0;
}
