/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag_ns.c - rules on the zone's authoritative servers, each address asked
 * directly: reachability over UDP and TCP, lameness, serial and DNSKEY
 * disagreement, the parent's NS set against the child's, and the signatures
 * and denial proofs each server serves.
 *
 * A problem on one server of several is reported as such ("on 1 of 2
 * servers"): resolvers pick servers, so the zone breaks for some users only.
 * When no server answers at all, that one fact (zone-unreachable) is
 * reported instead of a finding per server. Pure: no I/O.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "diag_rules.h"
#include "xmalloc.h"

static bool transport_failed(const struct dns_reply *r)
{
	return r->outcome == OUTCOME_TIMEOUT ||
	       r->outcome == OUTCOME_NET_ERROR ||
	       r->outcome == OUTCOME_MALFORMED;
}

static bool ns_answers(const struct ns_ev *ns)
{
	return diag_answered(&ns->soa_udp) || diag_answered(&ns->soa_tcp) ||
	       diag_answered(&ns->dnskey_udp) ||
	       diag_answered(&ns->dnskey_tcp);
}

/*
 * Silent over one transport: neither the SOA nor the DNSKEY question got an
 * answer. One of the two lost is a lossy path, not a silent server (the
 * resolvers retry it too).
 */
static bool silent_over(const struct dns_reply *soa,
			const struct dns_reply *dnskey)
{
	return transport_failed(soa) && !diag_answered(dnskey);
}

static const char *how(const struct dns_reply *r)
{
	if (r->outcome == OUTCOME_ANSWER)
		return "answers";
	return outcome_name(r->outcome);
}

/*
 * The walk ended above the zone without an answer about it (no NXDOMAIN,
 * no referral): the servers of the deepest zone found are silent, as in a
 * TLD's outage. Nobody can find the zone's servers, whatever their state:
 * the parent's operator must act, not the zone's provider.
 */
static bool parent_silent(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;
	const struct chain_link *top;
	struct finding *f;

	if (diag_zone_link(ev) != NULL || ev->absent != NULL ||
	    ev->n_chain == 0 || ev->n_nameservers > 0)
		return false;
	top = &ev->chain[ev->n_chain - 1];
	f = diag_add(c, FINDING_ZONE_UNREACHABLE, ev->zone);
	f->actor = ACTOR_PARENT_OPERATOR;
	diag_summary(f, "The servers of %s do not answer about %s: nobody can "
		     "find the zone's servers (its own servers are not judged "
		     "from here)", top->zone, ev->zone);
	for (size_t i = 0; i < top->n_dnskey_views; i++) {
		char *who = diag_server_label(top->dnskey_views[i].server.ns_name,
					      top->dnskey_views[i].server.address);

		diag_evidence(f, "%s, %s DNSKEY: %s", who, top->zone,
			      how(&top->dnskey_views[i].reply));
		free(who);
	}
	diag_evidence(f, "the walk from the root stopped at %s: no referral "
		      "to %s, no NXDOMAIN", top->zone, ev->zone);
	diag_fix(f, xasprintf(
		"Nothing to change in %s: the servers of %s are not answering. "
		"Escalate to %s's operator (the registry, through your "
		"registrar) and watch their status page. Check from another "
		"network first: if %s answers there, suspect our own path. "
		"Resolvers that cached the delegation keep answering until its "
		"NS TTL runs out.", ev->zone, top->zone, top->zone, top->zone));
	return true;
}

static bool zone_unreachable(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;
	const struct chain_link *l = diag_zone_link(ev);
	size_t tried = ev->n_nameservers;

	for (size_t i = 0; i < ev->n_nameservers; i++)
		if (ns_answers(&ev->nameservers[i]))
			return false;
	if (l != NULL) {
		tried += l->n_dnskey_views;
		for (size_t i = 0; i < l->n_dnskey_views; i++)
			if (diag_answered(&l->dnskey_views[i].reply))
				return false;
	}
	if (tried == 0)
		return false;

	struct finding *f = diag_add(c, FINDING_ZONE_UNREACHABLE, ev->zone);

	diag_summary(f, "No authoritative server of %s answers (%zu "
		     "tried): every resolver fails, validating or not",
		     ev->zone, ev->n_nameservers ? ev->n_nameservers : tried);
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];
		char *who = diag_server_label(ns->name, ns->address);

		if (ns->address == NULL)
			diag_evidence(f, "%s: the name does not resolve", who);
		else
			diag_evidence(f, "%s: UDP %s, TCP %s", who,
				      how(&ns->soa_udp), how(&ns->soa_tcp));
		free(who);
	}
	for (size_t i = 0; i < ev->n_parent_ns; i++)
		diag_evidence(f, "the parent delegates to %s",
			      ev->parent_ns[i]);
	diag_fix(f, xasprintf("Bring at least one authoritative server back: "
			      "check the servers run, listen on port 53 over UDP "
			      "and TCP, and are not filtered; check the NS names "
			      "at the registrar resolve to the servers' "
			      "addresses."));
	return true;
}

static bool is_v6(const struct ns_ev *ns)
{
	return ns->address != NULL && strchr(ns->address, ':') != NULL;
}

/*
 * Every IPv6 server address fails while IPv4 ones answer: most likely this
 * host has no IPv6 route, which says nothing about the zone.
 */
static bool no_v6_here(const struct evidence *ev)
{
	bool v6 = false, v4_ok = false;

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];

		if (is_v6(ns)) {
			if (ns_answers(ns))
				return false;
			v6 = true;
		} else if (ns_answers(ns)) {
			v4_ok = true;
		}
	}
	return v6 && v4_ok;
}

static void reachability(struct diag_ctx *c, const struct ns_ev *ns,
			 bool no_v6)
{
	char *who = diag_server_label(ns->name, ns->address);
	struct finding *f = NULL;

	if (ns->address == NULL) {
		f = diag_add(c, FINDING_NS_UNREACHABLE, who);
		diag_summary(f, "%s: the NS name does not resolve to an "
			     "address", ns->name);
		diag_evidence(f, "%s: no A/AAAA found", ns->name);
		diag_fix(f, xasprintf("Publish an address for %s (glue at the "
				      "registrar if it is inside the zone), or "
				      "remove it from the NS set.", ns->name));
	} else if (silent_over(&ns->soa_udp, &ns->dnskey_udp)) {
		bool tcp_ok = !silent_over(&ns->soa_tcp, &ns->dnskey_tcp);

		f = diag_add(c, FINDING_NS_UNREACHABLE, who);
		diag_summary(f, "%s does not answer over UDP%s", who,
			     tcp_ok ? " (TCP works)" : " nor TCP");
		diag_evidence(f, "%s: SOA over UDP: %s%s%s, DNSKEY over UDP: "
			      "%s; over TCP: SOA %s", who,
			      outcome_name(ns->soa_udp.outcome),
			      ns->soa_udp.error ? ", " : "",
			      ns->soa_udp.error ? ns->soa_udp.error : "",
			      how(&ns->dnskey_udp), how(&ns->soa_tcp));
		diag_fix(f, xasprintf("Check that the server at %s runs and that "
				      "port 53/udp reaches it (firewall, "
				      "anycast, rate limits). Resolvers retry "
				      "other servers, with delay.", ns->address));
		if (no_v6 && is_v6(ns)) {
			f->severity = SEV_INFO;
			diag_summary(f, "%s does not answer, like every IPv6 "
				     "server address from here: this host may "
				     "have no IPv6 route", who);
		}
	} else if (!silent_over(&ns->soa_udp, &ns->dnskey_udp) &&
		   silent_over(&ns->soa_tcp, &ns->dnskey_tcp)) {
		f = diag_add(c, FINDING_TCP_UNREACHABLE, who);
		if (ns->dnskey_udp.tc) {
			/* Not a nuisance: the keys cannot be had from it. */
			f->severity = SEV_CRITICAL;
			diag_summary(f, "%s does not answer over TCP, and its "
				     "DNSKEY answer is truncated over UDP: "
				     "validators cannot fetch the keys from "
				     "it", who);
		}
		else
			diag_summary(f, "%s does not answer over TCP: large "
				     "answers (DNSKEY, truncated replies) "
				     "fail", who);
		diag_evidence(f, "%s: SOA over UDP answers, over TCP: %s%s%s",
			      who, outcome_name(ns->soa_tcp.outcome),
			      ns->soa_tcp.error ? ", " : "",
			      ns->soa_tcp.error ? ns->soa_tcp.error : "");
		if (ns->dnskey_udp.tc)
			diag_evidence(f, "%s: DNSKEY over UDP truncated (TC=1, "
				      "%u bytes)", who, ns->dnskey_udp.size);
		diag_fix(f, xasprintf("Open port 53/tcp to %s: DNS over TCP is "
				      "required (RFC 7766), and DNSSEC answers "
				      "often need it.", ns->address));
	}
	if (f != NULL)
		goto out;

	const struct dns_reply *soa = diag_answered(&ns->soa_udp) ?
				      &ns->soa_udp : &ns->soa_tcp;

	if (diag_answered(soa) && (soa->rcode != RCODE_NOERROR || !soa->aa)) {
		char rb[16];

		f = diag_add(c, FINDING_NS_LAME, who);
		diag_summary(f, "%s is lame: it does not answer "
			     "authoritatively for %s", who, c->ev->zone);
		diag_evidence(f, "%s: SOA %s: %s, AA=%d", who, c->ev->zone,
			      rcode_name(soa->rcode, rb), soa->aa);
		diag_fix(f, xasprintf("Configure %s on %s, or remove %s from the "
				      "NS set at the registrar and in the zone.",
				      c->ev->zone, who, ns->name));
	}
out:
	free(who);
}

static void serials(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;
	const struct ns_ev *first = NULL;
	uint32_t high = 0;
	bool differ = false;

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];

		if (!ns->has_serial)
			continue;
		if (first == NULL)
			first = ns;
		else if (ns->serial != first->serial)
			differ = true;
		/* RFC 1982: the newer serial is ahead by less than 2^31. */
		if (ns == first || (int32_t)(ns->serial - high) > 0)
			high = ns->serial;
	}
	if (!differ)
		return;

	struct finding *f = diag_add(c, FINDING_NS_SERIAL_MISMATCH, ev->zone);
	char *behind = NULL;

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];
		char *who;

		if (!ns->has_serial)
			continue;
		who = diag_server_label(ns->name, ns->address);
		diag_evidence(f, "%s: serial %u%s", who, ns->serial,
			      ns->serial == high ? "" : " (behind)");
		if (ns->serial != high)
			diag_cat(&behind, "%s%s", behind ? ", " : "", who);
		free(who);
	}
	diag_summary(f, "The servers of %s serve different versions (newest "
		     "serial %u; behind: %s)", ev->zone, high, behind);
	diag_fix(f, xasprintf("Check zone transfers to %s (NOTIFY, "
			      "allow-transfer/ACL, TSIG, the primary's logs). A "
			      "secondary that stopped transferring ends up "
			      "serving expired signatures.", behind));
	free(behind);
}

static bool same_tags(const struct ns_ev *a, const struct ns_ev *b)
{
	if (a->n_dnskey_tags != b->n_dnskey_tags)
		return false;
	for (size_t i = 0; i < a->n_dnskey_tags; i++) {
		bool found = false;

		for (size_t j = 0; j < b->n_dnskey_tags; j++)
			if (a->dnskey_tags[i] == b->dnskey_tags[j])
				found = true;
		if (!found)
			return false;
	}
	return true;
}

/* Tags other servers serve that @p ns does not, or NULL. */
static char *missing_tags(const struct evidence *ev, const struct ns_ev *ns)
{
	uint16_t seen[32];
	size_t n_seen = 0;
	char *list = NULL;

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *o = &ev->nameservers[i];

		for (size_t j = 0; j < o->n_dnskey_tags && n_seen < 32; j++) {
			uint16_t tag = o->dnskey_tags[j];
			bool has = false;

			for (size_t k = 0; k < ns->n_dnskey_tags; k++)
				has |= ns->dnskey_tags[k] == tag;
			for (size_t k = 0; k < n_seen; k++)
				has |= seen[k] == tag;
			if (has)
				continue;
			seen[n_seen++] = tag;
			diag_cat(&list, "%s%u", list ? ", " : "", tag);
		}
	}
	return list;
}

static void dnskey_sets(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;
	const struct ns_ev *first = NULL;
	bool differ = false;

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];

		if (ns->n_dnskey_tags == 0)
			continue;
		if (first == NULL)
			first = ns;
		else if (!same_tags(first, ns))
			differ = true;
	}
	if (!differ)
		return;

	struct finding *f = diag_add(c, FINDING_NS_DNSKEY_MISMATCH, ev->zone);

	diag_summary(f, "The servers of %s serve different DNSKEY sets: "
		     "validation depends on which server a resolver asks",
		     ev->zone);
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];
		char *who, *list = NULL;

		if (ns->n_dnskey_tags == 0)
			continue;
		who = diag_server_label(ns->name, ns->address);
		for (size_t j = 0; j < ns->n_dnskey_tags &&
				   !diag_list_cut(&list, j, ns->n_dnskey_tags); j++)
			diag_cat(&list, "%s%u", j ? ", " : "",
				 ns->dnskey_tags[j]);
		if (ns->has_serial)
			diag_evidence(f, "%s: DNSKEY %s (serial %u)", who, list,
				      ns->serial);
		else
			diag_evidence(f, "%s: DNSKEY %s", who, list);
		free(list);
		list = missing_tags(ev, ns);
		if (list != NULL)
			diag_evidence(f, "%s lacks key(s) %s that other servers "
				      "serve", who, list);
		free(list);
		free(who);
	}
	diag_fix(f, xstrdup("Make every server serve the same DNSKEY RRset: "
			    "check zone transfers (serials), or in a multi-signer "
			    "setup that each signer publishes the others' keys."));
}

static bool in_set(char **set, size_t n, const char *name)
{
	size_t len = strlen(name);

	if (len > 0 && name[len - 1] == '.')
		len--;
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(set[i]);

		if (l > 0 && set[i][l - 1] == '.')
			l--;
		if (l == len && strncasecmp(set[i], name, len) == 0)
			return true;
	}
	return false;
}

static void delegation(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;
	struct finding *f = NULL;

	if (ev->n_parent_ns == 0 || ev->n_child_ns == 0)
		return;
	for (size_t i = 0; i < ev->n_parent_ns; i++) {
		if (in_set(ev->child_ns, ev->n_child_ns, ev->parent_ns[i]))
			continue;
		f = diag_add(c, FINDING_NS_DELEGATION_MISMATCH, ev->zone);
		diag_evidence(f, "%s: only in the parent's delegation",
			      ev->parent_ns[i]);
	}
	for (size_t i = 0; i < ev->n_child_ns; i++) {
		if (in_set(ev->parent_ns, ev->n_parent_ns, ev->child_ns[i]))
			continue;
		f = diag_add(c, FINDING_NS_DELEGATION_MISMATCH, ev->zone);
		diag_evidence(f, "%s: only in the zone's apex NS",
			      ev->child_ns[i]);
	}
	if (f == NULL)
		return;
	diag_summary(f, "The parent's NS set for %s differs from the zone's "
		     "own (%zu at the parent, %zu at the apex)", ev->zone,
		     ev->n_parent_ns, ev->n_child_ns);
	diag_fix(f, xasprintf("Make the NS set at the registrar and the apex NS "
			      "RRset of %s the same (after a provider move, "
			      "update both).", ev->zone));
}

/* The (qname, qtype) pairs the servers were asked about, each once. */
struct rrset_key {
	const char *qname;
	uint16_t qtype;
};

static size_t rrset_keys(const struct evidence *ev, struct rrset_key **out)
{
	size_t n = 0;

	*out = NULL;
	for (size_t i = 0; i < ev->n_nameservers; i++) {
		for (size_t j = 0; j < ev->nameservers[i].n_checks; j++) {
			const struct zone_rrset_check *k =
				&ev->nameservers[i].checks[j];
			bool seen = false;

			if (k->qname == NULL)
				continue;
			for (size_t m = 0; m < n; m++)
				if ((*out)[m].qtype == k->qtype &&
				    strcasecmp((*out)[m].qname, k->qname) == 0)
					seen = true;
			if (!seen)
				*XAPPEND(*out, n) = (struct rrset_key){
					k->qname, k->qtype };
		}
	}
	return n;
}

static const struct zone_rrset_check *check_of(const struct ns_ev *ns,
					       const struct rrset_key *k)
{
	for (size_t j = 0; j < ns->n_checks; j++)
		if (ns->checks[j].qname != NULL &&
		    ns->checks[j].qtype == k->qtype &&
		    strcasecmp(ns->checks[j].qname, k->qname) == 0)
			return &ns->checks[j];
	return NULL;
}

static uint32_t max_orig_ttl(const struct zone_rrset_check *k, uint32_t cur)
{
	for (size_t i = 0; i < k->n_sigs; i++)
		if (k->sigs[i].original_ttl > cur)
			cur = k->sigs[i].original_ttl;
	return cur;
}

static void denial(struct diag_ctx *c, const struct rrset_key *key,
		   const char *subject)
{
	const struct evidence *ev = c->ev;
	size_t bad = 0, neg = 0;
	struct finding *f = NULL;
	uint32_t ttl = 0;
	char rb[16];

	for (size_t i = 0; i < ev->n_nameservers; i++) {
		const struct ns_ev *ns = &ev->nameservers[i];
		const struct zone_rrset_check *k = check_of(ns, key);

		if (k == NULL || k->denial == SEC_UNKNOWN)
			continue;
		neg++;
		if (k->denial != SEC_BOGUS)
			continue;
		char *who = diag_server_label(ns->name, ns->address);

		f = diag_add(c, FINDING_DENIAL_PROOF_INVALID, subject);
		diag_evidence(f, "%s: %s without a valid NSEC/NSEC3 proof", who,
			      k->rcode == RCODE_NOERROR ? "NODATA" :
			      rcode_name(k->rcode, rb));
		ttl = max_orig_ttl(k, ttl);
		bad++;
		free(who);
	}
	if (f == NULL)
		return;
	if (bad == neg)
		diag_summary(f, "%s: the denial of existence does not validate "
			     "on every server (%zu): validators answer SERVFAIL "
			     "instead of NXDOMAIN/NODATA", subject, bad);
	else
		diag_summary(f, "%s: the denial of existence does not validate "
			     "on %zu of %zu servers: the zone is bogus for "
			     "users whose resolver picks them", subject, bad,
			     neg);
	diag_fix(f, xstrdup("Re-sign the zone so that NSEC/NSEC3 records and "
			    "their RRSIGs are complete (with NSEC3, check the "
			    "NSEC3PARAM matches the chain), and serve the same "
			    "version on every server."));
	if (ttl > 0)
		diag_cache(f, c->now + ttl);
}

static void signatures(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;
	const struct chain_link *l = diag_zone_link(ev);
	struct rrset_key *keys;
	size_t n_keys = rrset_keys(ev, &keys);
	bool signed_zone = false;
	bool keys_unknown = l != NULL && l->n_keys == 0;

	if (l != NULL) {
		signed_zone = diag_link_signed(l) && l->status != SEC_INSECURE;
	} else {
		for (size_t i = 0; i < ev->n_nameservers; i++)
			if (ev->nameservers[i].n_dnskey_tags > 0)
				signed_zone = true;
	}
	for (size_t m = 0; signed_zone && m < n_keys; m++) {
		char tb[16];
		char *subject = xasprintf("%s %s", keys[m].qname,
					  rrtype_name(keys[m].qtype, tb));
		struct sig_obs *obs = xcalloc(ev->n_nameservers + 1,
					      sizeof(*obs));
		char **labels = xcalloc(ev->n_nameservers + 1,
					sizeof(*labels));
		size_t k = 0;
		struct sig_rule rule = {
			.subject = subject,
			.missing_id = FINDING_RRSIG_MISSING,
			.invalid_id = FINDING_RRSIG_INVALID,
			.keys_unknown = keys_unknown,
		};

		/* Without the keys a proof cannot be checked either. */
		if (!keys_unknown)
			denial(c, &keys[m], subject);
		/* The chain rules judged the DNSKEY RRset against the DS. */
		if (keys[m].qtype == RRTYPE_DNSKEY && l != NULL &&
		    l->n_dnskey_views > 0)
			k = 0;
		else for (size_t i = 0; i < ev->n_nameservers; i++) {
			const struct ns_ev *ns = &ev->nameservers[i];
			const struct zone_rrset_check *chk = check_of(ns,
								      &keys[m]);

			if (chk == NULL || chk->rcode < 0)
				continue;
			labels[k] = diag_server_label(ns->name, ns->address);
			/* A negative answer's signatures are the proof's. */
			obs[k] = (struct sig_obs){ labels[k], chk->sigs,
				chk->n_sigs, chk->denial == SEC_UNKNOWN ?
				chk->n_rrs : 0 };
			rule.ttl = max_orig_ttl(chk, rule.ttl);
			k++;
		}
		diag_sig_group(c, &rule, obs, k);
		for (size_t i = 0; i < k; i++)
			free(labels[i]);
		free(labels);
		free(obs);
		free(subject);
	}
	free(keys);
}

void diag_ns_rules(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;

	if (parent_silent(c) || zone_unreachable(c))
		return;
	bool no_v6 = no_v6_here(ev);

	for (size_t i = 0; i < ev->n_nameservers; i++)
		reachability(c, &ev->nameservers[i], no_v6);
	serials(c);
	dnskey_sets(c);
	delegation(c);
	signatures(c);
}
