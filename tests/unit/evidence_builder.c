/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * evidence_builder.c - see evidence_builder.h. Tests only; included by the
 * test files themselves, so it must stay free of cmocka.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence_builder.h"
#include "xmalloc.h"

struct evidence *eb_new(const char *zone)
{
	struct evidence *ev = xcalloc(1, sizeof(*ev));

	ev->zone = xstrdup(zone);
	ev->anchor_source = xstrdup("built-in");
	ev->started_at = EB_NOW - 2;
	ev->finished_at = EB_NOW - 1;
	return ev;
}

struct chain_link *eb_link(struct evidence *ev, const char *zone,
			   const char *parent, enum security status)
{
	struct chain_link *l = XAPPEND(ev->chain, ev->n_chain);

	*l = (struct chain_link){
		.zone = xstrdup(zone),
		.parent = xstrdup_null(parent),
		.status = status,
		.anchored = parent == NULL,
		.ds_ttl = 3600,
		.dnskey_ttl = 7200,
		.neg_ttl = 900,
	};
	return l;
}

struct key_info *eb_key(struct chain_link *l, uint16_t tag, uint16_t flags,
			bool signs_dnskey, bool signs_zone)
{
	struct key_info *k = XAPPEND(l->keys, l->n_keys);

	*k = (struct key_info){
		.tag = tag, .algorithm = 13, .flags = flags, .protocol = 3,
		.bits = 256, .signs_dnskey = signs_dnskey,
		.signs_zone = signs_zone, .served_by = 2,
	};
	k->rr_text = xasprintf("%s 7200 IN DNSKEY %u 3 13 KEY%u==",
			       l->zone, flags, tag);
	/* As the probe computes it: from the DNSKEY RR, with its TTL. */
	k->ds_sha256 = xasprintf("%s 7200 IN DS %u 13 2 "
				 "%04x%060x", l->zone, tag, tag, 0xabcu);
	k->ds_sha384 = NULL;
	return k;
}

struct ds_info *eb_ds(struct chain_link *l, uint16_t tag, enum ds_match m)
{
	struct ds_info *ds = XAPPEND(l->ds, l->n_ds);

	*ds = (struct ds_info){
		.tag = tag, .algorithm = 13, .digest_type = 2, .match = m,
		.key_index = -1,
	};
	ds->digest_hex = xasprintf("%04x%060x", tag,
				   m == DS_MATCH_DIGEST_MISMATCH ? 0xdeadu :
				   0xabcu);
	ds->rr_text = xasprintf("%s 3600 IN DS %u 13 2 %s", l->zone, tag,
				ds->digest_hex);
	for (size_t i = 0; i < l->n_keys; i++)
		if (l->keys[i].tag == tag && m != DS_MATCH_NO_KEY)
			ds->key_index = (int)i;
	return ds;
}

void eb_sig(struct rrsig_info **sigs, size_t *n, uint16_t covered,
	    uint16_t tag, int64_t inception, int64_t expiration,
	    enum sig_check check)
{
	struct rrsig_info *s = XAPPEND(*sigs, *n);

	*s = (struct rrsig_info){
		.covered = covered, .algorithm = 13, .labels = 2,
		.original_ttl = 300, .inception = inception,
		.expiration = expiration, .key_tag = tag, .check = check,
	};
	s->signer = xstrdup("example.test.");
}

static void answered(struct dns_reply *r, int rcode)
{
	*r = (struct dns_reply){ .outcome = OUTCOME_ANSWER, .rcode = rcode,
				 .aa = true, .rtt_ms = 3, .size = 200,
				 .min_ttl = 300 };
}

struct ds_view *eb_ds_view(struct chain_link *l, const char *ns,
			   const char *addr)
{
	struct ds_view *v = XAPPEND(l->ds_views, l->n_ds_views);

	*v = (struct ds_view){ 0 };
	v->server.ns_name = xstrdup(ns);
	v->server.address = xstrdup(addr);
	v->server.port = 53;
	answered(&v->reply, RCODE_NOERROR);
	v->reply.neg_ttl = l->n_ds ? 0 : l->neg_ttl;
	for (size_t i = 0; i < l->n_ds; i++) {
		struct ds_info *ds = XAPPEND(v->ds, v->n_ds);

		*ds = l->ds[i];
		ds->digest_hex = xstrdup(l->ds[i].digest_hex);
		ds->rr_text = xstrdup(l->ds[i].rr_text);
	}
	if (l->n_ds > 0)
		eb_sig(&v->sigs, &v->n_sigs, RRTYPE_DS, 7777,
		       EB_NOW - EB_DAY, EB_NOW + 20 * EB_DAY, SIG_VALID);
	return v;
}

struct dnskey_view *eb_dnskey_view(struct chain_link *l, const char *ns,
				   const char *addr)
{
	struct dnskey_view *v = XAPPEND(l->dnskey_views, l->n_dnskey_views);

	*v = (struct dnskey_view){ 0 };
	v->server.ns_name = xstrdup(ns);
	v->server.address = xstrdup(addr);
	v->server.port = 53;
	answered(&v->reply, RCODE_NOERROR);
	for (size_t i = 0; i < l->n_keys; i++)
		*XAPPEND(v->tags, v->n_tags) = l->keys[i].tag;
	return v;
}

struct ns_ev *eb_ns(struct evidence *ev, const char *name, const char *addr,
		    uint32_t serial)
{
	struct ns_ev *ns = XAPPEND(ev->nameservers, ev->n_nameservers);

	*ns = (struct ns_ev){ 0 };
	ns->name = xstrdup(name);
	ns->address = xstrdup_null(addr);
	ns->in_parent = ns->in_child = true;
	answered(&ns->soa_udp, RCODE_NOERROR);
	answered(&ns->soa_tcp, RCODE_NOERROR);
	answered(&ns->dnskey_udp, RCODE_NOERROR);
	answered(&ns->dnskey_tcp, RCODE_NOERROR);
	ns->soa_tcp.via_tcp = ns->dnskey_tcp.via_tcp = true;
	ns->has_serial = true;
	ns->serial = serial;
	return ns;
}

struct ds_info *eb_cds(struct ns_ev *ns, bool cdnskey, uint16_t tag,
		       uint8_t alg, enum ds_match m)
{
	struct ds_info *d = cdnskey ? XAPPEND(ns->cdnskey, ns->n_cdnskey) :
				      XAPPEND(ns->cds, ns->n_cds);

	*d = (struct ds_info){ .tag = tag, .algorithm = alg,
			       .digest_type = cdnskey ? 0 : 2,
			       .match = m, .key_index = -1,
			       .digest_hex = xstrdup(cdnskey ? "" : "ab"),
			       .rr_text = xasprintf("example.test. %s %u",
						    cdnskey ? "CDNSKEY" : "CDS",
						    tag) };
	ns->cds_answered = true;
	return d;
}

struct zone_rrset_check *eb_check(struct ns_ev *ns, const char *qname,
				  uint16_t qtype, size_t n_rrs)
{
	struct zone_rrset_check *k = XAPPEND(ns->checks, ns->n_checks);

	*k = (struct zone_rrset_check){
		.qname = xstrdup(qname), .qtype = qtype,
		.rcode = RCODE_NOERROR, .n_rrs = n_rrs,
		.denial = SEC_UNKNOWN,
	};
	return k;
}

struct resolver_ev *eb_resolver(struct evidence *ev, const char *name,
				const char *addr, enum validating v)
{
	struct resolver_ev *r = XAPPEND(ev->resolvers, ev->n_resolvers);

	*r = (struct resolver_ev){
		.name = xstrdup(name), .address = xstrdup(addr), .port = 53,
		.validating = v, .root_ad = v == VALIDATING_YES,
		.canary_rcode = v == VALIDATING_YES ? RCODE_SERVFAIL :
				RCODE_NOERROR,
	};
	return r;
}

struct resolver_answer *eb_answer(struct resolver_ev *r, const char *qname,
				  uint16_t qtype, int rcode, bool ad,
				  int cd_rcode)
{
	struct resolver_answer *a = XAPPEND(r->answers, r->n_answers);

	*a = (struct resolver_answer){ .qname = xstrdup(qname),
				       .qtype = qtype };
	answered(&a->reply, rcode);
	a->reply.aa = false;
	a->reply.ra = true;
	a->reply.ad = ad;
	if (rcode == RCODE_NOERROR)
		*XAPPEND(a->reply.answer, a->reply.n_answer) =
			xasprintf("%s\t300\tIN\tA\t192.0.2.80", qname);
	if (cd_rcode >= 0) {
		answered(&a->cd_reply, cd_rcode);
		a->cd_reply.aa = false;
		a->cd_reply.cd = true;
		a->cd_reply.min_ttl = 600;
	} else {
		a->cd_reply = (struct dns_reply){ .rcode = -1 };
	}
	return a;
}

void eb_ede(struct dns_reply *r, uint16_t code, const char *text)
{
	struct ede *e = XAPPEND(r->ede, r->n_ede);

	e->code = code;
	e->text = xstrdup(text);
}

struct local_verdict *eb_local(struct evidence *ev, const char *qname,
			       uint16_t qtype, enum security s,
			       const char *why)
{
	struct local_verdict *l = XAPPEND(ev->local, ev->n_local);

	*l = (struct local_verdict){
		.qname = xstrdup(qname), .qtype = qtype, .security = s,
		.rcode = s == SEC_BOGUS ? RCODE_SERVFAIL : RCODE_NOERROR,
		.havedata = s != SEC_BOGUS, .why_bogus = xstrdup_null(why),
	};
	return l;
}

static void signed_link(struct evidence *ev, const char *zone,
			const char *parent, uint16_t ksk, uint16_t zsk)
{
	struct chain_link *l = eb_link(ev, zone, parent, SEC_SECURE);

	eb_key(l, ksk, 257, true, false);
	eb_key(l, zsk, 256, false, true);
	eb_ds(l, ksk, DS_MATCH_OK);
	if (parent != NULL)
		eb_ds_view(l, "a.nic.test.", "127.0.1.1");
	for (int i = 0; i < 2; i++) {
		struct dnskey_view *v = eb_dnskey_view(l, i ? "ns2.example."
						       : "ns1.example.",
						       i ? "127.0.2.2" :
						       "127.0.2.1");

		eb_sig(&v->sigs, &v->n_sigs, RRTYPE_DNSKEY, ksk,
		       EB_NOW - EB_DAY, EB_NOW + 20 * EB_DAY, SIG_VALID);
	}
	eb_sig(&l->dnskey_sigs, &l->n_dnskey_sigs, RRTYPE_DNSKEY, ksk,
	       EB_NOW - EB_DAY, EB_NOW + 20 * EB_DAY, SIG_VALID);
}

struct evidence *eb_healthy(void)
{
	struct evidence *ev = eb_new("example.test.");

	signed_link(ev, ".", NULL, 20326, 1000);
	signed_link(ev, "test.", ".", 4444, 5555);
	signed_link(ev, "example.test.", "test.", 2222, 3333);
	*XAPPEND(ev->parent_ns, ev->n_parent_ns) = xstrdup("ns1.example.");
	*XAPPEND(ev->parent_ns, ev->n_parent_ns) = xstrdup("ns2.example.");
	*XAPPEND(ev->child_ns, ev->n_child_ns) = xstrdup("ns1.example.");
	*XAPPEND(ev->child_ns, ev->n_child_ns) = xstrdup("ns2.example.");
	for (int i = 0; i < 2; i++) {
		struct ns_ev *ns = eb_ns(ev, i ? "ns2.example." :
					 "ns1.example.", i ? "127.0.2.2" :
					 "127.0.2.1", 2027011501);
		struct zone_rrset_check *k;

		*XAPPEND(ns->dnskey_tags, ns->n_dnskey_tags) = 2222;
		*XAPPEND(ns->dnskey_tags, ns->n_dnskey_tags) = 3333;
		ns->earliest_expiration = EB_NOW + 20 * EB_DAY;
		k = eb_check(ns, "example.test.", RRTYPE_SOA, 1);
		eb_sig(&k->sigs, &k->n_sigs, RRTYPE_SOA, 3333,
		       EB_NOW - EB_DAY, EB_NOW + 20 * EB_DAY, SIG_VALID);
		k = eb_check(ns, "www.example.test.", RRTYPE_A, 1);
		eb_sig(&k->sigs, &k->n_sigs, RRTYPE_A, 3333,
		       EB_NOW - EB_DAY, EB_NOW + 20 * EB_DAY, SIG_VALID);
	}
	for (int i = 0; i < 2; i++) {
		struct resolver_ev *r = eb_resolver(ev, i ? "Beta" : "Alpha",
						    i ? "127.0.3.2" :
						    "127.0.3.1",
						    VALIDATING_YES);

		eb_answer(r, "www.example.test.", RRTYPE_A, RCODE_NOERROR,
			  true, -1);
		eb_answer(r, "example.test.", RRTYPE_SOA, RCODE_NOERROR, true,
			  -1);
	}
	return ev;
}

struct chain_link *eb_zone(struct evidence *ev)
{
	return &ev->chain[ev->n_chain - 1];
}

void eb_validators_servfail(struct evidence *ev, uint16_t ede)
{
	for (size_t i = 0; i < ev->n_resolvers; i++) {
		struct resolver_ev *r = &ev->resolvers[i];

		if (r->validating != VALIDATING_YES)
			continue;
		for (size_t j = 0; j < r->n_answers; j++) {
			struct resolver_answer *a = &r->answers[j];

			dns_reply_clear(&a->reply);
			answered(&a->reply, RCODE_SERVFAIL);
			a->reply.aa = false;
			answered(&a->cd_reply, RCODE_NOERROR);
			a->cd_reply.aa = false;
			a->cd_reply.min_ttl = 600;
			if (ede != 0)
				eb_ede(&a->reply, ede, "validation failure");
		}
	}
}

void eb_rekey(struct chain_link *l, uint16_t ksk)
{
	for (size_t i = 0; i < l->n_keys; i++) {
		free(l->keys[i].rr_text);
		free(l->keys[i].ds_sha256);
	}
	l->n_keys = 0;
	eb_key(l, ksk, 257, true, false);
	eb_key(l, 3333, 256, false, true);
	for (size_t i = 0; i < l->n_dnskey_views; i++) {
		l->dnskey_views[i].tags[0] = ksk;
		l->dnskey_views[i].sigs[0].key_tag = ksk;
	}
	l->dnskey_sigs[0].key_tag = ksk;
}

void eb_ksk_replaced(struct evidence *ev, uint16_t ksk)
{
	struct chain_link *l = eb_zone(ev);

	eb_rekey(l, ksk);
	l->ds[0].match = DS_MATCH_NO_KEY;
	l->ds[0].key_index = -1;
	l->ds_views[0].ds[0].match = DS_MATCH_NO_KEY;
	l->status = SEC_BOGUS;
}

struct vantage_probe *eb_vantage(struct evidence *ev, const char *addr,
				 uint16_t qtype, bool tcp, int rcode, bool aa)
{
	struct vantage_probe *v = XAPPEND(ev->vantage, ev->n_vantage);

	*v = (struct vantage_probe){ .address = xstrdup(addr), .qtype = qtype,
				     .tcp = tcp };
	if (rcode < 0) {
		v->reply = (struct dns_reply){ .outcome = OUTCOME_TIMEOUT,
					       .rcode = -1 };
		return v;
	}
	answered(&v->reply, rcode);
	v->reply.aa = aa;
	v->reply.via_tcp = tcp;
	v->has_data = rcode == RCODE_NOERROR && aa;
	return v;
}

void eb_vantage_sane(struct evidence *ev)
{
	for (int i = 0; i < 2; i++) {
		const char *a = i ? "199.9.14.201" : "198.41.0.4";

		eb_vantage(ev, a, RRTYPE_SOA, false, RCODE_NOERROR, true);
		eb_vantage(ev, a, RRTYPE_NS, false, RCODE_NOERROR, true);
		eb_vantage(ev, a, RRTYPE_SOA, true, RCODE_NOERROR, true);
	}
}

struct absence_ev *eb_absent(struct evidence *ev, const char *name,
			     const char *parent, int rcode, const char *nearby)
{
	struct absence_ev *a = xcalloc(1, sizeof(*a));

	a->name = xstrdup(name);
	a->parent = xstrdup(parent);
	a->server = xstrdup("ns1.nic.test. (127.0.2.1)");
	a->rcode = rcode;
	if (nearby != NULL)
		*XAPPEND(a->nearby, a->n_nearby) = xstrdup(nearby);
	evidence_absence_free(ev->absent);
	ev->absent = a;
	return a;
}
