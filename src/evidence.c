/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * evidence.c - freeing evidence, the name tables every view shares, and
 * the DS text as the parent publishes it.
 *
 * The names here are the registries' own (IANA DNS parameters, RFC 8914), so
 * that reports, JSON and the console all say the same thing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "evidence.h"
#include "xmalloc.h"

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void dns_reply_clear(struct dns_reply *r)
{
	if (r == NULL)
		return;
	free(r->nsid);
	for (size_t i = 0; i < r->n_ede; i++)
		free(r->ede[i].text);
	free(r->ede);
	free_strv(r->answer, r->n_answer);
	free(r->error);
	*r = (struct dns_reply){ .rcode = -1 };
}

static void free_sigs(struct rrsig_info *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i].signer);
	free(s);
}

static void free_ds(struct ds_info *d, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(d[i].digest_hex);
		free(d[i].rr_text);
	}
	free(d);
}

static void free_server(struct server_ref *s)
{
	free(s->ns_name);
	free(s->address);
}

static void free_link(struct chain_link *l)
{
	free(l->zone);
	free(l->parent);
	for (size_t i = 0; i < l->n_ds_views; i++) {
		struct ds_view *v = &l->ds_views[i];

		free_server(&v->server);
		dns_reply_clear(&v->reply);
		free_ds(v->ds, v->n_ds);
		free_sigs(v->sigs, v->n_sigs);
	}
	free(l->ds_views);
	for (size_t i = 0; i < l->n_dnskey_views; i++) {
		struct dnskey_view *v = &l->dnskey_views[i];

		free_server(&v->server);
		dns_reply_clear(&v->reply);
		free(v->tags);
		free_sigs(v->sigs, v->n_sigs);
	}
	free(l->dnskey_views);
	free_ds(l->ds, l->n_ds);
	for (size_t i = 0; i < l->n_keys; i++) {
		free(l->keys[i].rr_text);
		free(l->keys[i].ds_sha256);
		free(l->keys[i].ds_sha384);
	}
	free(l->keys);
	free_sigs(l->dnskey_sigs, l->n_dnskey_sigs);
}

static void free_ns(struct ns_ev *ns)
{
	free(ns->name);
	free(ns->address);
	dns_reply_clear(&ns->soa_udp);
	dns_reply_clear(&ns->soa_tcp);
	dns_reply_clear(&ns->dnskey_udp);
	dns_reply_clear(&ns->dnskey_tcp);
	free(ns->dnskey_tags);
	for (size_t i = 0; i < ns->n_checks; i++) {
		free(ns->checks[i].qname);
		free_sigs(ns->checks[i].sigs, ns->checks[i].n_sigs);
		free(ns->checks[i].nsec3_salt);
		free(ns->checks[i].cname);
	}
	free(ns->checks);
	free_ds(ns->cds, ns->n_cds);
	free_ds(ns->cdnskey, ns->n_cdnskey);
	free(ns->nsec3param_salt);
}

void evidence_absence_free(struct absence_ev *a)
{
	if (a == NULL)
		return;
	free(a->name);
	free(a->parent);
	free(a->server);
	free_strv(a->nearby, a->n_nearby);
	free(a);
}

void resolver_ev_clear(struct resolver_ev *r)
{
	free(r->name);
	free(r->address);
	for (size_t j = 0; j < r->n_answers; j++) {
		free(r->answers[j].qname);
		dns_reply_clear(&r->answers[j].reply);
		dns_reply_clear(&r->answers[j].cd_reply);
	}
	free(r->answers);
	*r = (struct resolver_ev){ 0 };
}

void evidence_free(struct evidence *ev)
{
	if (ev == NULL)
		return;
	free(ev->zone);
	free(ev->anchor_source);
	for (size_t i = 0; i < ev->n_aliases; i++) {
		free(ev->aliases[i].owner);
		free(ev->aliases[i].target);
		evidence_free(ev->aliases[i].target_ev);
	}
	free(ev->aliases);
	for (size_t i = 0; i < ev->n_resolvers; i++)
		resolver_ev_clear(&ev->resolvers[i]);
	free(ev->resolvers);
	for (size_t i = 0; i < ev->n_local; i++) {
		free(ev->local[i].qname);
		free(ev->local[i].why_bogus);
	}
	free(ev->local);
	for (size_t i = 0; i < ev->n_chain; i++)
		free_link(&ev->chain[i]);
	free(ev->chain);
	free_strv(ev->parent_ns, ev->n_parent_ns);
	free_strv(ev->child_ns, ev->n_child_ns);
	for (size_t i = 0; i < ev->n_nameservers; i++)
		free_ns(&ev->nameservers[i]);
	free(ev->nameservers);
	for (size_t i = 0; i < ev->n_vantage; i++) {
		free(ev->vantage[i].address);
		dns_reply_clear(&ev->vantage[i].reply);
	}
	free(ev->vantage);
	evidence_absence_free(ev->absent);
	free_strv(ev->notes, ev->n_notes);
	free(ev);
}

/* Length of the token at @p s, and where the next one starts. */
static size_t token(const char *s, const char **next)
{
	size_t n = strcspn(s, " \t");

	*next = s + n + strspn(s + n, " \t");
	return n;
}

char *evidence_ds_as_parent(const char *ds_rr, uint32_t ds_ttl)
{
	const char *owner = ds_rr, *p, *rdata;
	size_t n_owner, n;

	if (ds_rr == NULL)
		return NULL;
	n_owner = token(owner, &p);
	/* Up to two fields between the owner and the type: TTL and class. */
	for (int i = 0; i < 3 && *p != '\0'; i++) {
		n = token(p, &rdata);
		if (n == 2 && strncasecmp(p, "DS", 2) == 0 && *rdata != '\0') {
			if (ds_ttl == 0)
				return xasprintf("%.*s IN DS %s", (int)n_owner,
						 owner, rdata);
			return xasprintf("%.*s %u IN DS %s", (int)n_owner,
					 owner, ds_ttl, rdata);
		}
		p = rdata;
	}
	return xstrdup(ds_rr);
}

const char *rrtype_name(uint16_t type, char buf[16])
{
	static const struct { uint16_t type; const char *name; } names[] = {
		{ 1, "A" }, { 2, "NS" }, { 5, "CNAME" }, { 6, "SOA" },
		{ 12, "PTR" }, { 15, "MX" }, { 16, "TXT" }, { 28, "AAAA" },
		{ 33, "SRV" }, { 43, "DS" }, { 46, "RRSIG" }, { 47, "NSEC" },
		{ 48, "DNSKEY" }, { 50, "NSEC3" }, { 51, "NSEC3PARAM" },
		{ 59, "CDS" }, { 60, "CDNSKEY" }, { 64, "SVCB" },
		{ 65, "HTTPS" }, { 257, "CAA" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].type == type)
			return names[i].name;
	snprintf(buf, 16, "TYPE%u", type);
	return buf;
}

const char *rcode_name(int rcode, char buf[16])
{
	static const char *const names[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP",
		"REFUSED", "YXDOMAIN", "YXRRSET", "NXRRSET", "NOTAUTH",
		"NOTZONE",
	};

	if (rcode >= 0 && (size_t)rcode < sizeof(names) / sizeof(names[0]))
		return names[rcode];
	if (rcode < 0)
		return "-";
	snprintf(buf, 16, "RCODE%d", rcode);
	return buf;
}

const char *security_name(enum security s)
{
	switch (s) {
	case SEC_INSECURE: return "insecure";
	case SEC_SECURE: return "secure";
	case SEC_BOGUS: return "bogus";
	case SEC_UNKNOWN: break;
	}
	return "unknown";
}

const char *ds_match_id(enum ds_match m)
{
	switch (m) {
	case DS_MATCH_OK: return "ok";
	case DS_MATCH_NO_KEY: return "no-key";
	case DS_MATCH_DIGEST_MISMATCH: return "digest-mismatch";
	case DS_MATCH_UNSUPPORTED_DIGEST: return "unsupported-digest";
	case DS_MATCH_REVOKED_KEY: return "revoked-key";
	}
	return "unknown";
}

const char *sig_check_id(enum sig_check s)
{
	switch (s) {
	case SIG_VALID: return "valid";
	case SIG_BAD: return "bad";
	case SIG_NO_KEY: return "no-key";
	case SIG_EXPIRED: return "expired";
	case SIG_NOT_YET_VALID: return "not-yet-valid";
	case SIG_UNSUPPORTED: return "unsupported";
	case SIG_NOT_CHECKED: break;
	}
	return "not-checked";
}

const char *validating_id(enum validating v)
{
	switch (v) {
	case VALIDATING_NO: return "no";
	case VALIDATING_YES: return "yes";
	case VALIDATING_UNKNOWN: break;
	}
	return "unknown";
}

const char *chain_link_keys_unseen(const struct chain_link *l)
{
	bool truncated = false, timeout = false;

	if (l->n_keys > 0)
		return NULL;
	for (size_t i = 0; i < l->n_dnskey_views; i++) {
		const struct dns_reply *r = &l->dnskey_views[i].reply;

		if (r->outcome == OUTCOME_ANSWER && !r->tc)
			return NULL;	/* a full answer: seen, even if empty */
		if (r->outcome == OUTCOME_ANSWER || r->tc_retried)
			truncated = true;
		else if (r->outcome == OUTCOME_TIMEOUT)
			timeout = true;
	}
	if (truncated)
		return "the DNSKEY answer is truncated over UDP and TCP fails";
	if (timeout)
		return "the child's servers time out";
	return l->n_dnskey_views > 0 ? "the child's servers do not answer" :
				       "no child server was asked";
}

const char *ns_keys_unseen(const struct ns_ev *ns)
{
	const struct dns_reply *u = &ns->dnskey_udp, *t = &ns->dnskey_tcp;

	if ((u->outcome == OUTCOME_ANSWER && !u->tc) ||
	    t->outcome == OUTCOME_ANSWER)
		return NULL;
	if ((u->outcome == OUTCOME_ANSWER && u->tc) || u->tc_retried)
		return "truncated, TCP failed";
	if (u->outcome == OUTCOME_NOT_SENT && t->outcome == OUTCOME_NOT_SENT)
		return "not asked";
	return u->outcome != OUTCOME_NOT_SENT ? outcome_name(u->outcome) :
						outcome_name(t->outcome);
}

const char *outcome_name(enum outcome o)
{
	switch (o) {
	case OUTCOME_NOT_SENT: return "not-sent";
	case OUTCOME_ANSWER: return "answer";
	case OUTCOME_TIMEOUT: return "timeout";
	case OUTCOME_NET_ERROR: return "net-error";
	case OUTCOME_MALFORMED: return "malformed";
	case OUTCOME_CANCELLED: return "cancelled";
	}
	return "unknown";
}

char *evidence_nsec3param_rdata(const struct ns_ev *ns)
{
	if (!ns->has_nsec3param)
		return NULL;
	return xasprintf("%u %u %u %s", ns->nsec3param_alg,
			 ns->nsec3param_flags, ns->nsec3param_iterations,
			 ns->nsec3param_salt != NULL && *ns->nsec3param_salt ?
			 ns->nsec3param_salt : "-");
}

const char *algorithm_name(uint8_t alg)
{
	switch (alg) {
	case 1: return "RSAMD5";
	case 3: return "DSA";
	case 5: return "RSASHA1";
	case 6: return "DSA-NSEC3-SHA1";
	case 7: return "RSASHA1-NSEC3-SHA1";
	case 8: return "RSASHA256";
	case 10: return "RSASHA512";
	case 12: return "ECC-GOST";
	case 13: return "ECDSAP256SHA256";
	case 14: return "ECDSAP384SHA384";
	case 15: return "ED25519";
	case 16: return "ED448";
	case 17: return "SM2SM3";
	case 23: return "ECC-GOST12";
	}
	return NULL;
}

bool algorithm_validated(uint8_t alg)
{
	switch (alg) {
	case 5: case 7: case 8: case 10: case 13: case 14: case 15: case 16:
		return true;
	default:
		return false;
	}
}

const char *digest_type_name(uint8_t type)
{
	switch (type) {
	case 1: return "SHA-1";
	case 2: return "SHA-256";
	case 3: return "GOST R 34.11-94";
	case 4: return "SHA-384";
	case 5: return "GOST R 34.11-2012";
	}
	return NULL;
}

const char *ede_name(uint16_t code)
{
	/* IANA "Extended DNS Error Codes" registry. */
	static const char *const names[] = {
		"Other Error", "Unsupported DNSKEY Algorithm",
		"Unsupported DS Digest Type", "Stale Answer", "Forged Answer",
		"DNSSEC Indeterminate", "DNSSEC Bogus", "Signature Expired",
		"Signature Not Yet Valid", "DNSKEY Missing", "RRSIGs Missing",
		"No Zone Key Bit Set", "NSEC Missing", "Cached Error",
		"Not Ready", "Blocked", "Censored", "Filtered", "Prohibited",
		"Stale NXDOMAIN Answer", "Not Authoritative", "Not Supported",
		"No Reachable Authority", "Network Error", "Invalid Data",
		"Signature Expired before Valid", "Too Early",
		"Unsupported NSEC3 Iterations Value",
		"Unable to conform to policy", "Synthesized",
		"Invalid Query Type",
	};

	if (code < sizeof(names) / sizeof(names[0]))
		return names[code];
	return NULL;
}

bool evidence_in_zone(const char *name, const char *zone)
{
	size_t n = strlen(name), z = strlen(zone);

	if (strcmp(zone, ".") == 0)
		return true;
	if (n < z || strcasecmp(name + n - z, zone) != 0)
		return false;
	return n == z || name[n - z - 1] == '.';
}
