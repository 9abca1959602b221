/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag_vantage.c - is our own vantage sane? Run before any rule about the
 * zone: a diagnosis made through a middlebox that answers for the root, with
 * no route to the DNS, with a trust anchor that is not the root's, or with a
 * clock outside every signature window of the root, would blame the zone for
 * our own network. Such a vantage gets its own findings (vantage-*), the
 * verdict "vantage" (exit 3, UNKNOWN) and a fix about the local network;
 * no finding about the zone is made from it.
 *
 * Evidence: ev->vantage (root servers asked ". SOA"/". NS", UDP and TCP),
 * and the chain's root link (the root's DNSKEY RRset as each root server
 * served it, its signatures, the anchor matched against it). Older
 * recordings have no ev->vantage: then nothing is judged here. Pure.
 */
#include <stdlib.h>
#include <string.h>

#include "diag_rules.h"
#include "xmalloc.h"

/* A root server's own answer about the root: NOERROR, AA, the RRset. */
static bool authoritative(const struct vantage_probe *v)
{
	return v->reply.outcome == OUTCOME_ANSWER &&
	       v->reply.rcode == RCODE_NOERROR && v->reply.aa && v->has_data;
}

/* No answer at all. A query not sent or cancelled (a refresh cut short)
 * is neither silent nor forged: it tells nothing. */
static bool silent(const struct dns_reply *r)
{
	return r->outcome == OUTCOME_TIMEOUT || r->outcome == OUTCOME_NET_ERROR;
}

/* Something answered, and not as a root server does. */
static bool forged(const struct vantage_probe *v)
{
	return v->reply.outcome == OUTCOME_MALFORMED ||
	       (v->reply.outcome == OUTCOME_ANSWER && !authoritative(v));
}

/* "NXDOMAIN, AA=0, RA=1" for one reply. New string. */
static char *reply_words(const struct dns_reply *r)
{
	char rc[16];

	if (r->outcome != OUTCOME_ANSWER)
		return xasprintf("%s%s%s", outcome_name(r->outcome),
				 r->error != NULL ? ": " : "",
				 r->error != NULL ? r->error : "");
	return xasprintf("%s, AA=%d, RA=%d, %u answer record%s",
			 rcode_name(r->rcode, rc), r->aa, r->ra, (unsigned)r->n_answer,
			 r->n_answer == 1 ? "" : "s");
}

static void probe_line(struct finding *f, const struct vantage_probe *v)
{
	char t[16], *w = reply_words(&v->reply);

	if (v->decoy)
		diag_evidence(f, "decoy %s (no DNS server runs there), . SOA "
			      "with RD=1: %s", v->address, w);
	else
		diag_evidence(f, "root server %s, . %s over %s: %s", v->address,
			      rrtype_name(v->qtype, t), v->tcp ? "TCP" : "UDP",
			      w);
	free(w);
}

/* The decoy answered: whatever answers, it is on our own path. */
static bool decoy_answered(const struct vantage_probe *v)
{
	return v->decoy && (v->reply.outcome == OUTCOME_ANSWER ||
			    v->reply.outcome == OUTCOME_MALFORMED);
}

/* The root's link, if the walk got that far. */
static const struct chain_link *root_link(const struct evidence *ev)
{
	if (ev->n_chain == 0 || ev->chain[0].zone == NULL ||
	    strcmp(ev->chain[0].zone, ".") != 0)
		return NULL;
	return &ev->chain[0];
}

static const char *first_address(const struct evidence *ev)
{
	return ev->n_vantage > 0 ? ev->vantage[0].address : "198.41.0.4";
}

/* Answers for the root that no root server gives. */
static bool intercepted(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;
	const struct chain_link *root = root_link(ev);
	struct finding *f = NULL;
	const char *decoy = NULL;

	for (size_t i = 0; i < ev->n_vantage; i++) {
		const struct vantage_probe *v = &ev->vantage[i];

		if (v->decoy ? !decoy_answered(v) : !forged(v))
			continue;
		if (f == NULL)
			f = diag_add(c, FINDING_VANTAGE_INTERCEPTED, ".");
		if (v->decoy)
			decoy = v->address;
		probe_line(f, v);
	}
	for (size_t i = 0; root != NULL && i < root->n_dnskey_views; i++) {
		const struct dnskey_view *v = &root->dnskey_views[i];
		char *w;

		if (v->reply.outcome != OUTCOME_MALFORMED &&
		    (v->reply.outcome != OUTCOME_ANSWER ||
		     (v->reply.rcode == RCODE_NOERROR && v->reply.aa)))
			continue;
		if (f == NULL)
			f = diag_add(c, FINDING_VANTAGE_INTERCEPTED, ".");
		w = reply_words(&v->reply);
		diag_evidence(f, "root server %s, . DNSKEY over %s: %s",
			      v->server.address, v->reply.via_tcp ? "TCP" : "UDP",
			      w);
		free(w);
	}
	if (f == NULL)
		return false;
	for (size_t i = 0; i < ev->n_resolvers; i++)
		if (ev->resolvers[i].canary_rcode == RCODE_NXDOMAIN)
			diag_evidence(f, "resolver %s (%s): the canary, a name "
				      "that exists, is NXDOMAIN",
				      ev->resolvers[i].name,
				      ev->resolvers[i].address);
	if (decoy != NULL && f->n_evidence == 1)
		diag_summary(f, "something on our own network answers DNS for "
			     "every address, even %s where no DNS server runs: "
			     "the resolvers' answers (and perhaps the root "
			     "servers') are its own; nothing seen from here can "
			     "be trusted", decoy);
	else
		diag_summary(f, "something on our own network answers DNS in "
			     "place of the root servers (answers no root server "
			     "gives: not authoritative, NXDOMAIN or REFUSED for "
			     "the root): nothing seen from here can be trusted");
	diag_fix(f, xasprintf(
		"Our own network intercepts DNS: a captive portal, a firewall or "
		"proxy that redirects port 53, a VPN's or an antivirus' DNS "
		"filter. Nothing about the zone can be judged from here.\n"
		"Run bogus from another network (a host outside this firewall, "
		"a cloud shell, a phone's tethering), or have the network's "
		"administrators let DNS (UDP and TCP port 53) through unaltered.\n"
		"Check: dig +norec @%s . SOA must show 'flags: qr aa' and "
		"NOERROR%s%s%s.", first_address(ev),
		decoy ? "; dig @" : "", decoy ? decoy : "",
		decoy ? " . SOA must get no answer at all" : ""));
	return true;
}

static bool offline(struct diag_ctx *c)
{
	const struct evidence *ev = c->ev;
	const struct chain_link *root = root_link(ev);
	struct finding *f;
	size_t answering = 0;

	for (size_t i = 0; i < ev->n_vantage; i++)
		if (!silent(&ev->vantage[i].reply))
			return false;
	for (size_t i = 0; root != NULL && i < root->n_dnskey_views; i++)
		if (root->dnskey_views[i].reply.outcome == OUTCOME_ANSWER)
			return false;
	f = diag_add(c, FINDING_VANTAGE_OFFLINE, ".");
	for (size_t i = 0; i < ev->n_vantage; i++)
		probe_line(f, &ev->vantage[i]);
	for (size_t i = 0; i < ev->n_resolvers; i++) {
		const struct resolver_ev *r = &ev->resolvers[i];
		bool answered = false;

		for (size_t j = 0; j < r->n_answers; j++)
			answered |= r->answers[j].reply.outcome == OUTCOME_ANSWER;
		if (!answered)
			continue;
		answering++;
		diag_evidence(f, "resolver %s (%s) answers: port 53 is open "
			      "to it, not to the internet", r->name, r->address);
	}
	diag_summary(f, "no root server answers from here (UDP or TCP): %s",
		     answering > 0 ? "DNS reaches only the resolvers, the "
		     "authoritative servers cannot be asked" :
		     "this host has no route to the DNS");
	diag_fix(f, xasprintf(
		"Our own network does not reach the DNS: no route (offline, a "
		"VPN down, a missing default route) or outgoing port 53 blocked "
		"except to an internal resolver. Nothing about the zone can be "
		"judged from here.\n"
		"Check: ip route; dig +norec @%s . SOA (UDP) and +tcp; then "
		"run bogus from a host that reaches the internet.",
		first_address(ev)));
	return true;
}

static bool anchor_mismatch(struct diag_ctx *c)
{
	const struct chain_link *root = root_link(c->ev);
	struct finding *f;

	if (root == NULL || root->n_keys == 0 || root->n_ds == 0)
		return false;
	for (size_t i = 0; i < root->n_ds; i++)
		if (root->ds[i].match == DS_MATCH_OK)
			return false;
	f = diag_add(c, FINDING_VANTAGE_ANCHOR_MISMATCH, ".");
	for (size_t i = 0; i < root->n_ds; i++)
		diag_evidence(f, "trust anchor (%s): key tag %u, algorithm %u: "
			      "no such key at the root", c->ev->anchor_source,
			      root->ds[i].tag, root->ds[i].algorithm);
	for (size_t i = 0; i < root->n_keys; i++)
		diag_evidence(f, "the root servers serve DNSKEY tag %u "
			      "(flags %u, algorithm %u)", root->keys[i].tag,
			      root->keys[i].flags, root->keys[i].algorithm);
	diag_summary(f, "our trust anchor (%s) matches none of the keys the "
		     "root servers serve: every validation from here would fail",
		     c->ev->anchor_source);
	diag_fix(f, xasprintf(
		"Our trust anchor is not the root's: an outdated anchor file, "
		"a --trust-anchor for another root, or a fake root on our path. "
		"Nothing about the zone can be judged from here.\n"
		"Update the anchor (Debian: apt install dns-root-data, or "
		"unbound-anchor -a /var/lib/unbound/root.key) or pass the right "
		"one with --trust-anchor FILE; if it is current, suspect the "
		"network: dig +norec @%s . DNSKEY.", first_address(c->ev)));
	return true;
}

/* Our clock outside every window of the root's DNSKEY signatures, while
 * the signatures themselves verify: the clock, not the root, is wrong. */
static bool clock_skew(struct diag_ctx *c)
{
	const struct chain_link *root = root_link(c->ev);
	int64_t latest_exp = INT64_MIN, earliest_inc = INT64_MAX;
	size_t checked = 0;
	struct finding *f;
	char b1[32], b2[32], b3[32], d[32];

	for (size_t i = 0; root != NULL && i < root->n_dnskey_sigs; i++) {
		const struct rrsig_info *s = &root->dnskey_sigs[i];

		if (s->check != SIG_VALID && s->check != SIG_EXPIRED &&
		    s->check != SIG_NOT_YET_VALID)
			continue;
		if (s->inception <= c->now && c->now <= s->expiration)
			return false;
		checked++;
		if (s->expiration > latest_exp)
			latest_exp = s->expiration;
		if (s->inception < earliest_inc)
			earliest_inc = s->inception;
	}
	if (checked == 0)
		return false;
	f = diag_add(c, FINDING_VANTAGE_CLOCK_SKEW, ".");
	diag_evidence(f, "the root's DNSKEY RRset: %zu signature%s that verify,"
		      " valid %s to %s", checked, checked == 1 ? "" : "s",
		      diag_clock(earliest_inc, b1), diag_clock(latest_exp, b2));
	diag_evidence(f, "our clock: %s", diag_clock(c->now, b3));
	for (size_t i = 0; i < c->ev->n_resolvers; i++)
		if (c->ev->resolvers[i].root_ad)
			diag_evidence(f, "resolver %s (%s) validates the root "
				      "(AD): its clock agrees with the root's",
				      c->ev->resolvers[i].name,
				      c->ev->resolvers[i].address);
	if (c->now > latest_exp)
		diag_summary(f, "our clock is at least %s ahead: it is past "
			     "every signature the root serves (to %s)",
			     diag_duration(c->now - latest_exp, d), b2);
	else
		diag_summary(f, "our clock is at least %s behind: it is before "
			     "every signature the root serves (from %s)",
			     diag_duration(earliest_inc - c->now, d), b1);
	diag_fix(f, xstrdup(
		"This host's clock is wrong, and every DNSSEC signature is "
		"judged against it: nothing about the zone can be judged here "
		"until it is right (validating resolvers elsewhere do not "
		"share it).\n"
		"Set the clock: timedatectl set-ntp true (or chronyc makestep; "
		"check: timedatectl status), then run bogus again."));
	return true;
}

static void udp_only(struct diag_ctx *c)
{
	size_t udp_ok = 0, tcp_ok = 0, tcp_silent = 0;
	struct finding *f;

	for (size_t i = 0; i < c->ev->n_vantage; i++) {
		const struct vantage_probe *v = &c->ev->vantage[i];

		if (v->decoy)
			continue;
		if (authoritative(v))
			*(v->tcp ? &tcp_ok : &udp_ok) += 1;
		else if (v->tcp && silent(&v->reply))
			tcp_silent++;
	}
	if (udp_ok == 0 || tcp_ok > 0 || tcp_silent == 0)
		return;
	f = diag_add(c, FINDING_VANTAGE_UDP_ONLY, ".");
	for (size_t i = 0; i < c->ev->n_vantage; i++)
		if (c->ev->vantage[i].tcp)
			probe_line(f, &c->ev->vantage[i]);
	diag_summary(f, "root servers answer over UDP but not over TCP from "
		     "here: our path drops DNS over TCP, so answers too large "
		     "for UDP cannot be fetched and TCP is not judged");
	diag_fix(f, xstrdup(
		"Our own network blocks DNS over TCP (port 53/tcp): allow it "
		"outbound (RFC 7766 makes TCP mandatory for DNS), or run bogus "
		"from a host that has it. Until then bogus does not blame the "
		"zone's servers for TCP."));
}

bool diag_vantage_rules(struct diag_ctx *c)
{
	/* Not checked (an older recording, no hints): nothing to say. */
	if (c->ev->n_vantage == 0)
		return false;
	if (offline(c) || intercepted(c))
		return true;
	bool broken = anchor_mismatch(c);

	broken |= clock_skew(c);
	if (!broken)
		udp_only(c);
	return broken;
}

/* Findings that say a server did not answer: what a local limit can fake. */
static bool silence_finding(enum finding_id id)
{
	return id == FINDING_NS_UNREACHABLE || id == FINDING_TCP_UNREACHABLE ||
	       id == FINDING_RESOLVER_UNREACHABLE ||
	       id == FINDING_ZONE_UNREACHABLE;
}

/* Drops the findings @p drop selects; the kept ones keep their order. */
static void drop_findings(struct diag_ctx *c, bool (*drop)(enum finding_id))
{
	size_t w = 0;

	for (size_t i = 0; i < c->n; i++) {
		if (drop(c->f[i].id)) {
			diag_finding_clear(&c->f[i]);
			continue;
		}
		c->f[w++] = c->f[i];
	}
	c->n = w;
}

static bool tcp_finding(enum finding_id id)
{
	return id == FINDING_TCP_UNREACHABLE;
}

/*
 * Queries that waited for a descriptor of this host (ulimit -n, a
 * container's limit). If every question still got its answer, that is
 * worth a line and no more. If some server then "did not answer", our
 * limit may be the reason as much as the server: the silence is ours to
 * explain, not the zone's operator's, so it becomes this finding (verdict
 * vantage) with both readings, and no server is blamed for it.
 */
static void local_limit(struct diag_ctx *c)
{
	size_t silent = 0;
	struct finding *f;

	if (c->ev->local_limited == 0)
		return;
	for (size_t i = 0; i < c->n; i++)
		silent += silence_finding(c->f[i].id);
	f = diag_add(c, FINDING_VANTAGE_LOCAL_LIMIT, ".");
	if (silent == 0) {
		f->severity = SEV_INFO;
		diag_summary(f, "%u queries waited for a file descriptor of this "
			     "host; every one was answered, so the results are "
			     "complete", c->ev->local_limited);
		diag_fix(f, xstrdup(
			"Nothing is wrong with the zone for this. To make bogus "
			"faster here, raise the descriptor limit (ulimit -n, "
			"LimitNOFILE= in a systemd unit, the container's nofile "
			"limit)."));
		return;
	}
	diag_summary(f, "%u queries waited for a file descriptor of this host "
		     "and %zu finding%s say a server did not answer: our own "
		     "limit may be why, so no server is blamed from here",
		     c->ev->local_limited, silent, silent == 1 ? "" : "s");
	for (size_t i = 0; i < c->n; i++)
		if (silence_finding(c->f[i].id))
			diag_evidence(f, "not judged (%s %s): %s",
				      finding_id_name(c->f[i].id),
				      c->f[i].subject, c->f[i].summary ?
				      c->f[i].summary : "");
	diag_fix(f, xstrdup(
		"Raise this host's descriptor limit (ulimit -n 1024 or more; "
		"LimitNOFILE= in a systemd unit; the container's nofile limit) "
		"and run bogus again, or run it from another host. Two "
		"readings until then: the servers are silent, or we could not "
		"ask them."));
	drop_findings(c, silence_finding);
}

void diag_vantage_filter(struct diag_ctx *c)
{
	local_limit(c);
	if (diag_find(c, FINDING_VANTAGE_UDP_ONLY, ".") != NULL)
		drop_findings(c, tcp_finding);
}
