/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe_dnssec.c - the DNSSEC arithmetic of the chain and nameserver probes:
 * key tags, DS digests recomputed from served keys, RRSIG checks (crypto,
 * then time with serial arithmetic) and denial-of-existence proofs.
 *
 * Pure functions over ldns records: no network, no clock (`now` is always a
 * parameter), no logging of untrusted data. Crypto work is bounded by the
 * caller's caps, because a hostile answer (many keys sharing one tag, many
 * signatures: KeyTrap, CVE-2023-50387) must not stall a refresh, and NSEC3
 * hashing above the iteration cap is never done at all (RFC 9276).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "probe_dnssec.h"
#include "xmalloc.h"

char *probe_dnssec_rr_text(const ldns_rr *rr)
{
	/*
	 * No ";{id = ...}" comments and no tabs: the text is pasted into a
	 * registrar's form or a zone file, one line with single spaces as
	 * dnssec-dsfromkey prints it (ldns separates fields with tabs).
	 */
	char *s = ldns_rr2str_fmt(ldns_output_format_nocomments, rr);
	char *out;
	size_t len;

	if (s == NULL)
		return xstrdup("");
	len = strcspn(s, "\n");
	if (len >= EVIDENCE_MAX_TEXT)
		len = EVIDENCE_MAX_TEXT - 1;
	out = xstrndup(s, len);
	free(s);
	for (char *p = out; *p != '\0'; p++)
		if (*p == '\t')
			*p = ' ';
	return out;
}

uint16_t probe_dnssec_keytag(const ldns_rr *dnskey)
{
	if (dnskey == NULL || ldns_rr_get_type(dnskey) != LDNS_RR_TYPE_DNSKEY ||
	    ldns_rr_rd_count(dnskey) < 4)
		return 0;
	return ldns_calc_keytag(dnskey);
}

static uint8_t rdf_u8(const ldns_rdf *f)
{
	return f != NULL && ldns_rdf_size(f) >= 1 ? ldns_rdf2native_int8(f) : 0;
}

static uint16_t rdf_u16(const ldns_rdf *f)
{
	return f != NULL && ldns_rdf_size(f) >= 2 ? ldns_rdf2native_int16(f) : 0;
}

static uint32_t rdf_u32(const ldns_rdf *f)
{
	return f != NULL && ldns_rdf_size(f) >= 4 ? ldns_rdf2native_int32(f) : 0;
}

uint16_t probe_dnssec_key_flags(const ldns_rr *dnskey)
{
	return rdf_u16(ldns_rr_rdf(dnskey, 0));
}

/* Key size in bits: the RSA modulus (RFC 3110), or the curve's size. */
static unsigned key_bits(const ldns_rr *dnskey, uint8_t alg)
{
	const ldns_rdf *f = ldns_rr_rdf(dnskey, 3);
	const uint8_t *p;
	size_t len, off;

	switch (alg) {
	case LDNS_ECDSAP256SHA256:
	case LDNS_ED25519:
		return 256;
	case LDNS_ECDSAP384SHA384:
		return 384;
	case LDNS_ED448:
		return 456;
	case LDNS_RSASHA1:
	case LDNS_RSASHA1_NSEC3:
	case LDNS_RSASHA256:
	case LDNS_RSASHA512:
		break;
	default:
		return 0;
	}
	if (f == NULL || ldns_rdf_size(f) < 3)
		return 0;
	p = ldns_rdf_data(f);
	len = ldns_rdf_size(f);
	if (p[0] != 0) {
		off = 1 + (size_t)p[0];
	} else {
		off = 3 + ((size_t)p[1] << 8 | p[2]);
	}
	if (off >= len)
		return 0;
	while (off < len && p[off] == 0)	/* leading zero octets */
		off++;
	if (off >= len)
		return 0;
	len -= off;
	/* Count the bits of the first octet exactly. */
	{
		unsigned top = p[off], b = 0;

		while (top) {
			b++;
			top >>= 1;
		}
		return (unsigned)(len - 1) * 8 + b;
	}
}

static ldns_rr *key_rr2ds(const ldns_rr *dnskey, uint8_t digest_type)
{
	switch (digest_type) {
	case LDNS_SHA1:
	case LDNS_SHA256:
	case LDNS_SHA384:
		return ldns_key_rr2ds(dnskey, (ldns_hash)digest_type);
	default:
		return NULL;	/* GOST and unassigned: we cannot compute */
	}
}

char *probe_dnssec_ds_text(const ldns_rr *dnskey, uint8_t digest_type)
{
	ldns_rr *ds = key_rr2ds(dnskey, digest_type);
	char *s;

	if (ds == NULL)
		return NULL;
	s = probe_dnssec_rr_text(ds);
	ldns_rr_free(ds);
	return s;
}

void probe_dnssec_key_info(const ldns_rr *dnskey, struct key_info *out)
{
	*out = (struct key_info){ 0 };
	out->tag = probe_dnssec_keytag(dnskey);
	out->flags = probe_dnssec_key_flags(dnskey);
	out->protocol = rdf_u8(ldns_rr_rdf(dnskey, 1));
	out->algorithm = rdf_u8(ldns_rr_rdf(dnskey, 2));
	out->bits = key_bits(dnskey, out->algorithm);
	out->rr_text = probe_dnssec_rr_text(dnskey);
	out->ds_sha256 = probe_dnssec_ds_text(dnskey, LDNS_SHA256);
	out->ds_sha384 = probe_dnssec_ds_text(dnskey, LDNS_SHA384);
}

void probe_dnssec_key_info_clear(struct key_info *k)
{
	free(k->rr_text);
	free(k->ds_sha256);
	free(k->ds_sha384);
	*k = (struct key_info){ 0 };
}

static char *hex_lower(const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = xmalloc(2 * n + 1);

	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	s[2 * n] = '\0';
	return s;
}

/* Does @p ds carry the digest of @p key? Owner names must agree too. */
static bool ds_digest_matches(const ldns_rr *ds, const ldns_rr *key,
			      uint8_t digest_type)
{
	ldns_rr *computed = key_rr2ds(key, digest_type);
	const ldns_rdf *a, *b;
	bool same;

	if (computed == NULL)
		return false;
	a = ldns_rr_rdf(ds, 3);
	b = ldns_rr_rdf(computed, 3);
	same = a != NULL && b != NULL && ldns_rdf_size(a) == ldns_rdf_size(b) &&
	       memcmp(ldns_rdf_data(a), ldns_rdf_data(b), ldns_rdf_size(a)) == 0 &&
	       ldns_dname_compare(ldns_rr_owner(ds), ldns_rr_owner(key)) == 0;
	ldns_rr_free(computed);
	return same;
}

/* The key as it was before its REVOKE bit was set (RFC 5011), or NULL. */
static ldns_rr *unrevoked(const ldns_rr *key)
{
	uint16_t flags = probe_dnssec_key_flags(key);
	ldns_rr *copy;

	if (!(flags & DNSKEY_FLAG_REVOKE))
		return NULL;
	copy = ldns_rr_clone(key);
	if (copy == NULL)
		return NULL;
	ldns_rdf_deep_free(ldns_rr_set_rdf(copy,
		ldns_native2rdf_int16(LDNS_RDF_TYPE_INT16,
				      flags & ~DNSKEY_FLAG_REVOKE), 0));
	return copy;
}

void probe_dnssec_ds_info(const ldns_rr *ds, const ldns_rr_list *keys,
			  struct ds_info *out)
{
	const ldns_rdf *digest = ldns_rr_rdf(ds, 3);
	bool supported;

	*out = (struct ds_info){ .match = DS_MATCH_NO_KEY, .key_index = -1 };
	out->tag = rdf_u16(ldns_rr_rdf(ds, 0));
	out->algorithm = rdf_u8(ldns_rr_rdf(ds, 1));
	out->digest_type = rdf_u8(ldns_rr_rdf(ds, 2));
	out->digest_hex = digest != NULL ?
		hex_lower(ldns_rdf_data(digest), ldns_rdf_size(digest)) :
		xstrdup("");
	out->rr_text = probe_dnssec_rr_text(ds);
	supported = out->digest_type == LDNS_SHA1 ||
		    out->digest_type == LDNS_SHA256 ||
		    out->digest_type == LDNS_SHA384;

	for (size_t i = 0; keys != NULL && i < ldns_rr_list_rr_count(keys); i++) {
		const ldns_rr *key = ldns_rr_list_rr(keys, i);
		uint8_t alg = rdf_u8(ldns_rr_rdf(key, 2));
		ldns_rr *old = unrevoked(key);
		bool tag_now = probe_dnssec_keytag(key) == out->tag;
		bool tag_old = old != NULL && probe_dnssec_keytag(old) == out->tag;

		if (alg != out->algorithm || (!tag_now && !tag_old)) {
			ldns_rr_free(old);
			continue;
		}
		if (!supported) {
			out->match = DS_MATCH_UNSUPPORTED_DIGEST;
			out->key_index = (int)i;
			ldns_rr_free(old);
			continue;
		}
		if (tag_now && ds_digest_matches(ds, key, out->digest_type)) {
			out->match = old != NULL ? DS_MATCH_REVOKED_KEY :
						   DS_MATCH_OK;
			out->key_index = (int)i;
			ldns_rr_free(old);
			if (out->match == DS_MATCH_OK)
				return;
			continue;
		}
		if (tag_old && ds_digest_matches(ds, old, out->digest_type)) {
			out->match = DS_MATCH_REVOKED_KEY;
			out->key_index = (int)i;
		} else if (out->match == DS_MATCH_NO_KEY) {
			out->match = DS_MATCH_DIGEST_MISMATCH;
			out->key_index = (int)i;
		}
		ldns_rr_free(old);
	}
}

void probe_dnssec_ds_info_clear(struct ds_info *d)
{
	free(d->digest_hex);
	free(d->rr_text);
	*d = (struct ds_info){ .key_index = -1 };
}

int64_t probe_dnssec_serial_time(uint32_t t, int64_t now)
{
	/* The difference modulo 2^32, read as signed: at most 68 years away. */
	int32_t delta = (int32_t)(t - (uint32_t)now);

	return now + delta;
}

static bool is_supported_alg(uint8_t alg)
{
	switch (alg) {
	case LDNS_RSASHA1:
	case LDNS_RSASHA1_NSEC3:
	case LDNS_RSASHA256:
	case LDNS_RSASHA512:
	case LDNS_ECDSAP256SHA256:
	case LDNS_ECDSAP384SHA384:
	case LDNS_ED25519:
	case LDNS_ED448:
		return true;
	default:
		return false;
	}
}

/* One signature: candidates by signer/tag/algorithm, crypto, then time. */
static enum sig_check check_one(const ldns_rr_list *rrset, const ldns_rr *sig,
				const ldns_rr_list *keys, int64_t now,
				unsigned max_checks, unsigned *checks,
				struct rrsig_info *info, bool *key_ok)
{
	enum sig_check result = SIG_NO_KEY;
	const ldns_rdf *signer = ldns_rr_rdf(sig, 7);
	int good = -1;

	for (size_t i = 0; keys != NULL && i < ldns_rr_list_rr_count(keys); i++) {
		const ldns_rr *key = ldns_rr_list_rr(keys, i);
		ldns_rr_list *one;
		ldns_status st;

		if (probe_dnssec_keytag(key) != info->key_tag ||
		    rdf_u8(ldns_rr_rdf(key, 2)) != info->algorithm ||
		    !(probe_dnssec_key_flags(key) & DNSKEY_FLAG_ZONE) ||
		    signer == NULL ||
		    ldns_dname_compare(ldns_rr_owner(key), signer) != 0)
			continue;
		if (!is_supported_alg(info->algorithm))
			return SIG_UNSUPPORTED;
		if (*checks >= max_checks) {
			if (result == SIG_NO_KEY)
				result = SIG_NOT_CHECKED;
			break;
		}
		(*checks)++;
		one = ldns_rr_list_new();
		ldns_rr_list_push_rr(one, (ldns_rr *)key);	/* borrowed */
		st = ldns_verify_rrsig_keylist_notime(rrset, sig, one, NULL);
		ldns_rr_list_free(one);	/* the list only, not the key */
		if (st == LDNS_STATUS_OK) {
			good = (int)i;
			break;
		}
		result = st == LDNS_STATUS_CRYPTO_UNKNOWN_ALGO ||
			 st == LDNS_STATUS_CRYPTO_ALGO_NOT_IMPL ?
			 SIG_UNSUPPORTED : SIG_BAD;
	}
	if (good < 0)
		return result;
	if (now < info->inception)
		return SIG_NOT_YET_VALID;
	if (now > info->expiration)
		return SIG_EXPIRED;
	if (key_ok != NULL)
		key_ok[good] = true;
	return SIG_VALID;
}

/* check_sigs with the verification count in @p checks, shared by callers
 * that spend one budget over several RRsets. */
static size_t check_sigs(const ldns_rr_list *rrset, const ldns_rr_list *sigs,
			 const ldns_rr_list *keys, int64_t now,
			 unsigned max_checks, unsigned *checks,
			 struct rrsig_info **out, bool *key_ok)
{
	struct rrsig_info *arr = NULL;
	size_t n = 0;
	uint16_t type;

	*out = NULL;
	if (rrset == NULL || ldns_rr_list_rr_count(rrset) == 0 || sigs == NULL)
		return 0;
	type = ldns_rr_get_type(ldns_rr_list_rr(rrset, 0));
	for (size_t i = 0; i < ldns_rr_list_rr_count(sigs); i++) {
		const ldns_rr *sig = ldns_rr_list_rr(sigs, i);
		struct rrsig_info *info;
		char *signer;

		if (ldns_rr_get_type(sig) != LDNS_RR_TYPE_RRSIG ||
		    ldns_rr_rd_count(sig) < 9 ||
		    rdf_u16(ldns_rr_rdf(sig, 0)) != type)
			continue;
		info = XAPPEND(arr, n);
		*info = (struct rrsig_info){ 0 };
		info->covered = type;
		info->algorithm = rdf_u8(ldns_rr_rdf(sig, 1));
		info->labels = rdf_u8(ldns_rr_rdf(sig, 2));
		info->original_ttl = rdf_u32(ldns_rr_rdf(sig, 3));
		info->expiration = probe_dnssec_serial_time(
			rdf_u32(ldns_rr_rdf(sig, 4)), now);
		info->inception = probe_dnssec_serial_time(
			rdf_u32(ldns_rr_rdf(sig, 5)), now);
		info->key_tag = rdf_u16(ldns_rr_rdf(sig, 6));
		signer = ldns_rdf2str(ldns_rr_rdf(sig, 7));
		info->signer = xstrndup(signer != NULL ? signer : "",
					EVIDENCE_MAX_TEXT - 1);
		free(signer);
		info->check = check_one(rrset, sig, keys, now, max_checks,
					checks, info, key_ok);
	}
	*out = arr;
	return n;
}

size_t probe_dnssec_check_sigs(const ldns_rr_list *rrset,
			       const ldns_rr_list *sigs,
			       const ldns_rr_list *keys, int64_t now,
			       unsigned max_checks, struct rrsig_info **out,
			       bool *key_ok)
{
	unsigned checks = 0;

	return check_sigs(rrset, sigs, keys, now, max_checks, &checks, out,
			  key_ok);
}

void probe_dnssec_sigs_free(struct rrsig_info *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i].signer);
	free(s);
}

enum sig_check probe_dnssec_best_sig(const struct rrsig_info *s, size_t n)
{
	/* Preference: what would make a validator accept, then the most
	 * telling failure. */
	static const enum sig_check order[] = {
		SIG_VALID, SIG_NOT_CHECKED, SIG_EXPIRED, SIG_NOT_YET_VALID,
		SIG_BAD, SIG_UNSUPPORTED, SIG_NO_KEY,
	};

	for (size_t o = 0; o < sizeof(order) / sizeof(order[0]); o++)
		for (size_t i = 0; i < n; i++)
			if (s[i].check == order[o])
				return order[o];
	return SIG_NO_KEY;
}

static ldns_rr_list *section(const ldns_pkt *pkt, ldns_pkt_section sec)
{
	switch (sec) {
	case LDNS_SECTION_ANSWER:
		return ldns_pkt_answer(pkt);
	case LDNS_SECTION_AUTHORITY:
		return ldns_pkt_authority(pkt);
	case LDNS_SECTION_ADDITIONAL:
		return ldns_pkt_additional(pkt);
	default:
		return NULL;
	}
}

ldns_rr_list *probe_dnssec_select(const ldns_pkt *pkt, ldns_pkt_section sec,
				  const ldns_rdf *owner, uint16_t type,
				  uint16_t covered)
{
	ldns_rr_list *out = ldns_rr_list_new();
	const ldns_rr_list *list = pkt != NULL ? section(pkt, sec) : NULL;

	for (size_t i = 0; list != NULL && i < ldns_rr_list_rr_count(list); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(list, i);

		if (ldns_rr_get_type(rr) != type ||
		    (owner != NULL &&
		     ldns_dname_compare(ldns_rr_owner(rr), owner) != 0))
			continue;
		if (type == LDNS_RR_TYPE_RRSIG &&
		    rdf_u16(ldns_rr_rdf(rr, 0)) != covered)
			continue;
		ldns_rr_list_push_rr(out, ldns_rr_clone(rr));
	}
	return out;
}

/*
 * Every NSEC/NSEC3 RRset of the authority section carries a valid RRSIG?
 * One budget of @p max_checks for the whole proof, however many records a
 * hostile answer stuffs into it.
 */
static enum security denial_sigs(const ldns_pkt *pkt,
				 const ldns_rr_list *nsecs, uint16_t type,
				 const ldns_rr_list *keys, int64_t now,
				 unsigned max_checks)
{
	unsigned checks = 0;

	for (size_t i = 0; i < ldns_rr_list_rr_count(nsecs); i++) {
		const ldns_rdf *owner = ldns_rr_owner(ldns_rr_list_rr(nsecs, i));
		ldns_rr_list *set = probe_dnssec_select(pkt,
			LDNS_SECTION_AUTHORITY, owner, type, 0);
		ldns_rr_list *sigs = probe_dnssec_select(pkt,
			LDNS_SECTION_AUTHORITY, owner, LDNS_RR_TYPE_RRSIG, type);
		struct rrsig_info *info;
		size_t n = check_sigs(set, sigs, keys, now, max_checks,
				      &checks, &info, NULL);
		enum sig_check best = probe_dnssec_best_sig(info, n);

		probe_dnssec_sigs_free(info, n);
		ldns_rr_list_deep_free(set);
		ldns_rr_list_deep_free(sigs);
		if (best == SIG_NOT_CHECKED || best == SIG_UNSUPPORTED)
			return SEC_UNKNOWN;
		if (best != SIG_VALID)
			return SEC_BOGUS;
	}
	return SEC_SECURE;
}

/* Is the answer section positive for the question (data or a CNAME)? */
static bool answers_question(const ldns_pkt *pkt, const ldns_rdf *qname,
			     uint16_t qtype)
{
	const ldns_rr_list *an = ldns_pkt_answer(pkt);

	for (size_t i = 0; an != NULL && i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);
		uint16_t t = ldns_rr_get_type(rr);

		if ((t == qtype || t == LDNS_RR_TYPE_CNAME) &&
		    ldns_dname_compare(ldns_rr_owner(rr), qname) == 0)
			return true;
	}
	return false;
}

enum security probe_dnssec_check_denial(const ldns_pkt *pkt,
					const ldns_rdf *qname, uint16_t qtype,
					const ldns_rr_list *keys, int64_t now,
					unsigned max_checks, unsigned max_iter)
{
	ldns_pkt_rcode rcode;
	ldns_rr_list *nsec, *nsec3, *sigs = NULL;
	ldns_rr *question = NULL;
	enum security sec;
	ldns_status st;

	if (pkt == NULL || qname == NULL)
		return SEC_UNKNOWN;
	rcode = ldns_pkt_get_rcode(pkt);
	if (rcode != LDNS_RCODE_NXDOMAIN &&
	    (rcode != LDNS_RCODE_NOERROR || answers_question(pkt, qname, qtype)))
		return SEC_UNKNOWN;

	nsec = probe_dnssec_select(pkt, LDNS_SECTION_AUTHORITY, NULL,
				   LDNS_RR_TYPE_NSEC, 0);
	nsec3 = probe_dnssec_select(pkt, LDNS_SECTION_AUTHORITY, NULL,
				    LDNS_RR_TYPE_NSEC3, 0);
	if (ldns_rr_list_rr_count(nsec) == 0 &&
	    ldns_rr_list_rr_count(nsec3) == 0) {
		sec = keys == NULL || ldns_rr_list_rr_count(keys) == 0 ?
		      SEC_INSECURE : SEC_BOGUS;
		goto done;
	}
	if (keys == NULL || ldns_rr_list_rr_count(keys) == 0) {
		sec = SEC_UNKNOWN;	/* a proof, but no keys to check it */
		goto done;
	}
	for (size_t i = 0; i < ldns_rr_list_rr_count(nsec3); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(nsec3, i);

		/* Above the cap a validator treats the answer as insecure
		 * and so do we, without hashing anything. */
		if (ldns_rr_rd_count(rr) < 4 ||
		    ldns_nsec3_iterations(rr) > max_iter ||
		    ldns_nsec3_algorithm(rr) != 1) {
			sec = SEC_INSECURE;
			goto done;
		}
	}

	sec = denial_sigs(pkt, ldns_rr_list_rr_count(nsec3) > 0 ? nsec3 : nsec,
			  ldns_rr_list_rr_count(nsec3) > 0 ?
			  LDNS_RR_TYPE_NSEC3 : LDNS_RR_TYPE_NSEC,
			  keys, now, max_checks);
	if (sec != SEC_SECURE)
		goto done;

	sigs = probe_dnssec_select(pkt, LDNS_SECTION_AUTHORITY, NULL,
				   LDNS_RR_TYPE_RRSIG, ldns_rr_list_rr_count(nsec3) > 0 ?
				   LDNS_RR_TYPE_NSEC3 : LDNS_RR_TYPE_NSEC);
	question = ldns_rr_new();
	ldns_rr_set_owner(question, ldns_rdf_clone(qname));
	ldns_rr_set_type(question, qtype);
	if (ldns_rr_list_rr_count(nsec3) > 0)
		st = ldns_dnssec_verify_denial_nsec3(question, nsec3, sigs,
			rcode, qtype, rcode == LDNS_RCODE_NOERROR);
	else
		st = ldns_dnssec_verify_denial(question, nsec, sigs);
	sec = st == LDNS_STATUS_OK ? SEC_SECURE : SEC_BOGUS;
done:
	ldns_rr_free(question);
	ldns_rr_list_deep_free(sigs);
	ldns_rr_list_deep_free(nsec);
	ldns_rr_list_deep_free(nsec3);
	return sec;
}

/* The salt of an NSEC3 or NSEC3PARAM record as lower-case hex. */
static char *nsec3_salt_hex(const ldns_rr *rr)
{
	uint8_t len = ldns_nsec3_salt_length(rr);
	uint8_t *salt = ldns_nsec3_salt_data(rr);
	char *hex = xcalloc((size_t)len * 2 + 1, 1);

	for (uint8_t j = 0; salt != NULL && j < len; j++)
		snprintf(hex + 2 * j, 3, "%02x", salt[j]);
	/* ldns_nsec3_salt_data() allocates its copy. */
	LDNS_FREE(salt);
	return hex;
}

bool probe_dnssec_nsec3_params(const ldns_pkt *pkt, uint16_t *iterations,
			       char **salt_hex, bool *opt_out)
{
	ldns_rr_list *nsec3 = probe_dnssec_select(pkt, LDNS_SECTION_AUTHORITY,
						  NULL, LDNS_RR_TYPE_NSEC3, 0);
	bool found = false;

	*iterations = 0;
	*salt_hex = NULL;
	*opt_out = false;
	for (size_t i = 0; i < ldns_rr_list_rr_count(nsec3); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(nsec3, i);

		if (ldns_rr_rd_count(rr) < 4)
			continue;
		*opt_out |= ldns_nsec3_optout(rr);
		if (found)
			continue;
		found = true;
		*iterations = ldns_nsec3_iterations(rr);
		*salt_hex = nsec3_salt_hex(rr);
	}
	ldns_rr_list_deep_free(nsec3);
	return found;
}

bool probe_dnssec_nsec3param(const ldns_pkt *pkt, const ldns_rdf *zone,
			     uint8_t *alg, uint8_t *flags,
			     uint16_t *iterations, char **salt_hex)
{
	ldns_rr_list *set = probe_dnssec_select(pkt, LDNS_SECTION_ANSWER, zone,
						LDNS_RR_TYPE_NSEC3PARAM, 0);
	const ldns_rr *rr = NULL;

	*salt_hex = NULL;
	for (size_t i = 0; rr == NULL && i < ldns_rr_list_rr_count(set); i++)
		if (ldns_rr_rd_count(ldns_rr_list_rr(set, i)) >= 4)
			rr = ldns_rr_list_rr(set, i);
	if (rr != NULL) {
		*alg = ldns_nsec3_algorithm(rr);
		*flags = ldns_nsec3_flags(rr);
		*iterations = ldns_nsec3_iterations(rr);
		*salt_hex = nsec3_salt_hex(rr);
	}
	ldns_rr_list_deep_free(set);
	return rr != NULL;
}

char *probe_dnssec_alias_target(const ldns_pkt *pkt, const ldns_rdf *qname)
{
	ldns_rr_list *an = pkt != NULL ? ldns_pkt_answer(pkt) : NULL;

	for (size_t i = 0; qname != NULL && i < ldns_rr_list_rr_count(an); i++) {
		const ldns_rr *rr = ldns_rr_list_rr(an, i);

		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_CNAME ||
		    ldns_rr_rd_count(rr) < 1 ||
		    ldns_dname_compare(ldns_rr_owner(rr), qname) != 0)
			continue;
		char *s = ldns_rdf2str(ldns_rr_rdf(rr, 0));

		if (s == NULL)
			return NULL;
		for (char *p = s; *p != '\0'; p++)
			if (*p >= 'A' && *p <= 'Z')
				*p = (char)(*p - 'A' + 'a');
		char *out = xstrndup(s, EVIDENCE_MAX_TEXT);

		free(s);
		return out;
	}
	return NULL;
}

void probe_dnssec_cds_info(const ldns_rr *rr, const ldns_rr_list *keys,
			   struct ds_info *out)
{
	ldns_rr *copy = ldns_rr_clone(rr);

	if (ldns_rr_get_type(rr) == LDNS_RR_TYPE_CDS) {
		ldns_rr_set_type(copy, LDNS_RR_TYPE_DS);
		probe_dnssec_ds_info(copy, keys, out);
		free(out->rr_text);
		out->rr_text = probe_dnssec_rr_text(rr);
		ldns_rr_free(copy);
		return;
	}
	/* CDNSKEY: the same data as a served DNSKEY? */
	ldns_rr_set_type(copy, LDNS_RR_TYPE_DNSKEY);
	*out = (struct ds_info){ .match = DS_MATCH_NO_KEY, .key_index = -1 };
	out->tag = probe_dnssec_keytag(copy);
	out->algorithm = rdf_u8(ldns_rr_rdf(copy, 2));
	out->digest_hex = xstrdup("");
	out->rr_text = probe_dnssec_rr_text(rr);
	for (size_t i = 0; keys != NULL && i < ldns_rr_list_rr_count(keys); i++) {
		const ldns_rr *k = ldns_rr_list_rr(keys, i);
		bool same = ldns_rr_rd_count(k) == ldns_rr_rd_count(copy);

		for (size_t f = 0; same && f < ldns_rr_rd_count(k); f++)
			same = ldns_rdf_compare(ldns_rr_rdf(k, f),
						ldns_rr_rdf(copy, f)) == 0;
		if (same) {
			out->match = DS_MATCH_OK;
			out->key_index = (int)i;
			break;
		}
	}
	ldns_rr_free(copy);
}
