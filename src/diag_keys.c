/*
 * diag_keys.c - rules on the zone's DNSKEY RRset itself: revoked keys
 * (RFC 5011), key-tag collisions, an answer too big for UDP without
 * fragments (1232 bytes, the DNS flag day 2020 size), and signed RRsets
 * whose TTL outlives their signatures (RFC 4035 5.3.3).
 *
 * Pure: reads the evidence, adds findings, no I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag_rules.h"
#include "xmalloc.h"

/* The EDNS buffer size that avoids IP fragmentation (DNS flag day 2020). */
#define DIAG_SAFE_UDP 1232

static void revoked(struct diag_ctx *c, const struct chain_link *l)
{
	for (size_t i = 0; i < l->n_keys; i++) {
		const struct key_info *k = &l->keys[i];

		if (!(k->flags & 128))
			continue;
		struct finding *f = diag_add(c, FINDING_KEY_REVOKED, l->zone);
		bool named = false;

		for (size_t j = 0; j < l->n_ds; j++)
			named |= l->ds[j].match == DS_MATCH_REVOKED_KEY &&
				 (l->ds[j].key_index == (int)i ||
				  l->ds[j].tag == k->tag);
		diag_summary(f, "%s serves a revoked key (RFC 5011 REVOKE bit)%s",
			     l->zone, named ? ", and a DS at the parent still "
			     "names it" : "");
		diag_evidence(f, "DNSKEY %u: flags %u (REVOKE), signs the DNSKEY "
			      "RRset: %s", k->tag, k->flags,
			      k->signs_dnskey ? "yes" : "no");
		diag_fix(f, xasprintf("A revoked key must stay published and "
				      "self-signed for the RFC 5011 hold-down "
				      "(30 days) and sign nothing else; then "
				      "remove it.%s", named ? " Remove the DS "
				      "that names it at the registrar first." :
				      ""));
		if (named)
			f->severity = SEV_WARNING;
	}
}

static void collisions(struct diag_ctx *c, const struct chain_link *l)
{
	for (size_t i = 0; i < l->n_keys; i++)
		for (size_t j = i + 1; j < l->n_keys; j++) {
			if (l->keys[i].tag != l->keys[j].tag ||
			    l->keys[i].algorithm != l->keys[j].algorithm)
				continue;
			struct finding *f = diag_add(c, FINDING_KEY_TAG_COLLISION,
						     l->zone);

			diag_summary(f, "Two DNSKEYs of %s share key tag %u: "
				     "validators must try both for every "
				     "signature, and some tools confuse them",
				     l->zone, l->keys[i].tag);
			diag_evidence(f, "DNSKEY %u flags %u and DNSKEY %u flags "
				      "%u, algorithm %u", l->keys[i].tag,
				      l->keys[i].flags, l->keys[j].tag,
				      l->keys[j].flags, l->keys[i].algorithm);
			diag_fix(f, xstrdup("At the next rollover of either, "
					    "generate keys until the tag is "
					    "unique (most signers do this)."));
		}
}

/* The DNSKEY answer does not fit a 1232-byte UDP reply. */
static void large_answer(struct diag_ctx *c, const struct chain_link *l)
{
	const struct evidence *ev = c->ev;
	struct finding *f = NULL;

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];
		uint32_t size = diag_answered(&ns->dnskey_tcp) ?
				ns->dnskey_tcp.size : 0;
		bool tc = diag_answered(&ns->dnskey_udp) && ns->dnskey_udp.tc;

		if (size <= DIAG_SAFE_UDP && !tc)
			continue;
		char *who = diag_server_label(ns->name, ns->address);

		if (f == NULL)
			f = diag_add(c, FINDING_DNSKEY_ANSWER_LARGE, l->zone);
		if (size > 0)
			diag_evidence(f, "%s: DNSKEY answer %u bytes (over "
				      "TCP)%s", who, size, tc ?
				      ", truncated over UDP" : "");
		else
			diag_evidence(f, "%s: DNSKEY answer truncated over UDP; "
				      "over TCP: %s", who,
				      outcome_name(ns->dnskey_tcp.outcome));
		free(who);
	}
	if (f == NULL)
		return;
	diag_summary(f, "The DNSKEY answer of %s is larger than %u bytes: "
		     "resolvers must fall back to TCP (or fragments), so one "
		     "firewall dropping TCP/53 or fragments makes the zone bogus",
		     l->zone, DIAG_SAFE_UDP);
	diag_fix(f, xasprintf("Make the DNSKEY RRset smaller: remove keys "
			      "that are no longer needed (old, pre-published, "
			      "revoked after their hold-down), prefer ECDSA "
			      "P-256 (algorithm 13) to RSA, and keep TCP/53 "
			      "open to every server of %s.", l->zone));
}

/*
 * A signed RRset whose TTL outlives its signature: a cache that fetches it
 * now would keep it past the expiration (validators cap the TTL, others
 * serve it stale-signed). One finding for the zone, one line per RRset.
 */
static void ttl_beyond(struct diag_ctx *c, const struct chain_link *l)
{
	const struct evidence *ev = c->ev;
	struct finding *f = NULL;
	char tb[16], t[32], d[32];

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];

		for (size_t j = 0; j < ns->n_checks; j++) {
			const struct zone_rrset_check *k = &ns->checks[j];

			for (size_t s = 0; s < k->n_sigs; s++) {
				const struct rrsig_info *r = &k->sigs[s];

				if (r->check != SIG_VALID || r->expiration <= c->now ||
				    c->now + r->original_ttl <= r->expiration)
					continue;
				if (f == NULL)
					f = diag_add(c, FINDING_TTL_BEYOND_EXPIRATION,
						     l->zone);
				diag_evidence(f, "%s %s: TTL %s, its RRSIG (key %u) "
					      "expires %s", k->qname,
					      rrtype_name(k->qtype, tb),
					      diag_duration(r->original_ttl, d),
					      r->key_tag,
					      diag_clock(r->expiration, t));
			}
		}
	}
	for (size_t s = 0; s < l->n_dnskey_sigs; s++) {
		const struct rrsig_info *r = &l->dnskey_sigs[s];

		if (r->check != SIG_VALID || r->expiration <= c->now ||
		    c->now + r->original_ttl <= r->expiration)
			continue;
		if (f == NULL)
			f = diag_add(c, FINDING_TTL_BEYOND_EXPIRATION, l->zone);
		diag_evidence(f, "%s DNSKEY: TTL %s, its RRSIG (key %u) expires "
			      "%s: rollover waits of one DNSKEY TTL outlast the "
			      "signatures", l->zone,
			      diag_duration(r->original_ttl, d), r->key_tag,
			      diag_clock(r->expiration, t));
	}
	if (f == NULL)
		return;
	diag_summary(f, "Signed RRsets of %s have TTLs longer than their "
		     "signatures have left: caches would keep them past the "
		     "expiration (RFC 4035 5.3.3)", l->zone);
	diag_fix(f, xasprintf("Lower those TTLs below the signature validity "
			      "the signer leaves at its re-signing (e.g. a "
			      "day, with signatures valid for weeks and "
			      "refreshed a week before they expire), or sign "
			      "%s with longer validity.", l->zone));
}

void diag_keys_rules(struct diag_ctx *c)
{
	const struct chain_link *l = diag_zone_link(c->ev);

	if (l == NULL || l->n_keys == 0)
		return;
	revoked(c, l);
	collisions(c, l);
	large_answer(c, l);
	ttl_beyond(c, l);
}
